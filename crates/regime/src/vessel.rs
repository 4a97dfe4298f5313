//! What the findings know about each vessel: its broadcast identity, size and flag
//! ([`VesselInfo`]), and its matches against the sanctions lists ([`Screening`]).

use crate::spec::Regime;
use lists::model::{Entity, IdKind, Schema};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One vessel as the AIS data (and an optional registry) describe it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VesselInfo {
    /// MMSI.
    pub mmsi: u32,
    /// Names broadcast, most frequent or most recent first.
    pub names: Vec<String>,
    /// IMO numbers broadcast (as broadcast, valid or not).
    pub imos: Vec<u32>,
    /// Call signs broadcast.
    pub call_signs: Vec<String>,
    /// AIS ship-and-cargo type code (70–79 cargo, 80–89 tanker, 30 fishing).
    pub ship_type: Option<u8>,
    /// Length overall, metres (bow + stern).
    pub length_m: Option<f64>,
    /// Beam, metres (port + starboard).
    pub beam_m: Option<f64>,
    /// Largest draught broadcast, metres.
    pub max_draught_m: Option<f64>,
    /// Deadweight, tonnes, from a vessel registry.
    pub dwt_t: Option<f64>,
    /// Flag state (ISO alpha-2 or name), from a registry or the MMSI's MID.
    pub flag: Option<String>,
    /// Vessel type from a registry (`tanker`, `bulk carrier`, ...).
    pub registry_type: Option<String>,
}

impl VesselInfo {
    /// A vessel known only by its MMSI.
    pub fn new(mmsi: u32) -> Self {
        Self {
            mmsi,
            ..Self::default()
        }
    }

    /// The name to print (first broadcast name), if any.
    pub fn name(&self) -> Option<&str> {
        self.names
            .first()
            .map(String::as_str)
            .filter(|n| !n.trim().is_empty())
    }

    /// True for tankers: AIS type 80–89 or a registry type containing "tanker".
    pub fn is_tanker(&self) -> bool {
        self.ship_type.is_some_and(|t| (80..=89).contains(&t))
            || self
                .registry_type
                .as_deref()
                .is_some_and(|t| t.to_lowercase().contains("tanker"))
    }

    /// True for cargo ships (bulk carriers and general cargo): AIS type 70–79 or a registry
    /// type containing "bulk" or "cargo".
    pub fn is_cargo(&self) -> bool {
        self.ship_type.is_some_and(|t| (70..=79).contains(&t))
            || self.registry_type.as_deref().is_some_and(|t| {
                let t = t.to_lowercase();
                t.contains("bulk") || t.contains("cargo")
            })
    }

    /// True for fishing vessels (AIS type 30).
    pub fn is_fishing(&self) -> bool {
        self.ship_type == Some(30)
    }
}

/// Vessels by MMSI.
pub type VesselDirectory = BTreeMap<u32, VesselInfo>;

/// What a screening match was made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchBasis {
    /// The broadcast IMO equals a listed IMO.
    Imo,
    /// The MMSI equals a listed MMSI.
    Mmsi,
    /// A broadcast name matches a listed name.
    Name,
    /// A broadcast call sign equals a listed call sign.
    CallSign,
}

/// One match of a vessel against a list entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreeningMatch {
    /// The list entity's id (`ofac:12345`).
    pub entity_id: String,
    /// Source list code.
    pub source: String,
    /// The entity's primary name.
    pub listed_name: String,
    /// What matched.
    pub basis: MatchBasis,
    /// The broadcast value that matched.
    pub query: String,
    /// Match score in `[0, 1]` (1 for identifier matches).
    pub score: f64,
    /// Why, in words.
    pub explanation: String,
    /// The entity's programmes.
    pub programs: Vec<String>,
    /// The list reference number, if any.
    pub list_ref: Option<String>,
    /// True when the entity counts as designated under the regime.
    pub designated: bool,
}

/// A designated vessel's identifiers, kept for the identity rules (e.g. an IMO one digit off).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignatedVessel {
    /// The list entity's id.
    pub entity_id: String,
    /// Primary name.
    pub name: String,
    /// All names.
    pub names: Vec<String>,
    /// IMO numbers.
    pub imos: Vec<u32>,
    /// MMSIs.
    pub mmsis: Vec<u32>,
}

/// Screening results for the vessels of a run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Screening {
    /// Matches per MMSI.
    pub by_mmsi: BTreeMap<u32, Vec<ScreeningMatch>>,
    /// Vessels designated under the regime in the loaded lists.
    pub designated_vessels: Vec<DesignatedVessel>,
}

impl Screening {
    /// The matches of a vessel.
    pub fn matches(&self, mmsi: u32) -> &[ScreeningMatch] {
        self.by_mmsi.get(&mmsi).map_or(&[], Vec::as_slice)
    }

    /// True when a vessel has a match with a designated entity (identifier, or name score ≥ 0.9).
    pub fn is_designated(&self, mmsi: u32) -> bool {
        self.matches(mmsi)
            .iter()
            .any(|m| m.designated && (m.basis != MatchBasis::Name || m.score >= 0.9))
    }

    /// The designated vessels taken from a set of list entities.
    pub fn designated_from_entities(regime: &Regime, entities: &[Entity]) -> Vec<DesignatedVessel> {
        entities
            .iter()
            .filter(|e| e.schema == Schema::Vessel && regime.entity_is_designated(e))
            .map(|e| DesignatedVessel {
                entity_id: e.id.clone(),
                name: e.names.first().map(|n| n.full.clone()).unwrap_or_default(),
                names: e.names.iter().map(|n| n.full.clone()).collect(),
                imos: ids(e, &IdKind::Imo),
                mmsis: ids(e, &IdKind::Mmsi),
            })
            .collect()
    }
}

fn ids(e: &Entity, kind: &IdKind) -> Vec<u32> {
    e.identifiers
        .iter()
        .filter(|i| &i.kind == kind)
        .filter_map(|i| {
            let digits: String = i.value.chars().filter(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// Upper-case, letters and digits only, single spaces: `"Rye Song-Gang 1"` → `"RYE SONG GANG 1"`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_uppercase());
        } else {
            space = true;
        }
    }
    out
}

/// A simple exact screener, used when no `screen::Index` is available: IMO and MMSI equality,
/// and equality of normalised names (also with spaces removed, so `SONGWON 2` = `SONG WON 2`),
/// against the vessel entities of the lists. The `screen` crate's index gives fuzzy and
/// romanization-aware name matches; feed its results through [`Screening::by_mmsi`] instead.
pub fn screen_exact(regime: &Regime, vessels: &VesselDirectory, entities: &[Entity]) -> Screening {
    let designated_vessels = Screening::designated_from_entities(regime, entities);
    let mut by_imo: BTreeMap<u32, Vec<&Entity>> = BTreeMap::new();
    let mut by_mmsi: BTreeMap<u32, Vec<&Entity>> = BTreeMap::new();
    let mut by_name: BTreeMap<String, Vec<&Entity>> = BTreeMap::new();
    for e in entities.iter().filter(|e| e.schema == Schema::Vessel) {
        for imo in ids(e, &IdKind::Imo) {
            by_imo.entry(imo).or_default().push(e);
        }
        for m in ids(e, &IdKind::Mmsi) {
            by_mmsi.entry(m).or_default().push(e);
        }
        for n in &e.names {
            let key = normalize_name(&n.full).replace(' ', "");
            if key.len() >= 4 {
                by_name.entry(key).or_default().push(e);
            }
        }
    }
    let mk = |e: &Entity, basis: MatchBasis, query: String, explanation: String| ScreeningMatch {
        entity_id: e.id.clone(),
        source: e.source.clone(),
        listed_name: e.names.first().map(|n| n.full.clone()).unwrap_or_default(),
        basis,
        query,
        score: 1.0,
        explanation,
        programs: e.programs.clone(),
        list_ref: e.list_ref.clone(),
        designated: regime.entity_is_designated(e),
    };
    let mut out: BTreeMap<u32, Vec<ScreeningMatch>> = BTreeMap::new();
    for v in vessels.values() {
        let mut found = Vec::new();
        for imo in &v.imos {
            for e in by_imo.get(imo).into_iter().flatten() {
                found.push(mk(
                    e,
                    MatchBasis::Imo,
                    imo.to_string(),
                    format!("broadcast IMO {imo} equals the listed IMO"),
                ));
            }
        }
        for e in by_mmsi.get(&v.mmsi).into_iter().flatten() {
            found.push(mk(
                e,
                MatchBasis::Mmsi,
                v.mmsi.to_string(),
                format!("MMSI {} equals the listed MMSI", v.mmsi),
            ));
        }
        for n in &v.names {
            let key = normalize_name(n).replace(' ', "");
            for e in by_name.get(&key).into_iter().flatten() {
                found.push(mk(e, MatchBasis::Name, n.clone(), format!("broadcast name {n:?} equals a listed name once case, spacing and punctuation are ignored")));
            }
        }
        found.sort_by(|a, b| (a.entity_id.as_str(), a.basis).cmp(&(b.entity_id.as_str(), b.basis)));
        found.dedup_by(|a, b| a.entity_id == b.entity_id && a.basis == b.basis);
        if !found.is_empty() {
            out.insert(v.mmsi, found);
        }
    }
    Screening {
        by_mmsi: out,
        designated_vessels,
    }
}

/// Builds the vessel directory from static reports (the store's `static_reports` table): names,
/// IMO numbers and call signs by how often they were broadcast, the most frequent ship type,
/// length and beam, and the largest draught. Flags are left to the caller (a registry, or the
/// MID through `maritime::identity::flag_of_mmsi`).
pub fn directory_from_static<'r>(
    rows: impl IntoIterator<Item = &'r store::StaticRow>,
) -> VesselDirectory {
    #[derive(Default)]
    struct Acc {
        names: BTreeMap<String, u32>,
        imos: BTreeMap<u32, u32>,
        calls: BTreeMap<String, u32>,
        types: BTreeMap<u8, u32>,
        dims: BTreeMap<(u32, u32), u32>,
        draught: Option<f64>,
    }
    fn ranked<K: Ord + Clone>(m: &BTreeMap<K, u32>) -> Vec<K> {
        let mut v: Vec<(&K, &u32)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        v.into_iter().map(|(k, _)| k.clone()).collect()
    }
    let mut acc: BTreeMap<u32, Acc> = BTreeMap::new();
    for r in rows {
        let a = acc.entry(r.mmsi).or_default();
        if let Some(n) = r.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            *a.names.entry(n.to_string()).or_default() += 1;
        }
        if let Some(i) = r.imo.filter(|i| *i != 0) {
            *a.imos.entry(i).or_default() += 1;
        }
        if let Some(c) = r
            .call_sign
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            *a.calls.entry(c.to_string()).or_default() += 1;
        }
        if let Some(t) = r.ship_type.filter(|t| *t != 0) {
            *a.types.entry(t).or_default() += 1;
        }
        let len = u32::from(r.to_bow.unwrap_or(0)) + u32::from(r.to_stern.unwrap_or(0));
        let beam = u32::from(r.to_port.unwrap_or(0)) + u32::from(r.to_starboard.unwrap_or(0));
        if len > 0 && beam > 0 {
            *a.dims.entry((len, beam)).or_default() += 1;
        }
        if let Some(d) = r
            .draught
            .map(f64::from)
            .filter(|d| *d > 0.0 && d.is_finite())
        {
            a.draught = Some(a.draught.map_or(d, |m| m.max(d)));
        }
    }
    acc.into_iter()
        .map(|(mmsi, a)| {
            let dims = ranked(&a.dims).first().copied();
            let info = VesselInfo {
                mmsi,
                names: ranked(&a.names),
                imos: ranked(&a.imos),
                call_signs: ranked(&a.calls),
                ship_type: ranked(&a.types).first().copied(),
                length_m: dims.map(|d| f64::from(d.0)),
                beam_m: dims.map(|d| f64::from(d.1)),
                max_draught_m: a.draught,
                dwt_t: None,
                flag: None,
                registry_type: None,
            };
            (mmsi, info)
        })
        .collect()
}

/// Screens every vessel with the `screen` crate's index: IMO and MMSI look-ups (exact,
/// check-digit aware) and a name search restricted to vessels, keeping name matches scoring at
/// least `min_name_score`. Each match carries the index's explanation.
pub fn screen_with_index(
    regime: &Regime,
    vessels: &VesselDirectory,
    index: &screen::Index,
    min_name_score: f64,
) -> Screening {
    let entities = index.entities();
    let designated_vessels = Screening::designated_from_entities(regime, entities);
    let mk = |e: &Entity, basis: MatchBasis, query: String, score: f64, explanation: String| {
        ScreeningMatch {
            entity_id: e.id.clone(),
            source: e.source.clone(),
            listed_name: e.names.first().map(|n| n.full.clone()).unwrap_or_default(),
            basis,
            query,
            score,
            explanation,
            programs: e.programs.clone(),
            list_ref: e.list_ref.clone(),
            designated: regime.entity_is_designated(e),
        }
    };
    let mut out: BTreeMap<u32, Vec<ScreeningMatch>> = BTreeMap::new();
    for v in vessels.values() {
        let mut found = Vec::new();
        for imo in &v.imos {
            for i in index.by_identifier(screen::IdLookup::Imo, &imo.to_string()) {
                if let Some(e) = entities.get(i) {
                    found.push(mk(
                        e,
                        MatchBasis::Imo,
                        imo.to_string(),
                        1.0,
                        format!("broadcast IMO {imo} equals the listed IMO"),
                    ));
                }
            }
        }
        for i in index.by_identifier(screen::IdLookup::Mmsi, &v.mmsi.to_string()) {
            if let Some(e) = entities.get(i) {
                found.push(mk(
                    e,
                    MatchBasis::Mmsi,
                    v.mmsi.to_string(),
                    1.0,
                    format!("MMSI {} equals the listed MMSI", v.mmsi),
                ));
            }
        }
        for n in v.names.iter().filter(|n| normalize_name(n).len() >= 3) {
            let q = screen::Query {
                name: Some(n.clone()),
                schema: Some(Schema::Vessel),
                ..screen::Query::default()
            };
            for m in index.search(&q, 5) {
                let Some(e) = entities.get(m.entity_index) else {
                    continue;
                };
                if e.schema != Schema::Vessel || m.name_score < min_name_score {
                    continue;
                }
                found.push(mk(
                    e,
                    MatchBasis::Name,
                    n.clone(),
                    m.name_score,
                    m.explanation.join("; "),
                ));
            }
        }
        found.sort_by(|a, b| {
            (a.entity_id.as_str(), a.basis)
                .cmp(&(b.entity_id.as_str(), b.basis))
                .then(b.score.total_cmp(&a.score))
        });
        found.dedup_by(|a, b| a.entity_id == b.entity_id && a.basis == b.basis);
        if !found.is_empty() {
            out.insert(v.mmsi, found);
        }
    }
    Screening {
        by_mmsi: out,
        designated_vessels,
    }
}

/// True when a 7-digit IMO ship number passes its check digit (weights 7..2 on the first six
/// digits; the sum's last digit is the seventh).
pub fn imo_is_valid(imo: u32) -> bool {
    if !(1_000_000..=9_999_999).contains(&imo) {
        return false;
    }
    let d: Vec<u32> = imo
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    let sum: u32 = d[..6].iter().zip((2..=7).rev()).map(|(x, w)| x * w).sum();
    sum % 10 == d[6]
}

/// True when two 7-digit numbers differ in exactly one digit (the "A LI" 8814881 / YON PUNG 3
/// 8314881 pattern).
pub fn one_digit_apart(a: u32, b: u32) -> bool {
    let (sa, sb) = (format!("{a:07}"), format!("{b:07}"));
    sa.len() == sb.len() && sa.chars().zip(sb.chars()).filter(|(x, y)| x != y).count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use lists::model::{Identifier, Name, NameStrength};

    fn vessel_entity(id: &str, name: &str, imo: &str, program: &str) -> Entity {
        let mut e = Entity::new(id, "ofac", Schema::Vessel);
        e.names = vec![Name {
            full: name.into(),
            strength: NameStrength::Strong,
        }];
        e.identifiers = vec![Identifier {
            kind: IdKind::Imo,
            value: format!("IMO {imo}"),
            country: None,
        }];
        e.programs = vec![program.into()];
        e
    }

    #[test]
    fn directory_from_static_reports() {
        let row = |name: &str, imo: u32, draught: f32| store::StaticRow {
            time_ms: Some(0),
            mmsi: 445_000_001,
            msg_type: 5,
            imo: Some(imo),
            name: Some(name.into()),
            ship_type: Some(80),
            to_bow: Some(60),
            to_stern: Some(20),
            to_port: Some(6),
            to_starboard: Some(6),
            draught: Some(draught),
            ..store::StaticRow::default()
        };
        let rows = [
            row("YU JONG 2", 8_604_917, 4.0),
            row("YU JONG 2", 8_604_917, 5.5),
            row("SONG HAE", 8_604_918, 3.0),
        ];
        let d = directory_from_static(rows.iter());
        let v = &d[&445_000_001];
        assert_eq!(
            v.names,
            vec!["YU JONG 2".to_string(), "SONG HAE".to_string()]
        );
        assert_eq!(v.imos[0], 8_604_917);
        assert_eq!(
            (v.length_m, v.beam_m, v.max_draught_m),
            (Some(80.0), Some(12.0), Some(5.5))
        );
        assert!(v.is_tanker());
    }

    #[test]
    fn screening_through_the_screen_index() {
        let r = Regime::dprk();
        let entities = vec![vessel_entity(
            "ofac:1",
            "RYE SONG GANG 1",
            "7389704",
            "DPRK3",
        )];
        let index = screen::Index::build(&entities);
        let mut dir = VesselDirectory::new();
        let mut a = VesselInfo::new(445_000_001);
        a.imos = vec![7_389_704];
        a.names = vec!["RYE SONG GANG 1".into()];
        dir.insert(a.mmsi, a);
        let mut b = VesselInfo::new(352_000_002);
        b.names = vec!["OCEAN STAR".into()];
        dir.insert(b.mmsi, b);
        let s = screen_with_index(&r, &dir, &index, 0.9);
        let m = s.matches(445_000_001);
        assert!(m.iter().any(|m| m.basis == MatchBasis::Imo && m.designated));
        assert!(m
            .iter()
            .any(|m| m.basis == MatchBasis::Name && m.score >= 0.9));
        assert!(s.matches(352_000_002).is_empty());
        assert_eq!(s.designated_vessels.len(), 1);
    }

    #[test]
    fn imo_check_digit() {
        assert!(imo_is_valid(9_074_729)); // the IMO's own worked example
        assert!(imo_is_valid(8_312_497)); // NEW REGENT / SONG WON 2
        assert!(imo_is_valid(7_389_704)); // RYE SONG GANG 1
        assert!(!imo_is_valid(9_074_728));
        assert!(!imo_is_valid(123));
        assert!(one_digit_apart(8_814_881, 8_314_881));
        assert!(!one_digit_apart(8_814_881, 8_814_881));
        assert!(!one_digit_apart(8_814_881, 8_314_880));
    }

    #[test]
    fn exact_screening_by_imo_and_name() {
        let r = Regime::dprk();
        let entities = vec![
            vessel_entity("ofac:1", "RYE SONG GANG 1", "7389704", "DPRK3"),
            vessel_entity("ofac:2", "OTHER SHIP", "9000000", "SDGT"),
        ];
        let mut dir = VesselDirectory::new();
        let mut a = VesselInfo::new(445_000_001);
        a.imos = vec![7_389_704];
        dir.insert(a.mmsi, a);
        let mut b = VesselInfo::new(351_000_002);
        b.names = vec!["Rye Song-Gang 1".into()];
        dir.insert(b.mmsi, b);
        let mut c = VesselInfo::new(352_000_003);
        c.names = vec!["Other Ship".into()];
        dir.insert(c.mmsi, c);
        let s = screen_exact(&r, &dir, &entities);
        assert_eq!(s.matches(445_000_001)[0].basis, MatchBasis::Imo);
        assert!(s.is_designated(445_000_001));
        assert_eq!(s.matches(351_000_002)[0].basis, MatchBasis::Name);
        assert!(s.is_designated(351_000_002));
        assert!(
            !s.is_designated(352_000_003),
            "listed, but not under the DPRK programmes"
        );
        assert_eq!(s.designated_vessels.len(), 1);
        assert_eq!(s.designated_vessels[0].imos, vec![7_389_704]);
    }
}
