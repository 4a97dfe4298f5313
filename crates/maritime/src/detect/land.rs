//! A land mask: land polygons rasterised once (scanline fill, even-odd, so holes such as lakes
//! stay water) into a bit grid, so "is this position on land" is O(1) per position.
//!
//! The default mask is Natural Earth 1:10m land clipped to East Asia (`data/coast/`, public
//! domain). At 1:10m the coast is accurate to roughly a kilometre and narrow rivers count as
//! land, so a position is called on land only when its cell and all 8 neighbours are land
//! (about 1 km inland at the default 0.01° resolution), and detectors skip positions near
//! listed ports.

use spatial::{LonLat, ZoneSet};

/// The embedded Natural Earth land polygons (East Asia).
pub const DEFAULT_LAND_GEOJSON: &str =
    include_str!("../../../../data/coast/land_east_asia.geojson");

/// A rasterised land mask.
#[derive(Debug, Clone, Default)]
pub struct LandMask {
    lon0: f64,
    lat0: f64,
    res: f64,
    width: usize,
    height: usize,
    bits: Vec<u64>,
}

impl LandMask {
    /// Rasterises every polygon of `land` at `res` degrees.
    pub fn from_zones(land: &ZoneSet, res: f64) -> Self {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in land.zones.iter().flat_map(|z| &z.polygons) {
            let b = p.bbox();
            x0 = x0.min(b.0);
            y0 = y0.min(b.1);
            x1 = x1.max(b.2);
            y1 = y1.max(b.3);
        }
        if x0 > x1 || res <= 0.0 {
            return Self::default();
        }
        let width = ((x1 - x0) / res).ceil() as usize + 1;
        let height = ((y1 - y0) / res).ceil() as usize + 1;
        let mut rows: Vec<Vec<f64>> = vec![Vec::new(); height];
        let rings = land
            .zones
            .iter()
            .flat_map(|z| &z.polygons)
            .flat_map(|p| std::iter::once(&p.outer).chain(p.holes.iter()));
        for ring in rings {
            let n = ring.len();
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if a.lat == b.lat {
                    continue;
                }
                let (lo, hi) = if a.lat < b.lat {
                    (a.lat, b.lat)
                } else {
                    (b.lat, a.lat)
                };
                // Rows whose centre latitude y satisfies lo <= y < hi.
                let r0 = ((lo - y0) / res - 0.5).ceil().max(0.0) as usize;
                let mut r = r0;
                while r < height {
                    let y = y0 + (r as f64 + 0.5) * res;
                    if y >= hi {
                        break;
                    }
                    if y >= lo {
                        rows[r].push(a.lon + (b.lon - a.lon) * (y - a.lat) / (b.lat - a.lat));
                    }
                    r += 1;
                }
            }
        }
        let mut bits = vec![0u64; (width * height).div_ceil(64)];
        for (r, xs) in rows.iter_mut().enumerate() {
            xs.sort_by(f64::total_cmp);
            for pair in xs.chunks_exact(2) {
                let c0 = ((pair[0] - x0) / res - 0.5).ceil().max(0.0) as usize;
                let c1 = (((pair[1] - x0) / res - 0.5).ceil().max(0.0) as usize).min(width);
                for c in c0..c1 {
                    let i = r * width + c;
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
        }
        Self {
            lon0: x0,
            lat0: y0,
            res,
            width,
            height,
            bits,
        }
    }

    /// The default East Asia mask at 0.01°.
    pub fn default_region() -> Self {
        let land = ZoneSet::from_geojson_str("land_east_asia.geojson", DEFAULT_LAND_GEOJSON)
            .unwrap_or_default();
        Self::from_zones(&land, 0.01)
    }

    fn cell(&self, c: i64, r: i64) -> bool {
        if c < 0 || r < 0 || c as usize >= self.width || r as usize >= self.height {
            return false;
        }
        let i = r as usize * self.width + c as usize;
        self.bits[i / 64] >> (i % 64) & 1 == 1
    }

    /// True when the cell of `p` is land.
    pub fn is_land_cell(&self, p: LonLat) -> bool {
        if self.bits.is_empty() {
            return false;
        }
        let c = ((p.lon - self.lon0) / self.res).floor() as i64;
        let r = ((p.lat - self.lat0) / self.res).floor() as i64;
        self.cell(c, r)
    }

    /// True when `p`'s cell and its 8 neighbours are land: clearly inland, not a coastal fix.
    pub fn is_inland(&self, p: LonLat) -> bool {
        if self.bits.is_empty() {
            return false;
        }
        let c = ((p.lon - self.lon0) / self.res).floor() as i64;
        let r = ((p.lat - self.lat0) / self.res).floor() as i64;
        (-1..=1).all(|dc| (-1..=1).all(|dr| self.cell(c + dc, r + dr)))
    }

    /// True when the mask holds no land.
    pub fn is_empty(&self) -> bool {
        self.bits.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_mask_knows_land_from_sea() {
        let m = LandMask::default_region();
        assert!(!m.is_empty());
        // Pyongyang, Beijing area, Seoul: inland.
        assert!(m.is_inland(LonLat::new(125.75, 39.03)));
        assert!(m.is_inland(LonLat::new(116.4, 39.9)));
        assert!(m.is_inland(LonLat::new(127.0, 37.55)));
        // Middle of the Yellow Sea, Korea Bay, East China Sea: water.
        assert!(!m.is_land_cell(LonLat::new(123.5, 36.0)));
        assert!(!m.is_land_cell(LonLat::new(123.8, 39.0)));
        assert!(!m.is_land_cell(LonLat::new(125.0, 30.0)));
    }
}
