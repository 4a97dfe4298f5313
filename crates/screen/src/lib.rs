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
