//! Parquet and `.json` array inputs: the same results as the same records in JSON
//! Lines, in every mode; `dedup` writing Parquet with every column; and the errors for
//! files that cannot be read.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use serde_json::{json, Value};

use crate::util::{corpus_rows, edit, json_lines, jsonl, reprint, seeds, stderr_of, text};

/// The type of a column: that of its first non-null value.
fn column_type(rows: &[Value], key: &str) -> DataType {
    for r in rows {
        match &r[key] {
            Value::Null => continue,
            Value::Number(n) if n.is_i64() => return DataType::Int64,
            Value::Number(_) => return DataType::Float64,
            Value::Bool(_) => return DataType::Boolean,
            _ => return DataType::Utf8,
        }
    }
    DataType::Utf8
}

fn column(rows: &[Value], key: &str, t: &DataType) -> ArrayRef {
    let get = |r: &Value| Some(r.get(key)?).filter(|v| !v.is_null()).cloned();
    match t {
        DataType::Int64 => Arc::new(
            rows.iter()
                .map(|r| get(r)?.as_i64())
                .collect::<Int64Array>(),
        ),
        DataType::Float64 => Arc::new(
            rows.iter()
                .map(|r| get(r)?.as_f64())
                .collect::<Float64Array>(),
        ),
        DataType::Boolean => Arc::new(
            rows.iter()
                .map(|r| get(r)?.as_bool())
                .collect::<BooleanArray>(),
        ),
        _ => Arc::new(
            rows.iter()
                .map(|r| {
                    get(r).map(|v| match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                })
                .collect::<StringArray>(),
        ),
    }
}

/// Writes `rows` (JSON objects) as Parquet to `dir/name`, one column per key (in
/// order of first appearance, typed by the first value), `group` rows per row group.
fn parquet(dir: &Path, name: &str, rows: &[Value], group: usize) -> PathBuf {
    let mut keys: Vec<String> = Vec::new();
    for r in rows {
        for k in r.as_object().unwrap().keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    let fields: Vec<Field> = keys
        .iter()
        .map(|k| Field::new(k, column_type(rows, k), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let p = dir.join(name);
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group))
        .build();
    let mut w =
        ArrowWriter::try_new(File::create(&p).unwrap(), schema.clone(), Some(props)).unwrap();
    for chunk in rows.chunks(group) {
        let cols = keys
            .iter()
            .zip(schema.fields())
            .map(|(k, f)| column(chunk, k, f.data_type()))
            .collect();
        w.write(&RecordBatch::try_new(schema.clone(), cols).unwrap())
            .unwrap();
    }
    w.close().unwrap();
    p
}

/// Reads a Parquet file back as JSON objects (nulls left out) and its column names.
fn read_parquet(bytes: Vec<u8>) -> (Vec<String>, Vec<Value>) {
    let f = tempfile::tempfile().unwrap();
    std::io::Write::write_all(&mut &f, &bytes).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(f)
        .unwrap()
        .build()
        .unwrap();
    let mut names = Vec::new();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        names = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        for i in 0..batch.num_rows() {
            let mut obj = serde_json::Map::new();
            for (name, col) in names.iter().zip(batch.columns()) {
                if col.is_null(i) {
                    continue;
                }
                let v = match col.data_type() {
                    DataType::Utf8 => {
                        json!(col.as_any().downcast_ref::<StringArray>().unwrap().value(i))
                    }
                    DataType::Int64 => {
                        json!(col.as_any().downcast_ref::<Int64Array>().unwrap().value(i))
                    }
                    DataType::UInt64 => {
                        json!(col.as_any().downcast_ref::<UInt64Array>().unwrap().value(i))
                    }
                    DataType::Float64 => json!(col
                        .as_any()
                        .downcast_ref::<Float64Array>()
                        .unwrap()
                        .value(i)),
                    DataType::Boolean => json!(col
                        .as_any()
                        .downcast_ref::<BooleanArray>()
                        .unwrap()
                        .value(i)),
                    t => panic!("unexpected column type {t}"),
                };
                obj.insert(name.clone(), v);
            }
            rows.push(Value::Object(obj));
        }
    }
    (names, rows)
}

/// A corpus of 40 documents in 8 near-duplicate families of three (and 16 unrelated),
/// with a date and a score, so that both modes find pairs and dedup drops some.
fn family_rows() -> Vec<Value> {
    let mut rows = Vec::new();
    for f in 0..8u64 {
        let base = text(100 + f, 300);
        for (k, t) in [base.clone(), edit(&base, 40), edit(&base, 25)]
            .into_iter()
            .enumerate()
        {
            rows.push(json!({
                "id": format!("f{f}-{k}"),
                "text": t,
                "date": format!("2024-0{}-1{k}", 1 + f % 9),
                "score": (f * 3 + k as u64) as f64 / 10.0,
            }));
        }
    }
    for u in 0..16u64 {
        rows.push(json!({"id": format!("u{u}"), "text": text(500 + u, 250), "date": "2023-01-01", "score": 1.5}));
    }
    rows
}

fn run(args: &[&str], input: &Path) -> (i32, String, String) {
    let out = reprint().args(args).arg(input).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout.clone()).unwrap(),
        stderr_of(&out),
    )
}

#[test]
fn pairs_on_parquet_equal_pairs_on_the_same_json_lines_in_both_modes() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let j = jsonl(dir.path(), "c.jsonl", &rows);
    // Row groups of 7 rows: pass 2 re-reads the verified documents across groups.
    let p = parquet(dir.path(), "c.parquet", &rows, 7);
    let mut found = 0;
    for mode in [&["--mode", "near-dup", "--threshold", "0.5"][..], &[][..]] {
        for threads in ["1", "2"] {
            let mut args = vec!["pairs", "--format", "jsonl", "-j", threads];
            args.extend_from_slice(mode);
            let (code_j, out_j, err_j) = run(&args, &j);
            let (code_p, out_p, err_p) = run(&args, &p);
            assert_eq!(code_j, 0, "{err_j}");
            assert_eq!(code_p, 0, "{err_p}");
            assert_eq!(
                out_p.replace("c.parquet", "c.jsonl"),
                out_j,
                "{mode:?} -j {threads}"
            );
            found += json_lines(out_p.as_bytes()).len();
        }
    }
    assert!(
        found >= 4 * 16,
        "every family gives pairs in both modes ({found})"
    );
}

#[test]
fn ids_without_an_id_column_are_file_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Value> = corpus_rows()
        .into_iter()
        .map(|r| json!({"body": r["text"]}))
        .collect();
    let j = jsonl(dir.path(), "c.jsonl", &rows);
    let p = parquet(dir.path(), "c.parquet", &rows, 2);
    let args = [
        "pairs",
        "--mode",
        "near-dup",
        "--threshold",
        "0.5",
        "--text-field",
        "body",
        "--format",
        "jsonl",
    ];
    let (_, out_j, _) = run(&args, &j);
    let (code, out_p, err) = run(&args, &p);
    assert_eq!(code, 0, "{err}");
    assert!(out_p.contains("c.parquet:3"), "{out_p}");
    assert_eq!(out_p.replace("c.parquet", "c.jsonl"), out_j);
}

#[test]
fn integer_ids_are_ids_and_duplicates_are_refused_as_in_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<Value> = corpus_rows()
        .into_iter()
        .enumerate()
        .map(|(i, r)| json!({"id": 10 + i as i64, "text": r["text"]}))
        .collect();
    let p = parquet(dir.path(), "c.parquet", &rows, 100);
    let args = [
        "pairs",
        "--mode",
        "near-dup",
        "--threshold",
        "0.5",
        "--format",
        "jsonl",
    ];
    let (code, out, err) = run(&args, &p);
    assert_eq!(code, 0, "{err}");
    let ids: Vec<String> = json_lines(out.as_bytes())
        .iter()
        .map(|l| l["a"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(ids.iter().any(|i| i == "10"), "{out}");

    let mut dup = rows.clone();
    dup[2]["id"] = json!(10);
    let p = parquet(dir.path(), "dup.parquet", &dup, 100);
    let (code, _, err) = run(&args, &p);
    assert_eq!(code, 2);
    assert!(err.contains("duplicate document id \"10\""), "{err}");
    assert!(
        err.contains("dup.parquet:1") && err.contains("dup.parquet:3"),
        "{err}"
    );
}

#[test]
fn the_seeds_as_parquet_give_the_pairs_of_the_seed_files() {
    // The seed articles and a rewrite of each (every 25th word changed), as text files
    // in `d/` and as the rows of a Parquet file whose ids are those files' paths.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    fs::create_dir(&d).unwrap();
    let mut rows = Vec::new();
    let mut names: Vec<PathBuf> = fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    for p in &names {
        let name = p.file_name().unwrap().to_str().unwrap();
        let body = fs::read_to_string(p).unwrap();
        for (file, t) in [
            (name.to_owned(), body.clone()),
            (format!("{name}.edit.txt"), edit(&body, 25)),
        ] {
            fs::write(d.join(&file), &t).unwrap();
            rows.push(json!({"id": format!("d/{file}"), "text": t}));
        }
    }
    rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    assert!(rows.len() >= 10);
    let p = parquet(dir.path(), "seeds.parquet", &rows, 4);
    for mode in [&["--mode", "near-dup", "--threshold", "0.3"][..], &[][..]] {
        let mut args = vec!["pairs", "--format", "jsonl"];
        args.extend_from_slice(mode);
        let files = reprint()
            .current_dir(dir.path())
            .args(&args)
            .arg("d")
            .output()
            .unwrap();
        let table = reprint().args(&args).arg(&p).output().unwrap();
        assert_eq!(
            table.status.code(),
            files.status.code(),
            "{}",
            stderr_of(&table)
        );
        assert!(!files.stdout.is_empty());
        // The same pairs, scores and verdicts; only the location of each side differs.
        let strip = |bytes: &[u8]| -> Vec<Value> {
            json_lines(bytes)
                .into_iter()
                .map(|mut l| {
                    for side in ["a", "b"] {
                        if let Some(o) = l[side].as_object_mut() {
                            o.remove("location");
                        }
                    }
                    l
                })
                .collect()
        };
        assert_eq!(strip(&table.stdout), strip(&files.stdout), "{mode:?}");
    }
}

/// Runs dedup on `input` writing to `dir/out`, with `args`; returns the output bytes.
fn dedup(dir: &Path, input: &Path, out: &str, args: &[&str]) -> Vec<u8> {
    let path = dir.join(out);
    let o = reprint()
        .arg("dedup")
        .args(args)
        .arg("--out")
        .arg(&path)
        .arg(input)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    fs::read(path).unwrap()
}

#[test]
fn dedup_of_parquet_writes_parquet_with_every_column_and_the_rows_json_lines_keeps() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let j = jsonl(dir.path(), "c.jsonl", &rows);
    let p = parquet(dir.path(), "c.parquet", &rows, 5);
    for args in [
        &["--mode", "near-dup", "--threshold", "0.5"][..],
        &[
            "--threshold",
            "0.5",
            "--keep",
            "newest",
            "--keep-field",
            "date",
        ][..],
        &[
            "--threshold",
            "0.5",
            "--keep",
            "max",
            "--keep-field",
            "score",
            "-j",
            "1",
        ][..],
    ] {
        let kept_j = json_lines(&dedup(dir.path(), &j, "kept.jsonl", args));
        let bytes = dedup(dir.path(), &p, "kept.parquet", args);
        assert!(bytes.starts_with(b"PAR1"), "Parquet output");
        let (names, kept_p) = read_parquet(bytes);
        // The columns of the input (the helper writes them in key order).
        assert_eq!(names, ["date", "id", "score", "text"]);
        assert!(kept_j.len() < rows.len(), "some rows dropped ({args:?})");
        assert_eq!(kept_p, kept_j, "{args:?}");
    }
}

#[test]
fn dedup_annotate_of_parquet_adds_the_cluster_columns_json_lines_gets() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let j = jsonl(dir.path(), "c.jsonl", &rows);
    let p = parquet(dir.path(), "c.parquet", &rows, 9);
    let args = ["--annotate", "--mode", "near-dup", "--threshold", "0.5"];
    let ann_j = json_lines(&dedup(dir.path(), &j, "a.jsonl", &args));
    let (names, ann_p) = read_parquet(dedup(dir.path(), &p, "a.parquet", &args));
    assert_eq!(
        names,
        [
            "date",
            "id",
            "score",
            "text",
            "cluster_id",
            "cluster_size",
            "keep"
        ]
    );
    assert_eq!(ann_p.len(), rows.len());
    // JSON Lines writes `"cluster_id": null`, which the Parquet reading leaves out.
    let ann_j: Vec<Value> = ann_j
        .into_iter()
        .map(|mut v| {
            v.as_object_mut().unwrap().retain(|_, x| !x.is_null());
            v
        })
        .collect();
    assert_eq!(ann_p, ann_j);

    // An input that already has one of the columns is refused.
    let mut clash = rows.clone();
    clash[0]["keep"] = json!(true);
    let p = parquet(dir.path(), "clash.parquet", &clash, 9);
    let (code, _, err) = run(&["dedup", "--annotate", "--out", "-"], &p);
    assert_eq!(code, 2);
    assert!(
        err.contains("clash.parquet") && err.contains("\"keep\""),
        "{err}"
    );
}

#[test]
fn dedup_refuses_parquet_mixed_with_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let j = jsonl(dir.path(), "c.jsonl", &rows[..20]);
    let p = parquet(dir.path(), "c.parquet", &rows[20..], 5);
    let out = dir.path().join("out.jsonl");
    let o = reprint()
        .arg("dedup")
        .arg("--out")
        .arg(&out)
        .args([&p, &j])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr_of(&o);
    assert!(
        err.contains("c.parquet is Parquet and") && err.contains("c.jsonl is not"),
        "{err}"
    );
    assert!(!out.exists());
    // Other commands read the mix.
    let o = reprint()
        .args(["pairs", "--mode", "near-dup", "--threshold", "0.5"])
        .args([&p, &j])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
}

#[test]
fn a_json_array_is_read_like_the_same_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let j = jsonl(dir.path(), "c.jsonl", &rows);
    let a = dir.path().join("c.json");
    // Pretty-printed: elements span lines.
    fs::write(&a, serde_json::to_string_pretty(&rows).unwrap()).unwrap();
    for mode in [&["--mode", "near-dup", "--threshold", "0.5"][..], &[][..]] {
        let mut args = vec!["pairs", "--format", "jsonl"];
        args.extend_from_slice(mode);
        let (_, out_j, _) = run(&args, &j);
        let (code, out_a, err) = run(&args, &a);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out_a, out_j, "{mode:?}");
    }
    // dedup writes the kept elements as JSON Lines.
    let args = ["--threshold", "0.5"];
    let kept_j = json_lines(&dedup(dir.path(), &j, "k1.jsonl", &args));
    let kept_a = json_lines(&dedup(dir.path(), &a, "k2.jsonl", &args));
    assert!(kept_j.len() < rows.len());
    assert_eq!(kept_a, kept_j);
    // Without ids, an element's id is FILE:INDEX (1-based).
    let bare: Vec<Value> = corpus_rows()
        .into_iter()
        .map(|r| json!({"text": r["text"]}))
        .collect();
    let a = dir.path().join("bare.json");
    fs::write(&a, serde_json::to_string(&bare).unwrap()).unwrap();
    let (code, out, err) = run(
        &[
            "pairs",
            "--mode",
            "near-dup",
            "--threshold",
            "0.5",
            "--format",
            "jsonl",
        ],
        &a,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("bare.json:3"), "{out}");
}

#[test]
fn a_directory_of_parquet_and_json_files_is_read_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let d = dir.path().join("d");
    fs::create_dir(&d).unwrap();
    parquet(&d, "a.parquet", &rows[..24], 10);
    fs::write(
        d.join("b.json"),
        serde_json::to_string(&rows[24..]).unwrap(),
    )
    .unwrap();
    let j = jsonl(dir.path(), "all.jsonl", &rows);
    let args = ["stats", "--format", "json"];
    let (code, out, err) = run(&args, &d);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let (_, out_j, _) = run(&args, &j);
    let vj: Value = serde_json::from_str(&out_j).unwrap();
    assert_eq!(v["input"]["documents"], vj["input"]["documents"], "{out}");
    assert_eq!(v["input"]["documents"], json!(rows.len()), "{out}");
    assert_eq!(v["input"]["other_files_skipped"], json!(0), "{out}");
}

#[test]
fn a_null_text_is_a_bad_record_as_in_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = corpus_rows();
    rows[1]["text"] = Value::Null;
    let p = parquet(dir.path(), "n.parquet", &rows, 100);
    let (code, _, err) = run(&["pairs"], &p);
    assert_eq!(code, 2);
    assert!(
        err.contains("n.parquet:2") && err.contains("\"text\" is null"),
        "{err}"
    );
    let (code, _, err) = run(&["pairs", "--skip-bad-lines"], &p);
    assert!(code == 0 || code == 1, "{err}");
    assert!(err.contains("skipped 1"), "{err}");
}

#[test]
fn unreadable_parquet_files_are_errors_naming_the_file_column_and_row_group() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let p = parquet(dir.path(), "c.parquet", &rows, 10);

    // A missing column: the file, the column, and the columns there are.
    let (code, _, err) = run(&["pairs", "--text-field", "body"], &p);
    assert_eq!(code, 2);
    assert!(err.contains("c.parquet: no column \"body\""), "{err}");
    assert!(
        err.contains("the columns are \"date\", \"id\", \"score\", \"text\""),
        "{err}"
    );

    // A column that is not a string column.
    let (code, _, err) = run(&["pairs", "--text-field", "score"], &p);
    assert_eq!(code, 2);
    assert!(
        err.contains("column \"score\"") && err.contains("Float64"),
        "{err}"
    );
    let (code, _, err) = run(&["pairs", "--id-field", "score"], &p);
    assert_eq!(code, 2);
    assert!(err.contains("\"score\" (the id field) is Float64"), "{err}");

    // Not Parquet at all, and a truncated file.
    let bytes = fs::read(&p).unwrap();
    let t = dir.path().join("trunc.parquet");
    fs::write(&t, &bytes[..bytes.len() / 2]).unwrap();
    let (code, _, err) = run(&["pairs"], &t);
    assert_eq!(code, 2);
    assert!(
        err.contains("trunc.parquet: not a readable Parquet file"),
        "{err}"
    );
    let x = dir.path().join("text.parquet");
    fs::write(&x, "just some text, no Parquet here\n").unwrap();
    let (code, _, err) = run(&["pairs"], &x);
    assert_eq!(code, 2);
    assert!(
        err.contains("text.parquet: not a readable Parquet file"),
        "{err}"
    );

    // A corrupt page header in the second row group: the footer is fine, the row
    // group is not.
    let meta = ParquetRecordBatchReaderBuilder::try_new(File::open(&p).unwrap())
        .unwrap()
        .metadata()
        .clone();
    let chunk = meta.row_group(1).column(3);
    assert_eq!(chunk.column_path().string(), "text");
    let at = chunk
        .dictionary_page_offset()
        .unwrap_or(chunk.data_page_offset()) as usize;
    let mut bad = bytes.clone();
    for b in &mut bad[at..at + 24] {
        *b = 0xff;
    }
    let c = dir.path().join("corrupt.parquet");
    fs::write(&c, &bad).unwrap();
    let (code, _, err) = run(&["pairs"], &c);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("corrupt.parquet: row group 2 of 4 (rows 11-20)"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn json_files_that_are_not_an_array_of_objects_are_errors_with_a_position() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content, at) in [
        (
            "object.json",
            "{\"id\": \"a\", \"text\": \"t\"}\n",
            "object.json:1:1",
        ),
        ("scalar.json", "\n  42\n", "scalar.json:"),
        (
            "broken.json",
            "[{\"text\": \"a\"},\n {\"text\": \"b\"\n",
            "broken.json:3:",
        ),
        ("trailing.json", "[{\"text\": \"a\"}] [", "trailing.json:1:"),
    ] {
        let p = dir.path().join(name);
        fs::write(&p, content).unwrap();
        let (code, _, err) = run(&["pairs"], &p);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(at), "{name}: {err}");
        assert!(err.contains("one JSON array of objects"), "{name}: {err}");
    }
    // An element that is not an object is a bad record, skippable.
    let p = dir.path().join("mixed.json");
    let t = text(3, 50);
    fs::write(
        &p,
        format!("[{{\"text\": \"{t}\"}}, 7, {{\"text\": \"{t}\"}}]"),
    )
    .unwrap();
    let (code, _, err) = run(&["pairs"], &p);
    assert_eq!(code, 2);
    assert!(err.contains("mixed.json:2"), "{err}");
    let (code, _, err) = run(&["pairs", "--skip-bad-lines", "--mode", "near-dup"], &p);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn oversized_rows_are_left_out_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = corpus_rows();
    rows[3]["text"] = json!("word ".repeat(300_000));
    let p = parquet(dir.path(), "big.parquet", &rows, 2);
    let (code, _, err) = run(
        &[
            "pairs",
            "--mode",
            "near-dup",
            "--threshold",
            "0.5",
            "--max-doc-mib",
            "1",
        ],
        &p,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("big.parquet:4"), "{err}");
}

#[test]
fn clusters_diff_and_report_read_parquet_like_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let rows = family_rows();
    let j = jsonl(dir.path(), "c.jsonl", &rows);
    let p = parquet(dir.path(), "c.parquet", &rows, 6);
    let same = |args: &[&str], input_flag: Option<&str>, tail: &[&str]| {
        let out = |f: &Path| {
            let mut c = reprint();
            c.args(args);
            match input_flag {
                Some(flag) => c.arg(flag).arg(f),
                None => c.arg(f),
            };
            let o = c.args(tail).output().unwrap();
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr_of(&o));
            String::from_utf8(o.stdout).unwrap()
        };
        let (a, b) = (out(&j), out(&p));
        assert!(!a.is_empty());
        assert_eq!(b.replace("c.parquet", "c.jsonl"), a, "{args:?}");
    };
    same(
        &[
            "clusters",
            "--mode",
            "near-dup",
            "--threshold",
            "0.5",
            "--format",
            "json",
        ],
        None,
        &[],
    );
    same(
        &["diff", "--format", "json"],
        Some("--corpus"),
        &["f3-0", "f3-2"],
    );
    same(
        &[
            "report",
            "--mode",
            "near-dup",
            "--threshold",
            "0.5",
            "--out",
            "-",
        ],
        None,
        &[],
    );
}

#[test]
fn large_and_view_strings_integer_ids_and_date_columns_are_read() {
    use arrow_array::{Date32Array, LargeStringArray, StringViewArray};
    let dir = tempfile::tempdir().unwrap();
    let base = text(21, 300);
    let texts = [base.clone(), edit(&base, 40), text(22, 300)];
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("body", DataType::LargeUtf8, true),
        Field::new("view", DataType::Utf8View, true),
        // Days since 1970: 2024-01-01, 2024-03-01, none.
        Field::new("day", DataType::Date32, true),
    ]));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![7, 8, 9])),
        Arc::new(LargeStringArray::from(texts.to_vec())),
        Arc::new(StringViewArray::from(texts.to_vec())),
        Arc::new(Date32Array::from(vec![Some(19723), Some(19783), None])),
    ];
    let p = dir.path().join("t.parquet");
    let mut w = ArrowWriter::try_new(File::create(&p).unwrap(), schema.clone(), None).unwrap();
    w.write(&RecordBatch::try_new(schema, cols).unwrap())
        .unwrap();
    w.close().unwrap();
    for field in ["body", "view"] {
        let (code, out, err) = run(
            &[
                "pairs",
                "--mode",
                "near-dup",
                "--threshold",
                "0.5",
                "--format",
                "jsonl",
                "--text-field",
                field,
            ],
            &p,
        );
        assert_eq!(code, 0, "{err}");
        let l = json_lines(out.as_bytes());
        assert_eq!(
            (l.len(), &l[0]["a"], &l[0]["b"]),
            (1, &json!("7"), &json!("8")),
            "{field}"
        );
    }
    // The date column is read as ISO 8601: --keep newest keeps 8 (2024-03-01).
    let kept = dir.path().join("k.parquet");
    let o = reprint()
        .args([
            "dedup",
            "--threshold",
            "0.5",
            "--text-field",
            "body",
            "--keep",
            "newest",
            "--keep-field",
            "day",
            "--removed",
            "-",
            "--out",
        ])
        .arg(&kept)
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr_of(&o));
    let removed = json_lines(&o.stdout);
    assert_eq!(removed.len(), 1);
    assert_eq!(
        (&removed[0]["id"], &removed[0]["kept_id"]),
        (&json!("7"), &json!("8"))
    );
    let meta = ParquetRecordBatchReaderBuilder::try_new(File::open(&kept).unwrap()).unwrap();
    let types: Vec<DataType> = meta
        .schema()
        .fields()
        .iter()
        .map(|f| f.data_type().clone())
        .collect();
    assert_eq!(
        types,
        [
            DataType::Int64,
            DataType::LargeUtf8,
            DataType::Utf8View,
            DataType::Date32
        ]
    );
    assert_eq!(meta.metadata().file_metadata().num_rows(), 2);
}
