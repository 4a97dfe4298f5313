//! The `vessels` table: one row per run of one identity field of one MMSI.
//!
//! Long format (`mmsi, field, value, first_seen, last_seen, reports`) so that a history of any
//! length fits, and `SELECT * FROM vessels WHERE mmsi = …` reads as the history itself. The
//! draught runs are rows with `field = 'draught'`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, StringBuilder, TimestampMillisecondBuilder, UInt32Builder,
};
use arrow_array::{Array, RecordBatch, StringArray, TimestampMillisecondArray, UInt32Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};

use super::{imo_is_valid, MmsiProblem, ValueRun, VesselHistory};
use crate::tracks::TableError;

/// Table name (directory under the store) of identity histories.
pub const VESSELS_TABLE: &str = "vessels";

/// Arrow schema of the `vessels` table (documented in docs/schemas.md).
pub fn vessels_schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("mmsi", DataType::UInt32, false),
        Field::new("flag", DataType::Utf8, true),
        Field::new("mmsi_problem", DataType::Utf8, true),
        Field::new("field", DataType::Utf8, false),
        Field::new("value", DataType::Utf8, false),
        Field::new("first_seen", ts.clone(), false),
        Field::new("last_seen", ts, false),
        Field::new("reports", DataType::UInt32, false),
        Field::new("valid", DataType::Boolean, true),
    ]))
}

/// Replaces the `vessels` table of `store_dir` with these histories.
pub fn write_vessels_table(
    store_dir: &Path,
    histories: &[VesselHistory],
) -> Result<(), TableError> {
    let dir = store::table::table_dir(store_dir, VESSELS_TABLE);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(TableError::Io {
                path: dir.display().to_string(),
                source,
            })
        }
    }
    let mut mmsi = UInt32Builder::new();
    let mut flag = StringBuilder::new();
    let mut problem = StringBuilder::new();
    let mut field = StringBuilder::new();
    let mut value = StringBuilder::new();
    let mut first = TimestampMillisecondBuilder::new().with_timezone("UTC");
    let mut last = TimestampMillisecondBuilder::new().with_timezone("UTC");
    let mut reports = UInt32Builder::new();
    let mut valid = BooleanBuilder::new();
    for h in histories {
        let runs = h
            .fields
            .iter()
            .flat_map(|(f, runs)| runs.iter().map(move |r| (f.as_str(), r)))
            .chain(h.draught.iter().map(|r| ("draught", r)));
        for (f, r) in runs {
            mmsi.append_value(h.mmsi);
            flag.append_option(h.flag.as_deref());
            problem.append_option(h.mmsi_problem.map(MmsiProblem::as_str));
            field.append_value(f);
            value.append_value(&r.value);
            first.append_value(r.first_ms);
            last.append_value(r.last_ms);
            reports.append_value(r.count);
            valid.append_option(if f == "imo" {
                r.value.parse().ok().map(imo_is_valid)
            } else {
                None
            });
        }
    }
    let batch = RecordBatch::try_new(
        vessels_schema(),
        vec![
            Arc::new(mmsi.finish()),
            Arc::new(flag.finish()),
            Arc::new(problem.finish()),
            Arc::new(field.finish()),
            Arc::new(value.finish()),
            Arc::new(first.finish()),
            Arc::new(last.finish()),
            Arc::new(reports.finish()),
            Arc::new(valid.finish()),
        ],
    )?;
    store::table::write_batches(store_dir, VESSELS_TABLE, vessels_schema(), [batch])?;
    Ok(())
}

fn col<'a, T: 'static>(b: &'a RecordBatch, name: &'static str) -> Result<&'a T, TableError> {
    b.column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<T>())
        .ok_or(TableError::Column(name))
}

fn parse_problem(s: &str) -> Option<MmsiProblem> {
    [
        MmsiProblem::TooLong,
        MmsiProblem::Reserved,
        MmsiProblem::UnknownMid,
        MmsiProblem::Placeholder,
        MmsiProblem::NotAShip,
    ]
    .into_iter()
    .find(|p| p.as_str() == s)
}

/// Reads the `vessels` table back into histories (ordered by MMSI).
pub fn load_vessels(store_dir: &Path) -> Result<Vec<VesselHistory>, TableError> {
    let mut out: BTreeMap<u32, VesselHistory> = BTreeMap::new();
    for batch in store::table::read_batches(store_dir, VESSELS_TABLE)? {
        let b = batch?;
        let mmsi = col::<UInt32Array>(&b, "mmsi")?;
        let flag = col::<StringArray>(&b, "flag")?;
        let problem = col::<StringArray>(&b, "mmsi_problem")?;
        let field = col::<StringArray>(&b, "field")?;
        let value = col::<StringArray>(&b, "value")?;
        let first = col::<TimestampMillisecondArray>(&b, "first_seen")?;
        let last = col::<TimestampMillisecondArray>(&b, "last_seen")?;
        let reports = col::<UInt32Array>(&b, "reports")?;
        for r in 0..b.num_rows() {
            let m = mmsi.value(r);
            let h = out.entry(m).or_insert_with(|| VesselHistory {
                mmsi: m,
                flag: (!flag.is_null(r)).then(|| flag.value(r).to_string()),
                mmsi_problem: if problem.is_null(r) {
                    None
                } else {
                    parse_problem(problem.value(r))
                },
                fields: BTreeMap::new(),
                draught: Vec::new(),
                invalid_imos: Vec::new(),
                reports: 0,
            });
            let run = ValueRun {
                value: value.value(r).to_string(),
                first_ms: first.value(r),
                last_ms: last.value(r),
                count: reports.value(r),
            };
            let f = field.value(r);
            if f == "draught" {
                h.draught.push(run);
                continue;
            }
            if f == "imo" {
                if let Ok(imo) = run.value.parse::<u32>() {
                    if !imo_is_valid(imo) && !h.invalid_imos.contains(&imo) {
                        h.invalid_imos.push(imo);
                    }
                }
            }
            h.fields.entry(f.to_string()).or_default().push(run);
        }
    }
    for h in out.values_mut() {
        // The table keeps runs, not reports: the busiest field's total is a lower bound.
        h.reports = h
            .fields
            .values()
            .chain(std::iter::once(&h.draught))
            .map(|runs| runs.iter().map(|r| r.count).sum::<u32>())
            .max()
            .unwrap_or(0);
        for runs in h.fields.values_mut() {
            runs.sort_by_key(|r| r.first_ms);
        }
        h.draught.sort_by_key(|r| r.first_ms);
    }
    Ok(out.into_values().collect())
}
