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
}
