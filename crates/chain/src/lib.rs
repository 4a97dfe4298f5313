//! # chain — crypto fund tracing on one machine
//!
//! Traces stolen funds from DPRK-attributed thefts to exchange deposit addresses, and measures how
//! much of a deposit comes from sanctioned or stolen sources. Inputs (ethereum-etl, explorer CSV,
//! bitcoin-etl, Bitcoin Core `getblock` JSON, raw `blk*.dat`) become one [`model::Graph`] of exact
//! integer transfers; [`labels`] attach sources (OFAC, TagPacks, Etherscan, user CSV);
//! [`trace`] runs the poison, haircut, FIFO and TIHO taint models with hop, time and dust cut-offs
//! and stops at services; [`exposure`] summarises risk by category; [`cluster`] does multi-input
//! clustering with CoinJoin exclusion; [`flags`] finds fan-outs, peel chains, look-alike addresses
//! and impersonating tokens; [`store`] saves a graph to disk.

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
