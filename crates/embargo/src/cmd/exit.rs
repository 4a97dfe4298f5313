//! Exit codes, so scripts can tell outcomes apart.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (and, for `screen`, no match at or above the threshold) |
//! | 1 | success, and something was found that needs review (`screen` matches, `trade check` violations) |
//! | 2 | usage error (bad flags or arguments; clap's own code) |
//! | 3 | input error: a file is missing, unreadable or malformed |
//! | 4 | any other failure |

use std::process::ExitCode;

/// Success.
pub const OK: u8 = 0;
/// Success, with hits that need review.
pub const FOUND: u8 = 1;
/// Bad input data.
pub const INPUT_ERROR: u8 = 3;
/// Other failure.
pub const FAILURE: u8 = 4;

/// Marks an error as caused by bad or missing input, so the process exits with [`INPUT_ERROR`].
#[derive(Debug)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// The exit code for an error that ended a command.
pub fn failure_code(e: &anyhow::Error) -> ExitCode {
    let is_input = e
        .chain()
        .any(|c| c.is::<InputError>() || c.is::<std::io::Error>());
    ExitCode::from(if is_input { INPUT_ERROR } else { FAILURE })
}
