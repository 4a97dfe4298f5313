//! `embargo cap`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo cap`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo cap`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo cap` is not built yet")
}
