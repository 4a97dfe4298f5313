//! Checks that emitted traffic agrees with the truth, by decoding it with the project's own `ais`
//! decoder: every visible scripted ship-to-ship pair lies within the stated distance for the
//! stated time, scripted dark periods emit nothing, and no position is on land.

use crate::truth::Truth;
use crate::world::Land;
use ais::{Decoder, DecoderOptions, Feed, Message, RejectReason};
use serde::Serialize;
use spatial::{haversine_m, LonLat};
use std::collections::HashMap;
use std::io::BufRead;

/// One decoded position.
#[derive(Debug, Clone, Copy)]
pub struct DecodedPos {
    /// Reception time, UTC ms.
    pub t: i64,
    /// Position.
    pub p: LonLat,
    /// Reported speed, knots.
    pub sog: Option<f32>,
}

/// What a decoded output contains, per MMSI.
#[derive(Debug, Default)]
pub struct DecodedTraffic {
    /// Positions per MMSI, in file order.
    pub positions: HashMap<u32, Vec<DecodedPos>>,
    /// Reception times of every message (any type) per MMSI.
    pub times: HashMap<u32, Vec<i64>>,
    /// Lines rejected for a bad checksum.
    pub bad_checksum: u64,
    /// Fragments orphaned (the other part was corrupted).
    pub orphans: u64,
    /// Lines rejected for any other reason (should be none).
    pub other_rejects: u64,
    /// Messages decoded.
    pub decoded: u64,
}

/// Decodes NMEA output.
pub fn decode<R: BufRead>(mut r: R) -> std::io::Result<DecodedTraffic> {
    let mut d = Decoder::new(DecoderOptions::default());
    let mut out = DecodedTraffic::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        match d.feed(&line) {
            Feed::Decoded(m) => {
                out.decoded += 1;
                let Some(t) = m.meta.time_ms else { continue };
                out.times.entry(m.message.mmsi()).or_default().push(t);
                let sog = match &m.message {
                    Message::PositionReportA(r) => r.speed,
                    Message::PositionReportB(r) => r.speed,
                    _ => None,
                };
                if let Some((lat, lon)) = m.message.position() {
                    out.positions
                        .entry(m.message.mmsi())
                        .or_default()
                        .push(DecodedPos {
                            t,
                            p: LonLat::new(lon, lat),
                            sog,
                        });
                }
            }
            Feed::Rejected(rj) => match rj.reason {
                RejectReason::BadChecksum => out.bad_checksum += 1,
                RejectReason::OrphanFragment => out.orphans += 1,
                _ => out.other_rejects += 1,
            },
            _ => {}
        }
    }
    out.orphans += d.finish().len() as u64;
    Ok(out)
}

/// The result of checking output against truth.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Agreement {
    /// Visible scripted STS encounters checked.
    pub sts_checked: usize,
    /// Pairs of near-simultaneous (≤ 30 s) positions of the two ships inside the STS windows.
    pub sts_pairs: usize,
    /// Largest distance between such a pair, metres.
    pub sts_max_distance_m: f64,
    /// Largest reported speed of a ship inside an STS window, knots.
    pub sts_max_speed_kn: f64,
    /// STS encounters with fewer than 10 simultaneous pairs, or whose received positions span
    /// less than 70 % of the window (label and figures).
    pub sts_poorly_covered: Vec<String>,
    /// Scripted dark periods checked.
    pub dark_checked: usize,
    /// Messages received from a vessel inside its scripted dark period (must be 0).
    pub dark_violations: usize,
    /// Positions checked against the coastline.
    pub positions_checked: usize,
    /// Positions on land (must be 0; spoofed positions excluded).
    pub on_land: usize,
}

/// Checks decoded traffic against the truth. `land` is the scenario's coastline.
pub fn agree(traffic: &DecodedTraffic, truth: &Truth, land: &Land) -> Agreement {
    let mut a = Agreement::default();
    let empty = Vec::new();
    for e in truth
        .events
        .iter()
        .filter(|e| e.kind == "encounter" && !e.benign)
    {
        let (va, vb) = (e.vessels[0], e.vessels[1]);
        let inside = |m: u32| -> Vec<DecodedPos> {
            traffic
                .positions
                .get(&m)
                .unwrap_or(&empty)
                .iter()
                .filter(|p| p.t >= e.start_ms && p.t <= e.end_ms)
                .copied()
                .collect()
        };
        let (pa, pb) = (inside(va), inside(vb));
        let mut pairs = 0;
        for x in &pa {
            a.sts_max_speed_kn = a.sts_max_speed_kn.max(x.sog.unwrap_or(0.0) as f64);
            // pb is in time order (one receiver stream, reordering of a few seconds at most).
            for y in pb.iter().filter(|y| (y.t - x.t).abs() <= 30_000) {
                a.sts_max_distance_m = a.sts_max_distance_m.max(haversine_m(x.p, y.p));
                pairs += 1;
            }
        }
        for y in &pb {
            a.sts_max_speed_kn = a.sts_max_speed_kn.max(y.sog.unwrap_or(0.0) as f64);
        }
        let span =
            pa.iter().map(|p| p.t).max().unwrap_or(0) - pa.iter().map(|p| p.t).min().unwrap_or(0);
        let cover = span as f64 / (e.end_ms - e.start_ms).max(1) as f64;
        if pairs < 10 || cover < 0.7 {
            a.sts_poorly_covered.push(format!(
                "{}: {pairs} pairs, positions over {:.0} % of the window",
                e.script,
                cover * 100.0
            ));
        }
        a.sts_checked += 1;
        a.sts_pairs += pairs;
    }
    // Dark periods, except where another ship broadcast the same MMSI at the time.
    let collisions: Vec<(u32, i64, i64)> = truth
        .events
        .iter()
        .filter(|e| e.kind == "mmsi_collision")
        .map(|e| (e.vessels[0], e.start_ms, e.end_ms))
        .collect();
    for e in truth.events.iter().filter(|e| e.kind == "gap" && !e.benign) {
        let m = e.vessels[0];
        if collisions
            .iter()
            .any(|&(v, s, x)| v == m && s < e.end_ms && e.start_ms < x)
        {
            continue;
        }
        a.dark_checked += 1;
        a.dark_violations += traffic.times.get(&m).map_or(0, |ts| {
            ts.iter()
                .filter(|&&t| t >= e.start_ms && t < e.end_ms)
                .count()
        });
    }
    // Coastline, skipping spoofed windows (false positions are not where the ship is).
    let spoofed: Vec<(u32, i64, i64)> = truth
        .events
        .iter()
        .filter(|e| e.kind == "circle_spoof" || e.kind == "mmsi_collision")
        .flat_map(|e| e.vessels.iter().map(move |&v| (v, e.start_ms, e.end_ms)))
        .collect();
    for (m, ps) in &traffic.positions {
        for p in ps {
            if spoofed
                .iter()
                .any(|&(v, s, x)| v == *m && p.t >= s && p.t < x)
            {
                continue;
            }
            a.positions_checked += 1;
            if land.contains(p.p) {
                a.on_land += 1;
            }
        }
    }
    a
}
