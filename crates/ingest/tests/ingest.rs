//! Ingest accounting and store contents on small committed fixtures, gzip, directories, and
//! (when ../shared is present) every real AIS corpus.

use ingest::{ingest, IngestOptions, Summary};
use std::io::Write;
use std::path::{Path, PathBuf};
use store::{PositionRow, StaticRow, TransceiverClass};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Physical lines of a byte stream, counted independently of the crate's line reader.
fn physical_lines(bytes: &[u8]) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n"))
}

fn run(paths: &[PathBuf], store: &Path, opts: &IngestOptions) -> Summary {
    let s = ingest(paths, store, opts).unwrap();
    assert!(s.balanced, "{}", s.to_text());
    let t = &s.totals;
    assert_eq!(
        t.lines_read,
        t.decoded_lines + t.rejected_lines + t.not_ais_lines
    );
    assert_eq!(t.rejected_lines, t.rejected.values().sum::<u64>());
    assert_eq!(t.not_ais_lines, t.not_ais.values().sum::<u64>());
    s
}

fn positions(store: &Path) -> Vec<PositionRow> {
    store::read_positions(store)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn statics(store: &Path) -> Vec<StaticRow> {
    store::read_static_reports(store)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn get(m: &std::collections::BTreeMap<String, u64>, k: &str) -> u64 {
    m.get(k).copied().unwrap_or(0)
}

#[test]
fn nmea_fixture_every_line_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("rejects.tsv");
    let opts = IngestOptions {
        rejects: Some(rejects.clone()),
        ..IngestOptions::default()
    };
    let path = fixture("mixed.nmea");
    let s = run(
        std::slice::from_ref(&path),
        &dir.path().join("store"),
        &opts,
    );
    let t = &s.totals;
    assert_eq!(t.lines_read, physical_lines(&std::fs::read(&path).unwrap()));
    assert_eq!(t.lines_read, 31);
    assert_eq!(t.decoded_lines, 13);
    assert_eq!(t.messages_by_type.get(&1), Some(&5));
    assert_eq!(t.messages_by_type.get(&3), Some(&3));
    assert_eq!(t.messages_by_type.get(&4), Some(&1));
    assert_eq!(t.messages_by_type.get(&5), Some(&1));
    assert_eq!(t.messages_by_type.get(&24), Some(&1));
    assert_eq!(t.undecoded_by_type.get(&15), Some(&1));
    assert_eq!(get(&t.rejected, "bad_checksum"), 1);
    assert_eq!(get(&t.rejected, "missing_checksum"), 1);
    assert_eq!(get(&t.rejected, "empty_payload"), 1);
    assert_eq!(get(&t.rejected, "orphan_fragment"), 1);
    assert_eq!(t.rejected_lines, 4);
    assert_eq!(get(&t.not_ais, "time_line"), 10);
    assert_eq!(get(&t.not_ais, "comment"), 1);
    assert_eq!(get(&t.not_ais, "blank"), 1);
    assert_eq!(get(&t.not_ais, "other_nmea"), 1);
    assert_eq!(get(&t.not_ais, "other"), 1);
    assert_eq!(s.files[0].format, "nmea");

    // Rejects file: one line per rejected line, verbatim, with file, line number and reason.
    let rej = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = rej.lines().collect();
    assert_eq!(lines.len() as u64, t.rejected_lines);
    let src = std::fs::read_to_string(&path).unwrap();
    let src_lines: Vec<&str> = src.lines().collect();
    for l in &lines {
        let f: Vec<&str> = l.splitn(4, '\t').collect();
        assert_eq!(f[0], path.display().to_string());
        let n: usize = f[1].parse().unwrap();
        assert_eq!(src_lines[n - 1].trim_end_matches('\r'), f[3], "line {n}");
    }
    assert!(rej.contains("\tbad_checksum\t!AIVDM,1,1,,A,13iEcL0P1iPwuvROMf@BnR@D0@7L,0*00"));

    // Rows: the $PGHP time lines give times; type 5 gives a static row.
    let st = dir.path().join("store");
    let pos = positions(&st);
    assert_eq!(pos.len() as u64, t.positions);
    assert_eq!(pos.len(), 9);
    assert!(pos[0].time_ms.is_some());
    assert_eq!(pos[0].class, TransceiverClass::BaseStation);
    let sr = statics(&st);
    assert_eq!(sr.len(), 2);
    assert!(sr.iter().any(|r| r.msg_type == 5 && r.name.is_some()));
}

#[test]
fn accept_bad_checksum_decodes_them() {
    let dir = tempfile::tempdir().unwrap();
    let opts = IngestOptions {
        accept_bad_checksum: true,
        ..IngestOptions::default()
    };
    let s = run(&[fixture("mixed.nmea")], dir.path(), &opts);
    assert_eq!(get(&s.totals.rejected, "bad_checksum"), 0);
    assert_eq!(get(&s.totals.rejected, "missing_checksum"), 0);
    assert_eq!(s.totals.decoded_lines, 15);
}

#[test]
fn noaa_csv() {
    let dir = tempfile::tempdir().unwrap();
    let s = run(
        &[fixture("noaa.csv")],
        dir.path(),
        &IngestOptions::default(),
    );
    let t = &s.totals;
    assert_eq!(s.files[0].format, "csv_noaa");
    assert_eq!(t.lines_read, 8);
    assert_eq!(t.csv_records, 5);
    assert_eq!(t.decoded_lines, 5);
    assert_eq!(get(&t.rejected, "bad_csv_row"), 1);
    assert_eq!(get(&t.not_ais, "csv_header"), 1);
    assert_eq!(get(&t.not_ais, "blank"), 1);
    let pos = positions(dir.path());
    assert_eq!(pos.len(), 5);
    let p = &pos[0];
    assert_eq!(p.mmsi, 367000001);
    assert_eq!(p.time_ms, Some(1_673_395_200_000));
    assert_eq!(p.lat, Some(43.07917));
    assert_eq!(p.cog, None, "COG 360 is not available");
    assert_eq!(p.heading, None, "heading 511 is not available");
    assert_eq!(p.class, TransceiverClass::A);
    let na = pos.iter().find(|p| p.mmsi == 338000003).unwrap();
    assert_eq!(na.sog, None, "SOG 102.3 is not available");
    let off = pos.iter().find(|p| p.mmsi == 338000005).unwrap();
    assert_eq!((off.lat, off.lon), (None, None));
    assert_eq!(off.class, TransceiverClass::B);
    let sr = statics(dir.path());
    assert_eq!(
        sr.len(),
        3,
        "repeated static columns are written once: {sr:?}"
    );
    let tanker = sr.iter().find(|r| r.mmsi == 636000002).unwrap();
    assert_eq!(tanker.name.as_deref(), Some("EXAMPLE, TANKER"));
    assert_eq!(tanker.imo, Some(9000001));
    assert_eq!(tanker.ship_type, Some(80));
    assert_eq!(
        (tanker.to_stern, tanker.to_starboard),
        (Some(228), Some(32))
    );
    assert_eq!(tanker.draught, Some(12.1));
}

#[test]
fn dma_csv() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = dir.path().join("r.tsv");
    let opts = IngestOptions {
        rejects: Some(rejects.clone()),
        ..IngestOptions::default()
    };
    let s = run(&[fixture("dma.csv")], &dir.path().join("s"), &opts);
    let t = &s.totals;
    assert_eq!(s.files[0].format, "csv_dma");
    assert_eq!(t.lines_read, 6);
    assert_eq!(t.csv_records, 4);
    assert_eq!(get(&t.rejected, "bad_csv_row"), 1);
    let rej = std::fs::read_to_string(&rejects).unwrap();
    assert!(rej.contains("\t6\tbad_csv_row: time"), "{rej}");
    let pos = positions(&dir.path().join("s"));
    assert_eq!(pos.len(), 4);
    assert_eq!(pos[0].nav_status, Some(0));
    assert_eq!(pos[0].time_ms, Some(1_672_531_200_000));
    assert_eq!(pos[2].class, TransceiverClass::BaseStation);
    assert_eq!(pos[3].class, TransceiverClass::B);
    let sr = statics(&dir.path().join("s"));
    assert_eq!(sr.len(), 2, "{sr:?}");
    assert_eq!(sr[0].eta.as_deref(), Some("01-02T08:00"));
    assert_eq!(sr[0].to_bow, Some(100));
    assert_eq!(sr[0].ship_type, Some(70));
    assert_eq!(sr[0].imo, None);
}

#[test]
fn gzip_and_directory_inputs_match_plain() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    let raw = std::fs::read(fixture("mixed.nmea")).unwrap();
    // Two gzip members in one file (as `cat a.gz b.gz` makes), no final newline.
    let mut gz = Vec::new();
    for part in [&raw[..100], &raw[100..raw.len() - 1]] {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(part).unwrap();
        gz.extend(e.finish().unwrap());
    }
    std::fs::write(input.join("sub/a.nmea.gz"), &gz).unwrap();
    std::fs::copy(fixture("kystverket.nmea"), input.join("b.txt")).unwrap();
    std::fs::write(input.join(".hidden"), b"ignored").unwrap();

    let s = run(
        std::slice::from_ref(&input),
        &dir.path().join("s"),
        &IngestOptions::default(),
    );
    assert_eq!(s.files.len(), 2);
    let gzf = s
        .files
        .iter()
        .find(|f| f.path.ends_with("a.nmea.gz"))
        .unwrap();
    assert_eq!(gzf.format, "nmea_gz");
    let plain = run(
        &[fixture("mixed.nmea")],
        &dir.path().join("p"),
        &IngestOptions::default(),
    );
    assert_eq!(gzf.counts, plain.files[0].counts);
    let ky = s.files.iter().find(|f| f.path.ends_with("b.txt")).unwrap();
    assert_eq!(ky.counts.lines_read, 12);
    assert!(ky.counts.decoded_lines >= 11, "{:?}", ky.counts);

    // Station and time from the Kystverket tag blocks.
    let pos = positions(&dir.path().join("s"));
    let k = pos.iter().find(|p| p.source == ky.source).unwrap();
    assert_eq!(k.station.as_deref(), Some("2573238"));
    assert_eq!(k.time_ms, Some(1_733_782_034_000));

    // sources.json maps every source index to its file.
    let src = store::Sources::load(&dir.path().join("s")).unwrap();
    assert_eq!(src.path(ky.source), Some(ky.path.as_str()));
}

#[test]
fn store_inside_an_input_directory_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("noaa.csv"), dir.path().join("a.csv")).unwrap();
    let store = dir.path().join("store");
    let opts = IngestOptions {
        rejects: Some(dir.path().join("rejects.tsv")),
        ..IngestOptions::default()
    };
    let first = run(&[dir.path().to_path_buf()], &store, &opts);
    let second = run(&[dir.path().to_path_buf()], &store, &opts);
    assert_eq!(first.files.len(), 1);
    assert_eq!(second.files.len(), 1, "{:?}", second.files);
}

#[test]
fn second_ingest_appends() {
    let dir = tempfile::tempdir().unwrap();
    let opts = IngestOptions::default();
    let a = run(&[fixture("noaa.csv")], dir.path(), &opts);
    let b = run(&[fixture("dma.csv")], dir.path(), &opts);
    let pos = positions(dir.path());
    assert_eq!(pos.len() as u64, a.totals.positions + b.totals.positions);
    assert_eq!(b.files[0].source, 1);
    assert!(pos.iter().any(|p| p.source == 0) && pos.iter().any(|p| p.source == 1));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("ingest_summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["totals"]["lines_read"], 6);
}

#[test]
fn chunked_reading_equals_whole_file_reading() {
    // Many copies of a fixture make a file that splits into chunks at small chunk sizes. (Not
    // mixed with a fixture of another year: the decoder evicts pending fragments older than the
    // newest time seen, which then depends on where a chunk starts.)
    let dir = tempfile::tempdir().unwrap();
    let mut big = Vec::new();
    let a = std::fs::read(fixture("mixed.nmea")).unwrap();
    while big.len() < 600_000 {
        big.extend_from_slice(&a);
    }
    let path = dir.path().join("big.nmea");
    std::fs::write(&path, &big).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let chunked = pool.install(|| {
        run(
            std::slice::from_ref(&path),
            &dir.path().join("c"),
            &IngestOptions {
                chunk_bytes: 150_000,
                rows_per_part: 10_000,
                ..IngestOptions::default()
            },
        )
    });
    assert!(chunked.files[0].chunks > 1, "file was not split");
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| {
            run(
                std::slice::from_ref(&path),
                &dir.path().join("w"),
                &IngestOptions::default(),
            )
        });
    assert_eq!(single.files[0].chunks, 1);
    assert_eq!(chunked.totals, single.totals);
    let mut pc = positions(&dir.path().join("c"));
    let mut pw = positions(&dir.path().join("w"));
    let key = |p: &PositionRow| {
        (
            p.time_ms,
            p.mmsi,
            p.lat.map(f64::to_bits),
            p.lon.map(f64::to_bits),
        )
    };
    pc.sort_by_key(key);
    pw.sort_by_key(key);
    assert_eq!(pc, pw);
}

#[test]
fn missing_input_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = ingest(
        &[PathBuf::from("/nonexistent/feed.nmea")],
        dir.path(),
        &IngestOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("/nonexistent/feed.nmea"), "{err}");
}

#[test]
fn truncated_gzip_is_reported_with_counts_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let raw = std::fs::read(fixture("mixed.nmea")).unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&raw).unwrap();
    let gz = e.finish().unwrap();
    let path = dir.path().join("cut.gz");
    std::fs::write(&path, &gz[..gz.len() / 2]).unwrap();
    let s = ingest(&[path], &dir.path().join("s"), &IngestOptions::default()).unwrap();
    assert!(s.balanced);
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(s.errors[0].contains("cut.gz"), "{}", s.errors[0]);
}

/// Every real corpus in ../shared/data/ais ingests without panic, and the accounting balances.
#[test]
fn real_corpora_balance() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais");
    if !shared.exists() {
        eprintln!(
            "skipping real_corpora_balance: {} not found",
            shared.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<PathBuf> = ["raw-nmea", "csv", "bench"]
        .iter()
        .map(|p| shared.join(p))
        .collect();
    let s = run(&inputs, dir.path(), &IngestOptions::default());
    for f in &s.files {
        assert!(f.counts.balanced(), "{}: {:?}", f.path, f.counts);
        assert!(f.error.is_none(), "{}: {:?}", f.path, f.error);
        eprintln!(
            "{:<60} {:>8} lines {:>7} decoded {:>6} rejected {:>6} not-AIS {:?} {:?}",
            f.path.rsplit('/').next().unwrap_or(""),
            f.counts.lines_read,
            f.counts.decoded_lines,
            f.counts.rejected_lines,
            f.counts.not_ais_lines,
            f.counts.rejected,
            f.counts.not_ais
        );
    }
    let amsa = s
        .files
        .iter()
        .find(|f| f.path.ends_with("amsa-risky-ais.txt.gz"))
        .unwrap();
    assert_eq!(amsa.counts.lines_read, 44_687);
    let dma = s
        .files
        .iter()
        .find(|f| f.path.ends_with("dma-aislib-stream_example.txt"))
        .unwrap();
    assert_eq!(dma.counts.lines_read, 8_551);
    let mixed = s
        .files
        .iter()
        .find(|f| f.path.ends_with("mixed_once.nmea"))
        .unwrap();
    assert_eq!(mixed.counts.lines_read, 42_632);
    assert_eq!(mixed.counts.not_ais_lines, 0);
    let noaa = s
        .files
        .iter()
        .find(|f| f.path.ends_with("noaa_20230101.csv"))
        .unwrap();
    assert_eq!(noaa.format, "csv_noaa");
    assert_eq!(positions(dir.path()).len() as u64, s.totals.positions);
}

#[test]
fn chunks_keep_the_time_of_a_pghp_line_before_them() {
    // Gatehouse style: a `$PGHP` line before every sentence stamps that sentence. Chunk
    // boundaries can fall between a time line and its sentence, so a chunk must start with the
    // same time context; sentences without a time line of their own get no time.
    let dir = tempfile::tempdir().unwrap();
    let sentences = [
        "!AIVDM,1,1,,A,33P;Tw0tjBQO22:E7dm66DrB20UP,0*2E",
        "!AIVDM,1,1,,B,35VwAv0300QcEQ`EGcpN40jD0PUQ,0*61",
        "!AIVDM,1,1,,A,13RlIW?04F1beOVEFLB9bRvH0L0L,0*6C",
    ];
    let pghp = [
        "$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B\n",
        "$PGHP,1,2010,6,11,11,46,12,386,219,24,992190924,1,12*20\n",
        "$PGHP,1,2010,6,11,11,46,12,451,219,1,992190917,1,58*14\n",
        "$PGHP,1,2010,6,11,11,46,12,470,219,,2190064,1,5D*57\n",
    ];
    let mut text = String::new();
    let mut stamped = 0;
    for i in 0..12_000 {
        // Every sentence but each 7th has its own time line.
        if i % 7 != 0 {
            text.push_str(pghp[i % 4]);
            stamped += 1;
        }
        text.push_str(sentences[i % 3]);
        text.push('\n');
    }
    let path = dir.path().join("gatehouse.nmea");
    std::fs::write(&path, &text).unwrap();
    let chunked = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| {
            run(
                std::slice::from_ref(&path),
                &dir.path().join("c"),
                &IngestOptions {
                    chunk_bytes: 150_000,
                    ..IngestOptions::default()
                },
            )
        });
    assert!(chunked.files[0].chunks > 2);
    let whole = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| {
            run(
                std::slice::from_ref(&path),
                &dir.path().join("w"),
                &IngestOptions::default(),
            )
        });
    assert_eq!(chunked.totals, whole.totals);
    let times = |d: &str| {
        let mut t: Vec<(Option<i64>, u32)> = positions(&dir.path().join(d))
            .iter()
            .map(|p| (p.time_ms, p.mmsi))
            .collect();
        t.sort();
        t
    };
    let c = times("c");
    assert_eq!(c, times("w"));
    assert_eq!(c.iter().filter(|(t, _)| t.is_some()).count(), stamped);
}

#[test]
fn decode_inputs_yields_every_message_in_order() {
    let inputs = ingest::input::expand(&[fixture("mixed.nmea")]).unwrap();
    let mut seen = Vec::new();
    let counts = ingest::decode::decode_inputs(&inputs, &ais::DecoderOptions::default(), |_, d| {
        seen.push((d.meta.line_no, d.message.msg_type()));
        Ok(())
    })
    .unwrap();
    assert_eq!(counts.lines, 31);
    assert_eq!(counts.messages, 12);
    assert_eq!(counts.rejected, 4);
    assert_eq!(seen.len(), 12);
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(
        seen.contains(&(17, 5)),
        "two-part type 5 starts on line 17: {seen:?}"
    );
}
