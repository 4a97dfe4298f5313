//! On-disk store of loaded lists: `DIR/lists/entities.jsonl` (one [`Entity`] per line, sorted by
//! id) and `DIR/lists/manifest.json` (which files were loaded, when, with what counts), and the
//! diff of a load against the previous content.
//!
//! Loading a list replaces the entities of its source (`un`, `ofac`, ...) and keeps the others,
//! so lists can be loaded one command at a time; [`SaveMode::Replace`] empties the store first.

use crate::model::Entity;
use crate::{Format, LoadedList, Summary};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// File name of the entities inside `DIR/lists/`.
pub const ENTITIES_FILE: &str = "entities.jsonl";
/// File name of the manifest inside `DIR/lists/`.
pub const MANIFEST_FILE: &str = "manifest.json";

/// A store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// File system error.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A stored line or the manifest is not valid JSON for its type.
    #[error("{}: line {line}: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// There is no store at the path.
    #[error("{}: no stored lists here (run `embargo lists load FILE --store DIR` first)", path.display())]
    Missing {
        /// The path looked at.
        path: PathBuf,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// One loaded file, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRecord {
    /// The file as given on the command line.
    pub path: String,
    /// Its format.
    pub format: Format,
    /// Source code of its entities (`un`, `ofac`, ...).
    pub source: String,
    /// List date stated by the file.
    pub list_date: Option<String>,
    /// Entities it gave.
    pub entities: usize,
    /// Decompressed size in bytes.
    pub bytes: u64,
    /// Record accounting.
    pub summary: Summary,
    /// When it was loaded, seconds since the Unix epoch.
    pub loaded_at: u64,
}

/// The manifest of a store.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Manifest format version.
    pub version: u32,
    /// Files whose entities are in the store, latest load per source.
    pub sources: Vec<SourceRecord>,
    /// Total entities stored.
    pub entity_count: usize,
}

/// What changed between two contents of the store, by entity id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    /// Ids present now and not before.
    pub added: Vec<String>,
    /// Ids present before and not now.
    pub removed: Vec<String>,
    /// Ids present in both whose content differs.
    pub changed: Vec<String>,
    /// Ids present in both with equal content.
    pub unchanged: usize,
}

impl Diff {
    /// Compares two sets of entities by id.
    pub fn between(before: &[Entity], after: &[Entity]) -> Diff {
        let old: BTreeMap<&str, &Entity> = before.iter().map(|e| (e.id.as_str(), e)).collect();
        let new: BTreeMap<&str, &Entity> = after.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut d = Diff::default();
        for (id, e) in &new {
            match old.get(id) {
                None => d.added.push(id.to_string()),
                Some(o) if o != e => d.changed.push(id.to_string()),
                Some(_) => d.unchanged += 1,
            }
        }
        d.removed = old
            .keys()
            .filter(|id| !new.contains_key(*id))
            .map(|id| id.to_string())
            .collect();
        d
    }
}

/// Whether a save keeps the entities of sources not being loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveMode {
    /// Replace only the sources being loaded (default).
    MergeBySource,
    /// Replace the whole store.
    Replace,
}

/// The directory holding the files: `DIR/lists`, or `DIR` itself if it already holds them.
pub fn lists_dir(dir: &Path) -> PathBuf {
    if dir.join(ENTITIES_FILE).is_file() && !dir.join("lists").join(ENTITIES_FILE).is_file() {
        dir.to_path_buf()
    } else {
        dir.join("lists")
    }
}

/// Reads the stored entities. `dir` is the store directory (or its `lists/` subdirectory).
pub fn load(dir: &Path) -> Result<Vec<Entity>, StoreError> {
    let path = lists_dir(dir).join(ENTITIES_FILE);
    if !path.is_file() {
        return Err(StoreError::Missing { path });
    }
    let file = fs::File::open(&path).map_err(io_err(&path))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_err(&path))?;
        if line.trim().is_empty() {
            continue;
        }
        let e: Entity = serde_json::from_str(&line).map_err(|e| StoreError::Corrupt {
            path: path.clone(),
            line: i + 1,
            message: e.to_string(),
        })?;
        out.push(e);
    }
    Ok(out)
}

/// Reads the manifest (an empty one if the store is new).
pub fn load_manifest(dir: &Path) -> Result<Manifest, StoreError> {
    let path = lists_dir(dir).join(MANIFEST_FILE);
    if !path.is_file() {
        return Ok(Manifest::default());
    }
    let text = fs::read_to_string(&path).map_err(io_err(&path))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
        path,
        line: e.line(),
        message: e.to_string(),
    })
}

/// Saves loaded lists into the store and returns the diff against the previous content.
pub fn save(dir: &Path, lists: &[LoadedList], mode: SaveMode) -> Result<Diff, StoreError> {
    let ldir = dir.join("lists");
    fs::create_dir_all(&ldir).map_err(io_err(&ldir))?;
    let before = match load(dir) {
        Ok(v) => v,
        Err(StoreError::Missing { .. }) => Vec::new(),
        Err(e) => return Err(e),
    };
    let mut manifest = load_manifest(dir)?;
    let replaced: BTreeSet<&str> = lists.iter().map(|l| l.format.source()).collect();
    let mut after: Vec<Entity> = match mode {
        SaveMode::Replace => Vec::new(),
        SaveMode::MergeBySource => before
            .iter()
            .filter(|e| !replaced.contains(e.source.as_str()))
            .cloned()
            .collect(),
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut seen: BTreeSet<String> = after.iter().map(|e| e.id.clone()).collect();
    for l in lists {
        for e in &l.entities {
            // Two files of one source in one load (e.g. two OFAC exports) may repeat ids: keep the first.
            if seen.insert(e.id.clone()) {
                after.push(e.clone());
            }
        }
    }
    after.sort_by(|a, b| a.id.cmp(&b.id));
    match mode {
        SaveMode::Replace => manifest.sources.clear(),
        SaveMode::MergeBySource => manifest
            .sources
            .retain(|s| !replaced.contains(s.source.as_str())),
    }
    for l in lists {
        manifest.sources.push(SourceRecord {
            path: l.path.display().to_string(),
            format: l.format,
            source: l.format.source().to_string(),
            list_date: l.list_date.clone(),
            entities: l.entities.len(),
            bytes: l.bytes,
            summary: l.summary.clone(),
            loaded_at: now,
        });
    }
    manifest.version = 1;
    manifest.entity_count = after.len();

    let entities_path = ldir.join(ENTITIES_FILE);
    write_atomically(&entities_path, |w| {
        for e in &after {
            serde_json::to_writer(&mut *w, e).map_err(std::io::Error::other)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })?;
    let manifest_path = ldir.join(MANIFEST_FILE);
    write_atomically(&manifest_path, |w| {
        serde_json::to_writer_pretty(&mut *w, &manifest).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })?;
    Ok(Diff::between(&before, &after))
}

/// Writes through a temporary file and renames it, so readers never see half a file.
fn write_atomically(
    path: &Path,
    body: impl FnOnce(&mut BufWriter<fs::File>) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    let tmp = path.with_extension("tmp");
    let file = fs::File::create(&tmp).map_err(io_err(&tmp))?;
    let mut w = BufWriter::new(file);
    body(&mut w).map_err(io_err(&tmp))?;
    w.flush().map_err(io_err(&tmp))?;
    drop(w);
    fs::rename(&tmp, path).map_err(io_err(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NameStrength, Schema};

    fn ent(id: &str, source: &str, name: &str) -> Entity {
        let mut e = Entity::new(id, source, Schema::Person);
        e.add_name(name, NameStrength::Strong);
        e
    }

    fn list(format: Format, entities: Vec<Entity>) -> LoadedList {
        LoadedList {
            path: PathBuf::from("x"),
            format,
            list_date: None,
            entities,
            summary: Summary::default(),
            bytes: 0,
        }
    }

    #[test]
    fn diff_and_merge_by_source() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d1 = save(
            dir.path(),
            &[list(
                Format::UnXml,
                vec![ent("un:KPi.001", "un", "A"), ent("un:KPi.002", "un", "B")],
            )],
            SaveMode::MergeBySource,
        )
        .expect("save");
        assert_eq!(d1.added, vec!["un:KPi.001", "un:KPi.002"]);

        let d2 = save(
            dir.path(),
            &[list(
                Format::OfacAdvancedXml,
                vec![ent("ofac:1", "ofac", "C")],
            )],
            SaveMode::MergeBySource,
        )
        .expect("save");
        assert_eq!(d2.added, vec!["ofac:1"]);
        assert!(
            d2.removed.is_empty(),
            "UN entities are kept when OFAC is loaded"
        );
        assert_eq!(d2.unchanged, 2);

        let d3 = save(
            dir.path(),
            &[list(
                Format::UnXml,
                vec![ent("un:KPi.001", "un", "A2"), ent("un:KPi.003", "un", "D")],
            )],
            SaveMode::MergeBySource,
        )
        .expect("save");
        assert_eq!(d3.added, vec!["un:KPi.003"]);
        assert_eq!(d3.removed, vec!["un:KPi.002"]);
        assert_eq!(d3.changed, vec!["un:KPi.001"]);
        assert_eq!(d3.unchanged, 1);

        let stored = load(dir.path()).expect("load");
        assert_eq!(stored.len(), 3);
        let ids: Vec<&str> = stored.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            vec!["ofac:1", "un:KPi.001", "un:KPi.003"],
            "sorted by id"
        );
        assert_eq!(stored[1].primary_name(), Some("A2"));
        let m = load_manifest(dir.path()).expect("manifest");
        assert_eq!(m.entity_count, 3);
        assert_eq!(m.sources.len(), 2);

        let d4 = save(
            dir.path(),
            &[list(Format::UnXml, vec![])],
            SaveMode::Replace,
        )
        .expect("save");
        assert_eq!(d4.removed.len(), 3);
        assert!(load(dir.path()).expect("load").is_empty());
    }

    #[test]
    fn corrupt_store_names_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let l = dir.path().join("lists");
        fs::create_dir_all(&l).expect("mkdir");
        fs::write(l.join(ENTITIES_FILE), "{\"id\":1}\n").expect("write");
        let err = load(dir.path()).expect_err("corrupt").to_string();
        assert!(
            err.contains("entities.jsonl") && err.contains("line 1"),
            "{err}"
        );
        let missing = load(&dir.path().join("nope"))
            .expect_err("missing")
            .to_string();
        assert!(missing.contains("lists load"), "{missing}");
    }
}
