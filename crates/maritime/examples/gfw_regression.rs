//! Pairwise agreement of our segmentation with Global Fishing Watch's on their regression set.
//!
//! ```text
//! cargo run --release -p maritime --example gfw_regression [-- DIR] [--verbose]
//! ```
//! DIR defaults to `../shared/data/ais/tracks/gfw-gpsdio-segment-regr` next to the repository.
//! Prints one line per file and the totals; `--json` prints the totals as JSON.

use std::path::PathBuf;

use maritime::tracks::eval::{assign_segments, compare_with_reference, PairCounts};
use maritime::tracks::{Fix, SegmentStats, TrackConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let json = args.iter().any(|a| a == "--json");
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--") && a.contains('/'))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/ais/tracks/gfw-gpsdio-segment-regr")
        });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "no GFW regression set at {}; nothing to evaluate",
            dir.display()
        );
        std::process::exit(2);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    let cfg = TrackConfig::default();
    let mut total = PairCounts::default();
    let mut stats = SegmentStats::default();
    let mut rejects = 0usize;
    let mut unlabelled = 0usize;
    let mut per_file: Vec<(f64, f64)> = Vec::new();
    let started = std::time::Instant::now();
    for (i, path) in files.iter().enumerate() {
        let file = match ingest::gfw::read_gfw_file(path, i as u32) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(3);
            }
        };
        rejects += file.rejects.len();
        let mut fixes = Vec::new();
        let mut labels = Vec::new();
        for rec in &file.records {
            if let Some(fix) = rec.position().and_then(Fix::from_row) {
                if rec.expected.is_none() {
                    unlabelled += 1;
                }
                fixes.push(fix);
                labels.push(rec.expected.clone());
            }
        }
        let (ours, st) = assign_segments(&fixes, &cfg);
        let c = compare_with_reference(&ours, &labels);
        stats.add(&st);
        total.add(&c);
        if c.positions >= 2 {
            per_file.push((c.precision(), c.recall()));
        }
        if !json {
            println!(
                "{:<28} pos {:>6}  P {:.4}  R {:.4}  segs ours {:>5} gfw {:>5}  dup {:>4} flag {:>4}",
                path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                c.positions,
                c.precision(),
                c.recall(),
                c.our_segments,
                c.reference_segments,
                st.duplicates,
                st.flagged_implied_speed
                    + st.flagged_null_island
                    + st.flagged_not_available
                    + st.flagged_outlier
                    + st.flagged_coarse,
            );
        }
        if verbose {
            explain(&fixes, &ours, &labels);
        }
        if let Some(pos) = args.iter().position(|a| a == "--dump") {
            let want = args.get(pos + 1).map(String::as_str).unwrap_or("");
            if path.to_string_lossy().contains(want) {
                let (segs, _) = maritime::tracks::segment_fixes(fixes.clone(), &cfg);
                for s in &segs {
                    println!("  {} {} points", s.id, s.points.len());
                    for p in &s.points {
                        println!(
                            "    {} {:.4} {:.4} {:?} {:?} {:?}",
                            p.time_ms, p.lat, p.lon, p.sog, p.cog, p.flag
                        );
                    }
                }
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n = per_file.len().max(1) as f64;
    let macro_p = per_file.iter().map(|x| x.0).sum::<f64>() / n;
    let macro_r = per_file.iter().map(|x| x.1).sum::<f64>() / n;
    let min_p = per_file.iter().map(|x| x.0).fold(1.0, f64::min);
    let min_r = per_file.iter().map(|x| x.1).fold(1.0, f64::min);
    if json {
        println!(
            "{}",
            serde_json::json!({
                "files": files.len(),
                "labelled_positions": total.positions,
                "unlabelled_positions": unlabelled,
                "precision": total.precision(),
                "macro_precision": macro_p,
                "macro_recall": macro_r,
                "min_file_precision": min_p,
                "min_file_recall": min_r,
                "recall": total.recall(),
                "pairs": {"both": total.same_both, "ours": total.same_ours, "reference": total.same_reference},
                "segments": {"ours": total.our_segments, "reference": total.reference_segments},
                "stats": stats,
                "rejected_lines": rejects,
                "seconds": elapsed,
            })
        );
    } else {
        println!(
            "TOTAL files {} labelled positions {} (unlabelled {}, rejected lines {})\n  precision {:.4}  recall {:.4}  (pairs both {} ours {} gfw {})\n  per-file mean precision {:.4} recall {:.4}; worst file precision {:.4} recall {:.4}\n  segments ours {} gfw {}\n  stats {:?}\n  {:.2} s",
            files.len(),
            total.positions,
            unlabelled,
            rejects,
            total.precision(),
            total.recall(),
            total.same_both,
            total.same_ours,
            total.same_reference,
            macro_p,
            macro_r,
            min_p,
            min_r,
            total.our_segments,
            total.reference_segments,
            stats,
            elapsed
        );
    }
}

/// Prints, for the biggest disagreements, which reference segments we split or merged.
fn explain(fixes: &[Fix], ours: &[Option<String>], labels: &[Option<String>]) {
    use std::collections::BTreeMap;
    let mut by_ref: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut by_ours: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for ((o, r), _f) in ours.iter().zip(labels).zip(fixes) {
        let Some(r) = r.as_deref() else { continue };
        let o = o.clone().unwrap_or_else(|| "FLAGGED".into());
        *by_ref.entry(r).or_default().entry(o.clone()).or_default() += 1;
        *by_ours.entry(o).or_default().entry(r).or_default() += 1;
    }
    for (r, parts) in &by_ref {
        if parts.len() > 1 {
            let total: usize = parts.values().sum();
            if total >= 20 {
                println!("    gfw {r} ({total}) split into {parts:?}");
            }
        }
    }
    for (o, parts) in &by_ours {
        if parts.len() > 1 && o != "FLAGGED" {
            let total: usize = parts.values().sum();
            if total >= 20 {
                println!("    ours {o} ({total}) merges {parts:?}");
            }
        }
    }
}
