//! `manifest.json`: the audit record of a run. What was run (tool version, command line), what it read (the
//! config, org, scheme, explanations and chart files and every input, each with its size and SHA-256, and
//! how many figures each input gave), what it wrote (every other output with its size and SHA-256), the
//! findings per severity and the exit status. Nothing in it depends on the clock or the machine, so the same
//! inputs give the same manifest byte for byte.

use crate::error::{Error, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// A file read: its path as given, size and SHA-256 (hex).
#[derive(Debug, Clone, Serialize)]
pub struct FileRecord {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    /// For inputs: how many figures were read from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figures: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct OutputRecord {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub command: Vec<String>,
    pub config: Option<FileRecord>,
    pub org: Option<FileRecord>,
    pub scheme: Option<FileRecord>,
    pub explanations: Option<FileRecord>,
    pub accounts: Option<FileRecord>,
    pub inputs: Vec<FileRecord>,
    pub outputs: Vec<OutputRecord>,
    pub findings: Counts,
    pub exit_status: u8,
}

/// The SHA-256 (hex) and size of a file, read in pieces.
pub fn hash_file(path: &Path) -> Result<(String, u64)> {
    let err = |source: std::io::Error| Error::Io { path: path.to_path_buf(), source };
    let mut f = std::fs::File::open(path).map_err(err)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(err)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex(&hasher.finalize()), total))
}

pub fn hash_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn file_record(p: &Path) -> Result<FileRecord> {
    let (sha256, bytes) = hash_file(p)?;
    Ok(FileRecord { path: p.display().to_string(), bytes, sha256, figures: None })
}

/// A file's record, or none when no file was given.
pub fn record(path: Option<&Path>) -> Result<Option<FileRecord>> {
    path.map(file_record).transpose()
}

/// The inputs' records, hashed on a thread of their own while the run goes on.
pub fn hash_inputs(files: Vec<PathBuf>) -> std::thread::JoinHandle<Result<Vec<FileRecord>>> {
    std::thread::spawn(move || files.iter().map(|p| file_record(p)).collect())
}

impl Manifest {
    /// The manifest's bytes, with every output's record (the manifest itself aside).
    pub fn render(mut self, outputs: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
        self.outputs = outputs
            .iter()
            .map(|(name, bytes)| OutputRecord {
                name: name.clone(),
                bytes: bytes.len() as u64,
                sha256: hash_bytes(bytes),
            })
            .collect();
        let mut json =
            serde_json::to_string_pretty(&self).map_err(|e| Error::Report(format!("{}: {e}", super::MANIFEST)))?;
        json.push('\n');
        Ok(json.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_text() {
        // FIPS 180-2's example.
        assert_eq!(hash_bytes(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(hash_file(&p).unwrap(), (hash_bytes(b"abc"), 3));
    }
}
