//! Entry points over a store directory, for the CLI and the `embargo run` pipeline: read the
//! events, the vessels' static reports and the loaded lists, screen, and evaluate the rules.

use crate::findings::{evaluate, Finding};
use crate::output::FindingsFile;
use crate::spec::Regime;
use crate::tally::{self, DetectedDelivery, ReportedDelivery, SkippedRow, Tally};
use crate::vessel::{directory_from_static, screen_with_index, Screening, VesselDirectory};
use std::path::Path;

/// Errors of the store-level entry points. Every variant names the file or directory.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The events table could not be read.
    #[error("events table in {path}: {message}")]
    Events {
        /// Store directory.
        path: String,
        /// Cause.
        message: String,
    },
    /// The static reports could not be read.
    #[error("static reports in {path}: {message}")]
    Static {
        /// Store directory.
        path: String,
        /// Cause.
        message: String,
    },
    /// The lists store could not be read.
    #[error("lists in {path}: {message}")]
    Lists {
        /// Store directory.
        path: String,
        /// Cause.
        message: String,
    },
    /// `chain/trace_hits.json` could not be read (the message names the file).
    #[error("trace hits: {message}")]
    Funds {
        /// Cause, with the file.
        message: String,
    },
    /// A CSV input was bad.
    #[error(transparent)]
    Tally(#[from] tally::TallyError),
    /// Findings could not be read or written.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
}

/// What [`findings_for_store`] produced.
#[derive(Debug, Clone)]
pub struct FindingsRun {
    /// Findings, highest probability first (unfiltered).
    pub findings: Vec<Finding>,
    /// Vessels as the rules saw them.
    pub vessels: VesselDirectory,
    /// Screening results.
    pub screening: Screening,
    /// Events read.
    pub events_read: usize,
    /// Notes for the reader (no lists loaded, registry rows skipped, ...).
    pub notes: Vec<String>,
}

/// Reads `store`'s `events` and `static_reports` tables, the entities of `lists_store` (when
/// given and loaded), applies an optional vessel registry CSV, screens every vessel and runs
/// the rules.
pub fn findings_for_store(
    regime: &Regime,
    store: &Path,
    lists_store: Option<&Path>,
    registry: Option<&Path>,
) -> Result<FindingsRun, RunError> {
    let events = maritime::detect::table::read_events(store).map_err(|e| RunError::Events {
        path: store.display().to_string(),
        message: e.to_string(),
    })?;
    let mut notes = Vec::new();
    if events.is_empty() {
        notes.push(format!(
            "no events in {} (run `embargo detect` first)",
            store.display()
        ));
    }
    let mut rows = Vec::new();
    let static_dir = store::table::table_dir(store, store::STATIC_REPORTS);
    if static_dir.exists() {
        let iter = store::read_static_reports(store).map_err(|e| RunError::Static {
            path: store.display().to_string(),
            message: e.to_string(),
        })?;
        for r in iter {
            rows.push(r.map_err(|e| RunError::Static {
                path: store.display().to_string(),
                message: e.to_string(),
            })?);
        }
    } else {
        notes.push("no static reports in the store: vessels known by MMSI only".into());
    }
    let mut vessels = directory_from_static(rows.iter());
    for e in &events {
        for m in &e.vessels {
            vessels
                .entry(*m)
                .or_insert_with(|| crate::vessel::VesselInfo::new(*m));
        }
    }
    for v in vessels.values_mut() {
        if v.flag.is_none() {
            v.flag = maritime::identity::flag_of_mmsi(v.mmsi).map(str::to_string);
        }
    }
    if let Some(reg) = registry {
        let f = std::fs::File::open(reg).map_err(|source| tally::TallyError::Io {
            path: reg.display().to_string(),
            source,
        })?;
        let skipped = tally::apply_registry_csv(
            &mut vessels,
            &reg.display().to_string(),
            std::io::BufReader::new(f),
        )?;
        for s in skipped {
            notes.push(format!("{}: line {}: {}", reg.display(), s.line, s.reason));
        }
    }
    let screening = match lists_store {
        Some(dir) => {
            let entities = lists::store::load(dir).map_err(|e| RunError::Lists {
                path: dir.display().to_string(),
                message: e.to_string(),
            })?;
            let index = screen::Index::build(&entities);
            let s = screen_with_index(regime, &vessels, &index, 0.9);
            notes.push(format!(
                "screened {} vessels against {} list entities ({} designated vessels under the regime); {} vessels matched",
                vessels.len(),
                entities.len(),
                s.designated_vessels.len(),
                s.by_mmsi.len()
            ));
            s
        }
        None => {
            notes.push(
                "no lists given: no screening matches, designated-vessel features are all 0".into(),
            );
            Screening::default()
        }
    };
    let mut findings = evaluate(regime, &events, &vessels, &screening);
    // On-chain findings from the last `embargo trace` run, when the store has one.
    let (funds, funds_notes) =
        crate::funds::findings_for_store(regime, store).map_err(|e| RunError::Funds {
            message: e.to_string(),
        })?;
    notes.extend(funds_notes);
    if !funds.is_empty() {
        findings.extend(funds);
        findings.sort_by(|a, b| {
            b.probability
                .total_cmp(&a.probability)
                .then_with(|| a.id.cmp(&b.id))
        });
    }
    Ok(FindingsRun {
        findings,
        vessels,
        screening,
        events_read: events.len(),
        notes,
    })
}

/// Writes `DIR/findings.json` and the `findings` table for a run, keeping findings at or above
/// `min_probability`. Returns the file as written.
pub fn write_findings(
    regime: &Regime,
    store: &Path,
    run: &FindingsRun,
    min_probability: f64,
    generated_by: &str,
) -> Result<FindingsFile, RunError> {
    let mut file = FindingsFile::new(
        regime,
        run.findings.clone(),
        run.events_read,
        min_probability,
        generated_by,
    );
    file.notes.extend(run.notes.iter().cloned());
    file.write(&store.join("findings.json"))?;
    crate::output::write_findings_table(store, &file.findings)?;
    Ok(file)
}

/// The refined-petroleum tally of `year` from a reported-deliveries CSV (optional) and the
/// findings of a store (optional: `DIR/findings.json` when present, else the rules are run on
/// the store's events), counting detected deliveries whose finding has probability ≥
/// `min_probability`.
pub fn cap_tally(
    regime: &Regime,
    year: i32,
    deliveries: Option<&Path>,
    store: Option<&Path>,
    registry: Option<&Path>,
    min_probability: f64,
) -> Result<(Tally, Vec<SkippedRow>), RunError> {
    let (mut reported, mut skipped): (Vec<ReportedDelivery>, Vec<SkippedRow>) =
        (Vec::new(), Vec::new());
    if let Some(p) = deliveries {
        let (rows, s) = tally::read_reported_file(regime, p)?;
        let (kept, s2) = tally::drop_overlapping(&rows);
        reported = kept;
        skipped.extend(s);
        skipped.extend(s2);
    }
    let mut detected: Vec<DetectedDelivery> = Vec::new();
    if let Some(dir) = store {
        let run = findings_for_store(regime, dir, None, registry)?;
        let findings = match FindingsFile::read(&dir.join("findings.json")) {
            Ok(f) => f.findings,
            Err(_) => run.findings.clone(),
        };
        detected = tally::detected_from_findings(regime, &findings, &run.vessels, min_probability);
    }
    let t = tally::tally(regime, &reported, &detected, year)?;
    Ok((t, skipped))
}
