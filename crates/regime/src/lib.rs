//! # regime — from events and matches to findings
//!
//! A sanctions regime is data: measures with legal references, zones, the target's flag MID,
//! caps, banned commodity groups by HS code and conversion factors, read from a TOML file
//! (`regimes/dprk.toml` ships as the default; format in `docs/regime.md`). Rules turn maritime
//! events and screening matches into findings with evidence, a probability from a published
//! log-odds model and the ICD 203 estimative term an analyst would sign ([`findings`]); the
//! refined-petroleum tally is kept against the cap ([`tally`]); and trade records are checked
//! against the bans ([`trade`]).

pub mod calibrate;
pub mod estimative;
pub mod findings;
pub mod funds;
pub mod hs;
pub mod output;
pub mod run;
pub mod spec;
pub mod tally;
pub mod time;
pub mod trade;
pub mod vessel;

pub use spec::{LegalReference, Regime, RegimeError};
