#![no_main]
//! The Finnish number parser and formatter: any text parses to a number or is refused; a number formats
//! and parses back to itself.

use poikkeama::ingest::number::{format_fi, parse_fi, Parsed};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Parsed::Number(d) = parse_fi(text) {
            let shown = format_fi(d, " ");
            match parse_fi(&shown) {
                Parsed::Number(back) => assert_eq!(back, d, "{text:?} → {shown:?}"),
                other => panic!("{text:?} → {shown:?} → {other:?}"),
            }
        }
    }
});
