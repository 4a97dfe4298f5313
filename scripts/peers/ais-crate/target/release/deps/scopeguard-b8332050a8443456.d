/work/main/scripts/peers/ais-crate/target/release/deps/scopeguard-b8332050a8443456.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libscopeguard-b8332050a8443456.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libscopeguard-b8332050a8443456.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/scopeguard-1.2.0/src/lib.rs:
