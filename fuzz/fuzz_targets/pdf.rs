#![no_main]
//! The pdf reader through the pipeline: bytes as `x.pdf`.

#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::through_pipeline(data, "x.pdf"));
