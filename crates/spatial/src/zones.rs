//! Zones: named polygons read from GeoJSON, with containment and distance queries.

use crate::geo::{LonLat, EARTH_RADIUS_M};
use serde_json::Value;

/// Errors reading zones.
#[derive(Debug, thiserror::Error)]
pub enum ZoneError {
    /// The text is not JSON.
    #[error("{source_name}: not JSON: {message}")]
    Json {
        /// Where the text came from (file name).
        source_name: String,
        /// What the JSON parser said.
        message: String,
    },
    /// The JSON is not GeoJSON that holds polygons.
    #[error("{source_name}: {message}")]
    Geometry {
        /// Where the text came from (file name).
        source_name: String,
        /// What was wrong, naming the feature.
        message: String,
    },
}

/// A polygon: an outer ring and holes, each ring a closed or open list of lon/lat vertices.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// Outer boundary.
    pub outer: Vec<LonLat>,
    /// Holes.
    pub holes: Vec<Vec<LonLat>>,
}

fn ring_contains(ring: &[LonLat], p: LonLat) -> bool {
    // Even-odd ray casting; rings may or may not repeat the first vertex.
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let x = (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon;
            if p.lon < x {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Distance in metres from `p` to the segment `a`–`b`, on a local equirectangular projection
/// centred on `p` (accurate to well under 1 % for segments shorter than a few hundred km).
fn segment_distance_m(p: LonLat, a: LonLat, b: LonLat) -> f64 {
    let k = p.lat.to_radians().cos();
    let to_xy = |q: LonLat| {
        let mut dlon = q.lon - p.lon;
        if dlon > 180.0 {
            dlon -= 360.0;
        } else if dlon < -180.0 {
            dlon += 360.0;
        }
        (
            dlon.to_radians() * k * EARTH_RADIUS_M,
            (q.lat - p.lat).to_radians() * EARTH_RADIUS_M,
        )
    };
    let (ax, ay) = to_xy(a);
    let (bx, by) = to_xy(b);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    };
    let (cx, cy) = (ax + t * dx, ay + t * dy);
    (cx * cx + cy * cy).sqrt()
}

impl Polygon {
    /// True when `p` is inside the outer ring and outside every hole.
    pub fn contains(&self, p: LonLat) -> bool {
        ring_contains(&self.outer, p) && !self.holes.iter().any(|h| ring_contains(h, p))
    }

    /// Shortest distance in metres from `p` to any edge of the polygon (0 on the boundary).
    pub fn boundary_distance_m(&self, p: LonLat) -> f64 {
        std::iter::once(&self.outer)
            .chain(self.holes.iter())
            .flat_map(|ring| {
                let n = ring.len();
                (0..n).map(move |i| segment_distance_m(p, ring[i], ring[(i + 1) % n]))
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Bounding box `(min_lon, min_lat, max_lon, max_lat)` of the outer ring.
    pub fn bbox(&self) -> (f64, f64, f64, f64) {
        self.outer.iter().fold(
            (
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ),
            |(a, b, c, d), q| (a.min(q.lon), b.min(q.lat), c.max(q.lon), d.max(q.lat)),
        )
    }
}

/// A named zone: one or more polygons and the feature's properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Name, from the feature's `name` property, else `<source>#<index>`.
    pub name: String,
    /// Kind, from the feature's `kind` property (e.g. `sts_hotspot`, `territorial_sea`), else `zone`.
    pub kind: String,
    /// The polygons (a MultiPolygon has several).
    pub polygons: Vec<Polygon>,
    /// All string properties of the feature.
    pub properties: Vec<(String, String)>,
}

impl Zone {
    /// True when `p` lies inside any of the zone's polygons.
    pub fn contains(&self, p: LonLat) -> bool {
        self.polygons.iter().any(|poly| poly.contains(p))
    }

    /// Distance in metres from `p` to the zone: 0 inside, else the distance to the nearest edge.
    pub fn distance_m(&self, p: LonLat) -> f64 {
        if self.contains(p) {
            return 0.0;
        }
        self.polygons
            .iter()
            .map(|poly| poly.boundary_distance_m(p))
            .fold(f64::INFINITY, f64::min)
    }
}

/// A set of zones, usually read from one or more GeoJSON files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ZoneSet {
    /// The zones, in file order.
    pub zones: Vec<Zone>,
}

fn parse_ring(v: &Value, src: &str, feature: usize) -> Result<Vec<LonLat>, ZoneError> {
    let bad = |m: &str| ZoneError::Geometry {
        source_name: src.to_string(),
        message: format!("feature {feature}: {m}"),
    };
    let arr = v.as_array().ok_or_else(|| bad("ring is not an array"))?;
    arr.iter()
        .map(|c| {
            let c = c
                .as_array()
                .ok_or_else(|| bad("coordinate is not an array"))?;
            match (
                c.first().and_then(Value::as_f64),
                c.get(1).and_then(Value::as_f64),
            ) {
                (Some(lon), Some(lat)) if lon.is_finite() && lat.is_finite() => {
                    Ok(LonLat::new(lon, lat))
                }
                _ => Err(bad("coordinate is not two numbers")),
            }
        })
        .collect()
}

fn parse_polygon(v: &Value, src: &str, feature: usize) -> Result<Polygon, ZoneError> {
    let rings = v.as_array().ok_or_else(|| ZoneError::Geometry {
        source_name: src.to_string(),
        message: format!("feature {feature}: polygon is not an array of rings"),
    })?;
    let mut parsed = rings.iter().map(|r| parse_ring(r, src, feature));
    let outer = parsed
        .next()
        .transpose()?
        .ok_or_else(|| ZoneError::Geometry {
            source_name: src.to_string(),
            message: format!("feature {feature}: polygon has no rings"),
        })?;
    let holes = parsed.collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon { outer, holes })
}

fn parse_geometry(g: &Value, src: &str, feature: usize) -> Result<Vec<Polygon>, ZoneError> {
    let coords = &g["coordinates"];
    match g["type"].as_str() {
        Some("Polygon") => Ok(vec![parse_polygon(coords, src, feature)?]),
        Some("MultiPolygon") => coords
            .as_array()
            .ok_or_else(|| ZoneError::Geometry {
                source_name: src.to_string(),
                message: format!("feature {feature}: MultiPolygon coordinates are not an array"),
            })?
            .iter()
            .map(|p| parse_polygon(p, src, feature))
            .collect(),
        Some("GeometryCollection") => {
            let mut out = Vec::new();
            for g in g["geometries"].as_array().into_iter().flatten() {
                out.extend(parse_geometry(g, src, feature)?);
            }
            Ok(out)
        }
        // Points and lines carry no area: they are not zones, and are skipped by rule.
        Some("Point" | "MultiPoint" | "LineString" | "MultiLineString") => Ok(Vec::new()),
        other => Err(ZoneError::Geometry {
            source_name: src.to_string(),
            message: format!("feature {feature}: unsupported geometry type {other:?}"),
        }),
    }
}

impl ZoneSet {
    /// Reads every polygon feature of a GeoJSON FeatureCollection, Feature or bare geometry.
    /// `source_name` names the file in errors and in default zone names.
    pub fn from_geojson_str(source_name: &str, text: &str) -> Result<Self, ZoneError> {
        let v: Value = serde_json::from_str(text).map_err(|e| ZoneError::Json {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
        let features: Vec<&Value> = match v["type"].as_str() {
            Some("FeatureCollection") => v["features"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            Some("Feature") => vec![&v],
            _ => vec![],
        };
        let mut zones = Vec::new();
        if features.is_empty() && v.get("coordinates").is_some() {
            let polygons = parse_geometry(&v, source_name, 0)?;
            zones.push(Zone {
                name: source_name.to_string(),
                kind: "zone".into(),
                polygons,
                properties: vec![],
            });
        }
        for (i, f) in features.into_iter().enumerate() {
            let polygons = parse_geometry(&f["geometry"], source_name, i)?;
            if polygons.is_empty() {
                continue;
            }
            let props: Vec<(String, String)> = f["properties"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter_map(|(k, v)| match v {
                            Value::String(s) => Some((k.clone(), s.clone())),
                            Value::Number(n) => Some((k.clone(), n.to_string())),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let get = |k: &str| {
                props
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            };
            zones.push(Zone {
                name: get("name").unwrap_or_else(|| format!("{source_name}#{i}")),
                kind: get("kind").unwrap_or_else(|| "zone".into()),
                polygons,
                properties: props,
            });
        }
        Ok(ZoneSet { zones })
    }

    /// Zones containing `p`.
    pub fn containing(&self, p: LonLat) -> impl Iterator<Item = &Zone> {
        self.zones.iter().filter(move |z| z.contains(p))
    }

    /// The nearest zone and its distance in metres (0 when inside), or `None` for an empty set.
    pub fn nearest(&self, p: LonLat) -> Option<(&Zone, f64)> {
        self.zones
            .iter()
            .map(|z| (z, z.distance_m(p)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// Appends the zones of another set.
    pub fn extend(&mut self, other: ZoneSet) {
        self.zones.extend(other.zones);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"box","kind":"sts_hotspot"},
       "geometry":{"type":"Polygon","coordinates":[[[124,38],[125,38],[125,39],[124,39],[124,38]],
                                                   [[124.4,38.4],[124.6,38.4],[124.6,38.6],[124.4,38.6],[124.4,38.4]]]}},
      {"type":"Feature","properties":{"name":"pt"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#;

    #[test]
    fn containment_respects_holes() {
        let zs = ZoneSet::from_geojson_str("t.geojson", SQUARE).unwrap();
        assert_eq!(zs.zones.len(), 1, "points are not zones");
        let z = &zs.zones[0];
        assert_eq!(z.kind, "sts_hotspot");
        assert!(z.contains(LonLat::new(124.2, 38.2)));
        assert!(!z.contains(LonLat::new(124.5, 38.5)), "inside the hole");
        assert!(!z.contains(LonLat::new(126.0, 38.5)));
    }

    #[test]
    fn distance_outside_is_to_nearest_edge() {
        let zs = ZoneSet::from_geojson_str("t.geojson", SQUARE).unwrap();
        let d = zs.zones[0].distance_m(LonLat::new(125.0, 39.5));
        assert!((d - 55_597.0).abs() < 300.0, "{d}");
        assert_eq!(zs.zones[0].distance_m(LonLat::new(124.1, 38.1)), 0.0);
    }

    #[test]
    fn errors_name_the_source() {
        let e = ZoneSet::from_geojson_str("bad.geojson", "{").unwrap_err();
        assert!(e.to_string().starts_with("bad.geojson"));
        let e = ZoneSet::from_geojson_str(
            "x.geojson",
            r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1,"a"]]]}}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("feature 0"), "{e}");
    }
}
