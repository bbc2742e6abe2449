//! Helpers shared by the test modules: the binary under test with a cleared
//! environment, the bundled seeds, and small corpora written to temp files.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The crate root: tests that snapshot output run the binary from here and name the
/// seeds by relative path, so document ids carry no machine-specific prefix.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `reprint` binary under test, with an empty environment: nothing a developer
/// has set (`NO_COLOR`, `COLUMNS`, `RAYON_NUM_THREADS`, `TMPDIR`, `LANG`, ...) can change
/// what it prints. The binary needs no variable to run; a test that wants one sets it
/// explicitly with `.env(..)`.
pub fn reprint() -> Command {
    let mut c = Command::new(bin());
    c.env_clear();
    c
}

/// Path of the `reprint` binary built for this test run.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_reprint"))
}

/// The bundled `seeds/` directory.
pub fn seeds() -> PathBuf {
    root().join("seeds")
}

/// The seed article whose file name starts with `prefix` (e.g. "002").
pub fn seed_path(prefix: &str) -> PathBuf {
    fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })
        .unwrap_or_else(|| panic!("no seed {prefix}"))
}

/// A news-like paragraph of `n` words from a seeded generator, so documents differ.
pub fn text(seed: u64, n: usize) -> String {
    const WORDS: &[&str] = &[
        "minister", "said", "talks", "city", "police", "report", "court", "week", "market", "rain",
        "school", "health", "vote", "energy", "price", "river", "bridge", "union", "strike",
        "budget", "fire", "team", "match", "season", "film", "music", "farm", "trade", "border",
        "army", "village", "storm", "doctor", "museum", "train", "port",
    ];
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            WORDS[(x % WORDS.len() as u64) as usize]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces every `k`-th word, giving a near-duplicate.
pub fn edit(t: &str, k: usize) -> String {
    t.split(' ')
        .enumerate()
        .map(|(i, w)| if i % k == k - 1 { "changed" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `rows` as JSON Lines to `dir/name`.
pub fn jsonl(dir: &Path, name: &str, rows: &[Value]) -> PathBuf {
    let p = dir.join(name);
    let mut s = String::new();
    for r in rows {
        s.push_str(&r.to_string());
        s.push('\n');
    }
    fs::write(&p, s).unwrap();
    p
}

/// A small corpus: d0/d1 near-duplicates (J ~ 0.8+), d2 an exact copy of d0, d3 unrelated.
pub fn corpus_rows() -> Vec<Value> {
    let base = text(1, 400);
    vec![
        serde_json::json!({"id": "d0", "text": base, "source": "wire"}),
        serde_json::json!({"id": "d1", "text": edit(&base, 60), "source": "paper"}),
        serde_json::json!({"id": "d2", "text": base.clone()}),
        serde_json::json!({"id": "d3", "text": text(2, 400)}),
    ]
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Each line of `bytes` parsed as JSON.
pub fn json_lines(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line ({e}): {l}")))
        .collect()
}
