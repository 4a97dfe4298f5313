//! `embargo exposure`: how much of an address's funds is linked to sanctioned, stolen, mixer and
//! bridge sources (or destinations), directly and indirectly.

use super::exit::{InputError, FOUND, OK};
use super::Global;
use chain::exposure::{exposure, Direction, Severity};
use chain::trace::{Model, TraceConfig};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo exposure`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  embargo exposure 0x17a9...98ca --store data/store --labels ofac.csv --labels dprk_incident_seed_addresses.csv
  embargo exposure 0x098b716b8aaf21512996dc57eb0615e2383e2f96 --direction out --store data/store --json

Direction `in` (default) attributes what the address received to its sources, proportionally,
hop by hop backwards; `out` traces forwards from it with --model. Severity follows TRM's scale
(Severe/High/Medium/Low). Exit code 1 when any exposure is High or Severe.")]
pub struct Args {
    /// Address to assess.
    pub address: String,
    /// Store directory written by `embargo chain load`.
    #[arg(long)]
    pub store: PathBuf,
    /// in (sources of its funds) or out (destinations).
    #[arg(long, default_value = "in")]
    pub direction: String,
    /// Taint model for direction out.
    #[arg(long, default_value = "haircut")]
    pub model: String,
    /// Maximum hops.
    #[arg(long, default_value_t = 6)]
    pub max_hops: u32,
    /// Label files; repeatable.
    #[arg(long)]
    pub labels: Vec<PathBuf>,
}

/// Runs `embargo exposure`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let direction = match args.direction.as_str() {
        "in" => Direction::In,
        "out" => Direction::Out,
        d => return Err(InputError(format!("--direction must be in or out, not {d:?}")).into()),
    };
    let model = Model::parse(&args.model)
        .ok_or_else(|| InputError(format!("unknown model {:?}", args.model)))?;
    let mut s = chain::session::Session::open(&args.store, &args.labels)
        .map_err(|e| InputError(e.to_string()))?;
    super::trace::add_list_labels(&mut s, &args.store);
    let ids = s.resolve(&args.address);
    if ids.is_empty() {
        return Err(InputError(format!("{} does not occur in the store", args.address)).into());
    }
    let cfg = TraceConfig {
        model,
        max_hops: args.max_hops,
        ..Default::default()
    };
    let e = exposure(&s.tracer(), &ids, direction, &cfg);
    if global.json {
        println!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        let own: Vec<String> = s
            .labels
            .lookup(&e.subject[0])
            .iter()
            .map(|l| format!("{} ({})", l.label, l.category.name()))
            .collect();
        println!(
            "{} {}  direction {:?}  severity {:?}",
            e.subject.join(","),
            own.join("; "),
            e.direction,
            e.severity
        );
        for r in &e.rows {
            println!(
                "  {:<10} {:<6} direct {} indirect {} share {:.4} min hops {} severity {:?} score {:.2}  via {}",
                r.category,
                r.asset,
                r.direct.to_decimal_string(r.decimals),
                r.indirect.to_decimal_string(r.decimals),
                r.share,
                r.min_hops,
                r.severity,
                r.score,
                r.counterparties.iter().take(3).cloned().collect::<Vec<_>>().join(",")
            );
        }
        if e.rows.is_empty() {
            println!("  no labelled counterparties within {} hops", args.max_hops);
        }
    }
    Ok(ExitCode::from(if e.severity >= Severity::High {
        FOUND
    } else {
        OK
    }))
}
