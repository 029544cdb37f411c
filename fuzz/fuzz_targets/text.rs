#![no_main]
//! The report-text reader: any text, then the engine's checks on what it read.

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::through_pipeline(data, "x.txt"));
