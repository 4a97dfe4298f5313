//! Line accounting: every input line lands in exactly one category, and the categories add up.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Reason name of a CSV row that could not be read (a required field missing or not a number).
pub const BAD_CSV_ROW: &str = "bad_csv_row";
/// Reason name of a row of a CSV export whose columns Embargo does not know.
pub const UNSUPPORTED_CSV: &str = "unsupported_csv";
/// Reason name of a line longer than [`crate::lines::MAX_LINE`] bytes.
pub const LINE_TOO_LONG: &str = "line_too_long";
/// Not-AIS kind of a CSV header line.
pub const CSV_HEADER: &str = "csv_header";

/// Counts of one input (or of all of them).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Physical lines read (the last line counts even without a final newline).
    pub lines_read: u64,
    /// Lines that became decoded messages or CSV records (a two-part message counts 2 lines).
    pub decoded_lines: u64,
    /// Lines rejected, with a reason.
    pub rejected_lines: u64,
    /// Lines that are not AIS data (skipped by rule).
    pub not_ais_lines: u64,
    /// Messages decoded field by field, by AIS type.
    pub messages_by_type: BTreeMap<u8, u64>,
    /// Messages of types this version does not decode field by field, by AIS type (their lines
    /// are in `decoded_lines`: they are valid AIS, just not used).
    pub undecoded_by_type: BTreeMap<u8, u64>,
    /// CSV records read (each is one decoded line).
    pub csv_records: u64,
    /// Rejected lines by reason.
    pub rejected: BTreeMap<String, u64>,
    /// Not-AIS lines by kind.
    pub not_ais: BTreeMap<String, u64>,
    /// Rows written to `positions`.
    pub positions: u64,
    /// Rows written to `static_reports`.
    pub static_reports: u64,
    /// Decoded messages and records whose time is unknown (bare NMEA).
    pub without_time: u64,
}

impl Counts {
    /// True when every line read is in exactly one category.
    pub fn balanced(&self) -> bool {
        self.lines_read == self.decoded_lines + self.rejected_lines + self.not_ais_lines
            && self.rejected_lines == self.rejected.values().sum::<u64>()
            && self.not_ais_lines == self.not_ais.values().sum::<u64>()
    }

    /// Messages decoded (field by field or not), all types.
    pub fn messages(&self) -> u64 {
        self.messages_by_type.values().sum::<u64>() + self.undecoded_by_type.values().sum::<u64>()
    }

    /// Counts one rejected line.
    pub fn reject(&mut self, reason: &str) {
        self.rejected_lines += 1;
        if let Some(n) = self.rejected.get_mut(reason) {
            *n += 1;
        } else {
            self.rejected.insert(reason.to_string(), 1);
        }
    }

    /// Counts one not-AIS line.
    pub fn not_ais(&mut self, kind: &str) {
        self.not_ais_lines += 1;
        if let Some(n) = self.not_ais.get_mut(kind) {
            *n += 1;
        } else {
            self.not_ais.insert(kind.to_string(), 1);
        }
    }

    /// Adds another input's counts.
    pub fn add(&mut self, o: &Counts) {
        self.lines_read += o.lines_read;
        self.decoded_lines += o.decoded_lines;
        self.rejected_lines += o.rejected_lines;
        self.not_ais_lines += o.not_ais_lines;
        self.csv_records += o.csv_records;
        self.positions += o.positions;
        self.static_reports += o.static_reports;
        self.without_time += o.without_time;
        for (k, v) in &o.messages_by_type {
            *self.messages_by_type.entry(*k).or_default() += v;
        }
        for (k, v) in &o.undecoded_by_type {
            *self.undecoded_by_type.entry(*k).or_default() += v;
        }
        for (k, v) in &o.rejected {
            *self.rejected.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &o.not_ais {
            *self.not_ais.entry(k.clone()).or_default() += v;
        }
    }
}

/// Counts of one input file.
#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    /// The path (`-` for stdin).
    pub path: String,
    /// Index of the file in the store's `sources.json`.
    pub source: u32,
    /// Detected format: `nmea`, `nmea_gz`, `csv_noaa`, `csv_dma`, `csv_other`, …
    pub format: String,
    /// Chunks the file was split into for parallel decoding (1 = read whole).
    pub chunks: u32,
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// An error that stopped reading this file early (its counts cover the lines before it).
    pub error: Option<String>,
}

/// The result of one ingest: totals, per-file counts and what was written.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Totals over all inputs.
    pub totals: Counts,
    /// True when every line read is accounted for exactly once.
    pub balanced: bool,
    /// Per input file.
    pub files: Vec<FileSummary>,
    /// Parquet part files written.
    pub parts_written: Vec<String>,
    /// Files that could not be read to the end.
    pub errors: Vec<String>,
    /// Wall time of the ingest, seconds.
    pub seconds: f64,
    /// Worker threads used.
    pub threads: usize,
}

impl Summary {
    /// Human-readable summary, several lines.
    pub fn to_text(&self) -> String {
        let t = &self.totals;
        let mut s = String::new();
        let rate = if self.seconds > 0.0 {
            t.lines_read as f64 / self.seconds
        } else {
            0.0
        };
        let _ = writeln!(
            s,
            "{} files, {} lines in {:.2} s ({:.0} lines/s, {} threads)",
            self.files.len(),
            t.lines_read,
            self.seconds,
            rate,
            self.threads
        );
        let _ = writeln!(
            s,
            "  decoded   {:>10} lines -> {} messages, {} CSV records",
            t.decoded_lines,
            t.messages(),
            t.csv_records
        );
        let types = |m: &BTreeMap<u8, u64>| {
            m.iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        if !t.messages_by_type.is_empty() {
            let _ = writeln!(s, "    by type   {}", types(&t.messages_by_type));
        }
        if !t.undecoded_by_type.is_empty() {
            let _ = writeln!(s, "    undecoded {}", types(&t.undecoded_by_type));
        }
        let _ = writeln!(s, "  rejected  {:>10} lines", t.rejected_lines);
        for (k, v) in &t.rejected {
            let _ = writeln!(s, "    {k:<20} {v}");
        }
        let _ = writeln!(s, "  not AIS   {:>10} lines", t.not_ais_lines);
        for (k, v) in &t.not_ais {
            let _ = writeln!(s, "    {k:<20} {v}");
        }
        let _ = writeln!(
            s,
            "  written   {} positions, {} static reports, {} part files ({} without time)",
            t.positions,
            t.static_reports,
            self.parts_written.len(),
            t.without_time
        );
        let _ = writeln!(
            s,
            "  accounting {}",
            if self.balanced {
                "balanced: every line counted once"
            } else {
                "NOT BALANCED (bug)"
            }
        );
        for e in &self.errors {
            let _ = writeln!(s, "  error: {e}");
        }
        s
    }
}
