//! Decoding inputs without writing a store, for `embargo decode`.

use crate::input::{self, Input};
use crate::lines::{Flow, LineReader};
use ais::{Decoded, Decoder, DecoderOptions, Feed};
use std::io;

/// Counts of a decode run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeCounts {
    /// Lines read.
    pub lines: u64,
    /// Messages decoded.
    pub messages: u64,
    /// Lines rejected (including orphan fragments).
    pub rejected: u64,
}

/// Decodes every NMEA line of `inputs` in order and calls `each(input name, message)` for every
/// decoded message. Stops at the first error from `each` or from reading, naming the input.
pub fn decode_inputs(
    inputs: &[Input],
    opts: &DecoderOptions,
    mut each: impl FnMut(&str, &Decoded) -> io::Result<()>,
) -> io::Result<DecodeCounts> {
    let mut counts = DecodeCounts::default();
    for inp in inputs {
        let name = inp.name();
        let with_name = |e: io::Error| io::Error::new(e.kind(), format!("{name}: {e}"));
        let (r, _gz) = input::open(inp).map_err(with_name)?;
        let mut dec = Decoder::new(opts.clone());
        let mut failed = None;
        LineReader::new(r)
            .for_each(|line| {
                counts.lines += 1;
                match dec.feed(line.bytes) {
                    Feed::Decoded(d) => {
                        counts.messages += 1;
                        if let Err(e) = each(&name, &d) {
                            failed = Some(e);
                            return Flow::Stop;
                        }
                    }
                    Feed::Rejected(r) => counts.rejected += 1 + r.earlier.len() as u64,
                    Feed::Pending | Feed::NotAis(_) => {}
                }
                while dec.pop_evicted().is_some() {
                    counts.rejected += 1;
                }
                Flow::Continue
            })
            .map_err(|e| io::Error::new(e.kind(), format!("{name}: line {}: {e}", counts.lines)))?;
        if let Some(e) = failed {
            return Err(e);
        }
        counts.rejected += dec.finish().len() as u64;
    }
    Ok(counts)
}
