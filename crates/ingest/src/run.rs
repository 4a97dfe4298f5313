//! The ingest driver: inputs → work items (files, or chunks of large files) → worker threads of
//! the rayon pool, each with its own decoder, row writers and reject buffer.

use crate::chunk::{self, Chunk};
use crate::error::IngestError;
use crate::input::{self, Input};
use crate::process::{run_job, Job, JobResult, RejectSink, Sinks, StopReason};
use crate::summary::{Counts, FileSummary, Summary};
use ais::DecoderOptions;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use store::{PositionRow, RowWriter, Sources, StaticRow};

/// Options of [`ingest`].
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Pass lines with a bad or missing NMEA checksum to the decoder (forensic use).
    pub accept_bad_checksum: bool,
    /// Write every rejected line to this file: `file TAB line TAB reason TAB raw line`.
    pub rejects: Option<PathBuf>,
    /// Uncompressed NMEA files larger than this are split into chunks decoded in parallel
    /// (only when the pool has more than one thread).
    pub chunk_bytes: u64,
    /// Rows per Parquet part file.
    pub rows_per_part: usize,
    /// Input bytes read so far (compressed bytes for gzip inputs), for a progress bar.
    pub progress: Option<Arc<AtomicU64>>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            accept_bad_checksum: false,
            rejects: None,
            chunk_bytes: 8 << 20,
            rows_per_part: store::ais_tables::ROWS_PER_PART,
            progress: None,
        }
    }
}

/// Total size in bytes of the file inputs (stdin counts 0), for a progress bar's length.
pub fn total_bytes(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Stdin => 0,
        })
        .sum()
}

struct Item {
    input: usize,
    chunk: Option<Chunk>,
}

struct ItemResult {
    result: JobResult,
    gz: bool,
}

/// Ingests `paths` (files, directories, `-`; files under `store_dir` and the rejects file are
/// left out) into the store at `store_dir`, appending new part files, and writes `sources.json` and `ingest_summary.json`. Uses every thread of the current
/// rayon pool (`RAYON_NUM_THREADS` sets its size).
pub fn ingest(
    paths: &[PathBuf],
    store_dir: &Path,
    opts: &IngestOptions,
) -> Result<Summary, IngestError> {
    let mut exclude = vec![store_dir];
    exclude.extend(opts.rejects.as_deref());
    let inputs = input::expand_excluding(paths, &exclude)?;
    ingest_inputs(&inputs, store_dir, opts)
}

/// [`ingest`] for inputs already expanded with [`input::expand`].
pub fn ingest_inputs(
    inputs: &[Input],
    store_dir: &Path,
    opts: &IngestOptions,
) -> Result<Summary, IngestError> {
    let started = Instant::now();
    let threads = rayon::current_num_threads().max(1);
    let mut sources = Sources::load(store_dir)?;
    let names: Vec<String> = inputs.iter().map(Input::name).collect();
    let source_ids: Vec<u32> = names.iter().map(|n| sources.register(n)).collect();
    // Sources first, so that no part file ever refers to an unregistered source.
    sources.save(store_dir)?;

    let mut items = Vec::new();
    for (i, inp) in inputs.iter().enumerate() {
        let chunks = match inp {
            Input::File(p) if threads > 1 => plan_chunks(p, opts.chunk_bytes)?,
            _ => None,
        };
        match chunks {
            Some(cs) => items.extend(cs.into_iter().map(|c| Item {
                input: i,
                chunk: Some(c),
            })),
            None => items.push(Item {
                input: i,
                chunk: None,
            }),
        }
    }

    let rejects: Option<Mutex<Box<dyn Write + Send>>> = match &opts.rejects {
        Some(p) => {
            let f = File::create(p).map_err(|source| IngestError::Rejects {
                path: p.clone(),
                source,
            })?;
            Some(Mutex::new(Box::new(BufWriter::with_capacity(1 << 20, f))))
        }
        None => None,
    };
    let decoder = DecoderOptions {
        accept_bad_checksum: opts.accept_bad_checksum,
        ..DecoderOptions::default()
    };
    let next = AtomicUsize::new(0);
    let abort = AtomicBool::new(false);
    let results: Mutex<Vec<Option<ItemResult>>> =
        Mutex::new((0..items.len()).map(|_| None).collect());
    let parts: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let fatal: Mutex<Option<String>> = Mutex::new(None);
    let progress = opts.progress.as_deref();

    let worker = || {
        let mut sinks = Sinks {
            positions: RowWriter::<PositionRow>::new(store_dir)
                .with_rows_per_part(opts.rows_per_part),
            statics: RowWriter::<StaticRow>::new(store_dir).with_rows_per_part(opts.rows_per_part),
            rejects: RejectSink::new(rejects.as_ref()),
        };
        loop {
            if abort.load(Ordering::Relaxed) {
                break;
            }
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(k) else { break };
            let r = run_item(
                item,
                inputs,
                &names,
                &source_ids,
                &decoder,
                progress,
                &mut sinks,
            );
            if let Some(StopReason::Write(msg)) = &r.result.stop {
                abort.store(true, Ordering::Relaxed);
                fatal
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get_or_insert(msg.clone());
            }
            results.lock().unwrap_or_else(|e| e.into_inner())[k] = Some(r);
        }
        let mut written = Vec::new();
        for r in [sinks.positions.finish(), sinks.statics.finish()] {
            match r {
                Ok(p) => written.extend(p),
                Err(e) => {
                    fatal
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get_or_insert(e.to_string());
                }
            }
        }
        parts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(written);
    };
    if threads > 1 && items.len() > 1 {
        rayon::broadcast(|_| worker());
    } else {
        worker();
    }

    if let Some(r) = &rejects {
        let mut w = r.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(source) = w.flush() {
            return Err(IngestError::Rejects {
                path: opts.rejects.clone().unwrap_or_default(),
                source,
            });
        }
    }
    if let Some(msg) = fatal.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(IngestError::Write(msg));
    }

    // Merge item results per file, in input order.
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut files: Vec<FileSummary> = names
        .iter()
        .zip(&source_ids)
        .map(|(n, &s)| FileSummary {
            path: n.clone(),
            source: s,
            format: String::new(),
            chunks: 0,
            counts: Counts::default(),
            error: None,
        })
        .collect();
    for (item, r) in items.iter().zip(results) {
        let f = &mut files[item.input];
        f.chunks += 1;
        let Some(r) = r else {
            f.error
                .get_or_insert_with(|| "not read (ingest stopped)".into());
            continue;
        };
        if f.format.is_empty() {
            f.format = if r.gz {
                format!("{}_gz", r.result.format)
            } else {
                r.result.format.to_string()
            };
        }
        f.counts.add(&r.result.counts);
        if let Some(StopReason::Read(msg) | StopReason::Write(msg)) = r.result.stop {
            f.error.get_or_insert(msg);
        }
    }
    let mut totals = Counts::default();
    for f in &files {
        totals.add(&f.counts);
    }
    let mut parts: Vec<String> = parts
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    parts.sort();
    let summary = Summary {
        balanced: totals.balanced() && files.iter().all(|f| f.counts.balanced()),
        totals,
        errors: files.iter().filter_map(|f| f.error.clone()).collect(),
        files,
        parts_written: parts,
        seconds: started.elapsed().as_secs_f64(),
        threads,
    };
    store::sources::write_json(store_dir, store::INGEST_SUMMARY_FILE, &summary)?;
    Ok(summary)
}

/// Chunks for a large, uncompressed NMEA file; `None` to read it whole.
fn plan_chunks(path: &Path, chunk_bytes: u64) -> Result<Option<Vec<Chunk>>, IngestError> {
    let err = |source| IngestError::Input {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(err)?;
    if !meta.is_file() || meta.len() <= chunk_bytes.saturating_mul(3) / 2 {
        return Ok(None);
    }
    let mut head = [0u8; 4096];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(err)?;
    let head = &head[..n];
    let gz = head.len() >= 2 && head[0] == 0x1f && head[1] == 0x8b;
    if gz || input::sniff(head) != input::Format::Nmea {
        return Ok(None);
    }
    let chunks = chunk::plan(path, meta.len(), chunk_bytes).map_err(err)?;
    Ok((chunks.len() > 1).then_some(chunks))
}

fn run_item(
    item: &Item,
    inputs: &[Input],
    names: &[String],
    source_ids: &[u32],
    decoder: &DecoderOptions,
    progress: Option<&AtomicU64>,
    sinks: &mut Sinks<'_>,
) -> ItemResult {
    let name = &names[item.input];
    let mut job = Job {
        name,
        source: source_ids[item.input],
        first_line: 1,
        prime: None,
        sniff: true,
        decoder: decoder.clone(),
        progress,
    };
    let read_error = |e: std::io::Error| ItemResult {
        result: JobResult {
            format: "nmea",
            counts: Counts::default(),
            stop: Some(StopReason::Read(format!("{name}: {e}"))),
        },
        gz: false,
    };
    match (&inputs[item.input], item.chunk) {
        (Input::File(p), Some(c)) => {
            let opened = File::open(p).and_then(|mut f| {
                f.seek(SeekFrom::Start(c.start))?;
                Ok(f)
            });
            let f = match opened {
                Ok(f) => f,
                Err(e) => return read_error(e),
            };
            job.first_line = c.first_line;
            job.sniff = false;
            if let Some(off) = c.pghp {
                match chunk::read_line_at(p, off) {
                    Ok(l) => job.prime = Some(l),
                    Err(e) => return read_error(e),
                }
            }
            let r = BufReader::with_capacity(input::READ_BUFFER, f.take(c.end - c.start));
            ItemResult {
                result: run_job(r, &job, sinks),
                gz: false,
            }
        }
        (inp, _) => {
            let (r, gz) = match input::open(inp) {
                Ok(x) => x,
                Err(e) => return read_error(e),
            };
            if gz {
                // Progress counts input bytes: add the compressed size once the file is done.
                job.progress = None;
            }
            let result = run_job(r, &job, sinks);
            if let (true, Some(p), Input::File(path)) = (gz, progress, inp) {
                p.fetch_add(
                    std::fs::metadata(path).map_or(0, |m| m.len()),
                    Ordering::Relaxed,
                );
            }
            ItemResult { result, gz }
        }
    }
}
