//! `embargo demo`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo demo`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo demo`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo demo` is not built yet")
}
