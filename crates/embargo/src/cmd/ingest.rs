//! `embargo ingest`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo ingest`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo ingest`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo ingest` is not built yet")
}
