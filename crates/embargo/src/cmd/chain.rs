//! `embargo chain`: load blockchain transfers into a store, and inspect them (flags, clusters).

use super::exit::{InputError, OK};
use super::Global;
use anyhow::Context;
use chain::load::{load_file, Format, LoadOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `embargo chain`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  embargo chain load token_transfers.json transactions.csv traces.csv --store data/store
  embargo chain load blocks/blk00000.dat --store data/store
  embargo chain load getblock-*.json --chain bitcoin --store data/store
  embargo chain flags --store data/store --labels ofac.csv --labels tornado_cash.yaml
  embargo chain cluster --store data/store --veto 10000

Formats are detected from the CSV header, the first JSON record or the extension (.dat/.blk/.raw):
ethereum-etl transactions/token_transfers/traces/logs (CSV or JSON lines), explorer CSV
(hash,timestamp,from,to,value,asset_contract,symbol,decimals,block), bitcoin-etl transactions JSON,
Bitcoin Core getblock JSON (verbosity 2 or 3), raw blk*.dat (xor.dat beside it is applied).")]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

/// `embargo chain` actions.
#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// Load transfer files into the store (appends to what is there).
    Load {
        /// Input files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Store directory.
        #[arg(long)]
        store: PathBuf,
        /// Chain of the files (ethereum, bsc, polygon, tron, bitcoin, ...); default by format.
        #[arg(long)]
        chain: Option<String>,
        /// Force a format: eth-transactions, eth-token-transfers, eth-traces, eth-logs, explorer,
        /// bitcoin-etl, getblock, raw-blocks.
        #[arg(long)]
        format: Option<String>,
    },
    /// Flag laundering patterns: rapid fan-out, peel chains, look-alike addresses, impersonating
    /// tokens, mixer and bridge deposits.
    Flags {
        /// Store directory.
        #[arg(long)]
        store: PathBuf,
        /// Label files (OFAC CSV, TagPack YAML, Etherscan JSON, user CSV); repeatable.
        #[arg(long)]
        labels: Vec<PathBuf>,
        /// Fan-out: distinct receivers within the window.
        #[arg(long, default_value_t = 10)]
        fan_out_receivers: usize,
        /// Fan-out window in seconds.
        #[arg(long, default_value_t = 3600)]
        fan_out_window: i64,
    },
    /// Multi-input clustering of UTXO addresses (CoinJoins excluded).
    Cluster {
        /// Store directory.
        #[arg(long)]
        store: PathBuf,
        /// Refuse merges where both clusters have at least this many addresses (0 = never).
        #[arg(long, default_value_t = 10_000)]
        veto: u32,
        /// Do not exclude detected CoinJoins.
        #[arg(long)]
        keep_coinjoins: bool,
        /// Write address,cluster CSV here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the merge log (tx, heuristic, clusters, sizes, vetoed) as CSV here.
        #[arg(long)]
        log: Option<PathBuf>,
    },
}

fn parse_format(s: &str) -> Option<Format> {
    Some(match s {
        "eth-transactions" => Format::EthTransactions,
        "eth-token-transfers" => Format::EthTokenTransfers,
        "eth-traces" => Format::EthTraces,
        "eth-logs" => Format::EthLogs,
        "graphsense-logs" => Format::GraphsenseLogs,
        "explorer" => Format::Explorer,
        "bitcoin-etl" => Format::BitcoinEtl,
        "getblock" => Format::GetBlock,
        "raw-blocks" => Format::RawBlocks,
        _ => return None,
    })
}

/// Runs `embargo chain`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    match &args.action {
        Action::Load {
            files,
            store,
            chain: chain_name,
            format,
        } => {
            let started = Instant::now();
            let chain = match chain_name {
                Some(c) => Some(
                    chain::model::chain_id(c)
                        .ok_or_else(|| InputError(format!("unknown chain {c:?}")))?,
                ),
                None => None,
            };
            let format = match format {
                Some(f) => Some(
                    parse_format(f).ok_or_else(|| InputError(format!("unknown format {f:?}")))?,
                ),
                None => None,
            };
            let mut graph = chain::store::load(store)
                .map_err(|e| InputError(e.to_string()))?
                .unwrap_or_default();
            let opts = LoadOptions { chain, format };
            let mut reports = Vec::new();
            for f in files {
                let r = load_file(&mut graph, f, &opts).map_err(|e| InputError(e.to_string()))?;
                if !global.quiet && !global.json {
                    eprintln!(
                        "{}: {:?}: {} records, {} accepted, {} skipped by rule, {} rejected",
                        r.file,
                        r.format,
                        r.records,
                        r.accepted,
                        r.skipped_total(),
                        r.rejected_total()
                    );
                    for (rule, n) in &r.skipped {
                        eprintln!("  skipped {n}: {rule}");
                    }
                    for (note, n) in &r.notes {
                        eprintln!("  note {n}: {note}");
                    }
                    for (why, n) in &r.rejected {
                        eprintln!("  rejected {n}: {why}");
                    }
                    for ex in r.examples.iter().take(5) {
                        eprintln!("    e.g. {ex}");
                    }
                }
                reports.push(r);
            }
            let (dup_transfers, dup_txs) = graph.dedup();
            let unresolved = graph.resolve_prevouts();
            chain::store::save(store, &graph).context("writing the chain store")?;
            let summary = serde_json::json!({
                "files": reports,
                "addresses": graph.addresses.len(),
                "assets": graph.assets.len(),
                "account_transfers": graph.transfers.len(),
                "utxo_transactions": graph.utxo_txs.len(),
                "unresolved_utxo_inputs": unresolved,
                "duplicates_removed": {"account_transfers": dup_transfers, "utxo_transactions": dup_txs},
                "seconds": started.elapsed().as_secs_f64(),
            });
            std::fs::write(
                store.join("chain").join("load_summary.json"),
                serde_json::to_vec_pretty(&summary)?,
            )
            .context("writing load_summary.json")?;
            if global.json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else if !global.quiet {
                println!(
                    "store {}: {} addresses, {} account transfers, {} UTXO transactions ({} inputs without a known spent output; duplicates removed: {} transfers, {} txs), {:.2} s",
                    store.display(),
                    graph.addresses.len(),
                    graph.transfers.len(),
                    graph.utxo_txs.len(),
                    unresolved,
                    dup_transfers,
                    dup_txs,
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(ExitCode::from(OK))
        }
        Action::Flags {
            store,
            labels,
            fan_out_receivers,
            fan_out_window,
        } => {
            let s = chain::session::Session::open(store, labels)
                .map_err(|e| InputError(e.to_string()))?;
            let cfg = chain::flags::FlagConfig {
                fan_out_min_receivers: *fan_out_receivers,
                fan_out_window: *fan_out_window,
                ..Default::default()
            };
            let mut flags = chain::flags::rapid_fan_out(&s.graph, &s.index, &cfg);
            flags.extend(chain::flags::peel_chains(&s.graph, &s.index, &cfg));
            flags.extend(chain::flags::account_peel_chains(&s.graph, &s.index, &cfg));
            flags.extend(chain::flags::poisoning_lookalikes(&s.graph, &s.index));
            flags.extend(chain::flags::impersonating_tokens(&s.graph));
            flags.extend(chain::flags::service_deposits(&s.graph, &s.masks));
            if global.json {
                println!("{}", serde_json::to_string_pretty(&flags)?);
            } else {
                for f in &flags {
                    println!(
                        "{:<22} {}  {}",
                        format!("{:?}", f.kind),
                        f.subject,
                        f.detail
                    );
                }
                if !global.quiet {
                    eprintln!("{} flags", flags.len());
                }
            }
            Ok(ExitCode::from(OK))
        }
        Action::Cluster {
            store,
            veto,
            keep_coinjoins,
            out,
            log,
        } => {
            let graph = chain::store::load(store)
                .map_err(|e| InputError(e.to_string()))?
                .ok_or_else(|| InputError(format!("{}: no chain graph", store.display())))?;
            let (mut c, skipped) = chain::cluster::cluster_graph(&graph, !keep_coinjoins, *veto);
            let merges = c.log.iter().filter(|m| !m.vetoed).count();
            let vetoed = c.log.iter().filter(|m| m.vetoed).count();
            let mut sizes = std::collections::HashMap::new();
            for a in 0..graph.addresses.len() as u32 {
                *sizes.entry(c.cluster_id(a)).or_insert(0u64) += 1;
            }
            let largest = sizes.values().max().copied().unwrap_or(0);
            if let Some(out) = out {
                let mut w = csv::Writer::from_path(out)
                    .with_context(|| format!("creating {}", out.display()))?;
                w.write_record(["address", "cluster"])?;
                for a in 0..graph.addresses.len() as u32 {
                    let cid = c.cluster_id(a);
                    w.write_record([graph.address_text(a), graph.address_text(cid)])?;
                }
                w.flush()?;
            }
            if let Some(log) = log {
                let mut w = csv::Writer::from_path(log)
                    .with_context(|| format!("creating {}", log.display()))?;
                w.write_record([
                    "txid",
                    "heuristic",
                    "cluster_a",
                    "cluster_b",
                    "size_a",
                    "size_b",
                    "vetoed",
                ])?;
                for m in &c.log {
                    let txid = graph
                        .utxo_txs
                        .get(m.tx as usize)
                        .map(|t| chain::model::hash_hex(&t.txid))
                        .unwrap_or_default();
                    w.write_record([
                        txid,
                        m.heuristic.to_string(),
                        graph.address_text(m.a).to_string(),
                        graph.address_text(m.b).to_string(),
                        m.sizes.0.to_string(),
                        m.sizes.1.to_string(),
                        m.vetoed.to_string(),
                    ])?;
                }
                w.flush()?;
            }
            let summary = serde_json::json!({"clusters": sizes.len(), "largest": largest, "merges": merges, "vetoed": vetoed, "coinjoins_excluded": skipped});
            if global.json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                println!("{} clusters (largest {} addresses), {} merges, {} vetoed, CoinJoins excluded: {:?}", sizes.len(), largest, merges, vetoed, skipped);
            }
            Ok(ExitCode::from(OK))
        }
    }
}
