//! The HTML page: one self-contained file with inline CSS and SVG, no scripts, no network.

use crate::svg::{self, esc, BBox};
use crate::view::{FindingView, ReportData, VesselView};
use std::fmt::Write;

const CSS: &str = r#"
body{font:15px/1.45 Georgia,'Times New Roman',serif;color:#1d1d1d;max-width:1000px;margin:2em auto;padding:0 1em}
h1{font-size:1.7em;margin-bottom:.1em}h2{border-bottom:2px solid #333;padding-bottom:.2em;margin-top:2em}
h3{margin-bottom:.3em}.meta{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.6em 0;font:13px/1.35 system-ui,sans-serif}
td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}th{background:#f2f2f2}
.counts td:first-child{font-weight:bold}.num{text-align:right;font-variant-numeric:tabular-nums}
.finding{border:1px solid #bbb;border-left:6px solid #888;padding:.4em 1em 1em;margin:1.4em 0;page-break-inside:avoid}
.p-high{border-left-color:#b30000}.p-mid{border-left-color:#e08000}.p-low{border-left-color:#7a7a7a}
.term{font-weight:bold;font-style:italic}.assessment{font-size:1.05em}
.legal{font-size:.9em;color:#333}.prob{font:bold 13px system-ui,sans-serif;background:#eee;padding:2px 6px;border-radius:3px}
svg text.tlabel{font:10px system-ui,sans-serif;fill:#222}svg text.mlabel{font:bold 12px system-ui,sans-serif;fill:#000}
svg text.legend,svg text.axis{font:11px system-ui,sans-serif;fill:#222}svg text.attrib{font:9px system-ui,sans-serif;fill:#555}
.map,.chart{border:1px solid #999;max-width:100%;height:auto}
details{margin:.4em 0}summary{cursor:pointer;font:13px system-ui,sans-serif}
@media print{body{margin:0;max-width:none}.finding{break-inside:avoid}}
"#;

fn prob_class(p: f64) -> &'static str {
    if p >= 0.8 {
        "p-high"
    } else if p >= 0.55 {
        "p-mid"
    } else {
        "p-low"
    }
}

fn finding_html(out: &mut String, n: usize, f: &FindingView, data: &ReportData) {
    let _ = write!(
        out,
        r#"<section class="finding {cls}" id="finding-{id}"><h3>{n}. {title}</h3><p class="meta"><span class="prob">{pct:.0}% · {term}</span> rule <code>{rule}</code> · finding <code>{id}</code></p><p class="assessment">{assessment}</p>"#,
        cls = prob_class(f.probability),
        id = esc(&f.id),
        title = esc(&f.title),
        pct = f.probability * 100.0,
        term = esc(&f.term),
        rule = esc(&f.rule),
        assessment = esc(&f.assessment).replace(
            &esc(&f.term),
            &format!(r#"<span class="term">{}</span>"#, esc(&f.term))
        ),
    );
    if !f.legal.is_empty() {
        let _ = write!(
            out,
            r#"<p class="legal">Legal basis: {}</p>"#,
            f.legal
                .iter()
                .map(|l| esc(l))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let pts = f
        .tracks
        .iter()
        .flat_map(|t| t.points.iter().map(|p| (p.0, p.1)))
        .chain(f.markers.iter().map(|m| (m.0, m.1)));
    if let Some(bbox) = BBox::around(pts, 0.15, 0.25) {
        out.push_str(&svg::map(
            bbox,
            640.0,
            &data.land,
            &data.zones,
            &f.tracks,
            &f.markers,
        ));
    }
    if !f.features.is_empty() {
        out.push_str("<details open><summary>How the probability was reached</summary><table><tr><th>evidence feature</th><th>value</th><th class=num>log-odds weight</th></tr>");
        for (name, value, w) in &f.features {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td>{}</td><td class="num">{:+.2}</td></tr>"#,
                esc(name),
                esc(value),
                w
            );
        }
        out.push_str("</table></details>");
    }
    if !f.funds_path.is_empty() {
        out.push_str("<table><tr><th>time (UTC)</th><th class=num>hop</th><th>from → to</th><th class=num>tainted amount</th><th>transaction</th></tr>");
        for row in &f.funds_path {
            out.push_str("<tr>");
            for cell in row {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }
    if !f.evidence.is_empty() {
        out.push_str("<details><summary>Evidence: positions and events</summary><table><tr><th>time (UTC)</th><th>vessel</th><th>lat</th><th>lon</th><th>what</th></tr>");
        for row in &f.evidence {
            out.push_str("<tr>");
            for cell in row {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table></details>");
    }
    out.push_str("</section>");
}

fn vessel_html(out: &mut String, v: &VesselView) {
    let _ = write!(
        out,
        r#"<section class="vessel" id="vessel-{}"><h3>{} — MMSI {} ({})</h3>"#,
        v.mmsi,
        esc(&v.name),
        v.mmsi,
        esc(&v.flag)
    );
    if !v.identity.is_empty() {
        out.push_str(
            "<table><tr><th>field</th><th>value</th><th>first seen</th><th>last seen</th></tr>",
        );
        for r in &v.identity {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r[0]),
                esc(&r[1]),
                esc(&r[2]),
                esc(&r[3])
            );
        }
        out.push_str("</table>");
    }
    if !v.draughts.is_empty() {
        out.push_str("<table><tr><th>time (UTC)</th><th class=num>draught (m)</th></tr>");
        for (t, d) in &v.draughts {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td class="num">{d:.1}</td></tr>"#,
                esc(t)
            );
        }
        out.push_str("</table>");
    }
    if v.matches.is_empty() {
        out.push_str("<p class=meta>No sanctions list match.</p>");
    } else {
        out.push_str("<table><tr><th>listed entity</th><th>list</th><th class=num>score</th><th>why</th></tr>");
        for r in &v.matches {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{}</td></tr>"#,
                esc(&r[0]),
                esc(&r[1]),
                esc(&r[2]),
                esc(&r[3])
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</section>");
}

/// Renders the whole report.
pub fn render(data: &ReportData) -> String {
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{t}</title><style>{CSS}</style></head><body><header><h1>{t}</h1><p class="meta">Regime: {r} · generated {g} by Embargo {v}</p></header>"#,
        t = esc(&data.title),
        r = esc(&data.regime),
        g = esc(&data.generated_at),
        v = env!("CARGO_PKG_VERSION"),
    );
    out.push_str(r#"<h2 id="summary">Summary</h2><table class="counts">"#);
    for (k, v) in &data.counts {
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td class="num">{}</td></tr>"#,
            esc(k),
            esc(v)
        );
    }
    out.push_str("</table>");
    if let Some(t) = &data.tally {
        let _ = write!(
            out,
            r#"<h2 id="tally">Refined petroleum: {} tally against the cap</h2>"#,
            t.year
        );
        out.push_str(&svg::tally_chart(t));
        out.push_str("<table><tr><th>month</th><th class=num>reported (cum. bbl)</th><th class=num>estimated low</th><th class=num>mid</th><th class=num>high</th><th class=num>mid, % of cap</th></tr>");
        for m in &t.months {
            let _ = write!(
                out,
                r#"<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{:.1}%</td></tr>"#,
                esc(&m.month),
                svg::group_thousands(m.reported_cum.round() as i64),
                svg::group_thousands(m.low_cum.round() as i64),
                svg::group_thousands(m.mid_cum.round() as i64),
                svg::group_thousands(m.high_cum.round() as i64),
                if t.cap_bbl > 0.0 {
                    100.0 * m.mid_cum / t.cap_bbl
                } else {
                    0.0
                }
            );
        }
        out.push_str("</table>");
        if !t.crossings.is_empty() {
            out.push_str("<p>Thresholds crossed: ");
            let parts: Vec<String> = t
                .crossings
                .iter()
                .map(|(s, p, d)| format!("{} {}% on {}", esc(s), p, esc(d)))
                .collect();
            out.push_str(&parts.join("; "));
            out.push_str(".</p>");
        }
        for n in &t.notes {
            let _ = write!(out, r#"<p class="meta">{}</p>"#, esc(n));
        }
    }
    let _ = write!(
        out,
        r#"<h2 id="findings">Findings ({})</h2>"#,
        data.findings.len()
    );
    if data.findings.is_empty() {
        out.push_str("<p>No finding reached the reporting threshold.</p>");
    }
    for (i, f) in data.findings.iter().enumerate() {
        finding_html(&mut out, i + 1, f, data);
    }
    if !data.vessels.is_empty() {
        out.push_str(r#"<h2 id="vessels">Vessel profiles</h2>"#);
        for v in &data.vessels {
            vessel_html(&mut out, v);
        }
    }
    out.push_str(r#"<h2 id="methods">Methods</h2><p>Every threshold the pipeline ran with. Probabilities combine evidence features as log-odds with the published weights shown in each finding; estimative terms follow ICD 203.</p><table><tr><th>stage</th><th>parameter</th><th>value</th></tr>"#);
    for (g, k, v) in &data.methods {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(g),
            esc(k),
            esc(v)
        );
    }
    out.push_str("</table><h3>Data sources</h3><ul>");
    for s in &data.sources {
        let _ = write!(out, "<li>{}</li>", esc(s));
    }
    out.push_str("</ul></body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{TrackView, VesselView};

    fn sample() -> ReportData {
        ReportData {
            title: "Test report".into(),
            generated_at: "2026-01-01 00:00 UTC".into(),
            regime: "DPRK".into(),
            counts: vec![("findings".into(), "1".into())],
            findings: vec![FindingView {
                id: "f1".into(),
                title: "STS transfer".into(),
                rule: "sts_dprk_vessel".into(),
                probability: 0.9,
                term: "very likely".into(),
                assessment: "X very likely met Y.".into(),
                legal: vec!["UNSCR 2375 (2017) para 11".into()],
                features: vec![("both slow".into(), "yes".into(), 1.5)],
                evidence: vec![[
                    "t".into(),
                    "1".into(),
                    "38".into(),
                    "124".into(),
                    "start".into(),
                ]],
                tracks: vec![TrackView {
                    label: "X".into(),
                    points: vec![(124.0, 38.0, 0), (124.1, 38.1, 1)],
                }],
                markers: vec![(124.05, 38.05, "STS".into())],
                funds_path: vec![],
            }],
            vessels: vec![VesselView {
                mmsi: 445_000_001,
                name: "Y".into(),
                flag: "KP".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn report_has_every_section_and_no_scripts() {
        let html = render(&sample());
        for id in [
            "id=\"summary\"",
            "id=\"findings\"",
            "id=\"vessels\"",
            "id=\"methods\"",
            "<svg",
            "very likely",
        ] {
            assert!(html.contains(id), "missing {id}");
        }
        assert!(
            !html.contains("<script"),
            "the report must work without scripts"
        );
        // The SVG namespace is the only URL: nothing is fetched when the page is viewed.
        assert_eq!(
            html.matches("http://").count(),
            html.matches(r#"xmlns="http://www.w3.org/2000/svg""#)
                .count()
        );
        assert!(!html.contains("https://"));
        assert!(html.contains(r#"<span class="term">very likely</span>"#));
    }

    #[test]
    fn on_chain_finding_shows_its_path_and_no_map() {
        let mut data = sample();
        data.findings = vec![FindingView {
            id: "f2".into(),
            title: "Stolen funds reach an exchange".into(),
            rule: "stolen_funds_to_vasp".into(),
            probability: 0.97,
            term: "almost certainly".into(),
            assessment: "Funds almost certainly reached the exchange.".into(),
            funds_path: vec![[
                "2022-03-23 12:00 UTC".into(),
                "1".into(),
                "0xa → 0xb".into(),
                "10 ETH".into(),
                "0xtx".into(),
            ]],
            ..Default::default()
        }];
        let html = render(&data);
        assert!(html.contains("0xa → 0xb") && html.contains("tainted amount"));
        assert!(
            !html.contains("class=\"map\""),
            "an on-chain finding has no place to map"
        );
    }
}
