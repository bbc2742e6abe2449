//! reprint's file handling, shared by the library, the generator and the binary.
//!
//! * [`AtomicFile`]: an output file that is either absent, the old one, or complete.
//!   On Linux it is written as an unnamed file (`O_TMPFILE`) in the target's directory
//!   and only given a name when complete, so even SIGKILL leaves nothing behind;
//!   elsewhere (or where the file system has no `O_TMPFILE`) it is a hidden
//!   `.reprint-<pid>-<random>.tmp` file.
//! * [`Spool`]: a copy of a stream (stdin, a FIFO, process substitution) in the
//!   temporary directory, named `reprint-spool-<pid>-<random>.tmp`, so that it can be
//!   read on every pass.
//! * A registry of the named temporary files alive in this process:
//!   [`remove_all_then`] removes them (a signal handler calls it before exiting).
//!   Files left by a process that was killed are recognised by the pid in their name
//!   and removed by the next run that creates a file of the same kind in the same
//!   directory ([`clean_stale`]).

#![warn(missing_docs)]

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Prefix of the named temporary output files (`.reprint-<pid>-<random>.tmp`).
pub const OUTPUT_PREFIX: &str = ".reprint-";
/// Prefix of spool files in the temporary directory (`reprint-spool-<pid>-<random>.tmp`).
pub const SPOOL_PREFIX: &str = "reprint-spool-";
/// Suffix of every temporary file.
pub const SUFFIX: &str = ".tmp";

static REGISTERED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn registry() -> MutexGuard<'static, Vec<PathBuf>> {
    REGISTERED.lock().unwrap_or_else(|e| e.into_inner())
}

fn register_in(reg: &mut Vec<PathBuf>, path: &Path) {
    reg.push(path.to_path_buf());
}

fn unregister_in(reg: &mut Vec<PathBuf>, path: &Path) {
    if let Some(i) = reg.iter().rposition(|p| p == path) {
        reg.swap_remove(i);
    }
}

/// Removes every registered temporary file, then runs `f` while still holding the
/// registry, so that no temporary file is created, renamed into place or registered
/// once this has started. A signal handler calls `remove_all_then(|| exit(130))`.
pub fn remove_all_then<R>(f: impl FnOnce() -> R) -> R {
    let mut reg = registry();
    // Newest first: the files registered inside a registered directory go before it.
    for p in reg.drain(..).rev() {
        remove(&p);
    }
    let r = f();
    drop(reg);
    r
}

/// Removes a registered path: a file, or a directory and what it holds.
fn remove(p: &Path) {
    if p.is_dir() {
        let _ = fs::remove_dir_all(p);
    } else {
        let _ = fs::remove_file(p);
    }
}

/// A path registered as temporary (a file, or a directory removed with what it
/// holds) until this is dropped or [`Registered::keep_with`] makes it permanent: a
/// signal that comes first has [`remove_all_then`] remove it. The owner removes the
/// file itself on its own error paths; dropping only unregisters.
#[derive(Debug)]
#[must_use = "the path is unregistered when this is dropped"]
pub struct Registered {
    path: PathBuf,
    kept: bool,
}

/// Registers `path`, which this process is writing and may give up, as temporary
/// (for example a segment file that no commit names yet).
pub fn register(path: &Path) -> Registered {
    register_in(&mut registry(), path);
    Registered {
        path: path.to_path_buf(),
        kept: false,
    }
}

impl Registered {
    /// The registered path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `commit` (what makes the path permanent, for example the rename of a
    /// manifest that names it) while holding the registry, so that a signal handler
    /// cannot remove the path after `commit` made it part of something; unregisters
    /// it when `commit` succeeds. On an error the path stays registered until drop.
    pub fn keep_with<R, E>(&mut self, commit: impl FnOnce() -> Result<R, E>) -> Result<R, E> {
        let mut reg = registry();
        let r = match commit() {
            Ok(r) => r,
            Err(e) => {
                drop(reg);
                return Err(e);
            }
        };
        unregister_in(&mut reg, &self.path);
        self.kept = true;
        Ok(r)
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        if !self.kept {
            unregister_in(&mut registry(), &self.path);
        }
    }
}

/// Runs `f` while holding the registry, so that a signal handler's
/// [`remove_all_then`] (and the exit after it) waits until `f` is done: for a short
/// step that must not be cut in the middle, such as removing the files a commit has
/// just made obsolete.
pub fn hold<R>(f: impl FnOnce() -> R) -> R {
    let reg = registry();
    let r = f();
    drop(reg);
    r
}

/// The temporary files registered now (for tests and diagnostics).
pub fn registered() -> Vec<PathBuf> {
    registry().clone()
}

/// True when `pid` is a process that still runs (on Linux, through `/proc`); elsewhere
/// every pid is taken to be alive, so nothing is removed.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// The pid in a temporary file's name `<prefix><pid>-<random>.tmp`, if it is one.
pub fn temp_pid(name: &str, prefix: &str) -> Option<u32> {
    let rest = name.strip_prefix(prefix)?.strip_suffix(SUFFIX)?;
    let (pid, _) = rest.split_once('-')?;
    pid.parse().ok()
}

/// Removes the temporary files `<prefix><pid>-<random>.tmp` in `dir` left by processes
/// that no longer run (killed before they could clean up). Returns how many were
/// removed; errors are ignored (the files are someone else's to worry about then).
pub fn clean_stale(dir: &Path, prefix: &str) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let me = std::process::id();
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| temp_pid(n, prefix)) else {
            continue;
        };
        if pid == me || alive(pid) {
            continue;
        }
        if e.file_type().is_ok_and(|t| t.is_file()) && fs::remove_file(e.path()).is_ok() {
            n += 1;
        }
    }
    n
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn named_temp(dir: &Path, prefix: &str) -> io::Result<(File, PathBuf)> {
    let mut b = tempfile::Builder::new();
    let prefix = format!("{prefix}{}-", std::process::id());
    b.prefix(&prefix).suffix(SUFFIX);
    // Like any file a program writes: 0666 less the umask, not tempfile's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o666));
    }
    // Registered under the registry's lock, so an interrupt either sees it or never
    // lets it be created.
    let mut reg = registry();
    let tmp = b.tempfile_in(dir)?;
    let (file, path) = tmp.keep().map_err(|e| e.error)?;
    register_in(&mut reg, &path);
    Ok((file, path))
}

/// An unnamed file in `dir` (Linux `O_TMPFILE`, mode 0666 less the umask), when the
/// file system supports it and `/proc/self/fd` can name it later.
#[cfg(target_os = "linux")]
fn unnamed_temp(dir: &Path) -> Option<File> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::FromRawFd;
    if !Path::new("/proc/self/fd").is_dir() {
        return None;
    }
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path; the returned descriptor is owned by
    // the File from here on.
    let fd = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_TMPFILE | libc::O_WRONLY | libc::O_CLOEXEC,
            0o666 as libc::c_uint,
        )
    };
    if fd < 0 {
        return None;
    }
    Some(unsafe { File::from_raw_fd(fd) })
}

/// Gives the unnamed `file` the name `path` (which must not exist).
#[cfg(target_os = "linux")]
fn link_unnamed(file: &File, path: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    let from = std::ffi::CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))
        .map_err(io::Error::other)?;
    let to = std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both are valid NUL-terminated paths.
    let r = unsafe {
        libc::linkat(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::AT_SYMLINK_FOLLOW,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// An output file written in full before it replaces (or creates) its target: until
/// [`AtomicFile::commit`], the target is untouched; a dropped or interrupted one leaves
/// no file behind.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    file: Option<File>,
    /// The temporary file's name; `None` for an unnamed file.
    named: Option<PathBuf>,
}

impl AtomicFile {
    /// Starts a file that will become `target` (a regular file or a new path; the
    /// caller resolves symlinks first). Removes stale temporary files of killed runs in
    /// the target's directory.
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = parent(target);
        clean_stale(dir, OUTPUT_PREFIX);
        #[cfg(target_os = "linux")]
        if let Some(file) = unnamed_temp(dir) {
            return Ok(AtomicFile {
                target: target.to_path_buf(),
                file: Some(file),
                named: None,
            });
        }
        let (file, path) = named_temp(dir, OUTPUT_PREFIX)?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            file: Some(file),
            named: Some(path),
        })
    }

    /// The path this file will have.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The file being written.
    pub fn file(&mut self) -> &mut File {
        self.file.as_mut().expect("open until committed")
    }

    /// Puts the complete file in place of the target (atomically: a reader sees the
    /// old file or the new one). `mode`, when given, is set first (Unix permissions).
    pub fn commit(mut self, mode: Option<u32>) -> io::Result<()> {
        let file = self.file.take().expect("open until committed");
        #[cfg(unix)]
        if let Some(m) = mode {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(m))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        // Under the registry's lock: an interrupt removes the temporary name either
        // before the rename (no output) or not at all (complete output).
        let mut reg = registry();
        let named = match self.named.take() {
            Some(p) => p,
            None => {
                #[cfg(target_os = "linux")]
                {
                    let name = format!(
                        "{OUTPUT_PREFIX}{}-{:08x}{SUFFIX}",
                        std::process::id(),
                        random()
                    );
                    let p = parent(&self.target).join(name);
                    link_unnamed(&file, &p)?;
                    register_in(&mut reg, &p);
                    p
                }
                #[cfg(not(target_os = "linux"))]
                unreachable!("unnamed files exist on Linux only")
            }
        };
        drop(file);
        let r = fs::rename(&named, &self.target);
        if r.is_err() {
            let _ = fs::remove_file(&named);
        }
        unregister_in(&mut reg, &named);
        r
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file().write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file().flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(p) = self.named.take() {
            let mut reg = registry();
            let _ = fs::remove_file(&p);
            unregister_in(&mut reg, &p);
        }
    }
}

fn random() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish() as u32
}

/// A copy of a stream in the temporary directory, removed when dropped (or by
/// [`remove_all_then`] on an interrupt).
#[derive(Debug)]
pub struct Spool {
    path: PathBuf,
    bytes: u64,
    truncated: bool,
}

impl Spool {
    /// Copies `r` to a new spool file, at most `limit` bytes (then [`Spool::truncated`]
    /// is set and the rest of the stream is not read). Removes the stale spools of
    /// killed runs first.
    pub fn copy(r: &mut dyn Read, limit: Option<u64>) -> io::Result<Spool> {
        let dir = std::env::temp_dir();
        clean_stale(&dir, SPOOL_PREFIX);
        let (mut file, path) = named_temp(&dir, SPOOL_PREFIX)?;
        let mut spool = Spool {
            path,
            bytes: 0,
            truncated: false,
        };
        let n = match limit {
            Some(l) => io::copy(&mut r.take(l.saturating_add(1)), &mut file)?,
            None => io::copy(r, &mut file)?,
        };
        file.flush()?;
        spool.bytes = n;
        spool.truncated = limit.is_some_and(|l| n > l);
        Ok(spool)
    }

    /// A spool holding what `f` writes (buffered).
    pub fn from_writer(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<Spool> {
        let dir = std::env::temp_dir();
        clean_stale(&dir, SPOOL_PREFIX);
        let (file, path) = named_temp(&dir, SPOOL_PREFIX)?;
        let mut spool = Spool {
            path,
            bytes: 0,
            truncated: false,
        };
        let mut w = io::BufWriter::with_capacity(1 << 20, file);
        f(&mut w)?;
        w.flush()?;
        spool.bytes = w.get_ref().metadata()?.len();
        Ok(spool)
    }

    /// A new, empty spool to be written piece by piece ([`SpoolWriter`]). Removes the
    /// stale spools of killed runs first.
    pub fn writer() -> io::Result<SpoolWriter> {
        let dir = std::env::temp_dir();
        clean_stale(&dir, SPOOL_PREFIX);
        let (file, path) = named_temp(&dir, SPOOL_PREFIX)?;
        Ok(SpoolWriter {
            spool: Spool {
                path,
                bytes: 0,
                truncated: false,
            },
            w: io::BufWriter::with_capacity(1 << 20, file),
        })
    }

    /// Where the copy is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes copied.
    pub fn len(&self) -> u64 {
        self.bytes
    }

    /// True when nothing was copied.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// True when the stream was longer than the limit (one byte more was copied, so a
    /// reader applying the same limit sees it as too long).
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

/// A spool being written ([`Spool::writer`]): buffered writes, then
/// [`SpoolWriter::finish`]. Dropped unfinished, the file is removed.
#[derive(Debug)]
pub struct SpoolWriter {
    spool: Spool,
    w: io::BufWriter<File>,
}

impl SpoolWriter {
    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.spool.bytes
    }

    /// Flushes what is buffered and gives the finished spool.
    pub fn finish(mut self) -> io::Result<Spool> {
        self.w.flush()?;
        Ok(self.spool)
    }
}

impl Write for SpoolWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.w.write(buf)?;
        self.spool.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// How much an optional spool (one that only saves work, like a copy of decoded
/// rows) may take: half the space free to unprivileged users in the temporary
/// directory now, so it never fills the disk (or, for a `tmpfs`, memory); `None`
/// when that cannot be known.
pub fn spool_limit() -> Option<u64> {
    free_space(&std::env::temp_dir()).map(|free| free / 2)
}

#[cfg(unix)]
fn free_space(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `c` is a valid NUL-terminated path and `st` a properly sized out value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

#[cfg(not(unix))]
fn free_space(_dir: &Path) -> Option<u64> {
    None
}

impl Drop for Spool {
    fn drop(&mut self) {
        let mut reg = registry();
        let _ = fs::remove_file(&self.path);
        unregister_in(&mut reg, &self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_file_leaves_nothing_until_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        fs::write(&target, "old").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        drop(f);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit(None).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        // (Other tests register paths of their own at the same time.)
        assert!(!registered().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn spool_copies_and_is_removed() {
        let mut input: &[u8] = b"abcdef";
        let s = Spool::copy(&mut input, Some(3)).unwrap();
        assert!(s.truncated());
        assert_eq!(fs::read(s.path()).unwrap(), b"abcd");
        let p = s.path().to_path_buf();
        assert!(temp_pid(p.file_name().unwrap().to_str().unwrap(), SPOOL_PREFIX).is_some());
        drop(s);
        assert!(!p.exists());
    }

    #[test]
    fn spool_writer_counts_finishes_and_is_removed() {
        let mut w = Spool::writer().unwrap();
        let p = w.spool.path().to_path_buf();
        w.write_all(b"abc").unwrap();
        w.write_all(b"de").unwrap();
        assert_eq!(w.written(), 5);
        let s = w.finish().unwrap();
        assert_eq!(
            (s.len(), fs::read(s.path()).unwrap()),
            (5, b"abcde".to_vec())
        );
        drop(s);
        assert!(!p.exists() && !registered().contains(&p));
        // Dropped before it is finished: removed too.
        let mut w = Spool::writer().unwrap();
        let p = w.spool.path().to_path_buf();
        w.write_all(b"x").unwrap();
        drop(w);
        assert!(!p.exists() && !registered().contains(&p));
        assert!(spool_limit().is_some_and(|l| l > 0) || cfg!(not(unix)));
    }

    #[test]
    fn registered_paths_leave_the_registry_when_kept_or_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let ra = register(&a);
        let rb = register(&b);
        assert!(registered().contains(&a) && registered().contains(&b));
        // A failed commit keeps the path registered; a successful one unregisters it.
        let (mut ra, mut rb) = (ra, rb);
        let failed: Result<(), &str> = ra.keep_with(|| Err("no"));
        assert!(failed.is_err());
        assert!(
            registered().contains(&a),
            "kept registered by the failed commit"
        );
        drop(ra);
        assert!(!registered().contains(&a));
        assert_eq!(rb.keep_with(|| Ok::<_, ()>(7)), Ok(7));
        drop(rb);
        assert!(!registered().contains(&b));
        let rc = register(&a);
        drop(rc);
        assert!(!registered().contains(&a));
        // What a signal handler removes: a directory with its files, and a file.
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        fs::write(sub.join("seg"), "x").unwrap();
        fs::write(&a, "x").unwrap();
        remove(&sub);
        remove(&a);
        assert!(!sub.exists() && !a.exists());
    }

    #[test]
    fn stale_files_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // pid 0 never names a user process; our own pid is alive.
        let dead = dir.path().join(format!("{OUTPUT_PREFIX}0-abc{SUFFIX}"));
        let live = dir
            .path()
            .join(format!("{OUTPUT_PREFIX}{}-abc{SUFFIX}", std::process::id()));
        fs::write(&dead, "x").unwrap();
        fs::write(&live, "x").unwrap();
        let n = clean_stale(dir.path(), OUTPUT_PREFIX);
        if cfg!(target_os = "linux") {
            assert_eq!(n, 1);
            assert!(!dead.exists());
        }
        assert!(live.exists());
    }
}
