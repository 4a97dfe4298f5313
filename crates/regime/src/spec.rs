//! The regime file: measures, zones, caps, commodity groups, conversion factors and rule
//! weights, read from TOML (format in `docs/regime.md`).

use crate::hs::{parse_patterns, HsCode, HsPattern};
use serde::{Deserialize, Serialize};
use spatial::{haversine_m, LonLat, Polygon, Zone, ZoneSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The DPRK regime file shipped with Embargo.
pub const DPRK_TOML: &str = include_str!("../../../regimes/dprk.toml");

/// Errors reading a regime.
#[derive(Debug, thiserror::Error)]
pub enum RegimeError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The TOML is malformed or has the wrong shape.
    #[error("{source_name}: {message}")]
    Toml {
        /// Where the text came from.
        source_name: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The TOML parsed but a value is inconsistent.
    #[error("{source_name}: {message}")]
    Invalid {
        /// Where the text came from.
        source_name: String,
        /// What is wrong, naming the entry.
        message: String,
    },
}

/// A paragraph of a Security Council resolution (or another legal text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalReference {
    /// Resolution number, e.g. 2375.
    pub resolution: u32,
    /// Year of adoption.
    pub year: u32,
    /// Operative paragraph, e.g. `"11"` or `"12 (d)"`.
    pub paragraph: String,
    /// How sure the regime file is of the paragraph number: `seen`, `mem` or `summary`.
    #[serde(default = "default_confidence")]
    pub confidence: String,
}

fn default_confidence() -> String {
    "seen".into()
}

impl LegalReference {
    /// "resolution 2375 (2017), paragraph 11".
    pub fn cite(&self) -> String {
        format!(
            "resolution {} ({}), paragraph {}",
            self.resolution, self.year, self.paragraph
        )
    }
}

/// One measure of the regime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Identifier used by rules and commodity groups.
    pub id: String,
    /// Short title.
    pub title: String,
    /// What the measure requires, in a sentence.
    #[serde(default)]
    pub summary: String,
    /// Its legal references.
    #[serde(default)]
    pub references: Vec<LegalReference>,
}

/// A zone as the regime file writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneSpec {
    /// Name (ports use the World Port Index name).
    pub name: String,
    /// Other names, matched case-insensitively against event attributes.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `port`, `sts_hotspot`, `territorial_sea` or `target_waters`.
    pub kind: String,
    /// Port latitude.
    pub lat: Option<f64>,
    /// Port longitude.
    pub lon: Option<f64>,
    /// Port radius, km.
    pub radius_km: Option<f64>,
    /// Inline polygon as `[lon, lat]` pairs.
    pub polygon: Option<Vec<[f64; 2]>>,
    /// GeoJSON file with the polygons (relative to the regime file's folder).
    pub geojson: Option<String>,
    /// When true, a missing `geojson` file is skipped with a note instead of an error.
    #[serde(default)]
    pub optional: bool,
    /// True when the zone lies in the target state's waters.
    #[serde(default)]
    pub target_waters: bool,
    /// Where the coordinates come from.
    #[serde(default)]
    pub source: String,
}

/// Which list entries count as designated under the regime.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Designations {
    /// Substrings of programme names (case-insensitive).
    #[serde(default)]
    pub programs: Vec<String>,
    /// Prefixes of list reference numbers (e.g. `KPi.`).
    #[serde(default)]
    pub list_ref_prefixes: Vec<String>,
    /// Remarks for the reader.
    #[serde(default)]
    pub note: String,
}

/// Geography parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geography {
    /// Distance, km, within which a place counts as near the target's waters.
    #[serde(default = "default_near_km")]
    pub near_target_km: f64,
}

fn default_near_km() -> f64 {
    40.0
}

impl Default for Geography {
    fn default() -> Self {
        Self {
            near_target_km: default_near_km(),
        }
    }
}

/// A cap on supplies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cap {
    /// Identifier (`refined_petroleum`, `crude_oil`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The measure that sets it.
    pub measure: String,
    /// Limit in barrels per period.
    pub limit_barrels: f64,
    /// Alternative limit in tonnes, when the resolution gives one.
    pub limit_tonnes: Option<f64>,
    /// `calendar_year` or `twelve_months` (from `start`'s month and day).
    pub period: String,
    /// First day the cap applies, `YYYY-MM-DD`.
    pub start: String,
    /// Notification thresholds as fractions of the cap.
    #[serde(default)]
    pub thresholds: Vec<f64>,
    /// Product assumed when none is named.
    pub default_product: Option<String>,
}

/// Parameters of the petroleum tally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TallyParams {
    /// Laden fractions: low, mid, high.
    pub laden_fractions: Vec<f64>,
    /// Block coefficient for sizing hulls from AIS dimensions.
    pub block_coefficient: f64,
    /// Deadweight as a fraction of full-load displacement.
    pub deadweight_to_displacement: f64,
    /// Design draught as a fraction of length, when no draught was broadcast.
    pub draught_to_length: f64,
    /// Sea-water density, t/m³.
    pub seawater_density_t_m3: f64,
}

impl Default for TallyParams {
    fn default() -> Self {
        Self {
            laden_fractions: vec![1.0 / 3.0, 0.5, 0.9],
            block_coefficient: 0.8,
            deadweight_to_displacement: 0.75,
            draught_to_length: 0.065,
            seawater_density_t_m3: 1.025,
        }
    }
}

/// Tonnes-to-barrels factor of one product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionFactor {
    /// Product name.
    pub product: String,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Barrels per metric tonne.
    pub tonnes_to_barrels: f64,
    /// HS codes this factor applies to by default.
    #[serde(default)]
    pub hs: Vec<String>,
    /// Source of the factor.
    #[serde(default)]
    pub source: String,
}

/// Which way goods move relative to the target state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the target state.
    Export,
    /// To the target state.
    Import,
    /// Either way.
    Both,
}

/// Ban or cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// Prohibited outright.
    Ban,
    /// Allowed up to a cap.
    Cap,
}

/// A commodity group under a ban or cap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commodity {
    /// Display name.
    pub name: String,
    /// Direction.
    pub direction: Direction,
    /// Ban or cap.
    pub treatment: Treatment,
    /// For caps, the cap id.
    pub cap: Option<String>,
    /// HS patterns as written.
    pub hs: Vec<String>,
    /// The measure.
    pub measure: String,
    /// Parsed patterns (filled when the regime loads).
    #[serde(skip)]
    pub patterns: Vec<HsPattern>,
}

/// A rule's prior and feature weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSpec {
    /// Rule id (see `findings::RULES`).
    pub id: String,
    /// Measures whose references the findings cite.
    pub measures: Vec<String>,
    /// Prior log-odds.
    pub prior_log_odds: f64,
    /// Feature weights.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
}

/// A sanctions regime.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regime {
    /// Short id (`dprk`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The target state's name.
    pub target_state: String,
    /// ISO 3166-1 alpha-2 code of the target state.
    pub target_country: String,
    /// Other spellings of the target country in trade data.
    #[serde(default)]
    pub target_country_aliases: Vec<String>,
    /// MIDs of the target flag.
    pub target_mids: Vec<u16>,
    /// Country code easily keyed for the target's (KR for KP).
    pub confusable_country: Option<String>,
    /// Its other spellings.
    #[serde(default)]
    pub confusable_country_aliases: Vec<String>,
    /// Place names that point to the confusable country.
    #[serde(default)]
    pub confusable_places: Vec<String>,
    /// Which list entries count as designated.
    #[serde(default)]
    pub designations: Designations,
    /// Measures.
    pub measures: Vec<Measure>,
    /// Zones as written.
    #[serde(default)]
    pub zones: Vec<ZoneSpec>,
    /// Geography parameters.
    #[serde(default)]
    pub geography: Geography,
    /// Caps.
    #[serde(default)]
    pub caps: Vec<Cap>,
    /// Tally parameters.
    #[serde(default)]
    pub tally: TallyParams,
    /// Conversion factors.
    #[serde(default)]
    pub conversion_factors: Vec<ConversionFactor>,
    /// Commodity groups.
    #[serde(default)]
    pub commodities: Vec<Commodity>,
    /// Rules.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Polygon zones loaded from inline coordinates and GeoJSON files.
    #[serde(skip)]
    pub zone_set: ZoneSet,
    /// Notes from loading (optional files skipped, ...).
    #[serde(skip)]
    pub load_notes: Vec<String>,
}

/// A port of the target state.
#[derive(Debug, Clone, PartialEq)]
pub struct Port<'a> {
    /// The zone entry.
    pub spec: &'a ZoneSpec,
    /// Position.
    pub at: LonLat,
    /// Radius, metres.
    pub radius_m: f64,
}

impl Regime {
    /// The DPRK regime shipped with Embargo. Optional zone files (the ODbL territorial-sea
    /// polygon) are looked for under the current directory and under the repository this crate
    /// was built from; when absent, the inline zones are used alone (see `load_notes`).
    pub fn dprk() -> Regime {
        // The shipped file is tested to parse, so failure here is a build defect, not bad input.
        let mut r = Self::from_toml_str("regimes/dprk.toml", DPRK_TOML)
            .expect("the shipped regimes/dprk.toml parses (tested)");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let bases = [PathBuf::from("."), repo];
        r.load_optional_zones(&bases);
        r
    }

    /// Reads a regime file from disk; relative `geojson` paths resolve against its folder.
    pub fn load(path: &Path) -> Result<Regime, RegimeError> {
        let text = std::fs::read_to_string(path).map_err(|source| RegimeError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut r = Self::from_toml_str(&path.display().to_string(), &text)?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        r.load_zone_files(&[base])?;
        Ok(r)
    }

    /// `dprk` for the shipped regime, else a path to a regime file.
    pub fn by_name_or_path(name: &str) -> Result<Regime, RegimeError> {
        if name == "dprk" {
            Ok(Self::dprk())
        } else {
            Self::load(Path::new(name))
        }
    }

    /// Parses a regime from TOML text. Inline zones are built; `geojson` zone files are not read
    /// (call [`Regime::load`] or [`Regime::load_zone_files`] for those).
    pub fn from_toml_str(source_name: &str, text: &str) -> Result<Regime, RegimeError> {
        let mut r: Regime = toml::from_str(text).map_err(|e| RegimeError::Toml {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
        r.validate_and_build(source_name)?;
        Ok(r)
    }

    fn validate_and_build(&mut self, src: &str) -> Result<(), RegimeError> {
        let invalid = |message: String| RegimeError::Invalid {
            source_name: src.to_string(),
            message,
        };
        let measure_ids: Vec<&str> = self.measures.iter().map(|m| m.id.as_str()).collect();
        for c in &mut self.commodities {
            if !measure_ids.contains(&c.measure.as_str()) {
                return Err(invalid(format!(
                    "commodity {:?} names unknown measure {:?}",
                    c.name, c.measure
                )));
            }
            if c.treatment == Treatment::Cap && c.cap.is_none() {
                return Err(invalid(format!(
                    "commodity {:?} is capped but names no cap",
                    c.name
                )));
            }
            c.patterns.clear();
            for h in &c.hs {
                let p = parse_patterns(h)
                    .map_err(|e| invalid(format!("commodity {:?}: {e}", c.name)))?;
                c.patterns.extend(p);
            }
        }
        let cap_ids: Vec<String> = self.caps.iter().map(|c| c.id.clone()).collect();
        for c in &self.commodities {
            if let Some(cap) = &c.cap {
                if !cap_ids.contains(cap) {
                    return Err(invalid(format!(
                        "commodity {:?} names unknown cap {cap:?}",
                        c.name
                    )));
                }
            }
        }
        for cap in &self.caps {
            if crate::time::parse_date(&cap.start).is_none() {
                return Err(invalid(format!(
                    "cap {:?}: start {:?} is not YYYY-MM-DD",
                    cap.id, cap.start
                )));
            }
            if !matches!(cap.period.as_str(), "calendar_year" | "twelve_months") {
                return Err(invalid(format!(
                    "cap {:?}: period must be calendar_year or twelve_months, not {:?}",
                    cap.id, cap.period
                )));
            }
            if cap.limit_barrels.is_nan() || cap.limit_barrels <= 0.0 {
                return Err(invalid(format!(
                    "cap {:?}: limit_barrels must be positive",
                    cap.id
                )));
            }
        }
        for rule in &self.rules {
            for m in &rule.measures {
                if !measure_ids.contains(&m.as_str()) {
                    return Err(invalid(format!(
                        "rule {:?} names unknown measure {m:?}",
                        rule.id
                    )));
                }
            }
        }
        if self.tally.laden_fractions.len() != 3 {
            return Err(invalid(
                "tally.laden_fractions must have three values (low, mid, high)".into(),
            ));
        }
        let mut zones = Vec::new();
        for z in &self.zones {
            match z.kind.as_str() {
                "port" => {
                    let ok = matches!((z.lat, z.lon), (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo));
                    if !ok {
                        return Err(invalid(format!(
                            "port {:?} needs lat and lon in range",
                            z.name
                        )));
                    }
                }
                "sts_hotspot" | "territorial_sea" | "target_waters" => {
                    if let Some(poly) = &z.polygon {
                        if poly.len() < 3 {
                            return Err(invalid(format!(
                                "zone {:?}: polygon needs 3 or more points",
                                z.name
                            )));
                        }
                        zones.push(Zone {
                            name: z.name.clone(),
                            kind: z.kind.clone(),
                            polygons: vec![Polygon {
                                outer: poly.iter().map(|p| LonLat::new(p[0], p[1])).collect(),
                                holes: vec![],
                            }],
                            properties: vec![("target_waters".into(), z.target_waters.to_string())],
                        });
                    } else if z.geojson.is_none() {
                        return Err(invalid(format!(
                            "zone {:?} needs `polygon` or `geojson`",
                            z.name
                        )));
                    }
                }
                other => {
                    return Err(invalid(format!(
                        "zone {:?}: unknown kind {other:?}",
                        z.name
                    )))
                }
            }
        }
        self.zone_set = ZoneSet { zones };
        Ok(())
    }

    /// Reads the `geojson` zone files, resolving relative paths against the first base folder
    /// where the file exists. A missing optional file is noted in `load_notes`; a missing required
    /// file or a malformed one is an error.
    pub fn load_zone_files(&mut self, bases: &[PathBuf]) -> Result<(), RegimeError> {
        let specs: Vec<ZoneSpec> = self
            .zones
            .iter()
            .filter(|z| z.geojson.is_some())
            .cloned()
            .collect();
        for z in specs {
            let Some(rel) = &z.geojson else { continue };
            let found = bases.iter().map(|b| b.join(rel)).find(|p| p.exists());
            let Some(path) = found else {
                if z.optional {
                    self.load_notes.push(format!(
                        "zone {:?}: optional file {rel} not found; using inline zones only",
                        z.name
                    ));
                    continue;
                }
                return Err(RegimeError::Io {
                    path: rel.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "zone file not found",
                    ),
                });
            };
            let text = std::fs::read_to_string(&path).map_err(|source| RegimeError::Io {
                path: path.display().to_string(),
                source,
            })?;
            let set =
                ZoneSet::from_geojson_str(&path.display().to_string(), &text).map_err(|e| {
                    RegimeError::Invalid {
                        source_name: path.display().to_string(),
                        message: e.to_string(),
                    }
                })?;
            let polygons: Vec<Polygon> = set.zones.into_iter().flat_map(|zz| zz.polygons).collect();
            self.load_notes
                .push(format!("zone {:?}: read {}", z.name, path.display()));
            self.zone_set.zones.push(Zone {
                name: z.name.clone(),
                kind: z.kind.clone(),
                polygons,
                properties: vec![("target_waters".into(), z.target_waters.to_string())],
            });
        }
        Ok(())
    }

    fn load_optional_zones(&mut self, bases: &[PathBuf]) {
        if let Err(e) = self.load_zone_files(bases) {
            self.load_notes.push(format!("zone files not loaded: {e}"));
        }
    }

    /// The measure with this id.
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }

    /// The rule spec with this id.
    pub fn rule(&self, id: &str) -> Option<&RuleSpec> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The cap with this id.
    pub fn cap(&self, id: &str) -> Option<&Cap> {
        self.caps.iter().find(|c| c.id == id)
    }

    /// True when the MMSI's MID is the target flag's.
    pub fn is_target_mmsi(&self, mmsi: u32) -> bool {
        mid_of(mmsi).is_some_and(|mid| self.target_mids.contains(&mid))
    }

    /// True when `code` (ISO alpha-2/3, numeric or a name) names the target country.
    pub fn is_target_country(&self, code: &str) -> bool {
        let c = code.trim().to_uppercase();
        !c.is_empty()
            && (c == self.target_country.to_uppercase()
                || self
                    .target_country_aliases
                    .iter()
                    .any(|a| a.to_uppercase() == c))
    }

    /// True when `code` names the confusable country (KR for the DPRK regime).
    pub fn is_confusable_country(&self, code: &str) -> bool {
        let c = code.trim().to_uppercase();
        !c.is_empty()
            && (self
                .confusable_country
                .as_deref()
                .is_some_and(|k| k.to_uppercase() == c)
                || self
                    .confusable_country_aliases
                    .iter()
                    .any(|a| a.to_uppercase() == c))
    }

    /// The ports of the target state.
    pub fn ports(&self) -> Vec<Port<'_>> {
        self.zones
            .iter()
            .filter(|z| z.kind == "port")
            .filter_map(|z| {
                Some(Port {
                    spec: z,
                    at: LonLat::new(z.lon?, z.lat?),
                    radius_m: z.radius_km.unwrap_or(8.0) * 1000.0,
                })
            })
            .collect()
    }

    /// The port matching a name (or alias), case-insensitively.
    pub fn port_by_name(&self, name: &str) -> Option<Port<'_>> {
        let n = name.trim().to_uppercase();
        self.ports().into_iter().find(|p| {
            p.spec.name.to_uppercase() == n || p.spec.aliases.iter().any(|a| a.to_uppercase() == n)
        })
    }

    /// The nearest target port and the distance to it in metres.
    pub fn nearest_port(&self, p: LonLat) -> Option<(Port<'_>, f64)> {
        self.ports()
            .into_iter()
            .map(|port| {
                let d = haversine_m(p, port.at);
                (port, d)
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The port whose radius contains `p`.
    pub fn port_at(&self, p: LonLat) -> Option<Port<'_>> {
        self.nearest_port(p)
            .filter(|(port, d)| *d <= port.radius_m)
            .map(|(port, _)| port)
    }

    /// The STS hotspot containing `p`.
    pub fn hotspot_at(&self, p: LonLat) -> Option<&Zone> {
        self.zone_set
            .zones
            .iter()
            .find(|z| z.kind == "sts_hotspot" && z.contains(p))
    }

    fn target_water_zones(&self) -> impl Iterator<Item = &Zone> {
        self.zone_set.zones.iter().filter(|z| {
            matches!(z.kind.as_str(), "territorial_sea" | "target_waters")
                || z.properties
                    .iter()
                    .any(|(k, v)| k == "target_waters" && v == "true")
        })
    }

    /// Distance in metres from `p` to the target's waters: 0 inside a target-waters zone, else
    /// the least of the distance to such a zone and to a target port.
    pub fn distance_to_target_waters_m(&self, p: LonLat) -> f64 {
        let zone = self
            .target_water_zones()
            .map(|z| z.distance_m(p))
            .fold(f64::INFINITY, f64::min);
        let port = self.nearest_port(p).map_or(f64::INFINITY, |(_, d)| d);
        zone.min(port)
    }

    /// True when `p` lies inside a target-waters zone or within a target port's radius.
    pub fn inside_target_waters(&self, p: LonLat) -> bool {
        self.target_water_zones().any(|z| z.contains(p)) || self.port_at(p).is_some()
    }

    /// True when `p` is within `geography.near_target_km` of the target's waters.
    pub fn near_target_waters(&self, p: LonLat) -> bool {
        self.distance_to_target_waters_m(p) <= self.geography.near_target_km * 1000.0
    }

    /// Barrels per tonne for a product name (or alias), case-insensitive.
    pub fn barrels_per_tonne(&self, product: &str) -> Option<f64> {
        let p = product.trim().to_lowercase();
        self.conversion_factors
            .iter()
            .find(|f| {
                f.product.to_lowercase() == p || f.aliases.iter().any(|a| a.to_lowercase() == p)
            })
            .map(|f| f.tonnes_to_barrels)
    }

    /// Barrels per tonne for an HS code (the factor whose `hs` list the code falls under).
    pub fn barrels_per_tonne_for_hs(&self, code: &HsCode) -> Option<(&str, f64)> {
        self.conversion_factors.iter().find_map(|f| {
            f.hs.iter()
                .filter_map(|h| parse_patterns(h).ok())
                .flatten()
                .any(|p| p.matches(code))
                .then_some((f.product.as_str(), f.tonnes_to_barrels))
        })
    }

    /// True when a list entity counts as designated under this regime.
    pub fn entity_is_designated(&self, e: &lists::model::Entity) -> bool {
        let progs = self
            .designations
            .programs
            .iter()
            .map(|p| p.to_uppercase())
            .collect::<Vec<_>>();
        e.programs.iter().any(|p| {
            let up = p.to_uppercase();
            progs.iter().any(|want| up.contains(want))
        }) || e.list_ref.as_deref().is_some_and(|r| {
            self.designations
                .list_ref_prefixes
                .iter()
                .any(|pre| r.starts_with(pre.as_str()))
        })
    }

    /// The references of several measures, de-duplicated, in order.
    pub fn references_of(&self, measure_ids: &[String]) -> Vec<(String, LegalReference)> {
        let mut out: Vec<(String, LegalReference)> = Vec::new();
        for id in measure_ids {
            if let Some(m) = self.measure(id) {
                for r in &m.references {
                    if !out.iter().any(|(_, x)| x == r) {
                        out.push((m.id.clone(), r.clone()));
                    }
                }
            }
        }
        out
    }
}

/// The Maritime Identification Digits of a ship-station MMSI (`MIDxxxxxx`), or `None` for other
/// station kinds (coast stations `00MID`, group `0MID`, SAR `111MID`, AtoN `99MID`, ...).
pub fn mid_of(mmsi: u32) -> Option<u16> {
    if (200_000_000..800_000_000).contains(&mmsi) {
        Some((mmsi / 1_000_000) as u16)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_dprk_regime_parses_and_is_consistent() {
        let r = Regime::from_toml_str("dprk.toml", DPRK_TOML).unwrap();
        assert_eq!(r.target_mids, vec![445]);
        assert!(r.is_target_mmsi(445_123_456));
        assert!(!r.is_target_mmsi(440_123_456));
        let cap = r.cap("refined_petroleum").unwrap();
        assert_eq!(cap.limit_barrels, 500_000.0);
        let crude = r.cap("crude_oil").unwrap();
        assert_eq!(
            (crude.limit_barrels, crude.limit_tonnes),
            (4_000_000.0, Some(525_000.0))
        );
        assert_eq!(r.barrels_per_tonne("diesel"), Some(7.5));
        assert_eq!(r.barrels_per_tonne("LPG"), Some(11.6));
        let sts = r.measure("sts_ban").unwrap();
        assert_eq!(
            sts.references[0].cite(),
            "resolution 2375 (2017), paragraph 11"
        );
        assert!(r.ports().len() >= 10);
        assert!(r.port_by_name("Nampho").is_some());
        assert!(
            r.hotspot_at(LonLat::new(124.0, 30.0)).is_some(),
            "off Shanghai"
        );
        assert!(r.hotspot_at(LonLat::new(140.0, 30.0)).is_none());
        assert!(r.near_target_waters(LonLat::new(125.2, 38.6)));
        assert!(!r.near_target_waters(LonLat::new(123.0, 31.0)));
        for rule in &r.rules {
            assert!(!rule.weights.is_empty(), "{}", rule.id);
        }
        assert!(r.is_target_country("kp") && r.is_target_country("PRK"));
        assert!(r.is_confusable_country("KR") && !r.is_confusable_country("KP"));
    }

    #[test]
    fn bad_files_are_errors_naming_the_source() {
        let e = Regime::from_toml_str("x.toml", "id = ").unwrap_err();
        assert!(e.to_string().starts_with("x.toml"), "{e}");
        let broken = DPRK_TOML.replace("measure = \"coal_iron_ban\"", "measure = \"nope\"");
        let e = Regime::from_toml_str("y.toml", &broken).unwrap_err();
        assert!(e.to_string().contains("unknown measure"), "{e}");
        let broken = DPRK_TOML.replace("hs = [\"2701\", \"2702\", \"2704\"]", "hs = [\"27x1\"]");
        let e = Regime::from_toml_str("z.toml", &broken).unwrap_err();
        assert!(e.to_string().contains("Coal"), "{e}");
    }

    #[test]
    fn mids_only_for_ship_stations() {
        assert_eq!(mid_of(445_000_001), Some(445));
        assert_eq!(mid_of(4_450_001), None);
        assert_eq!(mid_of(992_451_234), None);
    }
}
