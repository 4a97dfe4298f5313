//! Resampling of segments onto a fixed time grid, with bounded linear interpolation.
//!
//! As in GFW's pipe-encounters: slots every `increment` aligned to the epoch; a slot between
//! two fixes is interpolated only when the fixes are at most `max_gap` apart, so a vessel is
//! never placed where it was not seen. Speed is the reported SOG interpolated between the fixes
//! when both report one, else the speed implied by the two fixes.

use super::{ll, usable_points};
use crate::tracks::Segment;
use spatial::{haversine_m, mps_to_knots};

/// One resampled position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resampled {
    /// Slot time, UTC ms (a multiple of the increment).
    pub slot_ms: i64,
    /// Index of the segment in the input slice.
    pub seg: u32,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Speed, knots.
    pub sog: f32,
}

/// Appends the resampled positions of `seg` (index `seg_idx`) to `out`.
pub fn resample_segment(
    seg_idx: u32,
    seg: &Segment,
    increment_ms: i64,
    max_gap_ms: i64,
    out: &mut Vec<Resampled>,
) {
    let pts = usable_points(seg);
    let inc = increment_ms.max(1);
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let dt = b.time_ms - a.time_ms;
        if dt > max_gap_ms {
            continue;
        }
        let implied = mps_to_knots(haversine_m(ll(a), ll(b)) / (dt as f64 / 1000.0)) as f32;
        let mut dlon = b.lon - a.lon;
        if dlon > 180.0 {
            dlon -= 360.0;
        } else if dlon < -180.0 {
            dlon += 360.0;
        }
        let mut slot = a.time_ms.div_euclid(inc) * inc;
        if slot < a.time_ms {
            slot += inc;
        }
        while slot < b.time_ms {
            let f = (slot - a.time_ms) as f64 / dt as f64;
            let mut lon = a.lon + dlon * f;
            if lon > 180.0 {
                lon -= 360.0;
            } else if lon < -180.0 {
                lon += 360.0;
            }
            let sog = match (a.sog, b.sog) {
                (Some(x), Some(y)) if x < 102.2 && y < 102.2 => x + (y - x) * f as f32,
                _ => implied,
            };
            out.push(Resampled {
                slot_ms: slot,
                seg: seg_idx,
                lat: a.lat + (b.lat - a.lat) * f,
                lon,
                sog,
            });
            slot += inc;
        }
    }
    if let Some(last) = pts.last() {
        if last.time_ms.rem_euclid(inc) == 0 {
            out.push(Resampled {
                slot_ms: last.time_ms,
                seg: seg_idx,
                lat: last.lat,
                lon: last.lon,
                sog: last.sog.filter(|s| *s < 102.2).unwrap_or(0.0),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::testutil::*;
    use spatial::LonLat;

    #[test]
    fn interpolates_inside_short_gaps_only() {
        let mut pts = sail(LonLat::new(124.0, 38.0), 90.0, 10.0, T0, 60, 5);
        // A 3 h silence, then one more hour.
        pts.extend(sail(
            LonLat::new(124.5, 38.0),
            90.0,
            10.0,
            T0 + 240 * MIN,
            60,
            5,
        ));
        let s = seg(1, pts);
        let mut out = Vec::new();
        resample_segment(0, &s, 10 * MIN, 60 * MIN, &mut out);
        // 0..60 min: slots 0,10,..,50 (60 belongs to the next pair, which spans the gap), then 240..300.
        let slots: Vec<i64> = out.iter().map(|r| (r.slot_ms - T0) / MIN).collect();
        assert_eq!(
            slots,
            vec![0, 10, 20, 30, 40, 50, 240, 250, 260, 270, 280, 290, 300]
        );
        assert!(out.iter().all(|r| (r.sog - 10.0).abs() < 1e-3));
    }
}
