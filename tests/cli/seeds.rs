//! The seed corpus as a regression test of the rewrite detector: the AFP story and its
//! rewrite, the pair sharing AP quotes, and independent same-story coverage.

use reprint::compare::docscore::DocIdf;
use reprint::compare::verdict::Verdict;
use reprint::compare::Comparer;

fn seed(prefix: &str) -> String {
    std::fs::read_to_string(crate::util::seed_path(prefix)).unwrap()
}

#[test]
fn seed_pairs_get_the_expected_verdicts() {
    let names = ["000", "001", "002", "003", "004"];
    let texts: Vec<String> = names.iter().map(|n| seed(n)).collect();
    let mut cmp = Comparer::new(5);
    let prepared: Vec<_> = texts.iter().map(|t| cmp.prepare(t, &|_| false)).collect();
    let mut idf = DocIdf::new();
    for p in &prepared {
        idf.add(&p.analyzed.stems);
    }
    for i in 0..5 {
        for j in i + 1..5 {
            let c = cmp.compare(&prepared[i], &prepared[j], Some(&idf));
            eprintln!(
                "{}-{}: {:?} score {:.3} coverage {:.2}/{:.2} links {} J {:.3}",
                names[i],
                names[j],
                c.verdict,
                c.score,
                c.coverage_a,
                c.coverage_b,
                c.alignment.units.len(),
                c.overlap.jaccard
            );
            match (names[i], names[j]) {
                ("002", "003") => assert_eq!(c.verdict, Some(Verdict::Rewrite)),
                ("000", "001") => assert_eq!(c.verdict, Some(Verdict::Partial)),
                _ => assert!(
                    !matches!(
                        c.verdict,
                        Some(Verdict::Rewrite | Verdict::Duplicate | Verdict::NearDuplicate)
                    ),
                    "{}-{} is {:?}",
                    names[i],
                    names[j],
                    c.verdict
                ),
            }
        }
    }
}

/// What seeds/README.md says `reprint pairs` finds, run through the binary.
#[test]
fn the_seeds_readme_is_true() {
    let run = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = crate::util::reprint()
            .current_dir(crate::util::root())
            .args(["-q", "pairs", "--format", "jsonl"])
            .args(args)
            .arg("seeds/")
            .output()
            .unwrap();
        crate::util::json_lines(&out.stdout)
    };
    let short = |v: &serde_json::Value| v.as_str().unwrap()[6..9].to_owned();
    let got: Vec<(String, String, String)> = run(&[])
        .iter()
        .map(|p| {
            (
                short(&p["a"]),
                short(&p["b"]),
                p["verdict"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("002", "003", "rewrite"),
        ("000", "001", "partial"),
        ("000", "004", "partial"),
    ];
    assert_eq!(got, want.map(|(a, b, v)| (a.into(), b.into(), v.into())));
    let rewrite = &run(&[])[0];
    // As the table prints them: Jaccard to 3 decimals, coverage to 2.
    let at = |k: &str, places: i32| {
        let f = 10f64.powi(places);
        (rewrite[k].as_f64().unwrap() * f).round() / f
    };
    assert_eq!(
        (at("jaccard", 3), at("coverage_a", 2), at("coverage_b", 2)),
        (0.035, 0.84, 0.71)
    );
    assert!(run(&["--mode", "near-dup"]).is_empty());
    assert_eq!(run(&["--mode", "near-dup", "--threshold", "0.02"]).len(), 1);
}

/// `pairs`, `diff` and `score` judge a pair the same (fixed background statistics), and
/// a `score` line's result does not depend on the other lines of its batch.
#[test]
fn pairs_diff_and_score_agree_and_score_lines_are_independent() {
    use serde_json::{json, Value};
    let names = ["000", "001", "002", "003", "004"];
    let paths: Vec<String> = names
        .iter()
        .map(|n| {
            let p = crate::util::seed_path(n);
            format!("seeds/{}", p.file_name().unwrap().to_str().unwrap())
        })
        .collect();
    let texts: Vec<String> = names.iter().map(|n| seed(n)).collect();
    let mut pairs = Vec::new();
    for i in 0..5 {
        for j in i + 1..5 {
            pairs.push((i, j));
        }
    }
    let out = crate::util::reprint()
        .current_dir(crate::util::root())
        .args(["-q", "pairs", "--format", "jsonl", "seeds/"])
        .output()
        .unwrap();
    let reported = crate::util::json_lines(&out.stdout);
    assert!(reported.len() >= 3);
    let diff = |i: usize, j: usize| -> Value {
        let out = crate::util::reprint()
            .current_dir(crate::util::root())
            .args(["-q", "diff", "--format", "json", &paths[i], &paths[j]])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let score = |lines: &[(usize, usize)], name: &str| -> Vec<Value> {
        let rows: Vec<Value> = lines
            .iter()
            .map(|&(i, j)| json!({"text_a": texts[i], "text_b": texts[j]}))
            .collect();
        let path = crate::util::jsonl(dir.path(), name, &rows);
        let out = crate::util::reprint()
            .args(["-q", "score"])
            .arg(&path)
            .output()
            .unwrap();
        crate::util::json_lines(&out.stdout)
    };
    let batch = score(&pairs, "all.jsonl");
    assert_eq!(batch.len(), pairs.len());
    for (k, &(i, j)) in pairs.iter().enumerate() {
        let d = diff(i, j);
        let s = &batch[k];
        let verdict = |v: &Value| v.as_str().map_or("unrelated".to_owned(), str::to_owned);
        assert_eq!(d["score"], s["score"], "{}-{}", names[i], names[j]);
        assert_eq!(verdict(&d["verdict"]), verdict(&s["verdict"]));
        assert_eq!(d["evidence"], s["evidence"], "{}-{}", names[i], names[j]);
        if let Some(p) = reported
            .iter()
            .find(|p| p["a"] == paths[i].as_str() && p["b"] == paths[j].as_str())
        {
            assert_eq!(p["score"], s["score"], "{}-{}", names[i], names[j]);
            assert_eq!(verdict(&p["verdict"]), verdict(&s["verdict"]));
        } else {
            assert_eq!(
                verdict(&s["verdict"]),
                "unrelated",
                "{}-{}",
                names[i],
                names[j]
            );
        }
        // Alone, or among other lines in another order: the same line.
        assert_eq!(score(&[(i, j)], "one.jsonl"), vec![s.clone()]);
    }
    let reversed: Vec<(usize, usize)> = pairs.iter().rev().copied().collect();
    let mut again = score(&reversed, "reversed.jsonl");
    again.reverse();
    assert_eq!(again, batch);
}

/// `--idf corpus` weighs the document score by the batch's document frequencies: the
/// same pair then scores differently next to other texts, and the default does not.
#[test]
fn idf_corpus_takes_statistics_from_the_batch() {
    use serde_json::json;
    let (a, b, c) = (seed("002"), seed("003"), seed("000"));
    let dir = tempfile::tempdir().unwrap();
    let alone = crate::util::jsonl(
        dir.path(),
        "alone.jsonl",
        &[json!({"text_a": a, "text_b": b})],
    );
    let mixed = crate::util::jsonl(
        dir.path(),
        "mixed.jsonl",
        &[
            json!({"text_a": a, "text_b": b}),
            json!({"text_a": c, "text_b": c}),
        ],
    );
    let first = |path: &std::path::Path, idf: &str| -> serde_json::Value {
        let out = crate::util::reprint()
            .args(["-q", "score", "--idf", idf])
            .arg(path)
            .output()
            .unwrap();
        crate::util::json_lines(&out.stdout)[0]["score"].clone()
    };
    assert_eq!(first(&alone, "background"), first(&mixed, "background"));
    assert_ne!(first(&alone, "corpus"), first(&mixed, "corpus"));
    assert_ne!(first(&alone, "corpus"), first(&alone, "background"));
}
