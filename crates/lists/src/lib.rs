//! # lists — sanctions lists in, one entity model out
//!
//! Parsers for the UN Security Council consolidated XML, OFAC SDN Advanced XML and legacy CSV,
//! EU Financial Sanctions Files XML, UK OFSI ConList CSV and OpenSanctions FollowTheMoney JSON
//! lines, all into [`model::Entity`]. Large files are parsed streaming; a malformed file gives an
//! error naming the file and position, and a list that parses to suspiciously few entries is an
//! error rather than a silent success.

pub mod model;

pub use model::{Entity, IdKind, Identifier, Name, NameStrength, Relation, Schema};
