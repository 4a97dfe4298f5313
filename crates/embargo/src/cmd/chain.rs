//! `embargo chain`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo chain`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo chain`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo chain` is not built yet")
}
