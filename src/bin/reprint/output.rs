//! Where output goes: stdout, or `--out FILE` written atomically (a temporary file in
//! the same directory, renamed when complete), so an interrupted run never leaves
//! partial output.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Writes to stdout, or to a file atomically (temporary file in the same directory,
/// renamed when complete), so an interrupted run never leaves partial output.
/// Fails early, before a long run, when `--out` cannot be written: its directory is
/// missing or is not a directory.
pub fn check_output(out: Option<&Path>) -> Result<()> {
    let Some(path) = out else { return Ok(()) };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
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

pub fn with_output(
    out: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match out {
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            f(&mut w).and_then(|_| w.flush()).map_err(|e| {
                anyhow::Error::new(reprint::Error::Write {
                    path: "<stdout>".into(),
                    source: e,
                })
            })
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
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
