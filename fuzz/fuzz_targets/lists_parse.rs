//! Arbitrary bytes through every sanctions-list parser and the format sniffer: they must return
//! entities or an error, never panic. The first byte picks the format.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lists::Format;
use std::io::Cursor;
use std::path::Path;

const FORMATS: [(Format, &str); 9] = [
    (Format::UnXml, "/nonexistent/un.xml"),
    (Format::OfacAdvancedXml, "/nonexistent/sdn_advanced.xml"),
    (Format::OfacSdnXml, "/nonexistent/sdn.xml"),
    // A directory that does not exist, so no companion add/alt/comments files are picked up.
    (Format::OfacLegacyCsv, "/nonexistent/sdn.csv"),
    (Format::EuFsfXml, "/nonexistent/eu.xml"),
    (Format::EuJournalCsv, "/nonexistent/eu.csv"),
    (Format::UkConListCsv, "/nonexistent/ConList.csv"),
    (Format::FtmJson, "/nonexistent/entities.ftm.json"),
    (
        Format::CryptoAddressList,
        "/nonexistent/sanctioned_addresses_ETH.txt",
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (format, name) = FORMATS[pick as usize % FORMATS.len()];
    let path = Path::new(name);
    let _ = lists::detect(rest, path);
    if let Ok(list) = lists::parse_reader(Cursor::new(rest), path, format) {
        let s = &list.summary;
        assert_eq!(s.parsed, list.entities.len());
        assert!(s.records >= s.parsed, "more entities than records");
    }
});
