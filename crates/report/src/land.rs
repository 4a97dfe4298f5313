//! The bundled coastline: Natural Earth 1:10m land for East Asia (public domain), see `data/coast/README.md`.

use spatial::ZoneSet;

/// The bundled land polygons as GeoJSON text.
pub const EAST_ASIA_GEOJSON: &str = include_str!("../../../data/coast/land_east_asia.geojson");

/// Outer rings of the bundled land polygons, as lon/lat pairs.
pub fn east_asia_rings() -> Vec<Vec<(f64, f64)>> {
    // The file is committed and checked by a test, so a parse failure is a build defect, not input.
    ZoneSet::from_geojson_str("land_east_asia.geojson", EAST_ASIA_GEOJSON)
        .map(|zs| {
            zs.zones
                .iter()
                .flat_map(|z| {
                    z.polygons
                        .iter()
                        .map(|p| p.outer.iter().map(|q| (q.lon, q.lat)).collect())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundled_land_parses_and_covers_korea() {
        let rings = super::east_asia_rings();
        assert!(rings.len() > 100, "{}", rings.len());
        let zs = spatial::ZoneSet::from_geojson_str("land", super::EAST_ASIA_GEOJSON).unwrap();
        // Pyongyang is on land; the middle of the Yellow Sea is not.
        assert!(zs
            .containing(spatial::LonLat::new(125.75, 39.02))
            .next()
            .is_some());
        assert!(zs
            .containing(spatial::LonLat::new(123.5, 36.0))
            .next()
            .is_none());
    }
}
