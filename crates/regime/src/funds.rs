//! Rule `stolen_funds_to_vasp`: funds traced from a DPRK-attributed theft (or a DPRK-listed
//! address) to an exchange become findings, each with the transfer path as its evidence.
//!
//! The `chain` crate writes the hits of the last `embargo trace` run to
//! `STORE/chain/trace_hits.json`; this module reads that file, decides from the address labels
//! (built-in, `STORE/chain/labels/`, the trace's seed file and the crypto addresses of the
//! sanctions lists in the store) whether the path starts at a DPRK-attributed address, and scores
//! every exchange hit with the regime's published weights. The UN Panel of Experts documents
//! DPRK cyber theft as a revenue source for its weapons programmes; proceeds reaching an exchange
//! are the point where a virtual-asset service provider can freeze them.

use crate::estimative::{ramp, EstimativeTerm, Scorer};
use crate::findings::{cite_references, Finding};
use crate::spec::Regime;
use crate::time::{format_date, format_datetime};
use chain::labels::{Category, Label, LabelSet};
use chain::Amount;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The rule id.
pub const RULE: &str = "stolen_funds_to_vasp";

/// Words that attribute a theft label to the DPRK (label text, source or detail, lower case).
const DPRK_ATTRIBUTION: [&str; 9] = [
    "dprk",
    "lazarus",
    "north korea",
    "korea, north",
    "bluenoroff",
    "apt38",
    "tradertraitor",
    "kimsuky",
    "andariel",
];

/// Path of the trace hits file in a store.
pub fn trace_hits_path(store: &Path) -> PathBuf {
    store.join("chain").join("trace_hits.json")
}

/// `STORE/chain/trace_hits.json` as `embargo trace` writes it (schema `embargo.chain.trace`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceHitsFile {
    /// `embargo.chain.trace`.
    pub schema: String,
    /// Schema version (1).
    pub schema_version: u32,
    /// The seed file the trace started from.
    #[serde(default)]
    pub seeds_file: String,
    /// `forward` or `backward`.
    #[serde(default)]
    pub direction: String,
    /// Taint model name.
    #[serde(default)]
    pub model: String,
    /// Hop limit of the trace.
    #[serde(default)]
    pub max_hops: u32,
    /// The trace result.
    pub result: TraceResultDoc,
}

/// The `result` object of the trace hits file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceResultDoc {
    /// Labelled addresses reached.
    #[serde(default)]
    pub hits: Vec<TraceHit>,
}

/// One hit of a trace (the `chain::trace::Hit` as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceHit {
    /// Address reached.
    pub address: String,
    /// Chain name.
    pub chain: String,
    /// Label categories of the address (`exchange`, `deposit`, ...).
    #[serde(default)]
    pub categories: Vec<String>,
    /// True when the address is a service (the trace stopped there).
    #[serde(default)]
    pub sink: bool,
    /// Asset symbol.
    pub asset: String,
    /// Asset decimals.
    #[serde(default)]
    pub decimals: u8,
    /// Tainted amount received, base units (decimal text).
    pub tainted: Amount,
    /// Total received in the transfers that carried taint, base units.
    pub received: Amount,
    /// tainted / received.
    pub share: f64,
    /// Minimum hops from a seed.
    pub hops: u32,
    /// Time of the first tainted receipt (Unix seconds).
    pub first_time: i64,
    /// Taint model (`poison`, `haircut`, `fifo`, `tiho`).
    pub model: String,
    /// Tainted transfers into the address.
    #[serde(default)]
    pub transfers: u32,
    /// Path of the minimum-hop receipt, seed first.
    #[serde(default)]
    pub path: Vec<TraceStep>,
}

/// One step of a hit's path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceStep {
    /// Transaction hash.
    pub tx: String,
    /// Sender.
    pub from: String,
    /// Receiver.
    pub to: String,
    /// Asset symbol.
    pub asset: String,
    /// Tainted amount carried, base units.
    pub amount: Amount,
    /// Hop number of the receiver.
    pub hop: u32,
    /// Time (Unix seconds).
    pub time: i64,
}

/// One transfer of a funds finding's path, as `findings.json` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundsStep {
    /// Hop number of the receiver (1 = first transfer out of the seed).
    pub hop: u32,
    /// Transaction hash.
    pub tx: String,
    /// Sender address.
    pub from: String,
    /// Receiver address.
    pub to: String,
    /// Asset symbol.
    pub asset: String,
    /// Tainted amount carried, base units (exact integer as text).
    pub amount: String,
    /// The same amount in the asset's decimals ("1.5").
    pub amount_display: String,
    /// Time, UTC ms.
    pub time_ms: i64,
    /// Time in words, `YYYY-MM-DD HH:MM UTC` (`time_ms` is exact).
    pub time_utc: String,
}

/// What is known of an address from its labels, for the rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attribution {
    /// Labelled as theft proceeds of a DPRK-attributed incident: the label text.
    pub theft: Option<String>,
    /// On a sanctions list under the regime: entity and programmes.
    pub listed: Option<String>,
}

impl Attribution {
    /// True when either applies.
    pub fn is_dprk(&self) -> bool {
        self.theft.is_some() || self.listed.is_some()
    }
}

fn names_dprk(text: &str) -> bool {
    let text = text.to_lowercase();
    DPRK_ATTRIBUTION.iter().any(|w| text.contains(w))
}

/// A theft label names the DPRK in its text, source or incident detail.
fn theft_is_dprk(l: &Label) -> bool {
    names_dprk(&format!(
        "{} {} {}",
        l.label,
        l.source,
        l.detail.as_deref().unwrap_or("")
    ))
}

/// A list label's programmes (its `detail`) are the regime's, or its entity names the DPRK.
/// Programme matching is kept to the programmes so a hex commit id in a source cannot match "1718".
fn listing_is_regime(regime: &Regime, l: &Label) -> bool {
    let programs = l.detail.as_deref().unwrap_or("").to_lowercase();
    names_dprk(&l.label)
        || regime
            .designations
            .programs
            .iter()
            .any(|p| !p.is_empty() && programs.contains(&p.to_lowercase()))
}

/// Attribution of an address from its labels: a theft label that names the DPRK (Lazarus,
/// incident seeds from DPRK research, ...) or a sanctions-list label whose programmes are the
/// regime's.
pub fn attribute(regime: &Regime, labels: &[&Label]) -> Attribution {
    let mut a = Attribution::default();
    for l in labels {
        match l.category {
            Category::Theft if a.theft.is_none() && theft_is_dprk(l) => {
                a.theft = Some(format!("{} ({})", l.label, l.source));
            }
            Category::Sanctioned if a.listed.is_none() && listing_is_regime(regime, l) => {
                a.listed = Some(format!(
                    "{} [{}] ({})",
                    l.label,
                    l.detail.as_deref().unwrap_or(""),
                    l.source
                ));
            }
            _ => {}
        }
    }
    a
}

/// Value of the `exact_model` feature: haircut and FIFO conserve the stolen amount (1), TIHO
/// assigns taint to the largest outputs (0.5), poison taints everything a tainted input touches (0).
pub fn model_exactness(model: &str) -> f64 {
    match model.to_ascii_lowercase().as_str() {
        "haircut" | "fifo" => 1.0,
        "tiho" => 0.5,
        _ => 0.0,
    }
}

/// Value of the `few_hops` feature: 1 at one hop, falling linearly to 0 at ten hops.
pub fn few_hops(hops: u32) -> f64 {
    1.0 - ramp(hops as f64, 1.0, 10.0)
}

fn short(a: &str) -> String {
    if a.len() > 14 && a.is_ascii() {
        format!("{}…{}", &a[..8], &a[a.len() - 4..])
    } else {
        a.to_string()
    }
}

/// Scores one hit; `None` when the rule does not apply (the seed is not DPRK-attributed, the sink
/// is not an exchange, or there is no path). `seed` is the attribution of the path's first sender,
/// `sink_name` the exchange's label.
pub fn finding_for_hit(
    regime: &Regime,
    hit: &TraceHit,
    seed: &Attribution,
    sink_name: Option<&str>,
) -> Option<Finding> {
    let is_exchange = hit
        .categories
        .iter()
        .any(|c| c == "exchange" || c == "deposit");
    let first = hit.path.first()?;
    if !seed.is_dprk() || !is_exchange {
        return None;
    }
    let (prior, weights, measures) = match regime.rule(RULE) {
        Some(r) => (r.prior_log_odds, r.weights.clone(), r.measures.clone()),
        None => return None,
    };
    let mut s = Scorer::new(prior, &weights);
    s.flag(
        "seed_dprk_theft",
        seed.theft.is_some(),
        seed.theft
            .as_ref()
            .map(|t| format!("the seed {} is labelled {t}", first.from))
            .unwrap_or_default(),
    );
    s.flag(
        "seed_dprk_listed",
        seed.listed.is_some(),
        seed.listed
            .as_ref()
            .map(|t| format!("the seed {} is listed: {t}", first.from))
            .unwrap_or_default(),
    );
    s.add(
        "few_hops",
        few_hops(hit.hops),
        format!(
            "{} hop{} from the seed",
            hit.hops,
            if hit.hops == 1 { "" } else { "s" }
        ),
    );
    let share = if hit.share.is_finite() {
        hit.share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Poison counts every output of a tainted input as wholly stolen, so its share overstates
    // what was stolen; it counts half.
    let poison = hit.model.eq_ignore_ascii_case("poison");
    s.add(
        "taint_share",
        if poison { share / 2.0 } else { share },
        format!(
            "{:.1} % of what the address received in those transfers was tainted{} ({} of {} {})",
            share * 100.0,
            if poison {
                " under poison (counted at half)"
            } else {
                ""
            },
            hit.tainted.to_decimal_string(hit.decimals),
            hit.received.to_decimal_string(hit.decimals),
            hit.asset
        ),
    );
    s.add(
        "exact_model",
        model_exactness(&hit.model),
        format!("traced with the {} taint model", hit.model),
    );
    let deposit = hit.categories.iter().any(|c| c == "deposit");
    s.flag(
        "exchange_deposit",
        deposit,
        "the receiving address is labelled as an exchange deposit address",
    );
    let score = s.finish();
    let term = EstimativeTerm::from_probability(score.probability);
    let refs = cite_references(regime, &measures);
    let exchange = match sink_name {
        Some(n) => format!("the exchange address {} ({n})", hit.address),
        None => format!("the exchange address {}", hit.address),
    };
    let predicate = format!(
        "received {} {} stolen by the DPRK, {} hop{} from {}, on {}",
        hit.tainted.to_decimal_string(hit.decimals),
        hit.asset,
        hit.hops,
        if hit.hops == 1 { "" } else { "s" },
        first.from,
        format_date(hit.first_time.saturating_mul(1000))
    );
    let legal = refs
        .first()
        .map(|r| {
            let cites: Vec<String> = refs
                .iter()
                .filter(|x| x.measure == r.measure)
                .map(|x| x.citation.clone())
                .collect();
            format!(
                "; the funds are DPRK assets subject to {} ({})",
                cites.join(" and "),
                r.measure_title
            )
        })
        .unwrap_or_default();
    let basis: Vec<String> = score
        .features
        .iter()
        .filter(|f| f.value > 0.0 && f.weight != 0.0 && !f.detail.is_empty())
        .map(|f| f.detail.clone())
        .collect();
    let path_words: Vec<String> = hit
        .path
        .iter()
        .map(|p| {
            format!(
                "{} → {} in tx {}",
                short(&p.from),
                short(&p.to),
                short(&p.tx)
            )
        })
        .collect();
    let mut assessment = format!(
        "The assessment is that {}{}.",
        term.phrase(&exchange, &predicate),
        legal
    );
    if !basis.is_empty() {
        assessment.push_str(&format!(" Evidence: {}.", basis.join("; ")));
    }
    assessment.push_str(&format!(" Path: {}.", path_words.join(", ")));
    let funds_path: Vec<FundsStep> = hit
        .path
        .iter()
        .map(|p| FundsStep {
            hop: p.hop,
            tx: p.tx.clone(),
            from: p.from.clone(),
            to: p.to.clone(),
            asset: p.asset.clone(),
            amount: p.amount.to_string(),
            amount_display: p.amount.to_decimal_string(hit.decimals),
            time_ms: p.time.saturating_mul(1000),
            time_utc: format_datetime(p.time.saturating_mul(1000)),
        })
        .collect();
    let start_ms = hit
        .path
        .iter()
        .map(|p| p.time)
        .min()
        .unwrap_or(hit.first_time)
        .saturating_mul(1000);
    let end_ms = hit
        .path
        .iter()
        .map(|p| p.time)
        .max()
        .unwrap_or(hit.first_time)
        .max(hit.first_time)
        .saturating_mul(1000);
    Some(Finding {
        id: format!("{RULE}:{}:{}:{}", hit.chain, hit.address, hit.asset),
        rule: RULE.into(),
        title: format!(
            "DPRK-attributed stolen funds reached an exchange ({} {})",
            hit.chain, hit.asset
        ),
        legal_references: refs,
        vessels: vec![],
        events: vec![],
        evidence: vec![],
        start_ms,
        end_ms,
        lat: 0.0,
        lon: 0.0,
        place: format!("on-chain ({})", hit.chain),
        prior_log_odds: score.prior_log_odds,
        log_odds: score.log_odds,
        probability: score.probability,
        estimative_term: term,
        features: score.features,
        assessment,
        funds_path,
    })
}

/// Errors reading the trace hits.
#[derive(Debug, thiserror::Error)]
pub enum FundsError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a trace hits file.
    #[error("{path}: {message}")]
    Format {
        /// File.
        path: String,
        /// What was wrong.
        message: String,
    },
}

/// Reads a trace hits file.
pub fn read_trace_hits(path: &Path) -> Result<TraceHitsFile, FundsError> {
    let text = std::fs::read_to_string(path).map_err(|source| FundsError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let f: TraceHitsFile = serde_json::from_str(&text).map_err(|e| FundsError::Format {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    if f.schema != "embargo.chain.trace" {
        return Err(FundsError::Format {
            path: path.display().to_string(),
            message: format!("schema is {:?}, not \"embargo.chain.trace\"", f.schema),
        });
    }
    Ok(f)
}

/// The labels the rule consults for a store: built-in, every file in `STORE/chain/labels/`, the
/// trace's seed file when it is a label file (incident seeds), and the crypto addresses of the
/// sanctions lists loaded into the store. Files that cannot be read are reported in the notes.
pub fn labels_for_store(store: &Path, seeds_file: Option<&Path>) -> (LabelSet, Vec<String>) {
    let mut labels = LabelSet::builtin();
    let mut notes = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(store.join("chain").join("labels"))
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for f in &files {
        if let Err(e) = labels.load_file(f) {
            notes.push(format!("label file skipped: {e}"));
        }
    }
    // The seed file is often the incident-seed CSV itself; a plain address list is not a label
    // file, and that is no error.
    if let Some(p) = seeds_file.filter(|p| p.is_file()) {
        let _ = labels.load_file(p);
    }
    if let Ok(entities) = lists::store::load(store) {
        for e in &entities {
            let name = e.names.first().map(|n| n.full.as_str()).unwrap_or(&e.id);
            for id in &e.identifiers {
                if let lists::model::IdKind::CryptoAddress(currency) = &id.kind {
                    let source =
                        format!("{} ({})", e.source, e.list_ref.as_deref().unwrap_or(&e.id));
                    labels.add_listed(&id.value, currency, name, &e.programs.join(", "), &source);
                }
            }
        }
    }
    (labels, notes)
}

/// Findings of rule `stolen_funds_to_vasp` for a parsed trace hits file and label set. Backward
/// traces are skipped (their paths run from a deposit to a source) with a note.
pub fn findings_from_hits(
    regime: &Regime,
    file: &TraceHitsFile,
    labels: &LabelSet,
) -> (Vec<Finding>, Vec<String>) {
    let mut notes = Vec::new();
    if file.direction == "backward" {
        notes.push(
            "trace_hits.json holds a backward trace: no stolen-funds findings (run a forward trace from the theft seeds)".into(),
        );
        return (vec![], notes);
    }
    let mut out = Vec::new();
    let mut not_dprk = 0usize;
    let mut exchange_hits = 0usize;
    for hit in &file.result.hits {
        if !hit
            .categories
            .iter()
            .any(|c| c == "exchange" || c == "deposit")
        {
            continue;
        }
        exchange_hits += 1;
        let Some(first) = hit.path.first() else {
            continue;
        };
        let seed = attribute(regime, &labels.lookup(&first.from));
        if !seed.is_dprk() {
            not_dprk += 1;
            continue;
        }
        let sink_labels = labels.lookup(&hit.address);
        let sink_name = sink_labels
            .iter()
            .find(|l| matches!(l.category, Category::Exchange | Category::Deposit))
            .map(|l| l.label.clone());
        if let Some(f) = finding_for_hit(regime, hit, &seed, sink_name.as_deref()) {
            out.push(f);
        }
    }
    notes.push(format!(
        "trace_hits.json: {} hits, {} at exchanges, {} from a seed not attributed to the DPRK, {} stolen-funds findings",
        file.result.hits.len(),
        exchange_hits,
        not_dprk,
        out.len()
    ));
    (out, notes)
}

/// Findings of rule `stolen_funds_to_vasp` for a store: reads `STORE/chain/trace_hits.json` when
/// present (none and no note when absent).
pub fn findings_for_store(
    regime: &Regime,
    store: &Path,
) -> Result<(Vec<Finding>, Vec<String>), FundsError> {
    let path = trace_hits_path(store);
    if !path.exists() {
        return Ok((vec![], vec![]));
    }
    let file = read_trace_hits(&path)?;
    let seeds = (!file.seeds_file.is_empty()).then(|| PathBuf::from(&file.seeds_file));
    let (labels, mut notes) = labels_for_store(store, seeds.as_deref());
    let (findings, n) = findings_from_hits(regime, &file, &labels);
    notes.extend(n);
    Ok((findings, notes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(tx: &str, from: &str, to: &str, hop: u32, time: i64) -> TraceStep {
        TraceStep {
            tx: tx.into(),
            from: from.into(),
            to: to.into(),
            asset: "ETH".into(),
            amount: Amount::from_u64(2_000_000_000_000_000_000),
            hop,
            time,
        }
    }

    fn hit(hops: u32, share: f64, model: &str, categories: &[&str]) -> TraceHit {
        let path: Vec<TraceStep> = (1..=hops)
            .map(|h| {
                step(
                    &format!("0x{h:064x}"),
                    &format!("0x{:040x}", h),
                    &format!("0x{:040x}", h + 1),
                    h,
                    1_648_000_000 + h as i64 * 60,
                )
            })
            .collect();
        TraceHit {
            address: format!("0x{:040x}", hops + 1),
            chain: "ethereum".into(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            sink: true,
            asset: "ETH".into(),
            decimals: 18,
            tainted: Amount::from_u64(2_000_000_000_000_000_000),
            received: Amount::from_u64(4_000_000_000_000_000_000),
            share,
            hops,
            first_time: 1_648_000_000 + hops as i64 * 60,
            model: model.into(),
            transfers: 1,
            path,
        }
    }

    fn theft() -> Attribution {
        Attribution {
            theft: Some("ronin: Primary exploiter (incident seeds, lazarus research)".into()),
            listed: None,
        }
    }

    fn p(h: &TraceHit, a: &Attribution) -> f64 {
        finding_for_hit(&Regime::dprk(), h, a, Some("Exchange X"))
            .expect("finding")
            .probability
    }

    #[test]
    fn fewer_hops_higher_share_and_exact_models_are_stronger() {
        let a = theft();
        let base = p(&hit(3, 0.4, "haircut", &["exchange"]), &a);
        assert!(p(&hit(1, 0.4, "haircut", &["exchange"]), &a) > base);
        assert!(p(&hit(8, 0.4, "haircut", &["exchange"]), &a) < base);
        assert!(p(&hit(3, 0.9, "haircut", &["exchange"]), &a) > base);
        assert!(p(&hit(3, 0.05, "haircut", &["exchange"]), &a) < base);
        assert!(p(&hit(3, 0.4, "poison", &["exchange"]), &a) < base);
        assert_eq!(p(&hit(3, 0.4, "fifo", &["exchange"]), &a), base);
        assert!(p(&hit(3, 0.4, "haircut", &["exchange", "deposit"]), &a) > base);
        let both = Attribution {
            listed: Some("LAZARUS GROUP [DPRK3] (OFAC)".into()),
            ..theft()
        };
        assert!(p(&hit(3, 0.4, "haircut", &["exchange"]), &both) > base);
    }

    #[test]
    fn worked_examples_of_docs_regime_md() {
        let a = theft();
        let strong = p(&hit(2, 0.5, "haircut", &["exchange", "deposit"]), &a);
        assert!((strong - 0.974).abs() < 0.001, "{strong}");
        let weak = p(&hit(8, 0.05, "poison", &["exchange"]), &a);
        assert!((weak - 0.595).abs() < 0.001, "{weak}");
    }

    #[test]
    fn no_finding_without_dprk_seed_or_exchange_sink_or_path() {
        let r = Regime::dprk();
        let h = hit(2, 0.5, "haircut", &["exchange"]);
        assert!(finding_for_hit(&r, &h, &Attribution::default(), None).is_none());
        for cats in [&["mixer"][..], &["bridge"], &["sanctioned"], &[]] {
            let h = hit(2, 0.5, "haircut", cats);
            assert!(
                finding_for_hit(&r, &h, &theft(), None).is_none(),
                "{cats:?}"
            );
        }
        let mut h = hit(2, 0.5, "haircut", &["deposit"]);
        h.path.clear();
        assert!(finding_for_hit(&r, &h, &theft(), None).is_none());
    }

    #[test]
    fn finding_carries_path_features_and_reference() {
        let h = hit(2, 0.5, "haircut", &["exchange", "deposit"]);
        let f = finding_for_hit(&Regime::dprk(), &h, &theft(), Some("Exchange X")).unwrap();
        assert_eq!(f.rule, RULE);
        assert_eq!(f.funds_path.len(), 2);
        assert_eq!(f.funds_path[0].tx, format!("0x{:064x}", 1));
        assert_eq!(f.funds_path[1].to, h.address);
        assert_eq!(f.funds_path[0].amount, "2000000000000000000");
        assert_eq!(f.funds_path[0].amount_display, "2");
        assert_eq!(f.funds_path[0].time_ms, 1_648_000_060_000);
        assert!(f.assessment.contains("Exchange X"), "{}", f.assessment);
        assert!(f.assessment.contains("Path:"), "{}", f.assessment);
        assert!(f
            .legal_references
            .iter()
            .any(|r| r.resolution == 1718 && r.measure == "asset_freeze"));
        let expected = f.prior_log_odds + f.features.iter().map(|x| x.contribution).sum::<f64>();
        assert!((f.log_odds - expected).abs() < 1e-12);
        assert_eq!(
            f.estimative_term,
            EstimativeTerm::from_probability(f.probability)
        );
        // findings.json stays readable: the path round-trips, and a maritime finding without
        // `funds_path` still parses.
        let json = serde_json::to_value(&f).unwrap();
        let back: Finding = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, f);
        let mut old = json;
        old.as_object_mut().unwrap().remove("funds_path");
        let back: Finding = serde_json::from_value(old).unwrap();
        assert!(back.funds_path.is_empty());
    }

    #[test]
    fn attribution_needs_dprk_in_theft_label_or_regime_programme() {
        let r = Regime::dprk();
        let mk = |category, label: &str, source: &str, detail: &str| Label {
            address: "0xabc".into(),
            chain: None,
            label: label.into(),
            category,
            source: source.into(),
            confidence: None,
            detail: Some(detail.into()),
            case_lost: false,
        };
        let lazarus = mk(
            Category::Theft,
            "ronin: Primary exploiter",
            "incident seeds (dprk_incident_seed_addresses.csv, x @ 1718abc)",
            "ronin 2022-03-23",
        );
        assert!(attribute(&r, &[&lazarus]).theft.is_some());
        // A theft not attributed to the DPRK; "1718" inside a commit id is not a programme.
        let other = mk(Category::Theft, "some hack", "tagpack @ 11718ab", "hack");
        assert!(!attribute(&r, &[&other]).is_dprk());
        let ofac = mk(Category::Sanctioned, "LAZARUS GROUP", "OFAC SDN", "DPRK3");
        assert!(attribute(&r, &[&ofac]).listed.is_some());
        let russia = mk(
            Category::Sanctioned,
            "GARANTEX",
            "OFAC SDN",
            "RUSSIA-EO14024",
        );
        assert!(!attribute(&r, &[&russia]).is_dprk());
    }

    #[test]
    fn backward_traces_and_bad_files() {
        let file = TraceHitsFile {
            schema: "embargo.chain.trace".into(),
            schema_version: 1,
            seeds_file: String::new(),
            direction: "backward".into(),
            model: "haircut".into(),
            max_hops: 4,
            result: TraceResultDoc {
                hits: vec![hit(2, 0.5, "haircut", &["exchange"])],
            },
        };
        let (f, notes) = findings_from_hits(&Regime::dprk(), &file, &LabelSet::builtin());
        assert!(f.is_empty());
        assert!(notes[0].contains("backward"));
        let dir = std::env::temp_dir().join(format!("regime-funds-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("chain")).unwrap();
        assert!(findings_for_store(&Regime::dprk(), &dir)
            .unwrap()
            .0
            .is_empty());
        std::fs::write(trace_hits_path(&dir), b"{\"schema\": 5").unwrap();
        let e = findings_for_store(&Regime::dprk(), &dir).unwrap_err();
        assert!(e.to_string().contains("trace_hits.json"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
