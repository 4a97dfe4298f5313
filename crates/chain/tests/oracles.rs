//! Oracle tests: GraphSense's synthetic UTXO graph (clusters, relations), GraphSense's ETH sample
//! (USDT transfers decoded from logs), ethereum-etl real blocks (token transfers from logs),
//! bitcoin-etl RPC dumps, and taint arithmetic by hand on real Bitcoin blocks 0–438 and the
//! synthetic graph.

use chain::amount::Amount;
use chain::cluster::{tx_relations, Clustering};
use chain::index::GraphIndex;
use chain::labels::{Category, Label, LabelSet};
use chain::load::{load_file, Format, LoadOptions};
use chain::model::{parse_hash, Graph, TxIn, TxOut, UtxoTx, BITCOIN};
use chain::trace::{Model, TraceConfig, Tracer};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

fn fixture(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

fn shared(p: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/crypto")
        .join(p);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("SKIP: {} not found (../shared is absent)", path.display());
        None
    }
}

fn json_lines(p: &PathBuf) -> Vec<Value> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(&chain::load::quote_numbers(l)).unwrap())
        .collect()
}

/// The synthetic GraphSense txs as a Graph; inputs are linked to the earliest unspent output of
/// the same address (the fixture lists input addresses, not outpoints). Multisig (several
/// addresses) keeps no single address, as in GraphSense.
fn synthetic_graph() -> (Graph, Vec<Value>) {
    let txs = json_lines(&fixture("graphsense-utxo-synthetic/test_txs.json"));
    let mut g = Graph::new();
    let mut unspent: Vec<(String, [u8; 32], u32, bool)> = Vec::new();
    for (k, t) in txs.iter().enumerate() {
        let txid = parse_hash(t["txHash"].as_str().unwrap()).unwrap();
        let key = |v: &Value| {
            v["address"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
                .join("+")
        };
        let single = |g: &mut Graph, v: &Value| {
            let a = v["address"].as_array().unwrap();
            (a.len() == 1).then(|| g.intern_address(BITCOIN, a[0].as_str().unwrap()).unwrap())
        };
        let mut inputs = Vec::new();
        for i in t["inputs"].as_array().unwrap() {
            let k = key(i);
            let slot = unspent
                .iter_mut()
                .find(|u| u.0 == k && !u.3)
                .expect("input has a prior output");
            slot.3 = true;
            inputs.push(TxIn {
                prev_txid: slot.1,
                prev_vout: slot.2,
                address: single(&mut g, i),
                value: Some(i["value"].as_u64().unwrap()),
            });
        }
        let mut outputs = Vec::new();
        for (n, o) in t["outputs"].as_array().unwrap().iter().enumerate() {
            unspent.push((key(o), txid, n as u32, false));
            outputs.push(TxOut {
                address: single(&mut g, o),
                value: o["value"].as_u64().unwrap(),
            });
        }
        g.utxo_txs.push(UtxoTx {
            chain: BITCOIN,
            txid,
            block: t["blockId"].as_u64().unwrap(),
            time: t["timestamp"].as_i64().unwrap(),
            index: k as u32,
            coinbase: t["coinbase"].as_bool().unwrap(),
            inputs,
            outputs,
        });
    }
    g.native_asset(BITCOIN);
    (g, txs)
}

fn graphsense_ids() -> HashMap<String, u32> {
    json_lines(&fixture("graphsense-utxo-synthetic/address_ids.json"))
        .iter()
        .map(|v| {
            (
                v["address"].as_str().unwrap().to_string(),
                v["addressId"].as_u64().unwrap() as u32,
            )
        })
        .collect()
}

fn graphsense_clusters(exclude_coinjoin: bool) -> BTreeMap<u32, u32> {
    let (_, txs) = synthetic_graph();
    let ids = graphsense_ids();
    let mut c = Clustering::new(ids.len(), 0);
    for (k, t) in txs.iter().enumerate() {
        if t["coinbase"].as_bool().unwrap()
            || (exclude_coinjoin && t["coinjoin"].as_bool().unwrap())
        {
            continue;
        }
        let ins: Vec<u32> = t["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| {
                let a = i["address"].as_array().unwrap();
                (a.len() == 1).then(|| ids[a[0].as_str().unwrap()])
            })
            .collect();
        c.add_inputs(k as u64, &ins);
    }
    (0..ids.len() as u32)
        .map(|a| (a, c.cluster_id(a)))
        .collect()
}

#[test]
fn graphsense_synthetic_clusters_match() {
    for (exclude, file) in [
        (true, "address_cluster.json"),
        (false, "address_cluster_with_coinjoin.json"),
    ] {
        let expected: BTreeMap<u32, u32> =
            json_lines(&fixture(&format!("graphsense-utxo-synthetic/{file}")))
                .iter()
                .map(|v| {
                    (
                        v["addressId"].as_u64().unwrap() as u32,
                        v["clusterId"].as_u64().unwrap() as u32,
                    )
                })
                .collect();
        assert_eq!(graphsense_clusters(exclude), expected, "{file}");
    }
}

#[test]
fn graphsense_synthetic_relations_match() {
    let (_, txs) = synthetic_graph();
    let ids = graphsense_ids();
    let mut got: BTreeMap<(u32, u32), (u64, u64)> = BTreeMap::new();
    for t in &txs {
        let side = |k: &str| -> Vec<(u32, u64)> {
            t[k].as_array()
                .unwrap()
                .iter()
                .filter_map(|v| {
                    let a = v["address"].as_array().unwrap();
                    (a.len() == 1)
                        .then(|| (ids[a[0].as_str().unwrap()], v["value"].as_u64().unwrap()))
                })
                .collect()
        };
        let total: u64 = t["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["value"].as_u64().unwrap())
            .sum();
        for (a, b, v) in tx_relations(&side("inputs"), &side("outputs"), total, 0) {
            let e = got.entry((a, b)).or_default();
            e.0 += 1;
            e.1 += v;
        }
    }
    let expected: BTreeMap<(u32, u32), (u64, u64)> =
        json_lines(&fixture("graphsense-utxo-synthetic/address_relations.json"))
            .iter()
            .map(|v| {
                (
                    (
                        v["srcAddressId"].as_u64().unwrap() as u32,
                        v["dstAddressId"].as_u64().unwrap() as u32,
                    ),
                    (
                        v["noTransactions"].as_u64().unwrap(),
                        v["estimatedValue"]["value"].as_u64().unwrap(),
                    ),
                )
            })
            .collect();
    assert_eq!(got, expected);
}

fn trace_synthetic(model: Model) -> HashMap<String, u64> {
    let (mut g, _) = synthetic_graph();
    g.sort();
    let idx = GraphIndex::build(&g);
    let masks = vec![0u16; g.addresses.len()];
    let seed = g
        .address_id(BITCOIN, "138cWsiAGpW9yqfjMVCCsFcnaiSHyoWMnJ")
        .unwrap();
    let r = Tracer {
        graph: &g,
        index: &idx,
        masks: &masks,
    }
    .forward(
        &[seed],
        &TraceConfig {
            model,
            max_hops: 10,
            ..Default::default()
        },
    );
    let mut per: HashMap<String, u64> = HashMap::new();
    for e in &r.edges {
        *per.entry(g.address_text(e.to).to_string()).or_default() += e.tainted.to_u64().unwrap();
    }
    per
}

/// Hand computation on tx 5 (inputs 1,480,000 tainted + 2,500,000 clean; outputs 150,000 multisig,
/// 1,325,000, 100,000, 2,350,000) and tx 10 (inputs 1Fuf + 1231 → 1,400,000):
/// haircut 1,325,000·1,480,000/3,980,000 = 492,713 …; FIFO fills outputs in order; TIHO puts the
/// whole 1,480,000 on the largest output.
#[test]
fn taint_models_by_hand_on_synthetic_graph() {
    let h = trace_synthetic(Model::Haircut);
    assert_eq!(h["1231PgW8KbpwKkvACPhp13fcL6fM5sKGvy"], 492_713);
    assert_eq!(h["1Fufjpf9RM2aQsGedhSpbSCGRHrmLMJ7yY"], 37_185);
    assert_eq!(h["1iYSYHTpr2wMShaXTTNUzMohkpuV5p5ep"], 873_869);
    assert_eq!(
        h["1Fm1rJe1CtGuTKxWjQ4MyU7GEwrgkHYn5k"],
        1_400_000 * (492_713 + 37_185) / 1_425_000
    );
    let f = trace_synthetic(Model::Fifo);
    assert_eq!(f["1231PgW8KbpwKkvACPhp13fcL6fM5sKGvy"], 1_325_000);
    assert_eq!(f["1Fufjpf9RM2aQsGedhSpbSCGRHrmLMJ7yY"], 5_000);
    assert!(!f.contains_key("1iYSYHTpr2wMShaXTTNUzMohkpuV5p5ep"));
    assert_eq!(f["1Fm1rJe1CtGuTKxWjQ4MyU7GEwrgkHYn5k"], 5_000 + 1_300_000);
    let t = trace_synthetic(Model::Tiho);
    assert_eq!(t["1iYSYHTpr2wMShaXTTNUzMohkpuV5p5ep"], 1_480_000);
    assert!(!t.contains_key("1231PgW8KbpwKkvACPhp13fcL6fM5sKGvy"));
    let p = trace_synthetic(Model::Poison);
    assert_eq!(p["1iYSYHTpr2wMShaXTTNUzMohkpuV5p5ep"], 2_350_000);
    assert_eq!(p["1Fm1rJe1CtGuTKxWjQ4MyU7GEwrgkHYn5k"], 1_400_000);
}

#[test]
fn ethereum_etl_logs_give_the_expected_token_transfers() {
    let (Some(logs), Some(expected)) = (shared("ethereum/ethereum-etl/test_stream__blocks_17173049_17173050__expected_logs.json"), shared("ethereum/ethereum-etl/test_stream__blocks_17173049_17173050__expected_token_transfers.json")) else { return };
    let mut from_logs = Graph::new();
    let r = load_file(&mut from_logs, &logs, &LoadOptions::default()).unwrap();
    assert_eq!(r.format, Format::EthLogs);
    assert_eq!(r.rejected_total(), 0, "{:?}", r.examples);
    let mut from_tt = Graph::new();
    let r2 = load_file(&mut from_tt, &expected, &LoadOptions::default()).unwrap();
    assert_eq!(
        (r2.format, r2.accepted, r2.rejected_total()),
        (Format::EthTokenTransfers, 291, 0)
    );
    let key = |g: &Graph| -> BTreeSet<(String, u64, String, String, String, String)> {
        g.transfers
            .iter()
            .map(|t| {
                (
                    chain::encoding::hex(&t.tx),
                    t.index & 0xfffff,
                    g.assets[t.asset as usize].contract.clone().unwrap(),
                    g.address_text(t.from).to_string(),
                    g.address_text(t.to).to_string(),
                    t.amount.to_string(),
                )
            })
            .collect()
    };
    assert_eq!(key(&from_logs), key(&from_tt));
    assert_eq!(from_logs.transfers.len(), 291);
}

fn b64(s: &str) -> Vec<u8> {
    let alpha = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | alpha.iter().position(|&a| a == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn graphsense_eth_usdt_transfers_match() {
    let (Some(logs), Some(expected)) = (
        shared("ethereum/graphsense-eth-tokens/logs.json"),
        shared("ethereum/graphsense-eth-tokens/reference/USDT_token_transfers.json"),
    ) else {
        return;
    };
    let mut g = Graph::new();
    let r = load_file(&mut g, &logs, &LoadOptions::default()).unwrap();
    assert_eq!(r.format, Format::GraphsenseLogs);
    assert_eq!(r.rejected_total(), 0, "{:?}", r.examples);
    let usdt = "0xdac17f958d2ee523a2206206994597c13d831ec7";
    let got: BTreeSet<(u64, u64, String, String, String)> = g
        .transfers
        .iter()
        .filter(|t| g.assets[t.asset as usize].contract.as_deref() == Some(usdt))
        .map(|t| {
            (
                t.block,
                t.index,
                g.address_text(t.from).to_string(),
                g.address_text(t.to).to_string(),
                t.amount.to_string(),
            )
        })
        .collect();
    let want: BTreeSet<(u64, u64, String, String, String)> = json_lines(&expected)
        .iter()
        .map(|v| {
            assert_eq!(
                format!(
                    "0x{}",
                    chain::encoding::hex(&b64(v["tokenAddress"].as_str().unwrap()))
                ),
                usdt
            );
            (
                v["blockId"].as_u64().unwrap(),
                (v["transactionIndex"].as_u64().unwrap() << 20) | v["logIndex"].as_u64().unwrap(),
                format!(
                    "0x{}",
                    chain::encoding::hex(&b64(v["from"].as_str().unwrap()))
                ),
                format!(
                    "0x{}",
                    chain::encoding::hex(&b64(v["to"].as_str().unwrap()))
                ),
                v["value"]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v["value"].to_string()),
            )
        })
        .collect();
    assert_eq!(want.len(), 143);
    assert_eq!(got, want);
}

#[test]
fn ethereum_etl_transactions_csv_and_traces() {
    let Some(csv) = shared("ethereum/ethereum-etl/test_export_blocks_job__blocks_with_transactions_and_withdrawals__expected_transactions.csv") else { return };
    let mut g = Graph::new();
    let r = load_file(&mut g, &csv, &LoadOptions::default()).unwrap();
    assert_eq!(r.format, Format::EthTransactions);
    assert_eq!(r.records, 298);
    assert_eq!(
        r.accepted + r.skipped_total() + r.rejected_total(),
        298,
        "every record accounted for: {r:?}"
    );
    assert_eq!(r.rejected_total(), 0, "{:?}", r.examples);
    let Some(traces) =
        shared("ethereum/ethereum-etl/test_stream__blocks_508110_508110__expected_traces.json")
    else {
        return;
    };
    let r = load_file(&mut g, &traces, &LoadOptions::default()).unwrap();
    assert_eq!(r.format, Format::EthTraces);
    // 4 traces: 2 rewards and 1 create skipped by rule, 1 top-level call skipped (its tx has the value).
    assert_eq!(
        (r.records, r.accepted, r.skipped_total()),
        (4, 0, 4),
        "{r:?}"
    );
}

#[test]
fn bitcoin_etl_and_getblock_agree() {
    let Some(dir) = shared("bitcoin/bitcoin-etl/block_with_transactions") else {
        return;
    };
    let mut etl = Graph::new();
    let r = load_file(
        &mut etl,
        &dir.join("expected_transactions.json"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (r.format, r.rejected_total()),
        (Format::BitcoinEtl, 0),
        "{:?}",
        r.examples
    );
    let mut rpc = Graph::new();
    for f in std::fs::read_dir(&dir).unwrap() {
        let p = f.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("rpc_response_getblock_0")
        {
            let r = load_file(&mut rpc, &p, &LoadOptions::default()).unwrap();
            assert_eq!(
                (r.format, r.rejected_total()),
                (Format::GetBlock, 0),
                "{:?}",
                r.examples
            );
        }
    }
    etl.sort();
    rpc.sort();
    assert_eq!(etl.utxo_txs.len(), rpc.utxo_txs.len());
    for (a, b) in etl.utxo_txs.iter().zip(&rpc.utxo_txs) {
        assert_eq!(
            (a.txid, a.block, a.time, a.coinbase),
            (b.txid, b.block, b.time, b.coinbase)
        );
        let outs = |g: &Graph, t: &UtxoTx| {
            t.outputs
                .iter()
                .map(|o| (o.address.map(|x| g.address_text(x).to_string()), o.value))
                .collect::<Vec<_>>()
        };
        assert_eq!(outs(&etl, a), outs(&rpc, b));
        assert_eq!(
            a.inputs
                .iter()
                .map(|i| (i.prev_txid, i.prev_vout))
                .collect::<Vec<_>>(),
            b.inputs
                .iter()
                .map(|i| (i.prev_txid, i.prev_vout))
                .collect::<Vec<_>>()
        );
    }
}

fn blocks_0_438() -> Option<Graph> {
    let p = shared("bitcoin/raw-blocks/bitcoinj_mainnet_blocks_0-438.blk.dat")?;
    let mut g = Graph::new();
    let r = load_file(&mut g, &p, &LoadOptions::default()).unwrap();
    assert_eq!(
        (r.format, r.records, r.accepted, r.rejected_total()),
        (Format::RawBlocks, 439, 439, 0)
    );
    assert_eq!(g.utxo_txs.len(), 446);
    assert_eq!(g.resolve_prevouts(), 0, "blocks 0–438 are self-contained");
    g.native_asset(BITCOIN);
    g.sort();
    Some(g)
}

#[test]
fn raw_blocks_0_438_parse_with_real_txids_and_addresses() {
    let Some(g) = blocks_0_438() else { return };
    let genesis = &g.utxo_txs[0];
    assert_eq!(
        chain::model::hash_hex(&genesis.txid),
        "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
    );
    assert_eq!(
        g.address_text(genesis.outputs[0].address.unwrap()),
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
    );
    let t170 = g
        .utxo_txs
        .iter()
        .find(|t| {
            chain::model::hash_hex(&t.txid)
                == "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16"
        })
        .expect("block 170 tx");
    assert_eq!(t170.block, 170);
    assert_eq!(t170.inputs[0].value, Some(5_000_000_000));
    assert_eq!(
        g.address_text(t170.inputs[0].address.unwrap()),
        "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S"
    );
    assert_eq!(
        t170.outputs
            .iter()
            .map(|o| (g.address_text(o.address.unwrap()).to_string(), o.value))
            .collect::<Vec<_>>(),
        vec![
            (
                "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3".to_string(),
                1_000_000_000
            ),
            (
                "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S".to_string(),
                4_000_000_000
            )
        ]
    );
}

/// By hand on real blocks: Satoshi's block-9 coinbase (50 BTC, 12cbQL…) is the seed. Tx 170 pays
/// 10 BTC to Hal Finney (1Q2TWH…, labelled here as a service sink) and 40 BTC change; the change
/// is spent in block 181 (10 + 30), 182 (1 + 29), 183 (1 + 28). One input each, no fees: every
/// model carries the full amount; Hal is reached at hop 1 with 10 BTC and is not traversed.
#[test]
fn fifo_and_haircut_by_hand_on_blocks_0_438() {
    let Some(g) = blocks_0_438() else { return };
    let idx = GraphIndex::build(&g);
    let mut labels = LabelSet::new();
    labels.add(
        Label {
            address: "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3".into(),
            chain: None,
            label: "Hal (test sink)".into(),
            category: Category::Exchange,
            source: "test".into(),
            confidence: None,
            detail: None,
            case_lost: false,
        },
        Some(BITCOIN),
    );
    let masks = labels.masks(&g);
    let seed = g
        .address_id(BITCOIN, "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S")
        .unwrap();
    for model in [Model::Fifo, Model::Haircut, Model::Tiho, Model::Poison] {
        let r = Tracer {
            graph: &g,
            index: &idx,
            masks: &masks,
        }
        .forward(
            &[seed],
            &TraceConfig {
                model,
                max_hops: 10,
                ..Default::default()
            },
        );
        let hal: Vec<_> = r
            .hits
            .iter()
            .filter(|h| h.address == "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3")
            .collect();
        assert_eq!(hal.len(), 1, "{model:?}");
        assert_eq!(
            (hal[0].hops, hal[0].tainted, hal[0].share),
            (1, Amount::from_u64(1_000_000_000), 1.0)
        );
        assert_eq!(hal[0].path.len(), 1);
        assert_eq!(
            hal[0].path[0].tx,
            "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16"
        );
        assert!(hal[0].sink);
        // Tx 181 (spends the 40 BTC change): 10 BTC out at hop 2.
        let e181: Vec<_> = r
            .edges
            .iter()
            .filter(|e| chain::model::hash_hex(&e.tx).starts_with("a16f3ce4dd5deb92"))
            .map(|e| (e.tainted.to_u64().unwrap(), e.hop))
            .collect();
        assert_eq!(
            e181,
            vec![(1_000_000_000, 2), (3_000_000_000, 2)],
            "{model:?}"
        );
    }
    // Max hops 1 stops before tx 181.
    let r = Tracer {
        graph: &g,
        index: &idx,
        masks: &masks,
    }
    .forward(
        &[seed],
        &TraceConfig {
            model: Model::Haircut,
            max_hops: 1,
            ..Default::default()
        },
    );
    assert!(r.edges.iter().all(|e| e.hop <= 1));
    assert!(r.stopped_max_hops > 0);
    // Backwards from Hal: 10 BTC, all from the seed at hop 1.
    let mut lab2 = LabelSet::new();
    lab2.add(
        Label {
            address: "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S".into(),
            chain: None,
            label: "seed".into(),
            category: Category::Theft,
            source: "test".into(),
            confidence: None,
            detail: None,
            case_lost: false,
        },
        Some(BITCOIN),
    );
    let masks2 = lab2.masks(&g);
    let hal = g
        .address_id(BITCOIN, "1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3")
        .unwrap();
    let b = Tracer {
        graph: &g,
        index: &idx,
        masks: &masks2,
    }
    .backward(
        &[hal],
        &TraceConfig {
            max_hops: 3,
            ..Default::default()
        },
    );
    assert_eq!(b.hits.len(), 1);
    assert_eq!(
        (b.hits[0].hops, b.hits[0].tainted, b.hits[0].share),
        (1, Amount::from_u64(1_000_000_000), 1.0)
    );
}

#[test]
fn segwit_block_574200_parses_and_its_merkle_root_matches() {
    let Some(p) = shared("bitcoin/raw-blocks/btcd_mainnet_block_574200.raw") else {
        return;
    };
    let mut g = Graph::new();
    let r = load_file(&mut g, &p, &LoadOptions::default()).unwrap();
    // The loader checks the merkle root of the computed txids against the header.
    assert_eq!(
        (r.records, r.accepted, r.rejected_total()),
        (1, 1, 0),
        "{:?}",
        r.examples
    );
    assert_eq!(g.utxo_txs.len(), 3315);
    assert_eq!(
        g.utxo_txs[0].block, 574_200,
        "BIP-34 height from the coinbase"
    );
    let kinds: BTreeSet<char> = g
        .addresses
        .iter()
        .map(|(_, a)| a.chars().next().unwrap())
        .collect();
    assert!(
        kinds.contains(&'b') && kinds.contains(&'3') && kinds.contains(&'1'),
        "{kinds:?}"
    );
}

#[test]
fn xor_obfuscated_blk_file_and_malformed_inputs() {
    let Some(p) = shared("bitcoin/raw-blocks/bitcoinj_mainnet_blocks_0-438.blk.dat") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("chain-xor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = [0x5a, 0x13, 0x77, 0x01, 0xfe, 0x42, 0x99, 0x0c];
    let data = std::fs::read(&p).unwrap();
    let x: Vec<u8> = data
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ key[i % 8])
        .collect();
    std::fs::write(dir.join("blk00000.dat"), &x).unwrap();
    std::fs::write(dir.join("xor.dat"), key).unwrap();
    let mut g = Graph::new();
    let r = load_file(&mut g, &dir.join("blk00000.dat"), &LoadOptions::default()).unwrap();
    assert_eq!((r.accepted, g.utxo_txs.len()), (439, 446));
    // Truncated: the last block's length runs past the end → an error naming the byte offset.
    std::fs::remove_file(dir.join("xor.dat")).unwrap();
    std::fs::write(dir.join("blk00001.dat"), &data[..data.len() - 10]).unwrap();
    let e = load_file(
        &mut Graph::new(),
        &dir.join("blk00001.dat"),
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("blk00001.dat:") && e.to_string().contains("runs past end"),
        "{e}"
    );
    // A corrupted byte inside a tx → that block is rejected (merkle mismatch or parse error), others kept.
    let mut bad = data.clone();
    bad[451] ^= 0xff; // inside the coinbase output script of block 1
    std::fs::write(dir.join("blk00002.dat"), &bad).unwrap();
    let r = load_file(
        &mut Graph::new(),
        &dir.join("blk00002.dat"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (r.accepted, r.rejected_total()),
        (438, 1),
        "{:?}",
        r.examples
    );
    // Bad JSON lines are counted with their line number.
    std::fs::write(dir.join("t.json"), "{\"type\": \"token_transfer\", \"token_address\": \"0xdac17f958d2ee523a2206206994597c13d831ec7\", \"from_address\": \"0x1111111111111111111111111111111111111111\", \"to_address\": \"0x2222222222222222222222222222222222222222\", \"value\": 5, \"transaction_hash\": \"0x3333333333333333333333333333333333333333333333333333333333333333\", \"log_index\": 1, \"block_number\": 9}\n{\"type\": \"token_transfer\", broken\n{\"type\": \"token_transfer\", \"token_address\": \"0xdac17f958d2ee523a2206206994597c13d831ec7\", \"from_address\": \"0x1111111111111111111111111111111111111111\", \"to_address\": \"0x2222222222222222222222222222222222222222\", \"value\": -5, \"transaction_hash\": \"0x3333333333333333333333333333333333333333333333333333333333333333\", \"log_index\": 2, \"block_number\": 9}\n").unwrap();
    let r = load_file(
        &mut Graph::new(),
        &dir.join("t.json"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!((r.records, r.accepted, r.rejected_total()), (3, 1, 2));
    assert!(
        r.examples[0].contains("t.json:2: invalid JSON"),
        "{:?}",
        r.examples
    );
    assert!(
        r.examples[1].contains("t.json:3: bad amount"),
        "{:?}",
        r.examples
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn getblock_verbosity_3_uses_prevouts() {
    let dir = std::env::temp_dir().join(format!("chain-gb3-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A minimal verbosity-3 block: one coinbase and one spend with its prevout (values in BTC).
    let doc = r#"{"result": {"hash": "00", "height": 800000, "time": 1690168629, "tx": [
      {"txid": "1111111111111111111111111111111111111111111111111111111111111111", "vin": [{"coinbase": "03"}], "vout": [{"value": 6.25000000, "n": 0, "scriptPubKey": {"hex": "0014751e76e8199196d454941c45d1b3a323f1433bd6"}}]},
      {"txid": "2222222222222222222222222222222222222222222222222222222222222222", "vin": [{"txid": "3333333333333333333333333333333333333333333333333333333333333333", "vout": 1, "prevout": {"value": 0.00100000, "scriptPubKey": {"hex": "76a914b5cd7aaed869cd5ccb45868e8666e7e934a2373688ac"}}}],
       "vout": [{"value": 0.00090000, "n": 0, "scriptPubKey": {"hex": "a914b5cd7aaed869cd5ccb45868e8666e7e934a2373687"}}]}]}, "error": null, "id": 1}"#;
    std::fs::write(dir.join("b.json"), doc).unwrap();
    let mut g = Graph::new();
    let r = load_file(&mut g, &dir.join("b.json"), &LoadOptions::default()).unwrap();
    assert_eq!(
        (r.format, r.accepted, r.rejected_total()),
        (Format::GetBlock, 2, 0),
        "{:?}",
        r.examples
    );
    assert_eq!(
        g.address_text(g.utxo_txs[0].outputs[0].address.unwrap()),
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    );
    assert_eq!(g.utxo_txs[0].outputs[0].value, 625_000_000);
    let spend = &g.utxo_txs[1];
    assert_eq!(
        (spend.inputs[0].value, spend.outputs[0].value),
        (Some(100_000), 90_000)
    );
    assert!(g
        .address_text(spend.inputs[0].address.unwrap())
        .starts_with('1'));
    assert!(g
        .address_text(spend.outputs[0].address.unwrap())
        .starts_with('3'));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn real_label_files_load_with_sources_and_case_rules() {
    let (Some(ofac), Some(tagpacks), Some(etherscan)) = (
        shared("labels/ofac_sdn_digital_currency_addresses.csv"),
        shared("labels/graphsense-tagpacks/packs"),
        shared("labels/etherscan-labels/etherscan_combinedAllLabels.json"),
    ) else {
        return;
    };
    let mut s = LabelSet::new();
    assert_eq!(s.load_file(&ofac).unwrap(), 977);
    let mut packs: Vec<_> = std::fs::read_dir(&tagpacks)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    packs.sort();
    for p in &packs {
        s.load_file(p).unwrap_or_else(|e| panic!("{e}"));
    }
    s.load_file(&etherscan).unwrap();
    // Rejected: 3 bitfinex wallets listed under chains we parse but not valid for them (e.g. an
    // Avalanche X-chain `X-avax1…` address tagged AVAX). Counted, not silently dropped.
    assert_eq!(s.rejected.values().sum::<u64>(), 3, "{:?}", s.rejected);
    assert!(
        s.rejected
            .keys()
            .all(|k| k.contains("exchange-wallets-bitfinexcom.yaml")),
        "{:?}",
        s.rejected
    );
    let ronin = s.lookup("0x098b716b8aaf21512996dc57eb0615e2383e2f96");
    let cats: BTreeSet<Category> = ronin.iter().map(|l| l.category).collect();
    assert!(
        cats.contains(&Category::Sanctioned) && cats.contains(&Category::Theft),
        "{ronin:?}"
    );
    assert!(ronin.iter().any(|l| l.source.starts_with("OFAC SDN")
        && l.detail.as_deref() == Some("DPRK3")
        && l.label == "LAZARUS GROUP"));
    assert!(ronin
        .iter()
        .any(|l| l.source.starts_with("Etherscan labels")));
    assert!(s
        .lookup("0xa160cdab225685da1d56aa342ad8841c3b53f291")
        .iter()
        .any(|l| l.category == Category::Mixer));
    assert!(s
        .lookup("0x28c6c06298d514db089934071355e5743bf21d60")
        .iter()
        .any(|l| l.category == Category::Exchange));
    // A Base58 OFAC address (Lazarus BTC, 2020) matches exactly, and not in lower case.
    assert!(!s.lookup("134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak").is_empty());
    assert!(s.lookup("134r8ihv69xdt6p5qvktshrcuebvzayak").is_empty());
}

#[test]
fn gzipped_exports_load_like_plain_ones() {
    let Some(p) = shared("ethereum/ethereum-etl/test_export_blocks_job__blocks_with_transactions_and_withdrawals__expected_transactions.csv") else { return };
    let dir = std::env::temp_dir().join(format!("chain-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gz = dir.join("transactions.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::Write::write_all(&mut enc, &std::fs::read(&p).unwrap()).unwrap();
    enc.finish().unwrap();
    let (mut a, mut b) = (Graph::new(), Graph::new());
    let ra = load_file(&mut a, &p, &LoadOptions::default()).unwrap();
    let rb = load_file(&mut b, &gz, &LoadOptions::default()).unwrap();
    assert_eq!(
        (rb.format, rb.records, rb.accepted),
        (ra.format, ra.records, ra.accepted)
    );
    assert_eq!(a.transfers, b.transfers);
    std::fs::remove_dir_all(&dir).ok();
}

/// Garbage never panics: random bytes as raw blocks, mutated JSON lines and CSV rows are
/// rejected with reasons (or the file with an error), never a crash.
#[test]
fn garbage_inputs_do_not_panic() {
    let dir = std::env::temp_dir().join(format!("chain-garbage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = move || {
        state = state.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z ^ (z >> 27)
    };
    let json = r#"{"type": "token_transfer", "token_address": "0xdac17f958d2ee523a2206206994597c13d831ec7", "from_address": "0x1111111111111111111111111111111111111111", "to_address": "0x2222222222222222222222222222222222222222", "value": 5, "transaction_hash": "0x3333333333333333333333333333333333333333333333333333333333333333", "log_index": 1, "block_number": 9}"#;
    let csv_row = "0x1111111111111111111111111111111111111111111111111111111111111111,2025-02-21T14:13:35Z,0x47666fab8bd0ac7003bce3f5c3585383f09486e2,0x1111111111111111111111111111111111111111,1.5,,ETH,18,21895251";
    for round in 0..80 {
        // Raw block: magic + length + random body (sometimes a plausible header length).
        let len = (next() % 400) as usize;
        let mut blk = vec![0xf9, 0xbe, 0xb4, 0xd9];
        blk.extend_from_slice(&(len as u32).to_le_bytes());
        blk.extend((0..len).map(|_| next() as u8));
        std::fs::write(dir.join("blk.dat"), &blk).unwrap();
        let _ = load_file(
            &mut Graph::new(),
            &dir.join("blk.dat"),
            &LoadOptions::default(),
        );
        // Mutated JSON and CSV: replace a few bytes with random ASCII/UTF-8.
        for (name, base, header) in [
            ("t.json", json, ""),
            (
                "x.csv",
                csv_row,
                "hash,timestamp,from,to,value,asset_contract,symbol,decimals,block\n",
            ),
        ] {
            let mut b: Vec<char> = base.chars().collect();
            for _ in 0..(1 + round % 5) {
                let i = (next() as usize) % b.len();
                b[i] = ['é', '"', ',', '.', '0', 'x', '{', '}', ':', 'Т', '9', ' ']
                    [(next() % 12) as usize];
            }
            let text: String = b.into_iter().collect();
            std::fs::write(dir.join(name), format!("{header}{base}\n{text}\n")).unwrap();
            let _ = load_file(&mut Graph::new(), &dir.join(name), &LoadOptions::default());
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
