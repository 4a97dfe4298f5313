//! Time formatting for the report, from the shared `utc` crate.

/// `YYYY-MM-DD HH:MM UTC` for a Unix time in milliseconds.
pub fn format_utc(ms: i64) -> String {
    utc::format_minutes(ms)
}

/// (year, month, day) of a count of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    utc::civil_from_days(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_546_300_800_000), "2019-01-01 00:00 UTC");
        assert_eq!(format_utc(1_709_210_096_000), "2024-02-29 12:34 UTC");
        assert_eq!(format_utc(-1000), "1969-12-31 23:59 UTC");
    }
}
