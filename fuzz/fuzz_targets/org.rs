#![no_main]
//! The org file parser: any text gives an org or an error; a parsed org answers lookups.

use poikkeama::model::Org;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(org) = Org::parse(text) {
            for (unit, _) in org.tree_order() {
                let _ = org.depth(&unit.name);
                let _ = org.find_fuzzy(&unit.name);
            }
            let _ = org.unit_of_code("1100");
        }
    }
});
