#![no_main]
//! The config and scheme file parsers: the first byte chooses which reads the rest.

use poikkeama::config::RunConfig;
use poikkeama::model::scheme::Scheme;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let dir = std::env::temp_dir().join(format!("poikkeama-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(if which % 2 == 0 { "poikkeama.toml" } else { "kaavio.toml" });
    std::fs::write(&path, rest).expect("temp file");
    if which % 2 == 0 {
        let _ = RunConfig::load(&path);
    } else {
        let _ = Scheme::load_extension(&path);
    }
});
