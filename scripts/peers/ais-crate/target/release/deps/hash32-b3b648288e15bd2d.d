/work/main/scripts/peers/ais-crate/target/release/deps/hash32-b3b648288e15bd2d.d: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/fnv.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/murmur3.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libhash32-b3b648288e15bd2d.rlib: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/fnv.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/murmur3.rs

/work/main/scripts/peers/ais-crate/target/release/deps/libhash32-b3b648288e15bd2d.rmeta: /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/lib.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/fnv.rs /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/murmur3.rs

/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/lib.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/fnv.rs:
/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/hash32-0.2.1/src/murmur3.rs:
