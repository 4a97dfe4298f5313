/work/main/scripts/peers/ais-crate/target/release/ais-crate-peer: /work/main/scripts/peers/ais-crate/src/main.rs
