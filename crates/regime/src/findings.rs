//! Rules that turn events and screening matches into findings: assessments with evidence,
//! a probability from the regime's published log-odds weights, and the ICD 203 term.
//!
//! Each rule is a function over a [`Context`] (the regime, the events indexed by vessel, what is
//! known of each vessel and the screening matches) that returns findings. The rule's prior and
//! feature weights come from the regime file (`[[rules]]`), so the probability of every finding
//! can be recomputed by hand from the features it lists: `p = 1 / (1 + e^-(prior + Σ w·x))`.

use crate::estimative::{ramp, EstimativeTerm, Feature, Score, Scorer};
use crate::spec::{LegalReference, Regime};
use crate::time::{format_date, format_datetime};
use crate::vessel::{
    imo_is_valid, one_digit_apart, MatchBasis, Screening, ScreeningMatch, VesselDirectory,
    VesselInfo,
};
use maritime::event::{Event, EventKind, EvidencePoint};
use serde::{Deserialize, Serialize};
use spatial::{haversine_m, LonLat};
use std::collections::BTreeMap;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// The rule ids, in the order they run.
/// `stolen_funds_to_vasp` reads `STORE/chain/trace_hits.json` instead of events (see [`crate::funds`]).
pub const RULES: [&str; 11] = [
    "sts_target_vessel",
    "sts_hotspot_dark",
    "dprk_port_call",
    "tanker_delivery",
    "coal_export",
    "dark_near_dprk",
    "identity_fraud",
    "identity_change_after_dprk_call",
    "position_spoofing",
    "draught_change_at_sea",
    "stolen_funds_to_vasp",
];

/// A legal reference as a finding cites it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitedReference {
    /// The measure it comes from.
    pub measure: String,
    /// The measure's title.
    pub measure_title: String,
    /// Resolution number.
    pub resolution: u32,
    /// Year of adoption.
    pub year: u32,
    /// Operative paragraph.
    pub paragraph: String,
    /// `seen`, `mem` or `summary` (see the regime file).
    pub confidence: String,
    /// "resolution 2375 (2017), paragraph 11".
    pub citation: String,
}

/// A vessel as a finding names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingVessel {
    /// MMSI.
    pub mmsi: u32,
    /// `subject` (the vessel the assessment is about) or `counterpart`.
    pub role: String,
    /// Names broadcast.
    pub names: Vec<String>,
    /// IMO numbers broadcast.
    pub imos: Vec<u32>,
    /// Flag, from a registry or the MID.
    pub flag: Option<String>,
    /// True when the MMSI carries the target flag's MID (or the registry flag is the target's).
    pub target_flag: bool,
    /// True when a screening match with a designated entity exists.
    pub designated: bool,
    /// Screening matches.
    pub screening: Vec<ScreeningMatch>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: `<rule>:<event id or MMSI>`.
    pub id: String,
    /// Rule id (one of [`RULES`]).
    pub rule: String,
    /// Short title.
    pub title: String,
    /// Legal references of the rule's measures.
    pub legal_references: Vec<CitedReference>,
    /// The vessels, subject first.
    pub vessels: Vec<FindingVessel>,
    /// Ids of the events that are the evidence.
    pub events: Vec<String>,
    /// Positions that are the evidence (from those events).
    pub evidence: Vec<EvidencePoint>,
    /// Start, UTC ms.
    pub start_ms: i64,
    /// End, UTC ms.
    pub end_ms: i64,
    /// Latitude of the place.
    pub lat: f64,
    /// Longitude of the place.
    pub lon: f64,
    /// The place in words ("in the hotspot …", "at NAMPO").
    pub place: String,
    /// Features with values, weights and contributions.
    pub features: Vec<Feature>,
    /// The rule's prior log-odds.
    pub prior_log_odds: f64,
    /// Total log-odds.
    pub log_odds: f64,
    /// Probability in `[0.01, 0.99]`.
    pub probability: f64,
    /// ICD 203 term for the probability.
    pub estimative_term: EstimativeTerm,
    /// The assessment, as a person would sign it.
    pub assessment: String,
    /// On-chain findings (rule `stolen_funds_to_vasp`): the transfers from the seed to the
    /// exchange, seed first. Empty (and absent from the JSON) for maritime findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funds_path: Vec<crate::funds::FundsStep>,
}

/// Everything the rules read.
pub struct Context<'a> {
    /// The regime.
    pub regime: &'a Regime,
    /// All events.
    pub events: &'a [Event],
    /// Vessel information by MMSI.
    pub vessels: &'a VesselDirectory,
    /// Screening results.
    pub screening: &'a Screening,
    by_vessel: BTreeMap<u32, Vec<usize>>,
}

impl<'a> Context<'a> {
    /// Indexes the events by vessel.
    pub fn new(
        regime: &'a Regime,
        events: &'a [Event],
        vessels: &'a VesselDirectory,
        screening: &'a Screening,
    ) -> Self {
        let mut by_vessel: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, e) in events.iter().enumerate() {
            for v in &e.vessels {
                by_vessel.entry(*v).or_default().push(i);
            }
        }
        for idx in by_vessel.values_mut() {
            idx.sort_by_key(|&i| (events[i].start_ms, i));
            idx.dedup();
        }
        Self {
            regime,
            events,
            vessels,
            screening,
            by_vessel,
        }
    }

    fn info(&self, mmsi: u32) -> VesselInfo {
        self.vessels
            .get(&mmsi)
            .cloned()
            .unwrap_or_else(|| VesselInfo::new(mmsi))
    }

    /// True when the vessel flies the target flag (MID or registry flag).
    pub fn is_target_flag(&self, mmsi: u32) -> bool {
        self.regime.is_target_mmsi(mmsi)
            || self
                .vessels
                .get(&mmsi)
                .and_then(|v| v.flag.as_deref())
                .is_some_and(|f| self.regime.is_target_country(f))
    }

    /// True when the vessel matched a designated entity.
    pub fn is_designated(&self, mmsi: u32) -> bool {
        self.screening.is_designated(mmsi)
    }

    fn linked(&self, mmsi: u32) -> bool {
        self.is_target_flag(mmsi) || self.is_designated(mmsi)
    }

    /// Value of the `foreign_flag` feature: 1 for a ship-station MMSI of another flag, 0.5 when
    /// the MMSI is not a ship station (flag unknown), 0 for the target flag.
    fn foreign_flag(&self, mmsi: u32) -> f64 {
        if self.is_target_flag(mmsi) {
            0.0
        } else if crate::spec::mid_of(mmsi).is_some()
            || self.vessels.get(&mmsi).is_some_and(|v| v.flag.is_some())
        {
            1.0
        } else {
            0.5
        }
    }

    /// The events of a vessel of the given kinds overlapping `[from, to]`.
    fn events_of(
        &self,
        mmsi: u32,
        kinds: &[EventKind],
        from: i64,
        to: i64,
    ) -> impl Iterator<Item = &'a Event> + '_ {
        let events = self.events;
        let kinds = kinds.to_vec();
        self.by_vessel
            .get(&mmsi)
            .into_iter()
            .flatten()
            .map(move |&i| &events[i])
            .filter(move |e| kinds.contains(&e.kind) && e.end_ms >= from && e.start_ms <= to)
    }

    /// The target port of a port visit, if it is one: by the detector's `port_country`, by the
    /// port name (or alias) of the regime, or by the position within a regime port's radius.
    pub fn target_port_of(&self, ev: &Event) -> Option<String> {
        if ev.kind != EventKind::PortVisit {
            return None;
        }
        let name = ev.attributes.get("port").cloned();
        let by_country = ev
            .attributes
            .get("port_country")
            .is_some_and(|c| self.regime.is_target_country(c));
        if by_country {
            return Some(name.unwrap_or_else(|| "a DPRK port".into()));
        }
        if let Some(p) = name.as_deref().and_then(|n| self.regime.port_by_name(n)) {
            return Some(p.spec.name.clone());
        }
        self.regime
            .port_at(LonLat::new(ev.lon, ev.lat))
            .map(|p| p.spec.name.clone())
    }

    fn distance_to_port_m(&self, ev: &Event) -> f64 {
        let regime_port = self
            .regime
            .nearest_port(LonLat::new(ev.lon, ev.lat))
            .map_or(f64::INFINITY, |(_, d)| d);
        ev.metrics
            .get("nearest_port_m")
            .copied()
            .filter(|d| d.is_finite())
            .map_or(regime_port, |d| d.min(regime_port))
    }

    fn hotspot_name(&self, p: LonLat) -> Option<String> {
        self.regime.hotspot_at(p).map(|z| z.name.clone())
    }

    fn describe(&self, mmsi: u32) -> String {
        let v = self.info(mmsi);
        let mut ids = Vec::new();
        if let Some(imo) = v.imos.first() {
            ids.push(format!("IMO {imo}"));
        }
        ids.push(format!("MMSI {mmsi}"));
        if let Some(f) = &v.flag {
            ids.push(format!("flag {f}"));
        } else if self.regime.is_target_mmsi(mmsi) {
            ids.push(format!("{} flag by MID", self.regime.target_country));
        }
        match v.name() {
            Some(n) => format!("MV {n} ({})", ids.join(", ")),
            None => format!("the vessel with {}", ids.join(", ")),
        }
    }

    fn finding_vessel(&self, mmsi: u32, role: &str) -> FindingVessel {
        let v = self.info(mmsi);
        FindingVessel {
            mmsi,
            role: role.into(),
            names: v.names.clone(),
            imos: v.imos.clone(),
            flag: v.flag.clone().or_else(|| {
                self.regime
                    .is_target_mmsi(mmsi)
                    .then(|| self.regime.target_country.clone())
            }),
            target_flag: self.is_target_flag(mmsi),
            designated: self.is_designated(mmsi),
            screening: self.screening.matches(mmsi).to_vec(),
        }
    }

    fn rule_spec(&self, id: &str) -> (f64, BTreeMap<String, f64>, Vec<String>) {
        match self.regime.rule(id) {
            Some(r) => (r.prior_log_odds, r.weights.clone(), r.measures.clone()),
            None => (0.0, BTreeMap::new(), Vec::new()),
        }
    }

    fn gap_adjacent(&self, mmsi: u32, from: i64, to: i64, slack_ms: i64) -> Option<&'a Event> {
        self.events_of(mmsi, &[EventKind::Gap], from - slack_ms, to + slack_ms)
            .next()
    }

    fn designated_note(&self, mmsi: u32) -> String {
        let m = self.screening.matches(mmsi).iter().find(|m| m.designated);
        m.map(|m| {
            format!(
                "matches listed {} ({}) on {:?}",
                m.listed_name, m.entity_id, m.basis
            )
        })
        .unwrap_or_default()
    }
}

/// How a rule words its legal clause.
#[derive(Clone, Copy)]
enum Clause {
    /// "in violation of …".
    Violation,
    /// "relevant to …" (an indicator, not itself a breach).
    Indicator,
}

struct Draft<'e> {
    rule: &'static str,
    key: String,
    title: String,
    subject: u32,
    counterparts: Vec<u32>,
    events: Vec<&'e Event>,
    start_ms: i64,
    end_ms: i64,
    at: LonLat,
    place: String,
    predicate: String,
    clause: Clause,
    score: Score,
}

/// The legal references of a rule's measures, as findings cite them.
pub(crate) fn cite_references(regime: &Regime, measures: &[String]) -> Vec<CitedReference> {
    cite(regime, measures)
}

fn cite(regime: &Regime, measures: &[String]) -> Vec<CitedReference> {
    regime
        .references_of(measures)
        .into_iter()
        .map(|(mid, r): (String, LegalReference)| CitedReference {
            measure_title: regime
                .measure(&mid)
                .map(|m| m.title.clone())
                .unwrap_or_default(),
            measure: mid,
            resolution: r.resolution,
            year: r.year,
            paragraph: r.paragraph.clone(),
            confidence: r.confidence.clone(),
            citation: r.cite(),
        })
        .collect()
}

/// "a", "a and b", "a, b and c".
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn finish(ctx: &Context<'_>, d: Draft<'_>) -> Finding {
    let (_, _, measures) = ctx.rule_spec(d.rule);
    let refs = cite(ctx.regime, &measures);
    let term = EstimativeTerm::from_probability(d.score.probability);
    let legal = match refs.first() {
        Some(first) => {
            let mut cites = vec![first.citation.clone()];
            // Cite every paragraph of the rule's first measure; others are in the reference list.
            cites.extend(
                refs.iter()
                    .skip(1)
                    .filter(|r| r.measure == first.measure)
                    .map(|r| r.citation.clone()),
            );
            match d.clause {
                Clause::Violation => format!(", in violation of {}", join_and(&cites)),
                Clause::Indicator => format!(
                    "; this bears on {} ({})",
                    join_and(&cites),
                    first.measure_title.to_lowercase()
                ),
            }
        }
        None => String::new(),
    };
    let mut basis: Vec<String> = d
        .score
        .features
        .iter()
        .filter(|f| f.value > 0.0 && f.weight != 0.0 && !f.detail.is_empty())
        .map(|f| f.detail.clone())
        .collect();
    basis.dedup();
    let mut assessment = format!(
        "The assessment is that {}{}.",
        term.phrase(&ctx.describe(d.subject), &d.predicate),
        legal
    );
    if !basis.is_empty() {
        assessment.push_str(&format!(" Evidence: {}.", basis.join("; ")));
    }
    let mut vessels = vec![ctx.finding_vessel(d.subject, "subject")];
    for c in &d.counterparts {
        if *c != d.subject {
            vessels.push(ctx.finding_vessel(*c, "counterpart"));
        }
    }
    let mut evidence: Vec<EvidencePoint> = d
        .events
        .iter()
        .flat_map(|e| e.evidence.iter().cloned())
        .collect();
    evidence.sort_by_key(|p| (p.time_ms, p.mmsi));
    evidence.dedup();
    let mut event_ids: Vec<String> = d.events.iter().map(|e| e.id.clone()).collect();
    event_ids.dedup();
    Finding {
        id: format!("{}:{}", d.rule, d.key),
        rule: d.rule.into(),
        title: d.title,
        legal_references: refs,
        vessels,
        events: event_ids,
        evidence,
        start_ms: d.start_ms,
        end_ms: d.end_ms,
        lat: d.at.lat,
        lon: d.at.lon,
        place: d.place,
        prior_log_odds: d.score.prior_log_odds,
        log_odds: d.score.log_odds,
        probability: d.score.probability,
        estimative_term: term,
        features: d.score.features,
        assessment,
        funds_path: vec![],
    }
}

fn place_words(ctx: &Context<'_>, p: LonLat) -> String {
    let coords = format!(
        "{:.3}°{} {:.3}°{}",
        p.lat.abs(),
        if p.lat >= 0.0 { "N" } else { "S" },
        p.lon.abs(),
        if p.lon >= 0.0 { "E" } else { "W" }
    );
    if let Some(port) = ctx.regime.port_at(p) {
        return format!("at {coords}, in the port area of {}", port.spec.name);
    }
    if let Some(h) = ctx.hotspot_name(p) {
        return format!("at {coords}, in the {h} hotspot");
    }
    if ctx.regime.near_target_waters(p) {
        let d = ctx.regime.distance_to_target_waters_m(p) / 1000.0;
        return format!("at {coords}, {d:.0} km from DPRK waters");
    }
    format!("at {coords}")
}

fn hours(ev: &Event) -> f64 {
    ev.metrics
        .get("duration_hours")
        .copied()
        .unwrap_or((ev.end_ms - ev.start_ms) as f64 / HOUR_MS as f64)
}

fn near_port_value(ctx: &Context<'_>, ev: &Event) -> (f64, String) {
    let d = ctx.distance_to_port_m(ev);
    // Full weight within 5 km of a port, none beyond 25 km: port limits in port lists are
    // approximate, and anchorages lie outside them.
    let v = 1.0 - ramp(d, 5_000.0, 25_000.0);
    let name = ev
        .attributes
        .get("nearest_port")
        .cloned()
        .unwrap_or_else(|| "a port".into());
    (
        v,
        if v > 0.0 {
            format!("{:.1} km from {name}", d / 1000.0)
        } else {
            String::new()
        },
    )
}

/// Change of draught in metres reported by a draught-change event (positive = deeper = loaded).
pub fn draught_delta(ev: &Event) -> Option<f64> {
    for k in ["delta_m", "draught_delta_m", "change_m", "delta"] {
        if let Some(v) = ev.metrics.get(k) {
            return Some(*v);
        }
    }
    let find = |keys: &[&str]| {
        ev.metrics
            .iter()
            .find(|(k, _)| keys.iter().any(|w| k.contains(w)))
            .map(|(_, v)| *v)
    };
    match (
        find(&["before", "old", "from"]),
        find(&["after", "new", "to"]),
    ) {
        (Some(a), Some(b)) => Some(b - a),
        _ => None,
    }
}

/// Rule `sts_target_vessel`: an encounter (or dark rendezvous) in which a party flies the target
/// flag or is designated.
pub fn rule_sts_target_vessel(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("sts_target_vessel");
    let mut out = Vec::new();
    for ev in ctx.events.iter().filter(|e| {
        matches!(e.kind, EventKind::Encounter | EventKind::DarkRendezvous) && e.vessels.len() >= 2
    }) {
        let (a, b) = (ev.vessels[0], ev.vessels[1]);
        if !ctx.linked(a) && !ctx.linked(b) {
            continue;
        }
        // The subject is the foreign (non-linked) side when there is one.
        let a_first =
            (ctx.linked(a) && !ctx.linked(b)) || (ctx.is_target_flag(a) && !ctx.is_target_flag(b));
        let (subject, partner) = if a_first { (b, a) } else { (a, b) };
        let p = LonLat::new(ev.lon, ev.lat);
        let mut s = Scorer::new(prior, &weights);
        let pt = ctx.is_target_flag(partner);
        let pd = ctx.is_designated(partner);
        s.flag(
            "partner_target_flag",
            pt,
            format!("the counterpart MMSI {partner} flies the DPRK flag"),
        );
        s.flag(
            "partner_designated",
            pd,
            format!("the counterpart {}", ctx.designated_note(partner)),
        );
        let grade = match (ev.kind, ev.grade.as_deref()) {
            (EventKind::DarkRendezvous, _) => 0.5,
            (_, Some("sts")) => 1.0,
            _ => 0.0,
        };
        s.add(
            "strict_sts_grade",
            grade,
            if ev.kind == EventKind::DarkRendezvous {
                "both went dark near each other and reappeared together".to_string()
            } else {
                "both slower than 1 kn within 200 m (strict STS grade)".to_string()
            },
        );
        let h = hours(ev);
        s.add(
            "long_duration",
            ramp(h, 2.0, 6.0),
            format!("alongside for {h:.1} h"),
        );
        let hot = ctx.hotspot_name(p);
        s.flag(
            "in_hotspot",
            hot.is_some(),
            hot.map(|h| format!("inside the {h} hotspot"))
                .unwrap_or_default(),
        );
        let near = ctx.regime.near_target_waters(p);
        s.flag(
            "near_target_waters",
            near,
            format!(
                "{:.0} km from DPRK waters",
                ctx.regime.distance_to_target_waters_m(p) / 1000.0
            ),
        );
        let gap = ctx
            .gap_adjacent(a, ev.start_ms, ev.end_ms, DAY_MS)
            .or_else(|| ctx.gap_adjacent(b, ev.start_ms, ev.end_ms, DAY_MS));
        s.flag(
            "dark_adjacent",
            gap.is_some(),
            gap.map(|g| {
                format!(
                    "MMSI {} had AIS off for {:.1} h around the meeting",
                    g.vessels[0],
                    hours(g)
                )
            })
            .unwrap_or_default(),
        );
        let dc = ctx
            .events_of(
                a,
                &[EventKind::DraughtChange],
                ev.start_ms,
                ev.end_ms + 3 * DAY_MS,
            )
            .chain(ctx.events_of(
                b,
                &[EventKind::DraughtChange],
                ev.start_ms,
                ev.end_ms + 3 * DAY_MS,
            ))
            .next();
        s.flag(
            "draught_change",
            dc.is_some(),
            dc.map(|d| {
                format!(
                    "MMSI {} reported a draught change afterwards{}",
                    d.vessels[0],
                    draught_delta(d)
                        .map(|x| format!(" ({x:+.1} m)"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        );
        let (np, np_detail) = near_port_value(ctx, ev);
        s.add("near_port", np, np_detail);
        let label = if pt { "DPRK-flagged" } else { "designated" };
        let verb = if ev.kind == EventKind::DarkRendezvous {
            "met, with AIS off on both sides,"
        } else {
            "conducted a ship-to-ship transfer with"
        };
        let mut events = vec![ev];
        events.extend(gap);
        events.extend(dc);
        out.push(finish(
            ctx,
            Draft {
                rule: "sts_target_vessel",
                key: ev.id.clone(),
                title: format!("Ship-to-ship transfer with the {label} MMSI {partner}"),
                subject,
                counterparts: vec![partner],
                events,
                start_ms: ev.start_ms,
                end_ms: ev.end_ms,
                at: p,
                place: place_words(ctx, p),
                predicate: format!(
                    "{verb} the {label} {} on {} {}",
                    ctx.describe(partner),
                    format_datetime(ev.start_ms),
                    place_words(ctx, p)
                ),
                clause: Clause::Violation,
                score: s.finish(),
            },
        ));
    }
    out
}

/// Rule `sts_hotspot_dark`: an encounter or loitering in an STS hotspot or near DPRK waters with
/// AIS dark on one side (a vessel's own gap next to it, or another vessel's gap nearby).
pub fn rule_sts_hotspot_dark(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("sts_hotspot_dark");
    let mut out = Vec::new();
    let slack = 12 * HOUR_MS;
    for ev in ctx.events.iter().filter(|e| {
        matches!(e.kind, EventKind::Encounter | EventKind::Loitering) && !e.vessels.is_empty()
    }) {
        let p = LonLat::new(ev.lon, ev.lat);
        let hot = ctx.hotspot_name(p);
        let near = ctx.regime.near_target_waters(p);
        if hot.is_none() && !near {
            continue;
        }
        let subject = ev.vessels[0];
        let partner = ev.vessels.get(1).copied();
        if ev.kind == EventKind::Encounter
            && (ctx.linked(subject) || partner.is_some_and(|b| ctx.linked(b)))
        {
            continue; // covered by sts_target_vessel
        }
        let own_gap = ctx.gap_adjacent(subject, ev.start_ms, ev.end_ms, slack);
        let partner_gap = match partner {
            Some(b) => ctx.gap_adjacent(b, ev.start_ms, ev.end_ms, slack),
            None => ctx.events.iter().find(|g| {
                g.kind == EventKind::Gap
                    && !g.vessels.contains(&subject)
                    && g.end_ms >= ev.start_ms - slack
                    && g.start_ms <= ev.end_ms + slack
                    && gap_ends(g).iter().any(|q| haversine_m(*q, p) <= 20_000.0)
            }),
        };
        // A gap in poor receiver coverage is no sign of going dark on purpose.
        let gap_value = |g: Option<&Event>| match g.map(|g| g.grade.as_deref()) {
            None => 0.0,
            Some(Some("intentional")) => 1.0,
            // `coverage`: neighbours fell silent too (a receiver outage).
            Some(Some("poor_coverage" | "coverage")) => 0.0,
            Some(_) => 0.5,
        };
        let (own_v, partner_v) = (gap_value(own_gap), gap_value(partner_gap));
        if own_v + partner_v == 0.0 {
            continue;
        }
        let info = ctx.info(subject);
        let mut s = Scorer::new(prior, &weights);
        s.flag(
            "in_hotspot",
            hot.is_some(),
            hot.clone()
                .map(|h| format!("inside the {h} hotspot"))
                .unwrap_or_default(),
        );
        s.flag(
            "near_target_waters",
            near,
            format!(
                "{:.0} km from DPRK waters",
                ctx.regime.distance_to_target_waters_m(p) / 1000.0
            ),
        );
        s.add(
            "own_gap_adjacent",
            own_v,
            own_gap
                .map(|g| {
                    format!(
                        "the vessel itself had AIS off for {:.1} h around it",
                        hours(g)
                    )
                })
                .unwrap_or_default(),
        );
        s.add(
            "partner_gap_adjacent",
            partner_v,
            partner_gap
                .map(|g| {
                    format!(
                        "MMSI {} had AIS off for {:.1} h nearby at the time",
                        g.vessels[0],
                        hours(g)
                    )
                })
                .unwrap_or_default(),
        );
        s.flag(
            "encounter",
            ev.kind == EventKind::Encounter,
            partner.map(|b| format!("met MMSI {b}")).unwrap_or_default(),
        );
        let h = hours(ev);
        s.add(
            "long_duration",
            ramp(h, 2.0, 8.0),
            format!("stationary for {h:.1} h"),
        );
        let (np, np_detail) = near_port_value(ctx, ev);
        s.add("near_port", np, np_detail);
        s.flag(
            "fishing_vessel",
            info.is_fishing(),
            "broadcasts as a fishing vessel",
        );
        let place = place_words(ctx, p);
        let predicate = match partner {
            Some(b) => format!("conducted a ship-to-ship transfer with {} on {} {place} while AIS was dark on one side", ctx.describe(b), format_datetime(ev.start_ms)),
            None => format!("loitered for {h:.1} h from {} {place} while a vessel nearby had its AIS off, one half of a ship-to-ship transfer with a dark partner", format_datetime(ev.start_ms)),
        };
        let mut events = vec![ev];
        events.extend(own_gap);
        events.extend(partner_gap);
        let mut counterparts: Vec<u32> = partner.into_iter().collect();
        if let Some(g) = partner_gap {
            counterparts.extend(g.vessels.first());
        }
        counterparts.dedup();
        out.push(finish(
            ctx,
            Draft {
                rule: "sts_hotspot_dark",
                key: ev.id.clone(),
                title: format!(
                    "Possible ship-to-ship transfer with AIS dark on one side{}",
                    hot.map(|h| format!(" ({h})")).unwrap_or_default()
                ),
                subject,
                counterparts,
                events,
                start_ms: ev.start_ms,
                end_ms: ev.end_ms,
                at: p,
                place,
                predicate,
                clause: Clause::Indicator,
                score: s.finish(),
            },
        ));
    }
    out
}

/// The positions where a gap started and ended (detector metrics `off_lat`… else the evidence).
pub fn gap_ends(g: &Event) -> Vec<LonLat> {
    let m = &g.metrics;
    let mut out = Vec::new();
    for w in ["off", "on"] {
        if let (Some(la), Some(lo)) = (m.get(&format!("{w}_lat")), m.get(&format!("{w}_lon"))) {
            out.push(LonLat::new(*lo, *la));
        }
    }
    if out.is_empty() {
        out.extend(g.evidence.first().map(|p| LonLat::new(p.lon, p.lat)));
        out.extend(
            g.evidence
                .last()
                .filter(|_| g.evidence.len() > 1)
                .map(|p| LonLat::new(p.lon, p.lat)),
        );
    }
    if out.is_empty() {
        out.push(LonLat::new(g.lon, g.lat));
    }
    out
}

fn dark_on_approach<'e>(ctx: &Context<'e>, ev: &Event) -> Option<&'e Event> {
    let mmsi = ev.vessels[0];
    ctx.events_of(
        mmsi,
        &[EventKind::Gap],
        ev.start_ms - 2 * DAY_MS,
        ev.start_ms + HOUR_MS,
    )
    .find(|g| {
        g.end_ms <= ev.start_ms + HOUR_MS
            && gap_ends(g)
                .iter()
                .any(|q| ctx.regime.near_target_waters(*q))
    })
}

/// Rule `dprk_port_call`: a foreign vessel's port visit in the DPRK.
pub fn rule_dprk_port_call(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("dprk_port_call");
    let mut out = Vec::new();
    for ev in ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::PortVisit && !e.vessels.is_empty())
    {
        let Some(port) = ctx.target_port_of(ev) else {
            continue;
        };
        let subject = ev.vessels[0];
        if ctx.is_target_flag(subject) {
            continue;
        }
        let p = LonLat::new(ev.lon, ev.lat);
        let mut s = Scorer::new(prior, &weights);
        s.add(
            "foreign_flag",
            ctx.foreign_flag(subject),
            format!("MMSI {subject} is not DPRK-flagged"),
        );
        let conf = ev.metrics.get("confidence").copied().unwrap_or(2.0);
        let stop = ev
            .metrics
            .get("stop")
            .copied()
            .unwrap_or(0.0)
            .max(ramp(conf, 1.0, 4.0));
        s.add(
            "stop_confirmed",
            stop,
            format!("port-visit confidence {conf:.0} of 4"),
        );
        let h = hours(ev);
        s.add("long_stay", ramp(h, 6.0, 48.0), format!("stayed {h:.1} h"));
        let dark = dark_on_approach(ctx, ev);
        let graded_dark = ev.grade.as_deref() == Some("dark");
        s.flag(
            "dark_on_approach",
            dark.is_some() || graded_dark,
            "AIS was off on the approach",
        );
        s.flag(
            "designated",
            ctx.is_designated(subject),
            ctx.designated_note(subject),
        );
        let mut events = vec![ev];
        events.extend(dark);
        out.push(finish(ctx, Draft {
            rule: "dprk_port_call",
            key: ev.id.clone(),
            title: format!("Port call in the DPRK at {port}"),
            subject,
            counterparts: vec![],
            events,
            start_ms: ev.start_ms,
            end_ms: ev.end_ms,
            at: p,
            place: format!("at {port}"),
            predicate: format!("called at the DPRK port of {port} from {} to {}, carrying cargo to or from the DPRK", format_datetime(ev.start_ms), format_datetime(ev.end_ms)),
            clause: Clause::Indicator,
            score: s.finish(),
        }));
    }
    out
}

fn preceding_sts<'e>(ctx: &Context<'e>, mmsi: u32, before: i64, days: i64) -> Option<&'e Event> {
    ctx.events_of(
        mmsi,
        &[EventKind::Encounter, EventKind::DarkRendezvous],
        before - days * DAY_MS,
        before,
    )
    .filter(|e| e.end_ms <= before + HOUR_MS)
    .last()
}

/// Rule `tanker_delivery`: a tanker's arrival at a DPRK port (a petroleum delivery).
pub fn rule_tanker_delivery(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("tanker_delivery");
    let mut out = Vec::new();
    for ev in ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::PortVisit && !e.vessels.is_empty())
    {
        let Some(port) = ctx.target_port_of(ev) else {
            continue;
        };
        // A vessel already in port when the data begin was not seen arriving.
        if ev.metrics.get("entry").is_some_and(|x| *x == 0.0) {
            continue;
        }
        let subject = ev.vessels[0];
        let info = ctx.info(subject);
        let sts = preceding_sts(ctx, subject, ev.start_ms, 30);
        let unknown_type_met_at_sea =
            info.ship_type.is_none() && info.registry_type.is_none() && sts.is_some();
        if !(info.is_tanker() || unknown_type_met_at_sea) {
            continue;
        }
        let p = LonLat::new(ev.lon, ev.lat);
        let mut s = Scorer::new(prior, &weights);
        s.flag("tanker", info.is_tanker(), "broadcasts as a tanker");
        s.flag(
            "preceded_by_sts",
            sts.is_some(),
            sts.map(|e| {
                format!(
                    "met MMSI {} at sea on {} before arriving",
                    e.vessels
                        .iter()
                        .find(|v| **v != subject)
                        .copied()
                        .unwrap_or(0),
                    format_date(e.start_ms)
                )
            })
            .unwrap_or_default(),
        );
        s.add(
            "foreign_flag",
            ctx.foreign_flag(subject),
            format!("MMSI {subject} is not DPRK-flagged"),
        );
        let dd = ctx
            .events_of(
                subject,
                &[EventKind::DraughtChange],
                ev.start_ms - 6 * HOUR_MS,
                ev.end_ms + DAY_MS,
            )
            .find(|d| draught_delta(d).is_some_and(|x| x < 0.0));
        s.flag(
            "draught_decrease",
            dd.is_some(),
            dd.and_then(draught_delta)
                .map(|x| format!("draught fell by {:.1} m in port", -x))
                .unwrap_or_default(),
        );
        let dark = dark_on_approach(ctx, ev);
        s.flag(
            "dark_on_approach",
            dark.is_some() || ev.grade.as_deref() == Some("dark"),
            "AIS was off on the approach",
        );
        s.flag(
            "designated",
            ctx.is_designated(subject),
            ctx.designated_note(subject),
        );
        let mut events = vec![ev];
        events.extend(sts);
        events.extend(dd);
        events.extend(dark);
        out.push(finish(ctx, Draft {
            rule: "tanker_delivery",
            key: ev.id.clone(),
            title: format!("Tanker arrival at {port} (petroleum delivery)"),
            subject,
            counterparts: sts.map(|e| e.vessels.iter().copied().filter(|v| *v != subject).collect()).unwrap_or_default(),
            events,
            start_ms: ev.start_ms,
            end_ms: ev.end_ms,
            at: p,
            place: format!("at {port}"),
            predicate: format!("delivered petroleum products to the DPRK at {port} on {} that no supplying State notified", format_date(ev.start_ms)),
            clause: Clause::Violation,
            score: s.finish(),
        }));
    }
    out
}

/// Rule `coal_export`: a cargo ship leaving a DPRK port deeper than it came, or meeting another
/// ship soon after leaving.
pub fn rule_coal_export(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("coal_export");
    let mut out = Vec::new();
    for ev in ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::PortVisit && !e.vessels.is_empty())
    {
        let Some(port) = ctx.target_port_of(ev) else {
            continue;
        };
        let subject = ev.vessels[0];
        let info = ctx.info(subject);
        if info.is_tanker() {
            continue;
        }
        let inc = ctx
            .events_of(
                subject,
                &[EventKind::DraughtChange],
                ev.start_ms,
                ev.end_ms + 2 * DAY_MS,
            )
            .find(|d| draught_delta(d).is_some_and(|x| x > 0.0));
        let meet = ctx
            .events_of(
                subject,
                &[EventKind::Encounter, EventKind::DarkRendezvous],
                ev.end_ms,
                ev.end_ms + 10 * DAY_MS,
            )
            .find(|e| e.start_ms >= ev.end_ms);
        if inc.is_none() && meet.is_none() {
            continue;
        }
        if !info.is_cargo() && info.ship_type.is_some() {
            continue;
        }
        let p = LonLat::new(ev.lon, ev.lat);
        let mut s = Scorer::new(prior, &weights);
        s.flag(
            "bulk_carrier",
            info.is_cargo(),
            "broadcasts as a cargo ship",
        );
        s.flag(
            "draught_increase",
            inc.is_some(),
            inc.and_then(draught_delta)
                .map(|x| format!("draught rose by {x:.1} m at {port}"))
                .unwrap_or_default(),
        );
        let partner = meet.and_then(|e| e.vessels.iter().copied().find(|v| *v != subject));
        s.flag(
            "meeting_after",
            meet.is_some(),
            meet.map(|e| {
                format!(
                    "met MMSI {} on {} after leaving",
                    partner.unwrap_or(0),
                    format_date(e.start_ms)
                )
            })
            .unwrap_or_default(),
        );
        let dark = ctx
            .events_of(
                subject,
                &[EventKind::Gap],
                ev.end_ms,
                ev.end_ms + 3 * DAY_MS,
            )
            .find(|g| g.start_ms >= ev.end_ms);
        s.flag(
            "dark_after",
            dark.is_some(),
            dark.map(|g| format!("AIS off for {:.1} h after leaving", hours(g)))
                .unwrap_or_default(),
        );
        s.flag(
            "designated",
            ctx.is_designated(subject),
            ctx.designated_note(subject),
        );
        let mut events = vec![ev];
        events.extend(inc);
        events.extend(meet);
        events.extend(dark);
        let predicate = match (inc.is_some(), partner) {
            (_, Some(b)) => format!("loaded coal or other banned DPRK goods at {port} and transferred them to {} after leaving on {}", ctx.describe(b), format_date(ev.end_ms)),
            _ => format!("loaded coal or other banned DPRK goods at {port}, leaving deeper laden on {}", format_date(ev.end_ms)),
        };
        out.push(finish(
            ctx,
            Draft {
                rule: "coal_export",
                key: ev.id.clone(),
                title: format!("Loaded departure from {port} (coal export)"),
                subject,
                counterparts: partner.into_iter().collect(),
                events,
                start_ms: ev.start_ms,
                end_ms: meet.map_or(ev.end_ms, |m| m.end_ms.max(ev.end_ms)),
                at: p,
                place: format!("at {port}"),
                predicate,
                clause: Clause::Violation,
                score: s.finish(),
            },
        ));
    }
    out
}

/// An event showing the vessel dealt with the DPRK within `window` of `[from, to]`: an encounter
/// or dark rendezvous with a DPRK-linked vessel, or a port visit at a DPRK port.
fn dealt_with_target<'e>(
    ctx: &Context<'e>,
    mmsi: u32,
    from: i64,
    to: i64,
    window: i64,
) -> Option<&'e Event> {
    ctx.events_of(
        mmsi,
        &[
            EventKind::Encounter,
            EventKind::DarkRendezvous,
            EventKind::Loitering,
            EventKind::PortVisit,
        ],
        from - window,
        to + window,
    )
    .find(|e| match e.kind {
        EventKind::PortVisit => ctx.target_port_of(e).is_some(),
        // Loitering next to a DPRK-linked vessel that had its AIS off: one half of an STS.
        EventKind::Loitering => {
            let p = LonLat::new(e.lon, e.lat);
            ctx.events.iter().any(|g| {
                g.kind == EventKind::Gap
                    && g.vessels
                        .first()
                        .is_some_and(|v| *v != mmsi && ctx.linked(*v))
                    && g.end_ms >= e.start_ms - 12 * HOUR_MS
                    && g.start_ms <= e.end_ms + 12 * HOUR_MS
                    // 50 km: the dark partner sails to the meeting and away while silent.
                    && gap_ends(g).iter().any(|q| haversine_m(*q, p) <= 50_000.0)
            })
        }
        _ => e.vessels.iter().any(|v| *v != mmsi && ctx.linked(*v)),
    })
}

/// Rule `dark_near_dprk`: an AIS gap that starts or ends near DPRK waters.
pub fn rule_dark_near_dprk(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("dark_near_dprk");
    let near_m = ctx.regime.geography.near_target_km * 1000.0;
    let mut out = Vec::new();
    for g in ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Gap && !e.vessels.is_empty())
    {
        let ends = gap_ends(g);
        let (end_at, d) = ends
            .iter()
            .map(|q| (*q, ctx.regime.distance_to_target_waters_m(*q)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((LonLat::new(g.lon, g.lat), f64::INFINITY));
        let d = [
            "off_dprk_zone_m",
            "on_dprk_zone_m",
            "off_dprk_port_m",
            "on_dprk_port_m",
        ]
        .iter()
        .filter_map(|k| g.metrics.get(*k))
        .fold(d, |acc, x| acc.min(*x));
        let subject = g.vessels[0];
        let near = d <= near_m;
        let hot = ends.iter().find_map(|q| ctx.hotspot_name(*q));
        let dealt = dealt_with_target(ctx, subject, g.start_ms, g.end_ms, 30 * DAY_MS);
        let intentional = g.grade.as_deref() == Some("intentional");
        // Near DPRK waters, or in an STS hotspot or by a vessel that dealt with the DPRK within
        // 30 days when the gap looks deliberate.
        if !near && !(intentional && (hot.is_some() || dealt.is_some())) {
            continue;
        }
        // A DPRK-flagged ship silent in its home waters is not hiding anything from anyone.
        let both_home = ends
            .iter()
            .all(|q| ctx.regime.distance_to_target_waters_m(*q) <= near_m);
        if ctx.is_target_flag(subject) && both_home {
            continue;
        }
        let info = ctx.info(subject);
        let mut s = Scorer::new(prior, &weights);
        s.add(
            "near_target_waters",
            1.0 - ramp(d, 0.0, near_m),
            format!(
                "AIS went off or came back {:.0} km from DPRK waters",
                d / 1000.0
            ),
        );
        let inside = ends.iter().any(|q| ctx.regime.inside_target_waters(*q));
        s.flag(
            "inside_target_waters",
            inside,
            "one end of the gap is inside DPRK waters",
        );
        let h = hours(g);
        s.add(
            "long_gap",
            ramp(h, 6.0, 48.0),
            format!("silent for {h:.1} h"),
        );
        let coverage = match g.grade.as_deref() {
            Some("intentional") => 1.0,
            Some("poor_coverage" | "coverage") => 0.0,
            _ => ramp(
                g.metrics
                    .get("positions_per_hour_before")
                    .copied()
                    .unwrap_or(0.0),
                0.5,
                6.0,
            ),
        };
        s.add(
            "good_coverage",
            coverage,
            "reported regularly before the gap, in good receiver coverage",
        );
        s.add(
            "foreign_flag",
            ctx.foreign_flag(subject),
            format!("MMSI {subject} is not DPRK-flagged"),
        );
        s.flag(
            "designated",
            ctx.is_designated(subject),
            ctx.designated_note(subject),
        );
        s.flag(
            "fishing_vessel",
            info.is_fishing(),
            "broadcasts as a fishing vessel",
        );
        s.flag(
            "in_hotspot",
            hot.is_some(),
            hot.as_ref()
                .map(|h| format!("one end of the gap lies in the {h} hotspot"))
                .unwrap_or_default(),
        );
        s.flag(
            "dealt_with_target",
            dealt.is_some(),
            dealt
                .map(|e| {
                    format!(
                        "within 30 days it met a DPRK-linked vessel or called in the DPRK ({})",
                        e.id
                    )
                })
                .unwrap_or_default(),
        );
        out.push(finish(
            ctx,
            Draft {
                rule: "dark_near_dprk",
                key: g.id.clone(),
                title: if near {
                    "AIS gap near DPRK waters".into()
                } else {
                    "Deliberate AIS gap by a DPRK-linked vessel".into()
                },
                subject,
                counterparts: vec![],
                events: vec![g],
                start_ms: g.start_ms,
                end_ms: g.end_ms,
                at: end_at,
                place: place_words(ctx, end_at),
                predicate: format!(
                    "switched off its AIS deliberately for {h:.1} h from {} to hide {}",
                    format_datetime(g.start_ms),
                    if near {
                        "a voyage to or from DPRK waters"
                    } else {
                        "dealings with DPRK-linked vessels"
                    }
                ),
                clause: Clause::Indicator,
                score: s.finish(),
            },
        ));
    }
    out
}

/// Rule `identity_fraud`: a vessel broadcasting a designated vessel's IMO, MMSI or name, an IMO
/// one digit off a designated vessel's, or an IMO with a wrong check digit.
pub fn rule_identity_fraud(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("identity_fraud");
    let mut out = Vec::new();
    for v in ctx.vessels.values() {
        let matches = ctx.screening.matches(v.mmsi);
        let best = |basis: MatchBasis| {
            matches
                .iter()
                .filter(|m| m.designated && m.basis == basis)
                .max_by(|a, b| a.score.total_cmp(&b.score))
        };
        // A designated vessel broadcasting its own listed identity is not identity fraud: its
        // designation weighs in every other finding about it. Only matches on an entity whose
        // other identifiers disagree (the IMO of one ship under another name, a listed name
        // with a different IMO) count here.
        let own_identity = |entity: &str| {
            let has = |b: MatchBasis| {
                matches.iter().any(|m| {
                    m.entity_id == entity
                        && m.basis == b
                        && (b != MatchBasis::Name || m.score >= 0.9)
                })
            };
            let listed = ctx
                .screening
                .designated_vessels
                .iter()
                .find(|d| d.entity_id == entity);
            let listed_imo = listed.is_some_and(|d| !d.imos.is_empty());
            let listed_mmsi = listed.is_some_and(|d| !d.mmsis.is_empty());
            has(MatchBasis::Name)
                && (has(MatchBasis::Imo) || !listed_imo)
                && (has(MatchBasis::Mmsi) || !listed_mmsi)
        };
        let foreign_match = |m: &&ScreeningMatch| !own_identity(&m.entity_id);
        let imo_m = best(MatchBasis::Imo).filter(foreign_match);
        let mmsi_m = best(MatchBasis::Mmsi).filter(foreign_match);
        let name_m = best(MatchBasis::Name)
            .filter(|m| m.score >= 0.85)
            .filter(foreign_match);
        let off_by_one = v.imos.iter().find_map(|imo| {
            ctx.screening.designated_vessels.iter().find_map(|d| {
                d.imos
                    .iter()
                    .find(|x| one_digit_apart(**x, *imo) && !d.imos.contains(imo))
                    .map(|x| (*imo, *x, d.name.clone()))
            })
        });
        let invalid = v
            .imos
            .iter()
            .copied()
            .find(|imo| *imo != 0 && !imo_is_valid(*imo));
        if imo_m.is_none()
            && mmsi_m.is_none()
            && name_m.is_none()
            && off_by_one.is_none()
            && invalid.is_none()
        {
            continue;
        }
        let mut s = Scorer::new(prior, &weights);
        s.flag(
            "designated_imo_broadcast",
            imo_m.is_some(),
            imo_m
                .map(|m| {
                    format!(
                        "broadcasts IMO {}, the IMO of the listed {} ({})",
                        m.query, m.listed_name, m.entity_id
                    )
                })
                .unwrap_or_default(),
        );
        s.flag(
            "designated_mmsi_broadcast",
            mmsi_m.is_some(),
            mmsi_m
                .map(|m| {
                    format!(
                        "MMSI {} is the listed {}'s ({})",
                        m.query, m.listed_name, m.entity_id
                    )
                })
                .unwrap_or_default(),
        );
        s.add(
            "designated_name_broadcast",
            name_m.map_or(0.0, |m| m.score),
            name_m
                .map(|m| {
                    format!(
                        "broadcasts the name {:?} of the listed {} ({}), score {:.2}",
                        m.query, m.listed_name, m.entity_id, m.score
                    )
                })
                .unwrap_or_default(),
        );
        s.flag(
            "imo_off_by_one_from_designated",
            off_by_one.is_some(),
            off_by_one
                .as_ref()
                .map(|(a, b, n)| format!("broadcast IMO {a} is one digit off {n}'s IMO {b}"))
                .unwrap_or_default(),
        );
        s.flag(
            "invalid_imo",
            invalid.is_some(),
            invalid
                .map(|i| format!("broadcast IMO {i} fails the check digit"))
                .unwrap_or_default(),
        );
        s.flag(
            "target_mid",
            ctx.regime.is_target_mmsi(v.mmsi),
            "MMSI carries the DPRK MID 445",
        );
        let listed = imo_m.or(mmsi_m).or(name_m);
        let predicate = match (listed, &off_by_one, invalid) {
            (Some(m), _, _) if imo_m.is_some() && (name_m.is_some() || mmsi_m.is_some()) => format!("is the designated vessel {} ({}), still operating", m.listed_name, m.entity_id),
            // An IMO number stays with the hull: the same IMO under another name is the listed
            // ship renamed, unless another hull has taken its number.
            (Some(m), _, _) if imo_m.is_some() => format!(
                "is the designated vessel {} ({}) sailing under another name{}, or a ship using its IMO number",
                m.listed_name,
                m.entity_id,
                v.name().map(|n| format!(" ({n})")).unwrap_or_default()
            ),
            (Some(m), _, _) => format!("broadcast the identity of the designated vessel {} ({})", m.listed_name, m.entity_id),
            (None, Some((a, b, n)), _) => format!("broadcast IMO {a}, one digit off the designated {n}'s {b}, to pass as another ship"),
            (None, None, Some(i)) => format!("broadcast a false IMO number ({i}, which fails the check digit)"),
            _ => "broadcast a false identity".into(),
        };
        // The finding's time is that of the identity changes that show the false identity;
        // without any, the first event of the vessel (a point, not its whole history).
        let idev: Vec<&Event> = ctx
            .events_of(v.mmsi, &[EventKind::IdentityChange], i64::MIN, i64::MAX)
            .filter(|e| {
                changed_fields(e)
                    .iter()
                    .any(|f| matches!(f.as_str(), "name" | "imo" | "invalid_imo" | "call_sign"))
            })
            .collect();
        let span = match (idev.first(), idev.last()) {
            (Some(a), Some(b)) => Some((a.start_ms, b.end_ms, LonLat::new(a.lon, a.lat))),
            _ => ctx
                .by_vessel
                .get(&v.mmsi)
                .and_then(|ix| ix.first())
                .map(|&i| {
                    let e = &ctx.events[i];
                    (e.start_ms, e.start_ms, LonLat::new(e.lon, e.lat))
                }),
        };
        let (start_ms, end_ms, at) = span.unwrap_or((0, 0, LonLat::new(0.0, 0.0)));
        let clause = if listed.is_some() {
            Clause::Violation
        } else {
            Clause::Indicator
        };
        out.push(finish(
            ctx,
            Draft {
                rule: "identity_fraud",
                key: v.mmsi.to_string(),
                title: if listed.is_some() {
                    "Designated vessel identity broadcast".into()
                } else {
                    "False or altered IMO number".into()
                },
                subject: v.mmsi,
                counterparts: vec![],
                events: idev,
                start_ms,
                end_ms,
                at,
                place: String::new(),
                predicate,
                clause,
                score: s.finish(),
            },
        ));
    }
    out
}

/// Rule `identity_fraud`, second part: one MMSI heard in two places at once (a second ship
/// broadcasting another's identity), stronger when the MMSI is a designated vessel's or a ship
/// with that MMSI calls in the DPRK during the collision.
pub fn rule_mmsi_collision(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("identity_fraud");
    let mut out = Vec::new();
    for ev in ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::MmsiCollision && !e.vessels.is_empty())
    {
        let mmsi = ev.vessels[0];
        let p = LonLat::new(ev.lon, ev.lat);
        let mut s = Scorer::new(prior, &weights);
        s.flag(
            "mmsi_collision",
            true,
            format!(
                "MMSI {mmsi} was heard in two places at once from {} to {}",
                format_datetime(ev.start_ms),
                format_datetime(ev.end_ms)
            ),
        );
        let des = ctx.is_designated(mmsi);
        s.flag(
            "designated_mmsi_broadcast",
            des,
            format!("MMSI {mmsi} {}", ctx.designated_note(mmsi)),
        );
        let call = ctx
            .events_of(mmsi, &[EventKind::PortVisit], ev.start_ms, ev.end_ms)
            .find(|e| ctx.target_port_of(e).is_some());
        s.flag(
            "dprk_call_during",
            call.is_some(),
            call.and_then(|c| {
                ctx.target_port_of(c).map(|port| {
                    format!(
                        "a ship broadcasting MMSI {mmsi} called at {port} on {}",
                        format_date(c.start_ms)
                    )
                })
            })
            .unwrap_or_default(),
        );
        s.flag(
            "target_mid",
            ctx.regime.is_target_mmsi(mmsi),
            "MMSI carries the DPRK MID 445",
        );
        let dealt = dealt_with_target(ctx, mmsi, ev.start_ms, ev.end_ms, 30 * DAY_MS);
        s.flag(
            "dealt_with_target",
            dealt.is_some(),
            dealt
                .map(|e| format!("a ship broadcasting MMSI {mmsi} dealt with a DPRK-linked vessel or port within 30 days ({})", e.id))
                .unwrap_or_default(),
        );
        let mut events = vec![ev];
        events.extend(call);
        let predicate = if des {
            format!("shared the identity of the designated {} with a second ship, so that one of them sailed under a false identity", ctx.describe(mmsi))
        } else {
            format!(
                "had its identity (MMSI {mmsi}) used by a second ship at the same time{}",
                if call.is_some() {
                    ", one of which called in the DPRK"
                } else {
                    ""
                }
            )
        };
        out.push(finish(
            ctx,
            Draft {
                rule: "identity_fraud",
                key: ev.id.clone(),
                title: "One MMSI, two ships: identity theft".into(),
                subject: mmsi,
                counterparts: vec![],
                events,
                start_ms: ev.start_ms,
                end_ms: ev.end_ms,
                at: p,
                place: place_words(ctx, p),
                predicate,
                clause: Clause::Indicator,
                score: s.finish(),
            },
        ));
    }
    out
}

/// Rule `position_spoofing`: false positions (a circle or a fixed point while the ship is
/// elsewhere, impossible jumps), weighted by who does it and where.
pub fn rule_position_spoofing(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("position_spoofing");
    let mut out = Vec::new();
    let mut by_vessel: BTreeMap<u32, Vec<&Event>> = BTreeMap::new();
    for ev in ctx.events.iter().filter(|e| {
        matches!(
            e.kind,
            EventKind::CircleSpoof | EventKind::Teleport | EventKind::ImpossiblePosition
        ) && !e.vessels.is_empty()
    }) {
        by_vessel.entry(ev.vessels[0]).or_default().push(ev);
    }
    for (mmsi, evs) in by_vessel {
        // One finding per vessel and spoofing episode: events less than a day apart are merged.
        let mut groups: Vec<Vec<&Event>> = Vec::new();
        for e in evs {
            match groups.last_mut() {
                Some(g) if e.start_ms <= g.iter().map(|x| x.end_ms).max().unwrap_or(0) + DAY_MS => {
                    g.push(e)
                }
                _ => groups.push(vec![e]),
            }
        }
        for g in groups {
            let first = g[0];
            let start_ms = g.iter().map(|e| e.start_ms).min().unwrap_or(first.start_ms);
            let end_ms = g.iter().map(|e| e.end_ms).max().unwrap_or(first.end_ms);
            let p = LonLat::new(first.lon, first.lat);
            let circles = g
                .iter()
                .filter(|e| e.kind == EventKind::CircleSpoof)
                .count();
            let jumps = g.len() - circles;
            let mut s = Scorer::new(prior, &weights);
            s.flag(
                "circle_or_fixed",
                circles > 0,
                format!("{circles} stretch(es) of circling or fixed false positions"),
            );
            s.add(
                "impossible_jumps",
                ramp(jumps as f64, 0.0, 2.0),
                format!("{jumps} impossible jump(s) or position(s)"),
            );
            s.flag(
                "target_flag",
                ctx.is_target_flag(mmsi),
                format!("MMSI {mmsi} flies the DPRK flag"),
            );
            s.flag(
                "designated",
                ctx.is_designated(mmsi),
                ctx.designated_note(mmsi),
            );
            let hot = ctx.hotspot_name(p);
            s.flag(
                "in_hotspot",
                hot.is_some(),
                hot.map(|h| format!("the false positions lie in the {h} hotspot"))
                    .unwrap_or_default(),
            );
            s.flag(
                "near_target_waters",
                ctx.regime.near_target_waters(p),
                "near DPRK waters",
            );
            out.push(finish(
                ctx,
                Draft {
                    rule: "position_spoofing",
                    key: first.id.clone(),
                    title: "AIS position spoofing".into(),
                    subject: mmsi,
                    counterparts: vec![],
                    events: g.clone(),
                    start_ms,
                    end_ms,
                    at: p,
                    place: place_words(ctx, p),
                    predicate: format!(
                        "broadcast false positions from {} to {} to hide where it was",
                        format_datetime(start_ms),
                        format_datetime(end_ms)
                    ),
                    clause: Clause::Indicator,
                    score: s.finish(),
                },
            ));
        }
    }
    out
}

/// Rule `draught_change_at_sea`: a DPRK-flagged or designated vessel whose draught changes
/// away from any port, i.e. cargo loaded or discharged at sea (the Panel's "draught change after
/// a meeting"), which also catches transfers the encounter detector did not see.
pub fn rule_draught_change_at_sea(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("draught_change_at_sea");
    let mut out = Vec::new();
    for ev in ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::DraughtChange && !e.vessels.is_empty())
    {
        let subject = ev.vessels[0];
        if !ctx.linked(subject) {
            continue;
        }
        // While two ships share the MMSI, its draught reports alternate between them.
        let shared = ctx
            .events_of(
                subject,
                &[EventKind::MmsiCollision],
                ev.start_ms - DAY_MS,
                ev.end_ms + DAY_MS,
            )
            .next()
            .is_some();
        // A change undone within a day (the next change of the vessel reverses it) is noise.
        let undone = ctx
            .events_of(
                subject,
                &[EventKind::DraughtChange],
                ev.end_ms,
                ev.end_ms + DAY_MS,
            )
            .find(|n| n.id != ev.id && n.start_ms >= ev.start_ms)
            .and_then(|n| Some(draught_delta(n)? + draught_delta(ev)?))
            .is_some_and(|net| net.abs() < 0.5);
        if shared || undone {
            continue;
        }
        let d_port = ctx.distance_to_port_m(ev);
        let at_sea = ev
            .attributes
            .get("at_sea")
            .map_or(d_port > 25_000.0, |v| v == "true")
            && d_port > 10_000.0;
        if !at_sea {
            continue;
        }
        let delta = draught_delta(ev);
        if delta.is_some_and(|x| x.abs() < 0.5) {
            continue; // a trim or a typing correction, not a cargo
        }
        let p = LonLat::new(ev.lon, ev.lat);
        let mut s = Scorer::new(prior, &weights);
        s.flag(
            "subject_linked",
            true,
            format!("MMSI {subject} is DPRK-flagged or designated"),
        );
        s.add(
            "far_from_port",
            ramp(d_port, 10_000.0, 50_000.0),
            format!("{:.0} km from the nearest port", d_port / 1000.0),
        );
        s.add(
            "large_change",
            delta.map_or(0.5, |x| ramp(x.abs(), 0.5, 2.0)),
            delta
                .map(|x| format!("draught changed by {x:+.1} m"))
                .unwrap_or_default(),
        );
        let hot = ctx.hotspot_name(p);
        s.flag(
            "in_hotspot",
            hot.is_some(),
            hot.map(|h| format!("in the {h} hotspot"))
                .unwrap_or_default(),
        );
        let gap = ctx.gap_adjacent(subject, ev.start_ms, ev.end_ms, DAY_MS);
        s.flag(
            "dark_adjacent",
            gap.is_some(),
            gap.map(|g| format!("AIS off for {:.1} h around it", hours(g)))
                .unwrap_or_default(),
        );
        let meet = ctx
            .events_of(
                subject,
                &[
                    EventKind::Encounter,
                    EventKind::DarkRendezvous,
                    EventKind::Loitering,
                ],
                ev.start_ms - 2 * DAY_MS,
                ev.end_ms,
            )
            .last();
        s.flag(
            "meeting_before",
            meet.is_some(),
            meet.map(|m| format!("stopped or met another ship before ({})", m.id))
                .unwrap_or_default(),
        );
        let mut events = vec![ev];
        events.extend(gap);
        events.extend(meet);
        let verb = match delta {
            Some(x) if x > 0.0 => "took on cargo at sea",
            Some(_) => "discharged cargo at sea",
            None => "moved cargo at sea",
        };
        out.push(finish(
            ctx,
            Draft {
                rule: "draught_change_at_sea",
                key: ev.id.clone(),
                title: "Cargo moved at sea by a DPRK-linked vessel".into(),
                subject,
                counterparts: meet
                    .map(|m| {
                        m.vessels
                            .iter()
                            .copied()
                            .filter(|v| *v != subject)
                            .collect()
                    })
                    .unwrap_or_default(),
                events,
                start_ms: ev.start_ms,
                end_ms: ev.end_ms,
                at: p,
                place: place_words(ctx, p),
                predicate: format!(
                    "{verb} around {} {}, by ship-to-ship transfer",
                    format_datetime(ev.start_ms),
                    place_words(ctx, p)
                ),
                clause: Clause::Violation,
                score: s.finish(),
            },
        ));
    }
    out
}

/// Which identity fields an identity-change event says changed.
fn changed_fields(ev: &Event) -> Vec<String> {
    // The track layer grades identity changes by field (`name`, `imo`, `invalid_imo`, ...).
    let mut out: Vec<String> = ev.grade.iter().map(|g| g.to_lowercase()).collect();
    for key in ["field", "fields", "changed"] {
        if let Some(v) = ev.attributes.get(key) {
            out.extend(
                v.split([',', ';', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_lowercase),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Rule `identity_change_after_dprk_call`: an identity change after a DPRK port call or an STS
/// with a DPRK-linked vessel.
pub fn rule_identity_change_after_dprk_call(ctx: &Context<'_>) -> Vec<Finding> {
    let (prior, weights, _) = ctx.rule_spec("identity_change_after_dprk_call");
    let mut out = Vec::new();
    let window = 60 * DAY_MS;
    for ev in ctx
        .events
        .iter()
        .filter(|e| e.kind == EventKind::IdentityChange && !e.vessels.is_empty())
    {
        let subject = ev.vessels[0];
        let call = ctx
            .events_of(
                subject,
                &[EventKind::PortVisit],
                ev.start_ms - window,
                ev.start_ms,
            )
            .filter(|p| p.start_ms <= ev.start_ms)
            .filter(|p| ctx.target_port_of(p).is_some())
            .last();
        let sts = ctx
            .events_of(
                subject,
                &[EventKind::Encounter, EventKind::DarkRendezvous],
                ev.start_ms - window,
                ev.start_ms,
            )
            .filter(|e| {
                e.start_ms <= ev.start_ms
                    && e.vessels.iter().any(|v| *v != subject && ctx.linked(*v))
            })
            .last()
            .or_else(|| {
                // Or loitering next to a DPRK-linked vessel that was dark: an STS with it.
                dealt_with_target(ctx, subject, ev.start_ms - window, ev.start_ms, 0)
                    .filter(|e| e.kind == EventKind::Loitering)
            });
        let linked = ctx.linked(subject);
        if call.is_none() && sts.is_none() && !linked {
            continue;
        }
        let fields = changed_fields(ev);
        // Length, beam, destination and draught are not identity: a changed antenna offset or
        // a new voyage says nothing about laundering.
        let identity = [
            "name",
            "imo",
            "invalid_imo",
            "call_sign",
            "flag",
            "ship_type",
        ];
        if !fields.is_empty() && !fields.iter().any(|f| identity.contains(&f.as_str())) {
            continue;
        }
        let mut s = Scorer::new(prior, &weights);
        s.flag(
            "after_dprk_call",
            call.is_some(),
            call.and_then(|c| {
                ctx.target_port_of(c)
                    .map(|p| format!("called at {p} on {}", format_date(c.start_ms)))
            })
            .unwrap_or_default(),
        );
        s.flag(
            "after_target_sts",
            sts.is_some(),
            sts.map(|e| format!("met a DPRK-linked vessel on {}", format_date(e.start_ms)))
                .unwrap_or_default(),
        );
        s.flag(
            "subject_linked",
            linked,
            format!("MMSI {subject} is DPRK-flagged or designated"),
        );
        s.flag(
            "name_changed",
            fields.iter().any(|f| f == "name"),
            "changed its broadcast name",
        );
        s.flag(
            "imo_changed",
            fields.iter().any(|f| f == "imo" || f == "invalid_imo"),
            "changed its broadcast IMO",
        );
        s.flag(
            "flag_changed",
            fields.iter().any(|f| f == "flag"),
            "changed its flag",
        );
        let p = LonLat::new(ev.lon, ev.lat);
        let at_sea = ctx.distance_to_port_m(ev) > 10_000.0;
        s.flag(
            "at_sea",
            at_sea,
            "the change was made at sea, away from a registry port",
        );
        let what = if fields.is_empty() {
            "identity".to_string()
        } else {
            let words: Vec<&str> = fields
                .iter()
                .map(|f| match f.as_str() {
                    "imo" => "IMO number",
                    "invalid_imo" => "IMO number to one that fails the check digit",
                    "call_sign" => "call sign",
                    "ship_type" => "ship type",
                    other => other,
                })
                .collect();
            words.join(", ")
        };
        let old_new = match (ev.attributes.get("old"), ev.attributes.get("new")) {
            (Some(o), Some(n)) => format!(" from {o:?} to {n:?}"),
            _ => String::new(),
        };
        let mut events = vec![ev];
        events.extend(call);
        events.extend(sts);
        out.push(finish(ctx, Draft {
            rule: "identity_change_after_dprk_call",
            key: ev.id.clone(),
            title: "Identity change after a DPRK call".into(),
            subject,
            counterparts: vec![],
            events,
            start_ms: call.or(sts).map_or(ev.start_ms, |c| c.start_ms),
            end_ms: ev.end_ms,
            at: p,
            place: place_words(ctx, p),
            predicate: format!("changed its {what}{old_new} on {} to launder its identity after dealing with the DPRK", format_date(ev.start_ms)),
            clause: Clause::Indicator,
            score: s.finish(),
        }));
    }
    out
}

/// Runs every rule and returns the findings, highest probability first (ties by id).
///
/// `vessels` describes each MMSI (names, IMO, type, size, flag); vessels absent from it are
/// known by MMSI only. `screening` holds the list matches (see [`crate::vessel::screen_exact`]
/// or feed `screen::Index` results).
pub fn evaluate(
    regime: &Regime,
    events: &[Event],
    vessels: &VesselDirectory,
    screening: &Screening,
) -> Vec<Finding> {
    let ctx = Context::new(regime, events, vessels, screening);
    let mut out = Vec::new();
    out.extend(rule_sts_target_vessel(&ctx));
    out.extend(rule_sts_hotspot_dark(&ctx));
    out.extend(rule_dprk_port_call(&ctx));
    out.extend(rule_tanker_delivery(&ctx));
    out.extend(rule_coal_export(&ctx));
    out.extend(rule_dark_near_dprk(&ctx));
    out.extend(rule_identity_fraud(&ctx));
    out.extend(rule_mmsi_collision(&ctx));
    out.extend(rule_position_spoofing(&ctx));
    out.extend(rule_draught_change_at_sea(&ctx));
    out.extend(rule_identity_change_after_dprk_call(&ctx));
    out.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vessel::{DesignatedVessel, VesselInfo};

    const H: i64 = HOUR_MS;
    const T0: i64 = 1_546_300_800_000; // 2019-01-01

    fn ev(
        id: &str,
        kind: EventKind,
        vessels: &[u32],
        start_h: i64,
        end_h: i64,
        lat: f64,
        lon: f64,
    ) -> Event {
        Event {
            id: id.into(),
            kind,
            grade: None,
            vessels: vessels.to_vec(),
            segments: vec![],
            start_ms: T0 + start_h * H,
            end_ms: T0 + end_h * H,
            lat,
            lon,
            metrics: BTreeMap::new(),
            attributes: BTreeMap::new(),
            params: BTreeMap::new(),
            evidence: vec![EvidencePoint {
                mmsi: vessels[0],
                time_ms: T0 + start_h * H,
                lat,
                lon,
                sog: Some(0.3),
            }],
        }
    }

    fn vessel(mmsi: u32, name: &str, ship_type: u8) -> VesselInfo {
        VesselInfo {
            mmsi,
            names: vec![name.into()],
            ship_type: Some(ship_type),
            ..VesselInfo::default()
        }
    }

    fn dir(vs: Vec<VesselInfo>) -> VesselDirectory {
        vs.into_iter().map(|v| (v.mmsi, v)).collect()
    }

    fn run(events: &[Event], vessels: &VesselDirectory, screening: &Screening) -> Vec<Finding> {
        evaluate(&Regime::dprk(), events, vessels, screening)
    }

    fn of_rule<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
        f.iter().filter(|x| x.rule == rule).collect()
    }

    const FOREIGN: u32 = 351_000_001;
    const DPRK: u32 = 445_000_002;
    const OTHER: u32 = 352_000_003;

    #[test]
    fn sts_with_dprk_flagged_vessel_reads_as_an_assessment() {
        let mut e = ev(
            "enc1",
            EventKind::Encounter,
            &[FOREIGN, DPRK],
            0,
            6,
            30.0,
            123.5,
        );
        e.grade = Some("sts".into());
        e.metrics.insert("nearest_port_m".into(), 250_000.0);
        let vessels = dir(vec![
            vessel(FOREIGN, "OCEAN STAR", 80),
            vessel(DPRK, "CHON MA SAN", 80),
        ]);
        let f = run(&[e.clone()], &vessels, &Screening::default());
        let sts = of_rule(&f, "sts_target_vessel");
        assert_eq!(sts.len(), 1);
        let x = sts[0];
        assert!(x.probability >= 0.8, "{}", x.probability);
        assert_eq!(
            x.vessels[0].mmsi, FOREIGN,
            "the foreign ship is the subject"
        );
        assert!(x.vessels[1].target_flag);
        assert_eq!(
            x.legal_references[0].citation,
            "resolution 2375 (2017), paragraph 11"
        );
        assert!(
            x.assessment
                .starts_with("The assessment is that MV OCEAN STAR (MMSI 351000001)"),
            "{}",
            x.assessment
        );
        assert!(
            x.assessment
                .contains("in violation of resolution 2375 (2017), paragraph 11"),
            "{}",
            x.assessment
        );
        assert!(x
            .assessment
            .contains(&format!("*{}*", x.estimative_term.as_str())));
        assert!(
            x.assessment.contains("East China Sea off Shanghai"),
            "{}",
            x.assessment
        );
        let recomputed = x.prior_log_odds + x.features.iter().map(|f| f.contribution).sum::<f64>();
        assert!((recomputed - x.log_odds).abs() < 1e-9);

        // The same meeting between two foreign ships is not this rule's business.
        let mut benign = e.clone();
        benign.vessels = vec![FOREIGN, OTHER];
        assert!(of_rule(
            &run(&[benign], &vessels, &Screening::default()),
            "sts_target_vessel"
        )
        .is_empty());

        // Next to a port, the same meeting weighs much less.
        let mut in_port = e;
        in_port.metrics.insert("nearest_port_m".into(), 800.0);
        let p = of_rule(
            &run(&[in_port], &vessels, &Screening::default()),
            "sts_target_vessel",
        )[0]
        .probability;
        assert!(p < 0.5, "{p}");
    }

    #[test]
    fn sts_with_designated_foreign_vessel_counts() {
        let e = ev(
            "enc2",
            EventKind::Encounter,
            &[FOREIGN, OTHER],
            0,
            5,
            30.0,
            123.5,
        );
        let mut s = Screening::default();
        s.by_mmsi.insert(
            OTHER,
            vec![ScreeningMatch {
                entity_id: "ofac:1".into(),
                source: "ofac".into(),
                listed_name: "YUK TUNG".into(),
                basis: MatchBasis::Imo,
                query: "9030591".into(),
                score: 1.0,
                explanation: String::new(),
                programs: vec!["DPRK3".into()],
                list_ref: None,
                designated: true,
            }],
        );
        let f = run(&[e], &VesselDirectory::new(), &s);
        let sts = of_rule(&f, "sts_target_vessel");
        assert_eq!(sts.len(), 1);
        assert_eq!(sts[0].vessels[0].mmsi, FOREIGN);
        assert!(sts[0].vessels[1].designated);
        assert!(
            sts[0].assessment.contains("the designated"),
            "{}",
            sts[0].assessment
        );
    }

    #[test]
    fn loitering_in_hotspot_with_a_dark_neighbour() {
        let loiter = ev("loi1", EventKind::Loitering, &[FOREIGN], 0, 10, 30.0, 123.5);
        let mut gap = ev("gap1", EventKind::Gap, &[OTHER], -2, 12, 30.05, 123.55);
        gap.grade = Some("intentional".into());
        gap.metrics.insert("off_lat".into(), 30.05);
        gap.metrics.insert("off_lon".into(), 123.55);
        gap.metrics.insert("on_lat".into(), 30.02);
        gap.metrics.insert("on_lon".into(), 123.52);
        let vessels = dir(vec![vessel(FOREIGN, "OCEAN STAR", 80)]);
        let f = run(
            &[loiter.clone(), gap.clone()],
            &vessels,
            &Screening::default(),
        );
        let h = of_rule(&f, "sts_hotspot_dark");
        assert_eq!(h.len(), 1, "{f:#?}");
        assert!(h[0].probability > 0.5);
        assert!(h[0].events.contains(&"gap1".to_string()));
        // No dark neighbour: no finding.
        assert!(of_rule(
            &run(
                std::slice::from_ref(&loiter),
                &vessels,
                &Screening::default()
            ),
            "sts_hotspot_dark"
        )
        .is_empty());
        // A fishing boat doing the same weighs less.
        let fishing = dir(vec![vessel(FOREIGN, "LU YU 1", 30)]);
        let p = of_rule(
            &run(&[loiter, gap], &fishing, &Screening::default()),
            "sts_hotspot_dark",
        )[0]
        .probability;
        assert!(p < h[0].probability);
    }

    fn nampo_visit(mmsi: u32, start_h: i64, end_h: i64) -> Event {
        let mut v = ev(
            &format!("pv{mmsi}{start_h}"),
            EventKind::PortVisit,
            &[mmsi],
            start_h,
            end_h,
            38.72,
            125.39,
        );
        v.attributes.insert("port".into(), "NAMPO".into());
        v.attributes.insert("port_country".into(), "KP".into());
        v.metrics.insert("confidence".into(), 4.0);
        v.metrics.insert("stop".into(), 1.0);
        v
    }

    #[test]
    fn foreign_port_call_in_the_dprk() {
        let vessels = dir(vec![
            vessel(FOREIGN, "OCEAN STAR", 70),
            vessel(DPRK, "RYE SONG GANG 1", 80),
        ]);
        let f = run(
            &[nampo_visit(FOREIGN, 0, 30), nampo_visit(DPRK, 0, 30)],
            &vessels,
            &Screening::default(),
        );
        let calls = of_rule(&f, "dprk_port_call");
        assert_eq!(calls.len(), 1, "a DPRK ship at home is not a finding");
        assert_eq!(calls[0].vessels[0].mmsi, FOREIGN);
        assert!(calls[0].probability >= 0.8);
        assert!(calls[0].assessment.contains("NAMPO"));
        // A visit elsewhere is not a DPRK call, even if the detector's port list is different.
        let mut dalian = nampo_visit(FOREIGN, 0, 30);
        dalian.attributes.insert("port".into(), "DALIAN".into());
        dalian.attributes.insert("port_country".into(), "CN".into());
        dalian.lat = 38.92;
        dalian.lon = 121.67;
        assert!(of_rule(
            &run(&[dalian], &vessels, &Screening::default()),
            "dprk_port_call"
        )
        .is_empty());
    }

    #[test]
    fn tanker_arrival_after_sts_is_a_delivery() {
        let vessels = dir(vec![
            vessel(DPRK, "YU JONG 2", 80),
            vessel(FOREIGN, "OCEAN STAR", 80),
            vessel(OTHER, "BULKER", 70),
        ]);
        let mut sts = ev(
            "enc3",
            EventKind::Encounter,
            &[DPRK, FOREIGN],
            -100,
            -94,
            30.0,
            123.5,
        );
        sts.grade = Some("sts".into());
        let events = vec![sts, nampo_visit(DPRK, 0, 20), nampo_visit(OTHER, 0, 20)];
        let f = run(&events, &vessels, &Screening::default());
        let d = of_rule(&f, "tanker_delivery");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].vessels[0].mmsi, DPRK);
        assert!(d[0].probability >= 0.8, "{}", d[0].probability);
        assert!(
            d[0].assessment
                .contains("resolution 2397 (2017), paragraph 5"),
            "{}",
            d[0].assessment
        );
        // Without the STS the same arrival is weaker.
        let f2 = run(&events[1..], &vessels, &Screening::default());
        assert!(of_rule(&f2, "tanker_delivery")[0].probability < d[0].probability);
    }

    #[test]
    fn bulk_carrier_leaving_deeper_is_a_coal_export() {
        let vessels = dir(vec![
            vessel(DPRK, "KUM SAN", 70),
            vessel(FOREIGN, "BARGE", 70),
        ]);
        let mut dc = ev(
            "dc1",
            EventKind::DraughtChange,
            &[DPRK],
            25,
            26,
            38.7,
            125.3,
        );
        dc.metrics.insert("draught_before_m".into(), 4.0);
        dc.metrics.insert("draught_after_m".into(), 7.5);
        let meet = ev(
            "enc4",
            EventKind::Encounter,
            &[DPRK, FOREIGN],
            60,
            66,
            29.9,
            122.3,
        );
        let f = run(
            &[nampo_visit(DPRK, 0, 24), dc.clone(), meet.clone()],
            &vessels,
            &Screening::default(),
        );
        let c = of_rule(&f, "coal_export");
        assert_eq!(c.len(), 1);
        assert!(c[0].probability >= 0.8, "{}", c[0].probability);
        assert!(
            c[0].assessment
                .contains("in violation of resolution 2371 (2017), paragraph 8"),
            "{}",
            c[0].assessment
        );
        assert_eq!(draught_delta(&dc), Some(3.5));
        // A visit with neither sign is no coal finding.
        assert!(of_rule(
            &run(&[nampo_visit(DPRK, 0, 24)], &vessels, &Screening::default()),
            "coal_export"
        )
        .is_empty());
    }

    #[test]
    fn dark_gap_near_dprk_waters_but_not_far_away() {
        let mut g = ev("gap2", EventKind::Gap, &[FOREIGN], 0, 30, 38.6, 124.9);
        g.grade = Some("intentional".into());
        g.metrics.insert("off_lat".into(), 38.6);
        g.metrics.insert("off_lon".into(), 124.9);
        g.metrics.insert("on_lat".into(), 37.0);
        g.metrics.insert("on_lon".into(), 123.0);
        let vessels = dir(vec![vessel(FOREIGN, "OCEAN STAR", 80)]);
        let f = run(&[g.clone()], &vessels, &Screening::default());
        let d = of_rule(&f, "dark_near_dprk");
        assert_eq!(d.len(), 1);
        assert!(d[0].probability >= 0.8, "{}", d[0].probability);
        let mut far = g.clone();
        for (k, v) in [
            ("off_lat", 35.0),
            ("off_lon", 140.0),
            ("on_lat", 34.0),
            ("on_lon", 141.0),
        ] {
            far.metrics.insert(k.into(), v);
        }
        assert!(of_rule(
            &run(&[far], &vessels, &Screening::default()),
            "dark_near_dprk"
        )
        .is_empty());
        // Poor coverage weighs against.
        g.grade = Some("poor_coverage".into());
        assert!(
            of_rule(
                &run(&[g], &vessels, &Screening::default()),
                "dark_near_dprk"
            )[0]
            .probability
                < d[0].probability
        );
    }

    #[test]
    fn identity_fraud_designated_imo_off_by_one_and_invalid() {
        let mut s = Screening::default();
        s.designated_vessels.push(DesignatedVessel {
            entity_id: "un:yon-pung-3".into(),
            name: "YON PUNG 3".into(),
            names: vec!["YON PUNG 3".into()],
            imos: vec![8_314_881],
            mmsis: vec![],
        });
        let mut copycat = vessel(FOREIGN, "A LI", 70);
        copycat.imos = vec![8_814_881];
        let mut clean = vessel(OTHER, "HONEST", 70);
        clean.imos = vec![9_074_729];
        let mut bad = vessel(352_000_009, "NO CHECK", 70);
        bad.imos = vec![9_074_728];
        let vessels = dir(vec![copycat, clean, bad]);
        let f = run(&[], &vessels, &s);
        let idf = of_rule(&f, "identity_fraud");
        assert_eq!(idf.len(), 2, "{idf:#?}");
        let a = idf.iter().find(|x| x.vessels[0].mmsi == FOREIGN).unwrap();
        assert!(a.assessment.contains("one digit off"), "{}", a.assessment);
        assert!(a.probability >= 0.8, "{}", a.probability);
        assert!(idf
            .iter()
            .any(|x| x.vessels[0].mmsi == 352_000_009 && x.assessment.contains("check digit")));
    }

    #[test]
    fn identity_change_after_a_dprk_call() {
        let vessels = dir(vec![vessel(FOREIGN, "NEW NAME", 80)]);
        let mut ic = ev(
            "id1",
            EventKind::IdentityChange,
            &[FOREIGN],
            200,
            200,
            33.0,
            124.0,
        );
        ic.attributes.insert("field".into(), "name".into());
        ic.attributes.insert("old".into(), "OLD NAME".into());
        ic.attributes.insert("new".into(), "NEW NAME".into());
        let f = run(
            &[nampo_visit(FOREIGN, 0, 30), ic.clone()],
            &vessels,
            &Screening::default(),
        );
        let x = of_rule(&f, "identity_change_after_dprk_call");
        assert_eq!(x.len(), 1);
        assert!(
            x[0].assessment.contains("\"OLD NAME\""),
            "{}",
            x[0].assessment
        );
        assert!(x[0].probability >= 0.8, "{}", x[0].probability);
        // Without the call, no finding.
        assert!(of_rule(
            &run(&[ic], &vessels, &Screening::default()),
            "identity_change_after_dprk_call"
        )
        .is_empty());
    }

    #[test]
    fn findings_are_sorted_and_terms_match_probabilities() {
        let vessels = dir(vec![vessel(FOREIGN, "OCEAN STAR", 80)]);
        let mut sts = ev(
            "enc5",
            EventKind::Encounter,
            &[FOREIGN, DPRK],
            0,
            6,
            30.0,
            123.5,
        );
        sts.grade = Some("sts".into());
        let f = run(
            &[sts, nampo_visit(FOREIGN, 100, 130)],
            &vessels,
            &Screening::default(),
        );
        assert!(f.len() >= 3);
        for w in f.windows(2) {
            assert!(w[0].probability >= w[1].probability);
        }
        for x in &f {
            assert_eq!(
                x.estimative_term,
                EstimativeTerm::from_probability(x.probability)
            );
            assert!(!x.legal_references.is_empty(), "{}", x.rule);
            assert!(x.id.starts_with(&x.rule));
        }
    }
    #[test]
    fn draught_change_at_sea_of_a_dprk_vessel() {
        let vessels = dir(vec![
            vessel(DPRK, "NAM SAN 8", 80),
            vessel(FOREIGN, "OCEAN STAR", 80),
        ]);
        let mut dc = ev("dc2", EventKind::DraughtChange, &[DPRK], 0, 6, 28.0, 123.0);
        dc.metrics.insert("delta_m".into(), 2.6);
        dc.metrics.insert("nearest_port_m".into(), 300_000.0);
        dc.attributes.insert("at_sea".into(), "true".into());
        let mut loit = ev("loi2", EventKind::Loitering, &[DPRK], -10, 2, 28.0, 123.0);
        loit.metrics.insert("nearest_port_m".into(), 300_000.0);
        let f = run(&[loit, dc.clone()], &vessels, &Screening::default());
        let x = of_rule(&f, "draught_change_at_sea");
        assert_eq!(x.len(), 1);
        assert!(x[0].probability >= 0.8, "{}", x[0].probability);
        assert!(
            x[0].assessment.contains("took on cargo at sea"),
            "{}",
            x[0].assessment
        );
        // The same change by a foreign ship, or in port, is no finding.
        let mut foreign = dc.clone();
        foreign.vessels = vec![FOREIGN];
        assert!(of_rule(
            &run(&[foreign], &vessels, &Screening::default()),
            "draught_change_at_sea"
        )
        .is_empty());
        let mut in_port = dc;
        in_port.metrics.insert("nearest_port_m".into(), 1_000.0);
        in_port.attributes.insert("at_sea".into(), "false".into());
        assert!(of_rule(
            &run(&[in_port], &vessels, &Screening::default()),
            "draught_change_at_sea"
        )
        .is_empty());
    }

    #[test]
    fn spoofing_and_mmsi_collisions() {
        let vessels = dir(vec![
            vessel(DPRK, "SAEBYOL", 80),
            vessel(OTHER, "HUA YANG 6", 80),
        ]);
        let mut c1 = ev("cs1", EventKind::CircleSpoof, &[DPRK], 0, 20, 30.8, 123.3);
        c1.grade = Some("circle".into());
        let c2 = ev("cs2", EventKind::CircleSpoof, &[DPRK], 30, 40, 30.8, 123.3);
        let far = ev(
            "cs3",
            EventKind::CircleSpoof,
            &[DPRK],
            300,
            310,
            30.8,
            123.3,
        );
        let f = run(&[c1, c2, far], &vessels, &Screening::default());
        let sp = of_rule(&f, "position_spoofing");
        assert_eq!(
            sp.len(),
            2,
            "events a day apart merge; a later episode is separate"
        );
        assert!(sp.iter().all(|x| x.probability >= 0.8), "{sp:#?}");
        // One MMSI in two places, and a ship with it calling at Nampo meanwhile.
        let col = ev(
            "col1",
            EventKind::MmsiCollision,
            &[OTHER],
            0,
            100,
            31.4,
            121.6,
        );
        let f = run(
            &[col.clone(), nampo_visit(OTHER, 40, 60)],
            &vessels,
            &Screening::default(),
        );
        let c = of_rule(&f, "identity_fraud");
        assert_eq!(c.len(), 1);
        assert!(c[0].probability >= 0.8, "{}", c[0].probability);
        let alone = run(&[col], &vessels, &Screening::default());
        assert!(of_rule(&alone, "identity_fraud")[0].probability < 0.8);
    }
}
