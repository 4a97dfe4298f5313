//! OpenSanctions FollowTheMoney entities, one JSON object per line
//! (`{id, caption, schema, properties{…}, datasets, …}`).

use crate::countries;
use crate::error::{ListError, Position};
use crate::model::{Entity, IdKind, NameStrength, Schema};
use crate::text::{parse_date, squash_ws};
use crate::{Format, ParseOutput};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

const FORMAT: &str = "FollowTheMoney JSON lines";

#[derive(Deserialize)]
struct FtmEntity {
    id: String,
    schema: String,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    properties: HashMap<String, Vec<serde_json::Value>>,
    #[serde(default)]
    datasets: Vec<String>,
}

/// FtM schemata that are not sanctions targets themselves (they describe links or details).
const NOT_TARGETS: &[&str] = &[
    "Address",
    "Sanction",
    "Identification",
    "Passport",
    "Ownership",
    "Directorship",
    "Membership",
    "Family",
    "Associate",
    "Representation",
    "Occupancy",
    "Position",
    "UnknownLink",
    "Employment",
    "Note",
    "Article",
    "Document",
    "Event",
    "Succession",
    "Debt",
    "Payment",
    "Trip",
    "Mention",
];

/// Parses FtM JSON lines.
pub(crate) fn parse<R: BufRead>(input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut out = ParseOutput::new(Format::FtmJson);
    for (i, line) in input.lines().enumerate() {
        let lineno = i as u64 + 1;
        let line = line.map_err(|e| ListError::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        out.summary.records += 1;
        let raw: FtmEntity = serde_json::from_str(&line).map_err(|e| {
            ListError::malformed(path, FORMAT, Position::Line(lineno), e.to_string())
        })?;
        if NOT_TARGETS.contains(&raw.schema.as_str()) {
            out.summary
                .skip(format!("{} (not a listed party)", raw.schema));
            continue;
        }
        let schema = match raw.schema.as_str() {
            "Person" => Schema::Person,
            "Company" => Schema::Company,
            "Organization" | "LegalEntity" | "PublicBody" => Schema::Organization,
            "Vessel" => Schema::Vessel,
            "Airplane" => Schema::Aircraft,
            "CryptoWallet" => Schema::CryptoWallet,
            _ => Schema::Unknown,
        };
        let props = |k: &str| -> Vec<String> {
            raw.properties
                .get(k)
                .map(|v| {
                    v.iter()
                        .filter_map(|x| x.as_str().map(squash_ws))
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut e = Entity::new(format!("opensanctions:{}", raw.id), "opensanctions", schema);
        // The caption is OpenSanctions' pick of the display name: put it first.
        if let Some(c) = raw
            .caption
            .as_deref()
            .map(squash_ws)
            .filter(|c| !c.is_empty())
        {
            e.add_name(&c, NameStrength::Strong);
        }
        for n in props("name")
            .iter()
            .chain(props("alias").iter())
            .chain(props("previousName").iter())
        {
            e.add_name(n, NameStrength::Strong);
        }
        for n in props("weakAlias") {
            e.add_name(&n, NameStrength::Weak);
        }
        if e.names.is_empty() {
            out.summary.skip("entity without a name");
            continue;
        }
        for d in props("birthDate")
            .iter()
            .chain(props("incorporationDate").iter())
        {
            if let Some(x) = parse_date(d) {
                Entity::push_unique(&mut e.birth_dates, &x);
            }
        }
        for c in props("nationality")
            .iter()
            .chain(props("citizenship").iter())
            .chain(props("country").iter())
            .chain(props("jurisdiction").iter())
        {
            if let Some(c) = countries::normalize(c) {
                Entity::push_unique(&mut e.countries, &c);
            }
        }
        for a in props("address") {
            Entity::push_unique(&mut e.addresses, &a);
        }
        for (prop, kind) in [
            ("imoNumber", IdKind::Imo),
            ("mmsi", IdKind::Mmsi),
            ("callSign", IdKind::CallSign),
            ("registrationNumber", IdKind::Registration),
            ("passportNumber", IdKind::Passport),
            ("idNumber", IdKind::NationalId),
            ("taxNumber", IdKind::Other("taxNumber".to_string())),
            ("swiftBic", IdKind::Other("swiftBic".to_string())),
        ] {
            for v in props(prop) {
                e.add_identifier(kind.clone(), &v, None);
            }
        }
        if schema == Schema::CryptoWallet {
            let currency = props("currencySymbol")
                .into_iter()
                .next()
                .unwrap_or_else(|| "?".to_string());
            for k in props("publicKey") {
                e.add_identifier(IdKind::CryptoAddress(currency.clone()), &k, None);
            }
        }
        e.flag = props("flag").first().and_then(|f| countries::normalize(f));
        for p in props("program").iter().chain(props("programId").iter()) {
            Entity::push_unique(&mut e.programs, p);
        }
        for d in &raw.datasets {
            Entity::push_unique(&mut e.programs, d);
        }
        e.listed_on = props("createdAt").first().and_then(|d| parse_date(d));
        let notes = props("notes");
        if !notes.is_empty() {
            e.remarks = Some(notes.join(" "));
        }
        out.push(e);
    }
    Ok(out)
}
