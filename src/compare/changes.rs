//! Word-level changes between the two sides of an aligned paragraph link, as values:
//! what a renderer shows as removed, added or kept. Computed with the `similar` crate's
//! Unicode word diff (a 200 ms deadline per link bounds pathological inputs).

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::align::{Alignment, Analyzed};

/// What a piece of text is in a word diff from `a` (old) to `b` (new).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeOp {
    /// In both texts.
    Equal,
    /// Only in `b`.
    Insert,
    /// Only in `a`.
    Delete,
}

/// A run of text (words and the whitespace or punctuation between them) and its op.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordChange {
    /// Equal, inserted or deleted.
    pub op: ChangeOp,
    /// The text, exactly as in its side (concatenating the `a`-side pieces, `Equal`
    /// and `Delete`, gives `a` back; likewise `Equal` and `Insert` give `b`).
    pub text: String,
}

/// The word-level changes turning `a` into `b`, in order.
///
/// ```
/// use reprint::compare::changes::{changes, ChangeOp};
/// let ops = changes("the cat sat", "the dog sat");
/// assert!(ops.iter().any(|c| c.op == ChangeOp::Delete && c.text == "cat"));
/// assert!(ops.iter().any(|c| c.op == ChangeOp::Insert && c.text == "dog"));
/// ```
pub fn changes(a: &str, b: &str) -> Vec<WordChange> {
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_unicode_words(a, b);
    diff.iter_all_changes()
        .map(|c| WordChange {
            op: match c.tag() {
                ChangeTag::Equal => ChangeOp::Equal,
                ChangeTag::Insert => ChangeOp::Insert,
                ChangeTag::Delete => ChangeOp::Delete,
            },
            text: c.value().to_owned(),
        })
        .collect()
}

/// The text of paragraphs `idx` of a side, joined by newlines (how a link's side is
/// shown and diffed).
pub fn joined_paragraphs(text: &str, analyzed: &Analyzed, idx: &[usize]) -> String {
    idx.iter()
        .map(|&i| &text[analyzed.paragraphs[i].clone()])
        .collect::<Vec<_>>()
        .join("\n")
}

/// The word-level changes of every link of `alignment`, in link order, between texts
/// `a` and `b` with their analyses.
pub fn link_changes(
    a: (&str, &Analyzed),
    b: (&str, &Analyzed),
    alignment: &Alignment,
) -> Vec<Vec<WordChange>> {
    alignment
        .links
        .iter()
        .map(|l| {
            changes(
                &joined_paragraphs(a.0, a.1, &l.a),
                &joined_paragraphs(b.0, b.1, &l.b),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_reassemble() {
        let (a, b) = ("One two, three.\nFour", "One 2, three!\nFour five");
        let ops = changes(a, b);
        let side = |keep: ChangeOp| -> String {
            ops.iter()
                .filter(|c| c.op == ChangeOp::Equal || c.op == keep)
                .map(|c| c.text.as_str())
                .collect()
        };
        assert_eq!(side(ChangeOp::Delete), a);
        assert_eq!(side(ChangeOp::Insert), b);
    }
}
