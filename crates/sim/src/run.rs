//! The run: a min-time loop over every ship's next transmission, through the receiver model, to
//! NMEA or CSV. Memory holds the fleet's state and a small reorder buffer, never the messages.

use crate::fleet::{self, Ship};
use crate::motion::status;
use crate::receiver::Receivers;
use crate::rng::Rng;
use crate::scenario::{AisClass, Scenario, SpoofMode};
use crate::time::{format_utc, parse_utc};
use crate::truth::{Truth, TruthEvent, TruthPort};
use crate::world::World;
use crate::SimError;
use ais::encode::{payload, sentences_for_payload, EncodeOptions, TagBlock};
use ais::{
    AisText, Message, PositionReportA, PositionReportB, StaticDataB, StaticDataBPart, StaticVoyage,
    Type24Dims,
};
use serde::Serialize;
use spatial::{destination, LonLat};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::Write;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// NMEA 0183 `!AIVDM` sentences with `\s:station,c:epoch*hh\` tag blocks.
    Nmea,
    /// NOAA MarineCadastre-style CSV, one row per received position report.
    Csv,
}

/// Run options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Seed; `None` uses the scenario's.
    pub seed: Option<u64>,
    /// Output format.
    pub format: Format,
    /// Simulate only this many hours from the start (for partial benchmark runs).
    pub limit_hours: Option<f64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: None,
            format: Format::Nmea,
            limit_hours: None,
        }
    }
}

/// Counts of a run, so tests and users can check what the receiver model did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Seed used.
    pub seed: u64,
    /// Ships simulated.
    pub ships: usize,
    /// Truth events.
    pub truth_events: usize,
    /// Hours simulated.
    pub hours: f64,
    /// Position reports transmitted.
    pub positions_sent: u64,
    /// Static reports transmitted (type 5, or type 24 parts A and B counted separately).
    pub statics_sent: u64,
    /// Transmitted messages no station heard (out of range, outside a satellite pass, or lost).
    pub unheard: u64,
    /// Messages delivered (each copy counts; CSV: rows written).
    pub messages: u64,
    /// Position reports delivered (each copy counts).
    pub positions: u64,
    /// Lines written (NMEA sentences, or CSV rows without the header).
    pub lines: u64,
    /// Extra copies of a message heard by a second station.
    pub duplicates: u64,
    /// Messages delivered late, after later messages.
    pub reordered: u64,
    /// Sentences written with a corrupted payload (bad checksum).
    pub corrupted: u64,
    /// Silences of ≥ 6 h caused by reception alone (listed in truth as benign `coverage_gap`).
    pub coverage_gaps: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stream {
    Position,
    Static,
}

const GAP_MS: i64 = 6 * 3_600_000;

/// Runs a scenario, writing traffic to `out`, and returns the truth and the summary.
pub fn run<W: Write>(
    sc: &Scenario,
    world: &mut World,
    opts: &Options,
    out: W,
) -> Result<(Truth, Summary), SimError> {
    let seed = opts.seed.unwrap_or(sc.seed);
    let t0 = parse_utc(&sc.start).ok_or_else(|| {
        SimError::Scenario(format!("start {:?} is not YYYY-MM-DDTHH:MM:SSZ", sc.start))
    })?;
    if sc.hours.is_nan() || sc.hours <= 0.0 || sc.hours > 24.0 * 366.0 {
        return Err(SimError::Scenario(
            "hours must be positive and at most a year (8784)".into(),
        ));
    }
    let hours = opts.limit_hours.map_or(sc.hours, |h| h.min(sc.hours));
    let t_end_plan = t0 + (sc.hours * 3_600_000.0) as i64;
    let t_end = t0 + (hours * 3_600_000.0) as i64;
    let built = fleet::build(sc, world, seed, t0, t_end_plan)?;
    let mut ships = built.ships;
    let mut events: Vec<TruthEvent> = built
        .events
        .into_iter()
        .filter(|e| e.start_ms < t_end)
        .collect();
    let mut rx = Receivers::new(
        &sc.station,
        sc.satellite.as_ref(),
        &sc.reception,
        seed,
        (t0, t_end),
    );
    let mut rngs: Vec<Rng> = (0..ships.len())
        .map(|i| Rng::new(seed, 50_000_000 + i as u64))
        .collect();
    let mut summary = Summary {
        scenario: sc.name.clone(),
        seed,
        ships: ships.len(),
        hours,
        ..Summary::default()
    };
    let mut heap: BinaryHeap<Reverse<(i64, u32, Stream)>> =
        BinaryHeap::with_capacity(ships.len() * 2);
    for (i, r) in rngs.iter_mut().enumerate() {
        heap.push(Reverse((
            t0 + (r.f64() * 10_000.0) as i64,
            i as u32,
            Stream::Position,
        )));
        heap.push(Reverse((
            t0 + (r.f64() * 360_000.0) as i64,
            i as u32,
            Stream::Static,
        )));
    }
    let mut w = Writer::new(out, opts.format, rx.names.clone());
    let mut last_heard: Vec<Option<(i64, LonLat)>> = vec![None; ships.len()];
    while let Some(Reverse((t, i, stream))) = heap.pop() {
        if t >= t_end {
            break;
        }
        let iu = i as usize;
        let ship = &mut ships[iu];
        if let Some(on) = ship.off_until(t) {
            heap.push(Reverse((on + (rngs[iu].f64() * 3000.0) as i64, i, stream)));
            continue;
        }
        let rng = &mut rngs[iu];
        let leg = ship.leg_at(t);
        let kin = leg.at(t);
        let (dest_idx, eta) = (leg.destination, leg.end);
        let dest = dest_idx
            .and_then(|d| ship.destinations.get(d as usize).cloned())
            .unwrap_or_default();
        let ident = ship.ident_at(t).clone();
        let true_pos = kin.pos;
        w.flush_until(t)?;
        match stream {
            Stream::Position => {
                let (mut pos, mut sog, mut cog, mut heading) =
                    (kin.pos, kin.sog_kn, kin.cog, kin.heading);
                if let Some(sp) = ship.spoof_at(t) {
                    match sp.mode {
                        SpoofMode::Fixed => {
                            pos = sp.pos;
                            sog = rng.range(0.0, 0.2);
                            cog = rng.range(0.0, 360.0);
                            heading = cog;
                        }
                        SpoofMode::Circle => {
                            let v = 6.0 * 1852.0 / 3600.0;
                            let period = std::f64::consts::TAU * sp.radius_m / v;
                            let ang = 360.0 * ((t - sp.start) as f64 / 1000.0 / period).fract();
                            pos = destination(sp.pos, ang, sp.radius_m);
                            sog = 6.0;
                            cog = (ang + 90.0) % 360.0;
                            heading = cog;
                        }
                    }
                }
                // GPS noise of a few metres; speed and course noise as real sensors give.
                pos = destination(pos, rng.range(0.0, 360.0), rng.normal().abs() * 3.0);
                let sog_r = (sog + rng.normal() * 0.05).max(0.0);
                let cog_r = if sog_r < 0.3 {
                    rng.range(0.0, 360.0)
                } else {
                    (cog + rng.normal() + 360.0) % 360.0
                };
                let heading_r =
                    ((heading + rng.normal() * 0.7).round() as i64).rem_euclid(360) as u16;
                let second = Some(((t / 1000) % 60) as u8);
                let msg = match ship.class {
                    AisClass::A => Message::PositionReportA(PositionReportA {
                        msg_type: 1,
                        repeat: 0,
                        mmsi: ident.mmsi,
                        status: kin.status,
                        turn: Some(0),
                        speed: Some(sog_r as f32),
                        accuracy: true,
                        lon: Some(pos.lon),
                        lat: Some(pos.lat),
                        course: Some(cog_r as f32),
                        heading: Some(heading_r),
                        second,
                        maneuver: 0,
                        raim: false,
                        radio: 0,
                    }),
                    AisClass::B => Message::PositionReportB(PositionReportB {
                        msg_type: 18,
                        repeat: 0,
                        mmsi: ident.mmsi,
                        reserved: 0,
                        speed: Some(sog_r as f32),
                        accuracy: true,
                        lon: Some(pos.lon),
                        lat: Some(pos.lat),
                        course: Some(cog_r as f32),
                        heading: Some(heading_r),
                        second,
                        regional: 0,
                        cs: true,
                        display: false,
                        dsc: false,
                        band: true,
                        msg22: true,
                        assigned: false,
                        raim: false,
                        radio: 0,
                    }),
                };
                summary.positions_sent += 1;
                let heard = rx.hear(true_pos, t);
                match heard {
                    None => summary.unheard += 1,
                    Some(h) => {
                        if let Some((lh, lp)) = last_heard[iu] {
                            if t - lh >= GAP_MS && !ship.off_overlaps(lh, t) {
                                summary.coverage_gaps += 1;
                                events.push(TruthEvent {
                                    kind: "gap".into(),
                                    script: "coverage_gap".into(),
                                    benign: true,
                                    vessels: vec![ident.mmsi],
                                    start_ms: lh,
                                    end_ms: t,
                                    lat: lp.lat,
                                    lon: lp.lon,
                                    note: "no receiver heard the ship (transmitting throughout)"
                                        .into(),
                                    group: String::new(),
                                });
                            }
                        }
                        last_heard[iu] = Some((t, true_pos));
                        if opts.format == Format::Csv {
                            w.csv_row(t, ship, &ident, pos, sog_r, cog_r, heading_r, kin.status)?;
                            summary.messages += 1;
                            summary.positions += 1;
                            summary.lines += 1;
                        } else {
                            let n = w.deliver(t, &msg, h, &mut rx, &mut summary)?;
                            summary.positions += n;
                        }
                    }
                }
                let interval_s = match ship.class {
                    AisClass::A
                        if (kin.status == status::MOORED || kin.status == status::AT_ANCHOR)
                            && sog < 3.0 =>
                    {
                        180.0
                    }
                    AisClass::A if sog <= 14.0 => 10.0,
                    AisClass::A if sog <= 23.0 => 6.0,
                    AisClass::A => 2.0,
                    AisClass::B if sog > 2.0 => 30.0,
                    AisClass::B => 180.0,
                };
                let next = t + (interval_s * rng.range(0.98, 1.02) * 1000.0) as i64;
                heap.push(Reverse((next.max(t + 1), i, stream)));
            }
            Stream::Static => {
                let name = AisText::from_str_truncated(&ident.name.to_ascii_uppercase());
                let cs = AisText::from_str_truncated(&ident.callsign);
                let l = ship.vessel.length_m.max(1.0);
                let b = ship.vessel.beam_m.max(1.0);
                let (bow, stern) = ((l * 0.8).round() as u16, (l * 0.2).round() as u16);
                let (port_w, stbd) = ((b / 2.0).floor() as u8, (b / 2.0).ceil() as u8);
                let msgs: Vec<Message> = match ship.class {
                    AisClass::A => {
                        let eta_txt = format_utc(eta);
                        let part = |a: usize, n: usize| {
                            eta_txt.get(a..a + n).and_then(|s| s.parse::<u8>().ok())
                        };
                        vec![Message::StaticVoyage(StaticVoyage {
                            msg_type: 5,
                            repeat: 0,
                            mmsi: ident.mmsi,
                            ais_version: 0,
                            imo: ident.imo,
                            callsign: cs.non_empty(),
                            shipname: name.non_empty(),
                            shiptype: Some(ship.ais_type),
                            to_bow: Some(bow),
                            to_stern: Some(stern),
                            to_port: Some(port_w),
                            to_starboard: Some(stbd),
                            epfd: 1,
                            month: part(5, 2),
                            day: part(8, 2),
                            hour: part(11, 2),
                            minute: part(14, 2),
                            draught: Some(((ident.draught * 10.0).round() / 10.0) as f32),
                            destination: AisText::from_str_truncated(&dest.to_ascii_uppercase())
                                .non_empty(),
                            dte: false,
                        })]
                    }
                    AisClass::B => vec![
                        Message::StaticDataB(StaticDataB {
                            msg_type: 24,
                            repeat: 0,
                            mmsi: ident.mmsi,
                            part: StaticDataBPart::A {
                                shipname: name.non_empty(),
                            },
                        }),
                        Message::StaticDataB(StaticDataB {
                            msg_type: 24,
                            repeat: 0,
                            mmsi: ident.mmsi,
                            part: StaticDataBPart::B {
                                shiptype: Some(ship.ais_type),
                                vendorid: None,
                                model: 0,
                                serial: 0,
                                callsign: cs.non_empty(),
                                dims: Type24Dims::Dimensions {
                                    to_bow: Some(bow),
                                    to_stern: Some(stern),
                                    to_port: Some(port_w),
                                    to_starboard: Some(stbd),
                                },
                            },
                        }),
                    ],
                };
                for msg in &msgs {
                    summary.statics_sent += 1;
                    if opts.format == Format::Csv {
                        continue;
                    }
                    match rx.hear(true_pos, t) {
                        None => summary.unheard += 1,
                        Some(h) => {
                            w.deliver(t, msg, h, &mut rx, &mut summary)?;
                        }
                    }
                }
                heap.push(Reverse((
                    t + (360_000.0 * rng.range(0.99, 1.01)) as i64,
                    i,
                    stream,
                )));
            }
        }
    }
    w.flush_until(i64::MAX)?;
    w.finish()?;
    events.sort_by(|a, b| a.start_ms.cmp(&b.start_ms).then(a.kind.cmp(&b.kind)));
    summary.truth_events = events.len();
    let truth = Truth {
        scenario: sc.name.clone(),
        seed,
        events,
        start_ms: t0,
        end_ms: t_end,
        vessels: ships.iter().map(|s| s.vessel.clone()).collect(),
        ports: world
            .ports
            .iter()
            .map(|p| TruthPort {
                name: p.name.clone(),
                country: p.country.clone(),
                lat: p.pos.lat,
                lon: p.pos.lon,
                radius_m: p.radius_m,
            })
            .collect(),
    };
    Ok((truth, summary))
}

/// Writes lines in delivery order, holding back reordered ones in a small heap.
struct Writer<W: Write> {
    out: W,
    format: Format,
    stations: Vec<String>,
    held: BinaryHeap<Reverse<(i64, u64, Vec<String>)>>,
    seq: u64,
    multipart_seq: u8,
    header_done: bool,
}

impl<W: Write> Writer<W> {
    fn new(out: W, format: Format, stations: Vec<String>) -> Self {
        Writer {
            out,
            format,
            stations,
            held: BinaryHeap::new(),
            seq: 0,
            multipart_seq: 0,
            header_done: false,
        }
    }

    fn flush_until(&mut self, t: i64) -> std::io::Result<()> {
        while let Some(Reverse((d, _, _))) = self.held.peek() {
            if *d > t {
                break;
            }
            if let Some(Reverse((_, _, lines))) = self.held.pop() {
                for l in lines {
                    self.out.write_all(l.as_bytes())?;
                    self.out.write_all(b"\n")?;
                }
            }
        }
        Ok(())
    }

    /// Delivers one message heard by `h`: returns the number of copies written.
    fn deliver(
        &mut self,
        t: i64,
        msg: &Message,
        h: crate::receiver::Heard,
        rx: &mut Receivers,
        summary: &mut Summary,
    ) -> Result<u64, SimError> {
        let (pl, fill) = payload(msg);
        let multipart = pl.len() > 60;
        let mut copies = 0;
        for st in std::iter::once(h.primary).chain(h.duplicate) {
            let opts = EncodeOptions {
                channel: Some(if rx.below(2) == 0 { 'A' } else { 'B' }),
                seq_id: if multipart {
                    Some(self.multipart_seq)
                } else {
                    None
                },
                tag_block: Some(TagBlock {
                    time_s: Some(t / 1000),
                    station: Some(self.stations[st as usize].clone()),
                    group_id: None,
                }),
                ..EncodeOptions::default()
            };
            let mut lines = sentences_for_payload(&pl, fill, &opts);
            if rx.corrupt() {
                let k = rx.below(lines.len());
                corrupt_line(&mut lines[k], rx.below(1000));
                summary.corrupted += 1;
            }
            summary.lines += lines.len() as u64;
            summary.messages += 1;
            copies += 1;
            if st != h.primary {
                summary.duplicates += 1;
            }
            let delay = rx.delay_ms();
            if delay > 0 {
                summary.reordered += 1;
                self.seq += 1;
                self.held.push(Reverse((t + delay, self.seq, lines)));
            } else {
                for l in lines {
                    self.out.write_all(l.as_bytes())?;
                    self.out.write_all(b"\n")?;
                }
            }
        }
        if multipart {
            self.multipart_seq = (self.multipart_seq + 1) % 10;
        }
        Ok(copies)
    }

    #[allow(clippy::too_many_arguments)]
    fn csv_row(
        &mut self,
        t: i64,
        ship: &Ship,
        id: &fleet::Broadcast,
        pos: LonLat,
        sog: f64,
        cog: f64,
        heading: u16,
        nav: u8,
    ) -> std::io::Result<()> {
        if !self.header_done {
            self.out.write_all(b"MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass\n")?;
            self.header_done = true;
        }
        let imo = id.imo.map(|i| format!("IMO{i}")).unwrap_or_default();
        writeln!(
            self.out,
            "{},{},{:.5},{:.5},{:.1},{:.1},{},{},{},{},{},{},{:.0},{:.0},{:.1},{},{}",
            id.mmsi,
            format_utc(t),
            pos.lat,
            pos.lon,
            sog,
            cog,
            heading,
            id.name.replace(',', " "),
            imo,
            id.callsign,
            ship.ais_type,
            nav,
            ship.vessel.length_m,
            ship.vessel.beam_m,
            id.draught,
            ship.ais_type,
            if ship.class == AisClass::A { "A" } else { "B" }
        )
    }

    fn finish(mut self) -> std::io::Result<()> {
        let _ = self.format;
        self.out.flush()
    }
}

/// Changes one payload character of an NMEA sentence to another valid 6-bit character, so that
/// the sentence still parses but its checksum no longer matches.
fn corrupt_line(line: &mut String, pick: usize) {
    let start = line.find('!').unwrap_or(0);
    let body: Vec<usize> = line
        .char_indices()
        .skip_while(|&(i, _)| i < start)
        .filter(|&(_, c)| c == ',')
        .map(|(i, _)| i)
        .collect();
    if body.len() < 6 {
        return;
    }
    let (a, b) = (body[4] + 1, body[5]);
    if b <= a {
        return;
    }
    let i = a + pick % (b - a);
    let old = line.as_bytes()[i];
    let new = if old == b'0' { b'1' } else { b'0' };
    line.replace_range(i..i + 1, std::str::from_utf8(&[new]).unwrap_or("0"));
}
