/work/main/scripts/peers/ais-crate/target/release/deps/ais_crate_peer-f454795f9a741f6c.d: src/main.rs

/work/main/scripts/peers/ais-crate/target/release/deps/ais_crate_peer-f454795f9a741f6c: src/main.rs

src/main.rs:
