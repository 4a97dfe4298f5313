//! Exposure of an address: how much of what it received (direction `in`, a backward trace) or sent
//! (direction `out`, a forward trace) is linked to each risk category, directly (one hop) or
//! indirectly, with amount, share, minimum hops, an example path and a severity on TRM's scale
//! (Severe 15, High 10, Medium 5, Low 1).

use crate::amount::Amount;
use crate::trace::{Hit, Step, TraceConfig, Tracer};
use serde::Serialize;
use std::collections::BTreeMap;

/// Which way to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Where the address's funds came from.
    In,
    /// Where its funds went.
    Out,
}

/// Severity buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No risk category.
    None,
    /// 1.
    Low,
    /// 5.
    Medium,
    /// 10.
    High,
    /// 15.
    Severe,
}

impl Severity {
    /// TRM-style weight.
    pub fn weight(self) -> f64 {
        match self {
            Severity::Severe => 15.0,
            Severity::High => 10.0,
            Severity::Medium => 5.0,
            Severity::Low => 1.0,
            Severity::None => 0.0,
        }
    }
}

fn base_severity(category: &str) -> Severity {
    match category {
        "sanctioned" | "theft" => Severity::Severe,
        "mixer" | "scam" => Severity::High,
        "bridge" | "gambling" => Severity::Medium,
        "exchange" | "deposit" | "dex" => Severity::Low,
        _ => Severity::None,
    }
}

/// Exposure to one category in one asset.
#[derive(Debug, Clone, Serialize)]
pub struct ExposureRow {
    /// Category.
    pub category: &'static str,
    /// Asset symbol.
    pub asset: String,
    /// Decimals for display.
    pub decimals: u8,
    /// Amount linked at hop 1.
    pub direct: Amount,
    /// Amount linked at hops ≥ 2.
    pub indirect: Amount,
    /// (direct + indirect) / total received (or sent) in this asset.
    pub share: f64,
    /// Minimum hops.
    pub min_hops: u32,
    /// Labelled counterparties involved.
    pub counterparties: Vec<String>,
    /// Severity: the category's base; a direct sanctioned or theft link is always Severe; an indirect
    /// link under 5 % share is one bucket lower.
    pub severity: Severity,
    /// weight × share × 0.5^(hops−1).
    pub score: f64,
    /// Path of the closest link.
    pub example_path: Vec<Step>,
}

/// Exposure report.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    /// Subject address(es).
    pub subject: Vec<String>,
    /// Direction.
    pub direction: Direction,
    /// Rows, most severe first.
    pub rows: Vec<ExposureRow>,
    /// Worst severity.
    pub severity: Severity,
}

/// Computes exposure of `subject` address ids. Direction `in` walks backwards proportionally;
/// `out` runs a forward trace with `cfg.model` from the subject.
pub fn exposure(
    tracer: &Tracer,
    subject: &[u32],
    direction: Direction,
    cfg: &TraceConfig,
) -> Exposure {
    let result = match direction {
        Direction::In => tracer.backward(subject, cfg),
        Direction::Out => tracer.forward(subject, cfg),
    };
    let mut total_out: BTreeMap<String, Amount> = BTreeMap::new();
    if direction == Direction::Out {
        for &a in subject {
            for &i in tracer.index.out.of(a) {
                let t = &tracer.graph.transfers[i as usize];
                let sym = tracer.graph.assets[t.asset as usize].symbol.clone();
                let e = total_out.entry(sym).or_insert(Amount::ZERO);
                *e = e.saturating_add(t.amount);
            }
            for (ti, tx) in tracer
                .index
                .utxo_inputs_of
                .get(&a)
                .into_iter()
                .flatten()
                .map(|&ti| (ti, &tracer.graph.utxo_txs[ti as usize]))
            {
                let _ = ti;
                let sym = crate::model::CHAINS[tx.chain as usize]
                    .native_symbol
                    .to_string();
                let spent: u64 = tx
                    .inputs
                    .iter()
                    .filter(|i| i.address == Some(a))
                    .filter_map(|i| i.value)
                    .sum();
                let e = total_out.entry(sym).or_insert(Amount::ZERO);
                *e = e.saturating_add(Amount::from_u64(spent));
            }
        }
    }
    let mut rows: BTreeMap<(&'static str, String), (ExposureRow, Amount)> = BTreeMap::new();
    for h in &result.hits {
        for &cat in &h.categories {
            let base = match direction {
                Direction::In => h.received,
                Direction::Out => total_out.get(&h.asset).copied().unwrap_or(h.received),
            };
            let (row, _) = rows.entry((cat, h.asset.clone())).or_insert_with(|| {
                (
                    ExposureRow {
                        category: cat,
                        asset: h.asset.clone(),
                        decimals: h.decimals,
                        direct: Amount::ZERO,
                        indirect: Amount::ZERO,
                        share: 0.0,
                        min_hops: u32::MAX,
                        counterparties: vec![],
                        severity: Severity::None,
                        score: 0.0,
                        example_path: vec![],
                    },
                    base,
                )
            });
            add_hit(row, h);
        }
    }
    let mut out: Vec<ExposureRow> = rows
        .into_values()
        .map(|(mut r, base)| {
            let linked = r.direct.saturating_add(r.indirect);
            r.share = if base.is_zero() {
                0.0
            } else {
                (linked.to_f64_lossy() / base.to_f64_lossy()).min(1.0)
            };
            let mut sev = base_severity(r.category);
            if r.min_hops > 1 && r.share < 0.05 && sev > Severity::Low {
                sev = match sev {
                    Severity::Severe => Severity::High,
                    Severity::High => Severity::Medium,
                    _ => Severity::Low,
                };
            }
            r.severity = sev;
            r.score = sev.weight() * r.share * 0.5f64.powi(r.min_hops.saturating_sub(1) as i32);
            r
        })
        .collect();
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.score.total_cmp(&a.score))
    });
    let severity = out.first().map_or(Severity::None, |r| r.severity);
    Exposure {
        subject: subject
            .iter()
            .map(|&a| tracer.graph.address_text(a).to_string())
            .collect(),
        direction,
        rows: out,
        severity,
    }
}

fn add_hit(row: &mut ExposureRow, h: &Hit) {
    if h.hops <= 1 {
        row.direct = row.direct.saturating_add(h.tainted);
    } else {
        row.indirect = row.indirect.saturating_add(h.tainted);
    }
    if h.hops < row.min_hops {
        row.min_hops = h.hops;
        row.example_path = h.path.clone();
    }
    if !row.counterparties.contains(&h.address) {
        row.counterparties.push(h.address.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{generate, ScenarioConfig, SeedRow};
    use crate::trace::Model;

    #[test]
    fn deposit_exposure_in_and_exploiter_exposure_out() {
        let rows = vec![
            SeedRow {
                incident: "ronin".into(),
                address: "0x098b716b8aaf21512996dc57eb0615e2383e2f96".into(),
                role: "Primary exploiter".into(),
            },
            SeedRow {
                incident: "ronin".into(),
                address: "0x17a96cd2aff8bece22b54a83955fbab5c92a98ca".into(),
                role: "VASP deposit address: Huobi".into(),
            },
        ];
        let s = generate(&rows, &ScenarioConfig::default());
        let idx = crate::index::GraphIndex::build(&s.graph);
        let masks = s.labels.masks(&s.graph);
        let tracer = Tracer {
            graph: &s.graph,
            index: &idx,
            masks: &masks,
        };
        let deposit = s
            .graph
            .address_id(
                crate::model::ETHEREUM,
                "0x17a96cd2aff8bece22b54a83955fbab5c92a98ca",
            )
            .unwrap();
        let (hops, _) = s.truth.true_deposits["0x17a96cd2aff8bece22b54a83955fbab5c92a98ca"];
        let e = exposure(
            &tracer,
            &[deposit],
            Direction::In,
            &TraceConfig {
                max_hops: 6,
                ..Default::default()
            },
        );
        let theft = e
            .rows
            .iter()
            .find(|r| r.category == "theft")
            .expect("theft exposure");
        assert_eq!(theft.min_hops, hops);
        assert!(theft.share > 0.9, "{theft:?}");
        assert_eq!(e.severity, Severity::Severe);
        assert_eq!(
            theft.example_path.first().unwrap().from,
            "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
        );
        let seed = s
            .graph
            .address_id(
                crate::model::ETHEREUM,
                "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
            )
            .unwrap();
        let out = exposure(
            &tracer,
            &[seed],
            Direction::Out,
            &TraceConfig {
                model: Model::Haircut,
                max_hops: 10,
                ..Default::default()
            },
        );
        for cat in ["deposit", "mixer", "bridge"] {
            assert!(
                out.rows.iter().any(|r| r.category == cat),
                "{cat}: {:?}",
                out.rows.iter().map(|r| r.category).collect::<Vec<_>>()
            );
        }
    }
}
