//! `embargo segment`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo segment`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo segment`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo segment` is not built yet")
}
