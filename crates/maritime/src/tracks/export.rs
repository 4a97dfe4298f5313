//! Segments as GeoJSON (QGIS, web maps) and CSV.

use std::io::Write;

use serde_json::{json, Value};

use super::Segment;

/// Writes a GeoJSON FeatureCollection: one LineString per segment (its usable points; a single
/// usable point becomes a Point), and one Point per flagged point with its `flag` reason.
pub fn write_geojson<W: Write>(segments: &[Segment], mut out: W) -> std::io::Result<()> {
    let mut features: Vec<Value> = Vec::new();
    for s in segments {
        let coords: Vec<Value> = s
            .usable_points()
            .map(|p| json!([round6(p.lon), round6(p.lat)]))
            .collect();
        let (start, end) = s.time_range().unwrap_or((0, 0));
        let props = json!({
            "segment_id": s.id,
            "mmsi": s.mmsi,
            "start": iso(start),
            "end": iso(end),
            "points": s.points.len(),
            "usable_points": coords.len(),
        });
        if coords.len() >= 2 {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": props,
            }));
        } else if let Some(c) = coords.into_iter().next() {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": c},
                "properties": props,
            }));
        }
        for p in s.points.iter().filter(|p| p.flag.is_some()) {
            let geometry = if p.lat.is_finite() && p.lon.is_finite() {
                json!({"type": "Point", "coordinates": [round6(p.lon), round6(p.lat)]})
            } else {
                Value::Null
            };
            features.push(json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "segment_id": s.id,
                    "mmsi": s.mmsi,
                    "time": iso(p.time_ms),
                    "flag": p.flag.map(|f| f.as_str()),
                    "sog": p.sog,
                    "cog": p.cog,
                },
            }));
        }
    }
    let fc = json!({"type": "FeatureCollection", "features": features});
    serde_json::to_writer(&mut out, &fc)?;
    out.write_all(b"\n")
}

/// Writes one CSV row per point: `segment_id,mmsi,time,lat,lon,sog,cog,heading,nav_status,flag`.
pub fn write_csv<W: Write>(segments: &[Segment], mut out: W) -> std::io::Result<()> {
    writeln!(
        out,
        "segment_id,mmsi,time,lat,lon,sog,cog,heading,nav_status,flag"
    )?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    for s in segments {
        for p in &s.points {
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{}",
                s.id,
                s.mmsi,
                iso(p.time_ms),
                if p.lat.is_finite() {
                    p.lat.to_string()
                } else {
                    String::new()
                },
                if p.lon.is_finite() {
                    p.lon.to_string()
                } else {
                    String::new()
                },
                opt(p.sog.map(|v| v.to_string())),
                opt(p.cog.map(|v| v.to_string())),
                opt(p.heading.map(|v| v.to_string())),
                opt(p.nav_status.map(|v| v.to_string())),
                p.flag.map_or("", |f| f.as_str()),
            )?;
        }
    }
    Ok(())
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// UTC milliseconds as `YYYY-MM-DDTHH:MM:SS.sssZ`.
pub(crate) fn iso(ms: i64) -> String {
    format!("{}.{:03}Z", utc::format_seconds(ms), ms.rem_euclid(1000))
}

#[cfg(test)]
mod tests {
    use super::super::{PointFlag, TrackPoint};
    use super::*;

    fn pt(t: i64, lat: f64, flag: Option<PointFlag>) -> TrackPoint {
        TrackPoint {
            time_ms: t,
            lat,
            lon: 120.0,
            sog: Some(1.0),
            cog: None,
            heading: None,
            nav_status: None,
            flag,
        }
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(1_609_459_531_250), "2021-01-01T00:05:31.250Z");
    }

    #[test]
    fn geojson_has_lines_and_flagged_points() {
        let seg = Segment {
            id: "1-0-1".into(),
            mmsi: 1,
            points: vec![
                pt(0, 10.0, None),
                pt(1, 10.1, Some(PointFlag::ImpliedSpeed)),
                pt(2, 10.01, None),
            ],
        };
        let mut buf = Vec::new();
        write_geojson(std::slice::from_ref(&seg), &mut buf).expect("write");
        let v: Value = serde_json::from_slice(&buf).expect("json");
        let f = v["features"].as_array().expect("features");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0]["geometry"]["type"], "LineString");
        assert_eq!(f[1]["properties"]["flag"], "implied_speed");
        let mut csv = Vec::new();
        write_csv(&[seg], &mut csv).expect("csv");
        let text = String::from_utf8(csv).expect("utf8");
        assert_eq!(text.lines().count(), 4);
        assert!(text.contains("implied_speed"));
    }
}
