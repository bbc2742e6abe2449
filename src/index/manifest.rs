//! The manifest (`MANIFEST.json`), the commit protocol and the write lock.
//!
//! A commit writes its segment files and syncs them, writes the new manifest to
//! `MANIFEST.json.tmp` and syncs it, renames it over `MANIFEST.json` and syncs the
//! directory. Readers read `MANIFEST.json` only, so they see the last commit whatever a
//! writer is doing; a file that no manifest names (a killed writer's) is ignored by
//! readers and removed by the next writer when it takes the lock.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use fs4::{FileExt, TryLockError};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The manifest's file name.
pub const MANIFEST: &str = "MANIFEST.json";
/// The temporary manifest of a commit under way.
pub const MANIFEST_TMP: &str = "MANIFEST.json.tmp";
/// The lock file.
pub const LOCK: &str = "LOCK";
/// The index format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// Version of the tokenizer and shingle hashing the band keys depend on.
pub const SHINGLE_VERSION: u32 = 1;
/// What the manifest's `format` field says.
pub const FORMAT_NAME: &str = "reprint-index";

/// The options that fix what an index means: they are stored at creation and every
/// later command uses them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexOptions {
    /// Shingle length in words.
    pub ngram: usize,
    /// MinHash signature slots.
    pub perms: usize,
    /// MinHash scheme (`one-permutation`, `multiply-shift`).
    pub scheme: String,
    /// Jaccard threshold.
    pub threshold: f64,
    /// Containment threshold, if any.
    pub containment: Option<f64>,
    /// Longest/shortest length ratio for containment.
    pub max_size_ratio: f64,
    /// LSH bands.
    pub bands: usize,
    /// LSH rows per band.
    pub rows: usize,
    /// Version of the tokenizer and shingle hashes.
    pub shingle_version: u32,
    /// JSON field holding the text.
    pub text_field: String,
    /// JSON field holding the id.
    pub id_field: String,
}

/// A segment as the manifest lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SegmentEntry {
    /// File name in the index directory.
    pub file: String,
    /// Documents in it (tombstoned ones included).
    pub docs: u64,
    /// Size in bytes.
    pub bytes: u64,
    /// xxh3-64 of its header (which holds every section's checksum), in hex.
    pub checksum: String,
}

/// A removed document: hidden from every result, dropped at compaction.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tombstone {
    /// The segment's file name.
    pub segment: String,
    /// The document's number in that segment.
    pub doc: u32,
    /// Its id (for people reading the manifest).
    pub id: String,
}

/// The manifest: what the last commit holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Always `reprint-index`.
    pub format: String,
    /// The index format version.
    pub format_version: u32,
    /// Commits so far (0 right after `create`).
    pub commit: u64,
    /// The reprint that wrote this commit.
    pub written_by: String,
    /// What the index means.
    pub options: IndexOptions,
    /// Segments, in document order.
    pub segments: Vec<SegmentEntry>,
    /// Removed documents.
    pub tombstones: Vec<Tombstone>,
}

impl Manifest {
    /// A new, empty manifest.
    pub fn new(options: IndexOptions) -> Manifest {
        Manifest {
            format: FORMAT_NAME.into(),
            format_version: FORMAT_VERSION,
            commit: 0,
            written_by: concat!("reprint ", env!("CARGO_PKG_VERSION")).into(),
            options,
            segments: Vec::new(),
            tombstones: Vec::new(),
        }
    }

    /// Reads the committed manifest of `dir`.
    pub fn read(dir: &Path) -> Result<Manifest> {
        match std::fs::metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::IndexMissing {
                    path: dir.to_path_buf(),
                })
            }
            Err(e) => return Err(Error::io(dir, e)),
            Ok(m) if !m.is_dir() => {
                return Err(Error::NotAnIndex {
                    path: dir.to_path_buf(),
                })
            }
            Ok(_) => {}
        }
        let path = dir.join(MANIFEST);
        let bytes = match std::fs::read(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NotAnIndex {
                    path: dir.to_path_buf(),
                })
            }
            r => r.map_err(|e| Error::io(&path, e))?,
        };
        let corrupt = |reason: String| Error::IndexCorrupt {
            path: path.clone(),
            section: "manifest".into(),
            reason,
        };
        // The version first, so that a newer format is refused as such even when the
        // rest of it has changed shape.
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
            return Err(Error::NotAnIndex {
                path: dir.to_path_buf(),
            });
        }
        let version = value
            .get("format_version")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| corrupt("no format_version".into()))?;
        if version > FORMAT_VERSION as u64 {
            return Err(Error::IndexVersion {
                path: path.clone(),
                found: version.min(u32::MAX as u64) as u32,
                supported: FORMAT_VERSION,
            });
        }
        let m: Manifest = serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
        if m.options.shingle_version > SHINGLE_VERSION {
            return Err(Error::IndexVersion {
                path,
                found: m.options.shingle_version,
                supported: SHINGLE_VERSION,
            });
        }
        Ok(m)
    }

    /// Commits this manifest to `dir`: temporary file, sync, rename, sync the
    /// directory. The caller holds the lock and has synced the segment files.
    pub fn commit(&self, dir: &Path) -> Result<()> {
        let tmp = dir.join(MANIFEST_TMP);
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest serializes");
        bytes.push(b'\n');
        let io = |e| Error::io(&tmp, e);
        let mut f = File::create(&tmp).map_err(io)?;
        f.write_all(&bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, dir.join(MANIFEST)).map_err(io)?;
        sync_dir(dir)
    }
}

/// Syncs a directory, so that a rename or a new file in it is durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io(dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// The write lock of an index: an exclusive OS lock on `LOCK` (released when this is
/// dropped, or when the process dies), with the holder's pid written in the file.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    path: PathBuf,
}

impl WriteLock {
    /// Takes the lock of `dir`, or fails at once naming the holder.
    pub fn acquire(dir: &Path) -> Result<WriteLock> {
        let path = dir.join(LOCK);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut s = String::new();
                let _ = file.read_to_string(&mut s);
                return Err(Error::IndexLocked {
                    path: dir.to_path_buf(),
                    holder: s.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        file.set_len(0).map_err(|e| Error::io(&path, e))?;
        let _ = write!(file, "{}", std::process::id());
        Ok(WriteLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// True for the names of the files an index writer creates (segments, the temporary
/// manifest).
pub fn is_index_file(name: &str) -> bool {
    (name.starts_with("seg-") && name.ends_with(".rps")) || name == MANIFEST_TMP
}

/// Removes the files of `dir` that `manifest` does not name (left by a writer that was
/// killed, or segments replaced by a compaction). The caller holds the lock. Returns
/// how many were removed.
pub fn remove_unreferenced(dir: &Path, manifest: &Manifest) -> Result<usize> {
    let mut removed = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_index_file(name)
            && !manifest.segments.iter().any(|s| s.file == name)
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    Ok(removed)
}
