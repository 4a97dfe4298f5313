//! Korean names: Hangul decomposition, romanization (Revised, McCune–Reischauer, DPRK 1992) and
//! phonetic syllable keys that let every common spelling of one syllable collide.
//!
//! All tables here are our own. A Hangul syllable is decomposed algorithmically into initial,
//! medial and final jamo (Unicode 3.12: `S = 0xAC00 + (L·21 + V)·28 + T`). Romanized text is
//! parsed back into syllables with a small grammar of the spellings each jamo class takes in
//! the three systems and in popular passport spellings (Park, Choi, Sung, Young, Soo, Lee ...).
//! The key of a syllable is its (initial class, vowel class, final class) with aspiration and
//! tenseness folded (MR without apostrophes cannot tell them apart) and the initial-sound law
//! (두음법칙: 리 → 이, 류 → 유, 로 → 노) applied, so Ri, Rhee, Lee, Yi and I share one key.

/// Initial consonant classes: aspirated and tense consonants fold into the plain one.
const INI_NONE: u8 = 0;
const INI_K: u8 = 1;
const INI_N: u8 = 2;
const INI_T: u8 = 3;
const INI_L: u8 = 4;
const INI_M: u8 = 5;
const INI_P: u8 = 6;
const INI_S: u8 = 7;
const INI_C: u8 = 8;
const INI_H: u8 = 9;

/// Vowel classes. ㅓ/ㅗ share `O` and ㅜ/ㅡ share `U` because MR without breves cannot tell
/// them apart; the loose comparison further merges `O`/`U` and `YO`/`YU` (popular spellings
/// write ㅓ as "u": Sung, Jung, Chul; ㅕ as "yu"/"you": Hyun, Young).
const V_A: u8 = 0;
const V_E: u8 = 1;
const V_YA: u8 = 2;
const V_YE: u8 = 3;
const V_O: u8 = 4;
const V_YO: u8 = 5;
const V_U: u8 = 6;
const V_YU: u8 = 7;
const V_WA: u8 = 8;
const V_WE: u8 = 9;
const V_WO: u8 = 10;
const V_WI: u8 = 11;
const V_UI: u8 = 12;
const V_I: u8 = 13;

/// Final consonant classes.
const FIN_NONE: u8 = 0;
const FIN_K: u8 = 1;
const FIN_N: u8 = 2;
const FIN_T: u8 = 3;
const FIN_L: u8 = 4;
const FIN_M: u8 = 5;
const FIN_P: u8 = 6;
const FIN_NG: u8 = 7;

const INITIAL_CLASS: [u8; 19] = [
    INI_K, INI_K, INI_N, INI_T, INI_T, INI_L, INI_M, INI_P, INI_P, INI_S, INI_S, INI_NONE, INI_C,
    INI_C, INI_C, INI_K, INI_T, INI_P, INI_H,
];
const MEDIAL_CLASS: [u8; 21] = [
    V_A, V_E, V_YA, V_YE, V_O, V_E, V_YO, V_YE, V_O, V_WA, V_WE, V_WE, V_YO, V_U, V_WO, V_WE, V_WI,
    V_YU, V_U, V_UI, V_I,
];
const FINAL_CLASS: [u8; 28] = [
    FIN_NONE, FIN_K, FIN_K, FIN_K, FIN_N, FIN_N, FIN_N, FIN_T, FIN_L, FIN_K, FIN_M, FIN_L, FIN_L,
    FIN_L, FIN_P, FIN_L, FIN_M, FIN_P, FIN_P, FIN_T, FIN_T, FIN_NG, FIN_T, FIN_T, FIN_K, FIN_T,
    FIN_P, FIN_T,
];

const RR_INITIAL: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const MR_INITIAL: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'",
    "p'", "h",
];
/// MR between voiced sounds: ㄱㄷㅂㅈ become g d b j.
const MR_INITIAL_VOICED: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "tch", "ch'", "k'", "t'",
    "p'", "h",
];
const DPRK_INITIAL: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th",
    "ph", "h",
];
const RR_MEDIAL: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const MR_MEDIAL: [&str; 21] = [
    "a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we",
    "wi", "yu", "ŭ", "ŭi", "i",
];
const FINAL_ROMAN: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Two-syllable family names (the rest are one syllable).
const COMPOUND_SURNAMES: [&str; 8] = [
    "남궁", "황보", "선우", "제갈", "독고", "사공", "서문", "동방",
];

/// One-syllable family names, in Hangul; their keys decide whether a romanized token can be a
/// Korean family name.
const SURNAMES: &str = "김이리박최정조장전강윤임림오신서권유류고문양량손배백허노로성주구진현라나한홍황안남심염렴변계우채차송곽방명도용위천태지석길여려표탁함하민마엄원인육연편봉설선승제왕모공소국은기반금맹경피탄추";

/// Popular spellings that the syllable grammar cannot parse, rewritten to a parseable
/// spelling of the same family name before keying.
const SPELLING_ALIASES: [(&str, &str); 14] = [
    ("park", "pak"),
    ("bahk", "pak"),
    ("oh", "o"),
    ("noh", "no"),
    ("roh", "ro"),
    ("ahn", "an"),
    ("suh", "so"),
    ("hur", "ho"),
    ("huh", "ho"),
    ("sohn", "son"),
    ("koh", "ko"),
    ("doh", "to"),
    ("joh", "jo"),
    ("rhie", "ri"),
];

/// The systems [`romanize`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// Revised Romanization (ROK, 2000): `Gim Jeong-eun`.
    Revised,
    /// McCune–Reischauer with breves and apostrophes: `Kim Chŏng-ŭn`.
    McCuneReischauer,
    /// McCune–Reischauer with breves and apostrophes dropped, as lists often print it: `Kim Chong-un`.
    McCuneReischauerAscii,
    /// The DPRK 1992 system, each given-name syllable written separately: `Kim Jŏng Ŭn`.
    Dprk,
    /// The DPRK system with breves dropped, as the lists print it: `Kim Jong Un`.
    DprkAscii,
}

/// A Hangul syllable decomposed into jamo indices (initial 0..19, medial 0..21, final 0..28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Jamo {
    /// Initial consonant index (ㄱ = 0 … ㅎ = 18).
    pub initial: u8,
    /// Vowel index (ㅏ = 0 … ㅣ = 20).
    pub medial: u8,
    /// Final consonant index (0 = none, ㄱ = 1 … ㅎ = 27).
    pub final_: u8,
}

/// Decomposes a precomposed Hangul syllable (U+AC00..U+D7A3).
pub fn decompose(c: char) -> Option<Jamo> {
    let code = c as u32;
    if !(0xAC00..=0xD7A3).contains(&code) {
        return None;
    }
    let s = code - 0xAC00;
    Some(Jamo {
        initial: (s / (21 * 28)) as u8,
        medial: ((s % (21 * 28)) / 28) as u8,
        final_: (s % 28) as u8,
    })
}

/// True for a precomposed Hangul syllable.
pub fn is_hangul(c: char) -> bool {
    decompose(c).is_some()
}

/// Applies the initial-sound law (두음법칙) at jamo level: word-initial ㄹ before i/y becomes
/// silent (리 → 이), before other vowels ㄴ (로 → 노); ㄴ before i/y becomes silent (녀 → 여).
fn initial_sound_law(j: Jamo) -> Jamo {
    let iy = matches!(j.medial, 2 | 3 | 6 | 7 | 12 | 17 | 20);
    let initial = match (j.initial, iy) {
        (5, true) | (2, true) => 11,
        (5, false) => 2,
        (i, _) => i,
    };
    Jamo { initial, ..j }
}

/// The phonetic key of one syllable: classes of initial, vowel and final. Hangul syllables also
/// keep their exact jamo, so two Hangul spellings are compared exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SylKey {
    ini: u8,
    vowel: u8,
    fin: u8,
    /// Exact syllable after the initial-sound law, when it came from Hangul.
    exact: Option<Jamo>,
}

impl SylKey {
    fn new(ini: u8, vowel: u8, fin: u8) -> SylKey {
        let iy = matches!(vowel, V_I | V_YA | V_YE | V_YO | V_YU);
        let ini = match (ini, iy) {
            (INI_L, true) | (INI_N, true) => INI_NONE,
            (INI_L, false) => INI_N,
            (i, _) => i,
        };
        SylKey {
            ini,
            vowel,
            fin,
            exact: None,
        }
    }

    /// The key of a Hangul syllable.
    pub fn from_jamo(j: Jamo) -> SylKey {
        let mut k = SylKey::new(
            INITIAL_CLASS[j.initial as usize],
            MEDIAL_CLASS[j.medial as usize],
            FINAL_CLASS[j.final_ as usize],
        );
        k.exact = Some(initial_sound_law(j));
        k
    }

    fn loose_vowel(self) -> u8 {
        match self.vowel {
            V_U => V_O,
            V_YU => V_YO,
            v => v,
        }
    }

    fn unglided_vowel(self) -> u8 {
        match self.loose_vowel() {
            V_YA | V_WA => V_A,
            V_YE | V_WE => V_E,
            V_YO | V_WO => V_O,
            V_WI => V_I,
            v => v,
        }
    }

    /// A compact code for the loose key (vowels O/U and YO/YU merged), used as an index term.
    pub fn loose_code(self) -> u16 {
        (self.ini as u16) << 8 | (self.loose_vowel() as u16) << 4 | self.fin as u16
    }

    /// The strict code (no O/U merge); equal strict codes mean "same syllable up to spelling".
    pub fn strict_code(self) -> u16 {
        (self.ini as u16) << 8 | (self.vowel as u16) << 4 | self.fin as u16
    }
}

/// How closely two syllables agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SylAgreement {
    /// Nothing shared that matters.
    Different,
    /// Only the initial consonant differs (Hyung/Myung): a different syllable that sounds alike.
    InitialDiffers,
    /// Only a y- or w-glide differs (Pong/Pyong, Kon/Kwon).
    GlideDiffers,
    /// Different Hangul syllables (both sides in Hangul, e.g. 종/정).
    HangulDiffers,
    /// Same syllable in a looser popular spelling (Chol/Chul, Yong/Young).
    Loose,
    /// Same syllable in another system or spelling (Chol/Cheol/Ch'ŏl, Ri/Lee/Yi).
    Variant,
}

impl SylAgreement {
    /// The similarity this agreement is worth.
    pub fn score(self) -> f64 {
        match self {
            SylAgreement::Different => 0.0,
            SylAgreement::InitialDiffers => 0.3,
            SylAgreement::GlideDiffers => 0.7,
            SylAgreement::HangulDiffers => 0.3,
            SylAgreement::Loose => 0.92,
            SylAgreement::Variant => 1.0,
        }
    }
}

/// Compares two syllable keys.
pub fn compare_syllables(a: SylKey, b: SylKey) -> SylAgreement {
    if let (Some(x), Some(y)) = (a.exact, b.exact) {
        // Hangul is unambiguous: two different syllables are two different names.
        return if x == y {
            SylAgreement::Variant
        } else {
            SylAgreement::HangulDiffers
        };
    } else if a.strict_code() == b.strict_code() {
        return SylAgreement::Variant;
    } else if a.loose_code() == b.loose_code() {
        return SylAgreement::Loose;
    }
    if a.fin == b.fin {
        if a.ini != b.ini && a.loose_vowel() == b.loose_vowel() {
            return SylAgreement::InitialDiffers;
        }
        if a.ini == b.ini && a.unglided_vowel() == b.unglided_vowel() {
            return SylAgreement::GlideDiffers;
        }
    }
    SylAgreement::Different
}

// --- parsing romanized spellings -------------------------------------------------------------

const INITIAL_SPELLINGS: [(&str, u8); 29] = [
    ("tch", INI_C),
    ("kk", INI_K),
    ("gg", INI_K),
    ("kh", INI_K),
    ("tt", INI_T),
    ("dd", INI_T),
    ("th", INI_T),
    ("rh", INI_L),
    ("pp", INI_P),
    ("bb", INI_P),
    ("ph", INI_P),
    ("ss", INI_S),
    ("sh", INI_S),
    ("jj", INI_C),
    ("ch", INI_C),
    ("k", INI_K),
    ("g", INI_K),
    ("n", INI_N),
    ("t", INI_T),
    ("d", INI_T),
    ("r", INI_L),
    ("l", INI_L),
    ("m", INI_M),
    ("p", INI_P),
    ("b", INI_P),
    ("s", INI_S),
    ("j", INI_C),
    ("h", INI_H),
    ("", INI_NONE),
];

const VOWEL_SPELLINGS: [(&str, u8); 33] = [
    ("yae", V_YE),
    ("yeo", V_YO),
    ("you", V_YU),
    ("yoo", V_YU),
    ("wae", V_WE),
    ("weo", V_WO),
    ("wee", V_WI),
    ("woo", V_U),
    ("eui", V_UI),
    ("ae", V_E),
    ("ai", V_E),
    ("ya", V_YA),
    ("ye", V_YE),
    ("eo", V_O),
    ("oo", V_U),
    ("eu", V_U),
    ("yo", V_YO),
    ("yu", V_YU),
    ("wa", V_WA),
    ("oe", V_WE),
    ("oi", V_WE),
    ("we", V_WE),
    ("wo", V_WO),
    ("wi", V_WI),
    ("wu", V_U),
    ("ui", V_UI),
    ("ee", V_I),
    ("yi", V_I),
    ("a", V_A),
    ("e", V_E),
    ("o", V_O),
    ("u", V_U),
    ("i", V_I),
];

const FINAL_SPELLINGS: [(&str, u8); 9] = [
    ("ng", FIN_NG),
    ("b", FIN_P),
    ("k", FIN_K),
    ("n", FIN_N),
    ("t", FIN_T),
    ("l", FIN_L),
    ("m", FIN_M),
    ("p", FIN_P),
    ("", FIN_NONE),
];

/// Most syllables a romanized token may have to be considered Korean.
const MAX_SYLLABLES: usize = 4;
/// Most alternative parses kept per token.
const MAX_PARSES: usize = 6;

/// One syllable of a parsed romanized token: its key and the byte range it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedSyl {
    /// The phonetic key.
    pub key: SylKey,
    /// Start byte in the token.
    pub start: u8,
    /// End byte (exclusive) in the token.
    pub end: u8,
}

/// Parses a lowercase ASCII token into every sequence of Korean syllables it can spell, fewest
/// syllables first. Empty when the token is not a romanized Korean word.
pub fn parse_romanized(token: &str) -> Vec<Vec<SylKey>> {
    parse_romanized_spans(token)
        .into_iter()
        .map(|p| p.into_iter().map(|s| s.key).collect())
        .collect()
}

/// Like [`parse_romanized`], keeping where in the token each syllable is spelled. Popular
/// spellings the grammar cannot parse (Park, Oh, Ahn ...) are parsed as their standard form,
/// spanning the whole token.
pub fn parse_romanized_spans(token: &str) -> Vec<Vec<ParsedSyl>> {
    let alias = SPELLING_ALIASES
        .iter()
        .find(|(from, _)| *from == token)
        .map(|(_, to)| *to);
    let text = alias.unwrap_or(token);
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 20 || !bytes.iter().all(|b| b.is_ascii_lowercase()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut current = Vec::new();
    parse_from(bytes, 0, &mut current, &mut out);
    out.sort_by_key(|p: &Vec<ParsedSyl>| p.len());
    out.dedup();
    out.truncate(MAX_PARSES);
    if alias.is_some() {
        for p in &mut out {
            if let [only] = p.as_mut_slice() {
                only.end = token.len() as u8;
            }
        }
    }
    out
}

fn parse_from(s: &[u8], pos: usize, current: &mut Vec<ParsedSyl>, out: &mut Vec<Vec<ParsedSyl>>) {
    if out.len() >= 32 {
        return;
    }
    if pos == s.len() {
        if !current.is_empty() {
            out.push(current.clone());
        }
        return;
    }
    if current.len() >= MAX_SYLLABLES {
        return;
    }
    let rest = &s[pos..];
    for (ini_sp, ini) in INITIAL_SPELLINGS {
        let ini_b = ini_sp.as_bytes();
        if !rest.starts_with(ini_b) {
            continue;
        }
        let after_ini = &rest[ini_b.len()..];
        for (v_sp, vowel) in VOWEL_SPELLINGS {
            let v_b = v_sp.as_bytes();
            if !after_ini.starts_with(v_b) {
                continue;
            }
            // "woo"/"wu" spell 우 only without an initial consonant.
            if (v_sp == "woo" || v_sp == "wu") && ini != INI_NONE {
                continue;
            }
            let after_v = &after_ini[v_b.len()..];
            for (f_sp, fin) in FINAL_SPELLINGS {
                let f_b = f_sp.as_bytes();
                if !after_v.starts_with(f_b) {
                    continue;
                }
                let used = ini_b.len() + v_b.len() + f_b.len();
                current.push(ParsedSyl {
                    key: SylKey::new(ini, vowel, fin),
                    start: pos as u8,
                    end: (pos + used) as u8,
                });
                parse_from(s, pos + used, current, out);
                current.pop();
            }
        }
    }
}

/// Keys of the Hangul syllables of a string (non-Hangul characters ignored).
pub fn hangul_keys(s: &str) -> Vec<SylKey> {
    s.chars()
        .filter_map(decompose)
        .map(SylKey::from_jamo)
        .collect()
}

/// True when a one-syllable key is a known Korean family name.
pub fn is_surname_key(k: SylKey) -> bool {
    surname_codes().contains(&k.strict_code()) || surname_loose_codes().contains(&k.loose_code())
}

fn surname_codes() -> &'static [u16] {
    use std::sync::OnceLock;
    static CODES: OnceLock<Vec<u16>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut v: Vec<u16> = SURNAMES
            .chars()
            .filter_map(decompose)
            .map(|j| SylKey::from_jamo(j).strict_code())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

fn surname_loose_codes() -> &'static [u16] {
    use std::sync::OnceLock;
    static CODES: OnceLock<Vec<u16>> = OnceLock::new();
    CODES.get_or_init(|| {
        // Popular spellings write ㅓ as "u" (Sung, Chung), so the loose key also counts.
        let mut v: Vec<u16> = SURNAMES
            .chars()
            .filter_map(decompose)
            .map(|j| SylKey::from_jamo(j).loose_code())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Splits a Hangul name written without spaces into family and given name (two-syllable
/// family names such as 남궁 are recognised).
pub fn split_hangul_name(name: &str) -> (String, String) {
    let syl: Vec<char> = name.chars().filter(|c| is_hangul(*c)).collect();
    if syl.len() >= 3 {
        let two: String = syl[..2].iter().collect();
        if COMPOUND_SURNAMES.contains(&two.as_str()) {
            return (two, syl[2..].iter().collect());
        }
    }
    match syl.split_first() {
        Some((f, rest)) => (f.to_string(), rest.iter().collect()),
        None => (String::new(), String::new()),
    }
}

/// Conventional spelling of common family names (the systems give "Gim", "I", "Bak").
fn conventional_surname(syllable: char, system: System) -> Option<&'static str> {
    let dprk = matches!(system, System::Dprk | System::DprkAscii);
    Some(match syllable {
        '김' => "Kim",
        '이' => "Lee",
        '리' => {
            if dprk {
                "Ri"
            } else {
                "Lee"
            }
        }
        '박' => {
            if dprk {
                "Pak"
            } else {
                "Park"
            }
        }
        '최' => "Choe",
        '임' => "Im",
        '림' => "Rim",
        '류' => "Ryu",
        '유' => "Yu",
        '노' => "No",
        '로' => "Ro",
        '오' => "O",
        _ => return None,
    })
}

fn syllable_roman(j: Jamo, system: System, voiced: bool) -> String {
    let (ini, med) = match system {
        System::Revised => (RR_INITIAL[j.initial as usize], RR_MEDIAL[j.medial as usize]),
        System::McCuneReischauer | System::McCuneReischauerAscii => {
            let ini = if voiced {
                MR_INITIAL_VOICED[j.initial as usize]
            } else if j.initial == 9 && matches!(j.medial, 16 | 20) {
                "sh"
            } else {
                MR_INITIAL[j.initial as usize]
            };
            (ini, MR_MEDIAL[j.medial as usize])
        }
        System::Dprk | System::DprkAscii => {
            let ini = if voiced && matches!(j.initial, 0 | 3 | 7) {
                MR_INITIAL_VOICED[j.initial as usize]
            } else {
                DPRK_INITIAL[j.initial as usize]
            };
            (ini, MR_MEDIAL[j.medial as usize])
        }
    };
    let s = format!("{ini}{med}{}", FINAL_ROMAN[j.final_ as usize]);
    if matches!(system, System::McCuneReischauerAscii | System::DprkAscii) {
        s.replace('ŏ', "o").replace('ŭ', "u").replace('\'', "")
    } else {
        s
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Romanizes a Hangul word (no name conventions): `평양` → `Pyeongyang` (RR), `P'yŏngyang` (MR),
/// `Phyŏngyang` (DPRK). Non-Hangul characters pass through.
pub fn romanize_word(word: &str, system: System) -> String {
    let mut out = String::new();
    let mut prev_voiced = false;
    for c in word.chars() {
        match decompose(c) {
            Some(j) => {
                out.push_str(&syllable_roman(j, system, prev_voiced));
                // A following plain stop is voiced after a vowel or a sonorant final.
                prev_voiced = matches!(j.final_, 0 | 4 | 8 | 16 | 21);
            }
            None => {
                out.push(c);
                prev_voiced = false;
            }
        }
    }
    capitalise(&out)
}

/// Romanizes a Hangul person name with the conventions of each system: family name first with
/// its conventional spelling, then the given name (hyphenated in RR and MR, one capitalised
/// word per syllable in the DPRK system): `김정은` → `Kim Jeong-eun`, `Kim Chŏng-ŭn`,
/// `Kim Chong-un`, `Kim Jong Un`.
pub fn romanize_name(name: &str, system: System) -> String {
    let (family, given) = split_hangul_name(name);
    if family.is_empty() {
        return name.to_string();
    }
    let mut fam_chars = family.chars();
    let fam = match (fam_chars.next(), fam_chars.next()) {
        (Some(c), None) => conventional_surname(c, system)
            .map(str::to_string)
            .unwrap_or_else(|| romanize_word(&family, system)),
        _ => romanize_word(&family, system),
    };
    let syllables: Vec<Jamo> = given.chars().filter_map(decompose).collect();
    let mut parts: Vec<String> = Vec::new();
    for (i, j) in syllables.iter().enumerate() {
        // Given-name syllables keep their voiceless initial in DPRK style (each is its own
        // word); MR voices the second syllable after a voiced sound.
        let voiced = i > 0
            && matches!(
                system,
                System::McCuneReischauer | System::McCuneReischauerAscii
            )
            && matches!(syllables[i - 1].final_, 0 | 4 | 8 | 16 | 21);
        parts.push(syllable_roman(*j, system, voiced));
    }
    let given = match system {
        System::Dprk | System::DprkAscii => parts
            .iter()
            .map(|p| capitalise(p))
            .collect::<Vec<_>>()
            .join(" "),
        _ => capitalise(&parts.join("-")),
    };
    if given.is_empty() {
        fam
    } else {
        format!("{fam} {given}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key1(s: &str) -> SylKey {
        let p = parse_romanized(s);
        assert!(!p.is_empty(), "{s} did not parse");
        assert_eq!(p[0].len(), 1, "{s} parsed as {:?}", p[0]);
        p[0][0]
    }

    fn same(a: &str, b: &str) -> SylAgreement {
        compare_syllables(key1(a), key1(b))
    }

    #[test]
    fn decomposes_hangul() {
        let j = decompose('김').unwrap();
        assert_eq!((j.initial, j.medial, j.final_), (0, 20, 16));
        assert!(decompose('a').is_none());
    }

    #[test]
    fn romanizes_in_three_systems() {
        assert_eq!(romanize_name("김정은", System::Revised), "Kim Jeong-eun");
        assert_eq!(
            romanize_name("김정은", System::McCuneReischauer),
            "Kim Chŏng-ŭn"
        );
        assert_eq!(
            romanize_name("김정은", System::McCuneReischauerAscii),
            "Kim Chong-un"
        );
        assert_eq!(romanize_name("김정은", System::Dprk), "Kim Jŏng Ŭn");
        assert_eq!(romanize_name("김정은", System::DprkAscii), "Kim Jong Un");
        assert_eq!(romanize_name("박철수", System::Revised), "Park Cheol-su");
        assert_eq!(
            romanize_name("박철수", System::McCuneReischauer),
            "Park Ch'ŏl-su"
        );
        assert_eq!(romanize_name("박철수", System::DprkAscii), "Pak Chol Su");
        assert_eq!(romanize_name("최룡해", System::Dprk), "Choe Ryong Hae");
        assert_eq!(romanize_word("평양", System::Revised), "Pyeongyang");
        assert_eq!(
            romanize_word("평양", System::McCuneReischauer),
            "P'yŏngyang"
        );
        assert_eq!(romanize_word("평양", System::Dprk), "Phyŏngyang");
    }

    #[test]
    fn spelling_variants_collide() {
        for (a, b) in [
            ("chol", "cheol"),
            ("pak", "park"),
            ("pak", "bak"),
            ("choe", "choi"),
            ("choe", "chwe"),
            ("kim", "gim"),
            ("jong", "chong"),
            ("jong", "jeong"),
            ("ri", "lee"),
            ("ri", "yi"),
            ("ri", "i"),
            ("ri", "rhee"),
            ("ryu", "yu"),
            ("ryu", "yoo"),
            ("rim", "lim"),
            ("rim", "im"),
            ("kang", "gang"),
            ("o", "oh"),
            ("u", "woo"),
            ("myong", "myeong"),
            ("su", "soo"),
            ("ryong", "yong"),
        ] {
            assert_eq!(same(a, b), SylAgreement::Variant, "{a} vs {b}");
        }
        for (a, b) in [
            ("chol", "chul"),
            ("jong", "jung"),
            ("myong", "myung"),
            ("yong", "young"),
        ] {
            assert_eq!(same(a, b), SylAgreement::Loose, "{a} vs {b}");
        }
        assert_eq!(same("hyung", "myung"), SylAgreement::InitialDiffers);
        assert_eq!(same("pong", "pyong"), SylAgreement::GlideDiffers);
        assert_eq!(same("kim", "pak"), SylAgreement::Different);
        assert_eq!(same("chol", "sop"), SylAgreement::Different);
    }

    #[test]
    fn hangul_keys_match_romanizations() {
        let k = hangul_keys("박철수");
        assert_eq!(compare_syllables(k[0], key1("pak")), SylAgreement::Variant);
        assert_eq!(
            compare_syllables(k[1], key1("cheol")),
            SylAgreement::Variant
        );
        assert_eq!(compare_syllables(k[1], key1("chol")), SylAgreement::Variant);
        assert_eq!(compare_syllables(k[2], key1("su")), SylAgreement::Variant);
        // 리 and 이 are one family name in North and South spelling.
        let ri = hangul_keys("리")[0];
        let i = hangul_keys("이")[0];
        assert_eq!(compare_syllables(ri, i), SylAgreement::Variant);
        // 종 and 정 romanize alike without breves but are different Hangul syllables.
        let a = hangul_keys("종")[0];
        let b = hangul_keys("정")[0];
        assert_eq!(compare_syllables(a, b), SylAgreement::HangulDiffers);
    }

    #[test]
    fn parses_joined_syllables() {
        let p = parse_romanized("jongun");
        assert!(p.iter().any(|seq| seq.len() == 2
            && compare_syllables(seq[0], key1("jong")) == SylAgreement::Variant
            && compare_syllables(seq[1], key1("un")) == SylAgreement::Variant));
        assert!(parse_romanized("smith").is_empty());
        assert!(parse_romanized("vladimir").is_empty());
    }

    #[test]
    fn knows_family_names() {
        for s in [
            "kim", "lee", "ri", "park", "pak", "choi", "jung", "chung", "yoo", "lim", "oh",
        ] {
            assert!(is_surname_key(key1(s)), "{s}");
        }
        assert!(!is_surname_key(key1("chol")));
    }
}
