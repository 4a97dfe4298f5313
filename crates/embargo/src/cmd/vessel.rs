//! `embargo vessel`: print the identity history of a vessel found by MMSI, IMO or name.

use super::exit::InputError;
use super::Global;
use maritime::identity::{find_vessels, imo_is_valid, load_vessels, VesselHistory, FIELDS};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo vessel`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  embargo vessel 445123456 --store store/\n  embargo vessel 9074729 --store store/          (an IMO number: 7 digits)\n  embargo vessel \"RYE SONG\" --store store/ --json (a name: case-insensitive substring)"
)]
pub struct Args {
    /// MMSI (up to 9 digits), IMO number (7 digits) or part of a name.
    pub query: String,
    /// The store directory (with a `vessels` table from `embargo segment`).
    #[arg(long)]
    pub store: PathBuf,
}

/// Runs `embargo vessel`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    if !args.store.is_dir() {
        return Err(
            InputError(format!("{}: no such store directory", args.store.display())).into(),
        );
    }
    let histories = load_vessels(&args.store)
        .map_err(|e| InputError(format!("{}: {e}", args.store.display())))?;
    let found = find_vessels(&histories, &args.query);
    if global.json {
        println!("{}", serde_json::to_string_pretty(&found)?);
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        if !global.quiet {
            println!(
                "no vessel matches `{}` ({} vessels in {})",
                args.query,
                histories.len(),
                args.store.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    for h in found {
        print_history(h);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_history(h: &VesselHistory) {
    let problem = h
        .mmsi_problem
        .map(|p| format!("  [MMSI {}]", p.as_str()))
        .unwrap_or_default();
    println!(
        "MMSI {:09}  flag {}{problem}",
        h.mmsi,
        h.flag.as_deref().unwrap_or("?")
    );
    for field in FIELDS {
        let Some(runs) = h.fields.get(field) else {
            continue;
        };
        // One line per distinct value (first seen order); the table keeps every run.
        let mut values: Vec<(&str, i64, i64, u32, usize)> = Vec::new();
        for r in runs {
            match values.iter_mut().find(|v| v.0 == r.value) {
                Some(v) => {
                    v.1 = v.1.min(r.first_ms);
                    v.2 = v.2.max(r.last_ms);
                    v.3 += r.count;
                    v.4 += 1;
                }
                None => values.push((&r.value, r.first_ms, r.last_ms, r.count, 1)),
            }
        }
        for (value, first, last, count, nruns) in values {
            let mut note = String::new();
            if field == "imo" && value.parse().map(imo_is_valid) == Ok(false) {
                note.push_str("  INVALID CHECK DIGIT");
            }
            if nruns > 1 {
                note.push_str(&format!("  (alternates: {nruns} runs)"));
            }
            println!(
                "  {field:<12} {value:<24} {} .. {}  ({count} reports){note}",
                day(first),
                day(last),
            );
        }
    }
    for r in &h.draught {
        println!(
            "  {:<12} {:<24} {} .. {}  ({} reports)",
            "draught",
            format!("{} m", r.value),
            day(r.first_ms),
            day(r.last_ms),
            r.count
        );
    }
    println!();
}

/// UTC ms as `YYYY-MM-DD HH:MM`.
fn day(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let mins = ms.rem_euclid(86_400_000) / 60_000;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", mins / 60, mins % 60)
}
