//! Scores the findings of a simulated run against its ground truth and prints the calibration
//! tables of `docs/accuracy.md` ("Findings and calibration").
//!
//! ```sh
//! scripts/eval-findings.sh            # embargo simulate + ingest, then this example
//! cargo run --release -p regime --example calibrate -- --truth OUT/sim/truth.json --store OUT/store
//! ```
//!
//! From the ingested store it segments the positions, builds identity histories, runs every
//! detector (all through the `maritime` library, with its default configuration), writes the
//! `events` table, and evaluates the rules.
//!
//! Screening stands in for the lists with the simulator's own record of designated vessels
//! (`truth.json` → `vessels[].designated`, by name and IMO, as a list would give them), so the
//! score measures the rules, not list coverage.

use lists::model::{Entity, IdKind, Identifier, Name, NameStrength, Schema};
use regime::calibrate::{score, TruthEpisode};
use regime::findings::evaluate;
use regime::vessel::screen_exact;
use regime::Regime;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("calibrate: {e}");
        std::process::exit(3);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut truth_path, mut store) = (None, None);
    let mut slack_h = 12i64;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--truth" => truth_path = args.next().map(PathBuf::from),
            "--store" => store = args.next().map(PathBuf::from),
            "--slack-hours" => {
                slack_h = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--slack-hours N")?
            }
            other => {
                return Err(format!(
                    "unknown argument {other:?} (use --truth FILE --store DIR [--slack-hours N])"
                ))
            }
        }
    }
    let truth_path = truth_path.ok_or("--truth FILE is required")?;
    let store = store.ok_or("--store DIR is required")?;
    let text = std::fs::read_to_string(&truth_path)
        .map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let truth: sim::truth::Truth =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let regime = Regime::dprk();
    let t0 = std::time::Instant::now();
    let rows: Vec<store::PositionRow> = store::read_positions(&store)
        .map_err(|e| e.to_string())?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let statics: Vec<store::StaticRow> = store::read_static_reports(&store)
        .map_err(|e| e.to_string())?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let (segments, _) =
        maritime::tracks::segment_rows(&rows, &maritime::tracks::TrackConfig::default());
    let (histories, _) = maritime::identity::build_histories(statics.iter());
    let mut ctx = maritime::detect::Context::default_region();
    let events = maritime::detect::run_with_histories(
        &segments,
        &histories,
        &maritime::detect::DetectConfig::default(),
        &mut ctx,
    );
    maritime::detect::table::write_events(&store, &events).map_err(|e| e.to_string())?;
    eprintln!(
        "{} positions, {} segments, {} events in {:.1} s",
        rows.len(),
        segments.len(),
        events.len(),
        t0.elapsed().as_secs_f64()
    );
    let run =
        regime::run::findings_for_store(&regime, &store, None, None).map_err(|e| e.to_string())?;
    let entities: Vec<Entity> = truth
        .vessels
        .iter()
        .filter(|v| v.designated)
        .map(|v| {
            let mut e = Entity::new(format!("sim:{}", v.mmsi), "sim", Schema::Vessel);
            e.names = vec![Name {
                full: v.name.clone(),
                strength: NameStrength::Strong,
            }];
            e.identifiers = v
                .imo
                .iter()
                .map(|i| Identifier {
                    kind: IdKind::Imo,
                    value: i.to_string(),
                    country: None,
                })
                .collect();
            e.programs = vec!["DPRK".into()];
            e
        })
        .collect();
    let screening = screen_exact(&regime, &run.vessels, &entities);
    let findings = evaluate(&regime, &events, &run.vessels, &screening);
    let mut groups: BTreeMap<String, TruthEpisode> = BTreeMap::new();
    for (i, e) in truth.events.iter().enumerate() {
        let key = if e.group.is_empty() {
            format!("e{i}")
        } else {
            e.group.clone()
        };
        let ep = groups.entry(key.clone()).or_insert_with(|| TruthEpisode {
            group: key,
            script: e.script.clone(),
            benign: e.benign,
            vessels: vec![],
            start_ms: e.start_ms,
            end_ms: e.end_ms,
        });
        for v in &e.vessels {
            if !ep.vessels.contains(v) {
                ep.vessels.push(*v);
            }
        }
        ep.start_ms = ep.start_ms.min(e.start_ms);
        ep.end_ms = ep.end_ms.max(e.end_ms);
        ep.benign &= e.benign;
    }
    let episodes: Vec<TruthEpisode> = groups.into_values().collect();
    let report = score(&findings, &episodes, slack_h * 3_600_000, 0.8, 0.5);
    println!(
        "scenario {} (seed {}): {} events read, {} findings, {} designated vessels in the stand-in list, {} truth episodes\n",
        truth.scenario,
        truth.seed,
        events.len(),
        findings.len(),
        entities.len(),
        episodes.len()
    );
    println!("{}", report.markdown(0.8, 0.5));
    for o in report.episodes.iter().filter(|o| !o.ok) {
        let near: Vec<String> = findings
            .iter()
            .filter(|f| {
                f.vessels
                    .iter()
                    .any(|v| o.episode.vessels.contains(&v.mmsi))
            })
            .map(|f| {
                format!(
                    "{} p={:.2} [{}..{}]",
                    f.id, f.probability, f.start_ms, f.end_ms
                )
            })
            .collect();
        eprintln!(
            "miss {} {} [{}..{}]: findings on its vessels: {:?}",
            o.episode.group, o.episode.script, o.episode.start_ms, o.episode.end_ms, near
        );
    }
    Ok(())
}
