#![no_main]
//! The workbook reader through the pipeline: bytes as `x.xlsx`.

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::through_pipeline(data, "x.xlsx"));
