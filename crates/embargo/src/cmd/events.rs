//! `embargo events`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo events`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo events`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo events` is not built yet")
}
