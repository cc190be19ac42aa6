//! Payment messages (ISO 20022 XML, SWIFT MT) parsed into what sanctions screening
//! needs: parties and agents, free text and amounts — every value with the field path
//! it came from — and the screening layer on top: [`screen_payment`] checks every
//! party name, identifier, country and free-text field against the lists and a
//! [`Policy`], and returns a [`Decision`] (PASS, HOLD or BLOCK) with every hit.
//!
//! Why this shape:
//! - One output model for both formats, so screening rules ("screen every party name,
//!   every BIC country, all free text") are written once. The front ends (`iso20022` for
//!   XML, `mt` + `mt_extract` for FIN) differ only in how they find values.
//! - Every value keeps its path (`Document/…/CdtTrfTxInf[1]/Cdtr/Nm`, `:59F: line 2`,
//!   `seqB/:50F:`): an analyst must see *where* a hit sits, and the same name as
//!   debtor or as remittance text calls for different handling.
//! - The raw bytes' SHA-256 is kept for the audit trail; values are never normalised
//!   beyond trimming, so what is screened is what was sent.
//! - Input is hostile until proven otherwise: size is capped before any parsing, XML
//!   DTDs are refused outright, unknown entities are errors, and every parse error
//!   names the line and the element path or MT field.

pub mod corpus;
mod ids;
mod iso20022;
mod mt;
mod mt_extract;
mod policy;
mod screen;
mod words;
mod xml;

pub use policy::{
    CountrySourceCaps, FreeTextRules, PartyRules, Policy, PolicyError, Region, RegionMatch,
    DEFAULT_POLICY_TOML,
};
pub use screen::{
    screen_bytes, screen_payment, Decision, Hit, ListLookups, ScreenError, Screened, Verdict,
};

use redline_model::registry::Scheme;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;

/// Largest message accepted by [`parse`], [`parse_iso20022`] and [`parse_mt`]: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// The wire format a payment arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Iso20022,
    SwiftMt,
}

/// A parsed payment message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub format: Format,
    /// e.g. "pacs.008.001.08", "pain.001.001.03", "pain.001.001.03.ch.02" (the Swiss
    /// variant keeps its suffix), "MT103", "MT202COV" (MT202/205 with `119:COV`).
    pub message_type: String,
    /// GrpHdr/MsgId, else AppHdr/BizMsgIdr; MT field 20.
    pub message_id: Option<String>,
    /// SHA-256 hex of the raw bytes, for the audit trail.
    pub sha256: String,
    pub parties: Vec<Party>,
    pub free_text: Vec<FreeText>,
    /// Transaction amounts as sent (best effort; MT decimal comma becomes a point).
    pub amounts: Vec<Amount>,
}

/// An amount with its currency, as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Amount {
    pub path: String,
    pub currency: String,
    pub value: String,
}

/// What kind of party the message says this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Person,
    Organisation,
    FinancialInstitution,
    Unknown,
}

/// The role a party plays. ISO 20022 and MT vocabularies side by side; ISO
/// reimbursement agents map to their MT equivalents (`InstgRmbrsmntAgt` →
/// [`Role::SendersCorrespondent`], `InstdRmbrsmntAgt` → [`Role::ReceiversCorrespondent`],
/// `ThrdRmbrsmntAgt` → [`Role::ThirdReimbursementInstitution`]). Serialises as the
/// snake_case name; `Other(s)` as `s`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    Debtor,
    Creditor,
    UltimateDebtor,
    UltimateCreditor,
    InitiatingParty,
    DebtorAgent,
    CreditorAgent,
    IntermediaryAgent,
    InstructingAgent,
    InstructedAgent,
    PreviousInstructingAgent,
    AccountServicer,
    AccountOwner,
    Sender,
    Receiver,
    OrderingCustomer,
    OrderingInstitution,
    SendersCorrespondent,
    ReceiversCorrespondent,
    ThirdReimbursementInstitution,
    IntermediaryInstitution,
    AccountWithInstitution,
    BeneficiaryCustomer,
    BeneficiaryInstitution,
    /// Roles without a variant, e.g. "sending_institution" (MT 51A),
    /// "charges_agent", "related_sender" (AppHdr/Rltd/Fr), "instructing_institution"
    /// (MT 72 `/INS/` BIC).
    Other(String),
}

impl Role {
    /// The snake_case name, as serialised.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Debtor => "debtor",
            Role::Creditor => "creditor",
            Role::UltimateDebtor => "ultimate_debtor",
            Role::UltimateCreditor => "ultimate_creditor",
            Role::InitiatingParty => "initiating_party",
            Role::DebtorAgent => "debtor_agent",
            Role::CreditorAgent => "creditor_agent",
            Role::IntermediaryAgent => "intermediary_agent",
            Role::InstructingAgent => "instructing_agent",
            Role::InstructedAgent => "instructed_agent",
            Role::PreviousInstructingAgent => "previous_instructing_agent",
            Role::AccountServicer => "account_servicer",
            Role::AccountOwner => "account_owner",
            Role::Sender => "sender",
            Role::Receiver => "receiver",
            Role::OrderingCustomer => "ordering_customer",
            Role::OrderingInstitution => "ordering_institution",
            Role::SendersCorrespondent => "senders_correspondent",
            Role::ReceiversCorrespondent => "receivers_correspondent",
            Role::ThirdReimbursementInstitution => "third_reimbursement_institution",
            Role::IntermediaryInstitution => "intermediary_institution",
            Role::AccountWithInstitution => "account_with_institution",
            Role::BeneficiaryCustomer => "beneficiary_customer",
            Role::BeneficiaryInstitution => "beneficiary_institution",
            Role::Other(s) => s,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One party or agent as the message names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    pub role: Role,
    /// Where it sits, e.g. `Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr`, `:59F:`,
    /// `seqB/:50F:` (MT202COV/205COV customer sequence), `AppHdr/Fr`, `block2`.
    pub path: String,
    pub kind: PartyKind,
    pub name: Option<Value>,
    /// Structured address parts and unstructured lines, each with its own path.
    pub address: Vec<Value>,
    /// ISO alpha-2 (upper-case), with where it came from.
    pub countries: Vec<CountryRef>,
    pub bic: Option<Value>,
    pub lei: Option<Value>,
    /// IBAN or other account id.
    pub account: Option<Value>,
    /// Othr/Id, PrvtId/OrgId ids, clearing member ids, MT `//` clearing codes, dates
    /// and places of birth, national ids…
    pub other_ids: Vec<Value>,
    /// Registry numbers the message labels (SWIFT-RUR `INN…KPP…`, `//RU` BIK, ISO
    /// `Othr` with a scheme name), as sent: checked when screened, not here.
    pub registry_ids: Vec<RegistryValue>,
}

/// A registry number as the message writes it, with the scheme its label names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RegistryValue {
    pub path: String,
    pub scheme: Scheme,
    pub text: String,
}

impl Party {
    pub(crate) fn new(role: Role, path: impl Into<String>, kind: PartyKind) -> Self {
        Party {
            role,
            path: path.into(),
            kind,
            name: None,
            address: Vec::new(),
            countries: Vec::new(),
            bic: None,
            lei: None,
            account: None,
            other_ids: Vec::new(),
            registry_ids: Vec::new(),
        }
    }

    pub(crate) fn add_registry_id(&mut self, path: &str, scheme: Scheme, text: &str) {
        self.registry_ids.push(RegistryValue {
            path: path.to_string(),
            scheme,
            text: text.to_string(),
        });
    }

    /// Records a BIC with its country; a second BIC becomes an other id.
    pub(crate) fn add_bic(&mut self, value: Value) {
        if let Some(code) = ids::bic_country(&value.text) {
            self.add_country(code, CountrySource::Bic, &value.path);
        }
        if self.bic.is_none() {
            self.bic = Some(value);
        } else {
            self.other_ids.push(value);
        }
    }

    /// Records an account; `verify_iban` as in `ids::iban_country`.
    pub(crate) fn add_account(&mut self, value: Value, verify_iban: bool) {
        if let Some(code) = ids::iban_country(&value.text, verify_iban) {
            self.add_country(code, CountrySource::Iban, &value.path);
        }
        if self.account.is_none() {
            self.account = Some(value);
        } else {
            self.other_ids.push(value);
        }
    }

    pub(crate) fn add_country(&mut self, code: String, from: CountrySource, path: &str) {
        self.countries.push(CountryRef {
            code,
            from,
            path: path.to_string(),
        });
    }
}

/// A piece of text and the path it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Value {
    pub path: String,
    pub text: String,
}

impl Value {
    pub(crate) fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Value {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// A country tied to a party, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CountryRef {
    /// ISO 3166-1 alpha-2, upper-case.
    pub code: String,
    pub from: CountrySource,
    pub path: String,
}

/// Where a [`CountryRef`] was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountrySource {
    /// A structured country field (`PstlAdr/Ctry`, MT option F `3/CC/…`).
    Address,
    CountryOfResidence,
    /// Characters 5–6 of a BIC.
    Bic,
    /// First two letters of an IBAN.
    Iban,
    /// A country name or code found in an unstructured address line.
    Text,
    /// `CtryOfBirth`, MT 50F `5/CC/…` (an addition to the brief's list).
    CountryOfBirth,
}

/// What a piece of free text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FreeTextKind {
    Remittance,
    SenderToReceiverInfo,
    RegulatoryReporting,
    InstructionForNextAgent,
    Purpose,
    Narrative,
    AdditionalInfo,
    AddressLine,
}

/// Free text to screen, with its path. MT multi-line fields are one entry, lines
/// joined by a single space.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FreeText {
    pub kind: FreeTextKind,
    pub path: String,
    pub text: String,
}

/// Why a message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("message is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    /// XML: DOCTYPE / DTD / entity declarations are refused outright (no XXE, no
    /// entity expansion).
    #[error("XML DOCTYPE, DTD and entity declarations are refused")]
    Doctype,
    /// Malformed XML or MT: `line` is 1-based in the whole input; `location` is the
    /// open element path (XML) or the block and field (MT), e.g. "block 4, field :59:".
    #[error("line {line}: {message} ({location})")]
    Malformed {
        line: usize,
        location: String,
        message: String,
    },
    /// Not a payment message we understand: unknown ISO namespace or family, an MT
    /// type we do not handle, neither XML nor MT.
    #[error("unsupported message: {message_type}")]
    Unsupported { message_type: String },
    #[error("empty input")]
    Empty,
}

impl PaymentError {
    pub(crate) fn malformed(
        line: usize,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        PaymentError::Malformed {
            line,
            location: location.into(),
            message: message.into(),
        }
    }
}

/// Parses a payment message of either format (sniffed from its first character),
/// refusing anything over [`DEFAULT_MAX_BYTES`].
pub fn parse(bytes: &[u8]) -> Result<Payment, PaymentError> {
    parse_with_limit(bytes, DEFAULT_MAX_BYTES)
}

/// As [`parse`], with a caller-chosen size limit.
pub fn parse_with_limit(bytes: &[u8], max_bytes: usize) -> Result<Payment, PaymentError> {
    let body = admit(bytes, max_bytes)?;
    match body.first() {
        Some(b'<') => iso20022::parse(bytes),
        Some(b'{') => parse_mt_bytes(bytes),
        _ => Err(PaymentError::Unsupported {
            message_type: "unrecognised input (neither XML nor SWIFT MT)".to_string(),
        }),
    }
}

/// Parses an ISO 20022 message (with or without AppHdr/envelope).
pub fn parse_iso20022(bytes: &[u8]) -> Result<Payment, PaymentError> {
    admit(bytes, DEFAULT_MAX_BYTES)?;
    iso20022::parse(bytes)
}

/// Parses a SWIFT MT (FIN) message; CRLF or LF line ends.
pub fn parse_mt(text: &str) -> Result<Payment, PaymentError> {
    admit(text.as_bytes(), DEFAULT_MAX_BYTES)?;
    mt_extract::parse(text)
}

fn parse_mt_bytes(bytes: &[u8]) -> Result<Payment, PaymentError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        PaymentError::malformed(
            ids::line_of(bytes, e.valid_up_to()),
            "input",
            "invalid UTF-8 (SWIFT MT is plain text)",
        )
    })?;
    mt_extract::parse(text)
}

/// Size and emptiness gate, run before any parsing; returns the input without a
/// UTF-8 BOM and leading whitespace, for sniffing.
fn admit(bytes: &[u8], max_bytes: usize) -> Result<&[u8], PaymentError> {
    if bytes.len() > max_bytes {
        return Err(PaymentError::TooLarge {
            size: bytes.len(),
            limit: max_bytes,
        });
    }
    let body = strip_bom(bytes).trim_ascii_start();
    if body.is_empty() {
        return Err(PaymentError::Empty);
    }
    Ok(body)
}

pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gate_runs_before_parsing() {
        assert_eq!(
            parse_with_limit(b"{1:F01", 3),
            Err(PaymentError::TooLarge { size: 6, limit: 3 })
        );
        assert_eq!(parse(b""), Err(PaymentError::Empty));
        assert_eq!(parse(b" \r\n\t"), Err(PaymentError::Empty));
        assert_eq!(parse(b"\xEF\xBB\xBF  "), Err(PaymentError::Empty));
        assert_eq!(parse_mt(""), Err(PaymentError::Empty));
        assert!(matches!(
            parse(b"Dear customer, your payment is late."),
            Err(PaymentError::Unsupported { .. })
        ));
    }

    #[test]
    fn roles_serialise_as_snake_case() {
        assert_eq!(
            Role::SendersCorrespondent.to_string(),
            "senders_correspondent"
        );
        let json = serde_json::to_string(&[Role::UltimateDebtor, Role::Other("x_y".into())]);
        assert_eq!(json.unwrap(), r#"["ultimate_debtor","x_y"]"#);
        let json = serde_json::to_string(&(Format::SwiftMt, CountrySource::CountryOfResidence));
        assert_eq!(json.unwrap(), r#"["swift_mt","country_of_residence"]"#);
    }

    #[test]
    fn sha256_is_of_the_raw_bytes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
