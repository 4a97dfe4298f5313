//! `embargo events`: query the `events` table written by `embargo detect`.

use super::exit::InputError;
use super::Global;
use maritime::detect::table::{self, EventFilter};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo events`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  embargo events --store store/ --kind encounter --vessel 445123000 --since 2025-01-01 --geojson > meetings.geojson"
)]
pub struct Args {
    /// The store directory.
    #[arg(long)]
    pub store: PathBuf,
    /// Only this kind (encounter, dark_rendezvous, loitering, gap, port_visit, zone_visit, teleport,
    /// impossible_position, circle_spoof, mmsi_collision, identity_change, draught_change); repeatable.
    #[arg(long)]
    pub kind: Vec<String>,
    /// Only events involving this MMSI.
    #[arg(long)]
    pub vessel: Option<u32>,
    /// Only events ending at or after this UTC time (YYYY-MM-DD[THH:MM[:SS]] or epoch ms).
    #[arg(long)]
    pub since: Option<String>,
    /// Only events starting before this UTC time.
    #[arg(long)]
    pub until: Option<String>,
    /// Only this grade (e.g. sts, intentional, c4).
    #[arg(long)]
    pub grade: Option<String>,
    /// Print GeoJSON (points plus evidence lines) instead of a table.
    #[arg(long)]
    pub geojson: bool,
}

fn time(s: &Option<String>, what: &str) -> anyhow::Result<Option<i64>> {
    match s {
        None => Ok(None),
        Some(s) => table::parse_utc_ms(s)
            .map(Some)
            .ok_or_else(|| InputError(format!("--{what} {s:?}: not a date/time")).into()),
    }
}

/// Runs `embargo events`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let kinds = args
        .kind
        .iter()
        .map(|k| {
            table::parse_kind(k)
                .ok_or_else(|| InputError(format!("--kind {k:?}: unknown event kind")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let filter = EventFilter {
        kinds,
        vessel: args.vessel,
        since_ms: time(&args.since, "since")?,
        until_ms: time(&args.until, "until")?,
        grade: args.grade.clone(),
    };
    if !args.store.is_dir() {
        return Err(
            InputError(format!("{}: no such store directory", args.store.display())).into(),
        );
    }
    let events: Vec<_> = table::read_events(&args.store)
        .map_err(|e| InputError(e.to_string()))?
        .into_iter()
        .filter(|e| filter.matches(e))
        .collect();
    if args.geojson {
        println!(
            "{}",
            serde_json::to_string(&table::events_geojson(&events))?
        );
    } else if global.json {
        println!("{}", serde_json::to_string(&events)?);
    } else {
        println!(
            "{:<17} {:<14} {:<21} {:<21} {:>7} {:>9} {:>10}  vessels / place",
            "kind", "grade", "start", "end", "hours", "lat", "lon"
        );
        for e in &events {
            let kind = e.kind.as_str();
            let v: Vec<String> = e.vessels.iter().map(u32::to_string).collect();
            let place = e
                .attributes
                .get("port")
                .or_else(|| e.attributes.get("zone"))
                .or_else(|| e.attributes.get("nearest_port"))
                .cloned()
                .unwrap_or_default();
            println!(
                "{:<17} {:<14} {:<21} {:<21} {:>7.1} {:>9.4} {:>10.4}  {} {}",
                kind,
                e.grade.as_deref().unwrap_or("-"),
                table::format_utc(e.start_ms),
                table::format_utc(e.end_ms),
                (e.end_ms - e.start_ms) as f64 / 3.6e6,
                e.lat,
                e.lon,
                v.join(","),
                place
            );
        }
        if !global.quiet {
            eprintln!("{} events", events.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}
