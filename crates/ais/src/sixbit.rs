//! Six-bit armouring (NMEA payload characters) and a fixed-size bit buffer.
//!
//! The buffer holds up to [`MAX_BITS`] bits in `u64` words, most significant bit first, so that a
//! field of up to 64 bits is read with at most two word loads and shifts. Nothing here allocates.

use serde::{Serialize, Serializer};

/// Largest payload, in bits, that one message may carry (5 slots of 1008 payload bits, rounded up
/// to whole words). Anything longer cannot be a valid AIS message.
pub const MAX_BITS: usize = 1024;
const WORDS: usize = MAX_BITS / 64;

/// Marker in [`DEARMOR`] for a byte that is not a payload character.
pub(crate) const INVALID: u8 = 0xFF;

/// Payload character → 6-bit value, or [`INVALID`].
pub(crate) static DEARMOR: [u8; 256] = build_dearmor();

const fn build_dearmor() -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut c = 0x30usize;
    while c <= 0x77 {
        if c < 0x58 || c > 0x5f {
            let mut v = c - 48;
            if v > 40 {
                v -= 8;
            }
            table[c] = v as u8;
        }
        c += 1;
    }
    table
}

/// 6-bit value (0–63) → payload character.
#[inline]
pub fn armor(value: u8) -> u8 {
    let v = value & 0x3f;
    if v < 40 {
        v + 48
    } else {
        v + 56
    }
}

/// 6-bit value → AIS text character (ITU-R M.1371 table 47: `@`, `A`–`Z`, `[\]^_`, space, `!`–`?`).
#[inline]
pub(crate) fn text_char(value: u8) -> u8 {
    let v = value & 0x3f;
    if v < 32 {
        v + 64
    } else {
        v
    }
}

/// AIS text character → 6-bit value; characters outside the AIS set become `?`... except lower
/// case, which is folded to upper case first.
#[inline]
pub(crate) fn text_value(c: u8) -> u8 {
    let c = c.to_ascii_uppercase();
    match c {
        64..=95 => c - 64,
        32..=63 => c,
        _ => b'?',
    }
}

/// A message payload as bits: up to [`MAX_BITS`], stored inline.
#[derive(Clone)]
pub struct Bits {
    words: [u64; WORDS],
    len: usize,
}

impl Default for Bits {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bits({} bits, {:?})", self.len, self.to_armored().0)
    }
}

impl PartialEq for Bits {
    /// Equal when the first `len` bits are; fill bits past the end are ignored.
    fn eq(&self, other: &Self) -> bool {
        if self.len != other.len {
            return false;
        }
        let full = self.len / 64;
        if self.words[..full] != other.words[..full] {
            return false;
        }
        let rest = self.len % 64;
        rest == 0 || (self.words[full] ^ other.words[full]) >> (64 - rest) == 0
    }
}

impl Eq for Bits {}

impl Serialize for Bits {
    /// Serialised as the armoured payload string (fill bits are implied by `bit_len`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_armored().0)
    }
}

impl Bits {
    /// An empty buffer.
    pub const fn new() -> Self {
        Self {
            words: [0; WORDS],
            len: 0,
        }
    }

    /// Number of valid bits.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no bits are held.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Empties the buffer.
    #[inline]
    pub fn clear(&mut self) {
        let used = self.len.div_ceil(64).min(WORDS);
        self.words[..used].fill(0);
        self.len = 0;
    }

    /// Appends the 6-bit values of armoured payload characters. Returns `false` (leaving the buffer
    /// in an unspecified but safe state) on a character outside the payload alphabet or when the
    /// payload would exceed [`MAX_BITS`].
    #[inline]
    pub fn push_armored(&mut self, payload: &[u8]) -> bool {
        if payload.is_empty() {
            return true;
        }
        if self.len + payload.len() * 6 > MAX_BITS {
            return false;
        }
        // Accumulate in a register and store whole words: the common 28-character payload is
        // three stores instead of 28 read-modify-writes.
        let mut idx = self.len / 64;
        let mut acc: u64 = self.words[idx];
        let mut used = (self.len % 64) as u32; // bits of `acc` already filled
        let mut bad: u8 = 0;
        for &c in payload {
            let v = DEARMOR[c as usize];
            bad |= v & 0x80;
            let v = (v & 0x3f) as u64;
            if used <= 58 {
                acc |= v << (58 - used);
                used += 6;
                if used == 64 {
                    self.words[idx] = acc;
                    idx += 1;
                    acc = 0;
                    used = 0;
                }
            } else {
                let spill = used + 6 - 64;
                acc |= v >> spill;
                self.words[idx] = acc;
                idx += 1;
                acc = v << (64 - spill);
                used = spill;
            }
        }
        if used > 0 && idx < WORDS {
            self.words[idx] = acc;
        }
        self.len += payload.len() * 6;
        bad == 0
    }

    /// Removes `n` bits from the end (NMEA fill bits).
    #[inline]
    pub fn truncate_by(&mut self, n: usize) {
        self.len = self.len.saturating_sub(n);
    }

    /// Appends the low `n` bits of `value` (n ≤ 64). Bits past [`MAX_BITS`] are dropped.
    pub fn push(&mut self, value: u64, n: usize) {
        if n == 0 {
            return;
        }
        let value = if n == 64 {
            value
        } else {
            value & ((1u64 << n) - 1)
        };
        let mut remaining = n;
        while remaining > 0 {
            if self.len >= MAX_BITS {
                return;
            }
            let idx = self.len / 64;
            let off = self.len % 64;
            let room = 64 - off;
            let take = remaining.min(room);
            let chunk = (value >> (remaining - take)) & mask(take);
            self.words[idx] |= chunk << (room - take);
            self.len += take;
            remaining -= take;
        }
    }

    /// Reads `n` bits (1–64) starting at bit `start` as an unsigned integer. Bits past the end of
    /// the buffer read as zero.
    #[inline]
    pub fn get(&self, start: usize, n: usize) -> u64 {
        debug_assert!(n > 0 && n <= 64);
        let idx = start / 64;
        let off = start % 64;
        let hi = self.words.get(idx).copied().unwrap_or(0) << off;
        if off + n <= 64 {
            hi >> (64 - n)
        } else {
            let lo = self.words.get(idx + 1).copied().unwrap_or(0) >> (64 - off);
            (hi | lo) >> (64 - n)
        }
    }

    /// Reads `n` bits as a two's-complement signed integer.
    #[inline]
    pub fn get_signed(&self, start: usize, n: usize) -> i64 {
        let raw = self.get(start, n);
        let shift = 64 - n as u32;
        ((raw << shift) as i64) >> shift
    }

    /// Reads a single bit as a boolean.
    #[inline]
    pub fn get_bool(&self, start: usize) -> bool {
        self.get(start, 1) == 1
    }

    /// Reads up to `chars` 6-bit text characters, stopping at the first `@` (padding), trimmed of
    /// trailing spaces.
    pub fn get_text<const N: usize>(&self, start: usize, chars: usize) -> crate::text::AisText<N> {
        let mut out = crate::text::AisText::<N>::new();
        self.append_text(&mut out, start, chars);
        out.trim_padding();
        out
    }

    /// Appends up to `chars` text characters to `out` without trimming; returns false when it
    /// stopped at an `@` (the text ended) or at the end of the bits.
    pub(crate) fn append_text<const N: usize>(
        &self,
        out: &mut crate::text::AisText<N>,
        start: usize,
        chars: usize,
    ) -> bool {
        for i in 0..chars {
            let pos = start + i * 6;
            if pos + 6 > self.len {
                return false;
            }
            let c = text_char(self.get(pos, 6) as u8);
            // `@` is the "no character" padding: text ends at the first one (as in gpsd).
            if c == b'@' {
                return false;
            }
            out.push_byte(c);
        }
        true
    }

    /// Appends text as 6-bit characters, padded with `@` to `chars` characters.
    pub fn push_text(&mut self, text: &str, chars: usize) {
        let bytes = text.as_bytes();
        for i in 0..chars {
            let v = bytes.get(i).map(|&c| text_value(c)).unwrap_or(0);
            self.push(v as u64, 6);
        }
    }

    /// The payload as armoured characters plus the number of fill bits (0–5).
    pub fn to_armored(&self) -> (String, u8) {
        let chars = self.len.div_ceil(6);
        let fill = (chars * 6 - self.len) as u8;
        let mut s = String::with_capacity(chars);
        for i in 0..chars {
            s.push(armor(self.get(i * 6, 6) as u8) as char);
        }
        (s, fill)
    }
}

#[inline]
fn mask(n: usize) -> u64 {
    if n >= 64 {
        u64::MAX
    } else {
        (1u64 << n) - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dearmor_matches_armor_for_all_values() {
        for v in 0..64u8 {
            assert_eq!(DEARMOR[armor(v) as usize], v);
        }
        assert_eq!(DEARMOR[b'X' as usize], INVALID);
        assert_eq!(DEARMOR[b'0' as usize], 0);
        assert_eq!(DEARMOR[b'w' as usize], 63);
    }

    #[test]
    fn push_and_get_cross_word_boundaries() {
        let mut b = Bits::new();
        b.push(0b101, 3);
        b.push(0x1234_5678_9abc, 61);
        b.push(0x3ff, 10);
        assert_eq!(b.len(), 74);
        assert_eq!(b.get(0, 3), 0b101);
        assert_eq!(b.get(3, 61), 0x1234_5678_9abc);
        assert_eq!(b.get(64, 10), 0x3ff);
        assert_eq!(b.get_signed(64, 10), -1);
    }

    #[test]
    fn armored_round_trip() {
        let mut b = Bits::new();
        assert!(b.push_armored(b"15RTgt0PAso;90TKcjM8h6g208CQ"));
        assert_eq!(b.len(), 168);
        assert_eq!(
            b.to_armored(),
            ("15RTgt0PAso;90TKcjM8h6g208CQ".to_string(), 0)
        );
        assert!(!Bits::new().push_armored(b"15RX"));
    }
}
