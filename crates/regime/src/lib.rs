//! # regime — from events and matches to findings
//!
//! A sanctions regime is data: measures with legal references, zones, the target's flag MID,
//! caps, banned commodity groups by HS code and conversion factors, read from a TOML file
//! (`regimes/dprk.toml` ships as the default). Rules turn maritime events and screening matches
//! into findings with evidence, a probability and the estimative term an analyst would sign,
//! and the refined-petroleum tally is kept against the cap.
