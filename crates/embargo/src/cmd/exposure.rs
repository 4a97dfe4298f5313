//! `embargo exposure`: not built yet.

use super::Global;
use std::process::ExitCode;

/// Arguments of `embargo exposure`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `embargo exposure`.
pub fn run(_args: &Args, _global: &Global) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`embargo exposure` is not built yet")
}
