//! # spatial — the geometry Embargo needs, and no more
//!
//! Great-circle distance and bearing on a spherical Earth, dead reckoning, point-in-polygon,
//! distance to a polygon's boundary, and zones read from GeoJSON. Distances are metres, angles
//! degrees, coordinates WGS 84 longitude/latitude. A spherical Earth is accurate to about 0.5 %,
//! far inside the error of AIS positions.

pub mod geo;
pub mod zones;

pub use geo::{
    bearing_deg, destination, haversine_m, knots_to_mps, mps_to_knots, LonLat, EARTH_RADIUS_M,
    METRES_PER_NM,
};
pub use zones::{Polygon, Zone, ZoneError, ZoneSet};
