//! Every parser on the full real files in `../shared/data/sanctions` (skipped when absent), with
//! entry counts asserted against the counts measured on those files.

use lists::{load_path, Format, IdKind, Schema};
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/sanctions");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "skipping: {} not found (real sanctions lists are not part of the repository)",
            p.display()
        );
        None
    }
}

#[test]
fn un_consolidated_full() {
    let Some(s) = shared() else { return };
    let list = load_path(s.join("un/UN_consolidated_2026-02-27.xml")).expect("UN list parses");
    assert_eq!(list.format, Format::UnXml);
    assert_eq!(list.summary.records, 1003);
    assert_eq!(list.entities.len(), 1003);
    assert_eq!(
        list.entities
            .iter()
            .filter(|e| e.schema == Schema::Person)
            .count(),
        730
    );
    let dprk: Vec<_> = list
        .entities
        .iter()
        .filter(|e| e.programs.iter().any(|p| p == "DPRK"))
        .collect();
    assert_eq!(dprk.len(), 155);
    assert_eq!(
        dprk.iter()
            .filter(|e| e.list_ref.as_deref().is_some_and(|r| r.starts_with("KPi.")))
            .count(),
        80
    );
    // IMO company numbers of DPRK shipping companies sit in the comments.
    assert!(
        dprk.iter()
            .filter(|e| e.identifiers_of(&IdKind::Imo).next().is_some())
            .count()
            >= 8
    );
}

#[test]
fn ofac_sdn_advanced_full() {
    let Some(s) = shared() else { return };
    let path = s.join("ofac/sdn-advanced-xml-2025-11-19/sdn_advanced.xml.bz2");
    let list = load_path(&path).expect("OFAC Advanced XML parses");
    assert_eq!(list.format, Format::OfacAdvancedXml);
    assert_eq!(list.list_date.as_deref(), Some("2025-11-19"));
    assert_eq!(list.bytes, 120_977_559);
    assert_eq!(list.entities.len(), 18_367);
    assert_eq!(list.summary.skipped_total(), 0);
    let vessels = list
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Vessel)
        .count();
    assert_eq!(vessels, 1_370);
    assert_eq!(
        list.entities
            .iter()
            .filter(|e| e.schema == Schema::Aircraft)
            .count(),
        335
    );
    let dprk = list
        .entities
        .iter()
        .filter(|e| e.programs.iter().any(|p| p.starts_with("DPRK")))
        .count();
    assert_eq!(dprk, 538);
    let crypto: usize = list
        .entities
        .iter()
        .map(|e| e.crypto_addresses().count())
        .sum();
    assert!((740..=770).contains(&crypto), "crypto addresses: {crypto}");
    let mmsi: usize = list
        .entities
        .iter()
        .map(|e| e.identifiers_of(&IdKind::Mmsi).count())
        .sum();
    assert!((600..=650).contains(&mmsi), "MMSI: {mmsi}");
    // Hangul names: family name first, no space.
    assert!(list
        .entities
        .iter()
        .any(|e| e.names.iter().any(|n| n.full == "정성화")));
}

#[test]
fn ofac_legacy_csv_full() {
    let Some(s) = shared() else { return };
    let list = load_path(s.join("ofac/legacy-csv-2021-07/sdn.csv")).expect("sdn.csv parses");
    assert_eq!(list.entities.len(), 8_976);
    let dprk: Vec<_> = list
        .entities
        .iter()
        .filter(|e| e.programs.iter().any(|p| p.starts_with("DPRK")))
        .collect();
    assert_eq!(dprk.len(), 414);
    assert_eq!(
        dprk.iter().filter(|e| e.schema == Schema::Vessel).count(),
        106
    );
    let with_imo = list
        .entities
        .iter()
        .filter(|e| e.identifiers_of(&IdKind::Imo).next().is_some())
        .count();
    assert!(
        (470..=490).contains(&with_imo),
        "rows with an IMO: {with_imo}"
    );
    let with_crypto = list
        .entities
        .iter()
        .filter(|e| e.crypto_addresses().next().is_some())
        .count();
    assert_eq!(with_crypto, 15);
    let aliases: usize = list.entities.iter().map(|e| e.names.len() - 1).sum();
    assert!(
        aliases >= 11_910,
        "every alt.csv alias is attached: {aliases}"
    );
}

#[test]
fn other_real_files() {
    let Some(s) = shared() else { return };
    let eu = load_path(s.join("eu/opensanctions_eu_journal_32017R1509_DPRK.csv"))
        .expect("EU journal CSV");
    assert_eq!(eu.entities.len(), 326);
    assert_eq!(eu.summary.duplicate_ids, 0);
    let eu_vessels: Vec<_> = eu
        .entities
        .iter()
        .filter(|e| e.schema == Schema::Vessel)
        .collect();
    assert_eq!(eu_vessels.len(), 75);
    assert!(eu_vessels
        .iter()
        .all(|v| v.identifiers_of(&IdKind::Imo).next().is_some()));

    let uk = load_path(s.join("uk/ofsi_ConList_partial_2020.csv")).expect("UK ConList fragment");
    assert_eq!(uk.summary.records, 77);
    assert_eq!(
        uk.summary.records,
        uk.summary.parsed + uk.summary.merged + uk.summary.skipped_total()
    );
    assert!(uk
        .entities
        .iter()
        .any(|e| e.identifiers_of(&IdKind::Imo).any(|i| i == "8937675")));

    let ftm =
        load_path(s.join("opensanctions-ftm/yente_t1_entities.ftm.json")).expect("FtM sample");
    assert_eq!(ftm.summary.records, 7);
    assert_eq!(
        ftm.summary.records,
        ftm.summary.parsed + ftm.summary.skipped_total()
    );

    let xbt = load_path(s.join("crypto/brave-intl-lists-2025-12-04/sanctioned_addresses_XBT.txt"))
        .expect("XBT list");
    assert_eq!(xbt.entities.len(), 517);
}
