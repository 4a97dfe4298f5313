//! Civil date-times of CSV inputs to UTC epoch milliseconds, without a date library.

/// Epoch milliseconds of a UTC date-time, or `None` when a field is out of range.
pub fn epoch_ms(year: i64, month: u32, day: u32, h: u32, m: u32, s: u32, ms: u32) -> Option<i64> {
    utc::epoch_ms(year, month, day, h, m, s, ms)
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses the time formats of the supported CSV exports, as UTC:
/// `2023-01-11T00:00:00` / `2023-01-11 00:00:00[.fff][Z]` (NOAA MarineCadastre),
/// `11/01/2023 00:00:00` (DMA, day first), `20210701_185151` (Spire/exactEarth style).
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('Z');
    if s.len() == 15 && s.as_bytes()[8] == b'_' {
        let (d, t) = (&s[..8], &s[9..]);
        return epoch_ms(
            num(&d[..4])? as i64,
            num(&d[4..6])?,
            num(&d[6..8])?,
            num(&t[..2])?,
            num(&t[2..4])?,
            num(&t[4..6])?,
            0,
        );
    }
    let (date, time) = s.split_once(['T', ' '])?;
    let (y, mo, d) = if date.contains('/') {
        let mut it = date.split('/');
        let (d, mo, y) = (it.next()?, it.next()?, it.next()?);
        (y, mo, d)
    } else {
        let mut it = date.split('-');
        (it.next()?, it.next()?, it.next()?)
    };
    let mut it = time.split(':');
    let (h, mi, sec) = (it.next()?, it.next()?, it.next().unwrap_or("0"));
    let (sec, frac) = sec.split_once('.').unwrap_or((sec, ""));
    let ms = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().chain("000".chars()).take(3).collect();
        num(&digits)?
    };
    epoch_ms(
        num(y)? as i64,
        num(mo)?,
        num(d)?,
        num(h)?,
        num(mi)?,
        num(sec)?,
        ms,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(parse_datetime("1970-01-01T00:00:00"), Some(0));
        assert_eq!(
            parse_datetime("2023-01-11T00:00:00"),
            Some(1_673_395_200_000)
        );
        assert_eq!(
            parse_datetime("11/01/2023 00:00:00"),
            Some(1_673_395_200_000)
        );
        assert_eq!(parse_datetime("20230111_000001"), Some(1_673_395_201_000));
        assert_eq!(
            parse_datetime("2023-01-11 00:00:00.5Z"),
            Some(1_673_395_200_500)
        );
        assert_eq!(
            parse_datetime("2024-02-29T12:00:00"),
            Some(1_709_208_000_000)
        );
        assert_eq!(parse_datetime("2023-13-01T00:00:00"), None);
        assert_eq!(parse_datetime("yesterday"), None);
    }
}
