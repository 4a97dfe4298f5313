//! UTXO address clustering: the multi-input heuristic with union-find, CoinJoin exclusion
//! (Wasabi 1.x, Wasabi 2.0/WabiSabi, Whirlpool, JoinMarket detectors with GraphSense's parameters),
//! a merge log, and a veto on merging two large clusters (a guard against super-clusters).
//! Also GraphSense-style address relations (edge value = input share × output value).

use crate::model::{Graph, UtxoTx};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Why a transaction looks like a CoinJoin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoinJoinKind {
    /// Wasabi 1.0/1.1: ≈ 0.1 BTC (± 5 %) equal outputs.
    Wasabi1,
    /// Wasabi 2.0 / WabiSabi: ≥ 20 inputs, repeated standard denominations.
    Wasabi2,
    /// Samourai Whirlpool: 5 × 5 with a pool denomination.
    Whirlpool,
    /// JoinMarket: ≥ 3 equal outputs plus change.
    JoinMarket,
}

const WHIRLPOOL_POOLS: [u64; 4] = [100_000, 1_000_000, 5_000_000, 50_000_000];

/// Detects CoinJoin shapes on a transaction (input addresses must be resolved for the per-address
/// ratios). Returns the first detector that fires.
pub fn detect_coinjoin(tx: &UtxoTx) -> Option<CoinJoinKind> {
    if tx.coinbase || tx.inputs.len() < 2 || tx.outputs.len() < 3 {
        return None;
    }
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for o in &tx.outputs {
        *counts.entry(o.value).or_default() += 1;
    }
    let (&denom, &n_equal) = counts.iter().max_by_key(|(v, c)| (**c, **v))?;
    let n_in = tx.inputs.len();
    let distinct_out_addr = {
        let mut a: Vec<_> = tx
            .outputs
            .iter()
            .filter(|o| o.value == denom)
            .filter_map(|o| o.address)
            .collect();
        a.sort_unstable();
        a.dedup();
        a.len()
    };
    // Whirlpool: exactly 5 inputs and 5 outputs of one pool denomination.
    if n_in == 5 && tx.outputs.len() == 5 && n_equal == 5 && WHIRLPOOL_POOLS.contains(&denom) {
        return Some(CoinJoinKind::Whirlpool);
    }
    // Wasabi 2.0: ≥ 20 inputs, a denomination appearing ≥ 2×, min output 5,000 sat, and no single
    // input address holding > 10 % of inputs.
    if n_in >= 20 && n_equal >= 2 && tx.outputs.iter().all(|o| o.value >= 5_000) {
        let mut per_addr: HashMap<u32, usize> = HashMap::new();
        for i in &tx.inputs {
            if let Some(a) = i.address {
                *per_addr.entry(a).or_default() += 1;
            }
        }
        // The per-participant test needs input addresses: unresolved inputs cannot pass it.
        let resolved: usize = per_addr.values().sum();
        if resolved * 10 >= n_in * 9 && per_addr.values().all(|&c| c * 10 <= n_in) {
            return Some(CoinJoinKind::Wasabi2);
        }
    }
    // Wasabi 1.x: many equal outputs near 0.1 BTC.
    if (9_500_000..=10_500_000).contains(&denom) && n_equal >= 10 && n_in >= n_equal {
        return Some(CoinJoinKind::Wasabi1);
    }
    // JoinMarket: ≥ 3 equal outputs to distinct addresses, at least one other (change) output,
    // inputs ≥ participants; dust outputs (≤ 2,730 sat) ignored.
    let non_dust_other = tx
        .outputs
        .iter()
        .filter(|o| o.value != denom && o.value > 2_730)
        .count();
    if n_equal >= 3
        && distinct_out_addr == n_equal
        && non_dust_other >= 1
        && n_in >= n_equal
        && n_equal * 2 >= tx.outputs.len() - 1
    {
        return Some(CoinJoinKind::JoinMarket);
    }
    None
}

/// One union of two clusters (or a refused one).
#[derive(Debug, Clone, Serialize)]
pub struct Merge {
    /// Tx that caused it (position in the graph, or caller's key).
    pub tx: u64,
    /// Heuristic name.
    pub heuristic: &'static str,
    /// Root of the first cluster before the merge.
    pub a: u32,
    /// Root of the second.
    pub b: u32,
    /// Sizes before.
    pub sizes: (u32, u32),
    /// True if refused by the size veto.
    pub vetoed: bool,
}

/// Union-find over address ids with a min-id representative (GraphSense's cluster id), merge log
/// and size veto.
#[derive(Debug, Clone)]
pub struct Clustering {
    parent: Vec<u32>,
    size: Vec<u32>,
    min_id: Vec<u32>,
    /// Both clusters at least this large → the merge is refused (0 disables the veto).
    pub veto_size: u32,
    /// Every merge and veto.
    pub log: Vec<Merge>,
}

impl Clustering {
    /// `n` singleton clusters.
    pub fn new(n: usize, veto_size: u32) -> Self {
        Clustering {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
            min_id: (0..n as u32).collect(),
            veto_size,
            log: vec![],
        }
    }

    /// Root of `a` (path halving).
    pub fn find(&mut self, mut a: u32) -> u32 {
        while self.parent[a as usize] != a {
            let p = self.parent[a as usize];
            self.parent[a as usize] = self.parent[p as usize];
            a = self.parent[a as usize];
        }
        a
    }

    /// Cluster id of `a`: the smallest address id in its cluster.
    pub fn cluster_id(&mut self, a: u32) -> u32 {
        let r = self.find(a);
        self.min_id[r as usize]
    }

    /// Unites all `inputs` of one tx (the multi-input heuristic).
    pub fn add_inputs(&mut self, tx: u64, inputs: &[u32]) {
        let Some(&first) = inputs.first() else { return };
        for &other in &inputs[1..] {
            let (ra, rb) = (self.find(first), self.find(other));
            if ra == rb {
                continue;
            }
            let sizes = (self.size[ra as usize], self.size[rb as usize]);
            let vetoed =
                self.veto_size > 0 && sizes.0 >= self.veto_size && sizes.1 >= self.veto_size;
            self.log.push(Merge {
                tx,
                heuristic: "multi_input",
                a: ra,
                b: rb,
                sizes,
                vetoed,
            });
            if vetoed {
                continue;
            }
            let (big, small) = if sizes.0 >= sizes.1 {
                (ra, rb)
            } else {
                (rb, ra)
            };
            self.parent[small as usize] = big;
            self.size[big as usize] += self.size[small as usize];
            self.min_id[big as usize] = self.min_id[big as usize].min(self.min_id[small as usize]);
        }
    }
}

/// Clusters the UTXO transactions of a graph: multi-input over resolved input addresses, skipping
/// coinbases and (if `exclude_coinjoin`) detected CoinJoins. Returns the clustering and the number
/// of CoinJoins skipped by kind.
pub fn cluster_graph(
    g: &Graph,
    exclude_coinjoin: bool,
    veto_size: u32,
) -> (Clustering, BTreeMap<String, u64>) {
    let mut c = Clustering::new(g.addresses.len(), veto_size);
    let mut skipped = BTreeMap::new();
    for (i, tx) in g.utxo_txs.iter().enumerate() {
        if tx.coinbase {
            continue;
        }
        if exclude_coinjoin {
            if let Some(k) = detect_coinjoin(tx) {
                *skipped.entry(format!("{k:?}")).or_default() += 1;
                continue;
            }
        }
        let ins: Vec<u32> = tx.inputs.iter().filter_map(|i| i.address).collect();
        c.add_inputs(i as u64, &ins);
    }
    (c, skipped)
}

/// GraphSense-style address relation estimates for one tx: each (input address, output address)
/// pair with different addresses gets `round(output value × input value / total input)`, where the
/// total counts every input (also those without a single address, e.g. multisig); a coinbase (no
/// inputs) attributes the whole output to `coinbase_id`.
pub fn tx_relations(
    inputs: &[(u32, u64)],
    outputs: &[(u32, u64)],
    total: u64,
    coinbase_id: u32,
) -> Vec<(u32, u32, u64)> {
    let mut out = Vec::new();
    if inputs.is_empty() && total == 0 {
        for &(b, w) in outputs {
            out.push((coinbase_id, b, w));
        }
        return out;
    }
    for &(a, v) in inputs {
        for &(b, w) in outputs {
            if a == b {
                continue;
            }
            out.push((
                a,
                b,
                if total == 0 {
                    0
                } else {
                    ((w as u128 * v as u128 + total as u128 / 2) / total as u128) as u64
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{TxIn, TxOut};

    fn tx(ins: &[(u32, u64)], outs: &[(u32, u64)]) -> UtxoTx {
        UtxoTx {
            chain: 0,
            txid: [0; 32],
            block: 0,
            time: 0,
            index: 1,
            coinbase: false,
            inputs: ins
                .iter()
                .map(|&(a, v)| TxIn {
                    prev_txid: [1; 32],
                    prev_vout: 0,
                    address: Some(a),
                    value: Some(v),
                })
                .collect(),
            outputs: outs
                .iter()
                .map(|&(a, v)| TxOut {
                    address: Some(a),
                    value: v,
                })
                .collect(),
        }
    }

    #[test]
    fn detectors() {
        let w = tx(
            &[
                (1, 1_000_500),
                (2, 1_000_500),
                (3, 1_000_500),
                (4, 1_000_500),
                (5, 1_000_500),
            ],
            &[
                (6, 1_000_000),
                (7, 1_000_000),
                (8, 1_000_000),
                (9, 1_000_000),
                (10, 1_000_000),
            ],
        );
        assert_eq!(detect_coinjoin(&w), Some(CoinJoinKind::Whirlpool));
        let jm = tx(
            &[(1, 600_000), (2, 700_000), (3, 800_000)],
            &[
                (4, 500_000),
                (5, 500_000),
                (6, 500_000),
                (7, 95_000),
                (8, 195_000),
            ],
        );
        assert_eq!(detect_coinjoin(&jm), Some(CoinJoinKind::JoinMarket));
        let pay = tx(
            &[(1, 600_000), (2, 700_000)],
            &[(4, 500_000), (5, 790_000), (6, 1000)],
        );
        assert_eq!(detect_coinjoin(&pay), None);
    }

    #[test]
    fn veto_refuses_merging_two_large_clusters() {
        let mut c = Clustering::new(10, 3);
        c.add_inputs(1, &[0, 1, 2]);
        c.add_inputs(2, &[3, 4, 5]);
        c.add_inputs(3, &[0, 3]);
        assert_ne!(c.cluster_id(0), c.cluster_id(3));
        assert!(c.log.last().unwrap().vetoed);
        c.add_inputs(4, &[5, 9]);
        assert_eq!(c.cluster_id(9), 3);
    }
}
