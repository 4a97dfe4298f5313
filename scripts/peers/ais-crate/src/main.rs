//! Times `AisParser::parse(line, true)` over every line of a file preloaded in RAM, one core.
//! Prints: `<lines> <messages> <seconds>` (best of 3 runs).
use std::time::Instant;

use ais::{AisFragments, AisParser};

fn main() {
    let path = std::env::args().nth(1).expect("usage: ais-crate-peer FILE");
    let data = std::fs::read(&path).expect("read");
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let mut best = f64::MAX;
    let mut msgs = 0usize;
    for _ in 0..3 {
        let mut parser = AisParser::new();
        let t = Instant::now();
        let mut n = 0usize;
        for line in &lines {
            if let Ok(AisFragments::Complete(_)) = parser.parse(line, true) {
                n += 1;
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
        msgs = n;
    }
    println!("{} {} {:.4}", lines.len(), msgs, best);
}
