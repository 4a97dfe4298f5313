//! `embargo segment`: build the `segments` and `vessels` tables from a store's positions and
//! static reports.

use super::exit::InputError;
use super::Global;
use anyhow::Context as _;
use maritime::tracks::{segment_store, StoreRunOptions, TrackConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo segment`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  embargo segment --store store/\n  embargo segment --store store/ --config tracks.json --json\n\nThe config file is JSON with any subset of the TrackConfig fields (max_gap_hours, max_knots,\nmax_implied_knots, position_noise_m, ...); see docs/accuracy.md, section Segmentation."
)]
pub struct Args {
    /// The store directory (with `positions` and `static_reports` tables from `embargo ingest`).
    #[arg(long)]
    pub store: PathBuf,
    /// Segmentation parameters as JSON (any subset of the fields; defaults for the rest).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Number of MMSI-hashed partitions spilled to disk (bounds memory; default 256).
    #[arg(long, default_value_t = 256)]
    pub partitions: usize,
}

/// Runs `embargo segment`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    if !args.store.is_dir() {
        return Err(
            InputError(format!("{}: no such store directory", args.store.display())).into(),
        );
    }
    let cfg: TrackConfig = match &args.config {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| p.display().to_string())?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| InputError(format!("{}: {e}", p.display())))?;
            let mut base = serde_json::to_value(TrackConfig::default())?;
            if let (Some(b), Some(o)) = (base.as_object_mut(), value.as_object()) {
                for (k, v) in o {
                    if !b.contains_key(k) {
                        return Err(InputError(format!(
                            "{}: unknown segmentation parameter `{k}`",
                            p.display()
                        ))
                        .into());
                    }
                    b.insert(k.clone(), v.clone());
                }
            }
            serde_json::from_value(base).map_err(|e| InputError(format!("{}: {e}", p.display())))?
        }
        None => TrackConfig::default(),
    };
    let opts = StoreRunOptions {
        partitions: args.partitions.max(1),
        spill_dir: None,
    };
    let summary = segment_store(&args.store, &cfg, &opts)
        .map_err(|e| InputError(format!("{}: {e}", args.store.display())))?;
    let secs = started.elapsed().as_secs_f64();
    if global.json {
        println!(
            "{}",
            serde_json::json!({"summary": summary, "config": cfg, "seconds": secs})
        );
    } else if !global.quiet {
        let s = &summary.stats;
        println!(
            "segmented {} positions of {} MMSIs into {} segments in {:.1} s",
            s.positions, s.mmsis, s.segments, secs
        );
        println!(
            "  placed {} · duplicates dropped {} · without time {} · out of order {}",
            s.placed, s.duplicates, s.no_time, s.out_of_order
        );
        println!(
            "  flagged: implied speed {} · null island {} · not available {} · outlier {} · coarse type 27 {}",
            s.flagged_implied_speed,
            s.flagged_null_island,
            s.flagged_not_available,
            s.flagged_outlier,
            s.flagged_coarse
        );
        println!(
            "  vessels {} from {} static reports ({} without time)",
            summary.vessels, summary.static_reports, summary.static_no_time
        );
        println!(
            "  wrote {}/segments ({} rows) and {}/vessels",
            args.store.display(),
            summary.segment_rows,
            args.store.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
