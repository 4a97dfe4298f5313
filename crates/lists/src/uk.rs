//! UK OFSI Consolidated List CSV (`ConList.csv`): one row per name; rows sharing a `Group ID` are
//! one listed entity (the `Prime Alias` row gives the primary name, the others aliases).

use crate::countries;
use crate::error::{ListError, Position};
use crate::model::{Entity, IdKind, NameStrength, Schema};
use crate::text::{
    add_ids_from_text, imo_check_digit_ok, organization_schema, parse_date, squash_ws,
};
use crate::{Format, ParseOutput};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

const FORMAT: &str = "UK OFSI ConList CSV";

/// Parses ConList.csv (with or without the leading `Last Updated` line and blank first column).
pub(crate) fn parse<R: BufRead>(input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut out = ParseOutput::new(Format::UkConListCsv);
    let (counted, mut lines) = crate::csvpos::counting(input);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(counted);
    let mut header: Option<HashMap<String, usize>> = None;
    let mut groups: HashMap<String, usize> = HashMap::new();
    let mut raw = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let pos = e
                    .position()
                    .map(|p| Position::Line(lines.line_at(p.byte())))
                    .unwrap_or(Position::File);
                return Err(ListError::malformed(path, FORMAT, pos, e.to_string()));
            }
        }
        let line = raw.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
        // OFSI files have been published in Windows-1252: decode such rows as Latin-1.
        let rec = match csv::StringRecord::from_byte_record(raw.clone()) {
            Ok(r) => r,
            Err(_) => raw
                .iter()
                .map(|f| f.iter().map(|&b| b as char).collect::<String>())
                .collect::<csv::StringRecord>(),
        };
        let Some(cols) = header.as_ref() else {
            if rec.iter().any(|f| f.trim() == "Name 6") {
                header = Some(
                    rec.iter()
                        .enumerate()
                        .map(|(i, f)| (f.trim().to_string(), i))
                        .collect(),
                );
            } else if !rec
                .iter()
                .next()
                .is_some_and(|f| f.trim().starts_with("Last Updated"))
            {
                return Err(ListError::malformed(
                    path,
                    FORMAT,
                    Position::Line(line),
                    "expected the header row (with `Name 6` and `Group ID`) before data",
                ));
            }
            continue;
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.summary.records += 1;
        // Some copies have a blank first header cell that the data rows lack: shift by one.
        let shift =
            usize::from(cols.get("").is_some_and(|&i| i == 0) && rec.len() + 1 == cols.len());
        let get = |name: &str| -> Option<String> {
            cols.get(name)
                .and_then(|&i| i.checked_sub(shift))
                .and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if rec.len() + shift < cols.len() {
            out.summary
                .skip("row with fewer fields than the header (truncated row)");
            continue;
        }
        let Some(group) = get("Group ID") else {
            out.summary.skip("row without Group ID");
            continue;
        };
        let group_type = get("Group Type").unwrap_or_default();
        let given: Vec<String> = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5"]
            .iter()
            .filter_map(|k| get(k))
            .collect();
        let surname = get("Name 6");
        let name = squash_ws(
            &given
                .iter()
                .cloned()
                .chain(surname)
                .collect::<Vec<_>>()
                .join(" "),
        );
        if name.is_empty() {
            out.summary.skip("row without a name");
            continue;
        }
        let alias_type = get("Alias Type").unwrap_or_default();
        let weak = get("Alias Quality").is_some_and(|q| q.eq_ignore_ascii_case("low"));
        let strength = if weak {
            NameStrength::Weak
        } else {
            NameStrength::Strong
        };
        let idx = match groups.get(&group) {
            Some(&i) => {
                out.summary.merged += 1;
                i
            }
            None => {
                let schema = match group_type.as_str() {
                    "Individual" => Schema::Person,
                    "Ship" => Schema::Vessel,
                    _ => Schema::Unknown,
                };
                let mut e = Entity::new(format!("uk:{group}"), "uk", schema);
                e.list_ref = Some(group.clone());
                out.push(e);
                let i = out.entities.len() - 1;
                groups.insert(group.clone(), i);
                i
            }
        };
        let e = &mut out.entities[idx];
        if alias_type.eq_ignore_ascii_case("Prime Alias") {
            e.names.retain(|n| n.full != name);
            e.names.insert(
                0,
                crate::model::Name {
                    full: name.clone(),
                    strength: NameStrength::Strong,
                },
            );
        } else {
            e.add_name(&name, strength);
        }
        if let Some(d) = get("DOB").and_then(|d| parse_date(&d)) {
            Entity::push_unique(&mut e.birth_dates, &d);
        }
        if let Some(nat) = get("Nationality") {
            for part in split_numbered(&nat) {
                if let Some(c) = countries::normalize(&part) {
                    Entity::push_unique(&mut e.countries, &c);
                }
            }
        }
        let addr: Vec<String> = [
            "Address 1",
            "Address 2",
            "Address 3",
            "Address 4",
            "Address 5",
            "Address 6",
            "Post/Zip Code",
            "Country",
        ]
        .iter()
        .filter_map(|k| get(k))
        .collect();
        if !addr.is_empty() {
            Entity::push_unique(&mut e.addresses, &addr.join(", "));
        }
        if let Some(c) = get("Country").and_then(|c| countries::normalize(&c)) {
            Entity::push_unique(&mut e.countries, &c);
        }
        if let Some(p) = get("Passport Details") {
            if let Some(n) = first_number_after(
                &p,
                &[
                    "Passport No:",
                    "Passport No.",
                    "Passport number",
                    "Passport",
                ],
            ) {
                e.add_identifier(IdKind::Passport, &n, None);
            }
        }
        if let Some(r) = get("Regime") {
            Entity::push_unique(&mut e.programs, &r);
        }
        if e.listed_on.is_none() {
            e.listed_on = get("Listed On").and_then(|d| parse_date(&d));
        }
        if let Some(info) = get("Other Information") {
            add_ids_from_text(e, &info);
            if let Some(un) = un_reference(&info) {
                e.add_identifier(IdKind::Other("UN reference".to_string()), &un, None);
            }
            if e.remarks.is_none() {
                e.remarks = Some(squash_ws(&info));
            }
        }
    }
    if header.is_none() {
        return Err(ListError::malformed(
            path,
            FORMAT,
            Position::File,
            "no header row found",
        ));
    }
    // Entities are typed once all their rows are in: UK lists ships as entities with an IMO.
    for e in &mut out.entities {
        if e.schema == Schema::Unknown {
            let imos: Vec<&str> = e.identifiers_of(&IdKind::Imo).collect();
            let name = e.primary_name().unwrap_or("");
            e.schema = if !imos.is_empty() && imos.iter().all(|i| imo_check_digit_ok(i)) {
                Schema::Vessel
            } else {
                organization_schema(name)
            };
        }
    }
    Ok(out)
}

/// "1) Saudi Arabia 2) Qatar" → ["Saudi Arabia", "Qatar"]; plain text → itself.
fn split_numbered(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && chars.get(i + 1) == Some(&')') {
            if !cur.trim().is_empty() {
                parts.push(cur.trim().to_string());
            }
            cur.clear();
            i += 2;
            continue;
        }
        cur.push(chars[i]);
        i += 1;
    }
    if !cur.trim().is_empty() {
        parts.push(cur.trim().to_string());
    }
    parts
}

fn first_number_after(text: &str, prefixes: &[&str]) -> Option<String> {
    for p in prefixes {
        if let Some(i) = text.find(p) {
            let rest = text[i + p.len()..].trim_start_matches([' ', ':', '.']);
            let tok: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if tok.chars().any(|c| c.is_ascii_digit()) {
                return Some(tok);
            }
        }
    }
    None
}

/// "UN Ref.KPI.067", "UN Ref QDe.004", "UN REF:QE.A.146.14" → the reference as written after "Ref".
fn un_reference(info: &str) -> Option<String> {
    let upper = info.to_ascii_uppercase(); // ASCII only: byte offsets must stay valid in `info`
    let i = upper.find("UN REF")?;
    let rest = info[i + 6..].trim_start_matches([' ', ':', '.']);
    let tok: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let tok = tok.trim_end_matches('.');
    (!tok.is_empty()).then(|| tok.to_string())
}
