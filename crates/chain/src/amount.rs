//! Exact 256-bit unsigned amounts (wei, token base units, satoshi).
//!
//! Amounts never pass through floats: ERC-20 values are arbitrary 256-bit integers and a rounding
//! error would make taint non-conserving. The type is small and hand-written (four `u64` limbs)
//! to keep compile time low; it supports what tracing needs: parse/print decimal, add, subtract,
//! compare and `mul_div` (value × numerator / denominator with a 512-bit intermediate).

use std::cmp::Ordering;
use std::fmt;

/// A 256-bit unsigned integer, little-endian limbs.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Amount(pub [u64; 4]);

/// Why a decimal or hex amount string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Empty string.
    #[error("empty amount")]
    Empty,
    /// A character that is not a digit.
    #[error("not a non-negative integer: {0:?}")]
    NotInteger(String),
    /// More than 256 bits.
    #[error("amount exceeds 256 bits: {0:?}")]
    Overflow(String),
}

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount([0; 4]);
    /// The largest value.
    pub const MAX: Amount = Amount([u64::MAX; 4]);

    /// From a `u64`.
    pub const fn from_u64(v: u64) -> Self {
        Amount([v, 0, 0, 0])
    }

    /// From a `u128`.
    pub const fn from_u128(v: u128) -> Self {
        Amount([v as u64, (v >> 64) as u64, 0, 0])
    }

    /// The value as `u128` if it fits.
    pub fn to_u128(self) -> Option<u128> {
        if self.0[2] == 0 && self.0[3] == 0 {
            Some(self.0[0] as u128 | ((self.0[1] as u128) << 64))
        } else {
            None
        }
    }

    /// The value as `u64` if it fits.
    pub fn to_u64(self) -> Option<u64> {
        if self.0[1] == 0 && self.0[2] == 0 && self.0[3] == 0 {
            Some(self.0[0])
        } else {
            None
        }
    }

    /// True when zero.
    pub fn is_zero(self) -> bool {
        self.0 == [0; 4]
    }

    /// Parses a decimal string (ethereum-etl style) or a `0x` hex string (JSON-RPC style).
    pub fn parse(s: &str) -> Result<Self, AmountError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(AmountError::Empty);
        }
        if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            return Self::parse_hex(hex).ok_or_else(|| {
                if hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    AmountError::Overflow(s.to_string())
                } else {
                    AmountError::NotInteger(s.to_string())
                }
            });
        }
        let mut acc = Amount::ZERO;
        for c in s.bytes() {
            if !c.is_ascii_digit() {
                return Err(AmountError::NotInteger(s.to_string()));
            }
            acc = acc
                .checked_mul_small(10)
                .and_then(|a| a.checked_add(Amount::from_u64((c - b'0') as u64)))
                .ok_or_else(|| AmountError::Overflow(s.to_string()))?;
        }
        Ok(acc)
    }

    /// Parses hex digits without prefix; `None` on a bad digit or more than 64 digits.
    pub fn parse_hex(hex: &str) -> Option<Self> {
        let hex = hex.trim_start_matches('0');
        if hex.len() > 64 {
            return None;
        }
        let mut limbs = [0u64; 4];
        for (i, c) in hex.bytes().rev().enumerate() {
            let d = (c as char).to_digit(16)? as u64;
            limbs[i / 16] |= d << ((i % 16) * 4);
        }
        Some(Amount(limbs))
    }

    /// Addition, `None` on overflow.
    pub fn checked_add(self, o: Amount) -> Option<Amount> {
        let mut r = [0u64; 4];
        let mut carry = false;
        for (i, slot) in r.iter_mut().enumerate() {
            let (s1, c1) = self.0[i].overflowing_add(o.0[i]);
            let (s2, c2) = s1.overflowing_add(carry as u64);
            *slot = s2;
            carry = c1 || c2;
        }
        (!carry).then_some(Amount(r))
    }

    /// Addition that stops at [`Amount::MAX`].
    pub fn saturating_add(self, o: Amount) -> Amount {
        self.checked_add(o).unwrap_or(Amount::MAX)
    }

    /// Subtraction that stops at zero.
    pub fn saturating_sub(self, o: Amount) -> Amount {
        if self <= o {
            return Amount::ZERO;
        }
        let mut r = [0u64; 4];
        let mut borrow = false;
        for (i, slot) in r.iter_mut().enumerate() {
            let (d1, b1) = self.0[i].overflowing_sub(o.0[i]);
            let (d2, b2) = d1.overflowing_sub(borrow as u64);
            *slot = d2;
            borrow = b1 || b2;
        }
        Amount(r)
    }

    /// The smaller of two.
    pub fn min(self, o: Amount) -> Amount {
        if self <= o {
            self
        } else {
            o
        }
    }

    fn checked_mul_small(self, m: u64) -> Option<Amount> {
        let mut r = [0u64; 4];
        let mut carry: u128 = 0;
        for (i, slot) in r.iter_mut().enumerate() {
            let p = self.0[i] as u128 * m as u128 + carry;
            *slot = p as u64;
            carry = p >> 64;
        }
        (carry == 0).then_some(Amount(r))
    }

    /// `self × num / den`, rounded down, exact with a 512-bit intermediate; `None` when `den` is zero
    /// or the result exceeds 256 bits. Used for haircut shares: output value × tainted / total.
    pub fn mul_div(self, num: Amount, den: Amount) -> Option<Amount> {
        if den.is_zero() {
            return None;
        }
        if let (Some(a), Some(b), Some(d)) = (self.to_u64(), num.to_u64(), den.to_u128()) {
            return Some(Amount::from_u128((a as u128 * b as u128) / d));
        }
        // Schoolbook 256×256 → 512, then shift-subtract division.
        let mut prod = [0u64; 8];
        for i in 0..4 {
            let mut carry: u128 = 0;
            for j in 0..4 {
                let cur = prod[i + j] as u128 + self.0[i] as u128 * num.0[j] as u128 + carry;
                prod[i + j] = cur as u64;
                carry = cur >> 64;
            }
            prod[i + 4] = carry as u64;
        }
        let mut rem = [0u64; 5]; // 320 bits so a shifted 256-bit remainder never overflows
        let mut quot = [0u64; 8];
        let den5 = [den.0[0], den.0[1], den.0[2], den.0[3], 0];
        for bit in (0..512).rev() {
            // rem = rem << 1 | bit
            for k in (1..5).rev() {
                rem[k] = (rem[k] << 1) | (rem[k - 1] >> 63);
            }
            rem[0] = (rem[0] << 1) | ((prod[bit / 64] >> (bit % 64)) & 1);
            if cmp5(&rem, &den5) != Ordering::Less {
                sub5(&mut rem, &den5);
                quot[bit / 64] |= 1 << (bit % 64);
            }
        }
        if quot[4..].iter().any(|&l| l != 0) {
            return None;
        }
        Some(Amount([quot[0], quot[1], quot[2], quot[3]]))
    }

    /// Approximate value as `f64`, only for display of shares and ratios (never for accounting).
    pub fn to_f64_lossy(self) -> f64 {
        let mut v = 0.0;
        for l in self.0.iter().rev() {
            v = v * 18446744073709551616.0 + *l as f64;
        }
        v
    }

    /// Big-endian bytes (32).
    pub fn to_be_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for i in 0..4 {
            out[i * 8..i * 8 + 8].copy_from_slice(&self.0[3 - i].to_be_bytes());
        }
        out
    }

    /// From big-endian bytes (up to 32; shorter slices are left-padded).
    pub fn from_be_slice(b: &[u8]) -> Option<Self> {
        if b.len() > 32 {
            return None;
        }
        let mut buf = [0u8; 32];
        buf[32 - b.len()..].copy_from_slice(b);
        let mut limbs = [0u64; 4];
        for (i, limb) in limbs.iter_mut().enumerate() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&buf[(3 - i) * 8..(3 - i) * 8 + 8]);
            *limb = u64::from_be_bytes(w);
        }
        Some(Amount(limbs))
    }

    /// Formats `self` as a decimal with `decimals` places (e.g. wei → ETH), trailing zeros trimmed.
    pub fn to_decimal_string(self, decimals: u8) -> String {
        let s = self.to_string();
        let d = decimals as usize;
        if d == 0 {
            return s;
        }
        let padded = if s.len() <= d {
            format!("{}{}", "0".repeat(d + 1 - s.len()), s)
        } else {
            s
        };
        let (int, frac) = padded.split_at(padded.len() - d);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    }
}

fn cmp5(a: &[u64; 5], b: &[u64; 5]) -> Ordering {
    for i in (0..5).rev() {
        match a[i].cmp(&b[i]) {
            Ordering::Equal => continue,
            o => return o,
        }
    }
    Ordering::Equal
}

fn sub5(a: &mut [u64; 5], b: &[u64; 5]) {
    let mut borrow = false;
    for i in 0..5 {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        a[i] = d2;
        borrow = b1 || b2;
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        for i in (0..4).rev() {
            match self.0[i].cmp(&other.0[i]) {
                Ordering::Equal => continue,
                o => return o,
            }
        }
        Ordering::Equal
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.to_u128() {
            return write!(f, "{v}");
        }
        // Repeated division by 10^19 (fits a u64 limb).
        let mut digits = Vec::new();
        let mut cur = self.0;
        const BASE: u128 = 10_000_000_000_000_000_000;
        while cur != [0; 4] {
            let mut rem: u128 = 0;
            for i in (0..4).rev() {
                let v = (rem << 64) | cur[i] as u128;
                cur[i] = (v / BASE) as u64;
                rem = v % BASE;
            }
            digits.push(rem as u64);
        }
        let mut s = String::new();
        for (i, d) in digits.iter().rev().enumerate() {
            if i == 0 {
                s.push_str(&d.to_string());
            } else {
                s.push_str(&format!("{d:019}"));
            }
        }
        f.write_str(&s)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match v {
            serde_json::Value::String(s) => Amount::parse(&s).map_err(serde::de::Error::custom),
            serde_json::Value::Number(n) => n
                .as_u64()
                .map(Amount::from_u64)
                .or_else(|| Amount::parse(&n.to_string()).ok())
                .ok_or_else(|| serde::de::Error::custom(format!("not an integer amount: {n}"))),
            other => Err(serde::de::Error::custom(format!("not an amount: {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_print_round_trip_at_256_bits() {
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        let a = Amount::parse(max).unwrap();
        assert_eq!(a, Amount::MAX);
        assert_eq!(a.to_string(), max);
        assert!(matches!(
            Amount::parse(&format!("{max}0")),
            Err(AmountError::Overflow(_))
        ));
        assert!(matches!(
            Amount::parse("1.5"),
            Err(AmountError::NotInteger(_))
        ));
        assert_eq!(Amount::parse("0xff").unwrap(), Amount::from_u64(255));
        let big = Amount::parse("123456789012345678901234567890123456789012").unwrap();
        assert_eq!(
            big.to_string(),
            "123456789012345678901234567890123456789012"
        );
        assert_eq!(Amount::from_be_slice(&big.to_be_bytes()), Some(big));
    }

    #[test]
    fn mul_div_is_exact_beyond_128_bits() {
        let v = Amount::parse("10000000000000000000000000000000000000000").unwrap(); // 1e40
        let r = v.mul_div(Amount::from_u64(3), Amount::from_u64(7)).unwrap();
        assert_eq!(r.to_string(), "4285714285714285714285714285714285714285");
        assert_eq!(
            Amount::MAX.mul_div(Amount::MAX, Amount::MAX),
            Some(Amount::MAX)
        );
        assert_eq!(
            Amount::from_u64(10).mul_div(Amount::from_u64(1), Amount::ZERO),
            None
        );
    }

    #[test]
    fn decimal_display() {
        let wei = Amount::parse("10000000000000000000000").unwrap();
        assert_eq!(wei.to_decimal_string(18), "10000");
        assert_eq!(Amount::from_u64(1_500_000).to_decimal_string(8), "0.015");
        assert_eq!(
            Amount::from_u64(5).saturating_sub(Amount::from_u64(9)),
            Amount::ZERO
        );
    }
}
