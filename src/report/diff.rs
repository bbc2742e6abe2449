//! Rendering one aligned pair: terminal (side by side, or stacked when narrow), JSON
//! and (in [`super::page`]) a self-contained HTML page. Word-level changes are the library's
//! ([`crate::compare::changes`]), computed once per aligned link in [`DiffView::new`].

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::compare::align::{Analyzed, LinkKind, ParagraphLink};
use crate::compare::changes::{link_changes, ChangeOp, WordChange};
use crate::compare::Comparison;

use super::round;
use super::terminal::{layout_space, terminal_safe};

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

impl<'a> Side<'a> {
    pub(crate) fn paragraph(&self, i: usize) -> &'a str {
        &self.text[self.analyzed.paragraphs[i].clone()]
    }

    pub(crate) fn paragraphs(&self) -> Vec<&'a str> {
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

/// One wrapped line: the text (with colour escapes or `--color never` markers) and its
/// visible width.
type Line = (String, usize);

/// A token of a piece: a line break, a run of white space, or a word (anything between
/// white space), already made safe for the terminal.
enum Token<'a> {
    Newline,
    Space(Cow<'a, str>),
    Word(Cow<'a, str>),
}

/// Splits `text` into tokens in one pass; a CR right before a line break is dropped.
fn tokens(text: &str, mut f: impl FnMut(Token)) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\n' {
            f(Token::Newline);
            rest = &rest[1..];
            continue;
        }
        let space = c.is_whitespace();
        let end = rest
            .find(|ch: char| ch == '\n' || ch.is_whitespace() != space)
            .unwrap_or(rest.len());
        let run = &rest[..end];
        rest = &rest[end..];
        if space {
            let run = if rest.starts_with('\n') {
                run.strip_suffix('\r').unwrap_or(run)
            } else {
                run
            };
            if !run.is_empty() {
                f(Token::Space(layout_space(run)));
            }
        } else {
            f(Token::Word(terminal_safe(run)));
        }
    }
}

/// Greedy line filling, linear in the text: each token is measured once, and a word
/// longer than a line is cut by one scan of its characters.
///
/// With colour, each piece is painted on its own. Without, runs of removed or added
/// words are marked in text as `git diff --word-diff` does, `[-removed-]` and
/// `{+added+}`; a run broken across lines is closed at the line end and reopened on the
/// next line, and the markers count in the width.
struct Wrapper<'s> {
    style: &'s Style,
    width: usize,
    lines: Vec<Line>,
    cur: String,
    cur_w: usize,
    /// Without colour: the mark of the run being written, if not `Same`.
    open: Option<Mark>,
    /// Whether `open`'s opening marker is on the current line.
    shown: bool,
    /// White space after a word of an open run, held until the next word tells
    /// whether the run goes on (then it is inside the markers, as `git diff
    /// --word-diff` shows `[-two words-]`) or ends (then it is after them).
    held: String,
    held_w: usize,
    /// Characters measured or scanned (the complexity test counts them).
    scanned: usize,
}

const MARKER_W: usize = 2;

fn markers(mark: Mark) -> (&'static str, &'static str) {
    match mark {
        Mark::Removed => ("[-", "-]"),
        Mark::Added => ("{+", "+}"),
        Mark::Same => ("", ""),
    }
}

impl<'s> Wrapper<'s> {
    fn new(width: usize, style: &'s Style) -> Self {
        Wrapper {
            style,
            width,
            lines: Vec::new(),
            cur: String::new(),
            cur_w: 0,
            open: None,
            shown: false,
            held: String::new(),
            held_w: 0,
            scanned: 0,
        }
    }

    fn measure(&mut self, s: &str) -> usize {
        self.scanned += s.len();
        UnicodeWidthStr::width(s)
    }

    /// Ends the current line (closing an open run's markers on it).
    fn break_line(&mut self) {
        if let (Some(m), true) = (self.open, self.shown) {
            self.cur.push_str(markers(m).1);
            self.cur_w += MARKER_W;
        }
        self.shown = false;
        self.held.clear();
        self.held_w = 0;
        self.lines.push((std::mem::take(&mut self.cur), self.cur_w));
        self.cur_w = 0;
    }

    /// Ends an open run: its closing marker, then the white space held after it (when
    /// it fits).
    fn close(&mut self) {
        let Some(m) = self.open.take() else { return };
        if self.shown {
            self.cur.push_str(markers(m).1);
            self.cur_w += MARKER_W;
        }
        self.shown = false;
        if self.held_w > 0 && self.cur_w + self.held_w <= self.width {
            self.cur.push_str(&self.held);
            self.cur_w += self.held_w;
        }
        self.held.clear();
        self.held_w = 0;
    }

    fn push_space(&mut self, s: &str, mark: Mark) {
        let w = self.measure(s);
        // Inside a run, white space (changed or not: it separates words on both
        // sides) waits for the next word.
        if self.open.is_some() {
            self.held.push_str(s);
            self.held_w += w;
            return;
        }
        // White space that does not fit at a line end is dropped.
        if self.cur_w + w <= self.width {
            self.cur.push_str(&self.style.paint(s, mark));
            self.cur_w += w;
        }
    }

    fn push_word(&mut self, word: &str, mark: Mark) {
        let plain_mark = !self.style.color && mark != Mark::Same;
        if self.open != Some(mark) || !plain_mark {
            self.close();
            if plain_mark {
                self.open = Some(mark);
            }
        }
        let mut rest = word;
        let mut w = self.measure(word);
        // The closing marker always has room on the line.
        let reserve = if plain_mark { MARKER_W } else { 0 };
        loop {
            let pre = if plain_mark && !self.shown {
                MARKER_W
            } else {
                0
            } + self.held_w;
            if self.cur_w + pre + w + reserve <= self.width {
                self.emit(rest, w, mark);
                return;
            }
            let alone = if plain_mark { 2 * MARKER_W } else { 0 } + w;
            if self.cur_w > 0 && alone <= self.width {
                self.break_line();
                continue;
            }
            // A word longer than the column: cut it.
            let room = self.width.saturating_sub(self.cur_w + pre + reserve);
            let (mut cut, mut cw) = (0, 0);
            for (i, ch) in rest.char_indices() {
                self.scanned += 1;
                let chw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
                if cw + chw > room {
                    break;
                }
                cw += chw;
                cut = i + ch.len_utf8();
            }
            if cut == 0 && self.cur_w == 0 {
                // Not even one character fits an empty line: show it anyway.
                cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
                cw = UnicodeWidthStr::width(&rest[..cut]);
            }
            if cut == 0 {
                self.break_line();
                continue;
            }
            self.emit(&rest[..cut], cw, mark);
            rest = &rest[cut..];
            w = w.saturating_sub(cw);
            if rest.is_empty() {
                return;
            }
        }
    }

    /// Writes a word (or a cut piece of one) known to fit, with the held white space
    /// and the run's opening marker before it.
    fn emit(&mut self, s: &str, w: usize, mark: Mark) {
        if self.held_w > 0 {
            self.cur.push_str(&self.held);
            self.cur_w += self.held_w;
            self.held.clear();
            self.held_w = 0;
        }
        if self.open.is_some() && !self.shown {
            self.cur.push_str(markers(mark).0);
            self.cur_w += MARKER_W;
            self.shown = true;
        }
        self.cur.push_str(&self.style.paint(s, mark));
        self.cur_w += w;
    }

    fn finish(mut self) -> (Vec<Line>, usize) {
        self.close();
        if self.cur_w > 0 || self.lines.is_empty() {
            self.lines.push((self.cur, self.cur_w));
        }
        (self.lines, self.scanned)
    }
}

/// Wraps marked pieces into lines of at most `width` columns, at white space (a word
/// longer than a line is cut); returns the lines and the number of characters
/// scanned.
fn wrap_counted<S: AsRef<str>>(
    pieces: &[(S, Mark)],
    width: usize,
    style: &Style,
) -> (Vec<Line>, usize) {
    let mut wr = Wrapper::new(width, style);
    for (piece, mark) in pieces {
        tokens(piece.as_ref(), |t| match t {
            Token::Newline => {
                wr.close();
                wr.break_line();
            }
            Token::Space(s) => wr.push_space(&s, *mark),
            Token::Word(s) => wr.push_word(&s, *mark),
        });
    }
    wr.finish()
}

/// Wraps marked pieces into lines of at most `width` columns; returns (text with
/// escapes or markers, visible width) per line.
fn wrap<S: AsRef<str>>(pieces: &[(S, Mark)], width: usize, style: &Style) -> Vec<Line> {
    wrap_counted(pieces, width, style).0
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

/// The widest terminal layout [`write_terminal`] draws (wider widths are clamped).
pub const MAX_TERMINAL_WIDTH: usize = 1000;

/// Writes the terminal view: side by side when `width` allows (at least 100 columns),
/// stacked otherwise; `width` is clamped to 40..=[`MAX_TERMINAL_WIDTH`]. Ids and text
/// pass through [`terminal_safe`]; lines wrap at white space; without colour, changes
/// are marked `[-removed-]` and `{+added+}`.
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
    // Bounded both ways: a huge width would pad every line to it.
    let width = width.clamp(40, MAX_TERMINAL_WIDTH);
    writeln!(w, "{} {}", style.bold("A:"), terminal_safe(v.a.id))?;
    writeln!(w, "{} {}", style.bold("B:"), terminal_safe(v.b.id))?;
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
    // Stacked lines start with "A  " or "B  ".
    let col = if side_by_side {
        (width - 3) / 2
    } else {
        width - 3
    };
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

/// Writes the one-pair HTML page ([`super::page::write_diff`]).
pub fn write_html(w: &mut dyn Write, v: &DiffView) -> io::Result<()> {
    super::page::write_diff(w, v)
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

    /// Finding 4 of issue 14: wrapping measured the whole rest of a paragraph for every
    /// line, so a 1.5 MB unaligned paragraph took 39 s. Each character is now measured
    /// once and scanned at most once more (for a cut).
    #[test]
    fn wrap_is_linear_in_the_text() {
        let words = "commission reported ".repeat(20_000);
        let giant = "x".repeat(1 << 18);
        for style in [Style { color: false }, Style { color: true }] {
            for mark in [Mark::Same, Mark::Removed] {
                for text in [words.as_str(), giant.as_str()] {
                    let (lines, scanned) = wrap_counted(&[(text, mark)], 80, &style);
                    assert!(scanned <= 3 * text.len(), "{scanned} for {}", text.len());
                    assert!(lines.iter().all(|(_, w)| *w <= 80));
                    if !style.color && mark == Mark::Same {
                        let back: String = lines.iter().map(|(s, _)| s.as_str()).collect();
                        let strip = |s: &str| s.replace(' ', "");
                        assert_eq!(strip(&back), strip(text));
                    }
                }
            }
        }
    }

    #[test]
    fn plain_marks_runs_and_reopens_them_across_lines() {
        let style = Style { color: false };
        let pieces = [
            ("keep", Mark::Same),
            (" ", Mark::Same),
            ("gone", Mark::Removed),
            (" ", Mark::Same),
            ("too", Mark::Removed),
            (" ", Mark::Removed),
            ("kept", Mark::Same),
        ];
        let lines = wrap(&pieces, 40, &style);
        assert_eq!(lines[0].0, "keep [-gone too-] kept");
        assert_eq!(lines[0].1, 22);
        let lines = wrap(&pieces, 13, &style);
        let text: Vec<&str> = lines.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(text, ["keep [-gone-]", "[-too-] kept"]);
        assert!(lines.iter().all(|(_, w)| *w <= 13));
    }

    #[test]
    fn wrap_escapes_controls_and_lays_out_tabs() {
        let style = Style { color: false };
        let lines = wrap(&[("a\tb\x1b[2Jc\r\nd", Mark::Same)], 40, &style);
        let text: Vec<&str> = lines.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(text, ["a b\\e[2Jc", "d"]);
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
