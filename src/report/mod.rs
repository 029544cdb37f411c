//! Reports: every output format. Invariant: report never computes a figure; it prints what the model
//! and engine give it.

pub mod extract;
pub mod findings;
