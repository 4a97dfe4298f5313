//! Segmentation throughput on ≥ 10 M positions built from the real GFW regression set.
//!
//! ```text
//! cargo run --release -p maritime --example track_bench -- [MILLIONS] [--threads N] [--batch]
//! ```
//! The 72,678 real positions (56 MMSIs, 9 days) are repeated as many times as needed, each copy
//! under new MMSIs with positions jittered by up to ±0.00005° and times shifted, and streamed
//! through [`segment_sorted`] copy after copy, so the input is never materialised: peak memory is
//! the base set plus the open segments (measure with `/usr/bin/time -v`). Segments go to a sink
//! that counts them and drops them, as a writer would after writing. `--threads N` runs N streams
//! in parallel (copies split between them). `--batch` instead materialises all positions and runs
//! the in-memory [`segment_fixes`] (sort + parallel segmentation), whose memory grows with input.

use std::path::PathBuf;
use std::time::Instant;

use maritime::tracks::{segment_fixes, segment_sorted, Fix, SegmentStats, TrackConfig};
use rayon::prelude::*;

fn base_fixes() -> Vec<Fix> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ais/tracks/gfw-gpsdio-segment-regr");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            eprintln!("{}: {e} (../shared absent?)", dir.display());
            std::process::exit(2)
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    files.sort();
    let mut fixes = Vec::new();
    for p in &files {
        match ingest::gfw::read_gfw_file(p, 0) {
            Ok(f) => fixes.extend(f.positions().filter_map(Fix::from_row)),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(3);
            }
        }
    }
    fixes.sort_by_key(|f| (f.mmsi, f.time_ms));
    fixes
}

/// Copy `k` of the base set: new MMSIs, shifted time, positions offset by a per-copy jitter of up
/// to ±0.00005° (so repeated receptions stay duplicates, as in real feeds).
fn copy_of(base: &[Fix], k: u64) -> impl Iterator<Item = Fix> + '_ {
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ k.wrapping_mul(0xD1B5_4A32_D192_ED03);
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    let j1 = ((state & 0xFFFF) as f64 / 65535.0 - 0.5) * 1e-4;
    let j2 = (((state >> 16) & 0xFFFF) as f64 / 65535.0 - 0.5) * 1e-4;
    base.iter().map(move |f| Fix {
        mmsi: f.mmsi.wrapping_add((k as u32).wrapping_mul(1_000_003)),
        time_ms: f.time_ms + k as i64 * 86_400_000,
        lat: f.lat + j1,
        lon: f.lon + j2,
        ..*f
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let millions: f64 = args
        .iter()
        .find(|a| a.parse::<f64>().is_ok())
        .and_then(|a| a.parse().ok())
        .unwrap_or(10.0);
    let threads: usize = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let batch = args.iter().any(|a| a == "--batch");
    let base = base_fixes();
    let copies = ((millions * 1e6) / base.len() as f64).ceil() as u64;
    let total = copies * base.len() as u64;
    let cfg = TrackConfig::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(4)
        });
    let started = Instant::now();
    let (stats, segments) = if batch {
        let all: Vec<Fix> = (0..copies).flat_map(|k| copy_of(&base, k)).collect();
        let built = started.elapsed().as_secs_f64();
        let t = Instant::now();
        let (segs, stats) = pool.install(|| segment_fixes(all, &cfg));
        eprintln!(
            "built input in {built:.2} s; sort + segment {:.2} s",
            t.elapsed().as_secs_f64()
        );
        let n = segs.len() as u64;
        (stats, n)
    } else {
        let chunks: Vec<(u64, u64)> = (0..threads as u64)
            .map(|t| {
                (
                    copies * t / threads as u64,
                    copies * (t + 1) / threads as u64,
                )
            })
            .collect();
        let parts: Vec<(SegmentStats, u64)> = pool.install(|| {
            chunks
                .par_iter()
                .map(|&(a, b)| {
                    let mut segments = 0u64;
                    let stream = (a..b).flat_map(|k| copy_of(&base, k));
                    let stats = segment_sorted(stream, &cfg, |s| {
                        segments += 1;
                        std::hint::black_box(s);
                    });
                    (stats, segments)
                })
                .collect()
        });
        let mut stats = SegmentStats::default();
        let mut segments = 0;
        for (s, n) in parts {
            stats.add(&s);
            segments += n;
        }
        (stats, segments)
    };
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(stats.positions, total);
    println!(
        "{} positions ({} copies of {} real), {} thread(s), {}: {:.2} s = {:.2} M positions/s ({:.2} M/s/thread); {} segments, {} duplicates, {} flagged",
        total,
        copies,
        base.len(),
        threads,
        if batch { "in-memory batch (sort + segment)" } else { "streaming" },
        secs,
        total as f64 / secs / 1e6,
        total as f64 / secs / 1e6 / threads as f64,
        segments,
        stats.duplicates,
        stats.flagged_implied_speed
            + stats.flagged_null_island
            + stats.flagged_not_available
            + stats.flagged_outlier
            + stats.flagged_coarse
    );
}
