//! Taint tracing: poison, haircut, FIFO and TIHO, forwards from seed addresses and backwards from
//! a deposit, with max-hops, time-window and dust cut-offs. Services (exchange, deposit, bridge,
//! mixer, gambling) are sinks: reported as hits, never traversed. Every hit carries its path.
//!
//! Forward tracing is event-driven: only transfers of addresses that hold taint are visited, in
//! chain order (a heap of transfer positions), so a trace costs what the taint touches, not the
//! size of the chain.
//!
//! Account model: per (address, asset) a balance, a tainted amount and a FIFO queue of lots. When an
//! address first receives taint, its earlier clean balance is rebuilt from its own history so the
//! haircut ratio and FIFO queue are exact. Model rules for an outgoing amount `A` from an address
//! holding `B` with `T` tainted: poison carries `A` if `T > 0`; haircut carries `A·T/B` (floor);
//! FIFO consumes the oldest lots; TIHO carries `min(A, T)` (the tainted balance leaves first — the
//! account-model reading of "taint in, highest out"). Seeds are wholly tainted sources.
//!
//! UTXO model: per output a tainted amount (or, for FIFO, ordered tainted/clean satoshi ranges).
//! A spending tx maps input taint to outputs: poison taints every output if any input is tainted;
//! haircut gives `value·ΣT/Σin`; FIFO maps satoshi ranges positionally (the fee range is dropped);
//! TIHO assigns the tainted sum to the largest outputs first.

use crate::amount::Amount;
use crate::index::GraphIndex;
use crate::labels::Category;
use crate::model::{hash_hex, Graph, CHAINS};
use serde::Serialize;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};

/// A taint model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// Any tainted input taints everything out.
    Poison,
    /// Proportional.
    Haircut,
    /// First in, first out.
    Fifo,
    /// Taint in, highest out.
    Tiho,
}

impl Model {
    /// Parses `poison|haircut|fifo|tiho`.
    pub fn parse(s: &str) -> Option<Model> {
        Some(match s.to_ascii_lowercase().as_str() {
            "poison" => Model::Poison,
            "haircut" => Model::Haircut,
            "fifo" => Model::Fifo,
            "tiho" => Model::Tiho,
            _ => return None,
        })
    }
    /// All models.
    pub const ALL: [Model; 4] = [Model::Poison, Model::Haircut, Model::Fifo, Model::Tiho];
    /// Name.
    pub fn name(self) -> &'static str {
        match self {
            Model::Poison => "poison",
            Model::Haircut => "haircut",
            Model::Fifo => "fifo",
            Model::Tiho => "tiho",
        }
    }
}

/// Cut-offs and model.
#[derive(Debug, Clone)]
pub struct TraceConfig {
    /// Taint model.
    pub model: Model,
    /// Hops from a seed beyond which taint is not followed.
    pub max_hops: u32,
    /// Ignore transfers before (Unix seconds): the theft time.
    pub start_time: Option<i64>,
    /// Ignore transfers after.
    pub end_time: Option<i64>,
    /// Taint below this many base units is dropped (dust floor).
    pub dust: Amount,
}

impl Default for TraceConfig {
    fn default() -> Self {
        TraceConfig {
            model: Model::Haircut,
            max_hops: 10,
            start_time: None,
            end_time: None,
            dust: Amount::ZERO,
        }
    }
}

/// One step of a hit's path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Transaction hash / txid.
    pub tx: String,
    /// Sender address.
    pub from: String,
    /// Receiver address.
    pub to: String,
    /// Asset symbol.
    pub asset: String,
    /// Tainted amount carried by this step (base units).
    pub amount: Amount,
    /// Hop number of the receiver.
    pub hop: u32,
    /// Time (Unix seconds).
    pub time: i64,
}

/// A labelled address reached by taint.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Address.
    pub address: String,
    /// Chain name.
    pub chain: String,
    /// Categories of its labels.
    pub categories: Vec<&'static str>,
    /// True if a service (trace stopped here).
    pub sink: bool,
    /// Asset symbol.
    pub asset: String,
    /// Asset decimals (for display).
    pub decimals: u8,
    /// Tainted amount received (base units).
    pub tainted: Amount,
    /// Total received in the transfers that carried taint.
    pub received: Amount,
    /// tainted / received.
    pub share: f64,
    /// Minimum hop count.
    pub hops: u32,
    /// Time of the first tainted receipt.
    pub first_time: i64,
    /// Model used.
    pub model: Model,
    /// Number of tainted transfers/outputs into the address.
    pub transfers: u32,
    /// Path of the minimum-hop receipt, seed first.
    pub path: Vec<Step>,
}

/// A tainted edge (for graph export).
#[derive(Debug, Clone, Serialize)]
pub struct TaintEdge {
    /// Sender address id.
    pub from: u32,
    /// Receiver address id.
    pub to: u32,
    /// Asset id.
    pub asset: u32,
    /// Tainted amount.
    pub tainted: Amount,
    /// Transfer amount.
    pub amount: Amount,
    /// Tx hash.
    pub tx: [u8; 32],
    /// Hop of the receiver.
    pub hop: u32,
}

/// Result of a trace.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TraceResult {
    /// Labelled addresses reached, sorted by hops then address.
    pub hits: Vec<Hit>,
    /// Tainted edges.
    #[serde(skip)]
    pub edges: Vec<TaintEdge>,
    /// Nodes (address-assets or outputs) holding taint.
    pub tainted_nodes: usize,
    /// Transfers or transactions examined.
    pub examined: u64,
    /// Taint not followed because it would exceed max hops.
    pub stopped_max_hops: u64,
    /// Taint dropped under the dust floor.
    pub stopped_dust: u64,
    /// Transfers of non-whitelisted assets not followed (impersonating or unlisted tokens).
    pub skipped_unlisted_asset: u64,
    /// UTXO inputs whose spent output is not in the data (value unknown, treated as clean).
    pub unresolved_inputs: u64,
}

fn categories(mask: u16) -> Vec<&'static str> {
    Category::ALL
        .iter()
        .filter(|c| mask & c.bit() != 0)
        .map(|c| c.name())
        .collect()
}

fn service_mask() -> u16 {
    Category::ALL
        .iter()
        .filter(|c| c.is_service())
        .fold(0, |m, c| m | c.bit())
}

/// A tainted transfer into a DEX, continued into the other asset leaving the DEX in the same tx.
#[derive(Debug, Clone, Copy)]
struct SwapIn {
    tainted: Amount,
    amount: Amount,
    hop: u32,
    input: u32,
}

#[derive(Debug, Clone)]
struct AState {
    total: Amount,
    tainted: Amount,
    lots: VecDeque<(Amount, Amount)>,
    hops: u32,
    parent: u32,
    seed: bool,
}

struct HitAcc {
    tainted: Amount,
    received: Amount,
    hops: u32,
    first_time: i64,
    transfers: u32,
    path: Vec<Step>,
}

/// Runs taint tracing on a graph with its index and label masks.
pub struct Tracer<'a> {
    /// Graph (sorted).
    pub graph: &'a Graph,
    /// Index built from it.
    pub index: &'a GraphIndex,
    /// Category mask per address id.
    pub masks: &'a [u16],
}

impl<'a> Tracer<'a> {
    fn asset_name(&self, asset: u32) -> (String, u8) {
        let a = &self.graph.assets[asset as usize];
        (
            if a.symbol.is_empty() {
                a.contract.clone().unwrap_or_default()
            } else {
                a.symbol.clone()
            },
            a.decimals.unwrap_or(0),
        )
    }

    fn in_window(&self, cfg: &TraceConfig, time: i64) -> bool {
        cfg.start_time.is_none_or(|s| time >= s) && cfg.end_time.is_none_or(|e| time <= e)
    }

    /// Forward trace from seed address ids (account transfers and UTXO outputs paid to them).
    pub fn forward(&self, seeds: &[u32], cfg: &TraceConfig) -> TraceResult {
        self.forward_with_outputs(seeds, &[], cfg)
    }

    /// Forward trace from seed addresses and from seed UTXO outputs `(tx position, output index)`
    /// (e.g. the outputs of a theft transaction).
    pub fn forward_with_outputs(
        &self,
        seeds: &[u32],
        seed_outputs: &[(u32, u32)],
        cfg: &TraceConfig,
    ) -> TraceResult {
        let mut res = TraceResult::default();
        let mut hits: HashMap<(u32, u32), HitAcc> = HashMap::new();
        self.forward_account(seeds, cfg, &mut res, &mut hits);
        self.forward_utxo(seeds, seed_outputs, cfg, &mut res, &mut hits);
        res.hits = hits
            .into_iter()
            .map(|((addr, asset), h)| {
                let (sym, dec) = self.asset_name(asset);
                let (chain, text) = &self.graph.addresses[addr as usize];
                Hit {
                    address: text.clone(),
                    chain: CHAINS[*chain as usize].name.to_string(),
                    categories: categories(self.masks[addr as usize]),
                    sink: self.masks[addr as usize] & service_mask() != 0,
                    asset: sym,
                    decimals: dec,
                    share: if h.received.is_zero() {
                        0.0
                    } else {
                        h.tainted.to_f64_lossy() / h.received.to_f64_lossy()
                    },
                    tainted: h.tainted,
                    received: h.received,
                    hops: h.hops,
                    first_time: h.first_time,
                    model: cfg.model,
                    transfers: h.transfers,
                    path: h.path,
                }
            })
            .collect();
        res.hits
            .sort_by(|a, b| (a.hops, &a.address, &a.asset).cmp(&(b.hops, &b.address, &b.asset)));
        res
    }

    fn account_path(
        &self,
        states: &HashMap<(u32, u32), AState>,
        carried: &HashMap<u32, Amount>,
        swaps: &HashMap<u32, SwapIn>,
        last: u32,
        last_amount: Amount,
        hop: u32,
    ) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut cur = last;
        let mut amount = last_amount;
        let mut h = hop;
        for _ in 0..=64 {
            let t = &self.graph.transfers[cur as usize];
            steps.push(Step {
                tx: format!("0x{}", hash_hex(&t.tx)),
                from: self.graph.address_text(t.from).to_string(),
                to: self.graph.address_text(t.to).to_string(),
                asset: self.asset_name(t.asset).0,
                amount,
                hop: h,
                time: t.time,
            });
            if let Some(sw) = swaps.get(&cur) {
                cur = sw.input;
                amount = carried.get(&cur).copied().unwrap_or(Amount::ZERO);
                h = h.saturating_sub(1);
                continue;
            }
            match states.get(&(t.from, t.asset)) {
                Some(s) if !s.seed && s.parent != u32::MAX => {
                    cur = s.parent;
                    amount = carried.get(&cur).copied().unwrap_or(Amount::ZERO);
                    h = h.saturating_sub(1);
                }
                _ => break,
            }
        }
        steps.reverse();
        steps
    }

    fn prior_balance(&self, addr: u32, asset: u32, before: u32) -> Amount {
        let mut bal = Amount::ZERO;
        let mut ins: Vec<u32> = self
            .index
            .inc
            .of(addr)
            .iter()
            .copied()
            .filter(|&i| i < before)
            .collect();
        ins.extend(
            self.index
                .out
                .of(addr)
                .iter()
                .copied()
                .filter(|&i| i < before)
                .map(|i| i | 0x8000_0000),
        );
        ins.sort_by_key(|i| i & 0x7fff_ffff);
        for i in ins {
            let t = &self.graph.transfers[(i & 0x7fff_ffff) as usize];
            if t.asset != asset {
                continue;
            }
            if i & 0x8000_0000 == 0 {
                bal = bal.saturating_add(t.amount);
            } else {
                bal = bal.saturating_sub(t.amount);
            }
        }
        bal
    }

    fn forward_account(
        &self,
        seeds: &[u32],
        cfg: &TraceConfig,
        res: &mut TraceResult,
        hits: &mut HashMap<(u32, u32), HitAcc>,
    ) {
        let g = self.graph;
        if g.transfers.is_empty() {
            return;
        }
        let services = service_mask();
        let seed_set: HashSet<u32> = seeds.iter().copied().collect();
        let mut states: HashMap<(u32, u32), AState> = HashMap::new();
        let mut carried_of: HashMap<u32, Amount> = HashMap::new();
        let mut swaps: HashMap<u32, SwapIn> = HashMap::new();
        let dex = Category::Dex.bit();
        let mut activated: HashSet<u32> = HashSet::new();
        let mut heap: BinaryHeap<Reverse<u32>> = BinaryHeap::new();
        let mut done: HashSet<u32> = HashSet::new();
        let push_after = |addr: u32, after: Option<u32>, heap: &mut BinaryHeap<Reverse<u32>>| {
            for &i in self
                .index
                .out
                .of(addr)
                .iter()
                .chain(self.index.inc.of(addr))
            {
                if after.is_none_or(|a| i > a) {
                    heap.push(Reverse(i));
                }
            }
        };
        for &s in seeds {
            if activated.insert(s) {
                push_after(s, None, &mut heap);
            }
        }
        while let Some(Reverse(i)) = heap.pop() {
            if !done.insert(i) {
                continue;
            }
            let t = &g.transfers[i as usize];
            if !self.in_window(cfg, t.time) {
                continue;
            }
            res.examined += 1;
            if !g.assets[t.asset as usize].whitelisted {
                res.skipped_unlisted_asset += 1;
                continue;
            }
            let a = t.amount;
            // Sender side.
            let (carried, sender_hops) = if seed_set.contains(&t.from) {
                (a, 0)
            } else if let Some(sw) = swaps.get(&i) {
                // Swap output: the share of the DEX input that was tainted.
                (
                    a.mul_div(sw.tainted, sw.amount).unwrap_or(Amount::ZERO),
                    sw.hop,
                )
            } else if let Some(s) = states.get_mut(&(t.from, t.asset)) {
                let b = if s.total < a { a } else { s.total };
                let c = match cfg.model {
                    Model::Poison => {
                        if s.tainted.is_zero() {
                            Amount::ZERO
                        } else {
                            a
                        }
                    }
                    Model::Haircut => a.mul_div(s.tainted, b).unwrap_or(Amount::ZERO),
                    Model::Tiho => a.min(s.tainted),
                    Model::Fifo => {
                        let mut need = a;
                        let mut c = Amount::ZERO;
                        while !need.is_zero() {
                            let Some(front) = s.lots.front_mut() else {
                                break;
                            };
                            if front.0 <= need {
                                need = need.saturating_sub(front.0);
                                c = c.saturating_add(front.1);
                                s.lots.pop_front();
                            } else {
                                let part = front.1.mul_div(need, front.0).unwrap_or(Amount::ZERO);
                                front.0 = front.0.saturating_sub(need);
                                front.1 = front.1.saturating_sub(part);
                                c = c.saturating_add(part);
                                need = Amount::ZERO;
                            }
                        }
                        c
                    }
                };
                if cfg.model != Model::Poison {
                    s.tainted = s.tainted.saturating_sub(c);
                }
                s.total = b.saturating_sub(a);
                (c, s.hops)
            } else {
                (Amount::ZERO, 0)
            };
            if seed_set.contains(&t.to) {
                continue;
            }
            let mut taint_in = carried;
            let hop = sender_hops + 1;
            if !carried.is_zero() && carried < cfg.dust {
                res.stopped_dust += 1;
                taint_in = Amount::ZERO;
            }
            if !taint_in.is_zero() && hop > cfg.max_hops {
                res.stopped_max_hops += 1;
                taint_in = Amount::ZERO;
            }
            if !taint_in.is_zero() {
                carried_of.insert(i, taint_in);
                res.edges.push(TaintEdge {
                    from: t.from,
                    to: t.to,
                    asset: t.asset,
                    tainted: taint_in,
                    amount: a,
                    tx: t.tx,
                    hop,
                });
                let mask = self.masks.get(t.to as usize).copied().unwrap_or(0);
                if mask != 0 {
                    let entry = hits.entry((t.to, t.asset)).or_insert_with(|| HitAcc {
                        tainted: Amount::ZERO,
                        received: Amount::ZERO,
                        hops: u32::MAX,
                        first_time: t.time,
                        transfers: 0,
                        path: vec![],
                    });
                    entry.tainted = entry.tainted.saturating_add(taint_in);
                    entry.received = entry.received.saturating_add(a);
                    entry.transfers += 1;
                    entry.first_time = entry.first_time.min(t.time);
                    if hop < entry.hops {
                        entry.hops = hop;
                        entry.path =
                            self.account_path(&states, &carried_of, &swaps, i, taint_in, hop);
                    }
                    if mask & services != 0 {
                        continue;
                    }
                    if mask & dex != 0 {
                        // A DEX is passed through, not traversed: taint continues only into the
                        // other assets it sends out in the same transaction (the swap's output).
                        let mut j = i as usize + 1;
                        while j < g.transfers.len() && g.transfers[j].tx == t.tx {
                            let o = &g.transfers[j];
                            if o.from == t.to && o.asset != t.asset {
                                swaps.insert(
                                    j as u32,
                                    SwapIn {
                                        tainted: taint_in,
                                        amount: a,
                                        hop,
                                        input: i,
                                    },
                                );
                                heap.push(Reverse(j as u32));
                            }
                            j += 1;
                        }
                        continue;
                    }
                }
            }
            // Receiver side.
            let key = (t.to, t.asset);
            let r = match states.entry(key) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    if taint_in.is_zero() {
                        continue;
                    }
                    let prior = self.prior_balance(t.to, t.asset, i);
                    let mut lots = VecDeque::new();
                    if !prior.is_zero() {
                        lots.push_back((prior, Amount::ZERO));
                    }
                    if activated.insert(t.to) {
                        push_after(t.to, Some(i), &mut heap);
                    }
                    v.insert(AState {
                        total: prior,
                        tainted: Amount::ZERO,
                        lots,
                        hops: u32::MAX,
                        parent: u32::MAX,
                        seed: false,
                    })
                }
            };
            {
                r.total = r.total.saturating_add(a);
                r.tainted = r.tainted.saturating_add(taint_in);
                if cfg.model == Model::Fifo {
                    r.lots.push_back((a, taint_in));
                }
                if !taint_in.is_zero() && hop < r.hops {
                    r.hops = hop;
                    r.parent = i;
                }
            }
        }
        res.tainted_nodes += states.values().filter(|s| !s.tainted.is_zero()).count();
    }

    fn forward_utxo(
        &self,
        seeds: &[u32],
        seed_outputs: &[(u32, u32)],
        cfg: &TraceConfig,
        res: &mut TraceResult,
        hits: &mut HashMap<(u32, u32), HitAcc>,
    ) {
        let g = self.graph;
        if g.utxo_txs.is_empty() {
            return;
        }
        let services = service_mask();
        // Per output: (tainted sats, FIFO segments, hops, parent output).
        struct OState {
            tainted: u64,
            segs: Vec<(u64, bool)>,
            hops: u32,
            parent: Option<(u32, u32)>,
        }
        let mut st: HashMap<(u32, u32), OState> = HashMap::new();
        let mut heap: BinaryHeap<Reverse<u32>> = BinaryHeap::new();
        let mut done: HashSet<u32> = HashSet::new();
        let by_address = seeds.iter().flat_map(|s| {
            self.index
                .utxo_outputs_of
                .get(s)
                .into_iter()
                .flatten()
                .copied()
        });
        {
            for (tx, out) in by_address.chain(seed_outputs.iter().copied()) {
                let Some(t) = g.utxo_txs.get(tx as usize) else {
                    continue;
                };
                if !self.in_window(cfg, t.time) {
                    continue;
                }
                let Some(v) = t.outputs.get(out as usize).map(|o| o.value) else {
                    continue;
                };
                st.insert(
                    (tx, out),
                    OState {
                        tainted: v,
                        segs: vec![(v, true)],
                        hops: 0,
                        parent: None,
                    },
                );
                if let Some(sp) = self.index.spender(tx, out) {
                    heap.push(Reverse(sp));
                }
            }
        }
        let asset_native = |chain: u16| {
            g.assets
                .iter()
                .position(|a| a.chain == chain && a.contract.is_none())
                .map_or(0, |p| p as u32)
        };
        while let Some(Reverse(ti)) = heap.pop() {
            if !done.insert(ti) {
                continue;
            }
            let tx = &g.utxo_txs[ti as usize];
            if !self.in_window(cfg, tx.time) {
                continue;
            }
            res.examined += 1;
            let mut in_total: u64 = 0;
            let mut tainted_total: u64 = 0;
            let mut segs: Vec<(u64, bool)> = Vec::new();
            let mut min_hops = u32::MAX;
            let mut parent = None;
            let mut from_addr = None;
            let mut best_taint = 0;
            for inp in &tx.inputs {
                let v = match inp.value {
                    Some(v) => v,
                    None => {
                        res.unresolved_inputs += 1;
                        0
                    }
                };
                in_total += v;
                let prev = self
                    .index
                    .outpoint
                    .get(&(inp.prev_txid, inp.prev_vout))
                    .copied();
                match prev.and_then(|p| st.get(&p).map(|s| (p, s))) {
                    Some((p, s)) if s.tainted > 0 => {
                        tainted_total += s.tainted;
                        segs.extend_from_slice(&s.segs);
                        if s.hops < min_hops {
                            min_hops = s.hops;
                            parent = Some(p);
                        }
                        if s.tainted > best_taint {
                            best_taint = s.tainted;
                            from_addr = inp.address;
                        }
                    }
                    _ => segs.push((v, false)),
                }
            }
            if tainted_total == 0 {
                continue;
            }
            let hop = min_hops.saturating_add(1);
            let outs = &tx.outputs;
            let mut out_taint: Vec<(u64, Vec<(u64, bool)>)> = vec![(0, vec![]); outs.len()];
            match cfg.model {
                Model::Poison => {
                    for (k, o) in outs.iter().enumerate() {
                        out_taint[k] = (o.value, vec![(o.value, true)]);
                    }
                }
                Model::Haircut => {
                    for (k, o) in outs.iter().enumerate() {
                        let t = if in_total == 0 {
                            0
                        } else {
                            (o.value as u128 * tainted_total as u128 / in_total as u128) as u64
                        };
                        out_taint[k] = (t, vec![]);
                    }
                }
                Model::Tiho => {
                    let mut order: Vec<usize> = (0..outs.len()).collect();
                    order.sort_by_key(|&k| (Reverse(outs[k].value), k));
                    let mut left = tainted_total;
                    for k in order {
                        let t = left.min(outs[k].value);
                        left -= t;
                        out_taint[k] = (t, vec![]);
                    }
                }
                Model::Fifo => {
                    let mut seg_iter = segs.into_iter();
                    let mut cur: Option<(u64, bool)> = seg_iter.next();
                    for (k, o) in outs.iter().enumerate() {
                        let mut need = o.value;
                        let mut os: Vec<(u64, bool)> = Vec::new();
                        let mut t = 0;
                        while need > 0 {
                            let Some((len, flag)) = cur else { break };
                            let take = len.min(need);
                            if let Some(last) = os.last_mut().filter(|l| l.1 == flag) {
                                last.0 += take;
                            } else {
                                os.push((take, flag));
                            }
                            if flag {
                                t += take;
                            }
                            need -= take;
                            cur = if take == len {
                                seg_iter.next()
                            } else {
                                Some((len - take, flag))
                            };
                        }
                        if need > 0 {
                            os.push((need, false));
                        }
                        out_taint[k] = (t, os);
                    }
                }
            }
            for (k, (t, os)) in out_taint.into_iter().enumerate() {
                if t == 0 {
                    continue;
                }
                if Amount::from_u64(t) < cfg.dust {
                    res.stopped_dust += 1;
                    continue;
                }
                if hop > cfg.max_hops {
                    res.stopped_max_hops += 1;
                    continue;
                }
                let o = &outs[k];
                let asset = asset_native(tx.chain);
                if let (Some(f), Some(to)) = (from_addr, o.address) {
                    res.edges.push(TaintEdge {
                        from: f,
                        to,
                        asset,
                        tainted: Amount::from_u64(t),
                        amount: Amount::from_u64(o.value),
                        tx: tx.txid,
                        hop,
                    });
                }
                let segs = if cfg.model == Model::Fifo { os } else { vec![] };
                st.insert(
                    (ti, k as u32),
                    OState {
                        tainted: t,
                        segs,
                        hops: hop,
                        parent,
                    },
                );
                if let Some(addr) = o.address {
                    let mask = self.masks.get(addr as usize).copied().unwrap_or(0);
                    if mask != 0 {
                        let e = hits.entry((addr, asset)).or_insert_with(|| HitAcc {
                            tainted: Amount::ZERO,
                            received: Amount::ZERO,
                            hops: u32::MAX,
                            first_time: tx.time,
                            transfers: 0,
                            path: vec![],
                        });
                        e.tainted = e.tainted.saturating_add(Amount::from_u64(t));
                        e.received = e.received.saturating_add(Amount::from_u64(o.value));
                        e.transfers += 1;
                        e.first_time = e.first_time.min(tx.time);
                        if hop < e.hops {
                            e.hops = hop;
                            // Path: walk parents back to the seed output.
                            let mut steps = Vec::new();
                            let mut cur = Some((ti, k as u32));
                            let mut guard = 0;
                            while let Some((cti, cko)) = cur {
                                let Some(s) = st.get(&(cti, cko)) else { break };
                                let ctx = &g.utxo_txs[cti as usize];
                                let from = s.parent.and_then(|(pt, po)| {
                                    g.utxo_txs[pt as usize].outputs[po as usize].address
                                });
                                if s.hops == 0 {
                                    break;
                                }
                                steps.push(Step {
                                    tx: hash_hex(&ctx.txid),
                                    from: from
                                        .map_or("?".into(), |a| g.address_text(a).to_string()),
                                    to: ctx.outputs[cko as usize]
                                        .address
                                        .map_or("?".into(), |a| g.address_text(a).to_string()),
                                    asset: CHAINS[ctx.chain as usize].native_symbol.to_string(),
                                    amount: Amount::from_u64(s.tainted),
                                    hop: s.hops,
                                    time: ctx.time,
                                });
                                cur = s.parent;
                                guard += 1;
                                if guard > 64 {
                                    break;
                                }
                            }
                            steps.reverse();
                            e.path = steps;
                        }
                        if mask & services != 0 {
                            continue;
                        }
                    }
                }
                if let Some(sp) = self.index.spender(ti, k as u32) {
                    heap.push(Reverse(sp));
                }
            }
        }
        res.tainted_nodes += st.values().filter(|s| s.tainted > 0).count();
    }

    /// Backward trace from target addresses (e.g. an exchange deposit): attributes what they
    /// received to its sources proportionally (haircut in reverse), hop by hop, stopping at
    /// labelled addresses (the sources looked for) and at `max_hops`. Hits carry the attributed
    /// amount, its share of what the targets received, and the path source → target.
    pub fn backward(&self, targets: &[u32], cfg: &TraceConfig) -> TraceResult {
        let g = self.graph;
        let mut res = TraceResult::default();
        let target_set: HashSet<u32> = targets.iter().copied().collect();
        // Frontier entries: (address, asset) → (demand, latest transfer position allowed, path).
        type Front = HashMap<(u32, u32), (Amount, u32, Vec<Step>)>;
        let mut frontier: Front = HashMap::new();
        let mut totals: HashMap<u32, Amount> = HashMap::new();
        for &t in targets {
            for &i in self.index.inc.of(t) {
                let tr = &g.transfers[i as usize];
                if !self.in_window(cfg, tr.time) || !g.assets[tr.asset as usize].whitelisted {
                    continue;
                }
                let e = frontier
                    .entry((t, tr.asset))
                    .or_insert((Amount::ZERO, 0, vec![]));
                e.0 = e.0.saturating_add(tr.amount);
                e.1 = e.1.max(i + 1);
                *totals.entry(tr.asset).or_insert(Amount::ZERO) = totals
                    .get(&tr.asset)
                    .copied()
                    .unwrap_or(Amount::ZERO)
                    .saturating_add(tr.amount);
            }
        }
        let mut hits: HashMap<(u32, u32), HitAcc> = HashMap::new();
        for hop in 1..=cfg.max_hops {
            let mut next: Front = HashMap::new();
            for ((v, asset), (demand, limit, path)) in frontier {
                let ins: Vec<u32> = self
                    .index
                    .inc
                    .of(v)
                    .iter()
                    .copied()
                    .filter(|&i| {
                        i < limit
                            && g.transfers[i as usize].asset == asset
                            && self.in_window(cfg, g.transfers[i as usize].time)
                    })
                    .collect();
                let total = ins.iter().fold(Amount::ZERO, |s, &i| {
                    s.saturating_add(g.transfers[i as usize].amount)
                });
                for i in ins {
                    res.examined += 1;
                    let tr = &g.transfers[i as usize];
                    let part = demand.mul_div(tr.amount, total).unwrap_or(Amount::ZERO);
                    if part.is_zero() {
                        continue;
                    }
                    if part < cfg.dust {
                        res.stopped_dust += 1;
                        continue;
                    }
                    let u = tr.from;
                    if target_set.contains(&u) {
                        continue;
                    }
                    res.edges.push(TaintEdge {
                        from: u,
                        to: v,
                        asset,
                        tainted: part,
                        amount: tr.amount,
                        tx: tr.tx,
                        hop,
                    });
                    let mut p = vec![Step {
                        tx: format!("0x{}", hash_hex(&tr.tx)),
                        from: g.address_text(u).to_string(),
                        to: g.address_text(v).to_string(),
                        asset: self.asset_name(asset).0,
                        amount: part,
                        hop,
                        time: tr.time,
                    }];
                    p.extend(path.iter().cloned());
                    let mask = self.masks.get(u as usize).copied().unwrap_or(0);
                    if mask != 0 {
                        let e = hits.entry((u, asset)).or_insert_with(|| HitAcc {
                            tainted: Amount::ZERO,
                            received: totals.get(&asset).copied().unwrap_or(Amount::ZERO),
                            hops: u32::MAX,
                            first_time: tr.time,
                            transfers: 0,
                            path: vec![],
                        });
                        e.tainted = e.tainted.saturating_add(part);
                        e.transfers += 1;
                        e.first_time = e.first_time.min(tr.time);
                        if hop < e.hops {
                            e.hops = hop;
                            e.path = p;
                        }
                        continue;
                    }
                    if hop == cfg.max_hops {
                        res.stopped_max_hops += 1;
                        continue;
                    }
                    let e = next.entry((u, asset)).or_insert((Amount::ZERO, 0, p));
                    e.0 = e.0.saturating_add(part);
                    e.1 = e.1.max(i);
                }
            }
            res.tainted_nodes += next.len();
            frontier = next;
            if frontier.is_empty() {
                break;
            }
        }
        self.backward_utxo(targets, cfg, &mut res, &mut hits);
        res.hits = hits
            .into_iter()
            .map(|((addr, asset), h)| {
                let (sym, dec) = self.asset_name(asset);
                let (chain, text) = &g.addresses[addr as usize];
                Hit {
                    address: text.clone(),
                    chain: CHAINS[*chain as usize].name.to_string(),
                    categories: categories(self.masks[addr as usize]),
                    sink: false,
                    asset: sym,
                    decimals: dec,
                    share: if h.received.is_zero() {
                        0.0
                    } else {
                        h.tainted.to_f64_lossy() / h.received.to_f64_lossy()
                    },
                    tainted: h.tainted,
                    received: h.received,
                    hops: h.hops,
                    first_time: h.first_time,
                    model: Model::Haircut,
                    transfers: h.transfers,
                    path: h.path,
                }
            })
            .collect();
        res.hits
            .sort_by(|a, b| (a.hops, &a.address).cmp(&(b.hops, &b.address)));
        res
    }

    fn backward_utxo(
        &self,
        targets: &[u32],
        cfg: &TraceConfig,
        res: &mut TraceResult,
        hits: &mut HashMap<(u32, u32), HitAcc>,
    ) {
        let g = self.graph;
        // Frontier: outputs (tx, out) with demand in sats and the path so far.
        let mut frontier: Vec<((u32, u32), u64, Vec<Step>)> = Vec::new();
        let mut total: u64 = 0;
        for t in targets {
            for &(tx, out) in self.index.utxo_outputs_of.get(t).into_iter().flatten() {
                if !self.in_window(cfg, g.utxo_txs[tx as usize].time) {
                    continue;
                }
                let v = g.utxo_txs[tx as usize].outputs[out as usize].value;
                total += v;
                frontier.push(((tx, out), v, vec![]));
            }
        }
        let asset_of = |chain: u16| {
            g.assets
                .iter()
                .position(|a| a.chain == chain && a.contract.is_none())
                .map_or(0, |p| p as u32)
        };
        for hop in 1..=cfg.max_hops {
            let mut next = Vec::new();
            for ((tx, out), demand, path) in frontier {
                let t = &g.utxo_txs[tx as usize];
                let in_total: u64 = t.input_value();
                if t.coinbase || in_total == 0 {
                    continue;
                }
                for inp in &t.inputs {
                    res.examined += 1;
                    let Some(v) = inp.value else {
                        res.unresolved_inputs += 1;
                        continue;
                    };
                    let part = (demand as u128 * v as u128 / in_total as u128) as u64;
                    if part == 0 || Amount::from_u64(part) < cfg.dust {
                        continue;
                    }
                    let to_addr = t.outputs[out as usize].address;
                    let mut p = vec![Step {
                        tx: hash_hex(&t.txid),
                        from: inp
                            .address
                            .map_or("?".into(), |a| g.address_text(a).to_string()),
                        to: to_addr.map_or("?".into(), |a| g.address_text(a).to_string()),
                        asset: CHAINS[t.chain as usize].native_symbol.to_string(),
                        amount: Amount::from_u64(part),
                        hop,
                        time: t.time,
                    }];
                    p.extend(path.iter().cloned());
                    if let Some(a) = inp.address {
                        let mask = self.masks.get(a as usize).copied().unwrap_or(0);
                        if mask != 0 {
                            let asset = asset_of(t.chain);
                            let e = hits.entry((a, asset)).or_insert_with(|| HitAcc {
                                tainted: Amount::ZERO,
                                received: Amount::from_u64(total),
                                hops: u32::MAX,
                                first_time: t.time,
                                transfers: 0,
                                path: vec![],
                            });
                            e.tainted = e.tainted.saturating_add(Amount::from_u64(part));
                            e.transfers += 1;
                            if hop < e.hops {
                                e.hops = hop;
                                e.path = p;
                            }
                            continue;
                        }
                    }
                    if hop == cfg.max_hops {
                        res.stopped_max_hops += 1;
                        continue;
                    }
                    if let Some(&prev) = self.index.outpoint.get(&(inp.prev_txid, inp.prev_vout)) {
                        next.push((prev, part, p));
                    }
                }
            }
            res.tainted_nodes += next.len();
            frontier = next;
            if frontier.is_empty() {
                break;
            }
        }
    }
}
