//! The JSON Schemas in `schemas/` (draft 2020-12), checked against real output: every
//! JSON output of the binary validates against its schema, and a schema rejects
//! documents that break the wire format (an unknown key, a missing key, a value out of
//! its vocabulary). `wire.rs` pins the same formats as strict structs; a change to the
//! wire format is an edit of both.

use std::fs;
use std::path::Path;

use jsonschema::Validator;
use serde_json::{json, Value};

use crate::util::{
    corpus_rows, edit, json_lines, jsonl, reprint, root, seed_path, seeds, stderr_of, text,
};

/// Every schema file, each checked below.
const SCHEMAS: &[&str] = &[
    "bench.schema.json",
    "clusters.schema.json",
    "dedup-removed.schema.json",
    "diff.schema.json",
    "explain.schema.json",
    "index-clusters.schema.json",
    "pair-row.schema.json",
    "pairs.schema.json",
    "score.schema.json",
    "source-row.schema.json",
    "sources.schema.json",
    "stats.schema.json",
];

fn schema_json(name: &str) -> Value {
    let p = root().join("schemas").join(name);
    let s = fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The validator of `schemas/NAME`, itself checked against the draft 2020-12
/// meta-schema. Only `#/$defs/...` references: nothing is resolved from the network
/// or the disk.
fn schema(name: &str) -> Validator {
    let s = schema_json(name);
    assert_eq!(
        s["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{name}"
    );
    if let Err(e) = jsonschema::meta::validate(&s) {
        panic!("{name} is not a valid schema: {e}");
    }
    jsonschema::draft202012::new(&s).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The schema's complaints about `v`, one per line (empty when valid).
fn errors(schema: &Validator, v: &Value) -> String {
    schema
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_valid(name: &str, schema: &Validator, v: &Value) {
    let e = errors(schema, v);
    assert!(e.is_empty(), "{name} rejects real output:\n{e}\n{v:#}");
}

fn assert_invalid(name: &str, schema: &Validator, v: &Value, what: &str) {
    assert!(
        !schema.is_valid(v),
        "{name} accepts a document with {what}:\n{v:#}"
    );
}

/// Runs `reprint args`, checks the exit code, returns stdout.
fn run<S: AsRef<std::ffi::OsStr>>(args: &[S], code: i32) -> Vec<u8> {
    let out = reprint().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(code), "{}", stderr_of(&out));
    out.stdout
}

fn run_json<S: AsRef<std::ffi::OsStr>>(args: &[S], code: i32) -> Value {
    serde_json::from_slice(&run(args, code)).unwrap()
}

/// Checks each JSON line of `stdout` against `schema`; returns the lines.
fn valid_lines(name: &str, schema: &Validator, stdout: &[u8]) -> Vec<Value> {
    let rows = json_lines(stdout);
    for r in &rows {
        assert_valid(name, schema, r);
    }
    rows
}

#[test]
fn every_schema_file_is_tested_and_shares_its_definitions() {
    let mut on_disk: Vec<String> = fs::read_dir(root().join("schemas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".schema.json"))
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk, SCHEMAS,
        "a schema file without a test, or the reverse"
    );
    // A definition used by several schemas is the same in each (no file drifts alone).
    let mut seen: std::collections::BTreeMap<String, (&str, Value)> = Default::default();
    for name in SCHEMAS {
        let _ = schema(name);
        let s = schema_json(name);
        if let Some(defs) = s["$defs"].as_object() {
            for (k, v) in defs {
                match seen.get(k) {
                    Some((first, w)) => assert_eq!(v, w, "$defs/{k} differs in {first} and {name}"),
                    None => {
                        seen.insert(k.clone(), (name, v.clone()));
                    }
                }
            }
        }
    }
}

#[test]
fn pairs_document_and_rows_in_both_modes() {
    let doc_schema = schema("pairs.schema.json");
    let row_schema = schema("pair-row.schema.json");
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let f = f.to_str().unwrap();
    let s = seeds();
    let s = s.to_str().unwrap();
    for (input, mode, extra) in [
        (s, "all", None),
        (f, "all", None),
        (f, "near-dup", None),
        (f, "near-dup", Some("--containment")),
        (f, "all", Some("--threshold=0.99")),
    ] {
        let mut args = vec!["pairs", "-q", "--mode", mode];
        match extra {
            Some("--containment") => args.extend(["--containment", "0.9"]),
            Some(x) => args.push(x),
            None => {}
        }
        let doc = run_json(&[&args[..], &["--format", "json", input]].concat(), 0);
        assert_valid("pairs.schema.json", &doc_schema, &doc);
        let rows = valid_lines(
            "pair-row.schema.json",
            &row_schema,
            &run(&[&args[..], &["--format", "jsonl", input]].concat(), 0),
        );
        assert_eq!(rows.len(), doc["pairs"].as_array().unwrap().len());
    }
    // `index query` writes the same document and rows, with `earlier`.
    let ix = dir.path().join("ix");
    let ix = ix.to_str().unwrap();
    let dated: Vec<Value> = corpus_rows()
        .into_iter()
        .enumerate()
        .map(|(i, mut r)| {
            r["date"] = format!("2024-01-0{}", i + 1).into();
            r
        })
        .collect();
    let (old, new) = dated.split_at(2);
    let old = jsonl(dir.path(), "old.jsonl", old);
    let new = jsonl(dir.path(), "new.jsonl", new);
    run(&["index", "-q", "create", ix], 0);
    run(
        &[
            "index",
            "-q",
            "add",
            ix,
            old.to_str().unwrap(),
            "--date-field",
            "date",
        ],
        0,
    );
    let q = [
        "index",
        "query",
        "-q",
        ix,
        new.to_str().unwrap(),
        "--date-field",
        "date",
    ];
    let q = [&q[..], &["--mode", "near-dup", "--within"]].concat();
    let doc = run_json(&[&q[..], &["--format", "json"]].concat(), 0);
    assert_valid("pairs.schema.json", &doc_schema, &doc);
    let rows = valid_lines(
        "pair-row.schema.json",
        &row_schema,
        &run(&[&q[..], &["--format", "jsonl"]].concat(), 0),
    );
    assert!(!rows.is_empty() && rows.iter().all(|r| r["earlier"].is_string()));
}

#[test]
fn schemas_reject_broken_documents() {
    let doc_schema = schema("pairs.schema.json");
    let row_schema = schema("pair-row.schema.json");
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let doc = run_json(&["pairs", "-q", "--format", "json", f.to_str().unwrap()], 0);
    assert_valid("pairs.schema.json", &doc_schema, &doc);
    assert!(!doc["pairs"].as_array().unwrap().is_empty());
    let broken = |what: &str, change: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        change(&mut d);
        assert_invalid("pairs.schema.json", &doc_schema, &d, what);
        d
    };
    broken("an unknown key", &|d| d["extra"] = json!(1));
    broken("another schema string", &|d| {
        d["schema"] = json!("reprint.pairs/2")
    });
    broken("an unknown verdict", &|d| {
        d["pairs"][0]["verdict"] = json!("copy")
    });
    broken("an unknown mode", &|d| d["mode"] = json!("fast"));
    broken("a score out of [0, 1]", &|d| {
        d["pairs"][0]["score"] = json!(1.5)
    });
    broken("a string count", &|d| d["candidates"] = json!("3"));
    broken("no input counts", &|d| {
        d.as_object_mut().unwrap().remove("input");
    });
    broken("a null scheme", &|d| {
        d["parameters"]["scheme"] = Value::Null
    });
    // A default-mode row without its alignment figures is a near-dup row: refused in a
    // document that says `all`, accepted as a row on its own.
    let d = broken("a near-dup row in mode all", &|d| {
        let p = d["pairs"][0].as_object_mut().unwrap();
        for k in ["coverage_a", "coverage_b", "links"] {
            p.remove(k);
        }
    });
    assert_valid("pair-row.schema.json", &row_schema, &d["pairs"][0]);
    let mut r = doc["pairs"][0].clone();
    r["links"] = json!(-1);
    assert_invalid("pair-row.schema.json", &row_schema, &r, "negative links");
    r["links"] = Value::Null;
    r["verdict"] = json!("rewrite");
    assert_invalid(
        "pair-row.schema.json",
        &row_schema,
        &r,
        "null links on a rewrite",
    );
    // A malformed score line with a figure is not a malformed line.
    let score = schema("score.schema.json");
    let bad = json!({"id_a": null, "id_b": null, "score": 0.5, "verdict": null,
        "coverage_a": null, "coverage_b": null, "jaccard": null, "equivalence": null,
        "evidence": null, "line": 3, "error": "no text_b"});
    assert_invalid(
        "score.schema.json",
        &score,
        &bad,
        "a score on an error line",
    );
}

#[test]
fn index_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = corpus_rows();
    for (i, r) in rows.iter_mut().enumerate() {
        r["date"] = json!(format!("2024-03-{:02}", 1 + i % 9));
    }
    let f = jsonl(dir.path(), "c.jsonl", &rows);
    let ix = dir.path().join("ix");
    let ix = ix.to_str().unwrap();
    for args in [
        vec!["index", "create", "-q", ix],
        vec![
            "index",
            "add",
            "-q",
            ix,
            f.to_str().unwrap(),
            "--date-field",
            "date",
        ],
    ] {
        reprint().args(&args).assert().success();
    }
    for mode in ["near-dup", "all"] {
        let doc = run_json(
            &[
                "index", "clusters", "-q", "--mode", mode, "--format", "json", ix,
            ],
            0,
        );
        assert!(!doc["clusters"].as_array().unwrap().is_empty());
        let s = schema("index-clusters.schema.json");
        assert_valid("index-clusters.schema.json", &s, &doc);
        let mut bad = doc.clone();
        bad["clusters"][0]["members"][0]["took"] = json!(2.0);
        assert!(!errors(&s, &bad).is_empty(), "took above 1 is refused");
    }
}

#[test]
fn clusters_and_dedup_removed() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    for mode in ["near-dup", "all"] {
        let doc = run_json(
            &[
                "clusters",
                "-q",
                "--mode",
                mode,
                "--format",
                "json",
                f.to_str().unwrap(),
            ],
            0,
        );
        assert_valid(
            "clusters.schema.json",
            &schema("clusters.schema.json"),
            &doc,
        );
    }
    // A chain x0 ~ x1 ~ x2 (x0 and x2 no pair): a removed row with a null score.
    let base = text(21, 500);
    let mut rows = corpus_rows();
    rows.extend([
        json!({"id": "x0", "text": base}),
        json!({"id": "x1", "text": edit(&base, 40)}),
        json!({"id": "x2", "text": edit(&edit(&base, 40), 37)}),
    ]);
    let f = jsonl(dir.path(), "d.jsonl", &rows);
    let removed = dir.path().join("removed.jsonl");
    run(
        &[
            Path::new("dedup"),
            Path::new("-q"),
            Path::new("--threshold=0.7"),
            Path::new("--out"),
            &dir.path().join("kept.jsonl"),
            Path::new("--removed"),
            &removed,
            &f,
        ],
        0,
    );
    let rows = valid_lines(
        "dedup-removed.schema.json",
        &schema("dedup-removed.schema.json"),
        &fs::read(&removed).unwrap(),
    );
    assert!(rows.len() >= 3, "{rows:?}");
}

#[test]
fn sources_document_and_rows() {
    let doc_schema = schema("sources.schema.json");
    let row_schema = schema("source-row.schema.json");
    // An article that shares nothing with the sources: a `null` row with `--all`.
    let dir = tempfile::tempdir().unwrap();
    let lone = dir.path().join("lone.txt");
    fs::write(&lone, text(33, 300)).unwrap();
    for all in [false, true] {
        let args = |format: &str| -> Vec<String> {
            let mut v: Vec<String> = ["-q", "sources", "--format", format]
                .map(String::from)
                .into();
            if all {
                v.push("--all".into());
            }
            for p in ["003", "000"] {
                v.push("--from".into());
                v.push(seed_path(p).display().to_string());
            }
            v.extend(["001", "002", "004"].map(|p| seed_path(p).display().to_string()));
            v.push(lone.display().to_string());
            v
        };
        let doc = run_json(&args("json"), 0);
        assert_valid("sources.schema.json", &doc_schema, &doc);
        let rows = valid_lines(
            "source-row.schema.json",
            &row_schema,
            &run(&args("jsonl"), 0),
        );
        assert_eq!(rows.len(), doc["links"].as_array().unwrap().len());
        if all {
            assert!(
                rows.iter().any(|r| r["source"].is_null()),
                "--all: an article with no source"
            );
        }
    }
}

#[test]
fn diff_documents() {
    let diff = schema("diff.schema.json");
    let (a, b) = (seed_path("002"), seed_path("003"));
    let doc = run_json(
        &[
            Path::new("diff"),
            Path::new("--format"),
            Path::new("json"),
            &a,
            &b,
        ],
        0,
    );
    assert_valid("diff.schema.json", &diff, &doc);
    // Two short unrelated texts: a null verdict, an equivalence figure.
    let dir = tempfile::tempdir().unwrap();
    let (x, y) = (dir.path().join("x.txt"), dir.path().join("y.txt"));
    fs::write(&x, "The river flooded the lower town.").unwrap();
    fs::write(&y, "The museum opened a wing of maps.").unwrap();
    let doc = run_json(
        &[
            Path::new("diff"),
            Path::new("--format"),
            Path::new("json"),
            &x,
            &y,
        ],
        1,
    );
    assert!(doc["verdict"].is_null() && doc["evidence"]["equivalence"].is_number());
    assert_valid("diff.schema.json", &diff, &doc);
}

#[test]
fn score_lines_with_and_without_passages() {
    let score = schema("score.schema.json");
    let dir = tempfile::tempdir().unwrap();
    let a = fs::read_to_string(seed_path("002")).unwrap();
    let b = fs::read_to_string(seed_path("003")).unwrap();
    let f = jsonl(
        dir.path(),
        "p.jsonl",
        &[
            json!({"id_a": 1, "id_b": "x", "text_a": a, "text_b": b}),
            json!({"text_a": "Profits rose sharply, the chief executive said.", "text_b": "The chief executive said profits rose sharply."}),
            json!({"id_a": [1], "text_a": "The river flooded.", "text_b": "A museum of maps."}),
            json!({"text_a": "only one"}),
        ],
    );
    let f = f.to_str().unwrap();
    for passages in [false, true] {
        let mut args = vec!["score", "-q", "--skip-bad-lines"];
        if passages {
            args.push("--passages");
        }
        args.push(f);
        let lines = valid_lines("score.schema.json", &score, &run(&args, 0));
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["passages"].is_array(), passages);
        assert!(lines[3]["error"].is_string());
    }
}

#[test]
fn explain_stats_and_bench() {
    let explain = schema("explain.schema.json");
    for extra in [&[][..], &["--containment", "0.9"][..]] {
        let args = [
            &["explain", "--threshold", "0.8"][..],
            extra,
            &["--format", "json"],
        ]
        .concat();
        assert_valid("explain.schema.json", &explain, &run_json(&args, 0));
    }
    let stats = run_json(
        &["stats", "-q", "--format", "json", seeds().to_str().unwrap()],
        0,
    );
    assert_valid("stats.schema.json", &schema("stats.schema.json"), &stats);
    let bench = schema("bench.schema.json");
    let tmp = tempfile::tempdir().unwrap();
    let keep = tmp.path().join("k");
    let generated = run_json(
        &[
            "bench",
            "-q",
            "--format",
            "json",
            "--docs",
            "120",
            "--seed",
            "4",
            "--keep",
            keep.to_str().unwrap(),
        ],
        0,
    );
    assert_valid("bench.schema.json", &bench, &generated);
    let read = run_json(
        &[
            "bench",
            "-q",
            "--format",
            "json",
            "--mode",
            "near-dup",
            "--corpus",
            keep.join("corpus.jsonl").to_str().unwrap(),
            "--truth",
            keep.join("truth.jsonl").to_str().unwrap(),
        ],
        0,
    );
    assert!(read["generated"].is_null());
    assert_valid("bench.schema.json", &bench, &read);
}
