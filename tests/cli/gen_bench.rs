//! Integration tests of `reprint gen` and `reprint bench`: real processes, temp
//! directories, JSON parsed. Tiny corpora, no timing assertions.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::reprint;

fn gen(dir: &Path, docs: u64, seed: u64, threads: usize) {
    let out = reprint()
        .args(["gen", "-q", "--threads", &threads.to_string()])
        .args(["--docs", &docs.to_string(), "--seed", &seed.to_string()])
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn lines(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn gen_is_deterministic_across_runs_and_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    // Enough documents for several chunks, so parallel chunks are really in play.
    gen(&a, 2500, 7, 1);
    gen(&b, 2500, 7, 2);
    gen(&c, 2500, 7, 2);
    for f in ["corpus.jsonl", "truth.jsonl", "manifest.json"] {
        let x = fs::read(a.join(f)).unwrap();
        assert_eq!(x, fs::read(b.join(f)).unwrap(), "{f}: 1 vs 2 threads");
        assert_eq!(x, fs::read(c.join(f)).unwrap(), "{f}: run to run");
    }
    let d = tmp.path().join("d");
    gen(&d, 2500, 8, 2);
    assert_ne!(
        fs::read(a.join("corpus.jsonl")).unwrap(),
        fs::read(d.join("corpus.jsonl")).unwrap(),
        "another seed gives another corpus"
    );
}

#[test]
fn gen_writes_a_consistent_corpus_truth_and_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("g");
    gen(&dir, 600, 3, 2);
    let corpus = lines(&dir.join("corpus.jsonl"));
    assert_eq!(corpus.len(), 600);
    let mut texts: HashMap<String, String> = HashMap::new();
    for d in &corpus {
        let id = d["id"].as_str().unwrap().to_owned();
        let text = d["text"].as_str().unwrap().to_owned();
        assert!(d["topic"].is_string());
        assert!(text.contains("\n\n"), "paragraphs separated by blank lines");
        assert!(texts.insert(id, text).is_none(), "ids are unique");
    }
    let words: usize = texts.values().map(|t| t.split_whitespace().count()).sum();
    let mean = words / texts.len();
    assert!((400..900).contains(&mean), "mean words per document {mean}");

    let truth = lines(&dir.join("truth.jsonl"));
    let cats: HashSet<&str> = truth
        .iter()
        .map(|r| r["category"].as_str().unwrap())
        .collect();
    for c in [
        "near-duplicate",
        "rewrite",
        "partial",
        "sibling",
        "distractor",
    ] {
        assert!(cats.contains(c), "category {c} present: {cats:?}");
    }
    // Every truth Jaccard recomputed independently: word 5-gram sets of the texts,
    // with words from reprint's tokenizer but n-grams as strings (not hashes).
    let grams = |t: &str| -> HashSet<String> {
        let w = reprint::text::words(t);
        w.windows(5).map(|g| g.join(" ")).collect()
    };
    let mut rewrites_low = 0;
    for r in &truth {
        let (a, b) = (r["a"].as_str().unwrap(), r["b"].as_str().unwrap());
        assert!(a < b, "a comes first in the corpus");
        let (ga, gb) = (grams(&texts[a]), grams(&texts[b]));
        let shared = ga.intersection(&gb).count();
        let union = ga.len() + gb.len() - shared;
        assert_eq!(
            r["shared_shingles"].as_u64().unwrap() as usize,
            shared,
            "{r}"
        );
        assert_eq!(r["union_shingles"].as_u64().unwrap() as usize, union, "{r}");
        let j = r["jaccard"].as_f64().unwrap();
        assert!((j - shared as f64 / union as f64).abs() < 1e-12, "{r}");
        match r["category"].as_str().unwrap() {
            "near-duplicate" => assert!(r["edit_rate"].is_f64(), "{r}"),
            "rewrite" => {
                assert!(r["rewrite"]["synonym_rate"].is_f64(), "{r}");
                rewrites_low += (j < 0.3) as usize;
            }
            "partial" => assert!(r["paragraphs"].is_u64(), "{r}"),
            "sibling" => assert!(r["via"].is_array() && r["sibling"] == true, "{r}"),
            "distractor" => assert!(j < 0.1, "{r}"),
            c => panic!("unknown category {c}"),
        }
    }
    let rewrites = truth.iter().filter(|r| r["category"] == "rewrite").count();
    assert!(
        rewrites_low * 2 > rewrites,
        "most rewrites share few 5-grams"
    );

    let m: Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["schema"], "reprint.gen/1");
    assert_eq!(m["docs"], 600);
    assert_eq!(m["seed"], 3);
    let listed: u64 = m["pairs"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(listed as usize, truth.len());
    let docs: u64 = m["documents"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(docs, 600);
    // Nothing but the three files (temporary files renamed away).
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 3);
}

#[test]
fn gen_refuses_a_non_empty_directory_and_bad_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("keep.txt"), "x").unwrap();
    let out = reprint()
        .args(["gen", "--docs", "10", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "nothing written"
    );

    let file = tmp.path().join("keep.txt");
    let out = reprint()
        .args(["gen", "--docs", "10", "--out"])
        .arg(file.join("sub"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = reprint()
        .args(["gen", "--docs", "0", "--out"])
        .arg(tmp.path().join("new"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--docs"));
}

fn bench_json(args: &[&str]) -> Value {
    let out = reprint()
        .args(["bench", "-q", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn category<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["quality"]["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == name)
        .unwrap()
}

#[test]
fn bench_reports_stages_and_quality_in_both_modes() {
    let v = bench_json(&["--docs", "300", "--seed", "2"]);
    assert_eq!(v["schema"], "reprint.bench/1");
    assert_eq!(v["mode"], "all");
    assert_eq!(v["corpus"]["documents"], 300);
    assert_eq!(v["generated"]["docs"], 300);
    let stages: Vec<&str> = v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(
        stages,
        [
            "read",
            "tokenize+shingle",
            "sketch",
            "candidates",
            "verify",
            "output"
        ]
    );
    for s in v["stages"].as_array().unwrap() {
        assert!(s["seconds"].as_f64().unwrap() >= 0.0);
        assert!(s["mb_per_s"].is_f64() && s["docs_per_s"].is_f64());
        if cfg!(target_os = "linux") {
            assert!(s["peak_rss_mb"].as_f64().unwrap() > 0.0, "{s}");
        }
    }
    let q = &v["quality"];
    let nd = category(&v, "near-duplicate");
    assert!(nd["pairs"].as_u64().unwrap() > 10);
    assert!(nd["recall"].as_f64().unwrap() >= 0.9, "{nd}");
    // Near-duplicates at J >= 0.8 are what the near-dup path guarantees.
    let top = &nd["buckets"][3];
    assert_eq!(top["bucket"], "[0.8,1.0]");
    assert_eq!(top["found"], top["pairs"]);
    assert!(category(&v, "rewrite")["recall"].as_f64().unwrap() >= 0.5);
    // Whole-document verdicts are precise; `partial` also links unrelated same-topic
    // stories on a corpus this small (see GENERATOR.md, limits), so no bound on it.
    for (verdict, min) in [("near-duplicate", 0.95), ("rewrite", 0.8)] {
        let row = q["by_verdict"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["verdict"] == verdict)
            .unwrap();
        assert!(row["precision"].as_f64().unwrap() >= min, "{row}");
    }
    assert!(q["precision"].as_f64().unwrap() > 0.0, "{q}");
    let tp = q["true_positives"].as_u64().unwrap();
    let fp = q["false_positives"].as_u64().unwrap();
    assert_eq!(tp + fp, q["reported"].as_u64().unwrap());

    // Near-dup mode on a kept corpus, read back with --corpus/--truth.
    let tmp = tempfile::tempdir().unwrap();
    let keep = tmp.path().join("k");
    let k = keep.to_str().unwrap();
    bench_json(&[
        "--docs", "300", "--seed", "2", "--keep", k, "--mode", "near-dup",
    ]);
    let c = keep.join("corpus.jsonl");
    let t = keep.join("truth.jsonl");
    let v = bench_json(&[
        "--corpus",
        c.to_str().unwrap(),
        "--truth",
        t.to_str().unwrap(),
        "--mode",
        "near-dup",
    ]);
    assert_eq!(v["mode"], "near-dup");
    assert!(v["generated"].is_null());
    let nd = category(&v, "near-duplicate");
    assert_eq!(nd["buckets"][3]["found"], nd["buckets"][3]["pairs"]);
    assert_eq!(category(&v, "rewrite")["buckets"][0]["found"], 0);
    assert_eq!(v["quality"]["precision"], 1.0);
}

#[test]
fn bench_table_and_bad_inputs() {
    let out = reprint()
        .args(["bench", "-q", "--docs", "120", "--mode", "near-dup"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    for want in [
        "tokenize+shingle",
        "separate pass",
        "near-duplicate",
        "precision",
    ] {
        assert!(s.contains(want), "{want} in\n{s}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = reprint()
        .args(["bench", "--corpus"])
        .arg(tmp.path().join("missing.jsonl"))
        .arg("--truth")
        .arg(tmp.path().join("missing.truth.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
    let out = reprint().args(["bench"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--docs or --corpus is required");
    // A malformed truth file names the line.
    let c = tmp.path().join("c.jsonl");
    fs::write(&c, "{\"id\":\"a\",\"text\":\"one two three\"}\n").unwrap();
    let t = tmp.path().join("t.jsonl");
    fs::write(&t, "{\"a\":\"a\"}\n").unwrap();
    let out = reprint()
        .args(["bench", "-q", "--corpus"])
        .arg(&c)
        .arg("--truth")
        .arg(&t)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("t.jsonl:1"));
}
