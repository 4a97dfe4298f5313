//! # report — the Panel-style HTML report
//!
//! One self-contained HTML file (inline CSS and SVG, no scripts, no network): a summary with
//! counts and the year's petroleum tally against the cap, findings in order of probability written
//! as assessments with their estimative term, legal reference, evidence table and a map of the
//! vessels' tracks over Natural Earth coastlines and the regime's zones, vessel profiles, and a
//! methods section with every threshold and data source.
//!
//! The renderer works on a view model ([`view::ReportData`]) so it can be tested on its own.

pub mod build;
pub mod html;
pub mod land;
pub mod svg;
pub mod time;
pub mod view;

pub use html::render;
pub use view::ReportData;
