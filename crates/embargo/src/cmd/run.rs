//! `embargo run`: the whole pipeline — ingest, tracks, detect, lists, findings, tally, report —
//! with one progress display. Each stage calls the library crate that owns it.

use super::exit::InputError;
use super::Global;
use anyhow::Context as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `embargo run`.
#[derive(clap::Args, Debug, Clone)]
#[command(
    after_help = "Writes OUT/store (Parquet tables), OUT/findings.json, OUT/events.geojson and OUT/report.html.\n\
Running again with the same --out adds new AIS inputs to the store (inputs already ingested are skipped) and\n\
rebuilds tracks, events, findings and the report from everything in it.\n\n\
Example:\n  embargo run --ais feeds/2019-*.nmea.gz --lists un.xml sdn_advanced.xml --regime dprk --out case-2019\n  \
embargo run --ais noaa.csv --lists data/lists/*.xml --deliveries tracker.csv --year 2019 --out out --pdf"
)]
pub struct Args {
    /// AIS inputs: NMEA files, .gz, directories, NOAA or DMA CSV.
    #[arg(long, num_args = 1.., required = true)]
    pub ais: Vec<PathBuf>,
    /// Sanctions list files (UN XML, OFAC XML/CSV, EU XML, UK CSV, OpenSanctions JSON lines).
    #[arg(long, num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Vessel registry CSV (deadweight and identities) for sizing deliveries.
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// Reported petroleum deliveries CSV, for the tally.
    #[arg(long)]
    pub deliveries: Option<PathBuf>,
    /// Regime: a bundled name (`dprk`) or a TOML file.
    #[arg(long, default_value = "dprk")]
    pub regime: String,
    /// Output directory.
    #[arg(long)]
    pub out: PathBuf,
    /// Extra zone polygons (GeoJSON) for the zone detector.
    #[arg(long, num_args = 1..)]
    pub zones: Vec<PathBuf>,
    /// Year of the petroleum tally (default: the year of the latest AIS position).
    #[arg(long)]
    pub year: Option<i32>,
    /// Findings below this probability are left out of the report and findings.json.
    #[arg(long, default_value_t = 0.5)]
    pub min_probability: f64,
    /// Also print the report to OUT/report.pdf with headless Chromium, when installed.
    #[arg(long)]
    pub pdf: bool,
    /// Ingest inputs again even when the store already holds them.
    #[arg(long)]
    pub reingest: bool,
}

/// What a pipeline run produced, for the closing summary.
#[derive(Debug, Default, serde::Serialize)]
pub struct RunSummary {
    /// Output directory.
    pub out: String,
    /// Seconds per stage, in order.
    pub stages: Vec<(String, f64)>,
    /// AIS lines read in this run.
    pub ais_lines: u64,
    /// AIS inputs skipped because the store already had them.
    pub inputs_skipped: Vec<String>,
    /// Segments built.
    pub segments: usize,
    /// Positions in segments.
    pub positions: usize,
    /// Events by kind.
    pub events: BTreeMap<String, usize>,
    /// List entities loaded.
    pub list_entities: usize,
    /// Findings at or above the threshold.
    pub findings: usize,
    /// Findings by estimative term.
    pub findings_by_term: BTreeMap<String, usize>,
    /// The report.
    pub report: String,
    /// The PDF, when written.
    pub pdf: Option<String>,
}

struct Stages {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    times: Vec<(String, f64)>,
}

impl Stages {
    const COUNT: u64 = 8;

    fn new(global: &Global) -> Self {
        let bar = global.show_progress().then(|| {
            let b = indicatif::ProgressBar::new(Self::COUNT);
            b.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{pos}/{len}] {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        });
        Stages {
            bar,
            started: Instant::now(),
            times: Vec::new(),
        }
    }

    fn start(&mut self, name: &str) {
        self.close();
        if let Some(b) = &self.bar {
            b.set_message(name.to_string());
        }
        self.times.push((name.to_string(), 0.0));
        self.started = Instant::now();
    }

    fn close(&mut self) {
        if let Some(last) = self.times.last_mut() {
            if last.1 == 0.0 {
                last.1 = self.started.elapsed().as_secs_f64();
                if let Some(b) = &self.bar {
                    b.inc(1);
                }
            }
        }
    }

    fn finish(mut self) -> Vec<(String, f64)> {
        self.close();
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        self.times
    }
}

/// Flattens a serializable config into (stage, name, value) rows for the report's methods table.
fn method_rows(
    stage: &str,
    value: &serde_json::Value,
    prefix: &str,
    out: &mut Vec<(String, String, String)>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                method_rows(stage, v, &name, out);
            }
        }
        other => out.push((stage.to_string(), prefix.to_string(), other.to_string())),
    }
}

/// Runs the pipeline. Used by `embargo run` and `embargo demo`.
pub fn pipeline(
    args: &Args,
    global: &Global,
    extra_sources: &[String],
) -> anyhow::Result<RunSummary> {
    std::fs::create_dir_all(&args.out).with_context(|| args.out.display().to_string())?;
    let store = args.out.join("store");
    std::fs::create_dir_all(&store).with_context(|| store.display().to_string())?;
    let regime =
        regime::Regime::by_name_or_path(&args.regime).map_err(|e| InputError(e.to_string()))?;
    let mut summary = RunSummary {
        out: args.out.display().to_string(),
        ..Default::default()
    };
    let mut stages = Stages::new(global);
    let mut sources: Vec<String> = extra_sources.to_vec();

    // 1. Ingest: only inputs the store has not seen, so a re-run adds to the store.
    stages.start("ingest AIS");
    let inputs = ingest::input::expand(&args.ais).map_err(|e| InputError(e.to_string()))?;
    let known: std::collections::HashSet<String> = store::sources::Sources::load(&store)
        .map(|s| s.sources.into_iter().map(|s| s.path).collect())
        .unwrap_or_default();
    let (fresh, seen): (Vec<_>, Vec<_>) = inputs
        .into_iter()
        .partition(|i| args.reingest || !known.contains(&i.name()));
    summary.inputs_skipped = seen.iter().map(|i| i.name()).collect();
    if !fresh.is_empty() {
        let ing = ingest::ingest_inputs(&fresh, &store, &ingest::IngestOptions::default())
            .map_err(|e| match e {
                e @ (ingest::IngestError::Input { .. } | ingest::IngestError::NoInputs(_)) => {
                    anyhow::Error::new(InputError(e.to_string()))
                }
                e => anyhow::Error::new(e),
            })?;
        if !ing.balanced {
            anyhow::bail!("ingest line accounting does not balance (a bug)");
        }
        for e in &ing.errors {
            eprintln!("embargo: input error: {e}");
        }
        summary.ais_lines = ing.totals.lines_read;
        std::fs::write(args.out.join("ingest_summary.txt"), ing.to_text())?;
    }
    sources.extend(
        fresh
            .iter()
            .chain(seen.iter())
            .map(|i| format!("AIS: {}", i.name())),
    );

    // 2. Tracks and identity histories, rebuilt from every position in the store.
    stages.start("segment tracks");
    let track_cfg = maritime::tracks::TrackConfig::default();
    maritime::tracks::segment_store(
        &store,
        &track_cfg,
        &maritime::tracks::StoreRunOptions::default(),
    )
    .map_err(|e| anyhow::anyhow!("segmenting {}: {e}", store.display()))?;
    let segments = maritime::tracks::load_segments(&store)?;
    let histories = maritime::identity::load_vessels(&store)?;
    summary.segments = segments.len();
    summary.positions = segments.iter().map(|s| s.points.len()).sum();

    // 3. Events.
    stages.start("detect events");
    let detect_cfg = maritime::detect::DetectConfig::default();
    let mut ctx = maritime::detect::Context::default_region();
    for z in &args.zones {
        let text = std::fs::read_to_string(z).with_context(|| z.display().to_string())?;
        ctx.add_zones_geojson(&z.display().to_string(), &text)
            .map_err(|e| InputError(e.to_string()))?;
        sources.push(format!("zones: {}", z.display()));
    }
    let events = maritime::detect::run_with_histories(&segments, &histories, &detect_cfg, &mut ctx);
    maritime::detect::table::write_events(&store, &events)?;
    std::fs::write(
        args.out.join("events.geojson"),
        serde_json::to_string(&maritime::detect::table::events_geojson(&events))?,
    )?;
    for e in &events {
        *summary
            .events
            .entry(e.kind.as_str().to_string())
            .or_default() += 1;
    }

    // 4. Lists.
    stages.start("load sanctions lists");
    if !args.lists.is_empty() {
        let mut loaded = Vec::new();
        for f in &args.lists {
            let list = lists::load_path(f).map_err(|e| InputError(e.to_string()))?;
            sources.push(format!(
                "list: {} ({:?}, {} entities)",
                f.display(),
                list.format,
                list.entities.len()
            ));
            loaded.push(list);
        }
        lists::store::save(&store, &loaded, lists::store::SaveMode::MergeBySource)?;
    }
    let have_lists = lists::store::lists_dir(&store)
        .join("entities.jsonl")
        .exists();
    if have_lists {
        summary.list_entities = lists::store::load_manifest(&store)
            .map(|m| m.entity_count)
            .unwrap_or(0);
    }

    // 5. Findings.
    stages.start("screen vessels and assess findings");
    let run = regime::run::findings_for_store(
        &regime,
        &store,
        have_lists.then_some(store.as_path()),
        args.registry.as_deref(),
    )?;
    let file = regime::run::write_findings(
        &regime,
        &store,
        &run,
        args.min_probability,
        &format!("embargo {}", env!("CARGO_PKG_VERSION")),
    )?;
    std::fs::copy(store.join("findings.json"), args.out.join("findings.json"))
        .context("copying findings.json")?;
    let reported: Vec<&regime::findings::Finding> = run
        .findings
        .iter()
        .filter(|f| f.probability >= args.min_probability)
        .collect();
    summary.findings = reported.len();
    for f in &reported {
        *summary
            .findings_by_term
            .entry(f.estimative_term.as_str().to_string())
            .or_default() += 1;
    }
    let _ = file;

    // 6. The petroleum tally.
    stages.start("petroleum tally");
    let latest_ms = segments
        .iter()
        .filter_map(|s| s.time_range())
        .map(|r| r.1)
        .max();
    let year = args
        .year
        .or_else(|| {
            latest_ms.map(|ms| report::time::civil_from_days(ms.div_euclid(86_400_000)).0 as i32)
        })
        .unwrap_or(2019);
    let (tally, skipped) = regime::run::cap_tally(
        &regime,
        year,
        args.deliveries.as_deref(),
        Some(&store),
        args.registry.as_deref(),
        args.min_probability,
    )?;
    for s in &skipped {
        eprintln!("embargo: deliveries line {} skipped: {}", s.line, s.reason);
    }
    if let Some(d) = &args.deliveries {
        sources.push(format!("reported deliveries: {}", d.display()));
    }
    std::fs::write(
        store.join("tally.json"),
        serde_json::to_string_pretty(&tally)?,
    )?;

    // 7. The report.
    stages.start("write report");
    let mut methods = Vec::new();
    method_rows(
        "segmentation",
        &serde_json::to_value(&track_cfg)?,
        "",
        &mut methods,
    );
    method_rows(
        "detectors",
        &serde_json::to_value(&detect_cfg)?,
        "",
        &mut methods,
    );
    methods.push((
        "findings".into(),
        "min_probability".into(),
        args.min_probability.to_string(),
    ));
    methods.push(("findings".into(), "regime".into(), regime.name.clone()));
    let findings_owned: Vec<regime::findings::Finding> =
        reported.iter().map(|f| (*f).clone()).collect();
    let mut counts = vec![
        (
            "AIS lines read (this run)".to_string(),
            report::svg::group_thousands(summary.ais_lines as i64),
        ),
        (
            "positions in tracks".to_string(),
            report::svg::group_thousands(summary.positions as i64),
        ),
        (
            "vessels (MMSIs)".to_string(),
            histories
                .len()
                .max(
                    segments
                        .iter()
                        .map(|s| s.mmsi)
                        .collect::<std::collections::HashSet<_>>()
                        .len(),
                )
                .to_string(),
        ),
        ("track segments".to_string(), summary.segments.to_string()),
    ];
    for (k, n) in &summary.events {
        counts.push((format!("events: {k}"), n.to_string()));
    }
    counts.push((
        "sanctions list entities".to_string(),
        summary.list_entities.to_string(),
    ));
    counts.push((
        format!(
            "findings (probability ≥ {:.0}%)",
            args.min_probability * 100.0
        ),
        summary.findings.to_string(),
    ));
    let data = report::build::build(&report::build::Inputs {
        title: format!("{}: maritime sanctions findings", regime.target_state),
        regime_name: regime.name.clone(),
        generated_at: report::time::format_utc(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
        ),
        findings: &findings_owned,
        tally: Some(&tally),
        segments: &segments,
        vessels: &histories,
        zones: &regime.zone_set,
        counts,
        methods,
        sources: sources.clone(),
    });
    let html_path = args.out.join("report.html");
    std::fs::write(&html_path, report::render(&data))
        .with_context(|| html_path.display().to_string())?;
    summary.report = html_path.display().to_string();

    // 8. PDF.
    stages.start("print PDF");
    if args.pdf {
        summary.pdf = print_pdf(&html_path, &args.out.join("report.pdf"))?;
    }
    summary.stages = stages.finish();
    Ok(summary)
}

/// Prints the report to PDF with headless Chromium; `None` when Chromium is not installed.
fn print_pdf(html: &Path, pdf: &Path) -> anyhow::Result<Option<String>> {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false)
        });
    let Some(browser) = browser else {
        eprintln!("embargo: --pdf: Chromium is not installed (apt-get install chromium); report.html is complete without it");
        return Ok(None);
    };
    let html = std::fs::canonicalize(html)?;
    let profile = std::env::temp_dir().join(format!("embargo-chromium-{}", std::process::id()));
    let status = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()?;
    let _ = std::fs::remove_dir_all(&profile);
    if !status.success() || !pdf.exists() {
        anyhow::bail!("Chromium could not print {}", pdf.display());
    }
    Ok(Some(pdf.display().to_string()))
}

/// Prints the closing summary.
pub fn print_summary(s: &RunSummary, global: &Global) -> anyhow::Result<()> {
    if global.json {
        println!("{}", serde_json::to_string_pretty(s)?);
        return Ok(());
    }
    if global.quiet {
        println!("{}", s.report);
        return Ok(());
    }
    println!("embargo run → {}", s.out);
    for (name, secs) in &s.stages {
        println!("  {name:<36} {secs:>7.1} s");
    }
    if !s.inputs_skipped.is_empty() {
        println!("  {} AIS input(s) already in the store were skipped (use --reingest to read them again)", s.inputs_skipped.len());
    }
    println!(
        "  {} segments, {} positions; events: {}",
        s.segments,
        s.positions,
        s.events
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  {} list entities; {} findings ({})",
        s.list_entities,
        s.findings,
        s.findings_by_term
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("Report: {}", s.report);
    if let Some(p) = &s.pdf {
        println!("PDF:    {p}");
    }
    Ok(())
}

/// Runs `embargo run`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let s = pipeline(args, global, &[])?;
    print_summary(&s, global)?;
    Ok(ExitCode::SUCCESS)
}
