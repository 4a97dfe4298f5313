//! Benchmark on a generated account-model graph: build, store write/read, index, and tracing from
//! 100 seeds through 10 hops with each model; plus explorer-CSV parsing throughput.
//!
//! Run: `cargo run --release -p chain --example bench_chain -- TRANSFERS [CSV_ROWS]`
//! (scripts/bench-chain.sh runs it with the figures of docs/benchmarks.md).

use chain::amount::Amount;
use chain::index::GraphIndex;
use chain::load::{load_file, LoadOptions};
use chain::model::{AccountTransfer, Graph, TransferKind, ETHEREUM};
use chain::trace::{Model, TraceConfig, Tracer};
use std::io::Write;
use std::time::Instant;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let csv_rows: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let n_addr = (n / 8).max(1000);
    let mut rng = Rng(42);
    let t0 = Instant::now();
    let mut g = Graph::new();
    for i in 0..n_addr {
        g.intern_canonical(
            ETHEREUM,
            &format!("0x{:040x}", i as u64 * 2_654_435_761 + 1),
        );
    }
    let eth = g.native_asset(ETHEREUM);
    g.transfers.reserve_exact(n);
    // Skewed receivers: a quarter of the transfers go to 1 % of addresses (exchanges, services).
    for i in 0..n {
        let r = rng.next();
        let from = (r % n_addr as u64) as u32;
        let to = if r >> 62 == 0 {
            ((r >> 20) % (n_addr as u64 / 100)) as u32
        } else {
            ((r >> 16) % n_addr as u64) as u32
        };
        let amount = Amount::from_u128((rng.next() % 10_000) as u128 * 1_000_000_000_000_000);
        let mut tx = [0u8; 32];
        tx[..8].copy_from_slice(&(i as u64).to_be_bytes());
        g.transfers.push(AccountTransfer {
            chain: ETHEREUM,
            tx,
            block: 15_000_000 + i as u64 / 200,
            time: 1_650_000_000 + i as i64 / 20,
            index: i as u64,
            kind: TransferKind::NativeTx,
            from,
            to,
            asset: eth,
            amount,
        });
    }
    let build = t0.elapsed().as_secs_f64();
    println!(
        "generated {n} transfers over {n_addr} addresses in {build:.2} s (peak RSS {:.0} MB)",
        peak_rss_mb()
    );
    let dir = std::env::temp_dir().join(format!("chain-bench-{}", std::process::id()));
    let t = Instant::now();
    chain::store::save(&dir, &g).expect("save");
    let save = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(chain::store::graph_path(&dir))
        .map(|m| m.len())
        .unwrap_or(0);
    drop(g);
    let t = Instant::now();
    let g = chain::store::load(&dir).expect("load").expect("graph");
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let idx = GraphIndex::build(&g);
    let index = t.elapsed().as_secs_f64();
    println!("store write {save:.2} s ({:.0} MB), store read {load:.2} s, index {index:.2} s (peak RSS {:.0} MB)", size as f64 / 1e6, peak_rss_mb());
    // Labels: 1 % of addresses (the heavy receivers) are exchanges.
    let mut masks = vec![0u16; g.addresses.len()];
    for m in masks.iter_mut().take(n_addr / 100) {
        *m = chain::labels::Category::Exchange.bit();
    }
    let seeds: Vec<u32> = (0..100)
        .map(|_| (rng.next() % n_addr as u64) as u32)
        .collect();
    let tracer = Tracer {
        graph: &g,
        index: &idx,
        masks: &masks,
    };
    for model in Model::ALL {
        let cfg = TraceConfig {
            model,
            max_hops: 10,
            start_time: Some(1_650_000_000 + (n as i64 / 20) / 10),
            end_time: None,
            dust: Amount::from_u128(1_000_000_000_000_000),
        };
        let t = Instant::now();
        let r = tracer.forward(&seeds, &cfg);
        println!(
            "trace {:<7} 100 seeds, 10 hops, from 10 % of the time span, dust 0.001 ETH: {:.2} s, {} transfers examined, {} tainted nodes, {} hits (peak RSS {:.0} MB)",
            model.name(),
            t.elapsed().as_secs_f64(),
            r.examined,
            r.tainted_nodes,
            r.hits.len(),
            peak_rss_mb()
        );
    }
    // CSV parsing throughput (explorer format).
    let csv_path = dir.join("explorer.csv");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&csv_path).expect("csv"));
        writeln!(
            w,
            "hash,timestamp,from,to,value,asset_contract,symbol,decimals,block"
        )
        .ok();
        for i in 0..csv_rows {
            writeln!(
                w,
                "0x{:064x},{},0x{:040x},0x{:040x},{}000000000000000,,ETH,18,{}",
                i,
                1_650_000_000 + i,
                rng.next() % 100_000,
                rng.next() % 100_000,
                rng.next() % 10_000,
                15_000_000 + i / 200
            )
            .ok();
        }
    }
    let mut g2 = Graph::new();
    let t = Instant::now();
    let rep = load_file(&mut g2, &csv_path, &LoadOptions::default()).expect("csv load");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "explorer CSV: {} rows parsed in {secs:.2} s ({:.0} rows/s), {} rejected",
        rep.records,
        rep.records as f64 / secs,
        rep.rejected_total()
    );
    std::fs::remove_dir_all(&dir).ok();
}
