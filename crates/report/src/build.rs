//! From the pipeline's results (findings, tally, segments, identity histories, zones) to the
//! report's view model.

use crate::svg::group_thousands;
use crate::time::format_utc;
use crate::view::{FindingView, MonthView, ReportData, TallyView, TrackView, VesselView, ZoneView};
use maritime::identity::VesselHistory;
use maritime::tracks::Segment;
use regime::findings::Finding;
use regime::tally::Tally;
use std::collections::{BTreeSet, HashMap};

/// How much track around an event a finding's map shows, before and after, in ms.
const TRACK_CONTEXT_MS: i64 = 12 * 3_600_000;
/// Points per track on a map; longer tracks are thinned evenly so the file stays small.
const MAX_TRACK_POINTS: usize = 400;
/// Evidence rows shown per finding; the full list stays in `findings.json`.
const MAX_EVIDENCE_ROWS: usize = 60;
/// Segments drawn per vessel on one map.
const MAX_SEGMENTS_PER_VESSEL: usize = 3;

/// Everything the report is built from.
pub struct Inputs<'a> {
    /// Report title.
    pub title: String,
    /// Regime display name.
    pub regime_name: String,
    /// Generation time, as shown.
    pub generated_at: String,
    /// Findings, in any order (sorted here by probability).
    pub findings: &'a [Finding],
    /// The petroleum tally of the report's year.
    pub tally: Option<&'a Tally>,
    /// All segments of the store (tracks are cut from them).
    pub segments: &'a [Segment],
    /// Identity histories.
    pub vessels: &'a [VesselHistory],
    /// Zones to draw (the regime's zones).
    pub zones: &'a spatial::ZoneSet,
    /// Headline counts.
    pub counts: Vec<(String, String)>,
    /// Parameters: (stage, name, value).
    pub methods: Vec<(String, String, String)>,
    /// Data sources, one line each.
    pub sources: Vec<String>,
}

fn thin<T: Clone>(v: &[T], max: usize) -> Vec<T> {
    if v.len() <= max {
        return v.to_vec();
    }
    let step = v.len() as f64 / max as f64;
    let mut out: Vec<T> = (0..max)
        .map(|i| v[(i as f64 * step) as usize].clone())
        .collect();
    if let Some(last) = v.last() {
        out.push(last.clone());
    }
    out
}

fn vessel_label(mmsi: u32, histories: &HashMap<u32, &VesselHistory>) -> String {
    let name = histories
        .get(&mmsi)
        .and_then(|h| h.fields.get("name"))
        .and_then(|runs| runs.last())
        .map(|r| r.value.clone());
    match name {
        Some(n) if !n.is_empty() => format!("{n} ({mmsi})"),
        _ => format!("MMSI {mmsi}"),
    }
}

fn finding_view(
    f: &Finding,
    by_mmsi: &HashMap<u32, Vec<&Segment>>,
    histories: &HashMap<u32, &VesselHistory>,
) -> FindingView {
    let (from, to) = (f.start_ms - TRACK_CONTEXT_MS, f.end_ms + TRACK_CONTEXT_MS);
    // One track per segment: two ships sharing an MMSI must not be joined into one zig-zag line.
    let mut tracks = Vec::new();
    for v in &f.vessels {
        let label = vessel_label(v.mmsi, histories);
        let segs: Vec<Vec<(f64, f64, i64)>> = by_mmsi
            .get(&v.mmsi)
            .into_iter()
            .flatten()
            .map(|s| {
                s.usable_points()
                    .filter(|p| p.time_ms >= from && p.time_ms <= to)
                    .map(|p| (p.lon, p.lat, p.time_ms))
                    .collect::<Vec<_>>()
            })
            .filter(|pts| !pts.is_empty())
            .collect();
        let several = segs.len() > 1;
        for (k, pts) in segs.into_iter().take(MAX_SEGMENTS_PER_VESSEL).enumerate() {
            let label = if several {
                format!("{label} segment {}", k + 1)
            } else {
                label.clone()
            };
            tracks.push(TrackView {
                label,
                points: thin(&pts, MAX_TRACK_POINTS),
            });
        }
    }
    let evidence = thin(&f.evidence, MAX_EVIDENCE_ROWS)
        .iter()
        .map(|e| {
            [
                format_utc(e.time_ms),
                e.mmsi.to_string(),
                format!("{:.5}", e.lat),
                format!("{:.5}", e.lon),
                e.sog
                    .map(|s| format!("{s:.1} kn"))
                    .unwrap_or_else(|| "speed n/a".into()),
            ]
        })
        .collect();
    FindingView {
        id: f.id.clone(),
        title: f.title.clone(),
        rule: f.rule.clone(),
        probability: f.probability,
        term: f.estimative_term.as_str().to_string(),
        assessment: f.assessment.clone(),
        legal: f
            .legal_references
            .iter()
            .map(|r| r.citation.clone())
            .collect(),
        features: f
            .features
            .iter()
            .map(|x| {
                (
                    x.name.clone(),
                    if x.detail.is_empty() {
                        format!("{:.2}", x.value)
                    } else {
                        x.detail.clone()
                    },
                    x.contribution,
                )
            })
            .chain(std::iter::once((
                "prior (rule base rate)".to_string(),
                String::new(),
                f.prior_log_odds,
            )))
            .collect(),
        evidence,
        tracks,
        // On-chain findings have no place at sea: no marker, so no map.
        markers: if f.funds_path.is_empty() {
            vec![(
                f.lon,
                f.lat,
                format_utc(f.start_ms)
                    .get(..16)
                    .unwrap_or_default()
                    .to_string(),
            )]
        } else {
            Vec::new()
        },
        funds_path: f
            .funds_path
            .iter()
            .map(|st| {
                [
                    st.time_utc.clone(),
                    st.hop.to_string(),
                    format!("{} → {}", st.from, st.to),
                    format!("{} {}", st.amount_display, st.asset),
                    st.tx.clone(),
                ]
            })
            .collect(),
    }
}

/// Draught runs listed one by one up to this many; beyond it, one row per distinct draught.
const MAX_DRAUGHT_ROWS: usize = 24;

/// Distinct values of a field in order of first appearance: (value, first seen, last seen, runs).
fn distinct_values(runs: &[maritime::identity::ValueRun]) -> Vec<(String, i64, i64, usize)> {
    let mut out: Vec<(String, i64, i64, usize)> = Vec::new();
    for r in runs {
        match out.iter_mut().find(|o| o.0 == r.value) {
            Some(o) => {
                o.1 = o.1.min(r.first_ms);
                o.2 = o.2.max(r.last_ms);
                o.3 += 1;
            }
            None => out.push((r.value.clone(), r.first_ms, r.last_ms, 1)),
        }
    }
    out
}

fn vessel_view(mmsi: u32, h: Option<&VesselHistory>, findings: &[Finding]) -> VesselView {
    let mut identity = Vec::new();
    let mut draughts = Vec::new();
    if let Some(h) = h {
        // Two transmitters on one MMSI make a value flip back and forth hundreds of times; one row
        // per distinct value (with how many separate runs it had) keeps the profile readable.
        for field in maritime::identity::FIELDS {
            for (value, first, last, runs) in
                distinct_values(h.fields.get(field).map(Vec::as_slice).unwrap_or_default())
            {
                let shown = if runs > 1 {
                    format!("{value} (in {runs} separate runs)")
                } else {
                    value
                };
                identity.push([
                    field.to_string(),
                    shown,
                    format_utc(first),
                    format_utc(last),
                ]);
            }
        }
        draughts = if h.draught.len() > MAX_DRAUGHT_ROWS {
            distinct_values(&h.draught)
                .into_iter()
                .filter_map(|(v, first, _, runs)| {
                    v.parse()
                        .ok()
                        .map(|d| (format!("{} (first of {runs} runs)", format_utc(first)), d))
                })
                .collect()
        } else {
            h.draught
                .iter()
                .filter_map(|r| r.value.parse().ok().map(|d| (format_utc(r.first_ms), d)))
                .collect()
        };
    }
    let mut seen = BTreeSet::new();
    let matches = findings
        .iter()
        .flat_map(|f| f.vessels.iter())
        .filter(|v| v.mmsi == mmsi)
        .flat_map(|v| v.screening.iter())
        .filter(|m| seen.insert(m.entity_id.clone()))
        .map(|m| {
            [
                m.listed_name.clone(),
                format!("{} ({})", m.source, m.entity_id),
                format!("{:.2}", m.score),
                m.explanation.clone(),
            ]
        })
        .collect();
    let name = h
        .and_then(|h| h.fields.get("name"))
        .and_then(|r| r.last())
        .map(|r| r.value.clone())
        .unwrap_or_else(|| "(no name broadcast)".into());
    VesselView {
        mmsi,
        name,
        flag: h
            .and_then(|h| h.flag.clone())
            .or_else(|| maritime::identity::flag_of_mmsi(mmsi).map(str::to_string))
            .unwrap_or_else(|| "flag unknown".into()),
        identity,
        draughts,
        matches,
    }
}

fn tally_view(t: &Tally) -> TallyView {
    TallyView {
        year: t.year,
        cap_bbl: t.cap_barrels,
        months: t
            .months
            .iter()
            .map(|m| MonthView {
                month: m.month.clone(),
                reported_cum: m.cumulative_reported,
                low_cum: m.cumulative_estimated[0],
                mid_cum: m.cumulative_estimated[1],
                high_cum: m.cumulative_estimated[2],
            })
            .collect(),
        crossings: t
            .crossings
            .iter()
            .filter_map(|c| c.date.as_ref().map(|d| (c.series.clone(), (c.threshold * 100.0).round() as u32, d.clone())))
            .collect(),
        notes: std::iter::once(format!(
            "Reported {} bbl ({:.1}% of the cap); estimated {} / {} / {} bbl (low / mid / high, laden fractions {}). Cap: {}.",
            group_thousands(t.reported.round() as i64),
            100.0 * t.share_reported,
            group_thousands(t.estimated[0].round() as i64),
            group_thousands(t.estimated[1].round() as i64),
            group_thousands(t.estimated[2].round() as i64),
            t.laden_fractions.iter().map(|f| format!("{f:.2}")).collect::<Vec<_>>().join(" / "),
            t.legal_reference
        ))
        .chain(t.notes.iter().cloned())
        .collect(),
    }
}

/// Builds the view model.
pub fn build(inp: &Inputs<'_>) -> ReportData {
    let mut by_mmsi: HashMap<u32, Vec<&Segment>> = HashMap::new();
    for s in inp.segments {
        by_mmsi.entry(s.mmsi).or_default().push(s);
    }
    let histories: HashMap<u32, &VesselHistory> = inp.vessels.iter().map(|h| (h.mmsi, h)).collect();
    let mut findings: Vec<&Finding> = inp.findings.iter().collect();
    findings.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then(a.start_ms.cmp(&b.start_ms))
    });
    let vessel_ids: BTreeSet<u32> = findings
        .iter()
        .flat_map(|f| f.vessels.iter().map(|v| v.mmsi))
        .collect();
    ReportData {
        title: inp.title.clone(),
        generated_at: inp.generated_at.clone(),
        regime: inp.regime_name.clone(),
        counts: inp.counts.clone(),
        tally: inp.tally.map(tally_view),
        findings: findings
            .iter()
            .map(|f| finding_view(f, &by_mmsi, &histories))
            .collect(),
        vessels: vessel_ids
            .iter()
            .map(|m| vessel_view(*m, histories.get(m).copied(), inp.findings))
            .collect(),
        methods: inp.methods.clone(),
        sources: inp.sources.clone(),
        land: crate::land::east_asia_rings(),
        zones: inp
            .zones
            .zones
            .iter()
            .map(|z| ZoneView {
                name: z.name.clone(),
                kind: z.kind.clone(),
                rings: z
                    .polygons
                    .iter()
                    .map(|p| p.outer.iter().map(|q| (q.lon, q.lat)).collect())
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maritime::identity::ValueRun;

    fn run(value: &str, first_ms: i64, last_ms: i64) -> ValueRun {
        ValueRun {
            value: value.into(),
            first_ms,
            last_ms,
            count: 1,
        }
    }

    #[test]
    fn flip_flopping_values_collapse_to_one_row_each() {
        let runs = vec![
            run("102", 0, 10),
            run("128", 11, 20),
            run("102", 21, 30),
            run("128", 31, 40),
            run("90", 41, 50),
        ];
        let d = distinct_values(&runs);
        assert_eq!(
            d,
            vec![
                ("102".into(), 0, 30, 2),
                ("128".into(), 11, 40, 2),
                ("90".into(), 41, 50, 1)
            ]
        );
    }
}
