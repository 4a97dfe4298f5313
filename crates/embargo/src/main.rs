//! The `embargo` command: wires the library crates together. Each subcommand lives in its own
//! module under `cmd/`, and holds no domain logic of its own.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cmd;

/// Find sanctions evasion in raw evidence: AIS, sanctions lists, blockchain transfers, trade records.
#[derive(Parser, Debug)]
#[command(name = "embargo", version, about, long_about = None, after_help = "Start with `embargo demo`, which runs the whole pipeline on bundled data and writes a report.")]
struct Cli {
    #[command(flatten)]
    global: cmd::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decode AIS and print one JSON object per message.
    Decode(cmd::decode::Args),
    /// Ingest AIS (NMEA, CSV) into the Parquet store.
    Ingest(cmd::ingest::Args),
    /// Build vessel segments and identity histories from the store's positions.
    Segment(cmd::segment::Args),
    /// Write one vessel's segments as GeoJSON or CSV.
    Track(cmd::track::Args),
    /// Print a vessel's identity history (by MMSI, IMO or name).
    Vessel(cmd::vessel::Args),
    /// Simulate AIS traffic with scripted evasion and ground truth.
    Simulate(cmd::simulate::Args),
    /// Run the event detectors over the store's segments.
    Detect(cmd::detect::Args),
    /// Query detected events.
    Events(cmd::events::Args),
    /// Load sanctions lists.
    Lists(cmd::lists::Args),
    /// Screen names, identifiers or addresses against the loaded lists.
    Screen(cmd::screen::Args),
    /// Load blockchain transfers and labels.
    Chain(cmd::chain::Args),
    /// Trace funds from seed addresses with a taint model.
    Trace(cmd::trace::Args),
    /// Exposure of an address to sanctioned, stolen, mixer and bridge funds.
    Exposure(cmd::exposure::Args),
    /// Turn events and matches into findings.
    Findings(cmd::findings::Args),
    /// The refined-petroleum tally against the cap.
    Cap(cmd::cap::Args),
    /// Check trade records against the regime's bans.
    Trade(cmd::trade::Args),
    /// Run the whole pipeline: ingest, tracks, detect, screen, findings, report.
    Run(cmd::run::Args),
    /// Run the whole pipeline on bundled data and write a report.
    Demo(cmd::demo::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let g = &cli.global;
    let result = match &cli.command {
        Command::Decode(a) => cmd::decode::run(a, g),
        Command::Ingest(a) => cmd::ingest::run(a, g),
        Command::Segment(a) => cmd::segment::run(a, g),
        Command::Track(a) => cmd::track::run(a, g),
        Command::Vessel(a) => cmd::vessel::run(a, g),
        Command::Simulate(a) => cmd::simulate::run(a, g),
        Command::Detect(a) => cmd::detect::run(a, g),
        Command::Events(a) => cmd::events::run(a, g),
        Command::Lists(a) => cmd::lists::run(a, g),
        Command::Screen(a) => cmd::screen::run(a, g),
        Command::Chain(a) => cmd::chain::run(a, g),
        Command::Trace(a) => cmd::trace::run(a, g),
        Command::Exposure(a) => cmd::exposure::run(a, g),
        Command::Findings(a) => cmd::findings::run(a, g),
        Command::Cap(a) => cmd::cap::run(a, g),
        Command::Trade(a) => cmd::trade::run(a, g),
        Command::Run(a) => cmd::run::run(a, g),
        Command::Demo(a) => cmd::demo::run(a, g),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("embargo: error: {e:#}");
            cmd::exit::failure_code(&e)
        }
    }
}
