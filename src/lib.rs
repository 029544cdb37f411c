//! poikkeama: checked budget-versus-actual variance reports for Finnish municipalities.
//!
//! The pipeline runs one way: [`ingest`] → [`model`] → [`engine`] → [`report`]. See ARCHITECTURE.md.

pub mod cli;
pub mod config;
pub mod engine;
pub mod error;
pub mod ingest;
pub mod model;
pub mod report;

pub use error::{Error, Result};
