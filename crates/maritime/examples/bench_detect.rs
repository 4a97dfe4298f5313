//! Throughput of the detectors on synthetic traffic.
//!
//! `cargo run --release -p maritime --example bench_detect -- [POSITIONS_MILLIONS ...]`
//! (default 1 4 16). For each size: vessels sail random legs at 0–14 kn in the Yellow Sea with a
//! fix every 30 s, one vessel in 25 meets a partner and drifts alongside for 4 h, and the area
//! grows with the fleet so the density stays constant. Prints the time of the encounter detector
//! and of all detectors, and positions per second. Set `RAYON_NUM_THREADS=1` for one core.

use maritime::detect::{self, Context, DetectConfig};
use maritime::tracks::{Segment, TrackPoint};
use spatial::{destination, LonLat};
use std::time::Instant;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

const T0: i64 = 1_735_689_600_000;
const STEP_MS: i64 = 30_000;
const HOURS: i64 = 48;

fn synth(positions: usize, seed: u64) -> Vec<Segment> {
    let per_vessel = (HOURS * 3_600_000 / STEP_MS) as usize;
    let vessels = positions.div_ceil(per_vessel);
    let mut rng = Lcg(seed);
    // About one vessel per 20 km × 20 km, in a square centred in the Yellow Sea.
    let side_m = (vessels as f64).sqrt() * 20_000.0;
    let origin = LonLat::new(123.0, 35.0);
    let mut out = Vec::with_capacity(vessels);
    let mut meet_at: Option<LonLat> = None;
    for v in 0..vessels {
        let mmsi = 200_000_000 + v as u32;
        let mut p = destination(
            destination(origin, 90.0, rng.next() * side_m),
            0.0,
            rng.next() * side_m,
        );
        let mut points = Vec::with_capacity(per_vessel);
        let partner = v % 25 == 0 || v % 25 == 1;
        if v % 25 == 0 {
            meet_at = Some(p);
        }
        let (mut course, mut knots) = (rng.next() * 360.0, rng.next() * 14.0);
        for i in 0..per_vessel {
            let t = T0 + i as i64 * STEP_MS;
            let alongside = partner && (20 * 120..24 * 120).contains(&i);
            let pos = if alongside {
                let m = meet_at.unwrap_or(p);
                destination(m, 90.0, if v % 25 == 0 { 0.0 } else { 80.0 })
            } else {
                if i % 240 == 0 {
                    course = rng.next() * 360.0;
                    knots = rng.next() * 14.0;
                }
                p = destination(p, course, knots * 1852.0 * STEP_MS as f64 / 3_600_000.0);
                p
            };
            points.push(TrackPoint {
                time_ms: t,
                lat: pos.lat,
                lon: pos.lon,
                sog: Some(if alongside { 0.2 } else { knots as f32 }),
                cog: Some(course as f32),
                heading: None,
                nav_status: None,
                flag: None,
            });
        }
        out.push(Segment {
            id: format!("{mmsi}-{T0}-0"),
            mmsi,
            points,
        });
    }
    out
}

fn main() {
    let sizes: Vec<f64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1.0, 4.0, 16.0]
    } else {
        sizes
    };
    let ctx = Context::default_region();
    let cfg = DetectConfig::default();
    println!(
        "threads={} (RAYON_NUM_THREADS)",
        rayon::current_num_threads()
    );
    println!("| positions | vessels | encounter s | encounter Mpos/s | all detectors s | all Mpos/s | events | encounters |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in sizes {
        let segs = synth((m * 1e6) as usize, 42);
        let n: usize = segs.iter().map(|s| s.points.len()).sum();
        let t = Instant::now();
        let enc = detect::encounter::detect_encounters(&segs, &cfg.encounter, &ctx);
        let t_enc = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let all = detect::run_all(&segs, &[], &cfg, &ctx);
        let t_all = t.elapsed().as_secs_f64();
        if std::env::var_os("BENCH_DETAIL").is_some() {
            let time = |name: &str, f: &dyn Fn() -> usize| {
                let t = Instant::now();
                let k = f();
                eprintln!("  {name}: {:.3} s, {k} events", t.elapsed().as_secs_f64());
            };
            time("gaps", &|| {
                detect::gap::detect_gaps(&segs, &cfg.gap, &ctx).len()
            });
            time("loitering", &|| {
                detect::loitering::detect_loitering(&segs, &cfg.loitering, &ctx).len()
            });
            time("port visits", &|| {
                detect::port_visit::detect_port_visits(&segs, &cfg.port_visit, &ctx).len()
            });
            time("zones", &|| {
                detect::zone::detect_zone_visits(&segs, &cfg.zone, &ctx).len()
            });
            time("spoofing", &|| {
                detect::spoof::detect_spoofing(&segs, &cfg.spoof, &ctx).len()
            });
            let mut kinds = std::collections::BTreeMap::new();
            for e in &all {
                *kinds
                    .entry(format!(
                        "{:?}/{}",
                        e.kind,
                        e.grade.as_deref().unwrap_or("-")
                    ))
                    .or_insert(0) += 1;
            }
            eprintln!("  {kinds:?}");
        }
        println!(
            "| {n} | {} | {t_enc:.2} | {:.1} | {t_all:.2} | {:.1} | {} | {} |",
            segs.len(),
            n as f64 / t_enc / 1e6,
            n as f64 / t_all / 1e6,
            all.len(),
            enc.len()
        );
    }
}
