//! `embargo simulate`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo simulate`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo simulate`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo simulate` is not built yet")
}
