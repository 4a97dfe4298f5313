//! `embargo track`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo track`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo track`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo track` is not built yet")
}
