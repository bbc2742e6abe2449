//! Paragraph splitting.
//!
//! A paragraph is a block of text separated from the next by at least one blank line
//! (a line holding only whitespace). A text with no blank line at all is taken to have
//! one paragraph per non-empty line, which is how many scraped articles are stored.
//!
//! Hard-wrapped text is the exception: when the text has at least
//! [`HARD_WRAP_MIN_LINES`] non-empty lines, at least half of them end without terminal
//! punctuation, and 95% of them are at most [`HARD_WRAP_MAX_WIDTH`] characters long,
//! lines were broken at a fixed width (wire copy, e-mail, plain-text archives). Its
//! paragraphs then end at a blank line, at a line ending in a paragraph mark (`<` or
//! `¶`, as wire feeds mark them), or at a line that ends a sentence well short of the
//! wrap width (under 0.8 of the 90th-percentile line length).
//!
//! Spans are byte ranges into the original text, trimmed of surrounding whitespace
//! (and of trailing paragraph marks), in text order, never empty.

use std::ops::Range;

/// Byte ranges of the paragraphs of `text` (see the module docs for the rule).
pub fn paragraph_spans(text: &str) -> Vec<Range<usize>> {
    let lines = line_spans(text);
    if let Some(width) = hard_wrap_width(text, &lines) {
        return wrapped_paragraphs(text, &lines, width);
    }
    let has_blank = lines.iter().any(|r| text[r.clone()].trim().is_empty());
    let mut out = Vec::new();
    if !has_blank {
        for r in lines {
            push_trimmed(text, r, &mut out);
        }
        return out;
    }
    let mut start: Option<usize> = None;
    let mut end = 0;
    for r in lines {
        if text[r.clone()].trim().is_empty() {
            if let Some(s) = start.take() {
                push_trimmed(text, s..end, &mut out);
            }
        } else {
            if start.is_none() {
                start = Some(r.start);
            }
            end = r.end;
        }
    }
    if let Some(s) = start {
        push_trimmed(text, s..end, &mut out);
    }
    out
}

/// Hard-wrapped text has at least this many non-empty lines...
pub const HARD_WRAP_MIN_LINES: usize = 5;
/// ...95% of them at most this many characters long.
pub const HARD_WRAP_MAX_WIDTH: usize = 100;

const PARAGRAPH_MARKS: &[char] = &['<', '\u{b6}'];
const TERMINAL: &[char] = &[
    '.', '!', '?', ':', ';', '"', '\'', ')', '\u{201d}', '\u{2019}',
];

/// Ends a sentence: terminal punctuation, or a paragraph mark.
fn ends_closed(line: &str) -> bool {
    line.ends_with(PARAGRAPH_MARKS) || line.ends_with(TERMINAL)
}

/// The wrap width (90th-percentile line length in characters) when the text looks
/// hard-wrapped (see the module docs), else `None`.
fn hard_wrap_width(text: &str, lines: &[Range<usize>]) -> Option<usize> {
    let mut lens = Vec::new();
    let mut open = 0usize;
    for r in lines {
        let s = text[r.clone()].trim();
        if s.is_empty() {
            continue;
        }
        lens.push(s.chars().count());
        if !ends_closed(s) {
            open += 1;
        }
    }
    if lens.len() < HARD_WRAP_MIN_LINES || 2 * open < lens.len() {
        return None;
    }
    lens.sort_unstable();
    let at = |q: usize| lens[q * (lens.len() - 1) / 100];
    (at(95) <= HARD_WRAP_MAX_WIDTH).then(|| at(90))
}

fn wrapped_paragraphs(text: &str, lines: &[Range<usize>], width: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    for r in lines {
        let s = text[r.clone()].trim();
        if s.is_empty() {
            if let Some(st) = start.take() {
                push_paragraph(text, st..end, &mut out);
            }
            continue;
        }
        if start.is_none() {
            start = Some(r.start);
        }
        end = r.end;
        let marked = s.ends_with(PARAGRAPH_MARKS);
        let short_sentence_end = s.ends_with(TERMINAL) && 5 * s.chars().count() < 4 * width;
        if marked || short_sentence_end {
            push_paragraph(text, start.take().expect("started")..end, &mut out);
        }
    }
    if let Some(st) = start {
        push_paragraph(text, st..end, &mut out);
    }
    out
}

/// Like [`push_trimmed`], also trimming trailing paragraph marks.
fn push_paragraph(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let kept = s.trim_end().trim_end_matches(PARAGRAPH_MARKS).len();
    push_trimmed(text, r.start..r.start + kept, out);
}

/// The paragraphs of `text` as string slices (see [`paragraph_spans`]).
///
/// ```
/// use reprint::text::paragraphs;
/// // Blank lines separate paragraphs; surrounding whitespace is trimmed.
/// assert_eq!(
///     paragraphs("One line.\nSame paragraph.\n\n  Two.  \n"),
///     ["One line.\nSame paragraph.", "Two."]
/// );
/// // With no blank line at all, every non-empty line is a paragraph.
/// assert_eq!(paragraphs("First.\nSecond."), ["First.", "Second."]);
/// ```
pub fn paragraphs(text: &str) -> Vec<&str> {
    paragraph_spans(text)
        .into_iter()
        .map(|r| &text[r])
        .collect()
}

fn line_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(start..i);
        start = i + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Pushes `r` trimmed of white space onto `out`, unless nothing is left.
pub(crate) fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(r.start + lead..r.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_separate_paragraphs() {
        let t = "One line.\nsame para.\n\n  \nTwo.\n\nThree\n";
        assert_eq!(
            paragraphs(t),
            vec!["One line.\nsame para.", "Two.", "Three"]
        );
    }

    #[test]
    fn no_blank_line_means_one_paragraph_per_line() {
        let t = "First.\nSecond.\r\nThird.";
        assert_eq!(paragraphs(t), vec!["First.", "Second.", "Third."]);
    }

    #[test]
    fn empty_and_whitespace_texts_have_no_paragraphs() {
        assert!(paragraphs("").is_empty());
        assert!(paragraphs(" \n\t\n").is_empty());
    }

    #[test]
    fn hard_wrapped_text_is_joined_into_paragraphs() {
        let t = "The court heard on Monday that the company had failed to\n\
                 report its losses for three years running, and that its\n\
                 auditors had warned the board twice.\n\
                 A spokesman declined to comment.<\n\
                 The trial, which is expected to last six weeks, continues\n\
                 tomorrow before a jury at the crown court in the city\n\
                 centre after threats.\n\
                 It is the longest fraud trial in the region this year and\n\
                 has drawn protesters to the steps of the court.\n";
        let p = paragraphs(t);
        assert_eq!(p.len(), 4, "{p:#?}");
        assert!(p[0].starts_with("The court heard") && p[0].ends_with("warned the board twice."));
        assert_eq!(p[1], "A spokesman declined to comment.");
        assert!(p[2].ends_with("after threats."));
        assert!(p[3].starts_with("It is the longest"));
    }

    #[test]
    fn short_lines_ending_sentences_are_not_hard_wrapped() {
        // Most lines end a sentence: one paragraph per line, as before.
        let t = "First line here.\nSecond line.\nThird one.\nFourth!\nFifth?\nsixth";
        assert_eq!(paragraphs(t).len(), 6);
        // Long lines are not a hard wrap either.
        let long = "word ".repeat(40);
        let t = format!("{long}\n{long}\n{long}\n{long}\n{long}\n\nEnd.");
        assert_eq!(paragraphs(&t).len(), 2);
    }

    #[test]
    fn spans_point_into_the_text() {
        let t = "  a b  \n\n c ";
        for r in paragraph_spans(t) {
            assert_eq!(t[r.clone()].trim(), &t[r]);
        }
    }
}
