//! Renders a report from made-up data, to look at the layout without running the pipeline:
//! `cargo run -p report --example sample_report -- /tmp/sample.html`

use report::view::*;

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample_report.html".into());
    let t0 = 1_546_300_800_000i64; // 2019-01-01
    let hour = 3_600_000i64;
    let a: Vec<(f64, f64, i64)> = (0..40)
        .map(|i| {
            (
                123.2 + 0.02 * i as f64,
                37.6 + 0.01 * i as f64,
                t0 + i * hour / 4,
            )
        })
        .collect();
    let b: Vec<(f64, f64, i64)> = (0..40)
        .map(|i| {
            (
                124.4 - 0.01 * i as f64,
                38.3 - 0.005 * i as f64,
                t0 + i * hour / 4,
            )
        })
        .collect();
    let months = (1..=12)
        .map(|m| MonthView {
            month: format!("2019-{m:02}"),
            reported_cum: 6_000.0 * m as f64,
            low_cum: 30_000.0 * m as f64,
            mid_cum: 45_000.0 * m as f64,
            high_cum: 80_000.0 * m as f64,
        })
        .collect();
    let data = ReportData {
        title: "Sample: DPRK maritime findings".into(),
        generated_at: "2026-11-28 12:00 UTC".into(),
        regime: "DPRK (UNSCR 1718 and successors)".into(),
        counts: vec![("AIS messages".into(), "1,234,567".into()), ("findings".into(), "1".into())],
        tally: Some(TallyView { year: 2019, cap_bbl: 500_000.0, months, crossings: vec![("estimated (mid)".into(), 75, "2019-09-30".into())], notes: vec!["sample".into()] }),
        findings: vec![FindingView {
            id: "f-1".into(),
            title: "Ship-to-ship transfer with a DPRK-flagged tanker".into(),
            rule: "sts_with_dprk_vessel".into(),
            probability: 0.91,
            term: "very likely".into(),
            assessment: "MV SAMPLE (IMO 9999999) very likely conducted a ship-to-ship transfer with the DPRK-flagged CHON MA SAN.".into(),
            legal: vec!["UNSCR 2375 (2017), para. 11".into()],
            features: vec![("DPRK-flagged partner".into(), "MID 445".into(), 2.0)],
            evidence: vec![["2019-01-01 00:00".into(), "412000001".into(), "37.6".into(), "123.2".into(), "first position".into()]],
            tracks: vec![TrackView { label: "SAMPLE 412000001".into(), points: a }, TrackView { label: "CHON MA SAN 445000001".into(), points: b }],
            markers: vec![(124.0, 38.1, "STS".into())],
            funds_path: vec![],
        }],
        land: report::land::east_asia_rings(),
        zones: vec![ZoneView { name: "hotspot".into(), kind: "sts_hotspot".into(), rings: vec![vec![(123.5, 37.8), (124.3, 37.8), (124.3, 38.3), (123.5, 38.3)]] }],
        ..Default::default()
    };
    std::fs::write(&out, report::render(&data)).expect("write report");
    println!("{out}");
}
