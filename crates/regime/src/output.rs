//! Findings on disk: `findings.json` (a stable, documented schema the report reads; see
//! `docs/schemas.md`, section "findings") and the `findings` Parquet table of the store.

use crate::estimative::EstimativeTerm;
use crate::findings::Finding;
use crate::spec::Regime;
use crate::tally::Tally;
use arrow_array::{
    ArrayRef, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray, UInt32Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Value of `schema` in `findings.json`.
pub const FINDINGS_SCHEMA: &str = "embargo.findings";
/// Version of the `findings.json` schema. Fields are only ever added within a version.
pub const FINDINGS_SCHEMA_VERSION: u32 = 1;
/// Name of the findings table in the store.
pub const FINDINGS_TABLE: &str = "findings";

/// Errors writing or reading findings.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// File I/O failed.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// JSON could not be written or read.
    #[error("{path}: {message}")]
    Json {
        /// File.
        path: String,
        /// Message.
        message: String,
    },
    /// The Parquet table could not be written.
    #[error("{path}: {message}")]
    Table {
        /// Table directory.
        path: String,
        /// Message.
        message: String,
    },
}

/// One row of the ICD 203 table, for readers of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermRange {
    /// Term.
    pub term: String,
    /// Lower bound, percent.
    pub from_percent: u8,
    /// Upper bound, percent.
    pub to_percent: u8,
}

/// The model that produced the probabilities: every rule's prior and weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelDoc {
    /// How probabilities are computed.
    pub formula: String,
    /// Prior log-odds per rule.
    pub priors: BTreeMap<String, f64>,
    /// Feature weights per rule.
    pub weights: BTreeMap<String, BTreeMap<String, f64>>,
    /// The ICD 203 terms and ranges.
    pub estimative_terms: Vec<TermRange>,
}

/// The whole `findings.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingsFile {
    /// Always [`FINDINGS_SCHEMA`].
    pub schema: String,
    /// [`FINDINGS_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Regime id.
    pub regime: String,
    /// Regime name.
    pub regime_name: String,
    /// Program that wrote it (`embargo 0.1.0`).
    pub generated_by: String,
    /// Findings below this probability were left out.
    pub min_probability: f64,
    /// Number of events the rules read.
    pub events_read: usize,
    /// Findings per rule (after the probability filter).
    pub counts: BTreeMap<String, usize>,
    /// The model.
    pub model: ModelDoc,
    /// Notes (zone files missing, screening unavailable, ...).
    pub notes: Vec<String>,
    /// Findings, highest probability first.
    pub findings: Vec<Finding>,
    /// The refined-petroleum tally of the year, when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tally: Option<Tally>,
}

impl FindingsFile {
    /// Wraps findings with the regime's model description.
    pub fn new(
        regime: &Regime,
        findings: Vec<Finding>,
        events_read: usize,
        min_probability: f64,
        generated_by: &str,
    ) -> Self {
        let findings: Vec<Finding> = findings
            .into_iter()
            .filter(|f| f.probability >= min_probability)
            .collect();
        let mut counts = BTreeMap::new();
        for f in &findings {
            *counts.entry(f.rule.clone()).or_insert(0) += 1;
        }
        use EstimativeTerm::*;
        let estimative_terms = [
            AlmostNoChance,
            VeryUnlikely,
            Unlikely,
            RoughlyEvenChance,
            Likely,
            VeryLikely,
            AlmostCertainly,
        ]
        .iter()
        .map(|t| {
            let (a, b) = t.range_percent();
            TermRange {
                term: t.as_str().into(),
                from_percent: a,
                to_percent: b,
            }
        })
        .collect();
        Self {
            schema: FINDINGS_SCHEMA.into(),
            schema_version: FINDINGS_SCHEMA_VERSION,
            regime: regime.id.clone(),
            regime_name: regime.name.clone(),
            generated_by: generated_by.into(),
            min_probability,
            events_read,
            counts,
            model: ModelDoc {
                formula: "p = 1 / (1 + exp(-(prior + sum(weight * value)))), values in [0, 1], p clamped to [0.01, 0.99]".into(),
                priors: regime.rules.iter().map(|r| (r.id.clone(), r.prior_log_odds)).collect(),
                weights: regime.rules.iter().map(|r| (r.id.clone(), r.weights.clone())).collect(),
                estimative_terms,
            },
            notes: regime.load_notes.clone(),
            findings,
            tally: None,
        }
    }

    /// Writes the file as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<(), OutputError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| OutputError::Json {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        std::fs::write(path, text + "\n").map_err(|source| OutputError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Reads a `findings.json`.
    pub fn read(path: &Path) -> Result<Self, OutputError> {
        let text = std::fs::read_to_string(path).map_err(|source| OutputError::Io {
            path: path.display().to_string(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| OutputError::Json {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

/// The Arrow schema of the `findings` table. Nested parts (vessels, features, evidence) are
/// JSON text in the same shape as `findings.json`.
pub fn findings_schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("rule", DataType::Utf8, false),
        Field::new("title", DataType::Utf8, false),
        Field::new("probability", DataType::Float64, false),
        Field::new("estimative_term", DataType::Utf8, false),
        Field::new("log_odds", DataType::Float64, false),
        Field::new("subject_mmsi", DataType::UInt32, false),
        Field::new("counterpart_mmsi", DataType::UInt32, true),
        Field::new("start", ts.clone(), false),
        Field::new("end", ts, false),
        Field::new("lat", DataType::Float64, false),
        Field::new("lon", DataType::Float64, false),
        Field::new("place", DataType::Utf8, false),
        Field::new("legal_references", DataType::Utf8, false),
        Field::new("assessment", DataType::Utf8, false),
        Field::new("events", DataType::Utf8, false),
        Field::new("vessels", DataType::Utf8, false),
        Field::new("features", DataType::Utf8, false),
        Field::new("evidence", DataType::Utf8, false),
        Field::new("funds_path", DataType::Utf8, true),
    ]))
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// Findings as one record batch.
pub fn findings_batch(findings: &[Finding]) -> Result<RecordBatch, arrow_schema::ArrowError> {
    let s = |f: &dyn Fn(&Finding) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(findings.iter().map(f)))
    };
    let cols: Vec<ArrayRef> = vec![
        s(&|f| f.id.clone()),
        s(&|f| f.rule.clone()),
        s(&|f| f.title.clone()),
        Arc::new(Float64Array::from_iter_values(
            findings.iter().map(|f| f.probability),
        )),
        s(&|f| f.estimative_term.as_str().to_string()),
        Arc::new(Float64Array::from_iter_values(
            findings.iter().map(|f| f.log_odds),
        )),
        Arc::new(UInt32Array::from_iter_values(
            findings
                .iter()
                .map(|f| f.vessels.first().map_or(0, |v| v.mmsi)),
        )),
        Arc::new(UInt32Array::from_iter(
            findings.iter().map(|f| f.vessels.get(1).map(|v| v.mmsi)),
        )),
        Arc::new(
            TimestampMillisecondArray::from_iter_values(findings.iter().map(|f| f.start_ms))
                .with_timezone("UTC"),
        ),
        Arc::new(
            TimestampMillisecondArray::from_iter_values(findings.iter().map(|f| f.end_ms))
                .with_timezone("UTC"),
        ),
        Arc::new(Float64Array::from_iter_values(
            findings.iter().map(|f| f.lat),
        )),
        Arc::new(Float64Array::from_iter_values(
            findings.iter().map(|f| f.lon),
        )),
        s(&|f| f.place.clone()),
        s(&|f| {
            f.legal_references
                .iter()
                .map(|r| r.citation.clone())
                .collect::<Vec<_>>()
                .join("; ")
        }),
        s(&|f| f.assessment.clone()),
        s(&|f| json(&f.events)),
        s(&|f| json(&f.vessels)),
        s(&|f| json(&f.features)),
        s(&|f| json(&f.evidence)),
        Arc::new(StringArray::from_iter(findings.iter().map(|f| {
            (!f.funds_path.is_empty()).then(|| json(&f.funds_path))
        }))),
    ];
    RecordBatch::try_new(findings_schema(), cols)
}

/// Replaces the `findings` table of the store at `dir`.
pub fn write_findings_table(dir: &Path, findings: &[Finding]) -> Result<(), OutputError> {
    let tdir = store::table::table_dir(dir, FINDINGS_TABLE);
    let terr = |message: String| OutputError::Table {
        path: tdir.display().to_string(),
        message,
    };
    if tdir.exists() {
        // Findings are a pure function of the events: a re-run replaces them.
        std::fs::remove_dir_all(&tdir).map_err(|source| OutputError::Io {
            path: tdir.display().to_string(),
            source,
        })?;
    }
    let batch = findings_batch(findings).map_err(|e| terr(e.to_string()))?;
    store::table::write_batches(dir, FINDINGS_TABLE, findings_schema(), [batch])
        .map_err(|e| terr(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::evaluate;
    use crate::vessel::{Screening, VesselDirectory};
    use maritime::event::{Event, EventKind};

    fn sample() -> Vec<Finding> {
        let e = Event {
            id: "enc-1".into(),
            kind: EventKind::Encounter,
            grade: Some("sts".into()),
            vessels: vec![351_000_001, 445_000_002],
            segments: vec![],
            start_ms: 1_546_300_800_000,
            end_ms: 1_546_300_800_000 + 6 * 3_600_000,
            lat: 30.0,
            lon: 123.5,
            metrics: BTreeMap::new(),
            attributes: BTreeMap::new(),
            params: BTreeMap::new(),
            evidence: vec![],
        };
        evaluate(
            &Regime::dprk(),
            &[e],
            &VesselDirectory::new(),
            &Screening::default(),
        )
    }

    #[test]
    fn json_round_trips_and_filters() {
        let r = Regime::dprk();
        let f = sample();
        assert!(!f.is_empty());
        let file = FindingsFile::new(&r, f.clone(), 1, 0.0, "test");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("findings.json");
        file.write(&p).unwrap();
        let back = FindingsFile::read(&p).unwrap();
        assert_eq!(back, file);
        assert_eq!(back.schema, FINDINGS_SCHEMA);
        assert_eq!(back.model.estimative_terms.len(), 7);
        let none = FindingsFile::new(&r, f, 1, 1.0, "test");
        assert!(none.findings.is_empty());
    }

    #[test]
    fn parquet_table_writes() {
        let f = sample();
        let b = findings_batch(&f).unwrap();
        assert_eq!(b.num_rows(), f.len());
        let dir = tempfile::tempdir().unwrap();
        write_findings_table(dir.path(), &f).unwrap();
        write_findings_table(dir.path(), &f).unwrap();
        let parts = store::table::list_parts(dir.path(), FINDINGS_TABLE).unwrap();
        assert_eq!(parts.len(), 1, "a re-run replaces the table");
    }
}
