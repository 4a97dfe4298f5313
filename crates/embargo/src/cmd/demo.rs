//! `embargo demo`: the whole pipeline on bundled data — the simulated DPRK scenario and the
//! committed excerpts of the real UN and OFAC lists — ending in a report.

use super::run::{pipeline, print_summary, Args as RunArgs};
use super::Global;
use anyhow::Context as _;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

/// The UN Security Council consolidated list, DPRK entries (public document; see data/lists/README.md).
const UN_EXCERPT: &[u8] = include_bytes!("../../../../data/lists/un_dprk_excerpt.xml");
/// OFAC SDN Advanced XML, DPRK-programme parties (US-government work; see data/lists/README.md).
const OFAC_EXCERPT: &[u8] = include_bytes!("../../../../data/lists/ofac_dprk_excerpt.xml");

/// Arguments of `embargo demo`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Simulates the bundled DPRK scenario (Yellow Sea and Korea Bay, with scripted ship-to-ship transfers,\n\
dark periods, spoofing and benign look-alikes), loads the bundled UN and OFAC DPRK list excerpts, and runs\n\
`embargo run` on them. Everything it needs is inside the binary.\n\n\
Example:\n  embargo demo\n  embargo demo --out /tmp/demo --seed 7 --pdf"
)]
pub struct Args {
    /// Output directory.
    #[arg(long, default_value = "out/demo")]
    pub out: PathBuf,
    /// Scenario: a bundled name (`dprk`, `small`) or a TOML file.
    #[arg(long, default_value = "dprk")]
    pub scenario: String,
    /// Simulator seed (default: the scenario's own).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Also write report.pdf with headless Chromium, when installed.
    #[arg(long)]
    pub pdf: bool,
}

/// Runs `embargo demo`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    // A demo starts clean: a stale store from an earlier run would be merged into this one.
    if args.out.join("store").exists() {
        std::fs::remove_dir_all(args.out.join("store"))
            .with_context(|| format!("clearing {}", args.out.join("store").display()))?;
    }
    let input = args.out.join("input");
    std::fs::create_dir_all(&input).with_context(|| input.display().to_string())?;
    let (scenario, base) =
        sim::load_scenario(&args.scenario).map_err(|e| super::exit::InputError(e.to_string()))?;
    let ais = input.join("ais.nmea");
    let out = BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(&ais).with_context(|| ais.display().to_string())?,
    );
    if !global.quiet && !global.json {
        eprintln!("simulating scenario '{}' ...", args.scenario);
    }
    let opts = sim::Options {
        seed: args.seed,
        format: sim::Format::Nmea,
        limit_hours: None,
    };
    let (truth, sim_summary) = sim::simulate(&scenario, base.as_deref(), &opts, out)?;
    serde_json::to_writer_pretty(
        BufWriter::new(std::fs::File::create(input.join("truth.json"))?),
        &truth,
    )?;
    let un = input.join("un_dprk_excerpt.xml");
    let ofac = input.join("ofac_dprk_excerpt.xml");
    std::fs::write(&un, UN_EXCERPT)?;
    std::fs::write(&ofac, OFAC_EXCERPT)?;
    let run_args = RunArgs {
        ais: vec![ais],
        lists: vec![un, ofac],
        registry: None,
        deliveries: None,
        regime: "dprk".into(),
        out: args.out.clone(),
        zones: vec![],
        year: None,
        min_probability: 0.5,
        pdf: args.pdf,
        reingest: false,
    };
    let sources = vec![format!(
        "AIS: simulated scenario '{}' (seed {}): {} ships, {} messages; ground truth in {}",
        args.scenario,
        truth.seed,
        sim_summary.ships,
        sim_summary.messages,
        input.join("truth.json").display()
    )];
    let summary = pipeline(&run_args, global, &sources)?;
    print_summary(&summary, global)?;
    Ok(ExitCode::SUCCESS)
}
