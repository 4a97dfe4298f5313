//! OFAC SDN Advanced XML (`sdn_advanced.xml`, `ADVANCED_XML` namespace, Version 3).
//!
//! The file is ID-indirected: reference tables, then `Locations` and `IDRegDocuments`, then
//! `DistinctParties`, `ProfileRelationships` and `SanctionsEntries`. It is read in one streaming
//! pass. Kept in memory besides the output entities: the reference tables (a few hundred values),
//! one compact line per location, one compact record per ID document, and the relationship and
//! sanctions-entry links; parties are built one at a time and never held as a tree. References
//! are resolved after the pass, so the section order does not matter.

use crate::countries;
use crate::error::ListError;
use crate::model::{Entity, IdKind, NameStrength, Relation, Schema};
use crate::text::{id_kind_for_document, organization_schema, squash_ws};
use crate::xml::{attr, Ev, XmlStream};
use crate::{Format, ParseOutput};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

const FORMAT: &str = "OFAC SDN Advanced XML";

/// A reference value: text and attributes.
#[derive(Default)]
struct RefVal {
    text: String,
    attrs: Vec<(String, String)>,
}

#[derive(Default)]
struct Refs {
    /// table element name (e.g. `FeatureType`) → ID → value
    tables: HashMap<String, HashMap<String, RefVal>>,
}

impl Refs {
    fn text(&self, table: &str, id: &str) -> Option<&str> {
        self.tables
            .get(table)
            .and_then(|t| t.get(id))
            .map(|v| v.text.as_str())
    }
    fn attr(&self, table: &str, id: &str, key: &str) -> Option<&str> {
        self.tables
            .get(table)
            .and_then(|t| t.get(id))
            .and_then(|v| attr(&v.attrs, key))
    }
    fn country_iso(&self, country_id: &str) -> Option<String> {
        if let Some(iso) = self.attr("Country", country_id, "ISO2") {
            return Some(iso.to_string());
        }
        self.text("Country", country_id)
            .and_then(countries::normalize)
    }
}

/// A location reduced to an address line and a country.
#[derive(Default)]
struct Loc {
    parts: Vec<(String, String)>,
    country_id: Option<String>,
    area_id: Option<String>,
}

struct Doc {
    type_id: String,
    number: String,
    country_id: Option<String>,
}

#[derive(Default, Clone, Copy)]
struct Ymd {
    y: u32,
    m: u32,
    d: u32,
}

#[derive(Default)]
struct FeatureVersion {
    reliability: String,
    detail: String,
    detail_ref: Option<String>,
    location: Option<String>,
    /// [start.from, start.to, end.from, end.to]
    dates: [Ymd; 4],
    has_date: bool,
}

#[derive(Default)]
struct Feature {
    type_id: String,
    versions: Vec<FeatureVersion>,
}

#[derive(Default)]
struct Alias {
    alias_type: String,
    primary: bool,
    low_quality: bool,
    /// Each documented name: parts as (NamePartGroupID, ScriptID, value).
    names: Vec<Vec<(String, String, String)>>,
}

#[derive(Default)]
struct Party {
    fixed_ref: String,
    profile_ids: Vec<String>,
    sub_type: String,
    identity_ids: Vec<String>,
    false_identity: bool,
    aliases: Vec<Alias>,
    groups: HashMap<String, String>,
    features: Vec<Feature>,
    comment: String,
}

enum LocUse {
    Address,
    Country,
}

struct Entry {
    profile_id: String,
    programs: Vec<String>,
    listed: Option<Ymd>,
}

/// Where inside a date we are.
#[derive(Default)]
struct DateCursor {
    slot: usize,
}

/// Parses an OFAC SDN Advanced XML file.
pub(crate) fn parse<R: BufRead>(input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut xml = XmlStream::new(input, path, FORMAT);
    let mut out = ParseOutput::new(Format::OfacAdvancedXml);
    let mut refs = Refs::default();
    let mut locations: HashMap<String, Loc> = HashMap::new();
    let mut docs: Vec<(String, Doc)> = Vec::new(); // (IdentityID, doc)
    let mut relations: Vec<(String, String, String)> = Vec::new(); // from, to, type id
    let mut entries: Vec<Entry> = Vec::new();
    let mut identity_to_entity: HashMap<String, usize> = HashMap::new();
    let mut profile_to_entity: HashMap<String, usize> = HashMap::new();
    let mut loc_refs: Vec<(usize, String, LocUse)> = Vec::new();

    let mut section = String::new();
    let mut issue = Ymd::default();
    let mut ref_attrs: Vec<(String, String)> = Vec::new();
    let mut loc: Option<(String, Loc)> = None;
    let mut loc_part_type = String::new();
    let mut doc: Option<(String, Doc)> = None;
    let mut party: Option<Party> = None;
    let mut alias: Option<Alias> = None;
    let mut docname: Option<Vec<(String, String, String)>> = None;
    let mut part_attrs: (String, String) = (String::new(), String::new());
    let mut feature: Option<Feature> = None;
    let mut version: Option<FeatureVersion> = None;
    let mut date = DateCursor::default();
    let mut entry: Option<Entry> = None;
    let mut measure_is_program = false;
    let mut event_date: Option<Ymd> = None;
    let mut saw_root = false;

    loop {
        match xml.next()? {
            Ev::Start { name, attrs } => {
                let depth = xml.depth();
                if depth == 1 {
                    if name != "Sanctions" {
                        return Err(
                            xml.error(format!("root element is <{name}>, expected <Sanctions>"))
                        );
                    }
                    saw_root = true;
                    continue;
                }
                if depth == 2 {
                    section = name;
                    continue;
                }
                match section.as_str() {
                    "ReferenceValueSets" if depth == 4 => ref_attrs = attrs,
                    "Locations" => match (depth, name.as_str()) {
                        (3, "Location") => {
                            let id = attr(&attrs, "ID").unwrap_or_default().to_string();
                            loc = Some((id, Loc::default()));
                        }
                        (4, "LocationCountry") => {
                            if let Some((_, l)) = loc.as_mut() {
                                l.country_id = attr(&attrs, "CountryID").map(str::to_string);
                            }
                        }
                        (4, "LocationAreaCode") => {
                            if let Some((_, l)) = loc.as_mut() {
                                l.area_id = attr(&attrs, "AreaCodeID").map(str::to_string);
                            }
                        }
                        (4, "LocationPart") => {
                            loc_part_type = attr(&attrs, "LocPartTypeID")
                                .unwrap_or_default()
                                .to_string();
                        }
                        _ => {}
                    },
                    "IDRegDocuments" if depth == 3 && name == "IDRegDocument" => {
                        let identity = attr(&attrs, "IdentityID").unwrap_or_default().to_string();
                        doc = Some((
                            identity,
                            Doc {
                                type_id: attr(&attrs, "IDRegDocTypeID")
                                    .unwrap_or_default()
                                    .to_string(),
                                number: String::new(),
                                country_id: attr(&attrs, "IssuedBy-CountryID").map(str::to_string),
                            },
                        ));
                    }
                    "DistinctParties" => match (depth, name.as_str()) {
                        (3, "DistinctParty") => {
                            party = Some(Party {
                                fixed_ref: attr(&attrs, "FixedRef").unwrap_or_default().to_string(),
                                ..Party::default()
                            });
                        }
                        (4, "Profile") => {
                            if let Some(p) = party.as_mut() {
                                if let Some(id) = attr(&attrs, "ID") {
                                    p.profile_ids.push(id.to_string());
                                }
                                p.sub_type = attr(&attrs, "PartySubTypeID")
                                    .unwrap_or_default()
                                    .to_string();
                            }
                        }
                        (5, "Identity") => {
                            if let Some(p) = party.as_mut() {
                                if let Some(id) = attr(&attrs, "ID") {
                                    p.identity_ids.push(id.to_string());
                                }
                                if attr(&attrs, "False") == Some("true") {
                                    p.false_identity = true;
                                }
                            }
                        }
                        (6, "Alias") => {
                            alias = Some(Alias {
                                alias_type: attr(&attrs, "AliasTypeID")
                                    .unwrap_or_default()
                                    .to_string(),
                                primary: attr(&attrs, "Primary") == Some("true"),
                                low_quality: attr(&attrs, "LowQuality") == Some("true"),
                                names: Vec::new(),
                            });
                        }
                        (7, "DocumentedName") => docname = Some(Vec::new()),
                        (9, "NamePartValue") => {
                            part_attrs = (
                                attr(&attrs, "NamePartGroupID")
                                    .unwrap_or_default()
                                    .to_string(),
                                attr(&attrs, "ScriptID").unwrap_or_default().to_string(),
                            );
                        }
                        (8, "NamePartGroup") => {
                            if let (Some(p), Some(id), Some(t)) = (
                                party.as_mut(),
                                attr(&attrs, "ID"),
                                attr(&attrs, "NamePartTypeID"),
                            ) {
                                p.groups.insert(id.to_string(), t.to_string());
                            }
                        }
                        (5, "Feature") => {
                            feature = Some(Feature {
                                type_id: attr(&attrs, "FeatureTypeID")
                                    .unwrap_or_default()
                                    .to_string(),
                                versions: Vec::new(),
                            });
                        }
                        (6, "FeatureVersion") => {
                            version = Some(FeatureVersion {
                                reliability: attr(&attrs, "ReliabilityID")
                                    .unwrap_or_default()
                                    .to_string(),
                                ..FeatureVersion::default()
                            });
                        }
                        (7, "VersionDetail") => {
                            if let Some(v) = version.as_mut() {
                                v.detail_ref =
                                    attr(&attrs, "DetailReferenceID").map(str::to_string);
                            }
                        }
                        (7, "VersionLocation") => {
                            if let Some(v) = version.as_mut() {
                                v.location = attr(&attrs, "LocationID").map(str::to_string);
                            }
                        }
                        (7, "DatePeriod") => {
                            if let Some(v) = version.as_mut() {
                                v.has_date = true;
                            }
                        }
                        (8, "Start") => date.slot = 0,
                        (8, "End") => date.slot = 2,
                        (9, "From") => date.slot &= !1,
                        (9, "To") => date.slot |= 1,
                        _ => {}
                    },
                    "ProfileRelationships" if depth == 3 => {
                        if let (Some(from), Some(to)) =
                            (attr(&attrs, "From-ProfileID"), attr(&attrs, "To-ProfileID"))
                        {
                            relations.push((
                                from.to_string(),
                                to.to_string(),
                                attr(&attrs, "RelationTypeID")
                                    .unwrap_or_default()
                                    .to_string(),
                            ));
                        }
                    }
                    "SanctionsEntries" => match (depth, name.as_str()) {
                        (3, "SanctionsEntry") => {
                            entry = Some(Entry {
                                profile_id: attr(&attrs, "ProfileID")
                                    .unwrap_or_default()
                                    .to_string(),
                                programs: Vec::new(),
                                listed: None,
                            });
                        }
                        (4, "SanctionsMeasure") => {
                            let t = attr(&attrs, "SanctionsTypeID").unwrap_or_default();
                            measure_is_program = refs.text("SanctionsType", t) == Some("Program");
                        }
                        (5, "Date") => event_date = Some(Ymd::default()),
                        _ => {}
                    },
                    _ => {}
                }
            }
            Ev::End { name, text } => {
                let depth = xml.depth() + 1;
                if depth <= 2 {
                    if depth == 2 {
                        section.clear();
                    }
                    continue;
                }
                match section.as_str() {
                    "DateOfIssue" if depth == 3 => set_ymd(&mut issue, &name, &text),
                    "ReferenceValueSets" if depth == 4 => {
                        if let Some(id) = attr(&ref_attrs, "ID") {
                            refs.tables.entry(name).or_default().insert(
                                id.to_string(),
                                RefVal {
                                    text: text.trim().to_string(),
                                    attrs: std::mem::take(&mut ref_attrs),
                                },
                            );
                        }
                    }
                    "Locations" => match (depth, name.as_str()) {
                        (3, "Location") => {
                            if let Some((id, l)) = loc.take() {
                                locations.insert(id, l);
                            }
                        }
                        (6, "Value") => {
                            if let Some((_, l)) = loc.as_mut() {
                                let v = squash_ws(&text);
                                if !v.is_empty() {
                                    l.parts.push((loc_part_type.clone(), v));
                                }
                            }
                        }
                        _ => {}
                    },
                    "IDRegDocuments" => match (depth, name.as_str()) {
                        (3, "IDRegDocument") => {
                            if let Some(d) = doc.take() {
                                docs.push(d);
                            }
                        }
                        (4, "IDRegistrationNo") => {
                            if let Some((_, d)) = doc.as_mut() {
                                d.number = text.trim().to_string();
                            }
                        }
                        _ => {}
                    },
                    "DistinctParties" => match (depth, name.as_str()) {
                        (3, "DistinctParty") => {
                            if let Some(p) = party.take() {
                                out.summary.records += 1;
                                match build_party(&p, &refs) {
                                    Ok((e, uses)) => {
                                        let idx = out.entities.len();
                                        for id in &p.identity_ids {
                                            identity_to_entity.insert(id.clone(), idx);
                                        }
                                        for id in &p.profile_ids {
                                            profile_to_entity.insert(id.clone(), idx);
                                        }
                                        for (loc_id, u) in uses {
                                            loc_refs.push((idx, loc_id, u));
                                        }
                                        out.push(e);
                                    }
                                    Err(reason) => out.summary.skip(reason),
                                }
                            }
                        }
                        (4, "Comment") => {
                            if let Some(p) = party.as_mut() {
                                p.comment = squash_ws(&text);
                            }
                        }
                        (6, "Alias") => {
                            if let (Some(p), Some(a)) = (party.as_mut(), alias.take()) {
                                p.aliases.push(a);
                            }
                        }
                        (7, "DocumentedName") => {
                            if let (Some(a), Some(n)) = (alias.as_mut(), docname.take()) {
                                a.names.push(n);
                            }
                        }
                        (9, "NamePartValue") => {
                            if let Some(n) = docname.as_mut() {
                                n.push((
                                    std::mem::take(&mut part_attrs.0),
                                    std::mem::take(&mut part_attrs.1),
                                    squash_ws(&text),
                                ));
                            }
                        }
                        (5, "Feature") => {
                            if let (Some(p), Some(f)) = (party.as_mut(), feature.take()) {
                                p.features.push(f);
                            }
                        }
                        (6, "FeatureVersion") => {
                            if let (Some(f), Some(v)) = (feature.as_mut(), version.take()) {
                                f.versions.push(v);
                            }
                        }
                        (7, "VersionDetail") => {
                            if let Some(v) = version.as_mut() {
                                v.detail = squash_ws(&text);
                            }
                        }
                        (10, _) => {
                            if let Some(v) = version.as_mut() {
                                set_ymd(&mut v.dates[date.slot], &name, &text);
                            }
                        }
                        _ => {}
                    },
                    "SanctionsEntries" => match (depth, name.as_str()) {
                        (3, "SanctionsEntry") => {
                            if let Some(e) = entry.take() {
                                entries.push(e);
                            }
                        }
                        (5, "Comment") if measure_is_program => {
                            if let Some(e) = entry.as_mut() {
                                let p = text.trim();
                                if !p.is_empty() {
                                    e.programs.push(p.to_string());
                                }
                            }
                        }
                        (4, "SanctionsMeasure") => measure_is_program = false,
                        (6, _) => {
                            if let Some(d) = event_date.as_mut() {
                                set_ymd(d, &name, &text);
                            }
                        }
                        (5, "Date") => {
                            if let (Some(e), Some(d)) = (entry.as_mut(), event_date.take()) {
                                let earlier = match e.listed {
                                    Some(old) => (d.y, d.m, d.d) < (old.y, old.m, old.d),
                                    None => true,
                                };
                                if earlier && d.y > 0 {
                                    e.listed = Some(d);
                                }
                            }
                        }
                        _ => {}
                    },
                    _ => {}
                }
            }
            Ev::Eof => break,
        }
    }
    if !saw_root {
        return Err(xml.error("no <Sanctions> root"));
    }
    if issue.y > 0 {
        out.list_date = Some(fmt_ymd(issue));
    }

    // Resolve references now that every section has been read.
    for (idx, loc_id, use_) in loc_refs {
        let Some(l) = locations.get(&loc_id) else {
            continue;
        };
        let iso = l
            .country_id
            .as_deref()
            .and_then(|c| refs.country_iso(c))
            .or_else(|| {
                l.area_id
                    .as_deref()
                    .and_then(|a| refs.text("AreaCode", a).map(str::to_string))
            });
        let e = &mut out.entities[idx];
        if let Some(c) = &iso {
            Entity::push_unique(&mut e.countries, c);
        }
        if let LocUse::Address = use_ {
            let mut parts: Vec<(usize, &str)> = l
                .parts
                .iter()
                .map(|(t, v)| {
                    (
                        part_order(refs.text("LocPartType", t).unwrap_or("")),
                        v.as_str(),
                    )
                })
                .collect();
            parts.sort_by_key(|(o, _)| *o);
            let mut line: Vec<String> = parts.into_iter().map(|(_, v)| v.to_string()).collect();
            if let Some(cname) = l
                .country_id
                .as_deref()
                .and_then(|c| refs.text("Country", c))
            {
                line.push(cname.to_string());
            }
            if !line.is_empty() {
                Entity::push_unique(&mut e.addresses, &line.join(", "));
            }
        }
    }
    for (identity, d) in docs {
        let Some(&idx) = identity_to_entity.get(&identity) else {
            continue;
        };
        let type_name = refs.text("IDRegDocType", &d.type_id).unwrap_or("document");
        let kind = id_kind_for_document(type_name);
        let mut number = d.number.as_str();
        if kind == IdKind::Imo {
            number = number.trim_start_matches("IMO").trim();
        }
        let country = d.country_id.as_deref().and_then(|c| refs.country_iso(c));
        out.entities[idx].add_identifier(kind, number, country);
    }
    let fixed_of: HashMap<&String, String> = profile_to_entity
        .iter()
        .map(|(p, &idx)| (p, out.entities[idx].id.clone()))
        .collect();
    for (from, to, type_id) in &relations {
        if let (Some(&idx), Some(target)) = (profile_to_entity.get(from), fixed_of.get(to)) {
            let kind = refs
                .text("RelationType", type_id)
                .unwrap_or("related to")
                .to_string();
            let rel = Relation {
                kind,
                target: target.clone(),
            };
            if !out.entities[idx].relations.contains(&rel) {
                out.entities[idx].relations.push(rel);
            }
        }
    }
    let mut unmatched_entries = 0usize;
    for en in entries {
        let Some(&idx) = profile_to_entity.get(&en.profile_id) else {
            unmatched_entries += 1;
            continue;
        };
        let e = &mut out.entities[idx];
        for p in &en.programs {
            Entity::push_unique(&mut e.programs, p);
        }
        if let Some(d) = en.listed {
            let s = fmt_ymd(d);
            if e.listed_on.as_ref().is_none_or(|old| &s < old) {
                e.listed_on = Some(s);
            }
        }
    }
    if unmatched_entries > 0 {
        out.summary.notes.push(format!(
            "{unmatched_entries} sanctions entries name a profile that is not in the file"
        ));
    }
    Ok(out)
}

fn set_ymd(d: &mut Ymd, name: &str, text: &str) {
    let v: u32 = text.trim().parse().unwrap_or(0);
    match name {
        "Year" => d.y = v,
        "Month" => d.m = v,
        "Day" => d.d = v,
        _ => {}
    }
}

fn fmt_ymd(d: Ymd) -> String {
    match (d.m, d.d) {
        (0, _) => format!("{:04}", d.y),
        (m, 0) => format!("{:04}-{m:02}", d.y),
        (m, day) => format!("{:04}-{m:02}-{day:02}", d.y),
    }
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Dates a feature version states, as `YYYY[-MM[-DD]]`: an exact day, a whole month or year, or
/// for a range of years each year in it (at most 20).
fn version_dates(v: &FeatureVersion) -> Vec<String> {
    let [sf, st, ef, et] = v.dates;
    let from = sf;
    let to = if et.y > 0 {
        et
    } else if st.y > 0 {
        st
    } else {
        ef
    };
    if from.y == 0 {
        return Vec::new();
    }
    if to.y == 0 || (from.y, from.m, from.d) == (to.y, to.m, to.d) {
        return vec![fmt_ymd(from)];
    }
    if from.y == to.y && from.m == 1 && from.d == 1 && to.m == 12 && to.d == 31 {
        return vec![format!("{:04}", from.y)];
    }
    if from.y == to.y && from.m == to.m && from.d == 1 && to.d == days_in_month(to.y, to.m) {
        return vec![format!("{:04}-{:02}", from.y, from.m)];
    }
    if to.y >= from.y && to.y - from.y <= 20 {
        return (from.y..=to.y).map(|y| format!("{y:04}")).collect();
    }
    vec![fmt_ymd(from), fmt_ymd(to)]
}

fn part_order(loc_part_type: &str) -> usize {
    match loc_part_type {
        "ADDRESS1" => 0,
        "ADDRESS2" => 1,
        "ADDRESS3" => 2,
        "CITY" => 3,
        "STATE/PROVINCE" => 4,
        "POSTAL CODE" => 5,
        "REGION" => 6,
        _ => 7,
    }
}

type Built = (Entity, Vec<(String, LocUse)>);

fn build_party(p: &Party, refs: &Refs) -> Result<Built, String> {
    if p.fixed_ref.is_empty() {
        return Err("DistinctParty without FixedRef".to_string());
    }
    let sub = refs.text("PartySubType", &p.sub_type).unwrap_or("");
    let party_type = refs
        .attr("PartySubType", &p.sub_type, "PartyTypeID")
        .and_then(|t| refs.text("PartyType", t))
        .unwrap_or("");
    let mut schema = match (sub, party_type) {
        ("Vessel", _) => Schema::Vessel,
        ("Aircraft", _) => Schema::Aircraft,
        (_, "Individual") => Schema::Person,
        (_, "Entity") | (_, "Other Entity") => Schema::Organization,
        (_, "Location") => {
            return Err("party of type Location (not a sanctions target)".to_string())
        }
        _ => Schema::Unknown,
    };

    // Names: the primary alias first, then the rest in file order.
    let mut names: Vec<(bool, NameStrength, String)> = Vec::new();
    for a in &p.aliases {
        let strength = if a.low_quality {
            NameStrength::Weak
        } else {
            NameStrength::Strong
        };
        let _ = &a.alias_type;
        for parts in &a.names {
            let full = assemble_name(parts, &p.groups, refs);
            if !full.is_empty() {
                names.push((a.primary, strength, full));
            }
        }
    }
    names.sort_by_key(|(primary, _, _)| !*primary);
    if names.is_empty() {
        return Err("party without any name".to_string());
    }
    if schema == Schema::Organization {
        schema = organization_schema(&names[0].2);
    }
    let mut e = Entity::new(format!("ofac:{}", p.fixed_ref), "ofac", schema);
    e.list_ref = Some(p.fixed_ref.clone());
    for (_, s, n) in &names {
        e.add_name(n, *s);
    }
    if !p.comment.is_empty() {
        e.remarks = Some(p.comment.clone());
    }

    let mut uses = Vec::new();
    for f in &p.features {
        let ftype = refs.text("FeatureType", &f.type_id).unwrap_or("");
        for v in &f.versions {
            if refs.text("Reliability", &v.reliability) == Some("False") {
                continue;
            }
            let value = if v.detail.is_empty() {
                v.detail_ref
                    .as_deref()
                    .and_then(|r| refs.text("DetailReference", r))
                    .unwrap_or("")
                    .to_string()
            } else {
                v.detail.clone()
            };
            if let Some(cur) = ftype.strip_prefix("Digital Currency Address - ") {
                e.add_identifier(IdKind::CryptoAddress(cur.trim().to_string()), &value, None);
                continue;
            }
            match ftype {
                "Vessel Call Sign" | "Other Vessel Call Sign" => {
                    e.add_identifier(IdKind::CallSign, &value, None)
                }
                "Vessel Flag" if e.flag.is_none() => {
                    e.flag = countries::normalize(&value);
                }
                "Birthdate" | "Organization Established Date" | "Aircraft Manufacture Date"
                    if v.has_date =>
                {
                    for d in version_dates(v) {
                        Entity::push_unique(&mut e.birth_dates, &d);
                    }
                }
                "Nationality Country"
                | "Citizenship Country"
                | "Nationality of Registration"
                | "Registration Country" => {
                    if let Some(l) = &v.location {
                        uses.push((l.clone(), LocUse::Country));
                    } else if let Some(c) = countries::normalize(&value) {
                        Entity::push_unique(&mut e.countries, &c);
                    }
                }
                "Location" => {
                    if let Some(l) = &v.location {
                        uses.push((l.clone(), LocUse::Address));
                    }
                }
                "Aircraft Tail Number" | "Previous Aircraft Tail Number" => {
                    e.add_identifier(IdKind::Registration, &value, None)
                }
                "SWIFT/BIC"
                | "Email Address"
                | "Website"
                | "Phone Number"
                | "Aircraft Manufacturer's Serial Number (MSN)"
                | "Aircraft Mode S Transponder Code"
                | "D-U-N-S Number"
                | "ISIN"
                | "UN/LOCODE" => e.add_identifier(IdKind::Other(ftype.to_string()), &value, None),
                _ => {}
            }
        }
    }
    if p.false_identity {
        e.remarks
            .get_or_insert_with(String::new)
            .push_str(" [OFAC marks an identity of this party as false]");
    }
    Ok((e, uses))
}

/// Joins the parts of one documented name: Latin-script persons as `LAST, First Middle` (OFAC's
/// own order in its CSV and search), Hangul/Chinese/Japanese as family name then given name with
/// no space, everything else in document order.
fn assemble_name(
    parts: &[(String, String, String)],
    groups: &HashMap<String, String>,
    refs: &Refs,
) -> String {
    let type_of = |g: &str| {
        groups
            .get(g)
            .and_then(|t| refs.text("NamePartType", t))
            .unwrap_or("")
    };
    let latin = parts
        .iter()
        .all(|(_, script, _)| refs.text("Script", script).is_none_or(|s| s == "Latin"));
    let last: Vec<&str> = parts
        .iter()
        .filter(|(g, _, _)| type_of(g) == "Last Name")
        .map(|(_, _, v)| v.as_str())
        .collect();
    let rest: Vec<&str> = parts
        .iter()
        .filter(|(g, _, _)| type_of(g) != "Last Name")
        .map(|(_, _, v)| v.as_str())
        .filter(|v| !v.is_empty())
        .collect();
    let cjk = parts.iter().all(|(_, script, _)| {
        refs.text("Script", script).is_some_and(|s| {
            matches!(
                s,
                "Hangul" | "Korean" | "Chinese Simplified" | "Chinese Traditional" | "Japanese"
            )
        })
    });
    if latin && !last.is_empty() && !rest.is_empty() {
        format!("{}, {}", last.join(" "), rest.join(" "))
    } else if cjk {
        // Korean, Chinese and Japanese names are written family name first, without spaces (정성화).
        last.iter().chain(rest.iter()).copied().collect::<String>()
    } else {
        parts
            .iter()
            .map(|(_, _, v)| v.as_str())
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}
