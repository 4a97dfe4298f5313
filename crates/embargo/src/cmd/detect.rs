//! `embargo detect`: run every event detector over the store's segments and write the `events` table.

use super::exit::InputError;
use super::Global;
use anyhow::Context as _;
use maritime::detect::{self, Context, DetectConfig, PortList};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo detect`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  embargo detect --store store/ --zones ../shared/data/dprk/kp_maritime_boundary_osm_1000m.geojson --geojson events.geojson"
)]
pub struct Args {
    /// The store directory (with a `segments` table from `embargo segment`).
    #[arg(long)]
    pub store: PathBuf,
    /// Extra zones (GeoJSON polygons), e.g. DPRK waters; repeatable. The STS hotspots are built in.
    #[arg(long)]
    pub zones: Vec<PathBuf>,
    /// Extra ports or anchorages (CSV with name, lat, lon[, country, kind, confidence]); repeatable.
    #[arg(long)]
    pub ports: Vec<PathBuf>,
    /// Detector thresholds as JSON (any subset of the `DetectConfig` fields; defaults for the rest).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Also write the events as GeoJSON to this file.
    #[arg(long)]
    pub geojson: Option<PathBuf>,
}

/// Runs `embargo detect`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let cfg: DetectConfig = match &args.config {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| p.display().to_string())?;
            serde_json::from_str(&text).map_err(|e| InputError(format!("{}: {e}", p.display())))?
        }
        None => DetectConfig::default(),
    };
    let mut ctx = Context::default_region();
    for z in &args.zones {
        let text = std::fs::read_to_string(z).with_context(|| z.display().to_string())?;
        ctx.add_zones_geojson(&z.display().to_string(), &text)
            .map_err(|e| InputError(e.to_string()))?;
    }
    for p in &args.ports {
        let text = std::fs::read_to_string(p).with_context(|| p.display().to_string())?;
        let more = PortList::from_csv_str(&p.display().to_string(), &text)
            .map_err(|e| InputError(e.to_string()))?;
        ctx.ports.extend(more.ports().iter().cloned());
    }
    if !args.store.is_dir() {
        return Err(
            InputError(format!("{}: no such store directory", args.store.display())).into(),
        );
    }
    let segments = maritime::tracks::load_segments(&args.store)
        .map_err(|e| InputError(format!("{}: reading segments: {e}", args.store.display())))?;
    let positions: usize = segments.iter().map(|s| s.points.len()).sum();
    // Identity histories from `embargo segment` (the `vessels` table); none is not an error.
    let histories = maritime::identity::load_vessels(&args.store).unwrap_or_default();
    let events = detect::run_with_histories(&segments, &histories, &cfg, &mut ctx);
    detect::table::write_events(&args.store, &events)?;
    if let Some(g) = &args.geojson {
        let text = serde_json::to_string(&detect::table::events_geojson(&events))?;
        std::fs::write(g, text).with_context(|| g.display().to_string())?;
    }
    let mut by_kind: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for e in &events {
        *by_kind
            .entry(e.kind.as_str().to_string())
            .or_default()
            .entry(e.grade.clone().unwrap_or_else(|| "-".into()))
            .or_default() += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    if global.json {
        println!(
            "{}",
            serde_json::json!({
                "store": args.store, "segments": segments.len(), "positions": positions,
                "events": events.len(), "by_kind": by_kind, "seconds": secs,
            })
        );
    } else if !global.quiet {
        println!(
            "{} segments, {} positions -> {} events in {:.1} s (table {}/events)",
            segments.len(),
            positions,
            events.len(),
            secs,
            args.store.display()
        );
        for (k, grades) in &by_kind {
            let g: Vec<String> = grades.iter().map(|(g, n)| format!("{g}: {n}")).collect();
            println!(
                "  {k:<20} {:>6}   ({})",
                grades.values().sum::<usize>(),
                g.join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
