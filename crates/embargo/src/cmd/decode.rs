//! `embargo decode`: print one JSON object per decoded AIS message, like `gpsdecode`.

use super::Global;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo decode`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  embargo decode ../shared/data/ais/raw-nmea/gpsd-sample.aivdm | head\n  zcat feed.nmea.gz | embargo decode -"
)]
pub struct Args {
    /// NMEA files (plain or gzip), directories, or `-` for stdin.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Decode sentences whose NMEA checksum is wrong or missing (forensic use).
    #[arg(long)]
    pub accept_bad_checksum: bool,
}

/// One output object: the message's own fields, then reception metadata.
#[derive(serde::Serialize)]
struct Out<'a> {
    #[serde(flatten)]
    message: &'a ais::Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    station: Option<&'a str>,
    talker: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<char>,
    lines: u8,
    /// File and line of the message's first line.
    source: &'a str,
    line: u64,
}

/// Runs `embargo decode`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    let inputs =
        ingest::input::expand(&args.inputs).map_err(|e| super::exit::InputError(e.to_string()))?;
    let opts = ais::DecoderOptions {
        accept_bad_checksum: args.accept_bad_checksum,
        ..ais::DecoderOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let counts = ingest::decode::decode_inputs(&inputs, &opts, |name, d| {
        let o = Out {
            message: &d.message,
            time_ms: d.meta.time_ms,
            station: d.meta.station.as_ref().map(|s| s.as_str()),
            talker: d.meta.talker.as_str(),
            channel: d.meta.channel,
            lines: d.meta.lines,
            source: name,
            line: d.meta.line_no,
        };
        serde_json::to_writer(&mut out, &o).map_err(|e| match e.io_error_kind() {
            Some(kind) => std::io::Error::new(kind, e),
            None => std::io::Error::other(e),
        })?;
        out.write_all(b"\n")
    });
    let counts = match counts {
        Ok(c) => c,
        // A closed pipe (`| head`) ends the output normally.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(anyhow::Error::new(e).context("decode")),
    };
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        r => r.context("writing stdout")?,
    }
    if !global.quiet {
        eprintln!(
            "{} lines, {} messages decoded, {} lines rejected",
            counts.lines, counts.messages, counts.rejected
        );
    }
    Ok(ExitCode::SUCCESS)
}
