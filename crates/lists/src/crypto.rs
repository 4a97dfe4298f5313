//! WIP
use crate::error::{ListError, Position};
use crate::ParseOutput;
use std::io::BufRead;
use std::path::Path;
pub(crate) fn parse<R: BufRead>(_input: R, path: &Path) -> Result<ParseOutput, ListError> {
    Err(ListError::malformed(
        path,
        "wip",
        Position::File,
        "not built yet",
    ))
}
