//! Writing a set of certificate and key files so that the set switches as a whole.
//!
//! Keys and certificates are precious, and a key only works with its own certificate, so
//! the set in the output directory is switched as one:
//! - the whole new set is written into a fresh sibling directory `.NAME.new-<random>`
//!   (mode 0700 while it is filled), every file created with its final mode (0600 for
//!   secrets — never world-readable, not even for an instant), written, fsync'ed; then the
//!   directory is fsync'ed and given its final mode (the old directory's, without
//!   write access for others; 0755 for a new one);
//! - files of the old directory that are not part of the set are carried into it (hard
//!   links, so they stay the same files);
//! - then the new directory takes the place of the old one in **one** `renameat2(…,
//!   RENAME_EXCHANGE)` (`renameatx_np(RENAME_SWAP)` on macOS): at every instant the output
//!   path holds either the complete old set or the complete new set, whatever happens;
//! - the old directory, now at the sibling's name, is renamed to `NAME.prev-<UTC time>`
//!   and kept when the new set replaced files of it (with `force`); when nothing was
//!   replaced it is removed. A new output directory appears with one `rename`, complete.
//!
//! Where the exchange is not available (a file system that refuses `RENAME_EXCHANGE`, a
//! platform without it), the old directory is renamed to `NAME.prev-…` and the new one
//! into place: two renames, with a window of a few microseconds in which the output path
//! does not exist (never a mixed set). A directory that is a mount point cannot be renamed:
//! its files are replaced one rename at a time (each old file kept as `NAME.bak`), with a
//! warning. An existing directory that holds subdirectories is never swapped: new files
//! are added into it when nothing is replaced, and replacing files there is refused.
//!
//! An output path that is a symbolic link to a directory switches the directory it points
//! to (named after it: `TARGET.prev-…`); the link itself stays as it is.
//!
//! An existing target is never replaced unless `force` is set. When any step before the
//! switch fails, the sibling directory and every directory created for the output path
//! are removed: nothing new is left behind, not even an empty output directory.
//!
//! Test-only: when the environment variable [`CRASH_ENV`] names a step
//! (`staging`, `file:NAME`, `staged`, `swapped`, `kept`, `moved-old`), the process aborts right after that step, so tests can check that a
//! process killed at any point leaves a consistent set.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::MintError;

/// Mode of private key files.
pub const SECRET_MODE: u32 = 0o600;
/// Mode of certificate files.
pub const PUBLIC_MODE: u32 = 0o644;

/// **Test-only.** When set to a step name (`staging`, `file:key.pem`, `staged`,
/// `swapped`, `kept`, `moved-old`), a write of a set aborts the process right after that
/// step: the kill-at-each-step tests use it. Never set it otherwise.
pub const CRASH_ENV: &str = "CHAINSCOPE_TEST_CRASH_AT";

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
#[non_exhaustive]
pub struct WrittenFile {
    /// File name (`fullchain.pem`).
    pub name: String,
    /// Full path as written.
    pub path: PathBuf,
    /// Unix permission bits (`0o600` for keys).
    pub mode: u32,
    /// Where the file it replaced now lives (in the kept previous set,
    /// `DIR.prev-…/NAME`), when `force` replaced one.
    pub backup: Option<PathBuf>,
}

/// What [`write_set`] did.
#[derive(Debug)]
pub(crate) struct WrittenSet {
    /// The output directory as given, made absolute.
    pub(crate) dir: PathBuf,
    /// The files of the set, in order.
    pub(crate) files: Vec<WrittenFile>,
    /// Where the replaced set is kept, when files were replaced.
    pub(crate) previous: Option<PathBuf>,
    /// Things the caller should know (a directory others can write, a mount point).
    pub(crate) warnings: Vec<String>,
}

/// A step of [`write_set`]: tests inject failures before it (the hook) or abort the
/// process after it ([`CRASH_ENV`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The sibling directory exists, still empty.
    Staging,
    /// The n-th file of the set is complete in the sibling directory.
    File(usize),
    /// The whole new set is complete and durable in the sibling directory.
    Staged,
    /// The new set is at the output path; the old one at the sibling's name.
    Swapped,
    /// The old set is kept as `NAME.prev-…`.
    Kept,
    /// Without an atomic exchange only: the old directory was renamed away and the new
    /// one is not yet in place.
    MovedOld,
    /// Writing in place only (a mount point): before the n-th file is renamed into place.
    Commit(usize),
}

impl Step {
    /// The name [`CRASH_ENV`] takes: `staging`, `file:NAME`, `staged`, `swapped`, `kept`,
    /// `moved-old`.
    pub(crate) fn name(self, names: &[&str]) -> String {
        match self {
            Step::Staging => "staging".into(),
            Step::File(i) => format!("file:{}", names.get(i).copied().unwrap_or("?")),
            Step::Staged => "staged".into(),
            Step::Swapped => "swapped".into(),
            Step::Kept => "kept".into(),
            Step::MovedOld => "moved-old".into(),
            Step::Commit(i) => format!("commit:{}", names.get(i).copied().unwrap_or("?")),
        }
    }
}

/// Aborts the process when [`CRASH_ENV`] names `step` (tests only).
fn crash_point(step: Step, names: &[&str]) {
    if let Some(want) = std::env::var_os(CRASH_ENV) {
        if want.to_str() == Some(step.name(names).as_str()) {
            std::process::abort();
        }
    }
}

/// What to write and how.
pub(crate) struct WriteRequest<'a> {
    /// The output directory as given.
    pub(crate) dir: &'a Path,
    /// The set.
    pub(crate) files: &'a [PlannedFile],
    /// Replace existing files.
    pub(crate) force: bool,
    /// The set holds a CA's private key: refused in a directory others can write, unless
    /// `force`.
    pub(crate) ca_key: bool,
}

type Hook<'h> = &'h mut dyn FnMut(Step) -> std::io::Result<()>;

fn io_err(path: &Path, source: std::io::Error) -> MintError {
    MintError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes the set; see the module docs.
pub(crate) fn write_set(req: &WriteRequest<'_>) -> Result<WrittenSet, MintError> {
    write_set_with(req, &mut |_| Ok(()))
}

/// [`write_set`] with a hook called before the steps up to the switch (tests make it fail).
pub(crate) fn write_set_with(
    req: &WriteRequest<'_>,
    hook: Hook<'_>,
) -> Result<WrittenSet, MintError> {
    let mut created = Vec::new();
    let result = write_set_inner(req, hook, &mut created);
    if result.is_err() {
        for d in created.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
    result
}

/// The output directory resolved: its parent (canonical), its name, and whether it exists.
struct Target {
    parent: PathBuf,
    name: OsString,
    path: PathBuf,
    existing: Option<fs::Metadata>,
}

fn resolve(dir: &Path, created: &mut Vec<PathBuf>) -> Result<Target, MintError> {
    let not_dir =
        |what: &str| std::io::Error::new(std::io::ErrorKind::NotADirectory, what.to_owned());
    match fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            let canon = fs::canonicalize(dir).map_err(|e| io_err(dir, e))?;
            let (Some(parent), Some(name)) = (canon.parent(), canon.file_name()) else {
                return Err(io_err(dir, not_dir("the root directory cannot hold a set")));
            };
            Ok(Target {
                parent: parent.to_path_buf(),
                name: name.to_owned(),
                path: canon.clone(),
                existing: Some(meta),
            })
        }
        Ok(_) => Err(io_err(dir, not_dir("exists and is not a directory"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(dir).is_ok() {
                return Err(io_err(dir, not_dir("a symbolic link to nothing")));
            }
            let abs = std::path::absolute(dir).map_err(|e| io_err(dir, e))?;
            let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
                return Err(io_err(dir, not_dir("not a directory name")));
            };
            let missing: Vec<&Path> = parent
                .ancestors()
                .take_while(|a| fs::symlink_metadata(a).is_err())
                .collect();
            for a in missing.into_iter().rev() {
                fs::DirBuilder::new()
                    .mode(0o755)
                    .create(a)
                    .map_err(|e| io_err(dir, e))?;
                created.push(a.to_path_buf());
            }
            let parent = fs::canonicalize(parent).map_err(|e| io_err(dir, e))?;
            if !parent.is_dir() {
                return Err(io_err(dir, not_dir("its parent is not a directory")));
            }
            Ok(Target {
                path: parent.join(name),
                parent,
                name: name.to_owned(),
                existing: None,
            })
        }
        Err(e) => Err(io_err(dir, e)),
    }
}

/// The directories among `start` and its ancestors that other users can write without the
/// sticky bit (which stops them from renaming or removing what they do not own).
fn open_to_others(start: &Path) -> Vec<(PathBuf, u32)> {
    start
        .ancestors()
        .filter_map(|a| {
            let mode = fs::metadata(a).ok()?.mode();
            (mode & 0o002 != 0 && mode & 0o1000 == 0).then(|| (a.to_path_buf(), mode & 0o7777))
        })
        .collect()
}

fn write_set_inner(
    req: &WriteRequest<'_>,
    hook: Hook<'_>,
    created: &mut Vec<PathBuf>,
) -> Result<WrittenSet, MintError> {
    let target = resolve(req.dir, created)?;
    // Reported as given (made absolute): a symbolic link stays the path to configure.
    let shown = std::path::absolute(req.dir).unwrap_or_else(|_| target.path.clone());
    let mut warnings = Vec::new();

    let open = open_to_others(if target.existing.is_some() {
        &target.path
    } else {
        &target.parent
    });
    if let Some((dir, mode)) = open.first() {
        if req.ca_key && !req.force {
            return Err(MintError::InsecureDirectory {
                path: dir.clone(),
                mode: *mode,
            });
        }
        warnings.push(format!(
            "{} can be written by other users (mode {mode:04o}, no sticky bit): they can replace or remove these files; keep keys in a directory only you can write",
            dir.display()
        ));
    }

    // What is in the way, before writing anything.
    let mut conflicts = Vec::new();
    let mut carry = Vec::new();
    let mut has_subdirs = false;
    if target.existing.is_some() {
        let entries = fs::read_dir(&target.path).map_err(|e| io_err(&target.path, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_err(&target.path, e))?;
            let name = entry.file_name();
            let kind = entry.file_type().map_err(|e| io_err(&entry.path(), e))?;
            if req.files.iter().any(|f| name == *f.name) {
                if kind.is_dir() {
                    return Err(MintError::TargetIsDirectory { path: entry.path() });
                }
                conflicts.push(entry.path());
            } else if kind.is_file() || kind.is_symlink() {
                carry.push(name);
            } else {
                has_subdirs = true;
            }
        }
    }
    if !conflicts.is_empty() && !req.force {
        return Err(MintError::WouldOverwrite { paths: conflicts });
    }

    if let Some(meta) = &target.existing {
        let parent_dev = fs::metadata(&target.parent)
            .map_err(|e| io_err(&target.parent, e))?
            .dev();
        if meta.dev() != parent_dev {
            warnings.push(format!(
                "{} is a mount point, which cannot be swapped as a whole: its files were replaced one at a time (old ones kept as NAME.bak), so a crash midway could leave old and new files mixed",
                target.path.display()
            ));
            let files = write_in_place(&target.path, req.files, req.force, hook)?;
            return Ok(WrittenSet {
                dir: shown,
                files,
                previous: None,
                warnings,
            });
        }
        if has_subdirs {
            if !conflicts.is_empty() {
                return Err(MintError::CannotSwap {
                    path: target.path.clone(),
                });
            }
            // Nothing is replaced: add the new files beside what is there.
            let files = write_in_place(&target.path, req.files, false, hook)?;
            return Ok(WrittenSet {
                dir: shown,
                files,
                previous: None,
                warnings,
            });
        }
    }

    let names: Vec<&str> = req.files.iter().map(|f| f.name).collect();
    let staging = target.parent.join(format!(
        ".{}.new-{}",
        target.name.to_string_lossy(),
        random_suffix()?
    ));
    let result = stage(&target, &staging, req.files, &carry, &names, hook);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }

    // The switch.
    let replaced = !conflicts.is_empty();
    let mut previous = None;
    if target.existing.is_none() {
        if let Err(e) = rename_noreplace(&staging, &target.path) {
            let _ = fs::remove_dir_all(&staging);
            return Err(io_err(&target.path, e));
        }
        crash_point(Step::Swapped, &names);
    } else {
        let old_at = match exchange(&staging, &target.path) {
            Ok(()) => {
                crash_point(Step::Swapped, &names);
                staging.clone()
            }
            Err(e) if exchange_unsupported(&e) => {
                // Two renames: the output path is missing for a moment, never mixed.
                let prev = prev_name(&target)?;
                if let Err(e) = rename_noreplace(&target.path, &prev) {
                    let _ = fs::remove_dir_all(&staging);
                    return Err(io_err(&target.path, e));
                }
                crash_point(Step::MovedOld, &names);
                if let Err(e) = rename_noreplace(&staging, &target.path) {
                    let _ = fs::rename(&prev, &target.path);
                    let _ = fs::remove_dir_all(&staging);
                    return Err(io_err(&target.path, e));
                }
                crash_point(Step::Swapped, &names);
                prev
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&staging);
                return Err(io_err(&target.path, e));
            }
        };
        if replaced {
            let kept = if old_at == staging {
                match prev_name(&target).and_then(|prev| {
                    rename_noreplace(&staging, &prev)
                        .map(|()| prev)
                        .map_err(|e| io_err(&staging, e))
                }) {
                    Ok(prev) => prev,
                    Err(e) => {
                        warnings.push(format!(
                            "the previous set stays at {}: renaming it failed: {e}",
                            staging.display()
                        ));
                        staging.clone()
                    }
                }
            } else {
                old_at
            };
            crash_point(Step::Kept, &names);
            previous = Some(kept);
        } else {
            // Nothing was replaced: the old directory held only what was carried over.
            for name in &carry {
                let _ = fs::remove_file(old_at.join(name));
            }
            if fs::remove_dir(&old_at).is_err() {
                warnings.push(format!(
                    "{} holds what appeared in the output directory while the set was written",
                    old_at.display()
                ));
                previous = Some(old_at);
            }
        }
    }
    if let Ok(d) = File::open(&target.parent) {
        let _ = d.sync_all();
    }

    let files = req
        .files
        .iter()
        .map(|f| WrittenFile {
            name: f.name.to_owned(),
            path: shown.join(f.name),
            mode: if f.secret { SECRET_MODE } else { PUBLIC_MODE },
            backup: match &previous {
                Some(prev)
                    if conflicts
                        .iter()
                        .any(|c| c.file_name() == Some(f.name.as_ref())) =>
                {
                    Some(prev.join(f.name))
                }
                _ => None,
            },
        })
        .collect();
    Ok(WrittenSet {
        dir: shown,
        files,
        previous,
        warnings,
    })
}

/// Fills the sibling directory: the set, the carried files, modes, fsync.
fn stage(
    target: &Target,
    staging: &Path,
    files: &[PlannedFile],
    carry: &[OsString],
    names: &[&str],
    hook: Hook<'_>,
) -> Result<(), MintError> {
    hook(Step::Staging).map_err(|e| io_err(staging, e))?;
    fs::DirBuilder::new()
        .mode(0o700)
        .create(staging)
        .map_err(|e| io_err(&target.path, e))?;
    crash_point(Step::Staging, names);
    for (i, f) in files.iter().enumerate() {
        let path = staging.join(f.name);
        hook(Step::File(i))
            .and_then(|()| write_new(&path, f))
            .map_err(|e| io_err(&target.path.join(f.name), e))?;
        crash_point(Step::File(i), names);
    }
    for name in carry {
        let from = target.path.join(name);
        let to = staging.join(name);
        carry_entry(&from, &to).map_err(|e| io_err(&from, e))?;
    }
    let mode = match &target.existing {
        Some(meta) => meta.mode() & 0o7777 & !0o002,
        None => 0o755,
    };
    hook(Step::Staged).map_err(|e| io_err(staging, e))?;
    fs::set_permissions(staging, fs::Permissions::from_mode(mode))
        .map_err(|e| io_err(staging, e))?;
    if let Some(meta) = &target.existing {
        // Keep the group (and, for root, the owner) of the directory it replaces.
        let _ = std::os::unix::fs::chown(staging, Some(meta.uid()), Some(meta.gid()))
            .or_else(|_| std::os::unix::fs::chown(staging, None, Some(meta.gid())));
    }
    File::open(staging)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_err(staging, e))?;
    crash_point(Step::Staged, names);
    Ok(())
}

/// Carries a file of the old directory into the new one: a hard link (the same file), a
/// copy of a symbolic link, or a copy of the file when it cannot be linked.
fn carry_entry(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        return std::os::unix::fs::symlink(fs::read_link(from)?, to);
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to)?;
    File::open(to)?.sync_all()
}

/// Creates `path` with the file's final mode, writes it and syncs it.
fn write_new(path: &Path, f: &PlannedFile) -> std::io::Result<()> {
    let mode = if f.secret { SECRET_MODE } else { PUBLIC_MODE };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)?;
    file.write_all(&f.contents)?;
    // The mode given to open() is reduced by the umask; a certificate is meant to be 0644.
    file.set_permissions(fs::Permissions::from_mode(mode))?;
    file.sync_all()
}

fn random_suffix() -> Result<String, MintError> {
    let mut r = [0u8; 6];
    super::keys::fill_random(&mut r)?;
    Ok(crate::encoding::hex(&r, ""))
}

/// `NAME.prev-<UTC time>` next to the output directory (`-2`, `-3`, … if taken).
fn prev_name(target: &Target) -> Result<PathBuf, MintError> {
    let now = time::OffsetDateTime::now_utc();
    let base = format!(
        "{}.prev-{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        target.name.to_string_lossy(),
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let mut candidate = target.parent.join(&base);
    let mut n = 2;
    while fs::symlink_metadata(&candidate).is_ok() {
        candidate = target.parent.join(format!("{base}-{n}"));
        n += 1;
    }
    Ok(candidate)
}

/// **Test-only.** When set (to anything), a write of a set behaves as on a system without
/// an atomic exchange (two renames), so tests can reach the `moved-old` step.
pub const NO_EXCHANGE_ENV: &str = "CHAINSCOPE_TEST_NO_EXCHANGE";

/// Swaps two directory entries atomically.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    if std::env::var_os(NO_EXCHANGE_ENV).is_some() {
        return Err(std::io::ErrorKind::Unsupported.into());
    }
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(std::io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether `exchange` failed because the system or file system cannot do it.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(code) if code == rustix::io::Errno::INVAL.raw_os_error()
            || code == rustix::io::Errno::NOSYS.raw_os_error()
            || code == rustix::io::Errno::NOTSUP.raw_os_error())
}

/// `rename` that fails instead of replacing an existing `to` (where the system can say so).
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn rename_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    match rustix::fs::renameat_with(
        rustix::fs::CWD,
        from,
        rustix::fs::CWD,
        to,
        rustix::fs::RenameFlags::NOREPLACE,
    ) {
        Ok(()) => Ok(()),
        Err(e) if exchange_unsupported(&e.into()) => {
            if fs::symlink_metadata(to).is_ok() {
                return Err(std::io::ErrorKind::AlreadyExists.into());
            }
            fs::rename(from, to)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn rename_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(to).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    fs::rename(from, to)
}

/// Writes `files` into the existing directory `dir` one rename at a time (a mount point,
/// or a directory with subdirectories where nothing is replaced): each file complete under
/// a temporary name first, then renamed into place, an old one first kept as `NAME.bak`;
/// on failure every step already taken is undone.
fn write_in_place(
    dir: &Path,
    files: &[PlannedFile],
    force: bool,
    hook: Hook<'_>,
) -> Result<Vec<WrittenFile>, MintError> {
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
        let result = hook(Step::File(i)).and_then(|()| write_new(&temp, f));
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

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = fs::remove_file(p);
    }
}

/// `.NAME.tmp-<random>` next to the target, so the final rename stays on one file system.
fn temp_name(dir: &Path, name: &str) -> Result<PathBuf, MintError> {
    let mut r = [0u8; 6];
    super::keys::fill_random(&mut r)?;
    let suffix = crate::encoding::hex(&r, "");
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

    fn plan(tag: &str) -> Vec<PlannedFile> {
        ["cert.pem", "key.pem", "chain.pem"]
            .into_iter()
            .map(|name| PlannedFile {
                name,
                contents: format!("{tag} {name}").into_bytes().into(),
                secret: name == "key.pem",
            })
            .collect()
    }

    fn request<'a>(dir: &'a Path, files: &'a [PlannedFile], force: bool) -> WriteRequest<'a> {
        WriteRequest {
            dir,
            files,
            force,
            ca_key: false,
        }
    }

    fn scratch(tag: &str) -> PathBuf {
        let mut r = [0u8; 4];
        super::super::keys::fill_random(&mut r).unwrap();
        let dir = std::env::temp_dir().join(format!(
            "chainscope-files-{tag}-{}",
            crate::encoding::hex(&r, "")
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

    fn names(dir: &Path) -> Vec<String> {
        listing(dir).into_iter().map(|(n, _)| n).collect()
    }

    fn fail_at(step: Step) -> impl FnMut(Step) -> std::io::Result<()> {
        move |s| {
            if s == step {
                Err(std::io::Error::other("injected"))
            } else {
                Ok(())
            }
        }
    }

    #[test]
    fn secret_files_are_created_with_mode_0600() {
        let dir = scratch("mode");
        let out = dir.join("out");
        let files = plan("new");
        write_set(&request(&out, &files, false)).unwrap();
        let mode = |n: &str| fs::metadata(out.join(n)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("key.pem"), 0o600);
        assert_eq!(mode("cert.pem"), 0o644);
        // Only the output directory: no staging directory left next to it.
        assert_eq!(names(&dir), ["out"]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn failure_before_the_switch_leaves_no_output_directory_at_all() {
        let dir = scratch("temp-fail");
        let out = dir.join("a/b/out");
        for step in [Step::Staging, Step::File(0), Step::File(2), Step::Staged] {
            let files = plan("new");
            let mut hook = fail_at(step);
            assert!(write_set_with(&request(&out, &files, false), &mut hook).is_err());
            // Not even the directories created for the path are left.
            assert_eq!(names(&dir), Vec::<String>::new(), "{step:?}");
        }
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn failure_before_the_switch_leaves_the_old_set_untouched() {
        let dir = scratch("commit-fail");
        let out = dir.join("out");
        let old = plan("old");
        write_set(&request(&out, &old, false)).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let before = listing(&out);
        for step in [Step::Staging, Step::File(1), Step::Staged] {
            let files = plan("new");
            let mut hook = fail_at(step);
            assert!(write_set_with(&request(&out, &files, true), &mut hook).is_err());
            assert_eq!(listing(&out), before, "{step:?}");
            assert_eq!(names(&dir), ["out"], "{step:?}");
        }
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn force_switches_the_set_and_keeps_the_previous_one() {
        let dir = scratch("prev");
        let out = dir.join("out");
        write_set(&request(&out, &plan("first"), false)).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let refused = write_set(&request(&out, &plan("second"), false)).unwrap_err();
        assert!(matches!(refused, MintError::WouldOverwrite { ref paths } if paths.len() == 3));

        let written = write_set(&request(&out, &plan("second"), true)).unwrap();
        let prev = written.previous.clone().unwrap();
        assert!(prev
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("out.prev-"));
        assert_eq!(written.files[0].backup, Some(prev.join("cert.pem")));
        assert_eq!(
            fs::read_to_string(out.join("cert.pem")).unwrap(),
            "second cert.pem"
        );
        assert_eq!(
            fs::read_to_string(prev.join("cert.pem")).unwrap(),
            "first cert.pem"
        );
        // Other files stay in the output directory (and in the kept set).
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        // A third run keeps both earlier sets.
        let third = write_set(&request(&out, &plan("third"), true)).unwrap();
        assert_ne!(third.previous.as_ref(), Some(&prev));
        assert_eq!(
            fs::read_to_string(third.previous.unwrap().join("cert.pem")).unwrap(),
            "second cert.pem"
        );
        assert_eq!(
            fs::read_to_string(prev.join("cert.pem")).unwrap(),
            "first cert.pem"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn adding_to_a_directory_keeps_its_files_and_no_previous_set() {
        let dir = scratch("add");
        let out = dir.join("out");
        fs::create_dir(&out).unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o750)).unwrap();
        fs::write(out.join("other.txt"), "x").unwrap();
        let written = write_set(&request(&out, &plan("new"), false)).unwrap();
        assert_eq!(written.previous, None);
        assert_eq!(
            names(&out),
            ["cert.pem", "chain.pem", "key.pem", "other.txt"]
        );
        assert_eq!(names(&dir), ["out"]);
        let mode = fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o750);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_directory_with_subdirectories_is_not_swapped() {
        let dir = scratch("subdir");
        let out = dir.join("out");
        fs::create_dir_all(out.join("sub")).unwrap();
        // Nothing replaced: the files are added in place.
        write_set(&request(&out, &plan("new"), false)).unwrap();
        assert_eq!(names(&out), ["cert.pem", "chain.pem", "key.pem", "sub"]);
        // Replacing there is refused, and nothing changes.
        let before = listing(&out);
        let err = write_set(&request(&out, &plan("newer"), true)).unwrap_err();
        assert!(matches!(err, MintError::CannotSwap { .. }), "{err}");
        assert_eq!(listing(&out), before);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_symlinked_output_directory_keeps_its_link_and_gets_the_new_set() {
        let dir = scratch("link");
        let real = dir.join("proxy-2026");
        let link = dir.join("proxy");
        write_set(&request(&real, &plan("old"), false)).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let written = write_set(&request(&link, &plan("new"), true)).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_link(&link).unwrap(), real);
        assert_eq!(
            fs::read_to_string(link.join("cert.pem")).unwrap(),
            "new cert.pem"
        );
        let prev = written.previous.unwrap();
        assert!(prev
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("proxy-2026.prev-"));
        assert_eq!(
            fs::read_to_string(prev.join("cert.pem")).unwrap(),
            "old cert.pem"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn in_place_failure_midway_through_renames_restores_the_old_files() {
        let dir = scratch("inplace");
        fs::write(dir.join("cert.pem"), "old cert").unwrap();
        fs::write(dir.join("key.pem"), "old key").unwrap();
        let before = listing(&dir);
        let mut hook = fail_at(Step::Commit(2));
        assert!(write_in_place(&dir, &plan("new"), true, &mut hook).is_err());
        assert_eq!(listing(&dir), before);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn world_writable_directories_warn_and_refuse_ca_keys() {
        let dir = scratch("open");
        let shared = dir.join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o777)).unwrap();
        let out = shared.join("out");
        let files = plan("new");
        let mut ca = request(&out, &files, false);
        ca.ca_key = true;
        let err = write_set(&ca).unwrap_err();
        assert!(
            matches!(err, MintError::InsecureDirectory { ref path, mode: 0o777 } if *path == shared),
            "{err}"
        );
        assert!(!out.exists());
        // A leaf only warns.
        let written = write_set(&request(&out, &files, false)).unwrap();
        assert_eq!(written.warnings.len(), 1, "{:?}", written.warnings);
        assert!(
            written.warnings[0].contains("0777"),
            "{:?}",
            written.warnings
        );
        // --force writes the CA key anyway, with the warning.
        let mut forced = request(&out, &files, true);
        forced.ca_key = true;
        assert_eq!(write_set(&forced).unwrap().warnings.len(), 1);
        // The sticky bit (as on /tmp) stops others from replacing what they do not own.
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
        let fine = write_set(&forced).unwrap();
        assert!(fine.warnings.is_empty(), "{:?}", fine.warnings);
        fs::remove_dir_all(dir).unwrap();
    }
}
