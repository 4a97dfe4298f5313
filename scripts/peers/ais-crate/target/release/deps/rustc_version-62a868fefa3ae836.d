/work/main/scripts/peers/ais-crate/target/release/deps/rustc_version-62a868fefa3ae836.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rustc_version-0.4.1/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/librustc_version-62a868fefa3ae836.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rustc_version-0.4.1/src/lib.rs

/work/main/scripts/peers/ais-crate/target/release/deps/librustc_version-62a868fefa3ae836.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rustc_version-0.4.1/src/lib.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/rustc_version-0.4.1/src/lib.rs:
