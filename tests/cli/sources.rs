//! `reprint sources`: attributing articles to a source collection, end to end.

use std::fs;

use serde_json::Value;

use crate::util::{json_lines, reprint};

fn seed(prefix: &str) -> String {
    crate::util::seed_path(prefix).display().to_string()
}

#[test]
fn seeds_are_attributed_to_their_sources() {
    let out = reprint()
        .args(["-q", "sources", "--format", "json", "--from"])
        .arg(seed("003"))
        .arg("--from")
        .arg(seed("000"))
        .args([seed("001"), seed("002"), seed("004")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "reprint.sources/1");
    assert_eq!(doc["sources"], 2);
    assert_eq!(doc["articles"], 3);
    let links = doc["links"].as_array().unwrap();
    let find = |article: &str| {
        links
            .iter()
            .find(|l| l["article"].as_str().unwrap().contains(article))
            .unwrap_or_else(|| panic!("{article} not attributed: {links:?}"))
    };
    // The rewrite of the AFP story comes from the AFP story...
    let l = find("/002_");
    assert!(l["source"].as_str().unwrap().contains("/003_"));
    assert_eq!(l["verdict"], "rewrite");
    assert_eq!(l["rank"], 1);
    // ...and the article sharing AP quotes from the other 2021 article.
    let l = find("/001_");
    assert!(l["source"].as_str().unwrap().contains("/000_"));
    assert_eq!(l["verdict"], "partial");
    // Only sources on the source side, only articles on the other.
    for l in links {
        let s = l["source"].as_str().unwrap();
        assert!(s.contains("/003_") || s.contains("/000_"), "{s}");
    }
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let run = |threads: &str| {
        let out = reprint()
            .args(["-q", "--threads", threads, "sources", "--format", "jsonl"])
            .args(["--from", &seed("003"), "--from", &seed("000")])
            .args([seed("001"), seed("002"), seed("004")])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

/// Paragraphs of a made-up court story: names and numbers that recur only where
/// the story is reused.
const TRIAL: [&str; 4] = [
    "Farmer Aldous Penhaligon, 54, was jailed for nine years at Truro Crown Court on Tuesday for setting fire to the Trewithen barn.",
    "Judge Morwenna Carbis told Penhaligon the blaze at Trewithen had put firefighters from Bodmin and Wadebridge at grave risk.",
    "The court heard Penhaligon owed 48,000 pounds to the Kernow Agricultural Bank when the barn burned in March.",
    "Detective Sergeant Jory Tremayne said after the hearing that the Penhaligon family had been cooperative throughout.",
];
/// A second story, from which the article takes two paragraphs.
const FLOOD: [&str; 3] = [
    "Flood defences at Lostwithiel failed on Sunday after the River Fowey rose 2.3 metres above its usual level.",
    "Councillor Demelza Roskilly said 140 homes in Lostwithiel had been evacuated to the Fowey leisure centre overnight.",
    "The Environment Agency said the Lostwithiel barrier, built in 1997, had not been inspected since Roskilly raised concerns.",
];

#[test]
fn a_second_version_of_the_source_adds_nothing_and_another_story_does() {
    let dir = tempfile::tempdir().unwrap();
    let wire = dir.path().join("wire.jsonl");
    let articles = dir.path().join("articles.jsonl");
    let line = |id: &str, paras: &[&str]| {
        serde_json::json!({"id": id, "text": paras.join("\n\n")}).to_string() + "\n"
    };
    let mut updated = TRIAL.to_vec();
    updated[3] = "Detective Sergeant Jory Tremayne said after the hearing that the Penhaligon family had helped throughout.";
    fs::write(
        &wire,
        line("trial-1", &TRIAL) + &line("trial-2", &updated) + &line("flood", &FLOOD),
    )
    .unwrap();
    let article: Vec<&str> = TRIAL[..3].iter().chain(&FLOOD[..2]).copied().collect();
    fs::write(&articles, line("paper", &article)).unwrap();
    let out = reprint()
        .args(["-q", "sources", "--format", "jsonl", "--from"])
        .arg(&wire)
        .arg(&articles)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows = json_lines(&out.stdout);
    let got: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| (r["source"].as_str().unwrap(), r["rank"].as_u64().unwrap()))
        .collect();
    // One version of the trial story (not both), then the flood story.
    assert_eq!(got.len(), 2, "{rows:?}");
    assert!(got[0].0.starts_with("trial-"), "{rows:?}");
    assert_eq!(got[0].1, 1);
    assert_eq!(got[1], ("flood", 2));
    assert!(rows[1]["new_sentences"].as_u64().unwrap() >= 2);
    assert!(rows.iter().all(|r| r["article"] == "paper"));
}

#[test]
fn bad_invocations_fail_with_a_message() {
    // stdin cannot be the source collection.
    let out = reprint()
        .args(["sources", "--from", "-"])
        .arg(seed("002"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--from"));
    // A missing source path is named.
    let out = reprint()
        .args(["sources", "--from", "no/such/wire"])
        .arg(seed("002"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/wire"));
    // --from is required.
    let out = reprint()
        .args(["sources"])
        .arg(seed("002"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn nothing_attributed_exits_1() {
    // The 2024 story is no source of the 2021 articles.
    let out = reprint()
        .args(["-q", "sources", "--from"])
        .arg(seed("003"))
        .args([seed("000"), seed("004")])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn report_from_sources_shows_each_link_with_its_diff() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("sources.html");
    let out = reprint()
        .args(["-q", "report", "--out"])
        .arg(&page)
        .args(["--from", &seed("003"), "--from", &seed("000")])
        .args([seed("001"), seed("002"), seed("004")])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let links = reprint()
        .args(["-q", "sources", "--format", "jsonl"])
        .args(["--from", &seed("003"), "--from", &seed("000")])
        .args([seed("001"), seed("002"), seed("004")])
        .output()
        .unwrap();
    let rows = json_lines(&links.stdout);
    assert!(!rows.is_empty());
    let html = fs::read_to_string(&page).unwrap();
    // One row and one diff per link, source as A, article as B.
    assert_eq!(html.matches("<tr data-v=").count(), rows.len());
    assert_eq!(html.matches("data-d=").count(), rows.len());
    let data = crate::html::report_data(&html);
    let docs = data["docs"].as_array().unwrap();
    let diffs = data["diffs"].as_array().unwrap();
    assert_eq!(diffs.len(), rows.len());
    for (r, d) in rows.iter().zip(diffs) {
        let id = |k: &str| docs[d[k].as_u64().unwrap() as usize]["id"].clone();
        assert_eq!(id("a"), r["source"], "{r}");
        assert_eq!(id("b"), r["article"], "{r}");
    }
    assert!(html.contains("rewrite"));
    // Self-contained: nothing fetched.
    assert!(
        !html.contains("src=\"http") && !html.contains("http://") && !html.contains("https://")
    );
    // --max-pairs bounds the diffs, not the list.
    let short = dir.path().join("short.html");
    reprint()
        .args(["-q", "report", "--max-pairs", "1", "--out"])
        .arg(&short)
        .args(["--from", &seed("003"), "--from", &seed("000")])
        .args([seed("001"), seed("002"), seed("004")])
        .assert()
        .code(0);
    let html = fs::read_to_string(&short).unwrap();
    assert_eq!(html.matches("data-d=").count(), 1);
    assert_eq!(html.matches("<tr data-v=").count(), rows.len());
}
