//! On-disk store of a loaded graph: `DIR/chain/graph.bin` (compact little-endian binary, documented
//! in docs/schemas.md section "chain") plus `DIR/chain/load_summary.json` (the per-file accounting
//! of every load). Loading more files reads the existing graph, appends, and rewrites it.

use crate::amount::Amount;
use crate::model::{AccountTransfer, Asset, Graph, TransferKind, TxIn, TxOut, UtxoTx};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"EMBCHN01";

/// A store that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// I/O.
    #[error("{file}: {source}")]
    Io {
        /// Path.
        file: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Not a chain store or corrupt.
    #[error("{file}: {why}")]
    Corrupt {
        /// Path.
        file: String,
        /// What.
        why: String,
    },
}

/// Path of the graph file in a store directory.
pub fn graph_path(dir: &Path) -> PathBuf {
    dir.join("chain").join("graph.bin")
}

fn w_u16(w: &mut impl Write, v: u16) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn w_u32(w: &mut impl Write, v: u32) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
fn w_u64(w: &mut impl Write, v: u64) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

/// Writes the graph to `DIR/chain/graph.bin` (atomically: a temp file renamed over the old one).
pub fn save(dir: &Path, g: &Graph) -> Result<(), StoreError> {
    let path = graph_path(dir);
    let file = path.display().to_string();
    let io = |source| StoreError::Io {
        file: file.clone(),
        source,
    };
    std::fs::create_dir_all(path.parent().unwrap_or(dir)).map_err(io)?;
    let tmp = path.with_extension("bin.tmp");
    let f = std::fs::File::create(&tmp).map_err(io)?;
    let mut w = BufWriter::with_capacity(1 << 20, f);
    (|| -> std::io::Result<()> {
        w.write_all(MAGIC)?;
        w_u64(&mut w, g.addresses.len() as u64)?;
        for (c, a) in &g.addresses {
            w_u16(&mut w, *c)?;
            w_u16(&mut w, a.len() as u16)?;
            w.write_all(a.as_bytes())?;
        }
        let assets = serde_json::to_vec(&g.assets).map_err(std::io::Error::other)?;
        w_u64(&mut w, assets.len() as u64)?;
        w.write_all(&assets)?;
        w_u64(&mut w, g.transfers.len() as u64)?;
        for t in &g.transfers {
            w_u16(&mut w, t.chain)?;
            w.write_all(&[t.kind as u8])?;
            w.write_all(&t.tx)?;
            w_u64(&mut w, t.block)?;
            w_u64(&mut w, t.time as u64)?;
            w_u64(&mut w, t.index)?;
            w_u32(&mut w, t.from)?;
            w_u32(&mut w, t.to)?;
            w_u32(&mut w, t.asset)?;
            w.write_all(&t.amount.to_be_bytes())?;
        }
        w_u64(&mut w, g.utxo_txs.len() as u64)?;
        for t in &g.utxo_txs {
            w_u16(&mut w, t.chain)?;
            w.write_all(&t.txid)?;
            w_u64(&mut w, t.block)?;
            w_u64(&mut w, t.time as u64)?;
            w_u32(&mut w, t.index)?;
            w.write_all(&[t.coinbase as u8])?;
            w_u32(&mut w, t.inputs.len() as u32)?;
            w_u32(&mut w, t.outputs.len() as u32)?;
            for i in &t.inputs {
                w.write_all(&i.prev_txid)?;
                w_u32(&mut w, i.prev_vout)?;
                w_u32(&mut w, i.address.unwrap_or(u32::MAX))?;
                w_u64(&mut w, i.value.unwrap_or(u64::MAX))?;
            }
            for o in &t.outputs {
                w_u32(&mut w, o.address.unwrap_or(u32::MAX))?;
                w_u64(&mut w, o.value)?;
            }
        }
        w.flush()
    })()
    .map_err(io)?;
    drop(w);
    std::fs::rename(&tmp, &path).map_err(io)
}

struct R<T: Read> {
    r: T,
}

impl<T: Read> R<T> {
    fn bytes<const N: usize>(&mut self) -> std::io::Result<[u8; N]> {
        let mut b = [0u8; N];
        self.r.read_exact(&mut b)?;
        Ok(b)
    }
    fn u16(&mut self) -> std::io::Result<u16> {
        Ok(u16::from_le_bytes(self.bytes()?))
    }
    fn u32(&mut self) -> std::io::Result<u32> {
        Ok(u32::from_le_bytes(self.bytes()?))
    }
    fn u64(&mut self) -> std::io::Result<u64> {
        Ok(u64::from_le_bytes(self.bytes()?))
    }
}

/// Reads `DIR/chain/graph.bin`; `Ok(None)` when the store has no graph yet.
pub fn load(dir: &Path) -> Result<Option<Graph>, StoreError> {
    let path = graph_path(dir);
    let file = path.display().to_string();
    let f = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(StoreError::Io { file, source }),
    };
    let corrupt = |why: String| StoreError::Corrupt {
        file: file.clone(),
        why,
    };
    let mut r = R {
        r: BufReader::with_capacity(1 << 20, f),
    };
    let res = (|| -> std::io::Result<Result<Graph, String>> {
        if &r.bytes::<8>()? != MAGIC {
            return Ok(Err("not a chain graph (bad magic)".into()));
        }
        let mut g = Graph::new();
        let n = r.u64()?;
        g.addresses.reserve(n as usize);
        for _ in 0..n {
            let c = r.u16()?;
            let len = r.u16()? as usize;
            let mut b = vec![0u8; len];
            r.r.read_exact(&mut b)?;
            match String::from_utf8(b) {
                Ok(s) => g.addresses.push((c, s)),
                Err(_) => return Ok(Err("address is not UTF-8".into())),
            }
        }
        let len = r.u64()? as usize;
        let mut b = vec![0u8; len];
        r.r.read_exact(&mut b)?;
        g.assets = match serde_json::from_slice::<Vec<Asset>>(&b) {
            Ok(a) => a,
            Err(e) => return Ok(Err(format!("asset table: {e}"))),
        };
        let n = r.u64()?;
        g.transfers.reserve(n as usize);
        for k in 0..n {
            let chain = r.u16()?;
            let kind = r.bytes::<1>()?[0];
            let Some(kind) = TransferKind::from_u8(kind) else {
                return Ok(Err(format!("transfer {k}: bad kind {kind}")));
            };
            let tx = r.bytes::<32>()?;
            let block = r.u64()?;
            let time = r.u64()? as i64;
            let index = r.u64()?;
            let from = r.u32()?;
            let to = r.u32()?;
            let asset = r.u32()?;
            let amount = Amount::from_be_slice(&r.bytes::<32>()?).unwrap_or(Amount::ZERO);
            if from as usize >= g.addresses.len()
                || to as usize >= g.addresses.len()
                || asset as usize >= g.assets.len()
            {
                return Ok(Err(format!("transfer {k}: id out of range")));
            }
            g.transfers.push(AccountTransfer {
                chain,
                tx,
                block,
                time,
                index,
                kind,
                from,
                to,
                asset,
                amount,
            });
        }
        let n = r.u64()?;
        for k in 0..n {
            let chain = r.u16()?;
            let txid = r.bytes::<32>()?;
            let block = r.u64()?;
            let time = r.u64()? as i64;
            let index = r.u32()?;
            let coinbase = r.bytes::<1>()?[0] != 0;
            let ni = r.u32()?;
            let no = r.u32()?;
            if ni > 1 << 24 || no > 1 << 24 {
                return Ok(Err(format!("utxo tx {k}: implausible input/output count")));
            }
            let opt = |v: u32| (v != u32::MAX).then_some(v);
            let mut inputs = Vec::with_capacity(ni as usize);
            for _ in 0..ni {
                let prev_txid = r.bytes::<32>()?;
                let prev_vout = r.u32()?;
                let address = opt(r.u32()?);
                let v = r.u64()?;
                inputs.push(TxIn {
                    prev_txid,
                    prev_vout,
                    address,
                    value: (v != u64::MAX).then_some(v),
                });
            }
            let mut outputs = Vec::with_capacity(no as usize);
            for _ in 0..no {
                let address = opt(r.u32()?);
                outputs.push(TxOut {
                    address,
                    value: r.u64()?,
                });
            }
            g.utxo_txs.push(UtxoTx {
                chain,
                txid,
                block,
                time,
                index,
                coinbase,
                inputs,
                outputs,
            });
        }
        Ok(Ok(g))
    })();
    match res {
        Ok(Ok(mut g)) => {
            g.rebuild_indexes();
            Ok(Some(g))
        }
        Ok(Err(why)) => Err(corrupt(why)),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(corrupt("truncated".into())),
        Err(source) => Err(StoreError::Io { file, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut g = Graph::new();
        let a = g
            .intern_address(1, "0x098b716b8aaf21512996dc57eb0615e2383e2f96")
            .unwrap();
        let b = g
            .intern_address(0, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
            .unwrap();
        let eth = g.native_asset(1);
        g.transfers.push(AccountTransfer {
            chain: 1,
            tx: [7; 32],
            block: 5,
            time: 99,
            index: 3,
            kind: TransferKind::NativeTx,
            from: a,
            to: a,
            asset: eth,
            amount: Amount::MAX,
        });
        g.utxo_txs.push(UtxoTx {
            chain: 0,
            txid: [1; 32],
            block: 1,
            time: 2,
            index: 0,
            coinbase: false,
            inputs: vec![TxIn {
                prev_txid: [2; 32],
                prev_vout: 1,
                address: None,
                value: Some(5),
            }],
            outputs: vec![TxOut {
                address: Some(b),
                value: 4,
            }],
        });
        let dir = std::env::temp_dir().join(format!("chain-store-{}", std::process::id()));
        save(&dir, &g).unwrap();
        let back = load(&dir).unwrap().unwrap();
        assert_eq!(back.transfers, g.transfers);
        assert_eq!(back.utxo_txs, g.utxo_txs);
        assert_eq!(
            back.address_id(0, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            Some(b)
        );
        std::fs::write(graph_path(&dir), b"EMBCHN01\x05").unwrap();
        assert!(matches!(load(&dir), Err(StoreError::Corrupt { .. })));
        std::fs::remove_dir_all(&dir).ok();
    }
}
