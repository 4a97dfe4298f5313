//! Harmonized System codes: normalising codes as trade data writes them, and matching them
//! against the patterns of a regime file at chapter (2 digits), heading (4), subheading (6) or
//! national (8–10) level.

use serde::{Deserialize, Serialize};

/// The level of an HS pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HsLevel {
    /// Two digits, e.g. `27`.
    Chapter,
    /// Four digits, e.g. `2701`.
    Heading,
    /// Six digits, e.g. `2615.90`.
    Subheading,
    /// More than six digits (national tariff lines).
    National,
}

/// One HS pattern: a digit prefix that codes must start with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HsPattern {
    /// The digits, 2 to 10 of them.
    pub digits: String,
}

/// Why an HS pattern or code was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("HS code {text:?}: {reason}")]
pub struct HsError {
    /// The text as written.
    pub text: String,
    /// What was wrong.
    pub reason: String,
}

fn digits_only(text: &str) -> Result<String, HsError> {
    let mut out = String::new();
    for c in text.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            '.' | ' ' | '\u{a0}' => {}
            _ => {
                return Err(HsError {
                    text: text.to_string(),
                    reason: format!("unexpected character {c:?}"),
                })
            }
        }
    }
    Ok(out)
}

impl HsPattern {
    /// The level of this pattern.
    pub fn level(&self) -> HsLevel {
        match self.digits.len() {
            2 => HsLevel::Chapter,
            3 | 4 => HsLevel::Heading,
            5 | 6 => HsLevel::Subheading,
            _ => HsLevel::National,
        }
    }

    /// True when the normalised code falls under this pattern.
    pub fn matches(&self, code: &HsCode) -> bool {
        code.digits.starts_with(&self.digits)
    }

    /// The pattern written the usual way: `27`, `2701`, `2615.90`, `2710.19.43`.
    pub fn display(&self) -> String {
        display_digits(&self.digits)
    }
}

fn display_digits(d: &str) -> String {
    if d.len() <= 4 {
        return d.to_string();
    }
    let mut out = d[..4].to_string();
    let mut rest = &d[4..];
    while !rest.is_empty() {
        let n = rest.len().min(2);
        out.push('.');
        out.push_str(&rest[..n]);
        rest = &rest[n..];
    }
    out
}

/// Parses one pattern as a regime file writes it: `03`, `2701`, `2615.90`, or a range at one
/// level, `50-63`, `7201-7206`, which expands to every code of that level in between.
pub fn parse_patterns(text: &str) -> Result<Vec<HsPattern>, HsError> {
    let err = |reason: &str| HsError {
        text: text.to_string(),
        reason: reason.to_string(),
    };
    if let Some((a, b)) = text.split_once('-') {
        let (a, b) = (digits_only(a)?, digits_only(b)?);
        if a.len() != b.len() || !matches!(a.len(), 2 | 4 | 6) {
            return Err(err(
                "a range needs two codes of the same level (2, 4 or 6 digits)",
            ));
        }
        let (lo, hi): (u64, u64) = (
            a.parse().map_err(|_| err("not a number"))?,
            b.parse().map_err(|_| err("not a number"))?,
        );
        if lo > hi || hi - lo > 200 {
            return Err(err("range is reversed or wider than 200 codes"));
        }
        let width = a.len();
        return Ok((lo..=hi)
            .map(|n| HsPattern {
                digits: format!("{n:0width$}"),
            })
            .collect());
    }
    let d = digits_only(text)?;
    if d.len() < 2 || d.len() > 10 {
        return Err(err("a pattern has 2 to 10 digits"));
    }
    Ok(vec![HsPattern { digits: d }])
}

/// A code from a trade record, normalised to digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HsCode {
    /// The digits.
    pub digits: String,
    /// True when a leading zero was restored: spreadsheets drop it (`30211` for `030211`),
    /// which shows as an odd number of digits.
    pub zero_restored: bool,
}

impl HsCode {
    /// Normalises a code as trade data writes it: dots and spaces removed, a dropped leading
    /// zero restored when the digit count is odd.
    pub fn parse(text: &str) -> Result<HsCode, HsError> {
        let mut d = digits_only(text)?;
        if d.len() < 2 || d.len() > 12 {
            return Err(HsError {
                text: text.to_string(),
                reason: "a code has 2 to 12 digits".into(),
            });
        }
        let zero_restored = d.len() % 2 == 1;
        if zero_restored {
            d.insert(0, '0');
        }
        Ok(HsCode {
            digits: d,
            zero_restored,
        })
    }

    /// The chapter (first two digits).
    pub fn chapter(&self) -> &str {
        &self.digits[..2]
    }

    /// The code written the usual way (`2701.12`).
    pub fn display(&self) -> String {
        display_digits(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pats(t: &str) -> Vec<HsPattern> {
        parse_patterns(t).unwrap()
    }
    fn code(t: &str) -> HsCode {
        HsCode::parse(t).unwrap()
    }

    #[test]
    fn chapter_heading_and_subheading_levels() {
        let chapter = &pats("03")[0];
        assert_eq!(chapter.level(), HsLevel::Chapter);
        assert!(chapter.matches(&code("0302.11")));
        assert!(chapter.matches(&code("03")));
        assert!(!chapter.matches(&code("0402")));

        let heading = &pats("2701")[0];
        assert_eq!(heading.level(), HsLevel::Heading);
        assert!(heading.matches(&code("270112")));
        assert!(heading.matches(&code("2701.19.00")));
        assert!(!heading.matches(&code("2702")));
        assert!(
            !heading.matches(&code("27")),
            "a chapter alone does not prove coal"
        );

        let sub = &pats("2615.90")[0];
        assert_eq!(sub.level(), HsLevel::Subheading);
        assert!(sub.matches(&code("261590")));
        assert!(
            !sub.matches(&code("261510")),
            "zirconium ore is not vanadium ore"
        );
        assert_eq!(sub.display(), "2615.90");
    }

    #[test]
    fn ranges_expand_at_one_level() {
        let textiles = pats("50-63");
        assert_eq!(textiles.len(), 14);
        assert!(textiles.iter().any(|p| p.matches(&code("6109.10"))));
        assert!(!textiles.iter().any(|p| p.matches(&code("6401"))));
        let iron = pats("7201-7206");
        assert_eq!(iron.len(), 6);
        assert!(iron.iter().any(|p| p.matches(&code("720610"))));
        assert!(!iron.iter().any(|p| p.matches(&code("7207"))));
        assert!(parse_patterns("50-6301").is_err());
        assert!(parse_patterns("63-50").is_err());
    }

    #[test]
    fn codes_normalise_and_restore_dropped_zeros() {
        let c = code("30211");
        assert!(c.zero_restored);
        assert_eq!(c.digits, "030211");
        assert!(pats("03")[0].matches(&c));
        assert_eq!(code("2710.19 43").digits, "27101943");
        assert!(HsCode::parse("27x1").is_err());
        assert!(HsCode::parse("2").is_err());
        assert_eq!(code("27101943").display(), "2710.19.43");
    }
}
