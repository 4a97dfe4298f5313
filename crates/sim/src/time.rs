//! UTC timestamps without a date-time crate: RFC 3339 `YYYY-MM-DDTHH:MM:SSZ` to and from epoch ms.

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (or a date alone, `YYYY-MM-DD`) into UTC epoch milliseconds.
pub fn parse_utc(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, t.trim_end_matches('Z')),
        None => (s, "00:00:00"),
    };
    let mut dp = date.split('-');
    let y: i64 = dp.next()?.parse().ok()?;
    let m: i64 = dp.next()?.parse().ok()?;
    let d: i64 = dp.next()?.parse().ok()?;
    if dp.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut tp = time.split(':');
    let hh: i64 = tp.next()?.parse().ok()?;
    let mm: i64 = tp.next().unwrap_or("0").parse().ok()?;
    let ss: i64 = tp.next().unwrap_or("0").parse().ok()?;
    if tp.next().is_some() || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some((utc::days_from_civil(y, m as u32, d as u32) * 86_400 + hh * 3600 + mm * 60 + ss) * 1000)
}

/// Formats UTC epoch ms as `YYYY-MM-DDTHH:MM:SS` (NOAA MarineCadastre `BaseDateTime` style, no zone).
pub fn format_utc(ms: i64) -> String {
    utc::format_seconds(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_values() {
        assert_eq!(parse_utc("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_utc("2024-12-09T00:00:00Z"), Some(1_733_702_400_000));
        let t = parse_utc("2026-03-02T13:45:07Z").unwrap();
        assert_eq!(format_utc(t), "2026-03-02T13:45:07");
        assert_eq!(parse_utc("2026-02-30x"), None);
        assert_eq!(parse_utc("nonsense"), None);
    }
}
