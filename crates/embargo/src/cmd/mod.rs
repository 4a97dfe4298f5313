//! Subcommands. Each module has an `Args` struct (clap) and a `run` function.

pub mod cap;
pub mod chain;
pub mod decode;
pub mod demo;
pub mod detect;
pub mod events;
pub mod exit;
pub mod exposure;
pub mod findings;
pub mod ingest;
pub mod lists;
pub mod run;
pub mod screen;
pub mod segment;
pub mod simulate;
pub mod trace;
pub mod track;
pub mod trade;
pub mod vessel;

use std::io::{IsTerminal, Write as _};

/// Writes command output to stdout; a closed pipe (`| head`) ends output quietly.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Options every subcommand takes.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print nothing but errors and requested output.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

impl Global {
    /// True when progress bars should be drawn: stderr is a terminal and output is for humans.
    pub fn show_progress(&self) -> bool {
        !self.quiet && !self.json && std::io::stderr().is_terminal()
    }
}
