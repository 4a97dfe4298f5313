//! Errors of an ingest; each names the file (and line, where there is one).

use std::path::PathBuf;

/// An error that stops an ingest (per-file read errors are recorded in the summary instead).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// An input path could not be opened or listed.
    #[error("{path}: {source}")]
    Input {
        /// The input concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// No input files were found (an empty directory, say).
    #[error("no input files found in {0}")]
    NoInputs(String),
    /// The rejects file could not be written.
    #[error("rejects file {path}: {source}")]
    Rejects {
        /// The rejects file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing rows or rejects failed mid-ingest (disk full, say); the ingest stopped.
    #[error("write failed: {0}")]
    Write(String),
    /// The store could not be written.
    #[error(transparent)]
    Store(#[from] store::StoreError),
}
