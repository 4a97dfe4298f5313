//! Scoring detected events against a simulator's ground truth (`truth.json`).
//!
//! An event matches a truth event when their kinds correspond, their vessels agree (the same
//! pair for two-vessel kinds; the event's subject among the truth's vessels otherwise) and their
//! times overlap, with `slack_ms` of tolerance on each side. Per kind: recall = scripted
//! (non-benign) truth events matched by at least one event; precision = events that match a
//! scripted truth event; `benign_hits` = events that match only benign look-alikes.

use crate::event::{Event, EventKind};
use serde::{Deserialize, Serialize};

/// One truth event, as in `sim::truth::TruthEvent` (read from JSON, so this crate need not
/// depend on the simulator).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthRecord {
    /// Kind, snake_case like [`EventKind`].
    pub kind: String,
    /// Script that produced it.
    #[serde(default)]
    pub script: String,
    /// True for benign look-alikes.
    #[serde(default)]
    pub benign: bool,
    /// MMSIs involved.
    pub vessels: Vec<u32>,
    /// Start, UTC ms.
    pub start_ms: i64,
    /// End, UTC ms.
    pub end_ms: i64,
    /// Free text.
    #[serde(default)]
    pub note: String,
}

/// The `truth.json` file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TruthFile {
    /// Scenario name.
    #[serde(default)]
    pub scenario: String,
    /// Events.
    pub events: Vec<TruthRecord>,
}

/// What to score for one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreSpec {
    /// Label in the report.
    pub label: String,
    /// Detected kinds that count (e.g. encounters and dark rendezvous both find an STS).
    pub kinds: Vec<EventKind>,
    /// Only events with one of these grades (all when empty).
    pub grades: Vec<String>,
    /// Truth kinds that this detected kind should find.
    pub truth_kinds: Vec<String>,
    /// Count benign truth events of `truth_kinds` as positives too (ordinary port calls are
    /// port visits a detector should find, not look-alikes to avoid).
    pub benign_is_positive: bool,
    /// Truth kinds that explain a detection (it counts as correct for precision, but is not
    /// needed for recall): e.g. a gap in the MMSI of a ship that broadcast another identity.
    pub explained_by: Vec<String>,
}

impl ScoreSpec {
    /// A spec.
    pub fn new(label: &str, kinds: &[EventKind], grades: &[&str], truth_kinds: &[&str]) -> Self {
        Self {
            label: label.into(),
            kinds: kinds.to_vec(),
            grades: grades.iter().map(|s| s.to_string()).collect(),
            truth_kinds: truth_kinds.iter().map(|s| s.to_string()).collect(),
            benign_is_positive: false,
            explained_by: Vec::new(),
        }
    }

    /// Sets [`ScoreSpec::benign_is_positive`].
    pub fn benign_positive(mut self) -> Self {
        self.benign_is_positive = true;
        self
    }

    /// Sets [`ScoreSpec::explained_by`].
    pub fn explained(mut self, kinds: &[&str]) -> Self {
        self.explained_by = kinds.iter().map(|s| s.to_string()).collect();
        self
    }

    /// The default specs: one per event kind, gaps also for the `intentional` grade alone.
    pub fn defaults() -> Vec<Self> {
        use EventKind::*;
        vec![
            Self::new("STS: encounter (any grade) or dark rendezvous", &[Encounter, DarkRendezvous], &[], &["encounter", "dark_rendezvous"]),
            Self::new("encounter (any grade)", &[Encounter], &[], &["encounter"]),
            Self::new("encounter, grade sts", &[Encounter], &["sts"], &["encounter"]),
            Self::new("dark_rendezvous", &[DarkRendezvous], &[], &["dark_rendezvous"]),
            Self::new("gap (any grade)", &[Gap], &[], &["gap"]),
            Self::new("gap, grade intentional", &[Gap], &["intentional"], &["gap"]),
            Self::new("gap, grade intentional (silences explained by scripted identity theft count as correct)", &[Gap], &["intentional"], &["gap"])
                .explained(&["mmsi_collision"]),
            Self::new("loitering", &[Loitering], &[], &["loitering"]),
            Self::new("port_visit (ordinary calls included)", &[PortVisit], &[], &["port_visit"]).benign_positive(),
            Self::new("circle_spoof", &[CircleSpoof], &[], &["circle_spoof"]),
            Self::new("mmsi_collision", &[MmsiCollision], &[], &["mmsi_collision"]),
            Self::new("teleport", &[Teleport], &[], &["teleport"]),
            Self::new("identity_change", &[IdentityChange], &[], &["identity_change"]),
            Self::new("draught_change (any grade)", &[DraughtChange], &[], &["draught_change"]),
            Self::new("draught_change, grade at_sea", &[DraughtChange], &["at_sea"], &["draught_change"]),
            Self::new("draught_change, grade in_port", &[DraughtChange], &["in_port"], &["draught_change"]),
        ]
    }
}

/// Precision and recall of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindScore {
    /// Label of the spec.
    pub label: String,
    /// Scripted (non-benign) truth events of the kind.
    pub truth: usize,
    /// Of which found.
    pub found: usize,
    /// Detected events of the kind (and grade).
    pub detected: usize,
    /// Of which match a scripted truth event.
    pub correct: usize,
    /// Detected events matching only a benign look-alike.
    pub benign_hits: usize,
    /// found / truth (NaN when there is no truth).
    pub recall: f64,
    /// correct / detected (NaN when nothing was detected).
    pub precision: f64,
    /// Benign scripts (and counts) that produced events.
    pub benign_scripts: Vec<(String, usize)>,
    /// Scripts of truth events that were missed.
    pub missed_scripts: Vec<(String, usize)>,
}

fn vessels_match(e: &Event, t: &TruthRecord) -> bool {
    if e.vessels.len() >= 2 && t.vessels.len() >= 2 {
        e.vessels.iter().all(|v| t.vessels.contains(v))
    } else {
        e.vessels.first().is_some_and(|v| t.vessels.contains(v))
    }
}

fn overlaps(e: &Event, t: &TruthRecord, slack_ms: i64) -> bool {
    e.start_ms <= t.end_ms + slack_ms && t.start_ms <= e.end_ms + slack_ms
}

fn bump(v: &mut Vec<(String, usize)>, s: &str) {
    match v.iter_mut().find(|(k, _)| k == s) {
        Some((_, n)) => *n += 1,
        None => v.push((s.to_string(), 1)),
    }
}

/// Scores `events` against `truth` for each spec.
pub fn score(
    events: &[Event],
    truth: &[TruthRecord],
    specs: &[ScoreSpec],
    slack_ms: i64,
) -> Vec<KindScore> {
    specs
        .iter()
        .map(|spec| {
            let det: Vec<&Event> = events
                .iter()
                .filter(|e| {
                    spec.kinds.contains(&e.kind)
                        && (spec.grades.is_empty()
                            || e.grade.as_ref().is_some_and(|g| spec.grades.contains(g)))
                })
                .collect();
            let positive = |t: &TruthRecord| !t.benign || spec.benign_is_positive;
            let tr: Vec<&TruthRecord> = truth
                .iter()
                .filter(|t| spec.truth_kinds.contains(&t.kind))
                .collect();
            let explains: Vec<&TruthRecord> = truth
                .iter()
                .filter(|t| !t.benign && spec.explained_by.contains(&t.kind))
                .collect();
            let m = |e: &Event, t: &TruthRecord| vessels_match(e, t) && overlaps(e, t, slack_ms);
            let mut s = KindScore {
                label: spec.label.clone(),
                truth: tr.iter().filter(|t| positive(t)).count(),
                found: 0,
                detected: det.len(),
                correct: 0,
                benign_hits: 0,
                recall: f64::NAN,
                precision: f64::NAN,
                benign_scripts: Vec::new(),
                missed_scripts: Vec::new(),
            };
            for t in tr.iter().filter(|t| positive(t)) {
                if det.iter().any(|e| m(e, t)) {
                    s.found += 1;
                } else {
                    bump(&mut s.missed_scripts, &t.script);
                }
            }
            for e in &det {
                if tr.iter().any(|t| positive(t) && m(e, t)) || explains.iter().any(|t| m(e, t)) {
                    s.correct += 1;
                } else if let Some(t) = truth.iter().find(|t| t.benign && m(e, t)) {
                    s.benign_hits += 1;
                    bump(&mut s.benign_scripts, &t.script);
                }
            }
            if s.truth > 0 {
                s.recall = s.found as f64 / s.truth as f64;
            }
            if s.detected > 0 {
                s.precision = s.correct as f64 / s.detected as f64;
            }
            s
        })
        .collect()
}

/// Benign two-vessel look-alikes (bunkering, anchorage neighbours, fishing fleets, ...)
/// reported as encounters of grade `grade`: (script, count).
pub fn benign_reported_as(
    events: &[Event],
    truth: &[TruthRecord],
    grade: &str,
    slack_ms: i64,
) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for t in truth.iter().filter(|t| t.benign && t.vessels.len() >= 2) {
        if events.iter().any(|e| {
            e.kind == EventKind::Encounter
                && e.grade.as_deref() == Some(grade)
                && vessels_match(e, t)
                && overlaps(e, t, slack_ms)
        }) {
            bump(&mut out, &t.script);
        }
    }
    out
}

/// A Markdown table of scores.
pub fn markdown(scores: &[KindScore]) -> String {
    let f = |x: f64| {
        if x.is_nan() {
            "–".to_string()
        } else {
            format!("{x:.3}")
        }
    };
    let mut s = String::from(
        "| kind | truth | found | recall | detected | correct | precision | benign hits |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for k in scores {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            k.label,
            k.truth,
            k.found,
            f(k.recall),
            k.detected,
            k.correct,
            f(k.precision),
            k.benign_hits
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn ev(kind: EventKind, vessels: Vec<u32>, s: i64, e: i64) -> Event {
        Event {
            id: format!("{s}"),
            kind,
            grade: None,
            vessels,
            segments: vec![],
            start_ms: s,
            end_ms: e,
            lat: 0.0,
            lon: 0.0,
            metrics: BTreeMap::new(),
            attributes: BTreeMap::new(),
            params: BTreeMap::new(),
            evidence: vec![],
        }
    }

    fn tr(kind: &str, vessels: Vec<u32>, s: i64, e: i64, benign: bool) -> TruthRecord {
        TruthRecord {
            kind: kind.into(),
            script: if benign { "bunkering_in_port" } else { "sts" }.into(),
            benign,
            vessels,
            start_ms: s,
            end_ms: e,
            note: String::new(),
        }
    }

    #[test]
    fn precision_and_recall_count_pairs_and_overlap() {
        let truth = vec![
            tr("encounter", vec![1, 2], 100, 200, false),
            tr("encounter", vec![3, 4], 100, 200, false),
            tr("encounter", vec![5, 6], 100, 200, true),
        ];
        let events = vec![
            ev(EventKind::Encounter, vec![2, 1], 150, 250), // hit
            ev(EventKind::Encounter, vec![3, 4], 500, 600), // wrong time
            ev(EventKind::Encounter, vec![5, 6], 100, 200), // benign
        ];
        let s = &score(
            &events,
            &truth,
            &[ScoreSpec::new(
                "e",
                &[EventKind::Encounter],
                &[],
                &["encounter"],
            )],
            0,
        )[0];
        assert_eq!(
            (s.truth, s.found, s.detected, s.correct, s.benign_hits),
            (2, 1, 3, 1, 1)
        );
        assert!((s.recall - 0.5).abs() < 1e-12);
        assert!((s.precision - 1.0 / 3.0).abs() < 1e-12);
    }
}
