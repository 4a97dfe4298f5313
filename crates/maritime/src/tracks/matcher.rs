//! How well a position continues a segment: gpsdio-segment's discrepancy and score.
//!
//! Distances are in nautical miles on a local equirectangular projection, as in GFW: at the
//! scales matched (≤ 25 kn × 24 h) the error is far below AIS position noise, and it needs no
//! trigonometry per comparison because each point carries its cosine of latitude and the unit
//! vector of its course.

use super::TrackConfig;

/// The kinematic state of one point as the matcher needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Kin {
    /// UTC ms.
    pub time_ms: i64,
    pub lat: f64,
    pub lon: f64,
    /// Speed used for dead reckoning, knots (0 when unknown or course unknown).
    pub speed: f64,
    /// Course unit vector (east, north); (0, 1) when unknown, as GFW's `safe_course`.
    pub course_e: f64,
    pub course_n: f64,
    /// cos(latitude) + 1e-3, as GFW guards the poles.
    pub cos_lat: f64,
}

impl Kin {
    /// Builds the state; `sog`/`cog` already filtered for "not available".
    pub fn new(
        time_ms: i64,
        lat: f64,
        lon: f64,
        sog: Option<f32>,
        cog: Option<f32>,
        very_slow: f64,
    ) -> Self {
        let (speed, course) = match (sog, cog) {
            (Some(s), Some(c)) => (f64::from(s), Some(f64::from(c))),
            // Course unknown: only credible when nearly stopped; either way do not extrapolate.
            (Some(s), None) if f64::from(s) <= very_slow => (0.0, None),
            _ => (0.0, None),
        };
        let (course_e, course_n) = match course {
            Some(c) => {
                let r = c.to_radians();
                (r.sin(), r.cos())
            }
            None => (0.0, 1.0),
        };
        Self {
            time_ms,
            lat,
            lon,
            speed,
            course_e,
            course_n,
            cos_lat: lat.to_radians().cos() + 1e-3,
        }
    }
}

/// Euclidean norm. `f64::hypot` guards against overflow at a large cost; these values are
/// nautical miles and hours, far from overflow.
#[inline]
pub(crate) fn norm(x: f64, y: f64) -> f64 {
    (x * x + y * y).sqrt()
}

fn wrap_deg(x: f64) -> f64 {
    (x + 180.0).rem_euclid(360.0) - 180.0
}

/// GFW discrepancy (nm) between `a` and a later `b`, dead reckoning over `hours` (the penalised
/// hours): the least of (1) the mean miss of reckoning forward from `a` and backward from `b`,
/// (2) the distance itself × `shape_factor` (ship stayed put), (3) the mean distance of each point
/// from the other's course line, if it lies ahead within reach, × `shape_factor`.
pub(crate) fn discrepancy(a: &Kin, b: &Kin, hours: f64, shape_factor: f64) -> f64 {
    let nm_lat = 60.0;
    // GFW uses cos of the mean latitude; the mean of the cosines differs by < 1e-4 at these scales.
    let nm_lon = 60.0 * 0.5 * (a.cos_lat + b.cos_lat - 2e-3);
    let dx = wrap_deg(b.lon - a.lon) * nm_lon;
    let dy = (b.lat - a.lat) * nm_lat;
    // (1) forward reckoning from a lands at a + v_a·h; backward from b at b − v_b·h. In local nm
    // the misses are (d − v_a h) and (d − v_b h) with v in (east, north); GFW's per-point
    // longitude scale differs from the mean one by the same negligible amount.
    let (fa_e, fa_n) = (
        a.speed * hours * a.course_e * nm_lon / (60.0 * a.cos_lat),
        a.speed * hours * a.course_n,
    );
    let (fb_e, fb_n) = (
        b.speed * hours * b.course_e * nm_lon / (60.0 * b.cos_lat),
        b.speed * hours * b.course_n,
    );
    let miss_b = norm(dx - fa_e, dy - fa_n);
    let miss_a = norm(dx - fb_e, dy - fb_n);
    let d1 = 0.5 * (miss_a + miss_b);
    let dist = norm(dx, dy);
    let d2 = dist * shape_factor;
    // (3) projection of the displacement on each course line.
    let off_line = |k: &Kin| {
        let tangential = dx * k.course_e + dy * k.course_n;
        if tangential > 0.0 && tangential <= k.speed * hours {
            (dx * k.course_n - dy * k.course_e).abs()
        } else {
            f64::INFINITY
        }
    };
    let d3 = 0.5 * (off_line(a) + off_line(b)) * shape_factor;
    d1.min(d2).min(d3)
}

/// Public form of the discrepancy for tools and tests: positions in degrees, speed in knots,
/// course in degrees, time in hours (dead reckoning over the raw hours, no penalty).
#[allow(clippy::too_many_arguments)]
pub fn discrepancy_nm(
    lat1: f64,
    lon1: f64,
    sog1: f32,
    cog1: f32,
    lat2: f64,
    lon2: f64,
    sog2: f32,
    cog2: f32,
    hours: f64,
) -> f64 {
    let a = Kin::new(0, lat1, lon1, Some(sog1), Some(cog1), 0.0);
    let b = Kin::new(0, lat2, lon2, Some(sog2), Some(cog2), 0.0);
    discrepancy(&a, &b, hours, TrackConfig::default().shape_factor)
}

/// Penalised hours: long gaps are shortened because ships do not keep a straight line at their
/// reported speed for hours on end.
pub(crate) fn penalized_hours(hours: f64, cfg: &TrackConfig) -> f64 {
    let x = hours.max(0.0) / cfg.penalty_hours;
    // The default exponent 1 − 0.5 is a square root, much cheaper than `powf`.
    let damp = if cfg.hours_exp == 0.5 {
        x.sqrt()
    } else {
        x.powf(1.0 - cfg.hours_exp)
    };
    hours / (1.0 + damp)
}

/// GFW's score of a continuation: `exp(−α²) / padded_hours`, 0 when the discrepancy exceeds
/// `padded_hours × max_knots`. Higher is better; recent, well-predicted points score highest.
pub fn match_metric(discrepancy_nm: f64, hours: f64, cfg: &TrackConfig) -> f64 {
    let padded = norm(hours, cfg.buffer_hours);
    let max_allowed = padded * cfg.max_knots;
    // NaN discrepancies never match.
    if discrepancy_nm.is_nan() || discrepancy_nm > max_allowed {
        return 0.0;
    }
    let alpha = (cfg.max_knots / cfg.penalty_speed) * discrepancy_nm / max_allowed;
    (-(alpha * alpha)).exp() / padded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_course_has_no_discrepancy() {
        // 10 kn due east on the equator for one hour: 10 nm = 1/6 degree of longitude.
        let d = discrepancy_nm(0.0, 0.0, 10.0, 90.0, 0.0, 10.0 / 60.0, 10.0, 90.0, 1.0);
        assert!(d < 0.05, "{d}");
    }

    #[test]
    fn wrong_direction_is_penalised() {
        // Reported east, found 10 nm west: forward miss 20 nm each way, stayed-put 40 nm.
        let d = discrepancy_nm(0.0, 0.0, 10.0, 90.0, 0.0, -10.0 / 60.0, 10.0, 90.0, 1.0);
        assert!((d - 20.0).abs() < 0.1, "{d}");
    }

    #[test]
    fn metric_is_zero_beyond_max_knots() {
        let cfg = TrackConfig::default();
        assert_eq!(match_metric(100.0, 1.0, &cfg), 0.0);
        assert!(match_metric(0.0, 0.0, &cfg) > match_metric(0.0, 1.0, &cfg));
        assert!(match_metric(1.0, 1.0, &cfg) > match_metric(5.0, 1.0, &cfg));
    }
}
