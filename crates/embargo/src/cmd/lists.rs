//! `embargo lists`: load sanctions list files into a store (with a diff against the previous
//! load) and show stored entities.

use super::exit::{InputError, OK};
use super::Global;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `embargo lists`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  \
    embargo lists load data/lists/un_dprk_excerpt.xml data/lists/ofac_dprk_excerpt.xml --store out\n  \
    embargo lists load ../shared/data/sanctions/ofac/sdn-advanced-xml-2025-11-19/sdn_advanced.xml.bz2 --store out\n  \
    embargo lists show un:KPi.033 --store out")]
pub struct Args {
    #[command(subcommand)]
    command: ListsCommand,
}

#[derive(clap::Subcommand, Debug)]
enum ListsCommand {
    /// Parse list files (format detected from content; .gz/.bz2 fine) and store their entities.
    ///
    /// Supported: UN consolidated XML, OFAC SDN Advanced XML, OFAC legacy sdn.xml, OFAC legacy sdn.csv (add/alt/comments
    /// beside it are read too), EU FSF XML, OpenSanctions EU journal CSV, UK OFSI ConList CSV,
    /// OpenSanctions FtM JSON lines, OFAC crypto address lists (sanctioned_addresses_<ASSET>.txt).
    /// Loading a list replaces the stored entities of the same source (un, ofac, eu, ...) and keeps
    /// the rest; the diff against the previous content is printed.
    #[command(
        after_help = "Example:\n  embargo lists load data/lists/un_dprk_excerpt.xml data/lists/ofac_dprk_excerpt.xml --store out"
    )]
    Load {
        /// List files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Store directory (entities go to DIR/lists/entities.jsonl, with DIR/lists/manifest.json).
        #[arg(long)]
        store: PathBuf,
        /// Empty the store first instead of replacing only the sources being loaded.
        #[arg(long)]
        replace: bool,
        /// How many added/removed/changed ids to print per category.
        #[arg(long, default_value_t = 20)]
        show: usize,
    },
    /// Print stored entities by id (e.g. `un:KPi.033`, `ofac:17069`) as JSON.
    #[command(after_help = "Example:\n  embargo lists show un:KPi.033 ofac:17069 --store out")]
    Show {
        /// Entity ids.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Store directory.
        #[arg(long)]
        store: PathBuf,
    },
}

/// Runs `embargo lists`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    match &args.command {
        ListsCommand::Load {
            files,
            store,
            replace,
            show,
        } => load(files, store, *replace, *show, global),
        ListsCommand::Show { ids, store } => show(ids, store),
    }
}

fn load(
    files: &[PathBuf],
    store: &std::path::Path,
    replace: bool,
    show: usize,
    global: &Global,
) -> anyhow::Result<ExitCode> {
    let progress = global.show_progress().then(|| {
        let pb = indicatif::ProgressBar::new(files.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    });
    let mut loaded = Vec::with_capacity(files.len());
    for f in files {
        if let Some(pb) = &progress {
            pb.set_message(format!("parsing {}", f.display()));
        }
        let started = std::time::Instant::now();
        let list = lists::load_path(f).map_err(|e| InputError(e.to_string()))?;
        if !global.quiet && !global.json {
            let s = &list.summary;
            let skipped = if s.skipped.is_empty() {
                String::new()
            } else {
                let parts: Vec<String> =
                    s.skipped.iter().map(|(r, n)| format!("{n} {r}")).collect();
                format!(", skipped: {}", parts.join("; "))
            };
            let line = format!(
                "{}: {} dated {}: {} records, {} entities{} ({:.2} s)",
                f.display(),
                list.format.name(),
                list.list_date.as_deref().unwrap_or("?"),
                s.records,
                list.entities.len(),
                skipped,
                started.elapsed().as_secs_f64()
            );
            match &progress {
                Some(pb) => pb.println(line),
                None => eprintln!("{line}"),
            }
            for note in &s.notes {
                eprintln!("  note: {note}");
            }
        }
        if let Some(pb) = &progress {
            pb.inc(1);
        }
        loaded.push(list);
    }
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    let mode = if replace {
        lists::store::SaveMode::Replace
    } else {
        lists::store::SaveMode::MergeBySource
    };
    let diff = lists::store::save(store, &loaded, mode)
        .with_context(|| format!("saving lists to {}", store.display()))?;
    let total = lists::store::load_manifest(store)?.entity_count;
    if global.json {
        let files: Vec<serde_json::Value> = loaded
            .iter()
            .map(|l| {
                serde_json::json!({
                    "path": l.path.display().to_string(),
                    "format": l.format.name(),
                    "list_date": l.list_date,
                    "entities": l.entities.len(),
                    "summary": l.summary,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "store": lists::store::lists_dir(store).display().to_string(),
                "entities": total,
                "files": files,
                "diff": diff,
            })
        );
    } else if !global.quiet {
        println!(
            "stored {total} entities in {}: {} added, {} removed, {} changed, {} unchanged",
            lists::store::lists_dir(store).display(),
            diff.added.len(),
            diff.removed.len(),
            diff.changed.len(),
            diff.unchanged
        );
        for (label, ids) in [
            ("added", &diff.added),
            ("removed", &diff.removed),
            ("changed", &diff.changed),
        ] {
            if ids.is_empty() || show == 0 {
                continue;
            }
            let shown: Vec<&str> = ids.iter().take(show).map(String::as_str).collect();
            let more = ids.len().saturating_sub(show);
            let tail = if more > 0 {
                format!(" … and {more} more")
            } else {
                String::new()
            };
            println!("  {label}: {}{tail}", shown.join(", "));
        }
    }
    Ok(ExitCode::from(OK))
}

fn show(ids: &[String], store: &std::path::Path) -> anyhow::Result<ExitCode> {
    let entities = lists::store::load(store).map_err(|e| InputError(e.to_string()))?;
    let mut missing = Vec::new();
    let mut out = std::io::stdout().lock();
    for id in ids {
        match entities.iter().find(|e| &e.id == id) {
            Some(e) => {
                let written = writeln!(out, "{}", serde_json::to_string_pretty(e)?);
                // A closed pipe (`| head`) is the reader's choice, not an error.
                if matches!(&written, Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe) {
                    return Ok(ExitCode::from(OK));
                }
                written?;
            }
            None => missing.push(id.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(InputError(format!("not in the store: {}", missing.join(", "))).into());
    }
    Ok(ExitCode::from(OK))
}
