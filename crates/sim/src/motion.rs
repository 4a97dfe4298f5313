//! Kinematics: where a ship is, how fast and on which course, at any instant of its plan.
//!
//! A ship's plan is a contiguous list of [`Leg`]s; each leg's [`Motion`] is a pure function of
//! time, so the simulator can ask for any ship's state at any emission time without stepping.

use spatial::{bearing_deg, destination, haversine_m, LonLat};
use std::sync::Arc;

/// A polyline with cumulative distances, for moving along a route.
#[derive(Debug, Clone)]
pub struct Path {
    /// Vertices.
    pub pts: Vec<LonLat>,
    /// Distance from the start to each vertex, metres.
    pub cum: Vec<f64>,
}

impl Path {
    /// A path through `pts` (consecutive duplicates are harmless).
    pub fn new(pts: Vec<LonLat>) -> Self {
        let mut cum = Vec::with_capacity(pts.len());
        let mut d = 0.0;
        for (i, p) in pts.iter().enumerate() {
            if i > 0 {
                d += haversine_m(pts[i - 1], *p);
            }
            cum.push(d);
        }
        Path { pts, cum }
    }

    /// Total length, metres.
    pub fn length(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    /// Position and course at distance `d` from the start (clamped to the path).
    pub fn at(&self, d: f64) -> (LonLat, f64) {
        let n = self.pts.len();
        if n == 0 {
            return (LonLat::new(0.0, 0.0), 0.0);
        }
        if n == 1 {
            return (self.pts[0], 0.0);
        }
        let d = d.clamp(0.0, self.length());
        // First vertex whose cumulative distance exceeds d.
        let i = self.cum.partition_point(|&c| c <= d).clamp(1, n - 1);
        let (a, b) = (self.pts[i - 1], self.pts[i]);
        let seg = self.cum[i] - self.cum[i - 1];
        let f = if seg > 0.0 {
            (d - self.cum[i - 1]) / seg
        } else {
            0.0
        };
        let p = LonLat::new(a.lon + (b.lon - a.lon) * f, a.lat + (b.lat - a.lat) * f);
        (p, bearing_deg(a, b))
    }
}

/// Navigational status codes used.
pub mod status {
    /// Under way using engine.
    pub const UNDER_WAY: u8 = 0;
    /// At anchor.
    pub const AT_ANCHOR: u8 = 1;
    /// Restricted manoeuvrability (used while alongside another ship).
    pub const RESTRICTED: u8 = 3;
    /// Moored.
    pub const MOORED: u8 = 5;
    /// Engaged in fishing.
    pub const FISHING: u8 = 7;
}

/// How a ship moves during one leg.
#[derive(Debug, Clone)]
pub enum Motion {
    /// Moored or anchored: a fixed point, with a slow swing around it at anchor.
    Stay {
        /// The berth or anchor position.
        pos: LonLat,
        /// Heading, degrees.
        heading: f64,
        /// Navigational status (moored or at anchor).
        status: u8,
        /// Radius of the swing circle, metres (0 when moored).
        swing_m: f64,
    },
    /// Along a path at constant speed, starting at distance `d0`.
    Transit {
        /// The route.
        path: Arc<Path>,
        /// Distance along the path at the leg's start, metres.
        d0: f64,
        /// Speed, metres per second.
        speed_mps: f64,
    },
    /// Drifting slowly on a circle (current and wind), as two ships alongside each other do;
    /// `offset_m` at `offset_brg` shifts the second ship of the pair.
    Drift {
        /// Centre of the drift circle.
        centre: LonLat,
        /// Drift circle radius, metres.
        radius_m: f64,
        /// Seconds per revolution.
        period_s: f64,
        /// Angle on the circle at the leg's start, degrees.
        phase_deg: f64,
        /// Distance from the pair's reference ship, metres.
        offset_m: f64,
        /// Bearing of the offset, degrees.
        offset_brg: f64,
    },
    /// Trawling to and fro along a line at slow speed (`lateral_m` to the side of the line).
    Trawl {
        /// Centre of the tow line.
        centre: LonLat,
        /// Bearing of the tow line.
        bearing: f64,
        /// Length of the tow line, metres.
        length_m: f64,
        /// Towing speed, metres per second.
        speed_mps: f64,
        /// Offset to the right of the line, metres.
        lateral_m: f64,
    },
}

/// One leg of a plan: a motion between two instants (UTC ms).
#[derive(Debug, Clone)]
pub struct Leg {
    /// Start, UTC ms.
    pub start: i64,
    /// End, UTC ms.
    pub end: i64,
    /// Motion.
    pub motion: Motion,
    /// Index of the destination port's name in the ship's destination table, if known.
    pub destination: Option<u16>,
}

/// A ship's true state at an instant.
#[derive(Debug, Clone, Copy)]
pub struct Kin {
    /// Position.
    pub pos: LonLat,
    /// Speed over ground, knots.
    pub sog_kn: f64,
    /// Course over ground, degrees.
    pub cog: f64,
    /// Heading, degrees.
    pub heading: f64,
    /// Navigational status.
    pub status: u8,
}

const MPS_TO_KN: f64 = 3600.0 / 1852.0;

impl Motion {
    /// State at `dt_s` seconds after the leg's start.
    pub fn at(&self, dt_s: f64) -> Kin {
        match self {
            Motion::Stay {
                pos,
                heading,
                status,
                swing_m,
            } => {
                if *swing_m > 0.0 {
                    // Tidal swing: one revolution per 12.4 h.
                    let period = 44_640.0;
                    let ang = heading + 360.0 * dt_s / period;
                    let p = destination(*pos, ang, *swing_m);
                    let v = std::f64::consts::TAU * swing_m / period * MPS_TO_KN;
                    Kin {
                        pos: p,
                        sog_kn: v,
                        cog: (ang + 90.0) % 360.0,
                        heading: (ang + 180.0) % 360.0,
                        status: *status,
                    }
                } else {
                    Kin {
                        pos: *pos,
                        sog_kn: 0.0,
                        cog: *heading,
                        heading: *heading,
                        status: *status,
                    }
                }
            }
            Motion::Transit {
                path,
                d0,
                speed_mps,
            } => {
                let (p, cog) = path.at(d0 + speed_mps * dt_s);
                Kin {
                    pos: p,
                    sog_kn: speed_mps * MPS_TO_KN,
                    cog,
                    heading: cog,
                    status: status::UNDER_WAY,
                }
            }
            Motion::Drift {
                centre,
                radius_m,
                period_s,
                phase_deg,
                offset_m,
                offset_brg,
            } => {
                let ang = (phase_deg + 360.0 * dt_s / period_s) % 360.0;
                let mut p = destination(*centre, ang, *radius_m);
                if *offset_m > 0.0 {
                    p = destination(p, *offset_brg, *offset_m);
                }
                let v = std::f64::consts::TAU * radius_m / period_s * MPS_TO_KN;
                Kin {
                    pos: p,
                    sog_kn: v,
                    cog: (ang + 90.0) % 360.0,
                    heading: (offset_brg + 90.0) % 360.0,
                    status: status::RESTRICTED,
                }
            }
            Motion::Trawl {
                centre,
                bearing,
                length_m,
                speed_mps,
                lateral_m,
            } => {
                let s = (speed_mps * dt_s).rem_euclid(2.0 * length_m);
                let (along, cog) = if s < *length_m {
                    (s, *bearing)
                } else {
                    (2.0 * length_m - s, (bearing + 180.0) % 360.0)
                };
                let mut p = destination(*centre, *bearing, along - length_m / 2.0);
                if *lateral_m != 0.0 {
                    p = destination(p, (bearing + 90.0) % 360.0, *lateral_m);
                }
                Kin {
                    pos: p,
                    sog_kn: speed_mps * MPS_TO_KN,
                    cog,
                    heading: cog,
                    status: status::FISHING,
                }
            }
        }
    }
}

impl Leg {
    /// State at absolute time `t_ms` (clamped into the leg).
    pub fn at(&self, t_ms: i64) -> Kin {
        let t = t_ms.clamp(self.start, self.end);
        self.motion.at((t - self.start) as f64 / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transit_moves_at_its_speed_along_the_path() {
        let a = LonLat::new(123.0, 37.0);
        let b = destination(a, 45.0, 20_000.0);
        let path = Arc::new(Path::new(vec![a, b]));
        let m = Motion::Transit {
            path,
            d0: 0.0,
            speed_mps: 5.0,
        };
        let k = m.at(1000.0);
        assert!((haversine_m(a, k.pos) - 5000.0).abs() < 30.0);
        assert!((k.cog - 45.0).abs() < 0.5);
        assert!((k.sog_kn - 9.72).abs() < 0.01);
    }

    #[test]
    fn drifting_pair_stays_at_its_offset() {
        let c = LonLat::new(124.0, 31.2);
        let mk = |off| Motion::Drift {
            centre: c,
            radius_m: 250.0,
            period_s: 8.0 * 3600.0,
            phase_deg: 10.0,
            offset_m: off,
            offset_brg: 100.0,
        };
        let (a, b) = (mk(0.0), mk(60.0));
        for s in [0.0, 3600.0, 20_000.0] {
            let d = haversine_m(a.at(s).pos, b.at(s).pos);
            assert!((d - 60.0).abs() < 0.5, "{d}");
            assert!(a.at(s).sog_kn < 1.0);
        }
    }
}
