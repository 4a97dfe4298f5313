//! `embargo trade check`: flag trade records that fall under the regime's bans and caps.

use super::exit::{InputError, FOUND};
use super::{emit, Global};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo trade`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  embargo trade check shipments.csv --json")]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: TradeCommand,
}

/// `embargo trade` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum TradeCommand {
    /// Check shipments against the bans (exit code 1 when a violation is found).
    Check(CheckArgs),
}

/// Arguments of `embargo trade check`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  embargo trade check shipments.csv
  embargo trade check shipments.csv --json > flags.json

Columns (by header): exporter, importer, origin, destination, hs_code, quantity, [unit], value, vessel, [date], [exporter_country], [importer_country].

Status: violation = banned, or over a cap; review = possible KP-for-KR keying error, or a capped good whose quantity cannot be converted; notice = capped good within the cap.

Exit code 1 when any violation is found.")]
pub struct CheckArgs {
    /// The shipments CSV.
    pub file: PathBuf,
    /// The regime: `dprk` (built in) or a regime TOML file.
    #[arg(long, default_value = "dprk")]
    pub regime: String,
}

/// Runs `embargo trade`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut o = String::new();
    let TradeCommand::Check(a) = &args.command;
    let regime =
        regime::Regime::by_name_or_path(&a.regime).map_err(|e| InputError(e.to_string()))?;
    let report =
        regime::trade::check_file(&regime, &a.file).map_err(|e| InputError(e.to_string()))?;
    let violations = report.count(regime::trade::Status::Violation);
    if global.json {
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(&report)?);
    } else {
        for f in &report.flags {
            let _ = writeln!(
                o,
                "line {:>5}  {:<9}  HS {:<12} {}",
                f.line,
                format!("{:?}", f.status).to_lowercase(),
                f.hs_code,
                f.reason
            );
        }
        for (line, why) in &report.skipped {
            eprintln!("skipped line {line}: {why}");
        }
        if !global.quiet {
            let _ = writeln!(
                o,
                "{} rows: {} violations, {} for review, {} notices, {} skipped",
                report.rows,
                violations,
                report.count(regime::trade::Status::Review),
                report.count(regime::trade::Status::Notice),
                report.skipped.len()
            );
        }
    }
    emit(&o)?;
    Ok(if violations > 0 {
        ExitCode::from(FOUND)
    } else {
        ExitCode::SUCCESS
    })
}
