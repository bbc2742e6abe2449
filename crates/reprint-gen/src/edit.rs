//! How derived documents are made from a source document.
//!
//! * [`near_duplicate`]: copy-editing at an edit rate `r`: each word is, with
//!   probability `r`, substituted (by a word of the topic), deleted, or followed by an
//!   inserted word (equally likely); each sentence is dropped with probability `r / 4`;
//!   each paragraph is swapped with the next with probability `r`.
//! * [`rewrite`]: what a second outlet does to a wire story: synonyms from the built-in
//!   list, clause reordering (subordinate clause moved to the front or back,
//!   attribution moved), sentences split at their conjunction or merged with the next,
//!   paragraphs reordered and re-cut, a few sentences dropped and new material added.
//!
//! Every operation is applied to the document structure, never to rendered text.

use serde::Serialize;

use super::rng::Rng;
use super::story::{AttrStyle, Doc, Sentence, Story, Word};
use super::vocab::Vocab;

/// Copy-edits `doc` at edit rate `rate` (see the module docs).
pub fn near_duplicate(doc: &Doc, rate: f64, story: &Story, rng: &mut Rng) -> Doc {
    let mut out = Doc::default();
    for p in &doc.paragraphs {
        let mut para = Vec::with_capacity(p.len());
        for s in p {
            if rng.chance(rate / 4.0) {
                continue;
            }
            let mut s = s.clone();
            edit_words(&mut s.main, rate, story, rng);
            if let Some((_, sub)) = &mut s.sub {
                edit_words(sub, rate, story, rng);
            }
            if !s.main.is_empty() {
                para.push(s);
            }
        }
        if !para.is_empty() {
            out.paragraphs.push(para);
        }
    }
    if out.paragraphs.is_empty() {
        // Everything dropped: keep the first sentence so the copy is still a document.
        out.paragraphs.push(vec![doc.paragraphs[0][0].clone()]);
    }
    let n = out.paragraphs.len();
    for i in 0..n.saturating_sub(1) {
        if rng.chance(rate) {
            out.paragraphs.swap(i, i + 1);
        }
    }
    out
}

/// Word-level edits of one clause at rate `rate`.
pub fn edit_words(words: &mut Vec<Word>, rate: f64, story: &Story, rng: &mut Rng) {
    if rate <= 0.0 {
        return;
    }
    let mut out: Vec<Word> = Vec::with_capacity(words.len() + 2);
    for w in words.drain(..) {
        if !rng.chance(rate) {
            out.push(w);
            continue;
        }
        match rng.below(3) {
            0 => out.push(story.random_word(rng).into()),
            1 => {}
            _ => {
                out.push(w);
                out.push(story.random_word(rng).into());
            }
        }
    }
    *words = out;
}

/// How a rewrite was made; drawn per document and written to the truth file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RewriteParams {
    /// Chance that a word or phrase with synonyms is replaced by one.
    pub synonym_rate: f64,
    /// Chance that a sentence's clauses or attribution are reordered.
    pub reorder_rate: f64,
    /// Chance that a two-clause sentence is split in two.
    pub split_rate: f64,
    /// Chance that a simple sentence is merged with the next.
    pub merge_rate: f64,
    /// Chance that a sentence is left out.
    pub drop_rate: f64,
    /// New sentences added.
    pub added_sentences: usize,
    /// Whether the body paragraphs were reordered.
    pub paragraphs_reordered: bool,
}

impl RewriteParams {
    /// Parameters of a typical rewrite.
    pub fn draw(rng: &mut Rng) -> Self {
        RewriteParams {
            synonym_rate: round2(rng.uniform(0.6, 1.0)),
            reorder_rate: round2(rng.uniform(0.3, 0.8)),
            split_rate: round2(rng.uniform(0.1, 0.5)),
            merge_rate: round2(rng.uniform(0.05, 0.3)),
            drop_rate: round2(rng.uniform(0.0, 0.15)),
            added_sentences: rng.range(0, 6),
            paragraphs_reordered: rng.chance(0.7),
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Replaces words and phrases that have synonyms, each with probability `rate`.
pub fn synonyms(words: &mut [Word], rate: f64, rng: &mut Rng) {
    let v = Vocab::get();
    for w in words.iter_mut() {
        let n = v.synonyms_of(w).count();
        if n > 0 && rng.chance(rate) {
            let k = rng.below(n);
            let s = v.synonyms_of(w).nth(k).expect("k < n");
            *w = Word::Borrowed(s);
        }
    }
}

fn synonym_word(w: &mut Word, rate: f64, rng: &mut Rng) {
    synonyms(std::slice::from_mut(w), rate, rng);
}

/// Connective that keeps the meaning when a sentence is split at `conj`.
fn split_lead(conj: &str) -> &'static str {
    match conj {
        "after" | "following" => "before that,",
        "before" | "ahead of" => "later,",
        "because" | "since" => "that was because",
        "while" | "whereas" => "meanwhile,",
        "although" | "though" | "even though" => "even so,",
        "when" | "once" => "at that point,",
        _ => "at the same time,",
    }
}

/// Rewrites one sentence in place: synonyms, clause order, attribution. Returns the
/// sentence and, when it was split, the second half.
pub fn rewrite_sentence(
    mut s: Sentence,
    p: &RewriteParams,
    rng: &mut Rng,
) -> (Sentence, Option<Sentence>) {
    synonyms(&mut s.main, p.synonym_rate, rng);
    if let Some((conj, sub)) = &mut s.sub {
        synonyms(sub, p.synonym_rate, rng);
        synonym_word(conj, p.synonym_rate, rng);
    }
    if let Some(a) = &mut s.attr {
        synonym_word(&mut a.verb, p.synonym_rate, rng);
        if rng.chance(p.reorder_rate) && a.style != AttrStyle::Quote {
            let styles = [
                AttrStyle::Trailing,
                AttrStyle::Leading,
                AttrStyle::According,
            ];
            let others: Vec<AttrStyle> = styles.into_iter().filter(|&x| x != a.style).collect();
            a.style = *rng.pick(&others);
        }
    }
    if s.sub.is_some() && rng.chance(p.split_rate) {
        let (conj, sub) = s.sub.take().expect("checked");
        let second = Sentence {
            lead: Some(Word::Borrowed(split_lead(&conj))),
            main: sub,
            ..Default::default()
        };
        s.sub_first = false;
        return (s, Some(second));
    }
    if s.sub.is_some() && rng.chance(p.reorder_rate) {
        s.sub_first = !s.sub_first;
    }
    (s, None)
}

/// Joins two simple sentences into one (`A, and B` / `A while B`).
pub fn merge(a: Sentence, b: Sentence, rng: &mut Rng) -> Sentence {
    let conj = rng.word(&["and", "while", "as"]);
    let mut main = b.main;
    if let Some(l) = b.lead {
        main.insert(0, l);
    }
    Sentence {
        sub: Some((Word::Borrowed(conj), main)),
        sub_first: false,
        ..a
    }
}

fn simple(s: &Sentence) -> bool {
    s.sub.is_none() && s.attr.as_ref().is_none_or(|a| a.style != AttrStyle::Quote)
}

/// Rewrites a run of sentences (one paragraph or several): per sentence
/// [`rewrite_sentence`], drops and merges.
pub fn rewrite_sentences(sents: &[Sentence], p: &RewriteParams, rng: &mut Rng) -> Vec<Sentence> {
    let mut out: Vec<Sentence> = Vec::with_capacity(sents.len() + 2);
    let mut pending_merge = false;
    for s in sents {
        if rng.chance(p.drop_rate) {
            continue;
        }
        let (a, b) = rewrite_sentence(s.clone(), p, rng);
        if pending_merge && b.is_none() && simple(&a) && a.attr.is_none() {
            let prev = out.pop().expect("pending merge has a previous sentence");
            out.push(merge(prev, a, rng));
            pending_merge = false;
            continue;
        }
        pending_merge = b.is_none() && simple(&a) && rng.chance(p.merge_rate);
        out.push(a);
        if let Some(b) = b {
            out.push(b);
        }
    }
    out
}

/// Rewrites a whole document (see the module docs). `story` supplies added material.
pub fn rewrite(doc: &Doc, p: &RewriteParams, story: &mut Story, rng: &mut Rng) -> Doc {
    let mut paras: Vec<Vec<Sentence>> = doc
        .paragraphs
        .iter()
        .map(|para| rewrite_sentences(para, p, rng))
        .filter(|para| !para.is_empty())
        .collect();
    if paras.is_empty() {
        paras.push(vec![story.sentence(rng)]);
    }
    // Re-cut: long paragraphs split, short neighbours joined.
    let mut recut: Vec<Vec<Sentence>> = Vec::with_capacity(paras.len() + 2);
    for para in paras {
        if para.len() >= 3 && rng.chance(0.4) {
            let at = rng.range(1, para.len() - 1);
            let mut first = para;
            let second = first.split_off(at);
            recut.push(first);
            recut.push(second);
        } else if para.len() == 1 && recut.last().is_some_and(|l| l.len() == 1) && rng.chance(0.4) {
            recut.last_mut().expect("checked").extend(para);
        } else {
            recut.push(para);
        }
    }
    if p.paragraphs_reordered && recut.len() > 2 {
        // The lead stays first; the body is partly shuffled.
        let n = recut.len();
        for _ in 0..n / 2 {
            let i = rng.range(1, n - 1);
            let j = rng.range(1, n - 1);
            recut.swap(i, j);
        }
    }
    for _ in 0..p.added_sentences {
        let s = story.sentence(rng);
        if rng.chance(0.5) || recut.len() < 2 {
            recut.push(vec![s]);
        } else {
            let i = rng.range(1, recut.len() - 1);
            let at = rng.range(0, recut[i].len());
            recut[i].insert(at, s);
        }
    }
    Doc { paragraphs: recut }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;
    use crate::story::{render_sentence, topic_pools};

    fn fixture(seed: u64) -> (Story, Doc, Rng) {
        let pools = topic_pools(seed);
        let mut rng = Rng::derive(seed, Stream::Family, 9);
        let mut story = Story::new(&mut rng, 1, &pools[1]);
        let doc = story.document(&mut rng, 600);
        (story, doc, rng)
    }

    fn text(d: &Doc) -> String {
        let mut s = String::new();
        d.render(&mut s);
        s
    }

    fn jaccard(a: &str, b: &str) -> f64 {
        let mut sh = reprint::shingle::Shingler::new(5);
        reprint::verify::overlap(&sh.shingle_set(a).0, &sh.shingle_set(b).0).jaccard
    }

    #[test]
    fn zero_edit_rate_copies_exactly() {
        let (story, doc, mut rng) = fixture(1);
        assert_eq!(near_duplicate(&doc, 0.0, &story, &mut rng), doc);
    }

    #[test]
    fn edit_rate_moves_jaccard_down() {
        let (story, doc, mut rng) = fixture(2);
        let base = text(&doc);
        let j: Vec<f64> = [0.01, 0.05, 0.2]
            .iter()
            .map(|&r| jaccard(&base, &text(&near_duplicate(&doc, r, &story, &mut rng))))
            .collect();
        assert!(j[0] > 0.8 && j[0] < 1.0, "{j:?}");
        assert!(j[0] > j[1] && j[1] > j[2], "{j:?}");
        assert!(j[2] < 0.4, "{j:?}");
    }

    #[test]
    fn word_edits_substitute_insert_and_delete() {
        let (story, _, mut rng) = fixture(3);
        let orig: Vec<Word> = (0..2000).map(|i| Word::Owned(format!("w{i}"))).collect();
        let mut w = orig.clone();
        edit_words(&mut w, 0.3, &story, &mut rng);
        let kept = w.iter().filter(|x| x.starts_with('w')).count();
        let new = w.len() - kept;
        // 30% edited: a third each substituted, deleted, inserted after.
        assert!((1500..1700).contains(&kept), "{kept}");
        assert!((300..500).contains(&new), "{new}");
        let mut order: Vec<&Word> = w.iter().filter(|x| x.starts_with('w')).collect();
        order.dedup();
        assert_eq!(order.len(), kept, "order of kept words is preserved");
    }

    #[test]
    fn split_and_reorder_keep_the_words() {
        let mut rng = Rng::derive(4, Stream::Family, 0);
        let s = Sentence {
            main: vec!["the council approved".into(), "the plan".into()],
            sub: Some(("after".into(), vec!["talks".into(), "ended".into()])),
            ..Default::default()
        };
        let p = RewriteParams {
            synonym_rate: 0.0,
            reorder_rate: 0.0,
            split_rate: 1.0,
            merge_rate: 0.0,
            drop_rate: 0.0,
            added_sentences: 0,
            paragraphs_reordered: false,
        };
        let (a, b) = rewrite_sentence(s.clone(), &p, &mut rng);
        let mut t = String::new();
        render_sentence(&a, &mut t);
        t.push(' ');
        render_sentence(&b.unwrap(), &mut t);
        assert_eq!(
            t,
            "The council approved the plan. Before that, talks ended."
        );
        let p = RewriteParams {
            split_rate: 0.0,
            reorder_rate: 1.0,
            ..p
        };
        let (a, b) = rewrite_sentence(s, &p, &mut rng);
        assert!(b.is_none() && a.sub_first);
    }

    #[test]
    fn merge_joins_two_sentences() {
        let mut rng = Rng::derive(5, Stream::Family, 0);
        let a = Sentence {
            main: vec!["prices rose".into()],
            ..Default::default()
        };
        let b = Sentence {
            main: vec!["wages fell".into()],
            ..Default::default()
        };
        let m = merge(a, b, &mut rng);
        let mut t = String::new();
        render_sentence(&m, &mut t);
        assert!(
            [
                "Prices rose and wages fell.",
                "Prices rose while wages fell.",
                "Prices rose as wages fell."
            ]
            .contains(&t.as_str()),
            "{t}"
        );
    }

    #[test]
    fn synonyms_come_from_the_list() {
        let mut rng = Rng::derive(6, Stream::Family, 0);
        let mut w: Vec<Word> = vec!["said".into(), "zebra".into()];
        synonyms(&mut w, 1.0, &mut rng);
        assert_ne!(w[0], "said");
        assert!(Vocab::get().synonyms_of("said").any(|s| s == w[0]));
        assert_eq!(w[1], "zebra");
    }

    #[test]
    fn rewrites_share_few_ngrams_but_the_story() {
        let (mut story, doc, mut rng) = fixture(7);
        let base = text(&doc);
        let mut js = Vec::new();
        for _ in 0..10 {
            let p = RewriteParams::draw(&mut rng);
            let r = text(&rewrite(&doc, &p, &mut story, &mut rng));
            js.push(jaccard(&base, &r));
        }
        js.sort_by(f64::total_cmp);
        assert!(js[5] < 0.3, "median rewrite Jaccard {js:?}");
        assert!(js[0] > 0.0, "{js:?}");
    }
}
