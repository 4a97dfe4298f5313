//! OFAC legacy CSV: `sdn.csv` (12 columns, no header, `-0-` for null) with its companions
//! `add.csv` (addresses), `alt.csv` (aliases) and `sdn_comments.csv` (remarks overflow), read from
//! the same directory when present. Identifiers live in the free-text Remarks
//! ("Vessel Registration Identification IMO 7937317", "Digital Currency Address - XBT 1A1z…",
//! "DOB 25 Mar 1977", "Passport T14553558 (Iran)", "a.k.a. 'KOMID'") and are parsed out of it.

use crate::countries;
use crate::csvpos::{counting, Lines};
use crate::error::{ListError, Position};
use crate::model::{Entity, IdKind, NameStrength, Schema};
use crate::text::{
    find_imos, find_mmsis, id_kind_for_document, organization_schema, parse_date, squash_ws,
};
use crate::{open_decompressed, Format, ParseOutput};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

const FORMAT: &str = "OFAC legacy CSV";

/// Which file of the OFAC CSV set a first line looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CsvKind {
    /// `sdn.csv`
    Sdn,
    /// `add.csv`
    Add,
    /// `alt.csv`
    Alt,
    /// `sdn_comments.csv`
    Comments,
}

impl CsvKind {
    pub(crate) fn file_name(self) -> &'static str {
        match self {
            CsvKind::Sdn => "sdn.csv",
            CsvKind::Add => "add.csv",
            CsvKind::Alt => "alt.csv",
            CsvKind::Comments => "sdn_comments.csv",
        }
    }
}

/// Recognises the files of the set from their first line.
pub(crate) fn sniff(first_line: &str) -> Option<CsvKind> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(first_line.as_bytes());
    let rec = rdr.records().next()?.ok()?;
    let numeric = |i: usize| {
        rec.get(i)
            .is_some_and(|f| !f.is_empty() && f.trim().bytes().all(|b| b.is_ascii_digit()))
    };
    if !numeric(0) {
        return None;
    }
    match rec.len() {
        12 => Some(CsvKind::Sdn),
        6 if numeric(1) => Some(CsvKind::Add),
        5 if numeric(1) && matches!(rec.get(2), Some("aka" | "fka" | "nka")) => Some(CsvKind::Alt),
        2 => Some(CsvKind::Comments),
        _ => None,
    }
}

/// Decodes a field: UTF-8 when valid, else Latin-1 (older OFAC files); `-0-` and blanks are `None`.
fn field(rec: &csv::ByteRecord, i: usize) -> Option<String> {
    let raw = rec.get(i)?;
    let s = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => raw.iter().map(|&b| b as char).collect(),
    };
    let t = s.trim();
    if t.is_empty() || t == "-0-" {
        None
    } else {
        Some(t.to_string())
    }
}

fn csv_error(path: &Path, e: &csv::Error, lines: &mut Lines) -> ListError {
    let position = e
        .position()
        .map(|p| Position::Line(lines.line_at(p.byte())))
        .unwrap_or(Position::File);
    ListError::malformed(path, FORMAT, position, e.to_string())
}

fn is_eof_marker(rec: &csv::ByteRecord) -> bool {
    rec.len() == 1
        && rec
            .get(0)
            .is_some_and(|f| f.iter().all(|&b| b == 0x1a || b.is_ascii_whitespace()))
}

/// Finds a companion file next to `sdn.csv`, matching the name case-insensitively, plain or `.gz`.
fn companion(path: &Path, name: &str) -> Option<PathBuf> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let entries = std::fs::read_dir(dir).ok()?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let n = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            n == name || n == format!("{name}.gz") || n == format!("{name}.bz2")
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// Parses `sdn.csv` and its companions.
pub(crate) fn parse<R: BufRead>(input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut out = ParseOutput::new(Format::OfacLegacyCsv);

    // Companions first: they are small, and remarks overflow must be joined before parsing remarks.
    let mut comments: HashMap<String, String> = HashMap::new();
    if let Some(p) = companion(path, "sdn_comments.csv") {
        for_rows(&p, 2, |line, rec| {
            if let (Some(id), Some(text)) = (field(rec, 0), field(rec, 1)) {
                comments.entry(id).or_default().push_str(&text);
            } else {
                let _ = line;
            }
        })?;
        out.summary
            .notes
            .push(format!("remarks overflow read from {}", p.display()));
    }
    let mut alts: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(p) = companion(path, "alt.csv") {
        for_rows(&p, 5, |_, rec| {
            if let (Some(id), Some(name)) = (field(rec, 0), field(rec, 3)) {
                alts.entry(id).or_default().push(name);
            }
        })?;
        out.summary
            .notes
            .push(format!("aliases read from {}", p.display()));
    }
    let mut adds: HashMap<String, Vec<(String, Option<String>)>> = HashMap::new();
    if let Some(p) = companion(path, "add.csv") {
        for_rows(&p, 6, |_, rec| {
            if let Some(id) = field(rec, 0) {
                let parts: Vec<String> = [2, 3, 4].iter().filter_map(|&i| field(rec, i)).collect();
                if !parts.is_empty() {
                    adds.entry(id)
                        .or_default()
                        .push((parts.join(", "), field(rec, 4)));
                }
            }
        })?;
        out.summary
            .notes
            .push(format!("addresses read from {}", p.display()));
    }

    let (input, mut lines) = counting(input);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, &e, &mut lines)),
        }
        let line = rec.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
        if is_eof_marker(&rec) {
            continue; // DOS end-of-file byte (0x1A) after the last row: not a record.
        }
        out.summary.records += 1;
        if rec.len() != 12 {
            return Err(ListError::malformed(
                path,
                FORMAT,
                Position::Line(line),
                format!(
                    "row has {} fields, sdn.csv rows have 12 (file truncated or not sdn.csv?)",
                    rec.len()
                ),
            ));
        }
        let Some(ent_num) = field(&rec, 0).filter(|n| n.bytes().all(|b| b.is_ascii_digit())) else {
            out.summary.skip("row without a numeric ent_num");
            continue;
        };
        let Some(name) = field(&rec, 1) else {
            out.summary.skip("row without a name");
            continue;
        };
        let sdn_type = field(&rec, 2).unwrap_or_default().to_lowercase();
        let schema = match sdn_type.as_str() {
            "individual" => Schema::Person,
            "vessel" => Schema::Vessel,
            "aircraft" => Schema::Aircraft,
            _ => organization_schema(&name),
        };
        let mut e = Entity::new(format!("ofac:{ent_num}"), "ofac", schema);
        e.list_ref = Some(ent_num.clone());
        e.add_name(&squash_ws(&name), NameStrength::Strong);
        if let Some(programs) = field(&rec, 3) {
            for p in programs.split(['[', ']']) {
                Entity::push_unique(&mut e.programs, p.trim());
            }
        }
        if let Some(cs) = field(&rec, 5) {
            e.add_identifier(IdKind::CallSign, &cs, None);
        }
        e.flag = field(&rec, 9).and_then(|f| countries::normalize(&f));
        for alt in alts.remove(&ent_num).unwrap_or_default() {
            e.add_name(&squash_ws(&alt), NameStrength::Strong);
        }
        for (addr, country) in adds.remove(&ent_num).unwrap_or_default() {
            Entity::push_unique(&mut e.addresses, &addr);
            if let Some(c) = country.as_deref().and_then(countries::normalize) {
                Entity::push_unique(&mut e.countries, &c);
            }
        }
        let mut remarks = field(&rec, 11).unwrap_or_default();
        if let Some(more) = comments.remove(&ent_num) {
            remarks.push_str(&more);
        }
        if !remarks.is_empty() {
            apply_remarks(&mut e, &remarks);
            e.remarks = Some(squash_ws(&remarks));
        }
        out.push(e);
    }
    let orphans =
        alts.values().map(Vec::len).sum::<usize>() + adds.values().map(Vec::len).sum::<usize>();
    if orphans > 0 {
        out.summary.notes.push(format!(
            "{orphans} alias/address rows name an ent_num not in sdn.csv (ignored)"
        ));
    }
    if !comments.is_empty() {
        out.summary.notes.push(format!(
            "{} sdn_comments rows name an ent_num not in sdn.csv (ignored)",
            comments.len()
        ));
    }
    Ok(out)
}

/// Reads a companion CSV, requiring `fields` columns per row (a trailing 0x1A byte is allowed).
fn for_rows(
    path: &Path,
    fields: usize,
    mut f: impl FnMut(u64, &csv::ByteRecord),
) -> Result<(), ListError> {
    let input: Box<dyn Read> = open_decompressed(path)?;
    let (input, mut lines) = counting(BufReader::new(input));
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, &e, &mut lines)),
        }
        if is_eof_marker(&rec) {
            continue;
        }
        let line = rec.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
        if rec.len() != fields {
            return Err(ListError::malformed(
                path,
                FORMAT,
                Position::Line(line),
                format!("row has {} fields, expected {fields}", rec.len()),
            ));
        }
        f(line, &rec);
    }
}

/// Parses the facts in an sdn.csv Remarks text into the entity.
fn apply_remarks(e: &mut Entity, remarks: &str) {
    for imo in find_imos(remarks) {
        e.add_identifier(IdKind::Imo, &imo, None);
    }
    for mmsi in find_mmsis(remarks) {
        e.add_identifier(IdKind::Mmsi, &mmsi, None);
    }
    for raw in remarks.split(';') {
        let fact = raw.trim().trim_end_matches('.').trim();
        let fact = fact.strip_prefix("alt. ").unwrap_or(fact).trim();
        if let Some(rest) = fact.strip_prefix("Digital Currency Address - ") {
            let mut it = rest.splitn(2, ' ');
            if let (Some(cur), Some(addr)) = (it.next(), it.next()) {
                e.add_identifier(
                    IdKind::CryptoAddress(cur.trim().to_string()),
                    addr.trim(),
                    None,
                );
            }
        } else if let Some(rest) = fact.strip_prefix("DOB ") {
            let rest = rest.trim();
            if let Some((a, b)) = rest.split_once(" to ") {
                let (ya, yb) = (parse_date(a), parse_date(b));
                if let (Some(ya), Some(yb)) = (ya, yb) {
                    let (fa, fb) = (ya[..4].parse::<u32>().ok(), yb[..4].parse::<u32>().ok());
                    if let (Some(fa), Some(fb)) = (fa, fb) {
                        if fa <= fb && fb - fa <= 20 {
                            for y in fa..=fb {
                                Entity::push_unique(&mut e.birth_dates, &y.to_string());
                            }
                        }
                    }
                }
            } else if let Some(d) = parse_date(rest) {
                Entity::push_unique(&mut e.birth_dates, &d);
            }
        } else if let Some(rest) = fact
            .strip_prefix("nationality ")
            .or_else(|| fact.strip_prefix("citizen "))
            .or_else(|| fact.strip_prefix("Nationality of Registration "))
        {
            if let Some(c) = countries::normalize(rest) {
                Entity::push_unique(&mut e.countries, &c);
            }
        } else if let Some(rest) = fact
            .strip_prefix("a.k.a. ")
            .or_else(|| fact.strip_prefix("f.k.a. "))
        {
            let name = rest.trim().trim_matches('\'').trim();
            e.add_name(&squash_ws(name), NameStrength::Weak);
        } else if let Some(rest) = fact.strip_prefix("Organization Established Date ") {
            if let Some(d) = parse_date(rest) {
                Entity::push_unique(&mut e.birth_dates, &d);
            }
        } else {
            document(e, fact);
        }
    }
}

/// "Passport T14553558 (Iran)", "National ID No. 123 (Korea, North)", "Registration ID 123".
fn document(e: &mut Entity, fact: &str) {
    const DOCS: &[&str] = &[
        "Passport",
        "Diplomatic Passport",
        "National ID No.",
        "Identification Number",
        "Registration ID",
        "Registration Number",
        "Company Number",
        "Commercial Registry Number",
        "Tax ID No.",
        "Cedula No.",
        "D.N.I.",
        "Business Registration Number",
        "Unified Social Credit Code (USCC)",
    ];
    for d in DOCS {
        let Some(rest) = fact.strip_prefix(d).and_then(|r| r.strip_prefix(' ')) else {
            continue;
        };
        let (number, country) = match rest.find(" (") {
            Some(i) => {
                let c = rest[i + 2..].split(')').next().unwrap_or("");
                (&rest[..i], countries::normalize(c))
            }
            None => (rest.split(' ').next().unwrap_or(rest), None),
        };
        let number = number.trim();
        if !number.is_empty() && number.len() <= 40 {
            e.add_identifier(id_kind_for_document(d), number, country);
        }
        return;
    }
}
