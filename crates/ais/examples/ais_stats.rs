//! Decodes NMEA files and prints the line accounting and message counts per type as JSON; with
//! `--repeat N` it also times the decode of the file repeated N times in memory (one core).
//!
//! Usage: `cargo run --release -p ais --example ais_stats -- [--repeat N] FILE...`, or
//! `-- --bench FILE` to print `<lines> <messages> <best seconds of 3>`.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Instant;

use ais::{Decoder, DecoderOptions, Feed};

#[derive(Debug)]
struct Counts {
    lines: u64,
    decoded_msgs: u64,
    decoded_lines: u64,
    pending: u64,
    rejected_lines: u64,
    not_ais: u64,
    by_type: [u64; 64],
    by_reason: BTreeMap<&'static str, u64>,
    by_not_ais: BTreeMap<&'static str, u64>,
}

impl Default for Counts {
    fn default() -> Self {
        Self {
            lines: 0,
            decoded_msgs: 0,
            decoded_lines: 0,
            pending: 0,
            rejected_lines: 0,
            not_ais: 0,
            by_type: [0; 64],
            by_reason: BTreeMap::new(),
            by_not_ais: BTreeMap::new(),
        }
    }
}

fn run(data: &[u8], c: &mut Counts) {
    let mut dec = Decoder::new(DecoderOptions::default());
    for line in data.split(|&b| b == b'\n') {
        c.lines += 1;
        match dec.feed(line) {
            Feed::Decoded(d) => {
                c.decoded_msgs += 1;
                c.decoded_lines += d.meta.lines as u64;
                c.by_type[(d.message.msg_type() & 63) as usize] += 1;
            }
            Feed::Pending => c.pending += 1,
            Feed::Rejected(r) => {
                if std::env::var_os("AIS_SHOW_REJECTS").is_some() {
                    eprintln!("{}\t{}", r.reason.as_str(), String::from_utf8_lossy(line));
                }
                c.rejected_lines += 1 + r.earlier.len() as u64;
                *c.by_reason.entry(r.reason.as_str()).or_default() += 1 + r.earlier.len() as u64;
            }
            Feed::NotAis(k) => {
                c.not_ais += 1;
                *c.by_not_ais.entry(k.as_str()).or_default() += 1;
            }
        }
        while let Some(r) = dec.pop_evicted() {
            c.rejected_lines += 1;
            *c.by_reason.entry(r.reason.as_str()).or_default() += 1;
        }
    }
    for r in dec.finish() {
        c.rejected_lines += 1;
        *c.by_reason.entry(r.reason.as_str()).or_default() += 1;
    }
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 0usize;
    if args.first().map(String::as_str) == Some("--bench") && args.len() == 2 {
        // Machine-readable timing for scripts/bench-ais-peers.sh: file preloaded, best of 3 runs.
        let data = std::fs::read(&args[1]).unwrap_or_else(|e| panic!("{}: {e}", args[1]));
        let data = data.strip_suffix(b"\n").unwrap_or(&data).to_vec();
        let mut best = f64::MAX;
        let mut c = Counts::default();
        for _ in 0..3 {
            c = Counts::default();
            let t = Instant::now();
            run(&data, &mut c);
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{} {} {:.4}", c.lines, c.decoded_msgs, best);
        return;
    }
    if args.first().map(String::as_str) == Some("--repeat") && args.len() > 1 {
        repeat = args[1].parse().expect("--repeat N");
        args.drain(..2);
    }
    let mut data = Vec::new();
    for path in &args {
        let mut f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        f.read_to_end(&mut data).expect("read");
        if !data.ends_with(b"\n") {
            data.push(b'\n');
        }
    }
    // A trailing newline yields one empty final "line" from split; drop it.
    if data.ends_with(b"\n") {
        data.pop();
    }
    let mut c = Counts::default();
    run(&data, &mut c);
    if std::env::var_os("AIS_STATS_JSON").is_some() {
        let by_type: BTreeMap<String, u64> = c
            .by_type
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0)
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        let json = serde_json::json!({
            "lines": c.lines, "decoded_msgs": c.decoded_msgs, "decoded_lines": c.decoded_lines,
            "rejected_lines": c.rejected_lines, "not_ais": c.not_ais, "by_type": by_type,
            "by_reason": c.by_reason, "by_not_ais": c.by_not_ais,
        });
        println!("{json}");
    } else {
        println!("{c:#?}");
    }
    assert_eq!(
        c.lines,
        c.decoded_lines + c.rejected_lines + c.not_ais,
        "accounting"
    );
    if repeat > 0 {
        let mut big = Vec::with_capacity((data.len() + 1) * repeat);
        for _ in 0..repeat {
            big.extend_from_slice(&data);
            big.push(b'\n');
        }
        big.pop();
        for _ in 0..3 {
            let mut c = Counts::default();
            let t = Instant::now();
            run(&big, &mut c);
            let s = t.elapsed().as_secs_f64();
            println!(
                "repeat {repeat}: {} lines, {} messages in {:.3} s = {:.2} M lines/s, {:.2} M msgs/s",
                c.lines,
                c.decoded_msgs,
                s,
                c.lines as f64 / s / 1e6,
                c.decoded_msgs as f64 / s / 1e6
            );
        }
    }
}
