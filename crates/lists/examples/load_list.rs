//! Loads list files and prints counts and timing: `cargo run --release -p lists --example load_list -- FILE...`
//! Used by `scripts/bench-lists.sh`.

use std::time::Instant;

fn main() {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        let t = Instant::now();
        match lists::load_path(&path) {
            Ok(list) => {
                let secs = t.elapsed().as_secs_f64();
                let mut by_schema = std::collections::BTreeMap::new();
                for e in &list.entities {
                    *by_schema.entry(format!("{:?}", e.schema)).or_insert(0usize) += 1;
                }
                let ids: usize = list.entities.iter().map(|e| e.identifiers.len()).sum();
                let names: usize = list.entities.iter().map(|e| e.names.len()).sum();
                println!(
                    "{path}: {} ({}), {} entities, {} names, {} identifiers, {:.3} s, {} bytes, records {} skipped {:?} dup-ids {} by schema {:?} notes {:?}",
                    list.format.name(),
                    list.list_date.as_deref().unwrap_or("no date"),
                    list.entities.len(),
                    names,
                    ids,
                    secs,
                    list.bytes,
                    list.summary.records,
                    list.summary.skipped,
                    list.summary.duplicate_ids,
                    by_schema,
                    list.summary.notes,
                );
                // DUMP=id1,id2 prints those entities as JSON, for eyeballing the parse.
                if let Ok(dump) = std::env::var("DUMP") {
                    for e in list
                        .entities
                        .iter()
                        .filter(|e| dump == "*" || dump.split(',').any(|d| d == e.id))
                    {
                        println!("{}", serde_json::to_string(e).unwrap_or_default());
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(3);
    }
}
