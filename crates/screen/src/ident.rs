//! Identifiers: IMO numbers and MMSIs with their validity rules, call signs, and crypto
//! addresses with per-chain case rules.

/// Digits of an IMO number written as `IMO 9123456`, `9123456` or `IMO: 9123456`; `None` when
/// there are not exactly seven digits.
pub fn imo_digits(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    (digits.len() == 7).then_some(digits)
}

/// True when a seven-digit IMO ship number has a valid check digit: the digits weighted 7..2,
/// summed, modulo 10 equal the last digit.
pub fn imo_check_digit_valid(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 7 || digits.len() != 7 {
        return false;
    }
    let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(x, w)| x * w).sum();
    sum % 10 == d[6]
}

/// The nine digits of an MMSI, or `None`.
pub fn mmsi_digits(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    (digits.len() == 9).then_some(digits)
}

/// True when an MMSI is plausibly a ship station: nine digits, the first two to seven (a
/// maritime identification digit block), not all the same digit.
pub fn mmsi_valid(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 9
        && b.iter().all(u8::is_ascii_digit)
        && (b'2'..=b'7').contains(&b[0])
        && !b.iter().all(|c| *c == b[0])
}

/// A call sign folded for comparison: uppercase letters and digits only.
pub fn call_sign_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// How a crypto address is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressCase {
    /// Hex (EVM `0x…`) and bech32 (`bc1…`, `ltc1…`): case carries no meaning; compared lowercased.
    Insensitive,
    /// Base58 and everything else (Bitcoin legacy, Tron, Solana, Monero): case matters.
    Sensitive,
}

fn is_bech32(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let Some(sep) = lower.rfind('1') else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    let mixed =
        s.chars().any(|c| c.is_ascii_lowercase()) && s.chars().any(|c| c.is_ascii_uppercase());
    !mixed
        && matches!(hrp, "bc" | "tb" | "ltc" | "tltc" | "bcrt")
        && data.len() >= 6
        && data
            .chars()
            .all(|c| "qpzry9x8gf2tvdw0s3jn54khce6mua7l".contains(c))
}

/// The case rule of an address.
pub fn address_case(s: &str) -> AddressCase {
    let s = s.trim();
    let hex = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()));
    if hex || is_bech32(s) {
        AddressCase::Insensitive
    } else {
        AddressCase::Sensitive
    }
}

/// The lookup key of a crypto address under its chain's case rule.
pub fn address_key(s: &str) -> String {
    let s = s.trim();
    match address_case(s) {
        AddressCase::Insensitive => s.to_ascii_lowercase(),
        AddressCase::Sensitive => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imo_check_digit() {
        // 9074729: 9·7+0·6+7·5+4·4+7·3+2·2 = 139 → 9.
        assert!(imo_check_digit_valid("9074729"));
        assert!(!imo_check_digit_valid("9074728"));
        assert_eq!(imo_digits("IMO 9074729").as_deref(), Some("9074729"));
        assert_eq!(imo_digits("907472"), None);
    }

    #[test]
    fn mmsi_rules() {
        assert!(mmsi_valid("445539000"));
        assert!(!mmsi_valid("111111111"));
        assert!(!mmsi_valid("012345678"));
        assert_eq!(
            mmsi_digits("MMSI: 445 539 000").as_deref(),
            Some("445539000")
        );
    }

    #[test]
    fn crypto_case_rules() {
        let evm = "0x098B716B8Aaf21512996dC57EB0615e2383E2f96";
        assert_eq!(address_case(evm), AddressCase::Insensitive);
        assert_eq!(address_key(evm), address_key(&evm.to_lowercase()));
        let legacy = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        assert_eq!(address_case(legacy), AddressCase::Sensitive);
        assert_ne!(address_key(legacy), address_key(&legacy.to_lowercase()));
        let bech = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
        assert_eq!(address_case(bech), AddressCase::Insensitive);
        assert_eq!(address_key(&bech.to_uppercase()), bech);
    }
}
