//! Calendar arithmetic on UTC milliseconds, enough for dates in reports and cap periods
//! (proleptic Gregorian, no time zones, no leap seconds).

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 for a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    utc::days_from_civil(i64::from(year), month, day)
}

/// Civil date `(year, month, day)` for days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let (y, m, d) = utc::civil_from_days(days);
    (y as i32, m, d)
}

/// UTC milliseconds at midnight of a civil date.
pub fn ms_from_civil(year: i32, month: u32, day: u32) -> i64 {
    days_from_civil(year, month, day) * MS_PER_DAY
}

/// Civil date of a UTC millisecond timestamp.
pub fn civil_from_ms(ms: i64) -> (i32, u32, u32) {
    civil_from_days(ms.div_euclid(MS_PER_DAY))
}

/// `YYYY-MM-DD` for a timestamp.
pub fn format_date(ms: i64) -> String {
    let (y, m, d) = civil_from_ms(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD HH:MM UTC` for a timestamp.
pub fn format_datetime(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!(
        "{} {:02}:{:02} UTC",
        format_date(ms),
        minutes / 60,
        minutes % 60
    )
}

/// Days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    (days_from_civil(ny, nm, 1) - days_from_civil(year, month, 1)) as u32
}

/// Parses `YYYY-MM-DD` (also accepts a trailing `THH:MM...` and ignores it) into midnight UTC ms.
pub fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let date = t.split(['T', ' ']).next()?;
    let mut parts = date.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(ms_from_civil(y, m, d))
}

/// Parses `YYYY-MM` into `(year, month)`.
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let mut parts = text.trim().split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&m) {
        return None;
    }
    Some((y, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000_i64, -1, 0, 1, 17_532, 19_000, 60_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2018, 1, 1), 17_532);
        assert_eq!(format_date(ms_from_civil(2020, 2, 29)), "2020-02-29");
    }

    #[test]
    fn parsing_rejects_bad_dates() {
        assert_eq!(parse_date("2019-02-29"), None);
        assert_eq!(parse_date("2019-13-01"), None);
        assert!(parse_date("2020-02-29").is_some());
        assert_eq!(parse_month("2018-12"), Some((2018, 12)));
        assert_eq!(parse_month("2018-12-01"), None);
        assert_eq!(
            format_datetime(ms_from_civil(2018, 3, 4) + 3_723_000),
            "2018-03-04 01:02 UTC"
        );
        assert_eq!(days_in_month(2019, 2), 28);
    }
}
