//! Paragraph splitting.
//!
//! A paragraph is a block of text separated from the next by at least one blank line
//! (a line holding only whitespace). A text with no blank line at all is taken to have
//! one paragraph per non-empty line, which is how many scraped articles are stored.
//! Spans are byte ranges into the original text, trimmed of surrounding whitespace,
//! in text order, never empty.

use std::ops::Range;

/// Byte ranges of the paragraphs of `text` (see the module docs for the rule).
pub fn paragraph_spans(text: &str) -> Vec<Range<usize>> {
    let lines = line_spans(text);
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

/// The paragraphs of `text` as string slices (see [`paragraph_spans`]).
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
    fn spans_point_into_the_text() {
        let t = "  a b  \n\n c ";
        for r in paragraph_spans(t) {
            assert_eq!(t[r.clone()].trim(), &t[r]);
        }
    }
}
