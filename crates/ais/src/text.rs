//! Fixed-capacity ASCII strings, so that decoded messages need no heap allocation.

use serde::{Serialize, Serializer};

/// An ASCII string of at most `N` bytes stored inline (names, call signs, destinations, stations).
///
/// Decoded AIS text is trimmed of trailing `@` padding and spaces; an all-padding field decodes to
/// an empty text, which the message structs expose as `None`.
#[derive(Clone, Copy)]
pub struct AisText<const N: usize> {
    len: u8,
    buf: [u8; N],
}

impl<const N: usize> Default for AisText<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> AisText<N> {
    /// An empty text.
    pub const fn new() -> Self {
        Self {
            len: 0,
            buf: [0; N],
        }
    }

    /// Copies `s`, keeping at most `N` bytes and replacing non-ASCII bytes by `?`.
    pub fn from_str_truncated(s: &str) -> Self {
        let mut t = Self::new();
        for &b in s.as_bytes().iter().take(N) {
            t.push_byte(b);
        }
        t
    }

    /// Appends one byte (non-ASCII becomes `?`); ignored when full.
    #[inline]
    pub(crate) fn push_byte(&mut self, b: u8) {
        let b = if b.is_ascii() { b } else { b'?' };
        if (self.len as usize) < N {
            self.buf[self.len as usize] = b;
            self.len += 1;
        }
    }

    /// Removes trailing `@` and spaces (AIS padding).
    pub(crate) fn trim_padding(&mut self) {
        while self.len > 0 && matches!(self.buf[self.len as usize - 1], b'@' | b' ') {
            self.len -= 1;
        }
    }

    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored, so this cannot fail; fall back to "" rather than panic.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `None` for an empty text, else `Some(self)`.
    pub fn non_empty(self) -> Option<Self> {
        if self.is_empty() {
            None
        } else {
            Some(self)
        }
    }
}

impl<const N: usize> std::ops::Deref for AisText<N> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl<const N: usize> std::fmt::Debug for AisText<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> std::fmt::Display for AisText<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> Serialize for AisText<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<const N: usize> PartialEq for AisText<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl<const N: usize> Eq for AisText<N> {}

impl<const N: usize> std::hash::Hash for AisText<N> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl<const N: usize> PartialEq<str> for AisText<N> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl<const N: usize> PartialEq<&str> for AisText<N> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
