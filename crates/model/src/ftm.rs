//! FollowTheMoney (FtM) vocabulary: the schema, property and dataset names
//! OpenSanctions and yente use, mapped to and from Redline's model.
//!
//! Both directions live here so that reading an OpenSanctions export and answering a
//! yente client use one table: an identifier read from `innCode` is written back as
//! `innCode`-compatible `taxNumber`, never under a name FtM does not know.

use std::collections::BTreeMap;

use crate::{Entity, IdKind, NameKind, Schema, SourceId};

/// The FtM schemas Redline screens, and how it calls them.
pub fn schema_from_ftm(schema: &str) -> Option<Schema> {
    Some(match schema {
        "Person" => Schema::Person,
        "Company" | "Organization" | "LegalEntity" | "PublicBody" => Schema::Organization,
        "Vessel" => Schema::Vessel,
        "Airplane" => Schema::Aircraft,
        _ => return None,
    })
}

/// The FtM schema name of a Redline schema.
pub fn schema_to_ftm(schema: Schema) -> &'static str {
    match schema {
        Schema::Person => "Person",
        Schema::Organization => "Organization",
        Schema::Vessel => "Vessel",
        Schema::Aircraft => "Airplane",
    }
}

/// The OpenSanctions dataset name of a source (what yente reports in `datasets`).
pub fn dataset_name(source: SourceId) -> &'static str {
    match source {
        SourceId::OfacSdn => "us_ofac_sdn",
        SourceId::UnSc => "un_sc_sanctions",
        SourceId::UkHmt => "gb_hmt_sanctions",
        SourceId::OpenSanctions => "opensanctions",
        SourceId::UsCsl => "us_trade_csl",
        SourceId::EuFsf => "eu_fsf",
        SourceId::AuDfat => "au_dfat_sanctions",
        SourceId::CaSema => "ca_dfatd_sema_sanctions",
        SourceId::JpMof => "jp_mof_sanctions",
        SourceId::JpMeti => "jp_meti_eul",
        SourceId::Operator => "operator",
    }
}

/// FtM identifier properties and the kind Redline gives them.
pub fn identifier_kind(prop: &str, schema: Schema) -> Option<IdKind> {
    Some(match prop {
        "passportNumber" => IdKind::Passport,
        "idNumber" | "socialSecurityNumber" => IdKind::NationalId,
        "innCode" | "taxNumber" | "vatCode" => IdKind::TaxId,
        // An aircraft's registration number is its tail mark, not a company number.
        "registrationNumber" if schema == Schema::Aircraft => IdKind::AircraftRegistration,
        "serialNumber" if schema == Schema::Aircraft => IdKind::AircraftSerial,
        "ogrnCode" | "registrationNumber" => IdKind::Registration,
        "imoNumber" => IdKind::Imo,
        "mmsi" => IdKind::Mmsi,
        "swiftBic" => IdKind::Bic,
        "leiCode" => IdKind::Lei,
        "callSign" => IdKind::CallSign,
        "okpoCode" | "kppCode" | "ogrnipCode" | "dunsCode" | "uniqueEntityId" | "permId"
        | "bvdId" | "cikCode" | "ricCode" | "uscCode" | "npiCode" | "icijId" | "voenCode"
        | "irsCode" | "ipoCode" | "bikCode" | "caemCode" | "coatoCode" | "jibCode" | "mbsCode"
        | "ibcRuc" | "sayariId" | "brightQueryId" | "brightQueryOrgId" | "wikidataId"
        | "serialNumber" => IdKind::Other(prop.to_string()),
        _ => return None,
    })
}

/// The FtM property an identifier of this kind is written to.
pub fn identifier_property(kind: &IdKind, schema: Schema) -> &'static str {
    match kind {
        IdKind::Passport => "passportNumber",
        IdKind::NationalId => "idNumber",
        IdKind::TaxId => "taxNumber",
        IdKind::Registration | IdKind::AircraftRegistration => "registrationNumber",
        IdKind::AircraftSerial => "serialNumber",
        IdKind::Imo => "imoNumber",
        IdKind::Mmsi => "mmsi",
        IdKind::Bic => "swiftBic",
        IdKind::Lei => "leiCode",
        IdKind::CallSign => "callSign",
        IdKind::CryptoAddress => "notes",
        IdKind::Other(_) if schema == Schema::Person => "idNumber",
        IdKind::Other(_) => "registrationNumber",
    }
}

/// Every FtM property that can carry an identifier in a query.
pub const IDENTIFIER_PROPERTIES: [&str; 17] = [
    "passportNumber",
    "idNumber",
    "socialSecurityNumber",
    "innCode",
    "taxNumber",
    "vatCode",
    "registrationNumber",
    "ogrnCode",
    "imoNumber",
    "mmsi",
    "swiftBic",
    "leiCode",
    "callSign",
    "okpoCode",
    "kppCode",
    "dunsCode",
    "serialNumber",
];

/// The entity's properties in FtM form: `name`, `alias`, `weakAlias`, `birthDate`,
/// `nationality`, identifiers under their FtM property, `topics`, `program`…
pub fn properties(entity: &Entity) -> BTreeMap<&'static str, Vec<String>> {
    let mut props: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut push = |key: &'static str, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let values = props.entry(key).or_default();
        if !values.iter().any(|v| v == value) {
            values.push(value.to_string());
        }
    };
    push("name", entity.caption());
    for name in &entity.names {
        let key = match name.kind {
            NameKind::Primary => "name",
            NameKind::StrongAlias | NameKind::OriginalScript => "alias",
            NameKind::WeakAlias => "weakAlias",
            NameKind::FormerName => "previousName",
        };
        push(key, &name.text);
    }
    let person = entity.schema == Schema::Person;
    for date in &entity.birth_dates {
        push(
            if person {
                "birthDate"
            } else {
                "incorporationDate"
            },
            &date.date.to_string(),
        );
    }
    for place in &entity.birth_places {
        push("birthPlace", place);
    }
    for code in &entity.nationalities {
        push("nationality", code);
    }
    for code in &entity.citizenships {
        push("citizenship", code);
    }
    for code in &entity.countries {
        push(if person { "country" } else { "jurisdiction" }, code);
    }
    if let Some(gender) = &entity.gender {
        push("gender", gender);
    }
    for id in &entity.identifiers {
        push(identifier_property(&id.kind, entity.schema), &id.value);
    }
    for address in &entity.addresses {
        push("address", &address.full);
    }
    for program in &entity.programs {
        push("program", program);
    }
    if let Some(listed) = &entity.listed_on {
        push("createdAt", listed);
    }
    if let Some(remarks) = &entity.remarks {
        push("notes", remarks);
    }
    push("topics", "sanction");
    props
}
