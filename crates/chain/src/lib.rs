//! # chain — following stolen funds
//!
//! One model of transfers for Bitcoin (Core JSON, bitcoin-etl, raw `blk*.dat`) and EVM chains
//! (ethereum-etl, explorer CSV), with exact integer amounts; address labels with their sources;
//! poison, haircut, FIFO and TIHO taint tracing; UTXO clustering that refuses CoinJoins; flags for
//! mixers, bridges, peel chains, fan-outs and address poisoning; and exposure by category.
