//! Snapshot tests (insta) of what people read: the pairs table, the terminal diff and
//! the HTML pages, on the bundled seeds. The binary runs from the crate root with
//! relative seed paths and a cleared environment, so the output names no machine path,
//! time or version. The HTML is one long line; it is broken before each tag so that a
//! change reviews as a readable diff (the break is the only change made).
//!
//! A changed output fails here; review it with `cargo insta review` (tests/README.md).

use std::fs;

use crate::util::{reprint, root, seed_path};

/// `seeds/NNN_....txt`: the seed relative to the crate root.
fn seed_rel(prefix: &str) -> String {
    seed_path(prefix)
        .strip_prefix(root())
        .unwrap()
        .display()
        .to_string()
}

/// Runs `reprint args` from the crate root; returns stdout after checking the exit code.
fn run(args: &[&str], code: i32) -> String {
    let out = reprint().current_dir(root()).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// One tag per line: `><` becomes `>\n<`.
fn break_tags(html: &str) -> String {
    html.replace("><", ">\n<")
}

#[test]
fn pairs_table_on_the_seeds() {
    insta::assert_snapshot!(run(&["pairs", "-q", "seeds"], 0));
}

#[test]
fn pairs_table_near_dup_mode_at_a_low_threshold() {
    insta::assert_snapshot!(run(
        &[
            "pairs",
            "-q",
            "--mode",
            "near-dup",
            "--threshold",
            "0.02",
            "seeds"
        ],
        0
    ));
}

#[test]
fn terminal_diff_of_the_seed_rewrite() {
    let (a, b) = (seed_rel("002"), seed_rel("003"));
    insta::assert_snapshot!(run(
        &["diff", "--color", "never", "--width", "100", &a, &b],
        0
    ));
}

#[test]
fn terminal_diff_stacked_when_narrow() {
    let (a, b) = (seed_rel("000"), seed_rel("001"));
    insta::assert_snapshot!(run(
        &["diff", "--color", "never", "--width", "60", &a, &b],
        0
    ));
}

#[test]
fn html_diff_of_the_seed_rewrite() {
    let (a, b) = (seed_rel("002"), seed_rel("003"));
    let html = run(&["diff", "--format", "html", &a, &b], 0);
    assert!(html.starts_with("<!DOCTYPE html>"));
    insta::assert_snapshot!(break_tags(&html));
}

#[test]
fn html_report_on_the_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    run(
        &["report", "-q", "--out", page.to_str().unwrap(), "seeds"],
        0,
    );
    let html = fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains(dir.path().to_str().unwrap()),
        "the page names no temp path"
    );
    // The diffs' data is gzipped in the page: snapshot it decoded, one line per
    // document or diff, so that a change in it is readable.
    let data = crate::html::report_data(&html);
    let start = html.find("<script id=\"reprint-data\"").unwrap();
    let end = start + html[start..].find("</script>").unwrap() + 9;
    let mut decoded = String::new();
    for key in ["docs", "diffs"] {
        for v in data[key].as_array().unwrap() {
            decoded.push_str(&format!("{key}: {v}\n"));
        }
    }
    insta::assert_snapshot!(format!(
        "{}\n[data]\n{decoded}[/data]\n{}",
        break_tags(&html[..start]),
        break_tags(&html[end..])
    ));
}
