//! Integration tests of the `reprint` binary: real processes, temp directories,
//! JSON output parsed (never grepped).

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use serde_json::Value;

use crate::util::{corpus_rows, edit, jsonl, reprint, seed_path, seeds, stderr_of, text};

pub(crate) fn pairs_json(args: &[&str]) -> (Value, i32) {
    let out = reprint()
        .arg("pairs")
        .args(args)
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (v, code)
}

#[test]
fn finds_near_duplicates_and_reports_json() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let (v, code) = pairs_json(&[f.to_str().unwrap(), "--mode", "near-dup"]);
    assert_eq!(code, 0);
    assert_eq!(v["schema"], "reprint.pairs/1");
    assert_eq!(v["mode"], "near-dup");
    assert_eq!(v["documents"], 4);
    assert_eq!(v["parameters"]["bands"], 18);
    assert_eq!(v["parameters"]["rows"], 7);
    let pairs = v["pairs"].as_array().unwrap();
    let ids: Vec<(String, String, String)> = pairs
        .iter()
        .map(|p| {
            (
                p["a"].as_str().unwrap().to_owned(),
                p["b"].as_str().unwrap().to_owned(),
                p["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Sorted by score: the exact copy first.
    assert_eq!(ids[0], ("d0".into(), "d2".into(), "duplicate".into()));
    assert!(ids.contains(&("d0".into(), "d1".into(), "near-duplicate".into())));
    assert!(ids.contains(&("d1".into(), "d2".into(), "near-duplicate".into())));
    assert_eq!(ids.len(), 3);
    for p in pairs {
        let j = p["jaccard"].as_f64().unwrap();
        assert!((0.8..=1.0).contains(&j));
        assert!(p["containment_a_in_b"].as_f64().unwrap() >= j);
    }
}

#[test]
fn near_dup_mode_command_from_the_issue_streams_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let out = reprint()
        .args([
            "pairs", "--mode", "near-dup", "--ngram", "5", "--perms", "128",
        ])
        .args(["--threshold", "0.8", "--format", "jsonl"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for l in &lines {
        for key in [
            "a",
            "b",
            "jaccard",
            "containment_a_in_b",
            "containment_b_in_a",
            "verdict",
        ] {
            assert!(l.get(key).is_some(), "missing {key}");
        }
    }
}

#[test]
fn csv_and_tsv_and_table_formats() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let csv = reprint()
        .args(["pairs", "-q", "--mode", "near-dup", "--format", "csv"])
        .arg(&f)
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "a,b,score,jaccard,containment_a_in_b,containment_b_in_a,shared_shingles,verdict"
    );
    assert_eq!(lines.count(), 3);
    let tsv = reprint()
        .args(["pairs", "-q", "--mode", "near-dup", "--format", "tsv"])
        .arg(&f)
        .output()
        .unwrap();
    let tsv = String::from_utf8(tsv.stdout).unwrap();
    assert!(tsv.lines().next().unwrap().starts_with("d0\td2\t1"));
    let table = reprint()
        .args(["pairs", "-q", "--mode", "near-dup"])
        .arg(&f)
        .output()
        .unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.starts_with("a   b   jaccard"));
    assert_eq!(table.lines().count(), 4);
}

#[test]
fn no_pairs_exits_one() {
    let out = reprint()
        .args(["pairs", "-q", "--mode", "near-dup"])
        .arg(seeds())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("a "));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for i in 0..300u64 {
        let t = text(i / 3, 120);
        rows.push(serde_json::json!({"id": format!("x{i}"), "text": if i % 3 == 0 { t } else { edit(&t, 15 + i as usize % 7) }}));
    }
    let f = jsonl(dir.path(), "c.jsonl", &rows);
    let run = |threads: &str| {
        reprint()
            .args([
                "pairs",
                "-q",
                "--format",
                "json",
                "--threads",
                threads,
                "--threshold",
                "0.5",
            ])
            .arg(&f)
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(one.len() > 1000);
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
}

#[test]
fn clusters_have_deterministic_ids() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let out = reprint()
        .args(["clusters", "-q", "--mode", "near-dup", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "reprint.clusters/1");
    let c = &v["clusters"][0];
    assert_eq!(c["cluster"], 0);
    assert_eq!(c["size"], 3);
    assert_eq!(c["members"], serde_json::json!(["d0", "d1", "d2"]));
    assert_eq!(v["clusters"].as_array().unwrap().len(), 1);
}

#[test]
fn dedup_keeps_original_lines_and_reports_drops() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let out_path = dir.path().join("kept.jsonl");
    let out = reprint()
        .args(["dedup", "--keep", "first", "--out"])
        .arg(&out_path)
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("dropped 2"), "{}", stderr_of(&out));
    let kept = fs::read_to_string(&out_path).unwrap();
    let original = fs::read_to_string(&f).unwrap();
    let orig_lines: Vec<&str> = original.lines().collect();
    // Byte-for-byte original lines (all fields), in input order.
    assert_eq!(
        kept.lines().collect::<Vec<_>>(),
        vec![orig_lines[0], orig_lines[3]]
    );

    // --keep longest keeps the longest member (d0 and d2 tie, d1 is as long: first wins).
    let out = reprint()
        .args(["dedup", "-q", "--keep", "longest", "--out"])
        .arg(&out_path)
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(fs::read_to_string(&out_path).unwrap().lines().count(), 2);
}

#[test]
fn dedup_of_text_files_writes_paths() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(5, 300);
    fs::write(dir.path().join("a.txt"), &base).unwrap();
    fs::write(dir.path().join("b.txt"), &base).unwrap();
    fs::write(dir.path().join("c.txt"), text(6, 300)).unwrap();
    let out_path = dir.path().join("kept.txt");
    let out = reprint()
        .args(["dedup", "-q", "--out"])
        .arg(&out_path)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let kept = fs::read_to_string(&out_path).unwrap();
    let names: Vec<String> = kept
        .lines()
        .map(|l| {
            Path::new(l)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names, vec!["a.txt", "c.txt"]);
}

#[test]
fn failed_dedup_leaves_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.jsonl");
    fs::write(&f, "{\"id\":\"a\",\"text\":\"x y z\"}\n{broken\n").unwrap();
    let out_path = dir.path().join("kept.jsonl");
    let out = reprint()
        .args(["dedup", "--out"])
        .arg(&out_path)
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!out_path.exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[test]
fn explain_shows_bands_rows_and_probabilities() {
    let out = reprint()
        .args(["explain", "--threshold", "0.8", "--perms", "128", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["bands"], 18);
    assert_eq!(v["rows"], 7);
    let probs = v["probability"].as_array().unwrap();
    assert_eq!(probs.len(), 8);
    assert_eq!(probs[0]["similarity"], 0.3);
    assert!(probs[5]["probability"].as_f64().unwrap() > 0.98);
    let text = reprint()
        .args(["explain", "--threshold", "0.5", "--perms", "64"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("bands x"));
    assert!(text.contains("0.3"));
    let bad = reprint()
        .args(["explain", "--threshold", "1.5"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn compressed_jsonl_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let plain = jsonl(dir.path(), "c.jsonl", &corpus_rows());
    let bytes = fs::read(&plain).unwrap();
    let gz = dir.path().join("c.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(fs::File::create(&gz).unwrap(), Default::default());
    enc.write_all(&bytes).unwrap();
    enc.finish().unwrap();
    let zst = dir.path().join("c.ndjson.zst");
    fs::write(&zst, zstd::encode_all(&bytes[..], 3).unwrap()).unwrap();
    let expected = pairs_json(&[plain.to_str().unwrap()]).0["pairs"].clone();
    assert_eq!(pairs_json(&[gz.to_str().unwrap()]).0["pairs"], expected);
    assert_eq!(pairs_json(&[zst.to_str().unwrap()]).0["pairs"], expected);
    let out = reprint()
        .args(["pairs", "-q", "--format", "json", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pairs"], expected);
}

#[test]
fn custom_fields_and_ids_from_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(9, 200);
    let f = jsonl(
        dir.path(),
        "c.jsonl",
        &[
            serde_json::json!({"body": base}),
            serde_json::json!({"body": base}),
        ],
    );
    let (v, code) = pairs_json(&[f.to_str().unwrap(), "--text-field", "body"]);
    assert_eq!(code, 0);
    let a = v["pairs"][0]["a"].as_str().unwrap();
    assert!(a.ends_with("c.jsonl:1"), "{a}");
    assert!(v["pairs"][0]["b"].as_str().unwrap().ends_with("c.jsonl:2"));
}

// ---- bad input ---------------------------------------------------------------------

#[test]
fn missing_path_is_an_error_naming_it() {
    let out = reprint().args(["pairs", "no/such/dir"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("no/such/dir"), "{err}");
    assert!(err.contains("No such file"), "{err}");
}

#[test]
fn unreadable_file_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("secret.txt");
    fs::write(&f, "some words here").unwrap();
    fs::set_permissions(&f, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&f).is_ok() {
        // Running as root: permissions do not apply, so this case cannot be produced.
        eprintln!("skipped: files stay readable for this user (root)");
        return;
    }
    let out = reprint().args(["pairs"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("secret.txt"));
    assert!(stderr_of(&out).contains("ermission denied"));
}

#[test]
fn binary_files_in_directories_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(3, 200);
    fs::write(dir.path().join("a.txt"), &base).unwrap();
    fs::write(dir.path().join("b.txt"), &base).unwrap();
    fs::write(dir.path().join("blob.txt"), b"\x00\x01\x02binary\x00").unwrap();
    fs::write(dir.path().join("image.png"), b"\x89PNG\x00\x00").unwrap();
    fs::write(dir.path().join(".hidden.txt"), &base).unwrap();
    let out = reprint()
        .args(["pairs", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 2);
    assert_eq!(v["input"]["binary_skipped"], 1);
    assert_eq!(v["input"]["other_files_skipped"], 1);
    let err = stderr_of(&out);
    assert!(err.contains("skipped 1 binary file"), "{err}");
    assert!(err.contains("blob.txt"), "{err}");
}

#[test]
fn explicit_binary_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.bin");
    fs::write(&f, b"\x00\x00\x00").unwrap();
    let out = reprint().args(["pairs"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("x.bin"));
    assert!(stderr_of(&out).contains("binary"));
}

#[test]
fn non_utf8_text_is_decoded_lossily_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(4, 200);
    let mut latin1 = base.clone().into_bytes();
    latin1.extend_from_slice(b" caf\xe9");
    fs::write(dir.path().join("a.txt"), &latin1).unwrap();
    fs::write(dir.path().join("b.txt"), &base).unwrap();
    let out = reprint()
        .args(["pairs", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"]["lossy_utf8"], 1);
    assert!(stderr_of(&out).contains("not valid UTF-8"));
    assert!(stderr_of(&out).contains("a.txt"));
}

#[test]
fn malformed_json_line_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("c.jsonl");
    fs::write(
        &f,
        "{\"id\":\"a\",\"text\":\"x\"}\n\n{\"id\":\"b\", text}\n",
    )
    .unwrap();
    let out = reprint().args(["pairs"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("c.jsonl:3"), "{err}");
    assert!(err.contains("malformed JSON"), "{err}");
    assert!(out.stdout.is_empty(), "no partial output on error");

    let out = reprint()
        .args(["pairs", "--skip-bad-lines", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"]["bad_lines_skipped"], 1);
    assert_eq!(v["documents"], 1);
    assert!(stderr_of(&out).contains("skipped 1 malformed line"));
}

#[test]
fn missing_text_field_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(
        dir.path(),
        "c.jsonl",
        &[
            serde_json::json!({"id": "a", "text": "x"}),
            serde_json::json!({"id": "b", "body": "x"}),
        ],
    );
    let out = reprint().args(["pairs"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("c.jsonl:2"), "{err}");
    assert!(err.contains("\"text\""), "{err}");
    let out = reprint()
        .args(["pairs", "--text-field", "nope"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(stderr_of(&out).contains("c.jsonl:1"));
}

#[test]
fn empty_and_short_documents_are_counted_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(
        dir.path(),
        "c.jsonl",
        &[
            serde_json::json!({"id": "e1", "text": ""}),
            serde_json::json!({"id": "e2", "text": "  ... !! "}),
            serde_json::json!({"id": "s1", "text": "Breaking news"}),
            serde_json::json!({"id": "s2", "text": "breaking NEWS!"}),
            serde_json::json!({"id": "s3", "text": "other words"}),
        ],
    );
    let out = reprint()
        .args(["pairs", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 5);
    assert_eq!(v["input"]["empty"], 2);
    assert_eq!(v["input"]["short"], 3);
    // Short texts still match their exact copies; empty texts match nothing.
    assert_eq!(v["pairs"].as_array().unwrap().len(), 1);
    assert_eq!(v["pairs"][0]["a"], "s1");
    assert!(stderr_of(&out).contains("2 documents have no words"));
}

#[test]
fn duplicate_ids_are_an_error_naming_the_id() {
    let dir = tempfile::tempdir().unwrap();
    let f = jsonl(
        dir.path(),
        "c.jsonl",
        &[
            serde_json::json!({"id": "same", "text": "a b c"}),
            serde_json::json!({"id": "other", "text": "a b c"}),
            serde_json::json!({"id": "same", "text": "d e f"}),
        ],
    );
    let out = reprint().args(["pairs"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("\"same\""), "{err}");
    assert!(
        err.contains("c.jsonl:1") && err.contains("c.jsonl:3"),
        "{err}"
    );
}

#[test]
fn huge_documents_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let big = text(7, 400_000); // ~2.7 MB
    let f = jsonl(
        dir.path(),
        "c.jsonl",
        &[
            serde_json::json!({"id": "a", "text": "one two three four five six"}),
            serde_json::json!({"id": "big", "text": big}),
            serde_json::json!({"id": "c", "text": "one two three four five six"}),
        ],
    );
    let out = reprint()
        .args(["pairs", "--max-doc-mib", "1", "--format", "json"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 2);
    assert_eq!(v["input"]["oversized_skipped"], 1);
    assert!(stderr_of(&out).contains("c.jsonl:2"), "{}", stderr_of(&out));
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(8, 50);
    let rows: Vec<Value> = (0..400)
        .map(|i| serde_json::json!({"id": format!("copy-{i:04}-with-a-long-identifier-to-fill-the-pipe"), "text": base}))
        .collect();
    let f = jsonl(dir.path(), "c.jsonl", &rows);
    let mut child = StdCommand::new(crate::util::bin())
        .env_clear()
        .args(["pairs", "--format", "jsonl", "--max-bucket", "1000"])
        .arg(&f)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `| head -c 16`
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("error"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_parameters_exit_two() {
    for args in [
        vec!["pairs", "--threshold", "0", "x"],
        vec!["pairs", "--ngram", "0", "x"],
        vec!["pairs", "--bands", "40", "--rows", "8", "x"],
        vec!["pairs", "--threads", "0", "x"],
        vec!["pairs", "--format", "xml", "x"],
    ] {
        let out = reprint().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn stats_counts_the_corpus() {
    let out = reprint()
        .args(["stats", "--json", "-q"])
        .arg(seeds())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"]["documents"], 5);
    assert!(v["input"]["words"].as_u64().unwrap() > 3000);
    assert!(v["shingles"].as_u64().unwrap() > 3000);
}

#[test]
fn containment_finds_a_short_text_inside_a_long_one() {
    let dir = tempfile::tempdir().unwrap();
    let long = text(11, 900);
    let short: String = long
        .split(' ')
        .skip(100)
        .take(300)
        .collect::<Vec<_>>()
        .join(" ");
    let f = jsonl(
        dir.path(),
        "c.jsonl",
        &[
            serde_json::json!({"id": "long", "text": long}),
            serde_json::json!({"id": "short", "text": short}),
        ],
    );
    // Jaccard is about 1/3: not a near-duplicate by Jaccard...
    let (v, code) = pairs_json(&[f.to_str().unwrap(), "--mode", "near-dup"]);
    assert_eq!(code, 1);
    assert!(v["pairs"].as_array().unwrap().is_empty());
    // ...but wholly contained.
    let (v, code) = pairs_json(&[
        f.to_str().unwrap(),
        "--mode",
        "near-dup",
        "--containment",
        "0.9",
    ]);
    assert_eq!(code, 0);
    let p = &v["pairs"][0];
    assert_eq!(p["containment_b_in_a"], 1.0);
    assert!(p["jaccard"].as_f64().unwrap() < 0.4);
    assert_eq!(p["score"], 1.0);
    assert!(v["parameters"]["candidate_threshold"].as_f64().unwrap() < 0.3);
}

// ---- diff and score ------------------------------------------------------------------

#[test]
fn diff_json_explains_the_seed_rewrite() {
    let out = reprint()
        .args(["diff", "--format", "json"])
        .arg(seed_path("002"))
        .arg(seed_path("003"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "reprint.diff/1");
    assert_eq!(v["verdict"], "rewrite");
    let pa = v["a"]["paragraphs"].as_array().unwrap().len();
    let pb = v["b"]["paragraphs"].as_array().unwrap().len();
    let links = v["alignments"].as_array().unwrap();
    assert!(links.len() >= 10, "{}", links.len());
    for l in links {
        assert!(l["a"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| (i.as_u64().unwrap() as usize) < pa));
        assert!(l["b"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| (i.as_u64().unwrap() as usize) < pb));
        assert!(["identical", "edited", "paraphrase"].contains(&l["kind"].as_str().unwrap()));
    }
    assert!(v["coverage_a"].as_f64().unwrap() > 0.5);
    // 003's page furniture ("Skip to main content") is not aligned.
    let unmatched_b: Vec<u64> = v["unmatched_b"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    assert!(unmatched_b.contains(&0));
}

#[test]
fn diff_terminal_output_colors_only_when_asked() {
    let run = |extra: &[&str], no_color: bool| {
        let mut c = reprint();
        c.args(["diff"])
            .arg(seed_path("002"))
            .arg(seed_path("003"))
            .args(extra);
        if no_color {
            c.env("NO_COLOR", "1");
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap()
    };
    let plain = run(&[], false);
    assert!(plain.contains("verdict: rewrite"));
    assert!(!plain.contains('\x1b'), "piped output has no colour");
    assert!(plain.contains(" | "), "side by side at the default width");
    assert!(run(&["--color", "always"], false).contains("\x1b[3"));
    assert!(!run(&["--color", "auto"], true).contains('\x1b'));
    let narrow = run(&["--width", "60"], false);
    assert!(
        narrow.lines().any(|l| l.starts_with("A  ")),
        "stacked when narrow"
    );
    assert!(
        narrow.lines().all(|l| l.chars().count() <= 63),
        "wrapped to the width"
    );
}

#[test]
fn diff_html_is_one_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("d.html");
    let out = reprint()
        .args(["diff", "--format", "html", "--out"])
        .arg(&out_path)
        .arg(seed_path("000"))
        .arg(seed_path("001"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let html = fs::read_to_string(&out_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("partial"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external assets"
    );
    assert!(
        !html.contains("<script"),
        "the one-pair page needs no script"
    );
    assert!(html.contains("<mark>"), "matched words marked");
}

#[test]
fn diff_by_id_in_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        serde_json::json!({"id": "wire", "text": fs::read_to_string(seed_path("003")).unwrap()}),
        serde_json::json!({"id": "paper", "text": fs::read_to_string(seed_path("002")).unwrap()}),
        serde_json::json!({"id": "other", "text": fs::read_to_string(seed_path("004")).unwrap()}),
    ];
    let f = jsonl(dir.path(), "c.jsonl", &rows);
    let out = reprint()
        .args(["diff", "paper", "wire", "--format", "json", "--corpus"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["a"]["id"], "paper");
    assert_eq!(v["verdict"], "rewrite");
    let out = reprint()
        .args(["diff", "paper", "nope", "--corpus"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("\"nope\""));
}

#[test]
fn score_writes_one_line_per_input_line_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let a = fs::read_to_string(seed_path("002")).unwrap();
    let b = fs::read_to_string(seed_path("003")).unwrap();
    let c = fs::read_to_string(seed_path("004")).unwrap();
    let f = jsonl(
        dir.path(),
        "p.jsonl",
        &[
            serde_json::json!({"id_a": 1, "id_b": "x", "text_a": a, "text_b": b}),
            serde_json::json!({"text_a": a, "text_b": c}),
            serde_json::json!({"text_a": "The company's profits rose sharply in the third quarter, its chief executive said.", "text_b": "Profits at the company rose sharply in the third quarter, the chief executive said."}),
            serde_json::json!({"text_a": a, "text_b": a}),
        ],
    );
    let out = reprint().args(["score", "-q"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["id_a"], 1);
    assert_eq!(rows[0]["id_b"], "x");
    assert_eq!(rows[0]["verdict"], "rewrite");
    assert_eq!(rows[1]["verdict"], "unrelated");
    // A lightly reworded sentence: derived either way.
    assert!(["near-duplicate", "rewrite"].contains(&rows[2]["verdict"].as_str().unwrap()));
    assert!(rows[2]["equivalence"].as_f64().unwrap() > 0.5);
    assert_eq!(rows[3]["verdict"], "duplicate");
    for r in &rows {
        for k in ["score", "verdict", "coverage_a", "coverage_b"] {
            assert!(r.get(k).is_some(), "{k}");
        }
    }
    assert!(rows[0]["score"].as_f64().unwrap() > rows[1]["score"].as_f64().unwrap());
    // stdin gives the same.
    let out2 = reprint()
        .args(["score", "-q", "-"])
        .write_stdin(fs::read(&f).unwrap())
        .output()
        .unwrap();
    assert_eq!(out2.status.code(), Some(0));
}

#[test]
fn score_names_bad_lines_or_skips_them() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.jsonl");
    fs::write(
        &f,
        "{\"text_a\":\"a b c\",\"text_b\":\"a b c\"}\n{\"text_a\":\"only one\"}\n",
    )
    .unwrap();
    let out = reprint().args(["score"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("p.jsonl:2"), "{}", stderr_of(&out));
    let out = reprint()
        .args(["score", "--skip-bad-lines", "-q"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["line"], 2);
    assert!(rows[1]["error"].as_str().unwrap().contains("text_b"));
}

#[test]
fn default_mode_finds_the_seed_rewrite_and_partial_reuse() {
    let (v, code) = pairs_json(&[seeds().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["mode"], "all");
    let pairs = v["pairs"].as_array().unwrap();
    let find = |a: &str, b: &str| {
        pairs
            .iter()
            .find(|p| p["a"].as_str().unwrap().contains(a) && p["b"].as_str().unwrap().contains(b))
    };
    let rw = find("002_", "003_").expect("002-003 reported");
    assert_eq!(rw["verdict"], "rewrite");
    assert!(rw["coverage_a"].as_f64().unwrap() > 0.5);
    assert!(rw["links"].as_u64().unwrap() >= 10);
    assert_eq!(
        find("000_", "001_").expect("000-001 reported")["verdict"],
        "partial"
    );
    for p in pairs {
        let v = p["verdict"].as_str().unwrap();
        let is_rewrite_pair = p["a"].as_str().unwrap().contains("002_");
        assert!(is_rewrite_pair || v == "partial", "{p}");
    }
    // Ranked by score: the rewrite first.
    assert!(pairs[0]["a"].as_str().unwrap().contains("002_"));
}

#[test]
fn report_writes_nothing_on_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    reprint()
        .args(["report", "--out"])
        .arg(&out)
        .arg(dir.path().join("missing"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing"));
    assert!(!out.exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file left"
    );
    // --out is required: a report goes to a file.
    reprint().args(["report"]).arg(seeds()).assert().code(2);
}

#[test]
fn report_with_no_pairs_is_a_page_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "The river flooded the lower town after three days of rain.\n\nSchools stayed shut.",
    )
    .unwrap();
    fs::write(
        dir.path().join("b.txt"),
        "The museum opened a new wing of medieval maps on Sunday.\n\nEntry is free this month.",
    )
    .unwrap();
    let out = dir.path().join("r.html");
    reprint()
        .args(["report", "-q", "--out"])
        .arg(&out)
        .arg(dir.path())
        .assert()
        .code(1);
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.contains("No similar pairs found."));
    assert!(html.starts_with("<!DOCTYPE html>"));
}
