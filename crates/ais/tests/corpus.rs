//! Every real corpus in `../shared/data/ais/` goes through the decoder without a panic, and every
//! line is accounted for exactly once. Skips (with a message) when the shared folder is absent.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use ais::{Decoder, DecoderOptions, Feed};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: {} not found", p.display());
        None
    }
}

#[derive(Default, Debug)]
struct Tally {
    lines: u64,
    decoded_msgs: u64,
    decoded_lines: u64,
    pending: u64,
    rejected: BTreeMap<&'static str, u64>,
    not_ais: u64,
    by_type: BTreeMap<u8, u64>,
}

impl Tally {
    fn rejected_total(&self) -> u64 {
        self.rejected.values().sum()
    }
}

fn run(data: &[u8]) -> Tally {
    let mut t = Tally::default();
    let mut dec = Decoder::new(DecoderOptions::default());
    let mut seen_raw = 0u64;
    // `lines()` semantics: a final newline does not start another line.
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    let mut settled = 0u64;
    let mut orphan_lines = 0u64;
    for line in body.split(|&b| b == b'\n') {
        t.lines += 1;
        let feed = dec.feed(line);
        settled += feed.lines_settled();
        match feed {
            Feed::Decoded(d) => {
                t.decoded_msgs += 1;
                t.decoded_lines += d.meta.lines as u64;
                assert!(d.meta.line_no <= dec.lines_fed());
                *t.by_type.entry(d.message.msg_type()).or_default() += 1;
                // Every message can be written back and decoded to itself.
                let (payload, fill) = ais::encode::payload(&d.message);
                assert_eq!(
                    ais::decode_payload(payload.as_bytes(), fill).as_ref(),
                    Ok(&d.message)
                );
            }
            Feed::Pending => t.pending += 1,
            Feed::Rejected(r) => {
                *t.rejected.entry(r.reason.as_str()).or_default() += 1 + r.earlier.len() as u64;
                seen_raw += r.earlier.len() as u64;
            }
            Feed::NotAis(_) => t.not_ais += 1,
        }
        while let Some(r) = dec.pop_evicted() {
            assert!(!r.raw.is_empty());
            *t.rejected.entry(r.reason.as_str()).or_default() += 1;
            seen_raw += 1;
            orphan_lines += 1;
        }
    }
    for r in dec.finish() {
        *t.rejected.entry(r.reason.as_str()).or_default() += 1;
        seen_raw += 1;
        orphan_lines += 1;
    }
    assert_eq!(dec.pending(), 0);
    assert_eq!(
        settled + orphan_lines,
        t.lines,
        "Feed::lines_settled + orphans = lines"
    );
    // Each line exactly once: decoded (alone or as part of a multipart), rejected, or not AIS.
    assert_eq!(
        t.lines,
        t.decoded_lines + t.rejected_total() + t.not_ais,
        "{t:?}"
    );
    // Every pending line was later accounted for by a decoded multipart or a verbatim rejection.
    let multipart_extra = t.decoded_lines - t.decoded_msgs;
    assert!(t.pending <= multipart_extra + seen_raw, "{t:?}");
    t
}

fn read(path: &Path) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .expect("gunzip");
        out
    } else {
        raw
    }
}

#[test]
fn all_corpora_account_for_every_line() {
    let Some(root) = shared() else { return };
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["raw-nmea", "bench", "bench/edge-cases"] {
        for e in std::fs::read_dir(root.join(dir))
            .expect("read_dir")
            .flatten()
        {
            if e.path().is_file() {
                files.push(e.path());
            }
        }
    }
    files.sort();
    assert!(
        files.len() >= 20,
        "expected the shared corpora, found {files:?}"
    );
    for f in &files {
        let t = run(&read(f));
        eprintln!(
            "{}: {} lines, {} messages, rejected {:?}, not AIS {}",
            f.file_name().unwrap_or_default().to_string_lossy(),
            t.lines,
            t.decoded_msgs,
            t.rejected,
            t.not_ais
        );
    }
}

/// Pinned counts, each explained, so that a behaviour change shows up here.
#[test]
fn known_counts() {
    let Some(root) = shared() else { return };
    // DMA stream: a $PGHP line before each sentence (one before each two-part message) and 449
    // genuine two-part messages, all of which assemble.
    let t = run(&read(&root.join("raw-nmea/dma-aislib-stream_example.txt")));
    assert_eq!(t.lines, 8551);
    assert_eq!(
        t.not_ais, 4051,
        "one $PGHP line per sentence or multipart group"
    );
    assert_eq!(t.rejected_total(), 0);
    assert_eq!(
        t.decoded_lines - t.decoded_msgs,
        449,
        "449 two-part messages"
    );

    // Tag-block file with g: groups: all 21 groups assemble, nothing rejected.
    let t = run(&read(
        &root.join("raw-nmea/amsa-risky-exact-earth-with-tag-block.txt"),
    ));
    assert_eq!((t.lines, t.decoded_msgs, t.rejected_total()), (221, 200, 0));

    // pyais sample: 100 empty payloads and 20 first halves whose second halves are not in the file.
    let t = run(&read(&root.join("raw-nmea/pyais-nmea_data_sample.txt")));
    assert_eq!(t.rejected.get("empty_payload"), Some(&100));
    assert_eq!(t.rejected.get("orphan_fragment"), Some(&20));

    // libais type examples: one message of each of the 26 types 1–27 (no 19), all decoded.
    let t = run(&read(&root.join("raw-nmea/libais-typeexamples.nmea")));
    assert_eq!(t.decoded_msgs, 26);
    assert_eq!(t.by_type.len(), 26);
}
