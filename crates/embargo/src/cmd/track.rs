//! `embargo track`: write one vessel's segments (and flagged points) as GeoJSON or CSV.

use super::exit::InputError;
use super::Global;
use anyhow::Context as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo track`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  embargo track 416000000 --store store/ --geojson --out 416000000.geojson\n  embargo track 445123456 --store store/ --csv > track.csv\n\nGeoJSON: one LineString per segment (usable points) and one Point per flagged point with its\n`flag` reason (implied_speed, null_island, not_available, outlier, coarse_long_range); opens in QGIS."
)]
pub struct Args {
    /// The MMSI.
    pub mmsi: u32,
    /// The store directory (with a `segments` table from `embargo segment`).
    #[arg(long)]
    pub store: PathBuf,
    /// Write GeoJSON (the default).
    #[arg(long, conflicts_with = "csv")]
    pub geojson: bool,
    /// Write CSV, one row per point.
    #[arg(long)]
    pub csv: bool,
    /// Output file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs `embargo track`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    if !args.store.is_dir() {
        return Err(
            InputError(format!("{}: no such store directory", args.store.display())).into(),
        );
    }
    let segments = maritime::tracks::load_segments_for(&args.store, args.mmsi)
        .map_err(|e| InputError(format!("{}: {e}", args.store.display())))?;
    if segments.is_empty() {
        return Err(InputError(format!(
            "MMSI {} has no segments in {} (run `embargo segment --store {}` first?)",
            args.mmsi,
            args.store.display(),
            args.store.display()
        ))
        .into());
    }
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| p.display().to_string())?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let written = if args.csv {
        maritime::tracks::write_csv(&segments, &mut out)
    } else {
        maritime::tracks::write_geojson(&segments, &mut out)
    }
    .and_then(|()| out.flush());
    match written {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        other => other?,
    }
    if let Some(p) = &args.out {
        if !global.quiet && !global.json {
            let points: usize = segments.iter().map(|s| s.points.len()).sum();
            let flagged: usize = segments
                .iter()
                .map(|s| s.points.iter().filter(|p| p.flag.is_some()).count())
                .sum();
            eprintln!(
                "wrote {} segments ({points} points, {flagged} flagged) of MMSI {} to {}",
                segments.len(),
                args.mmsi,
                p.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
