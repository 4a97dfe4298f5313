//! `embargo simulate`: AIS traffic with scripted evasion and ground truth.

use super::exit::{InputError, OK};
use super::Global;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo simulate`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  embargo simulate --scenario scenarios/dprk.toml --out sim-out\n  embargo simulate --scenario small --out /tmp/s --seed 7 --format csv\n\nWrites OUT/ais.nmea (or OUT/ais.csv) and OUT/truth.json. Bundled scenarios: dprk, small, scale."
)]
pub struct Args {
    /// Scenario TOML file, or the name of a bundled scenario (dprk, small, scale).
    #[arg(long)]
    pub scenario: String,
    /// Output directory (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output format: nmea (tag-block NMEA) or csv (NOAA MarineCadastre columns).
    #[arg(long, default_value = "nmea", value_parser = ["nmea", "csv"])]
    pub format: String,
    /// Simulate only the first H hours of the scenario (partial runs for benchmarks).
    #[arg(long, value_name = "H")]
    pub hours: Option<f64>,
}

/// Runs `embargo simulate`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let (scenario, base) =
        sim::load_scenario(&args.scenario).map_err(|e| InputError(e.to_string()))?;
    std::fs::create_dir_all(&args.out)?;
    let format = if args.format == "csv" {
        sim::Format::Csv
    } else {
        sim::Format::Nmea
    };
    let file = args.out.join(if format == sim::Format::Csv {
        "ais.csv"
    } else {
        "ais.nmea"
    });
    let out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&file)?);
    let opts = sim::Options {
        seed: args.seed,
        format,
        limit_hours: args.hours,
    };
    let started = std::time::Instant::now();
    let (truth, summary) =
        sim::simulate(&scenario, base.as_deref(), &opts, out).map_err(|e| match e {
            sim::SimError::Scenario(m) => anyhow::Error::new(InputError(m)),
            other => anyhow::Error::new(other),
        })?;
    let secs = started.elapsed().as_secs_f64();
    let truth_path = args.out.join("truth.json");
    let tf = BufWriter::new(std::fs::File::create(&truth_path)?);
    serde_json::to_writer_pretty(tf, &truth)?;
    if global.json {
        let mut v = serde_json::to_value(&summary)?;
        v["seconds"] = serde_json::json!(secs);
        v["output"] = serde_json::json!(file.display().to_string());
        v["truth"] = serde_json::json!(truth_path.display().to_string());
        println!("{v}");
    } else if !global.quiet {
        println!(
            "{}: {} ships, {:.0} h, {} truth events\n{} messages delivered ({} positions) in {} lines to {}\nsent {} positions + {} static reports; unheard {}; duplicates {}, reordered {}, corrupted {}, coverage gaps {}\n{:.1} s ({:.0} messages/s); truth in {}",
            summary.scenario,
            summary.ships,
            summary.hours,
            summary.truth_events,
            summary.messages,
            summary.positions,
            summary.lines,
            file.display(),
            summary.positions_sent,
            summary.statics_sent,
            summary.unheard,
            summary.duplicates,
            summary.reordered,
            summary.corrupted,
            summary.coverage_gaps,
            secs,
            summary.messages as f64 / secs.max(1e-9),
            truth_path.display()
        );
    }
    Ok(ExitCode::from(OK))
}
