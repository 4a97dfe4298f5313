//! Probabilities and the words for them: the log-odds model every rule uses, and the ICD 203
//! estimative terms ("almost certainly", "very likely", ...).
//!
//! ICD 203 (US Intelligence Community Directive 203, Analytic Standards, 2015) fixes seven terms
//! and their ranges. A boundary probability takes the higher term, except that 0.55 is still
//! "roughly even chance" (the directive writes 45–55 %).

use serde::{Deserialize, Serialize};

/// One ICD 203 term with its probability range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimativeTerm {
    /// 1–5 %.
    AlmostNoChance,
    /// 5–20 %.
    VeryUnlikely,
    /// 20–45 %.
    Unlikely,
    /// 45–55 %.
    RoughlyEvenChance,
    /// 55–80 % ("likely" or "probably").
    Likely,
    /// 80–95 %.
    VeryLikely,
    /// 95–99 %.
    AlmostCertainly,
}

impl EstimativeTerm {
    /// The term for a probability in `[0, 1]` (values outside are clamped; NaN counts as 0.5).
    pub fn from_probability(p: f64) -> Self {
        let p = if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) };
        if p < 0.05 {
            Self::AlmostNoChance
        } else if p < 0.20 {
            Self::VeryUnlikely
        } else if p < 0.45 {
            Self::Unlikely
        } else if p <= 0.55 {
            Self::RoughlyEvenChance
        } else if p < 0.80 {
            Self::Likely
        } else if p < 0.95 {
            Self::VeryLikely
        } else {
            Self::AlmostCertainly
        }
    }

    /// The term as written in an assessment: `"very likely"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AlmostNoChance => "almost no chance",
            Self::VeryUnlikely => "very unlikely",
            Self::Unlikely => "unlikely",
            Self::RoughlyEvenChance => "roughly even chance",
            Self::Likely => "likely",
            Self::VeryLikely => "very likely",
            Self::AlmostCertainly => "almost certainly",
        }
    }

    /// The probability range ICD 203 gives the term, in percent.
    pub fn range_percent(self) -> (u8, u8) {
        match self {
            Self::AlmostNoChance => (1, 5),
            Self::VeryUnlikely => (5, 20),
            Self::Unlikely => (20, 45),
            Self::RoughlyEvenChance => (45, 55),
            Self::Likely => (55, 80),
            Self::VeryLikely => (80, 95),
            Self::AlmostCertainly => (95, 99),
        }
    }

    /// Writes `subject` + `predicate` as an assessment with this term, e.g.
    /// "MV X very likely conducted …" or "It is unlikely that MV X conducted …".
    /// The adverbial terms go before the verb; the others take an "it is … that" frame.
    pub fn phrase(self, subject: &str, predicate: &str) -> String {
        match self {
            Self::AlmostCertainly | Self::VeryLikely | Self::Likely => {
                format!("{subject} *{}* {predicate}", self.as_str())
            }
            Self::RoughlyEvenChance => {
                format!("there is a *roughly even chance* that {subject} {predicate}")
            }
            Self::AlmostNoChance => {
                format!("there is *almost no chance* that {subject} {predicate}")
            }
            Self::Unlikely | Self::VeryUnlikely => {
                format!("it is *{}* that {subject} {predicate}", self.as_str())
            }
        }
    }
}

/// The logistic function: log-odds to probability.
pub fn logistic(log_odds: f64) -> f64 {
    1.0 / (1.0 + (-log_odds).exp())
}

/// Probability to log-odds (clamped away from 0 and 1).
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

/// One evidence feature of a finding: its value in `[0, 1]`, its weight from the regime file and
/// its contribution (`weight × value`) to the log-odds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    /// Feature name, as in the regime file's `[rules.weights]`.
    pub name: String,
    /// Value in `[0, 1]` (1 = present or fully so).
    pub value: f64,
    /// Weight from the regime file (log-odds per unit value).
    pub weight: f64,
    /// `weight × value`.
    pub contribution: f64,
    /// What the value was measured from, for the reader (e.g. "gap of 14.2 h starting 12 km from NAMPO").
    pub detail: String,
}

/// Log-odds score: `prior + Σ weight × value`, the probability, and the features that made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The rule's prior log-odds.
    pub prior_log_odds: f64,
    /// Total log-odds.
    pub log_odds: f64,
    /// `logistic(log_odds)`, clamped to ICD 203's 1–99 %.
    pub probability: f64,
    /// Features in the order they were added, absent ones (value 0) included for transparency.
    pub features: Vec<Feature>,
}

/// Builds a [`Score`] from a prior and weighted features.
#[derive(Debug, Clone)]
pub struct Scorer<'a> {
    prior: f64,
    weights: &'a std::collections::BTreeMap<String, f64>,
    features: Vec<Feature>,
}

impl<'a> Scorer<'a> {
    /// A scorer with the rule's prior and weight table.
    pub fn new(prior: f64, weights: &'a std::collections::BTreeMap<String, f64>) -> Self {
        Self {
            prior,
            weights,
            features: Vec::new(),
        }
    }

    /// Adds a feature; its weight comes from the table (a feature missing from the table weighs
    /// 0 and so cannot move the probability, but is still shown).
    pub fn add(&mut self, name: &str, value: f64, detail: impl Into<String>) -> &mut Self {
        let value = if value.is_finite() {
            value.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let weight = self.weights.get(name).copied().unwrap_or(0.0);
        self.features.push(Feature {
            name: name.to_string(),
            value,
            weight,
            contribution: weight * value,
            detail: detail.into(),
        });
        self
    }

    /// Adds a yes/no feature.
    pub fn flag(&mut self, name: &str, present: bool, detail: impl Into<String>) -> &mut Self {
        self.add(name, if present { 1.0 } else { 0.0 }, detail)
    }

    /// The finished score.
    pub fn finish(self) -> Score {
        let log_odds = self.prior + self.features.iter().map(|f| f.contribution).sum::<f64>();
        Score {
            prior_log_odds: self.prior,
            log_odds,
            probability: logistic(log_odds).clamp(0.01, 0.99),
            features: self.features,
        }
    }
}

/// A ramp: 0 at or below `lo`, 1 at or above `hi`, linear between.
pub fn ramp(x: f64, lo: f64, hi: f64) -> f64 {
    if !x.is_finite() {
        return 0.0;
    }
    if hi <= lo {
        return if x >= hi { 1.0 } else { 0.0 };
    }
    ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn icd203_ranges_and_boundaries() {
        use EstimativeTerm::*;
        let cases = [
            (0.0, AlmostNoChance),
            (0.049, AlmostNoChance),
            (0.05, VeryUnlikely),
            (0.19, VeryUnlikely),
            (0.20, Unlikely),
            (0.449, Unlikely),
            (0.45, RoughlyEvenChance),
            (0.55, RoughlyEvenChance),
            (0.551, Likely),
            (0.79, Likely),
            (0.80, VeryLikely),
            (0.949, VeryLikely),
            (0.95, AlmostCertainly),
            (1.0, AlmostCertainly),
            (f64::NAN, RoughlyEvenChance),
        ];
        for (p, want) in cases {
            assert_eq!(EstimativeTerm::from_probability(p), want, "p = {p}");
        }
        assert_eq!(VeryLikely.as_str(), "very likely");
        assert_eq!(Likely.range_percent(), (55, 80));
    }

    #[test]
    fn phrases_read_like_assessments() {
        assert_eq!(
            EstimativeTerm::VeryLikely.phrase("MV A", "met B"),
            "MV A *very likely* met B"
        );
        assert_eq!(
            EstimativeTerm::Unlikely.phrase("MV A", "met B"),
            "it is *unlikely* that MV A met B"
        );
        assert!(EstimativeTerm::RoughlyEvenChance
            .phrase("MV A", "met B")
            .starts_with("there is a *roughly even chance*"));
    }

    #[test]
    fn scorer_adds_weighted_features() {
        let w: BTreeMap<String, f64> = [("a".to_string(), 2.0), ("b".to_string(), -1.0)].into();
        let mut s = Scorer::new(-1.0, &w);
        s.flag("a", true, "")
            .add("b", 0.5, "")
            .flag("unknown", true, "");
        let score = s.finish();
        assert!((score.log_odds - 0.5).abs() < 1e-12);
        assert!((score.probability - logistic(0.5)).abs() < 1e-12);
        assert_eq!(score.features.len(), 3);
        assert_eq!(score.features[2].weight, 0.0);
        assert!((logit(logistic(1.3)) - 1.3).abs() < 1e-9);
        assert_eq!(ramp(5.0, 0.0, 10.0), 0.5);
        assert_eq!(ramp(-1.0, 0.0, 10.0), 0.0);
        assert_eq!(ramp(f64::NAN, 0.0, 10.0), 0.0);
    }
}
