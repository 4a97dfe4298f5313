//! Laundering-pattern flags: rapid fan-out (the Bybit pattern), peel chains, address-poisoning
//! look-alikes, impersonating tokens, and transfers into mixers and bridges.

use crate::amount::Amount;
use crate::index::GraphIndex;
use crate::labels::Category;
use crate::model::{hash_hex, Graph};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Kind of flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Many large transfers out to distinct addresses within a short window.
    RapidFanOut,
    /// A chain of 1-in/2-out transactions each peeling off a small output.
    PeelChain,
    /// An address with the same first 6 and last 4 characters as a real counterparty.
    PoisoningLookAlike,
    /// A token whose symbol imitates a whitelisted asset at another contract, or has non-ASCII letters.
    ImpersonatingToken,
    /// Funds sent into a mixer.
    MixerDeposit,
    /// Funds sent into a bridge.
    BridgeDeposit,
}

/// One flag with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    /// Kind.
    pub kind: FlagKind,
    /// Address (or token contract) flagged.
    pub subject: String,
    /// Human-readable detail.
    pub detail: String,
    /// Transaction hashes as evidence (first few).
    pub txs: Vec<String>,
}

/// Thresholds of the flags.
#[derive(Debug, Clone)]
pub struct FlagConfig {
    /// Fan-out window, seconds.
    pub fan_out_window: i64,
    /// Minimum distinct receivers within the window.
    pub fan_out_min_receivers: usize,
    /// Minimum amount per fan-out transfer (base units).
    pub fan_out_min_amount: Amount,
    /// Minimum peel-chain length (txs).
    pub peel_min_length: usize,
    /// The peeled output must be at most this fraction (percent) of the tx input.
    pub peel_max_percent: u64,
}

impl Default for FlagConfig {
    fn default() -> Self {
        FlagConfig {
            fan_out_window: 3600,
            fan_out_min_receivers: 10,
            fan_out_min_amount: Amount::ZERO,
            peel_min_length: 4,
            peel_max_percent: 20,
        }
    }
}

/// Rapid fan-out: per sender and asset, a window of `fan_out_window` seconds with transfers of at
/// least `fan_out_min_amount` to ≥ `fan_out_min_receivers` distinct receivers. One flag per burst.
pub fn rapid_fan_out(g: &Graph, idx: &GraphIndex, cfg: &FlagConfig) -> Vec<Flag> {
    let mut flags = Vec::new();
    for a in 0..g.addresses.len() as u32 {
        let outs = idx.out.of(a);
        if outs.len() < cfg.fan_out_min_receivers {
            continue;
        }
        let mut by_asset: HashMap<u32, Vec<u32>> = HashMap::new();
        for &i in outs {
            let t = &g.transfers[i as usize];
            if t.amount >= cfg.fan_out_min_amount && !t.amount.is_zero() {
                by_asset.entry(t.asset).or_default().push(i);
            }
        }
        for (asset, list) in by_asset {
            let mut start = 0;
            let mut end = 0;
            while end < list.len() {
                let t_end = g.transfers[list[end] as usize].time;
                while g.transfers[list[start] as usize].time < t_end - cfg.fan_out_window {
                    start += 1;
                }
                let window = &list[start..=end];
                let receivers: HashSet<u32> =
                    window.iter().map(|&i| g.transfers[i as usize].to).collect();
                if receivers.len() >= cfg.fan_out_min_receivers {
                    // Extend to the end of the burst, then report it once.
                    let mut last = end;
                    while last + 1 < list.len()
                        && g.transfers[list[last + 1] as usize].time
                            <= g.transfers[list[start] as usize].time + cfg.fan_out_window
                    {
                        last += 1;
                    }
                    let burst = &list[start..=last];
                    let recv: HashSet<u32> =
                        burst.iter().map(|&i| g.transfers[i as usize].to).collect();
                    let total = burst.iter().fold(Amount::ZERO, |s, &i| {
                        s.saturating_add(g.transfers[i as usize].amount)
                    });
                    let asset_info = &g.assets[asset as usize];
                    let span = g.transfers[burst[burst.len() - 1] as usize].time
                        - g.transfers[burst[0] as usize].time;
                    flags.push(Flag {
                        kind: FlagKind::RapidFanOut,
                        subject: g.address_text(a).to_string(),
                        detail: format!(
                            "{} transfers to {} addresses within {} s, {} {} in total",
                            burst.len(),
                            recv.len(),
                            span,
                            total.to_decimal_string(asset_info.decimals.unwrap_or(0)),
                            asset_info.symbol
                        ),
                        txs: burst
                            .iter()
                            .take(5)
                            .map(|&i| format!("0x{}", hash_hex(&g.transfers[i as usize].tx)))
                            .collect(),
                    });
                    end = last + 1;
                    start = end.min(list.len().saturating_sub(1));
                    continue;
                }
                end += 1;
            }
        }
    }
    flags
}

/// Peel chains (UTXO): a run of ≥ `peel_min_length` txs, each with one input and two outputs, one
/// of them small (≤ `peel_max_percent` % of the input), where the large output is spent by the next
/// tx of the run.
pub fn peel_chains(g: &Graph, idx: &GraphIndex, cfg: &FlagConfig) -> Vec<Flag> {
    let is_peel = |ti: usize| -> Option<usize> {
        let t = &g.utxo_txs[ti];
        if t.coinbase || t.inputs.len() != 1 || t.outputs.len() != 2 {
            return None;
        }
        let input = t.inputs[0].value?;
        let (small, large) = if t.outputs[0].value <= t.outputs[1].value {
            (0, 1)
        } else {
            (1, 0)
        };
        (t.outputs[small].value * 100 <= input * cfg.peel_max_percent).then_some(large)
    };
    let mut continues: HashSet<usize> = HashSet::new();
    let mut next_of: HashMap<usize, usize> = HashMap::new();
    for ti in 0..g.utxo_txs.len() {
        if let Some(large) = is_peel(ti) {
            if let Some(sp) = idx.spender(ti as u32, large as u32) {
                if is_peel(sp as usize).is_some() {
                    next_of.insert(ti, sp as usize);
                    continues.insert(sp as usize);
                }
            }
        }
    }
    let mut flags = Vec::new();
    for &start in next_of.keys() {
        if continues.contains(&start) {
            continue;
        }
        let mut run = vec![start];
        let mut cur = start;
        while let Some(&n) = next_of.get(&cur) {
            if run.len() > 100_000 {
                break;
            }
            run.push(n);
            cur = n;
        }
        if run.len() >= cfg.peel_min_length {
            let first = &g.utxo_txs[run[0]];
            let subject = first.inputs[0]
                .address
                .map_or("?".to_string(), |a| g.address_text(a).to_string());
            flags.push(Flag {
                kind: FlagKind::PeelChain,
                subject,
                detail: format!("peel chain of {} transactions", run.len()),
                txs: run
                    .iter()
                    .take(5)
                    .map(|&t| hash_hex(&g.utxo_txs[t].txid))
                    .collect(),
            });
        }
    }
    flags.sort_by(|a, b| a.subject.cmp(&b.subject));
    flags
}

/// Peel chains on account chains: a run of ≥ `peel_min_length` addresses that each receive one
/// transfer and send exactly two of the same asset, one small (≤ `peel_max_percent` % of what came
/// in) and the rest to the next address of the run.
pub fn account_peel_chains(g: &Graph, idx: &GraphIndex, cfg: &FlagConfig) -> Vec<Flag> {
    let next_of_addr = |a: u32| -> Option<(u32, u32)> {
        let ins = idx.inc.of(a);
        let outs = idx.out.of(a);
        if ins.len() != 1 || outs.len() != 2 {
            return None;
        }
        let inc = &g.transfers[ins[0] as usize];
        let (o1, o2) = (
            &g.transfers[outs[0] as usize],
            &g.transfers[outs[1] as usize],
        );
        if o1.asset != inc.asset || o2.asset != inc.asset {
            return None;
        }
        let (small, large, large_i) = if o1.amount <= o2.amount {
            (o1, o2, outs[1])
        } else {
            (o2, o1, outs[0])
        };
        let limit = inc.amount.mul_div(
            Amount::from_u64(cfg.peel_max_percent),
            Amount::from_u64(100),
        )?;
        (small.amount <= limit && large.to != a).then_some((large.to, large_i))
    };
    let mut next: HashMap<u32, (u32, u32)> = HashMap::new();
    let mut has_prev: HashSet<u32> = HashSet::new();
    for a in 0..g.addresses.len() as u32 {
        if let Some((n, i)) = next_of_addr(a) {
            next.insert(a, (n, i));
            has_prev.insert(n);
        }
    }
    let mut flags = Vec::new();
    for &start in next.keys() {
        // Only heads of runs start a chain (a cycle has no head and is no peel chain).
        if has_prev.contains(&start) {
            continue;
        }
        let mut run = vec![start];
        let mut txs = Vec::new();
        let mut cur = start;
        while let Some(&(n, i)) = next.get(&cur) {
            if run.len() > 100_000 || run.contains(&n) {
                break;
            }
            txs.push(format!("0x{}", hash_hex(&g.transfers[i as usize].tx)));
            run.push(n);
            cur = n;
        }
        // Addresses that peel: all but the last of the run (which may be a plain receiver).
        let peeling = run.iter().filter(|a| next.contains_key(a)).count();
        if peeling >= cfg.peel_min_length {
            flags.push(Flag {
                kind: FlagKind::PeelChain,
                subject: g.address_text(start).to_string(),
                detail: format!(
                    "account peel chain through {peeling} addresses, ending at {}",
                    g.address_text(cur)
                ),
                txs: txs.into_iter().take(5).collect(),
            });
        }
    }
    flags.sort_by(|a, b| a.subject.cmp(&b.subject));
    flags
}

fn lookalike_key(addr: &str) -> Option<String> {
    let body = addr.strip_prefix("0x").unwrap_or(addr);
    if body.len() < 20 {
        return None;
    }
    Some(format!("{}…{}", &body[..6], &body[body.len() - 4..]))
}

/// Address-poisoning look-alikes: for every address `v`, counterparties `b` and `c` of `v` that
/// share the first 6 and last 4 characters but differ; the one that moved less value to or from
/// `v` is flagged as the look-alike of the other.
pub fn poisoning_lookalikes(g: &Graph, idx: &GraphIndex) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    for v in 0..g.addresses.len() as u32 {
        let mut by_key: HashMap<String, HashMap<u32, (Amount, Vec<u32>)>> = HashMap::new();
        for &i in idx.out.of(v).iter().chain(idx.inc.of(v)) {
            let t = &g.transfers[i as usize];
            let other = if t.from == v { t.to } else { t.from };
            if let Some(k) = lookalike_key(g.address_text(other)) {
                let e = by_key
                    .entry(k)
                    .or_default()
                    .entry(other)
                    .or_insert((Amount::ZERO, vec![]));
                e.0 =
                    e.0.saturating_add(if g.assets[t.asset as usize].whitelisted {
                        t.amount
                    } else {
                        Amount::ZERO
                    });
                e.1.push(i);
            }
        }
        for group in by_key.into_values() {
            if group.len() < 2 {
                continue;
            }
            let real = group
                .iter()
                .max_by_key(|(_, (amt, _))| *amt)
                .map(|(a, _)| *a)
                .unwrap_or(0);
            for (&c, (_, txs)) in &group {
                if c == real || !seen.insert((c, real)) {
                    continue;
                }
                flags.push(Flag {
                    kind: FlagKind::PoisoningLookAlike,
                    subject: g.address_text(c).to_string(),
                    detail: format!(
                        "looks like {} (same first 6 / last 4), counterparty of {}",
                        g.address_text(real),
                        g.address_text(v)
                    ),
                    txs: txs
                        .iter()
                        .take(5)
                        .map(|&i| format!("0x{}", hash_hex(&g.transfers[i as usize].tx)))
                        .collect(),
                });
            }
        }
    }
    flags
}

/// Folds Cyrillic and Greek letters that look like Latin ones, for symbol comparison.
pub fn fold_confusables(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'А' | 'Α' => 'A',
            'В' | 'Β' => 'B',
            'Е' | 'Ε' => 'E',
            'К' | 'Κ' => 'K',
            'М' | 'Μ' => 'M',
            'Н' | 'Η' => 'H',
            'О' | 'Ο' => 'O',
            'Р' | 'Ρ' => 'P',
            'С' => 'C',
            'Т' | 'Τ' => 'T',
            'Х' | 'Χ' => 'X',
            'У' => 'Y',
            'а' | 'α' => 'a',
            'е' => 'e',
            'о' | 'ο' => 'o',
            'р' | 'ρ' => 'p',
            'с' => 'c',
            'у' => 'y',
            'х' => 'x',
            'і' => 'i',
            'ѕ' => 's',
            other => other,
        })
        .collect()
}

/// Impersonating tokens: non-whitelisted contracts whose symbol has non-ASCII characters or folds
/// to the symbol of a whitelisted asset.
pub fn impersonating_tokens(g: &Graph) -> Vec<Flag> {
    let real: HashSet<String> = g
        .assets
        .iter()
        .filter(|a| a.whitelisted)
        .map(|a| a.symbol.to_ascii_uppercase())
        .chain(
            crate::model::ETHEREUM_TOKEN_WHITELIST
                .iter()
                .map(|w| w.1.to_ascii_uppercase()),
        )
        .chain(["ETH", "BTC", "USDT", "USDC"].map(String::from))
        .collect();
    let mut counts: HashMap<u32, u64> = HashMap::new();
    for t in &g.transfers {
        *counts.entry(t.asset).or_default() += 1;
    }
    let mut flags = Vec::new();
    for (i, a) in g.assets.iter().enumerate() {
        if a.whitelisted || a.contract.is_none() {
            continue;
        }
        let folded = fold_confusables(&a.symbol);
        let non_ascii = !a.symbol.is_ascii();
        let imitates = real.contains(&folded.to_ascii_uppercase());
        if non_ascii || imitates {
            flags.push(Flag {
                kind: FlagKind::ImpersonatingToken,
                subject: a.contract.clone().unwrap_or_default(),
                detail: format!(
                    "symbol {:?}{}{} at a non-whitelisted contract; {} transfers not followed",
                    a.symbol,
                    if non_ascii {
                        " has non-ASCII letters"
                    } else {
                        ""
                    },
                    if imitates {
                        format!(" imitates {folded}")
                    } else {
                        String::new()
                    },
                    counts.get(&(i as u32)).copied().unwrap_or(0)
                ),
                txs: vec![],
            });
        }
    }
    flags
}

/// Transfers into labelled mixers and bridges (account and UTXO), one flag per (sender, service).
pub fn service_deposits(g: &Graph, masks: &[u16]) -> Vec<Flag> {
    let mut agg: HashMap<(u32, u32, FlagKind), Vec<String>> = HashMap::new();
    let kind_of = |to: u32| {
        let m = masks.get(to as usize).copied().unwrap_or(0);
        if m & Category::Mixer.bit() != 0 {
            Some(FlagKind::MixerDeposit)
        } else if m & Category::Bridge.bit() != 0 {
            Some(FlagKind::BridgeDeposit)
        } else {
            None
        }
    };
    for t in &g.transfers {
        if let Some(k) = kind_of(t.to) {
            agg.entry((t.from, t.to, k))
                .or_default()
                .push(format!("0x{}", hash_hex(&t.tx)));
        }
    }
    for tx in &g.utxo_txs {
        for o in &tx.outputs {
            if let Some(to) = o.address {
                if let Some(k) = kind_of(to) {
                    if let Some(from) = tx.inputs.iter().find_map(|i| i.address) {
                        agg.entry((from, to, k))
                            .or_default()
                            .push(hash_hex(&tx.txid));
                    }
                }
            }
        }
    }
    let mut flags: Vec<Flag> = agg
        .into_iter()
        .map(|((from, to, kind), txs)| Flag {
            kind,
            subject: g.address_text(from).to_string(),
            detail: format!("{} transfers into {}", txs.len(), g.address_text(to)),
            txs: txs.into_iter().take(5).collect(),
        })
        .collect();
    flags.sort_by(|a, b| a.subject.cmp(&b.subject));
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountTransfer, TransferKind, ETHEREUM};

    fn eth(n: u64) -> Amount {
        Amount::parse(&format!("{n}000000000000000000")).unwrap()
    }

    #[test]
    fn account_peel_chain_from_the_scenario() {
        let rows = vec![crate::scenario::SeedRow {
            incident: "x".into(),
            address: "0x098b716b8aaf21512996dc57eb0615e2383e2f96".into(),
            role: "exploiter".into(),
        }];
        let s = crate::scenario::generate(&rows, &crate::scenario::ScenarioConfig::default());
        let idx = GraphIndex::build(&s.graph);
        let flags = account_peel_chains(
            &s.graph,
            &idx,
            &FlagConfig {
                peel_min_length: 2,
                ..Default::default()
            },
        );
        // Branches 1 and 7 of the fan-out are peel chains (2–5 steps each).
        assert_eq!(flags.len(), 2, "{flags:#?}");
        assert!(flags
            .iter()
            .all(|f| f.detail.starts_with("account peel chain through")));
    }

    #[test]
    fn bybit_fan_out_and_lookalike_and_fake_token() {
        let mut g = Graph::new();
        let exploiter = g
            .intern_address(ETHEREUM, "0x47666fab8bd0ac7003bce3f5c3585383f09486e2")
            .unwrap();
        let asset = g.native_asset(ETHEREUM);
        for k in 0..40u64 {
            let to = g
                .intern_address(ETHEREUM, &format!("0x{:040x}", k + 1))
                .unwrap();
            g.transfers.push(AccountTransfer {
                chain: ETHEREUM,
                tx: [k as u8; 32],
                block: 1,
                time: 1_740_000_000 + k as i64 * 60,
                index: k,
                kind: TransferKind::NativeTx,
                from: exploiter,
                to,
                asset,
                amount: eth(10_000),
            });
        }
        let real = g
            .intern_address(ETHEREUM, "0xa4b2fd68593b6f34e51cb9edb66e71c1b4ab449e")
            .unwrap();
        let fake = g
            .intern_address(ETHEREUM, "0xa4b2fd00000000000000000000000000000a449e")
            .unwrap();
        let fake_token = g.asset(
            ETHEREUM,
            Some("0xee33058e00000000000000000000000000000000"),
            "stEТH",
            Some(18),
        );
        g.transfers.push(AccountTransfer {
            chain: ETHEREUM,
            tx: [90; 32],
            block: 2,
            time: 1_740_100_000,
            index: 0,
            kind: TransferKind::NativeTx,
            from: exploiter,
            to: real,
            asset,
            amount: eth(5),
        });
        g.transfers.push(AccountTransfer {
            chain: ETHEREUM,
            tx: [91; 32],
            block: 2,
            time: 1_740_100_001,
            index: 1,
            kind: TransferKind::Erc20,
            from: fake,
            to: exploiter,
            asset: fake_token,
            amount: eth(554_882),
        });
        g.sort();
        let idx = GraphIndex::build(&g);
        let f = rapid_fan_out(
            &g,
            &idx,
            &FlagConfig {
                fan_out_min_receivers: 40,
                fan_out_min_amount: eth(1_000),
                ..Default::default()
            },
        );
        assert_eq!(f.len(), 1);
        assert!(
            f[0].detail
                .starts_with("40 transfers to 40 addresses within 2340 s, 400000 ETH"),
            "{}",
            f[0].detail
        );
        let p = poisoning_lookalikes(&g, &idx);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].subject, "0xa4b2fd00000000000000000000000000000a449e");
        let t = impersonating_tokens(&g);
        assert_eq!(t.len(), 1);
        assert!(t[0].detail.contains("imitates stETH"), "{}", t[0].detail);
    }
}
