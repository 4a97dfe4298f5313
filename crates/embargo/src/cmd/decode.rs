//! `embargo decode`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo decode`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo decode`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo decode` is not built yet")
}
