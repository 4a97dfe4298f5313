//! Points, distances, bearings and dead reckoning.

use serde::{Deserialize, Serialize};

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Metres in one international nautical mile.
pub const METRES_PER_NM: f64 = 1852.0;

/// A position: longitude and latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LonLat {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

impl LonLat {
    /// A position from longitude and latitude.
    pub fn new(lon: f64, lat: f64) -> Self {
        Self { lon, lat }
    }
}

/// Knots to metres per second.
pub fn knots_to_mps(knots: f64) -> f64 {
    knots * METRES_PER_NM / 3600.0
}

/// Metres per second to knots.
pub fn mps_to_knots(mps: f64) -> f64 {
    mps * 3600.0 / METRES_PER_NM
}

/// Great-circle distance in metres (haversine).
pub fn haversine_m(a: LonLat, b: LonLat) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Initial great-circle bearing from `a` to `b`, degrees clockwise from north in `[0, 360)`.
pub fn bearing_deg(a: LonLat, b: LonLat) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlon = (b.lon - a.lon).to_radians();
    let y = dlon.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dlon.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// The point reached from `start` after `distance_m` metres on initial bearing `bearing_deg`.
pub fn destination(start: LonLat, bearing_deg: f64, distance_m: f64) -> LonLat {
    let d = distance_m / EARTH_RADIUS_M;
    let th = bearing_deg.to_radians();
    let la1 = start.lat.to_radians();
    let lo1 = start.lon.to_radians();
    let la2 = (la1.sin() * d.cos() + la1.cos() * d.sin() * th.cos()).asin();
    let lo2 = lo1 + (th.sin() * d.sin() * la1.cos()).atan2(d.cos() - la1.sin() * la2.sin());
    let lon = (lo2.to_degrees() + 540.0) % 360.0 - 180.0;
    LonLat::new(lon, la2.to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m(LonLat::new(125.0, 38.0), LonLat::new(125.0, 39.0));
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }

    #[test]
    fn destination_inverts_distance_and_bearing() {
        let a = LonLat::new(124.3, 37.9);
        let b = destination(a, 63.0, 25_000.0);
        assert!((haversine_m(a, b) - 25_000.0).abs() < 0.01);
        assert!((bearing_deg(a, b) - 63.0).abs() < 1e-6);
    }

    #[test]
    fn bearing_due_east_on_equator() {
        let b = bearing_deg(LonLat::new(0.0, 0.0), LonLat::new(1.0, 0.0));
        assert!((b - 90.0).abs() < 1e-9);
    }

    #[test]
    fn knots_round_trip() {
        assert!((mps_to_knots(knots_to_mps(12.5)) - 12.5).abs() < 1e-12);
        assert!((knots_to_mps(1.0) - 0.514_444).abs() < 1e-6);
    }
}
