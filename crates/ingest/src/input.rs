//! Inputs: expanding directories, opening files (gzip detected by its magic bytes, not by
//! name), stdin, and detecting the format of a stream by its content.

use crate::error::IngestError;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Buffer size of input readers.
pub const READ_BUFFER: usize = 256 * 1024;

/// One input stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// Standard input (`-` on the command line).
    Stdin,
}

impl Input {
    /// The name used in summaries, rejects and `sources.json`.
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Expands command-line paths: `-` is stdin, a directory contributes every regular file below
/// it (recursively, sorted by path, hidden files skipped), a file is itself.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, IngestError> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|source| IngestError::Input {
            path: p.clone(),
            source,
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, &mut out)?;
            if out.len() == before {
                return Err(IngestError::NoInputs(p.display().to_string()));
            }
        } else {
            out.push(Input::File(p.clone()));
        }
    }
    Ok(out)
}

/// [`expand`], leaving out files under any of `exclude` (the store directory and the rejects
/// file, so that `embargo ingest data --store data/store` does not read its own output).
pub fn expand_excluding(paths: &[PathBuf], exclude: &[&Path]) -> Result<Vec<Input>, IngestError> {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let excluded: Vec<PathBuf> = exclude.iter().filter_map(|p| canon(p)).collect();
    let mut inputs = expand(paths)?;
    if !excluded.is_empty() {
        inputs.retain(|i| match i {
            Input::File(p) => canon(p).is_none_or(|c| !excluded.iter().any(|e| c.starts_with(e))),
            Input::Stdin => true,
        });
    }
    Ok(inputs)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<(), IngestError> {
    let err = |source| IngestError::Input {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(err)?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let meta = std::fs::metadata(&path).map_err(|source| IngestError::Input {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(&path, out)?;
        } else if meta.is_file() {
            out.push(Input::File(path));
        }
    }
    Ok(())
}

/// True when the stream starts with the gzip magic bytes.
fn is_gzip(r: &mut BufReader<Box<dyn Read + Send>>) -> io::Result<bool> {
    let head = r.fill_buf()?;
    Ok(head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b)
}

/// Opens an input for line reading, decompressing gzip (including multi-member files, as
/// `cat a.gz b.gz` makes). Returns the reader and whether it was gzip.
pub fn open(input: &Input) -> io::Result<(Box<dyn BufRead + Send>, bool)> {
    let raw: Box<dyn Read + Send> = match input {
        Input::File(p) => Box::new(File::open(p)?),
        Input::Stdin => Box::new(io::stdin()),
    };
    let mut r = BufReader::with_capacity(READ_BUFFER, raw);
    if is_gzip(&mut r)? {
        let gz = flate2::bufread::MultiGzDecoder::new(r);
        Ok((Box::new(BufReader::with_capacity(READ_BUFFER, gz)), true))
    } else {
        Ok((Box::new(r), false))
    }
}

/// What a stream contains, from its first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// NMEA 0183 sentences, with or without tag blocks, `$PGHP` lines, trailing columns.
    Nmea,
    /// Decoded AIS as CSV with a header naming its columns (NOAA, DMA, Spire-style, …).
    Csv,
}

/// Guesses the format from the first bytes of a stream: a first line that is a comma-separated
/// header with an MMSI column is CSV; anything else is read as NMEA (which itself sorts out
/// junk lines).
pub fn sniff(head: &[u8]) -> Format {
    let first = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(first);
    match first.first() {
        Some(b'!') | Some(b'$') | Some(b'\\') => return Format::Nmea,
        _ => {}
    }
    let text = String::from_utf8_lossy(first);
    let has_mmsi = text.split(',').any(|c| crate::csv::normalize(c) == "mmsi");
    if has_mmsi && text.contains(',') {
        Format::Csv
    } else {
        Format::Nmea
    }
}
