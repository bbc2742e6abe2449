//! Word-level changes between the two sides of an aligned paragraph link, as values:
//! what a renderer shows as removed, added or kept. Computed with the `similar` crate's
//! Unicode word diff. The cost is bounded by the sizes, not by a clock, so the same
//! texts always give the same changes: when the parts of the two sides between their
//! common first and last words are both long ([`MAX_DIFF_CELLS`]), that middle is shown
//! as removed and added whole instead of diffed word by word.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use unicode_segmentation::UnicodeSegmentation;

/// Largest product of the two sides' token counts (words and the text between them,
/// after the common first and last tokens) that is diffed token by token. Myers' diff
/// costs O((n + m) d) for d differences, at most about 2 * 10^8 steps here (a
/// fraction of a second); a larger middle, only met in paragraphs of thousands of
/// words that do not match, is shown as removed and added whole.
pub const MAX_DIFF_CELLS: usize = 16_000_000;

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
    // The tokens `diff_unicode_words` diffs (UAX #29 word bounds).
    let ta: Vec<&str> = a.split_word_bounds().collect();
    let tb: Vec<&str> = b.split_word_bounds().collect();
    let prefix = ta.iter().zip(&tb).take_while(|(x, y)| x == y).count();
    let suffix = ta[prefix..]
        .iter()
        .rev()
        .zip(tb[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (ta.len() - prefix - suffix, tb.len() - prefix - suffix);
    if mid_a.saturating_mul(mid_b) > MAX_DIFF_CELLS {
        let piece = |op, text: &&str| WordChange {
            op,
            text: (*text).to_owned(),
        };
        return ta[..prefix]
            .iter()
            .map(|t| piece(ChangeOp::Equal, t))
            .chain(
                ta[prefix..prefix + mid_a]
                    .iter()
                    .map(|t| piece(ChangeOp::Delete, t)),
            )
            .chain(
                tb[prefix..prefix + mid_b]
                    .iter()
                    .map(|t| piece(ChangeOp::Insert, t)),
            )
            .chain(
                ta[prefix + mid_a..]
                    .iter()
                    .map(|t| piece(ChangeOp::Equal, t)),
            )
            .collect();
    }
    let diff = TextDiff::configure().diff_unicode_words(a, b);
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

    /// Two long paragraphs with no word in common but their first and last: the middle
    /// is over the bound, so it is removed and added whole, the same every time (a
    /// clock-based deadline gave other changes on a loaded machine), and both sides
    /// still reassemble.
    #[test]
    fn long_unmatched_middles_are_replaced_whole_deterministically() {
        let side = |w: &str| -> String {
            let mid: Vec<String> = (0..3000).map(|i| format!("{w}{i}")).collect();
            format!("Start {} end.", mid.join(" "))
        };
        let (a, b) = (side("x"), side("y"));
        let ops = changes(&a, &b);
        assert_eq!(ops, changes(&a, &b));
        assert_eq!(
            ops[0],
            WordChange {
                op: ChangeOp::Equal,
                text: "Start".into()
            }
        );
        assert_eq!(ops.last().unwrap().text, ".");
        let first_insert = ops.iter().position(|c| c.op == ChangeOp::Insert).unwrap();
        assert!(ops[..first_insert].iter().all(|c| c.op != ChangeOp::Insert));
        assert!(ops[first_insert..].iter().all(|c| c.op != ChangeOp::Delete));
        let joined = |keep: ChangeOp| -> String {
            ops.iter()
                .filter(|c| c.op == ChangeOp::Equal || c.op == keep)
                .map(|c| c.text.as_str())
                .collect()
        };
        assert_eq!(joined(ChangeOp::Delete), a);
        assert_eq!(joined(ChangeOp::Insert), b);
    }

    /// Below the bound the diff is the word-by-word one.
    #[test]
    fn short_sides_are_diffed_word_by_word() {
        let ops = changes("a b c d", "a x c d");
        let changed: Vec<_> = ops
            .iter()
            .filter(|c| c.op != ChangeOp::Equal)
            .map(|c| (c.op, c.text.as_str()))
            .collect();
        assert_eq!(changed, [(ChangeOp::Delete, "b"), (ChangeOp::Insert, "x")]);
    }
}
