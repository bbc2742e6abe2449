//! One aligned pair as HTML: rendered here for `diff --format html`, or encoded as
//! compact data that the report page's script renders on demand into exactly the same
//! markup (`report.js`, `renderDiff`).
//!
//! Markup: a `table.pair` with one row per paragraph link (its label, side A, side B)
//! and one per paragraph only in A or only in B. Words in both sides of a link are in
//! `<mark>` (runs of at least [`MIN_MATCH_WORDS`] words), words only in A in `<del>`,
//! words only in B in `<ins>`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::compare::align::ParagraphLink;
use crate::compare::changes::{ChangeOp, WordChange};
use crate::report::diff::DiffView;

/// HTML-escapes `s`; newlines become `<br>`.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Runs of text in both sides shorter than this many words are not marked as
/// matched (an isolated "the" or "to" in a paraphrase is not reuse).
pub(crate) const MIN_MATCH_WORDS: usize = 3;

fn words(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// Whether an equal run is shown as matched.
fn matched(text: &str) -> bool {
    words(text) >= MIN_MATCH_WORDS
}

/// Adjacent pieces with the same op joined: whole runs of matched, removed or added
/// text.
fn runs(changes: &[WordChange]) -> Vec<(ChangeOp, String)> {
    let mut out: Vec<(ChangeOp, String)> = Vec::new();
    for c in changes {
        match out.last_mut() {
            Some((op, s)) if *op == c.op => s.push_str(&c.text),
            _ => out.push((c.op, c.text.clone())),
        }
    }
    out
}

fn list(v: &[usize]) -> String {
    v.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn link_label(l: &ParagraphLink) -> String {
    format!(
        "A[{}] &harr; B[{}]<br><span class=\"kind kind-{k}\">{k}</span> {:.2}{}",
        list(&l.a),
        list(&l.b),
        l.score,
        if l.moved {
            "<br><span class=\"moved\">moved</span>"
        } else {
            ""
        },
        k = l.kind.name(),
    )
}

/// The `table.pair` of a diff.
pub(crate) fn diff_table(v: &DiffView) -> String {
    let c = v.comparison;
    let mut s = String::new();
    let _ = write!(
        s,
        "<table class=\"pair\"><thead><tr><th class=\"lk\">link</th><th>A: {}</th>\
         <th>B: {}</th></tr></thead><tbody>",
        escape(v.a.id),
        escape(v.b.id),
    );
    for (l, changes) in c.alignment.links.iter().zip(&v.changes) {
        let (mut left, mut right) = (String::new(), String::new());
        for (op, text) in runs(changes) {
            let t = escape(&text);
            match op {
                ChangeOp::Equal if matched(&text) => {
                    let _ = write!(left, "<mark>{t}</mark>");
                    let _ = write!(right, "<mark>{t}</mark>");
                }
                ChangeOp::Equal => {
                    left.push_str(&t);
                    right.push_str(&t);
                }
                ChangeOp::Delete => {
                    let _ = write!(left, "<del>{t}</del>");
                }
                ChangeOp::Insert => {
                    let _ = write!(right, "<ins>{t}</ins>");
                }
            }
        }
        let _ = write!(
            s,
            "<tr><td class=\"lk\">{}</td><td class=\"a\">{left}</td><td class=\"b\">{right}</td></tr>",
            link_label(l)
        );
    }
    for &p in &c.alignment.unmatched_a {
        let _ = write!(
            s,
            "<tr class=\"only\"><td class=\"lk\">only in A [{p}]</td><td class=\"a\">{}</td>\
             <td class=\"b none\"></td></tr>",
            escape(v.a.paragraph(p))
        );
    }
    for &p in &c.alignment.unmatched_b {
        let _ = write!(
            s,
            "<tr class=\"only\"><td class=\"lk\">only in B [{p}]</td><td class=\"a none\"></td>\
             <td class=\"b\">{}</td></tr>",
            escape(v.b.paragraph(p))
        );
    }
    s.push_str("</tbody></table>");
    s
}

/// A document of the report's data: its id and paragraphs.
#[derive(Serialize)]
pub(crate) struct DataDoc<'a> {
    pub id: &'a str,
    pub p: Vec<&'a str>,
}

/// A link of the report's data (see [`DataDiff`]).
pub(crate) type DataLink<'a> = (&'a [usize], &'a [usize], &'static str, String, u8, String);

/// One diff of the report's data. Links are `[a paragraphs, b paragraphs, kind,
/// score (2 decimals), moved (0 or 1), ops]`; ops are runs `=N` (in both, marked as
/// matched), `~N` (in both, too short to mark), `-N` (only in A), `+N` (only in B), N
/// in UTF-16 code units of the link's joined paragraphs.
#[derive(Serialize)]
pub(crate) struct DataDiff<'a> {
    pub a: usize,
    pub b: usize,
    pub l: Vec<DataLink<'a>>,
    pub ua: &'a [usize],
    pub ub: &'a [usize],
}

/// The data the report's script renders `v` from; `a` and `b` are the sides'
/// indexes into the data's documents.
pub(crate) fn diff_data<'a>(v: &'a DiffView, a: usize, b: usize) -> DataDiff<'a> {
    let c = v.comparison;
    let l = c
        .alignment
        .links
        .iter()
        .zip(&v.changes)
        .map(|(l, changes)| {
            let mut ops = String::new();
            for (op, text) in runs(changes) {
                let sign = match op {
                    ChangeOp::Equal if matched(&text) => '=',
                    ChangeOp::Equal => '~',
                    ChangeOp::Delete => '-',
                    ChangeOp::Insert => '+',
                };
                let _ = write!(ops, "{sign}{}", text.encode_utf16().count());
            }
            (
                &l.a[..],
                &l.b[..],
                l.kind.name(),
                format!("{:.2}", l.score),
                u8::from(l.moved),
                ops,
            )
        })
        .collect();
    DataDiff {
        a,
        b,
        l,
        ua: &c.alignment.unmatched_a,
        ub: &c.alignment.unmatched_b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href='x'>&\"</a>\n"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;<br>"
        );
    }

    #[test]
    fn runs_join_pieces_of_one_op() {
        let r = runs(&crate::compare::changes::changes(
            "the cat sat on the mat",
            "the dog sat on the mat",
        ));
        assert_eq!(
            r,
            vec![
                (ChangeOp::Equal, "the ".to_owned()),
                (ChangeOp::Delete, "cat".to_owned()),
                (ChangeOp::Insert, "dog".to_owned()),
                (ChangeOp::Equal, " sat on the mat".to_owned()),
            ]
        );
    }
}
