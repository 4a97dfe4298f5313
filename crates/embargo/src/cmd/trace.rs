//! `embargo trace`: trace funds from seed addresses (or back from a deposit) with a taint model.

use super::exit::{InputError, FOUND, OK};
use super::Global;
use anyhow::Context;
use chain::trace::{Model, TraceConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo trace`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  embargo trace --store data/store --seeds ronin_seeds.csv --model haircut --max-hops 6 --labels ofac.csv --labels etherscan_combinedAllLabels.json
  embargo trace --store data/store --seeds seeds.txt --model fifo --since 2022-03-23 --dust 1000000000000000 --csv
  embargo trace --store data/store --seeds deposit.txt --back --max-hops 4 --labels dprk_incident_seed_addresses.csv
  embargo trace --store data/store --seeds seeds.csv --graph trace.graphml

Seeds: a CSV with an `address` column or one entry per line; an entry is an address or a
Bitcoin outpoint `txid:vout` (e.g. the outputs of a theft transaction). Labels mark services (exchange,
deposit, bridge, mixer, gambling: reported as hits and not traversed) and risk sources. Label files
in STORE/chain/labels/ and the crypto addresses of sanctions lists loaded into the store with
`embargo lists load` are always used. Amounts are printed in base units (wei, satoshi) and in
the asset's decimals. Exit code 1 when a hit is found, 0 when none, 3 on bad input.")]
pub struct Args {
    /// Store directory written by `embargo chain load`.
    #[arg(long)]
    pub store: PathBuf,
    /// Seed addresses (theft addresses; or the deposit addresses with --back).
    #[arg(long)]
    pub seeds: PathBuf,
    /// Taint model: poison, haircut, fifo, tiho.
    #[arg(long, default_value = "haircut")]
    pub model: String,
    /// Maximum hops from a seed.
    #[arg(long, default_value_t = 10)]
    pub max_hops: u32,
    /// Ignore transfers before this time (Unix seconds or ISO-8601, e.g. the theft time).
    #[arg(long)]
    pub since: Option<String>,
    /// Ignore transfers after this time.
    #[arg(long)]
    pub until: Option<String>,
    /// Dust floor in base units (wei, satoshi): smaller taint is dropped.
    #[arg(long, default_value = "0")]
    pub dust: String,
    /// Trace backwards from the seeds (e.g. a deposit) to labelled sources.
    #[arg(long)]
    pub back: bool,
    /// Label files (OFAC CSV, TagPack YAML, Etherscan JSON, user CSV, incident seeds); repeatable.
    #[arg(long)]
    pub labels: Vec<PathBuf>,
    /// Print hits as CSV.
    #[arg(long)]
    pub csv: bool,
    /// Write the tainted subgraph as GraphML (Gephi, Cytoscape).
    #[arg(long)]
    pub graph: Option<PathBuf>,
}

fn time_arg(s: &Option<String>) -> Result<Option<i64>, InputError> {
    match s {
        None => Ok(None),
        Some(t) => chain::load::parse_time(t)
            .map(Some)
            .ok_or_else(|| InputError(format!("bad time {t:?} (Unix seconds or ISO-8601)"))),
    }
}

/// Adds the crypto addresses of the sanctions lists in the store (written by `embargo lists load`)
/// as sanctioned labels, with the listed party and programmes. Returns how many were added.
pub fn add_list_labels(session: &mut chain::session::Session, store: &std::path::Path) -> usize {
    let Ok(entities) = lists::store::load(store) else {
        return 0;
    };
    let mut added = 0;
    session.add_labels(|labels| {
        for e in &entities {
            let name = e.names.first().map(|n| n.full.as_str()).unwrap_or(&e.id);
            for id in &e.identifiers {
                if let lists::model::IdKind::CryptoAddress(currency) = &id.kind {
                    let source =
                        format!("{} ({})", e.source, e.list_ref.as_deref().unwrap_or(&e.id));
                    labels.add_listed(&id.value, currency, name, &e.programs.join(", "), &source);
                    added += 1;
                }
            }
        }
    });
    added
}

/// Runs `embargo trace`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let model = Model::parse(&args.model).ok_or_else(|| {
        InputError(format!(
            "unknown model {:?} (poison, haircut, fifo, tiho)",
            args.model
        ))
    })?;
    let cfg = TraceConfig {
        model,
        max_hops: args.max_hops,
        start_time: time_arg(&args.since)?,
        end_time: time_arg(&args.until)?,
        dust: chain::Amount::parse(&args.dust).map_err(|e| InputError(format!("--dust: {e}")))?,
    };
    let mut s = chain::session::Session::open(&args.store, &args.labels)
        .map_err(|e| InputError(e.to_string()))?;
    let listed = add_list_labels(&mut s, &args.store);
    if listed > 0 && !global.quiet {
        eprintln!(
            "{listed} crypto addresses from the sanctions lists in the store added as labels"
        );
    }
    let seeds = s
        .read_seeds(&args.seeds)
        .map_err(|e| InputError(e.to_string()))?;
    let missing = &seeds.missing;
    if !global.quiet && !missing.is_empty() {
        eprintln!(
            "{} seed addresses do not occur in the store (first: {})",
            missing.len(),
            missing[0]
        );
    }
    let started = std::time::Instant::now();
    let res = if args.back {
        s.tracer().backward(&seeds.addresses, &cfg)
    } else {
        s.tracer()
            .forward_with_outputs(&seeds.addresses, &seeds.outputs, &cfg)
    };
    let secs = started.elapsed().as_secs_f64();
    // The last trace's hits, for the regime crate to turn DPRK-theft → exchange hits into findings.
    let record = serde_json::json!({
        "schema": "embargo.chain.trace",
        "schema_version": 1,
        "seeds_file": args.seeds.display().to_string(),
        "direction": if args.back { "backward" } else { "forward" },
        "model": if args.back { "haircut" } else { model.name() },
        "max_hops": args.max_hops,
        "result": &res,
    });
    std::fs::write(
        args.store.join("chain").join("trace_hits.json"),
        serde_json::to_vec_pretty(&record)?,
    )
    .context("writing trace_hits.json")?;
    if let Some(p) = &args.graph {
        std::fs::write(p, s.graphml(&res)).with_context(|| format!("writing {}", p.display()))?;
    }
    if global.json {
        println!("{}", serde_json::to_string_pretty(&res)?);
    } else if args.csv {
        let mut w = csv::Writer::from_writer(std::io::stdout());
        w.write_record([
            "address",
            "chain",
            "categories",
            "sink",
            "asset",
            "tainted",
            "received",
            "share",
            "hops",
            "first_time",
            "model",
            "path",
        ])?;
        for h in &res.hits {
            let path = h
                .path
                .iter()
                .map(|p| format!("{}>{}:{}", p.from, p.to, p.tx))
                .collect::<Vec<_>>()
                .join(" | ");
            w.write_record([
                h.address.as_str(),
                &h.chain,
                &h.categories.join("+"),
                &h.sink.to_string(),
                &h.asset,
                &h.tainted.to_string(),
                &h.received.to_string(),
                &format!("{:.6}", h.share),
                &h.hops.to_string(),
                &h.first_time.to_string(),
                h.model.name(),
                &path,
            ])?;
        }
        w.flush()?;
    } else {
        for h in &res.hits {
            let labels: Vec<String> = s
                .labels
                .lookup(&h.address)
                .iter()
                .map(|l| l.label.clone())
                .collect();
            println!(
                "{} hop {}  {}  [{}] {}  tainted {} {} (share {:.4})",
                if h.sink { "SINK" } else { "HIT " },
                h.hops,
                h.address,
                h.categories.join("+"),
                labels.join("; "),
                h.tainted.to_decimal_string(h.decimals),
                h.asset,
                h.share
            );
            for p in &h.path {
                println!(
                    "    {} -> {}  {} {}  tx {}",
                    p.from,
                    p.to,
                    p.amount.to_decimal_string(h.decimals),
                    p.asset,
                    p.tx
                );
            }
        }
        if !global.quiet {
            eprintln!(
                "{} hits, {} tainted nodes, {} transfers examined in {:.3} s; stopped: {} at max hops, {} under dust; {} non-whitelisted token transfers not followed",
                res.hits.len(),
                res.tainted_nodes,
                res.examined,
                secs,
                res.stopped_max_hops,
                res.stopped_dust,
                res.skipped_unlisted_asset
            );
        }
    }
    Ok(ExitCode::from(if res.hits.is_empty() { OK } else { FOUND }))
}
