#![no_main]
//! The Parquet ledger reader (polars' streaming engine, our summing) through the pipeline: bytes as `x.parquet`.

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::through_pipeline(data, "x.parquet"));
