//! The entity model, compatible in spirit with FollowTheMoney.

use serde::{Deserialize, Serialize};

/// The kind of a listed entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Schema {
    /// A natural person.
    Person,
    /// An organization that is not known to be a company.
    Organization,
    /// A company or other legal person.
    Company,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// A crypto-currency wallet or address.
    CryptoWallet,
    /// Not stated by the list.
    Unknown,
}

/// Whether a name is a primary name or strong alias, or a weak alias (`a.k.a.` of low quality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NameStrength {
    /// Primary name or strong alias.
    Strong,
    /// Weak alias: should support a match, never make one alone.
    Weak,
}

/// One name of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    /// The name as the list writes it.
    pub full: String,
    /// Strong or weak.
    pub strength: NameStrength,
}

/// The kind of an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IdKind {
    /// IMO ship or company number (7 digits with a check digit for ships).
    Imo,
    /// Maritime Mobile Service Identity.
    Mmsi,
    /// Radio call sign.
    CallSign,
    /// Company or vessel registration number.
    Registration,
    /// Passport number.
    Passport,
    /// National identification number.
    NationalId,
    /// Crypto-currency address, with its currency code (e.g. `XBT`, `ETH`, `USDT`).
    CryptoAddress(String),
    /// Any other identifier, with the list's own label.
    Other(String),
}

/// One identifier of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    /// What it is.
    pub kind: IdKind,
    /// Its value as the list writes it.
    pub value: String,
    /// Issuing country, when stated.
    pub country: Option<String>,
}

/// One listed entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Identifier unique across lists: `<source>:<list's own id>`, e.g. `un:KPi.033`, `ofac:12345`.
    pub id: String,
    /// Source list code: `un`, `ofac`, `eu`, `uk`, `opensanctions`, ...
    pub source: String,
    /// Kind of entity.
    pub schema: Schema,
    /// Names; the first is the primary name.
    pub names: Vec<Name>,
    /// Birth dates (persons) or incorporation dates, as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_dates: Vec<String>,
    /// Nationalities or countries of the entity, ISO 3166-1 alpha-2 where known.
    pub countries: Vec<String>,
    /// Addresses as single lines.
    pub addresses: Vec<String>,
    /// Identifiers: IMO, MMSI, call sign, registration numbers, crypto addresses, ...
    pub identifiers: Vec<Identifier>,
    /// Sanctions programmes (e.g. `DPRK3`, `KP`).
    pub programs: Vec<String>,
    /// The list's reference number (e.g. UN `KPi.033`, `KPe.001`).
    pub list_ref: Option<String>,
    /// Date of listing, `YYYY-MM-DD` when known.
    pub listed_on: Option<String>,
    /// Vessel flag state, when stated.
    pub flag: Option<String>,
    /// Free-text remarks.
    pub remarks: Option<String>,
    /// Links to other entities of the same list (e.g. OFAC "Owned or Controlled By").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
}

/// A link from one entity to another entity of the same list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relation {
    /// The list's own wording, e.g. `Owned or Controlled By`, `Associate Of`, `Linked To`.
    pub kind: String,
    /// [`Entity::id`] of the other entity.
    pub target: String,
}

impl Entity {
    /// An entity with only its id, source and schema set; parsers fill in the rest.
    /// Prefer this over a struct literal so that new fields do not break callers.
    pub fn new(id: impl Into<String>, source: impl Into<String>, schema: Schema) -> Self {
        Entity {
            id: id.into(),
            source: source.into(),
            schema,
            names: Vec::new(),
            birth_dates: Vec::new(),
            countries: Vec::new(),
            addresses: Vec::new(),
            identifiers: Vec::new(),
            programs: Vec::new(),
            list_ref: None,
            listed_on: None,
            flag: None,
            remarks: None,
            relations: Vec::new(),
        }
    }

    /// The primary name (the first name), if the entity has any.
    pub fn primary_name(&self) -> Option<&str> {
        self.names.first().map(|n| n.full.as_str())
    }

    /// Values of the identifiers of one kind, e.g. all IMO numbers.
    pub fn identifiers_of<'a>(&'a self, kind: &'a IdKind) -> impl Iterator<Item = &'a str> + 'a {
        self.identifiers
            .iter()
            .filter(move |i| &i.kind == kind)
            .map(|i| i.value.as_str())
    }

    /// Crypto addresses as `(currency, address)` pairs.
    pub fn crypto_addresses(&self) -> impl Iterator<Item = (&str, &str)> {
        self.identifiers.iter().filter_map(|i| match &i.kind {
            IdKind::CryptoAddress(cur) => Some((cur.as_str(), i.value.as_str())),
            _ => None,
        })
    }

    /// Adds a name unless the same text is already present; a strong copy upgrades a weak one.
    pub fn add_name(&mut self, full: &str, strength: NameStrength) {
        let full = full.trim();
        if full.is_empty() {
            return;
        }
        if let Some(existing) = self.names.iter_mut().find(|n| n.full == full) {
            if strength == NameStrength::Strong {
                existing.strength = NameStrength::Strong;
            }
            return;
        }
        self.names.push(Name {
            full: full.to_string(),
            strength,
        });
    }

    /// Adds an identifier unless an equal one is already present.
    pub fn add_identifier(&mut self, kind: IdKind, value: &str, country: Option<String>) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if self
            .identifiers
            .iter()
            .any(|i| i.kind == kind && i.value == value)
        {
            return;
        }
        self.identifiers.push(Identifier {
            kind,
            value: value.to_string(),
            country,
        });
    }

    /// Adds a value to a list field unless already present (programmes, countries, dates, addresses).
    pub fn push_unique(list: &mut Vec<String>, value: &str) {
        let value = value.trim();
        if !value.is_empty() && !list.iter().any(|v| v == value) {
            list.push(value.to_string());
        }
    }
}
