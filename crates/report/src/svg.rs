//! SVG maps and charts, written by hand so the report needs no scripts and no network.

use crate::view::{TallyView, TrackView, ZoneView};
use std::fmt::Write;

/// Escapes text for HTML and SVG content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Silence between two points longer than this is drawn as "not heard", in ms.
const GAP_MS: i64 = 2 * 3_600_000;

/// Colours for tracks, in order; chosen to stay distinct for colour-blind readers.
const TRACK_COLOURS: [&str; 6] = [
    "#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
];

/// A lon/lat box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    /// West edge.
    pub lon0: f64,
    /// South edge.
    pub lat0: f64,
    /// East edge.
    pub lon1: f64,
    /// North edge.
    pub lat1: f64,
}

impl BBox {
    /// The smallest box around the points, grown by `pad` of its size and to at least `min_deg` wide and high.
    pub fn around(
        points: impl IntoIterator<Item = (f64, f64)>,
        pad: f64,
        min_deg: f64,
    ) -> Option<BBox> {
        let mut b: Option<BBox> = None;
        for (lon, lat) in points {
            if !lon.is_finite() || !lat.is_finite() {
                continue;
            }
            b = Some(match b {
                None => BBox {
                    lon0: lon,
                    lat0: lat,
                    lon1: lon,
                    lat1: lat,
                },
                Some(b) => BBox {
                    lon0: b.lon0.min(lon),
                    lat0: b.lat0.min(lat),
                    lon1: b.lon1.max(lon),
                    lat1: b.lat1.max(lat),
                },
            });
        }
        b.map(|b| {
            let (cx, cy) = ((b.lon0 + b.lon1) / 2.0, (b.lat0 + b.lat1) / 2.0);
            let w = ((b.lon1 - b.lon0) * (1.0 + 2.0 * pad)).max(min_deg);
            let h = ((b.lat1 - b.lat0) * (1.0 + 2.0 * pad)).max(min_deg);
            BBox {
                lon0: cx - w / 2.0,
                lat0: (cy - h / 2.0).max(-85.0),
                lon1: cx + w / 2.0,
                lat1: (cy + h / 2.0).min(85.0),
            }
        })
    }
}

fn merc_y(lat: f64) -> f64 {
    let r = lat.clamp(-85.0, 85.0).to_radians();
    (std::f64::consts::FRAC_PI_4 + r / 2.0).tan().ln()
}

/// A Mercator projection of a box onto a pixel canvas of fixed width.
struct Proj {
    b: BBox,
    w: f64,
    h: f64,
    y_top: f64,
    scale: f64,
}

impl Proj {
    fn new(b: BBox, w: f64) -> Self {
        let scale = w / (b.lon1 - b.lon0).to_radians();
        let y_top = merc_y(b.lat1);
        let h = (y_top - merc_y(b.lat0)) * scale;
        Proj {
            b,
            w,
            h,
            y_top,
            scale,
        }
    }
    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.b.lon0).to_radians() * self.scale,
            (self.y_top - merc_y(lat)) * self.scale,
        )
    }
}

/// Sutherland–Hodgman clip of a ring to a box (convex), so maps carry only what they show.
fn clip_ring(ring: &[(f64, f64)], b: BBox) -> Vec<(f64, f64)> {
    type Inside = fn(&(f64, f64), f64) -> bool;
    type Cut = fn((f64, f64), (f64, f64), f64) -> (f64, f64);
    let edges: [(Inside, Cut, f64); 4] = [
        (
            |p, v| p.0 >= v,
            |a, c, v| (v, a.1 + (c.1 - a.1) * (v - a.0) / (c.0 - a.0)),
            b.lon0,
        ),
        (
            |p, v| p.0 <= v,
            |a, c, v| (v, a.1 + (c.1 - a.1) * (v - a.0) / (c.0 - a.0)),
            b.lon1,
        ),
        (
            |p, v| p.1 >= v,
            |a, c, v| (a.0 + (c.0 - a.0) * (v - a.1) / (c.1 - a.1), v),
            b.lat0,
        ),
        (
            |p, v| p.1 <= v,
            |a, c, v| (a.0 + (c.0 - a.0) * (v - a.1) / (c.1 - a.1), v),
            b.lat1,
        ),
    ];
    let mut poly = ring.to_vec();
    for (inside, cut, v) in edges {
        if poly.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(poly.len());
        let mut prev = poly[poly.len() - 1];
        for &cur in &poly {
            match (inside(&cur, v), inside(&prev, v)) {
                (true, true) => out.push(cur),
                (true, false) => {
                    out.push(cut(prev, cur, v));
                    out.push(cur);
                }
                (false, true) => out.push(cut(prev, cur, v)),
                (false, false) => {}
            }
            prev = cur;
        }
        poly = out;
    }
    poly
}

/// Path data for a ring, dropping vertices less than half a pixel from the last one kept.
fn ring_path(p: &Proj, ring: &[(f64, f64)], close: bool) -> String {
    let mut d = String::new();
    let mut last: Option<(f64, f64)> = None;
    for &(lon, lat) in ring {
        let (x, y) = p.xy(lon, lat);
        if let Some((lx, ly)) = last {
            if (x - lx).abs() < 0.5 && (y - ly).abs() < 0.5 {
                continue;
            }
        }
        let _ = write!(
            d,
            "{}{:.1},{:.1}",
            if last.is_none() { "M" } else { "L" },
            x,
            y
        );
        last = Some((x, y));
    }
    if close && !d.is_empty() {
        d.push('Z');
    }
    d
}

fn fmt_time(ms: i64) -> String {
    crate::time::format_utc(ms)
}

/// Renders a map of `bbox` with land, zones, tracks and markers. `width` is in pixels.
pub fn map(
    bbox: BBox,
    width: f64,
    land: &[Vec<(f64, f64)>],
    zones: &[ZoneView],
    tracks: &[TrackView],
    markers: &[(f64, f64, String)],
) -> String {
    let p = Proj::new(bbox, width);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img"><rect width="100%" height="100%" fill="#dbe9f4"/>"##,
        w = p.w,
        h = p.h
    );
    let grow = BBox {
        lon0: bbox.lon0 - 0.5,
        lat0: bbox.lat0 - 0.5,
        lon1: bbox.lon1 + 0.5,
        lat1: bbox.lat1 + 0.5,
    };
    s.push_str(r##"<g class="land" fill="#efe9dc" stroke="#9c8f74" stroke-width="0.6">"##);
    for ring in land {
        let c = clip_ring(ring, grow);
        if c.len() >= 3 {
            let _ = write!(s, r#"<path d="{}"/>"#, ring_path(&p, &c, true));
        }
    }
    s.push_str("</g>");
    for z in zones {
        let (fill, stroke) = match z.kind.as_str() {
            "sts_hotspot" => ("#ff7f0e22", "#ff7f0e"),
            "territorial_sea" | "eez" | "military_zone" | "boundary" => ("#d6272811", "#d62728"),
            _ => ("#9467bd18", "#9467bd"),
        };
        for ring in &z.rings {
            let c = clip_ring(ring, grow);
            if c.len() >= 3 {
                let _ = write!(
                    s,
                    r#"<path d="{}" fill="{fill}" stroke="{stroke}" stroke-width="1" stroke-dasharray="4 3"><title>{}</title></path>"#,
                    ring_path(&p, &c, true),
                    esc(&z.name)
                );
            }
        }
    }
    for (i, t) in tracks.iter().enumerate() {
        let colour = TRACK_COLOURS[i % TRACK_COLOURS.len()];
        // Silence longer than GAP_MS is drawn as a thin dashed line: the ship was not heard there,
        // and a solid line would claim a route nobody saw.
        let mut solid: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        let mut dashed = String::new();
        for w in t.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if b.2 - a.2 > GAP_MS {
                let (ax, ay) = p.xy(a.0, a.1);
                let (bx, by) = p.xy(b.0, b.1);
                let _ = write!(dashed, "M{ax:.1},{ay:.1}L{bx:.1},{by:.1}");
                solid.push(Vec::new());
            } else {
                let run = solid.last_mut().expect("solid always has a run");
                if run.is_empty() {
                    run.push((a.0, a.1));
                }
                run.push((b.0, b.1));
            }
        }
        let d: String = solid
            .iter()
            .filter(|r| r.len() >= 2)
            .map(|r| ring_path(&p, r, false))
            .collect();
        if !d.is_empty() {
            let _ = write!(
                s,
                r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.8" opacity="0.9"><title>{}</title></path>"#,
                esc(&t.label)
            );
        }
        if !dashed.is_empty() {
            let _ = write!(
                s,
                r#"<path d="{dashed}" fill="none" stroke="{colour}" stroke-width="1" stroke-dasharray="3 4" opacity="0.8"><title>{}: not heard</title></path>"#,
                esc(&t.label)
            );
        }
        if let (Some(first), Some(last)) = (t.points.first(), t.points.last()) {
            for (pt, tag) in [(first, "start"), (last, "end")] {
                let (x, y) = p.xy(pt.0, pt.1);
                let when = fmt_time(pt.2);
                let _ = write!(
                    s,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{colour}"><title>{} {tag} {when}</title></circle><text x="{:.1}" y="{:.1}" class="tlabel">{}</text>"#,
                    esc(&t.label),
                    x + 4.0,
                    y - 4.0,
                    esc(when.get(5..16).unwrap_or(&when))
                );
            }
        }
    }
    for (lon, lat, label) in markers {
        let (x, y) = p.xy(*lon, *lat);
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="7" fill="none" stroke="#000" stroke-width="2"/><text x="{:.1}" y="{:.1}" class="mlabel">{}</text>"##,
            x + 9.0,
            y + 4.0,
            esc(label)
        );
    }
    // Legend and scale: a reader must be able to tell who is who and how far things are.
    let mut ly = 14.0;
    for (i, t) in tracks.iter().enumerate() {
        let colour = TRACK_COLOURS[i % TRACK_COLOURS.len()];
        let _ = write!(
            s,
            r##"<rect x="6" y="{:.0}" width="10" height="10" fill="{colour}"/><text x="20" y="{:.0}" class="legend">{}</text>"##,
            ly - 9.0,
            ly,
            esc(&t.label)
        );
        ly += 14.0;
    }
    let mid_lat = (bbox.lat0 + bbox.lat1) / 2.0;
    let km_per_px = (bbox.lon1 - bbox.lon0) * 111.32 * mid_lat.to_radians().cos() / p.w;
    let nice = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];
    let target = km_per_px * p.w / 5.0;
    let km = nice.iter().copied().rfind(|k| *k <= target).unwrap_or(0.5);
    let px = km / km_per_px;
    let _ = write!(
        s,
        r##"<g class="scale"><rect x="{x0:.0}" y="{y:.0}" width="{px:.1}" height="4" fill="#333"/><text x="{x0:.0}" y="{ty:.0}" class="legend">{km} km</text></g>"##,
        x0 = p.w - px - 12.0,
        y = p.h - 14.0,
        ty = p.h - 18.0
    );
    let _ = write!(
        s,
        r##"<text x="{:.0}" y="{:.0}" class="attrib">{:.2}°–{:.2}°E, {:.2}°–{:.2}°N · land: Natural Earth</text></svg>"##,
        6.0,
        p.h - 4.0,
        bbox.lon0,
        bbox.lon1,
        bbox.lat0,
        bbox.lat1
    );
    s
}

/// Renders the cumulative petroleum chart: reported and estimated (low/mid/high) barrels by
/// month against the cap and its 75/90/95 % lines.
pub fn tally_chart(t: &TallyView) -> String {
    let (w, h) = (720.0, 360.0);
    let (ml, mr, mt, mb) = (70.0, 140.0, 20.0, 40.0);
    let pw = w - ml - mr;
    let ph = h - mt - mb;
    let max_val = t
        .months
        .iter()
        .flat_map(|m| [m.reported_cum, m.high_cum])
        .fold(t.cap_bbl * 1.05, f64::max);
    // Round the axis up to a "nice" step (1, 2, 2.5 or 5 times a power of ten) so ticks read easily.
    let raw_step = (max_val / 5.0).max(1.0);
    let mag = 10f64.powf(raw_step.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw_step)
        .unwrap_or(10.0 * mag);
    let ticks = (max_val / step).ceil() as usize;
    let max_val = step * ticks as f64;
    let n = t.months.len().max(1);
    let x = |i: usize| ml + pw * (i as f64 + 0.5) / n as f64;
    let y = |v: f64| mt + ph * (1.0 - v / max_val);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img"><rect width="100%" height="100%" fill="#fff"/>"##
    );
    // Horizontal grid with labels.
    for k in 0..=ticks {
        let v = step * k as f64;
        let _ = write!(
            s,
            r##"<line x1="{ml}" x2="{:.0}" y1="{yy:.1}" y2="{yy:.1}" stroke="#eee"/><text x="{:.0}" y="{:.1}" class="axis" text-anchor="end">{}</text>"##,
            ml + pw,
            ml - 6.0,
            y(v) + 4.0,
            group_thousands(v.round() as i64),
            yy = y(v)
        );
    }
    // Threshold labels sit right of the plot; close lines would overprint, so labels keep 12 px apart.
    let mut label_y = f64::NEG_INFINITY;
    for (frac, label, colour) in [
        (1.0, "cap", "#000"),
        (0.95, "95%", "#d62728"),
        (0.9, "90%", "#ff7f0e"),
        (0.75, "75%", "#bcbd22"),
    ] {
        let v = t.cap_bbl * frac;
        label_y = (y(v) + 4.0).max(label_y + 12.0);
        let _ = write!(
            s,
            r##"<line x1="{ml}" x2="{:.0}" y1="{yy:.1}" y2="{yy:.1}" stroke="{colour}" stroke-dasharray="{}"/><text x="{:.0}" y="{:.1}" class="axis" fill="{colour}">{label} ({} bbl)</text>"##,
            ml + pw,
            if frac == 1.0 { "none" } else { "5 4" },
            ml + pw + 6.0,
            label_y,
            group_thousands(v.round() as i64),
            yy = y(v)
        );
    }
    for (i, m) in t.months.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.0}" class="axis" text-anchor="middle">{}</text>"#,
            x(i),
            h - mb + 16.0,
            esc(m.month.get(5..).unwrap_or(&m.month))
        );
    }
    let _ = write!(
        s,
        r#"<text x="{:.0}" y="{:.0}" class="axis" text-anchor="middle">{} (month)</text>"#,
        ml + pw / 2.0,
        h - 6.0,
        t.year
    );
    // The estimate band first, so the lines stay on top.
    if !t.months.is_empty() {
        let mut d = String::new();
        for (i, m) in t.months.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { "L" },
                x(i),
                y(m.high_cum)
            );
        }
        for (i, m) in t.months.iter().enumerate().rev() {
            let _ = write!(d, "L{:.1},{:.1}", x(i), y(m.low_cum));
        }
        d.push('Z');
        let _ = write!(
            s,
            r##"<path d="{d}" fill="#1f77b433" stroke="none"><title>estimated, low to high</title></path>"##
        );
    }
    type Series = fn(&crate::view::MonthView) -> f64;
    let series: [(&str, Series, &str, &str); 4] = [
        ("estimated (high)", |m| m.high_cum, "#1f77b4", "2 3"),
        ("estimated (mid)", |m| m.mid_cum, "#1f77b4", "none"),
        ("estimated (low)", |m| m.low_cum, "#1f77b4", "2 3"),
        ("reported", |m| m.reported_cum, "#2ca02c", "none"),
    ];
    for (k, (label, f, colour, dash)) in series.iter().enumerate() {
        let mut d = String::new();
        for (i, m) in t.months.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { "L" },
                x(i),
                y(f(m))
            );
        }
        let _ = write!(
            s,
            r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.2" stroke-dasharray="{dash}"><title>{label}</title></path>"#
        );
        for (i, m) in t.months.iter().enumerate() {
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{colour}"><title>{label} {}: {} bbl</title></circle>"#,
                x(i),
                y(f(m)),
                esc(&m.month),
                group_thousands(f(m).round() as i64)
            );
        }
        let ly = mt + 14.0 + 16.0 * k as f64;
        if k == 0 {
            let _ = write!(
                s,
                r##"<rect x="{:.0}" y="{:.0}" width="150" height="70" fill="#fff" stroke="#ccc"/>"##,
                ml + 8.0,
                mt + 4.0
            );
        }
        let _ = write!(
            s,
            r#"<line x1="{:.0}" x2="{:.0}" y1="{ly:.0}" y2="{ly:.0}" stroke="{colour}" stroke-width="2.2" stroke-dasharray="{dash}"/><text x="{:.0}" y="{:.0}" class="axis">{label}</text>"#,
            ml + 14.0,
            ml + 34.0,
            ml + 38.0,
            ly + 4.0
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{ml}" x2="{ml}" y1="{mt}" y2="{:.0}" stroke="#333"/><line x1="{ml}" x2="{:.0}" y1="{:.0}" y2="{:.0}" stroke="#333"/>"##,
        mt + ph,
        ml + pw,
        mt + ph,
        mt + ph
    );
    s.push_str("</svg>");
    s
}

/// 1234567 → "1,234,567".
pub fn group_thousands(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::MonthView;

    #[test]
    fn clipping_keeps_inside_and_cuts_outside() {
        let sq = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let c = clip_ring(
            &sq,
            BBox {
                lon0: 5.0,
                lat0: -1.0,
                lon1: 20.0,
                lat1: 5.0,
            },
        );
        assert!(
            c.iter()
                .all(|&(x, y)| (5.0..=10.0).contains(&x) && (0.0..=5.0).contains(&y)),
            "{c:?}"
        );
        assert_eq!(c.len(), 4);
    }

    #[test]
    fn projection_puts_north_up_and_east_right() {
        let p = Proj::new(
            BBox {
                lon0: 124.0,
                lat0: 37.0,
                lon1: 126.0,
                lat1: 39.0,
            },
            400.0,
        );
        let (x1, y1) = p.xy(124.5, 38.5);
        let (x2, y2) = p.xy(125.5, 37.5);
        assert!(x2 > x1 && y2 > y1);
        let (x0, y0) = p.xy(124.0, 39.0);
        assert!(x0.abs() < 1e-9 && y0.abs() < 1e-9);
    }

    #[test]
    fn map_escapes_labels_and_draws_tracks() {
        let svg = map(
            BBox {
                lon0: 124.0,
                lat0: 37.0,
                lon1: 126.0,
                lat1: 39.0,
            },
            400.0,
            &[vec![(124.5, 38.5), (125.5, 38.5), (125.5, 38.9)]],
            &[],
            &[TrackView {
                label: "A<B".into(),
                points: vec![(124.2, 37.2, 0), (124.8, 37.9, 3_600_000)],
            }],
            &[(124.5, 37.5, "STS".into())],
        );
        assert!(svg.contains("A&lt;B"));
        assert!(!svg.contains("A<B"));
        assert!(svg.contains("class=\"land\""));
        assert!(svg.contains("STS"));
    }

    #[test]
    fn chart_has_cap_lines_and_series() {
        let t = TallyView {
            year: 2019,
            cap_bbl: 500_000.0,
            months: (1..=3)
                .map(|m| MonthView {
                    month: format!("2019-{m:02}"),
                    reported_cum: m as f64 * 1e4,
                    low_cum: m as f64 * 5e4,
                    mid_cum: m as f64 * 8e4,
                    high_cum: m as f64 * 1.5e5,
                })
                .collect(),
            crossings: vec![],
            notes: vec![],
        };
        let svg = tally_chart(&t);
        for s in [
            "cap (500,000 bbl)",
            "95% (475,000 bbl)",
            "90%",
            "75%",
            "reported",
            "estimated (mid)",
        ] {
            assert!(svg.contains(s), "missing {s}");
        }
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(500000), "500,000");
        assert_eq!(group_thousands(-1234567), "-1,234,567");
    }
}
