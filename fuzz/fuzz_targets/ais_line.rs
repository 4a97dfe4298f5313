//! One arbitrary line through the sentence parser and decoder, strict and forensic. Decoded
//! messages must re-encode to a payload that decodes to the same message.
#![no_main]

use ais::{Decoder, DecoderOptions, Feed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for accept_bad_checksum in [false, true] {
        let mut dec = Decoder::new(DecoderOptions { accept_bad_checksum, ..Default::default() });
        if let Feed::Decoded(d) = dec.feed(data) {
            let (payload, fill) = ais::encode::payload(&d.message);
            let again = ais::decode_payload(payload.as_bytes(), fill).expect("re-encoded payload decodes");
            assert_eq!(again, d.message);
            let _ = serde_json_free_check(&d);
        }
        let _ = dec.finish();
    }
    // The payload decoder alone, on the raw bytes as a payload.
    let _ = ais::decode_payload(data, data.first().map_or(0, |b| b % 6));
});

/// Formatting every field must not panic either.
fn serde_json_free_check(d: &ais::Decoded) -> usize {
    format!("{d:?}").len()
}
