//! `reprint dedup` with a trail: `--removed`, `--annotate`, the keep policies by
//! field, and `--out -`.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use crate::util::{edit, json_lines, jsonl, reprint, stderr_of, text};

/// One cluster of five (a, b, c, d, e) with dates and a quality field of every kind
/// the policies meet, and one unrelated document (f).
fn dated_rows() -> Vec<Value> {
    let base = text(11, 400);
    vec![
        json!({"id": "a", "text": base, "date": "2024-05-03", "quality": 0.7}),
        // 2024-05-02T01:00Z, the same instant as d.
        json!({"id": "b", "text": edit(&base, 60), "date": "2024-05-01T23:00:00-02:00", "quality": "0.9"}),
        // No date; the longest; quality ties with b.
        json!({"id": "c", "text": format!("{base} and a few more words"), "quality": 0.9}),
        json!({"id": "d", "text": edit(&base, 80), "date": "2024-05-02T01:00:00Z", "quality": null}),
        json!({"id": "e", "text": edit(&base, 100), "date": "2024-05-04", "quality": "high"}),
        json!({"id": "f", "text": text(12, 400), "date": "1999-01-01", "quality": 99}),
    ]
}

/// Runs dedup on `corpus` with `args`, `--out -` and `--removed`; returns stdout, the
/// removed lines and stderr.
fn dedup(corpus: &Path, args: &[&str]) -> (Vec<u8>, Vec<Value>, String) {
    let removed = corpus.with_file_name("removed.jsonl");
    let out = reprint()
        .arg("dedup")
        .args(args)
        .args(["--out", "-", "--removed"])
        .arg(&removed)
        .arg(corpus)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let removed = json_lines(&fs::read(&removed).unwrap());
    let err = stderr_of(&out);
    (out.stdout, removed, err)
}

fn ids(lines: &[Value], key: &str) -> Vec<String> {
    lines
        .iter()
        .map(|r| r[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn each_keep_policy_keeps_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &dated_rows());
    for (policy, field, kept) in [
        ("first", None, "a"),
        ("longest", None, "c"),
        // b and d are the same instant: b, first in corpus order; c has no date.
        ("earliest", Some("date"), "b"),
        ("newest", Some("date"), "e"),
        // "0.9" (b) ties 0.9 (c): b; "high" and null are not numbers.
        ("max", Some("quality"), "b"),
    ] {
        let mut args = vec!["--keep", policy];
        if let Some(field) = field {
            args.extend(["--keep-field", field]);
        }
        let (stdout, removed, err) = dedup(&f, &args);
        assert_eq!(ids(&json_lines(&stdout), "id"), [kept, "f"], "{policy}");
        assert!(
            removed.iter().all(|r| r["kept_id"] == kept),
            "{policy}: {removed:?}"
        );
        assert_eq!(removed.len(), 4, "{policy}");
        let warned = err.contains("warning:");
        match policy {
            "earliest" | "newest" => assert!(err.contains("1 of 5 documents"), "{err}"),
            "max" => assert!(err.contains("2 of 5 documents"), "{err}"),
            _ => assert!(!warned, "{err}"),
        }
    }
}

#[test]
fn a_field_nobody_has_keeps_the_first_and_flags_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &dated_rows());
    let (stdout, _, err) = dedup(&f, &["--keep", "newest", "--keep-field", "published"]);
    assert_eq!(ids(&json_lines(&stdout), "id"), ["a", "f"]);
    assert!(err.contains("5 of 5 documents"), "{err}");
    for bad in [
        &["--keep", "max"][..],
        &["--keep", "longest", "--keep-field", "date"][..],
    ] {
        let out = reprint()
            .arg("dedup")
            .args(bad)
            .args(["--out", "-"])
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(
            stderr_of(&out).contains("--keep-field"),
            "{}",
            stderr_of(&out)
        );
    }
    // --out and --removed cannot both be stdout.
    let out = reprint()
        .args(["dedup", "--out", "-", "--removed", "-"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn removed_names_every_dropped_document_once_with_the_one_kept() {
    let dir = tempfile::tempdir().unwrap();
    // Two clusters, one through a chain: x0 ~ x1 ~ x2, x0 and x2 no pair.
    let base = text(21, 500);
    let mut rows = dated_rows();
    rows.extend([
        json!({"id": "x0", "text": base}),
        json!({"id": "x1", "text": edit(&base, 40)}),
        json!({"id": "x2", "text": edit(&edit(&base, 40), 37)}),
        json!({"id": "y", "text": text(22, 300)}),
    ]);
    let f = jsonl(dir.path(), "c.jsonl", &rows);
    let (stdout, removed, _) = dedup(&f, &["--keep", "longest", "--threshold", "0.7"]);
    let kept = ids(&json_lines(&stdout), "id");
    let dropped = ids(&removed, "id");
    // Each once, none also kept; together every document.
    let dropped_set: BTreeSet<_> = dropped.iter().cloned().collect();
    assert_eq!(dropped_set.len(), dropped.len());
    assert!(kept.iter().all(|k| !dropped_set.contains(k)));
    let all: BTreeSet<String> = ids(&rows, "id").into_iter().collect();
    let union: BTreeSet<String> = kept
        .iter()
        .cloned()
        .chain(dropped.iter().cloned())
        .collect();
    assert_eq!(union, all);
    assert_eq!(kept.len() + dropped.len(), rows.len());
    // Every kept_id is kept; the pair figures are those of `pairs` in dedup's mode.
    let pairs = reprint()
        .args(["-q", "pairs", "--mode", "near-dup", "--threshold", "0.7"])
        .args(["--format", "jsonl"])
        .arg(&f)
        .output()
        .unwrap();
    let pairs = json_lines(&pairs.stdout);
    for r in &removed {
        let k = r["kept_id"].as_str().unwrap();
        assert!(kept.iter().any(|x| x == k), "{r}");
        let keys: BTreeSet<&str> = r.as_object().unwrap().keys().map(|s| s.as_str()).collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "id",
                "cluster_id",
                "cluster_size",
                "kept_id",
                "score",
                "verdict"
            ])
        );
        // Score and verdict are the reported pair's, or null when there is none.
        let id = r["id"].as_str().unwrap();
        let pair = pairs
            .iter()
            .find(|p| (p["a"] == id && p["b"] == k) || (p["a"] == k && p["b"] == id));
        match pair {
            Some(p) => {
                assert_eq!(r["score"], p["score"], "{r}");
                assert_eq!(r["verdict"], p["verdict"], "{r}");
            }
            None => assert!(r["score"].is_null() && r["verdict"].is_null(), "{r}"),
        }
    }
    let sizes: BTreeSet<(u64, u64)> = removed
        .iter()
        .map(|r| {
            (
                r["cluster_id"].as_u64().unwrap(),
                r["cluster_size"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(sizes, BTreeSet::from([(0, 5), (1, 3)]), "{removed:?}");
    // x0 and x2 are linked through x1 only: x0 (as long as the others, first) is
    // kept, and x2's line has no pair figures.
    let x2 = removed.iter().find(|r| r["id"] == "x2").unwrap();
    assert_eq!(x2["kept_id"], "x0");
    assert!(x2["score"].is_null() && x2["verdict"].is_null(), "{x2}");
}

#[test]
fn out_dash_writes_the_same_bytes_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &dated_rows());
    let file = dir.path().join("kept.jsonl");
    reprint()
        .args(["-q", "dedup", "--out"])
        .arg(&file)
        .arg(&f)
        .assert()
        .code(0);
    let out = reprint()
        .args(["-q", "dedup", "--out", "-"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, fs::read(&file).unwrap());
    // The original lines, byte for byte.
    let original = fs::read_to_string(&f).unwrap();
    let lines: Vec<&str> = original.lines().collect();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n{}\n", lines[0], lines[5])
    );
}

#[test]
fn annotate_writes_every_row_with_three_fields_added() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = dated_rows();
    rows.push(json!({"id": "nested", "text": text(30, 200), "meta": {"keep": 1}}));
    let f = jsonl(dir.path(), "c.jsonl", &rows);
    let (stdout, removed, err) = dedup(
        &f,
        &["--annotate", "--keep", "newest", "--keep-field", "date"],
    );
    assert!(
        err.contains("annotated 7 documents: 3 kept, 4 dropped"),
        "{err}"
    );
    let text = String::from_utf8(stdout).unwrap();
    let original = fs::read_to_string(&f).unwrap();
    let out_rows = json_lines(text.as_bytes());
    assert_eq!(out_rows.len(), rows.len());
    for ((line, orig), (row, input)) in text
        .lines()
        .zip(original.lines())
        .zip(out_rows.iter().zip(&rows))
    {
        // The original bytes, then the fields, before the closing brace.
        assert!(line.starts_with(orig.strip_suffix('}').unwrap()), "{line}");
        let mut row = row.as_object().unwrap().clone();
        let added: Vec<Value> = ["cluster_id", "cluster_size", "keep"]
            .iter()
            .map(|k| row.remove(*k).unwrap_or_else(|| panic!("no {k} in {line}")))
            .collect();
        assert_eq!(&Value::Object(row), input);
        let id = input["id"].as_str().unwrap();
        let expect = match id {
            "e" => vec![json!(0), json!(5), json!(true)],
            "a" | "b" | "c" | "d" => vec![json!(0), json!(5), json!(false)],
            _ => vec![Value::Null, json!(1), json!(true)],
        };
        assert_eq!(added, expect, "{id}");
    }
    // keep: false exactly for the removed ones.
    let not_kept: Vec<String> = out_rows
        .iter()
        .filter(|r| r["keep"] == false)
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(not_kept, ids(&removed, "id"));
}

#[test]
fn annotate_refuses_records_that_have_the_fields_and_handles_text_files() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(
        dir.path(),
        "c.jsonl",
        &[json!({"id": "a", "text": text(1, 100), "keep": "yes"})],
    );
    let out = reprint()
        .args(["dedup", "--annotate", "--out", "-"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("already has a field \"keep\""),
        "{}",
        stderr_of(&out)
    );

    // Text files: one JSON object per file, its path as the id, no text.
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    let base = text(5, 300);
    fs::write(docs.join("a.txt"), &base).unwrap();
    fs::write(docs.join("b.txt"), &base).unwrap();
    fs::write(docs.join("c.txt"), text(6, 300)).unwrap();
    let out = reprint()
        .args(["-q", "dedup", "--annotate", "--out", "-"])
        .arg(&docs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows = json_lines(&out.stdout);
    let name = |p: &Value| {
        Path::new(p.as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let got: Vec<(String, Value, Value, Value)> = rows
        .iter()
        .map(|r| {
            assert_eq!(r.as_object().unwrap().len(), 4, "{r}");
            (
                name(&r["id"]),
                r["cluster_id"].clone(),
                r["cluster_size"].clone(),
                r["keep"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("a.txt".into(), json!(0), json!(2), json!(true)),
            ("b.txt".into(), json!(0), json!(2), json!(false)),
            ("c.txt".into(), Value::Null, json!(1), json!(true)),
        ]
    );
}
