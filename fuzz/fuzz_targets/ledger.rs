#![no_main]
//! The ledger reader through the pipeline: bytes as `x.csv`.

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::through_pipeline(data, "x.csv"));
