//! The screening index: names prepared once, an inverted index of normalized tokens, phonetic
//! skeletons, one-deletion variants and Korean syllable keys for candidate retrieval, exact maps
//! for identifiers, and the search that scores candidates and explains each result.

use crate::ident;
use crate::name::{self, NameComparison, PreparedName};
use crate::normalize::{NameMode, TokenKind};
use lists::{Entity, IdKind, NameStrength, Schema};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Highest score a match on a weak alias alone can reach (below any sensible threshold).
pub const WEAK_ALIAS_CAP: f64 = 0.7;
/// Bonus when a weak alias also matches, on top of a strong name.
pub const WEAK_ALIAS_SUPPORT: f64 = 0.03;
/// Score of a match through a valid identifier (IMO, MMSI, crypto address).
pub const IDENTIFIER_SCORE: f64 = 1.0;
/// Score a call-sign match alone gives (call signs are reassigned; it supports, it does not decide).
pub const CALL_SIGN_SCORE: f64 = 0.8;
/// Penalty for an entity type that contradicts the query's.
pub const SCHEMA_MISMATCH: f64 = -0.2;
/// Bonus when a birth year agrees.
pub const BIRTH_YEAR_MATCH: f64 = 0.05;
/// Penalty when every listed birth year is more than a year away from the query's.
pub const BIRTH_YEAR_MISMATCH: f64 = -0.15;
/// Bonus when a full birth date agrees.
pub const BIRTH_DATE_MATCH: f64 = 0.08;
/// Penalty when the year agrees but every listed full date of that year differs from the query's.
pub const BIRTH_DATE_MISMATCH: f64 = -0.1;
/// Bonus when a country agrees.
pub const COUNTRY_MATCH: f64 = 0.03;
/// Penalty when the entity lists countries and none agrees.
pub const COUNTRY_MISMATCH: f64 = -0.1;
/// Penalty when the query's IMO/MMSI differs from the entity's.
pub const IDENTIFIER_MISMATCH: f64 = -0.3;

/// FxHash: a fast non-cryptographic hash for the posting map (keys are our own hashes).
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ *b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

fn key_hash(tag: u8, text: &str) -> u64 {
    // FNV-1a over tag and bytes: stable, cheap, good enough spread for a hash map key.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ tag as u64;
    h = h.wrapping_mul(0x100_0000_01b3);
    for b in text.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn korean_key(code: u16) -> u64 {
    key_hash(b'k', &code.to_string())
}

/// The retrieval keys of a prepared name.
fn name_keys(n: &PreparedName, out: &mut Vec<u64>) {
    let start = out.len();
    for (t, skel) in n.tokens.iter().zip(&n.skeletons) {
        match t.kind {
            TokenKind::Word | TokenKind::Hangul | TokenKind::Number => {
                out.push(key_hash(b't', &t.text));
                if t.kind == TokenKind::Word && t.text.len() >= 4 {
                    out.push(key_hash(b's', skel));
                    out.push(key_hash(b'd', &t.text));
                    let b = t.text.as_bytes();
                    for i in 0..b.len() {
                        let mut v = Vec::with_capacity(b.len() - 1);
                        v.extend_from_slice(&b[..i]);
                        v.extend_from_slice(&b[i + 1..]);
                        out.push(key_hash(b'd', std::str::from_utf8(&v).unwrap_or("")));
                    }
                }
            }
            TokenKind::Stop | TokenKind::OrgClass | TokenKind::Initial => {}
        }
    }
    if !n.joined.is_empty() {
        out.push(key_hash(b'j', &n.joined));
    }
    for k in &n.korean {
        for s in &k.family {
            out.push(korean_key(s.key.loose_code()));
        }
        for alt in &k.given {
            for s in alt {
                out.push(korean_key(s.key.loose_code()));
            }
        }
    }
    if out.len() == start {
        // Names made only of stopwords or legal forms: index what there is.
        for t in &n.tokens {
            out.push(key_hash(b't', &t.text));
        }
    }
    let tail = &mut out[start..];
    tail.sort_unstable();
    let mut w = start;
    for r in start..out.len() {
        if r == start || out[r] != out[w - 1] {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
}

/// The mode a listed entity's names are read in.
pub fn mode_for(schema: Schema) -> NameMode {
    match schema {
        Schema::Person => NameMode::Person,
        Schema::Organization | Schema::Company => NameMode::Org,
        Schema::Vessel | Schema::Aircraft => NameMode::Object,
        Schema::CryptoWallet | Schema::Unknown => NameMode::Any,
    }
}

fn mode_slot(m: NameMode) -> usize {
    match m {
        NameMode::Person => 0,
        NameMode::Org => 1,
        NameMode::Object => 2,
        NameMode::Any => 3,
    }
}

/// Per-entity accumulation during a search.
#[derive(Debug, Clone, Copy, Default)]
struct Cand {
    /// Score from identifiers (1.0 short-circuits).
    id_score: f64,
    /// Best-matching name.
    nid: Option<u32>,
    /// Its name score.
    name_score: f64,
    /// Best raw score among the entity's weak aliases.
    weak_best: f64,
}

struct NameRec {
    entity: u32,
    weak: bool,
    prepared: PreparedName,
}

/// What a search looks for. Every field is optional; at least a name or an identifier.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Query {
    /// A name in any script.
    pub name: Option<String>,
    /// The kind of entity sought.
    pub schema: Option<Schema>,
    /// IMO number (seven digits; check digit validated).
    pub imo: Option<String>,
    /// MMSI (nine digits).
    pub mmsi: Option<String>,
    /// Radio call sign.
    pub call_sign: Option<String>,
    /// Crypto address.
    pub crypto_address: Option<String>,
    /// Birth date or year, `YYYY` or `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Country, ISO 3166-1 alpha-2.
    pub country: Option<String>,
}

impl Query {
    /// A query by name only.
    pub fn name(name: &str) -> Query {
        Query {
            name: Some(name.to_string()),
            ..Query::default()
        }
    }
}

/// A supporting or penalizing feature applied to a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feature {
    /// Feature name (`birth_year_match`, `country_mismatch`, `imo_match` ...).
    pub name: String,
    /// What it added to (or took from) the score.
    pub delta: f64,
    /// Human-readable detail.
    pub detail: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The entity's id (`un:KPi.033`, `ofac:12345`).
    pub entity_id: String,
    /// Its position in the slice the index was built from.
    pub entity_index: usize,
    /// Its kind.
    pub schema: Schema,
    /// Its primary name.
    pub caption: String,
    /// Final score in [0, 1].
    pub score: f64,
    /// The name score before features (0 when matched by identifier only).
    pub name_score: f64,
    /// The listed name that matched best, if a name was compared.
    pub matched_name: Option<String>,
    /// Whether that name is a weak alias.
    pub weak_alias: bool,
    /// The name comparison: aligned parts, how they matched, the arithmetic.
    pub name: Option<NameComparison>,
    /// Identifier matches and supporting/penalizing features.
    pub features: Vec<Feature>,
    /// The whole explanation as readable lines.
    pub explanation: Vec<String>,
}

/// Which identifier to look up with [`Index::by_identifier`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdLookup {
    /// IMO number.
    Imo,
    /// MMSI.
    Mmsi,
    /// Call sign.
    CallSign,
    /// Crypto address (case rules per chain).
    Crypto,
}

/// The screening index over a set of entities.
pub struct Index {
    entities: Vec<Entity>,
    names: Vec<NameRec>,
    postings: FxMap<u64, Vec<u32>>,
    idf: FxMap<u64, f32>,
    imo: HashMap<String, Vec<u32>>,
    mmsi: HashMap<String, Vec<u32>>,
    call_sign: HashMap<String, Vec<u32>>,
    crypto: HashMap<String, Vec<u32>>,
    birth_years: Vec<Vec<i32>>,
}

thread_local! {
    static SCRATCH: RefCell<(Vec<f32>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

fn year_of(s: &str) -> Option<i32> {
    let y: String = s.trim().chars().take(4).collect();
    (y.len() == 4).then(|| y.parse().ok()).flatten()
}

fn schema_group(s: Schema) -> Option<u8> {
    match s {
        Schema::Person => Some(0),
        Schema::Organization | Schema::Company => Some(1),
        Schema::Vessel => Some(2),
        Schema::Aircraft => Some(3),
        Schema::CryptoWallet => Some(4),
        Schema::Unknown => None,
    }
}

impl Index {
    /// Builds the index (clones the entities so results can refer to them).
    pub fn build(entities: &[Entity]) -> Index {
        Index::from_entities(entities.to_vec())
    }

    /// Builds the index, taking ownership of the entities.
    pub fn from_entities(entities: Vec<Entity>) -> Index {
        let mut names = Vec::new();
        let mut postings: FxMap<u64, Vec<u32>> = FxMap::default();
        let mut imo: HashMap<String, Vec<u32>> = HashMap::new();
        let mut mmsi: HashMap<String, Vec<u32>> = HashMap::new();
        let mut call_sign: HashMap<String, Vec<u32>> = HashMap::new();
        let mut crypto: HashMap<String, Vec<u32>> = HashMap::new();
        let mut birth_years = Vec::with_capacity(entities.len());
        let mut keys = Vec::new();
        for (ei, e) in entities.iter().enumerate() {
            let ei = ei as u32;
            let mode = mode_for(e.schema);
            let mut seen: Vec<String> = Vec::new();
            for n in &e.names {
                if n.full.trim().is_empty() || seen.contains(&n.full) {
                    continue;
                }
                seen.push(n.full.clone());
                let prepared = PreparedName::new(&n.full, mode);
                if prepared.is_empty() {
                    continue;
                }
                let id = names.len() as u32;
                keys.clear();
                name_keys(&prepared, &mut keys);
                for k in &keys {
                    postings.entry(*k).or_default().push(id);
                }
                names.push(NameRec {
                    entity: ei,
                    weak: n.strength == NameStrength::Weak,
                    prepared,
                });
            }
            for id in &e.identifiers {
                let push = |m: &mut HashMap<String, Vec<u32>>, k: String| {
                    let v = m.entry(k).or_default();
                    if !v.contains(&ei) {
                        v.push(ei);
                    }
                };
                match &id.kind {
                    IdKind::Imo => {
                        if let Some(d) = ident::imo_digits(&id.value) {
                            push(&mut imo, d);
                        }
                    }
                    IdKind::Mmsi => {
                        if let Some(d) = ident::mmsi_digits(&id.value) {
                            push(&mut mmsi, d);
                        }
                    }
                    IdKind::CallSign => push(&mut call_sign, ident::call_sign_key(&id.value)),
                    IdKind::CryptoAddress(_) => push(&mut crypto, ident::address_key(&id.value)),
                    _ => {}
                }
            }
            birth_years.push(e.birth_dates.iter().filter_map(|d| year_of(d)).collect());
        }
        let n = names.len().max(1) as f32;
        let idf = postings
            .iter()
            .map(|(k, v)| (*k, (1.0 + n / v.len() as f32).ln()))
            .collect();
        Index {
            entities,
            names,
            postings,
            idf,
            imo,
            mmsi,
            call_sign,
            crypto,
            birth_years,
        }
    }

    /// The indexed entities.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Number of indexed names (primary names and aliases).
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Entities (indices) carrying an identifier, exactly (IMO/MMSI by digits, call signs
    /// without punctuation and case, crypto addresses by their chain's case rule).
    pub fn by_identifier(&self, kind: IdLookup, value: &str) -> Vec<usize> {
        let hits = match kind {
            IdLookup::Imo => ident::imo_digits(value).and_then(|d| self.imo.get(&d)),
            IdLookup::Mmsi => ident::mmsi_digits(value).and_then(|d| self.mmsi.get(&d)),
            IdLookup::CallSign => self.call_sign.get(&ident::call_sign_key(value)),
            IdLookup::Crypto => self.crypto.get(&ident::address_key(value)),
        };
        hits.map(|v| v.iter().map(|i| *i as usize).collect())
            .unwrap_or_default()
    }

    /// Searches the index; results sorted by score, at most `limit`.
    pub fn search(&self, query: &Query, limit: usize) -> Vec<Match> {
        if limit == 0 {
            return Vec::new();
        }
        let mut best: FxMap<u32, Cand> = FxMap::default();
        let mut id_features: FxMap<u32, Vec<Feature>> = FxMap::default();
        self.identifier_hits(query, &mut best, &mut id_features);

        let prepared: Option<[PreparedName; 4]> = query.name.as_deref().map(|n| {
            [
                PreparedName::new(n, NameMode::Person),
                PreparedName::new(n, NameMode::Org),
                PreparedName::new(n, NameMode::Object),
                PreparedName::new(n, NameMode::Any),
            ]
        });
        if let Some(qs) = &prepared {
            let candidates = self.candidates(qs, (limit * 4).max(32));
            for nid in candidates {
                let rec = &self.names[nid as usize];
                let q = &qs[mode_slot(rec.prepared.mode)];
                let s = name::compare(q, &rec.prepared, false).score;
                let entry = best.entry(rec.entity).or_default();
                if rec.weak && s > entry.weak_best {
                    entry.weak_best = s;
                }
                // Prefer strong names: a weak alias only wins when it scores above the cap.
                let eff = if rec.weak { s.min(WEAK_ALIAS_CAP) } else { s };
                let cur = entry
                    .nid
                    .map(|n| {
                        if self.names[n as usize].weak {
                            entry.name_score.min(WEAK_ALIAS_CAP)
                        } else {
                            entry.name_score
                        }
                    })
                    .unwrap_or(-1.0);
                if eff > cur {
                    entry.nid = Some(nid);
                    entry.name_score = s;
                }
            }
        }
        let mut ranked: Vec<(f64, u32, Cand, Vec<Feature>)> = best
            .into_iter()
            .map(|(ei, cand)| {
                let mut features = id_features.remove(&ei).unwrap_or_default();
                let score = if cand.id_score >= IDENTIFIER_SCORE {
                    cand.id_score
                } else {
                    let mut s = cand.name_score;
                    if cand.nid.is_some() {
                        let extra = self.features(query, ei as usize);
                        s += extra.iter().map(|f| f.delta).sum::<f64>();
                        features.extend(extra);
                        if cand.nid.is_some_and(|n| self.names[n as usize].weak) {
                            s = s.min(WEAK_ALIAS_CAP);
                        } else if cand.weak_best >= crate::DEFAULT_THRESHOLD && s > 0.0 {
                            // A weak alias agreeing as well supports a strong-name match.
                            s += WEAK_ALIAS_SUPPORT;
                            features.push(Feature {
                                name: "weak_alias_support".into(),
                                delta: WEAK_ALIAS_SUPPORT,
                                detail: format!("a weak alias also scores {:.2}", cand.weak_best),
                            });
                        }
                    }
                    s.max(cand.id_score)
                };
                (score.clamp(0.0, 1.0), ei, cand, features)
            })
            .filter(|r| r.0 > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(score, ei, cand, features)| {
                self.make_match(query, prepared.as_ref(), score, ei, cand, features)
            })
            .collect()
    }

    fn identifier_hits(
        &self,
        query: &Query,
        best: &mut FxMap<u32, Cand>,
        feats: &mut FxMap<u32, Vec<Feature>>,
    ) {
        let mut add = |ei: u32, score: f64, f: Feature| {
            let e = best.entry(ei).or_default();
            if score > e.id_score {
                e.id_score = score;
            }
            feats.entry(ei).or_default().push(f);
        };
        if let Some(v) = &query.imo {
            if let Some(d) = ident::imo_digits(v) {
                let valid = ident::imo_check_digit_valid(&d);
                for ei in self.imo.get(&d).into_iter().flatten() {
                    let (score, detail) = if valid {
                        (
                            IDENTIFIER_SCORE,
                            format!("IMO {d} identical (check digit valid)"),
                        )
                    } else {
                        (CALL_SIGN_SCORE, format!("IMO {d} identical, but its check digit is invalid: no short-circuit"))
                    };
                    add(
                        *ei,
                        score,
                        Feature {
                            name: "imo_match".into(),
                            delta: score,
                            detail,
                        },
                    );
                }
            }
        }
        if let Some(v) = &query.mmsi {
            if let Some(d) = ident::mmsi_digits(v) {
                let valid = ident::mmsi_valid(&d);
                for ei in self.mmsi.get(&d).into_iter().flatten() {
                    let (score, detail) = if valid {
                        (IDENTIFIER_SCORE, format!("MMSI {d} identical"))
                    } else {
                        (
                            CALL_SIGN_SCORE,
                            format!(
                                "MMSI {d} identical, but not a valid ship MMSI: no short-circuit"
                            ),
                        )
                    };
                    add(
                        *ei,
                        score,
                        Feature {
                            name: "mmsi_match".into(),
                            delta: score,
                            detail,
                        },
                    );
                }
            }
        }
        if let Some(v) = &query.call_sign {
            let k = ident::call_sign_key(v);
            for ei in self.call_sign.get(&k).into_iter().flatten() {
                add(*ei, CALL_SIGN_SCORE, Feature {
                    name: "call_sign_match".into(),
                    delta: CALL_SIGN_SCORE,
                    detail: format!("call sign {k} identical (call signs are reassigned: supports, does not decide)"),
                });
            }
        }
        if let Some(v) = &query.crypto_address {
            let k = ident::address_key(v);
            let rule = match ident::address_case(v) {
                ident::AddressCase::Insensitive => "case-insensitive (hex/bech32)",
                ident::AddressCase::Sensitive => "case-sensitive (base58 or other)",
            };
            for ei in self.crypto.get(&k).into_iter().flatten() {
                add(
                    *ei,
                    IDENTIFIER_SCORE,
                    Feature {
                        name: "crypto_address_match".into(),
                        delta: IDENTIFIER_SCORE,
                        detail: format!("crypto address {k} identical, compared {rule}"),
                    },
                );
            }
        }
    }

    /// Name ids worth scoring: those sharing the most informative keys with the query.
    fn candidates(&self, qs: &[PreparedName; 4], max: usize) -> Vec<u32> {
        let mut keys = Vec::new();
        for q in qs {
            name_keys(q, &mut keys);
        }
        keys.sort_unstable();
        keys.dedup();
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (acc, touched) = &mut *guard;
            if acc.len() < self.names.len() {
                acc.resize(self.names.len(), 0.0);
            }
            touched.clear();
            for k in &keys {
                let Some(list) = self.postings.get(k) else {
                    continue;
                };
                let w = self.idf.get(k).copied().unwrap_or(0.0);
                for &nid in list {
                    let a = &mut acc[nid as usize];
                    if *a == 0.0 {
                        touched.push(nid);
                    }
                    *a += w;
                }
            }
            let mut scored: Vec<(f32, u32)> =
                touched.iter().map(|&n| (acc[n as usize], n)).collect();
            for &n in touched.iter() {
                acc[n as usize] = 0.0;
            }
            if scored.len() > max {
                scored.select_nth_unstable_by(max, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                scored.truncate(max);
            }
            scored.into_iter().map(|(_, n)| n).collect()
        })
    }

    fn features(&self, query: &Query, ei: usize) -> Vec<Feature> {
        let e = &self.entities[ei];
        let mut out = Vec::new();
        if let (Some(qs), Some(g)) = (query.schema, schema_group(e.schema)) {
            if schema_group(qs).is_some_and(|q| q != g) {
                out.push(Feature {
                    name: "schema_mismatch".into(),
                    delta: SCHEMA_MISMATCH,
                    detail: format!("query is a {qs:?}, listed entity is a {:?}", e.schema),
                });
            }
        }
        if let Some(qy) = query.birth_date.as_deref().and_then(year_of) {
            let years = &self.birth_years[ei];
            if !years.is_empty() {
                let qd = query.birth_date.as_deref().map(str::trim).unwrap_or("");
                let full_dates: Vec<&str> = e
                    .birth_dates
                    .iter()
                    .map(|d| d.trim())
                    .filter(|d| d.len() == 10 && d.starts_with(&qy.to_string()))
                    .collect();
                if qd.len() == 10 && full_dates.contains(&qd) {
                    out.push(Feature {
                        name: "birth_date_match".into(),
                        delta: BIRTH_DATE_MATCH,
                        detail: format!("birth date {qd} listed"),
                    });
                } else if qd.len() == 10 && !full_dates.is_empty() && years.iter().all(|y| *y == qy)
                {
                    out.push(Feature {
                        name: "birth_date_mismatch".into(),
                        delta: BIRTH_DATE_MISMATCH,
                        detail: format!("birth date {qd}, listed {}", full_dates.join(", ")),
                    });
                } else if years.contains(&qy) {
                    out.push(Feature {
                        name: "birth_year_match".into(),
                        delta: BIRTH_YEAR_MATCH,
                        detail: format!("birth year {qy} listed"),
                    });
                } else if !years.iter().any(|y| (y - qy).abs() <= 1) {
                    out.push(Feature {
                        name: "birth_year_mismatch".into(),
                        delta: BIRTH_YEAR_MISMATCH,
                        detail: format!("birth year {qy}, listed {years:?}"),
                    });
                }
            }
        }
        if let Some(qc) = &query.country {
            if !e.countries.is_empty() {
                if e.countries.iter().any(|c| c.eq_ignore_ascii_case(qc)) {
                    out.push(Feature {
                        name: "country_match".into(),
                        delta: COUNTRY_MATCH,
                        detail: format!("country {qc} listed"),
                    });
                } else {
                    out.push(Feature {
                        name: "country_mismatch".into(),
                        delta: COUNTRY_MISMATCH,
                        detail: format!("country {qc}, listed {}", e.countries.join(", ")),
                    });
                }
            }
        }
        if let Some(d) = query.imo.as_deref().and_then(ident::imo_digits) {
            let listed: Vec<String> = e
                .identifiers_of(&IdKind::Imo)
                .filter_map(ident::imo_digits)
                .collect();
            if !listed.is_empty() && !listed.contains(&d) {
                out.push(Feature {
                    name: "imo_mismatch".into(),
                    delta: IDENTIFIER_MISMATCH,
                    detail: format!("IMO {d}, listed {}", listed.join(", ")),
                });
            }
        }
        if let Some(d) = query.mmsi.as_deref().and_then(ident::mmsi_digits) {
            let listed: Vec<String> = e
                .identifiers_of(&IdKind::Mmsi)
                .filter_map(ident::mmsi_digits)
                .collect();
            if !listed.is_empty() && !listed.contains(&d) {
                out.push(Feature {
                    name: "mmsi_mismatch".into(),
                    delta: IDENTIFIER_MISMATCH,
                    detail: format!("MMSI {d}, listed {}", listed.join(", ")),
                });
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn make_match(
        &self,
        query: &Query,
        prepared: Option<&[PreparedName; 4]>,
        score: f64,
        ei: u32,
        cand: Cand,
        features: Vec<Feature>,
    ) -> Match {
        let Cand {
            nid, name_score, ..
        } = cand;
        let e = &self.entities[ei as usize];
        let caption = e.primary_name().unwrap_or(&e.id).to_string();
        let mut explanation = Vec::new();
        let mut comparison = None;
        let mut matched_name = None;
        let mut weak = false;
        if let (Some(qs), Some(nid)) = (prepared, nid) {
            let rec = &self.names[nid as usize];
            let c = name::compare(&qs[mode_slot(rec.prepared.mode)], &rec.prepared, true);
            weak = rec.weak;
            explanation.push(format!(
                "name {:?} vs {}listed name {:?}: {:.3} ({} method)",
                query.name.as_deref().unwrap_or(""),
                if weak { "weak alias " } else { "" },
                rec.prepared.original,
                c.score,
                c.method
            ));
            for p in &c.parts {
                explanation.push(format!(
                    "  {:?} ↔ {:?}: {}, similarity {:.2} × weight {:.2}",
                    p.query, p.result, p.how, p.similarity, p.weight
                ));
            }
            if !c.unmatched_query.is_empty() {
                explanation.push(format!(
                    "  unmatched query parts: {}",
                    c.unmatched_query.join(", ")
                ));
            }
            if !c.unmatched_result.is_empty() {
                explanation.push(format!(
                    "  unmatched listed parts: {}",
                    c.unmatched_result.join(", ")
                ));
            }
            if c.reordered {
                explanation.push("  parts appear in a shuffled order".into());
            }
            if !c.arithmetic.is_empty() {
                explanation.push(format!("  {}", c.arithmetic));
            }
            if weak {
                explanation.push(format!(
                    "  weak alias: capped at {WEAK_ALIAS_CAP} (supports, never decides)"
                ));
            }
            matched_name = Some(rec.prepared.original.clone());
            comparison = Some(c);
        }
        for f in &features {
            explanation.push(format!("{}: {:+.2} ({})", f.name, f.delta, f.detail));
        }
        explanation.push(format!("score {score:.3}"));
        Match {
            entity_id: e.id.clone(),
            entity_index: ei as usize,
            schema: e.schema,
            caption,
            score,
            name_score,
            matched_name,
            weak_alias: weak,
            name: comparison,
            features,
            explanation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lists::NameStrength;

    fn entities() -> Vec<Entity> {
        let mut kim = Entity::new("ofac:1", "ofac", Schema::Person);
        kim.add_name("KIM, Jong Un", NameStrength::Strong);
        kim.add_name("Jong Un Kim", NameStrength::Strong);
        kim.birth_dates.push("1984-01-08".into());
        kim.countries.push("KP".into());
        let mut pak = Entity::new("un:KPi.999", "un", Schema::Person);
        pak.add_name("PAK CHOL SU", NameStrength::Strong);
        pak.add_name("Comrade Star", NameStrength::Weak);
        pak.birth_dates.push("1962".into());
        let mut ship = Entity::new("ofac:2", "ofac", Schema::Vessel);
        ship.add_name("CHON MA SAN", NameStrength::Strong);
        ship.add_identifier(IdKind::Imo, "IMO 9074729", None);
        ship.add_identifier(IdKind::Mmsi, "445539000", None);
        ship.add_identifier(IdKind::CallSign, "HMYX", None);
        let mut wallet = Entity::new("ofac:3", "ofac", Schema::Person);
        wallet.add_name("Someone Else", NameStrength::Strong);
        wallet.add_identifier(
            IdKind::CryptoAddress("ETH".into()),
            "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
            None,
        );
        wallet.add_identifier(
            IdKind::CryptoAddress("XBT".into()),
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            None,
        );
        let mut co = Entity::new("un:KPe.999", "un", Schema::Company);
        co.add_name(
            "Korea Mining Development Trading Corporation",
            NameStrength::Strong,
        );
        vec![kim, pak, ship, wallet, co]
    }

    #[test]
    fn finds_korean_names_in_any_system_and_script() {
        let index = Index::build(&entities());
        for q in [
            "Kim Jong Un",
            "김정은",
            "Kim Jong-un",
            "KIM JONGUN",
            "Gim Jeong-eun",
        ] {
            let hits = index.search(&Query::name(q), 3);
            assert_eq!(hits[0].entity_id, "ofac:1", "{q}");
            assert!(hits[0].score >= 0.95, "{q}: {}", hits[0].score);
        }
        for q in ["Park Cheol-su", "박철수", "Pak Ch'ŏl-su"] {
            let hits = index.search(&Query::name(q), 3);
            assert_eq!(hits[0].entity_id, "un:KPi.999", "{q}");
            assert!(hits[0].score >= 0.95, "{q}: {}", hits[0].score);
        }
    }

    #[test]
    fn explanation_names_parts_and_arithmetic() {
        let index = Index::build(&entities());
        let hits = index.search(&Query::name("Park Cheol-su"), 1);
        let m = &hits[0];
        assert_eq!(m.matched_name.as_deref(), Some("PAK CHOL SU"));
        let c = m.name.as_ref().unwrap();
        assert_eq!(c.method, "korean");
        assert!(c
            .parts
            .iter()
            .any(|p| p.query == "park" && p.result == "pak"));
        assert!(c.parts.iter().any(|p| p.query == "cheol"
            && p.result == "chol"
            && p.how == name::How::KoreanVariant));
        let text = m.explanation.join("\n");
        assert!(
            text.contains("\"cheol\" ↔ \"chol\": Korean romanization variant"),
            "{text}"
        );
        assert!(text.contains("Korean syllables:"), "{text}");
    }

    #[test]
    fn identifiers_short_circuit() {
        let index = Index::build(&entities());
        let q = Query {
            name: Some("Totally Different Name".into()),
            imo: Some("9074729".into()),
            ..Query::default()
        };
        let hits = index.search(&q, 3);
        assert_eq!(hits[0].entity_id, "ofac:2");
        assert_eq!(hits[0].score, 1.0);
        assert!(hits[0]
            .explanation
            .iter()
            .any(|l| l.contains("check digit valid")));
        // An IMO with a wrong check digit does not short-circuit.
        let mut ents = entities();
        ents[2].add_identifier(IdKind::Imo, "9074728", None);
        let index = Index::build(&ents);
        let q = Query {
            imo: Some("9074728".into()),
            ..Query::default()
        };
        let hits = index.search(&q, 3);
        assert!(hits[0].score < 1.0);
        // MMSI and exact lookups for the regime rules.
        let q = Query {
            mmsi: Some("445539000".into()),
            ..Query::default()
        };
        assert_eq!(index.search(&q, 1)[0].score, 1.0);
        assert_eq!(index.by_identifier(IdLookup::Imo, "IMO 9074729"), [2]);
        assert_eq!(index.by_identifier(IdLookup::CallSign, "h-myx"), [2]);
    }

    #[test]
    fn crypto_addresses_follow_chain_case_rules() {
        let index = Index::build(&entities());
        let lower = Query {
            crypto_address: Some("0x098b716b8aaf21512996dc57eb0615e2383e2f96".into()),
            ..Query::default()
        };
        let hits = index.search(&lower, 1);
        assert_eq!(hits[0].entity_id, "ofac:3");
        assert_eq!(hits[0].score, 1.0);
        let base58_lower = Query {
            crypto_address: Some("1a1zp1ep5qgefi2dmptftl5slmv7divfna".into()),
            ..Query::default()
        };
        assert!(index.search(&base58_lower, 1).is_empty());
        assert_eq!(
            index.by_identifier(IdLookup::Crypto, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            [3]
        );
    }

    #[test]
    fn weak_alias_never_matches_alone_and_features_apply() {
        let index = Index::build(&entities());
        let hits = index.search(&Query::name("Comrade Star"), 1);
        assert!(hits[0].weak_alias);
        assert!(hits[0].score <= WEAK_ALIAS_CAP);
        // A weak alias equal to the strong name supports it.
        let mut ents = entities();
        ents[1].add_name("Pak Chol-su", NameStrength::Weak);
        let index2 = Index::build(&ents);
        let hit = &index2.search(&Query::name("Pak Chol Su"), 1)[0];
        assert!(!hit.weak_alias);
        assert!(hit.features.iter().any(|f| f.name == "weak_alias_support"));
        let q = Query {
            name: Some("Kim Jong Un".into()),
            birth_date: Some("1950".into()),
            country: Some("US".into()),
            schema: Some(Schema::Vessel),
            ..Query::default()
        };
        let hits = index.search(&q, 1);
        let names: Vec<&str> = hits[0].features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["schema_mismatch", "birth_year_mismatch", "country_mismatch"]
        );
        assert!(hits[0].score < 0.6);
        let q = Query {
            name: Some("Kim Jong Un".into()),
            birth_date: Some("1984".into()),
            ..Query::default()
        };
        assert!(index.search(&q, 1)[0]
            .features
            .iter()
            .any(|f| f.name == "birth_year_match"));
        for (date, feature) in [
            ("1984-01-08", "birth_date_match"),
            ("1984-03-01", "birth_date_mismatch"),
        ] {
            let q = Query {
                name: Some("Kim Jong Un".into()),
                birth_date: Some(date.into()),
                ..Query::default()
            };
            let hit = &index.search(&q, 1)[0];
            assert!(hit.features.iter().any(|f| f.name == feature), "{date}");
        }
    }

    #[test]
    fn short_tokens_do_not_fuzz_into_matches() {
        let index = Index::build(&entities());
        // "Chon Ma Sam" differs from "CHON MA SAN" in a three-letter token: no fuzzy credit.
        let hits = index.search(&Query::name("Chon Ma Sam"), 1);
        assert!(
            hits.is_empty() || hits[0].score < 0.8,
            "{:?}",
            hits.first().map(|h| h.score)
        );
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use lists::NameStrength;

    #[test]
    fn odd_input_never_panics() {
        let odd = [
            "",
            "   ",
            "(((",
            ")",
            "&&&",
            "-'-",
            "a",
            "😀 🚢",
            "0",
            "12345678901234567890123456789012345678901234567890",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "ĲĳǄǅ ﬁ ℌ ⅷ",
            "김",
            "김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김김",
            "Ри Мён Су (Ri) [KP]",
            "ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo oo",
            "x1y2z3 4th 1st first forty four",
            "Kim (Jong) Un ((",
        ];
        let mut ents = Vec::new();
        for (i, n) in odd.iter().enumerate() {
            let mut e = Entity::new(format!("t:{i}"), "t", Schema::Unknown);
            e.add_name(n, NameStrength::Strong);
            e.birth_dates.push(n.to_string());
            e.add_identifier(IdKind::Imo, n, None);
            e.add_identifier(IdKind::CryptoAddress("ETH".into()), n, None);
            ents.push(e);
        }
        let index = Index::build(&ents);
        for n in odd {
            for schema in [
                None,
                Some(Schema::Person),
                Some(Schema::Company),
                Some(Schema::Vessel),
            ] {
                let q = Query {
                    name: Some(n.to_string()),
                    schema,
                    imo: Some(n.to_string()),
                    mmsi: Some(n.to_string()),
                    call_sign: Some(n.to_string()),
                    crypto_address: Some(n.to_string()),
                    birth_date: Some(n.to_string()),
                    country: Some(n.to_string()),
                };
                for m in index.search(&q, 5) {
                    assert!((0.0..=1.0).contains(&m.score), "{n}: {}", m.score);
                }
            }
        }
    }
}
