//! `embargo lists`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo lists`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo lists`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo lists` is not built yet")
}
