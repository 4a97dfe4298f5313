//! UN and OFAC Advanced XML parsers on committed excerpts of the real files.

use lists::{load_path, Entity, IdKind, NameStrength, Schema};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn get<'a>(entities: &'a [Entity], id: &str) -> &'a Entity {
    entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not parsed"))
}

#[test]
fn un_dprk_fixture_fields() {
    let list = load_path(fixture("un_dprk.xml")).expect("fixture parses");
    assert_eq!(list.format, lists::Format::UnXml);
    assert_eq!(list.list_date.as_deref(), Some("2026-02-27"));
    assert_eq!(list.entities.len(), 6);
    assert_eq!(list.summary.records, 6);
    assert_eq!(list.summary.skipped_total(), 0);

    let ri = get(&list.entities, "un:KPi.033");
    assert_eq!(ri.schema, Schema::Person);
    assert_eq!(ri.primary_name(), Some("RI WON HO"));
    assert_eq!(ri.list_ref.as_deref(), Some("KPi.033"));
    assert_eq!(ri.birth_dates, vec!["1964-07-17"]);
    assert_eq!(ri.countries, vec!["KP"]);
    assert_eq!(ri.programs, vec!["DPRK"]);
    assert_eq!(ri.listed_on.as_deref(), Some("2016-11-30"));
    // The file writes the number with a leading space.
    assert_eq!(
        ri.identifiers_of(&IdKind::Passport).collect::<Vec<_>>(),
        vec!["381310014"]
    );

    let jo = get(&list.entities, "un:KPi.034");
    assert_eq!(jo.names[1].full, "Cho Yong Chol");
    assert_eq!(
        jo.names[1].strength,
        NameStrength::Strong,
        "QUALITY Good is strong"
    );

    let komid = get(&list.entities, "un:KPe.001");
    assert_eq!(komid.schema, Schema::Company);
    assert!(
        komid.names.iter().any(|n| n.full == "KOMID"),
        "quotes stripped from \"KOMID\""
    );
    assert_eq!(
        komid.addresses,
        vec!["Central District, Pyongyang, Democratic People's Republic of Korea"]
    );

    // IMO *company* numbers sit in the comments of DPRK shipping companies.
    let omm = get(&list.entities, "un:KPe.020");
    assert_eq!(
        omm.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["1790183"]
    );
    assert_eq!(omm.schema, Schema::Company);
    let weihai = get(&list.entities, "un:KPe.074");
    assert_eq!(
        weihai.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["5905801"]
    );
    assert_eq!(
        weihai.schema,
        Schema::Company,
        "a company IMO number does not make a ship"
    );
}

#[test]
fn un_low_quality_alias_is_weak() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("un.xml");
    std::fs::write(
        &path,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS><INDIVIDUAL>
<DATAID>1</DATAID><FIRST_NAME>KIM</FIRST_NAME><SECOND_NAME>TONG MY&#8217;ONG</SECOND_NAME>
<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Kim &amp; Co</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR><TO_YEAR>1962</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"#,
    )
    .expect("write");
    let list = load_path(&path).expect("parses");
    let kim = &list.entities[0];
    assert_eq!(kim.primary_name(), Some("KIM TONG MY\u{2019}ONG"));
    assert_eq!(kim.names[1].full, "Kim & Co");
    assert_eq!(kim.names[1].strength, NameStrength::Weak);
    assert_eq!(kim.birth_dates, vec!["1960", "1961", "1962"]);
}

#[test]
fn ofac_advanced_fixture_fields() {
    let list = load_path(fixture("ofac_advanced_dprk.xml")).expect("fixture parses");
    assert_eq!(list.format, lists::Format::OfacAdvancedXml);
    assert_eq!(list.list_date.as_deref(), Some("2025-11-19"));
    assert_eq!(list.entities.len(), 7);
    assert_eq!(list.summary.skipped_total(), 0);

    let ccg = get(&list.entities, "ofac:17069");
    assert_eq!(ccg.schema, Schema::Vessel);
    assert_eq!(ccg.primary_name(), Some("Chong Chon Gang"));
    assert_eq!(
        ccg.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["7937317"]
    );
    assert_eq!(ccg.flag.as_deref(), Some("KP"));
    assert_eq!(ccg.programs, vec!["DPRK"]);
    assert_eq!(ccg.listed_on.as_deref(), Some("2014-07-30"));

    let rim = get(&list.entities, "ofac:19589");
    assert_eq!(rim.relations.len(), 1);
    assert_eq!(rim.relations[0].kind, "Owned or Controlled By");
    assert_eq!(rim.relations[0].target, "ofac:19571");

    let komid = get(&list.entities, "ofac:9345");
    assert_eq!(komid.schema, Schema::Company);
    assert_eq!(
        komid.primary_name(),
        Some("KOREA MINING DEVELOPMENT TRADING CORPORATION")
    );
    let weak: Vec<&str> = komid
        .names
        .iter()
        .filter(|n| n.strength == NameStrength::Weak)
        .map(|n| n.full.as_str())
        .collect();
    assert_eq!(weak, vec!["KOMID"], "Low Quality a.k.a. is weak");
    assert_eq!(komid.programs, vec!["NPWMD", "DPRK2"]);
    assert!(komid
        .addresses
        .contains(&"Central District, Pyongyang, Korea, North".to_string()));
    assert_eq!(komid.countries[0], "KP");

    let andreyev = get(&list.entities, "ofac:55065");
    assert_eq!(andreyev.schema, Schema::Person);
    assert_eq!(
        andreyev.primary_name(),
        Some("Andreyev, Vitaliy Sergeyevich")
    );
    assert!(andreyev
        .names
        .iter()
        .any(|n| n.full == "Андреев Виталий Сергеевич"));
    assert_eq!(andreyev.birth_dates, vec!["1980-09-29"]);
    assert_eq!(andreyev.countries, vec!["RU"]);
    assert_eq!(
        andreyev.crypto_addresses().collect::<Vec<_>>(),
        vec![("XBT", "1HmqvgSXUVES1jn4TQPzk9dxo1NE8wim2T")]
    );

    let bueno = get(&list.entities, "ofac:39683");
    assert_eq!(
        bueno.identifiers_of(&IdKind::Mmsi).collect::<Vec<_>>(),
        vec!["621819070"]
    );
    assert_eq!(
        bueno.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["9282443"]
    );
    assert_eq!(bueno.flag.as_deref(), Some("DJ"));

    let tifon = get(&list.entities, "ofac:4249");
    assert_eq!(
        tifon.identifiers_of(&IdKind::CallSign).collect::<Vec<_>>(),
        vec!["CL2059"]
    );
}

#[test]
fn bundled_dprk_excerpts_load() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/lists");
    let un = load_path(data.join("un_dprk_excerpt.xml")).expect("UN excerpt parses");
    assert_eq!(un.entities.len(), 155);
    assert!(un.entities.iter().all(|e| e.programs == vec!["DPRK"]));
    assert_eq!(
        un.entities
            .iter()
            .filter(|e| e.schema == Schema::Person)
            .count(),
        80
    );
    let ofac = load_path(data.join("ofac_dprk_excerpt.xml")).expect("OFAC excerpt parses");
    assert_eq!(
        ofac.entities
            .iter()
            .filter(|e| e.schema == Schema::Vessel)
            .count(),
        105
    );
    assert!(ofac
        .entities
        .iter()
        .all(|e| e.programs.iter().any(|p| p.starts_with("DPRK"))));
    assert!(ofac
        .entities
        .iter()
        .any(|e| e.crypto_addresses().next().is_some()));
}
