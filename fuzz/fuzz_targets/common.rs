//! Shared by the targets: a file of the fuzzer's bytes under a given name, read through the real pipeline
//! (extraction, then the engine's checks), which must answer with figures or an error, never a panic.

use poikkeama::ingest::{extract_with, ledger::LedgerOptions};
use poikkeama::model::Org;
use std::path::PathBuf;
use std::sync::OnceLock;

fn org() -> &'static Org {
    static ORG: OnceLock<Org> = OnceLock::new();
    ORG.get_or_init(|| {
        Org::parse(include_str!("../../inputs/organisaatio.toml")).expect("the bundled org file parses")
    })
}

pub fn through_pipeline(data: &[u8], name: &str) {
    let dir = std::env::temp_dir().join(format!("poikkeama-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, data).expect("temp file");
    if let Ok(extraction) = extract_with(&[path], Some(org()), &LedgerOptions::default()) {
        let _ = poikkeama::engine::analyze_tables(&extraction.figures, &extraction.sums, Some(org()));
    }
}
