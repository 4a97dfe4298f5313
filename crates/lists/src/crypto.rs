//! OFAC-derived crypto address lists: `sanctioned_addresses_<ASSET>.txt` (one address a line) or
//! `.json` (an array of strings). The asset comes from the file name; each address becomes a
//! [`Schema::CryptoWallet`] entity with id `ofac-crypto:<ASSET>:<address>`.

use crate::error::{ListError, Position};
use crate::model::{Entity, IdKind, NameStrength, Schema};
use crate::{Format, ParseOutput};
use std::io::BufRead;
use std::path::Path;

const FORMAT: &str = "crypto address list";

/// Parses an address list; the currency is the file name's `_<ASSET>` suffix.
pub(crate) fn parse<R: BufRead>(mut input: R, path: &Path) -> Result<ParseOutput, ListError> {
    let mut out = ParseOutput::new(Format::CryptoAddressList);
    let stem = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = stem.split('.').next().unwrap_or("");
    let currency = stem.rsplit('_').next().unwrap_or("").to_uppercase();
    if currency.is_empty() || !currency.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ListError::malformed(
            path,
            FORMAT,
            Position::File,
            "cannot tell the currency from the file name (expected sanctioned_addresses_<ASSET>.txt)",
        ));
    }
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| ListError::malformed(path, FORMAT, Position::File, e.to_string()))?;
    let addresses: Vec<(u64, String)> = if text.trim_start().starts_with('[') {
        let v: Vec<String> = serde_json::from_str(&text).map_err(|e| {
            ListError::malformed(path, FORMAT, Position::Line(e.line() as u64), e.to_string())
        })?;
        v.into_iter().map(|a| (0, a)).collect()
    } else {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i as u64 + 1, l.trim().to_string()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
            .collect()
    };
    for (line, addr) in addresses {
        out.summary.records += 1;
        if addr.is_empty()
            || !addr
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b':' || b == b'_')
        {
            if line > 0 {
                return Err(ListError::malformed(
                    path,
                    FORMAT,
                    Position::Line(line),
                    format!(
                        "not an address: {:?}",
                        addr.chars().take(60).collect::<String>()
                    ),
                ));
            }
            out.summary.skip("not an address");
            continue;
        }
        let mut e = Entity::new(
            format!("ofac-crypto:{currency}:{addr}"),
            "ofac-crypto",
            Schema::CryptoWallet,
        );
        e.add_name(&addr, NameStrength::Strong);
        e.add_identifier(IdKind::CryptoAddress(currency.clone()), &addr, None);
        Entity::push_unique(&mut e.programs, "OFAC SDN");
        out.push(e);
    }
    Ok(out)
}
