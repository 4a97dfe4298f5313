//! Global Fishing Watch gpsdio-segment JSON lines (normalised messages with `ssvid`, `timestamp`, ...).
