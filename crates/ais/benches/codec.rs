//! Codec throughput: parse + checksum + assembly + decode of the bench corpus
//! (`../shared/data/ais/bench/mixed_once.nmea` repeated 24×, as in the shared reference), plus
//! single-sentence decode and encode micro-benchmarks that need no shared data.

use std::hint::black_box;

use ais::{Decoder, DecoderOptions, Feed};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const TYPE1: &[u8] = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";

fn shared_corpus(name: &str) -> Option<Vec<u8>> {
    let path = format!(
        "{}/../../../shared/data/ais/bench/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    match std::fs::read(&path) {
        Ok(d) => Some(d),
        Err(_) => {
            eprintln!("skipping corpus benchmark: {path} not found");
            None
        }
    }
}

fn run(data: &[u8]) -> usize {
    let mut dec = Decoder::new(DecoderOptions::default());
    let mut n = 0;
    for line in data.split(|&b| b == b'\n') {
        if let Feed::Decoded(d) = dec.feed(line) {
            n += d.meta.lines as usize;
        }
        while dec.pop_evicted().is_some() {}
    }
    n + dec.finish().len()
}

fn corpus(c: &mut Criterion) {
    for (name, reps) in [("mixed_once.nmea", 24), ("tagblock_once.nmea", 100)] {
        let Some(once) = shared_corpus(name) else {
            continue;
        };
        let mut data = Vec::with_capacity(once.len() * reps);
        for _ in 0..reps {
            data.extend_from_slice(&once);
        }
        let lines = data.iter().filter(|&&b| b == b'\n').count() as u64;
        let mut g = c.benchmark_group("corpus");
        g.sample_size(20);
        g.throughput(Throughput::Elements(lines));
        g.bench_function(format!("{name}x{reps}"), |b| {
            b.iter(|| run(black_box(&data)))
        });
        g.finish();
    }
}

fn single(c: &mut Criterion) {
    let mut g = c.benchmark_group("single");
    g.throughput(Throughput::Elements(1));
    let mut dec = Decoder::new(DecoderOptions::default());
    g.bench_function("feed_type1", |b| {
        b.iter(|| matches!(dec.feed(black_box(TYPE1)), Feed::Decoded(_)))
    });
    let Feed::Decoded(d) = Decoder::new(DecoderOptions::default()).feed(TYPE1) else {
        return;
    };
    let opts = ais::encode::EncodeOptions::default();
    g.bench_function("encode_type1", |b| {
        b.iter(|| ais::encode::sentences(black_box(&d.message), &opts))
    });
    g.finish();
}

criterion_group!(benches, corpus, single);
criterion_main!(benches);
