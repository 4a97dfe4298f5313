//! Line-level parsing: `!xxVDM`/`!xxVDO` sentences, IEC 61162-450 tag blocks, Gatehouse `$PGHP`
//! time lines and trailing receiver columns. Everything borrows from the input line.

use crate::text::AisText;
use crate::RejectReason;

/// Receiving station identifier (tag-block `s:`, USCG `r…` column or `$PGHP` station MMSI).
pub type Station = AisText<16>;

/// A parsed `!xxVDM`/`!xxVDO` sentence, borrowing its payload from the line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sentence<'a> {
    pub talker: [u8; 2],
    pub own_ship: bool,
    pub total: u8,
    pub num: u8,
    pub seq: Option<u8>,
    pub channel: Option<u8>,
    pub payload: &'a [u8],
    pub fill: u8,
    pub checksum_ok: bool,
    /// Columns after `*hh` (starting with `,`), possibly empty.
    pub trailing: &'a [u8],
}

/// Outcome of recognising a sentence's formatter.
pub(crate) enum SentenceKind {
    /// A VDM or VDO sentence.
    Ais,
    /// Some other `!` sentence (not AIS data).
    Other,
}

#[inline]
fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// Classifies a line starting with `!`.
#[inline]
pub(crate) fn sentence_kind(s: &[u8]) -> SentenceKind {
    if s.len() >= 6 && (&s[3..6] == b"VDM" || &s[3..6] == b"VDO") {
        SentenceKind::Ais
    } else {
        SentenceKind::Other
    }
}

/// Parses a VDM/VDO sentence (`s` starts at `!`). `accept_bad_checksum` lets bad and missing
/// checksums through (flagged in `checksum_ok`).
pub(crate) fn parse_sentence(
    s: &[u8],
    accept_bad_checksum: bool,
) -> Result<Sentence<'_>, RejectReason> {
    // "!AIVDM," is the shortest possible prefix.
    if s.len() < 7 || s[6] != b',' {
        return Err(RejectReason::Malformed);
    }
    let talker = [s[1], s[2]];
    // Any printable talker is accepted ("--" is NMEA's null talker; AMSA's feed has "=I"); the
    // talker is reported in the metadata for callers that want to filter.
    if !is_talker_char(talker[0]) || !is_talker_char(talker[1]) {
        return Err(RejectReason::Malformed);
    }
    let own_ship = s[5] == b'O';

    // One pass computes the checksum and finds the field separators.
    let mut xor: u8 = 0;
    for &b in &s[1..7] {
        xor ^= b;
    }
    let mut commas = [0usize; 6];
    commas[0] = 6;
    let mut n_commas = 1;
    let mut star = None;
    let mut i = 7;
    while i < s.len() {
        let b = s[i];
        if b == b'*' {
            star = Some(i);
            break;
        }
        if b == b',' {
            if n_commas == 6 {
                // A seventh separator before `*` (or the start of trailing columns when the
                // checksum is missing).
                if star.is_none() && accept_bad_checksum {
                    break;
                }
                return Err(RejectReason::Malformed);
            }
            commas[n_commas] = i;
            n_commas += 1;
        }
        xor ^= b;
        i += 1;
    }
    if n_commas < 6 {
        return Err(RejectReason::Malformed);
    }
    let fill_end = star.unwrap_or(i);
    let (checksum_ok, trailing) = match star {
        None => {
            if !accept_bad_checksum {
                return Err(RejectReason::MissingChecksum);
            }
            (false, &s[fill_end..])
        }
        Some(p) => {
            let hi = s.get(p + 1).copied().and_then(hex_val);
            let lo = s.get(p + 2).copied().and_then(hex_val);
            match (hi, lo) {
                (Some(hi), Some(lo)) => {
                    let ok = (hi << 4 | lo) == xor;
                    if !ok && !accept_bad_checksum {
                        return Err(RejectReason::BadChecksum);
                    }
                    (ok, &s[p + 3..])
                }
                _ => {
                    if !accept_bad_checksum {
                        return Err(RejectReason::MissingChecksum);
                    }
                    (false, s.get(p + 1..).unwrap_or(&[]))
                }
            }
        }
    };

    let field = |k: usize| -> &[u8] {
        let start = commas[k] + 1;
        let end = if k + 1 < 6 { commas[k + 1] } else { fill_end };
        &s[start..end]
    };
    let total = single_digit(field(0)).ok_or(RejectReason::Malformed)?;
    let num = single_digit(field(1)).ok_or(RejectReason::Malformed)?;
    if total == 0 || num == 0 || num > total {
        return Err(RejectReason::Malformed);
    }
    let seq = match field(2) {
        [] => None,
        [d] if d.is_ascii_digit() => Some(d - b'0'),
        _ => return Err(RejectReason::Malformed),
    };
    let channel = match field(3) {
        [] => None,
        [c] if c.is_ascii_alphanumeric() => Some(*c),
        _ => return Err(RejectReason::Malformed),
    };
    let payload = field(4);
    if payload.is_empty() {
        return Err(RejectReason::EmptyPayload);
    }
    let fill = match field(5) {
        [] => 0,
        [d @ b'0'..=b'5'] => d - b'0',
        _ => return Err(RejectReason::Malformed),
    };
    Ok(Sentence {
        talker,
        own_ship,
        total,
        num,
        seq,
        channel,
        payload,
        fill,
        checksum_ok,
        trailing,
    })
}

#[inline]
fn is_talker_char(c: u8) -> bool {
    c.is_ascii_graphic() && !matches!(c, b',' | b'*' | b'!' | b'$' | b'\\')
}

#[inline]
fn single_digit(f: &[u8]) -> Option<u8> {
    match f {
        [d] if d.is_ascii_digit() => Some(d - b'0'),
        _ => None,
    }
}

/// The fields of a tag block that matter here.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TagBlock {
    /// `c:` time, UTC ms.
    pub time_ms: Option<i64>,
    /// `s:` source station.
    pub station: Option<Station>,
    /// `g:` sentence-group: (sentence number, total, group id).
    pub group: Option<(u32, u32, u32)>,
    /// Whether the tag block's own checksum matched.
    pub checksum_ok: bool,
}

/// Parses tag-block content (between the two backslashes, `*hh` included).
pub(crate) fn parse_tag_block(content: &[u8]) -> TagBlock {
    let mut tb = TagBlock::default();
    let (body, checksum) = match memchr_byte(b'*', content) {
        Some(p) => (&content[..p], Some(&content[p + 1..])),
        None => (content, None),
    };
    if let Some([h, l, ..]) = checksum {
        if let (Some(h), Some(l)) = (hex_val(*h), hex_val(*l)) {
            let xor = body.iter().fold(0u8, |a, &b| a ^ b);
            tb.checksum_ok = (h << 4 | l) == xor;
        }
    }
    for part in body.split(|&b| b == b',') {
        if part.len() < 2 || part[1] != b':' {
            continue;
        }
        let value = &part[2..];
        match part[0] {
            b'c' => tb.time_ms = parse_epoch(value),
            b's' if !value.is_empty() => tb.station = Some(station_from(value)),
            b'g' => tb.group = parse_group(value),
            _ => {}
        }
    }
    tb
}

fn station_from(value: &[u8]) -> Station {
    let mut st = Station::new();
    for &b in value {
        st.push_byte(b);
    }
    st
}

fn parse_group(value: &[u8]) -> Option<(u32, u32, u32)> {
    let mut it = value.split(|&b| b == b'-');
    let n = parse_u64(it.next()?)?;
    let total = parse_u64(it.next()?)?;
    let id = parse_u64(it.next()?)?;
    if it.next().is_some() || n == 0 || total == 0 || n > total {
        return None;
    }
    Some((
        u32::try_from(n).ok()?,
        u32::try_from(total).ok()?,
        u32::try_from(id).ok()?,
    ))
}

fn parse_u64(d: &[u8]) -> Option<u64> {
    if d.is_empty() || d.len() > 18 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in d {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u64;
    }
    Some(v)
}

/// Parses a Unix epoch in seconds (10 digits, optional fraction) or milliseconds (13 digits) into
/// UTC milliseconds. Values with 11 digits or more and no fraction are read as milliseconds.
pub(crate) fn parse_epoch(value: &[u8]) -> Option<i64> {
    let (int, frac) = match memchr_byte(b'.', value) {
        Some(p) => (&value[..p], Some(&value[p + 1..])),
        None => (value, None),
    };
    let v = parse_u64(int)? as i64;
    if frac.is_none() && int.len() >= 12 {
        return Some(v);
    }
    let mut ms = v.checked_mul(1000)?;
    if let Some(frac) = frac {
        let mut scale = 100;
        for &c in frac.iter().take(3) {
            if !c.is_ascii_digit() {
                return None;
            }
            ms += (c - b'0') as i64 * scale;
            scale /= 10;
        }
    }
    Some(ms)
}

/// Time and station from receiver columns after the checksum (`,<epoch ms>` from exactEarth,
/// `,d-109,S2105,t050056.00,T56.1,r003669946,1325394060,1325394001` from USCG NAIS). The first
/// epoch-looking column (10 or 13 digits) is the reception time; an `r…` column is the station.
pub(crate) fn parse_trailing(trailing: &[u8]) -> (Option<i64>, Option<Station>) {
    let mut time = None;
    let mut station = None;
    if trailing.first() != Some(&b',') {
        return (None, None);
    }
    for col in trailing[1..].split(|&b| b == b',') {
        let col = trim_ascii(col);
        if time.is_none()
            && (col.len() == 10 || col.len() == 13)
            && col.iter().all(u8::is_ascii_digit)
        {
            time = parse_epoch(col);
        } else if station.is_none()
            && col.len() > 1
            && col[0] == b'r'
            && col[1..].iter().all(u8::is_ascii_alphanumeric)
        {
            station = Some(station_from(col));
        }
    }
    (time, station)
}

fn trim_ascii(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// A Gatehouse `$PGHP,1,…` line: its time (UTC ms) and the receiving station's MMSI.
///
/// Layout: `$PGHP,1,<yyyy>,<m>,<d>,<h>,<min>,<s>,<ms>,<country>,<region>,<pss mmsi>,<online>,<cs>*hh`.
/// Returns `None` when the line is not a well-formed type-1 PGHP line with a valid checksum.
pub(crate) fn parse_pghp(line: &[u8]) -> Option<(i64, Option<Station>)> {
    let star = memchr_byte(b'*', line)?;
    let body = &line[1..star];
    let xor = body.iter().fold(0u8, |a, &b| a ^ b);
    let h = hex_val(*line.get(star + 1)?)?;
    let l = hex_val(*line.get(star + 2)?)?;
    if (h << 4 | l) != xor {
        return None;
    }
    let mut f = body.split(|&b| b == b',');
    if f.next()? != b"PGHP" || f.next()? != b"1" {
        return None;
    }
    let mut num = || parse_u64(f.next()?);
    let year = num()? as i64;
    let month = num()? as i64;
    let day = num()? as i64;
    let hour = num()? as i64;
    let minute = num()? as i64;
    let second = num()? as i64;
    let ms = num()? as i64;
    if !(1900..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || ms > 999
    {
        return None;
    }
    let _country = f.next();
    let _region = f.next();
    let station = f.next().filter(|s| !s.is_empty()).map(station_from);
    let days = utc::days_from_civil(year, month as u32, day as u32);
    let t = ((days * 24 + hour) * 60 + minute) * 60 + second;
    Some((t * 1000 + ms, station))
}

/// Position of the first `needle` in `hay`.
#[inline]
pub(crate) fn memchr_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// NMEA checksum (XOR of all bytes) of a sentence body, for the encoder.
pub(crate) fn xor_checksum(body: &[u8]) -> u8 {
    body.iter().fold(0u8, |a, &b| a ^ b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pghp_time_and_station() {
        let (t, st) =
            parse_pghp(b"$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B").unwrap();
        // 2010-06-11T11:46:11.390Z
        assert_eq!(t, 1_276_256_771_390);
        assert_eq!(st.unwrap().as_str(), "992190934");
    }

    #[test]
    fn pghp_with_absurd_year_is_ignored() {
        // Found by fuzzing: an 18-digit year overflowed the time arithmetic.
        let body = "PGHP,1,999999999999999999,6,11,11,46,11,390,231,45,992190934,1,2B";
        let cs = xor_checksum(body.as_bytes());
        assert!(parse_pghp(format!("${body}*{cs:02X}").as_bytes()).is_none());
    }

    #[test]
    fn epochs_in_seconds_and_ms() {
        assert_eq!(parse_epoch(b"1334337317"), Some(1_334_337_317_000));
        assert_eq!(parse_epoch(b"1327992119173"), Some(1_327_992_119_173));
        assert_eq!(parse_epoch(b"1334337317.25"), Some(1_334_337_317_250));
        assert_eq!(parse_epoch(b"x"), None);
    }

    #[test]
    fn trailing_uscg_columns() {
        let (t, st) = parse_trailing(
            b",d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001",
        );
        assert_eq!(t, Some(1_325_394_060_000));
        assert_eq!(st.unwrap().as_str(), "r003669946");
    }

    #[test]
    fn tag_block_fields_and_checksum() {
        let tb = parse_tag_block(b"g:1-2-3985,s:rEV02,c:1334337317*2D");
        assert!(tb.checksum_ok);
        assert_eq!(tb.group, Some((1, 2, 3985)));
        assert_eq!(tb.station.unwrap().as_str(), "rEV02");
        assert_eq!(tb.time_ms, Some(1_334_337_317_000));
        assert!(!parse_tag_block(b"c:1420030798*00").checksum_ok);
    }
}
