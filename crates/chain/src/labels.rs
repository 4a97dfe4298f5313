//! Address labels from OFAC, GraphSense TagPacks, Etherscan label JSON, a user CSV and incident
//! seed lists. Every label keeps its source; lookups follow the chain's case rules (hex and bech32
//! case-insensitive, Base58 exact), except OFAC rows marked `CASE_LOST`, which can only be matched
//! case-insensitively.

use crate::model::{chain_id, normalize_address, Graph};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// What an address is, for tracing and exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Category {
    /// Centralised exchange (hot wallet etc.).
    Exchange = 0,
    /// Exchange deposit address.
    Deposit = 1,
    /// Cross-chain bridge.
    Bridge = 2,
    /// Mixer / CoinJoin coordinator.
    Mixer = 3,
    /// On a sanctions list.
    Sanctioned = 4,
    /// Theft / hack proceeds (incident in the label).
    Theft = 5,
    /// Decentralised exchange or router (passed through, not a sink).
    Dex = 6,
    /// Gambling service.
    Gambling = 7,
    /// Scam, phishing, ransomware.
    Scam = 8,
    /// Anything else.
    Other = 9,
}

impl Category {
    /// All categories, in bit order.
    pub const ALL: [Category; 10] = [
        Category::Exchange,
        Category::Deposit,
        Category::Bridge,
        Category::Mixer,
        Category::Sanctioned,
        Category::Theft,
        Category::Dex,
        Category::Gambling,
        Category::Scam,
        Category::Other,
    ];

    /// Bit in a category mask.
    pub fn bit(self) -> u16 {
        1 << (self as u8)
    }

    /// True for services that end a trace (reported, not traversed).
    pub fn is_service(self) -> bool {
        matches!(
            self,
            Category::Exchange
                | Category::Deposit
                | Category::Bridge
                | Category::Mixer
                | Category::Gambling
        )
    }

    /// Parses a category name (user CSV, TagPack category/abuse, loose synonyms).
    pub fn parse(s: &str) -> Category {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "exchange" | "cex" | "hot_wallet" | "hot-wallet" | "market" => Category::Exchange,
            "deposit" | "deposit_address" | "exchange/deposit" | "exchange_deposit" => {
                Category::Deposit
            }
            "bridge" | "defi_bridge" => Category::Bridge,
            "mixer" | "mixing_service" | "coinjoin" | "ethereum-mixer" | "tornado-cash" => {
                Category::Mixer
            }
            "sanctioned" | "sanction" | "ofac" | "ofac-sanctions-lists" | "black_list" => {
                Category::Sanctioned
            }
            "theft" | "hack" | "service_hack" | "exploit" | "stolen" | "incident" => {
                Category::Theft
            }
            "dex" | "defi_dex" | "router" => Category::Dex,
            "gambling" => Category::Gambling,
            "scam" | "phishing" | "ransomware" | "sextortion" | "phish-hack" => Category::Scam,
            other if other.contains("deposit") => Category::Deposit,
            other if other.contains("exchange") => Category::Exchange,
            other if other.contains("mix") => Category::Mixer,
            other if other.contains("bridge") => Category::Bridge,
            other
                if other.contains("hack")
                    || other.contains("theft")
                    || other.contains("exploit") =>
            {
                Category::Theft
            }
            _ => Category::Other,
        }
    }

    /// Name for output.
    pub fn name(self) -> &'static str {
        match self {
            Category::Exchange => "exchange",
            Category::Deposit => "deposit",
            Category::Bridge => "bridge",
            Category::Mixer => "mixer",
            Category::Sanctioned => "sanctioned",
            Category::Theft => "theft",
            Category::Dex => "dex",
            Category::Gambling => "gambling",
            Category::Scam => "scam",
            Category::Other => "other",
        }
    }
}

/// One label on one address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    /// Address text as canonical for its chain (lower-case for case-lost OFAC rows).
    pub address: String,
    /// Chain, if the source says.
    pub chain: Option<String>,
    /// Human label (entity name, exchange name, incident).
    pub label: String,
    /// Category.
    pub category: Category,
    /// Where it came from (file or list name).
    pub source: String,
    /// Confidence as given by the source.
    pub confidence: Option<String>,
    /// Sanctions programmes (OFAC) or incident id (theft seeds).
    pub detail: Option<String>,
    /// True when only a case-insensitive match is possible (OFAC `CASE_LOST`).
    pub case_lost: bool,
}

/// Labels and their lookup indexes.
#[derive(Debug, Default, Clone)]
pub struct LabelSet {
    /// All labels.
    pub labels: Vec<Label>,
    exact: HashMap<String, Vec<usize>>,
    folded: HashMap<String, Vec<usize>>,
    /// Rows rejected while loading, by "file: reason".
    pub rejected: BTreeMap<String, u64>,
}

/// A label file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    /// I/O.
    #[error("{file}: {source}")]
    Io {
        /// Path.
        file: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Structure wrong.
    #[error("{file}:{line}: {why}")]
    Malformed {
        /// Path.
        file: String,
        /// Line.
        line: u64,
        /// What.
        why: String,
    },
}

fn chain_for(address: &str, asset_or_chain: &str) -> Option<u16> {
    if address.starts_with("0x") || address.starts_with("0X") {
        return chain_id(asset_or_chain)
            .filter(|c| {
                crate::model::CHAINS[*c as usize].model == crate::model::ChainModel::Account
            })
            .or(Some(crate::model::ETHEREUM));
    }
    if address.starts_with('T') && address.len() == 34 {
        return chain_id("tron");
    }
    match asset_or_chain.to_ascii_uppercase().as_str() {
        "XBT" | "BTC" | "BITCOIN" => Some(crate::model::BITCOIN),
        "LTC" | "LITECOIN" => chain_id("litecoin"),
        other => chain_id(other),
    }
}

impl LabelSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a label (address canonicalised; a bad address is counted under `rejected`).
    pub fn add(&mut self, mut l: Label, chain: Option<u16>) {
        let canon = if l.case_lost {
            Some(l.address.trim().to_ascii_lowercase())
        } else {
            match chain {
                Some(c) => normalize_address(c, &l.address).ok(),
                // Chains the loaders do not know (XMR, BCH cashaddr, ...): kept verbatim so the
                // label is still listed, matched exactly.
                None => normalize_address(0, &l.address)
                    .ok()
                    .or_else(|| Some(l.address.trim().to_string()).filter(|a| !a.is_empty())),
            }
        };
        let Some(canon) = canon else {
            *self
                .rejected
                .entry(format!("{}: invalid address", l.source))
                .or_default() += 1;
            return;
        };
        l.address = canon.clone();
        let i = self.labels.len();
        if l.case_lost {
            self.folded.entry(canon).or_default().push(i);
        } else {
            self.exact.entry(canon).or_default().push(i);
        }
        self.labels.push(l);
    }

    /// Built-in labels that need no file: the Tornado Cash ETH pools (0.1, 1, 10, 100 ETH) as
    /// mixers, cross-checked against the Etherscan label data in `../shared` (`Tornado.Cash: 0.1 ETH` …).
    pub fn builtin() -> LabelSet {
        let mut s = LabelSet::new();
        for (addr, name) in [
            (
                "0x12d66f87a04a9e220743712ce6d9bb1b5616b8fc",
                "Tornado.Cash: 0.1 ETH",
            ),
            (
                "0x47ce0c6ed5b0ce3d3a51fdb1c52dc66a7c3c2936",
                "Tornado.Cash: 1 ETH",
            ),
            (
                "0x910cbd523d972eb0a6f4cae4618ad62622b39dbf",
                "Tornado.Cash: 10 ETH",
            ),
            (
                "0xa160cdab225685da1d56aa342ad8841c3b53f291",
                "Tornado.Cash: 100 ETH",
            ),
        ] {
            s.add(
                Label {
                    address: addr.into(),
                    chain: Some("ethereum".into()),
                    label: name.into(),
                    category: Category::Mixer,
                    source: "built-in (chain crate)".into(),
                    confidence: None,
                    detail: None,
                    case_lost: false,
                },
                Some(crate::model::ETHEREUM),
            );
        }
        s
    }

    /// Adds a sanctioned address from a sanctions list entity (party and programmes kept).
    pub fn add_listed(
        &mut self,
        address: &str,
        currency: &str,
        entity: &str,
        programs: &str,
        source: &str,
    ) {
        let chain = chain_for(address, currency);
        self.add(
            Label {
                address: address.to_string(),
                chain: chain.map(|c| crate::model::CHAINS[c as usize].name.to_string()),
                label: entity.to_string(),
                category: Category::Sanctioned,
                source: source.to_string(),
                confidence: Some("authority".into()),
                detail: Some(programs.to_string()),
                case_lost: false,
            },
            chain,
        );
    }

    /// Labels of an address (canonical text for its chain).
    pub fn lookup(&self, canonical: &str) -> Vec<&Label> {
        let mut out: Vec<&Label> = self
            .exact
            .get(canonical)
            .into_iter()
            .flatten()
            .map(|&i| &self.labels[i])
            .collect();
        if !self.folded.is_empty() {
            out.extend(
                self.folded
                    .get(&canonical.to_ascii_lowercase())
                    .into_iter()
                    .flatten()
                    .map(|&i| &self.labels[i]),
            );
        }
        out
    }

    /// Category bit mask per address id of `graph`.
    pub fn masks(&self, graph: &Graph) -> Vec<u16> {
        graph
            .addresses
            .iter()
            .map(|(_, a)| {
                self.lookup(a)
                    .iter()
                    .fold(0u16, |m, l| m | l.category.bit())
            })
            .collect()
    }

    /// Loads a label file, detecting the kind from its name and header: OFAC CSV, incident-seed
    /// CSV, user CSV, TagPack YAML, Etherscan label JSON.
    pub fn load_file(&mut self, path: &Path) -> Result<usize, LabelError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| LabelError::Io {
            file: file.clone(),
            source,
        })?;
        let before = self.labels.len();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => self.load_tagpack(&file, &text)?,
            "json" => self.load_etherscan(&file, &text)?,
            _ => self.load_csv(&file, &text)?,
        }
        Ok(self.labels.len() - before)
    }

    fn load_csv(&mut self, file: &str, text: &str) -> Result<(), LabelError> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| LabelError::Malformed {
                file: file.into(),
                line: 1,
                why: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        enum Kind {
            Ofac,
            Seeds,
            User,
        }
        let kind = if col("sdn_entity").is_some() {
            Kind::Ofac
        } else if col("incident").is_some() && col("role").is_some() {
            Kind::Seeds
        } else if col("address").is_some() && col("category").is_some() {
            Kind::User
        } else {
            return Err(LabelError::Malformed {
                file: file.into(),
                line: 1,
                why: format!("unknown label CSV header: {}", headers.join(",")),
            });
        };
        for (i, row) in rdr.records().enumerate() {
            let line = i as u64 + 2;
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    *self
                        .rejected
                        .entry(format!(
                            "{file}: unreadable row (first at line {line}: {e})"
                        ))
                        .or_default() += 1;
                    continue;
                }
            };
            let get = |name: &str| {
                col(name)
                    .and_then(|c| row.get(c))
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let address = get("address");
            if address.is_empty() {
                *self
                    .rejected
                    .entry(format!("{file}: empty address"))
                    .or_default() += 1;
                continue;
            }
            match kind {
                Kind::Ofac => {
                    let asset = get("asset");
                    let chain = chain_for(&address, &asset);
                    self.add(
                        Label {
                            address: address.clone(),
                            chain: chain.map(|c| crate::model::CHAINS[c as usize].name.to_string()),
                            label: get("sdn_entity"),
                            category: Category::Sanctioned,
                            source: format!("OFAC SDN ({file}, uid {})", get("sdn_uid")),
                            confidence: Some("authority".into()),
                            detail: Some(get("programs")),
                            case_lost: get("address_case") == "CASE_LOST",
                        },
                        chain,
                    );
                }
                Kind::Seeds => {
                    let role = get("role");
                    let chain = chain_for(&address, &get("chain"));
                    let lower = role.to_ascii_lowercase();
                    let category = if lower.contains("deposit") {
                        Category::Deposit
                    } else if lower.contains("tornado") && !lower.contains("intermediary") {
                        Category::Mixer
                    } else {
                        Category::Theft
                    };
                    self.add(
                        Label {
                            address,
                            chain: chain.map(|c| crate::model::CHAINS[c as usize].name.to_string()),
                            label: format!("{}: {role}", get("incident")),
                            category,
                            source: format!(
                                "incident seeds ({file}, {} @ {})",
                                get("source_path"),
                                get("source_commit")
                            ),
                            confidence: None,
                            detail: Some(format!("{} {}", get("incident"), get("incident_date"))),
                            case_lost: false,
                        },
                        chain,
                    );
                }
                Kind::User => {
                    let chain = chain_for(&address, &get("chain"));
                    let source = get("source");
                    self.add(
                        Label {
                            address,
                            chain: Some(get("chain")).filter(|c| !c.is_empty()),
                            label: get("label"),
                            category: Category::parse(&get("category")),
                            source: if source.is_empty() {
                                file.to_string()
                            } else {
                                source
                            },
                            confidence: Some(get("confidence")).filter(|c| !c.is_empty()),
                            detail: None,
                            case_lost: false,
                        },
                        chain,
                    );
                }
            }
        }
        Ok(())
    }

    fn load_etherscan(&mut self, file: &str, text: &str) -> Result<(), LabelError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| LabelError::Malformed {
                file: file.into(),
                line: e.line() as u64,
                why: e.to_string(),
            })?;
        let obj = v.as_object().ok_or_else(|| LabelError::Malformed {
            file: file.into(),
            line: 1,
            why: "expected a JSON object address → {name, labels}".into(),
        })?;
        let chain = ["bscscan", "polygonscan", "arbiscan", "optimism"]
            .iter()
            .zip(["bsc", "polygon", "arbitrum", "optimism"])
            .find(|(k, _)| file.contains(*k))
            .map_or("ethereum", |(_, c)| c);
        for (address, entry) in obj {
            let name = entry
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .to_string();
            let tags: Vec<String> = entry
                .get("labels")
                .and_then(|l| l.as_array())
                .into_iter()
                .flatten()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect();
            for category in etherscan_categories(&name, &tags) {
                self.add(
                    Label {
                        address: address.clone(),
                        chain: Some(chain.to_string()),
                        label: if name.is_empty() {
                            tags.join(",")
                        } else {
                            name.clone()
                        },
                        category,
                        source: format!("Etherscan labels ({file})"),
                        confidence: None,
                        detail: Some(tags.join(",")),
                        case_lost: false,
                    },
                    chain_id(chain),
                );
            }
        }
        Ok(())
    }

    /// Parses the TagPack subset of YAML: top-level `key: value` header fields and a `tags:` list
    /// of mappings whose fields override the header. Unsupported constructs are errors with a line.
    fn load_tagpack(&mut self, file: &str, text: &str) -> Result<(), LabelError> {
        let mut header: HashMap<String, String> = HashMap::new();
        let mut tags: Vec<(u64, HashMap<String, String>)> = Vec::new();
        let mut in_tags = false;
        let mut tag_indent: Option<usize> = None;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i as u64 + 1;
            let line = strip_comment(raw);
            if line.trim().is_empty() || line.trim() == "---" {
                continue;
            }
            let indent = line.len() - line.trim_start().len();
            let body = line.trim();
            if indent == 0 && !body.starts_with('-') {
                let (k, v) = split_kv(body).ok_or_else(|| LabelError::Malformed {
                    file: file.into(),
                    line: line_no,
                    why: format!("expected `key: value`, got {body:?}"),
                })?;
                in_tags = k == "tags";
                if !in_tags {
                    header.insert(k, v);
                }
                continue;
            }
            if !in_tags {
                // Nested structure under a header key we do not use (lists of strings etc.).
                continue;
            }
            // The first `-` under `tags:` fixes the item indent; deeper items are nested lists
            // (e.g. `concepts:`), deeper keys nested mappings: neither carries what we use.
            let item_indent = *tag_indent.get_or_insert(indent);
            if let Some(item) = body.strip_prefix('-').filter(|_| indent == item_indent) {
                tags.push((line_no, HashMap::new()));
                let item = item.trim();
                if !item.is_empty() {
                    let (k, v) = split_kv(item).ok_or_else(|| LabelError::Malformed {
                        file: file.into(),
                        line: line_no,
                        why: format!("expected `- key: value`, got {body:?}"),
                    })?;
                    if let Some(t) = tags.last_mut() {
                        t.1.insert(k, v);
                    }
                }
            } else if indent == item_indent + 2 && !body.starts_with('-') {
                if let Some((k, v)) = split_kv(body) {
                    match tags.last_mut() {
                        Some(t) => {
                            t.1.insert(k, v);
                        }
                        None => {
                            return Err(LabelError::Malformed {
                                file: file.into(),
                                line: line_no,
                                why: "field before the first tag".into(),
                            })
                        }
                    }
                }
            }
            // Continuation lines of list values (e.g. `context` lists) carry nothing we use.
        }
        for (line, tag) in tags {
            let get = |k: &str| {
                tag.get(k)
                    .or_else(|| header.get(k))
                    .cloned()
                    .unwrap_or_default()
            };
            let address = get("address");
            if address.is_empty() {
                *self
                    .rejected
                    .entry(format!(
                        "{file}: tag without address (first at line {line})"
                    ))
                    .or_default() += 1;
                continue;
            }
            let abuse = get("abuse");
            let category = if abuse == "sanction" {
                Category::Sanctioned
            } else if abuse.contains("hack") || abuse.contains("theft") {
                // An exchange hacked is the victim: the label marks theft proceeds only when the
                // tag itself is not an exchange wallet.
                if get("category") == "exchange" {
                    Category::Exchange
                } else {
                    Category::Theft
                }
            } else {
                Category::parse(&get("category"))
            };
            let currency = get("currency");
            let chain = chain_for(&address, &currency);
            self.add(
                Label {
                    address,
                    chain: Some(currency).filter(|c| !c.is_empty()),
                    label: get("label"),
                    category,
                    source: format!(
                        "GraphSense TagPack {} ({file}; {})",
                        get("title"),
                        get("source")
                    ),
                    confidence: Some(get("confidence")).filter(|c| !c.is_empty()),
                    detail: Some(get("actor")).filter(|c| !c.is_empty()),
                    case_lost: false,
                },
                chain,
            );
        }
        Ok(())
    }
}

fn strip_comment(line: &str) -> &str {
    let mut in_q: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (c, in_q) {
            ('\'' | '"', None) => in_q = Some(c),
            (q, Some(o)) if q == o => in_q = None,
            ('#', None) if i == 0 || line[..i].ends_with(' ') => return &line[..i],
            _ => {}
        }
    }
    line
}

fn split_kv(s: &str) -> Option<(String, String)> {
    let (k, v) = s.split_once(':')?;
    let k = k.trim();
    if k.is_empty() || k.contains(' ') {
        return None;
    }
    let v = v.trim();
    let v = v
        .strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .or_else(|| v.strip_prefix('"').and_then(|x| x.strip_suffix('"')))
        .unwrap_or(v);
    Some((k.to_string(), v.to_string()))
}

const EXCHANGE_TAGS: &[&str] = &[
    "binance",
    "huobi",
    "kucoin",
    "okx",
    "okex",
    "coinbase",
    "kraken",
    "bitfinex",
    "ftx",
    "crypto-com",
    "gate-io",
    "hotbit",
    "bittrex",
    "poloniex",
    "gemini",
    "bybit",
    "mexc",
    "upbit",
    "bithumb",
    "exchange",
    "hot-wallet",
];

fn etherscan_categories(name: &str, tags: &[String]) -> Vec<Category> {
    let has = |t: &str| tags.iter().any(|x| x == t);
    let lname = name.to_ascii_lowercase();
    let mut out = Vec::new();
    let mixer = has("tornado-cash") || has("ethereum-mixer") || lname.starts_with("tornado.cash");
    if has("ofac-sanctions-lists") && !mixer {
        out.push(Category::Sanctioned);
    }
    if mixer {
        out.push(Category::Mixer);
    }
    if lname.contains("exploiter") || lname.contains("hacker") || lname.contains("heist") {
        out.push(Category::Theft);
    }
    if tags.iter().any(|t| t.ends_with("-deposit"))
        || (lname.contains(": deposit") && !lname.contains("funder"))
    {
        out.push(Category::Deposit);
    } else if has("bridge") || lname.contains("bridge") && !lname.contains("exploiter") {
        out.push(Category::Bridge);
    } else if out.is_empty() && tags.iter().any(|t| EXCHANGE_TAGS.contains(&t.as_str())) {
        out.push(Category::Exchange);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagpack_subset_parses_with_header_inheritance() {
        let mut s = LabelSet::new();
        s.load_tagpack(
            "t.yaml",
            "title: Tornado.cash\ncategory: mixing_service # comment\nlabel: tornado.cash\ncurrency: ETH\ntags:\n- address: '0x8589427373D6D84E98730D7795D8f6f8731FDA16'\n- address: 134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak\n  currency: BTC\n  label: other\n  abuse: sanction\n",
        )
        .unwrap();
        assert_eq!(s.labels.len(), 2);
        let l = s.lookup("0x8589427373d6d84e98730d7795d8f6f8731fda16");
        assert_eq!(l[0].category, Category::Mixer);
        assert!(l[0].source.contains("Tornado.cash"));
        let b = s.lookup("134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak");
        assert_eq!(
            (b[0].category, b[0].label.as_str()),
            (Category::Sanctioned, "other")
        );
        assert!(
            s.lookup("134r8ihv69xdt6p5qvktsHrcuEubvzayak").is_empty(),
            "Base58 is case-sensitive"
        );
        assert!(s.load_tagpack("bad.yaml", "title Tornado\n").is_err());
    }

    #[test]
    fn ofac_case_lost_rows_match_case_insensitively() {
        let mut s = LabelSet::new();
        s.load_csv("ofac.csv", "address,asset,sdn_entity,programs,sdn_uid,akas,address_case\ntu4tdfrvckhaz1jdihojmbwzqvjhqcnj4f,TRX,AEZA GROUP LLC,CYBER4,54566,,CASE_LOST\n0x098B716B8Aaf21512996dC57EB0615e2383E2f96,ETH,LAZARUS GROUP,DPRK3,1,,case_insensitive\n").unwrap();
        assert_eq!(s.lookup("TU4tdFrVCKHAZ1JDiHojMBWZqvjHqCnJ4f").len(), 1);
        let l = s.lookup("0x098b716b8aaf21512996dc57eb0615e2383e2f96");
        assert_eq!(
            (l[0].category, l[0].detail.as_deref()),
            (Category::Sanctioned, Some("DPRK3"))
        );
    }
}
