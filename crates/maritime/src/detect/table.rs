//! The `events` table: events as Arrow record batches in the store (`DIR/events/part-*.parquet`),
//! and as GeoJSON for maps. Schema in `docs/schemas.md`, section "events".

use super::DetectError;
use crate::event::{Event, EventKind};
use arrow_array::builder::{ListBuilder, StringBuilder, UInt32Builder};
use arrow_array::{
    Array, ArrayRef, Float64Array, ListArray, RecordBatch, StringArray, TimestampMillisecondArray,
    UInt32Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use std::path::Path;
use std::sync::Arc;

/// Name of the table in the store.
pub const EVENTS: &str = "events";

/// The Arrow schema of the `events` table.
pub fn events_schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("grade", DataType::Utf8, true),
        Field::new(
            "vessels",
            DataType::List(Arc::new(Field::new("item", DataType::UInt32, true))),
            false,
        ),
        Field::new("vessel_1", DataType::UInt32, false),
        Field::new("vessel_2", DataType::UInt32, true),
        Field::new(
            "segments",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            false,
        ),
        Field::new("start", ts.clone(), false),
        Field::new("end", ts, false),
        Field::new("lat", DataType::Float64, false),
        Field::new("lon", DataType::Float64, false),
        Field::new("metrics", DataType::Utf8, false),
        Field::new("attributes", DataType::Utf8, false),
        Field::new("params", DataType::Utf8, false),
        Field::new("evidence", DataType::Utf8, false),
    ]))
}

/// Parses a kind from its snake_case name (`encounter`, `dark_rendezvous`, ...).
pub fn parse_kind(s: &str) -> Option<EventKind> {
    EventKind::ALL.into_iter().find(|k| k.as_str() == s)
}

/// Events as one record batch.
pub fn events_batch(events: &[Event]) -> Result<RecordBatch, DetectError> {
    let json = |v: &dyn erased::Ser| v.to_json();
    let mut vessels = ListBuilder::new(UInt32Builder::new());
    let mut segments = ListBuilder::new(StringBuilder::new());
    for e in events {
        for v in &e.vessels {
            vessels.values().append_value(*v);
        }
        vessels.append(true);
        for s in &e.segments {
            segments.values().append_value(s);
        }
        segments.append(true);
    }
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(events.iter().map(|e| &e.id))),
        Arc::new(StringArray::from_iter_values(
            events.iter().map(|e| e.kind.as_str()),
        )),
        Arc::new(StringArray::from(
            events.iter().map(|e| e.grade.clone()).collect::<Vec<_>>(),
        )),
        Arc::new(vessels.finish()),
        Arc::new(UInt32Array::from_iter_values(
            events
                .iter()
                .map(|e| e.vessels.first().copied().unwrap_or(0)),
        )),
        Arc::new(UInt32Array::from(
            events
                .iter()
                .map(|e| e.vessels.get(1).copied())
                .collect::<Vec<_>>(),
        )),
        Arc::new(segments.finish()),
        Arc::new(
            TimestampMillisecondArray::from_iter_values(events.iter().map(|e| e.start_ms))
                .with_timezone("UTC"),
        ),
        Arc::new(
            TimestampMillisecondArray::from_iter_values(events.iter().map(|e| e.end_ms))
                .with_timezone("UTC"),
        ),
        Arc::new(Float64Array::from_iter_values(events.iter().map(|e| e.lat))),
        Arc::new(Float64Array::from_iter_values(events.iter().map(|e| e.lon))),
        Arc::new(StringArray::from_iter_values(
            events.iter().map(|e| json(&e.metrics)),
        )),
        Arc::new(StringArray::from_iter_values(
            events.iter().map(|e| json(&e.attributes)),
        )),
        Arc::new(StringArray::from_iter_values(
            events.iter().map(|e| json(&e.params)),
        )),
        Arc::new(StringArray::from_iter_values(
            events.iter().map(|e| json(&e.evidence)),
        )),
    ];
    RecordBatch::try_new(events_schema(), cols).map_err(|e| DetectError::Table {
        path: EVENTS.into(),
        message: e.to_string(),
    })
}

mod erased {
    /// JSON text of a serialisable value (maps and evidence lists cannot fail to serialise).
    pub trait Ser {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".into())
        }
    }
}

fn col<'a, T: 'static>(b: &'a RecordBatch, name: &str, path: &str) -> Result<&'a T, DetectError> {
    b.column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<T>())
        .ok_or_else(|| DetectError::Table {
            path: path.into(),
            message: format!("column {name:?} missing or of the wrong type"),
        })
}

/// Events back from a record batch of the `events` schema.
pub fn events_from_batch(b: &RecordBatch, path: &str) -> Result<Vec<Event>, DetectError> {
    let id = col::<StringArray>(b, "id", path)?;
    let kind = col::<StringArray>(b, "kind", path)?;
    let grade = col::<StringArray>(b, "grade", path)?;
    let vessels = col::<ListArray>(b, "vessels", path)?;
    let segments = col::<ListArray>(b, "segments", path)?;
    let start = col::<TimestampMillisecondArray>(b, "start", path)?;
    let end = col::<TimestampMillisecondArray>(b, "end", path)?;
    let lat = col::<Float64Array>(b, "lat", path)?;
    let lon = col::<Float64Array>(b, "lon", path)?;
    let metrics = col::<StringArray>(b, "metrics", path)?;
    let attributes = col::<StringArray>(b, "attributes", path)?;
    let params = col::<StringArray>(b, "params", path)?;
    let evidence = col::<StringArray>(b, "evidence", path)?;
    let bad = |row: usize, m: String| DetectError::Input {
        source_name: path.into(),
        line: row as u64,
        message: m,
    };
    let mut out = Vec::with_capacity(b.num_rows());
    for r in 0..b.num_rows() {
        let k = parse_kind(kind.value(r))
            .ok_or_else(|| bad(r, format!("unknown event kind {:?}", kind.value(r))))?;
        let vs = vessels.value(r);
        let vs = vs
            .as_any()
            .downcast_ref::<UInt32Array>()
            .ok_or_else(|| bad(r, "vessels is not a list of u32".into()))?;
        let ss = segments.value(r);
        let ss = ss
            .as_any()
            .downcast_ref::<StringArray>()
            .ok_or_else(|| bad(r, "segments is not a list of strings".into()))?;
        fn parse<T: serde::de::DeserializeOwned>(
            a: &StringArray,
            r: usize,
            what: &str,
            path: &str,
        ) -> Result<T, DetectError> {
            serde_json::from_str(a.value(r)).map_err(|e| DetectError::Input {
                source_name: path.into(),
                line: r as u64,
                message: format!("{what}: {e}"),
            })
        }
        out.push(Event {
            id: id.value(r).to_string(),
            kind: k,
            grade: (!grade.is_null(r)).then(|| grade.value(r).to_string()),
            vessels: vs.iter().flatten().collect(),
            segments: ss.iter().flatten().map(str::to_string).collect(),
            start_ms: start.value(r),
            end_ms: end.value(r),
            lat: lat.value(r),
            lon: lon.value(r),
            metrics: parse(metrics, r, "metrics", path)?,
            attributes: parse(attributes, r, "attributes", path)?,
            params: parse(params, r, "params", path)?,
            evidence: parse(evidence, r, "evidence", path)?,
        });
    }
    Ok(out)
}

/// Replaces the `events` table of the store at `dir` with `events`.
pub fn write_events(dir: &Path, events: &[Event]) -> Result<(), DetectError> {
    let tdir = store::table::table_dir(dir, EVENTS);
    if tdir.exists() {
        // Detection is a pure function of the store: a re-run replaces, never appends.
        std::fs::remove_dir_all(&tdir).map_err(|source| DetectError::Io {
            path: tdir.display().to_string(),
            source,
        })?;
    }
    let batches: Vec<RecordBatch> = events
        .chunks(64 * 1024)
        .map(events_batch)
        .collect::<Result<_, _>>()?;
    store::table::write_batches(dir, EVENTS, events_schema(), batches).map_err(|e| {
        DetectError::Table {
            path: tdir.display().to_string(),
            message: e.to_string(),
        }
    })?;
    Ok(())
}

/// Reads the `events` table of the store at `dir` (empty when there is none).
pub fn read_events(dir: &Path) -> Result<Vec<Event>, DetectError> {
    let tdir = store::table::table_dir(dir, EVENTS).display().to_string();
    let mut out = Vec::new();
    let iter = store::table::read_batches(dir, EVENTS).map_err(|e| DetectError::Table {
        path: tdir.clone(),
        message: e.to_string(),
    })?;
    for b in iter {
        let b = b.map_err(|e| DetectError::Table {
            path: tdir.clone(),
            message: e.to_string(),
        })?;
        out.extend(events_from_batch(&b, &tdir)?);
    }
    Ok(out)
}

/// Events as a GeoJSON FeatureCollection: each event a Point at its place (properties: every
/// field but the evidence), plus a LineString per vessel through its evidence positions.
pub fn events_geojson(events: &[Event]) -> serde_json::Value {
    use serde_json::json;
    let mut features = Vec::new();
    for e in events {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
            "properties": {
                "id": e.id, "kind": e.kind.as_str(), "grade": e.grade,
                "vessels": e.vessels, "segments": e.segments,
                "start_ms": e.start_ms, "end_ms": e.end_ms,
                "metrics": e.metrics, "attributes": e.attributes, "params": e.params,
            }
        }));
        for v in &e.vessels {
            let coords: Vec<[f64; 2]> = e
                .evidence
                .iter()
                .filter(|p| p.mmsi == *v)
                .map(|p| [p.lon, p.lat])
                .collect();
            if coords.len() >= 2 {
                features.push(json!({
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": coords},
                    "properties": {"event": e.id, "mmsi": v, "role": "evidence"}
                }));
            }
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EvidencePoint;
    use std::collections::BTreeMap;

    fn sample() -> Vec<Event> {
        let mut m = BTreeMap::new();
        m.insert("duration_hours".to_string(), 3.5);
        let mut a = BTreeMap::new();
        a.insert("port".to_string(), "NAMPO".to_string());
        vec![
            Event {
                id: "encounter-1-2-0".into(),
                kind: EventKind::Encounter,
                grade: Some("sts".into()),
                vessels: vec![1, 2],
                segments: vec!["1-0-0".into(), "2-0-0".into()],
                start_ms: 0,
                end_ms: 3_600_000,
                lat: 38.0,
                lon: 124.0,
                metrics: m,
                attributes: a,
                params: BTreeMap::new(),
                evidence: vec![EvidencePoint {
                    mmsi: 1,
                    time_ms: 0,
                    lat: 38.0,
                    lon: 124.0,
                    sog: Some(0.5),
                }],
            },
            Event {
                id: "gap-3-5".into(),
                kind: EventKind::Gap,
                grade: None,
                vessels: vec![3],
                segments: vec![],
                start_ms: 5,
                end_ms: 9,
                lat: 1.0,
                lon: 2.0,
                metrics: BTreeMap::new(),
                attributes: BTreeMap::new(),
                params: BTreeMap::new(),
                evidence: vec![],
            },
        ]
    }

    #[test]
    fn events_round_trip_through_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ev = sample();
        write_events(dir.path(), &ev).expect("write");
        write_events(dir.path(), &ev).expect("rewrite replaces");
        let back = read_events(dir.path()).expect("read");
        assert_eq!(back, ev);
    }

    #[test]
    fn geojson_has_points_and_evidence_lines() {
        let g = events_geojson(&sample());
        assert_eq!(g["features"].as_array().map(Vec::len), Some(2));
        assert_eq!(g["features"][0]["properties"]["kind"], "encounter");
    }
}

/// A query on events (all fields optional).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFilter {
    /// Only these kinds (all when empty).
    pub kinds: Vec<EventKind>,
    /// Only events involving this MMSI.
    pub vessel: Option<u32>,
    /// Only events ending at or after this time, UTC ms.
    pub since_ms: Option<i64>,
    /// Only events starting before this time, UTC ms.
    pub until_ms: Option<i64>,
    /// Only this grade.
    pub grade: Option<String>,
}

impl EventFilter {
    /// True when `e` passes the filter.
    pub fn matches(&self, e: &Event) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&e.kind))
            && self.vessel.is_none_or(|v| e.vessels.contains(&v))
            && self.since_ms.is_none_or(|t| e.end_ms >= t)
            && self.until_ms.is_none_or(|t| e.start_ms < t)
            && self
                .grade
                .as_ref()
                .is_none_or(|g| e.grade.as_deref() == Some(g.as_str()))
    }
}

/// Parses a UTC time: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, `YYYY-MM-DDTHH:MM:SS` (optionally with
/// a trailing `Z`; a space may replace the `T`), or integer milliseconds since the epoch.
pub fn parse_utc_ms(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(ms) = s.parse::<i64>() {
        return Some(ms);
    }
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, t),
        None => (s, "00:00:00"),
    };
    let d: Vec<&str> = date.split('-').collect();
    let t: Vec<&str> = time.split(':').collect();
    if d.len() != 3 || !(2..=3).contains(&t.len()) {
        return None;
    }
    let (y, m, dd) = (
        d[0].parse::<i64>().ok()?,
        d[1].parse::<i64>().ok()?,
        d[2].parse::<i64>().ok()?,
    );
    let (hh, mm) = (t[0].parse::<i64>().ok()?, t[1].parse::<i64>().ok()?);
    let ss = t.get(2).map_or(Some(0.0), |x| x.parse::<f64>().ok())?;
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&dd)
        || hh > 23
        || mm > 59
        || !(0.0..61.0).contains(&ss)
    {
        return None;
    }
    let days = utc::days_from_civil(y, m as u32, dd as u32);
    Some(days * 86_400_000 + hh * 3_600_000 + mm * 60_000 + (ss * 1000.0).round() as i64)
}

/// Formats UTC ms as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_utc(ms: i64) -> String {
    utc::format_rfc3339(ms)
}

#[cfg(test)]
mod time_tests {
    use super::*;

    #[test]
    fn times_parse_and_format() {
        assert_eq!(parse_utc_ms("1970-01-01"), Some(0));
        assert_eq!(
            parse_utc_ms("2025-01-01T00:00:00Z"),
            Some(1_735_689_600_000)
        );
        assert_eq!(parse_utc_ms("2024-02-29 12:30"), Some(1_709_209_800_000));
        assert_eq!(format_utc(1_709_209_800_000), "2024-02-29T12:30:00Z");
        assert_eq!(parse_utc_ms("2024-13-01"), None);
        assert_eq!(parse_utc_ms("yesterday"), None);
    }
}
