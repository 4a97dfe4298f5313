//! # report — the Panel-style HTML report
//!
//! One self-contained HTML file: summary, the petroleum tally against the cap, findings written
//! as assessments with maps and evidence tables, vessel profiles and a methods section.
