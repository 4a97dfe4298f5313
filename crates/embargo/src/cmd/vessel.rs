//! `embargo vessel`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo vessel`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo vessel`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo vessel` is not built yet")
}
