//! Arbitrary sequences of lines (split on `\n`) through one decoder with a small orphan store:
//! checks that every line is accounted for exactly once and the store stays bounded.
#![no_main]

use ais::{Decoder, DecoderOptions, Feed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = DecoderOptions {
        max_pending: 3,
        max_pending_age_lines: 5,
        max_pending_age_ms: 1_000,
        accept_bad_checksum: data.first() == Some(&b'!'),
    };
    let mut dec = Decoder::new(opts);
    let mut lines = 0u64;
    let mut accounted = 0u64;
    for line in data.split(|&b| b == b'\n') {
        lines += 1;
        match dec.feed(line) {
            Feed::Decoded(d) => {
                assert!(d.meta.lines >= 1);
                accounted += d.meta.lines as u64;
            }
            Feed::Pending => {}
            Feed::Rejected(r) => accounted += 1 + r.earlier.len() as u64,
            Feed::NotAis(_) => accounted += 1,
        }
        while dec.pop_evicted().is_some() {
            accounted += 1;
        }
        assert!(dec.pending() <= 3);
    }
    accounted += dec.finish().len() as u64;
    assert_eq!(lines, accounted, "every line exactly once");
});
