//! The command-line conventions of the binary: shell completions and the man page,
//! `-j`, `--out -`, `--format json` beside the old `--json`, value bounds refused the
//! same way by every command, and `sources --mode near-dup`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{reprint, seed_path, seeds};

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

#[test]
fn completions_for_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        let out = reprint().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("reprint"), "{shell}: {text}");
        assert!(
            text.contains("pairs"),
            "{shell}: no subcommand in the script"
        );
    }
    let bad = reprint().args(["completions", "cmd.exe"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_page_is_roff() {
    let out = reprint().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(".TH"), "{}", &text[..text.len().min(200)]);
    assert!(text.contains("sources"));
}

#[test]
fn long_help_of_each_subcommand_has_examples() {
    for cmd in [
        "pairs", "clusters", "dedup", "diff", "report", "sources", "score", "explain", "stats",
        "gen", "bench", "index",
    ] {
        let out = reprint().args([cmd, "--help"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Examples:") && text.contains(&format!("reprint {cmd}")),
            "{cmd}"
        );
    }
}

#[test]
fn long_help_of_each_index_subcommand_has_examples() {
    for cmd in [
        "create", "add", "query", "stats", "verify", "remove", "compact",
    ] {
        let out = reprint().args(["index", cmd, "--help"]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Examples:") && text.contains(&format!("reprint index {cmd}")),
            "{cmd}"
        );
    }
}

#[test]
fn dash_j_sets_the_threads() {
    let run = |args: &[&str]| {
        let out = reprint()
            .args(args)
            .args(["pairs", "-q", "--format", "jsonl"])
            .arg(seeds())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        out.stdout
    };
    let one = run(&["-j", "1"]);
    assert_eq!(one, run(&["--threads", "1"]));
    assert_eq!(one, run(&["-j", "2"]));
    let bad = reprint().args(["-j", "0", "pairs"]).arg(seeds()).output();
    assert_eq!(bad.unwrap().status.code(), Some(2));
}

#[test]
fn out_dash_writes_stdout() {
    let cases: Vec<Vec<String>> = vec![
        vec!["pairs".into(), "-q".into(), seeds().display().to_string()],
        vec!["explain".into(), "--threshold".into(), "0.7".into()],
        vec!["stats".into(), "-q".into(), seeds().display().to_string()],
        vec![
            "diff".into(),
            "--color".into(),
            "never".into(),
            seed_path("002").display().to_string(),
            seed_path("003").display().to_string(),
        ],
    ];
    for args in cases {
        let plain = reprint().args(&args).output().unwrap();
        let dash = reprint().args(&args).args(["--out", "-"]).output().unwrap();
        assert_eq!(plain.status.code(), dash.status.code(), "{args:?}");
        assert!(!dash.stdout.is_empty(), "{args:?}");
        assert_eq!(plain.stdout, dash.stdout, "{args:?}");
    }
    // A report (normally a file) on stdout.
    let out = reprint()
        .args(["report", "-q", "--out", "-"])
        .arg(seeds())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("<html"));
    assert!(
        !std::path::Path::new("-").exists(),
        "no file named - was written"
    );
}

#[test]
fn format_json_matches_the_old_json_flag() {
    let seeds = seeds().display().to_string();
    for base in [
        vec!["explain", "--threshold", "0.7"],
        vec!["stats", "-q", seeds.as_str()],
    ] {
        let run = |extra: &[&str]| {
            let out = reprint().args(&base).args(extra).output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{base:?} {extra:?}");
            out.stdout
        };
        let new = run(&["--format", "json"]);
        let old = run(&["--json"]);
        let v_new: Value = serde_json::from_slice(&new).unwrap();
        let v_old: Value = serde_json::from_slice(&old).unwrap();
        assert_eq!(keys(&v_new), keys(&v_old), "{base:?}");
        assert_eq!(new, old, "{base:?}: the same bytes");
        let table = run(&["--format", "table"]);
        assert!(serde_json::from_slice::<Value>(&table).is_err());
    }
    let out = reprint()
        .args(["explain", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let want: BTreeSet<String> = [
        "bands",
        "candidate_threshold",
        "containment",
        "perms",
        "probability",
        "probability_at_threshold",
        "rows",
        "slots_used",
        "threshold",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(keys(&v), want);
}

/// The first line of a clap error (the usage line that follows names the command).
fn first_error_line(args: &[&str]) -> String {
    let out = reprint().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    err.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn the_same_ngram_bound_everywhere() {
    let seeds = seeds().display().to_string();
    let a = seed_path("002").display().to_string();
    let b = seed_path("003").display().to_string();
    for bad in ["0", "65", "1000"] {
        let lines: Vec<String> = [
            vec!["pairs", seeds.as_str(), "--ngram", bad],
            vec!["diff", a.as_str(), b.as_str(), "--ngram", bad],
            vec!["score", "-", "--ngram", bad],
            vec!["stats", seeds.as_str(), "--ngram", bad],
        ]
        .iter()
        .map(|args| first_error_line(args))
        .collect();
        assert!(lines[0].contains("--ngram"), "{}", lines[0]);
        assert!(lines[0].contains("1..=64"), "{}", lines[0]);
        for l in &lines {
            assert_eq!(l, &lines[0]);
        }
    }
    // The bound itself is accepted by every command.
    let out = reprint()
        .args(["diff", &a, &b, "--ngram", "64", "--format", "json"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2));
    let out = reprint()
        .args(["stats", "-q", &seeds, "--ngram", "64"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn max_doc_mib_that_would_overflow_is_refused() {
    let out = reprint()
        .args(["pairs", "--max-doc-mib", "17592186044416"])
        .arg(seeds())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--max-doc-mib"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn other_bounds_are_refused_with_exit_two() {
    let seeds = seeds().display().to_string();
    let a = seed_path("002").display().to_string();
    for (args, flag) in [
        (
            vec!["pairs", seeds.as_str(), "--threshold", "nan"],
            "--threshold",
        ),
        (vec!["pairs", seeds.as_str(), "--perms", "5000"], "--perms"),
        (
            vec!["pairs", seeds.as_str(), "--max-size-ratio", "inf"],
            "--max-size-ratio",
        ),
        (vec!["explain", "--containment", "1.5"], "--containment"),
        (vec!["explain", "--bands", "0"], "--bands"),
        (
            vec!["diff", a.as_str(), a.as_str(), "--width", "5"],
            "--width",
        ),
        (
            vec![
                "sources",
                "--from",
                a.as_str(),
                a.as_str(),
                "--min-score",
                "-1",
            ],
            "--min-score",
        ),
        (vec!["gen", "--docs", "0", "--out", "x"], "--docs"),
    ] {
        let line = first_error_line(&args);
        assert!(line.contains(flag), "{args:?}: {line}");
    }
}

#[test]
fn timings_on_commands_that_read_a_corpus() {
    let seeds = seeds().display().to_string();
    let (a, b) = (
        seed_path("003").display().to_string(),
        seed_path("002").display().to_string(),
    );
    for args in [
        vec!["pairs", "-q", seeds.as_str()],
        vec!["clusters", "-q", seeds.as_str()],
        vec!["stats", "-q", seeds.as_str()],
        vec!["sources", "-q", "--from", a.as_str(), b.as_str()],
        vec!["diff", "--corpus", seeds.as_str(), a.as_str(), b.as_str()],
    ] {
        let out = reprint().args(&args).arg("--timings").output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("reprint: timings: "), "{args:?}: {err}");
        assert!(err.contains("total "), "{args:?}: {err}");
    }
}

#[test]
fn sources_in_near_dup_mode_on_the_seeds() {
    // 003 and 000 are the sources; 002 rewrites 003 and 001 reuses quotes of 000.
    let run = |mode: &str| {
        let out = reprint()
            .args(["sources", "-q", "--format", "json", "--mode", mode])
            .args(["--threshold", "0.03", "--from"])
            .arg(seed_path("003"))
            .arg("--from")
            .arg(seed_path("000"))
            .args([seed_path("001"), seed_path("002"), seed_path("004")])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_ne!(out.status.code(), Some(2), "{mode}: {err}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v
    };
    let v = run("near-dup");
    assert_eq!(v["schema"], "reprint.sources/1");
    assert_eq!(v["sources"], 2);
    assert_eq!(v["articles"], 3);
    let links = v["links"].as_array().unwrap();
    let got: Vec<(String, String, String)> = links
        .iter()
        .map(|l| {
            let name = |k: &str| {
                let p = l[k].as_str().unwrap();
                p.rsplit('/').next().unwrap()[..3].to_owned()
            };
            (name("article"), name("source"), l["verdict"].to_string())
        })
        .collect();
    assert!(
        got.contains(&("002".into(), "003".into(), "\"near-duplicate\"".into())),
        "{got:?}"
    );
    for l in links {
        // Near-dup verdicts only, each at or above the threshold.
        assert!(["near-duplicate", "duplicate"].contains(&l["verdict"].as_str().unwrap()));
        assert!(l["jaccard"].as_f64().unwrap() >= 0.03);
        assert_eq!(l["new_sentences"], 0);
    }
    // The default mode is unchanged by the flag.
    assert_eq!(run("all"), {
        let out = reprint()
            .args(["sources", "-q", "--format", "json"])
            .args(["--threshold", "0.03", "--from"])
            .arg(seed_path("003"))
            .arg("--from")
            .arg(seed_path("000"))
            .args([seed_path("001"), seed_path("002"), seed_path("004")])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    });
    // report --from takes the mode too.
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    let out = reprint()
        .args(["report", "-q", "--mode", "near-dup", "--threshold", "0.03"])
        .arg("--from")
        .arg(seed_path("003"))
        .arg(seed_path("002"))
        .arg("--out")
        .arg(&html)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(html.exists());
}

#[test]
fn man_page_of_each_command() {
    let out = reprint().args(["man", "pairs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".TH reprint-pairs"),
        "{}",
        &text[..text.len().min(200)]
    );
    assert!(
        text.contains("threshold"),
        "the page lists the command's flags"
    );
    let bad = reprint().args(["man", "nope"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(
        err.contains("no command \"nope\"") && err.contains("pairs"),
        "{err}"
    );
}
