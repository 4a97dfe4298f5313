//! `embargo run`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo run`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo run`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo run` is not built yet")
}
