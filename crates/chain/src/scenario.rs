//! Laundering scenario generator with known truth, in the spirit of the AIS simulator.
//!
//! From real incident seeds (exploiter, intermediary and VASP deposit addresses, e.g. the Ronin
//! rows of `dprk_incident_seed_addresses.csv`) it builds a synthetic Ethereum graph: the theft,
//! a fan-out, then per branch one technique — direct deposit, peel chain, commingling with clean
//! funds, mixer deposit, bridge deposit, a DEX swap into USDT — plus background users paying
//! decoy deposits, and a trap (an address with a large clean balance receiving a little stolen
//! ETH, then paying a decoy deposit). The truth lists every deposit that received stolen funds
//! by design, with its hop count from the seed; [`evaluate`] scores a trace against it.

use crate::amount::Amount;
use crate::labels::{Category, Label, LabelSet};
use crate::model::{AccountTransfer, Graph, TransferKind, ETHEREUM};
use crate::trace::{TraceResult, Tracer};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A seed row: incident, address, role (as in the incident seed CSV).
#[derive(Debug, Clone)]
pub struct SeedRow {
    /// Incident id.
    pub incident: String,
    /// Address.
    pub address: String,
    /// Role text.
    pub role: String,
}

/// Scenario size and randomness.
#[derive(Debug, Clone)]
pub struct ScenarioConfig {
    /// RNG seed.
    pub seed: u64,
    /// Branches of the fan-out per incident.
    pub branches: usize,
    /// Background users.
    pub noise_users: usize,
    /// Background transfers.
    pub noise_transfers: usize,
    /// Decoy (clean) deposit addresses.
    pub decoy_deposits: usize,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        ScenarioConfig {
            seed: 1,
            branches: 12,
            noise_users: 400,
            noise_transfers: 4000,
            decoy_deposits: 30,
        }
    }
}

/// What the generator knows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Truth {
    /// Seed (exploiter) addresses.
    pub seeds: Vec<String>,
    /// Deposit → (hop count of its first stolen receipt, technique).
    pub true_deposits: BTreeMap<String, (u32, &'static str)>,
    /// Deposits that only received clean funds by design.
    pub decoy_deposits: Vec<String>,
    /// Deposits reachable only through a cross-asset swap (the swap's output leaves the DEX in the
    /// same transaction; tracing continues through DEX-labelled addresses into the other asset).
    pub via_swap: Vec<String>,
}

/// A generated scenario.
pub struct Scenario {
    /// The graph (sorted).
    pub graph: Graph,
    /// Labels: seeds (theft), deposits, decoys, mixer, bridge, DEX router.
    pub labels: LabelSet,
    /// Truth.
    pub truth: Truth,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn eth(milli: u64) -> Amount {
    Amount::from_u128(milli as u128 * 1_000_000_000_000_000)
}

struct Builder {
    g: Graph,
    labels: LabelSet,
    rng: Rng,
    time: i64,
    block: u64,
    n: u64,
    eth: u32,
    usdt: u32,
}

impl Builder {
    fn addr(&mut self, text: &str) -> u32 {
        self.g.intern_address(ETHEREUM, text).unwrap_or(0)
    }
    fn fresh(&mut self) -> u32 {
        let r = self.rng.next();
        let r2 = self.rng.next();
        let t = format!("0x{:016x}{:016x}{:08x}", r, r2, (r ^ r2) as u32);
        self.addr(&t)
    }
    fn pay(&mut self, from: u32, to: u32, amount: Amount, asset: u32) {
        self.time += 12 + self.rng.below(600) as i64;
        self.block += 1;
        self.n += 1;
        let mut tx = [0u8; 32];
        tx[..8].copy_from_slice(&self.n.to_be_bytes());
        tx[8..16].copy_from_slice(&self.rng.next().to_be_bytes());
        self.g.transfers.push(AccountTransfer {
            chain: ETHEREUM,
            tx,
            block: self.block,
            time: self.time,
            index: 0,
            kind: TransferKind::NativeTx,
            from,
            to,
            asset,
            amount,
        });
    }
    /// A second transfer in the same transaction as the previous one (e.g. a swap's output).
    fn pay_same_tx(&mut self, from: u32, to: u32, amount: Amount, asset: u32) {
        let Some(last) = self.g.transfers.last().cloned() else {
            return;
        };
        self.g.transfers.push(AccountTransfer {
            kind: TransferKind::Erc20,
            from,
            to,
            asset,
            amount,
            index: last.index + 1,
            ..last
        });
    }
    fn label(&mut self, id: u32, label: &str, category: Category) {
        let text = self.g.address_text(id).to_string();
        self.labels.add(
            Label {
                address: text,
                chain: Some("ethereum".into()),
                label: label.into(),
                category,
                source: "scenario".into(),
                confidence: None,
                detail: None,
                case_lost: false,
            },
            Some(ETHEREUM),
        );
    }
}

/// Builds a scenario from seed rows (Ethereum rows are used; one laundering tree per incident).
pub fn generate(rows: &[SeedRow], cfg: &ScenarioConfig) -> Scenario {
    let mut b = Builder {
        g: Graph::new(),
        labels: LabelSet::new(),
        rng: Rng(cfg.seed),
        time: 1_648_000_000,
        block: 14_400_000,
        n: 0,
        eth: 0,
        usdt: 0,
    };
    b.eth = b.g.native_asset(ETHEREUM);
    b.usdt = b.g.asset(
        ETHEREUM,
        Some("0xdac17f958d2ee523a2206206994597c13d831ec7"),
        "USDT",
        Some(6),
    );
    let mut truth = Truth::default();
    let mixer = b.addr("0xa160cdab225685da1d56aa342ad8841c3b53f291"); // Tornado.Cash 100 ETH pool
    b.label(mixer, "Tornado.Cash 100 ETH (scenario)", Category::Mixer);
    let bridge = b.fresh();
    b.label(bridge, "bridge (scenario)", Category::Bridge);
    let router = b.fresh();
    b.label(router, "DEX router (scenario)", Category::Dex);
    // Background users with balances, and decoy deposits.
    let users: Vec<u32> = (0..cfg.noise_users).map(|_| b.fresh()).collect();
    let faucet = b.fresh();
    for &u in &users {
        let amt = eth(1_000 + b.rng.below(50_000_000));
        b.pay(faucet, u, amt, b.eth);
    }
    let decoys: Vec<u32> = (0..cfg.decoy_deposits).map(|_| b.fresh()).collect();
    for (k, &d) in decoys.iter().enumerate() {
        b.label(d, &format!("decoy deposit {k}"), Category::Deposit);
        truth.decoy_deposits.push(b.g.address_text(d).to_string());
    }
    let mut incidents: BTreeMap<String, Vec<&SeedRow>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.address.starts_with("0x")) {
        incidents.entry(r.incident.clone()).or_default().push(r);
    }
    let mut noise_left = cfg.noise_transfers;
    for (incident, rs) in &incidents {
        let exploiter_row = rs
            .iter()
            .find(|r| r.role.to_ascii_lowercase().contains("exploiter"))
            .or(rs.first());
        let Some(exploiter_row) = exploiter_row else {
            continue;
        };
        let seed = b.addr(&exploiter_row.address);
        b.label(seed, &format!("{incident}: exploiter"), Category::Theft);
        truth.seeds.push(b.g.address_text(seed).to_string());
        let mut real_deposits: Vec<u32> = rs
            .iter()
            .filter(|r| r.role.to_ascii_lowercase().contains("deposit"))
            .map(|r| b.addr(&r.address))
            .collect();
        let mut intermediaries: Vec<u32> = rs
            .iter()
            .filter(|r| r.role.to_ascii_lowercase().contains("intermediary"))
            .map(|r| b.addr(&r.address))
            .filter(|&a| a != seed)
            .collect();
        for &d in &real_deposits {
            b.label(d, &format!("{incident}: VASP deposit"), Category::Deposit);
        }
        let victim = b.fresh();
        let stolen = eth(10_000_000 + b.rng.below(100_000_000));
        b.pay(victim, seed, stolen, b.eth);
        let branches = cfg.branches.max(6);
        let share = Amount::from_u128(stolen.to_u128().unwrap_or(0) / (branches as u128 + 1));
        let deposit_for = |b: &mut Builder, real: &mut Vec<u32>| -> u32 {
            if let Some(d) = real.pop() {
                return d;
            }
            let d = b.fresh();
            b.label(d, "synthetic deposit", Category::Deposit);
            d
        };
        for k in 0..branches {
            let hop1 = intermediaries.pop().unwrap_or_else(|| b.fresh());
            b.pay(seed, hop1, share, b.eth);
            // Noise interleaved in time.
            for _ in 0..(noise_left / (branches * incidents.len().max(1))).max(1) {
                if noise_left == 0 {
                    break;
                }
                noise_left -= 1;
                let from = users[b.rng.below(users.len() as u64) as usize];
                let to = if b.rng.below(4) == 0 {
                    decoys[b.rng.below(decoys.len() as u64) as usize]
                } else {
                    users[b.rng.below(users.len() as u64) as usize]
                };
                let amt = eth(1 + b.rng.below(5_000));
                b.pay(from, to, amt, b.eth);
            }
            let tech = k % 6;
            let s = share.to_u128().unwrap_or(0);
            let part = |f: u128| Amount::from_u128(s * f / 100);
            match tech {
                0 => {
                    let d = deposit_for(&mut b, &mut real_deposits);
                    b.pay(hop1, d, part(99), b.eth);
                    truth
                        .true_deposits
                        .entry(b.g.address_text(d).to_string())
                        .or_insert((2, "direct"));
                }
                1 => {
                    // Peel chain: each hop peels 5 % to a deposit, passes the rest on.
                    let len = 2 + b.rng.below(4) as u32;
                    let mut cur = hop1;
                    let mut left: u128 = s * 99 / 100;
                    for step in 0..len {
                        let next = b.fresh();
                        let d = deposit_for(&mut b, &mut real_deposits);
                        let peel = left / 20;
                        b.pay(cur, d, Amount::from_u128(peel), b.eth);
                        truth
                            .true_deposits
                            .entry(b.g.address_text(d).to_string())
                            .or_insert((2 + step, "peel chain"));
                        left -= peel;
                        b.pay(cur, next, Amount::from_u128(left * 99 / 100), b.eth);
                        left = left * 99 / 100;
                        cur = next;
                    }
                    let d = deposit_for(&mut b, &mut real_deposits);
                    b.pay(cur, d, Amount::from_u128(left * 99 / 100), b.eth);
                    truth
                        .true_deposits
                        .entry(b.g.address_text(d).to_string())
                        .or_insert((2 + len, "peel chain end"));
                }
                2 => {
                    // Commingling: clean funds join before the deposit.
                    let hop2 = b.fresh();
                    let u = users[b.rng.below(users.len() as u64) as usize];
                    b.pay(u, hop2, part(40), b.eth);
                    b.pay(hop1, hop2, part(99), b.eth);
                    let d = deposit_for(&mut b, &mut real_deposits);
                    b.pay(hop2, d, part(130), b.eth);
                    truth
                        .true_deposits
                        .entry(b.g.address_text(d).to_string())
                        .or_insert((3, "commingled"));
                }
                3 => {
                    // Mixer: 100 ETH-sized deposits into the pool (a sink).
                    b.pay(hop1, mixer, part(99), b.eth);
                }
                4 => {
                    b.pay(hop1, bridge, part(99), b.eth);
                }
                _ => {
                    // Swap: ETH into a DEX router, USDT out to a fresh address, then a deposit.
                    b.pay(hop1, router, part(99), b.eth);
                    let out = b.fresh();
                    let usdt = Amount::from_u128(s / 1_000_000_000_000 * 3);
                    b.pay_same_tx(router, out, usdt, b.usdt);
                    let d = deposit_for(&mut b, &mut real_deposits);
                    b.pay(out, d, usdt, b.usdt);
                    let text = b.g.address_text(d).to_string();
                    truth
                        .true_deposits
                        .entry(text.clone())
                        .or_insert((4, "swap"));
                    truth.via_swap.push(text);
                }
            }
        }
        // Trap: a rich clean user receives 0.01 % of a branch (≈ 1 ETH), then pays a decoy 500 ETH.
        let rich = users[b.rng.below(users.len() as u64) as usize];
        b.pay(
            seed,
            rich,
            Amount::from_u128(share.to_u128().unwrap_or(0) / 10_000),
            b.eth,
        );
        let decoy = decoys[b.rng.below(decoys.len() as u64) as usize];
        b.pay(rich, decoy, eth(500_000), b.eth); // 500 ETH, mostly clean
    }
    // Decoys that happened to receive stolen funds by design would be a contradiction: keep apart.
    let true_set: std::collections::HashSet<&String> = truth.true_deposits.keys().collect();
    truth.decoy_deposits.retain(|d| !true_set.contains(d));
    b.g.sort();
    Scenario {
        graph: b.g,
        labels: b.labels,
        truth,
    }
}

/// Precision, recall and hop accuracy of one trace against the truth.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// True deposits found.
    pub true_positives: usize,
    /// Decoys (or other clean deposits) reported.
    pub false_positives: usize,
    /// True deposits missed.
    pub false_negatives: usize,
    /// Of the misses, those only reachable through a swap.
    pub missed_via_swap: usize,
    /// TP / (TP + FP).
    pub precision: f64,
    /// TP / (TP + FN).
    pub recall: f64,
    /// Share of true positives reported at the true hop count.
    pub hop_accuracy: f64,
}

/// Scores deposit hits with `share ≥ min_share` against the truth.
pub fn evaluate(res: &TraceResult, truth: &Truth, min_share: f64) -> Score {
    let mut found: HashMap<&str, u32> = HashMap::new();
    for h in &res.hits {
        if h.categories.contains(&"deposit") && h.share >= min_share {
            let e = found.entry(h.address.as_str()).or_insert(h.hops);
            *e = (*e).min(h.hops);
        }
    }
    let tp: Vec<&String> = truth
        .true_deposits
        .keys()
        .filter(|d| found.contains_key(d.as_str()))
        .collect();
    let fp = found
        .keys()
        .filter(|d| !truth.true_deposits.contains_key(**d))
        .count();
    let fn_: Vec<&String> = truth
        .true_deposits
        .keys()
        .filter(|d| !found.contains_key(d.as_str()))
        .collect();
    let hop_ok = tp
        .iter()
        .filter(|d| found[d.as_str()] == truth.true_deposits[**d].0)
        .count();
    Score {
        true_positives: tp.len(),
        false_positives: fp,
        false_negatives: fn_.len(),
        missed_via_swap: fn_.iter().filter(|d| truth.via_swap.contains(d)).count(),
        precision: if tp.len() + fp == 0 {
            1.0
        } else {
            tp.len() as f64 / (tp.len() + fp) as f64
        },
        recall: if tp.is_empty() && fn_.is_empty() {
            1.0
        } else {
            tp.len() as f64 / (tp.len() + fn_.len()) as f64
        },
        hop_accuracy: if tp.is_empty() {
            0.0
        } else {
            hop_ok as f64 / tp.len() as f64
        },
    }
}

/// Reads seed rows from the incident seed CSV (`incident,incident_date,chain,address,role,...`).
pub fn read_seed_rows(path: &std::path::Path) -> std::io::Result<Vec<SeedRow>> {
    let mut rdr = csv::Reader::from_path(path).map_err(std::io::Error::other)?;
    let h = rdr.headers().map_err(std::io::Error::other)?.clone();
    let col = |n: &str| h.iter().position(|x| x == n);
    let (Some(i), Some(a), Some(r)) = (col("incident"), col("address"), col("role")) else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: needs incident,address,role columns", path.display()),
        ));
    };
    let mut out = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(std::io::Error::other)?;
        out.push(SeedRow {
            incident: row.get(i).unwrap_or("").into(),
            address: row.get(a).unwrap_or("").into(),
            role: row.get(r).unwrap_or("").into(),
        });
    }
    Ok(out)
}

/// Runs one model on a scenario and scores it.
pub fn run_model(
    s: &Scenario,
    cfg: &crate::trace::TraceConfig,
    min_share: f64,
) -> (Score, TraceResult) {
    let idx = crate::index::GraphIndex::build(&s.graph);
    let masks = s.labels.masks(&s.graph);
    let seeds: Vec<u32> = s
        .truth
        .seeds
        .iter()
        .filter_map(|a| s.graph.address_id(ETHEREUM, a))
        .collect();
    let res = Tracer {
        graph: &s.graph,
        index: &idx,
        masks: &masks,
    }
    .forward(&seeds, cfg);
    (evaluate(&res, &s.truth, min_share), res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Model, TraceConfig};

    fn rows() -> Vec<SeedRow> {
        // The Ronin exploiter is on the OFAC list (LAZARUS GROUP); the rest are synthetic here.
        vec![
            SeedRow {
                incident: "ronin".into(),
                address: "0x098b716b8aaf21512996dc57eb0615e2383e2f96".into(),
                role: "Primary exploiter".into(),
            },
            SeedRow {
                incident: "ronin".into(),
                address: "0x1111111111111111111111111111111111111111".into(),
                role: "VASP deposit address: X".into(),
            },
        ]
    }

    #[test]
    fn haircut_finds_every_eth_deposit_at_the_right_hop_and_no_decoy() {
        let s = generate(&rows(), &ScenarioConfig::default());
        assert!(s.truth.true_deposits.len() >= 8);
        let cfg = TraceConfig {
            model: Model::Haircut,
            max_hops: 10,
            ..Default::default()
        };
        let (score, _) = run_model(&s, &cfg, 0.01);
        assert_eq!(score.false_positives, 0, "{score:?}");
        assert_eq!(
            score.false_negatives, score.missed_via_swap,
            "only swap paths are missed: {score:?}"
        );
        assert_eq!(score.hop_accuracy, 1.0, "{score:?}");
        let (poison, _) = run_model(
            &s,
            &TraceConfig {
                model: Model::Poison,
                ..cfg
            },
            0.0,
        );
        assert!(
            poison.false_positives >= 1,
            "the trap catches poison: {poison:?}"
        );
    }
}
