//! # store — Arrow schemas and Parquet files
//!
//! Every table Embargo keeps on disk is Parquet written from Arrow record batches, with the
//! schemas documented in `docs/schemas.md`. This crate owns those schemas, the row types that
//! other crates fill, and the readers and writers. DuckDB and pandas read the files directly.
//!
//! A store is a directory:
//!
//! ```text
//! DIR/positions/part-00000.parquet …      position reports (PositionRow)
//! DIR/static_reports/part-00000.parquet … static and voyage reports (StaticRow)
//! DIR/<other table>/part-NNNNN.parquet    tables of other crates, via [`table`]
//! DIR/sources.json                        source index → input file path
//! DIR/ingest_summary.json                 accounting of the last ingest
//! ```
//!
//! Writing always appends new part files; nothing is overwritten. Entry points:
//! [`RowWriter`] / [`write_positions`] to write, [`read_positions`] / [`read_static_reports`]
//! to stream rows back, [`table::write_batches`] / [`table::read_batches`] for any other table.

pub mod ais_tables;
pub mod error;
pub mod rows;
pub mod sources;
pub mod table;

pub use ais_tables::{
    positions_batch, positions_from_batch, positions_schema, read_positions,
    read_positions_batches, read_static_reports, read_static_reports_batches, static_reports_batch,
    static_reports_from_batch, static_reports_schema, write_positions, write_static_reports,
    RowIter, RowWriter, TableRow, POSITIONS, STATIC_REPORTS,
};
pub use error::StoreError;
pub use rows::{PositionRow, StaticRow, TransceiverClass};
pub use sources::{Source, Sources, INGEST_SUMMARY_FILE, SOURCES_FILE};
