//! Country names as the lists write them → ISO 3166-1 alpha-2 codes.

include!("countries_table.rs");

/// The ISO 3166-1 alpha-2 code for a country name or code as a list writes it, if known.
///
/// Accepts two-letter codes (returned upper-cased), English names in the spellings of OFAC, the UN,
/// the EU and the UK ("Democratic People's Republic of Korea", "Korea, North", "DPRK", ...).
pub fn iso2(name: &str) -> Option<&'static str> {
    let trimmed = name.trim().trim_end_matches('.').trim();
    if trimmed.len() == 2 && trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        let upper = trimmed.to_ascii_uppercase();
        return COUNTRY_NAMES
            .iter()
            .find(|(_, code)| *code == upper)
            .map(|(_, code)| *code);
    }
    let lower = trimmed.replace('\u{2019}', "'").to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    let found = COUNTRY_NAMES
        .binary_search_by(|(n, _)| (*n).cmp(lower))
        .ok()
        .map(|i| COUNTRY_NAMES[i].1);
    // "Afghanistan (since 2009)": a remark in brackets after the country.
    match (found, lower.find(" (")) {
        (None, Some(i)) => iso2(&lower[..i]),
        _ => found,
    }
}

/// The country as ISO alpha-2 when known, else the list's own text (trimmed); `None` for blanks.
pub fn normalize(name: &str) -> Option<String> {
    let t = name.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("na") || t == "-0-" {
        return None;
    }
    Some(iso2(t).map(str::to_string).unwrap_or_else(|| t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(COUNTRY_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn spellings_of_north_korea() {
        for n in [
            "Democratic People's Republic of Korea",
            "Democratic People\u{2019}s Republic of Korea",
            "Korea, North",
            "DPRK",
            "kp",
        ] {
            assert_eq!(iso2(n), Some("KP"), "{n}");
        }
        assert_eq!(iso2("Iran (Islamic Republic of)"), Some("IR"));
        assert_eq!(iso2("Atlantis"), None);
        assert_eq!(iso2("Afghanistan (since 2009)"), Some("AF"));
        assert_eq!(normalize("Atlantis").as_deref(), Some("Atlantis"));
        assert_eq!(normalize("na"), None);
    }
}
