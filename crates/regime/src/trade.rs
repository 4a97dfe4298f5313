//! Trade-record screening: shipments (exporter, importer, origin, destination, HS code,
//! quantity, value, vessel) checked against the regime's banned and capped commodity groups.
//!
//! A shipment from the target state under an export ban, or to it under an import ban, is a
//! `violation`. Capped goods (refined petroleum, crude) to the target are a `notice` while the
//! running total for the cap period stays within the cap, and a `violation` from the shipment
//! that takes it over. A row that names the target country but also points to the confusable
//! country (KP keyed for KR: a KR party, a South Korean city) is `review`, not a violation.

use crate::hs::HsCode;
use crate::spec::{Commodity, Direction, Regime, Treatment};
use crate::time::{civil_from_ms, ms_from_civil, parse_date};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Read;

/// Errors reading shipments.
#[derive(Debug, thiserror::Error)]
pub enum TradeError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The CSV lacks required columns or a header.
    #[error("{path}: {message}")]
    Format {
        /// File.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// One shipment record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Shipment {
    /// 1-based line in the file.
    pub line: usize,
    /// Date, `YYYY-MM-DD`, when given.
    pub date: Option<String>,
    /// Exporter name (and address, if the data has it).
    pub exporter: String,
    /// Importer name.
    pub importer: String,
    /// Exporter's country, when a separate column gives it.
    pub exporter_country: String,
    /// Importer's country, when a separate column gives it.
    pub importer_country: String,
    /// Country of origin.
    pub origin: String,
    /// Country of destination.
    pub destination: String,
    /// HS code as written.
    pub hs_code: String,
    /// Quantity.
    pub quantity: Option<f64>,
    /// Unit of the quantity (`t`, `kg`, `bbl`, `l`, `kl`, ...).
    pub unit: String,
    /// Value.
    pub value: Option<f64>,
    /// Vessel name or IMO.
    pub vessel: String,
}

/// Rows that could not be checked: (line, reason).
pub type Skipped = Vec<(usize, String)>;

/// Outcome for a flagged row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Falls under a ban, or takes a cap over its limit.
    Violation,
    /// Names the target but looks like a keying error, or lacks what is needed to decide.
    Review,
    /// Capped goods within the cap: lawful, but must be notified to the Committee.
    Notice,
}

/// One flagged shipment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeFlag {
    /// Line in the file.
    pub line: usize,
    /// Outcome.
    pub status: Status,
    /// `export` (from the target) or `import` (to it).
    pub direction: Direction,
    /// Commodity group.
    pub commodity: String,
    /// HS code of the row, normalised.
    pub hs_code: String,
    /// The regime pattern it fell under.
    pub hs_pattern: String,
    /// Measure id.
    pub measure: String,
    /// Paragraphs, e.g. "resolution 2397 (2017), paragraph 6".
    pub references: Vec<String>,
    /// Why, in words.
    pub reason: String,
    /// The row.
    pub shipment: Shipment,
}

/// The result of checking a file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TradeReport {
    /// Data rows read.
    pub rows: usize,
    /// Flags, in file order.
    pub flags: Vec<TradeFlag>,
    /// Rows that could not be checked, with reasons (line, reason).
    pub skipped: Vec<(usize, String)>,
}

impl TradeReport {
    /// Number of flags with the status.
    pub fn count(&self, s: Status) -> usize {
        self.flags.iter().filter(|f| f.status == s).count()
    }
}

/// Reads shipments from CSV. Columns by header (case-insensitive): `exporter`, `importer`,
/// `origin`, `destination`, `hs_code` (or `hs`, `commodity_code`), `quantity`, optional `unit`,
/// `value`, `vessel`, `date`, `exporter_country`, `importer_country`. `hs_code` and at least
/// one of `origin`/`destination`/`exporter_country`/`importer_country` are required.
pub fn read_shipments(
    name: &str,
    reader: impl Read,
) -> Result<(Vec<Shipment>, Skipped), TradeError> {
    let fmt = |message: String| TradeError::Format {
        path: name.to_string(),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| fmt(format!("no header: {e}")))?
        .iter()
        .map(|h| h.to_lowercase().replace(' ', "_"))
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let hs_c = col(&["hs_code", "hs", "commodity_code", "hscode"])
        .ok_or_else(|| fmt("no `hs_code` column".into()))?;
    let cols = (
        col(&["exporter"]),
        col(&["importer"]),
        col(&["exporter_country"]),
        col(&["importer_country"]),
        col(&["origin", "country_of_origin"]),
        col(&["destination", "country_of_destination"]),
    );
    if cols.2.is_none() && cols.3.is_none() && cols.4.is_none() && cols.5.is_none() {
        return Err(fmt(
            "no `origin`, `destination`, `exporter_country` or `importer_country` column".into(),
        ));
    }
    let (qty_c, unit_c, val_c, vessel_c, date_c) = (
        col(&["quantity", "qty"]),
        col(&["unit", "units", "quantity_unit"]),
        col(&["value", "value_usd"]),
        col(&["vessel", "vessel_name"]),
        col(&["date", "shipment_date"]),
    );
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                skipped.push((line, format!("unreadable CSV record: {e}")));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        let num = |c: Option<usize>| -> Result<Option<f64>, String> {
            let t = get(c).replace(',', "");
            if t.is_empty() {
                return Ok(None);
            }
            t.parse::<f64>()
                .map(Some)
                .map_err(|_| format!("{t:?} is not a number"))
        };
        let (quantity, value) = match (num(qty_c), num(val_c)) {
            (Ok(q), Ok(v)) => (q, v),
            (Err(e), _) | (_, Err(e)) => {
                skipped.push((line, e));
                continue;
            }
        };
        let date = Some(get(date_c)).filter(|d| !d.is_empty());
        if let Some(d) = &date {
            if parse_date(d).is_none() {
                skipped.push((line, format!("date {d:?} is not YYYY-MM-DD")));
                continue;
            }
        }
        out.push(Shipment {
            line,
            date,
            exporter: get(cols.0),
            importer: get(cols.1),
            exporter_country: get(cols.2),
            importer_country: get(cols.3),
            origin: get(cols.4),
            destination: get(cols.5),
            hs_code: get(Some(hs_c)),
            quantity,
            unit: get(unit_c),
            value,
            vessel: get(vessel_c),
        });
    }
    Ok((out, skipped))
}

/// Converts a quantity to barrels for a capped product.
fn to_barrels(
    regime: &Regime,
    qty: f64,
    unit: &str,
    code: &HsCode,
    default_product: Option<&str>,
) -> Option<(f64, f64)> {
    let bpt = regime
        .barrels_per_tonne_for_hs(code)
        .map(|(_, f)| f)
        .or_else(|| default_product.and_then(|p| regime.barrels_per_tonne(p)))?;
    let u = unit.trim().to_lowercase();
    let tonnes = match u.as_str() {
        "bbl" | "barrel" | "barrels" => return Some((qty, qty / bpt)),
        "t" | "mt" | "tonne" | "tonnes" | "ton" | "tons" | "metric ton" | "metric tons" => qty,
        "kg" | "kgs" | "kilogram" | "kilograms" => qty / 1000.0,
        "l" | "litre" | "litres" | "liter" | "liters" => {
            return Some((qty / 158.987_294_928, qty / 158.987_294_928 / bpt))
        }
        "kl" | "m3" | "cubic metres" => {
            return Some((qty * 6.289_810_77, qty * 6.289_810_77 / bpt))
        }
        _ => return None,
    };
    Some((tonnes * bpt, tonnes))
}

/// Why a row that names the target might be a keying error for the confusable country.
fn keying_error_hint(regime: &Regime, s: &Shipment) -> Option<String> {
    for (label, v) in [
        ("origin", &s.origin),
        ("destination", &s.destination),
        ("exporter country", &s.exporter_country),
        ("importer country", &s.importer_country),
    ] {
        if regime.is_confusable_country(v) {
            return Some(format!("the {label} is {v}"));
        }
    }
    let text = format!("{} {}", s.exporter, s.importer).to_uppercase();
    for name in regime
        .confusable_country_aliases
        .iter()
        .filter(|a| a.len() > 3)
        .chain(regime.confusable_places.iter())
    {
        if text.contains(&name.to_uppercase()) {
            return Some(format!("a party's name or address mentions {name}"));
        }
    }
    None
}

fn cap_period_key(regime: &Regime, cap_id: &str, date: Option<&str>) -> String {
    let Some(ms) = date.and_then(parse_date) else {
        return "undated".into();
    };
    let Some(cap) = regime.cap(cap_id) else {
        return "undated".into();
    };
    let (y, _, _) = civil_from_ms(ms);
    if cap.period == "calendar_year" {
        return y.to_string();
    }
    let (_, sm, sd) = parse_date(&cap.start)
        .map(civil_from_ms)
        .unwrap_or((y, 1, 1));
    let start_this_year = ms_from_civil(y, sm, sd);
    let from = if ms >= start_this_year { y } else { y - 1 };
    format!("{from}-{sm:02}-{sd:02}+12m")
}

/// Checks shipments against the regime's commodity groups.
pub fn check(regime: &Regime, shipments: &[Shipment]) -> (Vec<TradeFlag>, Skipped) {
    let (mut flags, mut skipped) = (Vec::new(), Vec::new());
    // Running totals per (cap, period): barrels and tonnes.
    let mut running: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for s in shipments {
        let from_target =
            regime.is_target_country(&s.origin) || regime.is_target_country(&s.exporter_country);
        let to_target = regime.is_target_country(&s.destination)
            || regime.is_target_country(&s.importer_country);
        if !from_target && !to_target {
            continue;
        }
        let code = match HsCode::parse(&s.hs_code) {
            Ok(c) => c,
            Err(e) => {
                skipped.push((s.line, format!("names {} but {e}", regime.target_country)));
                continue;
            }
        };
        let hint = keying_error_hint(regime, s);
        for (dir_ok, direction) in [
            (from_target, Direction::Export),
            (to_target, Direction::Import),
        ] {
            if !dir_ok {
                continue;
            }
            let groups = regime
                .commodities
                .iter()
                .filter(|c| c.direction == direction || c.direction == Direction::Both);
            let hits: Vec<(&Commodity, String)> = groups
                .filter_map(|c| {
                    c.patterns
                        .iter()
                        .filter(|p| p.matches(&code))
                        .max_by_key(|p| p.digits.len())
                        .map(|p| (c, p.display()))
                })
                .collect();
            // One flag per measure: a code under two groups of the same measure is flagged once.
            let mut seen_measures: Vec<&str> = Vec::new();
            for (c, pattern) in hits {
                if seen_measures.contains(&c.measure.as_str()) {
                    continue;
                }
                seen_measures.push(&c.measure);
                let refs: Vec<String> = regime
                    .measure(&c.measure)
                    .map(|m| m.references.iter().map(|r| r.cite()).collect())
                    .unwrap_or_default();
                let way = if direction == Direction::Export {
                    format!("from {}", regime.target_country)
                } else {
                    format!("to {}", regime.target_country)
                };
                let zero = if code.zero_restored {
                    " (leading zero restored)"
                } else {
                    ""
                };
                let (mut status, mut reason) = match c.treatment {
                    Treatment::Ban => (
                        Status::Violation,
                        format!(
                            "{} (HS {}{zero}) {way}: banned under {}",
                            c.name,
                            pattern,
                            refs.join(" and ")
                        ),
                    ),
                    Treatment::Cap => {
                        let cap_id = c.cap.clone().unwrap_or_default();
                        let cap = regime.cap(&cap_id);
                        let converted = s.quantity.and_then(|q| {
                            to_barrels(
                                regime,
                                q,
                                &s.unit,
                                &code,
                                cap.and_then(|c| c.default_product.as_deref()),
                            )
                        });
                        match (cap, converted) {
                            (Some(cap), Some((bbl, t))) => {
                                let key = (cap_id.clone(), cap_period_key(regime, &cap_id, s.date.as_deref()));
                                let tot = running.entry(key.clone()).or_insert((0.0, 0.0));
                                tot.0 += bbl;
                                tot.1 += t;
                                let over_bbl = tot.0 > cap.limit_barrels;
                                let over_t = cap.limit_tonnes.is_some_and(|lt| tot.1 > lt);
                                if over_bbl || over_t {
                                    (Status::Violation, format!("{} {way}: {bbl:.0} bbl takes the {} total for {} to {:.0} bbl, over the cap of {:.0} bbl ({})", c.name, cap.name.to_lowercase(), key.1, tot.0, cap.limit_barrels, refs.join(" and ")))
                                } else {
                                    (Status::Notice, format!("{} {way}: {bbl:.0} bbl, {:.0} bbl so far for {} ({:.1} % of the cap); within the cap, to be notified to the Committee ({})", c.name, tot.0, key.1, 100.0 * tot.0 / cap.limit_barrels, refs.join(" and ")))
                                }
                            }
                            _ => (Status::Review, format!("{} {way} is capped ({}), but the quantity {:?} {:?} cannot be converted to barrels", c.name, refs.join(" and "), s.quantity, s.unit)),
                        }
                    }
                };
                if let Some(h) = &hint {
                    if status == Status::Violation {
                        status = Status::Review;
                        reason = format!(
                            "possible keying error ({} for {}): {h}; otherwise: {reason}",
                            regime.target_country,
                            regime.confusable_country.as_deref().unwrap_or("?")
                        );
                    }
                }
                flags.push(TradeFlag {
                    line: s.line,
                    status,
                    direction,
                    commodity: c.name.clone(),
                    hs_code: code.display(),
                    hs_pattern: pattern,
                    measure: c.measure.clone(),
                    references: refs,
                    reason,
                    shipment: s.clone(),
                });
            }
        }
    }
    (flags, skipped)
}

/// Reads a shipments CSV and checks it.
pub fn check_csv(
    regime: &Regime,
    name: &str,
    reader: impl Read,
) -> Result<TradeReport, TradeError> {
    let (rows, mut skipped) = read_shipments(name, reader)?;
    let total = rows.len() + skipped.len();
    let (flags, s2) = check(regime, &rows);
    skipped.extend(s2);
    skipped.sort();
    Ok(TradeReport {
        rows: total,
        flags,
        skipped,
    })
}

/// Reads a shipments file and checks it.
pub fn check_file(regime: &Regime, path: &std::path::Path) -> Result<TradeReport, TradeError> {
    let f = std::fs::File::open(path).map_err(|source| TradeError::Io {
        path: path.display().to_string(),
        source,
    })?;
    check_csv(
        regime,
        &path.display().to_string(),
        std::io::BufReader::new(f),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "date,exporter,importer,origin,destination,hs_code,quantity,unit,value,vessel
2019-03-01,Korea Coal Trading,Dalian Fuel Co,KP,CN,2701.12,5000,t,400000,WAN HENG 11
2019-03-02,Acme Ltd,Pyongyang Import Corp,CN,KP,8429.51,2,units,90000,
2019-03-03,Seoul Textiles Co,Osaka Apparel,KP,JP,6109.10,300,kg,5000,
2019-03-04,Rosneft Trading,Korea Unha,RU,KP,2710.19,40000,t,1,VITYAZ
2019-03-05,Rosneft Trading,Korea Unha,RU,KP,2710.19,30000,t,1,VITYAZ
2019-03-06,Fisheries Export,Busan Foods,KP,KR,30211,10,t,1,
2019-03-07,Fine Corp,Fine Corp,CN,JP,2701.12,10,t,1,
2019-03-08,Odd,Odd,KP,CN,27x1,1,t,1,
2019-03-09,Rosneft Trading,Korea Unha,RU,KP,2710.19,,,1,
";

    #[test]
    fn bans_caps_and_keying_errors() {
        let r = crate::Regime::dprk();
        let rep = check_csv(&r, "t.csv", CSV.as_bytes()).unwrap();
        let by_line = |l: usize| rep.flags.iter().filter(|f| f.line == l).collect::<Vec<_>>();
        // Coal from the DPRK: heading 2701, 2371 paragraph 8.
        let coal = by_line(2);
        assert_eq!(coal.len(), 1);
        assert_eq!(coal[0].status, Status::Violation);
        assert_eq!(coal[0].hs_pattern, "2701");
        assert!(coal[0]
            .references
            .iter()
            .any(|x| x == "resolution 2371 (2017), paragraph 8"));
        // Machinery to the DPRK: chapter 84, 2397 paragraph 7.
        let mach = by_line(3);
        assert_eq!(mach[0].status, Status::Violation);
        assert_eq!(mach[0].direction, Direction::Import);
        assert_eq!(
            mach[0].references,
            vec!["resolution 2397 (2017), paragraph 7"]
        );
        // Textiles "from KP" by a Seoul company: review, not violation.
        let tex = by_line(4);
        assert_eq!(tex[0].status, Status::Review);
        assert!(tex[0].reason.contains("SEOUL"), "{}", tex[0].reason);
        // Diesel: 40,000 t = 300,000 bbl is within the cap; the next 30,000 t takes it over.
        assert_eq!(by_line(5)[0].status, Status::Notice);
        let over = by_line(6);
        assert_eq!(over[0].status, Status::Violation);
        assert!(
            over[0].reason.contains("over the cap of 500000 bbl"),
            "{}",
            over[0].reason
        );
        // Seafood with a dropped leading zero, to KR: review (keying error).
        let fish = by_line(7);
        assert_eq!(fish[0].status, Status::Review);
        assert_eq!(fish[0].hs_pattern, "03");
        // Not touching the DPRK: not flagged.
        assert!(by_line(8).is_empty());
        // A malformed code on a DPRK row is reported as skipped, not silently dropped.
        assert!(rep
            .skipped
            .iter()
            .any(|(l, why)| *l == 9 && why.contains("27x1")));
        // A capped good without a quantity needs review.
        assert_eq!(by_line(10)[0].status, Status::Review);
        assert_eq!(rep.count(Status::Violation), 3);
    }

    #[test]
    fn missing_columns_are_errors() {
        assert!(read_shipments("x.csv", "a,b\n1,2\n".as_bytes()).is_err());
        assert!(read_shipments("x.csv", "hs_code,value\n2701,1\n".as_bytes()).is_err());
    }

    #[test]
    fn crude_cap_counts_in_tonnes_too() {
        let r = crate::Regime::dprk();
        let rows = "date,exporter,importer,origin,destination,hs_code,quantity,unit\n2018-12-23,P,K,CN,KP,2709.00,500000,t\n2019-06-01,P,K,CN,KP,2709.00,30000,t\n2019-12-23,P,K,CN,KP,2709.00,30000,t\n";
        let rep = check_csv(&r, "c.csv", rows.as_bytes()).unwrap();
        let st: Vec<Status> = rep.flags.iter().map(|f| f.status).collect();
        assert_eq!(
            st,
            vec![Status::Notice, Status::Violation, Status::Notice],
            "{:#?}",
            rep.flags
        );
    }
}
