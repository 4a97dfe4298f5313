//! Name comparison: prepared names, token alignment (order-insensitive), the Korean syllable
//! path, and the score arithmetic that every result reports.

use crate::distance::weighted_distance;
use crate::korean::{self, SylAgreement, SylKey};
use crate::normalize::{self, NameMode, Token, TokenKind};
use serde::Serialize;

/// Weight of unmatched parts present on both sides (they contradict each other), per unit of
/// the smaller side's unmatched weight.
pub const CONTRADICTION_WEIGHT: f64 = 1.5;
/// Multiplier when three or more matched parts appear in a different, non-rotated order
/// ("Salman bin Muhammad" is not "Muhammad bin Salman").
pub const REORDER_FACTOR: f64 = 0.75;
/// Multiplier for a shuffled order without patronymic particles (several given names).
pub const MILD_REORDER_FACTOR: f64 = 0.95;

/// Weight of parts present on one side only: persons often drop middle names and patronymics;
/// for companies and vessels an extra word usually names a different entity.
pub fn omission_weight(mode: NameMode) -> f64 {
    match mode {
        NameMode::Person => 0.2,
        NameMode::Org | NameMode::Object => 0.6,
        NameMode::Any => 0.4,
    }
}
/// Weight of the family name in the Korean path, relative to one given-name syllable.
pub const KOREAN_FAMILY_WEIGHT: f64 = 1.0;

/// Common given-name nicknames (both directions), a generic table.
const NICKNAMES: &[(&str, &str)] = &[
    ("ben", "benjamin"),
    ("ted", "theodore"),
    ("ted", "edward"),
    ("ed", "edward"),
    ("bill", "william"),
    ("will", "william"),
    ("bob", "robert"),
    ("rob", "robert"),
    ("dick", "richard"),
    ("rick", "richard"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("mike", "michael"),
    ("tom", "thomas"),
    ("tony", "anthony"),
    ("joe", "joseph"),
    ("alex", "alexander"),
    ("sasha", "alexander"),
    ("dave", "david"),
    ("dan", "daniel"),
    ("steve", "stephen"),
    ("steve", "steven"),
    ("chris", "christopher"),
    ("nick", "nicholas"),
    ("sam", "samuel"),
    ("kate", "katherine"),
    ("liz", "elizabeth"),
    ("beth", "elizabeth"),
    ("peggy", "margaret"),
    ("maggie", "margaret"),
    ("jack", "john"),
    ("johnny", "john"),
    ("larry", "lawrence"),
    ("andy", "andrew"),
    ("fred", "frederick"),
    ("hank", "henry"),
    ("harry", "henry"),
    ("barry", "barack"),
    ("vova", "vladimir"),
    ("volodya", "vladimir"),
    ("misha", "mikhail"),
    ("kolya", "nikolai"),
    ("dima", "dmitry"),
];

fn letter_mask(w: &str) -> u32 {
    w.bytes()
        .filter(u8::is_ascii_lowercase)
        .fold(0u32, |m, b| m | 1 << (b - b'a'))
}

/// Bit mask of the nickname pairs a word belongs to (the table has fewer than 64 rows).
fn nickname_mask(w: &str) -> u64 {
    NICKNAMES
        .iter()
        .enumerate()
        .filter(|(_, (x, y))| *x == w || *y == w)
        .fold(0u64, |m, (i, _)| m | (1u64 << (i % 64)))
}

/// One syllable of a Korean-read name.
#[derive(Debug, Clone, PartialEq)]
pub struct Syllable {
    /// Its key.
    pub key: SylKey,
    /// How it was written.
    pub text: String,
}

/// A name read as Korean: family name and the given-name syllables in order (several readings
/// when a romanized token splits more than one way: "jongun" = jong+un or jon+gun).
#[derive(Debug, Clone, PartialEq)]
pub struct KoreanForm {
    /// Family-name syllables (one, or two for 남궁, 황보 ...).
    pub family: Vec<Syllable>,
    /// Alternative readings of the given name.
    pub given: Vec<Vec<Syllable>>,
}

/// A name prepared for comparison (done once per listed name at index build).
#[derive(Debug, Clone)]
pub struct PreparedName {
    /// The name as written.
    pub original: String,
    /// Its tokens.
    pub tokens: Vec<Token>,
    /// Phonetic skeleton per token (empty when not a word of 4+ letters).
    pub skeletons: Vec<String>,
    /// Per token: the spelling with doubled letters squashed ("joonng" → "jong").
    pub squashed: Vec<Vec<u8>>,
    /// Per token: nickname-table membership bits.
    pub nick_masks: Vec<u64>,
    /// Per token: which letters a–z occur (a cheap lower bound on edit distance).
    pub letter_masks: Vec<u32>,
    /// Letters of the identity-bearing tokens, concatenated (spacing-invariant comparison).
    pub joined: String,
    /// Every letter and digit of the folded name, legal forms included ("siemensag").
    pub letters: String,
    /// Korean readings (family name first, or last), when the name looks like a Korean
    /// personal name; empty otherwise.
    pub korean: Vec<KoreanForm>,
    /// How the name is read.
    pub mode: NameMode,
}

/// Weight of a token written in parentheses (a qualifier such as a country or former name).
pub const QUALIFIER_WEIGHT: f64 = 0.3;

fn token_weight(t: &Token) -> f64 {
    if t.qualifier {
        return QUALIFIER_WEIGHT;
    }
    match t.kind {
        TokenKind::Word | TokenKind::Hangul | TokenKind::Number => 1.0,
        TokenKind::Initial => 0.4,
        TokenKind::Stop | TokenKind::OrgClass => 0.25,
    }
}

impl PreparedName {
    /// Prepares a name.
    pub fn new(name: &str, mode: NameMode) -> PreparedName {
        let tokens = normalize::tokenize(name, mode);
        let skeletons = tokens
            .iter()
            .map(|t| {
                if matches!(t.kind, TokenKind::Word) && t.text.len() >= 4 {
                    normalize::skeleton(&t.text)
                } else {
                    String::new()
                }
            })
            .collect();
        let joined = tokens
            .iter()
            .filter(|t| t.kind != TokenKind::OrgClass)
            .map(|t| t.text.as_str())
            .collect::<String>();
        let korean = if matches!(mode, NameMode::Person | NameMode::Any) {
            korean_form(&tokens)
        } else {
            Vec::new()
        };
        let letters = normalize::fold(name)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let squashed = tokens.iter().map(|t| squash_doubles(&t.text)).collect();
        let nick_masks = tokens.iter().map(|t| nickname_mask(&t.text)).collect();
        let letter_masks = tokens.iter().map(|t| letter_mask(&t.text)).collect();
        PreparedName {
            original: name.to_string(),
            squashed,
            nick_masks,
            letter_masks,
            tokens,
            skeletons,
            joined,
            letters,
            korean,
            mode,
        }
    }

    /// True when the name has no usable token.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

fn hangul_syllables(text: &str) -> Vec<Syllable> {
    text.chars()
        .filter_map(|c| {
            korean::decompose(c).map(|j| Syllable {
                key: SylKey::from_jamo(j),
                text: c.to_string(),
            })
        })
        .collect()
}

/// Reads tokens as a Korean personal name, when they look like one: 2–4 tokens that all spell
/// Korean syllables (or Hangul), one of them (first or last) a known family name.
fn korean_form(tokens: &[Token]) -> Vec<KoreanForm> {
    let words: Vec<&Token> = tokens
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                TokenKind::Word | TokenKind::Hangul | TokenKind::Stop | TokenKind::Initial
            )
        })
        .collect();
    if words.len() != tokens.len() || words.is_empty() || words.len() > 4 {
        return Vec::new();
    }
    if words.iter().all(|t| t.kind == TokenKind::Hangul) {
        let (family, given) = if words.len() == 1 {
            let (f, g) = korean::split_hangul_name(&words[0].text);
            (hangul_syllables(&f), hangul_syllables(&g))
        } else {
            let rest: String = words[1..].iter().map(|t| t.text.as_str()).collect();
            (hangul_syllables(&words[0].text), hangul_syllables(&rest))
        };
        if family.is_empty() || given.is_empty() || family.len() > 2 {
            return Vec::new();
        }
        return vec![KoreanForm {
            family,
            given: vec![given],
        }];
    }
    if words.len() < 2 || words.iter().any(|t| t.kind == TokenKind::Hangul) {
        return Vec::new();
    }
    // Doubled letters are usually typos ("Joonng", "uun"): the squashed spelling is read too.
    let parses: Vec<Vec<Vec<korean::ParsedSyl>>> = words
        .iter()
        .map(|t| {
            let mut p = korean::parse_romanized_spans(&t.text);
            let squashed = String::from_utf8(squash_doubles(&t.text)).unwrap_or_default();
            if squashed != t.text && (p.is_empty() || p[0].len() > 1) {
                for mut alt in korean::parse_romanized_spans(&squashed) {
                    // Spans refer to the squashed spelling: show the whole token instead.
                    for s in &mut alt {
                        s.start = 0;
                        s.end = t.text.len() as u8;
                    }
                    if alt.len() == 1 || p.is_empty() {
                        p.insert(0, alt);
                    }
                }
            }
            p
        })
        .collect();
    if parses.iter().any(|p| p.is_empty()) {
        return Vec::new();
    }
    let single_surname = |i: usize| {
        parses[i]
            .iter()
            .any(|p| p.len() == 1 && korean::is_surname_key(p[0].key))
    };
    // Family name first (Korean order, "SURNAME, Given") or last (Western order); when both
    // ends could be family names, both readings are kept.
    let mut readings = Vec::new();
    if single_surname(0) {
        readings.push(0);
    }
    if words.len() > 1 && single_surname(words.len() - 1) {
        readings.push(words.len() - 1);
    }
    let to_syl = |t: &Token, p: &korean::ParsedSyl| Syllable {
        key: p.key,
        text: t
            .text
            .get(p.start as usize..p.end as usize)
            .unwrap_or(&t.text)
            .to_string(),
    };
    let mut forms = Vec::new();
    for family_idx in readings {
        let Some(fam_parse) = parses[family_idx]
            .iter()
            .find(|p| p.len() == 1)
            .map(|p| vec![to_syl(words[family_idx], &p[0])])
        else {
            continue;
        };
        let mut given: Vec<Vec<Syllable>> = vec![Vec::new()];
        for (i, t) in words.iter().enumerate() {
            if i == family_idx {
                continue;
            }
            let mut next = Vec::new();
            for prefix in &given {
                for p in parses[i].iter().take(3) {
                    let mut seq = prefix.clone();
                    seq.extend(p.iter().map(|s| to_syl(t, s)));
                    if seq.len() <= 4 {
                        next.push(seq);
                    }
                }
            }
            next.truncate(6);
            given = next;
        }
        if !given.is_empty() {
            forms.push(KoreanForm {
                family: fam_parse,
                given,
            });
        }
    }
    forms
}

/// How a query part was matched to a listed-name part.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum How {
    /// Identical after normalization.
    Exact,
    /// Same syllable in another romanization (Korean table).
    KoreanVariant,
    /// Same syllable in a looser popular spelling (Chol/Chul).
    KoreanLoose,
    /// A different but similar-sounding Korean syllable.
    KoreanPartial {
        /// What differs.
        detail: String,
    },
    /// Known nickname or short form.
    Nickname,
    /// Same phonetic skeleton (transliteration variant).
    Phonetic,
    /// Within the edit budget.
    Fuzzy {
        /// Weighted edit distance.
        distance: f64,
        /// The budget it had to stay within.
        budget: f64,
    },
    /// An initial matching a full name part.
    Initial,
    /// Same letters with different spacing ("vanderbilt" / "van der bilt").
    Joined,
}

impl std::fmt::Display for How {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            How::Exact => write!(f, "exact"),
            How::KoreanVariant => write!(f, "Korean romanization variant"),
            How::KoreanLoose => write!(f, "Korean popular-spelling variant"),
            How::KoreanPartial { detail } => write!(f, "similar Korean syllable ({detail})"),
            How::Nickname => write!(f, "nickname"),
            How::Phonetic => write!(f, "phonetic variant"),
            How::Fuzzy { distance, budget } => {
                write!(
                    f,
                    "fuzzy, edit distance {distance:.1} within budget {budget:.0}"
                )
            }
            How::Initial => write!(f, "initial"),
            How::Joined => write!(f, "same letters, different spacing"),
        }
    }
}

/// One aligned pair of parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartMatch {
    /// Query part(s).
    pub query: String,
    /// Listed-name part(s).
    pub result: String,
    /// How they match.
    #[serde(flatten)]
    pub how: How,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// Weight in the score.
    pub weight: f64,
}

/// The comparison of a query name with one listed name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameComparison {
    /// Score in [0, 1].
    pub score: f64,
    /// `general` or `korean`.
    pub method: &'static str,
    /// Matched pairs.
    pub parts: Vec<PartMatch>,
    /// Query parts left unmatched.
    pub unmatched_query: Vec<String>,
    /// Listed-name parts left unmatched.
    pub unmatched_result: Vec<String>,
    /// Whether the reorder factor was applied.
    pub reordered: bool,
    /// The score arithmetic, spelled out.
    pub arithmetic: String,
}

impl NameComparison {
    fn zero() -> NameComparison {
        NameComparison {
            score: 0.0,
            method: "general",
            parts: Vec::new(),
            unmatched_query: Vec::new(),
            unmatched_result: Vec::new(),
            reordered: false,
            arithmetic: String::new(),
        }
    }
}

/// The edit budget for a token pair: no fuzziness at all for tokens of 3 letters or fewer.
pub fn edit_budget(a: &str, b: &str, mode: NameMode) -> f64 {
    let min = a.len().min(b.len());
    let max = a.len().max(b.len());
    if min <= 3 {
        return 0.0;
    }
    match mode {
        NameMode::Object => (max / 5) as f64,
        _ => {
            if max <= 5 {
                1.0
            } else if max <= 8 {
                2.0
            } else {
                3.0
            }
        }
    }
}

/// Similarity of two tokens, or `None` when they do not match at all.
fn token_similarity(
    qn: &PreparedName,
    i: usize,
    rn: &PreparedName,
    j: usize,
    mode: NameMode,
) -> Option<(f64, How)> {
    use TokenKind::*;
    let (q, r) = (&qn.tokens[i], &rn.tokens[j]);
    let (q_skel, r_skel) = (&qn.skeletons[i], &rn.skeletons[j]);
    match (q.kind, r.kind) {
        (Number, Number) | (Hangul, Hangul) => {
            return (q.text == r.text).then_some((1.0, How::Exact));
        }
        (OrgClass, OrgClass) => {
            if q.text == r.text {
                return Some((1.0, How::Exact));
            }
            // Company / Corporation / Inc. are used loosely for one another in English names.
            let generic = |t: &str| matches!(t, "co" | "corp" | "inc");
            return (generic(&q.text) && generic(&r.text)).then_some((0.7, How::Nickname));
        }
        (Number, _) | (_, Number) | (OrgClass, _) | (_, OrgClass) | (Hangul, _) | (_, Hangul) => {
            return None
        }
        (Initial, Initial) => return (q.text == r.text).then_some((1.0, How::Exact)),
        (Initial, Word) | (Word, Initial) => {
            return (q.text.as_bytes()[0] == r.text.as_bytes()[0]).then_some((0.7, How::Initial));
        }
        (Initial, Stop) | (Stop, Initial) => return None,
        _ => {}
    }
    if q.text == r.text {
        return Some((1.0, How::Exact));
    }
    if qn.nick_masks[i] & rn.nick_masks[j] != 0 {
        return Some((0.9, How::Nickname));
    }
    if qn.squashed[i] == rn.squashed[j] {
        return Some((DOUBLED_LETTER_SIMILARITY, How::Phonetic));
    }
    let budget = edit_budget(&q.text, &r.text, mode);
    if budget == 0.0 {
        return None;
    }
    let mut best = None;
    // Each edit changes the set of letters by at most two and costs at least 0.5.
    let letters_differ = (qn.letter_masks[i] ^ rn.letter_masks[j]).count_ones() as f64;
    let d = if letters_differ / 4.0 > budget {
        f64::INFINITY
    } else {
        weighted_distance(q.text.as_bytes(), r.text.as_bytes(), budget)
    };
    if d <= budget {
        let max = q.text.len().max(r.text.len()) as f64;
        best = Some((
            fuzzy_similarity(d, max),
            How::Fuzzy {
                distance: d,
                budget,
            },
        ));
    }
    if !q_skel.is_empty()
        && q_skel == r_skel
        && best.as_ref().is_none_or(|(s, _)| *s < PHONETIC_SIMILARITY)
    {
        best = Some((PHONETIC_SIMILARITY, How::Phonetic));
    }
    best
}

/// Similarity of words that differ only in doubled letters ("Joonng"/"Jong", "Nadella"/"Nadela").
pub const DOUBLED_LETTER_SIMILARITY: f64 = 0.9;

fn squash_doubles(s: &str) -> Vec<u8> {
    let mut v: Vec<u8> = s.bytes().collect();
    v.dedup();
    v
}

/// Similarity of a fuzzy pair: each further edit costs more than the last, so one typo in a
/// long word stays close while two or three edits (a different but plausible name) fall away.
pub fn fuzzy_similarity(distance: f64, max_len: f64) -> f64 {
    let penalty = distance * (1.0 + 0.5 * (distance - 1.0).max(0.0));
    (1.0 - penalty / max_len).max(0.0)
}

/// Similarity of words with the same phonetic skeleton but beyond the edit budget.
pub const PHONETIC_SIMILARITY: f64 = 0.75;

/// Compares a query name with a listed name. `explain` fills in the parts and arithmetic.
pub fn compare(q: &PreparedName, r: &PreparedName, explain: bool) -> NameComparison {
    if q.is_empty() || r.is_empty() {
        return NameComparison::zero();
    }
    // Two Korean personal names are compared syllable by syllable: the given name's syllable
    // order matters there, which the order-insensitive general alignment would ignore.
    if !q.korean.is_empty() && !r.korean.is_empty() {
        let mut best: Option<NameComparison> = None;
        for qk in &q.korean {
            for rk in &r.korean {
                let k = compare_korean(qk, rk, explain);
                if best.as_ref().is_none_or(|b| k.score > b.score) {
                    best = Some(k);
                }
            }
        }
        if let Some(k) = best.filter(|k| k.score > 0.0) {
            return k;
        }
    }
    compare_general(q, r, explain)
}

fn compare_general(q: &PreparedName, r: &PreparedName, explain: bool) -> NameComparison {
    let mode = if r.mode == NameMode::Any {
        q.mode
    } else {
        r.mode
    };
    let qw: Vec<f64> = q.tokens.iter().map(token_weight).collect();
    let rw: Vec<f64> = r.tokens.iter().map(token_weight).collect();
    let q_total: f64 = qw.iter().sum();

    // Same letters whatever the spacing: a full match.
    if (!q.joined.is_empty() && q.joined == r.joined)
        || (!q.letters.is_empty() && q.letters == r.letters)
    {
        let org_ok = org_classes_compatible(q, r) || q.letters == r.letters;
        if org_ok {
            let mut c = NameComparison::zero();
            c.score = 1.0;
            if explain {
                c.parts.push(PartMatch {
                    query: q.original.clone(),
                    result: r.original.clone(),
                    how: if q.tokens.len() == r.tokens.len() {
                        How::Exact
                    } else {
                        How::Joined
                    },
                    similarity: 1.0,
                    weight: q_total,
                });
                c.arithmetic = "all letters identical after normalization = 1.000".into();
            }
            return c;
        }
    }

    let nq = q.tokens.len();
    let nr = r.tokens.len();
    let mut pairs: Vec<(f64, usize, usize, f64, How)> = Vec::with_capacity(nq * nr);
    #[allow(clippy::needless_range_loop)]
    for i in 0..nq {
        for j in 0..nr {
            if let Some((s, how)) = token_similarity(q, i, r, j, mode) {
                let w = qw[i].min(rw[j]).max(qw[i] * 0.5);
                pairs.push((s * w, i, j, s, how));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut q_used = vec![false; nq];
    let mut r_used = vec![false; nr];
    let mut matched: Vec<(usize, usize, f64, f64, How)> = Vec::new(); // (q, r, sim, weight, how)
    let mut numerator = 0.0;
    for (_, i, j, s, how) in pairs {
        if q_used[i] || r_used[j] {
            continue;
        }
        q_used[i] = true;
        r_used[j] = true;
        numerator += s * qw[i];
        matched.push((i, j, s, qw[i], how));
    }
    // Split or merged words: an unmatched token against 2–3 adjacent unmatched tokens joined.
    let mut joined_parts: Vec<(String, String, f64, f64, How)> = Vec::new();
    join_leftovers(
        q,
        r,
        &mut q_used,
        &mut r_used,
        &qw,
        mode,
        true,
        &mut |qs, rs, s, w, how| {
            numerator += s * w;
            joined_parts.push((qs, rs, s, w, how));
        },
    );
    join_leftovers(
        r,
        q,
        &mut r_used,
        &mut q_used,
        &rw,
        mode,
        false,
        &mut |rs, qs, s, w, how| {
            numerator += s * w;
            joined_parts.push((qs, rs, s, w, how));
        },
    );

    acronym_leftovers(
        q,
        r,
        &mut q_used,
        &mut r_used,
        &qw,
        true,
        &mut |qs, rs, s, w, how| {
            numerator += s * w;
            joined_parts.push((qs, rs, s, w, how));
        },
    );
    acronym_leftovers(
        r,
        q,
        &mut r_used,
        &mut q_used,
        &rw,
        false,
        &mut |rs, qs, s, w, how| {
            numerator += s * w;
            joined_parts.push((qs, rs, s, w, how));
        },
    );
    // Qualifiers left over on both sides contradict ("(Sweden)" vs "(Finland)"): full weight.
    let q_qual = (0..nq).any(|i| !q_used[i] && q.tokens[i].qualifier);
    let r_qual = (0..nr).any(|j| !r_used[j] && r.tokens[j].qualifier);
    let both_qual = q_qual && r_qual;
    let unmatched_weight = |t: &Token, w: f64| {
        if both_qual && t.qualifier {
            1.0
        } else {
            w
        }
    };
    let unmatched_q: f64 = (0..nq)
        .filter(|&i| !q_used[i])
        .map(|i| unmatched_weight(&q.tokens[i], qw[i]))
        .sum();
    let unmatched_r: f64 = (0..nr)
        .filter(|&j| !r_used[j])
        .map(|j| unmatched_weight(&r.tokens[j], rw[j]))
        .sum();
    // A number on one side only (a series, a unit) names another company or vessel.
    let lone_numbers = if matches!(mode, NameMode::Person) {
        0.0
    } else {
        let nq_num = (0..nq)
            .filter(|&i| !q_used[i] && q.tokens[i].kind == TokenKind::Number)
            .count();
        let nr_num = (0..nr)
            .filter(|&j| !r_used[j] && r.tokens[j].kind == TokenKind::Number)
            .count();
        nq_num.abs_diff(nr_num) as f64
    };
    let matched_q: f64 = q_total - (0..nq).filter(|&i| !q_used[i]).map(|i| qw[i]).sum::<f64>();
    // Parts left over on both sides contradict each other (a different given or family name);
    // parts left over on one side only are omissions (a dropped middle name, a patronymic).
    let contradiction = unmatched_q.min(unmatched_r).max(0.0);
    let omission = ((unmatched_q - contradiction) + (unmatched_r - contradiction)).max(0.0);
    let omit_w = omission_weight(mode);
    let denominator = matched_q
        + CONTRADICTION_WEIGHT * contradiction
        + omit_w * (omission - lone_numbers).max(0.0)
        + CONTRADICTION_WEIGHT * lone_numbers;
    let mut score = if denominator > 0.0 {
        numerator / denominator
    } else {
        0.0
    };
    // Word-order check: three or more matched parts in a shuffled (not rotated) order.
    let reordered = mode == NameMode::Person && matched.len() >= 3 && {
        let mut m: Vec<(usize, usize)> = matched.iter().map(|(i, j, ..)| (*i, *j)).collect();
        m.sort_unstable();
        let seq: Vec<usize> = m.iter().map(|(_, j)| *j).collect();
        let descents = seq.windows(2).filter(|w| w[1] < w[0]).count();
        let wraps = descents == 1 && seq.last() < seq.first();
        descents > 1 || (descents == 1 && !wraps)
    };
    // Order encodes lineage in patronymic chains ("bin", "ben", "ould"): a shuffle there names
    // another person; elsewhere (several given names) it is a mild signal.
    let lineage = reordered
        && q.tokens
            .iter()
            .any(|t| matches!(t.text.as_str(), "bin" | "ben" | "bint" | "ould" | "binti"));
    let reorder_factor = if lineage {
        REORDER_FACTOR
    } else {
        MILD_REORDER_FACTOR
    };
    if reordered {
        score *= reorder_factor;
    }
    let score = score.clamp(0.0, 1.0);
    let mut c = NameComparison::zero();
    c.score = score;
    if explain {
        for (i, j, s, w, how) in matched {
            c.parts.push(PartMatch {
                query: q.tokens[i].text.clone(),
                result: r.tokens[j].text.clone(),
                how,
                similarity: s,
                weight: w,
            });
        }
        for (qs, rs, s, w, how) in joined_parts {
            c.parts.push(PartMatch {
                query: qs,
                result: rs,
                how,
                similarity: s,
                weight: w,
            });
        }
        c.unmatched_query = (0..nq)
            .filter(|&i| !q_used[i])
            .map(|i| q.tokens[i].text.clone())
            .collect();
        c.unmatched_result = (0..nr)
            .filter(|&j| !r_used[j])
            .map(|j| r.tokens[j].text.clone())
            .collect();
        c.reordered = reordered;
        c.arithmetic = format!(
            "Σ similarity×weight {numerator:.3} / (matched weight {matched_q:.2} + {CONTRADICTION_WEIGHT}×contradicting {contradiction:.2} + {omit_w}×omitted {omission:.2}){} = {score:.3}",
            if reordered {
                format!(" × reorder {reorder_factor}")
            } else {
                String::new()
            }
        );
    }
    c
}

fn org_classes_compatible(q: &PreparedName, r: &PreparedName) -> bool {
    let qc: Vec<&str> = q
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::OrgClass)
        .map(|t| t.text.as_str())
        .collect();
    let rc: Vec<&str> = r
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::OrgClass)
        .map(|t| t.text.as_str())
        .collect();
    qc.is_empty() || rc.is_empty() || qc.iter().any(|c| rc.contains(c))
}

/// Tries each unmatched token of `a` against 2–3 adjacent unmatched tokens of `b` joined.
#[allow(clippy::too_many_arguments)]
fn join_leftovers(
    a: &PreparedName,
    b: &PreparedName,
    a_used: &mut [bool],
    b_used: &mut [bool],
    aw: &[f64],
    mode: NameMode,
    a_is_query: bool,
    sink: &mut dyn FnMut(String, String, f64, f64, How),
) {
    for i in 0..a.tokens.len() {
        if a_used[i] || a.tokens[i].kind != TokenKind::Word || a.tokens[i].text.len() < 4 {
            continue;
        }
        'outer: for span in [2usize, 3] {
            for start in 0..b.tokens.len().saturating_sub(span - 1) {
                let range = start..start + span;
                if range
                    .clone()
                    .any(|j| b_used[j] || b.tokens[j].kind == TokenKind::Number)
                {
                    continue;
                }
                let at = &a.tokens[i].text;
                let joined_len: usize = range.clone().map(|j| b.tokens[j].text.len()).sum();
                let joined_mask = range.clone().fold(0u32, |m, j| m | b.letter_masks[j]);
                // Same cheap bounds as for single tokens: length and letter set.
                if joined_len.abs_diff(at.len()) > 1
                    || (a.letter_masks[i] ^ joined_mask).count_ones() > 4
                {
                    continue;
                }
                let joined: String = range.clone().map(|j| b.tokens[j].text.as_str()).collect();
                let sim = if *at == joined {
                    Some((1.0, How::Joined))
                } else {
                    let budget = edit_budget(at, &joined, mode).min(1.0);
                    let d = weighted_distance(at.as_bytes(), joined.as_bytes(), budget);
                    (budget > 0.0 && d <= budget).then(|| {
                        (
                            fuzzy_similarity(d, at.len().max(joined.len()) as f64),
                            How::Fuzzy {
                                distance: d,
                                budget,
                            },
                        )
                    })
                };
                if let Some((s, how)) = sim {
                    a_used[i] = true;
                    for j in range.clone() {
                        b_used[j] = true;
                    }
                    // The weight is the query side's: one token, or the joined tokens.
                    let w = if a_is_query {
                        aw[i]
                    } else {
                        range.clone().map(|j| token_weight(&b.tokens[j])).sum()
                    };
                    let b_text = range
                        .map(|j| b.tokens[j].text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    sink(at.clone(), b_text, s, w, how);
                    break 'outer;
                }
            }
        }
    }
}

/// Similarity of an acronym or run of initials with the words it abbreviates.
pub const ACRONYM_SIMILARITY: f64 = 0.85;

/// Tries each unmatched short token of `a` ("pla", "jc") as the initials of adjacent unmatched
/// tokens of `b` ("people s liberation army", "jean claude"), skipping stopwords inside.
#[allow(clippy::too_many_arguments)]
fn acronym_leftovers(
    a: &PreparedName,
    b: &PreparedName,
    a_used: &mut [bool],
    b_used: &mut [bool],
    aw: &[f64],
    a_is_query: bool,
    sink: &mut dyn FnMut(String, String, f64, f64, How),
) {
    for i in 0..a.tokens.len() {
        let t = &a.tokens[i];
        if a_used[i] || t.kind != TokenKind::Word || !(2..=5).contains(&t.text.len()) {
            continue;
        }
        // A person's name that is nothing but initials ("N.N.") identifies no one; and in a
        // person's name only a vowel-less token ("JC") reads as initials ("Om" is a name).
        if a.mode == NameMode::Person
            && (a.tokens.len() < 2 || t.text.bytes().any(|c| b"aeiouy".contains(&c)))
        {
            continue;
        }
        let letters = t.text.as_bytes();
        for start in 0..b.tokens.len() {
            let mut k = 0;
            let mut j = start;
            let mut span = Vec::new();
            while j < b.tokens.len() && k < letters.len() {
                let bt = &b.tokens[j];
                if b_used[j] {
                    break;
                }
                if bt.kind == TokenKind::Stop && !span.is_empty() {
                    span.push(j);
                    j += 1;
                    continue;
                }
                if !matches!(bt.kind, TokenKind::Word | TokenKind::Initial)
                    || bt.text.as_bytes()[0] != letters[k]
                {
                    break;
                }
                span.push(j);
                k += 1;
                j += 1;
            }
            if k == letters.len() && span.len() >= 2 {
                a_used[i] = true;
                for &j in &span {
                    b_used[j] = true;
                }
                let w = if a_is_query {
                    aw[i]
                } else {
                    span.iter().map(|&j| token_weight(&b.tokens[j])).sum()
                };
                let text = span
                    .iter()
                    .map(|&j| b.tokens[j].text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                sink(t.text.clone(), text, ACRONYM_SIMILARITY, w, How::Initial);
                break;
            }
        }
    }
}

fn syllable_how(a: SylAgreement) -> How {
    match a {
        SylAgreement::Variant => How::KoreanVariant,
        SylAgreement::Loose => How::KoreanLoose,
        SylAgreement::InitialDiffers => How::KoreanPartial {
            detail: "initial consonant differs".into(),
        },
        SylAgreement::GlideDiffers => How::KoreanPartial {
            detail: "y-glide differs".into(),
        },
        SylAgreement::HangulDiffers => How::KoreanPartial {
            detail: "different Hangul, same romanization".into(),
        },
        SylAgreement::Different => How::KoreanPartial {
            detail: "different".into(),
        },
    }
}

fn syllable_score(qt: &str, rt: &str, a: SylAgreement) -> (f64, How) {
    if qt == rt {
        return (1.0, How::Exact);
    }
    (a.score(), syllable_how(a))
}

fn compare_korean(q: &KoreanForm, r: &KoreanForm, explain: bool) -> NameComparison {
    // Family name: every syllable must agree.
    let fam_agree = if q.family.len() == r.family.len() {
        q.family
            .iter()
            .zip(&r.family)
            .map(|(a, b)| korean::compare_syllables(a.key, b.key))
            .min()
            .unwrap_or(SylAgreement::Different)
    } else {
        SylAgreement::Different
    };
    let fam_text_q: String = q.family.iter().map(|s| s.text.as_str()).collect();
    let fam_text_r: String = r.family.iter().map(|s| s.text.as_str()).collect();
    let (fam_score, fam_how) = if fam_agree >= SylAgreement::Loose {
        syllable_score(&fam_text_q, &fam_text_r, fam_agree)
    } else {
        (0.0, syllable_how(SylAgreement::Different))
    };
    let mut best: Option<(f64, &Vec<Syllable>, &Vec<Syllable>)> = None;
    for qg in &q.given {
        for rg in &r.given {
            let n = qg.len().max(rg.len());
            let sum: f64 = qg
                .iter()
                .zip(rg.iter())
                .map(|(a, b)| {
                    syllable_score(&a.text, &b.text, korean::compare_syllables(a.key, b.key)).0
                })
                .sum();
            let s = (KOREAN_FAMILY_WEIGHT * fam_score + sum) / (KOREAN_FAMILY_WEIGHT + n as f64);
            if best.is_none_or(|(b, _, _)| s > b) {
                best = Some((s, qg, rg));
            }
        }
    }
    let Some((score, qg, rg)) = best else {
        return NameComparison::zero();
    };
    let mut c = NameComparison::zero();
    c.method = "korean";
    c.score = score.clamp(0.0, 1.0);
    if explain {
        if fam_score > 0.0 {
            c.parts.push(PartMatch {
                query: fam_text_q.clone(),
                result: fam_text_r.clone(),
                how: fam_how,
                similarity: fam_score,
                weight: KOREAN_FAMILY_WEIGHT,
            });
        } else {
            c.unmatched_query.push(fam_text_q);
            c.unmatched_result.push(fam_text_r);
        }
        for (a, b) in qg.iter().zip(rg.iter()) {
            let (s, how) =
                syllable_score(&a.text, &b.text, korean::compare_syllables(a.key, b.key));
            if s > 0.0 {
                c.parts.push(PartMatch {
                    query: a.text.clone(),
                    result: b.text.clone(),
                    how,
                    similarity: s,
                    weight: 1.0,
                });
            } else {
                c.unmatched_query.push(a.text.clone());
                c.unmatched_result.push(b.text.clone());
            }
        }
        c.unmatched_query
            .extend(qg.iter().skip(rg.len()).map(|s| s.text.clone()));
        c.unmatched_result
            .extend(rg.iter().skip(qg.len()).map(|s| s.text.clone()));
        let n = qg.len().max(rg.len());
        c.arithmetic = format!(
            "Korean syllables: ({KOREAN_FAMILY_WEIGHT}×family {fam_score:.2} + Σ given-name syllables) / ({KOREAN_FAMILY_WEIGHT} + {n} syllables) = {:.3}",
            c.score
        );
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(a: &str, b: &str, mode: NameMode) -> f64 {
        compare(
            &PreparedName::new(a, mode),
            &PreparedName::new(b, mode),
            true,
        )
        .score
    }

    #[test]
    fn korean_variants_score_high() {
        let p = NameMode::Person;
        assert!(score("Pak Chol Su", "Park Cheol-su", p) >= 0.99);
        assert!(score("박철수", "Pak Chol Su", p) >= 0.99);
        assert!(score("박철수", "Park Cheol-su", p) >= 0.99);
        assert!(score("Ri Myong Su", "Lee Myung-soo", p) >= 0.9);
        assert!(score("Kim Jong Un", "김정은", p) >= 0.99);
        assert!(score("Kim Jong Un", "KIM Jong-un", p) >= 0.99);
        assert!(score("Kim Jongun", "Kim Jong Un", p) >= 0.99);
        assert!(score("Jong Un Kim", "KIM, Jong Un", p) >= 0.99);
        assert!(score("Choe Ryong Hae", "Choi Yong-hae", p) >= 0.99);
        assert!(score("O Ku'k-ryo'l", "Oh Kuk Ryol", p) >= 0.99);
    }

    #[test]
    fn different_korean_names_score_low() {
        let p = NameMode::Person;
        assert!(score("Kim Jong Sik", "Kim Yong Nam", p) < 0.6);
        assert!(score("Pak Chol Su", "Kim Chol Su", p) < 0.7);
        assert!(score("김종은", "김정은", p) < 0.85);
    }

    #[test]
    fn short_tokens_get_no_fuzziness() {
        let p = NameMode::Person;
        // "Li"/"Lu" and "Jon"/"Jan" differ by one letter but are 2–3 letters long.
        let c = compare(
            &PreparedName::new("Li Wu", p),
            &PreparedName::new("Lu Wu", p),
            true,
        );
        assert!(c.score < 0.6, "{c:?}");
        assert!(c.unmatched_query.contains(&"li".to_string()));
        assert!(score("Jon Smith", "Jan Smith", p) < 0.6);
        // Longer tokens do get fuzziness.
        assert!(score("Vladimir Pudin", "Vladimir Putin", p) > 0.9);
    }

    #[test]
    fn explains_itself() {
        let c = compare(
            &PreparedName::new("Vladimir Pudin", NameMode::Person),
            &PreparedName::new("PUTIN, Vladimir Vladimirovich", NameMode::Person),
            true,
        );
        assert_eq!(c.parts.len(), 2);
        let putin = c.parts.iter().find(|p| p.result == "putin").unwrap();
        assert!(matches!(putin.how, How::Fuzzy { .. }));
        assert_eq!(c.unmatched_result, ["vladimirovich"]);
        assert!(c.arithmetic.contains("omitted"), "{}", c.arithmetic);
    }

    #[test]
    fn companies_and_spacing() {
        let o = NameMode::Org;
        assert!(score("vanderbilt corp", "van der bilt corp", o) >= 0.99);
        assert!(score("OAO Gazprom", "Gazprom JSC", o) >= 0.99);
        assert!(score("Deutsche Bank AG", "Siemens AG", o) < 0.5);
    }
}
