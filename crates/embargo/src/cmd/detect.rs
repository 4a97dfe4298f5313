//! `embargo detect`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo detect`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo detect`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo detect` is not built yet")
}
