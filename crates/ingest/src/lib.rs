//! # ingest — AIS as feeds deliver it, into the store
//!
//! Reads raw NMEA files, `.gz`, directories and stdin, and NOAA MarineCadastre and Danish Maritime
//! Authority CSV (detected by content); decodes them with the `ais` codec across all cores; writes
//! the `positions` and `static_reports` Parquet tables; and accounts for every input line exactly
//! once: decoded (by type), rejected (by reason, optionally kept verbatim) or not AIS.
//!
//! Entry point: [`ingest`] (paths → store + [`Summary`]). Parallelism: each thread of the rayon
//! pool takes work items in turn — whole files, or chunks of a large uncompressed NMEA file cut
//! only where no multipart message is open (see [`chunk`]) — with its own decoder and Parquet
//! writers, so memory is bounded by a few row batches per thread whatever the input size.
//! [`decode::decode_inputs`] decodes without a store (for `embargo decode`).
pub mod chunk;
pub mod convert;
pub mod csv;
pub mod decode;
pub mod error;
pub mod gfw;
pub mod input;
pub mod lines;
pub mod process;
pub mod run;
pub mod summary;
pub mod time;

pub use error::IngestError;
pub use input::Input;
pub use run::{ingest, ingest_inputs, total_bytes, IngestOptions};
pub use summary::{Counts, FileSummary, Summary};
