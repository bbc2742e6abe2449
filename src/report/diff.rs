//! Rendering one aligned pair: terminal (side by side, or stacked when narrow), JSON
//! and a self-contained HTML page. Word-level changes are the library's
//! ([`crate::compare::changes`]), computed once per aligned link in [`DiffView::new`].

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::compare::align::{Analyzed, LinkKind, ParagraphLink};
use crate::compare::changes::{link_changes, ChangeOp, WordChange};
use crate::compare::Comparison;

use super::round;

/// Schema name of the `diff --format json` document.
pub const DIFF_SCHEMA: &str = "reprint.diff/1";

/// One side of a diff.
pub struct Side<'a> {
    /// The document id shown in the header.
    pub id: &'a str,
    /// The full text; `analyzed`'s byte ranges index into it.
    pub text: &'a str,
    /// Paragraphs, sentences and boilerplate marks of `text`.
    pub analyzed: &'a Analyzed,
}

impl Side<'_> {
    fn paragraph(&self, i: usize) -> &str {
        &self.text[self.analyzed.paragraphs[i].clone()]
    }

    fn paragraphs(&self) -> Vec<&str> {
        (0..self.analyzed.paragraphs.len())
            .map(|i| self.paragraph(i))
            .collect()
    }
}

/// Everything a diff shows.
pub struct DiffView<'a> {
    /// Side A (left, or top when stacked).
    pub a: Side<'a>,
    /// Side B (right, or bottom when stacked).
    pub b: Side<'a>,
    /// The comparison of A with B: figures, verdict and alignment.
    pub comparison: &'a Comparison,
    /// Word-level changes of each link of `comparison.alignment`, in link order.
    pub changes: Vec<Vec<WordChange>>,
}

impl<'a> DiffView<'a> {
    /// A view of an aligned pair, with the word-level changes of every link computed
    /// once ([`link_changes`]).
    pub fn new(a: Side<'a>, b: Side<'a>, comparison: &'a Comparison) -> Self {
        let changes = link_changes(
            (a.text, a.analyzed),
            (b.text, b.analyzed),
            &comparison.alignment,
        );
        DiffView {
            a,
            b,
            comparison,
            changes,
        }
    }
}

#[derive(Serialize)]
struct JsonSide<'a> {
    id: &'a str,
    paragraphs: Vec<&'a str>,
    /// Paragraphs judged boilerplate (never aligned).
    boilerplate: Vec<usize>,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    schema: &'static str,
    a: JsonSide<'a>,
    b: JsonSide<'a>,
    verdict: Option<&'static str>,
    score: f64,
    jaccard: f64,
    containment_a_in_b: f64,
    containment_b_in_a: f64,
    coverage_a: f64,
    coverage_b: f64,
    equivalence: Option<f64>,
    alignments: Vec<JsonLink<'a>>,
    unmatched_a: &'a [usize],
    unmatched_b: &'a [usize],
    passages: Vec<super::wire::PassageRow>,
    evidence: crate::compare::evidence::ReuseEvidence,
}

#[derive(Serialize)]
struct JsonLink<'a> {
    a: &'a [usize],
    b: &'a [usize],
    score: f64,
    kind: LinkKind,
    moved: bool,
}

fn boilerplate(a: &Analyzed) -> Vec<usize> {
    a.boilerplate
        .iter()
        .enumerate()
        .filter(|(_, &b)| b)
        .map(|(i, _)| i)
        .collect()
}

/// Writes the JSON document (`schema`, `a`, `b`, `verdict`, scores, `alignments`,
/// `unmatched_a`, `unmatched_b`; indexes are 0-based into `paragraphs`), then
/// `passages` (character offsets into the texts as read) and `evidence`.
pub fn write_json(w: &mut dyn Write, v: &DiffView) -> io::Result<()> {
    let c = v.comparison;
    let doc = JsonDiff {
        schema: DIFF_SCHEMA,
        a: JsonSide {
            id: v.a.id,
            paragraphs: v.a.paragraphs(),
            boilerplate: boilerplate(v.a.analyzed),
        },
        b: JsonSide {
            id: v.b.id,
            paragraphs: v.b.paragraphs(),
            boilerplate: boilerplate(v.b.analyzed),
        },
        verdict: c.verdict.map(|x| x.name()),
        score: round(c.score),
        jaccard: round(c.overlap.jaccard),
        containment_a_in_b: round(c.overlap.containment_a_in_b),
        containment_b_in_a: round(c.overlap.containment_b_in_a),
        coverage_a: round(c.coverage_a),
        coverage_b: round(c.coverage_b),
        equivalence: c.equivalence.map(round),
        alignments: c
            .alignment
            .links
            .iter()
            .map(|l| JsonLink {
                a: &l.a,
                b: &l.b,
                score: round(l.score),
                kind: l.kind,
                moved: l.moved,
            })
            .collect(),
        unmatched_a: &c.alignment.unmatched_a,
        unmatched_b: &c.alignment.unmatched_b,
        passages: super::wire::PassageRow::all(&c.passages),
        evidence: super::wire::rounded_evidence(&c.evidence),
    };
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}

/// A piece of text and how it differs from the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Same,
    Removed,
    Added,
}

/// Word-level marks for both sides of an aligned link.
/// Marked pieces of one side.
type Marked = Vec<(String, Mark)>;

fn word_marks(changes: &[WordChange]) -> (Marked, Marked) {
    let mut left = Vec::new();
    let mut right = Vec::new();
    for change in changes {
        let s = change.text.clone();
        match change.op {
            ChangeOp::Equal => {
                left.push((s.clone(), Mark::Same));
                right.push((s, Mark::Same));
            }
            ChangeOp::Delete => left.push((s, Mark::Removed)),
            ChangeOp::Insert => right.push((s, Mark::Added)),
        }
    }
    (left, right)
}

/// Terminal colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// Mark removed words red and added words green with ANSI escapes.
    Always,
    /// Plain text.
    Never,
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, s: &str, mark: Mark) -> String {
        if !self.color || s.trim().is_empty() {
            return s.to_owned();
        }
        match mark {
            Mark::Same => s.to_owned(),
            Mark::Removed => format!("\x1b[31m{s}\x1b[0m"),
            Mark::Added => format!("\x1b[32m{s}\x1b[0m"),
        }
    }

    fn bold(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    fn dim(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[2m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
}

/// Wraps marked pieces into lines of at most `width` columns; returns (text with
/// escapes, visible width) per line.
fn wrap<S: AsRef<str>>(pieces: &[(S, Mark)], width: usize, style: &Style) -> Vec<(String, usize)> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0usize;
    for (piece, mark) in pieces {
        let mark = *mark;
        for (k, part) in piece.as_ref().split('\n').enumerate() {
            if k > 0 {
                lines.push((std::mem::take(&mut cur), cur_w));
                cur_w = 0;
            }
            if part.is_empty() {
                continue;
            }
            let mut rest = part;
            while !rest.is_empty() {
                let w = UnicodeWidthStr::width(rest);
                if cur_w + w <= width {
                    cur.push_str(&style.paint(rest, mark));
                    cur_w += w;
                    break;
                }
                if rest.trim().is_empty() {
                    // White space at a line end is dropped.
                    break;
                }
                if cur_w > 0 && w <= width {
                    lines.push((std::mem::take(&mut cur), cur_w));
                    cur_w = 0;
                    rest = rest.trim_start();
                    continue;
                }
                // A word longer than the column: cut it.
                let mut cut = 0;
                let mut cw = 0;
                for (i, ch) in rest.char_indices() {
                    let chw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
                    if cur_w + cw + chw > width {
                        break;
                    }
                    cw += chw;
                    cut = i + ch.len_utf8();
                }
                if cut == 0 {
                    lines.push((std::mem::take(&mut cur), cur_w));
                    cur_w = 0;
                    continue;
                }
                cur.push_str(&style.paint(&rest[..cut], mark));
                cur_w += cw;
                rest = &rest[cut..];
            }
        }
    }
    if cur_w > 0 || lines.is_empty() {
        lines.push((cur, cur_w));
    }
    lines
}

fn link_label(l: &ParagraphLink) -> String {
    let list = |v: &[usize]| {
        v.iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "A[{}] <-> B[{}]  {} {:.2}{}",
        list(&l.a),
        list(&l.b),
        l.kind.name(),
        l.score,
        if l.moved { "  (moved)" } else { "" }
    )
}

/// Writes the terminal view: side by side when `width` allows (at least 100 columns),
/// stacked otherwise.
pub fn write_terminal(
    w: &mut dyn Write,
    v: &DiffView,
    width: usize,
    color: Color,
) -> io::Result<()> {
    let style = Style {
        color: color == Color::Always,
    };
    let c = v.comparison;
    let width = width.max(40);
    writeln!(w, "{} {}", style.bold("A:"), v.a.id)?;
    writeln!(w, "{} {}", style.bold("B:"), v.b.id)?;
    writeln!(
        w,
        "{} {}   score {:.3}   {} links",
        style.bold("verdict:"),
        c.verdict.map_or("unrelated", |x| x.name()),
        c.score,
        c.alignment.links.len(),
    )?;
    writeln!(
        w,
        "coverage A {:.0}%  B {:.0}%   n-gram Jaccard {:.3}",
        100.0 * c.coverage_a,
        100.0 * c.coverage_b,
        c.overlap.jaccard,
    )?;
    let side_by_side = width >= 100;
    let col = if side_by_side { (width - 3) / 2 } else { width };
    let rule = "-".repeat(width);
    for (l, changes) in c.alignment.links.iter().zip(&v.changes) {
        writeln!(w, "{}", style.dim(&rule))?;
        writeln!(w, "{}", style.bold(&link_label(l)))?;
        let (ma, mb) = word_marks(changes);
        let la = wrap(&ma, col, &style);
        let lb = wrap(&mb, col, &style);
        if side_by_side {
            for k in 0..la.len().max(lb.len()) {
                let (sa, wa) = la.get(k).cloned().unwrap_or_default();
                let (sb, _) = lb.get(k).cloned().unwrap_or_default();
                writeln!(w, "{sa}{} | {sb}", " ".repeat(col.saturating_sub(wa)))?;
            }
        } else {
            for (s, _) in &la {
                writeln!(w, "A  {s}")?;
            }
            for (s, _) in &lb {
                writeln!(w, "B  {s}")?;
            }
        }
    }
    for (name, side, list) in [
        ("A", &v.a, &c.alignment.unmatched_a),
        ("B", &v.b, &c.alignment.unmatched_b),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(w, "{}", style.dim(&rule))?;
        writeln!(w, "{}", style.bold(&format!("only in {name}:")))?;
        for &p in list.iter() {
            let pieces = [(side.paragraph(p), Mark::Same)];
            for (k, (s, _)) in wrap(&pieces, width.saturating_sub(8), &style)
                .iter()
                .enumerate()
            {
                if k == 0 {
                    writeln!(
                        w,
                        "{name}[{p}]{}{s}",
                        " ".repeat(6usize.saturating_sub(p.to_string().len() + 3))
                    )?;
                } else {
                    writeln!(w, "      {s}")?;
                }
            }
        }
    }
    Ok(())
}

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

fn html_marks(pieces: &[(String, Mark)]) -> String {
    let mut s = String::new();
    for (p, m) in pieces {
        match *m {
            Mark::Same => s.push_str(&escape(p)),
            Mark::Removed => {
                let _ = write!(s, "<del>{}</del>", escape(p));
            }
            Mark::Added => {
                let _ = write!(s, "<ins>{}</ins>", escape(p));
            }
        }
    }
    s
}

/// The page's stylesheet (inline; the page loads nothing from anywhere).
pub const HTML_STYLE: &str = "\
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d1d1f;background:#fafafa}\
header{padding:16px 24px;background:#fff;border-bottom:1px solid #ddd}\
h1{font-size:18px;margin:0 0 6px}h2{font-size:16px;margin:24px 0 8px}\
.meta{color:#555;font-size:14px}.verdict{font-weight:600;padding:2px 8px;border-radius:4px;background:#eef}\
.v-rewrite{background:#ffe8cc}.v-duplicate,.v-near-duplicate{background:#ffd6d6}.v-partial{background:#fff5c2}\
main{padding:8px 24px 40px}table{border-collapse:collapse;width:100%;table-layout:fixed;background:#fff}\
td,th{vertical-align:top;padding:8px 10px;border:1px solid #e3e3e3;text-align:left}\
th{background:#f3f3f3;font-weight:600;font-size:13px}\
td.link{width:150px;font-size:13px;color:#444;background:#f8f8f8}\
del{background:#ffd7d5;text-decoration:none}ins{background:#d4f7d4;text-decoration:none}\
.kind-identical{color:#0a7}.kind-edited{color:#b70}.kind-paraphrase{color:#36c}.moved{color:#a0a;font-weight:600}\
.only td{color:#666;background:#fcfcfc}.idx{color:#999;font-size:12px}\
section.pair{margin-bottom:40px}h1,h2,th,td{overflow-wrap:anywhere}\
.summary{overflow-x:auto;margin:16px 0 32px}.summary table{table-layout:auto}\
@media (max-width:720px){main{padding:8px}header{padding:12px}\
.pair table,.pair tbody,.pair tr,.pair td{display:block;width:auto!important}\
.pair tr:first-child,.pair td.none{display:none}.pair tr{margin-bottom:12px;border:1px solid #ccc}\
.pair td.a::before{content:'A';font-weight:600;color:#999;margin-right:8px}\
.pair td.b::before{content:'B';font-weight:600;color:#999;margin-right:8px}}";

/// The HTML body for one pair (a `<section>`), used by the page and by reports.
pub fn html_section(v: &DiffView, anchor: &str) -> String {
    let c = v.comparison;
    let verdict = c.verdict.map_or("no reuse found", |x| x.name());
    let class = c.verdict.map_or("none", |x| x.name());
    let mut s = String::new();
    let _ = write!(
        s,
        "<section class=\"pair\" id=\"{}\"><h2>{} &harr; {}</h2>\
         <p class=\"meta\"><span class=\"verdict v-{class}\">{verdict}</span> &nbsp; score {:.3} &nbsp; \
         coverage A {:.0}% &nbsp; B {:.0}% &nbsp; n-gram Jaccard {:.3} &nbsp; {} links</p>\
         <table><tr><th class=\"idx\" style=\"width:150px\">link</th><th>A: {}</th><th>B: {}</th></tr>",
        escape(anchor),
        escape(v.a.id),
        escape(v.b.id),
        c.score,
        100.0 * c.coverage_a,
        100.0 * c.coverage_b,
        c.overlap.jaccard,
        c.alignment.links.len(),
        escape(v.a.id),
        escape(v.b.id),
    );
    for (l, changes) in c.alignment.links.iter().zip(&v.changes) {
        let (ma, mb) = word_marks(changes);
        let list = |x: &[usize]| {
            x.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            s,
            "<tr><td class=\"link\">A[{}] &harr; B[{}]<br><span class=\"kind-{k}\">{k}</span> {:.2}{}</td><td class=\"a\">{}</td><td class=\"b\">{}</td></tr>",
            list(&l.a),
            list(&l.b),
            l.score,
            if l.moved { "<br><span class=\"moved\">moved</span>" } else { "" },
            html_marks(&ma),
            html_marks(&mb),
            k = l.kind.name(),
        );
    }
    for &p in &c.alignment.unmatched_a {
        let _ = write!(
            s,
            "<tr class=\"only\"><td class=\"link\">only in A [{p}]</td><td class=\"a\">{}</td><td class=\"b none\"></td></tr>",
            escape(v.a.paragraph(p))
        );
    }
    for &p in &c.alignment.unmatched_b {
        let _ = write!(
            s,
            "<tr class=\"only\"><td class=\"link\">only in B [{p}]</td><td class=\"a none\"></td><td class=\"b\">{}</td></tr>",
            escape(v.b.paragraph(p))
        );
    }
    s.push_str("</table></section>");
    s
}

/// Wraps sections into one self-contained page.
pub fn html_page(title: &str, header: &str, sections: &[String]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{HTML_STYLE}</style></head><body><header id=\"top\"><h1>{}</h1>\
         <div class=\"meta\">{header}</div></header><main>",
        escape(title),
        escape(title)
    );
    for sec in sections {
        s.push_str(sec);
    }
    s.push_str("</main></body></html>\n");
    s
}

/// Writes the one-pair HTML page.
pub fn write_html(w: &mut dyn Write, v: &DiffView) -> io::Result<()> {
    let header = "Aligned paragraphs; removed words in red, added in green. Made by reprint.";
    let page = html_page(
        &format!("reprint diff: {} vs {}", v.a.id, v.b.id),
        header,
        &[html_section(v, "pair")],
    );
    w.write_all(page.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width_and_keeps_words() {
        let style = Style { color: false };
        let pieces = [("the quick brown fox jumps over the lazy dog", Mark::Same)];
        let lines = wrap(&pieces, 10, &style);
        assert!(lines.iter().all(|(_, w)| *w <= 10));
        let joined: Vec<String> = lines.iter().map(|(s, _)| s.trim().to_owned()).collect();
        assert_eq!(
            joined.join(" "),
            "the quick brown fox jumps over the lazy dog"
        );
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn word_marks_split_changes() {
        let (a, b) = word_marks(&crate::compare::changes::changes(
            "the cat sat",
            "the dog sat",
        ));
        assert!(a.contains(&("cat".to_owned(), Mark::Removed)));
        assert!(b.contains(&("dog".to_owned(), Mark::Added)));
        assert!(a.contains(&("the".to_owned(), Mark::Same)));
    }
}
