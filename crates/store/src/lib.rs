//! # store — Arrow schemas and Parquet files
//!
//! Every table Embargo keeps on disk is Parquet written from Arrow record batches, with the
//! schemas documented in `docs/schemas.md`. This crate owns those schemas, the row types that
//! other crates fill, and the readers and writers. DuckDB and pandas read the files directly.

pub mod rows;

pub use rows::{PositionRow, StaticRow, TransceiverClass};
