//! # screen — matching names, identifiers and addresses against the lists
//!
//! Normalization, name-part alignment, weighted edit distance and Jaro-Winkler on what is left,
//! a Korean romanization layer (Hangul, Revised Romanization, McCune–Reischauer, the DPRK 1992
//! system, the initial-ㄹ difference), exact identifier and crypto-address matches, and an
//! inverted index so a query never scans every name. Every result explains itself.
