//! A loaded store with its index and labels, ready to trace; seed-file parsing and GraphML export.

use crate::index::GraphIndex;
use crate::labels::{LabelError, LabelSet};
use crate::model::{Graph, CHAINS};
use crate::store::StoreError;
use crate::trace::{TraceResult, Tracer};
use std::fmt::Write as _;
use std::path::Path;

/// Failure to open a session.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Store problem.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Label file problem.
    #[error(transparent)]
    Labels(#[from] LabelError),
    /// No graph in the store.
    #[error(
        "{0}: no chain graph in this store (run `embargo chain load FILES --store DIR` first)"
    )]
    Empty(String),
    /// Seed file problem.
    #[error("{file}:{line}: {why}")]
    Seeds {
        /// Path.
        file: String,
        /// Line.
        line: u64,
        /// What.
        why: String,
    },
}

/// Seeds read from a file.
#[derive(Debug, Clone, Default)]
pub struct Seeds {
    /// Address ids (on every chain the address occurs on).
    pub addresses: Vec<u32>,
    /// UTXO outputs given as `txid:vout`: (tx position, output index).
    pub outputs: Vec<(u32, u32)>,
    /// Entries not found in the store.
    pub missing: Vec<String>,
}

/// Graph + index + labels.
pub struct Session {
    /// The graph.
    pub graph: Graph,
    /// Its index.
    pub index: GraphIndex,
    /// Labels.
    pub labels: LabelSet,
    /// Category mask per address id.
    pub masks: Vec<u16>,
}

impl Session {
    /// Opens a store and loads label files (plus every file in `DIR/chain/labels/`, if present).
    pub fn open(store: &Path, label_files: &[impl AsRef<Path>]) -> Result<Session, SessionError> {
        let graph = crate::store::load(store)?
            .ok_or_else(|| SessionError::Empty(store.display().to_string()))?;
        Self::from_graph(graph, store, label_files)
    }

    /// Builds a session from a graph already in memory.
    pub fn from_graph(
        graph: Graph,
        store: &Path,
        label_files: &[impl AsRef<Path>],
    ) -> Result<Session, SessionError> {
        let mut labels = LabelSet::builtin();
        let dir = store.join("chain").join("labels");
        if let Ok(rd) = std::fs::read_dir(&dir) {
            let mut files: Vec<_> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            for f in files {
                labels.load_file(&f)?;
            }
        }
        for f in label_files {
            labels.load_file(f.as_ref())?;
        }
        let index = GraphIndex::build(&graph);
        let masks = labels.masks(&graph);
        Ok(Session {
            graph,
            index,
            labels,
            masks,
        })
    }

    /// Adds labels from another source (e.g. sanctions lists loaded by the `lists` crate) and
    /// recomputes the category masks.
    pub fn add_labels(&mut self, add: impl FnOnce(&mut LabelSet)) {
        add(&mut self.labels);
        self.masks = self.labels.masks(&self.graph);
    }

    /// A tracer over this session.
    pub fn tracer(&self) -> Tracer<'_> {
        Tracer {
            graph: &self.graph,
            index: &self.index,
            masks: &self.masks,
        }
    }

    /// Address ids of a text address on any chain it appears on.
    pub fn resolve(&self, address: &str) -> Vec<u32> {
        self.graph.address_ids_any_chain(address)
    }

    /// Reads seeds: a CSV with an `address` column, or one entry per line (`#` comments). An entry
    /// is an address or a UTXO outpoint `txid:vout`.
    pub fn read_seeds(&self, path: &Path) -> Result<Seeds, SessionError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| SessionError::Seeds {
            file: file.clone(),
            line: 0,
            why: e.to_string(),
        })?;
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .peekable();
        let mut col = 0usize;
        if let Some((_, first)) = lines.peek() {
            let cols: Vec<String> = first
                .split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .collect();
            if let Some(p) = cols.iter().position(|c| c == "address") {
                col = p;
                lines.next();
            }
        }
        let (mut found, mut missing, mut outputs) = (Vec::new(), Vec::new(), Vec::new());
        for (i, l) in lines {
            let Some(a) = l.split(',').nth(col).map(str::trim) else {
                return Err(SessionError::Seeds {
                    file,
                    line: i as u64 + 1,
                    why: "no address column".into(),
                });
            };
            if let Some((txid, vout)) = a.split_once(':').filter(|(t, _)| t.len() == 64) {
                let point = crate::model::parse_hash(txid).zip(vout.parse::<u32>().ok());
                match point.and_then(|p| self.index.outpoint.get(&p)) {
                    Some(&o) => outputs.push(o),
                    None => missing.push(a.to_string()),
                }
                continue;
            }
            let ids = self.resolve(a);
            if ids.is_empty() {
                missing.push(a.to_string());
            }
            found.extend(ids);
        }
        found.sort_unstable();
        found.dedup();
        Ok(Seeds {
            addresses: found,
            outputs,
            missing,
        })
    }

    /// GraphML of a trace's tainted edges (open in Gephi or Cytoscape): nodes carry address, chain,
    /// labels and categories; edges carry tx, asset, tainted amount, amount and hop.
    pub fn graphml(&self, res: &TraceResult) -> String {
        let esc = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
        };
        let mut nodes: Vec<u32> = res.edges.iter().flat_map(|e| [e.from, e.to]).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
        for (id, on, ty) in [
            ("address", "node", "string"),
            ("chain", "node", "string"),
            ("label", "node", "string"),
            ("category", "node", "string"),
            ("tx", "edge", "string"),
            ("asset", "edge", "string"),
            ("tainted", "edge", "string"),
            ("amount", "edge", "string"),
            ("hop", "edge", "int"),
        ] {
            let _ = writeln!(
                s,
                "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{id}\" attr.type=\"{ty}\"/>"
            );
        }
        s.push_str("  <graph edgedefault=\"directed\">\n");
        for n in nodes {
            let (c, a) = &self.graph.addresses[n as usize];
            let labels = self.labels.lookup(a);
            let label = labels
                .iter()
                .map(|l| l.label.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let cats = labels
                .iter()
                .map(|l| l.category.name())
                .collect::<Vec<_>>()
                .join(",");
            let _ = writeln!(s, "    <node id=\"n{n}\"><data key=\"address\">{}</data><data key=\"chain\">{}</data><data key=\"label\">{}</data><data key=\"category\">{}</data></node>", esc(a), CHAINS[*c as usize].name, esc(&label), esc(&cats));
        }
        for (k, e) in res.edges.iter().enumerate() {
            let asset = &self.graph.assets[e.asset as usize];
            let _ = writeln!(
                s,
                "    <edge id=\"e{k}\" source=\"n{}\" target=\"n{}\"><data key=\"tx\">{}</data><data key=\"asset\">{}</data><data key=\"tainted\">{}</data><data key=\"amount\">{}</data><data key=\"hop\">{}</data></edge>",
                e.from,
                e.to,
                crate::encoding::hex(&e.tx),
                esc(&asset.symbol),
                e.tainted,
                e.amount,
                e.hop
            );
        }
        s.push_str("  </graph>\n</graphml>\n");
        s
    }
}
