//! A line reader that hands out slices of its buffer (no copy for lines that fit), with a
//! bound on line length so that a binary or newline-free input cannot exhaust memory.

use std::io::{self, BufRead};

/// Longest line kept whole. A longer line is cut to this many bytes and flagged, so it can be
/// rejected (no AIS sentence or CSV row comes near this).
pub const MAX_LINE: usize = 64 * 1024;

/// Reads physical lines from a [`BufRead`]: the last line counts even without a final newline,
/// and the `\n` is not included (a `\r` before it is left for the consumer to trim).
pub struct LineReader<R> {
    inner: R,
    scratch: Vec<u8>,
    /// Bytes consumed so far (for progress and chunk limits).
    pub bytes: u64,
}

/// One line handed to the callback of [`LineReader::for_each`].
pub struct Line<'a> {
    /// The line's bytes (at most [`MAX_LINE`]), without the `\n`.
    pub bytes: &'a [u8],
    /// True when the line was longer than [`MAX_LINE`] and was cut.
    pub truncated: bool,
}

/// Whether to keep reading after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep reading.
    Continue,
    /// Stop after this line.
    Stop,
}

impl<R: BufRead> LineReader<R> {
    /// Wraps a buffered reader.
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            scratch: Vec::new(),
            bytes: 0,
        }
    }

    /// Calls `f` for every line until the input ends or `f` returns [`Flow::Stop`].
    pub fn for_each(&mut self, mut f: impl FnMut(Line<'_>) -> Flow) -> io::Result<()> {
        let mut truncated = false;
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                if !self.scratch.is_empty() || truncated {
                    f(Line {
                        bytes: &self.scratch,
                        truncated,
                    });
                    self.scratch.clear();
                }
                return Ok(());
            }
            let len = buf.len();
            let mut pos = 0;
            let mut stop = false;
            while pos < len {
                match memchr::memchr(b'\n', &buf[pos..]) {
                    Some(i) => {
                        let end = pos + i;
                        let flow = if self.scratch.is_empty() && !truncated {
                            f(Line {
                                bytes: &buf[pos..end],
                                truncated: false,
                            })
                        } else {
                            let room = MAX_LINE.saturating_sub(self.scratch.len());
                            let take = (end - pos).min(room);
                            truncated |= take < end - pos;
                            self.scratch.extend_from_slice(&buf[pos..pos + take]);
                            let flow = f(Line {
                                bytes: &self.scratch,
                                truncated,
                            });
                            self.scratch.clear();
                            truncated = false;
                            flow
                        };
                        pos = end + 1;
                        if flow == Flow::Stop {
                            stop = true;
                            break;
                        }
                    }
                    None => {
                        let room = MAX_LINE.saturating_sub(self.scratch.len());
                        let take = (len - pos).min(room);
                        truncated |= take < len - pos;
                        self.scratch.extend_from_slice(&buf[pos..pos + take]);
                        pos = len;
                    }
                }
            }
            self.inner.consume(pos);
            self.bytes += pos as u64;
            if stop {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], cap: usize) -> Vec<(Vec<u8>, bool)> {
        let mut out = Vec::new();
        let r = io::BufReader::with_capacity(cap, input);
        LineReader::new(r)
            .for_each(|l| {
                out.push((l.bytes.to_vec(), l.truncated));
                Flow::Continue
            })
            .unwrap();
        out
    }

    #[test]
    fn splits_across_small_buffers() {
        for cap in [1, 2, 3, 7, 64] {
            let got = lines(b"ab\n\ncdef\r\ng", cap);
            let want: Vec<(Vec<u8>, bool)> = vec![
                (b"ab".to_vec(), false),
                (b"".to_vec(), false),
                (b"cdef\r".to_vec(), false),
                (b"g".to_vec(), false),
            ];
            assert_eq!(got, want, "cap {cap}");
        }
        assert_eq!(lines(b"x\n", 4).len(), 1);
        assert!(lines(b"", 4).is_empty());
    }

    #[test]
    fn caps_long_lines() {
        let mut input = vec![b'a'; MAX_LINE + 10];
        input.extend_from_slice(b"\nok\n");
        let got = lines(&input, 4096);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0.len(), MAX_LINE);
        assert!(got[0].1);
        assert_eq!(got[1], (b"ok".to_vec(), false));
    }
}
