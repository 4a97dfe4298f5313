//! Line numbers for CSV records. The csv crate miscounts lines in CRLF files (OFAC's), so
//! newline offsets are recorded as bytes stream past and a record's byte offset is turned into
//! its 1-based line. Only offsets not yet passed are kept, so memory stays bounded.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

/// A reader that records the offsets of the `\n` bytes it passes on.
pub(crate) struct NewlineCounting<R> {
    inner: R,
    offset: u64,
    newlines: Rc<RefCell<VecDeque<u64>>>,
}

/// Turns byte offsets (in increasing order) into line numbers.
pub(crate) struct Lines {
    newlines: Rc<RefCell<VecDeque<u64>>>,
    passed: u64,
}

/// Wraps `inner`; the [`Lines`] answers for offsets of the wrapped stream.
pub(crate) fn counting<R: Read>(inner: R) -> (NewlineCounting<R>, Lines) {
    let newlines = Rc::new(RefCell::new(VecDeque::new()));
    (
        NewlineCounting {
            inner,
            offset: 0,
            newlines: Rc::clone(&newlines),
        },
        Lines {
            newlines,
            passed: 0,
        },
    )
}

impl<R: Read> Read for NewlineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut q = self.newlines.borrow_mut();
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' {
                q.push_back(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl Lines {
    /// The 1-based line holding byte `offset`; offsets must not decrease between calls.
    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        let mut q = self.newlines.borrow_mut();
        // `<=`: with CRLF endings the csv crate reports a record as starting on the previous `\n`.
        while q.front().is_some_and(|&nl| nl <= offset) {
            q.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}
