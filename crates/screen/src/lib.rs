//! # screen — matching names, identifiers and addresses against the lists
//!
//! Normalization, name-part alignment, weighted edit distance and Jaro-Winkler on what is left,
//! a Korean romanization layer (Hangul, Revised Romanization, McCune–Reischauer, the DPRK 1992
//! system, the initial-ㄹ difference), exact identifier and crypto-address matches, and an
//! inverted index so a query never scans every name. Every result explains itself.
//!
//! ```
//! use lists::{Entity, NameStrength, Schema};
//! let mut e = Entity::new("un:KPi.000", "un", Schema::Person);
//! e.add_name("KIM JONG UN", NameStrength::Strong);
//! let index = screen::Index::build(&[e]);
//! let hits = index.search(&screen::Query::name("김정은"), 5);
//! assert!(hits[0].score > 0.95);
//! ```

pub mod distance;
pub mod ident;
pub mod index;
pub mod korean;
pub mod name;
pub mod normalize;

pub use index::{Feature, IdLookup, Index, Match, Query};
pub use lists::{Entity, Schema};
pub use name::{compare, How, NameComparison, PartMatch, PreparedName};
pub use normalize::NameMode;

/// The score at or above which a result counts as a match by default. Chosen on the
/// nomenklatura name benchmark (see docs/accuracy.md, "Screening").
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// Reads an entity kind as users write it: `person`, `company`, `organization`/`org`,
/// `vessel`/`ship`, `aircraft`, `wallet`/`crypto` (case-insensitive).
pub fn parse_schema(s: &str) -> Option<Schema> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "person" | "individual" | "people" => Schema::Person,
        "company" | "business" | "legalentity" | "legal_entity" => Schema::Company,
        "organization" | "organisation" | "org" | "entity" => Schema::Organization,
        "vessel" | "ship" => Schema::Vessel,
        "aircraft" | "plane" => Schema::Aircraft,
        "wallet" | "crypto" | "cryptowallet" | "address" => Schema::CryptoWallet,
        _ => return None,
    })
}
