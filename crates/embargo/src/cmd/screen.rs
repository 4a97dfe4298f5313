//! `embargo screen`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo screen`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo screen`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo screen` is not built yet")
}
