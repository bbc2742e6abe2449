//! Where output goes: stdout, or `--out FILE`.
//!
//! A regular file (or a new path) is written atomically: an unnamed or hidden
//! temporary file in the same directory ([`reprint_fs::AtomicFile`]), renamed over the
//! target when complete, so an interrupted run never leaves partial output. A symlink
//! is resolved first and the file it points to is replaced, next to it (the link stays
//! a link; a dangling link creates its target). A FIFO, a character device (such as
//! `/dev/null` or a terminal) or a socket is never renamed over: the output is streamed
//! into it. `--out -` is stdout.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The destination of a command's output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Output {
    /// Standard output (no `--out`, or `--out -`).
    #[default]
    Stdout,
    /// A file, written atomically (or streamed when it is not a regular file).
    File(PathBuf),
}

/// Where the bytes of a file output really go.
#[derive(Debug)]
enum Target {
    /// A regular file or a new path (symlinks resolved): written atomically.
    Atomic(PathBuf),
    /// A FIFO, device or socket: opened and written in place.
    Stream,
}

/// Follows a chain of symlinks by hand (it may end at a path that does not exist).
fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)
                    .with_context(|| format!("reading the link {}", p.display()))?;
                p = parent(&p).join(to);
            }
            _ => return Ok(p),
        }
    }
    anyhow::bail!(
        "cannot write {}: too many levels of symbolic links",
        path.display()
    )
}

fn resolve(path: &Path) -> Result<Target> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => anyhow::bail!("cannot write {}: it is a directory", path.display()),
        Ok(m) if !m.is_file() => Ok(Target::Stream),
        Ok(_) => Ok(Target::Atomic(
            fs::canonicalize(path).with_context(|| format!("resolving {}", path.display()))?,
        )),
        Err(_) => Ok(Target::Atomic(follow_links(path)?)),
    }
}

impl Output {
    /// `-` is stdout, anything else a file.
    pub fn parse(s: &str) -> Result<Output, String> {
        match s {
            "" => Err("the output path is empty".into()),
            "-" => Ok(Output::Stdout),
            p => Ok(Output::File(PathBuf::from(p))),
        }
    }

    pub fn is_stdout(&self) -> bool {
        *self == Output::Stdout
    }

    /// The name used in messages: the path, or `<stdout>`.
    pub fn name(&self) -> String {
        match self {
            Output::Stdout => "<stdout>".into(),
            Output::File(p) => p.display().to_string(),
        }
    }

    /// Fails early, before a long run, when the file cannot be written: its directory
    /// (after following symlinks) is missing or is not a directory, or the path is a
    /// directory.
    pub fn check(&self) -> Result<()> {
        let Output::File(path) = self else {
            return Ok(());
        };
        if let Target::Atomic(real) = resolve(path)? {
            let dir = parent(&real);
            if !dir.is_dir() {
                anyhow::bail!(
                    "cannot write {}: {} is not an existing directory",
                    path.display(),
                    dir.display()
                );
            }
        }
        Ok(())
    }

    /// Runs `f` on a buffered writer to the destination; a regular file is renamed
    /// into place only when `f` and the flush succeed.
    pub fn write(&self, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        let path = match self {
            Output::Stdout => {
                let stdout = io::stdout();
                let mut w = io::BufWriter::with_capacity(1 << 16, stdout.lock());
                return f(&mut w).and_then(|_| w.flush()).map_err(|e| {
                    anyhow::Error::new(reprint::Error::Write {
                        path: "<stdout>".into(),
                        source: e,
                    })
                });
            }
            Output::File(path) => path,
        };
        match resolve(path)? {
            Target::Stream => {
                let file = fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("opening {}", path.display()))?;
                let mut w = io::BufWriter::with_capacity(1 << 16, file);
                f(&mut w)
                    .and_then(|_| w.flush())
                    .with_context(|| format!("writing {}", path.display()))
            }
            Target::Atomic(real) => {
                // Replacing a file keeps its permissions.
                #[cfg(unix)]
                let mode = {
                    use std::os::unix::fs::PermissionsExt;
                    fs::metadata(&real)
                        .ok()
                        .map(|m| m.permissions().mode() & 0o7777)
                };
                #[cfg(not(unix))]
                let mode = None;
                let dir = parent(&real);
                let tmp = reprint_fs::AtomicFile::create(&real)
                    .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
                let mut w = io::BufWriter::with_capacity(1 << 16, tmp);
                f(&mut w)
                    .and_then(|_| w.flush())
                    .with_context(|| format!("writing {}", path.display()))?;
                let tmp = w.into_inner().map_err(|e| e.into_error())?;
                tmp.commit(mode)
                    .with_context(|| format!("renaming the output into {}", path.display()))?;
                Ok(())
            }
        }
    }
}

impl Output {
    /// Like [`Output::write`], for output that reads input as it goes (a library call
    /// returning library errors): an input error is returned as it is, not as an error
    /// writing the output, and a file output is then not created.
    pub fn write_lib(&self, f: impl FnOnce(&mut dyn Write) -> reprint::Result<()>) -> Result<()> {
        let mut input_err = None;
        let r = self.write(|w| match f(w) {
            Ok(()) => Ok(()),
            Err(reprint::Error::Write { source, .. }) => Err(source),
            Err(e) => {
                input_err = Some(e);
                Err(io::Error::other("stopped by an input error"))
            }
        });
        match input_err {
            Some(e) => Err(e.into()),
            None => r,
        }
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
