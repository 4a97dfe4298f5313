//! The bundled scenarios, embedded so that `embargo demo` works from a fresh clone.

/// The DPRK case: Yellow Sea, Korea Bay and the East China Sea, two weeks.
pub const DPRK: &str = include_str!("../../../scenarios/dprk.toml");
/// A tiny scenario for end-to-end tests: a few ships, two days.
pub const SMALL: &str = include_str!("../../../scenarios/small.toml");
/// Thousands of ships over weeks, for benchmarks.
pub const SCALE: &str = include_str!("../../../scenarios/scale.toml");

/// A bundled scenario's text by name (`dprk`, `small`, `scale`, with or without `.toml`).
pub fn bundled(name: &str) -> Option<&'static str> {
    match name.trim_end_matches(".toml") {
        "dprk" => Some(DPRK),
        "small" => Some(SMALL),
        "scale" => Some(SCALE),
        _ => None,
    }
}
