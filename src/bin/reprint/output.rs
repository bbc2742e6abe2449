//! Where output goes: stdout, or `--out FILE` written atomically (a temporary file in
//! the same directory, renamed when complete), so an interrupted run never leaves
//! partial output. `--out -` is stdout.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The destination of a command's output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Output {
    /// Standard output (no `--out`, or `--out -`).
    #[default]
    Stdout,
    /// A file, written atomically.
    File(PathBuf),
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
    /// is missing or is not a directory, or the path is a directory.
    pub fn check(&self) -> Result<()> {
        let Output::File(path) = self else {
            return Ok(());
        };
        let dir = parent(path);
        if !dir.is_dir() {
            anyhow::bail!(
                "cannot write {}: {} is not an existing directory",
                path.display(),
                dir.display()
            );
        }
        if path.is_dir() {
            anyhow::bail!("cannot write {}: it is a directory", path.display());
        }
        Ok(())
    }

    /// Runs `f` on a buffered writer to the destination; a file is renamed into place
    /// only when `f` and the flush succeed.
    pub fn write(&self, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        match self {
            Output::Stdout => {
                let stdout = io::stdout();
                let mut w = io::BufWriter::with_capacity(1 << 16, stdout.lock());
                f(&mut w).and_then(|_| w.flush()).map_err(|e| {
                    anyhow::Error::new(reprint::Error::Write {
                        path: "<stdout>".into(),
                        source: e,
                    })
                })
            }
            Output::File(path) => {
                let dir = parent(path);
                let mut builder = tempfile::Builder::new();
                builder.prefix(".reprint-").suffix(".tmp");
                // Like any file a program writes: 0666 less the umask, not tempfile's 0600.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(std::fs::Permissions::from_mode(0o666));
                }
                let tmp = builder
                    .tempfile_in(dir)
                    .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
                let mut w = io::BufWriter::with_capacity(1 << 16, tmp);
                f(&mut w)
                    .and_then(|_| w.flush())
                    .with_context(|| format!("writing {}", path.display()))?;
                let tmp = w.into_inner().map_err(|e| e.into_error())?;
                tmp.persist(path)
                    .with_context(|| format!("renaming the output into {}", path.display()))?;
                Ok(())
            }
        }
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}
