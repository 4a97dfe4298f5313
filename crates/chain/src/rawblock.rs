//! Raw Bitcoin blocks: `blk*.dat` files (magic + length framing, optionally XOR-obfuscated with
//! `xor.dat`) and single serialized blocks.
//!
//! Transactions are parsed including SegWit; the txid is the double SHA-256 of the serialization
//! without marker, flag and witnesses. Heights come from the chain of previous-block hashes
//! (genesis = 0), else from the BIP-34 height in the coinbase, else stay unknown.

use crate::encoding::{script_address, sha256d};
use crate::load::{FileReport, Format, LoadError};
use crate::model::{Graph, TxIn, TxOut, UtxoTx};
use std::collections::HashMap;

/// Mainnet magic bytes.
pub const MAINNET_MAGIC: [u8; 4] = [0xf9, 0xbe, 0xb4, 0xd9];
const GENESIS: &str = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| format!("truncated at byte {} (wanted {n} more)", self.pos))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64, String> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
    fn varint(&mut self) -> Result<u64, String> {
        Ok(match self.u8()? {
            0xfd => {
                let s = self.take(2)?;
                u16::from_le_bytes([s[0], s[1]]) as u64
            }
            0xfe => self.u32()? as u64,
            0xff => self.u64()?,
            n => n as u64,
        })
    }
    fn count(&mut self, what: &str) -> Result<usize, String> {
        let n = self.varint()?;
        // A count can never exceed the remaining bytes: guards allocations against garbage.
        if n as usize > self.b.len() - self.pos {
            return Err(format!(
                "{what} count {n} exceeds remaining {} bytes",
                self.b.len() - self.pos
            ));
        }
        Ok(n as usize)
    }
}

/// A parsed transaction before address interning.
pub struct RawTx {
    /// Display-order txid.
    pub txid: [u8; 32],
    /// (prev txid display order, vout); empty for coinbase.
    pub inputs: Vec<([u8; 32], u32)>,
    /// Coinbase scriptSig (for BIP-34 heights).
    pub coinbase_script: Option<Vec<u8>>,
    /// (value, script).
    pub outputs: Vec<(u64, Vec<u8>)>,
}

fn reversed(h: &[u8]) -> [u8; 32] {
    let mut o = [0u8; 32];
    for (i, b) in h.iter().rev().enumerate().take(32) {
        o[i] = *b;
    }
    o
}

fn parse_tx(c: &mut Cursor) -> Result<RawTx, String> {
    let start = c.pos;
    let _version = c.u32()?;
    let mut segwit = false;
    if c.b.get(c.pos) == Some(&0) && c.b.get(c.pos + 1) == Some(&1) {
        segwit = true;
        c.pos += 2;
    }
    let ins_start = c.pos;
    let n_in = c.count("input")?;
    let mut inputs = Vec::with_capacity(n_in);
    let mut coinbase_script = None;
    for _ in 0..n_in {
        let prev = c.take(32)?;
        let vout = c.u32()?;
        let len = c.count("script")?;
        let script = c.take(len)?;
        c.u32()?;
        if prev.iter().all(|&b| b == 0) && vout == u32::MAX {
            coinbase_script = Some(script.to_vec());
        } else {
            inputs.push((reversed(prev), vout));
        }
    }
    let n_out = c.count("output")?;
    let mut outputs = Vec::with_capacity(n_out);
    for _ in 0..n_out {
        let value = c.u64()?;
        let len = c.count("script")?;
        outputs.push((value, c.take(len)?.to_vec()));
    }
    let ins_end = c.pos;
    if segwit {
        for _ in 0..n_in {
            let items = c.count("witness item")?;
            for _ in 0..items {
                let len = c.count("witness")?;
                c.take(len)?;
            }
        }
    }
    let lock = c.take(4)?;
    let txid = if segwit {
        let mut ser = Vec::with_capacity(ins_end - ins_start + 8);
        ser.extend_from_slice(&c.b[start..start + 4]);
        ser.extend_from_slice(&c.b[ins_start..ins_end]);
        ser.extend_from_slice(lock);
        sha256d(&ser)
    } else {
        sha256d(&c.b[start..c.pos])
    };
    Ok(RawTx {
        txid: reversed(&txid),
        inputs,
        coinbase_script,
        outputs,
    })
}

/// A parsed block.
pub struct RawBlock {
    /// Display-order block hash.
    pub hash: [u8; 32],
    /// Previous block hash.
    pub prev: [u8; 32],
    /// Header time.
    pub time: u32,
    /// Transactions.
    pub txs: Vec<RawTx>,
}

/// Parses one serialized block.
pub fn parse_block(b: &[u8]) -> Result<RawBlock, String> {
    let mut c = Cursor { b, pos: 0 };
    let header = c.take(80)?;
    let hash = reversed(&sha256d(header));
    let prev = reversed(&header[4..36]);
    let time = u32::from_le_bytes([header[68], header[69], header[70], header[71]]);
    let n = c.count("transaction")?;
    let mut txs = Vec::with_capacity(n);
    for i in 0..n {
        txs.push(parse_tx(&mut c).map_err(|e| format!("tx {i}: {e}"))?);
    }
    if c.pos != b.len() {
        return Err(format!(
            "{} trailing bytes after {n} transactions",
            b.len() - c.pos
        ));
    }
    // The merkle root over our txids must equal the header's: proves every txid (and so the
    // non-witness serialisation, SegWit included) is right.
    let root = merkle_root(txs.iter().map(|t| reversed(&t.txid)).collect());
    if root[..] != header[36..68] {
        return Err("merkle root of the parsed txids does not match the header".into());
    }
    Ok(RawBlock {
        hash,
        prev,
        time,
        txs,
    })
}

/// Merkle root of txids in internal byte order (Bitcoin's rule: duplicate the last of an odd level).
pub fn merkle_root(mut level: Vec<[u8; 32]>) -> [u8; 32] {
    if level.is_empty() {
        return [0; 32];
    }
    while level.len() > 1 {
        if level.len() % 2 == 1 {
            if let Some(&last) = level.last() {
                level.push(last);
            }
        }
        level = level
            .chunks(2)
            .map(|p| {
                let mut buf = [0u8; 64];
                buf[..32].copy_from_slice(&p[0]);
                buf[32..].copy_from_slice(&p[1]);
                sha256d(&buf)
            })
            .collect();
    }
    level[0]
}

fn bip34_height(script: &[u8]) -> Option<u64> {
    let n = *script.first()? as usize;
    if !(1..=8).contains(&n) || script.len() < n + 1 {
        return None;
    }
    let mut h = 0u64;
    for (i, b) in script[1..=n].iter().enumerate() {
        h |= (*b as u64) << (8 * i);
    }
    Some(h)
}

/// Loads blocks from a `blk*.dat` buffer (or one raw block), de-obfuscating with `xor_key`.
pub fn load_raw_blocks(
    g: &mut Graph,
    file: &str,
    data: &[u8],
    xor_key: Option<&[u8]>,
    chain: u16,
) -> Result<FileReport, LoadError> {
    let owned;
    let data = match xor_key {
        Some(k) if !k.is_empty() => {
            owned = data
                .iter()
                .enumerate()
                .map(|(i, b)| b ^ k[i % k.len()])
                .collect::<Vec<u8>>();
            &owned[..]
        }
        _ => data,
    };
    let mut rep = FileReport::new(file, Format::RawBlocks);
    let mut blocks: Vec<(usize, &[u8])> = Vec::new();
    if data.len() >= 8 && data[..4] == MAINNET_MAGIC {
        let mut pos = 0;
        while pos < data.len() {
            // Bitcoin Core pre-allocates files with zeros: trailing zeros end the file.
            if data[pos..].iter().all(|&b| b == 0) {
                break;
            }
            if data.len() - pos < 8 || data[pos..pos + 4] != MAINNET_MAGIC {
                return Err(LoadError::Malformed {
                    file: file.into(),
                    record: pos as u64,
                    why: "expected block magic f9beb4d9".into(),
                });
            }
            let len =
                u32::from_le_bytes([data[pos + 4], data[pos + 5], data[pos + 6], data[pos + 7]])
                    as usize;
            let end = pos + 8 + len;
            if end > data.len() {
                return Err(LoadError::Malformed {
                    file: file.into(),
                    record: pos as u64,
                    why: format!("block length {len} runs past end of file"),
                });
            }
            blocks.push((pos, &data[pos + 8..end]));
            pos = end;
        }
    } else {
        blocks.push((0, data));
    }
    let genesis = crate::model::parse_hash(GENESIS).unwrap_or([0; 32]);
    let mut heights: HashMap<[u8; 32], u64> = HashMap::new();
    for (offset, raw) in blocks {
        rep.records += 1;
        let block = match parse_block(raw) {
            Ok(b) => b,
            Err(e) => {
                rep.reject(offset as u64, "malformed block", &e);
                continue;
            }
        };
        let height = if block.hash == genesis {
            Some(0)
        } else if let Some(h) = heights.get(&block.prev) {
            Some(h + 1)
        } else {
            block
                .txs
                .first()
                .and_then(|t| t.coinbase_script.as_deref())
                .and_then(bip34_height)
        };
        if let Some(h) = height {
            heights.insert(block.hash, h);
        } else {
            *rep.notes
                .entry("block height unknown (kept, ordered last)".into())
                .or_default() += 1;
        }
        for (i, t) in block.txs.into_iter().enumerate() {
            let mut outputs = Vec::with_capacity(t.outputs.len());
            for (value, script) in &t.outputs {
                let address = script_address(script)
                    .1
                    .map(|a| g.intern_canonical(chain, &a));
                outputs.push(TxOut {
                    address,
                    value: *value,
                });
            }
            g.utxo_txs.push(UtxoTx {
                chain,
                txid: t.txid,
                block: height.unwrap_or(u64::MAX),
                time: block.time as i64,
                index: i as u32,
                coinbase: t.coinbase_script.is_some(),
                inputs: t
                    .inputs
                    .iter()
                    .map(|(p, v)| TxIn {
                        prev_txid: *p,
                        prev_vout: *v,
                        address: None,
                        value: None,
                    })
                    .collect(),
                outputs,
            });
        }
        rep.accepted += 1;
    }
    Ok(rep)
}
