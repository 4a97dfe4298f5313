//! Small text helpers shared by the parsers: identifiers in free text, dates, entity-kind hints.

use crate::model::{Entity, IdKind, Schema};

/// Seven-digit numbers that follow the word `IMO` in free text ("IMO 7937317", "IMO: 8937675",
/// "IMO number 9187629", "IMO No. 123..."), in order of appearance, without duplicates.
pub fn find_imos(text: &str) -> Vec<String> {
    numbers_after_keyword(text, "IMO", 7)
}

/// Nine-digit numbers that follow the word `MMSI` in free text.
pub fn find_mmsis(text: &str) -> Vec<String> {
    numbers_after_keyword(text, "MMSI", 9)
}

fn numbers_after_keyword(text: &str, keyword: &str, digits: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    let kw = keyword.as_bytes();
    let mut i = 0;
    while i + kw.len() <= bytes.len() {
        let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if at_word_start && bytes[i..i + kw.len()].eq_ignore_ascii_case(kw) {
            let mut j = i + kw.len();
            if j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                // "IMOS..." is another word, unless it is one of the connector words below.
                i += 1;
                continue;
            }
            // Skip separators and the connector words "number", "No.", "#".
            loop {
                while j < bytes.len()
                    && matches!(bytes[j], b' ' | b':' | b'.' | b'#' | b'-' | b')' | b'\t')
                {
                    j += 1;
                }
                let rest = &text[j..];
                let lower: String = rest
                    .chars()
                    .take(7)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if lower.starts_with("number") {
                    j += 6;
                } else if lower.starts_with("no")
                    && !lower[2..].starts_with(|c: char| c.is_ascii_alphabetic())
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            let ends_cleanly = j >= bytes.len() || !bytes[j].is_ascii_alphanumeric();
            if j - start == digits && ends_cleanly {
                let n = &text[start..j];
                if !out.iter().any(|o| o == n) {
                    out.push(n.to_string());
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// True when the IMO ship number's check digit is right (7 digits; weights 7..2 on the first six).
pub fn imo_check_digit_ok(imo: &str) -> bool {
    let d: Vec<u32> = imo.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 7 || imo.len() != 7 {
        return false;
    }
    let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(a, w)| a * w).sum();
    sum % 10 == d[6]
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Parses the date spellings of the lists into `YYYY`, `YYYY-MM` or `YYYY-MM-DD`:
/// `1964-07-17`, `1964-07-17T00:00:00`, `17 Jul 1964`, `Jul 1964`, `1964`, `17.7.1964`,
/// `17/07/1964` (day first), `00/00/1980` (unknown day and month). Returns `None` otherwise.
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s
        .strip_prefix("circa ")
        .or_else(|| s.strip_prefix("Circa "))
        .unwrap_or(s)
        .trim();
    if s.is_empty() {
        return None;
    }
    // ISO, possibly with a time.
    let iso = s.split('T').next().unwrap_or(s);
    let parts: Vec<&str> = iso.split('-').collect();
    if parts.len() == 3 && parts[0].len() == 4 {
        return ymd(parts[0], parts[1], parts[2]);
    }
    if parts.len() == 2 && parts[0].len() == 4 {
        return ymd(parts[0], parts[1], "0");
    }
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s.to_string());
    }
    for sep in ['.', '/'] {
        let p: Vec<&str> = s.split(sep).map(str::trim).collect();
        if p.len() == 3 && p[2].len() == 4 {
            return ymd(p[2], p[1], p[0]);
        }
    }
    // "17 Jul 1964" / "Jul 1964"
    let words: Vec<&str> = s.split_whitespace().collect();
    let month_of = |w: &str| {
        let l = w.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| l.starts_with(m))
            .map(|i| (i + 1).to_string())
    };
    match words.as_slice() {
        [d, m, y] if y.len() == 4 => ymd(y, &month_of(m)?, d),
        [m, y] if y.len() == 4 => ymd(y, &month_of(m)?, "0"),
        _ => None,
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let y: u32 = y.trim().parse().ok()?;
    let m: u32 = m.trim().parse().ok()?;
    let d: u32 = d.trim().parse().ok()?;
    if !(1000..=2999).contains(&y) || m > 12 || d > 31 {
        return None;
    }
    Some(match (m, d) {
        (0, _) => format!("{y:04}"),
        (m, 0) => format!("{y:04}-{m:02}"),
        (m, d) => format!("{y:04}-{m:02}-{d:02}"),
    })
}

/// Words that mark an organization name as a company.
const COMPANY_WORDS: &[&str] = &[
    "CO",
    "CO.",
    "CO.,",
    "COMPANY",
    "CORP",
    "CORP.",
    "CORPORATION",
    "LTD",
    "LTD.",
    "LIMITED",
    "LLC",
    "L.L.C.",
    "INC",
    "INC.",
    "S.A.",
    "SA",
    "GMBH",
    "AG",
    "PLC",
    "JSC",
    "OJSC",
    "PJSC",
    "LLP",
    "FZE",
    "FZCO",
    "BANK",
    "TRADING",
    "SHIPPING",
    "INCORPORATED",
    "ENTERPRISE",
    "B.V.",
    "S.A.S.",
    "S.R.L.",
    "PTE",
    "PTE.",
    "SDN",
    "BHD",
    "OOO",
    "ZAO",
    "AO",
];

/// [`Schema::Company`] when the name has a company form or business word, else [`Schema::Organization`].
pub fn organization_schema(name: &str) -> Schema {
    let upper = name.to_uppercase();
    let is_company = upper
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '(' || c == ')')
        .any(|w| COMPANY_WORDS.contains(&w) || COMPANY_WORDS.contains(&w.trim_end_matches('.')));
    if is_company {
        Schema::Company
    } else {
        Schema::Organization
    }
}

/// The identifier kind for a document type as lists word it (in English, French or Spanish).
pub fn id_kind_for_document(doc_type: &str) -> IdKind {
    let l = doc_type.trim().to_lowercase();
    if l.contains("vessel registration") || l == "imo" || l.starts_with("imo ") {
        IdKind::Imo
    } else if l == "mmsi" {
        IdKind::Mmsi
    } else if l.contains("passport") || l.contains("passeport") || l.contains("pasaporte") {
        IdKind::Passport
    } else if l.contains("national id")
        || l.contains("national identi")
        || l.contains("identity card")
        || l.contains("identification number")
        || l.contains("personal id")
        || l.contains("identity number")
        || l.contains("carte d'identit")
        || l.contains("documento nacional")
    {
        IdKind::NationalId
    } else if l.contains("registration")
        || l.contains("company number")
        || l.contains("registry")
        || l.contains("social credit code")
        || l.contains("incorporation")
    {
        IdKind::Registration
    } else if l.contains("call sign") {
        IdKind::CallSign
    } else {
        IdKind::Other(doc_type.trim().to_string())
    }
}

/// Adds IMO and MMSI numbers found in free text to the entity.
pub fn add_ids_from_text(entity: &mut Entity, text: &str) {
    for imo in find_imos(text) {
        entity.add_identifier(IdKind::Imo, &imo, None);
    }
    for mmsi in find_mmsis(text) {
        entity.add_identifier(IdKind::Mmsi, &mmsi, None);
    }
}

/// Collapses runs of whitespace (lists wrap long names and comments over lines).
pub fn squash_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imo_and_mmsi_in_free_text() {
        assert_eq!(
            find_imos("Vessel Registration Identification IMO 7937317; alt. IMO: 8937675."),
            vec!["7937317", "8937675"]
        );
        assert_eq!(
            find_imos("IMO number 9187629 and IMO No. 1234567"),
            vec!["9187629", "1234567"]
        );
        assert!(find_imos("IMO 12345678 and Kimo 1234567 and IMOS 1234567").is_empty());
        assert_eq!(
            find_mmsis("IMO: 8937675. MMSI: 445539000."),
            vec!["445539000"]
        );
    }

    #[test]
    fn imo_check_digit() {
        assert!(imo_check_digit_ok("9074729"));
        assert!(imo_check_digit_ok("7937317"));
        assert!(!imo_check_digit_ok("9074728"));
        assert!(!imo_check_digit_ok("907472"));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1964-07-17").as_deref(), Some("1964-07-17"));
        assert_eq!(
            parse_date("1964-07-17T00:00:00").as_deref(),
            Some("1964-07-17")
        );
        assert_eq!(parse_date("17 Jul 1964").as_deref(), Some("1964-07-17"));
        assert_eq!(parse_date("circa 1964").as_deref(), Some("1964"));
        assert_eq!(parse_date("Jul 1964").as_deref(), Some("1964-07"));
        assert_eq!(parse_date("16.7.2009").as_deref(), Some("2009-07-16"));
        assert_eq!(parse_date("01/08/1979").as_deref(), Some("1979-08-01"));
        assert_eq!(parse_date("00/00/1980").as_deref(), Some("1980"));
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn company_forms() {
        assert_eq!(
            organization_schema("KOREA RYONBONG GENERAL CORPORATION"),
            Schema::Company
        );
        assert_eq!(organization_schema("OFFICE 39"), Schema::Organization);
        assert_eq!(
            id_kind_for_document("Numéro de passeport "),
            IdKind::Passport
        );
        assert_eq!(
            id_kind_for_document("Vessel Registration Identification"),
            IdKind::Imo
        );
    }
}
