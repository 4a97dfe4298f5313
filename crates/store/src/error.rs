//! The store's error type: every variant names the file or table it concerns.

use std::path::PathBuf;

/// An error reading or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or directory could not be read, created or renamed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A Parquet file could not be written or read.
    #[error("{path}: parquet: {source}")]
    Parquet {
        /// The Parquet file concerned.
        path: PathBuf,
        /// The underlying error.
        source: parquet::errors::ParquetError,
    },
    /// Arrow refused to build a record batch (a schema/column mismatch: a bug, not bad input).
    #[error("table {table}: arrow: {source}")]
    Arrow {
        /// The table concerned.
        table: String,
        /// The underlying error.
        source: arrow_schema::ArrowError,
    },
    /// A record batch read back does not have the column or type the table's schema requires.
    #[error("{path}: table {table}: {message}")]
    Schema {
        /// The Parquet file concerned.
        path: PathBuf,
        /// The table concerned.
        table: String,
        /// What is wrong.
        message: String,
    },
    /// A JSON side file (`sources.json`, `ingest_summary.json`) could not be read or written.
    #[error("{path}: json: {source}")]
    Json {
        /// The JSON file concerned.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
}

impl StoreError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            path: path.into(),
            source,
        }
    }
}
