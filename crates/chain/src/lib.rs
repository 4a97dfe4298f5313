//! # chain — crypto fund tracing on one machine
//!
//! Traces stolen funds from DPRK-attributed thefts to exchange deposit addresses, and measures how
//! much of a deposit comes from sanctioned or stolen sources.
//!
//! - [`load`] / [`rawblock`]: ethereum-etl (transactions, token transfers, traces, logs), explorer
//!   CSV, bitcoin-etl, Bitcoin Core `getblock` JSON and raw `blk*.dat` (with `xor.dat`) into one
//!   [`model::Graph`] of exact integer ([`Amount`], 256-bit) transfers; every record is accepted,
//!   skipped by a rule or rejected with file and line.
//! - [`labels`]: OFAC, GraphSense TagPacks, Etherscan labels, user CSV, incident seeds — each label
//!   keeps its source; per-chain address case rules.
//! - [`trace`]: poison, haircut, FIFO and TIHO forwards from seeds (addresses or outpoints) and a
//!   proportional backward walk from a deposit; hop, time and dust cut-offs; services are sinks;
//!   every hit carries its path. [`index`] makes traces touch only tainted addresses.
//! - [`exposure`]: direct/indirect exposure by category with share, hops and severity.
//! - [`cluster`]: multi-input union-find, CoinJoin detectors, merge log, size veto; GraphSense
//!   relation estimates. [`flags`]: fan-out, peel chains, look-alikes, impersonating tokens.
//! - [`store`]: the on-disk graph; [`session`]: store + labels + index for the CLI;
//!   [`scenario`]: laundering scenarios with known truth for evaluation.

pub mod amount;
pub mod cluster;
pub mod encoding;
pub mod exposure;
pub mod flags;
pub mod index;
pub mod labels;
pub mod load;
pub mod model;
pub mod rawblock;
pub mod scenario;
pub mod session;
pub mod store;
pub mod trace;

pub use amount::Amount;
