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

/// An archive of two outlets and a wire, and articles of one outlet: one reusing a
/// story its own outlet ran (and the wire too), one with no source.
fn newsroom(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let line = |id: &str, outlet: &str, paras: &[&str]| {
        serde_json::json!({"id": id, "outlet": outlet, "text": paras.join("\n\n")}).to_string()
            + "\n"
    };
    let mut wire_trial = TRIAL.to_vec();
    wire_trial[3] = "Detective Sergeant Jory Tremayne said after the hearing that the Penhaligon family had been cooperative and helpful throughout.";
    let archive = dir.join("archive.jsonl");
    fs::write(
        &archive,
        line("times-trial", "Cornish Times", &TRIAL)
            + &line("pa-trial", "PA", &wire_trial)
            + &line("pa-flood", "PA", &FLOOD),
    )
    .unwrap();
    let articles = dir.join("articles.jsonl");
    let lonely = "The Penzance lifeboat crew rescued two kayakers off Mousehole on Saturday afternoon after a passing fisherman raised the alarm.\n\nCoxswain Tamsin Nance said both kayakers were cold but unhurt and were taken to the Penzance station for checks.";
    fs::write(
        &articles,
        line("times-follow-up", "Cornish Times", &TRIAL[..3])
            + &serde_json::json!({"id": "lonely", "outlet": "Cornish Times", "text": lonely})
                .to_string()
            + "\n",
    )
    .unwrap();
    (archive, articles)
}

fn sources_rows(
    archive: &std::path::Path,
    articles: &std::path::Path,
    extra: &[&str],
) -> Vec<Value> {
    let out = reprint()
        .args(["-q", "sources", "--format", "jsonl", "--from"])
        .arg(archive)
        .arg(articles)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        crate::util::stderr_of(&out)
    );
    json_lines(&out.stdout)
}

#[test]
fn all_lists_articles_with_no_source_as_null_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, articles) = newsroom(dir.path());
    let plain = sources_rows(&archive, &articles, &[]);
    assert!(
        plain.iter().all(|r| r["article"] == "times-follow-up"),
        "{plain:?}"
    );
    let all = sources_rows(&archive, &articles, &["--all"]);
    // The same rows, in article order, plus one for the article with no source.
    assert_eq!(all.len(), plain.len() + 1, "{all:?}");
    assert_eq!(&all[..plain.len()], &plain[..]);
    let last = all.last().unwrap();
    assert_eq!(last["article"], "lonely");
    assert!(
        last["source"].is_null() && last["verdict"].is_null(),
        "{last}"
    );
    assert!(last["rank"].is_null() && last["score"].is_null());
    // One set of keys on every line.
    let keys = |r: &Value| r.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert!(all.iter().all(|r| keys(r) == keys(&all[0])));

    // The table shows the row with dashes; CSV keeps the columns, empty cells.
    let out = reprint()
        .args(["-q", "sources", "--all", "--from"])
        .arg(&archive)
        .arg(&articles)
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let row = table.lines().find(|l| l.starts_with("lonely")).unwrap();
    assert_eq!(row.split_whitespace().skip(1).collect::<Vec<_>>(), ["-"; 6]);
    let out = reprint()
        .args(["-q", "sources", "--all", "--format", "csv", "--from"])
        .arg(&archive)
        .arg(&articles)
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().last().unwrap(), "lonely,,,,,,,,,");

    // JSON: the links array has the row too; the counts are unchanged.
    let out = reprint()
        .args(["-q", "sources", "--all", "--format", "json", "--from"])
        .arg(&archive)
        .arg(&articles)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["links"].as_array().unwrap().len(), all.len());
    assert_eq!(
        (doc["articles"].as_u64(), doc["attributed"].as_u64()),
        (Some(2), Some(1))
    );
}

#[test]
fn group_field_leaves_out_pairs_within_one_outlet() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, articles) = newsroom(dir.path());
    let sources_of = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .filter(|r| r["article"] == "times-follow-up")
            .map(|r| r["source"].as_str().unwrap_or("null").to_owned())
            .collect()
    };
    // The outlet's own earlier story is the closest source (the wire's version adds
    // words to a paragraph the follow-up does not use)...
    let plain = sources_rows(&archive, &articles, &[]);
    assert_eq!(sources_of(&plain), ["times-trial"], "{plain:?}");
    // ...and with --group-field outlet the wire's version takes its place.
    let grouped = sources_rows(&archive, &articles, &["--group-field", "outlet"]);
    assert_eq!(sources_of(&grouped), ["pa-trial"], "{grouped:?}");
    assert_eq!(grouped[0]["rank"], 1);
    assert_eq!(grouped[0]["verdict"], plain[0]["verdict"]);
    // Near-dup mode leaves the pair out too.
    let nd = sources_rows(
        &archive,
        &articles,
        &[
            "--mode",
            "near-dup",
            "--containment",
            "0.5",
            "--group-field",
            "outlet",
        ],
    );
    assert!(sources_of(&nd).iter().all(|s| s != "times-trial"), "{nd:?}");
    // A field no document has groups nothing; the count is reported.
    let none = sources_rows(&archive, &articles, &["--group-field", "desk"]);
    assert_eq!(none, plain);
    let out = reprint()
        .args(["sources", "--group-field", "outlet", "--from"])
        .arg(&archive)
        .arg(&articles)
        .output()
        .unwrap();
    let err = crate::util::stderr_of(&out);
    assert!(
        err.contains("left out 1 candidate pair within one \"outlet\""),
        "{err}"
    );
}

#[test]
fn report_from_takes_group_field_as_sources_does() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, articles) = newsroom(dir.path());
    let page = |extra: &[&str]| -> String {
        let out_path = dir.path().join("r.html");
        let out = reprint()
            .args(["-q", "report", "--from"])
            .arg(&archive)
            .arg(&articles)
            .args(extra)
            .arg("--out")
            .arg(&out_path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            crate::util::stderr_of(&out)
        );
        fs::read_to_string(&out_path).unwrap()
    };
    // The page names the source it attributes the follow-up to: the outlet's own
    // story, or with --group-field outlet the wire's.
    let plain = page(&[]);
    assert!(plain.contains("times-trial") && !plain.contains("pa-trial"));
    let grouped = page(&["--group-field", "outlet"]);
    assert!(grouped.contains("pa-trial") && !grouped.contains("times-trial"));
    // Without --from the flag has no meaning, and is refused.
    let out = reprint()
        .args(["report", "--group-field", "outlet", "--out"])
        .arg(dir.path().join("x.html"))
        .arg(&articles)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
