//! The receiver model: which stations hear a message, and how delivery goes wrong.
//!
//! Terrestrial stations hear ships within their range, losing more messages towards the edge of
//! range; a satellite hears the whole area during passes only (revisit model), losing many
//! messages to slot collisions. A message heard by two stations is sometimes delivered twice;
//! a few lines are held back (out-of-order delivery) and a few are corrupted.

use crate::rng::Rng;
use crate::scenario::{Reception, Satellite, Station};
use spatial::{haversine_m, LonLat, METRES_PER_NM};

/// A receiver, as the model uses it.
#[derive(Debug, Clone)]
struct Rx {
    pos: LonLat,
    range_m: f64,
    range_deg_lat: f64,
}

/// The receiver network of a scenario.
#[derive(Debug, Clone)]
pub struct Receivers {
    /// Station ids: terrestrial stations first, then the satellite (if any).
    pub names: Vec<String>,
    rx: Vec<Rx>,
    sat: Option<(u16, i64, i64, f64, i64)>,
    outages: Vec<(i64, i64)>,
    /// Reception imperfections.
    pub reception: Reception,
    rng: Rng,
    heard: Vec<u16>,
}

/// Who heard a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heard {
    /// The station whose copy is delivered.
    pub primary: u16,
    /// A second station whose copy is also delivered (a duplicate).
    pub duplicate: Option<u16>,
}

impl Receivers {
    /// The network: stations, an optional satellite, the imperfections, a seed and the run's span
    /// (for drawing satellite outages).
    pub fn new(
        stations: &[Station],
        sat: Option<&Satellite>,
        reception: &Reception,
        seed: u64,
        span: (i64, i64),
    ) -> Self {
        let mut names: Vec<String> = stations.iter().map(|s| s.name.clone()).collect();
        let rx = stations
            .iter()
            .map(|s| {
                let range_m = s.range_nm * METRES_PER_NM;
                Rx {
                    pos: LonLat::new(s.lon, s.lat),
                    range_m,
                    range_deg_lat: range_m / 111_000.0 + 0.01,
                }
            })
            .collect();
        let mut rng = Rng::new(seed, 77);
        let mut outages = Vec::new();
        if let Some(s) = sat.filter(|s| s.outages_per_day > 0.0) {
            // Poisson arrivals of outages over the run.
            let mut t = span.0;
            loop {
                t += (-(1.0 - rng.f64()).ln() / s.outages_per_day * 86_400_000.0) as i64;
                if t >= span.1 {
                    break;
                }
                let len = (rng.range(s.outage_hours[0], s.outage_hours[1].max(s.outage_hours[0]))
                    * 3_600_000.0) as i64;
                outages.push((t, t + len));
                t += len;
            }
        }
        let sat = sat.map(|s| {
            names.push(s.name.clone());
            let revisit = (s.revisit_minutes * 60_000.0).max(60_000.0) as i64;
            let pass = (s.pass_minutes * 60_000.0).max(0.0) as i64;
            let offset = (rng.f64() * revisit as f64) as i64;
            (
                (names.len() - 1) as u16,
                revisit,
                pass,
                s.detect_prob,
                offset,
            )
        });
        Receivers {
            names,
            rx,
            sat,
            outages,
            reception: reception.clone(),
            rng,
            heard: Vec::with_capacity(8),
        }
    }

    /// True when a satellite pass covers `t`.
    pub fn satellite_overhead(&self, t: i64) -> bool {
        match self.sat {
            Some((_, revisit, pass, _, offset)) => {
                (t - offset).rem_euclid(revisit) < pass
                    && !self.outages.iter().any(|&(a, b)| a <= t && t < b)
            }
            None => false,
        }
    }

    /// Satellite outage windows (UTC ms).
    pub fn outages(&self) -> &[(i64, i64)] {
        &self.outages
    }

    /// Which stations hear a message sent from `pos` at `t`; `None` when none does.
    pub fn hear(&mut self, pos: LonLat, t: i64) -> Option<Heard> {
        self.heard.clear();
        let cos_lat = pos.lat.to_radians().cos().max(0.05);
        for (i, r) in self.rx.iter().enumerate() {
            let dlat = (pos.lat - r.pos.lat).abs();
            if dlat > r.range_deg_lat || (pos.lon - r.pos.lon).abs() * cos_lat > r.range_deg_lat {
                continue;
            }
            let d = haversine_m(pos, r.pos);
            if d > r.range_m {
                continue;
            }
            let loss = self.reception.loss * (0.5 + 0.5 * d / r.range_m);
            if !self.rng.chance(loss) {
                self.heard.push(i as u16);
            }
        }
        if let Some((id, _, _, p, _)) = self.sat {
            if self.satellite_overhead(t) && self.rng.chance(p) {
                self.heard.push(id);
            }
        }
        match self.heard.len() {
            0 => None,
            1 => Some(Heard {
                primary: self.heard[0],
                duplicate: None,
            }),
            n => {
                let a = self.rng.below(n);
                let dup = if self.rng.chance(self.reception.duplicate) {
                    let b = (a + 1 + self.rng.below(n - 1)) % n;
                    Some(self.heard[b])
                } else {
                    None
                };
                Some(Heard {
                    primary: self.heard[a],
                    duplicate: dup,
                })
            }
        }
    }

    /// Delivery delay in ms for a line: 0 normally, up to `reorder_max_s` for a held-back one.
    pub fn delay_ms(&mut self) -> i64 {
        if self.rng.chance(self.reception.reorder) {
            (self.rng.range(1.0, self.reception.reorder_max_s.max(1.0)) * 1000.0) as i64
        } else {
            0
        }
    }

    /// True when this delivered copy is to be corrupted.
    pub fn corrupt(&mut self) -> bool {
        self.rng.chance(self.reception.corrupt)
    }

    /// A draw from the receiver's generator (channel choice and the like).
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Receivers {
        let st = vec![
            Station {
                name: "a".into(),
                lat: 30.0,
                lon: 122.0,
                range_nm: 40.0,
            },
            Station {
                name: "b".into(),
                lat: 30.3,
                lon: 122.2,
                range_nm: 40.0,
            },
        ];
        let sat = Satellite {
            name: "sat".into(),
            revisit_minutes: 100.0,
            pass_minutes: 10.0,
            detect_prob: 1.0,
            outages_per_day: 0.0,
            outage_hours: [6.0, 9.0],
        };
        Receivers::new(
            &st,
            Some(&sat),
            &Reception {
                loss: 0.0,
                duplicate: 1.0,
                ..Reception::default()
            },
            1,
            (0, 1),
        )
    }

    #[test]
    fn range_and_duplicates() {
        let mut r = net();
        // Far from both stations and outside a pass: nobody hears.
        let far = LonLat::new(126.0, 33.0);
        let t_no_pass = (0..200)
            .map(|k| k * 60_000)
            .find(|&t| !r.satellite_overhead(t))
            .unwrap();
        assert_eq!(r.hear(far, t_no_pass), None);
        // Between both stations: heard twice (duplicate probability 1).
        let h = r.hear(LonLat::new(122.1, 30.15), t_no_pass).unwrap();
        assert!(h.duplicate.is_some() && h.duplicate != Some(h.primary));
    }

    #[test]
    fn satellite_passes_cover_the_stated_fraction() {
        let r = net();
        let n = (0..100_000)
            .filter(|k| r.satellite_overhead(k * 6_000))
            .count();
        assert!((n as f64 / 100_000.0 - 0.1).abs() < 0.01, "{n}");
    }
}
