//! Loads GFW gpsdio-segment JSON-lines files into a store (positions + static_reports), so that
//! `embargo segment`, `embargo track` and `embargo vessel` can run on them.
//!
//! ```text
//! cargo run --release -p maritime --example gfw_store -- STORE_DIR FILE.json.gz...
//! ```

fn main() {
    let args: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let Some((store, files)) = args.split_first() else {
        eprintln!("usage: gfw_store STORE_DIR FILE.json.gz...");
        std::process::exit(2);
    };
    match ingest::gfw::ingest_gfw_files(files, store) {
        Ok(summary) => println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(3);
        }
    }
}
