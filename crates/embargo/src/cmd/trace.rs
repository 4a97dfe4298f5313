//! `embargo trace`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo trace`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo trace`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo trace` is not built yet")
}
