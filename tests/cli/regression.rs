//! Regression tests: one per fixed bug, named after the bug it pins (what used to
//! happen), with the commit that fixed it. A new fix adds its test here.

use std::fs;

use crate::commands::pairs_json;
use crate::util::{reprint, seed_path, seeds};

/// `seeds/README.md` was read as a sixth document: a directory walk takes `.txt` and
/// JSON Lines files only (counted in `other_files_skipped`).
#[test]
fn seeds_readme_read_as_a_document() {
    let (v, code) = pairs_json(&[seeds().to_str().unwrap(), "--threshold", "0.02"]);
    assert_eq!(code, 0);
    assert_eq!(
        v["documents"], 5,
        "seeds/README.md must not be read as a document"
    );
    // The rewrite pair shares only ~4% of its 5-grams: visible only at a tiny threshold.
    let top = &v["pairs"][0];
    assert!(top["a"]
        .as_str()
        .unwrap()
        .ends_with("002_486cdfaf399a01ed.txt"));
    assert!(top["b"]
        .as_str()
        .unwrap()
        .ends_with("003_6f1f85b9678831c8.txt"));
    assert!(top["jaccard"].as_f64().unwrap() < 0.06);
}

/// 85587b9: a mistyped `--out` directory failed only when the output was written,
/// after a run of minutes. It is now refused before any input is read.
#[test]
fn unwritable_out_noticed_only_after_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("missing").join("out.jsonl");
    for cmd in ["pairs", "report", "dedup"] {
        reprint()
            .arg(cmd)
            .arg("--out")
            .arg(&bad)
            .arg(seeds())
            .assert()
            .code(2)
            .stderr(predicates::str::contains("is not an existing directory"));
    }
    // An --out that is a directory is refused too.
    reprint()
        .args(["pairs", "--out"])
        .arg(dir.path())
        .arg(seeds())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("it is a directory"));
}

/// 9d80129: an empty `--from` directory ended in a silent exit 1; stderr now says
/// which side was empty.
#[test]
fn silent_exit_on_an_empty_from_collection() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("wire");
    fs::create_dir(&empty).unwrap();
    let out = reprint()
        .args(["sources", "--from"])
        .arg(&empty)
        .arg(seed_path("002"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--from collection holds no documents"),
        "{err}"
    );
}

/// 3f44783: hard-wrapped wire copy (fixed-width lines, no blank line between
/// paragraphs) was one paragraph, so every aligned sentence fell into a single link.
#[test]
fn hard_wrapped_wire_copy_read_as_one_paragraph() {
    let paragraphs = [
        "Flood defences at Lostwithiel failed on Sunday after the River Fowey rose 2.3 metres above its usual level, the Environment Agency said in a statement issued late in the evening.",
        "Councillor Demelza Roskilly said 140 homes in Lostwithiel had been evacuated to the Fowey leisure centre overnight and that volunteers were still arriving from across the county on Monday.",
        "The Environment Agency said the Lostwithiel barrier, built in 1997, had not been inspected since Roskilly first raised concerns about its condition with the council.",
    ];
    // Wrapped at 60 columns, paragraphs separated by a line break only (each ends on
    // a short line, as wrapped paragraphs do).
    let mut wrapped = String::new();
    for p in paragraphs {
        let mut line = String::new();
        for w in p.split(' ') {
            if !line.is_empty() && line.len() + 1 + w.len() > 60 {
                wrapped.push_str(&line);
                wrapped.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        wrapped.push_str(&line);
        wrapped.push('\n');
    }
    assert!(wrapped.lines().count() >= 9, "{wrapped}");
    let got = reprint::text::paragraphs(&wrapped);
    assert_eq!(got.len(), 3, "{got:#?}");
    for (g, p) in got.iter().zip(paragraphs) {
        assert_eq!(g.split_whitespace().collect::<Vec<_>>().join(" "), p);
    }
}

// ---- open bugs: ignored until fixed (run with `cargo test --test cli -- --ignored`) ---

/// Found by props::tokenizing_is_idempotent: UAX #29 attaches a combining mark
/// (here U+1E026, a Glagolitic combining letter) to the space before it, and the
/// segment is kept as a word because the mark is alphabetic, so the word holds the
/// space and re-tokenizing the joined words gives another word.
#[test]
#[ignore = "open bug: a word can hold whitespace"]
fn word_holds_the_space_before_a_combining_mark() {
    let w = reprint::text::words("a \u{1e026}");
    assert!(
        w.iter().all(|x| !x.chars().any(char::is_whitespace)),
        "{w:?}"
    );
}

/// Found by props::comparer_is_symmetric on texts of repeated words: comparing B
/// with A does not mirror comparing A with B (coverage 0.8 one way, 0 the other).
#[test]
#[ignore = "open bug: alignment coverage depends on the direction on repetitive texts"]
fn comparer_coverage_depends_on_the_direction() {
    let a = "rain rain rain rain.\n\nrain rain train court.\n\ntrain rain court rain.\n\nrain rain rain court. river price rain vote.\n\ncourt rain rain rain.";
    let b = "court vote train rain strike.\n\nrain rain rain rain.";
    let mut cmp = reprint::compare::Comparer::new(5);
    let pa = cmp.prepare(a, &|_| false);
    let pb = cmp.prepare(b, &|_| false);
    let ab = cmp.compare(&pa, &pb, None);
    let ba = cmp.compare(&pb, &pa, None);
    assert!(
        (ab.coverage_a - ba.coverage_b).abs() < 1e-9,
        "{} vs {}",
        ab.coverage_a,
        ba.coverage_b
    );
    assert!((ab.coverage_b - ba.coverage_a).abs() < 1e-9);
}

/// Issue 14, finding 4: the terminal `diff` measured the whole rest of an unaligned
/// paragraph for every line it wrapped, quadratic in the paragraph (a 1.5 MB paragraph
/// took 39 s against 0.1 s for JSON). This one (600 KB) took over 10 s in a debug
/// build; wrapping is now linear (the library's `wrap_is_linear_in_the_text` counts
/// the characters scanned).
#[test]
fn terminal_diff_quadratic_in_an_unaligned_paragraph() {
    let dir = tempfile::tempdir().unwrap();
    let base = crate::util::text(11, 200);
    // Words the base paragraph does not have, so the paragraph stays unaligned.
    let long: Vec<String> = (0..75_000u32)
        .map(|i| format!("term{}", i.wrapping_mul(2_654_435_761) % 9973))
        .collect();
    let long = long.join(" ");
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    fs::write(&a, format!("{base}\n\n{long}")).unwrap();
    fs::write(&b, &base).unwrap();
    let out = reprint()
        .args(["diff", "--color", "never", "--width", "100"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    let only = &s[s.find("only in A:").expect("an only-in section")..];
    let words: Vec<&str> = only
        .lines()
        .skip(1)
        .flat_map(|l| l.split_whitespace())
        .filter(|w| !w.starts_with("A["))
        .collect();
    assert_eq!(words.join(" "), long);
    assert!(only.lines().all(|l| l.chars().count() <= 100));
}

/// Scores `{"text_a": t, "text_b": t}` with `reprint score`: the one output line.
fn score_identical(t: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        format!("{}\n", serde_json::json!({"text_a": t, "text_b": t})),
    )
    .unwrap();
    let out = reprint()
        .args(["-q", "score"])
        .arg(&input)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The `diff` header of a document against itself: (links, coverage line).
fn diff_header(args: &[&std::ffi::OsStr]) -> (String, String) {
    let out = reprint().arg("diff").args(args).output().unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    let mut lines = s.lines().skip(2);
    (
        lines.next().unwrap().to_owned(),
        lines.next().unwrap().to_owned(),
    )
}

/// Issue 14, finding 15: identical documents made of one repeated sentence were a
/// `duplicate` with 0 links and 0% coverage (the aligner's frequency filter dropped
/// every stem), and identical one-word documents scored 0.5 (the bigram half of `D`
/// had nothing to count).
#[test]
fn identical_repetitive_or_one_word_texts_scored_as_partly_different() {
    let dir = tempfile::tempdir().unwrap();
    for (name, t) in [
        ("repeated", "The cat sat on the mat today. ".repeat(20)),
        ("one-word", "hello".to_owned()),
    ] {
        let v = score_identical(&t);
        assert_eq!(v["score"], 1.0, "{name}: {v}");
        assert_eq!(v["coverage_a"], 1.0, "{name}: {v}");
        assert_eq!(v["coverage_b"], 1.0, "{name}: {v}");
        assert_eq!(v["verdict"], "duplicate", "{name}: {v}");
        let p = dir.path().join(format!("{name}.txt"));
        fs::write(&p, &t).unwrap();
        let (verdict, coverage) = diff_header(&[p.as_os_str(), p.as_os_str()]);
        assert_eq!(
            verdict, "verdict: duplicate   score 1.000   1 links",
            "{name}"
        );
        assert!(
            coverage.starts_with("coverage A 100%  B 100%"),
            "{name}: {coverage}"
        );
    }
}

/// Issue 14, finding 15: exact duplicates of text common in the corpus (every
/// paragraph boilerplate) scored 0.000 in the default mode, and `diff` gave them 0%
/// coverage while `pairs` said 100%.
#[test]
fn exact_duplicates_of_corpus_common_text_scored_zero() {
    let dir = tempfile::tempdir().unwrap();
    let common = "Share this article on Facebook and Twitter now.";
    let mut rows: Vec<serde_json::Value> = (0..6)
        .map(|i| serde_json::json!({"id": format!("d{i}"), "text": common}))
        .collect();
    rows.extend((0..20).map(|i| {
        serde_json::json!({
            "id": format!("x{i}"),
            "text": format!("{}\n\n{common}", crate::util::text(100 + i, 80)),
        })
    }));
    let c = crate::util::jsonl(dir.path(), "c.jsonl", &rows);
    let out = reprint()
        .args(["-q", "pairs", "--format", "jsonl"])
        .arg(&c)
        .output()
        .unwrap();
    let pairs = crate::util::json_lines(&out.stdout);
    let p = pairs
        .iter()
        .find(|p| p["a"] == "d0" && p["b"] == "d1")
        .expect("d0-d1 reported");
    assert_eq!(p["score"], 1.0, "{p}");
    assert_eq!(p["coverage_a"], 1.0, "{p}");
    // Boilerplate is never aligned: no links, in pairs as in diff.
    assert_eq!(p["links"], 0, "{p}");
    let (verdict, coverage) = diff_header(&[
        "d0".as_ref(),
        "d1".as_ref(),
        "--corpus".as_ref(),
        c.as_os_str(),
    ]);
    assert_eq!(verdict, "verdict: duplicate   score 1.000   0 links");
    assert!(
        coverage.starts_with("coverage A 100%  B 100%"),
        "{coverage}"
    );
}

/// Issue 13 item 3: `pairs` said 0 links for duplicates where `diff` said 5. Exact
/// duplicates are now aligned (the identity alignment, cheap) and count their links
/// as `diff` does; a duplicate that is not identical and not aligned says `null`.
#[test]
fn pairs_said_zero_links_for_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let paras: Vec<String> = (0..5)
        .map(|i| crate::util::text(40 + i, 60) + ".")
        .collect();
    let t = paras.join("\n\n");
    let near = format!("{t} extra");
    let c = crate::util::jsonl(
        dir.path(),
        "c.jsonl",
        &[
            serde_json::json!({"id": "a", "text": t}),
            serde_json::json!({"id": "b", "text": t}),
            serde_json::json!({"id": "c", "text": near}),
        ],
    );
    let out = reprint()
        .args(["-q", "pairs", "--format", "jsonl"])
        .arg(&c)
        .output()
        .unwrap();
    let pairs = crate::util::json_lines(&out.stdout);
    let find = |a: &str, b: &str| pairs.iter().find(|p| p["a"] == a && p["b"] == b).unwrap();
    let (verdict, _) = diff_header(&[
        "a".as_ref(),
        "b".as_ref(),
        "--corpus".as_ref(),
        c.as_os_str(),
    ]);
    assert_eq!(verdict, "verdict: duplicate   score 1.000   5 links");
    assert_eq!(find("a", "b")["links"], 5);
    let ac = find("a", "c");
    assert_eq!(ac["verdict"], "duplicate");
    assert!(ac["links"].is_null(), "{ac}");
}
