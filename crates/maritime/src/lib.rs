//! # maritime — tracks and events
//!
//! Positions become tracks, and tracks become events. The track layer ([`tracks`]) de-duplicates
//! and orders each MMSI's positions and splits them into segments in the spirit of Global Fishing
//! Watch's gpsdio-segment, so that ships sharing an MMSI or a spoofed stream become separate
//! segments; [`identity`] keeps the history of what each vessel said it was. The detectors
//! ([`detect`]) turn segments into [`event::Event`]s: encounters, loitering, dark gaps, port
//! visits, zone events, spoofing and identity changes.

pub mod detect;
pub mod event;
pub mod identity;
pub mod tracks;
