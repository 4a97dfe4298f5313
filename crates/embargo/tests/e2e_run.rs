//! End to end: simulate the small bundled scenario, run the whole pipeline on it with the bundled
//! list excerpts, and check the findings against the scenario's truth and the report's structure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn embargo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn run_on_small_scenario_finds_the_scripted_sts_and_writes_a_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = dir.path().join("sim");
    let out = dir.path().join("out");
    let st = embargo()
        .args(["simulate", "--scenario", "small", "--seed", "3", "--out"])
        .arg(&sim)
        .arg("--quiet")
        .status()
        .expect("run simulate");
    assert!(st.success());
    let lists = repo().join("data/lists");
    let o = embargo()
        .args(["run", "--json", "--ais"])
        .arg(sim.join("ais.nmea"))
        .arg("--lists")
        .arg(lists.join("un_dprk_excerpt.xml"))
        .arg(lists.join("ofac_dprk_excerpt.xml"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run pipeline");
    assert!(
        o.status.success(),
        "embargo run failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).expect("--json summary");
    assert!(
        summary["positions"].as_u64().unwrap_or(0) > 1000,
        "{summary}"
    );
    assert!(
        summary["list_entities"].as_u64().unwrap_or(0) >= 300,
        "{summary}"
    );

    // Every scripted (non-benign) STS rendezvous of the truth is a finding on the same pair of vessels.
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sim.join("truth.json")).unwrap()).unwrap();
    let findings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    assert_eq!(findings["schema_version"], 1);
    let found: Vec<(Vec<u64>, f64)> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut v: Vec<u64> = f["vessels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["mmsi"].as_u64().unwrap())
                .collect();
            v.sort_unstable();
            (v, f["probability"].as_f64().unwrap())
        })
        .collect();
    let scripted: Vec<Vec<u64>> = truth["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "encounter" && e["benign"] == false)
        .map(|e| {
            let mut v: Vec<u64> = e["vessels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect();
            v.sort_unstable();
            v
        })
        .collect();
    assert!(
        !scripted.is_empty(),
        "the small scenario scripts at least one STS"
    );
    for pair in &scripted {
        assert!(
            found.iter().any(|(v, p)| v == pair && *p >= 0.8),
            "scripted STS {pair:?} has no finding with probability ≥ 0.8; findings: {found:?}"
        );
    }
    // Benign look-alikes (anchorage neighbours, bunkering in port) do not become findings above 0.5.
    for e in truth["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["benign"] == true && e["vessels"].as_array().map_or(0, |v| v.len()) == 2)
    {
        let mut pair: Vec<u64> = e["vessels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        pair.sort_unstable();
        assert!(
            !found.iter().any(|(v, p)| *v == pair && *p > 0.5),
            "benign {e} reported as a finding"
        );
    }

    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    for needle in [
        "id=\"summary\"",
        "id=\"tally\"",
        "id=\"findings\"",
        "id=\"vessels\"",
        "id=\"methods\"",
        "class=\"map\"",
        "class=\"chart\"",
        "resolution 2375 (2017)",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    assert!(!html.contains("<script"), "the report needs no scripts");
    let geo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("events.geojson")).unwrap())
            .unwrap();
    assert_eq!(geo["type"], "FeatureCollection");

    // A second run with the same input adds nothing to the store and gives the same findings.
    let o2 = embargo()
        .args(["run", "--json", "--ais"])
        .arg(sim.join("ais.nmea"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("re-run");
    assert!(
        o2.status.success(),
        "{}",
        String::from_utf8_lossy(&o2.stderr)
    );
    let s2: serde_json::Value = serde_json::from_slice(&o2.stdout).unwrap();
    assert_eq!(s2["inputs_skipped"].as_array().map(Vec::len), Some(1));
    assert_eq!(s2["positions"], summary["positions"]);
    assert_eq!(s2["findings"], summary["findings"]);
}

#[test]
fn run_without_inputs_is_a_usage_error_and_missing_file_an_input_error() {
    let st = embargo().args(["run", "--out", "/tmp/x"]).output().unwrap();
    assert_eq!(st.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let st = embargo()
        .args(["run", "--ais", "/nonexistent/file.nmea", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        st.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    assert!(String::from_utf8_lossy(&st.stderr).contains("/nonexistent/file.nmea"));
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    let o = embargo().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    let commands: Vec<String> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 15, "{commands:?}");
    for c in commands {
        let o = embargo().args([c.as_str(), "--help"]).output().unwrap();
        let h = String::from_utf8_lossy(&o.stdout);
        assert!(h.contains("Example"), "`embargo {c} --help` has no example");
    }
}
