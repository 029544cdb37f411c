//! Writing a run's output set so that it changes all at once: every file is written into a fresh directory
//! beside the output directory, the files of the old directory that are not ours (a README, a folder of the
//! user's) are linked into it, and the two directories are exchanged in one step (`renameat2` with
//! `RENAME_EXCHANGE`). A reader sees the whole old set or the whole new one, never a mix; a failure before
//! the exchange leaves the old set untouched. A lock file beside the output directory makes a second run on
//! the same directory wait for the first. Directories a killed run left are removed by the next.

use crate::error::{Error, Result};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether a file name in the output directory is one of ours: a report, the findings or the manifest in
/// any language (files of an earlier run in a language not asked for now are not carried over), or a
/// temporary file of an earlier version's writer.
pub fn is_ours(name: &str) -> bool {
    use super::fmt::Lang;
    let langs = [Lang::Fi, Lang::Sv, Lang::En];
    let ours = |n: &str| {
        n == super::WORKBOOK
            || n == super::FINDINGS
            || n == super::MANIFEST
            || langs.iter().any(|l| n == super::markdown::file_name(*l) || n == super::chart::file_name(*l))
    };
    if ours(name) {
        return true;
    }
    // `.<name>.<pid>.tmp`
    name.strip_prefix('.')
        .and_then(|n| n.strip_suffix(".tmp"))
        .and_then(|n| n.rsplit_once('.'))
        .is_some_and(|(n, pid)| pid.parse::<u32>().is_ok() && ours(n))
}

/// Writes `files` as the new content of `dir` (created if missing), all at once. Returns the files' paths.
/// An I/O error writing `path`.
fn werr(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_path_buf();
    move |source| Error::Write { path, source }
}

pub fn write_set(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    super::check_out_dir(dir)?;
    for (name, _) in files {
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(Error::Report(format!("output name \"{name}\" would leave the output directory")));
        }
    }
    // The directory's absolute place: the exchange needs its parent.
    let abs = if dir.exists() {
        dir.canonicalize().map_err(werr(dir))?
    } else {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(werr(parent))?;
        let name = dir.file_name().ok_or_else(|| Error::Usage(format!("{}: not a directory name", dir.display())))?;
        parent.canonicalize().map_err(werr(parent))?.join(name)
    };
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Err(Error::Usage(format!("{}: cannot write reports into the root directory", dir.display())));
    };
    let name = name.to_string_lossy().to_string();
    // One run at a time per output directory: the lock is released when the process ends, however it ends.
    let lock_path = parent.join(format!(".{name}.lock"));
    let lock = File::options().create(true).truncate(false).write(true).open(&lock_path).map_err(werr(&lock_path))?;
    if lock.try_lock().is_err() {
        eprintln!("{}: another run is writing there; waiting for it to finish", dir.display());
        lock.lock().map_err(werr(&lock_path))?;
    }
    remove_stale(parent, &name);
    let stage = parent.join(format!(".{name}.new.{}", std::process::id()));
    let result = stage_and_swap(&abs, &stage, files);
    if result.is_err() {
        let _ = fs::remove_dir_all(&stage);
    }
    drop(lock);
    result?;
    Ok(files.iter().map(|(n, _)| dir.join(n)).collect())
}

fn stage_and_swap(abs: &Path, stage: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    // What the directory holds now, read once. A folder (or anything but a file or link) under one of our
    // names is the user's: never replaced, and refused before anything is written.
    let present: Vec<fs::DirEntry> = match fs::read_dir(abs) {
        Ok(entries) => entries.flatten().collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(werr(abs)(e)),
    };
    for entry in &present {
        let n = entry.file_name().to_string_lossy().to_string();
        let kind = entry.file_type().map_err(werr(&entry.path()))?;
        if is_ours(&n) && !n.starts_with('.') && !kind.is_file() && !kind.is_symlink() {
            return Err(Error::Usage(format!(
                "{}: a folder (or special file) has the name of a report; move it out of the output directory",
                entry.path().display()
            )));
        }
    }
    fs::create_dir(stage).map_err(werr(stage))?;
    for (name, bytes) in files {
        let path = stage.join(name);
        let mut f = File::create(&path).map_err(werr(&abs.join(name)))?;
        f.write_all(bytes).and_then(|_| f.sync_all()).map_err(werr(&abs.join(name)))?;
    }
    if !abs.exists() {
        fs::rename(stage, abs).map_err(werr(abs))?;
        sync_dir(abs.parent());
        return Ok(());
    }
    if let Ok(meta) = fs::metadata(abs) {
        let _ = fs::set_permissions(stage, meta.permissions());
    }
    // What is in the directory and not ours stays: linked (not copied) into the new set.
    for entry in &present {
        let file_name = entry.file_name();
        let n = file_name.to_string_lossy();
        if is_ours(&n) || files.iter().any(|(f, _)| *f == n) {
            continue;
        }
        carry(&entry.path(), &stage.join(&file_name))?;
    }
    sync_dir(Some(stage));
    match exchange(stage, abs) {
        Ok(()) => {
            // The stage now holds the old set.
            let _ = fs::remove_dir_all(stage);
        }
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP)) => {
            // No exchange on this file system: the old set is moved aside, then the new one into place.
            let old = stage
                .with_file_name(stage.file_name().unwrap_or_default().to_string_lossy().replacen(".new.", ".old.", 1));
            fs::rename(abs, &old).map_err(werr(abs))?;
            if let Err(e) = fs::rename(stage, abs) {
                let _ = fs::rename(&old, abs);
                return Err(Error::Write { path: abs.to_path_buf(), source: e });
            }
            let _ = fs::remove_dir_all(&old);
        }
        Err(e) => return Err(Error::Write { path: abs.to_path_buf(), source: e }),
    }
    sync_dir(abs.parent());
    Ok(())
}

/// Links a file (or a tree, or a symbolic link) of the user's into the new set.
fn carry(from: &Path, to: &Path) -> Result<()> {
    let err = |source: std::io::Error| Error::Write { path: from.to_path_buf(), source };
    let meta = fs::symlink_metadata(from).map_err(err)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        std::os::unix::fs::symlink(fs::read_link(from).map_err(err)?, to).map_err(err)?;
    } else if kind.is_dir() {
        fs::create_dir(to).map_err(err)?;
        let _ = fs::set_permissions(to, meta.permissions());
        for entry in fs::read_dir(from).map_err(err)?.flatten() {
            carry(&entry.path(), &to.join(entry.file_name()))?;
        }
    } else if kind.is_file() {
        if fs::hard_link(from, to).is_err() {
            fs::copy(from, to).map_err(err)?;
        }
    } else {
        return Err(Error::Usage(format!(
            "{}: not a file, folder or link (a FIFO, device or socket) in the output directory: move it out of it",
            from.display()
        )));
    }
    Ok(())
}

/// Exchanges two directories in one step.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths; the call reads them and changes nothing in our memory.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn sync_dir(dir: Option<&Path>) {
    if let Some(d) = dir {
        if let Ok(f) = File::open(d) {
            let _ = f.sync_all();
        }
    }
}

/// Removes what killed runs left beside the output directory (`.<name>.new.<pid>`, `.<name>.old.<pid>`).
/// Called under the lock, so no live run owns them.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let (new, old) = (format!(".{name}.new."), format!(".{name}.old."));
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = n.strip_prefix(&new).or_else(|| n.strip_prefix(&old)) else { continue };
        if pid.parse::<u32>().is_ok() && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        names.iter().map(|(n, b)| (n.to_string(), b.as_bytes().to_vec())).collect()
    }

    #[test]
    fn the_set_is_replaced_whole_and_the_users_files_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("outputs");
        write_set(&out, &set(&[("poikkeama.xlsx", "v1"), ("yhteenveto.md", "v1"), ("sammandrag.md", "v1")])).unwrap();
        fs::write(out.join("README.md"), "ours? no: the user's").unwrap();
        fs::create_dir(out.join("arkisto")).unwrap();
        fs::write(out.join("arkisto").join("2023.xlsx"), "old").unwrap();
        // A killed run's leftovers beside and inside.
        fs::create_dir(tmp.path().join(".outputs.new.999999")).unwrap();
        fs::write(out.join(".poikkeama.xlsx.999999.tmp"), "half").unwrap();
        write_set(&out, &set(&[("poikkeama.xlsx", "v2"), ("yhteenveto.md", "v2")])).unwrap();
        let mut names: Vec<String> =
            fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        names.sort();
        // The Swedish summary of the run before is ours and not asked for now: gone, not left stale.
        assert_eq!(names, ["README.md", "arkisto", "poikkeama.xlsx", "yhteenveto.md"]);
        assert_eq!(fs::read_to_string(out.join("poikkeama.xlsx")).unwrap(), "v2");
        assert_eq!(fs::read_to_string(out.join("arkisto/2023.xlsx")).unwrap(), "old");
        let beside: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains(".new.") || n.contains(".old."))
            .collect();
        assert!(beside.is_empty(), "{beside:?}");
    }

    /// A folder of the user's under a report's name stops the run before anything changes; it is never
    /// replaced or removed.
    #[test]
    fn a_folder_named_like_a_report_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("outputs");
        write_set(&out, &set(&[("yhteenveto.md", "v1")])).unwrap();
        fs::create_dir(out.join("poikkeama.xlsx")).unwrap();
        fs::write(out.join("poikkeama.xlsx").join("tärkeä.txt"), "keep").unwrap();
        let e = write_set(&out, &set(&[("poikkeama.xlsx", "v2"), ("yhteenveto.md", "v2")])).unwrap_err();
        assert!(e.to_string().contains("poikkeama.xlsx: a folder"), "{e}");
        assert_eq!(fs::read_to_string(out.join("poikkeama.xlsx/tärkeä.txt")).unwrap(), "keep");
        assert_eq!(fs::read_to_string(out.join("yhteenveto.md")).unwrap(), "v1");
    }

    #[test]
    fn names_that_would_leave_the_directory_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in ["../x.md", "a/b.md", ".hidden"] {
            assert!(write_set(&tmp.path().join("o"), &set(&[(bad, "x")])).is_err(), "{bad}");
        }
        assert!(!tmp.path().join("x.md").exists());
    }

    #[test]
    fn a_failed_write_leaves_the_old_set() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("outputs");
        write_set(&out, &set(&[("poikkeama.xlsx", "v1")])).unwrap();
        // A FIFO of the user's in the output directory cannot be carried: the run fails before the exchange.
        let fifo = std::ffi::CString::new(out.join("putki").to_string_lossy().as_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let e = write_set(&out, &set(&[("poikkeama.xlsx", "v2")])).unwrap_err();
        assert!(e.to_string().contains("putki"), "{e}");
        assert_eq!(fs::read_to_string(out.join("poikkeama.xlsx")).unwrap(), "v1");
        assert!(fs::read_dir(tmp.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains(".new.")));
    }
}
