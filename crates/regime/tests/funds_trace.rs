//! End to end: a tiny Ethereum graph in a store, a forward trace with the `chain` library written
//! to `STORE/chain/trace_hits.json` as `embargo trace` writes it, then `findings_for_store`.

use chain::model::{AccountTransfer, Graph, TransferKind, ETHEREUM};
use chain::trace::{Model, TraceConfig};
use chain::Amount;
use regime::Regime;
use std::path::Path;

const THIEF: &str = "0x098b716b8aaf21512996dc57eb0615e2383e2f96";
const HOP: &str = "0x1111111111111111111111111111111111111111";
const DEPOSIT: &str = "0x2222222222222222222222222222222222222222";
const CLEAN: &str = "0x3333333333333333333333333333333333333333";
const OTHER_THIEF: &str = "0x4444444444444444444444444444444444444444";
const ETH: u128 = 1_000_000_000_000_000_000;

fn transfer(g: &mut Graph, n: u8, from: &str, to: &str, eth: u64, time: i64) {
    let from = g.intern_address(ETHEREUM, from).unwrap();
    let to = g.intern_address(ETHEREUM, to).unwrap();
    let asset = g.native_asset(ETHEREUM);
    g.transfers.push(AccountTransfer {
        chain: ETHEREUM,
        tx: [n; 32],
        block: n as u64,
        time,
        index: n as u64,
        kind: TransferKind::NativeTx,
        from,
        to,
        asset,
        amount: Amount::from_u128(eth as u128 * ETH),
    });
}

/// Builds the store, traces from `seed` with `model` and writes trace_hits.json.
fn trace(store: &Path, seed: &str, model: Model) {
    let mut g = Graph::new();
    transfer(&mut g, 1, THIEF, HOP, 10, 1_648_000_000);
    transfer(&mut g, 2, CLEAN, HOP, 10, 1_648_000_100);
    transfer(&mut g, 3, HOP, DEPOSIT, 20, 1_648_000_200);
    transfer(&mut g, 4, OTHER_THIEF, DEPOSIT, 5, 1_648_000_300);
    chain::store::save(store, &g).unwrap();
    let labels = store.join("chain").join("labels");
    std::fs::create_dir_all(&labels).unwrap();
    std::fs::write(
        labels.join("seeds.csv"),
        format!(
            "incident,incident_date,chain,address,role,source_repo,source_path,source_commit\n\
             ronin,2022-03-23,ethereum,{THIEF},Primary exploiter (OFAC SDN LAZARUS GROUP),tayvano/lazarus-bluenoroff-research,hacks-and-thefts/ronin_bridge.md,11a2f6db\n"
        ),
    )
    .unwrap();
    std::fs::write(
        labels.join("user.csv"),
        format!(
            "address,category,label,chain,source\n\
             {DEPOSIT},deposit,Exchange X deposit,ethereum,test\n\
             {OTHER_THIEF},theft,unattributed hack,ethereum,test\n"
        ),
    )
    .unwrap();
    let s = chain::session::Session::open(store, &[] as &[&Path]).unwrap();
    let seeds = s.resolve(seed);
    assert!(!seeds.is_empty());
    let cfg = TraceConfig {
        model,
        ..TraceConfig::default()
    };
    let res = s.tracer().forward(&seeds, &cfg);
    // The record `embargo trace` writes (crates/embargo/src/cmd/trace.rs).
    let record = serde_json::json!({
        "schema": "embargo.chain.trace",
        "schema_version": 1,
        "seeds_file": "",
        "direction": "forward",
        "model": model.name(),
        "max_hops": cfg.max_hops,
        "result": &res,
    });
    std::fs::write(
        store.join("chain").join("trace_hits.json"),
        serde_json::to_vec_pretty(&record).unwrap(),
    )
    .unwrap();
}

#[test]
fn dprk_theft_to_exchange_deposit_becomes_a_finding_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    trace(dir.path(), THIEF, Model::Haircut);
    let regime = Regime::dprk();
    let run = regime::run::findings_for_store(&regime, dir.path(), None, None).unwrap();
    let funds: Vec<_> = run
        .findings
        .iter()
        .filter(|f| f.rule == "stolen_funds_to_vasp")
        .collect();
    assert_eq!(funds.len(), 1, "notes: {:?}", run.notes);
    let f = funds[0];
    assert_eq!(f.funds_path.len(), 2);
    assert_eq!(f.funds_path[0].from, THIEF);
    assert_eq!(f.funds_path[0].to, HOP);
    assert_eq!(f.funds_path[1].to, DEPOSIT);
    assert_eq!(f.funds_path[0].tx, format!("0x{}", "01".repeat(32)));
    assert_eq!(f.funds_path[0].amount_display, "10");
    assert_eq!(f.funds_path[1].time_ms, 1_648_000_200_000);
    let share = f.features.iter().find(|x| x.name == "taint_share").unwrap();
    // Haircut: HOP held 10 stolen + 10 clean and sent 20, so half of the deposit is stolen.
    assert!((share.value - 0.5).abs() < 1e-9, "{share:?}");
    assert!(
        f.assessment.contains("Exchange X deposit"),
        "{}",
        f.assessment
    );
    // Written to findings.json and read back with the path.
    let file = regime::run::write_findings(&regime, dir.path(), &run, 0.0, "test").unwrap();
    assert_eq!(file.counts.get("stolen_funds_to_vasp"), Some(&1));
    let back = regime::output::FindingsFile::read(&dir.path().join("findings.json")).unwrap();
    assert_eq!(back.findings[0].funds_path, f.funds_path);
    // The Parquet table carries the path as JSON text.
    let batches: Vec<_> = store::table::read_batches(dir.path(), "findings")
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let col = batches[0]
        .column_by_name("funds_path")
        .expect("funds_path column");
    let col = col
        .as_any()
        .downcast_ref::<arrow_array::StringArray>()
        .unwrap();
    assert!(col.value(0).contains(DEPOSIT), "{}", col.value(0));

    // Poison taints all 20 ETH: same path, weaker model, lower probability.
    trace(dir.path(), THIEF, Model::Poison);
    let run = regime::run::findings_for_store(&regime, dir.path(), None, None).unwrap();
    let poison = run
        .findings
        .iter()
        .find(|f| f.rule == "stolen_funds_to_vasp")
        .unwrap();
    assert!(poison.probability < f.probability);
}

#[test]
fn theft_not_attributed_to_the_dprk_yields_nothing() {
    let dir = tempfile::tempdir().unwrap();
    trace(dir.path(), OTHER_THIEF, Model::Haircut);
    let run = regime::run::findings_for_store(&Regime::dprk(), dir.path(), None, None).unwrap();
    assert!(run
        .findings
        .iter()
        .all(|f| f.rule != "stolen_funds_to_vasp"));
    assert!(
        run.notes
            .iter()
            .any(|n| n.contains("1 from a seed not attributed")),
        "{:?}",
        run.notes
    );
}
