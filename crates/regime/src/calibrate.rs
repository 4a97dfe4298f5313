//! Scoring findings against ground truth (simulator scenarios): does every scripted violation
//! get a finding with high probability, do benign look-alikes stay low, and are the
//! probabilities calibrated (predicted probability bins against the observed fraction true)?

use crate::findings::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One scripted episode of ground truth (the events of one script instance, grouped).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthEpisode {
    /// Group id (`s3`) or a generated one.
    pub group: String,
    /// Script label (`sts_rendezvous`, `bunkering_in_port`, ...).
    pub script: String,
    /// True for a benign look-alike.
    pub benign: bool,
    /// MMSIs involved.
    pub vessels: Vec<u32>,
    /// Start, UTC ms.
    pub start_ms: i64,
    /// End, UTC ms.
    pub end_ms: i64,
}

/// How one episode fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeOutcome {
    /// The episode.
    pub episode: TruthEpisode,
    /// Highest probability among the findings matching it (0 when none).
    pub best_probability: f64,
    /// The id of that finding.
    pub best_finding: Option<String>,
    /// Ok: a violation with a finding ≥ the hit threshold, or a look-alike with none above the
    /// false-alarm threshold.
    pub ok: bool,
}

/// One bin of the calibration table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Lower bound (inclusive).
    pub from: f64,
    /// Upper bound (exclusive, except the last).
    pub to: f64,
    /// Findings in the bin.
    pub findings: usize,
    /// Of which matched a scripted violation.
    pub true_findings: usize,
    /// Mean predicted probability in the bin.
    pub mean_probability: f64,
}

/// The result of scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// Per-episode outcomes.
    pub episodes: Vec<EpisodeOutcome>,
    /// Calibration bins.
    pub bins: Vec<CalibrationBin>,
    /// Findings per rule: (count, of which true).
    pub by_rule: BTreeMap<String, (usize, usize)>,
    /// Brier score of all findings (mean squared error of probability vs truth).
    pub brier: f64,
}

/// True when a finding matches an episode: a shared vessel and overlapping time (with slack).
pub fn matches(f: &Finding, e: &TruthEpisode, slack_ms: i64) -> bool {
    f.vessels.iter().any(|v| e.vessels.contains(&v.mmsi))
        && f.start_ms <= e.end_ms + slack_ms
        && f.end_ms >= e.start_ms - slack_ms
}

/// Scores findings against episodes. A finding is "true" when it matches a non-benign
/// episode. `hit` is the probability a violation's best finding must reach (0.8), `false_alarm`
/// the one a look-alike's findings must stay at or below (0.5).
pub fn score(
    findings: &[Finding],
    episodes: &[TruthEpisode],
    slack_ms: i64,
    hit: f64,
    false_alarm: f64,
) -> CalibrationReport {
    let outcomes = episodes
        .iter()
        .map(|e| {
            // A benign episode that coincides with a scripted violation of the same vessel
            // (the simulator also labels a delivery's port call as an ordinary call) is not
            // charged with the findings that match the violation.
            let best = findings
                .iter()
                .filter(|f| matches(f, e, slack_ms))
                .filter(|f| {
                    !e.benign
                        || !episodes
                            .iter()
                            .any(|v| !v.benign && matches(f, v, slack_ms))
                })
                .max_by(|a, b| a.probability.total_cmp(&b.probability));
            let p = best.map_or(0.0, |f| f.probability);
            let ok = if e.benign { p <= false_alarm } else { p >= hit };
            EpisodeOutcome {
                episode: e.clone(),
                best_probability: p,
                best_finding: best.map(|f| f.id.clone()),
                ok,
            }
        })
        .collect();
    let truth: Vec<bool> = findings
        .iter()
        .map(|f| {
            episodes
                .iter()
                .any(|e| !e.benign && matches(f, e, slack_ms))
        })
        .collect();
    let edges = [0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 1.0];
    let bins = edges
        .windows(2)
        .map(|w| {
            let inb: Vec<usize> = (0..findings.len())
                .filter(|&i| {
                    let p = findings[i].probability;
                    p >= w[0] && (p < w[1] || (w[1] >= 1.0 && p <= 1.0))
                })
                .collect();
            let n = inb.len();
            CalibrationBin {
                from: w[0],
                to: w[1],
                findings: n,
                true_findings: inb.iter().filter(|&&i| truth[i]).count(),
                mean_probability: if n == 0 {
                    0.0
                } else {
                    inb.iter().map(|&i| findings[i].probability).sum::<f64>() / n as f64
                },
            }
        })
        .collect();
    let mut by_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (f, t) in findings.iter().zip(&truth) {
        let e = by_rule.entry(f.rule.clone()).or_default();
        e.0 += 1;
        e.1 += usize::from(*t);
    }
    let brier = if findings.is_empty() {
        0.0
    } else {
        findings
            .iter()
            .zip(&truth)
            .map(|(f, t)| (f.probability - if *t { 1.0 } else { 0.0 }).powi(2))
            .sum::<f64>()
            / findings.len() as f64
    };
    CalibrationReport {
        episodes: outcomes,
        bins,
        by_rule,
        brier,
    }
}

impl CalibrationReport {
    /// The report as Markdown tables (episodes, calibration bins, rules).
    pub fn markdown(&self, hit: f64, false_alarm: f64) -> String {
        let mut s = String::new();
        let viol: Vec<&EpisodeOutcome> =
            self.episodes.iter().filter(|e| !e.episode.benign).collect();
        let benign: Vec<&EpisodeOutcome> =
            self.episodes.iter().filter(|e| e.episode.benign).collect();
        s.push_str(&format!(
            "Scripted violations with a finding at p ≥ {hit}: **{}/{}**. Benign look-alikes with no finding above {false_alarm}: **{}/{}**. Brier score of all findings: {:.3}.\n\n",
            viol.iter().filter(|e| e.ok).count(),
            viol.len(),
            benign.iter().filter(|e| e.ok).count(),
            benign.len(),
            self.brier
        ));
        s.push_str("| episode | script | benign | vessels | best p | finding | ok |\n|---|---|---|---|---|---|---|\n");
        for o in &self.episodes {
            let e = &o.episode;
            s.push_str(&format!(
                "| {} | {} | {} | {} | {:.2} | {} | {} |\n",
                e.group,
                e.script,
                if e.benign { "yes" } else { "no" },
                e.vessels
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                o.best_probability,
                o.best_finding.as_deref().unwrap_or("—"),
                if o.ok { "✓" } else { "✗" }
            ));
        }
        s.push_str("\n| predicted probability | findings | matching a violation | observed fraction | mean predicted |\n|---|---|---|---|---|\n");
        for b in &self.bins {
            let frac = if b.findings == 0 {
                "—".to_string()
            } else {
                format!("{:.2}", b.true_findings as f64 / b.findings as f64)
            };
            s.push_str(&format!(
                "| {:.1}–{:.1} | {} | {} | {} | {:.2} |\n",
                b.from, b.to, b.findings, b.true_findings, frac, b.mean_probability
            ));
        }
        s.push_str("\n| rule | findings | matching a violation |\n|---|---|---|\n");
        for (r, (n, t)) in &self.by_rule {
            s.push_str(&format!("| {r} | {n} | {t} |\n"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::evaluate;
    use crate::vessel::{Screening, VesselDirectory};
    use maritime::event::{Event, EventKind};

    #[test]
    fn violations_hit_and_lookalikes_stay_low() {
        let h = 3_600_000;
        let mk = |id: &str, vessels: Vec<u32>, lat: f64, lon: f64, near_port: f64| {
            let mut e = Event {
                id: id.into(),
                kind: EventKind::Encounter,
                grade: Some("sts".into()),
                vessels,
                segments: vec![],
                start_ms: 0,
                end_ms: 6 * h,
                lat,
                lon,
                metrics: BTreeMap::new(),
                attributes: BTreeMap::new(),
                params: BTreeMap::new(),
                evidence: vec![],
            };
            e.metrics.insert("nearest_port_m".into(), near_port);
            e
        };
        let events = vec![
            mk("a", vec![351_000_001, 445_000_001], 30.0, 123.5, 200_000.0),
            mk("b", vec![352_000_001, 445_000_002], 31.3, 121.6, 500.0),
        ];
        let f = evaluate(
            &crate::Regime::dprk(),
            &events,
            &VesselDirectory::new(),
            &Screening::default(),
        );
        let ep = |g: &str, benign: bool, v: Vec<u32>| TruthEpisode {
            group: g.into(),
            script: "x".into(),
            benign,
            vessels: v,
            start_ms: 0,
            end_ms: 6 * h,
        };
        let eps = vec![
            ep("s1", false, vec![351_000_001]),
            ep("s2", true, vec![352_000_001]),
            ep("s3", false, vec![999]),
        ];
        let r = score(&f, &eps, 12 * h, 0.8, 0.5);
        assert!(r.episodes[0].ok);
        assert!(
            r.episodes[1].ok,
            "bunkering next to port stays below 0.5: {:?}",
            r.episodes[1]
        );
        assert!(!r.episodes[2].ok, "a violation with no finding is a miss");
        assert_eq!(r.bins.iter().map(|b| b.findings).sum::<usize>(), f.len());
        assert!(r.markdown(0.8, 0.5).contains("**1/2**"));
    }
}
