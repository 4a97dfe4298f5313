//! The port list: named places where ships are expected to stop, with a grid index for
//! "which port is within r metres" queries.
//!
//! The default list (`data/ports/ports.csv`, embedded at compile time) holds the World Port Index
//! entries for the Yellow Sea, Korea Bay, East China Sea, Russian Far East and Gulf of Tonkin
//! ports that come up in DPRK cases, plus the DPRK ports. Anchorages can be added as rows with
//! `kind = anchorage`; they count as "port" for every detector that excludes ports.

use super::DetectError;
use spatial::{haversine_m, LonLat};
use std::collections::HashMap;

/// The embedded default port list (CSV text of `data/ports/ports.csv`).
pub const DEFAULT_PORTS_CSV: &str = include_str!("../../../../data/ports/ports.csv");

/// Grid cell size of the port index, degrees (about 11 km of latitude).
const CELL_DEG: f64 = 0.1;

/// One port or anchorage.
#[derive(Debug, Clone, PartialEq)]
pub struct Port {
    /// Name as in the source list.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code (`KP` for the DPRK).
    pub country: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// `port` or `anchorage`.
    pub kind: String,
    /// `high`, `medium` or `low` (positions that need verification).
    pub confidence: String,
}

impl Port {
    /// The port's position.
    pub fn position(&self) -> LonLat {
        LonLat::new(self.lon, self.lat)
    }
}

/// A list of ports with a grid index.
#[derive(Debug, Clone, Default)]
pub struct PortList {
    ports: Vec<Port>,
    grid: HashMap<(i32, i32), Vec<usize>>,
    /// Each port listed in its cell and the 8 around it, so a query with a radius below one
    /// cell needs a single lookup.
    dilated: HashMap<(i32, i32), Vec<usize>>,
}

fn cell_of(p: LonLat) -> (i32, i32) {
    (
        (p.lon / CELL_DEG).floor() as i32,
        (p.lat / CELL_DEG).floor() as i32,
    )
}

impl PortList {
    /// A list from ports already parsed.
    pub fn new(ports: Vec<Port>) -> Self {
        let mut grid: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
        let mut dilated: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
        for (i, p) in ports.iter().enumerate() {
            let (x, y) = cell_of(p.position());
            grid.entry((x, y)).or_default().push(i);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    dilated.entry((x + dx, y + dy)).or_default().push(i);
                }
            }
        }
        Self {
            ports,
            grid,
            dilated,
        }
    }

    /// The embedded default list.
    pub fn default_region() -> Self {
        // The embedded file is part of the source tree and tested; a parse failure is a build bug.
        Self::from_csv_str("data/ports/ports.csv", DEFAULT_PORTS_CSV).unwrap_or_default()
    }

    /// Reads a CSV with at least the columns `name, lat, lon` (optional `country`, `kind`,
    /// `confidence`). `source_name` names the file in errors.
    pub fn from_csv_str(source_name: &str, text: &str) -> Result<Self, DetectError> {
        let bad = |line: u64, message: String| DetectError::Input {
            source_name: source_name.to_string(),
            line,
            message,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = rdr.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (Some(ci_name), Some(ci_lat), Some(ci_lon)) = (col("name"), col("lat"), col("lon"))
        else {
            return Err(bad(1, "header needs the columns name, lat, lon".into()));
        };
        let (ci_country, ci_kind, ci_conf) = (col("country"), col("kind"), col("confidence"));
        let mut ports = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let line = i as u64 + 2;
            let rec = rec.map_err(|e| bad(line, e.to_string()))?;
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
            let num = |c: usize, what: &str| -> Result<f64, DetectError> {
                get(Some(c))
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| bad(line, format!("{what} {:?} is not a number", get(Some(c)))))
            };
            let (lat, lon) = (num(ci_lat, "lat")?, num(ci_lon, "lon")?);
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(bad(line, format!("position {lat},{lon} out of range")));
            }
            let kind = get(ci_kind);
            ports.push(Port {
                name: get(Some(ci_name)).to_string(),
                country: get(ci_country).to_string(),
                lat,
                lon,
                kind: if kind.is_empty() {
                    "port".into()
                } else {
                    kind.into()
                },
                confidence: get(ci_conf).to_string(),
            });
        }
        Ok(Self::new(ports))
    }

    /// All ports.
    pub fn ports(&self) -> &[Port] {
        &self.ports
    }

    /// Adds ports (e.g. a scenario's or a user's) to the list.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Port>) {
        let mut all = std::mem::take(&mut self.ports);
        all.extend(more);
        *self = Self::new(all);
    }

    /// The nearest port within `radius_m` of `p` and its distance, through the grid index.
    pub fn within(&self, p: LonLat, radius_m: f64) -> Option<(&Port, f64)> {
        let (cx, cy) = cell_of(p);
        let dy = (radius_m / 111_000.0 / CELL_DEG).ceil() as i32;
        let coslat = p.lat.to_radians().cos().abs().max(0.05);
        let dx = (radius_m / (111_000.0 * coslat) / CELL_DEG).ceil() as i32;
        let mut best: Option<(&Port, f64)> = None;
        if dx <= 1 && dy <= 1 {
            for &i in self.dilated.get(&(cx, cy)).into_iter().flatten() {
                let d = haversine_m(p, self.ports[i].position());
                if d <= radius_m && best.is_none_or(|(_, b)| d < b) {
                    best = Some((&self.ports[i], d));
                }
            }
            return best;
        }
        for y in cy - dy..=cy + dy {
            for x in cx - dx..=cx + dx {
                for &i in self.grid.get(&(x, y)).into_iter().flatten() {
                    let d = haversine_m(p, self.ports[i].position());
                    if d <= radius_m && best.is_none_or(|(_, b)| d < b) {
                        best = Some((&self.ports[i], d));
                    }
                }
            }
        }
        best
    }

    /// The nearest port at any distance (linear scan; for per-event, not per-position, use).
    pub fn nearest(&self, p: LonLat) -> Option<(&Port, f64)> {
        self.ports
            .iter()
            .map(|q| (q, haversine_m(p, q.position())))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The nearest port of `country` at any distance.
    pub fn nearest_in(&self, p: LonLat, country: &str) -> Option<(&Port, f64)> {
        self.ports
            .iter()
            .filter(|q| q.country.eq_ignore_ascii_case(country))
            .map(|q| (q, haversine_m(p, q.position())))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_list_parses_and_holds_the_key_ports() {
        let l = PortList::default_region();
        assert!(l.ports().len() >= 40, "{}", l.ports().len());
        for name in [
            "DALIAN",
            "NAMPO",
            "SHANGHAI",
            "NINGBO",
            "QINGDAO GANG",
            "LONGKOU GANG",
        ] {
            assert!(l.ports().iter().any(|p| p.name == name), "{name} missing");
        }
    }

    #[test]
    fn within_finds_only_ports_inside_the_radius() {
        let l = PortList::default_region();
        let near_nampo = spatial::destination(LonLat::new(125.4, 38.716667), 270.0, 2_500.0);
        let (p, d) = l.within(near_nampo, 3_000.0).expect("Nampo within 3 km");
        assert!(p.name.starts_with("NAMP"), "{}", p.name);
        assert!(d <= 3_000.0);
        assert!(l.within(LonLat::new(123.5, 36.5), 20_000.0).is_none());
    }

    #[test]
    fn bad_rows_name_the_line() {
        let e = PortList::from_csv_str("x.csv", "name,lat,lon\nA,1,2\nB,nope,3\n").unwrap_err();
        assert!(
            e.to_string().contains("x.csv") && e.to_string().contains("line 3"),
            "{e}"
        );
    }
}
