//! `reprint index ...`: the same answers as `pairs --mode near-dup` over the archive
//! then the new documents, batches and compaction, removal, errors, a format kept in
//! `tests/data/index-v1`, and SIGKILL during `add` and `compact`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use crate::util::{bin, json_lines, jsonl, reprint, stderr_of};

/// A generated corpus cut into an archive of 5 batch files of 200 documents and a
/// file of new documents, shared by the tests.
struct Gen {
    _dir: tempfile::TempDir,
    batches: Vec<PathBuf>,
    new: PathBuf,
    rows: Vec<Value>,
}

fn gen() -> &'static Gen {
    static GEN: OnceLock<Gen> = OnceLock::new();
    GEN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let g = dir.path().join("gen");
        reprint()
            .args(["gen", "--docs", "1200", "-q", "--out"])
            .arg(&g)
            .assert()
            .success();
        let rows = json_lines(&fs::read(g.join("corpus.jsonl")).unwrap());
        let (archive, new) = rows.split_at(1000);
        let batches = archive
            .chunks(200)
            .enumerate()
            .map(|(i, c)| jsonl(dir.path(), &format!("batch{i}.jsonl"), c))
            .collect();
        // The new documents: the generator's last 200, light edits of 59 archive
        // documents, and 30 copies of one (a bucket above --max-bucket: a star).
        let mut new = new.to_vec();
        for (i, v) in archive.iter().step_by(17).enumerate() {
            let text = crate::util::edit(v["text"].as_str().unwrap(), 40 + i % 20);
            new.push(serde_json::json!({"id": format!("edit{i:03}"), "text": text}));
        }
        for i in 0..30 {
            new.push(serde_json::json!({"id": format!("copy{i:03}"), "text": archive[7]["text"]}));
        }
        let new = jsonl(dir.path(), "new.jsonl", &new);
        Gen {
            _dir: dir,
            batches,
            new,
            rows,
        }
    })
}

/// Small enough that the 30 copies (and their archive original) make stars.
const MAX_BUCKET: &str = "20";

fn run_ok(args: &[&str]) -> Vec<u8> {
    let out = reprint().arg("-q").args(args).output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        stderr_of(&out)
    );
    out.stdout
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// `pairs --mode near-dup --format jsonl` over `inputs`, the lines whose pair touches
/// an id of `new` (with `within`) or joins one to another document (without).
fn pairs_touching(inputs: &[PathBuf], new: &BTreeSet<String>, within: bool) -> Vec<String> {
    let mut args = vec![
        "pairs",
        "--mode",
        "near-dup",
        "--format",
        "jsonl",
        "--max-bucket",
        MAX_BUCKET,
    ];
    let paths: Vec<String> = inputs.iter().map(|p| s(p)).collect();
    args.extend(paths.iter().map(String::as_str));
    lines_touching(&run_ok(&args), new, within)
}

/// The JSON lines of pairs in `out` that touch an id of `new` (with `within`) or
/// join one to another document (without).
fn lines_touching(out: &[u8], new: &BTreeSet<String>, within: bool) -> Vec<String> {
    std::str::from_utf8(out)
        .unwrap()
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let a = new.contains(v["a"].as_str().unwrap());
            let b = new.contains(v["b"].as_str().unwrap());
            if within {
                a || b
            } else {
                a != b
            }
        })
        .map(str::to_owned)
        .collect()
}

fn query(ix: &Path, new: &Path, within: bool) -> Vec<String> {
    let mut args = vec![
        "index".to_owned(),
        "query".into(),
        s(ix),
        s(new),
        "--mode".into(),
        "near-dup".into(),
        "--format".into(),
        "jsonl".into(),
        "--max-bucket".into(),
        MAX_BUCKET.into(),
    ];
    if within {
        args.push("--within".into());
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    String::from_utf8(run_ok(&a))
        .unwrap()
        .lines()
        .map(undated)
        .collect()
}

/// A JSON line of `index query` over undated documents as `pairs` writes it: the same
/// keys in the same order, without `earlier` (which is `null` there).
fn undated(line: &str) -> String {
    let row = line
        .strip_suffix(",\"earlier\":null}")
        .unwrap_or_else(|| panic!("an undated pair has earlier null, last: {line}"));
    format!("{row}}}")
}

fn new_ids(path: &Path) -> BTreeSet<String> {
    json_lines(&fs::read(path).unwrap())
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

fn build(ix: &Path, batches: &[PathBuf]) {
    run_ok(&["index", "create", &s(ix)]);
    for b in batches {
        run_ok(&["index", "add", &s(ix), &s(b)]);
    }
}

fn manifest(ix: &Path) -> Value {
    serde_json::from_slice(&fs::read(ix.join("MANIFEST.json")).unwrap()).unwrap()
}

fn verify_ok(ix: &Path) {
    let out = reprint()
        .args(["index", "verify"])
        .arg(ix)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr_of(&out)
    );
}

#[test]
fn query_reports_the_pairs_of_a_run_over_archive_then_new() {
    let g = gen();
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    build(&ix, &g.batches);
    assert_eq!(manifest(&ix)["segments"].as_array().unwrap().len(), 5);
    let stars = reprint()
        .args([
            "index",
            "query",
            "--mode",
            "near-dup",
            "--max-bucket",
            MAX_BUCKET,
        ])
        .arg(&ix)
        .arg(&g.new)
        .output()
        .unwrap();
    assert!(
        stderr_of(&stars).contains("linked as stars"),
        "{}",
        stderr_of(&stars)
    );
    let ids = new_ids(&g.new);
    let mut all = g.batches.clone();
    all.push(g.new.clone());
    for within in [true, false] {
        let want = pairs_touching(&all, &ids, within);
        assert!(want.len() > 20, "{} pairs: too few to test", want.len());
        assert_eq!(query(&ix, &g.new, within), want, "within {within}");
    }
    // One build of the whole archive, and the five batches compacted: the same.
    let one = dir.path().join("one");
    run_ok(&["index", "create", &s(&one)]);
    let mut add = vec!["index".to_owned(), "add".into(), s(&one)];
    add.extend(g.batches.iter().map(|p| s(p)));
    run_ok(&add.iter().map(String::as_str).collect::<Vec<_>>());
    let want = pairs_touching(&all, &ids, true);
    assert_eq!(query(&one, &g.new, true), want);
    run_ok(&["index", "compact", &s(&ix)]);
    assert_eq!(manifest(&ix)["segments"].as_array().unwrap().len(), 1);
    verify_ok(&ix);
    assert_eq!(query(&ix, &g.new, true), want);
    // Only the manifest, the lock and the one segment are left.
    assert_eq!(fs::read_dir(&ix).unwrap().count(), 3);

    // Removing archive documents that were in pairs: answers without them.
    let gone: BTreeSet<String> = want
        .iter()
        .take(15)
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["a"].as_str().unwrap().to_owned()
        })
        .filter(|id| !ids.contains(id))
        .collect();
    assert!(!gone.is_empty());
    let mut rm = vec!["index".to_owned(), "remove".into(), s(&one)];
    rm.extend(gone.iter().cloned());
    run_ok(&rm.iter().map(String::as_str).collect::<Vec<_>>());
    let kept: Vec<Value> = g.rows[..1000]
        .iter()
        .filter(|v| !gone.contains(v["id"].as_str().unwrap()))
        .cloned()
        .collect();
    let kept = jsonl(dir.path(), "kept.jsonl", &kept);
    let want = pairs_touching(&[kept.clone(), g.new.clone()], &ids, true);
    let got = query(&one, &g.new, true);
    assert_eq!(got, want);
    assert!(got
        .iter()
        .all(|l| gone.iter().all(|id| !l.contains(&format!("\"{id}\"")))));
    run_ok(&["index", "compact", &s(&one)]);
    verify_ok(&one);
    assert_eq!(query(&one, &g.new, true), want);

    // diff --index shows a pair from the stored texts alone.
    let v: Value = serde_json::from_str(&want[0]).unwrap();
    let (a, b) = (v["a"].as_str().unwrap(), v["b"].as_str().unwrap());
    let mut q = vec!["index".to_owned(), "query".into(), s(&one), s(&g.new)];
    q.extend(["--mode", "near-dup", "--add", "-q"].map(String::from));
    let st = reprint().args(&q).output().unwrap();
    assert_eq!(st.status.code(), Some(0), "{}", stderr_of(&st));
    let d = reprint()
        .args(["diff", "--format", "json", "--index"])
        .arg(&one)
        .args([a, b])
        .output()
        .unwrap();
    assert!(matches!(d.status.code(), Some(0 | 1)), "{}", stderr_of(&d));
    let j: Value = serde_json::from_slice(&d.stdout).unwrap();
    assert!(j.is_object());
    // After --add the new documents are in the index: querying them again is refused.
    let again = reprint()
        .args(["index", "add"])
        .arg(&one)
        .arg(&g.new)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr_of(&again).contains("duplicate document id"),
        "{}",
        stderr_of(&again)
    );
}

/// `pairs` (the default mode) over `inputs` as JSON Lines, the lines whose pair
/// touches an id of `new` (with `within`) or joins one to another document (without).
fn default_pairs_touching(inputs: &[PathBuf], new: &BTreeSet<String>, within: bool) -> Vec<String> {
    let mut args = vec!["pairs", "--format", "jsonl"];
    let paths: Vec<String> = inputs.iter().map(|p| s(p)).collect();
    args.extend(paths.iter().map(String::as_str));
    lines_touching(&run_ok(&args), new, within)
}

#[test]
fn default_mode_query_reports_the_pairs_of_a_run_over_archive_then_new() {
    let g = gen();
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    build(&ix, &g.batches);
    let mut inputs = g.batches.clone();
    inputs.push(g.new.clone());
    let new = new_ids(&g.new);
    let query = |within: bool, add: bool| -> Vec<String> {
        let mut args = vec!["index", "query", "--format", "jsonl"];
        if within {
            args.push("--within");
        }
        if add {
            args.push("--add");
        }
        let (ix, n) = (s(&ix), s(&g.new));
        args.extend([ix.as_str(), n.as_str()]);
        String::from_utf8(run_ok(&args))
            .unwrap()
            .lines()
            .map(undated)
            .collect()
    };
    for within in [false, true] {
        let want = default_pairs_touching(&inputs, &new, within);
        assert!(want.len() > 50, "{}", want.len());
        // Rewrites and partial reuse, not only near-duplicates.
        assert!(
            want.iter()
                .any(|l| !l.contains("\"verdict\":\"near-duplicate\"")
                    && !l.contains("\"verdict\":\"duplicate\"")),
            "{want:?}"
        );
        assert_eq!(query(within, false), want, "within {within}");
    }
    // Added in the same commit, then compacted: the archive now holds the new
    // documents, and a run over it is the run over the files.
    let want = default_pairs_touching(&inputs, &new, true);
    assert_eq!(query(true, true), want);
    assert_eq!(live_documents(&ix), 1000 + new.len() as u64);
    run_ok(&["index", "compact", &s(&ix)]);
    verify_ok(&ix);
    assert_eq!(live_documents(&ix), 1000 + new.len() as u64);
}

#[test]
fn bad_directories_options_and_fields_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = |args: &[&str]| -> String {
        let out = reprint().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        stderr_of(&out)
    };
    let m = s(&missing);
    assert!(err(&["index", "stats", &m]).contains("no such index"));
    let plain = dir.path().join("plain");
    fs::create_dir(&plain).unwrap();
    fs::write(plain.join("x.txt"), "hello").unwrap();
    let p = s(&plain);
    assert!(err(&["index", "stats", &p]).contains("not a reprint index"));
    assert!(err(&["index", "create", &p]).contains("not empty"));

    let ix = dir.path().join("ix");
    run_ok(&["index", "create", &s(&ix), "--ngram", "3"]);
    // Dates and sources from an input that has no such fields: refused, not dropped
    // without a word (a text file, a JSON array file).
    let txt = dir.path().join("doc.txt");
    fs::write(&txt, "one two three four").unwrap();
    let arr = dir.path().join("docs.json");
    fs::write(
        &arr,
        r#"[{"id": "z", "text": "one two", "date": "2024-05-01"}]"#,
    )
    .unwrap();
    for (flag, input) in [("--date-field", &txt), ("--source-field", &arr)] {
        let e = err(&["index", "add", flag, "date", &s(&ix), &s(input)]);
        assert!(
            e.contains(&flag[2..]) && e.contains("JSON Lines") && e.contains(&s(input)),
            "{e}"
        );
    }
    let rows = vec![
        serde_json::json!({"id": "a", "text": "one two three four", "date": "2024-05-01", "outlet": "wire"}),
        serde_json::json!({"id": "b", "text": "five six seven", "date": "last tuesday"}),
    ];
    let f = jsonl(dir.path(), "d.jsonl", &rows);
    let e = err(&["index", "add", &s(&ix), &s(&f), "--date-field", "date"]);
    assert!(e.contains("d.jsonl:2") && e.contains("last tuesday"), "{e}");
    assert_eq!(manifest(&ix)["commit"], 0, "nothing committed");
    let out = reprint()
        .args(["index", "add"])
        .arg(&ix)
        .arg(&f)
        .args([
            "--date-field",
            "date",
            "--source-field",
            "outlet",
            "--skip-bad-lines",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("skipped"), "{}", stderr_of(&out));
    let st: Value =
        serde_json::from_slice(&run_ok(&["index", "stats", &s(&ix), "--format", "json"])).unwrap();
    assert_eq!(st["documents"], 1);
    assert_eq!(st["options"]["ngram"], 3);
    verify_ok(&ix);

    // remove of an unknown id.
    assert!(err(&["index", "remove", &s(&ix), "zzz"]).contains("no document with id \"zzz\""));

    // A second writer while one holds the lock: refused, naming the holder's pid.
    let mut holder = Command::new(bin())
        .env_clear()
        .args(["-q", "index", "add"])
        .arg(&ix)
        .arg("-")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut e = String::new();
    // Up to 10 s for the holder to start and take the lock on a loaded machine.
    for _ in 0..500 {
        std::thread::sleep(Duration::from_millis(20));
        let out = reprint()
            .args(["index", "remove"])
            .arg(&ix)
            .arg("a")
            .output()
            .unwrap();
        e = stderr_of(&out);
        if e.contains("locked") {
            break;
        }
    }
    assert!(
        e.contains(&format!("locked by another writer (pid {})", holder.id())),
        "{e}"
    );
    drop(holder.stdin.take());
    assert!(holder.wait().unwrap().success());
}

/// With dates, a pair names its `earlier` document, whichever side it is on; `null`
/// (an empty field) when a date is missing or the dates are equal.
#[test]
fn query_pairs_name_the_earlier_document() {
    let dir = tempfile::tempdir().unwrap();
    let words = |w: &str, n: usize| {
        (0..n)
            .map(|i| format!("{w}{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let rec = |id: &str, date: Option<&str>, text: &str| {
        let mut v = serde_json::json!({"id": id, "text": text});
        if let Some(d) = date {
            v["date"] = d.into();
        }
        v.to_string() + "\n"
    };
    let arch = dir.path().join("arch.jsonl");
    std::fs::write(
        &arch,
        rec("a1", Some("2024-03-01"), &words("w", 200))
            + &rec("a2", Some("2024-03-05T12:00:00+02:00"), &words("v", 200))
            + &rec("a3", None, &words("u", 200))
            + &rec("a4", Some("2024-03-07"), &words("t", 200)),
    )
    .unwrap();
    let new = dir.path().join("new.jsonl");
    std::fs::write(
        &new,
        // Later than a1; earlier than a2 (09:00 UTC against 12:00+02:00 = 10:00 UTC:
        // the new document is the earlier one); a3 has no date; a4 the same instant.
        rec("n1", Some("2024-03-02"), &words("w", 199))
            + &rec("n2", Some("2024-03-05T09:00:00Z"), &words("v", 199))
            + &rec("n3", Some("2024-01-01"), &words("u", 199))
            + &rec("n4", Some("2024-03-07T00:00:00Z"), &words("t", 199)),
    )
    .unwrap();
    let ix = dir.path().join("ix");
    run_ok(&["index", "create", &s(&ix)]);
    run_ok(&["index", "add", &s(&ix), &s(&arch), "--date-field", "date"]);
    let out = run_ok(&[
        "index",
        "query",
        &s(&ix),
        &s(&new),
        "--date-field",
        "date",
        "--mode",
        "near-dup",
        "--format",
        "jsonl",
    ]);
    let got: Vec<(String, String, Value)> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["a"].as_str().unwrap().into(),
                v["b"].as_str().unwrap().into(),
                v["earlier"].clone(),
            )
        })
        .collect();
    let want = |a: &str, b: &str, e: Value| (a.to_owned(), b.to_owned(), e);
    let mut got = got;
    got.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        got,
        vec![
            want("a1", "n1", "a1".into()),
            want("a2", "n2", "n2".into()),
            want("a3", "n3", Value::Null),
            want("a4", "n4", Value::Null),
        ]
    );
    // The CSV has the column, the table too.
    let csv = run_ok(&[
        "index",
        "query",
        &s(&ix),
        &s(&new),
        "--date-field",
        "date",
        "--mode",
        "near-dup",
        "--format",
        "csv",
    ]);
    assert!(String::from_utf8(csv).unwrap().starts_with(
        "a,b,score,jaccard,containment_a_in_b,containment_b_in_a,shared_shingles,verdict,earlier\n"
    ));
    let table = run_ok(&["index", "query", &s(&ix), &s(&new), "--mode", "near-dup"]);
    assert!(String::from_utf8(table)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .ends_with("earlier"));
}

/// The index kept in tests/data/index-v1 (written by format 1) still reads, verifies
/// and answers as it did; a manifest of a newer format is refused with its number.
#[test]
fn the_kept_format_1_index_still_reads() {
    let data = crate::util::root().join("tests/data/index-v1");
    let ix = data.join("index");
    verify_ok(&ix);
    let got = run_ok(&[
        "index",
        "query",
        &s(&ix),
        &s(&data.join("new.jsonl")),
        "--mode",
        "near-dup",
        "--within",
        "--format",
        "jsonl",
    ]);
    // The kept answers predate `earlier` (its documents have no dates).
    let want = fs::read(data.join("expected.jsonl")).unwrap();
    let got: String = String::from_utf8(got)
        .unwrap()
        .lines()
        .map(|l| undated(l) + "\n")
        .collect();
    assert_eq!(got, String::from_utf8(want).unwrap());
    let text = run_ok(&[
        "diff",
        "--index",
        &s(&ix),
        "d000",
        "d001",
        "--format",
        "json",
    ]);
    assert!(!text.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ix");
    fs::create_dir(&copy).unwrap();
    for e in fs::read_dir(&ix).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), copy.join(e.file_name())).unwrap();
    }
    let mut m = manifest(&copy);
    m["format_version"] = 99.into();
    fs::write(copy.join("MANIFEST.json"), m.to_string()).unwrap();
    let out = reprint()
        .args(["index", "stats"])
        .arg(&copy)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("index format 99 is newer than this reprint reads (1)"),
        "{}",
        stderr_of(&out)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// Live documents by the manifest: documents of its segments less its tombstones.
fn live_documents(ix: &Path) -> u64 {
    let m = manifest(ix);
    let docs: u64 = m["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["docs"].as_u64().unwrap())
        .sum();
    docs - m["tombstones"].as_array().unwrap().len() as u64
}

/// Kills `args` after `delay_ms`; returns whether it had finished by itself.
fn kill_after(args: &[String], delay_ms: u64) -> bool {
    let mut child = Command::new(bin())
        .env_clear()
        .arg("-q")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(delay_ms));
    let done = child.try_wait().unwrap().is_some();
    let _ = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let _ = child.wait();
    done
}

#[test]
fn sigkill_during_add_and_compact_leaves_the_previous_or_the_new_commit() {
    let g = gen();
    let dir = tempfile::tempdir().unwrap();
    // A template: three segments and a tombstone.
    let template = dir.path().join("template");
    build(&template, &g.batches[..3]);
    let first = g.rows[0]["id"].as_str().unwrap();
    run_ok(&["index", "remove", &s(&template), first]);
    let before = live_documents(&template);
    let commit = manifest(&template)["commit"].as_u64().unwrap();
    // Delays over the length of each run (an add syncs its segment, so it is the
    // longer): 22 of each.
    let mut finished = [0; 2];
    for k in 0..22u64 {
        for (op, delay, args) in [
            (
                "add",
                2 + k * 40,
                vec!["index", "add", "IX", &s(&g.batches[3])],
            ),
            ("compact", 2 + k * 7, vec!["index", "compact", "IX"]),
        ] {
            let ix = dir.path().join(format!("{op}{k}"));
            copy_dir(&template, &ix);
            let args: Vec<String> = args
                .iter()
                .map(|a| if *a == "IX" { s(&ix) } else { a.to_string() })
                .collect();
            let done = kill_after(&args, delay);
            finished[(op == "compact") as usize] += done as usize;
            verify_ok(&ix);
            let m = manifest(&ix);
            let c = m["commit"].as_u64().unwrap();
            assert!(
                c == commit || c == commit + 1,
                "{op} at {delay} ms: commit {c}"
            );
            let expect = if op == "add" && c == commit + 1 {
                before + 200
            } else {
                before
            };
            assert_eq!(
                live_documents(&ix),
                expect,
                "{op} at {delay} ms (commit {c})"
            );
            if k % 4 == 0 {
                // The next writer removes what the killed one left, and works.
                run_ok(&["index", "compact", &s(&ix)]);
                verify_ok(&ix);
                assert_eq!(live_documents(&ix), expect);
                assert_eq!(
                    fs::read_dir(&ix).unwrap().count(),
                    3,
                    "{op} at {delay} ms: stray files"
                );
            }
            fs::remove_dir_all(&ix).unwrap();
        }
    }
    // Some runs were killed mid-way, not all finished first.
    assert!(finished[0] < 22 && finished[1] < 22, "{finished:?}");
}

/// SIGINT during `add`, `query --add` and `compact` (ten moments each): exit 130 (or
/// the run had finished), the previous or the new commit, and no file left that the
/// commit does not name: the staged segment is removed by the Ctrl-C handler itself,
/// not left for the next writer; nor a query's scratch directory in TMPDIR.
#[test]
fn sigint_during_writes_leaves_no_staged_segment() {
    let g = gen();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template");
    build(&template, &g.batches[..2]);
    let commit = manifest(&template)["commit"].as_u64().unwrap();
    let mut interrupted = 0;
    for k in 0..10u64 {
        for (op, delay, args) in [
            (
                "add",
                5 + k * 30,
                vec!["index", "add", "IX", &s(&g.batches[3])],
            ),
            (
                "query --add",
                5 + k * 30,
                vec![
                    "index",
                    "query",
                    "--mode",
                    "near-dup",
                    "--add",
                    "IX",
                    &s(&g.batches[4]),
                ],
            ),
            ("compact", 2 + k * 6, vec!["index", "compact", "IX"]),
        ] {
            let ix = dir.path().join(format!("int{k}"));
            let tmp = dir.path().join(format!("tmp{k}"));
            fs::create_dir_all(&tmp).unwrap();
            copy_dir(&template, &ix);
            let args: Vec<String> = args
                .iter()
                .map(|a| if *a == "IX" { s(&ix) } else { a.to_string() })
                .collect();
            let mut child = Command::new(bin())
                .env_clear()
                .env("TMPDIR", &tmp)
                .arg("-q")
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(delay));
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .stderr(Stdio::null())
                .status();
            let status = child.wait().unwrap();
            let what = format!("{op} at {delay} ms: {status:?}");
            match status.code() {
                Some(0 | 1) => {}
                Some(130) => interrupted += 1,
                // SIGINT before the handler was installed.
                None => continue,
                Some(_) => panic!("{what}"),
            }
            verify_ok(&ix);
            let m = manifest(&ix);
            let c = m["commit"].as_u64().unwrap();
            assert!(c == commit || c == commit + 1, "{what}: commit {c}");
            let mut want: Vec<String> = m["segments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["file"].as_str().unwrap().to_owned())
                .chain(["LOCK".into(), "MANIFEST.json".into()])
                .collect();
            want.sort();
            let mut got: Vec<String> = fs::read_dir(&ix)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            got.sort();
            assert_eq!(got, want, "{what}: stray files");
            assert_eq!(
                fs::read_dir(&tmp).unwrap().count(),
                0,
                "{what}: left in TMPDIR"
            );
            fs::remove_dir_all(&ix).unwrap();
            fs::remove_dir_all(&tmp).unwrap();
        }
    }
    assert!(interrupted > 0, "no run was interrupted");
}

/// Member id lists of `clusters --format jsonl` or `index clusters --format jsonl`.
fn cluster_members(out: &[u8]) -> Vec<Vec<String>> {
    json_lines(out)
        .iter()
        .map(|c| {
            c["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().or(m["id"].as_str()).unwrap().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn index_clusters_are_the_clusters_of_the_files_with_origins_by_date() {
    let g = gen();
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    build(&ix, &g.batches);
    for mode in ["near-dup", "all"] {
        let mut args = vec!["clusters", "--mode", mode, "--format", "jsonl"];
        let paths: Vec<String> = g.batches.iter().map(|p| s(p)).collect();
        args.extend(paths.iter().map(String::as_str));
        let want = cluster_members(&run_ok(&args));
        assert!(want.len() > 10, "{mode}: {}", want.len());
        let got = run_ok(&[
            "index",
            "clusters",
            "--mode",
            mode,
            "--format",
            "jsonl",
            &s(&ix),
        ]);
        assert_eq!(cluster_members(&got), want, "{mode}");
    }

    // The wire story and its rewrite, the rewrite added first: the origin follows the
    // dates, not the order, and the other member says what it took from it.
    let wire = fs::read_to_string(crate::util::seed_path("003")).unwrap();
    let rewrite = fs::read_to_string(crate::util::seed_path("002")).unwrap();
    for (wire_date, rewrite_date, origin) in [
        ("2024-03-05", "2024-03-06T10:00:00Z", "wire"),
        ("2024-03-07", "2024-03-06T10:00:00+02:00", "rewrite"),
    ] {
        let f = jsonl(
            dir.path(),
            "story.jsonl",
            &[
                serde_json::json!({"id": "rewrite", "text": rewrite, "date": rewrite_date, "outlet": "B"}),
                serde_json::json!({"id": "wire", "text": wire, "date": wire_date, "outlet": "AFP"}),
            ],
        );
        let ix = dir.path().join(format!("story-{origin}"));
        run_ok(&["index", "create", &s(&ix)]);
        run_ok(&[
            "index",
            "add",
            &s(&ix),
            &s(&f),
            "--date-field",
            "date",
            "--source-field",
            "outlet",
        ]);
        let out = json_lines(&run_ok(&[
            "index",
            "clusters",
            &s(&ix),
            "--format",
            "jsonl",
        ]));
        assert_eq!(out.len(), 1, "{out:?}");
        let c = &out[0];
        assert_eq!(c["origin"], origin, "{c}");
        let members = c["members"].as_array().unwrap();
        let other = members.iter().find(|m| m["id"] != origin).unwrap();
        let own = members.iter().find(|m| m["id"] == origin).unwrap();
        assert_eq!(other["verdict"], "rewrite", "{c}");
        assert!(other["took"].as_f64().unwrap() > 0.5, "{c}");
        assert!(own["verdict"].is_null() && own["took"].is_null(), "{c}");
        assert_eq!(
            members
                .iter()
                .map(|m| m["source"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["B", "AFP"]
        );
        // Near-dup mode cannot see a rewrite: no cluster, exit 1.
        let none = reprint()
            .args(["index", "clusters", "-q", "--mode", "near-dup"])
            .arg(&ix)
            .output()
            .unwrap();
        assert_eq!(none.status.code(), Some(1), "{}", stderr_of(&none));
    }
}

/// Each diff of a report page keyed by its pair of ids, with its links.
fn report_diffs(page: &Path) -> std::collections::BTreeMap<(String, String), Value> {
    let data = crate::html::report_data(&fs::read_to_string(page).unwrap());
    let id = |i: &Value| {
        data["docs"][i.as_u64().unwrap() as usize]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    data["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| ((id(&d["a"]), id(&d["b"])), d["l"].clone()))
        .collect()
}

#[test]
fn report_with_an_index_shows_the_pairs_touching_the_new_documents() {
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    let seed = |p: &str| s(&crate::util::seed_path(p));
    run_ok(&["index", "create", &s(&ix)]);
    run_ok(&[
        "index",
        "add",
        &s(&ix),
        &seed("000"),
        &seed("001"),
        &seed("003"),
    ]);
    let with_index = dir.path().join("with-index.html");
    let out = reprint()
        .args([
            "report",
            "--index",
            &s(&ix),
            &seed("002"),
            &seed("004"),
            "--out",
        ])
        .arg(&with_index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("with 2 pairs"),
        "{}",
        stderr_of(&out)
    );
    let files = dir.path().join("files.html");
    run_ok(&[
        "report",
        &seed("000"),
        &seed("001"),
        &seed("003"),
        &seed("002"),
        &seed("004"),
        "--out",
        &s(&files),
    ]);
    let got = report_diffs(&with_index);
    let new = [seed("002"), seed("004")];
    let want: std::collections::BTreeMap<_, _> = report_diffs(&files)
        .into_iter()
        .filter(|((a, b), _)| new.contains(a) || new.contains(b))
        .collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got, want);
    // A new document already in the index is refused, naming both places.
    let e = reprint()
        .args(["report", "--index", &s(&ix), &seed("003"), "--out"])
        .arg(dir.path().join("x.html"))
        .output()
        .unwrap();
    assert_eq!(e.status.code(), Some(2));
    assert!(
        stderr_of(&e).contains("duplicate document id"),
        "{}",
        stderr_of(&e)
    );
    assert!(!dir.path().join("x.html").exists());
}

#[test]
fn sources_with_an_index_are_those_of_the_archive_files_and_follow_dates() {
    let g = gen();
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    build(&ix, &g.batches);
    for mode in ["all", "near-dup"] {
        let mut args = vec!["sources", "--mode", mode, "--format", "jsonl"];
        let from: Vec<String> = g.batches.iter().map(|p| s(p)).collect();
        for f in &from {
            args.extend(["--from", f.as_str()]);
        }
        let new = s(&g.new);
        args.push(&new);
        let want = run_ok(&args);
        assert!(json_lines(&want).len() > 50, "{mode}");
        let got = run_ok(&[
            "sources",
            "--index",
            &s(&ix),
            "--mode",
            mode,
            "--format",
            "jsonl",
            &new,
        ]);
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap(),
            "{mode}"
        );
    }

    // Dates: the wire story is a source of its rewrite published after it, not of one
    // published before it.
    let wire = fs::read_to_string(crate::util::seed_path("003")).unwrap();
    let rewrite = fs::read_to_string(crate::util::seed_path("002")).unwrap();
    let ix = dir.path().join("dated");
    let arch = jsonl(
        dir.path(),
        "arch.jsonl",
        &[serde_json::json!({"id": "wire", "text": wire, "date": "2024-03-05"})],
    );
    run_ok(&["index", "create", &s(&ix)]);
    run_ok(&["index", "add", &s(&ix), &s(&arch), "--date-field", "date"]);
    let sources_of = |published: &str| -> Vec<Value> {
        let f = jsonl(
            dir.path(),
            "art.jsonl",
            &[serde_json::json!({"id": "rw", "text": rewrite, "published": published})],
        );
        json_lines(&run_ok(&[
            "sources",
            "--index",
            &s(&ix),
            "--date-field",
            "published",
            "--format",
            "jsonl",
            &s(&f),
        ]))
    };
    let late = sources_of("2024-03-06");
    assert_eq!(late.len(), 1);
    assert_eq!(
        (late[0]["source"].as_str(), late[0]["verdict"].as_str()),
        (Some("wire"), Some("rewrite"))
    );
    assert!(sources_of("2024-03-04T23:00:00Z").is_empty());
    // The same instant: kept.
    assert_eq!(sources_of("2024-03-05T00:00:00+00:00").len(), 1);
    // A date that does not parse names the file and line.
    let f = jsonl(
        dir.path(),
        "bad.jsonl",
        &[serde_json::json!({"id": "rw", "text": "x", "published": "yesterday"})],
    );
    let out = reprint()
        .args([
            "sources",
            "--index",
            &s(&ix),
            "--date-field",
            "published",
            &s(&f),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = stderr_of(&out);
    assert!(
        e.contains("bad.jsonl:1") && e.contains("\"yesterday\""),
        "{e}"
    );
    // --index and --from together are refused.
    let out = reprint()
        .args(["sources", "--index", &s(&ix), "--from", &s(&arch), &s(&f)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}
