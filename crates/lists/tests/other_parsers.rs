//! OFAC legacy CSV, EU, UK, FtM and crypto-list parsers; malformed input and implausible counts.

use lists::{load_path, Entity, Format, IdKind, ListError, NameStrength, Schema};
use std::path::{Path, PathBuf};

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

fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).expect("write temp file");
    p
}

#[test]
fn ofac_legacy_csv_with_companions() {
    let list = load_path(fixture("ofac_csv/sdn.csv")).expect("fixture parses");
    assert_eq!(list.format, Format::OfacLegacyCsv);
    assert_eq!(list.entities.len(), 6);
    assert_eq!(
        list.summary.records, 6,
        "the trailing 0x1A byte is not a record"
    );
    assert_eq!(list.summary.notes.len(), 3, "{:?}", list.summary.notes);

    let ccg = get(&list.entities, "ofac:17069");
    assert_eq!(ccg.schema, Schema::Vessel);
    assert_eq!(ccg.primary_name(), Some("CHONG CHON GANG"));
    assert_eq!(
        ccg.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["7937317"]
    );
    assert_eq!(ccg.flag.as_deref(), Some("KP"));
    assert_eq!(ccg.programs, vec!["DPRK"]);

    let komid = get(&list.entities, "ofac:9345");
    assert_eq!(komid.programs, vec!["NPWMD", "DPRK2"]);
    assert!(komid
        .names
        .iter()
        .any(|n| n.full == "CHANGGWANG SINYONG CORPORATION" && n.strength == NameStrength::Strong));
    assert!(
        komid
            .names
            .iter()
            .any(|n| n.full == "KOMID" && n.strength == NameStrength::Weak),
        "quoted a.k.a. in remarks is weak"
    );
    assert!(komid
        .addresses
        .contains(&"Central District, Pyongyang, Korea, North".to_string()));

    // Remarks continue in sdn_comments.csv for this Lazarus-linked person.
    let li = get(&list.entities, "ofac:28264");
    assert_eq!(li.birth_dates, vec!["1987-01-10"]);
    assert!(li
        .names
        .iter()
        .any(|n| n.full == "khaleesi" && n.strength == NameStrength::Weak));
    assert!(li
        .remarks
        .as_deref()
        .is_some_and(|r| r.contains("Linked To: LAZARUS GROUP")));
    assert!(li
        .crypto_addresses()
        .any(|(c, a)| c == "XBT" && a == "1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE"));

    let k = get(&list.entities, "ofac:29585");
    assert!(k
        .crypto_addresses()
        .any(|(c, a)| c == "ETH" && a == "0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b"));
    assert!(k.crypto_addresses().any(|(c, _)| c == "XMR"));
    assert_eq!(k.countries, vec!["RU"]);
}

#[test]
fn eu_fsf_fixture() {
    let list = load_path(fixture("eu_fsf_dprk.xml")).expect("fixture parses");
    assert_eq!(list.format, Format::EuFsfXml);
    assert_eq!(list.list_date.as_deref(), Some("2026-02-27"));
    let ri = get(&list.entities, "eu:EU.9001.01");
    assert_eq!(ri.schema, Schema::Person);
    assert_eq!(ri.primary_name(), Some("Ri Won Ho"));
    assert_eq!(
        ri.names[1].strength,
        NameStrength::Weak,
        "strong=\"false\" is weak"
    );
    assert_eq!(ri.birth_dates, vec!["1964-07-17"]);
    assert_eq!(ri.countries, vec!["KP"]);
    assert_eq!(ri.programs, vec!["PRK"]);
    assert_eq!(
        ri.identifiers_of(&IdKind::Passport).collect::<Vec<_>>(),
        vec!["381310014"]
    );
    let jo = get(&list.entities, "eu:EU.9002.02");
    assert_eq!(jo.birth_dates, vec!["1973", "1974"]);
    let komid = get(&list.entities, "eu:EU.9003.03");
    assert_eq!(komid.schema, Schema::Company);
    assert!(komid
        .remarks
        .as_deref()
        .is_some_and(|r| r.starts_with("Primary arms dealer")));
}

#[test]
fn crypto_list_fixture() {
    let list = load_path(fixture("sanctioned_addresses_ETH.txt")).expect("fixture parses");
    assert_eq!(list.entities.len(), 3);
    let e = &list.entities[0];
    assert_eq!(e.schema, Schema::CryptoWallet);
    assert_eq!(
        e.id,
        "ofac-crypto:ETH:0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf"
    );
    assert_eq!(
        e.crypto_addresses().collect::<Vec<_>>(),
        vec![("ETH", "0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf")]
    );
}

#[test]
fn uk_conlist_groups_rows_and_finds_vessels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let header = "Last Updated,28/11/2026\nName 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,Nationality,Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,Listed On,Last Updated,Group ID\n";
    let rows = "RI,Won Ho,,,,,,17/07/1964,,,1) Democratic People's Republic of Korea,Passport No: 381310014,,,,,,,,,,,UN Ref KPi.033.,Individual,Prime Alias,North Korea,30/11/2016,30/11/2016,90001\n\
RI,Wonho,,,,,,17/07/1964,,,,,,,,,,,,,,,UN Ref KPi.033.,Individual,AKA,North Korea,30/11/2016,30/11/2016,90001\n\
TONG SAN 2,,,,,,,,,,,,,,,,,,,,,,IMO: 8937675. MMSI: 445539000.,Entity,Prime Alias,North Korea,19/10/2017,19/10/2017,90002\n";
    let path = write(
        dir.path(),
        "ConList.csv",
        format!("{header}{rows}").as_bytes(),
    );
    let list = load_path(&path).expect("parses");
    assert_eq!(list.format, Format::UkConListCsv);
    assert_eq!(list.summary.records, 3);
    assert_eq!(list.summary.merged, 1);
    assert_eq!(list.entities.len(), 2);
    let ri = get(&list.entities, "uk:90001");
    assert_eq!(ri.primary_name(), Some("Won Ho RI"));
    assert_eq!(ri.names.len(), 2);
    assert_eq!(ri.birth_dates, vec!["1964-07-17"]);
    assert_eq!(ri.countries, vec!["KP"]);
    assert_eq!(
        ri.identifiers_of(&IdKind::Passport).collect::<Vec<_>>(),
        vec!["381310014"]
    );
    let ship = get(&list.entities, "uk:90002");
    assert_eq!(ship.schema, Schema::Vessel);
    assert_eq!(
        ship.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["8937675"]
    );
    assert_eq!(
        ship.identifiers_of(&IdKind::Mmsi).collect::<Vec<_>>(),
        vec!["445539000"]
    );
}

#[test]
fn ftm_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let body = r#"{"id":"v1","caption":"CHON MA SAN","schema":"Vessel","properties":{"name":["CHON MA SAN"],"imoNumber":["8660313"],"flag":["kp"]},"datasets":["un_1718_vessels"]}
{"id":"w1","caption":"0xabc","schema":"CryptoWallet","properties":{"publicKey":["0x098B716B8Aaf21512996dC57EB0615e2383E2f96"],"currencySymbol":["ETH"]},"datasets":["us_ofac_sdn"]}
{"id":"a1","caption":"Pyongyang","schema":"Address","properties":{"full":["Pyongyang"]}}
"#;
    let path = write(dir.path(), "entities.ftm.json", body.as_bytes());
    let list = load_path(&path).expect("parses");
    assert_eq!(list.format, Format::FtmJson);
    assert_eq!(list.summary.records, 3);
    assert_eq!(list.entities.len(), 2);
    assert_eq!(list.summary.skipped_total(), 1);
    let v = get(&list.entities, "opensanctions:v1");
    assert_eq!(v.schema, Schema::Vessel);
    assert_eq!(v.flag.as_deref(), Some("KP"));
    assert_eq!(
        v.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["8660313"]
    );
    let w = get(&list.entities, "opensanctions:w1");
    assert_eq!(
        w.crypto_addresses().collect::<Vec<_>>(),
        vec![("ETH", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96")]
    );
}

#[test]
fn eu_journal_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let header = "celex,recordId,programKey,annex,measure,startDate,reason,schema,name,alias,weakAlias,previousName,country,nationality,jurisdiction,birthDate,birthPlace,position,passportNumber,gender,appearance,ethnicity,fatherName,motherName,incorporationDate,legalForm,sector,registrationNumber,taxNumber,idNumber,innCode,ogrnCode,kppCode,okpoCode,leiCode,swiftBic,ticker,imoNumber,mmsi,flag,address,phone,email,website,notes";
    let cols: Vec<&str> = header.split(',').collect();
    let row = |values: &[(&str, &str)]| {
        let mut fields = vec![String::new(); cols.len()];
        for (k, v) in values {
            let i = cols.iter().position(|c| c == k).expect("column");
            fields[i] = if v.contains(',') || v.contains(';') {
                format!("\"{v}\"")
            } else {
                v.to_string()
            };
        }
        fields.join(",")
    };
    let person = row(&[
        ("celex", "32017R1509"),
        ("recordId", "2"),
        ("programKey", "EU-PRK"),
        ("annex", "XIII.A"),
        ("startDate", "16.7.2009"),
        ("schema", "Person"),
        ("name", "Ri Je-Son"),
        ("alias", "Ri Che Son; Ri Je Son"),
        ("nationality", "DPRK"),
        ("birthDate", "1938"),
    ]);
    let vessel = row(&[
        ("celex", "32017R1509"),
        ("programKey", "EU-PRK"),
        ("annex", "XIV.B"),
        ("schema", "Vessel"),
        ("name", "Chol Ryong (Ryong Gun Bong)"),
        ("imoNumber", "8606173"),
        ("flag", "DPRK"),
    ]);
    let body = format!("{header}\n{person}\n{vessel}\n");
    let path = write(dir.path(), "32017R1509.csv", body.as_bytes());
    let list = load_path(&path).expect("parses");
    assert_eq!(list.format, Format::EuJournalCsv);
    let ri = get(&list.entities, "eu:32017R1509:XIII.A:2");
    assert_eq!(ri.names.len(), 3);
    assert_eq!(ri.birth_dates, vec!["1938"]);
    assert_eq!(ri.countries, vec!["KP"]);
    assert_eq!(ri.listed_on.as_deref(), Some("2009-07-16"));
    let ship = get(&list.entities, "eu:32017R1509:imo8606173");
    assert_eq!(ship.schema, Schema::Vessel);
    assert_eq!(ship.flag.as_deref(), Some("KP"));
}

fn malformed_position(err: &ListError) -> String {
    match err {
        ListError::Malformed { position, .. } => position.to_string(),
        other => panic!("expected a malformed-file error, got {other}"),
    }
}

#[test]
fn truncated_xml_names_file_and_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full = std::fs::read(fixture("un_dprk.xml")).expect("fixture");
    // Cut at a line end, as a download that stopped early would.
    let half = full.len() / 2;
    let cut_at = half
        + full[half..]
            .iter()
            .position(|&b| b == b'\n')
            .expect("newline");
    let cut = &full[..cut_at];
    let path = write(dir.path(), "cut.xml", cut);
    let err = load_path(&path).expect_err("truncated file must fail");
    let msg = err.to_string();
    assert!(msg.contains("cut.xml"), "{msg}");
    assert!(malformed_position(&err).starts_with("byte offset"), "{msg}");
    assert!(msg.contains("truncated"), "{msg}");

    let bad = write(
        dir.path(),
        "bad.xml",
        b"<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X</SECOND_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
    );
    let err = load_path(&bad).expect_err("mismatched tags must fail");
    assert_eq!(malformed_position(&err), "byte offset 79", "{err}"); // start of the bad end tag
    assert!(err.to_string().contains("bad.xml"));

    let ofac_cut = std::fs::read(fixture("ofac_advanced_dprk.xml")).expect("fixture");
    let path = write(
        dir.path(),
        "sdn_cut.xml",
        &ofac_cut[..ofac_cut.len() - 5000],
    );
    let err = load_path(&path).expect_err("truncated OFAC file must fail");
    assert!(
        err.to_string().contains("sdn_cut.xml") && err.to_string().contains("byte offset"),
        "{err}"
    );
}

#[test]
fn malformed_csv_names_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sdn = std::fs::read_to_string(fixture("ofac_csv/sdn.csv")).expect("fixture");
    let mut lines: Vec<&str> = sdn.split("\r\n").collect();
    lines[2] = "17084,\"AM NOK GANG\",\"vessel\"";
    let path = write(dir.path(), "sdn.csv", lines.join("\r\n").as_bytes());
    let err = load_path(&path).expect_err("short row must fail");
    assert_eq!(malformed_position(&err), "line 3", "{err}");
    assert!(err.to_string().contains("sdn.csv"));

    let ftm = write(dir.path(), "x.ftm.json", b"{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n{\"id\":\"b\",\"schema\":\n");
    let err = load_path(&ftm).expect_err("broken JSON line must fail");
    assert_eq!(malformed_position(&err), "line 2", "{err}");
}

#[test]
fn too_few_entries_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A UN list with no records at all.
    let empty = write(
        dir.path(),
        "empty.xml",
        b"<?xml version=\"1.0\"?><CONSOLIDATED_LIST dateGenerated=\"2026-02-27\"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>",
    );
    match load_path(&empty) {
        Err(ListError::TooFewEntries {
            count: 0, min: 1, ..
        }) => {}
        other => panic!("expected TooFewEntries, got {other:?}"),
    }
    // An 11 MB OFAC Advanced XML holding one party: a real one of that size holds ~1,700.
    let fixture_xml = std::fs::read_to_string(fixture("ofac_advanced_dprk.xml")).expect("fixture");
    let start = fixture_xml.find("<DistinctParty ").expect("has parties");
    let second = fixture_xml[start + 10..]
        .find("<DistinctParty ")
        .expect("two parties")
        + start
        + 10;
    let end = fixture_xml.find("</DistinctParties>").expect("end");
    let padding = format!("<!--{}-->", " ".repeat(11_000_000));
    let one_party = format!(
        "{}{}{}",
        &fixture_xml[..second],
        padding,
        &fixture_xml[end..]
    );
    let path = write(dir.path(), "sdn_advanced.xml", one_party.as_bytes());
    match load_path(&path) {
        Err(ListError::TooFewEntries {
            count: 1,
            min,
            bytes,
            ..
        }) => {
            assert_eq!(min, 1_000, "over 10 MB an OFAC export needs 1,000 parties");
            assert!(bytes > 11_000_000);
        }
        other => panic!("expected TooFewEntries, got {other:?}"),
    }
}

#[test]
fn unknown_and_companion_files_are_refused_with_a_hint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "notes.txt", b"hello world\n");
    assert!(matches!(
        load_path(&p),
        Err(ListError::UnknownFormat { .. })
    ));
    let alt = write(
        dir.path(),
        "alt.csv",
        b"36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n",
    );
    let msg = load_path(&alt).expect_err("alt.csv alone").to_string();
    assert!(msg.contains("sdn.csv"), "{msg}");
    let missing = load_path(dir.path().join("nope.xml"))
        .expect_err("missing")
        .to_string();
    assert!(missing.contains("nope.xml"), "{missing}");
}

#[test]
fn gzip_input_is_decompressed() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let raw = std::fs::read(fixture("un_dprk.xml")).expect("fixture");
    let path = dir.path().join("un.xml.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).expect("create"),
        flate2::Compression::fast(),
    );
    gz.write_all(&raw).expect("write");
    gz.finish().expect("finish");
    let list = load_path(&path).expect("gz parses");
    assert_eq!(list.entities.len(), 6);
    assert_eq!(list.bytes, raw.len() as u64);

    // A truncated download fails with the file's name, not with a silent partial list.
    let gz = std::fs::read(&path).expect("read gz");
    let cut = write(dir.path(), "cut.xml.gz", &gz[..gz.len() / 2]);
    let msg = load_path(&cut).expect_err("truncated gz").to_string();
    assert!(msg.contains("cut.xml.gz"), "{msg}");
}

#[test]
fn ofac_sdn_xml_fixture() {
    let list = load_path(fixture("ofac_sdn_dprk.xml")).expect("fixture parses");
    assert_eq!(list.format, Format::OfacSdnXml);
    assert_eq!(list.list_date.as_deref(), Some("2025-11-19"));
    assert_eq!(list.entities.len(), 3);
    let komid = get(&list.entities, "ofac:9345");
    assert_eq!(komid.schema, Schema::Company);
    assert_eq!(komid.programs, vec!["NPWMD", "DPRK2"]);
    assert!(komid
        .names
        .iter()
        .any(|n| n.full == "KOMID" && n.strength == NameStrength::Weak));
    assert!(komid
        .names
        .iter()
        .any(|n| n.full == "CHANGGWANG SINYONG CORPORATION" && n.strength == NameStrength::Strong));
    assert_eq!(
        komid.addresses,
        vec!["Central District, Pyongyang, North Korea"]
    );
    assert_eq!(komid.countries, vec!["KP"]);
    let ccg = get(&list.entities, "ofac:17069");
    assert_eq!(ccg.schema, Schema::Vessel);
    assert_eq!(
        ccg.identifiers_of(&IdKind::Imo).collect::<Vec<_>>(),
        vec!["7937317"]
    );
    assert_eq!(ccg.flag.as_deref(), Some("KP"));
    let li = get(&list.entities, "ofac:28264");
    assert_eq!(li.primary_name(), Some("LI, Jiadong"));
    assert_eq!(li.birth_dates, vec!["1987-01-10"]);
    assert_eq!(li.countries, vec!["CN"]);
    assert_eq!(
        li.crypto_addresses().collect::<Vec<_>>(),
        vec![("XBT", "1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE")]
    );
    assert_eq!(
        li.identifiers_of(&IdKind::NationalId).collect::<Vec<_>>(),
        vec!["210302198701102136"]
    );
}
