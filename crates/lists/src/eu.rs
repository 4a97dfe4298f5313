//! EU sanctions: the Financial Sanctions Files XML 1.1 (`export` / `sanctionEntity`, namespace
//! `http://eu.europa.ec/fpi/fsd/export`) and OpenSanctions' structured CSV of a regulation's
//! annexes (`celex,recordId,programKey,annex,...`), which is where EU DPRK vessels are.

use crate::countries;
use crate::error::{ListError, Position};
use crate::model::{Entity, IdKind, NameStrength, Schema};
use crate::text::{id_kind_for_document, organization_schema, parse_date, squash_ws};
use crate::xml::{attr, Ev, XmlStream};
use crate::{Format, ParseOutput};
use std::io::BufRead;
use std::path::Path;

const FSF: &str = "EU FSF XML";
const JOURNAL: &str = "EU journal CSV";

#[derive(Default)]
struct Pending {
    attrs: Vec<(String, String)>,
    children: Vec<(String, Vec<(String, String)>)>,
    remarks: Vec<String>,
}

/// Parses an EU FSF XML export.
pub(crate) fn parse_fsf<R: BufRead>(input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut xml = XmlStream::new(input, path, FSF);
    let mut out = ParseOutput::new(Format::EuFsfXml);
    let mut pending: Option<Pending> = None;
    let mut saw_root = false;
    loop {
        match xml.next()? {
            Ev::Start { name, attrs } => match (xml.depth(), name.as_str()) {
                (1, "export") => {
                    saw_root = true;
                    out.list_date = attr(&attrs, "generationDate").and_then(parse_date);
                }
                (1, other) => {
                    return Err(xml.error(format!("root element is <{other}>, expected <export>")))
                }
                (2, "sanctionEntity") => {
                    pending = Some(Pending {
                        attrs,
                        ..Pending::default()
                    })
                }
                (3, _) => {
                    if let Some(p) = pending.as_mut() {
                        p.children.push((name, attrs));
                    }
                }
                _ => {}
            },
            Ev::End { name, text } => {
                let depth = xml.depth() + 1;
                if depth == 2 && name == "sanctionEntity" {
                    if let Some(p) = pending.take() {
                        out.summary.records += 1;
                        match build_fsf(p) {
                            Ok(e) => out.push(e),
                            Err(reason) => out.summary.skip(reason),
                        }
                    }
                } else if depth == 3 && name == "remark" {
                    if let Some(p) = pending.as_mut() {
                        let t = squash_ws(&text);
                        if !t.is_empty() {
                            p.remarks.push(t);
                        }
                    }
                }
            }
            Ev::Eof => break,
        }
    }
    if !saw_root {
        return Err(xml.error("no <export> root"));
    }
    Ok(out)
}

fn build_fsf(p: Pending) -> Result<Entity, String> {
    let logical = attr(&p.attrs, "logicalId").map(str::to_string);
    let eu_ref = attr(&p.attrs, "euReferenceNumber").map(str::to_string);
    let id = match (&eu_ref, &logical) {
        (Some(r), _) => format!("eu:{r}"),
        (None, Some(l)) => format!("eu:logical-{l}"),
        (None, None) => {
            return Err("sanctionEntity without euReferenceNumber or logicalId".to_string())
        }
    };
    fn children<'a>(
        p: &'a Pending,
        n: &'a str,
    ) -> impl Iterator<Item = &'a Vec<(String, String)>> + 'a {
        p.children
            .iter()
            .filter(move |(c, _)| c == n)
            .map(|(_, a)| a)
    }
    let child = |n: &'static str| children(&p, n);
    let is_person = child("subjectType").next().is_some_and(|a| {
        attr(a, "classificationCode") == Some("P") || attr(a, "code") == Some("person")
    });
    let mut names: Vec<(String, NameStrength)> = Vec::new();
    for a in child("nameAlias") {
        let whole = attr(a, "wholeName")
            .map(squash_ws)
            .filter(|s| !s.is_empty())
            .or_else(|| {
                let parts: Vec<&str> = ["firstName", "middleName", "lastName"]
                    .iter()
                    .filter_map(|k| attr(a, k))
                    .filter(|s| !s.trim().is_empty())
                    .collect();
                (!parts.is_empty()).then(|| squash_ws(&parts.join(" ")))
            });
        if let Some(n) = whole {
            let strength = if attr(a, "strong") == Some("false") {
                NameStrength::Weak
            } else {
                NameStrength::Strong
            };
            names.push((n, strength));
        }
    }
    let Some(first) = names.first() else {
        return Err("sanctionEntity without a name".to_string());
    };
    let schema = if is_person {
        Schema::Person
    } else {
        organization_schema(&first.0)
    };
    let mut e = Entity::new(id, "eu", schema);
    for (n, s) in &names {
        e.add_name(n, *s);
    }
    e.list_ref = eu_ref;
    if let Some(un) = attr(&p.attrs, "unitedNationId").filter(|s| !s.is_empty()) {
        e.add_identifier(IdKind::Other("UN reference".to_string()), un, None);
    }
    e.listed_on = attr(&p.attrs, "designationDate").and_then(parse_date);
    if let Some(r) = child("regulation").next() {
        if let Some(prog) = attr(r, "programme") {
            Entity::push_unique(&mut e.programs, prog);
        }
        if e.listed_on.is_none() {
            e.listed_on = attr(r, "publicationDate").and_then(parse_date);
        }
    }
    for a in child("citizenship") {
        if let Some(c) = attr(a, "countryIso2Code")
            .filter(|c| *c != "00")
            .and_then(countries::normalize)
            .or_else(|| attr(a, "countryDescription").and_then(countries::normalize))
        {
            Entity::push_unique(&mut e.countries, &c);
        }
    }
    for a in child("birthdate") {
        if let Some(d) = attr(a, "birthdate").and_then(parse_date) {
            Entity::push_unique(&mut e.birth_dates, &d);
        } else if let Some(y) = attr(a, "year").and_then(parse_date) {
            Entity::push_unique(&mut e.birth_dates, &y);
        } else if let (Some(f), Some(t)) = (
            attr(a, "yearRangeFrom").and_then(|y| y.parse::<u32>().ok()),
            attr(a, "yearRangeTo").and_then(|y| y.parse::<u32>().ok()),
        ) {
            if f <= t && t - f <= 20 {
                for y in f..=t {
                    Entity::push_unique(&mut e.birth_dates, &y.to_string());
                }
            }
        }
    }
    for a in child("address") {
        let parts: Vec<String> = [
            "street",
            "poBox",
            "city",
            "zipCode",
            "region",
            "place",
            "countryDescription",
        ]
        .iter()
        .filter_map(|k| attr(a, k))
        .map(squash_ws)
        .filter(|s| !s.is_empty() && s != "UNKNOWN")
        .collect();
        if !parts.is_empty() {
            Entity::push_unique(&mut e.addresses, &parts.join(", "));
        }
        if let Some(c) = attr(a, "countryIso2Code")
            .filter(|c| *c != "00")
            .and_then(countries::normalize)
        {
            Entity::push_unique(&mut e.countries, &c);
        }
    }
    for a in child("identification") {
        let Some(number) = attr(a, "number").filter(|n| !n.trim().is_empty()) else {
            continue;
        };
        let code = attr(a, "identificationTypeCode").unwrap_or("");
        let desc = attr(a, "identificationTypeDescription").unwrap_or(code);
        let kind = match code {
            "passport" => IdKind::Passport,
            "id" => IdKind::NationalId,
            "regnumber" => IdKind::Registration,
            "imo" => IdKind::Imo,
            _ => id_kind_for_document(desc),
        };
        let country = attr(a, "countryIso2Code")
            .filter(|c| *c != "00")
            .and_then(countries::normalize);
        e.add_identifier(kind, number, country);
    }
    if !p.remarks.is_empty() {
        e.remarks = Some(p.remarks.join(" "));
    }
    Ok(e)
}

/// Parses OpenSanctions' CSV of an EU regulation's annexes.
pub(crate) fn parse_journal_csv<R: BufRead>(
    input: R,
    path: &Path,
) -> Result<ParseOutput, ListError> {
    let mut out = ParseOutput::new(Format::EuJournalCsv);
    let (counted, mut lines) = crate::csvpos::counting(input);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(counted);
    let headers = rdr
        .headers()
        .map_err(|e| ListError::malformed(path, JOURNAL, Position::Line(1), e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let Some(name_col) = col("name") else {
        return Err(ListError::malformed(
            path,
            JOURNAL,
            Position::Line(1),
            "no `name` column",
        ));
    };
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let pos = e
                    .position()
                    .map(|p| Position::Line(lines.line_at(p.byte())))
                    .unwrap_or(Position::File);
                return Err(ListError::malformed(path, JOURNAL, pos, e.to_string()));
            }
        }
        let line = rec.position().map(|p| lines.line_at(p.byte())).unwrap_or(0);
        out.summary.records += 1;
        if rec.len() != headers.len() {
            return Err(ListError::malformed(
                path,
                JOURNAL,
                Position::Line(line),
                format!(
                    "row has {} fields, the header has {}",
                    rec.len(),
                    headers.len()
                ),
            ));
        }
        let get = |n: &str| {
            col(n)
                .and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let list = |n: &str| -> Vec<String> {
            get(n)
                .map(|v| {
                    v.split(';')
                        .map(squash_ws)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let Some(name) = rec.get(name_col).map(squash_ws).filter(|s| !s.is_empty()) else {
            out.summary.skip("row without a name");
            continue;
        };
        let schema = match get("schema").unwrap_or("") {
            "Person" => Schema::Person,
            "Vessel" => Schema::Vessel,
            "Company" => Schema::Company,
            "Organization" => Schema::Organization,
            _ => organization_schema(&name),
        };
        let celex = get("celex").unwrap_or("eu");
        let annex = get("annex").unwrap_or("-");
        // Record numbers restart in each annex; vessels have none but always an IMO number.
        let id = match (get("recordId"), get("imoNumber")) {
            (Some(r), _) => format!("eu:{celex}:{annex}:{r}"),
            (None, Some(imo)) => format!(
                "eu:{celex}:imo{}",
                imo.split(';').next().unwrap_or(imo).trim()
            ),
            (None, None) => format!("eu:{celex}:line{line}"),
        };
        let mut e = Entity::new(id, "eu", schema);
        e.add_name(&name, NameStrength::Strong);
        for a in list("alias").iter().chain(list("previousName").iter()) {
            e.add_name(a, NameStrength::Strong);
        }
        for a in list("weakAlias") {
            e.add_name(&a, NameStrength::Weak);
        }
        e.list_ref = get("recordId").map(|r| format!("{celex} annex {annex} no. {r}"));
        if let Some(p) = get("programKey") {
            Entity::push_unique(&mut e.programs, p);
        }
        e.listed_on = get("startDate").and_then(parse_date);
        for d in list("birthDate")
            .iter()
            .chain(list("incorporationDate").iter())
        {
            for piece in d.split([',', ';']).flat_map(|s| s.split(" or ")) {
                if let Some(x) = parse_date(piece) {
                    Entity::push_unique(&mut e.birth_dates, &x);
                }
            }
        }
        for c in list("nationality")
            .iter()
            .chain(list("country").iter())
            .chain(list("jurisdiction").iter())
        {
            if let Some(c) = countries::normalize(c) {
                Entity::push_unique(&mut e.countries, &c);
            }
        }
        for a in list("address") {
            Entity::push_unique(&mut e.addresses, &a);
        }
        for p in list("passportNumber") {
            let number = p.split_whitespace().next().unwrap_or(&p);
            e.add_identifier(IdKind::Passport, number, None);
        }
        for (colname, kind) in [
            ("imoNumber", IdKind::Imo),
            ("mmsi", IdKind::Mmsi),
            ("registrationNumber", IdKind::Registration),
            ("idNumber", IdKind::NationalId),
        ] {
            for v in list(colname) {
                e.add_identifier(kind.clone(), &v, None);
            }
        }
        e.flag = get("flag").and_then(countries::normalize);
        e.remarks = get("reason").map(squash_ws);
        out.push(e);
    }
    Ok(out)
}
