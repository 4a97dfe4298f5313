//! UN Security Council Consolidated List XML (`CONSOLIDATED_LIST`, sc-sanctions.xsd).

use crate::countries;
use crate::error::ListError;
use crate::model::{Entity, IdKind, NameStrength, Schema};
use crate::text::{
    add_ids_from_text, id_kind_for_document, imo_check_digit_ok, organization_schema, parse_date,
    squash_ws,
};
use crate::xml::{attr, Ev, XmlStream};
use crate::{Format, ParseOutput};
use std::io::BufRead;
use std::path::Path;

const FORMAT: &str = "UN consolidated XML";

/// Sub-elements of a record that group several leaf values.
const BLOCKS: &[&str] = &[
    "NATIONALITY",
    "DESIGNATION",
    "TITLE",
    "LIST_TYPE",
    "LAST_DAY_UPDATED",
    "INDIVIDUAL_ALIAS",
    "ENTITY_ALIAS",
    "INDIVIDUAL_ADDRESS",
    "ENTITY_ADDRESS",
    "INDIVIDUAL_DATE_OF_BIRTH",
    "INDIVIDUAL_PLACE_OF_BIRTH",
    "INDIVIDUAL_DOCUMENT",
];

struct Record {
    is_person: bool,
    fields: Vec<(String, String)>,
    blocks: Vec<(String, Vec<(String, String)>)>,
}

/// Parses a UN consolidated list.
pub(crate) fn parse<R: BufRead>(input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut xml = XmlStream::new(input, path, FORMAT);
    let mut out = ParseOutput::new(Format::UnXml);
    let mut record: Option<Record> = None;
    let mut block: Option<(String, Vec<(String, String)>)> = None;
    let mut saw_root = false;
    loop {
        match xml.next()? {
            Ev::Start { name, attrs } => {
                let depth = xml.depth();
                if depth == 1 {
                    if name != "CONSOLIDATED_LIST" {
                        return Err(xml.error(format!(
                            "root element is <{name}>, expected <CONSOLIDATED_LIST>"
                        )));
                    }
                    saw_root = true;
                    out.list_date = attr(&attrs, "dateGenerated").and_then(parse_date);
                } else if depth == 3 && (name == "INDIVIDUAL" || name == "ENTITY") {
                    record = Some(Record {
                        is_person: name == "INDIVIDUAL",
                        fields: Vec::new(),
                        blocks: Vec::new(),
                    });
                } else if depth == 4 && record.is_some() && BLOCKS.contains(&name.as_str()) {
                    block = Some((name, Vec::new()));
                }
            }
            Ev::End { name, text } => {
                let depth = xml.depth() + 1; // depth of the element that just closed
                if depth == 3 && (name == "INDIVIDUAL" || name == "ENTITY") {
                    if let Some(r) = record.take() {
                        out.summary.records += 1;
                        match build(r) {
                            Ok(e) => out.push(e),
                            Err(reason) => out.summary.skip(reason),
                        }
                    }
                } else if depth == 4 {
                    if let Some(b) = block.take().filter(|b| b.0 == name) {
                        if let Some(r) = record.as_mut() {
                            r.blocks.push(b);
                        }
                    } else if let Some(r) = record.as_mut() {
                        r.fields.push((name, text));
                    }
                } else if depth == 5 {
                    if let Some(b) = block.as_mut() {
                        b.1.push((name, text));
                    }
                }
            }
            Ev::Eof => break,
        }
    }
    if !saw_root {
        return Err(xml.error("no <CONSOLIDATED_LIST> root"));
    }
    Ok(out)
}

fn field<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

fn build(r: Record) -> Result<Entity, String> {
    let name = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .filter_map(|k| field(&r.fields, k))
        .map(squash_ws)
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        return Err("record without a name".to_string());
    }
    let reference = field(&r.fields, "REFERENCE_NUMBER").map(str::to_string);
    let dataid = field(&r.fields, "DATAID");
    let id = match (&reference, dataid) {
        (Some(rf), _) => format!("un:{rf}"),
        (None, Some(d)) => format!("un:dataid-{d}"),
        (None, None) => return Err("record without REFERENCE_NUMBER or DATAID".to_string()),
    };
    let schema = if r.is_person {
        Schema::Person
    } else {
        organization_schema(&name)
    };
    let mut e = Entity::new(id, "un", schema);
    e.add_name(&name, NameStrength::Strong);
    if let Some(orig) = field(&r.fields, "NAME_ORIGINAL_SCRIPT") {
        e.add_name(&squash_ws(orig), NameStrength::Strong);
    }
    e.list_ref = reference;
    e.listed_on = field(&r.fields, "LISTED_ON").and_then(parse_date);
    if let Some(p) = field(&r.fields, "UN_LIST_TYPE") {
        Entity::push_unique(&mut e.programs, p);
    }
    let comments = field(&r.fields, "COMMENTS1").map(squash_ws);
    if let Some(c) = &comments {
        add_ids_from_text(&mut e, c);
    }
    e.remarks = comments;

    for (bname, vals) in &r.blocks {
        let get = |k: &str| field(vals, k);
        match bname.as_str() {
            "NATIONALITY" => {
                for (_, v) in vals.iter().filter(|(k, _)| k == "VALUE") {
                    if let Some(c) = countries::normalize(v) {
                        Entity::push_unique(&mut e.countries, &c);
                    }
                }
            }
            "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => {
                if let Some(alias) = get("ALIAS_NAME") {
                    let quality = get("QUALITY").unwrap_or("").to_ascii_lowercase();
                    let strength = if quality == "low" {
                        NameStrength::Weak
                    } else {
                        NameStrength::Strong
                    };
                    e.add_name(&squash_ws(alias.trim_matches('"')), strength);
                }
            }
            "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS" => {
                let parts: Vec<String> =
                    ["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"]
                        .iter()
                        .filter_map(|k| get(k))
                        .map(squash_ws)
                        .collect();
                if !parts.is_empty() {
                    let line = parts.join(", ");
                    Entity::push_unique(&mut e.addresses, &line);
                }
                if let Some(c) = get("COUNTRY").and_then(countries::normalize) {
                    Entity::push_unique(&mut e.countries, &c);
                }
            }
            "INDIVIDUAL_DATE_OF_BIRTH" => {
                if let Some(d) = get("DATE").and_then(parse_date) {
                    Entity::push_unique(&mut e.birth_dates, &d);
                } else if let Some(y) = get("YEAR").and_then(parse_date) {
                    Entity::push_unique(&mut e.birth_dates, &y);
                } else if let (Some(from), Some(to)) = (
                    get("FROM_YEAR").and_then(|y| y.parse::<u32>().ok()),
                    get("TO_YEAR").and_then(|y| y.parse::<u32>().ok()),
                ) {
                    if from <= to && to - from <= 20 {
                        for y in from..=to {
                            Entity::push_unique(&mut e.birth_dates, &y.to_string());
                        }
                    }
                }
            }
            "INDIVIDUAL_DOCUMENT" => {
                if let Some(number) = get("NUMBER") {
                    let doc_type = get("TYPE_OF_DOCUMENT")
                        .or(get("TYPE_OF_DOCUMENT2"))
                        .unwrap_or("document");
                    let country = get("ISSUING_COUNTRY")
                        .or(get("COUNTRY_OF_ISSUE"))
                        .and_then(countries::normalize);
                    e.add_identifier(id_kind_for_document(doc_type), number, country);
                }
            }
            _ => {}
        }
    }
    // The UN list has no vessel records, but DPRK shipping companies carry their IMO *company*
    // numbers in the comments. Company numbers do not follow the ship check digit, so an entity
    // becomes a vessel only if every IMO number is a valid ship number and the name reads as no company.
    let imos: Vec<&str> = e.identifiers_of(&IdKind::Imo).collect();
    if e.schema != Schema::Person
        && !imos.is_empty()
        && imos.iter().all(|i| imo_check_digit_ok(i))
        && organization_schema(&name) != Schema::Company
    {
        e.schema = Schema::Vessel;
    }
    Ok(e)
}
