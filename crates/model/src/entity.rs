//! Entities, names, identifiers, addresses and links.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use crate::date::DateValue;

/// The lists Redline reads. The string form is the prefix of every entity id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SourceId {
    #[serde(rename = "ofac-sdn")]
    OfacSdn,
    #[serde(rename = "un-sc")]
    UnSc,
    #[serde(rename = "uk-hmt")]
    UkHmt,
    #[serde(rename = "opensanctions")]
    OpenSanctions,
    /// The US Consolidated Screening List (trade.gov): the export-control lists of
    /// Commerce (BIS Entity List, Military End-User, Unverified, Denied Persons) and
    /// State (ITAR debarred, nonproliferation), and Treasury's non-SDN lists (SSI,
    /// NS-MBS, CAPTA, FSE, PLC, CMIC). Its SDN rows are left to `ofac-sdn`.
    #[serde(rename = "us-csl")]
    UsCsl,
    /// The EU consolidated financial sanctions list (Financial Sanctions Files).
    #[serde(rename = "eu-fsf")]
    EuFsf,
    /// Australia's Consolidated List (DFAT).
    #[serde(rename = "au-dfat")]
    AuDfat,
    /// Canada's Special Economic Measures Act consolidated list.
    #[serde(rename = "ca-sema")]
    CaSema,
    /// Japan's asset-freeze list (Ministry of Finance, under the Foreign Exchange Act).
    #[serde(rename = "jp-mof")]
    JpMof,
    /// Japan's End User List (Ministry of Economy, Trade and Industry): export control.
    #[serde(rename = "jp-meti")]
    JpMeti,
    /// Parties the operator names in its own data (an ownership file's unlisted
    /// companies), screened because ownership blocks them; never a published list.
    #[serde(rename = "operator")]
    Operator,
}

impl SourceId {
    pub const ALL: [SourceId; 10] = [
        SourceId::OfacSdn,
        SourceId::UnSc,
        SourceId::UkHmt,
        SourceId::EuFsf,
        SourceId::AuDfat,
        SourceId::CaSema,
        SourceId::JpMof,
        SourceId::JpMeti,
        SourceId::OpenSanctions,
        SourceId::UsCsl,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceId::OfacSdn => "ofac-sdn",
            SourceId::UnSc => "un-sc",
            SourceId::UkHmt => "uk-hmt",
            SourceId::OpenSanctions => "opensanctions",
            SourceId::UsCsl => "us-csl",
            SourceId::EuFsf => "eu-fsf",
            SourceId::AuDfat => "au-dfat",
            SourceId::CaSema => "ca-sema",
            SourceId::JpMof => "jp-mof",
            SourceId::JpMeti => "jp-meti",
            SourceId::Operator => "operator",
        }
    }

    /// The publisher, for display.
    pub fn title(self) -> &'static str {
        match self {
            SourceId::OfacSdn => "OFAC Specially Designated Nationals (US)",
            SourceId::UnSc => "UN Security Council Consolidated List",
            SourceId::UkHmt => "HM Treasury OFSI Consolidated List (UK)",
            SourceId::OpenSanctions => "OpenSanctions (FollowTheMoney)",
            SourceId::UsCsl => "US Consolidated Screening List (trade.gov)",
            SourceId::EuFsf => "EU consolidated financial sanctions list",
            SourceId::AuDfat => "Australia DFAT Consolidated List",
            SourceId::CaSema => "Canada SEMA consolidated list",
            SourceId::JpMof => "Japan MOF asset-freeze list",
            SourceId::JpMeti => "Japan METI End User List",
            SourceId::Operator => "Operator data (ownership files)",
        }
    }

    /// Builds the stable entity id `<source>:<native id>`.
    pub fn entity_id(self, native: &str) -> String {
        format!("{}:{}", self.as_str(), native)
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SourceId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        SourceId::ALL
            .into_iter()
            .find(|id| id.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown source {s:?}; expected one of: {}",
                    SourceId::ALL.map(|s| s.as_str()).join(", ")
                )
            })
    }
}

/// What kind of party an entity is. A person query never matches a vessel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Schema {
    Person,
    Organization,
    Vessel,
    Aircraft,
}

impl Schema {
    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Person => "Person",
            Schema::Organization => "Organization",
            Schema::Vessel => "Vessel",
            Schema::Aircraft => "Aircraft",
        }
    }

    /// Reads the schema names used by the lists, the CLI and FollowTheMoney
    /// (`individual`, `entity`, `Company`, `LegalEntity`, …).
    pub fn parse(s: &str) -> Option<Schema> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" | "people" => Some(Schema::Person),
            "organization" | "organisation" | "entity" | "company" | "legalentity"
            | "publicbody" | "org" => Some(Schema::Organization),
            "vessel" | "ship" => Some(Schema::Vessel),
            "aircraft" | "airplane" => Some(Schema::Aircraft),
            _ => None,
        }
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the list presents a name. The matching engine trusts a primary name and a
/// strong alias fully, a former name a little less, and a weak alias (the list's "low
/// quality" a.k.a., often a short nickname) only with other evidence: alone it never
/// makes a match, as OFAC's guidance on weak aliases says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The entry's main name.
    Primary,
    /// A strong alias: OFAC "a.k.a." / "n.k.a.", UN "Good quality".
    StrongAlias,
    /// A weak alias: OFAC's "weak a.k.a." (those written in SDN.CSV's remarks, never in
    /// ALT.CSV), UN and OFSI "Low quality".
    WeakAlias,
    /// A name the party used before: OFAC/UN/OFSI "f.k.a.", FtM `previousName`.
    FormerName,
    /// The name as written in its original script (UN `NAME_ORIGINAL_SCRIPT`,
    /// OFAC Chinese Commercial Code decoded to Han characters, UK "Name Non-Latin Script").
    OriginalScript,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Primary => "primary",
            NameKind::StrongAlias => "strong_alias",
            NameKind::WeakAlias => "weak_alias",
            NameKind::FormerName => "former_name",
            NameKind::OriginalScript => "original_script",
        }
    }
}

/// One name of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    /// The name as the list writes it (e.g. `PUTIN, Vladimir Vladimirovich`).
    pub text: String,
    pub kind: NameKind,
    /// The list's own qualifier, verbatim where it has one (`f.k.a.`, `Low quality`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Name {
    pub fn new(text: impl Into<String>, kind: NameKind) -> Self {
        Name {
            text: text.into(),
            kind,
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// The kind of an identifier. Exact identifier matches are strong evidence on their own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Passport,
    NationalId,
    TaxId,
    Registration,
    Imo,
    Mmsi,
    Bic,
    Lei,
    CryptoAddress,
    AircraftRegistration,
    AircraftSerial,
    CallSign,
    Other(String),
}

/// FollowTheMoney properties of codes many parties share: a KPP (a Russian tax
/// office and reason for registration), a territorial or an activity code.
const SHARED_CODES: &[&str] = &["kppCode", "coatoCode", "caemCode"];

impl IdKind {
    /// Whether a number of this kind names one party. Two companies registered at
    /// the same Moscow tax office carry the same KPP; it is evidence of nothing.
    pub fn identifies_party(&self) -> bool {
        !matches!(self, IdKind::Other(p) if SHARED_CODES.contains(&p.as_str()))
    }

    pub fn label(&self) -> &str {
        match self {
            IdKind::Passport => "passport",
            IdKind::NationalId => "national_id",
            IdKind::TaxId => "tax_id",
            IdKind::Registration => "registration",
            IdKind::Imo => "imo",
            IdKind::Mmsi => "mmsi",
            IdKind::Bic => "bic",
            IdKind::Lei => "lei",
            IdKind::CryptoAddress => "crypto_address",
            IdKind::AircraftRegistration => "aircraft_registration",
            IdKind::AircraftSerial => "aircraft_serial",
            IdKind::CallSign => "call_sign",
            IdKind::Other(s) => s,
        }
    }
}

/// A typed identifier with its issuing country when the list gives one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdKind,
    pub value: String,
    /// ISO 3166-1 alpha-2, lower case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The list's label and qualifiers verbatim (e.g. `Tax ID No.`, `issued 2010`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Identifier {
    /// The value reduced to letters and digits, upper case: how identifiers compare.
    pub fn normalized_value(&self) -> String {
        normalize_identifier(&self.value)
    }
}

/// Reduces an identifier to its upper-case letters and digits (`SABR RU MM` → `SABRRUMM`).
pub fn normalize_identifier(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A postal address; `full` is the list's text, the parts are kept where the list splits them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    pub full: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, lower case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// How two entities are related.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// OFAC "Linked To:".
    LinkedTo,
    /// OFAC "Owned or Controlled By:" — a relation, never a percentage.
    OwnedOrControlledBy,
    /// FtM `Ownership`: this entity owns the target (possibly with a percentage).
    Owns,
    /// FtM `Ownership` seen from the asset: this entity is owned by the target.
    OwnedBy,
    /// Directorship, family, association and other relations, named as the list names them.
    Other(String),
}

/// A link from this entity to another one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub relation: Relation,
    /// The target's entity id when the list gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// The target's name as written by the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_name: Option<String>,
    /// Share in percent, only where the source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percentage: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    /// The role as the source words it (`subsidiary of`, `ГЕНЕРАЛЬНЫЙ ДИРЕКТОР`, `brother`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A list entry in Redline's model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// `<source>:<native id>`, stable across list versions.
    pub id: String,
    pub source: SourceId,
    pub schema: Schema,
    /// All names; the first `Primary` one is the caption.
    pub names: Vec<Name>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_dates: Vec<DateValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_places: Vec<String>,
    /// ISO 3166-1 alpha-2 codes, lower case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenships: Vec<String>,
    /// Countries of residence, registration or operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Further facts keyed by what they are (`website`, `email`, `title`,
    /// `established`, `secondary_sanctions_risk`, `vessel_flag`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Vec<String>>,
    /// The source's remarks, verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Entity {
    pub fn new(source: SourceId, native_id: &str, schema: Schema) -> Self {
        Entity {
            id: source.entity_id(native_id),
            source,
            schema,
            names: Vec::new(),
            birth_dates: Vec::new(),
            birth_places: Vec::new(),
            nationalities: Vec::new(),
            citizenships: Vec::new(),
            countries: Vec::new(),
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
            programs: Vec::new(),
            listed_on: None,
            links: Vec::new(),
            properties: BTreeMap::new(),
            remarks: None,
        }
    }

    /// The entity's display name: its first primary name.
    pub fn caption(&self) -> &str {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Primary)
            .or_else(|| self.names.first())
            .map(|n| n.text.as_str())
            .unwrap_or("")
    }

    /// The texts of the names of one kind.
    pub fn names_of(&self, kind: NameKind) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .filter(move |n| n.kind == kind)
            .map(|n| n.text.as_str())
    }

    /// Adds a name unless the same text of the same kind is already there.
    pub fn add_name(&mut self, name: Name) {
        if !name.text.trim().is_empty()
            && !self
                .names
                .iter()
                .any(|n| n.text == name.text && n.kind == name.kind)
        {
            self.names.push(name);
        }
    }

    pub fn add_property(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        let values = self.properties.entry(key.to_string()).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }

    /// All country codes the entity is tied to (nationality, citizenship, residence, addresses).
    pub fn all_countries(&self) -> impl Iterator<Item = &str> {
        self.nationalities
            .iter()
            .chain(&self.citizenships)
            .chain(&self.countries)
            .map(String::as_str)
            .chain(self.addresses.iter().filter_map(|a| a.country.as_deref()))
    }
}

/// Adds `value` to a list of codes unless present.
pub fn push_unique(list: &mut Vec<String>, value: impl Into<String>) {
    let value = value.into();
    if !list.contains(&value) {
        list.push(value);
    }
}
