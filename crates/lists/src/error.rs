//! Errors of the list parsers: every one names the file, and where it can, the position in it.

use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Byte offset from the start of the (decompressed) file.
    Byte(u64),
    /// 1-based line number.
    Line(u64),
    /// The whole file (e.g. an empty file or a wrong count).
    File,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Byte(b) => write!(f, "byte offset {b}"),
            Position::Line(l) => write!(f, "line {l}"),
            Position::File => f.write_str("file level"),
        }
    }
}

/// A list could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not well-formed for its format.
    #[error("{}: malformed {format} at {position}: {message}", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The format being parsed, e.g. `UN consolidated XML`.
        format: &'static str,
        /// Where the problem is.
        position: Position,
        /// What is wrong.
        message: String,
    },
    /// The file parsed, but to fewer entries than a real list of that format and size has.
    #[error(
        "{}: {format} parsed to only {count} entries but a file of {bytes} bytes should hold at least {min}; \
         the file is probably truncated or not a full list",
        path.display()
    )]
    TooFewEntries {
        /// The file.
        path: PathBuf,
        /// The format.
        format: &'static str,
        /// Entries parsed.
        count: usize,
        /// Minimum expected.
        min: usize,
        /// Size of the (decompressed) input.
        bytes: u64,
    },
    /// The content matches none of the supported formats.
    #[error("{}: not a recognised sanctions list format ({hint})", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// What the start of the file looked like.
        hint: String,
    },
}

impl ListError {
    /// Shorthand for [`ListError::Malformed`].
    pub fn malformed(
        path: impl Into<PathBuf>,
        format: &'static str,
        position: Position,
        message: impl Into<String>,
    ) -> Self {
        ListError::Malformed {
            path: path.into(),
            format,
            position,
            message: message.into(),
        }
    }

    /// Shorthand for [`ListError::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ListError::Io {
            path: path.into(),
            source,
        }
    }
}
