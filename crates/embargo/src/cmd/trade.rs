//! `embargo trade`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo trade`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo trade`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo trade` is not built yet")
}
