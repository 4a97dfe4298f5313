//! The fleet: each ship's particulars, its plan of legs, when its AIS is off, what it spoofs and
//! which identity it broadcasts over time — built from the scenario's groups, named vessels and
//! scripts, with the ground truth written alongside.

use crate::motion::{status, Leg, Motion, Path};
use crate::rng::Rng;
use crate::scenario::{
    AisClass, DarkSide, FleetGroup, Pattern, Scenario, Script, ShipType, SpoofMode, VesselSpec,
};
use crate::truth::{TruthEvent, TruthVessel};
use crate::world::World;
use crate::SimError;
use spatial::{destination, haversine_m, knots_to_mps, LonLat};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What a ship broadcasts as its identity from some instant on.
#[derive(Debug, Clone, PartialEq)]
pub struct Broadcast {
    /// MMSI.
    pub mmsi: u32,
    /// Name.
    pub name: String,
    /// IMO number.
    pub imo: Option<u32>,
    /// Call sign.
    pub callsign: String,
    /// Draught, metres.
    pub draught: f64,
}

/// A false position broadcast during a window.
#[derive(Debug, Clone, Copy)]
pub struct Spoof {
    /// Start, UTC ms.
    pub start: i64,
    /// End, UTC ms.
    pub end: i64,
    /// Fixed or circle.
    pub mode: SpoofMode,
    /// The false position.
    pub pos: LonLat,
    /// Circle radius, metres.
    pub radius_m: f64,
}

/// One simulated ship.
#[derive(Debug, Clone)]
pub struct Ship {
    /// The ship's true particulars (as written in truth.json).
    pub vessel: TruthVessel,
    /// Transceiver class.
    pub class: AisClass,
    /// AIS ship-and-cargo type.
    pub ais_type: u8,
    /// Plan, contiguous legs in time order.
    pub legs: Vec<Leg>,
    /// Windows (start, end) with the transmitter off, sorted.
    pub off: Vec<(i64, i64)>,
    /// Position-spoofing windows, sorted.
    pub spoofs: Vec<Spoof>,
    /// Identity broadcast from each instant on, sorted by time (the first entry applies from the
    /// beginning).
    pub idents: Vec<(i64, Broadcast)>,
    /// Destination names referred to by legs.
    pub destinations: Vec<String>,
    /// Cursor into `legs` (emission times only move forward).
    pub leg_cursor: usize,
    /// Cursor into `idents`.
    pub ident_cursor: usize,
}

impl Ship {
    /// The leg in force at `t` (moving the cursor forward).
    pub fn leg_at(&mut self, t: i64) -> &Leg {
        while self.leg_cursor + 1 < self.legs.len() && self.legs[self.leg_cursor].end <= t {
            self.leg_cursor += 1;
        }
        &self.legs[self.leg_cursor]
    }

    /// The identity broadcast at `t` (moving the cursor forward).
    pub fn ident_at(&mut self, t: i64) -> &Broadcast {
        while self.ident_cursor + 1 < self.idents.len() && self.idents[self.ident_cursor + 1].0 <= t
        {
            self.ident_cursor += 1;
        }
        &self.idents[self.ident_cursor].1
    }

    /// The end of the off window containing `t`, if the transmitter is off then.
    pub fn off_until(&self, t: i64) -> Option<i64> {
        self.off
            .iter()
            .find(|&&(s, e)| s <= t && t < e)
            .map(|&(_, e)| e)
    }

    /// The spoof in force at `t`.
    pub fn spoof_at(&self, t: i64) -> Option<&Spoof> {
        self.spoofs.iter().find(|s| s.start <= t && t < s.end)
    }

    /// True when the transmitter is off at any time in `[a, b]`.
    pub fn off_overlaps(&self, a: i64, b: i64) -> bool {
        self.off.iter().any(|&(s, e)| s <= b && a < e)
    }
}

const HOUR: f64 = 3_600_000.0;
/// Distance at each end of a transit covered at harbour speed, metres.
const SLOW_ZONE_M: f64 = 1500.0;
/// Harbour and approach speed, knots.
const SLOW_KN: f64 = 5.0;

fn ms(h: f64) -> i64 {
    (h * HOUR).round() as i64
}

/// A valid IMO number (7 digits, last the check digit) from six random digits.
pub fn make_imo(rng: &mut Rng) -> u32 {
    let body = 100_000 + rng.below(900_000) as u32;
    let digits: Vec<u32> = body
        .to_string()
        .bytes()
        .map(|b| (b - b'0') as u32)
        .collect();
    let check: u32 = digits
        .iter()
        .zip((2..=7).rev())
        .map(|(d, w)| d * w)
        .sum::<u32>()
        % 10;
    body * 10 + check
}

/// True when an IMO number's check digit is right.
pub fn imo_valid(imo: u32) -> bool {
    if !(1_000_000..=9_999_999).contains(&imo) {
        return false;
    }
    let s = imo.to_string();
    let d: Vec<u32> = s.bytes().map(|b| (b - b'0') as u32).collect();
    d[..6]
        .iter()
        .zip((2..=7).rev())
        .map(|(a, w)| a * w)
        .sum::<u32>()
        % 10
        == d[6]
}

const SYLL: [&str; 24] = [
    "HAI", "XIN", "HUA", "JIN", "DA", "FENG", "SHUN", "TONG", "MING", "YUAN", "KANG", "LONG", "AN",
    "RUI", "HONG", "SHENG", "FU", "TAI", "HENG", "YU", "CHANG", "PING", "GUANG", "DE",
];

/// A place a ship is at: a position, and the port it is in, if any.
#[derive(Debug, Clone, Copy)]
struct Place {
    pos: LonLat,
    port: Option<usize>,
}

/// Builds legs for one ship, keeping track of where and when it is.
struct Planner<'a> {
    world: &'a mut World,
    legs: Vec<Leg>,
    t: i64,
    at: Place,
    heading: f64,
    speed_kn: f64,
    destinations: Vec<String>,
    /// Stays in port: (port, start, end).
    visits: Vec<(usize, i64, i64)>,
}

impl<'a> Planner<'a> {
    fn dest_index(&mut self, name: &str) -> u16 {
        if let Some(i) = self.destinations.iter().position(|d| d == name) {
            return i as u16;
        }
        self.destinations.push(name.to_string());
        (self.destinations.len() - 1) as u16
    }

    fn path_to(&mut self, to: Place) -> Result<Vec<LonLat>, SimError> {
        let from = self.at;
        let mut pts = Vec::new();
        match (from.port, to.port) {
            (Some(a), Some(b)) if a == b => pts = vec![from.pos, to.pos],
            (Some(a), Some(b)) => {
                pts.push(from.pos);
                pts.extend(self.world.port_route(a, b)?);
                pts.push(to.pos);
            }
            (Some(a), None) => {
                pts.push(from.pos);
                pts.extend(self.world.route(self.world.ports[a].pos, to.pos)?);
            }
            (None, Some(b)) => {
                pts.extend(self.world.route(from.pos, self.world.ports[b].pos)?);
                pts.push(to.pos);
            }
            (None, None) => pts.extend(self.world.route(from.pos, to.pos)?),
        }
        pts.dedup_by(|a, b| haversine_m(*a, *b) < 1.0);
        if pts.len() < 2 {
            pts.push(to.pos);
        }
        Ok(pts)
    }

    /// Seconds a transit of `len` metres takes at `kn`, with slow zones at both ends.
    fn transit_s(len: f64, kn: f64) -> f64 {
        let slow = knots_to_mps(SLOW_KN.min(kn));
        let fast = knots_to_mps(kn);
        let z = (2.0 * SLOW_ZONE_M).min(len);
        z / slow + (len - z) / fast
    }

    /// Stays at the current place until `until` (moored in port, anchored elsewhere).
    fn stay_until(&mut self, until: i64, status_code: u8, swing_m: f64, dest: Option<u16>) {
        if until > self.t {
            if let Some(p) = self.at.port {
                self.visits.push((p, self.t, until));
            }
            self.legs.push(Leg {
                start: self.t,
                end: until,
                motion: Motion::Stay {
                    pos: self.at.pos,
                    heading: self.heading,
                    status: status_code,
                    swing_m,
                },
                destination: dest,
            });
            self.t = until;
        }
    }

    /// Sails to `to` now (or at `depart`), at `kn`, returning the arrival time.
    fn sail(&mut self, to: Place, kn: f64, dest: Option<u16>) -> Result<i64, SimError> {
        let pts = self.path_to(to)?;
        let path = Arc::new(Path::new(pts));
        let len = path.length();
        let slow = knots_to_mps(SLOW_KN.min(kn));
        let fast = knots_to_mps(kn);
        let z = SLOW_ZONE_M.min(len / 2.0);
        let mut d = 0.0;
        for (dist, v) in [(z, slow), (len - 2.0 * z, fast), (z, slow)] {
            if dist <= 0.0 {
                continue;
            }
            let dur = (dist / v * 1000.0).round() as i64;
            if dur > 0 {
                self.legs.push(Leg {
                    start: self.t,
                    end: self.t + dur,
                    motion: Motion::Transit {
                        path: path.clone(),
                        d0: d,
                        speed_mps: v,
                    },
                    destination: dest,
                });
                self.t += dur;
            }
            d += dist;
        }
        if let Some(last) = path.pts.len().checked_sub(2) {
            self.heading = spatial::bearing_deg(path.pts[last], path.pts[last + 1]);
        }
        self.at = to;
        Ok(self.t)
    }

    /// Plans to be at `to` exactly at `arrive`, leaving as late as the cruise speed allows and
    /// slow-steaming (down to 6 kn) when there is time. Waits first at the current place.
    fn reach_at(&mut self, to: Place, arrive: i64, dest: Option<u16>) -> Result<(), SimError> {
        let len = Path::new(self.path_to(to)?).length();
        let avail = (arrive - self.t) as f64 / 1000.0;
        let need = Self::transit_s(len, self.speed_kn);
        if need > avail + 1.0 {
            return Err(SimError::Scenario(format!(
                "needs {:.1} h to sail {:.0} km at {:.1} kn but has {:.1} h",
                need / 3600.0,
                len / 1000.0,
                self.speed_kn,
                avail / 3600.0
            )));
        }
        // Slow steaming: the lowest speed ≥ 6 kn that still arrives in time.
        let mut kn = self.speed_kn;
        while kn > 6.0 && Self::transit_s(len, kn - 0.5) <= avail {
            kn -= 0.5;
        }
        let dur = (Self::transit_s(len, kn) * 1000.0).round() as i64;
        let depart = arrive - dur;
        let (st, swing) = if self.at.port.is_some() {
            (status::MOORED, 0.0)
        } else {
            (status::AT_ANCHOR, 40.0)
        };
        self.stay_until(depart, st, swing, dest);
        self.sail(to, kn, dest)?;
        // Rounding in the legs: pin the arrival to the appointment.
        if let Some(last) = self.legs.last_mut() {
            last.end = arrive.max(last.start + 1);
        }
        self.t = arrive;
        Ok(())
    }
}

/// A berth position within a port's radius, over water and with a clear line to the port centre.
fn berth(world: &World, port: usize, rng: &mut Rng) -> LonLat {
    let p = &world.ports[port];
    for _ in 0..20 {
        let q = destination(p.pos, rng.range(0.0, 360.0), p.radius_m * rng.f64().sqrt());
        if !world.land.near(q, 60.0) && !world.land.crosses_from_water(p.pos, q) {
            return q;
        }
    }
    p.pos
}

fn anchor_spot(world: &World, anch: usize, rng: &mut Rng) -> LonLat {
    let a = &world.anchorages[anch];
    for _ in 0..20 {
        let q = destination(a.pos, rng.range(0.0, 360.0), a.radius_m * rng.f64().sqrt());
        if !world.land.near(q, 100.0) {
            return q;
        }
    }
    a.pos
}

/// An appointment: a vessel must be at `arrive` at `start`, does `legs` until `end`, leaves from
/// `depart`.
#[derive(Debug, Clone)]
struct Appt {
    start: i64,
    end: i64,
    arrive: Place,
    depart: Place,
    legs: Vec<Motion>,
    label: String,
    /// True when the appointment is an ordinary stay in port (recorded as a benign port visit).
    visit: bool,
}

/// Everything the scripts add to one named vessel.
#[derive(Debug, Default, Clone)]
struct Extras {
    appts: Vec<Appt>,
    off: Vec<(i64, i64)>,
    spoofs: Vec<Spoof>,
    /// (time, change) in script order; folded into `idents` later.
    changes: Vec<(i64, Change)>,
}

#[derive(Debug, Clone)]
enum Change {
    Name(String),
    Imo(u32),
    DraughtSet(f64),
    DraughtDelta(f64),
    MaskStart(usize),
    MaskEnd,
}

/// The built fleet and the truth of its scripted (and generated benign) events.
pub struct Built {
    /// Ships, named vessels first, then generated groups.
    pub ships: Vec<Ship>,
    /// Truth events.
    pub events: Vec<TruthEvent>,
}

fn pick(rng: &mut Rng, r: [f64; 2]) -> f64 {
    rng.range(r[0].min(r[1]), r[0].max(r[1]))
}

/// A stay length in hours from a range, at least a quarter of an hour so that every plan moves on.
fn stay_h(rng: &mut Rng, r: [f64; 2]) -> f64 {
    pick(rng, r).max(0.25)
}

struct Particulars {
    length: f64,
    beam: f64,
    dwt: f64,
    speed: f64,
    draught: [f64; 2],
}

fn particulars(t: &ShipType, rng: &mut Rng) -> Particulars {
    // Size drawn once and shared by length, beam and deadweight so that they stay consistent.
    let u = rng.f64();
    let lerp = |r: [f64; 2]| r[0] + (r[1] - r[0]) * u;
    Particulars {
        length: lerp(t.length_m).round(),
        beam: lerp(t.beam_m).round(),
        dwt: lerp(t.dwt).round(),
        speed: pick(rng, t.speed_kn),
        draught: [
            lerp([t.draught_m[0], t.draught_m[0] * 1.1]),
            lerp([t.draught_m[1] * 0.9, t.draught_m[1]]),
        ],
    }
}

/// Builds every ship's plan and the truth.
pub fn build(
    sc: &Scenario,
    world: &mut World,
    seed: u64,
    t0: i64,
    t_end: i64,
) -> Result<Built, SimError> {
    for t in &sc.ship_type {
        let ok = |r: [f64; 2]| r.iter().all(|x| x.is_finite() && *x > 0.0);
        if !(ok(t.length_m) && ok(t.beam_m) && ok(t.dwt) && ok(t.draught_m) && ok(t.speed_kn))
            || t.speed_kn[0].min(t.speed_kn[1]) < 1.0
        {
            return Err(SimError::Scenario(format!(
                "ship_type {:?}: sizes, draughts and speeds must be positive (speeds ≥ 1 kn)",
                t.name
            )));
        }
    }
    for sc_ in &sc.script {
        let (start, hours) = match sc_ {
            Script::Sts { start_h, hours, .. }
            | Script::Dark { start_h, hours, .. }
            | Script::PortCall { start_h, hours, .. }
            | Script::MmsiSpoof { start_h, hours, .. }
            | Script::PositionSpoof { start_h, hours, .. }
            | Script::InPortAlongside { start_h, hours, .. }
            | Script::AnchorageWait { start_h, hours, .. }
            | Script::FishingFleet { start_h, hours, .. } => (*start_h, *hours),
            Script::ForgedImo { at_h, .. } | Script::Rename { at_h, .. } => (*at_h, 0.0),
        };
        if !start.is_finite() || !hours.is_finite() || start < 0.0 || hours < 0.0 {
            return Err(SimError::Scenario(format!(
                "script {:?}: start and length must be non-negative hours",
                sc_.label()
            )));
        }
        if let Script::FishingFleet { speed_kn, .. } = sc_ {
            if speed_kn.is_nan() || *speed_kn <= 0.1 {
                return Err(SimError::Scenario(format!(
                    "script {:?}: speed_kn must be positive",
                    sc_.label()
                )));
            }
        }
    }
    let types: HashMap<&str, &ShipType> =
        sc.ship_type.iter().map(|t| (t.name.as_str(), t)).collect();
    let get_type = |name: &str, who: &str| {
        types
            .get(name)
            .copied()
            .ok_or_else(|| SimError::Scenario(format!("{who}: no ship_type {name:?}")))
    };
    let mut ships: Vec<Ship> = Vec::new();
    let mut events: Vec<TruthEvent> = Vec::new();
    let mut used_mmsi: HashSet<u32> = HashSet::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut specs: Vec<(Particulars, &VesselSpec, &ShipType)> = Vec::new();

    // Named vessels.
    for (i, v) in sc.vessel.iter().enumerate() {
        let ty = get_type(&v.ship_type, &format!("vessel {:?}", v.name))?;
        if by_name.insert(v.name.as_str(), i).is_some() {
            return Err(SimError::Scenario(format!(
                "vessel {:?} defined twice",
                v.name
            )));
        }
        if !used_mmsi.insert(v.mmsi) || !(100_000_000..=999_999_999).contains(&v.mmsi) {
            return Err(SimError::Scenario(format!(
                "vessel {:?}: MMSI {} invalid or used twice",
                v.name, v.mmsi
            )));
        }
        if world.port_index(&v.home).is_none() {
            return Err(SimError::Scenario(format!(
                "vessel {:?}: no port {:?}",
                v.name, v.home
            )));
        }
        let mut rng = Rng::new(seed, 1_000_000 + i as u64);
        let mut p = particulars(ty, &mut rng);
        if let Some(d) = v.dwt {
            p.dwt = d;
        }
        if let Some(l) = v.length_m {
            p.length = l;
        }
        specs.push((p, v, ty));
    }

    let mut extras: Vec<Extras> = vec![Extras::default(); specs.len()];
    let vidx = |name: &str, label: &str| -> Result<usize, SimError> {
        by_name
            .get(name)
            .copied()
            .ok_or_else(|| SimError::Scenario(format!("script {label:?}: no vessel {name:?}")))
    };
    let mmsi_of = |i: usize| specs[i].1.mmsi;
    let port_of = |name: &str, label: &str| -> Result<usize, SimError> {
        world
            .port_index(name)
            .ok_or_else(|| SimError::Scenario(format!("script {label:?}: no port {name:?}")))
    };
    let mut srng = Rng::new(seed, 999);
    let ev = |kind: &str,
              script: &str,
              benign: bool,
              vessels: Vec<u32>,
              s: i64,
              e: i64,
              p: LonLat,
              note: String,
              group: &str| TruthEvent {
        kind: kind.into(),
        script: script.into(),
        benign,
        vessels,
        start_ms: s,
        end_ms: e,
        lat: p.lat,
        lon: p.lon,
        note,
        group: group.into(),
    };

    for (si, script) in sc.script.iter().enumerate() {
        let label = script.label().to_string();
        let group = format!("s{si}");
        let at = |h: f64| t0 + ms(h);
        match script {
            Script::Sts {
                vessels,
                lat,
                lon,
                start_h,
                hours,
                distance_m,
                dark,
                dark_margin_h,
                ..
            } => {
                let (a, b) = (vidx(&vessels[0], &label)?, vidx(&vessels[1], &label)?);
                let (s, e) = (at(*start_h), at(start_h + hours));
                let centre = LonLat::new(*lon, *lat);
                let phase = srng.range(0.0, 360.0);
                let period = 8.0 * 3600.0;
                let radius = 250.0;
                let brg = srng.range(0.0, 360.0);
                let dur_s = (e - s) as f64 / 1000.0;
                let mk = |off: f64| Motion::Drift {
                    centre,
                    radius_m: radius,
                    period_s: period,
                    phase_deg: phase,
                    offset_m: off,
                    offset_brg: brg,
                };
                for (k, (vi, off)) in [(a, 0.0), (b, *distance_m)].into_iter().enumerate() {
                    let m = mk(off);
                    let arrive = m.at(0.0).pos;
                    let depart = m.at(dur_s).pos;
                    if world.land.contains(arrive) {
                        return Err(SimError::Scenario(format!(
                            "script {label:?}: meeting point is on land"
                        )));
                    }
                    extras[vi].appts.push(Appt {
                        start: s,
                        end: e,
                        arrive: Place {
                            pos: arrive,
                            port: None,
                        },
                        depart: Place {
                            pos: depart,
                            port: None,
                        },
                        legs: vec![m],
                        label: label.clone(),
                        visit: false,
                    });
                    let is_dark = matches!(
                        (dark, k),
                        (DarkSide::Both, _) | (DarkSide::First, 0) | (DarkSide::Second, 1)
                    );
                    if is_dark {
                        extras[vi]
                            .off
                            .push((s - ms(*dark_margin_h), e + ms(*dark_margin_h)));
                    }
                }
                let (ma, mb) = (mmsi_of(a), mmsi_of(b));
                let m = ms(*dark_margin_h);
                match dark {
                    DarkSide::None => events.push(ev(
                        "encounter",
                        &label,
                        false,
                        vec![ma, mb],
                        s,
                        e,
                        centre,
                        format!("STS alongside {:.0} m, both broadcasting", distance_m),
                        &group,
                    )),
                    DarkSide::First | DarkSide::Second => {
                        let (vis, dk) = if *dark == DarkSide::First {
                            (mb, ma)
                        } else {
                            (ma, mb)
                        };
                        events.push(ev(
                            "loitering",
                            &label,
                            false,
                            vec![vis, dk],
                            s,
                            e,
                            centre,
                            format!("STS with {dk} whose AIS was off; only {vis} visible"),
                            &group,
                        ));
                        events.push(ev(
                            "gap",
                            &label,
                            false,
                            vec![dk],
                            s - m,
                            e + m,
                            centre,
                            format!("AIS off during STS with {vis}"),
                            &group,
                        ));
                    }
                    DarkSide::Both => {
                        events.push(ev(
                            "dark_rendezvous",
                            &label,
                            false,
                            vec![ma, mb],
                            s - m,
                            e + m,
                            centre,
                            "STS with both ships' AIS off".into(),
                            &group,
                        ));
                        for x in [ma, mb] {
                            events.push(ev(
                                "gap",
                                &label,
                                false,
                                vec![x],
                                s - m,
                                e + m,
                                centre,
                                "AIS off during STS".into(),
                                &group,
                            ));
                        }
                    }
                }
                // Cargo moves from b to a: a's draught rises to laden, b's falls by as much as a's
                // cargo weighs in b's hull (in proportion to deadweight).
                let (pa, pb) = (&specs[a].0, &specs[b].0);
                let rise = pa.draught[1] - pa.draught[0];
                let fall = ((pb.draught[1] - pb.draught[0]) * (pa.dwt / pb.dwt.max(1.0)))
                    .min(pb.draught[1] - pb.draught[0]);
                let (da, db) = (
                    matches!(dark, DarkSide::First | DarkSide::Both),
                    matches!(dark, DarkSide::Second | DarkSide::Both),
                );
                extras[a]
                    .changes
                    .push((e, Change::DraughtSet(pa.draught[1])));
                extras[b].changes.push((e, Change::DraughtDelta(-fall)));
                events.push(ev(
                    "draught_change",
                    &label,
                    false,
                    vec![ma],
                    s - if da { m } else { 0 },
                    e + if da { m } else { 0 },
                    centre,
                    format!("+{rise:.1} m after receiving cargo by STS"),
                    &group,
                ));
                events.push(ev(
                    "draught_change",
                    &label,
                    false,
                    vec![mb],
                    s - if db { m } else { 0 },
                    e + if db { m } else { 0 },
                    centre,
                    format!("-{fall:.1} m after supplying cargo by STS"),
                    &group,
                ));
            }
            Script::Dark {
                vessel,
                start_h,
                hours,
                ..
            } => {
                let v = vidx(vessel, &label)?;
                let (s, e) = (at(*start_h), at(start_h + hours));
                extras[v].off.push((s, e));
                events.push(ev(
                    "gap",
                    &label,
                    false,
                    vec![mmsi_of(v)],
                    s,
                    e,
                    LonLat::new(f64::NAN, f64::NAN),
                    "AIS off (scripted dark period)".into(),
                    &group,
                ));
            }
            Script::PortCall {
                vessel,
                port,
                start_h,
                hours,
                dark,
                dark_margin_h,
                draught_change_m,
                benign,
                ..
            } => {
                let v = vidx(vessel, &label)?;
                let p = port_of(port, &label)?;
                let (s, e) = (at(*start_h), at(start_h + hours));
                let mut r = Rng::new(seed, 2_000_000 + si as u64);
                let pos = berth(world, p, &mut r);
                let place = Place { pos, port: Some(p) };
                extras[v].appts.push(Appt {
                    start: s,
                    end: e,
                    arrive: place,
                    depart: place,
                    legs: vec![Motion::Stay {
                        pos,
                        heading: r.range(0.0, 360.0),
                        status: status::MOORED,
                        swing_m: 0.0,
                    }],
                    label: label.clone(),
                    visit: false,
                });
                let kp = !benign.unwrap_or(world.ports[p].country != "KP");
                let ppos = world.ports[p].pos;
                let m = ms(*dark_margin_h);
                events.push(ev(
                    "port_visit",
                    &label,
                    !kp,
                    vec![mmsi_of(v)],
                    s,
                    e,
                    ppos,
                    format!("call at {port}{}", if *dark { " with AIS off" } else { "" }),
                    &group,
                ));
                if *dark {
                    extras[v].off.push((s - m, e + m));
                    events.push(ev(
                        "gap",
                        &label,
                        !kp,
                        vec![mmsi_of(v)],
                        s - m,
                        e + m,
                        ppos,
                        format!("AIS off for the call at {port}"),
                        &group,
                    ));
                }
                if *draught_change_m != 0.0 {
                    extras[v]
                        .changes
                        .push((e, Change::DraughtDelta(*draught_change_m)));
                    events.push(ev(
                        "draught_change",
                        &label,
                        !kp,
                        vec![mmsi_of(v)],
                        s,
                        e + if *dark { m } else { 0 },
                        ppos,
                        format!("{draught_change_m:+.1} m in {port}"),
                        &group,
                    ));
                }
            }
            Script::MmsiSpoof {
                vessel,
                victim,
                start_h,
                hours,
                ..
            } => {
                let (v, w) = (vidx(vessel, &label)?, vidx(victim, &label)?);
                let (s, e) = (at(*start_h), at(start_h + hours));
                extras[v].changes.push((s, Change::MaskStart(w)));
                extras[v].changes.push((e, Change::MaskEnd));
                events.push(ev(
                    "mmsi_collision",
                    &label,
                    false,
                    vec![mmsi_of(w), mmsi_of(v)],
                    s,
                    e,
                    LonLat::new(f64::NAN, f64::NAN),
                    format!(
                        "{} ({}) broadcasts the identity of {} ({})",
                        specs[v].1.name,
                        mmsi_of(v),
                        specs[w].1.name,
                        mmsi_of(w)
                    ),
                    &group,
                ));
            }
            Script::ForgedImo {
                vessel, imo, at_h, ..
            } => {
                let v = vidx(vessel, &label)?;
                let s = at(*at_h);
                extras[v].changes.push((s, Change::Imo(*imo)));
                let valid = if imo_valid(*imo) {
                    "valid check digit"
                } else {
                    "invalid check digit"
                };
                events.push(ev(
                    "identity_change",
                    &label,
                    false,
                    vec![mmsi_of(v)],
                    s,
                    s + ms(0.25),
                    LonLat::new(f64::NAN, f64::NAN),
                    format!("IMO changed to {imo} ({valid})"),
                    &group,
                ));
            }
            Script::Rename {
                vessel, name, at_h, ..
            } => {
                let v = vidx(vessel, &label)?;
                let s = at(*at_h);
                extras[v].changes.push((s, Change::Name(name.clone())));
                events.push(ev(
                    "identity_change",
                    &label,
                    false,
                    vec![mmsi_of(v)],
                    s,
                    s + ms(0.25),
                    LonLat::new(f64::NAN, f64::NAN),
                    format!("name changed from {} to {name}", specs[v].1.name),
                    &group,
                ));
            }
            Script::PositionSpoof {
                vessel,
                mode,
                lat,
                lon,
                radius_m,
                start_h,
                hours,
                ..
            } => {
                let v = vidx(vessel, &label)?;
                let (s, e) = (at(*start_h), at(start_h + hours));
                let pos = LonLat::new(*lon, *lat);
                extras[v].spoofs.push(Spoof {
                    start: s,
                    end: e,
                    mode: *mode,
                    pos,
                    radius_m: *radius_m,
                });
                let what = match mode {
                    SpoofMode::Fixed => "fixed false position",
                    SpoofMode::Circle => "circle of false positions",
                };
                events.push(ev(
                    "circle_spoof",
                    &label,
                    false,
                    vec![mmsi_of(v)],
                    s,
                    e,
                    pos,
                    format!("{what} while the ship is elsewhere"),
                    &group,
                ));
                events.push(ev(
                    "teleport",
                    &label,
                    false,
                    vec![mmsi_of(v)],
                    s,
                    s + ms(0.5),
                    pos,
                    "jump to the false position".into(),
                    &group,
                ));
                events.push(ev(
                    "teleport",
                    &label,
                    false,
                    vec![mmsi_of(v)],
                    e,
                    e + ms(0.5),
                    pos,
                    "jump back from the false position".into(),
                    &group,
                ));
            }
            Script::InPortAlongside {
                vessels,
                port,
                start_h,
                hours,
                ..
            } => {
                let (a, b) = (vidx(&vessels[0], &label)?, vidx(&vessels[1], &label)?);
                let p = port_of(port, &label)?;
                let (s, e) = (at(*start_h), at(start_h + hours));
                let mut r = Rng::new(seed, 2_000_000 + si as u64);
                let pos = berth(world, p, &mut r);
                let hd = r.range(0.0, 360.0);
                let pos_b = destination(pos, (hd + 90.0) % 360.0, 35.0);
                for (vi, q) in [(a, pos), (b, pos_b)] {
                    let place = Place {
                        pos: q,
                        port: Some(p),
                    };
                    extras[vi].appts.push(Appt {
                        start: s,
                        end: e,
                        arrive: place,
                        depart: place,
                        legs: vec![Motion::Stay {
                            pos: q,
                            heading: hd,
                            status: status::MOORED,
                            swing_m: 0.0,
                        }],
                        label: label.clone(),
                        visit: true,
                    });
                }
                events.push(ev(
                    "encounter",
                    &label,
                    true,
                    vec![mmsi_of(a), mmsi_of(b)],
                    s,
                    e,
                    world.ports[p].pos,
                    format!("{} alongside in {port}", specs[b].1.name),
                    &group,
                ));
            }
            Script::AnchorageWait {
                vessels,
                anchorage,
                start_h,
                hours,
                ..
            } => {
                let an = world
                    .anchorages
                    .iter()
                    .position(|x| &x.name == anchorage)
                    .ok_or_else(|| {
                        SimError::Scenario(format!("script {label:?}: no anchorage {anchorage:?}"))
                    })?;
                let (s, e) = (at(*start_h), at(start_h + hours));
                let base = world.anchorages[an].pos;
                let brg = srng.range(0.0, 360.0);
                let mut ids = Vec::new();
                for (k, name) in vessels.iter().enumerate() {
                    let vi = vidx(name, &label)?;
                    let q = destination(base, brg, 380.0 * k as f64);
                    let place = Place { pos: q, port: None };
                    extras[vi].appts.push(Appt {
                        start: s,
                        end: e,
                        arrive: place,
                        depart: place,
                        legs: vec![Motion::Stay {
                            pos: q,
                            heading: brg,
                            status: status::AT_ANCHOR,
                            swing_m: 40.0,
                        }],
                        label: label.clone(),
                        visit: false,
                    });
                    ids.push(mmsi_of(vi));
                }
                for w in ids.windows(2) {
                    events.push(ev(
                        "encounter",
                        &label,
                        true,
                        vec![w[0], w[1]],
                        s,
                        e,
                        base,
                        format!("anchored ~380 m apart at {anchorage}"),
                        &group,
                    ));
                }
            }
            Script::FishingFleet {
                vessels,
                lat,
                lon,
                start_h,
                hours,
                speed_kn,
                ..
            } => {
                let (s, e) = (at(*start_h), at(start_h + hours));
                let centre = LonLat::new(*lon, *lat);
                let brg = srng.range(0.0, 180.0);
                let mut ids = Vec::new();
                let dur_s = (e - s) as f64 / 1000.0;
                for (k, name) in vessels.iter().enumerate() {
                    let vi = vidx(name, &label)?;
                    let m = Motion::Trawl {
                        centre,
                        bearing: brg,
                        length_m: 8000.0,
                        speed_mps: knots_to_mps(*speed_kn),
                        lateral_m: 350.0 * k as f64,
                    };
                    let (arrive, depart) = (m.at(0.0).pos, m.at(dur_s).pos);
                    extras[vi].appts.push(Appt {
                        start: s,
                        end: e,
                        arrive: Place {
                            pos: arrive,
                            port: None,
                        },
                        depart: Place {
                            pos: depart,
                            port: None,
                        },
                        legs: vec![m],
                        label: label.clone(),
                        visit: false,
                    });
                    ids.push(mmsi_of(vi));
                }
                for w in ids.windows(2) {
                    events.push(ev(
                        "encounter",
                        &label,
                        true,
                        vec![w[0], w[1]],
                        s,
                        e,
                        centre,
                        format!("fishing together ~350 m apart at {speed_kn} kn"),
                        &group,
                    ));
                }
            }
        }
    }

    // Plans of named vessels.
    for (i, (p, v, ty)) in specs.iter().enumerate() {
        let home = world.port_index(&v.home).unwrap_or(0);
        let mut rng = Rng::new(seed, 3_000_000 + i as u64);
        let start_pos = berth(world, home, &mut rng);
        let mut ex = std::mem::take(&mut extras[i]);
        ex.appts.sort_by_key(|a| a.start);
        for w in ex.appts.windows(2) {
            if w[1].start < w[0].end {
                return Err(SimError::Scenario(format!(
                    "vessel {:?}: scripts {:?} and {:?} overlap in time",
                    v.name, w[0].label, w[1].label
                )));
            }
        }
        let mut pl = Planner {
            world,
            legs: Vec::new(),
            t: t0 - ms(1.0),
            at: Place {
                pos: start_pos,
                port: Some(home),
            },
            heading: rng.range(0.0, 360.0),
            speed_kn: p.speed,
            destinations: Vec::new(),
            visits: Vec::new(),
        };
        for ap in &ex.appts {
            let dest = ap.arrive.port.map(|x| pl.world.ports[x].name.clone());
            let di = dest.map(|d| pl.dest_index(&d));
            // With a long wait at sea, go home and wait there.
            if pl.at.port.is_none() {
                let home_place = Place {
                    pos: berth(pl.world, home, &mut rng),
                    port: Some(home),
                };
                let to_home =
                    Planner::transit_s(Path::new(pl.path_to(home_place)?).length(), pl.speed_kn);
                let saved = pl.at;
                pl.at = home_place;
                let from_home =
                    Planner::transit_s(Path::new(pl.path_to(ap.arrive)?).length(), pl.speed_kn);
                pl.at = saved;
                if (ap.start - pl.t) as f64 / 1000.0 > to_home + from_home + 12.0 * 3600.0 {
                    let hd = pl.dest_index(&v.home);
                    pl.sail(home_place, pl.speed_kn, Some(hd))?;
                }
            }
            pl.reach_at(ap.arrive, ap.start, di).map_err(|e| {
                SimError::Scenario(format!(
                    "vessel {:?} cannot reach script {:?} in time: {e}",
                    v.name, ap.label
                ))
            })?;
            for m in &ap.legs {
                pl.legs.push(Leg {
                    start: ap.start,
                    end: ap.end,
                    motion: m.clone(),
                    destination: di,
                });
            }
            if let (true, Some(port)) = (ap.visit, ap.arrive.port) {
                pl.visits.push((port, ap.start, ap.end));
            }
            pl.t = ap.end;
            pl.at = ap.depart;
        }
        if pl.at.port != Some(home) && pl.t < t_end {
            let hd = pl.dest_index(&v.home);
            let to = Place {
                pos: berth(pl.world, home, &mut rng),
                port: Some(home),
            };
            pl.sail(to, p.speed, Some(hd))?;
        }
        let end = pl.t.max(t_end) + ms(1.0);
        pl.stay_until(end, status::MOORED, 0.0, None);
        let legs = std::mem::take(&mut pl.legs);
        let destinations = std::mem::take(&mut pl.destinations);
        // Ordinary stays in port, merged across short moves within the port.
        let mut visits = std::mem::take(&mut pl.visits);
        visits.sort_by_key(|x| x.1);
        let mut merged: Vec<(usize, i64, i64)> = Vec::new();
        for x in visits {
            match merged.last_mut() {
                Some(m) if m.0 == x.0 && x.1 - m.2 <= ms(2.0) => m.2 = m.2.max(x.2),
                _ => merged.push(x),
            }
        }
        for (port, s, e) in merged {
            let (s, e) = (s.max(t0), e.min(t_end));
            let scripted = ex
                .appts
                .iter()
                .any(|a| !a.visit && a.arrive.port == Some(port) && a.start < e && s < a.end);
            if e - s >= ms(1.0) && !scripted {
                let pp = world.ports[port].pos;
                events.push(TruthEvent {
                    kind: "port_visit".into(),
                    script: "port_call".into(),
                    benign: true,
                    vessels: vec![v.mmsi],
                    start_ms: s,
                    end_ms: e,
                    lat: pp.lat,
                    lon: pp.lon,
                    note: "ordinary stay in port".into(),
                    group: String::new(),
                });
            }
        }
        let own = Broadcast {
            mmsi: v.mmsi,
            name: v.name.clone(),
            imo: v.imo,
            callsign: v
                .callsign
                .clone()
                .unwrap_or_else(|| format!("{}{:04}", &v.flag, v.mmsi % 10_000)),
            draught: if v.laden { p.draught[1] } else { p.draught[0] },
        };
        let vessel = TruthVessel {
            mmsi: v.mmsi,
            imo: v.imo,
            name: v.name.clone(),
            callsign: own.callsign.clone(),
            flag: v.flag.clone(),
            ship_type: ty.name.clone(),
            ais_type: ty.ais_type,
            class: format!("{:?}", ty.class),
            length_m: p.length,
            beam_m: p.beam,
            dwt: p.dwt,
            role: v.role.clone(),
            designated: v.designated,
            named: true,
        };
        ships.push(Ship {
            vessel,
            class: ty.class,
            ais_type: ty.ais_type,
            legs,
            off: ex.off,
            spoofs: ex.spoofs,
            idents: vec![(i64::MIN, own)],
            destinations,
            leg_cursor: 0,
            ident_cursor: 0,
        });
        extras[i].changes = ex.changes;
    }
    // Identity timelines (after all ships exist, since a mask copies another ship's identity).
    for i in 0..specs.len() {
        let mut changes = std::mem::take(&mut extras[i].changes);
        changes.sort_by_key(|c| c.0);
        let mut own = ships[i].idents[0].1.clone();
        let mut mask: Option<usize> = None;
        let mut idents = vec![(i64::MIN, own.clone())];
        for (t, c) in changes {
            match c {
                Change::Name(n) => own.name = n,
                Change::Imo(x) => own.imo = Some(x),
                Change::DraughtSet(d) => own.draught = d,
                Change::DraughtDelta(d) => {
                    own.draught = (own.draught + d).max(specs[i].0.draught[0] * 0.8)
                }
                Change::MaskStart(w) => mask = Some(w),
                Change::MaskEnd => mask = None,
            }
            let mut b = own.clone();
            if let Some(w) = mask {
                let victim = &ships[w].idents[0].1;
                b.mmsi = victim.mmsi;
                b.name = victim.name.clone();
                b.imo = victim.imo;
                b.callsign = victim.callsign.clone();
            }
            idents.push((t, b));
        }
        ships[i].idents = idents;
        ships[i].off.sort();
        ships[i].spoofs.sort_by_key(|s| s.start);
    }

    // Generated groups.
    let mut gi = 0u64;
    for g in &sc.fleet {
        let ty = get_type(&g.ship_type, &format!("fleet {:?}", g.name))?;
        let ports: Vec<usize> = g
            .ports
            .iter()
            .map(|n| {
                world
                    .port_index(n)
                    .ok_or_else(|| SimError::Scenario(format!("fleet {:?}: no port {n:?}", g.name)))
            })
            .collect::<Result<_, _>>()?;
        if ports.is_empty() || g.mids.is_empty() {
            return Err(SimError::Scenario(format!(
                "fleet {:?}: needs ports and mids",
                g.name
            )));
        }
        if g.pattern == Pattern::Trade && ports.len() < 2 {
            return Err(SimError::Scenario(format!(
                "fleet {:?}: trade needs two ports",
                g.name
            )));
        }
        for k in 0..g.count {
            let mut rng = Rng::new(seed, 10_000_000 + gi);
            gi += 1;
            let ship = generate(
                g,
                ty,
                &ports,
                world,
                &mut rng,
                &mut used_mmsi,
                k,
                t0,
                t_end,
                &mut events,
            )?;
            ships.push(ship);
        }
    }
    // Scripted events name vessels by the MMSI they broadcast at the time (a ship using another's
    // identity is seen under that identity).
    for e in events
        .iter_mut()
        .filter(|e| !e.group.is_empty() && e.kind != "mmsi_collision")
    {
        for k in 0..e.vessels.len() {
            let own = e.vessels[k];
            let Some(ship) = ships.iter().find(|s| s.vessel.mmsi == own) else {
                continue;
            };
            let mid = e.start_ms + (e.end_ms - e.start_ms) / 2;
            let b = ship
                .idents
                .iter()
                .rev()
                .find(|(t, _)| *t <= mid)
                .map(|(_, b)| b.mmsi)
                .unwrap_or(own);
            if b != own {
                e.vessels[k] = b;
                e.note.push_str(&format!(
                    " ({} broadcasting MMSI {b}, own MMSI {own})",
                    ship.vessel.name
                ));
            }
        }
    }
    // Places of events that have none yet: the first vessel's true position at the start.
    for e in events.iter_mut().filter(|e| e.lat.is_nan()) {
        if let Some(s) = e
            .vessels
            .first()
            .and_then(|m| ships.iter().find(|s| s.vessel.mmsi == *m))
        {
            let t = e.start_ms;
            let leg = s
                .legs
                .iter()
                .find(|l| l.start <= t && t < l.end)
                .or(s.legs.last());
            if let Some(l) = leg {
                let p = l.at(t).pos;
                e.lat = p.lat;
                e.lon = p.lon;
            }
        }
        if e.lat.is_nan() {
            e.lat = 0.0;
            e.lon = 0.0;
        }
    }
    Ok(Built { ships, events })
}

#[allow(clippy::too_many_arguments)]
fn generate(
    g: &FleetGroup,
    ty: &ShipType,
    ports: &[usize],
    world: &mut World,
    rng: &mut Rng,
    used: &mut HashSet<u32>,
    k: usize,
    t0: i64,
    t_end: i64,
    events: &mut Vec<TruthEvent>,
) -> Result<Ship, SimError> {
    let p = particulars(ty, rng);
    let mut mmsi;
    loop {
        let mid = g.mids[rng.below(g.mids.len())];
        mmsi = mid * 1_000_000 + rng.below(1_000_000) as u32;
        if used.insert(mmsi) {
            break;
        }
    }
    let name = format!(
        "{} {} {}",
        SYLL[rng.below(SYLL.len())],
        SYLL[rng.below(SYLL.len())],
        1 + k
    );
    let imo = if ty.class == AisClass::A {
        Some(make_imo(rng))
    } else {
        None
    };
    let callsign = format!("{}{}", &g.flag, 1000 + rng.below(9000));
    let home = ports[rng.below(ports.len())];
    let start_pos = berth(world, home, rng);
    let mut pl = Planner {
        world,
        legs: Vec::new(),
        t: t0 - ms(rng.range(0.0, 72.0)),
        at: Place {
            pos: start_pos,
            port: Some(home),
        },
        heading: rng.range(0.0, 360.0),
        speed_kn: p.speed,
        destinations: Vec::new(),
        visits: Vec::new(),
    };
    let mut laden = rng.chance(0.5);
    let mut draught_changes: Vec<(i64, f64)> = Vec::new();
    let visit =
        |events: &mut Vec<TruthEvent>, port: usize, s: i64, e: i64, world: &World, note: &str| {
            if e > t0 && s < t_end && e - s >= ms(1.0) {
                events.push(TruthEvent {
                    kind: "port_visit".into(),
                    script: "port_call".into(),
                    benign: true,
                    vessels: vec![mmsi],
                    start_ms: s.max(t0),
                    end_ms: e.min(t_end),
                    lat: world.ports[port].pos.lat,
                    lon: world.ports[port].pos.lon,
                    note: note.into(),
                    group: String::new(),
                });
            }
        };
    let mut cur = home;
    let mut visit_from: Option<i64> = None;
    while pl.t < t_end {
        match g.pattern {
            Pattern::Trade => {
                let arrived = pl.t;
                let s = visit_from.take().unwrap_or(arrived);
                let stay = ms(stay_h(rng, g.stay_hours));
                let hd = pl.dest_index(&pl.world.ports[cur].name.clone());
                pl.stay_until(arrived + stay, status::MOORED, 0.0, Some(hd));
                laden = !laden;
                draught_changes.push((pl.t, if laden { p.draught[1] } else { p.draught[0] }));
                visit(
                    events,
                    cur,
                    s,
                    pl.t,
                    pl.world,
                    if s < arrived {
                        "ordinary port call after an anchorage wait"
                    } else {
                        "ordinary port call"
                    },
                );
                let mut next = ports[rng.below(ports.len())];
                if next == cur {
                    next = ports
                        [(ports.iter().position(|&x| x == cur).unwrap_or(0) + 1) % ports.len()];
                }
                let nd = pl.dest_index(&pl.world.ports[next].name.clone());
                let kn = p.speed * rng.range(0.9, 1.03);
                let anchs = pl.world.ports[next].anchorages.clone();
                if !anchs.is_empty() && rng.chance(g.anchor_wait_prob) {
                    let a = anchs[rng.below(anchs.len())];
                    let spot = anchor_spot(pl.world, a, rng);
                    pl.sail(
                        Place {
                            pos: spot,
                            port: None,
                        },
                        kn,
                        Some(nd),
                    )?;
                    let ws = pl.t;
                    pl.stay_until(
                        ws + ms(rng.range(4.0, 30.0)),
                        status::AT_ANCHOR,
                        40.0,
                        Some(nd),
                    );
                    let b = berth(pl.world, next, rng);
                    // Port-bound from the anchorage: the straight line is checked by the router.
                    pl.sail(
                        Place {
                            pos: b,
                            port: Some(next),
                        },
                        SLOW_KN + 3.0,
                        Some(nd),
                    )?;
                    // The wait and the stay that follows are one port visit.
                    visit_from = Some(ws);
                } else {
                    let b = berth(pl.world, next, rng);
                    pl.sail(
                        Place {
                            pos: b,
                            port: Some(next),
                        },
                        kn,
                        Some(nd),
                    )?;
                }
                cur = next;
            }
            Pattern::Fishing => {
                let s = pl.t;
                let hd = pl.dest_index(&pl.world.ports[cur].name.clone());
                pl.stay_until(
                    s + ms(stay_h(rng, g.stay_hours)),
                    status::MOORED,
                    0.0,
                    Some(hd),
                );
                visit(events, cur, s, pl.t, pl.world, "fishing boat in port");
                let [la, lo] = g
                    .ground
                    .unwrap_or([pl.world.ports[cur].pos.lat, pl.world.ports[cur].pos.lon]);
                let mut spot = LonLat::new(lo, la);
                for _ in 0..20 {
                    let q = destination(
                        LonLat::new(lo, la),
                        rng.range(0.0, 360.0),
                        g.ground_radius_km * 1000.0 * rng.f64().sqrt(),
                    );
                    if !pl.world.land.contains(q)
                        && !pl.world.land.crosses(q, destination(q, 0.0, 5000.0))
                    {
                        spot = q;
                        break;
                    }
                }
                let brg = rng.range(0.0, 180.0);
                let speed = knots_to_mps(rng.range(2.5, 4.0));
                let m = Motion::Trawl {
                    centre: spot,
                    bearing: brg,
                    length_m: 6000.0,
                    speed_mps: speed,
                    lateral_m: 0.0,
                };
                let dur = ms(rng.range(10.0, 30.0));
                let land_free = (0..8).all(|j| {
                    !pl.world
                        .land
                        .contains(m.at(j as f64 * 6000.0 / speed / 8.0).pos)
                });
                pl.sail(
                    Place {
                        pos: m.at(0.0).pos,
                        port: None,
                    },
                    p.speed,
                    None,
                )?;
                if land_free {
                    let st = pl.t;
                    pl.legs.push(Leg {
                        start: st,
                        end: st + dur,
                        motion: m.clone(),
                        destination: None,
                    });
                    pl.t = st + dur;
                    pl.at = Place {
                        pos: m.at(dur as f64 / 1000.0).pos,
                        port: None,
                    };
                }
                let b = berth(pl.world, cur, rng);
                pl.sail(
                    Place {
                        pos: b,
                        port: Some(cur),
                    },
                    p.speed,
                    Some(hd),
                )?;
            }
            Pattern::Harbour => {
                let s = pl.t;
                let hd = pl.dest_index(&pl.world.ports[cur].name.clone());
                pl.stay_until(
                    s + ms(stay_h(rng, g.stay_hours)),
                    status::MOORED,
                    0.0,
                    Some(hd),
                );
                let b = berth(pl.world, cur, rng);
                if !pl.world.land.crosses(pl.at.pos, b) {
                    pl.sail(
                        Place {
                            pos: b,
                            port: Some(cur),
                        },
                        SLOW_KN,
                        Some(hd),
                    )?;
                }
            }
        }
    }
    pl.stay_until(pl.t + ms(1.0), status::MOORED, 0.0, None);
    let legs = std::mem::take(&mut pl.legs);
    let destinations = std::mem::take(&mut pl.destinations);
    let own = Broadcast {
        mmsi,
        name: name.clone(),
        imo,
        callsign: callsign.clone(),
        draught: if laden { p.draught[1] } else { p.draught[0] },
    };
    let mut idents = vec![(i64::MIN, own.clone())];
    for (t, d) in draught_changes {
        let mut b = idents
            .last()
            .map(|x| x.1.clone())
            .unwrap_or_else(|| own.clone());
        b.draught = d;
        idents.push((t, b));
    }
    let role = g.role.clone().unwrap_or_else(|| match g.pattern {
        Pattern::Trade => ty.name.clone(),
        Pattern::Fishing => "fishing".into(),
        Pattern::Harbour => "harbour_craft".into(),
    });
    let vessel = TruthVessel {
        mmsi,
        imo,
        name,
        callsign,
        flag: g.flag.clone(),
        ship_type: ty.name.clone(),
        ais_type: ty.ais_type,
        class: format!("{:?}", ty.class),
        length_m: p.length,
        beam_m: p.beam,
        dwt: p.dwt,
        role,
        designated: false,
        named: false,
    };
    Ok(Ship {
        vessel,
        class: ty.class,
        ais_type: ty.ais_type,
        legs,
        off: vec![],
        spoofs: vec![],
        idents,
        destinations,
        leg_cursor: 0,
        ident_cursor: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imo_check_digits() {
        assert!(imo_valid(9074729));
        assert!(imo_valid(8312497));
        assert!(!imo_valid(8814882));
        let mut r = Rng::new(3, 3);
        for _ in 0..100 {
            assert!(imo_valid(make_imo(&mut r)));
        }
    }
}
