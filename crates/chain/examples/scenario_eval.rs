//! Precision/recall of each taint model on generated laundering scenarios built from the real
//! incident seeds in ../shared/data/crypto/labels/dprk_incident_seed_addresses.csv.
//!
//! Run: `cargo run --release -p chain --example scenario_eval [SEEDS_CSV] [RUNS]`

use chain::scenario::{generate, read_seed_rows, run_model, ScenarioConfig};
use chain::trace::{Model, TraceConfig};
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/crypto/labels/dprk_incident_seed_addresses.csv")
    });
    let runs: u64 = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(20);
    let rows = match read_seed_rows(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("SKIP: cannot read incident seeds ({e})");
            return;
        }
    };
    println!(
        "seed rows: {} (Ethereum rows used: {})",
        rows.len(),
        rows.iter().filter(|r| r.address.starts_with("0x")).count()
    );
    println!("| model | min share | TP | FP | FN (of which via swap) | precision | recall | recall excl. swaps | hop accuracy |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (model, min_share) in [
        (Model::Poison, 0.0),
        (Model::Haircut, 0.0),
        (Model::Haircut, 0.01),
        (Model::Fifo, 0.0),
        (Model::Fifo, 0.01),
        (Model::Tiho, 0.0),
        (Model::Tiho, 0.01),
    ] {
        let (mut tp, mut fp, mut fnn, mut fsw, mut hop_ok) =
            (0usize, 0usize, 0usize, 0usize, 0.0f64);
        let mut deposits = 0;
        for seed in 1..=runs {
            let s = generate(
                &rows,
                &ScenarioConfig {
                    seed,
                    ..Default::default()
                },
            );
            deposits += s.truth.true_deposits.len();
            let cfg = TraceConfig {
                model,
                max_hops: 10,
                ..Default::default()
            };
            let (score, _) = run_model(&s, &cfg, min_share);
            tp += score.true_positives;
            fp += score.false_positives;
            fnn += score.false_negatives;
            fsw += score.missed_via_swap;
            hop_ok += score.hop_accuracy * score.true_positives as f64;
        }
        let _ = deposits;
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fnn).max(1) as f64;
        let r2 = tp as f64 / (tp + fnn - fsw).max(1) as f64;
        println!(
            "| {} | {} | {tp} | {fp} | {fnn} ({fsw}) | {p:.3} | {r:.3} | {r2:.3} | {:.3} |",
            model.name(),
            min_share,
            hop_ok / tp.max(1) as f64
        );
    }
}
