//! # utc — calendar arithmetic on UTC epoch milliseconds
//!
//! Every crate that reads or prints a timestamp needs the same two conversions, civil date to
//! day count and back (Howard Hinnant's algorithms, proleptic Gregorian, no leap seconds), and a
//! few fixed formats. They live here once, so that a date parsed by the ingest layer prints the
//! same in the report. No time zones: AIS, lists and chains all speak UTC.

/// Milliseconds in a day.
pub const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date `(year, month, day)` of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Epoch milliseconds of a UTC date-time, or `None` when a field is out of range
/// (second 60 is accepted for leap-second stamps and lands on the next minute).
pub fn epoch_ms(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
) -> Option<i64> {
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || millis > 999
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(
        ((days * 24 + i64::from(hour)) * 60 + i64::from(minute)) * 60_000
            + i64::from(second) * 1000
            + i64::from(millis),
    )
}

/// Civil date of a timestamp.
pub fn civil_from_ms(ms: i64) -> (i64, u32, u32) {
    civil_from_days(ms.div_euclid(MS_PER_DAY))
}

/// `(hour, minute, second)` of a timestamp.
pub fn clock_of_ms(ms: i64) -> (u32, u32, u32) {
    let sod = ms.rem_euclid(MS_PER_DAY) / 1000;
    (
        (sod / 3600) as u32,
        (sod % 3600 / 60) as u32,
        (sod % 60) as u32,
    )
}

/// `YYYY-MM-DD`.
pub fn format_date(ms: i64) -> String {
    let (y, m, d) = civil_from_ms(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD HH:MM UTC`, for people.
pub fn format_minutes(ms: i64) -> String {
    let (h, mi, _) = clock_of_ms(ms);
    format!("{} {h:02}:{mi:02} UTC", format_date(ms))
}

/// `YYYY-MM-DDTHH:MM:SS` without a zone suffix (NOAA MarineCadastre `BaseDateTime` style).
pub fn format_seconds(ms: i64) -> String {
    let (h, mi, s) = clock_of_ms(ms);
    format!("{}T{h:02}:{mi:02}:{s:02}", format_date(ms))
}

/// RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_rfc3339(ms: i64) -> String {
    format!("{}Z", format_seconds(ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn round_trip_over_four_centuries() {
        for days in (-200_000..200_000).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn formats() {
        let t = epoch_ms(2026, 3, 2, 13, 45, 7, 250).unwrap();
        assert_eq!(format_seconds(t), "2026-03-02T13:45:07");
        assert_eq!(format_rfc3339(t), "2026-03-02T13:45:07Z");
        assert_eq!(format_minutes(t), "2026-03-02 13:45 UTC");
        assert_eq!(format_date(-1), "1969-12-31");
        assert_eq!(epoch_ms(2026, 13, 1, 0, 0, 0, 0), None);
        assert_eq!(epoch_ms(2026, 1, 1, 24, 0, 0, 0), None);
    }
}
