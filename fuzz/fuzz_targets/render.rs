//! Rendering the comparison of two arbitrary texts (split at the first 0xFF byte) with
//! `reprint::report::diff`: terminal (colour never and always, stacked at 80 columns
//! and side by side at 120), JSON and HTML.
//!
//! Properties: nothing panics; the JSON parses with serde_json, has the schema name,
//! the paragraphs of both texts exactly and figures in [0, 1]; in the HTML every `<`
//! opens one of the page's own tags (so no `<script` or other markup from the input
//! survives); the terminal output holds
//! no escape sequence reprint did not write itself unless the input held one, no C0
//! control byte (or DEL) from the input except `\n` (issue 14, finding 2: they are
//! shown as visible escapes), and without colour no line is wider than the terminal
//! (the stacked layout once overflowed by its three-column prefix).
#![no_main]

mod common;

use common::{two_texts, unit};
use libfuzzer_sys::fuzz_target;
use reprint::compare::Comparer;
use reprint::report::diff::{
    write_html, write_json, write_terminal, Color, DiffView, Side, DIFF_SCHEMA,
};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

/// The tags the page writes itself.
const TAGS: &[&str] = &[
    "html", "head", "meta", "title", "style", "body", "header", "h1", "div", "main", "section",
    "h2", "p", "span", "table", "thead", "tbody", "tr", "th", "td", "br", "del", "ins", "mark",
    "a", "i", "button", "input", "label", "fieldset", "legend", "figure", "figcaption", "svg",
    "rect", "line", "text",
];

/// The SGR sequences the terminal renderer writes.
const SGR: &[&str] = &["\x1b[31m", "\x1b[32m", "\x1b[0m", "\x1b[1m", "\x1b[2m"];

fn check_html(html: &str, texts: &[&str]) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let tag = rest.strip_prefix('/').unwrap_or(rest);
        let ok = rest.starts_with("!DOCTYPE html>")
            || TAGS.iter().any(|t| {
                tag.strip_prefix(t)
                    .is_some_and(|r| r.starts_with('>') || r.starts_with(' '))
            });
        assert!(
            ok,
            "markup not written by reprint: {:?}",
            &rest[..rest.len().min(40)]
        );
    }
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "a script tag in the page");
    // Every `<` left in the page opened one of reprint's own tags (checked above), so
    // a `<` of the texts can only be there escaped. (The page shows the aligned and
    // unmatched paragraphs of the analysis, not every byte of the input, so `&lt;` is
    // not counted against the texts.)
    let _ = texts;
}

fn check_terminal(out: &[u8], input_has_esc: bool, width: Option<usize>) {
    let s = std::str::from_utf8(out).expect("terminal output is UTF-8");
    let mut stripped = s.to_owned();
    for q in SGR {
        stripped = stripped.replace(q, "");
    }
    if !input_has_esc {
        assert!(
            !stripped.contains('\x1b'),
            "an escape sequence reprint did not write"
        );
    }
    let bad = stripped
        .chars()
        .find(|&c| (c < ' ' && c != '\n') || c == '\x7f');
    assert!(
        bad.is_none(),
        "control character {bad:?} from the input reaches the terminal"
    );
    if let Some(width) = width {
        for line in s.lines() {
            // Only lines of text; ids are short here.
            if line.chars().any(|c| c.is_control()) {
                continue;
            }
            // artifacts-found/render-stacked-line-overflows-width: the stacked layout
            // once wrapped text to the full width before its "A  "/"B  " prefix.
            let w = UnicodeWidthStr::width(line);
            assert!(w <= width, "line of {w} columns at width {width}: {line:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (ta, tb) = two_texts(data);
    let mut cmp = Comparer::new(5);
    let pa = cmp.prepare(&ta, &|_| false);
    let pb = cmp.prepare(&tb, &|_| false);
    let c = cmp.compare(&pa, &pb, None);
    let view = DiffView::new(
        Side {
            id: "a<b>",
            text: &ta,
            analyzed: &pa.analyzed,
        },
        Side {
            id: "b&c",
            text: &tb,
            analyzed: &pb.analyzed,
        },
        &c,
    );

    let mut json = Vec::new();
    write_json(&mut json, &view).unwrap();
    let v: Value = serde_json::from_slice(&json).expect("the JSON parses");
    assert_eq!(v["schema"], DIFF_SCHEMA);
    for (side, text, an) in [("a", &ta, &pa.analyzed), ("b", &tb, &pb.analyzed)] {
        let paras: Vec<&str> = an.paragraphs.iter().map(|r| &text[r.clone()]).collect();
        let got: Vec<&str> = v[side]["paragraphs"]
            .as_array()
            .expect("paragraphs")
            .iter()
            .map(|p| p.as_str().expect("a paragraph is a string"))
            .collect();
        assert_eq!(got, paras, "JSON paragraphs of {side}");
    }
    for k in [
        "score",
        "jaccard",
        "containment_a_in_b",
        "containment_b_in_a",
        "coverage_a",
        "coverage_b",
    ] {
        unit(k, v[k].as_f64().expect(k));
    }

    let mut html = Vec::new();
    write_html(&mut html, &view).unwrap();
    let html = String::from_utf8(html).expect("HTML is UTF-8");
    let para_text = |t: &str, an: &reprint::compare::analyze::Analyzed| {
        an.paragraphs
            .iter()
            .map(|r| t[r.clone()].to_owned())
            .collect::<Vec<_>>()
            .concat()
    };
    check_html(
        &html,
        &[
            &para_text(&ta, &pa.analyzed),
            &para_text(&tb, &pb.analyzed),
            "a<b>",
        ],
    );

    let has_esc = ta.contains('\x1b') || tb.contains('\x1b');
    for (width, color) in [(80, Color::Never), (120, Color::Always)] {
        let mut out = Vec::new();
        write_terminal(&mut out, &view, width, color).unwrap();
        check_terminal(&out, has_esc, (color == Color::Never).then_some(width));
    }
});
