/work/main/scripts/peers/ais-crate/target/release/deps/byteorder-097986a0833ff8de.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/byteorder-1.5.0/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libbyteorder-097986a0833ff8de.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/byteorder-1.5.0/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libbyteorder-097986a0833ff8de.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/byteorder-1.5.0/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/byteorder-1.5.0/src/lib.rs:
