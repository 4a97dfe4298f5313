//! Per-address adjacency (CSR) over account transfers and a spend index over UTXO outputs, built
//! once per loaded graph so traces touch only the transfers of tainted addresses.

use crate::model::Graph;
use std::collections::HashMap;

/// Compressed adjacency lists: for address `a`, `ids[offsets[a]..offsets[a+1]]` are transfer
/// indices in chain order.
#[derive(Debug, Clone, Default)]
pub struct Csr {
    /// Offsets, one more than addresses.
    pub offsets: Vec<u64>,
    /// Transfer indices.
    pub ids: Vec<u32>,
}

impl Csr {
    fn build(n_addr: usize, keys: impl Iterator<Item = u32> + Clone) -> Csr {
        let mut counts = vec![0u64; n_addr + 1];
        for k in keys.clone() {
            counts[k as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let total = counts[n_addr] as usize;
        let mut ids = vec![0u32; total];
        for (i, k) in keys.enumerate() {
            let slot = &mut fill[k as usize];
            ids[*slot as usize] = i as u32;
            *slot += 1;
        }
        Csr {
            offsets: counts,
            ids,
        }
    }

    /// Transfer indices of address `a`.
    pub fn of(&self, a: u32) -> &[u32] {
        let a = a as usize;
        if a + 1 >= self.offsets.len() {
            return &[];
        }
        &self.ids[self.offsets[a] as usize..self.offsets[a + 1] as usize]
    }
}

/// Indexes over a [`Graph`] whose transfers and UTXO txs are sorted (see [`Graph::sort`]).
#[derive(Debug, Clone, Default)]
pub struct GraphIndex {
    /// Outgoing transfers per address.
    pub out: Csr,
    /// Incoming transfers per address.
    pub inc: Csr,
    /// (txid, vout) → (tx position, output position).
    pub outpoint: HashMap<([u8; 32], u32), (u32, u32)>,
    /// For each tx, the first output's slot in `spent_by`.
    pub out_base: Vec<u64>,
    /// Spending tx position of each output (`u32::MAX` if unspent in the data).
    pub spent_by: Vec<u32>,
    /// UTXO outputs per address: (tx position, output position).
    pub utxo_outputs_of: HashMap<u32, Vec<(u32, u32)>>,
    /// UTXO txs spending from each address: tx positions.
    pub utxo_inputs_of: HashMap<u32, Vec<u32>>,
}

impl GraphIndex {
    /// Builds the indexes.
    pub fn build(g: &Graph) -> GraphIndex {
        let n = g.addresses.len();
        let out = Csr::build(n, g.transfers.iter().map(|t| t.from));
        let inc = Csr::build(n, g.transfers.iter().map(|t| t.to));
        let mut outpoint = HashMap::new();
        let mut out_base = Vec::with_capacity(g.utxo_txs.len());
        let mut base = 0u64;
        let mut utxo_outputs_of: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        let mut utxo_inputs_of: HashMap<u32, Vec<u32>> = HashMap::new();
        for (ti, tx) in g.utxo_txs.iter().enumerate() {
            out_base.push(base);
            base += tx.outputs.len() as u64;
            for (oi, o) in tx.outputs.iter().enumerate() {
                outpoint.insert((tx.txid, oi as u32), (ti as u32, oi as u32));
                if let Some(a) = o.address {
                    utxo_outputs_of
                        .entry(a)
                        .or_default()
                        .push((ti as u32, oi as u32));
                }
            }
            for i in &tx.inputs {
                if let Some(a) = i.address {
                    let v = utxo_inputs_of.entry(a).or_default();
                    if v.last() != Some(&(ti as u32)) {
                        v.push(ti as u32);
                    }
                }
            }
        }
        let mut spent_by = vec![u32::MAX; base as usize];
        for (ti, tx) in g.utxo_txs.iter().enumerate() {
            for i in &tx.inputs {
                if let Some(&(pt, po)) = outpoint.get(&(i.prev_txid, i.prev_vout)) {
                    spent_by[(out_base[pt as usize] + po as u64) as usize] = ti as u32;
                }
            }
        }
        GraphIndex {
            out,
            inc,
            outpoint,
            out_base,
            spent_by,
            utxo_outputs_of,
            utxo_inputs_of,
        }
    }

    /// Spending tx of output `(tx, out)`.
    pub fn spender(&self, tx: u32, out: u32) -> Option<u32> {
        let s = *self
            .spent_by
            .get((self.out_base.get(tx as usize)? + out as u64) as usize)?;
        (s != u32::MAX).then_some(s)
    }
}
