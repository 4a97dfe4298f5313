//! `embargo cap`: the refined-petroleum tally against the 500,000-barrel cap of resolution 2397
//! (2017), paragraph 5: reported deliveries against deliveries detected in AIS.

use super::exit::InputError;
use super::{emit, Global};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo cap`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  embargo cap --year 2019 --deliveries ../shared/data/dprk/refined_petroleum_tracker_datapoints.csv\n  embargo cap --year 2025 --store store/ --registry vessels.csv --json\n\nReported CSV columns: period (YYYY-MM, YYYY-MM-DD or A..B) or date, supplier, [product], tonnes and/or barrels, [scope], [source].\n\nDetected deliveries are the store's tanker arrivals at DPRK ports and STS transfers into DPRK ships, sized by deadweight × 1/3, 1/2 and 0.9 laden (docs/regime.md)."
)]
pub struct Args {
    /// The cap year.
    #[arg(long)]
    pub year: i32,
    /// Reported deliveries CSV (format of refined_petroleum_tracker_datapoints.csv).
    #[arg(long)]
    pub deliveries: Option<PathBuf>,
    /// Store with events (and findings.json, if `embargo findings` ran) for detected deliveries.
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// Vessel registry CSV with deadweights (`mmsi` and/or `imo`, `dwt`).
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// The regime: `dprk` (built in) or a regime TOML file.
    #[arg(long, default_value = "dprk")]
    pub regime: String,
    /// Count detected deliveries whose finding has at least this probability.
    #[arg(long, default_value_t = 0.5)]
    pub min_probability: f64,
}

/// Runs `embargo cap`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut o = String::new();
    if args.deliveries.is_none() && args.store.is_none() {
        return Err(InputError("give --deliveries CSV, --store DIR or both".into()).into());
    }
    let regime =
        regime::Regime::by_name_or_path(&args.regime).map_err(|e| InputError(e.to_string()))?;
    let (t, skipped) = regime::run::cap_tally(
        &regime,
        args.year,
        args.deliveries.as_deref(),
        args.store.as_deref(),
        args.registry.as_deref(),
        args.min_probability,
    )
    .map_err(|e| InputError(e.to_string()))?;
    if global.json {
        let out = serde_json::json!({ "tally": t, "skipped": skipped });
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(&out)?);
        emit(&o)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !global.quiet {
        for s in &skipped {
            eprintln!("note: line {}: {}", s.line, s.reason);
        }
    }
    let _ = writeln!(
        o,
        "Refined petroleum {}: cap {:.0} bbl ({})",
        t.year, t.cap_barrels, t.legal_reference
    );
    let _ = writeln!(o,
        "reported {:.0} bbl ({:.1} %); estimated {:.0} / {:.0} / {:.0} bbl at {:.0} / {:.0} / {:.0} % laden ({:.1} / {:.1} / {:.1} %), {} detected deliveries",
        t.reported,
        t.share_reported * 100.0,
        t.estimated[0],
        t.estimated[1],
        t.estimated[2],
        t.laden_fractions[0] * 100.0,
        t.laden_fractions[1] * 100.0,
        t.laden_fractions[2] * 100.0,
        t.share_estimated[0] * 100.0,
        t.share_estimated[1] * 100.0,
        t.share_estimated[2] * 100.0,
        t.detected.len()
    );
    let _ = writeln!(
        o,
        "\n{:<8} {:>11} {:>11} {:>11} {:>11} {:>8} {:>8}",
        "month", "reported", "est. low", "est. mid", "est. high", "cum rep%", "cum mid%"
    );
    for m in &t.months {
        let _ = writeln!(
            o,
            "{:<8} {:>11.0} {:>11.0} {:>11.0} {:>11.0} {:>7.1}% {:>7.1}%",
            m.month,
            m.reported,
            m.estimated[0],
            m.estimated[1],
            m.estimated[2],
            m.share_reported * 100.0,
            m.share_estimated[1] * 100.0
        );
    }
    let _ = writeln!(o, "\nthreshold crossings:");
    for c in &t.crossings {
        let _ = writeln!(
            o,
            "  {:<15} {:>3.0}%  {}",
            c.series,
            c.threshold * 100.0,
            c.date.as_deref().unwrap_or("not crossed")
        );
    }
    for n in &t.notes {
        let _ = writeln!(o, "note: {n}");
    }
    emit(&o)?;
    Ok(ExitCode::SUCCESS)
}
