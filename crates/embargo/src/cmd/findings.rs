//! `embargo findings`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo findings`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo findings`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo findings` is not built yet")
}
