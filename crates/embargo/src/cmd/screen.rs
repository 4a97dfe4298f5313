//! `embargo screen`: screen a name, identifier or crypto address (or a CSV batch of them)
//! against sanctions lists loaded from a store or directly from list files.

use super::exit::{InputError, FOUND, OK};
use super::Global;
use anyhow::Context;
use screen::{Index, Match, Query};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Arguments of `embargo screen`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  embargo screen \"Kim Jong Un\" --store data/store
  embargo screen \"김정은\" --type person --lists UN_consolidated.xml
  embargo screen \"Pak Chol Su\" --dob 1962 --country KP --limit 5 --json --store data/store
  embargo screen --type vessel --imo 9187629 --store data/store
  embargo screen --address 0x098B716B8Aaf21512996dC57EB0615e2383E2f96 --store data/store
  embargo screen --batch people.csv --out screened.csv --store data/store

Batch CSV: a header row with any of the columns name, type, imo, mmsi, call_sign, address,
dob, country (other columns are copied to the output). The output adds match, score,
entity_id, caption, matched_name and explanation for the best result of each row.

Exit code: 1 when any result scores at or above --threshold, 0 when none does, 3 on bad input.")]
pub struct Args {
    /// Name to screen (any script: Latin, Hangul, Cyrillic ...).
    pub name: Option<String>,
    /// Kind of entity sought: person, company, organization, vessel, aircraft, wallet.
    #[arg(long = "type", value_name = "KIND")]
    pub kind: Option<String>,
    /// IMO number (7 digits; the check digit is validated).
    #[arg(long)]
    pub imo: Option<String>,
    /// MMSI (9 digits).
    #[arg(long)]
    pub mmsi: Option<String>,
    /// Radio call sign.
    #[arg(long)]
    pub call_sign: Option<String>,
    /// Crypto address (hex/bech32 compared case-insensitively, base58 exactly).
    #[arg(long)]
    pub address: Option<String>,
    /// Birth date or year (YYYY or YYYY-MM-DD).
    #[arg(long, value_name = "Y")]
    pub dob: Option<String>,
    /// Country (ISO 3166-1 alpha-2, e.g. KP).
    #[arg(long, value_name = "C")]
    pub country: Option<String>,
    /// Most results to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Score at or above which a result is a match (exit code 1).
    #[arg(long, default_value_t = screen::DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Also show results below the threshold down to this score.
    #[arg(long, default_value_t = 0.5)]
    pub min_score: f64,
    /// Store directory written by `embargo lists load`.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// List files to load directly (UN XML, OFAC XML/CSV, EU, UK, FtM ...).
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// CSV of queries to screen in one run.
    #[arg(long, value_name = "IN.CSV")]
    pub batch: Option<PathBuf>,
    /// Where the batch results go (default: standard output).
    #[arg(long, value_name = "OUT.CSV")]
    pub out: Option<PathBuf>,
}

fn load_entities(args: &Args, global: &Global) -> anyhow::Result<Vec<lists::Entity>> {
    let mut entities = Vec::new();
    for path in &args.lists {
        let loaded =
            lists::load_path(path).map_err(|e| InputError(format!("{}: {e}", path.display())))?;
        if !global.quiet && !global.json {
            eprintln!(
                "loaded {} entities from {} ({})",
                loaded.entities.len(),
                path.display(),
                loaded.format.name()
            );
        }
        entities.extend(loaded.entities);
    }
    if let Some(dir) = &args.store {
        let stored = lists::store::load(dir)
            .map_err(|e| InputError(format!("store {}: {e}", dir.display())))?;
        entities.extend(stored);
    }
    if args.lists.is_empty() && args.store.is_none() {
        return Err(InputError(
            "no lists to screen against: give --store DIR (from `embargo lists load`) or --lists FILE…".into(),
        )
        .into());
    }
    if entities.is_empty() {
        return Err(InputError("the lists hold no entities".into()).into());
    }
    Ok(entities)
}

fn query_of(args: &Args) -> anyhow::Result<Query> {
    let schema = match &args.kind {
        Some(k) => Some(
            screen::parse_schema(k)
                .ok_or_else(|| InputError(format!("unknown --type {k:?}: use person, company, organization, vessel, aircraft or wallet")))?,
        ),
        None => None,
    };
    let q = Query {
        name: args.name.clone().filter(|n| !n.trim().is_empty()),
        schema,
        imo: args.imo.clone(),
        mmsi: args.mmsi.clone(),
        call_sign: args.call_sign.clone(),
        crypto_address: args.address.clone(),
        birth_date: args.dob.clone(),
        country: args.country.clone(),
    };
    if q.name.is_none()
        && q.imo.is_none()
        && q.mmsi.is_none()
        && q.call_sign.is_none()
        && q.crypto_address.is_none()
    {
        return Err(InputError(
            "nothing to screen: give a NAME, --imo, --mmsi, --call-sign, --address or --batch FILE"
                .into(),
        )
        .into());
    }
    Ok(q)
}

/// Runs `embargo screen`.
pub fn run(args: &Args, global: &Global) -> anyhow::Result<ExitCode> {
    // Check the query before the (slower) list loading.
    let query = if args.batch.is_none() {
        Some(query_of(args)?)
    } else {
        None
    };
    let entities = load_entities(args, global)?;
    let started = Instant::now();
    let index = Index::from_entities(entities);
    if !global.quiet && !global.json {
        eprintln!(
            "indexed {} entities, {} names in {:.2} s",
            index.entities().len(),
            index.name_count(),
            started.elapsed().as_secs_f64()
        );
    }
    let (Some(query), None) = (query, &args.batch) else {
        let batch = args.batch.as_ref().context("no query and no batch")?;
        return run_batch(args, global, &index, batch);
    };
    let matches: Vec<Match> = index
        .search(&query, args.limit)
        .into_iter()
        .filter(|m| m.score >= args.min_score.min(args.threshold))
        .collect();
    let found = matches.iter().any(|m| m.score >= args.threshold);
    if global.json {
        let out = serde_json::json!({
            "query": query,
            "threshold": args.threshold,
            "match": found,
            "results": matches,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        if matches.is_empty() && !global.quiet {
            println!(
                "no results at or above {:.2}",
                args.min_score.min(args.threshold)
            );
        }
        for (i, m) in matches.iter().enumerate() {
            let flag = if m.score >= args.threshold {
                "MATCH "
            } else {
                "review"
            };
            println!(
                "{}. {flag} {:.3}  {}  {}  ({:?})",
                i + 1,
                m.score,
                m.entity_id,
                m.caption,
                m.schema
            );
            if !global.quiet {
                for line in &m.explanation {
                    println!("     {line}");
                }
            }
        }
    }
    Ok(ExitCode::from(if found { FOUND } else { OK }))
}

fn run_batch(
    args: &Args,
    global: &Global,
    index: &Index,
    path: &PathBuf,
) -> anyhow::Result<ExitCode> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| InputError(format!("{}: {e}", path.display())))?;
    let headers = rdr
        .headers()
        .map_err(|e| InputError(format!("{}: header: {e}", path.display())))?
        .clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let c_name = col(&["name", "full_name"]);
    let c_type = col(&["type", "schema"]);
    let c_imo = col(&["imo"]);
    let c_mmsi = col(&["mmsi"]);
    let c_call = col(&["call_sign", "callsign"]);
    let c_addr = col(&["address", "crypto_address", "wallet"]);
    let c_dob = col(&["dob", "birth_date", "date_of_birth"]);
    let c_country = col(&["country", "nationality"]);
    if [c_name, c_imo, c_mmsi, c_call, c_addr]
        .iter()
        .all(Option::is_none)
    {
        return Err(InputError(format!(
            "{}: no column to screen: need one of name, imo, mmsi, call_sign, address",
            path.display()
        ))
        .into());
    }
    let records: Vec<csv::StringRecord> = rdr
        .records()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| InputError(format!("{}: row {}: {e}", path.display(), i + 2))))
        .collect::<Result<_, _>>()?;
    let bar = if global.show_progress() {
        let b = indicatif::ProgressBar::new(records.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} rows {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let sink: Box<dyn std::io::Write> = match &args.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let mut wtr = csv::Writer::from_writer(sink);
    let mut out_headers = headers.clone();
    for h in [
        "match",
        "score",
        "entity_id",
        "caption",
        "matched_name",
        "explanation",
    ] {
        out_headers.push_field(h);
    }
    wtr.write_record(&out_headers)?;
    let get = |r: &csv::StringRecord, c: Option<usize>| {
        c.and_then(|c| r.get(c))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let started = Instant::now();
    let mut found = 0usize;
    let mut rejected = 0usize;
    for (i, r) in records.iter().enumerate() {
        let schema_text = get(r, c_type);
        let schema = schema_text.as_deref().and_then(screen::parse_schema);
        let q = Query {
            name: get(r, c_name),
            schema,
            imo: get(r, c_imo),
            mmsi: get(r, c_mmsi),
            call_sign: get(r, c_call),
            crypto_address: get(r, c_addr),
            birth_date: get(r, c_dob),
            country: get(r, c_country),
        };
        let mut row = r.clone();
        let empty = q.name.is_none()
            && q.imo.is_none()
            && q.mmsi.is_none()
            && q.call_sign.is_none()
            && q.crypto_address.is_none();
        if empty || (schema_text.is_some() && schema.is_none()) {
            rejected += 1;
            let why = if empty {
                format!("row {}: nothing to screen", i + 2)
            } else {
                format!(
                    "row {}: unknown type {:?}",
                    i + 2,
                    schema_text.unwrap_or_default()
                )
            };
            for v in ["error", "", "", "", "", why.as_str()] {
                row.push_field(v);
            }
        } else {
            let best = index.search(&q, 1).into_iter().next();
            match best {
                Some(m) => {
                    let is_match = m.score >= args.threshold;
                    found += usize::from(is_match);
                    row.push_field(if is_match { "true" } else { "false" });
                    row.push_field(&format!("{:.3}", m.score));
                    row.push_field(&m.entity_id);
                    row.push_field(&m.caption);
                    row.push_field(m.matched_name.as_deref().unwrap_or(""));
                    row.push_field(&m.explanation.join(" | "));
                }
                None => {
                    for v in ["false", "0.000", "", "", "", ""] {
                        row.push_field(v);
                    }
                }
            }
        }
        wtr.write_record(&row)?;
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    wtr.flush()?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !global.quiet {
        let secs = started.elapsed().as_secs_f64();
        let summary = format!(
            "screened {} rows in {:.2} s ({:.0} rows/s): {found} at or above {:.2}, {rejected} rejected",
            records.len(),
            secs,
            records.len() as f64 / secs.max(1e-9),
            args.threshold
        );
        if global.json {
            eprintln!(
                "{}",
                serde_json::json!({"rows": records.len(), "matches": found, "rejected": rejected, "seconds": secs})
            );
        } else {
            eprintln!("{summary}");
        }
    }
    Ok(ExitCode::from(if found > 0 { FOUND } else { OK }))
}
