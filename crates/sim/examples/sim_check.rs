//! Simulates a scenario and checks the output against the truth (the same check as the tests, on
//! any scenario). Usage: `cargo run --release -p sim --example sim_check -- dprk [HOURS]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map(String::as_str).unwrap_or("dprk");
    let hours = args.get(2).and_then(|h| h.parse().ok());
    let (sc, base) = sim::load_scenario(name)?;
    let opts = sim::Options {
        seed: None,
        format: sim::Format::Nmea,
        limit_hours: hours,
    };
    let mut out = Vec::new();
    let t = std::time::Instant::now();
    let (truth, summary) = sim::simulate(&sc, base.as_deref(), &opts, &mut out)?;
    eprintln!(
        "simulated {} messages in {:.1} s",
        summary.messages,
        t.elapsed().as_secs_f64()
    );
    let traffic = sim::verify::decode(&out[..])?;
    let land = sim::world::World::build(&sc, base.as_deref())?.land;
    let a = sim::verify::agree(&traffic, &truth, &land);
    println!("{}", serde_json::to_string_pretty(&a)?);
    if std::env::var("SIM_CHECK_VERBOSE").is_ok() {
        let mut shown = 0;
        for (m, ps) in &traffic.positions {
            for p in ps.iter().filter(|p| land.contains(p.p)) {
                if shown < 40 {
                    println!(
                        "on land: {m} t={} {:.5},{:.5} sog {:?}",
                        (p.t - truth.start_ms) / 1000,
                        p.p.lat,
                        p.p.lon,
                        p.sog
                    );
                }
                shown += 1;
            }
        }
    }
    println!(
        "decoded {} messages; bad checksum {} (corrupted {}), orphans {}, other rejects {}",
        traffic.decoded,
        traffic.bad_checksum,
        summary.corrupted,
        traffic.orphans,
        traffic.other_rejects
    );
    Ok(())
}
