//! # ingest — AIS as feeds deliver it, into the store
//!
//! Reads raw NMEA files, `.gz`, directories and stdin, and NOAA MarineCadastre and Danish Maritime
//! Authority CSV (detected by content); decodes them with the `ais` codec across all cores; writes
//! the `positions` and `static_reports` Parquet tables; and accounts for every input line exactly
//! once: decoded (by type), rejected (by reason, optionally kept verbatim) or not AIS.
pub mod gfw;
