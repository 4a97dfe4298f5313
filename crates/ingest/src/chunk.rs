//! Splitting one large uncompressed NMEA file into chunks that several threads decode at once.
//!
//! A multipart message must not be cut in two. So a chunk boundary is placed only at a line
//! start where, within a window of [`WINDOW`] bytes on either side, no multipart message is
//! open: every message key (tag-block group, else fragment count + sequence id + channel) has its
//! last fragment before the boundary complete, and its first fragment after the boundary is a
//! first part. When no such line start exists near a nominal boundary, that boundary is dropped
//! (the chunks on both sides merge).
//!
//! The decoder carries one piece of state across lines besides fragments: the time and station
//! of a Gatehouse `$PGHP` line, which stamps the one message after it. So a chunk that starts
//! right after a `$PGHP` line records it ([`Chunk::pghp`]), and its decoder is primed with that
//! line before the chunk's first line.
//!
//! Remaining differences from reading the file whole, both on malformed streams only: fragments
//! farther apart than the window are cut (the decoder evicts such orphans by age anyway, after
//! 1,000 lines by default), and age-by-time eviction compares with the newest time seen in the
//! chunk rather than in the whole file.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes examined on each side of a nominal boundary.
pub const WINDOW: u64 = 64 * 1024;

/// A byte range of a file, starting at a line start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// Line number (1-based) of the chunk's first line in the file.
    pub first_line: u64,
    /// Byte offset of the last `$PGHP` line before the chunk, if any.
    pub pghp: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Group(u32),
    Seq(u8, Option<u8>, Option<u8>),
}

/// (key, fragment number, fragment count) of a multipart fragment line; `None` otherwise.
fn fragment(line: &[u8]) -> Option<(Key, u8, u8)> {
    let mut rest = line;
    let mut group = None;
    if rest.first() == Some(&b'\\') {
        let end = memchr::memchr(b'\\', &rest[1..])? + 1;
        let tag = &rest[1..end];
        let tag = tag.split(|&b| b == b'*').next().unwrap_or(tag);
        for field in tag.split(|&b| b == b',') {
            if let Some(g) = field.strip_prefix(b"g:") {
                let mut parts = g.split(|&b| b == b'-');
                let _num = parts.next();
                let total = parts.next().and_then(parse_u32);
                let id = parts.next().and_then(parse_u32);
                if let (Some(t), Some(id)) = (total, id) {
                    if t > 1 {
                        group = Some(id);
                    }
                }
            }
        }
        rest = &rest[end + 1..];
    }
    if rest.first() != Some(&b'!') {
        return None;
    }
    let mut f = rest.split(|&b| b == b',');
    let _head = f.next()?;
    let total = parse_u32(f.next()?)?;
    let num = parse_u32(f.next()?)?;
    if !(2..=9).contains(&total) || num == 0 || num > total {
        return None;
    }
    let seq = f.next().and_then(parse_u32).map(|v| v as u8);
    let channel = f.next().and_then(|c| c.first().copied());
    let key = match group {
        Some(id) => Key::Group(id),
        None => Key::Seq(total as u8, seq, channel),
    };
    Some((key, num as u8, total as u8))
}

fn parse_u32(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |a, &b| a * 10 + (b - b'0') as u32))
}

/// Finds a safe boundary at or after `nominal` within the window, or `None`.
fn safe_boundary(window: &[u8], window_start: u64, nominal: u64) -> Option<u64> {
    // Complete lines of the window: skip the partial first line unless the window starts the file.
    let mut lines: Vec<(u64, &[u8])> = Vec::new();
    let mut pos = if window_start == 0 {
        0
    } else {
        memchr::memchr(b'\n', window)? + 1
    };
    while pos < window.len() {
        let Some(nl) = memchr::memchr(b'\n', &window[pos..]) else {
            break; // partial last line
        };
        lines.push((window_start + pos as u64, &window[pos..pos + nl]));
        pos += nl + 1;
    }
    // A line start just past the window's last complete line may be a candidate too.
    let after_last = window_start + pos as u64;
    let frags: Vec<Option<(Key, u8, u8)>> = lines.iter().map(|(_, l)| fragment(l)).collect();
    for b in 1..=lines.len() {
        let offset = if b < lines.len() {
            lines[b].0
        } else {
            after_last
        };
        if offset < nominal {
            continue;
        }
        if b == lines.len() {
            break; // nothing after it in the window to check against
        }
        if is_safe(&frags, b) {
            return Some(offset);
        }
    }
    None
}

fn is_safe(frags: &[Option<(Key, u8, u8)>], b: usize) -> bool {
    let mut seen_after: Vec<Key> = Vec::new();
    for (k, num, _) in frags[b..].iter().flatten() {
        if seen_after.contains(k) {
            continue;
        }
        if *num > 1 {
            return false;
        }
        seen_after.push(*k);
    }
    let mut seen_before: Vec<Key> = Vec::new();
    for (k, num, total) in frags[..b].iter().rev().flatten() {
        if seen_before.contains(k) {
            continue;
        }
        if num < total {
            return false;
        }
        seen_before.push(*k);
    }
    true
}

/// Plans the chunks of a file of `len` bytes, about `chunk_bytes` each, and counts the lines
/// before each chunk so that line numbers in rejects stay file-absolute.
pub fn plan(path: &Path, len: u64, chunk_bytes: u64) -> io::Result<Vec<Chunk>> {
    let chunk_bytes = chunk_bytes.max(2 * WINDOW);
    let mut file = File::open(path)?;
    let mut bounds = vec![0u64];
    let mut nominal = chunk_bytes;
    let mut window = Vec::new();
    while nominal + chunk_bytes / 2 < len {
        let start = nominal.saturating_sub(WINDOW);
        let end = (nominal + WINDOW).min(len);
        window.resize((end - start) as usize, 0);
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut window)?;
        if let Some(b) = safe_boundary(&window, start, nominal) {
            if b > *bounds.last().unwrap_or(&0) && b < len {
                bounds.push(b);
            }
        }
        nominal += chunk_bytes;
    }
    bounds.push(len);
    // Line numbers and the last `$PGHP` line before each chunk: each chunk is scanned on its own
    // (in parallel), then the counts are accumulated in order.
    let ranges: Vec<(u64, u64)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let scans: Vec<io::Result<(u64, Option<u64>)>> = {
        use rayon::prelude::*;
        ranges
            .par_iter()
            .map(|&(a, b)| scan_range(path, a, b))
            .collect()
    };
    let mut chunks = Vec::with_capacity(ranges.len());
    let mut line = 1u64;
    let mut last_pghp: Option<u64> = None;
    for (&(start, end), scan) in ranges.iter().zip(scans) {
        let (newlines, pghp) = scan?;
        chunks.push(Chunk {
            start,
            end,
            first_line: line,
            pghp: last_pghp,
        });
        line += newlines;
        last_pghp = pghp.or(last_pghp);
    }
    // A `$PGHP` line stamps only the message right after it, so a chunk inherits one only when
    // that line is the very last line before the chunk.
    let mut between = Vec::new();
    for c in &mut chunks {
        if let Some(off) = c.pghp {
            let n = c.start.saturating_sub(off);
            let immediate = n > 0 && n <= 4096 && {
                between.resize(n as usize, 0);
                file.seek(SeekFrom::Start(off))?;
                file.read_exact(&mut between)?;
                between.iter().filter(|&&b| b == b'\n').count() == 1
                    && between.last() == Some(&b'\n')
            };
            if !immediate {
                c.pghp = None;
            }
        }
    }
    Ok(chunks)
}

/// Newlines in `[start, end)` of a file, and the start of the last `$PGHP` line that begins in
/// that range (`start` is a line start).
fn scan_range(path: &Path, start: u64, end: u64) -> io::Result<(u64, Option<u64>)> {
    const PATTERN: &[u8] = b"\n$PGHP";
    // The previous block's last bytes are kept in front, so a pattern across blocks is found.
    let keep = PATTERN.len() - 1;
    let finder = memchr::memmem::FinderRev::new(PATTERN);
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut buf = vec![0u8; keep + (1 << 20)];
    let mut carried = 0usize;
    let mut newlines = 0u64;
    let mut last = None;
    let mut pos = start;
    while pos < end {
        let n = ((end - pos) as usize).min(buf.len() - keep);
        file.read_exact(&mut buf[carried..carried + n])?;
        let data = &buf[..carried + n];
        if pos == start && data.starts_with(b"$PGHP") {
            last = Some(start);
        }
        newlines += memchr::memchr_iter(b'\n', &data[carried..]).count() as u64;
        if let Some(i) = finder.rfind(data) {
            // A match right at the end is a `\n` whose `$PGHP` line starts the next chunk.
            let line_start = pos - carried as u64 + i as u64 + 1;
            if line_start < end {
                last = Some(line_start);
            }
        }
        pos += n as u64;
        let tail = data.len().min(keep);
        let from = data.len() - tail;
        buf.copy_within(from..from + tail, 0);
        carried = tail;
    }
    Ok((newlines, last))
}

/// Reads the line starting at byte `offset` (at most 1 KiB), without its line end.
pub fn read_line_at(path: &Path, offset: u64) -> io::Result<Vec<u8>> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(256);
    f.take(1024).read_to_end(&mut buf)?;
    if let Some(nl) = memchr::memchr(b'\n', &buf) {
        buf.truncate(nl);
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments() {
        assert_eq!(
            fragment(
                b"!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E"
            ),
            Some((Key::Seq(2, Some(3), Some(b'B')), 1, 2))
        );
        assert_eq!(
            fragment(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"),
            None
        );
        assert_eq!(
            fragment(b"\\g:1-2-3985,s:x*hh\\!AIVDM,2,1,,B,abc,0*00"),
            Some((Key::Group(3985), 1, 2))
        );
    }

    #[test]
    fn scan_finds_pghp_lines_across_blocks_and_at_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut data = b"$PGHP,first\n".to_vec();
        // A `\n$PGHP` that straddles the 1 MiB read blocks.
        let straddle = (1 << 20) - 2;
        data.resize(straddle, b'x');
        data.extend_from_slice(b"\n$PGHP,second\nyyy\n");
        std::fs::write(&path, &data).unwrap();
        let len = data.len() as u64;
        assert_eq!(scan_range(&path, 0, 13).unwrap(), (1, Some(0)));
        assert_eq!(
            scan_range(&path, 0, len).unwrap(),
            (4, Some(straddle as u64 + 1))
        );
        // A range that starts with the `$PGHP` line.
        let second = straddle as u64 + 1;
        assert_eq!(scan_range(&path, second, len).unwrap(), (2, Some(second)));
        assert_eq!(scan_range(&path, second + 14, len).unwrap(), (1, None));
    }

    #[test]
    fn boundary_skips_open_multipart() {
        let text = b"!A,1,1,,A,x,0*00\n!A,2,1,5,A,x,0*00\n!A,1,1,,B,y,0*00\n!A,2,2,5,A,x,0*00\n!A,1,1,,A,z,0*00\n!A,1,1,,A,w,0*00\n";
        // Nominal boundary at the start of line 3 (inside the open message 5/A).
        let line3 = text
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(1)
            .map(|(i, _)| i as u64 + 1)
            .unwrap();
        let b = safe_boundary(text, 0, line3).unwrap();
        let line5 = text
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(3)
            .map(|(i, _)| i as u64 + 1)
            .unwrap();
        assert_eq!(b, line5);
    }
}
