//! Property tests: encode → decode is the identity for every decoded type, through complete NMEA
//! sentences (with and without tag blocks, single and multipart).

use ais::encode::{sentences, EncodeOptions, TagBlock};
use ais::*;
use proptest::option;
use proptest::prelude::*;

fn lat() -> impl Strategy<Value = Option<f64>> {
    option::of((-54_000_000i64..=54_000_000).prop_map(|v| v as f64 / 600_000.0))
}
fn lon() -> impl Strategy<Value = Option<f64>> {
    option::of((-108_000_000i64..=108_000_000).prop_map(|v| v as f64 / 600_000.0))
}
fn speed() -> impl Strategy<Value = Option<f32>> {
    option::of((0u32..=1022).prop_map(|v| v as f32 / 10.0))
}
fn course() -> impl Strategy<Value = Option<f32>> {
    option::of((0u32..3600).prop_map(|v| v as f32 / 10.0))
}
fn second() -> impl Strategy<Value = Option<u8>> {
    prop_oneof![
        Just(None),
        (0u8..60).prop_map(Some),
        (61u8..64).prop_map(Some)
    ]
}
fn mmsi() -> impl Strategy<Value = u32> {
    0u32..(1 << 30)
}
/// AIS text: no `@` (padding), no trailing space (trimmed), ASCII upper case.
fn text<const N: usize>(max: usize) -> impl Strategy<Value = Option<AisText<N>>> {
    let re = format!(
        "[A-Z0-9]([A-Z0-9 .,/-]{{0,{}}}[A-Z0-9])?",
        max.saturating_sub(2)
    );
    option::of(proptest::string::string_regex(&re).expect("valid regex"))
        .prop_map(|s| s.map(|s| AisText::<N>::from_str_truncated(&s)))
}
fn nz_u8(max: u8) -> impl Strategy<Value = Option<u8>> {
    option::of(1..=max)
}
fn nz_u16(max: u16) -> impl Strategy<Value = Option<u16>> {
    option::of(1..=max)
}

fn position_a() -> BoxedStrategy<Message> {
    (
        (
            1u8..=3,
            0u8..4,
            mmsi(),
            0u8..16,
            option::of(-127i8..=127),
            speed(),
            any::<bool>(),
        ),
        (
            lon(),
            lat(),
            course(),
            option::of(0u16..360),
            second(),
            0u8..3,
            any::<bool>(),
            0u32..(1 << 19),
        ),
    )
        .prop_map(
            |(
                (msg_type, repeat, mmsi, status, turn, speed, accuracy),
                (lon, lat, course, heading, second, maneuver, raim, radio),
            )| {
                Message::PositionReportA(PositionReportA {
                    msg_type,
                    repeat,
                    mmsi,
                    status,
                    turn,
                    speed,
                    accuracy,
                    lon,
                    lat,
                    course,
                    heading,
                    second,
                    maneuver,
                    raim,
                    radio,
                })
            },
        )
        .boxed()
}

fn base_station() -> BoxedStrategy<Message> {
    (
        (
            prop_oneof![Just(4u8), Just(11u8)],
            0u8..4,
            mmsi(),
            nz_u16(16383),
            option::of(1u8..=12),
            nz_u8(31),
        ),
        (
            option::of(0u8..24),
            option::of(0u8..60),
            option::of(0u8..60),
            any::<bool>(),
            lon(),
            lat(),
            0u8..16,
            any::<bool>(),
            0u32..(1 << 19),
        ),
    )
        .prop_map(
            |(
                (msg_type, repeat, mmsi, year, month, day),
                (hour, minute, second, accuracy, lon, lat, epfd, raim, radio),
            )| {
                Message::BaseStation(BaseStation {
                    msg_type,
                    repeat,
                    mmsi,
                    year,
                    month,
                    day,
                    hour,
                    minute,
                    second,
                    accuracy,
                    lon,
                    lat,
                    epfd,
                    raim,
                    radio,
                })
            },
        )
        .boxed()
}

fn static_voyage() -> BoxedStrategy<Message> {
    (
        (
            0u8..4,
            mmsi(),
            0u8..4,
            option::of(1u32..(1 << 30)),
            text::<7>(7),
            text::<20>(20),
            nz_u8(255),
        ),
        (
            nz_u16(511),
            nz_u16(511),
            nz_u8(63),
            nz_u8(63),
            0u8..16,
            option::of(1u8..=12),
            nz_u8(31),
        ),
        (
            option::of(0u8..24),
            option::of(0u8..60),
            option::of((1u32..=255).prop_map(|v| v as f32 / 10.0)),
            text::<20>(20),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (repeat, mmsi, ais_version, imo, callsign, shipname, shiptype),
                (to_bow, to_stern, to_port, to_starboard, epfd, month, day),
                (hour, minute, draught, destination, dte),
            )| {
                Message::StaticVoyage(StaticVoyage {
                    msg_type: 5,
                    repeat,
                    mmsi,
                    ais_version,
                    imo,
                    callsign,
                    shipname,
                    shiptype,
                    to_bow,
                    to_stern,
                    to_port,
                    to_starboard,
                    epfd,
                    month,
                    day,
                    hour,
                    minute,
                    draught,
                    destination,
                    dte,
                })
            },
        )
        .boxed()
}

fn sar() -> BoxedStrategy<Message> {
    (
        (
            0u8..4,
            mmsi(),
            option::of(0u16..4095),
            option::of(0u16..1023),
            any::<bool>(),
            lon(),
            lat(),
        ),
        (
            course(),
            second(),
            any::<u8>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0u32..(1 << 20),
        ),
    )
        .prop_map(
            |(
                (repeat, mmsi, alt, speed, accuracy, lon, lat),
                (course, second, regional, dte, assigned, raim, radio),
            )| {
                Message::SarAircraft(SarAircraft {
                    msg_type: 9,
                    repeat,
                    mmsi,
                    alt,
                    speed,
                    accuracy,
                    lon,
                    lat,
                    course,
                    second,
                    regional,
                    dte,
                    assigned,
                    raim,
                    radio,
                })
            },
        )
        .boxed()
}

fn position_b() -> BoxedStrategy<Message> {
    (
        (
            0u8..4,
            mmsi(),
            any::<u8>(),
            speed(),
            any::<bool>(),
            lon(),
            lat(),
            course(),
            option::of(0u16..360),
            second(),
        ),
        (
            0u8..4,
            prop::array::uniform7(any::<bool>()),
            0u32..(1 << 20),
        ),
    )
        .prop_map(
            |(
                (repeat, mmsi, reserved, speed, accuracy, lon, lat, course, heading, second),
                (regional, f, radio),
            )| {
                Message::PositionReportB(PositionReportB {
                    msg_type: 18,
                    repeat,
                    mmsi,
                    reserved,
                    speed,
                    accuracy,
                    lon,
                    lat,
                    course,
                    heading,
                    second,
                    regional,
                    cs: f[0],
                    display: f[1],
                    dsc: f[2],
                    band: f[3],
                    msg22: f[4],
                    assigned: f[5],
                    raim: f[6],
                    radio,
                })
            },
        )
        .boxed()
}

fn extended_b() -> BoxedStrategy<Message> {
    (
        (
            0u8..4,
            mmsi(),
            any::<u8>(),
            speed(),
            any::<bool>(),
            lon(),
            lat(),
            course(),
            option::of(0u16..360),
            second(),
        ),
        (
            0u8..16,
            text::<20>(20),
            nz_u8(255),
            nz_u16(511),
            nz_u16(511),
            nz_u8(63),
            nz_u8(63),
            0u8..16,
            prop::array::uniform3(any::<bool>()),
        ),
    )
        .prop_map(
            |(
                (repeat, mmsi, reserved, speed, accuracy, lon, lat, course, heading, second),
                (regional, shipname, shiptype, to_bow, to_stern, to_port, to_starboard, epfd, f),
            )| {
                Message::ExtendedB(ExtendedB {
                    msg_type: 19,
                    repeat,
                    mmsi,
                    reserved,
                    speed,
                    accuracy,
                    lon,
                    lat,
                    course,
                    heading,
                    second,
                    regional,
                    shipname,
                    shiptype,
                    to_bow,
                    to_stern,
                    to_port,
                    to_starboard,
                    epfd,
                    raim: f[0],
                    dte: f[1],
                    assigned: f[2],
                })
            },
        )
        .boxed()
}

fn aton() -> BoxedStrategy<Message> {
    (
        (
            0u8..4,
            mmsi(),
            0u8..32,
            text::<34>(34),
            any::<bool>(),
            lon(),
            lat(),
        ),
        (
            nz_u16(511),
            nz_u16(511),
            nz_u8(63),
            nz_u8(63),
            0u8..16,
            second(),
            any::<u8>(),
            prop::array::uniform4(any::<bool>()),
        ),
    )
        .prop_map(
            |(
                (repeat, mmsi, aid_type, name, accuracy, lon, lat),
                (to_bow, to_stern, to_port, to_starboard, epfd, second, regional, f),
            )| {
                Message::AidToNavigation(AidToNavigation {
                    msg_type: 21,
                    repeat,
                    mmsi,
                    aid_type,
                    name,
                    accuracy,
                    lon,
                    lat,
                    to_bow,
                    to_stern,
                    to_port,
                    to_starboard,
                    epfd,
                    second,
                    off_position: f[0],
                    regional,
                    raim: f[1],
                    virtual_aid: f[2],
                    assigned: f[3],
                })
            },
        )
        .boxed()
}

fn static_b() -> BoxedStrategy<Message> {
    let part_a = text::<20>(20).prop_map(|shipname| StaticDataBPart::A { shipname });
    let part_b = (
        nz_u8(255),
        text::<3>(3),
        0u8..16,
        0u32..(1 << 20),
        text::<7>(7),
        nz_u16(511),
        nz_u16(511),
        nz_u8(63),
        nz_u8(63),
    )
        .prop_map(
            |(
                shiptype,
                vendorid,
                model,
                serial,
                callsign,
                to_bow,
                to_stern,
                to_port,
                to_starboard,
            )| StaticDataBPart::B {
                shiptype,
                vendorid,
                model,
                serial,
                callsign,
                dims: Type24Dims::Dimensions {
                    to_bow,
                    to_stern,
                    to_port,
                    to_starboard,
                },
            },
        );
    (0u8..4, mmsi(), prop_oneof![part_a, part_b])
        .prop_map(|(repeat, mmsi, part)| {
            // Auxiliary craft (MMSI 98xxxxxxx) carry a mother-ship MMSI instead of dimensions.
            let part = match part {
                StaticDataBPart::B {
                    shiptype,
                    vendorid,
                    model,
                    serial,
                    callsign,
                    ..
                } if mmsi / 10_000_000 == 98 => StaticDataBPart::B {
                    shiptype,
                    vendorid,
                    model,
                    serial,
                    callsign,
                    dims: Type24Dims::MothershipMmsi {
                        mothership_mmsi: mmsi ^ 0x5555,
                    },
                },
                p => p,
            };
            Message::StaticDataB(StaticDataB {
                msg_type: 24,
                repeat,
                mmsi,
                part,
            })
        })
        .boxed()
}

fn long_range() -> BoxedStrategy<Message> {
    (
        0u8..4,
        mmsi(),
        any::<bool>(),
        any::<bool>(),
        0u8..16,
        option::of((-108_000i64..=108_000).prop_map(|v| v as f64 / 600.0)),
        option::of((-54_000i64..=54_000).prop_map(|v| v as f64 / 600.0)),
        option::of(0u8..63),
        option::of(0u16..360),
        any::<bool>(),
    )
        .prop_map(
            |(repeat, mmsi, accuracy, raim, status, lon, lat, speed, course, gnss)| {
                Message::LongRange(LongRange {
                    msg_type: 27,
                    repeat,
                    mmsi,
                    accuracy,
                    raim,
                    status,
                    lon,
                    lat,
                    speed,
                    course,
                    gnss,
                })
            },
        )
        .boxed()
}

fn any_message() -> BoxedStrategy<Message> {
    prop_oneof![
        position_a(),
        base_station(),
        static_voyage(),
        sar(),
        position_b(),
        extended_b(),
        aton(),
        static_b(),
        long_range()
    ]
    .boxed()
}

fn decode_lines(lines: &[String]) -> Vec<Feed> {
    let mut dec = Decoder::new(DecoderOptions::default());
    let out: Vec<Feed> = lines.iter().map(|l| dec.feed(l.as_bytes())).collect();
    assert!(dec.finish().is_empty());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn payload_round_trip(msg in any_message()) {
        let (payload, fill) = encode::payload(&msg);
        let back = decode_payload(payload.as_bytes(), fill).expect("decodes");
        prop_assert_eq!(back, msg);
    }

    #[test]
    fn sentence_round_trip(
        msg in any_message(),
        seq in option::of(0u8..10),
        chan in prop_oneof![Just(None), Just(Some('A')), Just(Some('B'))],
        tag in option::of((1_000_000_000i64..2_000_000_000, "[a-z0-9]{1,8}", option::of(0u32..10_000))),
        max_chars in 1usize..=60,
    ) {
        let opts = EncodeOptions {
            seq_id: seq,
            channel: chan,
            tag_block: tag.clone().map(|(t, s, g)| TagBlock { time_s: Some(t), station: Some(s), group_id: g }),
            max_payload_chars: max_chars,
            ..EncodeOptions::default()
        };
        let lines = sentences(&msg, &opts);
        let feeds = decode_lines(&lines);
        let (last, firsts) = feeds.split_last().expect("at least one line");
        prop_assert!(firsts.iter().all(|f| *f == Feed::Pending));
        let Feed::Decoded(d) = last else { panic!("{last:?} for {lines:?}") };
        prop_assert_eq!(&d.message, &msg);
        prop_assert_eq!(d.meta.lines as usize, lines.len());
        prop_assert!(d.meta.checksum_ok);
        if let Some((t, s, _)) = tag {
            prop_assert_eq!(d.meta.time_ms, Some(t * 1000));
            prop_assert_eq!(d.meta.station.map(|s| s.to_string()), Some(s));
            prop_assert_eq!(d.meta.tag_block_checksum_ok, Some(true));
        }
    }

    /// Any single corrupted byte in a valid sentence is either still decoded (the corruption hit
    /// a place the checksum cannot see) or rejected; never a panic, never silence.
    #[test]
    fn corrupted_byte_is_accounted(msg in any_message(), pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let lines = sentences(&msg, &EncodeOptions::default());
        let mut line = lines[0].clone().into_bytes();
        let i = pos.index(line.len());
        line[i] = byte;
        let mut dec = Decoder::new(DecoderOptions::default());
        let _ = dec.feed(&line);
        let _ = dec.finish();
    }
}
