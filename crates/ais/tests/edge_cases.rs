//! The shared behaviour-matrix cases (`tests/fixtures/case_*.nmea`, derived from the DMA stream
//! example, Apache-2.0): what each one yields, line by line.

use ais::{Decoder, DecoderOptions, Feed, RejectReason};

/// Outcome per line (D = decoded, P = pending, or a reject reason), then orphans at finish.
fn outcomes(text: &str, opts: DecoderOptions) -> (Vec<String>, Vec<RejectReason>) {
    let mut dec = Decoder::new(opts);
    let mut out = Vec::new();
    for line in text.lines() {
        out.push(match dec.feed(line.as_bytes()) {
            Feed::Decoded(d) => format!("D{}", d.message.msg_type()),
            Feed::Pending => "P".into(),
            Feed::Rejected(r) => r.reason.as_str().into(),
            Feed::NotAis(k) => k.as_str().into(),
        });
        while let Some(r) = dec.pop_evicted() {
            out.push(format!("evicted:{}", r.reason.as_str()));
        }
    }
    (out, dec.finish().into_iter().map(|r| r.reason).collect())
}

fn strict(text: &str) -> (Vec<String>, Vec<RejectReason>) {
    outcomes(text, DecoderOptions::default())
}

#[test]
fn behaviour_matrix() {
    use RejectReason::*;
    let f = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    assert_eq!(
        strict(include_str!("fixtures/case_c1_good_single.nmea")),
        (f("D1"), vec![])
    );
    assert_eq!(
        strict(include_str!("fixtures/case_c2_bad_checksum_single.nmea")),
        (f("bad_checksum"), vec![])
    );
    assert_eq!(
        strict(include_str!("fixtures/case_c3_no_checksum_single.nmea")),
        (f("missing_checksum"), vec![])
    );
    assert_eq!(
        strict(include_str!("fixtures/case_c4_good_type5_two_part.nmea")),
        (f("P D5"), vec![])
    );
    // Part 2 fails its checksum: part 1 can never complete and comes back at finish.
    assert_eq!(
        strict(include_str!(
            "fixtures/case_c5_type5_part2_bad_checksum.nmea"
        )),
        (f("P bad_checksum"), vec![OrphanFragment])
    );
    assert_eq!(
        strict(include_str!("fixtures/case_c6_type5_interleaved.nmea")),
        (f("P D1 D5"), vec![])
    );
    assert_eq!(
        strict(include_str!("fixtures/case_c7_type5_part2_only.nmea")),
        (f("orphan_fragment"), vec![])
    );
    assert_eq!(
        strict(include_str!("fixtures/case_c8_type5_reversed_order.nmea")),
        (f("orphan_fragment P"), vec![OrphanFragment])
    );
    assert_eq!(
        strict(include_str!("fixtures/case_c9_tagblock_type5_group.nmea")),
        (f("P D5"), vec![])
    );
}

#[test]
fn forensic_mode_lets_bad_checksums_through() {
    let opts = || DecoderOptions {
        accept_bad_checksum: true,
        ..Default::default()
    };
    let (o, _) = outcomes(
        include_str!("fixtures/case_c2_bad_checksum_single.nmea"),
        opts(),
    );
    assert_eq!(o, ["D1"]);
    let (o, _) = outcomes(
        include_str!("fixtures/case_c3_no_checksum_single.nmea"),
        opts(),
    );
    assert_eq!(o, ["D1"]);
    let (o, rest) = outcomes(
        include_str!("fixtures/case_c5_type5_part2_bad_checksum.nmea"),
        opts(),
    );
    assert_eq!((o, rest), (vec!["P".to_string(), "D5".to_string()], vec![]));
}

#[test]
fn interleaved_multiparts_on_both_channels() {
    // gpsd's "simultaneous use of buffers of channels A & B": two type 5 interleaved.
    let text = "!AIVDM,2,1,6,B,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht50000000000,0*3B
!AIVDM,2,1,2,A,542M92h00001@<7;?G0PD4i@R0<tqA8tj37>220o0h:2240Ht500000000000000,0*3C
!AIVDM,2,2,2,A,0000002,2*24
!AIVDM,2,2,6,B,00000000000,2*21";
    let (o, rest) = strict(text);
    assert_eq!(o, ["P", "P", "D5", "D5"]);
    assert!(rest.is_empty());
}
