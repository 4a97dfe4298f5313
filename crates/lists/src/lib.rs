//! # lists — sanctions lists in, one entity model out
//!
//! Parsers for the UN Security Council consolidated XML, OFAC SDN Advanced XML, legacy `sdn.xml`
//! and legacy CSV,
//! EU Financial Sanctions Files XML (and OpenSanctions' EU journal CSV), UK OFSI ConList CSV,
//! OpenSanctions FollowTheMoney JSON lines and OFAC-derived crypto address lists, all into
//! [`model::Entity`].
//!
//! Entry point: [`load_path`] sniffs the format from the content (gzip and bzip2 are decompressed
//! transparently), parses streaming, and checks the result: a malformed file gives an error naming
//! the file and position, and a list that parses to suspiciously few entries for its size is an
//! error rather than a silent success. Every record is either parsed or skipped with a reason
//! counted in [`Summary`]. [`store`] saves loaded entities as JSON lines with a manifest and diffs
//! a load against the previous one.

pub mod countries;
pub mod error;
pub mod model;
pub mod store;
pub mod text;

mod crypto;
mod csvpos;
mod eu;
mod ftm;
mod ofac_csv;
mod ofac_sdn_xml;
mod ofac_xml;
mod uk;
mod un;
mod xml;

pub use error::{ListError, Position};
pub use model::{Entity, IdKind, Identifier, Name, NameStrength, Relation, Schema};

use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A supported list format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    /// UN Security Council consolidated list XML.
    UnXml,
    /// OFAC SDN Advanced XML (`ADVANCED_XML` namespace).
    OfacAdvancedXml,
    /// OFAC legacy `sdn.xml` (`sdnList`, either namespace).
    OfacSdnXml,
    /// OFAC legacy `sdn.csv` (with `add.csv`, `alt.csv`, `sdn_comments.csv` beside it when present).
    OfacLegacyCsv,
    /// EU Financial Sanctions Files XML 1.1.
    EuFsfXml,
    /// OpenSanctions' structured CSV of an EU regulation's annexes (e.g. 2017/1509, DPRK).
    EuJournalCsv,
    /// UK OFSI Consolidated List CSV (ConList.csv).
    UkConListCsv,
    /// OpenSanctions FollowTheMoney entities, one JSON object per line.
    FtmJson,
    /// One crypto address per line (or a JSON array), currency taken from the file name
    /// (`sanctioned_addresses_ETH.txt`).
    CryptoAddressList,
}

impl Format {
    /// Human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Format::UnXml => "UN consolidated XML",
            Format::OfacAdvancedXml => "OFAC SDN Advanced XML",
            Format::OfacSdnXml => "OFAC sdn.xml",
            Format::OfacLegacyCsv => "OFAC legacy CSV",
            Format::EuFsfXml => "EU FSF XML",
            Format::EuJournalCsv => "EU journal CSV (OpenSanctions)",
            Format::UkConListCsv => "UK OFSI ConList CSV",
            Format::FtmJson => "FollowTheMoney JSON lines",
            Format::CryptoAddressList => "crypto address list",
        }
    }

    /// Source code used as the prefix of entity ids.
    pub fn source(self) -> &'static str {
        match self {
            Format::UnXml => "un",
            Format::OfacAdvancedXml | Format::OfacSdnXml | Format::OfacLegacyCsv => "ofac",
            Format::EuFsfXml | Format::EuJournalCsv => "eu",
            Format::UkConListCsv => "uk",
            Format::FtmJson => "opensanctions",
            Format::CryptoAddressList => "ofac-crypto",
        }
    }

    /// Typical bytes per entry in real files of this format (measured on the files in
    /// `../shared/data/sanctions`, rounded down). A file parsing to fewer than a tenth of
    /// `bytes / bytes_per_entry` entries is rejected as truncated or mis-detected.
    fn bytes_per_entry(self) -> u64 {
        match self {
            Format::UnXml => 2_000,           // 2.0 MB / 1,003
            Format::OfacAdvancedXml => 6_500, // 121 MB / 18,367
            Format::OfacLegacyCsv => 220,     // sdn.csv 2.0 MB / 8,975
            Format::OfacSdnXml => 3_000, // no copy here: a generous guess (sdn.xml is leaner than Advanced)
            Format::EuFsfXml => 4_000,   // ~25 MB / ~6,000 (public reports)
            Format::EuJournalCsv => 450, // 153 KB / 326
            Format::UkConListCsv => 400, // 33 KB / 77
            Format::FtmJson => 1_000,    // 7 KB / 6
            Format::CryptoAddressList => 40, // 19 KB / 517 (XBT)
        }
    }
}

/// How the records of a file were accounted for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Records seen in the file (parties, rows, lines).
    pub records: usize,
    /// Records that became entities.
    pub parsed: usize,
    /// Records skipped, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Records folded into the entity of an earlier record (e.g. UK alias rows of one Group ID).
    #[serde(default)]
    pub merged: usize,
    /// Entities whose id repeated an earlier one and got a `#n` suffix.
    pub duplicate_ids: usize,
    /// Facts worth knowing about the file (e.g. companion files used).
    pub notes: Vec<String>,
}

impl Summary {
    /// Counts a skipped record.
    pub(crate) fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_insert(0) += 1;
    }

    /// Total skipped records.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// A parsed list.
#[derive(Debug, Clone)]
pub struct LoadedList {
    /// The file it came from.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Date of the list as the file states it (`YYYY-MM-DD`), when it does.
    pub list_date: Option<String>,
    /// The entities.
    pub entities: Vec<Entity>,
    /// Record accounting.
    pub summary: Summary,
    /// Size of the decompressed input in bytes.
    pub bytes: u64,
}

/// What a format parser returns.
pub(crate) struct ParseOutput {
    pub(crate) format: Format,
    pub(crate) list_date: Option<String>,
    pub(crate) entities: Vec<Entity>,
    pub(crate) summary: Summary,
    ids: HashMap<String, usize>,
}

impl ParseOutput {
    pub(crate) fn new(format: Format) -> Self {
        ParseOutput {
            format,
            list_date: None,
            entities: Vec::new(),
            summary: Summary::default(),
            ids: HashMap::new(),
        }
    }

    /// Adds a parsed entity, making its id unique, and counts it.
    pub(crate) fn push(&mut self, mut e: Entity) {
        let n = self.ids.entry(e.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            e.id = format!("{}#{}", e.id, n);
            self.summary.duplicate_ids += 1;
        }
        self.summary.parsed += 1;
        self.entities.push(e);
    }
}

/// Counts bytes read through it, so the size of decompressed input is known after parsing.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Opens a file, decompressing gzip or bzip2 (recognised by their magic bytes).
pub fn open_decompressed(path: &Path) -> Result<Box<dyn Read>, ListError> {
    let mut file = BufReader::new(File::open(path).map_err(|e| ListError::io(path, e))?);
    let magic = file.fill_buf().map_err(|e| ListError::io(path, e))?;
    Ok(if magic.starts_with(&[0x1f, 0x8b]) {
        Box::new(Prefetch::spawn(flate2::bufread::MultiGzDecoder::new(file)))
    } else if magic.starts_with(b"BZh") {
        Box::new(Prefetch::spawn(bzip2::bufread::MultiBzDecoder::new(file)))
    } else {
        Box::new(file)
    })
}

/// Decompresses on a second thread, so that decoding and parsing overlap (bzip2 decoding of the
/// OFAC file takes about as long as parsing it). At most four 1 MiB chunks are in flight.
struct Prefetch {
    rx: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
}

impl Prefetch {
    fn spawn<R: Read + Send + 'static>(mut inner: R) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel(4);
        std::thread::spawn(move || loop {
            let mut buf = vec![0u8; 1 << 20];
            let mut filled = 0;
            // Fill the chunk (decoders return short reads), stop at end of stream or error.
            let result = loop {
                match inner.read(&mut buf[filled..]) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        filled += n;
                        if filled == buf.len() {
                            break Ok(());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            buf.truncate(filled);
            let end = filled == 0;
            let sent = match result {
                Ok(()) if end => break,
                Ok(()) => tx.send(Ok(buf)),
                Err(e) => {
                    if filled > 0 && tx.send(Ok(buf)).is_err() {
                        break;
                    }
                    let _ = tx.send(Err(e));
                    break;
                }
            };
            if sent.is_err() {
                break; // the reader was dropped
            }
        });
        Prefetch {
            rx,
            chunk: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl Read for Prefetch {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = out.len().min(self.chunk.len() - self.pos);
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Size of the sniffing window at the start of a file.
const HEAD: u64 = 64 * 1024;

/// Loads one list file, detecting its format from the content.
///
/// Errors: unreadable file, unknown format, malformed content (with position), or fewer entries
/// than a real list of that format and size holds.
pub fn load_path(path: impl AsRef<Path>) -> Result<LoadedList, ListError> {
    let path = path.as_ref();
    let count = Rc::new(Cell::new(0u64));
    let mut reader = Counting {
        inner: open_decompressed(path)?,
        count: Rc::clone(&count),
    };
    let mut head = Vec::with_capacity(HEAD as usize);
    (&mut reader)
        .take(HEAD)
        .read_to_end(&mut head)
        .map_err(|e| ListError::io(path, e))?;
    let format = detect(&head, path)?;
    let input = BufReader::with_capacity(256 * 1024, Cursor::new(head).chain(reader));
    let mut list = parse_reader(input, path, format)?;
    list.bytes = count.get();
    check_count(&list)?;
    Ok(list)
}

/// Loads several list files (each as [`load_path`]) and returns all their entities, in file order.
/// Stops at the first file that fails.
pub fn load_entities<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Entity>, ListError> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(load_path(p)?.entities);
    }
    Ok(out)
}

/// Parses a reader in a known format, without the entry-count plausibility check.
/// `path` is used in error messages (and, for OFAC legacy CSV, to find companion files).
pub fn parse_reader<R: BufRead>(
    input: R,
    path: &Path,
    format: Format,
) -> Result<LoadedList, ListError> {
    let out = match format {
        Format::UnXml => un::parse(input, path)?,
        Format::OfacAdvancedXml => ofac_xml::parse(input, path)?,
        Format::OfacSdnXml => ofac_sdn_xml::parse(input, path)?,
        Format::OfacLegacyCsv => ofac_csv::parse(input, path)?,
        Format::EuFsfXml => eu::parse_fsf(input, path)?,
        Format::EuJournalCsv => eu::parse_journal_csv(input, path)?,
        Format::UkConListCsv => uk::parse(input, path)?,
        Format::FtmJson => ftm::parse(input, path)?,
        Format::CryptoAddressList => crypto::parse(input, path)?,
    };
    Ok(LoadedList {
        path: path.to_path_buf(),
        format: out.format,
        list_date: out.list_date,
        entities: out.entities,
        summary: out.summary,
        bytes: 0,
    })
}

/// Rejects a list with fewer entries than its format and size make plausible (and any empty list).
fn check_count(list: &LoadedList) -> Result<(), ListError> {
    let expected = list.bytes / list.format.bytes_per_entry();
    let mut min = ((expected / 10) as usize).max(1);
    // A full OFAC SDN export has had well over 1,000 parties for decades; anything over 10 MB
    // with fewer is a partial or mangled export, whatever its density.
    if list.format == Format::OfacAdvancedXml && list.bytes > 10_000_000 {
        min = min.max(1_000);
    }
    let count = list.entities.len();
    if count < min {
        return Err(ListError::TooFewEntries {
            path: list.path.clone(),
            format: list.format.name(),
            count,
            min,
            bytes: list.bytes,
        });
    }
    Ok(())
}

/// Detects the format from the first bytes of the (decompressed) file and, for crypto lists,
/// the file name.
pub fn detect(head: &[u8], path: &Path) -> Result<Format, ListError> {
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let unknown = |hint: &str| ListError::UnknownFormat {
        path: path.to_path_buf(),
        hint: hint.to_string(),
    };
    if head.starts_with(b"PK\x03\x04") {
        return Err(unknown("a zip archive: unzip it first"));
    }
    if trimmed.starts_with('<') {
        if text.contains("<CONSOLIDATED_LIST") {
            return Ok(Format::UnXml);
        }
        if text.contains("ADVANCED_XML")
            || (text.contains("<Sanctions") && text.contains("<ReferenceValueSets"))
        {
            return Ok(Format::OfacAdvancedXml);
        }
        if text.contains("fpi/fsd/export") || text.contains("<sanctionEntity") {
            return Ok(Format::EuFsfXml);
        }
        if text.contains("<sdnList") {
            return Ok(Format::OfacSdnXml);
        }
        if text.contains("ENHANCED_XML") {
            return Err(unknown(
                "OFAC Enhanced XML is not supported: use sdn_advanced.xml",
            ));
        }
        return Err(unknown("XML, but not UN, OFAC Advanced or EU FSF"));
    }
    if trimmed.starts_with('{') && text.contains("\"schema\"") {
        return Ok(Format::FtmJson);
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    if first_line.starts_with("celex,recordId,programKey") {
        return Ok(Format::EuJournalCsv);
    }
    if text.contains("Name 6") && text.contains("Group ID") {
        return Ok(Format::UkConListCsv);
    }
    if file_name.starts_with("sanctioned_addresses_") {
        return Ok(Format::CryptoAddressList);
    }
    if let Some(kind) = ofac_csv::sniff(first_line) {
        return match kind {
            ofac_csv::CsvKind::Sdn => Ok(Format::OfacLegacyCsv),
            other => Err(unknown(&format!(
                "looks like OFAC {}; load the sdn.csv beside it instead (companions are read automatically)",
                other.file_name()
            ))),
        };
    }
    let shown: String = first_line.chars().take(60).collect();
    Err(unknown(&format!("first line: {shown:?}")))
}
