//! Helpers shared by the integration tests (each test file is its own crate; not all
//! of them use every helper).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `reprint` binary under test.
pub fn reprint() -> Command {
    Command::cargo_bin("reprint").unwrap()
}

/// The bundled `seeds/` directory.
pub fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

/// The seed article whose file name starts with `prefix` (e.g. "002").
pub fn seed_path(prefix: &str) -> PathBuf {
    std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}"))
}
