//! The one transfer model for both chain families.
//!
//! Account chains (Ethereum and other EVM chains, TRON) become [`AccountTransfer`]s: from, to, asset,
//! amount, tx, block, time, index. UTXO chains (Bitcoin, Litecoin) keep their structure as
//! [`UtxoTx`]s with inputs pointing at previous outputs, so FIFO and haircut stay exact. Addresses
//! and assets are interned to `u32` ids in a [`Graph`], which the tracing engine walks.

use crate::amount::Amount;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How a chain moves value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChainModel {
    /// Transactions spend previous outputs (Bitcoin family).
    Utxo,
    /// Balances per address (EVM, TRON).
    Account,
}

/// Static facts about a supported chain.
#[derive(Debug, Clone, Copy)]
pub struct ChainInfo {
    /// Lower-case name used in files and on the command line.
    pub name: &'static str,
    /// UTXO or account model.
    pub model: ChainModel,
    /// Symbol of the native asset.
    pub native_symbol: &'static str,
    /// Decimals of the native asset.
    pub decimals: u8,
}

/// Chains the loaders know. Index in this table is the chain id used in [`Graph`].
pub const CHAINS: &[ChainInfo] = &[
    ChainInfo {
        name: "bitcoin",
        model: ChainModel::Utxo,
        native_symbol: "BTC",
        decimals: 8,
    },
    ChainInfo {
        name: "ethereum",
        model: ChainModel::Account,
        native_symbol: "ETH",
        decimals: 18,
    },
    ChainInfo {
        name: "bsc",
        model: ChainModel::Account,
        native_symbol: "BNB",
        decimals: 18,
    },
    ChainInfo {
        name: "polygon",
        model: ChainModel::Account,
        native_symbol: "MATIC",
        decimals: 18,
    },
    ChainInfo {
        name: "arbitrum",
        model: ChainModel::Account,
        native_symbol: "ETH",
        decimals: 18,
    },
    ChainInfo {
        name: "optimism",
        model: ChainModel::Account,
        native_symbol: "ETH",
        decimals: 18,
    },
    ChainInfo {
        name: "avalanche",
        model: ChainModel::Account,
        native_symbol: "AVAX",
        decimals: 18,
    },
    ChainInfo {
        name: "tron",
        model: ChainModel::Account,
        native_symbol: "TRX",
        decimals: 6,
    },
    ChainInfo {
        name: "litecoin",
        model: ChainModel::Utxo,
        native_symbol: "LTC",
        decimals: 8,
    },
];

/// Chain id of `name` (also accepts common aliases such as `btc`, `eth`, `xbt`).
pub fn chain_id(name: &str) -> Option<u16> {
    let n = name.trim().to_ascii_lowercase();
    let n = match n.as_str() {
        "btc" | "xbt" => "bitcoin",
        "eth" => "ethereum",
        "bnb" | "binance" | "bsc-mainnet" => "bsc",
        "matic" => "polygon",
        "arb" => "arbitrum",
        "avax" => "avalanche",
        "trx" => "tron",
        "ltc" => "litecoin",
        other => other,
    };
    CHAINS.iter().position(|c| c.name == n).map(|i| i as u16)
}

/// Chain id of Bitcoin.
pub const BITCOIN: u16 = 0;
/// Chain id of Ethereum.
pub const ETHEREUM: u16 = 1;

/// Why an address string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Empty string.
    #[error("empty address")]
    Empty,
    /// Not valid for the chain.
    #[error("invalid {chain} address {address:?}: {why}")]
    Invalid {
        /// Chain name.
        chain: String,
        /// The text.
        address: String,
        /// What is wrong.
        why: &'static str,
    },
}

/// Canonical text of an address under the chain's case rules: hex (`0x…`) is lower-cased (EIP-55
/// case is only a checksum), bech32 is lower-cased (mixed case is invalid), Base58 is kept as is
/// because its case carries information.
pub fn normalize_address(chain: u16, addr: &str) -> Result<String, AddressError> {
    let a = addr.trim();
    if a.is_empty() {
        return Err(AddressError::Empty);
    }
    let bad = |why| AddressError::Invalid {
        chain: CHAINS
            .get(chain as usize)
            .map_or("?", |c| c.name)
            .to_string(),
        address: a.to_string(),
        why,
    };
    if let Some(hex) = a.strip_prefix("0x").or_else(|| a.strip_prefix("0X")) {
        if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("hex address must be 0x + 40 hex digits"));
        }
        return Ok(format!("0x{}", hex.to_ascii_lowercase()));
    }
    let lower = a.to_ascii_lowercase();
    if lower.starts_with("bc1")
        || lower.starts_with("tb1")
        || lower.starts_with("ltc1")
        || lower.starts_with("bcrt1")
    {
        if !a.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad("bech32 address with characters outside a-z0-9"));
        }
        if a != lower && a != a.to_ascii_uppercase() {
            return Err(bad("bech32 address in mixed case"));
        }
        return Ok(lower);
    }
    if a.bytes()
        .all(|b| crate::encoding::BASE58_ALPHABET.contains(&b))
    {
        return Ok(a.to_string());
    }
    Err(bad("neither hex, bech32 nor Base58"))
}

/// A token or native asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    /// Chain id.
    pub chain: u16,
    /// Token contract (lower-case hex), `None` for the native asset.
    pub contract: Option<String>,
    /// Symbol as given by the source (may contain look-alike characters).
    pub symbol: String,
    /// Decimals, when known.
    pub decimals: Option<u8>,
    /// True when tracing may follow this asset: native assets and whitelisted contracts only.
    pub whitelisted: bool,
}

/// Canonical token contracts on Ethereum: only these count as the real asset. A token with the
/// same or a look-alike symbol at another contract is an impersonation and is not followed.
pub const ETHEREUM_TOKEN_WHITELIST: &[(&str, &str, u8)] = &[
    ("0xdac17f958d2ee523a2206206994597c13d831ec7", "USDT", 6),
    ("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC", 6),
    ("0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", "WETH", 18),
    ("0x6b175474e89094c44da98b954eedeac495271d0f", "DAI", 18),
    ("0x2260fac5e5542a773aa44fbcfedf7c193bc2c599", "WBTC", 8),
    ("0xae7ab96520de3a18e5e111b5eaab095312d7fe84", "stETH", 18),
    ("0x7f39c581f595b53c5cb19bd0b3f8da6c935e2ca0", "wstETH", 18),
    ("0xd5f7838f5c461feff7fe49ea5ebaf7728bb0adfa", "mETH", 18),
    ("0xe6829d9a7ee3040e1276fa75293bde931859e8fa", "cmETH", 18),
];

/// What kind of movement a transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum TransferKind {
    /// Value of a top-level transaction.
    NativeTx = 0,
    /// Internal value transfer from a trace.
    NativeInternal = 1,
    /// ERC-20 (3 topics + 1 data word).
    Erc20 = 2,
    /// ERC-721 (4 topics, value = token id): kept, never traced as an amount.
    Erc721 = 3,
    /// A row of an explorer export.
    Explorer = 4,
}

impl TransferKind {
    /// From the stored byte.
    pub fn from_u8(b: u8) -> Option<Self> {
        Some(match b {
            0 => Self::NativeTx,
            1 => Self::NativeInternal,
            2 => Self::Erc20,
            3 => Self::Erc721,
            4 => Self::Explorer,
            _ => return None,
        })
    }
}

/// One value movement on an account chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTransfer {
    /// Chain id.
    pub chain: u16,
    /// Transaction hash (32 bytes).
    pub tx: [u8; 32],
    /// Block number.
    pub block: u64,
    /// Block time, Unix seconds.
    pub time: i64,
    /// Position within the block (tx index × 2^20 + log index / trace position): orders transfers.
    pub index: u64,
    /// Kind.
    pub kind: TransferKind,
    /// Sender address id.
    pub from: u32,
    /// Receiver address id.
    pub to: u32,
    /// Asset id.
    pub asset: u32,
    /// Exact amount in base units.
    pub amount: Amount,
}

/// An input of a UTXO transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxIn {
    /// Spent transaction id (internal byte order as displayed, i.e. the usual hex).
    pub prev_txid: [u8; 32],
    /// Spent output index.
    pub prev_vout: u32,
    /// Address of the spent output, when the source gave it or it was resolved.
    pub address: Option<u32>,
    /// Value of the spent output in satoshi, when known.
    pub value: Option<u64>,
}

/// An output of a UTXO transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxOut {
    /// Address id (`None` for OP_RETURN, bare multisig and other non-address scripts).
    pub address: Option<u32>,
    /// Value in satoshi.
    pub value: u64,
}

/// A UTXO transaction with its structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UtxoTx {
    /// Chain id.
    pub chain: u16,
    /// Transaction id as displayed (big-endian hex order).
    pub txid: [u8; 32],
    /// Block height (`u64::MAX` when unknown, e.g. raw blocks without an index).
    pub block: u64,
    /// Block time, Unix seconds.
    pub time: i64,
    /// Position in the block.
    pub index: u32,
    /// Coinbase (no real inputs).
    pub coinbase: bool,
    /// Inputs in order.
    pub inputs: Vec<TxIn>,
    /// Outputs in order.
    pub outputs: Vec<TxOut>,
}

impl UtxoTx {
    /// Sum of known input values.
    pub fn input_value(&self) -> u64 {
        self.inputs.iter().filter_map(|i| i.value).sum()
    }
    /// Sum of output values.
    pub fn output_value(&self) -> u64 {
        self.outputs.iter().map(|o| o.value).sum()
    }
}

/// Interned addresses, assets and all transfers of a store.
#[derive(Debug, Default, Clone)]
pub struct Graph {
    /// Address id → (chain id, canonical text).
    pub addresses: Vec<(u16, String)>,
    /// Per chain id: canonical text → address id (looked up by `&str`, no allocation).
    address_index: Vec<HashMap<String, u32>>,
    /// Asset id → asset.
    pub assets: Vec<Asset>,
    asset_index: HashMap<(u16, Option<String>), u32>,
    /// Account-model transfers.
    pub transfers: Vec<AccountTransfer>,
    /// UTXO transactions.
    pub utxo_txs: Vec<UtxoTx>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Id of an already canonical address, interning it.
    pub fn intern_canonical(&mut self, chain: u16, canonical: &str) -> u32 {
        if self.address_index.len() <= chain as usize {
            self.address_index
                .resize_with(chain as usize + 1, HashMap::new);
        }
        if let Some(&id) = self.address_index[chain as usize].get(canonical) {
            return id;
        }
        let id = self.addresses.len() as u32;
        self.addresses.push((chain, canonical.to_string()));
        self.address_index[chain as usize].insert(canonical.to_string(), id);
        id
    }

    /// Normalises and interns an address.
    pub fn intern_address(&mut self, chain: u16, text: &str) -> Result<u32, AddressError> {
        let c = normalize_address(chain, text)?;
        Ok(self.intern_canonical(chain, &c))
    }

    /// Id of an address if known (text is normalised first).
    pub fn address_id(&self, chain: u16, text: &str) -> Option<u32> {
        let c = normalize_address(chain, text).ok()?;
        self.address_index.get(chain as usize)?.get(&c).copied()
    }

    /// Ids of an address on any chain (the same hex address on several EVM chains).
    pub fn address_ids_any_chain(&self, text: &str) -> Vec<u32> {
        (0..CHAINS.len() as u16)
            .filter_map(|c| self.address_id(c, text))
            .collect()
    }

    /// Text of an address id.
    pub fn address_text(&self, id: u32) -> &str {
        self.addresses
            .get(id as usize)
            .map_or("?", |a| a.1.as_str())
    }

    /// The native asset of a chain.
    pub fn native_asset(&mut self, chain: u16) -> u32 {
        let info = CHAINS.get(chain as usize).copied().unwrap_or(CHAINS[0]);
        self.asset(chain, None, info.native_symbol, Some(info.decimals))
    }

    /// Interns an asset. Contracts are whitelisted only if listed in [`ETHEREUM_TOKEN_WHITELIST`]
    /// (for Ethereum) or later via [`Graph::whitelist_contract`].
    pub fn asset(
        &mut self,
        chain: u16,
        contract: Option<&str>,
        symbol: &str,
        decimals: Option<u8>,
    ) -> u32 {
        let key = (chain, contract.map(|c| c.to_ascii_lowercase()));
        if let Some(&id) = self.asset_index.get(&key) {
            let a = &mut self.assets[id as usize];
            if a.symbol.is_empty() && !symbol.is_empty() {
                a.symbol = symbol.to_string();
            }
            if a.decimals.is_none() {
                a.decimals = decimals;
            }
            return id;
        }
        let listed = key.1.as_deref().and_then(|c| {
            if chain == ETHEREUM {
                ETHEREUM_TOKEN_WHITELIST.iter().find(|w| w.0 == c)
            } else {
                None
            }
        });
        let asset = Asset {
            chain,
            contract: key.1.clone(),
            symbol: listed.map_or(symbol.to_string(), |w| {
                if symbol.is_empty() {
                    w.1.to_string()
                } else {
                    symbol.to_string()
                }
            }),
            decimals: decimals.or(listed.map(|w| w.2)),
            whitelisted: key.1.is_none() || listed.is_some(),
        };
        let id = self.assets.len() as u32;
        self.assets.push(asset);
        self.asset_index.insert(key, id);
        id
    }

    /// Marks a token contract as the real asset (user whitelist).
    pub fn whitelist_contract(&mut self, chain: u16, contract: &str) {
        let id = self.asset(chain, Some(contract), "", None);
        self.assets[id as usize].whitelisted = true;
    }

    /// Rebuilds the lookup maps after deserialisation.
    pub fn rebuild_indexes(&mut self) {
        self.address_index = Vec::new();
        for (i, (chain, text)) in self.addresses.iter().enumerate() {
            if self.address_index.len() <= *chain as usize {
                self.address_index
                    .resize_with(*chain as usize + 1, HashMap::new);
            }
            self.address_index[*chain as usize].insert(text.clone(), i as u32);
        }
        self.asset_index = self
            .assets
            .iter()
            .enumerate()
            .map(|(i, a)| ((a.chain, a.contract.clone()), i as u32))
            .collect();
    }

    /// Fills input address and value of UTXO inputs from the outputs they spend, where the source
    /// did not give them (getblock verbosity 2, raw blocks). Returns the number left unresolved.
    pub fn resolve_prevouts(&mut self) -> usize {
        let mut outs: HashMap<([u8; 32], u32), (Option<u32>, u64)> = HashMap::new();
        for tx in &self.utxo_txs {
            for (i, o) in tx.outputs.iter().enumerate() {
                outs.insert((tx.txid, i as u32), (o.address, o.value));
            }
        }
        let mut unresolved = 0;
        for tx in &mut self.utxo_txs {
            if tx.coinbase {
                continue;
            }
            for inp in &mut tx.inputs {
                if inp.value.is_some() {
                    continue;
                }
                match outs.get(&(inp.prev_txid, inp.prev_vout)) {
                    Some(&(addr, value)) => {
                        inp.address = addr;
                        inp.value = Some(value);
                    }
                    None => unresolved += 1,
                }
            }
        }
        unresolved
    }

    /// Sorts transfers and UTXO txs into chain order (block, index), the order tracing needs.
    pub fn sort(&mut self) {
        self.transfers.sort_by_key(|t| (t.block, t.index));
        self.utxo_txs.sort_by_key(|t| (t.block, t.index));
    }

    /// Removes exact duplicates (the same file loaded twice, overlapping exports) and sorts.
    /// Returns (duplicate transfers, duplicate UTXO txs) removed.
    pub fn dedup(&mut self) -> (usize, usize) {
        let (n_t, n_u) = (self.transfers.len(), self.utxo_txs.len());
        self.transfers.sort_by(|a, b| {
            (
                a.block,
                a.index,
                a.tx,
                a.kind as u8,
                a.from,
                a.to,
                a.asset,
                a.amount,
            )
                .cmp(&(
                    b.block,
                    b.index,
                    b.tx,
                    b.kind as u8,
                    b.from,
                    b.to,
                    b.asset,
                    b.amount,
                ))
        });
        self.transfers.dedup();
        self.utxo_txs.sort_by_key(|t| (t.block, t.index, t.txid));
        self.utxo_txs
            .dedup_by(|a, b| a.txid == b.txid && a.chain == b.chain);
        (n_t - self.transfers.len(), n_u - self.utxo_txs.len())
    }
}

/// Parses a 32-byte hash from hex (with or without `0x`).
pub fn parse_hash(s: &str) -> Option<[u8; 32]> {
    let h = s.trim().trim_start_matches("0x");
    if h.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(h.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Hex text of a 32-byte hash.
pub fn hash_hex(h: &[u8; 32]) -> String {
    crate::encoding::hex(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_rules_per_chain() {
        assert_eq!(
            normalize_address(ETHEREUM, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96").unwrap(),
            "0x098b716b8aaf21512996dc57eb0615e2383e2f96"
        );
        assert_eq!(
            normalize_address(BITCOIN, "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ").unwrap(),
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
        );
        assert!(normalize_address(BITCOIN, "bc1QAR0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").is_err());
        let b58 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
        assert_eq!(normalize_address(BITCOIN, b58).unwrap(), b58);
        assert_ne!(
            normalize_address(BITCOIN, &b58.to_lowercase())
                .ok()
                .as_deref(),
            Some(b58)
        );
        assert!(normalize_address(ETHEREUM, "0x123").is_err());
        assert!(normalize_address(BITCOIN, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0").is_err());
        // '0' not Base58
    }

    #[test]
    fn dedup_removes_reloads_but_keeps_distinct_transfers() {
        let mut g = Graph::new();
        let a = g
            .intern_address(ETHEREUM, "0x1111111111111111111111111111111111111111")
            .unwrap();
        let b = g
            .intern_address(ETHEREUM, "0x2222222222222222222222222222222222222222")
            .unwrap();
        let eth = g.native_asset(ETHEREUM);
        let t = |index| AccountTransfer {
            chain: ETHEREUM,
            tx: [1; 32],
            block: 7,
            time: 0,
            index,
            kind: TransferKind::Explorer,
            from: a,
            to: b,
            asset: eth,
            amount: Amount::from_u64(5),
        };
        g.transfers = vec![t(2), t(3), t(2), t(3)];
        assert_eq!(g.dedup(), (2, 0));
        assert_eq!(g.transfers.len(), 2);
    }

    #[test]
    fn only_whitelisted_contracts_are_followed() {
        let mut g = Graph::new();
        let usdt = g.asset(
            ETHEREUM,
            Some("0xDAC17F958D2EE523A2206206994597C13D831EC7"),
            "",
            None,
        );
        let fake = g.asset(
            ETHEREUM,
            Some("0xee33058e0000000000000000000000000000c562"),
            "stEТH",
            Some(18),
        );
        assert!(g.assets[usdt as usize].whitelisted);
        assert_eq!(g.assets[usdt as usize].symbol, "USDT");
        assert!(!g.assets[fake as usize].whitelisted);
        let eth = g.native_asset(ETHEREUM);
        assert!(g.assets[eth as usize].whitelisted);
    }
}
