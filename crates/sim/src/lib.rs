//! # sim — AIS traffic with ground truth
//!
//! Writes AIS exactly as receivers deliver it (NMEA with tag blocks, or NOAA-style CSV) for a
//! scenario of ports, sea lanes and a fleet, with scripted evasion (ship-to-ship transfers, dark
//! periods, identity and position spoofing) and benign look-alikes, through a receiver model of
//! terrestrial stations and satellite passes. Alongside the traffic it writes `truth.json`, the
//! list of every scripted event, so detectors can be scored honestly.
//!
//! Entry points: [`load_scenario`] (or [`Scenario`] from TOML text) and [`simulate`]. The
//! bundled scenarios are in [`scenarios`]. The scenario format is documented in
//! `docs/scenarios.md`.
//!
//! Design: every ship's whole voyage is planned up front as a list of timed legs whose motion is a
//! pure function of time ([`motion`]); the run then pops the next transmission of any ship from a
//! min-heap, asks the plan where the ship is, and passes the message through the receiver model
//! ([`receiver`]). Memory is the fleet's plans plus a small reorder buffer, whatever the run's
//! length. Every random draw comes from per-ship or per-receiver xoshiro streams ([`rng`]), so a
//! seed gives byte-identical output.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod fleet;
pub mod motion;
pub mod receiver;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod scenarios;
pub mod time;
pub mod truth;
pub mod verify;
pub mod world;

pub use run::{Format, Options, Summary};
pub use scenario::Scenario;
pub use truth::{Truth, TruthEvent, TruthPort, TruthVessel};

use std::path::Path;

/// Errors of the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The scenario is invalid (names the file or item and what is wrong).
    #[error("scenario: {0}")]
    Scenario(String),
    /// Writing the output failed.
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
}

/// Parses scenario TOML; `source` names it in errors.
pub fn parse_scenario(source: &str, text: &str) -> Result<Scenario, SimError> {
    toml::from_str(text).map_err(|e| SimError::Scenario(format!("{source}: {e}")))
}

/// Reads a scenario file, or a bundled one by name (`dprk`, `small`, `scale`).
pub fn load_scenario(
    path_or_name: &str,
) -> Result<(Scenario, Option<std::path::PathBuf>), SimError> {
    if let Some(text) = scenarios::bundled(path_or_name) {
        return Ok((parse_scenario(path_or_name, text)?, None));
    }
    let p = Path::new(path_or_name);
    let text = std::fs::read_to_string(p)
        .map_err(|e| SimError::Scenario(format!("{}: {e}", p.display())))?;
    Ok((
        parse_scenario(&p.display().to_string(), &text)?,
        p.parent().map(Path::to_path_buf),
    ))
}

/// Simulates a scenario: traffic goes to `out`, the truth and the summary are returned.
/// `base_dir` resolves a relative coastline path.
pub fn simulate<W: std::io::Write>(
    sc: &Scenario,
    base_dir: Option<&Path>,
    opts: &Options,
    out: W,
) -> Result<(Truth, Summary), SimError> {
    let mut world = world::World::build(sc, base_dir)?;
    run::run(sc, &mut world, opts, out)
}
