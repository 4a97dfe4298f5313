//! Screening throughput against the full OFAC SDN (Advanced XML) and UN lists.
//!
//! `cargo run --release -p screen --example bench [-- --queries N]`
//!
//! Loads both lists with the `lists` parsers, builds the index (timed), then runs top-10 name
//! queries on one thread: UN persons with typos/reshuffles (yente "treated" positives) and
//! synthetic non-sanctioned persons (yente negatives), interleaved. Prints build time, p50/p99
//! latency and queries per second, and the load average at the start and end.

use screen::{Index, Query};
use std::path::PathBuf;
use std::time::Instant;

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// CPU time this thread has run, in ns (Linux schedstat), so contention from other processes on
/// a shared machine does not count as our latency.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn names(path: &PathBuf, max: usize) -> Vec<String> {
    let Ok(mut rdr) = csv::Reader::from_path(path) else {
        return Vec::new();
    };
    rdr.records()
        .flatten()
        .take(max)
        .map(|r| r[0].to_string())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n_queries: usize = args
        .iter()
        .position(|a| a == "--queries")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sanctions");
    if !data.is_dir() {
        println!("../shared/data/sanctions not found: nothing to benchmark");
        return;
    }
    println!("load average at start: {}", loadavg());
    let mut entities = Vec::new();
    for file in [
        "ofac/sdn-advanced-xml-2025-11-19/sdn_advanced.xml.bz2",
        "un/UN_consolidated_2026-02-27.xml",
    ] {
        let t = Instant::now();
        match lists::load_path(data.join(file)) {
            Ok(l) => {
                println!(
                    "loaded {file}: {} entities in {:.2} s",
                    l.entities.len(),
                    t.elapsed().as_secs_f64()
                );
                entities.extend(l.entities);
            }
            Err(e) => println!("could not load {file}: {e}"),
        }
    }
    let t = Instant::now();
    let index = Index::from_entities(entities);
    let build = t.elapsed().as_secs_f64();
    println!(
        "index: {} entities, {} names, built in {:.2} s",
        index.entities().len(),
        index.name_count(),
        build
    );
    let eval = data.join("eval/yente");
    let pos = names(&eval.join("positives_un_treated.csv"), usize::MAX);
    let neg = names(&eval.join("negatives_global.csv"), n_queries);
    let mut queries: Vec<String> = Vec::with_capacity(n_queries);
    let (mut i, mut j) = (0, 0);
    while queries.len() < n_queries && (!pos.is_empty() || !neg.is_empty()) {
        if !pos.is_empty() && queries.len() % 2 == 0 {
            queries.push(pos[i % pos.len()].clone());
            i += 1;
        } else if !neg.is_empty() {
            queries.push(neg[j % neg.len()].clone());
            j += 1;
        } else {
            queries.push(pos[i % pos.len()].clone());
            i += 1;
        }
    }
    // Warm-up.
    for q in queries.iter().take(500) {
        std::hint::black_box(index.search(&Query::name(q), 10));
    }
    let mut lat = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    let all = Instant::now();
    for q in &queries {
        let t = Instant::now();
        let r = index.search(&Query::name(q), 10);
        lat.push(t.elapsed().as_secs_f64() * 1e6);
        hits += usize::from(
            r.first()
                .is_some_and(|m| m.score >= screen::DEFAULT_THRESHOLD),
        );
    }
    let total = all.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let pct = |v: &[f64], p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)];
    println!(
        "wall clock: {} top-10 name queries on one thread: {:.0} queries/s; latency p50 {:.0} µs, p99 {:.0} µs; {hits} with a match ≥ {}",
        queries.len(),
        queries.len() as f64 / total,
        pct(&lat, 0.50),
        pct(&lat, 0.99),
        screen::DEFAULT_THRESHOLD
    );
    // Second pass measuring this thread's CPU time (schedstat), which other processes on a
    // shared machine cannot inflate. Its resolution is coarse, so only the total is reported.
    if let Some(start) = thread_cpu_ns() {
        for q in &queries {
            std::hint::black_box(index.search(&Query::name(q), 10));
        }
        let total_cpu = (thread_cpu_ns().unwrap_or(start) - start) as f64 / 1e9;
        println!(
            "thread CPU time: {} queries in {total_cpu:.2} CPU-s = {:.0} queries per CPU-second (mean {:.0} µs CPU per query)",
            queries.len(),
            queries.len() as f64 / total_cpu,
            total_cpu * 1e6 / queries.len() as f64
        );
    }
    println!("load average at end: {}", loadavg());
}
