//! The terminal outputs: control characters and escape sequences from documents and
//! ids are shown as visible escapes (never sent raw), lines wrap at white space, and
//! without colour, changes are marked in text (`[-removed-]{+added+}`).

use std::fs;

use serde_json::json;

use crate::util::{jsonl, reprint, stderr_of, text};

/// An OSC 52 clipboard write, a screen clear, and METER's U+0019.
const HOSTILE: &str = "\x1b]52;c;cHduZWQ=\x07 and \x1b[2J then it\u{19}s";

/// Whether `s` holds any of the hostile bytes raw (our own colour escapes, `ESC [`
/// followed by digits and `m`, are allowed when `colour` is set).
fn raw_hostile(s: &str, colour: bool) -> Option<String> {
    for bad in ["\x1b]", "\x1b[2J", "\x07", "\u{19}"] {
        if s.contains(bad) {
            return Some(format!("{bad:?} reached the output raw"));
        }
    }
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        rest = &rest[i + 1..];
        let ok = colour
            && rest.starts_with('[')
            && rest[1..]
                .find('m')
                .is_some_and(|j| rest[1..1 + j].bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Some(format!(
                "a raw ESC before {:?}",
                &rest[..rest.len().min(12)]
            ));
        }
    }
    None
}

fn corpus(dir: &std::path::Path) -> std::path::PathBuf {
    let base = text(7, 300);
    jsonl(
        dir,
        "c.jsonl",
        &[
            json!({"id": "evil\x1b[31mid", "text": format!("{base}\n\n{HOSTILE} one")}),
            json!({"id": "plain", "text": format!("{base}\n\n{HOSTILE} two")}),
            json!({"id": "other", "text": text(8, 300)}),
        ],
    )
}

/// A source collection for `sources`, with an id holding a clear-screen sequence.
fn wire(dir: &std::path::Path) -> std::path::PathBuf {
    jsonl(
        dir,
        "wire.jsonl",
        &[json!({"id": "wire\x1b[2J1", "text": format!("{}\n\n{HOSTILE}", text(7, 300))})],
    )
}

#[test]
fn no_escape_sequence_from_a_document_or_an_id_reaches_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    let base = text(7, 120);
    fs::write(&a, format!("{base}\n\n{HOSTILE} left {}", text(9, 40))).unwrap();
    fs::write(&b, format!("{base}\n\n{HOSTILE} right {}", text(10, 40))).unwrap();
    let mut runs: Vec<(Vec<String>, bool)> = Vec::new();
    for colour in ["never", "always"] {
        for width in ["120", "60"] {
            let args = ["diff", "--color", colour, "--width", width];
            let mut files: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            files.extend([a.display().to_string(), b.display().to_string()]);
            runs.push((files, colour == "always"));
            let mut ids: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            ids.extend([
                "evil\x1b[31mid".into(),
                "plain".into(),
                "--corpus".into(),
                c.display().to_string(),
            ]);
            runs.push((ids, colour == "always"));
        }
    }
    for cmd in ["pairs", "clusters"] {
        runs.push((
            vec![
                cmd.into(),
                "--threshold".into(),
                "0.5".into(),
                c.display().to_string(),
            ],
            false,
        ));
    }
    runs.push((
        vec![
            "sources".into(),
            "--from".into(),
            wire(dir.path()).display().to_string(),
            c.display().to_string(),
        ],
        false,
    ));
    for (args, colour) in &runs {
        let out = reprint().args(args).output().unwrap();
        let stdout = String::from_utf8(out.stdout.clone()).unwrap();
        let stderr = stderr_of(&out);
        assert!(out.status.code().unwrap() < 2, "{args:?}: {stderr}");
        if let Some(e) = raw_hostile(&stdout, *colour) {
            panic!("{args:?}: {e} in\n{stdout}");
        }
        if let Some(e) = raw_hostile(&stderr, false) {
            panic!("{args:?}: {e} on stderr\n{stderr}");
        }
        if args[0] != "diff" || args.contains(&"--corpus".to_string()) {
            assert!(stdout.contains("evil\\e[31mid"), "{args:?}:\n{stdout}");
        }
        if args[0] == "diff" {
            assert!(stdout.contains("\\e]52;c;cHduZWQ=\\x07"), "{stdout}");
            assert!(stdout.contains("\\e[2J"), "{stdout}");
            assert!(stdout.contains("it\\x19s"), "{stdout}");
        }
    }
}

#[test]
fn messages_that_echo_a_path_escape_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone\x1b]0;pwned\x07.txt");
    let out = reprint()
        .arg("diff")
        .arg(&missing)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(raw_hostile(&err, false).is_none(), "{err:?}");
    assert!(err.contains("gone\\e]0;pwned\\x07.txt"), "{err}");
    // A warning naming a malformed line of such a file.
    let bad = dir.path().join("bad\x1b[2J.jsonl");
    fs::write(&bad, "{\"text\": \"a b c d e f\"}\nnot json\n").unwrap();
    let out = reprint()
        .args(["pairs", "--skip-bad-lines"])
        .arg(&bad)
        .output()
        .unwrap();
    let err = stderr_of(&out);
    assert!(err.contains("malformed line"), "{err}");
    assert!(raw_hostile(&err, false).is_none(), "{err:?}");
    assert!(err.contains("bad\\e[2J.jsonl:2"), "{err}");
}

/// Long unaligned paragraphs ("only in A") wrapped inside words ("Commissio/n").
#[test]
fn only_in_paragraphs_wrap_at_word_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(3, 150);
    let extra = "The European Commission said the Commissioners would meet again. ".repeat(12);
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    fs::write(&a, format!("{base}\n\n{extra}")).unwrap();
    fs::write(&b, &base).unwrap();
    for width in ["100", "57", "43"] {
        let out = reprint()
            .args(["diff", "--color", "never", "--width", width])
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
        for w in &words {
            assert!(
                extra.split_whitespace().any(|x| x == *w),
                "width {width}: {w:?} is a piece of a word:\n{only}"
            );
        }
        let max: usize = width.parse().unwrap();
        let text_lines = s.lines().filter(|l| {
            ["A  ", "B  ", "A[", "      "]
                .iter()
                .any(|p| l.starts_with(p))
        });
        for l in text_lines {
            assert!(l.chars().count() <= max, "width {width}: {l:?}");
        }
    }
}

#[test]
fn without_colour_changes_are_marked_in_text() {
    let dir = tempfile::tempdir().unwrap();
    let base = text(5, 12);
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    fs::write(&a, format!("{base} the old wording stays here")).unwrap();
    fs::write(&b, format!("{base} the new phrasing stays here")).unwrap();
    let out = reprint()
        .args(["diff", "--color", "never", "--width", "200"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("the [-old wording-] stays"), "{s}");
    assert!(s.contains("the {+new phrasing+} stays"), "{s}");
    assert!(!s.contains('\x1b'), "{s}");
    // With colour, the markers are colours only.
    let out = reprint()
        .args(["diff", "--color", "always", "--width", "200"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("\x1b[31mold\x1b[0m"), "{s}");
    assert!(!s.contains("[-"), "{s}");
}
