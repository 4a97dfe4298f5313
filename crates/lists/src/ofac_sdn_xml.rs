//! OFAC legacy `sdn.xml` (`sdnList` / `sdnEntry`), in both namespaces it has been published in
//! (`http://tempuri.org/sdnList.xsd` and the current `…/exports/XML`); elements are matched by
//! local name, so the namespace does not matter.

use crate::countries;
use crate::error::ListError;
use crate::model::{Entity, IdKind, NameStrength, Schema};
use crate::text::{
    add_ids_from_text, id_kind_for_document, organization_schema, parse_date, squash_ws,
};
use crate::xml::{Ev, XmlStream};
use crate::{Format, ParseOutput};
use std::io::BufRead;
use std::path::Path;

const FORMAT: &str = "OFAC sdn.xml";

#[derive(Default)]
struct Entry {
    fields: Vec<(String, String)>,
    /// (item element, its fields), e.g. ("aka", [("category","weak"),("lastName","KOMID")])
    items: Vec<(String, Vec<(String, String)>)>,
}

/// Parses an OFAC `sdn.xml`.
pub(crate) fn parse<R: BufRead>(input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut xml = XmlStream::new(input, path, FORMAT);
    let mut out = ParseOutput::new(Format::OfacSdnXml);
    let mut entry: Option<Entry> = None;
    let mut item: Option<(String, Vec<(String, String)>)> = None;
    let mut in_publish = false;
    let mut saw_root = false;
    loop {
        match xml.next()? {
            Ev::Start { name, .. } => match (xml.depth(), name.as_str()) {
                (1, "sdnList") => saw_root = true,
                (1, other) => {
                    return Err(xml.error(format!("root element is <{other}>, expected <sdnList>")))
                }
                (2, "sdnEntry") => entry = Some(Entry::default()),
                (2, "publshInformation") => in_publish = true,
                // List items (depth 4 under a *List) and vesselInfo (depth 3) group fields.
                (4, _) if entry.is_some() && item.is_none() => item = Some((name, Vec::new())),
                (3, "vesselInfo") if entry.is_some() => item = Some((name, Vec::new())),
                _ => {}
            },
            Ev::End { name, text } => {
                let depth = xml.depth() + 1;
                match depth {
                    2 if name == "sdnEntry" => {
                        if let Some(e) = entry.take() {
                            out.summary.records += 1;
                            match build(e) {
                                Ok(ent) => out.push(ent),
                                Err(reason) => out.summary.skip(reason),
                            }
                        }
                    }
                    2 => in_publish = false,
                    3 if in_publish && name == "Publish_Date" => out.list_date = us_date(&text),
                    3 if name == "vesselInfo" => {
                        if let (Some(e), Some(i)) = (entry.as_mut(), item.take()) {
                            e.items.push(i);
                        }
                    }
                    3 => {
                        if let Some(e) = entry.as_mut() {
                            if !name.ends_with("List") {
                                e.fields.push((name, text));
                            }
                        }
                    }
                    4 => {
                        if let Some((iname, fields)) = item.as_mut() {
                            if iname == "vesselInfo" {
                                fields.push((name, text));
                            } else if let (Some(e), Some(mut i)) = (entry.as_mut(), item.take()) {
                                // A leaf item such as <program>DPRK</program> keeps its own text.
                                if i.1.is_empty() && !text.trim().is_empty() {
                                    i.1.push((name, text));
                                }
                                e.items.push(i);
                            }
                        }
                    }
                    5 => {
                        if let Some((_, fields)) = item.as_mut() {
                            fields.push((name, text));
                        }
                    }
                    _ => {}
                }
            }
            Ev::Eof => break,
        }
    }
    if !saw_root {
        return Err(xml.error("no <sdnList> root"));
    }
    Ok(out)
}

/// `MM/DD/YYYY` (the publish date's US order) → `YYYY-MM-DD`.
fn us_date(s: &str) -> Option<String> {
    let p: Vec<&str> = s.trim().split('/').collect();
    match p.as_slice() {
        [m, d, y] => parse_date(&format!("{y}-{m}-{d}")),
        _ => parse_date(s),
    }
}

fn get<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

/// `LAST, First` as OFAC writes persons; just `LAST` for entities and vessels.
fn full_name(fields: &[(String, String)]) -> String {
    match (get(fields, "lastName"), get(fields, "firstName")) {
        (Some(l), Some(f)) => squash_ws(&format!("{l}, {f}")),
        (Some(l), None) => squash_ws(l),
        (None, Some(f)) => squash_ws(f),
        (None, None) => String::new(),
    }
}

fn build(en: Entry) -> Result<Entity, String> {
    let Some(uid) = get(&en.fields, "uid") else {
        return Err("sdnEntry without uid".to_string());
    };
    let name = full_name(&en.fields);
    if name.is_empty() {
        return Err("sdnEntry without a name".to_string());
    }
    let schema = match get(&en.fields, "sdnType").unwrap_or("") {
        "Individual" => Schema::Person,
        "Vessel" => Schema::Vessel,
        "Aircraft" => Schema::Aircraft,
        _ => organization_schema(&name),
    };
    let mut e = Entity::new(format!("ofac:{uid}"), "ofac", schema);
    e.list_ref = Some(uid.to_string());
    e.add_name(&name, NameStrength::Strong);
    if let Some(r) = get(&en.fields, "remarks") {
        add_ids_from_text(&mut e, r);
        e.remarks = Some(squash_ws(r));
    }
    for (kind, f) in &en.items {
        match kind.as_str() {
            "program" => {}
            "aka" => {
                let strength = if get(f, "category") == Some("weak") {
                    NameStrength::Weak
                } else {
                    NameStrength::Strong
                };
                e.add_name(&full_name(f), strength);
            }
            "id" => {
                let (Some(t), Some(n)) = (get(f, "idType"), get(f, "idNumber")) else {
                    continue;
                };
                let country = get(f, "idCountry").and_then(countries::normalize);
                if let Some(cur) = t.strip_prefix("Digital Currency Address - ") {
                    e.add_identifier(IdKind::CryptoAddress(cur.trim().to_string()), n, None);
                } else {
                    let kind = id_kind_for_document(t);
                    let n = if kind == IdKind::Imo {
                        n.trim_start_matches("IMO").trim()
                    } else {
                        n
                    };
                    e.add_identifier(kind, n, country);
                }
            }
            "address" => {
                let parts: Vec<String> = [
                    "address1",
                    "address2",
                    "address3",
                    "city",
                    "stateOrProvince",
                    "postalCode",
                    "country",
                ]
                .iter()
                .filter_map(|k| get(f, k))
                .map(squash_ws)
                .collect();
                if !parts.is_empty() {
                    Entity::push_unique(&mut e.addresses, &parts.join(", "));
                }
                if let Some(c) = get(f, "country").and_then(countries::normalize) {
                    Entity::push_unique(&mut e.countries, &c);
                }
            }
            "nationality" | "citizenship" => {
                if let Some(c) = get(f, "country").and_then(countries::normalize) {
                    Entity::push_unique(&mut e.countries, &c);
                }
            }
            "dateOfBirthItem" => {
                if let Some(d) = get(f, "dateOfBirth") {
                    match d.split_once(" to ") {
                        Some((a, b)) => {
                            for x in [a, b].iter().filter_map(|x| parse_date(x)) {
                                Entity::push_unique(&mut e.birth_dates, &x);
                            }
                        }
                        None => {
                            if let Some(x) = parse_date(d) {
                                Entity::push_unique(&mut e.birth_dates, &x);
                            }
                        }
                    }
                }
            }
            "vesselInfo" => {
                if let Some(cs) = get(f, "callSign") {
                    e.add_identifier(IdKind::CallSign, cs, None);
                }
                e.flag = get(f, "vesselFlag").and_then(countries::normalize);
            }
            _ => {}
        }
    }
    // Programs are the text of <program> items directly inside <programList>.
    for (kind, f) in &en.items {
        if kind == "program" {
            if let Some((_, p)) = f.first() {
                Entity::push_unique(&mut e.programs, p);
            }
        }
    }
    Ok(e)
}
