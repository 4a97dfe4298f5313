/work/main/scripts/peers/ais-crate/target/release/deps/stable_deref_trait-4edd06f6529b9fa3.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/stable_deref_trait-1.2.1/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libstable_deref_trait-4edd06f6529b9fa3.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/stable_deref_trait-1.2.1/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libstable_deref_trait-4edd06f6529b9fa3.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/stable_deref_trait-1.2.1/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/stable_deref_trait-1.2.1/src/lib.rs:
