//! `embargo ingest`: AIS files into the Parquet store, with full line accounting.

use super::Global;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Arguments of `embargo ingest`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Input formats are detected by content: NMEA (any talker, tag blocks, $PGHP, trailing epoch \
columns), gzip, NOAA MarineCadastre CSV, Danish Maritime Authority CSV. Every line is counted once: decoded, \
rejected (with reason) or not AIS. Ingesting again into the same store appends.\n\nExample:\n  \
embargo ingest ../shared/data/ais/raw-nmea --store store --rejects rejects.tsv\n  \
zcat feed.gz | embargo ingest - --store store --json"
)]
pub struct Args {
    /// Input files, directories (read recursively) or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Store directory (created if missing; new Parquet parts are added to existing ones).
    #[arg(long)]
    pub store: PathBuf,
    /// Write every rejected line here: file, line number, reason and the line verbatim, tab-separated.
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Decode sentences whose NMEA checksum is wrong or missing (forensic use; counted as decoded).
    #[arg(long)]
    pub accept_bad_checksum: bool,
}

/// Runs `embargo ingest`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let mut exclude = vec![args.store.as_path()];
    exclude.extend(args.rejects.as_deref());
    let inputs = ingest::input::expand_excluding(&args.inputs, &exclude)
        .map_err(|e| super::exit::InputError(e.to_string()))?;
    let progress = Arc::new(AtomicU64::new(0));
    let opts = ingest::IngestOptions {
        accept_bad_checksum: args.accept_bad_checksum,
        rejects: args.rejects.clone(),
        progress: Some(progress.clone()),
        ..ingest::IngestOptions::default()
    };
    let done = Arc::new(AtomicBool::new(false));
    let bar_thread = global.show_progress().then(|| {
        let total = ingest::total_bytes(&inputs);
        let (progress, done) = (progress.clone(), done.clone());
        std::thread::spawn(move || {
            // stdin has no known size: a spinner with the bytes read instead of a bar.
            let (bar, template) = if total > 0 {
                (
                    indicatif::ProgressBar::new(total),
                    "{spinner} ingest [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
                )
            } else {
                (
                    indicatif::ProgressBar::new_spinner(),
                    "{spinner} ingest [{elapsed_precise}] {bytes} ({bytes_per_sec})",
                )
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            while !done.load(Ordering::Relaxed) {
                bar.set_position(progress.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        })
    });
    let result = ingest::ingest_inputs(&inputs, &args.store, &opts);
    done.store(true, Ordering::Relaxed);
    if let Some(t) = bar_thread {
        let _ = t.join();
    }
    let summary = match result {
        Ok(s) => s,
        Err(e @ ingest::IngestError::Input { .. }) | Err(e @ ingest::IngestError::NoInputs(_)) => {
            return Err(super::exit::InputError(e.to_string()).into())
        }
        Err(e) => return Err(e.into()),
    };
    let text = if global.json {
        Some(serde_json::to_string_pretty(&summary)? + "\n")
    } else if !global.quiet {
        Some(format!(
            "{}  store     {}\n",
            summary.to_text(),
            args.store.display()
        ))
    } else {
        None
    };
    if let Some(text) = text {
        // The store is written by now; a closed pipe only ends the printing.
        super::emit(&text)?;
    }
    if !summary.balanced {
        anyhow::bail!("line accounting does not balance (a bug): see the summary");
    }
    if !summary.errors.is_empty() {
        for e in &summary.errors {
            eprintln!("embargo: input error: {e}");
        }
        return Ok(ExitCode::from(super::exit::INPUT_ERROR));
    }
    Ok(ExitCode::SUCCESS)
}
