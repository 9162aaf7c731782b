//! Writing a set of certificate and key files as one all-or-nothing step.
//!
//! Keys and certificates are precious, so:
//! - every file is first written to a temporary name in the target directory, created with
//!   its final mode (0600 for secrets — never world-readable, not even for an instant),
//!   flushed and fsync'ed;
//! - only when every temporary file is complete are they renamed over their targets
//!   (`rename` is atomic: a crash leaves the old file or the new one, never half of one);
//! - an existing target is never replaced unless `force` is set, and then it is first
//!   renamed to `NAME.bak` (`NAME.bak.2`, … if that exists too);
//! - when any step fails, every step already taken is undone: new files removed, backups
//!   moved back, temporary files deleted.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::MintError;

/// Mode of private key files.
pub const SECRET_MODE: u32 = 0o600;
/// Mode of certificate files.
pub const PUBLIC_MODE: u32 = 0o644;

/// One file to write.
pub(crate) struct PlannedFile {
    /// File name inside the target directory (`cert.pem`).
    pub(crate) name: &'static str,
    /// Contents.
    pub(crate) contents: pkcs8::der::zeroize::Zeroizing<Vec<u8>>,
    /// Whether it holds a private key (mode 0600).
    pub(crate) secret: bool,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WrittenFile {
    /// File name (`fullchain.pem`).
    pub name: String,
    /// Full path as written.
    pub path: PathBuf,
    /// Unix permission bits (`0o600` for keys).
    pub mode: u32,
    /// Where the file it replaced now lives, when `force` replaced one.
    pub backup: Option<PathBuf>,
}

/// A step of [`write_all`] at which a test can inject a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Before creating the temporary file of the n-th planned file.
    Temp(usize),
    /// Before renaming the n-th file into place.
    Commit(usize),
}

/// Writes `files` into `dir` (created if missing) all-or-nothing; see the module docs.
pub(crate) fn write_all(
    dir: &Path,
    files: &[PlannedFile],
    force: bool,
) -> Result<Vec<WrittenFile>, MintError> {
    write_all_with(dir, files, force, &mut |_| Ok(()))
}

/// [`write_all`] with a hook called before each step (tests make it fail).
pub(crate) fn write_all_with(
    dir: &Path,
    files: &[PlannedFile],
    force: bool,
    hook: &mut dyn FnMut(Step) -> std::io::Result<()>,
) -> Result<Vec<WrittenFile>, MintError> {
    let io_err = |path: &Path, source: std::io::Error| MintError::Write {
        path: path.to_path_buf(),
        source,
    };
    if !dir.is_dir() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(dir)
            .map_err(|e| io_err(dir, e))?;
    }

    // Refuse before writing anything.
    let mut existing = Vec::new();
    for f in files {
        let target = dir.join(f.name);
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                return Err(MintError::TargetIsDirectory { path: target });
            }
            Ok(_) => existing.push(target),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&target, e)),
        }
    }
    if !existing.is_empty() && !force {
        return Err(MintError::WouldOverwrite { paths: existing });
    }

    // Phase 1: complete temporary files.
    let mut temps: Vec<PathBuf> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let temp = temp_name(dir, f.name)?;
        let result = hook(Step::Temp(i)).and_then(|()| write_temp(&temp, f));
        match result {
            Ok(()) => temps.push(temp),
            Err(e) => {
                let _ = fs::remove_file(&temp);
                remove_all(&temps);
                return Err(io_err(&dir.join(f.name), e));
            }
        }
    }

    // Phase 2: back up and rename into place; undo everything on the first failure.
    let mut done: Vec<WrittenFile> = Vec::new();
    for (i, (f, temp)) in files.iter().zip(&temps).enumerate() {
        let target = dir.join(f.name);
        let mut step = || -> Result<Option<PathBuf>, (PathBuf, std::io::Error)> {
            hook(Step::Commit(i)).map_err(|e| (target.clone(), e))?;
            let mut backup = None;
            if fs::symlink_metadata(&target).is_ok() {
                let bak = backup_name(&target);
                fs::rename(&target, &bak).map_err(|e| (target.clone(), e))?;
                backup = Some(bak);
            }
            if let Err(e) = fs::rename(temp, &target) {
                if let Some(bak) = &backup {
                    let _ = fs::rename(bak, &target);
                }
                return Err((target.clone(), e));
            }
            Ok(backup)
        };
        match step() {
            Ok(backup) => done.push(WrittenFile {
                name: f.name.to_owned(),
                path: target,
                mode: if f.secret { SECRET_MODE } else { PUBLIC_MODE },
                backup,
            }),
            Err((path, e)) => {
                for w in done.iter().rev() {
                    match &w.backup {
                        Some(bak) => {
                            let _ = fs::rename(bak, &w.path);
                        }
                        None => {
                            let _ = fs::remove_file(&w.path);
                        }
                    }
                }
                remove_all(&temps[i..]);
                return Err(io_err(&path, e));
            }
        }
    }
    // Make the renames durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(done)
}

fn write_temp(temp: &Path, f: &PlannedFile) -> std::io::Result<()> {
    let mode = if f.secret { SECRET_MODE } else { PUBLIC_MODE };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(temp)?;
    file.write_all(&f.contents)?;
    file.sync_all()
}

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = fs::remove_file(p);
    }
}

/// `.NAME.tmp-<random>` next to the target, so the final rename stays on one file system.
fn temp_name(dir: &Path, name: &str) -> Result<PathBuf, MintError> {
    let mut r = [0u8; 6];
    super::keys::fill_random(&mut r)?;
    let suffix: String = r.iter().map(|b| format!("{b:02x}")).collect();
    Ok(dir.join(format!(".{name}.tmp-{suffix}")))
}

/// `NAME.bak`, or `NAME.bak.2`, `NAME.bak.3`, … so no earlier backup is ever lost.
fn backup_name(target: &Path) -> PathBuf {
    let base = format!("{}.bak", target.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 2;
    while fs::symlink_metadata(&candidate).is_ok() {
        candidate = PathBuf::from(format!("{base}.{n}"));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn plan() -> Vec<PlannedFile> {
        ["cert.pem", "key.pem", "chain.pem"]
            .into_iter()
            .map(|name| PlannedFile {
                name,
                contents: format!("new {name}").into_bytes().into(),
                secret: name == "key.pem",
            })
            .collect()
    }

    fn scratch(tag: &str) -> PathBuf {
        let mut r = [0u8; 4];
        super::super::keys::fill_random(&mut r).unwrap();
        let dir = std::env::temp_dir().join(format!(
            "chainscope-files-{tag}-{:x}",
            u32::from_le_bytes(r)
        ));
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read_to_string(e.path()).unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn secret_files_are_created_with_mode_0600() {
        let dir = scratch("mode");
        write_all(&dir, &plan(), false).unwrap();
        let mode = fs::metadata(dir.join("key.pem"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn failure_while_writing_temporaries_leaves_nothing_new() {
        let dir = scratch("temp-fail");
        let mut hook = |s: Step| {
            if s == Step::Temp(2) {
                Err(std::io::Error::other("injected"))
            } else {
                Ok(())
            }
        };
        assert!(write_all_with(&dir, &plan(), false, &mut hook).is_err());
        assert_eq!(listing(&dir), vec![]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn failure_midway_through_renames_restores_the_old_files() {
        let dir = scratch("commit-fail");
        fs::write(dir.join("cert.pem"), "old cert").unwrap();
        fs::write(dir.join("key.pem"), "old key").unwrap();
        let before = listing(&dir);
        let mut hook = |s: Step| {
            if s == Step::Commit(2) {
                Err(std::io::Error::other("injected"))
            } else {
                Ok(())
            }
        };
        assert!(write_all_with(&dir, &plan(), true, &mut hook).is_err());
        assert_eq!(listing(&dir), before);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn force_keeps_every_earlier_backup() {
        let dir = scratch("bak");
        fs::write(dir.join("cert.pem"), "first").unwrap();
        fs::write(dir.join("cert.pem.bak"), "older").unwrap();
        let written = write_all(&dir, &plan(), true).unwrap();
        assert_eq!(written[0].backup, Some(dir.join("cert.pem.bak.2")));
        assert_eq!(
            fs::read_to_string(dir.join("cert.pem.bak.2")).unwrap(),
            "first"
        );
        assert_eq!(
            fs::read_to_string(dir.join("cert.pem.bak")).unwrap(),
            "older"
        );
        fs::remove_dir_all(dir).unwrap();
    }
}
