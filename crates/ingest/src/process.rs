//! Reading one input (or one chunk of it): lines → decoder or CSV reader → rows, counts, rejects.

use crate::convert::{position_row, static_row};
use crate::csv::{split, CsvRows, Layout};
use crate::lines::{Flow, Line, LineReader};
use crate::summary::{self, Counts};
use ais::{Decoder, DecoderOptions, Feed, NotAis, RejectReason};
use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use store::{PositionRow, RowWriter, StaticRow, StoreError};

/// Where rejected lines go: a worker-local buffer, flushed to the shared `--rejects` file.
pub struct RejectSink<'a> {
    shared: Option<&'a Mutex<Box<dyn Write + Send>>>,
    buf: Vec<u8>,
}

impl<'a> RejectSink<'a> {
    /// A sink writing to `shared` (or discarding, when `None`).
    pub fn new(shared: Option<&'a Mutex<Box<dyn Write + Send>>>) -> Self {
        RejectSink {
            shared,
            buf: Vec::new(),
        }
    }

    /// Records one rejected line: `file TAB line TAB reason TAB raw-bytes NEWLINE`.
    pub fn push(
        &mut self,
        file: &str,
        line_no: u64,
        reason: &str,
        raw: &[u8],
    ) -> std::io::Result<()> {
        if self.shared.is_none() {
            return Ok(());
        }
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let _ = write!(self.buf, "{file}\t{line_no}\t{reason}\t");
        self.buf.extend_from_slice(raw);
        self.buf.push(b'\n');
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffer to the shared file.
    pub fn flush(&mut self) -> std::io::Result<()> {
        if let (Some(shared), false) = (self.shared, self.buf.is_empty()) {
            let mut w = shared.lock().unwrap_or_else(|e| e.into_inner());
            w.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

/// A worker's outputs: row writers for both tables and the reject sink.
pub struct Sinks<'a> {
    /// `positions` rows.
    pub positions: RowWriter<PositionRow>,
    /// `static_reports` rows.
    pub statics: RowWriter<StaticRow>,
    /// Rejected lines.
    pub rejects: RejectSink<'a>,
}

/// Why reading an input stopped early.
#[derive(Debug)]
pub enum StopReason {
    /// Reading the input failed (a truncated gzip, say); the input is at fault.
    Read(String),
    /// Writing the store or the rejects file failed; the whole ingest must stop.
    Write(String),
}

/// Fast per-line tallies, turned into [`Counts`] at the end of an input.
struct Tally {
    lines: u64,
    decoded_lines: u64,
    by_type: [u64; 64],
    undecoded: [u64; 64],
    rejected: [u64; RejectReason::ALL.len()],
    extra_rejected: Vec<(&'static str, u64)>,
    not_ais: [u64; 5],
    csv_header: u64,
    csv_records: u64,
    positions: u64,
    statics: u64,
    without_time: u64,
}

impl Tally {
    fn new() -> Self {
        Tally {
            lines: 0,
            decoded_lines: 0,
            by_type: [0; 64],
            undecoded: [0; 64],
            rejected: [0; RejectReason::ALL.len()],
            extra_rejected: Vec::new(),
            not_ais: [0; 5],
            csv_header: 0,
            csv_records: 0,
            positions: 0,
            statics: 0,
            without_time: 0,
        }
    }

    fn reject_extra(&mut self, reason: &'static str) {
        match self.extra_rejected.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, n)) => *n += 1,
            None => self.extra_rejected.push((reason, 1)),
        }
    }

    fn into_counts(self) -> Counts {
        let mut c = Counts {
            lines_read: self.lines,
            decoded_lines: self.decoded_lines,
            csv_records: self.csv_records,
            positions: self.positions,
            static_reports: self.statics,
            without_time: self.without_time,
            ..Counts::default()
        };
        for (t, &n) in self.by_type.iter().enumerate() {
            if n > 0 {
                c.messages_by_type.insert(t as u8, n);
            }
        }
        for (t, &n) in self.undecoded.iter().enumerate() {
            if n > 0 {
                c.undecoded_by_type.insert(t as u8, n);
            }
        }
        for (i, &n) in self.rejected.iter().enumerate() {
            if n > 0 {
                c.rejected_lines += n;
                c.rejected
                    .insert(RejectReason::ALL[i].as_str().to_string(), n);
            }
        }
        for (r, n) in self.extra_rejected {
            c.rejected_lines += n;
            *c.rejected.entry(r.to_string()).or_default() += n;
        }
        let kinds = [
            NotAis::Blank,
            NotAis::Comment,
            NotAis::TimeLine,
            NotAis::OtherNmea,
            NotAis::Other,
        ];
        for (k, &n) in kinds.iter().zip(self.not_ais.iter()) {
            if n > 0 {
                c.not_ais_lines += n;
                c.not_ais.insert(k.as_str().to_string(), n);
            }
        }
        if self.csv_header > 0 {
            c.not_ais_lines += self.csv_header;
            c.not_ais
                .insert(summary::CSV_HEADER.to_string(), self.csv_header);
        }
        c
    }
}

fn not_ais_index(k: NotAis) -> usize {
    match k {
        NotAis::Blank => 0,
        NotAis::Comment => 1,
        NotAis::TimeLine => 2,
        NotAis::OtherNmea => 3,
        NotAis::Other => 4,
    }
}

fn reason_index(r: RejectReason) -> usize {
    RejectReason::ALL.iter().position(|&x| x == r).unwrap_or(0)
}

/// One input stream to read.
pub struct Job<'a> {
    /// Name for rejects and errors.
    pub name: &'a str,
    /// Source index for the rows.
    pub source: u32,
    /// Line number of the stream's first line in the file.
    pub first_line: u64,
    /// A `$PGHP` line fed to the decoder before the stream (not counted): the time context of a
    /// chunk that starts in the middle of a file.
    pub prime: Option<Vec<u8>>,
    /// Whether the stream may be CSV (false for a chunk after the first of a file).
    pub sniff: bool,
    /// Decoder options.
    pub decoder: DecoderOptions,
    /// Bytes-read counter for progress (updated per buffer, not per line).
    pub progress: Option<&'a AtomicU64>,
}

/// Result of reading one stream.
pub struct JobResult {
    /// `nmea` or the CSV flavour.
    pub format: &'static str,
    /// The counts.
    pub counts: Counts,
    /// Why reading stopped early, if it did.
    pub stop: Option<StopReason>,
}

fn store_stop(e: StoreError) -> StopReason {
    StopReason::Write(e.to_string())
}

/// Reads one stream to its end, writing rows and rejects to `sinks`.
pub fn run_job<R: BufRead>(mut reader: R, job: &Job<'_>, sinks: &mut Sinks<'_>) -> JobResult {
    let format = if job.sniff {
        match reader.fill_buf() {
            Ok(head) => crate::input::sniff(head),
            Err(e) => {
                return JobResult {
                    format: "nmea",
                    counts: Counts::default(),
                    stop: Some(StopReason::Read(format!("{}: {e}", job.name))),
                }
            }
        }
    } else {
        crate::input::Format::Nmea
    };
    let mut lines = LineReader::new(reader);
    let mut tally = Tally::new();
    let mut stop: Option<StopReason> = None;
    // Progress is reported every 64 Ki lines from the line lengths, then corrected to the
    // reader's exact byte count.
    let mut seen = 0u64;
    let mut reported = 0u64;
    let mut progress = |len: usize, lines: u64| {
        seen += len as u64 + 1;
        if lines % 65_536 == 0 {
            if let Some(p) = job.progress {
                p.fetch_add(seen - reported, Ordering::Relaxed);
                reported = seen;
            }
        }
    };
    let format_name;
    let read_result = match format {
        crate::input::Format::Nmea => {
            format_name = "nmea";
            let mut dec = Decoder::new(job.decoder.clone());
            // File line number of the decoder's line 0 (its line numbers count the priming line).
            let mut dec_base = job.first_line - 1;
            if let Some(p) = &job.prime {
                let _ = dec.feed(p);
                dec_base = dec_base.saturating_sub(1);
            }
            let res = lines.for_each(|line| {
                let len = line.bytes.len();
                let flow = nmea_line(&mut dec, dec_base, line, job, &mut tally, sinks, &mut stop);
                progress(len, tally.lines);
                flow
            });
            for r in dec.finish() {
                tally.rejected[reason_index(r.reason)] += 1;
                if let Err(e) =
                    sinks
                        .rejects
                        .push(job.name, dec_base + r.line_no, r.reason.as_str(), &r.raw)
                {
                    stop.get_or_insert(StopReason::Write(format!("rejects: {e}")));
                }
            }
            res
        }
        crate::input::Format::Csv => {
            let mut csv = CsvState::default();
            let res = lines.for_each(|line| {
                let len = line.bytes.len();
                let flow = csv_line(&mut csv, line, job, &mut tally, sinks, &mut stop);
                progress(len, tally.lines);
                flow
            });
            format_name = csv.flavour.unwrap_or("csv_other");
            res
        }
    };
    if let Some(p) = job.progress {
        let total = lines.bytes;
        if total >= reported {
            p.fetch_add(total - reported, Ordering::Relaxed);
        } else {
            p.fetch_sub(reported - total, Ordering::Relaxed);
        }
    }
    if let Err(e) = read_result {
        stop.get_or_insert(StopReason::Read(format!(
            "{}: read error after line {}: {e}",
            job.name,
            job.first_line - 1 + tally.lines
        )));
    }
    if let Err(e) = sinks.rejects.flush() {
        stop.get_or_insert(StopReason::Write(format!("rejects: {e}")));
    }
    JobResult {
        format: format_name,
        counts: tally.into_counts(),
        stop,
    }
}

fn nmea_line(
    dec: &mut Decoder,
    dec_base: u64,
    line: Line<'_>,
    job: &Job<'_>,
    tally: &mut Tally,
    sinks: &mut Sinks<'_>,
    stop: &mut Option<StopReason>,
) -> Flow {
    tally.lines += 1;
    let line_no = job.first_line - 1 + tally.lines;
    if line.truncated {
        // Keep the decoder's line numbers in step; the line itself is rejected here.
        let _ = dec.feed(b"");
        tally.reject_extra(summary::LINE_TOO_LONG);
        if let Err(e) = sinks
            .rejects
            .push(job.name, line_no, summary::LINE_TOO_LONG, line.bytes)
        {
            *stop = Some(StopReason::Write(format!("rejects: {e}")));
            return Flow::Stop;
        }
        return Flow::Continue;
    }
    let mut result: Result<(), StopReason> = Ok(());
    match dec.feed(line.bytes) {
        Feed::Decoded(d) => {
            tally.decoded_lines += d.meta.lines as u64;
            let t = d.message.msg_type() as usize & 63;
            if d.message.is_decoded() {
                tally.by_type[t] += 1;
            } else {
                tally.undecoded[t] += 1;
            }
            if d.meta.time_ms.is_none() {
                tally.without_time += 1;
            }
            if let Some(row) = position_row(&d, job.source) {
                tally.positions += 1;
                result = sinks.positions.push(row).map_err(store_stop);
            }
            if let Some(row) = static_row(&d, job.source) {
                tally.statics += 1;
                result = result.and(sinks.statics.push(row).map_err(store_stop));
            }
        }
        Feed::Pending => {}
        Feed::Rejected(r) => {
            for e in &r.earlier {
                tally.rejected[reason_index(e.reason)] += 1;
                if let Err(err) =
                    sinks
                        .rejects
                        .push(job.name, dec_base + e.line_no, e.reason.as_str(), &e.raw)
                {
                    result = Err(StopReason::Write(format!("rejects: {err}")));
                }
            }
            tally.rejected[reason_index(r.reason)] += 1;
            if let Err(err) = sinks
                .rejects
                .push(job.name, line_no, r.reason.as_str(), line.bytes)
            {
                result = Err(StopReason::Write(format!("rejects: {err}")));
            }
        }
        Feed::NotAis(k) => tally.not_ais[not_ais_index(k)] += 1,
    }
    while let Some(e) = dec.pop_evicted() {
        tally.rejected[reason_index(e.reason)] += 1;
        if let Err(err) =
            sinks
                .rejects
                .push(job.name, dec_base + e.line_no, e.reason.as_str(), &e.raw)
        {
            result = Err(StopReason::Write(format!("rejects: {err}")));
        }
    }
    match result {
        Ok(()) => Flow::Continue,
        Err(s) => {
            *stop = Some(s);
            Flow::Stop
        }
    }
}

#[derive(Default)]
struct CsvState {
    rows: Option<CsvRows>,
    unsupported: bool,
    flavour: Option<&'static str>,
    buf: String,
    ranges: Vec<(usize, usize)>,
}

fn csv_line(
    st: &mut CsvState,
    line: Line<'_>,
    job: &Job<'_>,
    tally: &mut Tally,
    sinks: &mut Sinks<'_>,
    stop: &mut Option<StopReason>,
) -> Flow {
    tally.lines += 1;
    let line_no = job.first_line - 1 + tally.lines;
    let mut reject = |tally: &mut Tally, reason: &'static str, detail: &str| {
        tally.reject_extra(reason);
        let label = if detail.is_empty() {
            reason.to_string()
        } else {
            // The label is one tab-separated field of the rejects file.
            format!("{reason}: {}", detail.replace(['\t', '\n', '\r'], " "))
        };
        if let Err(e) = sinks.rejects.push(job.name, line_no, &label, line.bytes) {
            *stop = Some(StopReason::Write(format!("rejects: {e}")));
            return Flow::Stop;
        }
        Flow::Continue
    };
    if line.truncated {
        return reject(tally, summary::LINE_TOO_LONG, "");
    }
    let text = match std::str::from_utf8(line.bytes) {
        Ok(t) => t.trim_end_matches('\r'),
        Err(_) => return reject(tally, summary::BAD_CSV_ROW, "not UTF-8"),
    };
    let text = if tally.lines == 1 {
        text.trim_start_matches('\u{feff}')
    } else {
        text
    };
    if text.trim().is_empty() {
        tally.not_ais[not_ais_index(NotAis::Blank)] += 1;
        return Flow::Continue;
    }
    let fields: Vec<&str> = if text.contains('"') {
        split(text, &mut st.buf, &mut st.ranges);
        st.ranges.iter().map(|&(a, b)| &st.buf[a..b]).collect()
    } else {
        text.split(',').collect()
    };
    if st.rows.is_none() && !st.unsupported {
        // The first non-blank line is the header.
        tally.csv_header += 1;
        match Layout::from_header(&fields) {
            Some(layout) => {
                st.flavour = Some(layout.flavour);
                st.rows = Some(CsvRows::new(layout, job.source));
            }
            None => {
                st.flavour = Some("csv_unsupported");
                st.unsupported = true;
            }
        }
        return Flow::Continue;
    }
    let Some(rows) = st.rows.as_mut() else {
        return reject(tally, summary::UNSUPPORTED_CSV, "no MMSI and time columns");
    };
    match rows.row(&fields) {
        Ok(out) => {
            tally.decoded_lines += 1;
            tally.csv_records += 1;
            if out.without_time {
                tally.without_time += 1;
            }
            let mut res = Ok(());
            if let Some(p) = out.position {
                tally.positions += 1;
                res = sinks.positions.push(p);
            }
            if let Some(s) = out.static_report {
                tally.statics += 1;
                res = res.and(sinks.statics.push(s));
            }
            if let Err(e) = res {
                *stop = Some(store_stop(e));
                return Flow::Stop;
            }
            Flow::Continue
        }
        Err(bad) => reject(tally, summary::BAD_CSV_ROW, &bad.0),
    }
}
