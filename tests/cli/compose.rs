//! Outputs that compose (issue 13 item 3): CSV always has its header, every format has
//! the same columns whether or not pairs were found, and CSV / TSV fields cannot be
//! read as spreadsheet formulas.

use serde_json::json;

use crate::util::{jsonl, reprint, text};

/// `n` words no other call shares: `{prefix}0 {prefix}1 ...`.
fn words(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{prefix}{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(args: &[&str], path: &std::path::Path) -> String {
    let out = reprint().arg("-q").args(args).arg(path).output().unwrap();
    assert!(out.status.code().unwrap() < 2, "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn csv_has_its_header_and_the_columns_of_its_mode_with_zero_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let c = jsonl(
        dir.path(),
        "c.jsonl",
        &[
            json!({"id": "x", "text": words("alpha", 200)}),
            json!({"id": "y", "text": words("beta", 200)}),
        ],
    );
    let e = jsonl(dir.path(), "e.jsonl", &[]);
    let all = "a,b,score,jaccard,containment_a_in_b,containment_b_in_a,shared_shingles,verdict,coverage_a,coverage_b,links\n";
    let near = "a,b,score,jaccard,containment_a_in_b,containment_b_in_a,shared_shingles,verdict\n";
    for p in [&c, &e] {
        assert_eq!(run(&["pairs", "--format", "csv"], p), all);
        assert_eq!(
            run(&["pairs", "--format", "csv", "--mode", "near-dup"], p),
            near
        );
        assert_eq!(run(&["pairs", "--format", "tsv"], p), "");
        assert_eq!(run(&["pairs", "--format", "jsonl"], p), "");
        assert_eq!(
            run(&["clusters", "--format", "csv"], p),
            "cluster,size,id\n"
        );
        // The default-mode table has the default-mode columns even with no pairs.
        let table = run(&["pairs"], p);
        assert!(
            table.starts_with("a  b  score  jaccard  cov_a  cov_b  verdict"),
            "{table}"
        );
        let table = run(&["pairs", "--mode", "near-dup"], p);
        assert!(
            table.starts_with("a  b  jaccard  a_in_b  b_in_a  verdict"),
            "{table}"
        );
    }
    let wire = jsonl(
        dir.path(),
        "w.jsonl",
        &[json!({"id": "w", "text": words("gamma", 200)})],
    );
    let out = reprint()
        .args(["-q", "sources", "--format", "csv", "--from"])
        .arg(&wire)
        .arg(&c)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "article,source,rank,score,jaccard,shared_shingles,verdict,coverage_article,coverage_source,new_sentences\n"
    );
}

/// Issue 14, finding 12: ids starting with `=`, `+`, `-` or `@` were written as they
/// are, and a spreadsheet opening the CSV runs them as formulas.
#[test]
fn csv_formula_injection_through_ids() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(4, 300);
    let ids = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1+1",
        "-2",
        "@SUM(A1)",
        "\tx",
    ];
    let rows: Vec<_> = ids
        .iter()
        .map(|id| json!({"id": id, "text": base}))
        .collect();
    let c = jsonl(dir.path(), "c.jsonl", &rows);
    for format in ["csv", "tsv"] {
        for cmd in ["pairs", "clusters"] {
            let out = run(&[cmd, "--format", format], &c);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(format == "csv")
                .delimiter(if format == "csv" { b',' } else { b'\t' })
                .from_reader(out.as_bytes());
            let mut seen = 0;
            for rec in reader.records() {
                for f in rec.unwrap().iter() {
                    assert!(
                        !f.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{cmd} {format}: {f:?} in\n{out}"
                    );
                    if let Some(id) = f.strip_prefix('\'') {
                        assert!(ids.contains(&id), "{f:?}");
                        seen += 1;
                    }
                }
            }
            assert!(seen >= ids.len(), "{cmd} {format}: {out}");
        }
    }
    // JSON keeps the ids exact.
    let out = run(&["pairs", "--format", "jsonl"], &c);
    assert!(out.contains("\"a\":\"=HYPERLINK("), "{out}");
}
