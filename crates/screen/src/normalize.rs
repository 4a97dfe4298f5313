//! Text normalization: Unicode folding, transliteration of cheap scripts, tokenization and
//! token classes (legal forms, stopwords, titles, numbers, initials).

use crate::korean;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// What a token is, which decides how it is compared and how much it weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An ordinary name part.
    Word,
    /// Contains a digit: compared exactly.
    Number,
    /// A company legal form, canonicalised (`ltd`, `jsc`, `llc` ...).
    OrgClass,
    /// A frequent word that carries little identity (`of`, `al`, `bin`, `trading` ...).
    Stop,
    /// A single letter, usually an initial.
    Initial,
    /// Hangul text.
    Hangul,
}

/// One token of a normalized name.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Normalized text: lowercase ASCII, or Hangul for [`TokenKind::Hangul`].
    pub text: String,
    /// Its class.
    pub kind: TokenKind,
    /// Written in parentheses ("Deutsche Bank (Schweiz) AG"): a qualifier that weighs less.
    pub qualifier: bool,
}

/// Letters that NFKD does not decompose into an ASCII base.
fn special_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        'ħ' | 'Ħ' => "h",
        _ => return None,
    })
}

/// Cyrillic (Russian, Ukrainian, Belarusian, Mongolian, Serbian letters) to Latin, a simple
/// passport-style table; lowercase input.
fn cyrillic(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' => "",
        'ы' => "y",
        'ь' => "",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'і' => "i",
        'ї' => "yi",
        'є' => "ye",
        'ґ' => "g",
        'ў' => "u",
        'ө' => "o",
        'ү' => "u",
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' => "dz",
        _ => return None,
    })
}

/// Armenian to Latin (simplified); lowercase input.
fn armenian(c: char) -> Option<&'static str> {
    Some(match c {
        'ա' => "a",
        'բ' => "b",
        'գ' => "g",
        'դ' => "d",
        'ե' => "e",
        'զ' => "z",
        'է' => "e",
        'ը' => "e",
        'թ' => "t",
        'ժ' => "zh",
        'ի' => "i",
        'լ' => "l",
        'խ' => "kh",
        'ծ' => "ts",
        'կ' => "k",
        'հ' => "h",
        'ձ' => "dz",
        'ղ' => "gh",
        'ճ' => "ch",
        'մ' => "m",
        'յ' => "y",
        'ն' => "n",
        'շ' => "sh",
        'ո' => "o",
        'չ' => "ch",
        'պ' => "p",
        'ջ' => "j",
        'ռ' => "r",
        'ս' => "s",
        'վ' => "v",
        'տ' => "t",
        'ր' => "r",
        'ց' => "ts",
        'ւ' => "u",
        'փ' => "p",
        'ք' => "k",
        'օ' => "o",
        'ֆ' => "f",
        _ => return None,
    })
}

/// Georgian (Mkhedruli) to Latin (national system, simplified).
fn georgian(c: char) -> Option<&'static str> {
    Some(match c {
        'ა' => "a",
        'ბ' => "b",
        'გ' => "g",
        'დ' => "d",
        'ე' => "e",
        'ვ' => "v",
        'ზ' => "z",
        'თ' => "t",
        'ი' => "i",
        'კ' => "k",
        'ლ' => "l",
        'მ' => "m",
        'ნ' => "n",
        'ო' => "o",
        'პ' => "p",
        'ჟ' => "zh",
        'რ' => "r",
        'ს' => "s",
        'ტ' => "t",
        'უ' => "u",
        'ფ' => "p",
        'ქ' => "k",
        'ღ' => "gh",
        'ყ' => "q",
        'შ' => "sh",
        'ჩ' => "ch",
        'ც' => "ts",
        'ძ' => "dz",
        'წ' => "ts",
        'ჭ' => "ch",
        'ხ' => "kh",
        'ჯ' => "j",
        'ჰ' => "h",
        _ => return None,
    })
}

/// Greek to Latin (ELOT-like, simplified); lowercase input with accents already stripped.
fn greek(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʼ' | 'ʻ' | '´' | 'ʹ')
}

/// Folds a string to lowercase ASCII where possible: compatibility decomposition, marks
/// stripped, special letters spelled out, Cyrillic and Greek transliterated, apostrophes
/// (and MR breve substitutes) dropped, `&` spelled `and`, other punctuation turned into spaces.
/// Hangul syllables are kept as they are (the Korean layer reads them); other scripts pass
/// through lowercased.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    for c in input.chars() {
        if korean::is_hangul(c) {
            out.push(c);
            continue;
        }
        if let Some(s) = special_letter(c) {
            out.push_str(s);
            continue;
        }
        decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            for l in d.to_lowercase() {
                push_folded(&mut out, l);
            }
        });
    }
    out
}

fn push_folded(out: &mut String, l: char) {
    if l.is_ascii_alphanumeric() {
        out.push(l);
    } else if is_apostrophe(l) {
        // "Qa'ida", "Ch'ol", "Ri Je-son": apostrophes join.
    } else if l == '&' {
        out.push_str(" and ");
    } else if let Some(s) = cyrillic(l)
        .or_else(|| greek(l))
        .or_else(|| armenian(l))
        .or_else(|| georgian(l))
    {
        out.push_str(s);
    } else if let Some(s) = special_letter(l) {
        out.push_str(s);
    } else if l.is_alphanumeric() {
        out.push(l);
    } else {
        out.push(' ');
    }
}

/// Multi-word and single-word legal forms, folded, with their canonical class.
const ORG_FORMS: &[(&str, &str)] = &[
    ("open joint stock company", "jsc"),
    ("closed joint stock company", "jsc"),
    ("public joint stock company", "jsc"),
    ("joint stock company", "jsc"),
    ("limited liability company", "llc"),
    ("limited liability partnership", "llp"),
    ("public limited company", "plc"),
    ("limited partnership", "lp"),
    ("societatea cu raspundere limitata", "srl"),
    ("societa a responsabilita limitata", "srl"),
    ("sociedad de responsabilidad limitada", "srl"),
    ("societe anonyme", "sa"),
    ("sociedad anonima", "sa"),
    ("private limited", "ltd"),
    ("gesellschaft mit beschrankter haftung", "gmbh"),
    ("sp zoo", "spzoo"),
    ("spzoo", "spzoo"),
    ("co ltd", "ltd"),
    ("company limited", "ltd"),
    ("ltd", "ltd"),
    ("limited", "ltd"),
    ("llc", "llc"),
    ("ooo", "llc"),
    ("inc", "inc"),
    ("incorporated", "inc"),
    ("corp", "corp"),
    ("corporation", "corp"),
    ("co", "co"),
    ("company", "co"),
    ("plc", "plc"),
    ("jsc", "jsc"),
    ("ojsc", "jsc"),
    ("cjsc", "jsc"),
    ("pjsc", "jsc"),
    ("oao", "jsc"),
    ("zao", "jsc"),
    ("pao", "jsc"),
    ("ao", "jsc"),
    ("aktiengesellschaft", "ag"),
    ("ag", "ag"),
    ("gmbh", "gmbh"),
    ("sa", "sa"),
    ("srl", "srl"),
    ("sarl", "sarl"),
    ("spa", "spa"),
    ("bv", "bv"),
    ("nv", "nv"),
    ("lp", "lp"),
    ("llp", "llp"),
    ("pte", "pte"),
    ("pty", "pty"),
    ("kg", "kg"),
    ("ab", "ab"),
    ("oy", "oy"),
    ("fze", "fze"),
    ("fzco", "fze"),
    ("fzc", "fze"),
    ("jv", "jv"),
    ("주식회사", "co"),
    ("유한회사", "ltd"),
    ("합영회사", "jv"),
];

/// Words that carry little identity in names.
const STOPWORDS: &[&str] = &[
    "of",
    "the",
    "and",
    "de",
    "del",
    "da",
    "do",
    "dos",
    "das",
    "di",
    "du",
    "des",
    "la",
    "le",
    "el",
    "al",
    "von",
    "van",
    "der",
    "den",
    "bin",
    "ibn",
    "bint",
    "binti",
    "y",
    "und",
    "et",
    "for",
    "in",
    "trading",
    "group",
    "holding",
    "holdings",
    "international",
    "general",
    "shipping",
    "enterprise",
    "enterprises",
    "corporate",
];

/// Titles and honorifics, dropped from names.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "dame",
    "lord",
    "sheikh",
    "shaikh",
    "sheik",
    "haji",
    "hajji",
    "hadji",
    "mullah",
    "mulla",
    "maulavi",
    "mawlawi",
    "maulana",
    "qari",
    "gen",
    "colonel",
    "col",
    "lt",
    "maj",
    "capt",
    "captain",
    "admiral",
    "president",
    "excellency",
    "his",
    "her",
    "hon",
    "prasident",
    "monsieur",
    "madame",
    "mister",
    "herr",
    "frau",
    "senor",
    "senora",
    "sr",
    "sra",
    "mme",
    "mlle",
];

/// Number words and ordinals, spelled as digits so "Forty-Four", "44" and "1st"/"First" agree.
fn number_word(w: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const ORDINALS: [&str; 13] = [
        "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as u32);
    }
    if let Some(i) = ORDINALS.iter().skip(1).position(|u| *u == w) {
        return Some(i as u32 + 1);
    }
    let tens_word = if w == "fourty" { "forty" } else { w };
    if let Some(i) = TENS.iter().position(|u| *u == tens_word) {
        return Some(20 + 10 * i as u32);
    }
    // "1st", "22nd", "3rd", "4th".
    let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &w[digits.len()..];
    if !digits.is_empty() && matches!(rest, "st" | "nd" | "rd" | "th") {
        return digits.parse().ok();
    }
    None
}

/// Replaces number words by digits, joining "forty four" / "forty 4" into "44".
fn spell_numbers(raw: &mut Vec<String>) {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let n = number_word(&raw[i]);
        match n {
            Some(tens) if tens >= 20 && tens % 10 == 0 => {
                let unit = raw.get(i + 1).and_then(|w| {
                    number_word(w)
                        .or_else(|| w.parse::<u32>().ok())
                        .filter(|u| (1..10).contains(u))
                });
                match unit {
                    Some(u) => {
                        out.push((tens + u).to_string());
                        i += 2;
                    }
                    None => {
                        out.push(tens.to_string());
                        i += 1;
                    }
                }
            }
            Some(v) => {
                out.push(v.to_string());
                i += 1;
            }
            None => {
                out.push(raw[i].clone());
                i += 1;
            }
        }
    }
    *raw = out;
}

/// Prefixes of vessel names (`MV`, `M/V`, `MT`), dropped for vessels.
const VESSEL_PREFIXES: &[&str] = &["mv", "mt", "fv", "m v", "m t"];

/// How a name should be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMode {
    /// A person.
    Person,
    /// A company or organization.
    Org,
    /// A vessel, aircraft or other object: fuzziness is stricter.
    Object,
    /// Unknown kind.
    Any,
}

/// Splits a name into classified tokens.
pub fn tokenize(name: &str, mode: NameMode) -> Vec<Token> {
    let folded = fold(name);
    let mut raw: Vec<String> = Vec::new();
    for piece in folded.split_whitespace() {
        // Hangul and Latin glued together are separate tokens.
        let mut cur = String::new();
        let mut cur_hangul = false;
        for c in piece.chars() {
            let h = korean::is_hangul(c);
            if !cur.is_empty() && h != cur_hangul {
                raw.push(std::mem::take(&mut cur));
            }
            cur_hangul = h;
            cur.push(c);
        }
        if !cur.is_empty() {
            raw.push(cur);
        }
    }
    join_dotted_initials(&mut raw);
    for w in raw.iter_mut() {
        unleet(w);
        if let Some(full) = abbreviation(w) {
            *w = full.to_string();
        }
        if mode != NameMode::Person {
            if let Some(fixed) = org_vocabulary_typo(w) {
                *w = fixed.to_string();
            }
        }
        if w == "ibn" {
            *w = "bin".into();
        } else if w == "el" {
            *w = "al".into();
        }
    }
    if raw.iter().any(|w| number_word(w).is_some()) {
        spell_numbers(&mut raw);
    }
    if mode == NameMode::Object {
        for p in VESSEL_PREFIXES {
            let parts: Vec<&str> = p.split(' ').collect();
            if raw.len() > parts.len() && raw.iter().take(parts.len()).eq(parts.iter()) {
                raw.drain(..parts.len());
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        // Longest legal-form phrase starting here (only for organisations or unknown kinds).
        if mode != NameMode::Person {
            if let Some((len, canon)) = match_org_form(&raw[i..]) {
                out.push(Token {
                    text: canon.to_string(),
                    kind: TokenKind::OrgClass,
                    qualifier: false,
                });
                i += len;
                continue;
            }
        }
        let t = &raw[i];
        i += 1;
        if raw.len() > 1 && TITLES.contains(&t.as_str()) {
            continue;
        }
        let kind = if t.chars().any(korean::is_hangul) {
            TokenKind::Hangul
        } else if t.chars().any(|c| c.is_ascii_digit()) || (i > 1 && is_roman_numeral(t)) {
            TokenKind::Number
        } else if STOPWORDS.contains(&t.as_str()) {
            TokenKind::Stop
        } else if t.chars().count() == 1 {
            TokenKind::Initial
        } else {
            TokenKind::Word
        };
        out.push(Token {
            text: t.clone(),
            kind,
            qualifier: false,
        });
    }
    mark_parenthesised(name, &mut out);
    // A name made only of "stop" tokens (e.g. "General Trading") keeps them as words.
    if !out.is_empty() && out.iter().all(|t| t.kind == TokenKind::Stop) {
        for t in &mut out {
            t.kind = TokenKind::Word;
        }
    }
    out
}

/// Roman numerals II–XX (series and generations: "Fund IV", "Solutions II"); a lone "I", "V" or
/// "X" is left alone, it is more often an initial.
fn is_roman_numeral(w: &str) -> bool {
    const ROMAN: [&str; 19] = [
        "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv", "xvi",
        "xvii", "xviii", "xix", "xx", "xxi", "xxii",
    ];
    ROMAN.contains(&w)
}

/// Common abbreviations in company names, spelled out.
fn abbreviation(w: &str) -> Option<&'static str> {
    Some(match w {
        "intl" => "international",
        "natl" => "national",
        "dept" => "department",
        "govt" => "government",
        "mfg" => "manufacturing",
        "bros" => "brothers",
        "assn" => "association",
        "univ" => "university",
        "svcs" => "services",
        "tech" => "technology",
        _ => return None,
    })
}

/// Words of legal-form phrases, so that a typo in them ("Joynt Stock Compan",
/// "Aktiengeselschaft") still reads as the legal form.
const ORG_VOCABULARY: &[&str] = &[
    "joint",
    "stock",
    "company",
    "limited",
    "liability",
    "corporation",
    "incorporated",
    "aktiengesellschaft",
    "gesellschaft",
    "partnership",
];

fn org_vocabulary_typo(w: &str) -> Option<&'static str> {
    if w.len() < 5 || ORG_VOCABULARY.contains(&w) {
        return None;
    }
    ORG_VOCABULARY.iter().copied().find(|v| {
        let budget = if v.len() >= 9 { 2.0 } else { 1.0 };
        crate::distance::weighted_distance(w.as_bytes(), v.as_bytes(), budget) <= budget
    })
}

/// Marks tokens that appear only inside parentheses of the original name as qualifiers.
fn mark_parenthesised(name: &str, tokens: &mut [Token]) {
    if !name.contains('(') {
        return;
    }
    let mut inside = String::new();
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => {
                depth += 1;
                inside.push(' ');
            }
            ')' => {
                depth = depth.saturating_sub(1);
                inside.push(' ');
            }
            _ if depth > 0 => inside.push(c),
            _ => outside.push(c),
        }
    }
    let inner = fold(&inside);
    let outer = fold(&outside);
    let inner: Vec<&str> = inner.split_whitespace().collect();
    let outer: Vec<&str> = outer.split_whitespace().collect();
    for t in tokens.iter_mut() {
        if inner.contains(&t.text.as_str()) && !outer.contains(&t.text.as_str()) {
            t.qualifier = true;
        }
    }
}

/// Digits between letters are look-alike substitutions ("Ig0r Sech1n"): read them as letters.
fn unleet(w: &mut String) {
    let b = w.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) || b.iter().filter(|c| c.is_ascii_alphabetic()).count() < 2
    {
        return;
    }
    let mut out = String::with_capacity(b.len());
    for (i, &c) in b.iter().enumerate() {
        let interior = i > 0
            && i + 1 < b.len()
            && b[i - 1].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic();
        let letter = match c {
            b'0' => 'o',
            b'1' => 'i',
            b'3' => 'e',
            b'4' => 'a',
            b'5' => 's',
            b'7' => 't',
            b'9' => 'g',
            _ => c as char,
        };
        out.push(if interior { letter } else { c as char });
    }
    *w = out;
}

/// "l l c", "p l c", "j s c" (from dotted "L.L.C.") become one token; a lone initial stays.
fn join_dotted_initials(raw: &mut Vec<String>) {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    let mut run = String::new();
    let mut run_len = 0;
    let flush = |out: &mut Vec<String>, run: &mut String, run_len: &mut usize| {
        if *run_len >= 1 {
            out.push(std::mem::take(run));
        }
        run.clear();
        *run_len = 0;
    };
    for t in raw.drain(..) {
        if t.len() == 1 && t.as_bytes()[0].is_ascii_alphabetic() {
            run.push_str(&t);
            run_len += 1;
        } else {
            flush(&mut out, &mut run, &mut run_len);
            out.push(t);
        }
    }
    flush(&mut out, &mut run, &mut run_len);
    *raw = out;
}

fn match_org_form(rest: &[String]) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for (form, canon) in ORG_FORMS {
        let n = form.split(' ').count();
        if rest.len() >= n
            && form.split(' ').zip(rest.iter()).all(|(a, b)| a == b)
            && best.is_none_or(|(len, _)| n > len)
        {
            best = Some((n, canon));
        }
    }
    best
}

/// A coarse phonetic skeleton of a Latin word, used to retrieve and score spelling variants
/// (Mohammed/Muhammad, Usama/Osama, Husayn/Hussein): digraphs simplified, doubled letters
/// collapsed, vowel runs reduced to one `a`.
pub fn skeleton(word: &str) -> String {
    let b = word.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let (mapped, used): (u8, usize) = match (c, next) {
            (b'p', Some(b'h')) => (b'f', 2),
            (b'c', Some(b'k')) => (b'k', 2),
            (b'k', Some(b'h')) => (b'k', 2),
            (b'g', Some(b'h')) => (b'g', 2),
            (b'd', Some(b'h')) => (b'd', 2),
            (b't', Some(b'h')) => (b't', 2),
            (b's', Some(b'h')) => (b's', 2),
            (b'c', Some(b'h')) => (b'c', 2),
            (b'c', _) => (b'k', 1),
            (b'q', _) => (b'k', 1),
            (b'z', _) => (b's', 1),
            (b'w', _) => (b'v', 1),
            (b'j', _) => (b'y', 1),
            (b'x', _) => {
                // x = ks (Alexey / Aleksey).
                if out.last() != Some(&b'k') {
                    out.push(b'k');
                }
                (b's', 1)
            }
            (b'a' | b'e' | b'i' | b'o' | b'u' | b'y', _) => (b'a', 1),
            (b'h', _) => {
                // Silent h after a vowel ("shah", "allah").
                i += 1;
                continue;
            }
            _ => (c, 1),
        };
        if out.last() != Some(&mapped) {
            out.push(mapped);
        }
        i += used;
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(name: &str, mode: NameMode) -> Vec<String> {
        tokenize(name, mode).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn folds_marks_case_and_scripts() {
        assert_eq!(fold("François"), "francois");
        assert_eq!(fold("Ch'ŏl"), "chol");
        assert_eq!(fold("KIM TONG MY’ONG"), "kim tong myong");
        assert_eq!(fold("Владимир Путин"), "vladimir putin");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("김정은"), "김정은");
    }

    #[test]
    fn tokenizes_legal_forms_titles_and_abbreviations() {
        assert_eq!(
            texts("Goldman Sachs & Co. L.L.C.", NameMode::Org),
            ["goldman", "sachs", "and", "co", "llc"]
        );
        assert_eq!(texts("OAO Gazprom", NameMode::Org), ["jsc", "gazprom"]);
        assert_eq!(
            texts("Open Joint Stock Company Gasprom", NameMode::Org),
            ["jsc", "gasprom"]
        );
        assert_eq!(texts("Dr. John Smith", NameMode::Person), ["john", "smith"]);
        assert_eq!(
            texts("Kim Jong-un", NameMode::Person),
            ["kim", "jong", "un"]
        );
        assert_eq!(texts("M/V OCEAN STAR", NameMode::Object), ["ocean", "star"]);
        let kinds: Vec<TokenKind> = tokenize("Fund 23 A", NameMode::Org)
            .into_iter()
            .map(|t| t.kind)
            .collect();
        assert_eq!(
            kinds,
            [TokenKind::Word, TokenKind::Number, TokenKind::Initial]
        );
    }

    #[test]
    fn qualifiers_abbreviations_and_legal_form_typos() {
        let t = tokenize("Deutsche Bank (Schweiz) AG", NameMode::Org);
        assert!(t.iter().any(|t| t.text == "schweiz" && t.qualifier));
        assert!(t.iter().any(|t| t.text == "bank" && !t.qualifier));
        assert_eq!(
            texts("First Bank Int'l", NameMode::Org),
            ["1", "bank", "international"]
        );
        assert_eq!(
            texts(
                "Tactical Missiles Corporation Joynt Stock Compan",
                NameMode::Org
            ),
            ["tactical", "missiles", "corp", "jsc"]
        );
        assert_eq!(
            texts("Brigade Forty-Four", NameMode::Org),
            ["brigade", "44"]
        );
        assert_eq!(texts("Ig0r Sech1n", NameMode::Person), ["igor", "sechin"]);
    }

    #[test]
    fn skeleton_merges_transliterations() {
        assert_eq!(skeleton("mohammed"), skeleton("muhammad"));
        assert_eq!(skeleton("usama"), skeleton("osama"));
        assert_eq!(skeleton("hussein"), skeleton("husayn"));
        assert_ne!(skeleton("putin"), skeleton("pudin"));
    }
}
