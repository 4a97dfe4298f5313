//! `embargo findings`: turn the store's events and the vessels' list matches into findings
//! (assessments with probabilities and estimative terms), written to `DIR/findings.json` and
//! the `findings` table.

use super::exit::InputError;
use super::{emit, Global};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo findings`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  embargo findings --store store/\n  embargo findings --store store/ --lists-store lists/ --min-probability 0.5\n  embargo findings --store store/ --regime regimes/my-regime.toml --registry vessels.csv --json\n\nWrites STORE/findings.json (schema in docs/schemas.md, section \"findings\") and the findings Parquet table."
)]
pub struct Args {
    /// The store directory (with an `events` table from `embargo detect`).
    #[arg(long)]
    pub store: PathBuf,
    /// The regime: `dprk` (built in) or a regime TOML file (docs/regime.md).
    #[arg(long, default_value = "dprk")]
    pub regime: String,
    /// Store holding the sanctions lists loaded with `embargo lists load`. Defaults to --store
    /// when it holds lists.
    #[arg(long)]
    pub lists_store: Option<PathBuf>,
    /// Vessel registry CSV (`mmsi` and/or `imo`, `dwt`, optional `name`, `type`, `flag`).
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// Leave out findings below this probability (0–1).
    #[arg(long, default_value_t = 0.0)]
    pub min_probability: f64,
}

/// Runs `embargo findings`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut o = String::new();
    if !args.store.is_dir() {
        return Err(
            InputError(format!("{}: no such store directory", args.store.display())).into(),
        );
    }
    if !(0.0..=1.0).contains(&args.min_probability) {
        return Err(InputError(format!(
            "--min-probability {} is not between 0 and 1",
            args.min_probability
        ))
        .into());
    }
    let regime =
        regime::Regime::by_name_or_path(&args.regime).map_err(|e| InputError(e.to_string()))?;
    let lists_store = args.lists_store.clone().or_else(|| {
        let has = lists::store::lists_dir(&args.store)
            .join(lists::store::ENTITIES_FILE)
            .is_file();
        has.then(|| args.store.clone())
    });
    let run = regime::run::findings_for_store(
        &regime,
        &args.store,
        lists_store.as_deref(),
        args.registry.as_deref(),
    )
    .map_err(|e| InputError(e.to_string()))?;
    let generated_by = format!("embargo {}", env!("CARGO_PKG_VERSION"));
    let file = regime::run::write_findings(
        &regime,
        &args.store,
        &run,
        args.min_probability,
        &generated_by,
    )?;
    if global.json {
        let _ = writeln!(o, "{}", serde_json::to_string_pretty(&file)?);
        emit(&o)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !global.quiet {
        for n in &file.notes {
            eprintln!("note: {n}");
        }
        let _ = writeln!(
            o,
            "{} findings from {} events (regime {}, min probability {:.2}); wrote {}",
            file.findings.len(),
            file.events_read,
            file.regime,
            file.min_probability,
            args.store.join("findings.json").display()
        );
        for f in &file.findings {
            let _ = writeln!(
                o,
                "\n[{:>3.0}% {}] {} ({})",
                f.probability * 100.0,
                f.estimative_term.as_str(),
                f.title,
                f.id
            );
            let _ = writeln!(o, "  {}", f.assessment);
        }
    }
    emit(&o)?;
    Ok(ExitCode::SUCCESS)
}
