//! Accuracy evaluation of the matcher on the labelled sets in `../shared/data/sanctions/eval/`.
//!
//! `cargo run --release -p screen --example eval [-- --threshold T] [--verbose]`
//!
//! 1. nomenklatura name benchmark (826 labelled pairs): precision, recall, F1 at the threshold,
//!    per case group, for Korean/DPRK pairs, and on an even/odd split (threshold picked on the
//!    even rows, reported on the odd rows) to show how much threshold tuning flatters.
//! 2. OFAC parity fixture: agreement with OFAC's live-tool scores at the tool's 100 / ≥ 90 bands.
//! 3. yente positives/negatives: UN persons (untreated and "treated" with typos) screened against
//!    an index of the UN list entries themselves built from the untreated names, and 50,000
//!    synthetic negatives (global + US) screened against the same index: recall and false-positive rate.

use screen::{compare, Entity, Index, NameMode, PreparedName, Query, Schema};
use std::path::{Path, PathBuf};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sanctions/eval");
    p.is_dir().then_some(p)
}

fn mode(schema: &str) -> NameMode {
    match schema {
        "Person" => NameMode::Person,
        "Company" | "Organization" | "LegalEntity" => NameMode::Org,
        "Vessel" => NameMode::Object,
        _ => NameMode::Any,
    }
}

#[derive(Clone)]
struct Case {
    group: String,
    name1: String,
    name2: String,
    truth: bool,
    korean: bool,
    score: f64,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn add(&mut self, truth: bool, pred: bool) {
        match (truth, pred) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn p(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn r(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn line(&self, label: &str) -> String {
        format!(
            "| {label} | {} | {:.3} | {:.3} | {:.3} | {} | {} | {} | {} |",
            self.tp + self.fp + self.fn_ + self.tn,
            self.p(),
            self.r(),
            self.f1(),
            self.tp,
            self.fp,
            self.fn_,
            self.tn
        )
    }
}

fn counts<'a>(cases: impl Iterator<Item = &'a Case>, t: f64) -> Counts {
    let mut c = Counts::default();
    for x in cases {
        c.add(x.truth, x.score >= t);
    }
    c
}

fn best_threshold(cases: &[&Case]) -> f64 {
    let mut best = (0.0, 0.5);
    for i in 40..=99 {
        let t = i as f64 / 100.0;
        let f = counts(cases.iter().copied(), t).f1();
        if f > best.0 {
            best = (f, t);
        }
    }
    best.1
}

/// A Korean/DPRK pair: the notes say so, a name is in Hangul, or both names read as Korean
/// personal names (family name + romanized syllables).
fn is_korean(c: &Case, notes: &str) -> bool {
    let n = notes.to_lowercase();
    let hangul = format!("{}{}", c.name1, c.name2)
        .chars()
        .any(screen::korean::is_hangul);
    let both_korean = !PreparedName::new(&c.name1, NameMode::Person)
        .korean
        .is_empty()
        && !PreparedName::new(&c.name2, NameMode::Person)
            .korean
            .is_empty();
    hangul || both_korean || n.contains("korea") || n.starts_with("kp ") || n.starts_with("kr ")
}

fn name_bench(dir: &Path, threshold: f64, verbose: bool) {
    let path = dir.join("nomenklatura/name_bench_cases.csv");
    let mut rdr = match csv::Reader::from_path(&path) {
        Ok(r) => r,
        Err(e) => {
            println!("skipping name benchmark: {}: {e}", path.display());
            return;
        }
    };
    let mut cases = Vec::new();
    for rec in rdr.records().flatten() {
        let (group, schema, n1, n2, truth) = (&rec[0], &rec[1], &rec[2], &rec[3], &rec[4]);
        let m = mode(schema);
        let score = compare(&PreparedName::new(n1, m), &PreparedName::new(n2, m), false).score;
        let mut c = Case {
            group: group.to_string(),
            name1: n1.to_string(),
            name2: n2.to_string(),
            truth: truth == "true",
            korean: false,
            score,
        };
        c.korean = is_korean(&c, &rec[7]);
        cases.push(c);
    }
    println!(
        "## nomenklatura name benchmark ({} pairs), threshold {threshold}\n",
        cases.len()
    );
    println!("| subset | pairs | precision | recall | F1 | TP | FP | FN | TN |\n|---|---|---|---|---|---|---|---|---|");
    println!("{}", counts(cases.iter(), threshold).line("all"));
    let mut groups: Vec<String> = cases.iter().map(|c| c.group.clone()).collect();
    groups.sort();
    groups.dedup();
    for g in &groups {
        println!(
            "{}",
            counts(cases.iter().filter(|c| &c.group == g), threshold).line(g)
        );
    }
    println!(
        "{}",
        counts(cases.iter().filter(|c| c.korean), threshold).line("Korean/DPRK pairs")
    );
    // Held-out: pick the threshold on even rows, report on odd rows.
    let even: Vec<&Case> = cases.iter().step_by(2).collect();
    let odd: Vec<&Case> = cases.iter().skip(1).step_by(2).collect();
    let t_even = best_threshold(&even);
    println!(
        "{}",
        counts(odd.iter().copied(), t_even).line(&format!(
            "odd rows, threshold {t_even:.2} picked on even rows"
        ))
    );
    let t_all = best_threshold(&cases.iter().collect::<Vec<_>>());
    println!(
        "\nbest threshold on all rows: {t_all:.2} (F1 {:.3})",
        counts(cases.iter(), t_all).f1()
    );
    if verbose {
        println!("\nerrors at {threshold}:");
        for c in &cases {
            if (c.score >= threshold) != c.truth {
                println!(
                    "  {} {:.3} truth={} | {} | {}",
                    c.group, c.score, c.truth, c.name1, c.name2
                );
            }
        }
    }
}

fn ofac_parity(dir: &Path, threshold: f64) {
    let path = dir.join("nomenklatura/ofac_search_parity_fixtures.csv");
    let Ok(mut rdr) = csv::Reader::from_path(&path) else {
        println!("skipping OFAC parity: {} not readable", path.display());
        return;
    };
    let mut rows = Vec::new();
    for rec in rdr.records().flatten() {
        let ofac: f64 = rec[2].parse().unwrap_or(0.0);
        let s = compare(
            &PreparedName::new(&rec[0], NameMode::Any),
            &PreparedName::new(&rec[1], NameMode::Any),
            false,
        )
        .score;
        rows.push((rec[0].to_string(), rec[1].to_string(), ofac, s));
    }
    let n = rows.len() as f64;
    let mae = rows.iter().map(|r| (r.2 / 100.0 - r.3).abs()).sum::<f64>() / n;
    let mut c100 = Counts::default();
    let mut c90 = Counts::default();
    for r in &rows {
        c100.add(r.2 >= 100.0, r.3 >= threshold);
        c90.add(r.2 >= 90.0, r.3 >= threshold);
    }
    println!("\n## OFAC parity fixture ({} rows)\n", rows.len());
    println!("mean |OFAC/100 − ours| = {mae:.3}");
    println!("| OFAC band as truth | pairs | precision | recall | F1 | TP | FP | FN | TN |\n|---|---|---|---|---|---|---|---|---|");
    println!("{}", c100.line("OFAC = 100"));
    println!("{}", c90.line("OFAC ≥ 90"));
}

fn read_people(path: &Path) -> Vec<(String, String)> {
    let Ok(mut rdr) = csv::Reader::from_path(path) else {
        println!("skipping {}: not readable", path.display());
        return Vec::new();
    };
    rdr.records()
        .flatten()
        .map(|r| (r[0].to_string(), r[5].to_string()))
        .collect()
}

fn yente(dir: &Path, threshold: f64) {
    let untreated = read_people(&dir.join("yente/positives_un_untreated.csv"));
    let treated = read_people(&dir.join("yente/positives_un_treated.csv"));
    if untreated.is_empty() {
        return;
    }
    let entities: Vec<Entity> = untreated
        .iter()
        .enumerate()
        .map(|(i, (name, dob))| {
            let mut e = Entity::new(format!("un:{i}"), "un", Schema::Person);
            e.add_name(name, lists::NameStrength::Strong);
            if !dob.is_empty() {
                e.birth_dates.push(dob.clone());
            }
            e
        })
        .collect();
    let index = Index::build(&entities);
    println!(
        "\n## yente UN positives and qarin negatives (index of {} UN persons)\n",
        entities.len()
    );
    println!("| query set | queries | top-1 is the right person ≥ threshold | any result ≥ threshold |\n|---|---|---|---|");
    for (label, set) in [
        ("UN untreated", &untreated),
        ("UN treated (typos, reshuffles)", &treated),
    ] {
        let mut right = 0;
        let mut any = 0;
        for (i, (name, _)) in set.iter().enumerate() {
            let hits = index.search(&Query::name(name), 10);
            if hits.first().is_some_and(|h| h.score >= threshold) {
                any += 1;
            }
            if hits
                .iter()
                .any(|h| h.entity_index == i && h.score >= threshold)
            {
                right += 1;
            }
        }
        println!(
            "| {label} | {} | {right} ({:.1}%) | {any} |",
            set.len(),
            100.0 * right as f64 / set.len() as f64
        );
    }
    for file in ["negatives_global.csv", "negatives_us.csv"] {
        let neg = read_people(&dir.join("yente").join(file));
        if neg.is_empty() {
            continue;
        }
        let mut fp = 0;
        let mut examples = Vec::new();
        for (name, _) in &neg {
            let hits = index.search(&Query::name(name), 1);
            if let Some(h) = hits.first().filter(|h| h.score >= threshold) {
                fp += 1;
                if examples.len() < 5 {
                    examples.push(format!("{name} → {} ({:.2})", h.caption, h.score));
                }
            }
        }
        println!(
            "| {file} (negatives) | {} | false positives: {fp} ({:.3}%) | e.g. {} |",
            neg.len(),
            100.0 * fp as f64 / neg.len() as f64,
            examples.join("; ")
        );
    }
}

/// Korean/DPRK alias pairs mined from the lists themselves (the approach the screening notes
/// suggest, since no public Korean name-pair set exists): every pair of names of one DPRK person
/// is a positive; pairs of names of two different DPRK persons with the same family name are hard
/// negatives. Names are compared as persons; threshold as given.
fn dprk_alias_pairs(threshold: f64) {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sanctions");
    let mut people: Vec<(String, Vec<String>)> = Vec::new();
    for file in [
        "un/UN_consolidated_2026-02-27.xml",
        "ofac/sdn-advanced-xml-2025-11-19/sdn_advanced.xml.bz2",
    ] {
        let Ok(l) = lists::load_path(data.join(file)) else {
            println!("skipping DPRK alias pairs from {file}: not loadable");
            continue;
        };
        for e in l.entities {
            let dprk = e.list_ref.as_deref().is_some_and(|r| r.starts_with("KPi"))
                || e.programs.iter().any(|p| p.starts_with("DPRK"));
            if e.schema == Schema::Person && dprk {
                let mut names: Vec<String> = e.names.iter().map(|n| n.full.clone()).collect();
                names.dedup();
                people.push((e.source.clone(), names));
            }
        }
    }
    if people.is_empty() {
        return;
    }
    let prepared: Vec<Vec<PreparedName>> = people
        .iter()
        .map(|(_, ns)| {
            ns.iter()
                .map(|n| PreparedName::new(n, NameMode::Person))
                .collect()
        })
        .collect();
    let family = |p: &PreparedName| p.tokens.first().map(|t| t.text.clone()).unwrap_or_default();
    let mut pos = Counts::default();
    let mut neg = Counts::default();
    let mut pos_errors = Vec::new();
    let mut neg_errors = Vec::new();
    for (i, names) in prepared.iter().enumerate() {
        for a in 0..names.len() {
            for b in a + 1..names.len() {
                let s = compare(&names[a], &names[b], false).score;
                pos.add(true, s >= threshold);
                if s < threshold && s >= 0.5 && pos_errors.len() < 60 {
                    pos_errors.push(format!(
                        "{} / {} ({s:.2})",
                        names[a].original, names[b].original
                    ));
                }
            }
        }
        for (k, other) in prepared.iter().enumerate().skip(i + 1) {
            // Negatives only within one list: across lists the same person has two entities.
            if people[k].0 != people[i].0 {
                continue;
            }
            let (Some(x), Some(y)) = (names.first(), other.first()) else {
                continue;
            };
            if family(x) != family(y) {
                continue;
            }
            let s = compare(x, y, false).score;
            neg.add(false, s >= threshold);
            if s >= threshold && neg_errors.len() < 8 {
                neg_errors.push(format!("{} / {} ({s:.2})", x.original, y.original));
            }
        }
    }
    let mut all = pos;
    all.fp += neg.fp;
    all.tn += neg.tn;
    println!(
        "\n## DPRK alias pairs from the UN and OFAC lists ({} DPRK persons)\n",
        people.len()
    );
    println!("| set | pairs | precision | recall | F1 | TP | FP | FN | TN |\n|---|---|---|---|---|---|---|---|---|");
    println!(
        "{}",
        all.line("same person (positives) + same family name, other person (negatives)")
    );
    println!("\nmissed positives (first 8): {}", pos_errors.join("; "));
    println!("\nfalse positives (first 8): {}", neg_errors.join("; "));
}

/// The same UN positives and synthetic negatives against the full OFAC SDN + UN index: recall of
/// the listed UN person in the top 10 at the threshold, and the false-positive rate of negatives
/// (top-1 at or above the threshold).
fn full_lists(dir: &Path, threshold: f64) {
    let data = dir.join("..");
    let mut entities = Vec::new();
    for file in [
        "ofac/sdn-advanced-xml-2025-11-19/sdn_advanced.xml.bz2",
        "un/UN_consolidated_2026-02-27.xml",
    ] {
        match lists::load_path(data.join(file)) {
            Ok(l) => entities.extend(l.entities),
            Err(e) => {
                println!("skipping full-list evaluation: {file}: {e}");
                return;
            }
        }
    }
    let index = Index::from_entities(entities);
    let untreated = read_people(&dir.join("yente/positives_un_untreated.csv"));
    let treated = read_people(&dir.join("yente/positives_un_treated.csv"));
    println!(
        "\n## Against the full OFAC SDN + UN lists ({} entities, {} names)\n",
        index.entities().len(),
        index.name_count()
    );
    println!("| query set | queries | listed UN person in top 10 at ≥ threshold | false positives (top-1 ≥ threshold) |\n|---|---|---|---|");
    let fold = |s: &str| PreparedName::new(s, NameMode::Person).letters;
    for (label, set) in [
        ("UN untreated", &untreated),
        ("UN treated (typos, reshuffles)", &treated),
    ] {
        let mut found = 0;
        for (i, (name, _)) in set.iter().enumerate() {
            let Some((expected, _)) = untreated.get(i) else {
                continue;
            };
            let want = fold(expected);
            let hits = index.search(&Query::name(name), 10);
            let ok = hits.iter().filter(|h| h.score >= threshold).any(|h| {
                let e = &index.entities()[h.entity_index];
                e.source == "un" && e.names.iter().any(|n| fold(&n.full) == want)
            });
            found += usize::from(ok);
        }
        println!(
            "| {label} | {} | {found} ({:.1}%) | — |",
            set.len(),
            100.0 * found as f64 / set.len().max(1) as f64
        );
    }
    for file in ["negatives_global.csv", "negatives_us.csv"] {
        let neg = read_people(&dir.join("yente").join(file));
        let mut fp = 0;
        let mut examples = Vec::new();
        for (name, _) in &neg {
            if let Some(h) = index
                .search(&Query::name(name), 1)
                .first()
                .filter(|h| h.score >= threshold)
            {
                fp += 1;
                if examples.len() < 6 {
                    examples.push(format!(
                        "{name} → {} ({:.2})",
                        h.matched_name.as_deref().unwrap_or(""),
                        h.score
                    ));
                }
            }
        }
        println!(
            "| {file} | {} | — | {fp} ({:.3}%), e.g. {} |",
            neg.len(),
            100.0 * fp as f64 / neg.len().max(1) as f64,
            examples.join("; ")
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let threshold = args
        .iter()
        .position(|a| a == "--threshold")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.8);
    let verbose = args.iter().any(|a| a == "--verbose");
    let Some(dir) = shared() else {
        println!("../shared/data/sanctions/eval not found: nothing to evaluate");
        return;
    };
    name_bench(&dir, threshold, verbose);
    if args.iter().any(|a| a == "--names-only") {
        return;
    }
    ofac_parity(&dir, threshold);
    yente(&dir, threshold);
    dprk_alias_pairs(threshold);
    full_lists(&dir, threshold);
}
