//! `sources.json`: which input file each `source` index in the tables stands for, and the other
//! small JSON side files of a store (such as `ingest_summary.json`).
//!
//! The file is a JSON array `[{"index": 0, "path": "data/a.nmea"}, …]`. Indices only grow: a later
//! ingest into the same store registers its inputs after the existing ones, so rows written by
//! earlier ingests keep pointing at the right file.

use crate::StoreError;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// File name of the source index inside a store directory.
pub const SOURCES_FILE: &str = "sources.json";
/// File name of the last ingest's accounting summary inside a store directory.
pub const INGEST_SUMMARY_FILE: &str = "ingest_summary.json";

/// One input file known to the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The value of the `source` column for rows from this file.
    pub index: u32,
    /// The path as given on the command line (or found under a directory); `-` for stdin.
    pub path: String,
}

/// The source index of a store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sources {
    /// Sources in index order.
    pub sources: Vec<Source>,
}

impl Sources {
    /// Loads `DIR/sources.json`; a store without one has no sources yet.
    pub fn load(dir: &Path) -> Result<Self, StoreError> {
        Ok(read_json(dir, SOURCES_FILE)?.unwrap_or_default())
    }

    /// Registers a new input and returns its index (always a fresh one: re-ingesting a path
    /// gets a new index, so rows of each ingest stay distinguishable).
    pub fn register(&mut self, path: &str) -> u32 {
        let index = self.sources.last().map_or(0, |s| s.index + 1);
        self.sources.push(Source {
            index,
            path: path.to_string(),
        });
        index
    }

    /// The path registered under `index`.
    pub fn path(&self, index: u32) -> Option<&str> {
        self.sources
            .iter()
            .find(|s| s.index == index)
            .map(|s| s.path.as_str())
    }

    /// Writes `DIR/sources.json` (creating `DIR`).
    pub fn save(&self, dir: &Path) -> Result<(), StoreError> {
        write_json(dir, SOURCES_FILE, self)
    }
}

/// Writes `value` as pretty JSON to `DIR/name`, atomically (temporary file, then rename).
pub fn write_json<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
    let path = dir.join(name);
    let tmp: PathBuf = dir.join(format!(".{name}.tmp"));
    let text = serde_json::to_vec_pretty(value).map_err(|source| StoreError::Json {
        path: path.clone(),
        source,
    })?;
    fs::write(&tmp, text).map_err(|e| StoreError::io(&tmp, e))?;
    fs::rename(&tmp, &path).map_err(|e| StoreError::io(&path, e))
}

/// Reads `DIR/name` as JSON; `None` when the file does not exist.
pub fn read_json<T: DeserializeOwned>(dir: &Path, name: &str) -> Result<Option<T>, StoreError> {
    let path = dir.join(name);
    let text = match fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    serde_json::from_slice(&text)
        .map(Some)
        .map_err(|source| StoreError::Json { path, source })
}
