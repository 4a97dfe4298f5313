//! Precision and recall of the detectors against a simulator run's ground truth.
//!
//! `cargo run --release -p maritime --example score_sim -- SIM_DIR STORE_DIR [--zones FILE.geojson ...]`
//!
//! SIM_DIR holds `truth.json` (from `embargo simulate`); STORE_DIR is the store into which
//! `embargo ingest` read the run's AIS. Segments come from the store's `segments` table when there
//! is one, else the positions are segmented here with the default track configuration. The
//! events are written to STORE_DIR's `events` table, and a Markdown table of scores is printed.
//! `scripts/accuracy-detectors.sh` runs the whole chain.

use maritime::detect::{self, score, Context, DetectConfig};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    if let Err(e) = run() {
        eprintln!("score_sim: {e}");
        std::process::exit(3);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(sim), Some(store)) = (args.first(), args.get(1)) else {
        return Err(
            "usage: score_sim SIM_DIR STORE_DIR [--zones FILE ...] [--config DETECT_CONFIG.json]"
                .into(),
        );
    };
    let (sim, store) = (PathBuf::from(sim), PathBuf::from(store));
    let mut ctx = Context::default_region();
    let mut cfg = DetectConfig::default();
    let mut it = args.iter().skip(2);
    while let Some(a) = it.next() {
        if a == "--config" {
            let f = it.next().ok_or("--config needs a file")?;
            cfg = serde_json::from_str(&std::fs::read_to_string(f)?)?;
        } else if a == "--zones" {
            let f = it.next().ok_or("--zones needs a file")?;
            ctx.add_zones_geojson(f, &std::fs::read_to_string(f)?)?;
        }
    }
    let truth_path = sim.join("truth.json");
    let truth: score::TruthFile = serde_json::from_str(
        &std::fs::read_to_string(&truth_path)
            .map_err(|e| format!("{}: {e}", truth_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", truth_path.display()))?;

    let t = Instant::now();
    let mut segments = maritime::tracks::load_segments(&store).unwrap_or_default();
    let source = if segments.is_empty() {
        let rows: Vec<_> = store::ais_tables::read_positions(&store)?.collect::<Result<_, _>>()?;
        segments = maritime::tracks::segment_rows(&rows, &Default::default()).0;
        "positions segmented here"
    } else {
        "segments table"
    };
    let positions: usize = segments.iter().map(|s| s.points.len()).sum();
    eprintln!(
        "{} segments ({source}), {positions} points, {:.1} s",
        segments.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let histories = match maritime::identity::load_vessels(&store) {
        Ok(h) if !h.is_empty() => h,
        _ => {
            let rows: Vec<_> =
                store::ais_tables::read_static_reports(&store)?.collect::<Result<_, _>>()?;
            maritime::identity::build_histories(rows.iter()).0
        }
    };
    let events = detect::run_with_histories(&segments, &histories, &cfg, &mut ctx);
    eprintln!(
        "{} events in {:.1} s",
        events.len(),
        t.elapsed().as_secs_f64()
    );
    detect::table::write_events(&store, &events)?;

    let slack_ms = 3_600_000;
    let scores = score::score(
        &events,
        &truth.events,
        &score::ScoreSpec::defaults(),
        slack_ms,
    );
    println!(
        "Scenario `{}`: {} truth events ({} benign), {} detected events; match = same vessels and time overlap (±1 h).\n",
        truth.scenario,
        truth.events.len(),
        truth.events.iter().filter(|t| t.benign).count(),
        events.len()
    );
    print!("{}", score::markdown(&scores));
    println!();
    for s in &scores {
        if !s.missed_scripts.is_empty() || !s.benign_scripts.is_empty() {
            println!(
                "- {}: missed {:?}; benign look-alikes reported {:?}",
                s.label, s.missed_scripts, s.benign_scripts
            );
        }
    }
    let benign_sts = score::benign_reported_as(&events, &truth.events, "sts", slack_ms);
    let benign_enc = score::benign_reported_as(&events, &truth.events, "encounter", slack_ms);
    println!("- benign look-alikes reported as grade `sts`: {benign_sts:?}");
    println!("- benign look-alikes reported as grade `encounter`: {benign_enc:?}");
    Ok(())
}
