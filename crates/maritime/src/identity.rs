//! Identity history per vessel: what each MMSI said it was, and when.
//!
//! Static reports (types 5, 19, 24) carry a name, IMO number, call sign, ship type, dimensions
//! and (type 5) draught. Designated ships keep trading by changing these — a new name, a
//! fraudulent or borrowed IMO number, a new flag — so the history keeps every value with the time
//! it was first and last seen, validates IMO numbers (check digit) and MMSIs (ITU-R M.585
//! structure and MID), and turns confirmed changes into [`Event`]s of kind
//! [`EventKind::IdentityChange`] and [`EventKind::DraughtChange`].
//!
//! A single static report can be corrupted in reception (satellite bit errors), so a value seen
//! only once is kept in the history but never triggers an event: a change needs the new value to
//! be seen at least [`IdentityConfig::min_confirmations`] times.

mod mid;
mod table;

pub use table::{load_vessels, vessels_schema, write_vessels_table, VESSELS_TABLE};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use store::StaticRow;

use crate::event::{Event, EventKind, EvidencePoint};
use crate::tracks::Segment;

/// ISO 3166-1 alpha-2 code of the country whose Maritime Identification Digits `mid` are.
pub fn country_of_mid(mid: u16) -> Option<&'static str> {
    mid::MID_TABLE
        .binary_search_by_key(&mid, |(m, _)| *m)
        .ok()
        .map(|i| mid::MID_TABLE[i].1)
}

/// Every allocated MID with its ISO alpha-2 code, in MID order.
pub fn mid_table() -> &'static [(u16, &'static str)] {
    mid::MID_TABLE
}

/// The flag (ISO 3166-1 alpha-2) an MMSI claims through its MID, for any MMSI structure that
/// embeds one (ship, group, coast station, SAR aircraft, AtoN, craft of a parent ship, handheld).
pub fn flag_of_mmsi(mmsi: u32) -> Option<&'static str> {
    classify_mmsi(mmsi).mid.and_then(country_of_mid)
}

/// What kind of station an MMSI identifies (ITU-R M.585).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MmsiKind {
    /// `MIDxxxxxx`, MID starting 2–7: a ship station.
    Ship,
    /// `0MIDxxxxx`: a group of ships.
    Group,
    /// `00MIDxxxx`: a coast (base) station.
    CoastStation,
    /// `111MIDxxx`: a search-and-rescue aircraft.
    SarAircraft,
    /// `99MIDxxxx`: an aid to navigation.
    AidToNavigation,
    /// `98MIDxxxx`: a craft associated with a parent ship (tender, lifeboat).
    CraftOfParentShip,
    /// `8MIDxxxxx`: a handheld VHF transceiver.
    Handheld,
    /// `970xxyyyy`: AIS search-and-rescue transmitter.
    Sart,
    /// `972xxyyyy`: man overboard device.
    ManOverboard,
    /// `974xxyyyy`: EPIRB with AIS.
    Epirb,
    /// None of the above (e.g. `1xxxxxxxx` other than 111, `9xxxxxxxx` other than the above).
    Invalid,
}

/// Why an MMSI is not a plausible ship identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MmsiProblem {
    /// More than nine digits.
    TooLong,
    /// Its structure matches no ITU-R M.585 form.
    Reserved,
    /// The MID is not allocated to any country.
    UnknownMid,
    /// A placeholder everyone types: 0, 123456789, repeated digits (111111111, 999999999, ...).
    Placeholder,
    /// Valid, but not a ship station (base station, AtoN, SART, ...) — suspicious on a ship.
    NotAShip,
}

impl MmsiProblem {
    /// snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MmsiProblem::TooLong => "too_long",
            MmsiProblem::Reserved => "reserved",
            MmsiProblem::UnknownMid => "unknown_mid",
            MmsiProblem::Placeholder => "placeholder",
            MmsiProblem::NotAShip => "not_a_ship",
        }
    }
}

/// The structure of an MMSI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MmsiInfo {
    /// The kind of station.
    pub kind: MmsiKind,
    /// The embedded MID, when the structure has one.
    pub mid: Option<u16>,
}

/// Splits an MMSI into its ITU-R M.585 structure. MMSIs are nine digits with leading zeros.
pub fn classify_mmsi(mmsi: u32) -> MmsiInfo {
    let invalid = MmsiInfo {
        kind: MmsiKind::Invalid,
        mid: None,
    };
    if mmsi > 999_999_999 {
        return invalid;
    }
    let d = |i: u32| (mmsi / 10u32.pow(8 - i)) % 10;
    let take = |from: u32| ((mmsi / 10u32.pow(6 - from)) % 1000) as u16;
    let (kind, mid) = match d(0) {
        0 if d(1) == 0 => (MmsiKind::CoastStation, Some(take(2))),
        0 => (MmsiKind::Group, Some(take(1))),
        1 if d(1) == 1 && d(2) == 1 => (MmsiKind::SarAircraft, Some(take(3))),
        2..=7 => (MmsiKind::Ship, Some(take(0))),
        8 => (MmsiKind::Handheld, Some(take(1))),
        9 if d(1) == 9 => (MmsiKind::AidToNavigation, Some(take(2))),
        9 if d(1) == 8 => (MmsiKind::CraftOfParentShip, Some(take(2))),
        9 if d(1) == 7 && d(2) == 0 => (MmsiKind::Sart, None),
        9 if d(1) == 7 && d(2) == 2 => (MmsiKind::ManOverboard, None),
        9 if d(1) == 7 && d(2) == 4 => (MmsiKind::Epirb, None),
        _ => return invalid,
    };
    MmsiInfo { kind, mid }
}

/// Checks an MMSI broadcast by a ship; `Ok(flag)` (the ISO alpha-2 of its MID) when plausible.
pub fn validate_ship_mmsi(mmsi: u32) -> Result<&'static str, MmsiProblem> {
    if mmsi > 999_999_999 {
        return Err(MmsiProblem::TooLong);
    }
    let digits = format!("{mmsi:09}");
    let first = digits.as_bytes()[0];
    if mmsi == 0
        || digits == "123456789"
        || digits == "987654321"
        || digits.bytes().all(|b| b == first)
        || digits[3..].bytes().all(|b| b == b'0')
    {
        return Err(MmsiProblem::Placeholder);
    }
    let info = classify_mmsi(mmsi);
    match info.kind {
        MmsiKind::Invalid => Err(MmsiProblem::Reserved),
        MmsiKind::Ship => info
            .mid
            .and_then(country_of_mid)
            .ok_or(MmsiProblem::UnknownMid),
        _ => Err(MmsiProblem::NotAShip),
    }
}

/// True when `imo` is a seven-digit IMO ship number whose check digit is right: the first six
/// digits weighted 7, 6, 5, 4, 3, 2 sum to a number whose last digit is the seventh digit.
pub fn imo_is_valid(imo: u32) -> bool {
    if !(1_000_000..=9_999_999).contains(&imo) {
        return false;
    }
    let mut sum = 0;
    for (i, w) in (2..=7).rev().enumerate() {
        let digit = (imo / 10u32.pow(6 - i as u32)) % 10;
        sum += digit * w;
    }
    sum % 10 == imo % 10
}

/// One value of one identity field and when it was broadcast: a run of consecutive reports with
/// the same value (a value that comes back after another makes a new run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueRun {
    /// The value as text (numbers in decimal, dimensions in metres).
    pub value: String,
    /// First report of the run, UTC ms.
    pub first_ms: i64,
    /// Last report of the run, UTC ms.
    pub last_ms: i64,
    /// Reports in the run.
    pub count: u32,
}

/// Identity fields tracked, in display order.
pub const FIELDS: [&str; 7] = [
    "name",
    "imo",
    "call_sign",
    "ship_type",
    "length",
    "beam",
    "destination",
];

/// What one MMSI said it was over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VesselHistory {
    /// The MMSI.
    pub mmsi: u32,
    /// Flag from the MID (ISO alpha-2), when the MMSI is a valid ship station.
    pub flag: Option<String>,
    /// Why the MMSI is implausible, if it is.
    pub mmsi_problem: Option<MmsiProblem>,
    /// Runs of each field (keys from [`FIELDS`]), in time order.
    pub fields: BTreeMap<String, Vec<ValueRun>>,
    /// Draught reports (type 5), as runs of equal draught in metres.
    pub draught: Vec<ValueRun>,
    /// IMO numbers broadcast that fail the check digit.
    pub invalid_imos: Vec<u32>,
    /// Static reports used (a lower bound when loaded from the `vessels` table, which keeps runs).
    pub reports: u32,
}

impl VesselHistory {
    fn new(mmsi: u32) -> Self {
        let (flag, problem) = match validate_ship_mmsi(mmsi) {
            Ok(f) => (Some(f.to_string()), None),
            Err(p) => (flag_of_mmsi(mmsi).map(str::to_string), Some(p)),
        };
        Self {
            mmsi,
            flag,
            mmsi_problem: problem,
            fields: BTreeMap::new(),
            draught: Vec::new(),
            invalid_imos: Vec::new(),
            reports: 0,
        }
    }

    /// The value of `field` most often reported (by report count), if any.
    pub fn main_value(&self, field: &str) -> Option<&str> {
        let runs = self.fields.get(field)?;
        let mut totals: BTreeMap<&str, u32> = BTreeMap::new();
        for r in runs {
            *totals.entry(r.value.as_str()).or_default() += r.count;
        }
        totals.into_iter().max_by_key(|(_, c)| *c).map(|(v, _)| v)
    }

    /// Distinct values of `field`.
    pub fn distinct(&self, field: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .fields
            .get(field)
            .map(|runs| runs.iter().map(|r| r.value.as_str()).collect())
            .unwrap_or_default();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn observe(&mut self, field: &str, value: String, t: i64) {
        push_run(self.fields.entry(field.to_string()).or_default(), value, t);
    }
}

fn push_run(runs: &mut Vec<ValueRun>, value: String, t: i64) {
    if let Some(last) = runs.last_mut() {
        if last.value == value {
            last.last_ms = last.last_ms.max(t);
            last.count += 1;
            return;
        }
    }
    runs.push(ValueRun {
        value,
        first_ms: t,
        last_ms: t,
        count: 1,
    });
}

/// Builds one history per MMSI from static reports in any order. Reports without a time are
/// skipped (they cannot be placed in a history) and counted in the second return value.
pub fn build_histories<'a>(
    rows: impl IntoIterator<Item = &'a StaticRow>,
) -> (Vec<VesselHistory>, u64) {
    let mut by_mmsi: BTreeMap<u32, Vec<&StaticRow>> = BTreeMap::new();
    let mut no_time = 0;
    for r in rows {
        if r.time_ms.is_some() {
            by_mmsi.entry(r.mmsi).or_default().push(r);
        } else {
            no_time += 1;
        }
    }
    let out = by_mmsi
        .into_iter()
        .map(|(mmsi, mut rows)| {
            rows.sort_by_key(|r| r.time_ms);
            history_of(mmsi, &rows)
        })
        .collect();
    (out, no_time)
}

fn history_of(mmsi: u32, rows: &[&StaticRow]) -> VesselHistory {
    let mut h = VesselHistory::new(mmsi);
    for r in rows {
        let Some(t) = r.time_ms else { continue };
        h.reports += 1;
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(|v| v.trim().trim_end_matches('@').trim().to_uppercase())
                .filter(|v| !v.is_empty())
        };
        if let Some(v) = clean(&r.name) {
            h.observe("name", v, t);
        }
        if let Some(imo) = r.imo.filter(|&i| i != 0) {
            if !imo_is_valid(imo) && !h.invalid_imos.contains(&imo) {
                h.invalid_imos.push(imo);
            }
            h.observe("imo", imo.to_string(), t);
        }
        if let Some(v) = clean(&r.call_sign) {
            h.observe("call_sign", v, t);
        }
        if let Some(v) = r.ship_type.filter(|&s| s != 0) {
            h.observe("ship_type", v.to_string(), t);
        }
        // Either half may be missing (CSV and GFW inputs keep only the overall length in `to_stern`).
        if r.to_bow.is_some() || r.to_stern.is_some() {
            let len = u32::from(r.to_bow.unwrap_or(0)) + u32::from(r.to_stern.unwrap_or(0));
            if len > 0 {
                h.observe("length", len.to_string(), t);
            }
        }
        if r.to_port.is_some() || r.to_starboard.is_some() {
            let beam = u32::from(r.to_port.unwrap_or(0)) + u32::from(r.to_starboard.unwrap_or(0));
            if beam > 0 {
                h.observe("beam", beam.to_string(), t);
            }
        }
        if let Some(v) = clean(&r.destination) {
            h.observe("destination", v, t);
        }
        if let Some(d) = r.draught.filter(|d| *d > 0.0 && d.is_finite()) {
            push_run(&mut h.draught, format!("{d:.1}"), t);
        }
    }
    h
}

/// Thresholds of the identity events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdentityConfig {
    /// A value must be reported this many times (in total) before a change to or from it counts.
    /// Default 2 (one corrupted report is not a new identity).
    pub min_confirmations: u32,
    /// Smallest draught change (metres) reported as a [`EventKind::DraughtChange`]. Default 0.5 m.
    pub min_draught_change_m: f64,
    /// Fields whose change is an identity change. Default: name, imo, call_sign, ship_type,
    /// length, beam (destination changes every voyage and is not an identity).
    pub fields: Vec<String>,
    /// A draught that returns to the value it had before within this many hours is an
    /// alternation, not a cargo operation (no ship loads and discharges to the same tenth of a
    /// metre that fast; two ships sharing an MMSI, each broadcasting its own draught, do it every
    /// few minutes). Default 12 h. See [`draught_events`].
    pub alternation_max_hours: f64,
}

impl Default for IdentityConfig {
    fn default() -> Self {
        Self {
            min_confirmations: 2,
            min_draught_change_m: 0.5,
            fields: ["name", "imo", "call_sign", "ship_type", "length", "beam"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            alternation_max_hours: 12.0,
        }
    }
}

/// Runs of values that reach `min` reports in total, in time order.
fn confirmed_runs(runs: &[ValueRun], min: u32) -> Vec<&ValueRun> {
    let mut totals: BTreeMap<&str, u32> = BTreeMap::new();
    for r in runs {
        *totals.entry(r.value.as_str()).or_default() += r.count;
    }
    runs.iter()
        .filter(|r| totals.get(r.value.as_str()).copied().unwrap_or(0) >= min)
        .collect()
}

fn base_event(
    kind: EventKind,
    h: &VesselHistory,
    grade: &str,
    from: &ValueRun,
    to: &ValueRun,
) -> Event {
    let kind_name = match kind {
        EventKind::DraughtChange => "draught_change",
        _ => "identity_change",
    };
    let mut attributes = BTreeMap::new();
    attributes.insert("field".to_string(), grade.to_string());
    attributes.insert("old".to_string(), from.value.clone());
    attributes.insert("new".to_string(), to.value.clone());
    if let Some(f) = &h.flag {
        attributes.insert("flag".to_string(), f.clone());
    }
    let mut metrics = BTreeMap::new();
    metrics.insert("old_reports".to_string(), f64::from(from.count));
    metrics.insert("new_reports".to_string(), f64::from(to.count));
    metrics.insert(
        "hours_between".to_string(),
        (to.first_ms - from.last_ms) as f64 / 3_600_000.0,
    );
    Event {
        id: format!("{kind_name}-{}-{grade}-{}", h.mmsi, to.first_ms),
        kind,
        grade: Some(grade.to_string()),
        vessels: vec![h.mmsi],
        segments: Vec::new(),
        start_ms: from.last_ms,
        end_ms: to.first_ms,
        lat: f64::NAN,
        lon: f64::NAN,
        metrics,
        attributes,
        params: BTreeMap::new(),
        evidence: Vec::new(),
    }
}

/// Identity changes of one vessel: one [`EventKind::IdentityChange`] per confirmed new value of a
/// field, i.e. the first time a value reported at least `min_confirmations` times follows another
/// (grade = field name; attributes `old`, `new`; start = last report of the old value, end = first
/// report of the new; a return to an earlier value is not a new event), plus one with grade `invalid_imo` per IMO failing its check digit and
/// one with grade `invalid_mmsi` when the MMSI is implausible for a ship.
///
/// Static reports carry no position: `lat`/`lon` are NaN until [`locate_events`] fills them from
/// the vessel's track.
pub fn identity_events(history: &VesselHistory, cfg: &IdentityConfig) -> Vec<Event> {
    let mut out = Vec::new();
    let mut params = BTreeMap::new();
    params.insert(
        "min_confirmations".to_string(),
        f64::from(cfg.min_confirmations),
    );
    for field in &cfg.fields {
        let Some(runs) = history.fields.get(field) else {
            continue;
        };
        // One event per confirmed value that appears for the first time after another one:
        // transponders that alternate between two values (a class A type 5 and a class B type 24
        // unit disagreeing on the ship type, say) give one event, not one per report.
        let confirmed = confirmed_runs(runs, cfg.min_confirmations);
        let mut seen: Vec<&str> = Vec::new();
        let mut current: Option<&ValueRun> = None;
        for run in confirmed {
            if let Some(prev) = current {
                if prev.value != run.value && !seen.contains(&run.value.as_str()) {
                    let mut e = base_event(EventKind::IdentityChange, history, field, prev, run);
                    e.params = params.clone();
                    out.push(e);
                }
            }
            if !seen.contains(&run.value.as_str()) {
                seen.push(run.value.as_str());
            }
            current = Some(run);
        }
    }
    let first_last = history
        .fields
        .values()
        .flatten()
        .fold(None, |acc: Option<(i64, i64)>, r| {
            Some(acc.map_or((r.first_ms, r.last_ms), |(a, b)| {
                (a.min(r.first_ms), b.max(r.last_ms))
            }))
        });
    let (start, end) = first_last.unwrap_or((0, 0));
    for imo in &history.invalid_imos {
        let runs = history.fields.get("imo").map(Vec::as_slice).unwrap_or(&[]);
        let (s, e) = runs
            .iter()
            .filter(|r| r.value == imo.to_string())
            .fold((i64::MAX, i64::MIN), |(a, b), r| {
                (a.min(r.first_ms), b.max(r.last_ms))
            });
        let mut attributes = BTreeMap::new();
        attributes.insert("imo".to_string(), imo.to_string());
        out.push(Event {
            id: format!("identity_change-{}-invalid_imo-{imo}", history.mmsi),
            kind: EventKind::IdentityChange,
            grade: Some("invalid_imo".to_string()),
            vessels: vec![history.mmsi],
            segments: Vec::new(),
            start_ms: if s == i64::MAX { start } else { s },
            end_ms: if e == i64::MIN { end } else { e },
            lat: f64::NAN,
            lon: f64::NAN,
            metrics: BTreeMap::new(),
            attributes,
            params: BTreeMap::new(),
            evidence: Vec::new(),
        });
    }
    if let Some(problem) = history.mmsi_problem {
        let mut attributes = BTreeMap::new();
        attributes.insert("problem".to_string(), problem.as_str().to_string());
        out.push(Event {
            id: format!("identity_change-{}-invalid_mmsi", history.mmsi),
            kind: EventKind::IdentityChange,
            grade: Some("invalid_mmsi".to_string()),
            vessels: vec![history.mmsi],
            segments: Vec::new(),
            start_ms: start,
            end_ms: end,
            lat: f64::NAN,
            lon: f64::NAN,
            metrics: BTreeMap::new(),
            attributes,
            params: BTreeMap::new(),
            evidence: Vec::new(),
        });
    }
    out
}

/// Draught changes of one vessel (type 5), from its confirmed draught values (see
/// [`IdentityConfig::min_confirmations`]):
///
/// - one event per change of at least `min_draught_change_m`, grade `"deeper"` (loaded) or
///   `"shallower"` (discharged), also in attribute `direction`; metric `change_m` (signed),
///   attributes `old`/`new` in metres; start = last report of the old value, end = first report
///   of the new one;
/// - one event with grade `"alternating"` per stretch in which the draught flips between two
///   values and back, each return coming within [`IdentityConfig::alternation_max_hours`] of
///   the first report of the value it leaves (A, B, A, B, ...): two
///   ships sharing one MMSI, or two transponders disagreeing. It is a conflict, not a cargo
///   operation, so it carries no `change_m` (and no `old`/`new`): attribute `values` ("A; B"),
///   metrics `switches` and `spread_m` (|A − B|); start = first switch, end = last switch.
///
/// [`crate::detect::run_all`] later replaces the `deeper`/`shallower` grade by the place of the
/// change (`at_sea` or `in_port`), keeping the direction in the `direction` attribute.
pub fn draught_events(history: &VesselHistory, cfg: &IdentityConfig) -> Vec<Event> {
    // Adjacent runs of one value (an unconfirmed report between them was dropped) are one run.
    let mut runs: Vec<ValueRun> = Vec::new();
    for r in confirmed_runs(&history.draught, cfg.min_confirmations) {
        match runs.last_mut() {
            Some(last) if last.value == r.value => {
                last.last_ms = last.last_ms.max(r.last_ms);
                last.count += r.count;
            }
            _ => runs.push(r.clone()),
        }
    }
    let metres: Vec<Option<f64>> = runs.iter().map(|r| r.value.parse::<f64>().ok()).collect();
    // A run "returns" when it repeats the value of the run two before and the intervening
    // value was first reported less than the alternation window earlier (two switches, there
    // and back, within the window).
    let window_ms = (cfg.alternation_max_hours * 3_600_000.0) as i64;
    let returns = |k: usize| {
        k >= 2
            && k < runs.len()
            && runs[k].value == runs[k - 2].value
            && runs[k].first_ms - runs[k - 1].first_ms <= window_ms
    };
    let mut params = BTreeMap::new();
    params.insert("min_draught_change_m".to_string(), cfg.min_draught_change_m);
    params.insert(
        "alternation_max_hours".to_string(),
        cfg.alternation_max_hours,
    );
    let mut out = Vec::new();
    let mut k = 1;
    while k < runs.len() {
        if returns(k + 1) {
            // Switches k, k+1, ... up to the last returning run form one alternation.
            let mut j = k + 1;
            while returns(j + 1) {
                j += 1;
            }
            let (a, b) = (&runs[k - 1], &runs[k]);
            let spread = match (metres[k - 1], metres[k]) {
                (Some(x), Some(y)) => (y - x).abs(),
                _ => f64::NAN,
            };
            if spread.is_nan() || spread + 1e-9 >= cfg.min_draught_change_m {
                out.push(alternation_event(
                    history,
                    &runs[k - 1..=j],
                    a,
                    b,
                    spread,
                    &params,
                ));
            }
            k = j + 1;
            continue;
        }
        let (p, run) = (&runs[k - 1], &runs[k]);
        k += 1;
        let (Some(a), Some(b)) = (metres[k - 2], metres[k - 1]) else {
            continue;
        };
        let change = b - a;
        if change.abs() + 1e-9 < cfg.min_draught_change_m {
            continue;
        }
        let direction = if change > 0.0 { "deeper" } else { "shallower" };
        let mut e = base_event(EventKind::DraughtChange, history, direction, p, run);
        e.attributes
            .insert("direction".to_string(), direction.to_string());
        e.metrics.insert("change_m".to_string(), change);
        e.params = params.clone();
        out.push(e);
    }
    out
}

/// One event for a stretch of runs alternating between the values of `a` and `b`.
fn alternation_event(
    h: &VesselHistory,
    stretch: &[ValueRun],
    a: &ValueRun,
    b: &ValueRun,
    spread_m: f64,
    params: &BTreeMap<String, f64>,
) -> Event {
    let start = stretch.first().map_or(a.last_ms, |r| r.last_ms);
    let end = stretch.last().map_or(b.first_ms, |r| r.first_ms);
    let mut attributes = BTreeMap::new();
    attributes.insert("field".to_string(), "alternating".to_string());
    attributes.insert("values".to_string(), format!("{}; {}", a.value, b.value));
    if let Some(f) = &h.flag {
        attributes.insert("flag".to_string(), f.clone());
    }
    // Metric names avoid "old"/"new"/"from"/"to": consumers read those as a before/after pair.
    let mut metrics = BTreeMap::new();
    metrics.insert("switches".to_string(), (stretch.len() - 1) as f64);
    metrics.insert(
        "reports".to_string(),
        stretch.iter().map(|r| f64::from(r.count)).sum(),
    );
    if spread_m.is_finite() {
        metrics.insert("spread_m".to_string(), spread_m);
    }
    Event {
        id: format!("draught_change-{}-alternating-{start}", h.mmsi),
        kind: EventKind::DraughtChange,
        grade: Some("alternating".to_string()),
        vessels: vec![h.mmsi],
        segments: Vec::new(),
        start_ms: start,
        end_ms: end,
        lat: f64::NAN,
        lon: f64::NAN,
        metrics,
        attributes,
        params: params.clone(),
        evidence: Vec::new(),
    }
}

/// Fills `lat`/`lon` (and one evidence point, and the segment id) of events whose position is
/// NaN from the vessel's usable track point nearest in time to the event's end.
pub fn locate_events(events: &mut [Event], segments: &[Segment]) {
    let mut by_mmsi: BTreeMap<u32, Vec<&Segment>> = BTreeMap::new();
    for s in segments {
        by_mmsi.entry(s.mmsi).or_default().push(s);
    }
    for e in events.iter_mut() {
        if e.lat.is_finite() && e.lon.is_finite() {
            continue;
        }
        let Some(&mmsi) = e.vessels.first() else {
            continue;
        };
        let Some(segs) = by_mmsi.get(&mmsi) else {
            continue;
        };
        let best = segs
            .iter()
            .flat_map(|s| s.usable_points().map(move |p| (s, p)))
            .min_by_key(|(_, p)| (p.time_ms - e.end_ms).abs());
        if let Some((s, p)) = best {
            e.lat = p.lat;
            e.lon = p.lon;
            if e.segments.is_empty() {
                e.segments.push(s.id.clone());
            }
            e.evidence.push(EvidencePoint {
                mmsi,
                time_ms: p.time_ms,
                lat: p.lat,
                lon: p.lon,
                sog: p.sog,
            });
        }
    }
}

/// Histories matching a query: an MMSI (9 digits or fewer), an IMO number (7 digits, matched
/// against every IMO ever broadcast), or else a name (case-insensitive substring of any name).
pub fn find_vessels<'a>(histories: &'a [VesselHistory], query: &str) -> Vec<&'a VesselHistory> {
    let q = query.trim();
    if let Ok(n) = q.parse::<u32>() {
        let by_imo: Vec<_> = if q.len() == 7 {
            histories
                .iter()
                .filter(|h| h.distinct("imo").contains(&q))
                .collect()
        } else {
            Vec::new()
        };
        let by_mmsi: Vec<_> = histories.iter().filter(|h| h.mmsi == n).collect();
        return by_mmsi.into_iter().chain(by_imo).collect();
    }
    let q = q.to_uppercase();
    histories
        .iter()
        .filter(|h| h.distinct("name").iter().any(|n| n.contains(&q)))
        .collect()
}

/// The identity values broadcast while one segment was active.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentIdentity {
    /// The segment.
    pub segment_id: String,
    /// Its MMSI.
    pub mmsi: u32,
    /// Names and how many static reports carried each.
    pub names: BTreeMap<String, u32>,
    /// IMO numbers and report counts.
    pub imos: BTreeMap<u32, u32>,
    /// Call signs and report counts.
    pub call_signs: BTreeMap<String, u32>,
}

/// Joins static reports to segments: a report counts for a segment of its MMSI when one of the
/// segment's usable points is within `window_ms` of it (GFW uses 15 minutes). When several ships
/// share an MMSI, their segments run at the same time and a report counts for each of them that
/// was active, so a value seen only with one segment identifies that ship. Reports without time
/// are skipped. Segments without any report are left out.
pub fn segment_identities(
    segments: &[Segment],
    statics: &[StaticRow],
    window_ms: i64,
) -> Vec<SegmentIdentity> {
    let mut by_mmsi: BTreeMap<u32, Vec<&StaticRow>> = BTreeMap::new();
    for r in statics.iter().filter(|r| r.time_ms.is_some()) {
        by_mmsi.entry(r.mmsi).or_default().push(r);
    }
    for rows in by_mmsi.values_mut() {
        rows.sort_by_key(|r| r.time_ms);
    }
    let mut out = Vec::new();
    for seg in segments {
        let Some(rows) = by_mmsi.get(&seg.mmsi) else {
            continue;
        };
        let times: Vec<i64> = seg.usable_points().map(|p| p.time_ms).collect();
        let (Some(&first), Some(&last)) = (times.first(), times.last()) else {
            continue;
        };
        let start = rows.partition_point(|r| r.time_ms.unwrap_or(i64::MIN) < first - window_ms);
        let mut id = SegmentIdentity {
            segment_id: seg.id.clone(),
            mmsi: seg.mmsi,
            names: BTreeMap::new(),
            imos: BTreeMap::new(),
            call_signs: BTreeMap::new(),
        };
        let mut any = false;
        for r in &rows[start..] {
            let Some(t) = r.time_ms else { continue };
            if t > last + window_ms {
                break;
            }
            // Nearest usable point in time.
            let i = times.partition_point(|&pt| pt < t);
            let near = [i.checked_sub(1), Some(i)]
                .into_iter()
                .flatten()
                .filter_map(|j| times.get(j))
                .any(|&pt| (pt - t).abs() <= window_ms);
            if !near {
                continue;
            }
            any = true;
            if let Some(n) = r.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                *id.names.entry(n.to_uppercase()).or_default() += 1;
            }
            if let Some(imo) = r.imo.filter(|&i| i != 0) {
                *id.imos.entry(imo).or_default() += 1;
            }
            if let Some(c) = r
                .call_sign
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                *id.call_signs.entry(c.to_uppercase()).or_default() += 1;
            }
        }
        if any {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imo_check_digit() {
        // Published examples: IMO 9074729 (the ITU/IMO worked example) and real ships.
        assert!(imo_is_valid(9_074_729));
        assert!(imo_is_valid(9_814_002)); // CONTAINERSHIPS POLAR, in the GFW regression set
        assert!(imo_is_valid(8_808_757)); // BAZ, in the GFW regression set
        assert!(!imo_is_valid(9_074_728));
        assert!(imo_is_valid(1_234_567));
        assert!(!imo_is_valid(1_234_568));
        assert!(!imo_is_valid(123_456));
        assert!(!imo_is_valid(12_345_678));
    }

    #[test]
    fn static_reports_join_the_segment_active_at_the_time() {
        use crate::tracks::TrackPoint;
        let pt = |t: i64| TrackPoint {
            time_ms: t,
            lat: 1.0,
            lon: 1.0,
            sog: None,
            cog: None,
            heading: None,
            nav_status: None,
            flag: None,
        };
        let segs = vec![
            Segment {
                id: "a".into(),
                mmsi: 416_000_000,
                points: (0..10).map(|i| pt(i * 60_000)).collect(),
            },
            Segment {
                id: "b".into(),
                mmsi: 416_000_000,
                points: (100..110).map(|i| pt(i * 60_000)).collect(),
            },
        ];
        let rows = vec![
            report(5 * 60_000, "FU YUAN YU 1", 9_074_729, 3.0),
            report(105 * 60_000, "JIN HAI 7", 9_074_729, 3.0),
            report(60 * 60_000, "NOBODY", 9_074_729, 3.0),
        ]
        .into_iter()
        .map(|r| StaticRow {
            mmsi: 416_000_000,
            ..r
        })
        .collect::<Vec<_>>();
        let ids = segment_identities(&segs, &rows, 15 * 60_000);
        assert_eq!(ids.len(), 2);
        assert_eq!(
            ids[0].names.keys().collect::<Vec<_>>(),
            vec!["FU YUAN YU 1"]
        );
        assert_eq!(ids[1].names.keys().collect::<Vec<_>>(), vec!["JIN HAI 7"]);
    }

    #[test]
    fn mid_to_flag() {
        let cases = [
            (445_123_000, "KP"),
            (416_000_000, "TW"),
            (412_345_678, "CN"),
            (413_000_001, "CN"),
            (414_000_001, "CN"),
            (440_000_001, "KR"),
            (441_000_001, "KR"),
            (431_000_001, "JP"),
            (273_000_001, "RU"),
            (351_000_001, "PA"),
            (636_000_001, "LR"),
            (538_000_001, "MH"),
            (209_515_000, "CY"),
            (224_306_000, "ES"),
            (366_000_001, "US"),
            (477_000_001, "HK"),
            (422_000_001, "IR"),
            (667_000_001, "SL"),
            (511_000_001, "PW"),
            (312_000_001, "BZ"),
        ];
        for (mmsi, want) in cases {
            assert_eq!(flag_of_mmsi(mmsi), Some(want), "{mmsi}");
        }
        assert_eq!(flag_of_mmsi(200_000_010), None);
        assert_eq!(country_of_mid(217), None);
        assert!(mid_table().len() > 280);
        assert!(mid_table().windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn mmsi_structures() {
        assert_eq!(classify_mmsi(2_442_000).kind, MmsiKind::CoastStation); // 002442000
        assert_eq!(classify_mmsi(2_442_000).mid, Some(244));
        assert_eq!(classify_mmsi(24_412_345).kind, MmsiKind::Group); // 024412345
        assert_eq!(classify_mmsi(111_273_100).kind, MmsiKind::SarAircraft);
        assert_eq!(flag_of_mmsi(111_273_100), Some("RU"));
        assert_eq!(classify_mmsi(993_510_001).kind, MmsiKind::AidToNavigation);
        assert_eq!(flag_of_mmsi(993_510_001), Some("PA"));
        assert_eq!(classify_mmsi(983_510_001).kind, MmsiKind::CraftOfParentShip);
        assert_eq!(classify_mmsi(970_010_001).kind, MmsiKind::Sart);
        assert_eq!(classify_mmsi(972_010_001).kind, MmsiKind::ManOverboard);
        assert_eq!(classify_mmsi(974_010_001).kind, MmsiKind::Epirb);
        assert_eq!(classify_mmsi(844_512_345).kind, MmsiKind::Handheld);
        assert_eq!(classify_mmsi(123_456_780).kind, MmsiKind::Invalid);
        assert_eq!(classify_mmsi(1_000_000_000).kind, MmsiKind::Invalid);

        assert_eq!(validate_ship_mmsi(445_123_456), Ok("KP"));
        assert_eq!(validate_ship_mmsi(1_000_000_000), Err(MmsiProblem::TooLong));
        assert_eq!(
            validate_ship_mmsi(123_456_789),
            Err(MmsiProblem::Placeholder)
        );
        assert_eq!(
            validate_ship_mmsi(111_111_111),
            Err(MmsiProblem::Placeholder)
        );
        assert_eq!(validate_ship_mmsi(0), Err(MmsiProblem::Placeholder));
        assert_eq!(
            validate_ship_mmsi(416_000_000),
            Err(MmsiProblem::Placeholder)
        );
        assert_eq!(validate_ship_mmsi(150_000_001), Err(MmsiProblem::Reserved));
        assert_eq!(
            validate_ship_mmsi(217_000_001),
            Err(MmsiProblem::UnknownMid)
        );
        assert_eq!(validate_ship_mmsi(993_510_001), Err(MmsiProblem::NotAShip));
    }

    fn report(t: i64, name: &str, imo: u32, draught: f32) -> StaticRow {
        StaticRow {
            time_ms: Some(t),
            mmsi: 445_123_456,
            msg_type: 5,
            imo: Some(imo),
            name: Some(name.to_string()),
            call_sign: Some("HMAA".into()),
            draught: Some(draught),
            to_bow: Some(100),
            to_stern: Some(20),
            ..StaticRow::default()
        }
    }

    #[test]
    fn history_and_events() {
        let rows = vec![
            report(0, "RYE SONG", 9_074_729, 5.0),
            report(1000, "RYE SONG", 9_074_729, 5.0),
            report(1500, "RYX SONG", 9_074_729, 5.0), // one corrupted report: no event
            report(2000, "RYE SONG", 9_074_729, 5.0),
            report(9000, "KUM UN", 1_234_568, 9.0),
            report(9500, "KUM UN", 1_234_568, 9.0),
            StaticRow {
                time_ms: None,
                ..StaticRow::default()
            },
        ];
        let (hist, no_time) = build_histories(&rows);
        assert_eq!(no_time, 1);
        assert_eq!(hist.len(), 1);
        let h = &hist[0];
        assert_eq!(h.flag.as_deref(), Some("KP"));
        assert_eq!(h.fields["name"].len(), 4);
        assert_eq!(h.fields["name"][0].first_ms, 0);
        assert_eq!(h.fields["name"][0].last_ms, 1000);
        assert_eq!(h.invalid_imos, vec![1_234_568]);
        assert_eq!(h.main_value("name"), Some("RYE SONG"));
        let ev = identity_events(h, &IdentityConfig::default());
        let grades: Vec<_> = ev.iter().filter_map(|e| e.grade.as_deref()).collect();
        assert_eq!(grades, vec!["name", "imo", "invalid_imo"], "{ev:?}");
        let name = &ev[0];
        assert_eq!(name.attributes["old"], "RYE SONG");
        assert_eq!(name.attributes["new"], "KUM UN");
        assert_eq!((name.start_ms, name.end_ms), (2000, 9000));
        let d = draught_events(h, &IdentityConfig::default());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].grade.as_deref(), Some("deeper"));
        assert!((d[0].metrics["change_m"] - 4.0).abs() < 1e-6);
        assert_eq!(find_vessels(&hist, "kum").len(), 1);
        // Alternating values: one event for the first switch only.
        let flip: Vec<StaticRow> = (0..10)
            .map(|i| StaticRow {
                ship_type: Some(if i % 2 == 0 { 70 } else { 71 }),
                ..report(i * 1000, "A", 9_074_729, 5.0)
            })
            .collect();
        let (fh, _) = build_histories(&flip);
        let fe = identity_events(&fh[0], &IdentityConfig::default());
        assert_eq!(fe.len(), 1, "{fe:?}");
        assert_eq!(fe[0].grade.as_deref(), Some("ship_type"));
        assert_eq!(d[0].attributes["direction"], "deeper");
        assert_eq!(find_vessels(&hist, "9074729").len(), 1);
        assert_eq!(find_vessels(&hist, "445123456").len(), 1);
        assert!(find_vessels(&hist, "nothing").is_empty());
    }

    fn draughts(values: &[(i64, f32)]) -> VesselHistory {
        let rows: Vec<StaticRow> = values
            .iter()
            .map(|&(t, d)| report(t, "A", 9_074_729, d))
            .collect();
        build_histories(&rows).0.remove(0)
    }

    const H: i64 = 3_600_000;

    #[test]
    fn alternating_draughts_give_one_conflict_event() {
        // One ship at 4.8 m for a day, then a second ship on the same MMSI at 6.4 m: the
        // reports interleave every few minutes for two days.
        let mut v: Vec<(i64, f32)> = (0..10).map(|i| (i * H / 4, 4.8)).collect();
        v.extend((0..500).map(|i| (24 * H + i * 360_000, if i % 2 == 0 { 6.4 } else { 4.8 })));
        let ev = draught_events(&draughts(&v), &IdentityConfig::default());
        assert_eq!(ev.len(), 1, "{ev:#?}");
        let e = &ev[0];
        assert_eq!(e.grade.as_deref(), Some("alternating"));
        assert_eq!(e.attributes["values"], "4.8; 6.4");
        assert_eq!(e.metrics["switches"], 500.0);
        assert!((e.metrics["spread_m"] - 1.6).abs() < 1e-6);
        // A conflict is not a change: nothing a consumer could read as a signed delta.
        assert!(!e.metrics.contains_key("change_m"));
        assert!(!e
            .metrics
            .keys()
            .any(|k| k.contains("old") || k.contains("new")));
        assert_eq!(e.start_ms, 9 * H / 4);
        assert_eq!(e.end_ms, 24 * H + 499 * 360_000);
    }

    #[test]
    fn a_real_load_and_discharge_cycle_is_two_changes() {
        // Ballast, laden for three days, ballast again: a cargo cycle, not an alternation.
        let mut v: Vec<(i64, f32)> = (0..5).map(|i| (i * H, 5.0)).collect();
        v.extend((0..5).map(|i| (10 * H + i * 18 * H, 9.0)));
        v.extend((0..5).map(|i| (100 * H + i * H, 5.0)));
        let ev = draught_events(&draughts(&v), &IdentityConfig::default());
        let grades: Vec<_> = ev.iter().filter_map(|e| e.grade.as_deref()).collect();
        assert_eq!(grades, vec!["deeper", "shallower"], "{ev:#?}");
        // The same cycle within hours is an alternation.
        let fast: Vec<(i64, f32)> = v.iter().map(|&(t, d)| (t / 20, d)).collect();
        let ev = draught_events(&draughts(&fast), &IdentityConfig::default());
        let grades: Vec<_> = ev.iter().filter_map(|e| e.grade.as_deref()).collect();
        assert_eq!(grades, vec!["alternating"], "{ev:#?}");
    }
}
