//! Loaders: every supported input format into one [`Graph`].
//!
//! Each file gives a [`FileReport`] that accounts for every record: accepted, skipped by a rule
//! (e.g. zero-value or failed transactions, top-level traces that duplicate their transaction) or
//! rejected with a reason (counted by reason, with the first examples naming file and line).
//! Nothing vanishes silently. Formats are detected from the header (CSV), the first record (JSON)
//! or the file extension (`.dat`, `.blk`, `.raw` → raw Bitcoin blocks).

use crate::amount::Amount;
use crate::model::{
    chain_id, parse_hash, AccountTransfer, Graph, TransferKind, TxIn, TxOut, UtxoTx, BITCOIN,
    ETHEREUM,
};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// The ERC-20/721 `Transfer(address,address,uint256)` event topic.
pub const TRANSFER_TOPIC: &str =
    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// ethereum-etl `transactions` (CSV or JSON lines).
    EthTransactions,
    /// ethereum-etl `token_transfers`.
    EthTokenTransfers,
    /// ethereum-etl `traces`.
    EthTraces,
    /// ethereum-etl `logs` (decoded into token transfers here).
    EthLogs,
    /// GraphSense camelCase logs JSON lines.
    GraphsenseLogs,
    /// Explorer export `hash,timestamp,from,to,value,asset_contract,symbol,decimals,block`.
    Explorer,
    /// bitcoin-etl `transactions` JSON lines (inputs enriched).
    BitcoinEtl,
    /// Bitcoin Core `getblock <hash> 2|3` JSON (a response object, a block, or JSON lines of blocks).
    GetBlock,
    /// Raw `blk*.dat` (magic + length framing) or a single raw block.
    RawBlocks,
}

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Chain for account-model files (default ethereum) and UTXO files (default bitcoin).
    pub chain: Option<u16>,
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
}

/// Accounting of one input file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// Path as given.
    pub file: String,
    /// Detected format.
    pub format: Format,
    /// Records read (lines, rows, transactions).
    pub records: u64,
    /// Records that became transfers or transactions.
    pub accepted: u64,
    /// Records skipped by a documented rule, by rule.
    pub skipped: BTreeMap<String, u64>,
    /// Records rejected as malformed, by reason.
    pub rejected: BTreeMap<String, u64>,
    /// The first rejects, each "file:record: why".
    pub examples: Vec<String>,
    /// Accepted records with a caveat (e.g. unknown block height), by caveat.
    pub notes: BTreeMap<String, u64>,
}

impl FileReport {
    pub(crate) fn new(file: &str, format: Format) -> Self {
        FileReport {
            file: file.to_string(),
            format,
            records: 0,
            accepted: 0,
            skipped: BTreeMap::new(),
            rejected: BTreeMap::new(),
            examples: vec![],
            notes: BTreeMap::new(),
        }
    }
    fn skip(&mut self, rule: &str) {
        *self.skipped.entry(rule.to_string()).or_default() += 1;
    }
    pub(crate) fn reject(&mut self, record: u64, reason: &str, detail: &str) {
        *self.rejected.entry(reason.to_string()).or_default() += 1;
        if self.examples.len() < 20 {
            self.examples
                .push(format!("{}:{}: {}: {}", self.file, record, reason, detail));
        }
    }
    /// Total rejected records.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().sum()
    }
    /// Total skipped records.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// A file that cannot be loaded at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// Could not read.
    #[error("{file}: {source}")]
    Io {
        /// Path.
        file: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Format not recognised.
    #[error("{file}: unknown format: {why}")]
    UnknownFormat {
        /// Path.
        file: String,
        /// What was seen.
        why: String,
    },
    /// A structural error that stops the file (e.g. a truncated raw block).
    #[error("{file}:{record}: {why}")]
    Malformed {
        /// Path.
        file: String,
        /// Record (line, or byte offset for raw blocks).
        record: u64,
        /// What is wrong.
        why: String,
    },
}

/// Loads one file into `graph`.
pub fn load_file(
    graph: &mut Graph,
    path: &Path,
    opts: &LoadOptions,
) -> Result<FileReport, LoadError> {
    let file = path.display().to_string();
    let io = |source| LoadError::Io {
        file: file.clone(),
        source,
    };
    let mut bytes = std::fs::read(path).map_err(io)?;
    let mut ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "gz" {
        // ethereum-etl and bitcoin-etl exports are often gzipped: decompress, then detect by the
        // inner name (`transactions.csv.gz` → csv).
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut out)
            .map_err(io)?;
        bytes = out;
        ext = Path::new(path.file_stem().unwrap_or_default())
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
    }
    let format = match opts.format {
        Some(f) => f,
        None if matches!(ext.as_str(), "dat" | "blk" | "raw") => RawBlocks,
        None => detect_text(&file, &bytes)?,
    };
    use Format::*;
    if format == RawBlocks {
        let key = xor_key_beside(path).map_err(io)?;
        g_native(graph, opts.chain.unwrap_or(BITCOIN));
        return crate::rawblock::load_raw_blocks(
            graph,
            &file,
            &bytes,
            key.as_deref(),
            opts.chain.unwrap_or(BITCOIN),
        );
    }
    let text = String::from_utf8(bytes).map_err(|e| LoadError::Malformed {
        file: file.clone(),
        record: 0,
        why: format!("not UTF-8: {e}"),
    })?;
    let evm = opts.chain.unwrap_or(ETHEREUM);
    let btc = opts.chain.unwrap_or(BITCOIN);
    let mut rep = FileReport::new(&file, format);
    if matches!(format, GetBlock | BitcoinEtl) {
        g_native(graph, btc);
    }
    let is_csv = !text.trim_start().starts_with('{') && !text.trim_start().starts_with('[');
    match format {
        GetBlock => load_getblock(graph, &text, btc, &mut rep)?,
        _ if is_csv => {
            let mut rdr = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(text.as_bytes());
            let headers = rdr
                .headers()
                .map_err(|e| LoadError::Malformed {
                    file: file.clone(),
                    record: 1,
                    why: e.to_string(),
                })?
                .clone();
            for (i, row) in rdr.records().enumerate() {
                let line = i as u64 + 2;
                rep.records += 1;
                let row = match row {
                    Ok(r) => r,
                    Err(e) => {
                        rep.reject(line, "unreadable CSV row", &e.to_string());
                        continue;
                    }
                };
                let mut obj = serde_json::Map::new();
                for (h, v) in headers.iter().zip(row.iter()) {
                    obj.insert(h.trim().to_string(), Value::String(v.to_string()));
                }
                record(graph, format, &Value::Object(obj), evm, btc, line, &mut rep);
            }
        }
        _ => {
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                rep.records += 1;
                let n = i as u64 + 1;
                match serde_json::from_str::<Value>(&quote_numbers(line)) {
                    Ok(v) => record(graph, format, &v, evm, btc, n, &mut rep),
                    Err(e) => rep.reject(n, "invalid JSON", &e.to_string()),
                }
            }
        }
    }
    Ok(rep)
}

/// UTXO loaders intern the chain's native asset up front so traces can name it.
fn g_native(g: &mut Graph, chain: u16) {
    g.native_asset(chain);
}

fn record(
    g: &mut Graph,
    f: Format,
    v: &Value,
    evm: u16,
    btc: u16,
    line: u64,
    rep: &mut FileReport,
) {
    let r = match f {
        Format::EthTransactions => eth_transaction(g, v, evm, rep),
        Format::EthTokenTransfers => eth_token_transfer(g, v, evm),
        Format::EthTraces => eth_trace(g, v, evm, rep),
        Format::EthLogs | Format::GraphsenseLogs => eth_log(g, v, evm, rep),
        Format::Explorer => explorer_row(g, v, evm, line),
        Format::BitcoinEtl => bitcoin_etl_tx(g, v, btc),
        Format::GetBlock | Format::RawBlocks => Err(("internal", "not a line format".to_string())),
    };
    match r {
        Ok(true) => rep.accepted += 1,
        Ok(false) => {}
        Err((reason, detail)) => rep.reject(line, reason, &detail),
    }
}

/// Reads `xor.dat` beside a `blk*.dat` file (Bitcoin Core ≥ 28 obfuscates block files with it).
fn xor_key_beside(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    let Some(dir) = path.parent() else {
        return Ok(None);
    };
    let key_path = dir.join("xor.dat");
    match std::fs::read(&key_path) {
        Ok(k) if k.iter().any(|&b| b != 0) => Ok(Some(k)),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn detect_text(file: &str, bytes: &[u8]) -> Result<Format, LoadError> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 16)]);
    let first = head
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let unknown = |why: String| LoadError::UnknownFormat {
        file: file.to_string(),
        why,
    };
    if first.starts_with('{') || first.starts_with('[') {
        let key = |k: &str| head.contains(&format!("\"{k}\""));
        if let Ok(v) = serde_json::from_str::<Value>(&quote_numbers(first)) {
            match v.get("type").and_then(Value::as_str) {
                Some("transaction") if v.get("inputs").is_some() => return Ok(Format::BitcoinEtl),
                Some("transaction") => return Ok(Format::EthTransactions),
                Some("token_transfer") => return Ok(Format::EthTokenTransfers),
                Some("trace") => return Ok(Format::EthTraces),
                Some("log") => return Ok(Format::EthLogs),
                _ => {}
            }
            if v.get("topic0").is_some() || (v.get("topics").is_some() && v.get("txHash").is_some())
            {
                return Ok(Format::GraphsenseLogs);
            }
            if v.get("inputs").is_some() && v.get("outputs").is_some() {
                return Ok(Format::BitcoinEtl);
            }
            if v.get("tx").is_some() || v.get("result").is_some() {
                return Ok(Format::GetBlock);
            }
        }
        if key("tx") && (key("vin") || key("result") || key("height")) {
            return Ok(Format::GetBlock);
        }
        return Err(unknown(format!(
            "JSON record not recognised: {}",
            first.chars().take(120).collect::<String>()
        )));
    }
    let cols: Vec<String> = first
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |c: &str| cols.iter().any(|x| x == c);
    if has("asset_contract") && has("hash") && has("from") {
        Ok(Format::Explorer)
    } else if has("trace_address") || has("trace_type") {
        Ok(Format::EthTraces)
    } else if has("token_address") && has("log_index") {
        Ok(Format::EthTokenTransfers)
    } else if has("topics") {
        Ok(Format::EthLogs)
    } else if has("nonce") && has("from_address") {
        Ok(Format::EthTransactions)
    } else {
        Err(unknown(format!("CSV header not recognised: {first}")))
    }
}

/// Quotes JSON number literals that would lose precision as `f64` (≥ 16 digits, or with a
/// fraction/exponent such as BTC values `50.00000000`), so they reach [`Amount`] as text.
pub fn quote_numbers(line: &str) -> Cow<'_, str> {
    let b = line.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_str = true;
            i += 1;
            continue;
        }
        if c == b'-' || c.is_ascii_digit() {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_digit() || matches!(b[i], b'.' | b'e' | b'E' | b'+' | b'-'))
            {
                i += 1;
            }
            let tok = &line[start..i];
            let digits = tok.bytes().filter(u8::is_ascii_digit).count();
            if digits >= 16 || tok.contains(['.', 'e', 'E']) {
                let o = out.get_or_insert_with(|| String::with_capacity(line.len() + 16));
                o.push_str(&line[last..start]);
                o.push('"');
                o.push_str(tok);
                o.push('"');
                last = i;
            }
            continue;
        }
        i += 1;
    }
    match out {
        None => Cow::Borrowed(line),
        Some(mut o) => {
            o.push_str(&line[last..]);
            Cow::Owned(o)
        }
    }
}

type RecResult = Result<bool, (&'static str, String)>;

fn field<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter()
        .find_map(|k| v.get(*k))
        .filter(|x| !x.is_null() && x.as_str() != Some(""))
}

fn text(v: &Value, keys: &[&str]) -> Option<String> {
    field(v, keys).map(|x| match x {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn req_text(v: &Value, keys: &[&str]) -> Result<String, (&'static str, String)> {
    text(v, keys).ok_or(("missing field", keys[0].to_string()))
}

fn num_u64(v: &Value, keys: &[&str]) -> Result<u64, (&'static str, String)> {
    let t = req_text(v, keys)?;
    t.trim()
        .parse::<u64>()
        .or_else(|_| u64::from_str_radix(t.trim().trim_start_matches("0x"), 16).map_err(|_| ()))
        .map_err(|_| ("bad integer", format!("{}={t}", keys[0])))
}

fn amount(v: &Value, keys: &[&str]) -> Result<Amount, (&'static str, String)> {
    let t = req_text(v, keys)?;
    Amount::parse(&t).map_err(|e| ("bad amount", e.to_string()))
}

fn addr(
    g: &mut Graph,
    chain: u16,
    v: &Value,
    keys: &[&str],
) -> Result<u32, (&'static str, String)> {
    let t = req_text(v, keys)?;
    g.intern_address(chain, &t)
        .map_err(|e| ("bad address", e.to_string()))
}

fn hash(v: &Value, keys: &[&str]) -> Result<[u8; 32], (&'static str, String)> {
    let t = req_text(v, keys)?;
    parse_hash(&t).ok_or(("bad hash", t))
}

fn timestamp(v: &Value, keys: &[&str]) -> Result<i64, (&'static str, String)> {
    let t = req_text(v, keys)?;
    parse_time(&t).ok_or(("bad timestamp", t))
}

/// Parses Unix seconds or ISO-8601 (`2025-02-21T14:13:35Z`, `2025-02-21 14:13:35`, UTC).
pub fn parse_time(t: &str) -> Option<i64> {
    let t = t.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    let t = t
        .trim_end_matches('Z')
        .trim_end_matches("+00:00")
        .replace('T', " ");
    let (date, time) = t.split_once(' ').unwrap_or((t.as_str(), "00:00:00"));
    let mut d = date.split('-').map(|x| x.parse::<i64>());
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut hms = time.split(':');
    let h: i64 = hms.next()?.parse().ok()?;
    let mi: i64 = hms.next().unwrap_or("0").parse().ok()?;
    let s: f64 = hms.next().unwrap_or("0").parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    Some(days * 86400 + h * 3600 + mi * 60 + s as i64)
}

fn position(tx_index: u64, sub: u64) -> u64 {
    (tx_index << 20) | (sub & 0xfffff)
}

fn eth_transaction(g: &mut Graph, v: &Value, chain: u16, rep: &mut FileReport) -> RecResult {
    let value = amount(v, &["value"])?;
    let status = text(v, &["receipt_status", "status"]);
    if status.as_deref().is_some_and(|s| s != "1") {
        rep.skip("failed transaction (status 0)");
        return Ok(false);
    }
    if value.is_zero() {
        rep.skip("zero value");
        return Ok(false);
    }
    if status.is_none() {
        // Exports without receipts (export_blocks_job) cannot tell failed transactions apart.
        *rep.notes
            .entry("no receipt status: accepted as successful".into())
            .or_default() += 1;
    }
    let from = addr(g, chain, v, &["from_address"])?;
    let to = match text(v, &["to_address"]).or_else(|| text(v, &["receipt_contract_address"])) {
        Some(t) => g
            .intern_address(chain, &t)
            .map_err(|e| ("bad address", e.to_string()))?,
        None => {
            return Err((
                "missing field",
                "to_address (and no receipt_contract_address)".into(),
            ))
        }
    };
    let asset = g.native_asset(chain);
    let tx_index = num_u64(v, &["transaction_index"])?;
    g.transfers.push(AccountTransfer {
        chain,
        tx: hash(v, &["hash"])?,
        block: num_u64(v, &["block_number"])?,
        time: timestamp(v, &["block_timestamp"]).unwrap_or(0),
        index: position(tx_index, 0),
        kind: TransferKind::NativeTx,
        from,
        to,
        asset,
        amount: value,
    });
    Ok(true)
}

fn eth_token_transfer(g: &mut Graph, v: &Value, chain: u16) -> RecResult {
    let contract = req_text(v, &["token_address"])?;
    let contract = crate::model::normalize_address(chain, &contract)
        .map_err(|e| ("bad address", e.to_string()))?;
    let from = addr(g, chain, v, &["from_address"])?;
    let to = addr(g, chain, v, &["to_address"])?;
    let value = amount(v, &["value"])?;
    let asset = g.asset(chain, Some(&contract), "", None);
    let log_index = num_u64(v, &["log_index"])?;
    let tx_index = text(v, &["transaction_index"])
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    g.transfers.push(AccountTransfer {
        chain,
        tx: hash(v, &["transaction_hash"])?,
        block: num_u64(v, &["block_number"])?,
        time: timestamp(v, &["block_timestamp"]).unwrap_or(0),
        index: position(tx_index, log_index),
        kind: TransferKind::Erc20,
        from,
        to,
        asset,
        amount: value,
    });
    Ok(true)
}

fn eth_trace(g: &mut Graph, v: &Value, chain: u16, rep: &mut FileReport) -> RecResult {
    let trace_type = text(v, &["trace_type"]).unwrap_or_default();
    let call_type = text(v, &["call_type"]).unwrap_or_default();
    let status = text(v, &["status"]).unwrap_or_else(|| "1".into());
    let value = amount(v, &["value"]).unwrap_or(Amount::ZERO);
    let trace_address = match field(v, &["trace_address"]) {
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    if trace_type == "reward" {
        rep.skip("block or uncle reward trace");
        return Ok(false);
    }
    if status != "1" || text(v, &["error"]).is_some() {
        rep.skip("failed trace");
        return Ok(false);
    }
    if value.is_zero() {
        rep.skip("zero value");
        return Ok(false);
    }
    if matches!(
        call_type.as_str(),
        "delegatecall" | "staticcall" | "callcode"
    ) {
        rep.skip("delegatecall/staticcall/callcode moves no value");
        return Ok(false);
    }
    if trace_address.trim().is_empty() || trace_address == "[]" {
        rep.skip("top-level trace (same value as its transaction)");
        return Ok(false);
    }
    let from = addr(g, chain, v, &["from_address"])?;
    let to = addr(g, chain, v, &["to_address"])?;
    let asset = g.native_asset(chain);
    let tx_index = num_u64(v, &["transaction_index"]).unwrap_or(0);
    let sub = text(v, &["trace_index"])
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    g.transfers.push(AccountTransfer {
        chain,
        tx: hash(v, &["transaction_hash"])?,
        block: num_u64(v, &["block_number"])?,
        time: timestamp(v, &["block_timestamp"]).unwrap_or(0),
        index: position(tx_index, (1 << 19) | sub),
        kind: TransferKind::NativeInternal,
        from,
        to,
        asset,
        amount: value,
    });
    Ok(true)
}

/// A decoded `Transfer` log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedTransfer {
    /// Sender (lower-case hex).
    pub from: String,
    /// Receiver.
    pub to: String,
    /// Value (ERC-20) or token id (ERC-721).
    pub value: Amount,
    /// True for the ERC-721 shape (4 topics).
    pub erc721: bool,
}

/// Decodes a `Transfer` event the way ethereum-etl does: topic0 must be [`TRANSFER_TOPIC`] and the
/// indexed topics plus 32-byte data words must be exactly 4 (from, to, value).
pub fn decode_transfer_log(topics: &[String], data: &str) -> Option<DecodedTransfer> {
    if !topics.first()?.eq_ignore_ascii_case(TRANSFER_TOPIC) {
        return None;
    }
    let data = data.trim().trim_start_matches("0x");
    if data.len() % 64 != 0 {
        return None;
    }
    let mut words: Vec<&str> = topics[1..]
        .iter()
        .map(|t| t.trim().trim_start_matches("0x"))
        .collect();
    words.extend((0..data.len() / 64).map(|i| &data[i * 64..i * 64 + 64]));
    if words.len() != 3 || words.iter().any(|w| w.len() != 64) {
        return None;
    }
    let word_addr = |w: &str| format!("0x{}", w[24..].to_ascii_lowercase());
    Some(DecodedTransfer {
        from: word_addr(words[0]),
        to: word_addr(words[1]),
        value: Amount::parse_hex(words[2])?,
        erc721: topics.len() == 4,
    })
}

fn eth_log(g: &mut Graph, v: &Value, chain: u16, rep: &mut FileReport) -> RecResult {
    let topics: Vec<String> = match field(v, &["topics"]) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        _ => vec![],
    };
    if topics
        .first()
        .is_none_or(|t| !t.eq_ignore_ascii_case(TRANSFER_TOPIC))
    {
        rep.skip("log is not a Transfer event");
        return Ok(false);
    }
    let data = text(v, &["data"]).unwrap_or_default();
    let Some(d) = decode_transfer_log(&topics, &data) else {
        rep.skip("Transfer event of a non-standard shape");
        return Ok(false);
    };
    let contract = req_text(v, &["address"])?;
    let contract = crate::model::normalize_address(chain, &contract)
        .map_err(|e| ("bad address", e.to_string()))?;
    let asset = g.asset(chain, Some(&contract), "", None);
    let from = g
        .intern_address(chain, &d.from)
        .map_err(|e| ("bad address", e.to_string()))?;
    let to = g
        .intern_address(chain, &d.to)
        .map_err(|e| ("bad address", e.to_string()))?;
    let tx_index = num_u64(v, &["transaction_index", "transactionIndex"])?;
    let log_index = num_u64(v, &["log_index", "logIndex"])?;
    g.transfers.push(AccountTransfer {
        chain,
        tx: hash(v, &["transaction_hash", "txHash"])?,
        block: num_u64(v, &["block_number", "blockId"])?,
        time: timestamp(v, &["block_timestamp"]).unwrap_or(0),
        index: position(tx_index, log_index),
        kind: if d.erc721 {
            TransferKind::Erc721
        } else {
            TransferKind::Erc20
        },
        from,
        to,
        asset,
        amount: d.value,
    });
    Ok(true)
}

/// Scales a display amount (`1.5` with 18 decimals) to base units exactly.
pub fn scale_decimal(value: &str, decimals: u8) -> Option<Amount> {
    if !value
        .trim()
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    let (int, frac) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    if frac.len() > decimals as usize && frac[decimals as usize..].bytes().any(|b| b != b'0') {
        return None;
    }
    let frac = &frac[..frac.len().min(decimals as usize)];
    let s = format!("{int}{frac}{}", "0".repeat(decimals as usize - frac.len()));
    Amount::parse(s.trim_start_matches('0'))
        .ok()
        .or_else(|| s.bytes().all(|b| b == b'0').then_some(Amount::ZERO))
}

/// Explorer rows carry no log index: the row's line number stands in, so two identical rows of one
/// file stay two transfers while loading the same file twice is recognised as a duplicate.
fn explorer_row(g: &mut Graph, v: &Value, chain: u16, line: u64) -> RecResult {
    let contract = text(v, &["asset_contract"]).filter(|c| !c.trim().is_empty());
    let symbol = text(v, &["symbol"]).unwrap_or_default();
    let decimals: Option<u8> = match text(v, &["decimals"]) {
        Some(d) => Some(d.trim().parse().map_err(|_| ("bad decimals", d.clone()))?),
        None => None,
    };
    let value_text = req_text(v, &["value"])?;
    let value = if value_text.contains('.') {
        let d = decimals
            .or(contract
                .is_none()
                .then_some(crate::model::CHAINS[chain as usize].decimals))
            .ok_or(("display amount without decimals", value_text.clone()))?;
        scale_decimal(&value_text, d)
            .ok_or(("bad amount", format!("{value_text} with {d} decimals")))?
    } else {
        Amount::parse(&value_text).map_err(|e| ("bad amount", e.to_string()))?
    };
    let asset = match &contract {
        Some(c) => {
            let c = crate::model::normalize_address(chain, c)
                .map_err(|e| ("bad address", e.to_string()))?;
            g.asset(chain, Some(&c), &symbol, decimals)
        }
        None => g.native_asset(chain),
    };
    let from = addr(g, chain, v, &["from"])?;
    let to = addr(g, chain, v, &["to"])?;
    g.transfers.push(AccountTransfer {
        chain,
        tx: hash(v, &["hash"])?,
        block: num_u64(v, &["block"])?,
        time: timestamp(v, &["timestamp"])?,
        index: line,
        kind: TransferKind::Explorer,
        from,
        to,
        asset,
        amount: value,
    });
    Ok(true)
}

/// Parses a BTC decimal (`50.00000000`, or integer satoshi when `is_sat`) into satoshi exactly.
pub fn btc_to_sat(t: &str) -> Option<u64> {
    scale_decimal(t, 8)?.to_u64()
}

fn bitcoin_etl_tx(g: &mut Graph, v: &Value, chain: u16) -> RecResult {
    let txid = hash(v, &["hash"])?;
    let coinbase = text(v, &["is_coinbase"]).as_deref() == Some("true");
    let mut inputs = Vec::new();
    for i in v
        .get("inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let a = match i.get("addresses").and_then(Value::as_array).and_then(|a| {
            if a.len() == 1 {
                a[0].as_str()
            } else {
                None
            }
        }) {
            Some(t) => Some(
                g.intern_address(chain, t)
                    .map_err(|e| ("bad address", e.to_string()))?,
            ),
            None => None,
        };
        inputs.push(TxIn {
            prev_txid: hash(i, &["spent_transaction_hash"])?,
            prev_vout: num_u64(i, &["spent_output_index"])? as u32,
            address: a,
            // Un-enriched exports have `value: null`; resolved later from the spent output.
            value: match field(i, &["value"]) {
                Some(_) => Some(num_u64(i, &["value"])?),
                None => None,
            },
        });
    }
    let mut outputs = Vec::new();
    for o in v
        .get("outputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let a = match o.get("addresses").and_then(Value::as_array).and_then(|a| {
            if a.len() == 1 {
                a[0].as_str()
            } else {
                None
            }
        }) {
            Some(t) if !t.starts_with("nonstandard") => Some(
                g.intern_address(chain, t)
                    .map_err(|e| ("bad address", e.to_string()))?,
            ),
            _ => None,
        };
        outputs.push(TxOut {
            address: a,
            value: num_u64(o, &["value"])?,
        });
    }
    g.utxo_txs.push(UtxoTx {
        chain,
        txid,
        block: num_u64(v, &["block_number"])?,
        time: timestamp(v, &["block_timestamp"]).unwrap_or(0),
        index: num_u64(v, &["index"]).unwrap_or(0) as u32,
        coinbase,
        inputs,
        outputs,
    });
    Ok(true)
}

fn load_getblock(
    g: &mut Graph,
    text: &str,
    chain: u16,
    rep: &mut FileReport,
) -> Result<(), LoadError> {
    // A single document (pretty-printed response) or JSON lines of blocks.
    let docs: Vec<(u64, Value)> = match serde_json::from_str::<Value>(&quote_numbers(text)) {
        Ok(Value::Array(a)) => a
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i as u64 + 1, v))
            .collect(),
        Ok(v) => vec![(1, v)],
        Err(_) => {
            let mut d = Vec::new();
            for (i, l) in text.lines().enumerate() {
                if l.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<Value>(&quote_numbers(l)) {
                    Ok(v) => d.push((i as u64 + 1, v)),
                    Err(e) => {
                        rep.records += 1;
                        rep.reject(i as u64 + 1, "invalid JSON", &e.to_string());
                    }
                }
            }
            d
        }
    };
    for (line, doc) in docs {
        let block = doc.get("result").filter(|r| !r.is_null()).unwrap_or(&doc);
        let Some(txs) = block.get("tx").and_then(Value::as_array) else {
            rep.records += 1;
            rep.reject(
                line,
                "not a getblock verbosity 2/3 object",
                "no `tx` array of objects",
            );
            continue;
        };
        let height = num_u64(block, &["height"]).unwrap_or(u64::MAX);
        let time = num_u64(block, &["time"]).map(|t| t as i64).unwrap_or(0);
        for (ti, tx) in txs.iter().enumerate() {
            rep.records += 1;
            match getblock_tx(g, tx, chain, height, time, ti as u32) {
                Ok(t) => {
                    g.utxo_txs.push(t);
                    rep.accepted += 1;
                }
                Err((reason, d)) => {
                    rep.reject(line, reason, &format!("block {height} tx {ti}: {d}"))
                }
            }
        }
    }
    Ok(())
}

/// The address and value of a `getblock` output object (a `vout` entry, or an input's
/// verbosity-3 `prevout`): both have `value` in BTC and `scriptPubKey.hex`.
fn getblock_output(
    g: &mut Graph,
    chain: u16,
    o: &Value,
    what: &str,
) -> Result<(Option<u32>, u64), (&'static str, String)> {
    let value = btc_to_sat(&req_text(o, &["value"])?).ok_or(("bad amount", what.to_string()))?;
    let script = o
        .get("scriptPubKey")
        .and_then(|s| s.get("hex"))
        .and_then(Value::as_str)
        .and_then(crate::encoding::unhex);
    let address = match script.and_then(|s| crate::encoding::script_address(&s).1) {
        Some(t) => Some(
            g.intern_address(chain, &t)
                .map_err(|e| ("bad address", e.to_string()))?,
        ),
        None => None,
    };
    Ok((address, value))
}

fn getblock_tx(
    g: &mut Graph,
    tx: &Value,
    chain: u16,
    height: u64,
    time: i64,
    index: u32,
) -> Result<UtxoTx, (&'static str, String)> {
    if tx.is_string() {
        return Err((
            "getblock verbosity 1 (txids only) has no transfers",
            "use verbosity 2 or 3".into(),
        ));
    }
    let txid = hash(tx, &["txid"])?;
    let mut inputs = Vec::new();
    let mut coinbase = false;
    for i in tx
        .get("vin")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if i.get("coinbase").is_some() {
            coinbase = true;
            continue;
        }
        let (address, value) = match i.get("prevout") {
            // Verbosity 3: the spent output is given.
            Some(p) => {
                let (a, value) = getblock_output(g, chain, p, "prevout value")?;
                (a, Some(value))
            }
            None => (None, None),
        };
        inputs.push(TxIn {
            prev_txid: hash(i, &["txid"])?,
            prev_vout: num_u64(i, &["vout"])? as u32,
            address,
            value,
        });
    }
    let mut outputs = Vec::new();
    for o in tx
        .get("vout")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (address, value) = getblock_output(g, chain, o, "vout value")?;
        outputs.push(TxOut { address, value });
    }
    Ok(UtxoTx {
        chain,
        txid,
        block: height,
        time,
        index,
        coinbase,
        inputs,
        outputs,
    })
}

/// Parses a chain name for loaders (`--chain`).
pub fn parse_chain(name: &str) -> Option<u16> {
    chain_id(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_small_integers_and_protects_big_ones() {
        assert_eq!(
            quote_numbers(
                r#"{"a": 5, "b": "x1.5", "v": 150188698577042438264952193024, "c": 50.00000000}"#
            ),
            r#"{"a": 5, "b": "x1.5", "v": "150188698577042438264952193024", "c": "50.00000000"}"#
        );
    }

    #[test]
    fn time_and_decimal_parsing() {
        assert_eq!(parse_time("2025-02-21T14:13:35Z"), Some(1740147215));
        assert_eq!(parse_time("1683029999"), Some(1683029999));
        assert_eq!(
            scale_decimal("10000", 18).unwrap().to_string(),
            "10000000000000000000000"
        );
        assert_eq!(btc_to_sat("0.00000001"), Some(1));
        assert_eq!(btc_to_sat("50.00000000"), Some(5_000_000_000));
        assert_eq!(scale_decimal("0.123", 2), None);
    }

    #[test]
    fn explorer_csv_counts_rejects_with_line_numbers() {
        let dir = std::env::temp_dir().join(format!("chain-explorer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.csv");
        std::fs::write(&p, "hash,timestamp,from,to,value,asset_contract,symbol,decimals,block\n\
0x1111111111111111111111111111111111111111111111111111111111111111,2025-02-21T14:13:35Z,0x47666fab8bd0ac7003bce3f5c3585383f09486e2,0x1111111111111111111111111111111111111111,10000,,ETH,18,21895251\n\
0x2222222222222222222222222222222222222222222222222222222222222222,2025-02-21T14:14:35Z,0x47666fab8bd0ac7003bce3f5c3585383f09486e2,0xnotanaddress,1.5,,ETH,18,21895252\n\
0x3333333333333333333333333333333333333333333333333333333333333333,2025-02-21T14:15:35Z,0x47666fab8bd0ac7003bce3f5c3585383f09486e2,0x2222222222222222222222222222222222222222,554882.1,0xee33058e00000000000000000000000000000000,stEТH,18,21895253\n").unwrap();
        let mut g = Graph::new();
        let r = load_file(&mut g, &p, &LoadOptions::default()).unwrap();
        assert_eq!(r.format, Format::Explorer);
        assert_eq!((r.records, r.accepted, r.rejected_total()), (3, 2, 1));
        assert!(
            r.examples[0].contains("x.csv:3: bad address"),
            "{:?}",
            r.examples
        );
        assert_eq!(g.transfers[0].amount.to_string(), "10000");
        assert!(!g.assets[g.transfers[1].asset as usize].whitelisted);
        std::fs::remove_dir_all(&dir).ok();
    }
}
