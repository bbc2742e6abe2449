//! The evidence behind a comparison: the figures the verdict rules read, and evidence of
//! reuse that does not depend on the texts' lengths.
//!
//! Length-independent figures:
//!
//! * `longest_run`: the longest run of identical words (tokens as [`crate::text`]
//!   defines them, stop words included, boilerplate paragraphs left out) found in both
//!   texts. Found in one pass from shared word trigrams ([`longest_run`]): each shared
//!   trigram is extended in both directions once per diagonal, so the cost is linear in
//!   the words of the two texts. A run of 50 identical words is evidence of reuse
//!   whatever the lengths of the documents around it.
//! * `aligned_pairs`, `aligned_idf`: the number of sentence links, and the sum over
//!   links of the IDF weights of the content stems each linked pair shares (IDF over the
//!   sentences of the two texts, as the aligner weighs them: nothing from the batch).
//! * `best_link`: the highest sentence link score; `strong_links`: links scoring at
//!   least [`STRONG_LINK`].
//! * `passages`: aligned passages ([`mod@super::passages`]).
//!
//! * `passage_evidence`: −log10 of the expected number of chance matches of the best
//!   chain of shared rare runs ([`run_passages`], [`passage_evidence`]): maximal
//!   shared runs of at least 3 words, each worth `Σ max(0, −log10(1000 · p(w)))` under
//!   the fixed background table ([`crate::compare::background`]), chained when they
//!   follow each other in the same order on both sides, within [`RUN_GAP`] words and
//!   on nearby diagonals (copied text keeps its order); a passage's evidence is its summed information
//!   minus `log10(la · lb)`, the log of the position pairs where a match could have
//!   happened by chance. So it grows with what is shared, and shrinks with both lengths.
//!
//! The reuse gate of the verdict ([`super::verdict::gate_logit`]) reads
//! `passage_evidence`, `best_link` and `strong_links` (and `longest_run`, whose
//! fitted weight is 0).

use ahash::{AHashMap, AHashSet};
use serde::Serialize;

use super::align::{Alignment, Analyzed, LinkKind, UnitIdf};
use super::analyze::TermHash;
use super::verdict::Rule;
use crate::compare::background::Background;

/// Link score at or above which a sentence link counts in `strong_links`.
pub const STRONG_LINK: f64 = 0.5;

/// At most this many positions of one word trigram in A are tried as anchors of a run
/// (bounds the cost on repetitive text, where the longest run is then a lower bound).
const MAX_ANCHORS: usize = 64;

/// The evidence object of a comparison (`evidence` in JSON output).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReuseEvidence {
    /// Word n-gram Jaccard of the two texts (the verdict's duplicate rules).
    pub jaccard: f64,
    /// Word n-grams the two texts share.
    pub shared_ngrams: usize,
    /// The document score `D`.
    pub score: f64,
    /// Share of A's words in linked sentences.
    pub coverage_a: f64,
    /// Share of B's words in linked sentences.
    pub coverage_b: f64,
    /// Sentence equivalence, for short texts only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<f64>,
    /// Sentence units of A.
    pub units_a: usize,
    /// Sentence units of B.
    pub units_b: usize,
    /// Sentence links (aligned sentence pairs).
    pub aligned_pairs: usize,
    /// Links whose sentences are identical or lightly edited.
    pub close_links: usize,
    /// Sum over links of the IDF of the content stems the linked sentences share.
    pub aligned_idf: f64,
    /// The best sentence link score, in `[0, 1]` (0 without links).
    pub best_link: f64,
    /// Links scoring at least [`STRONG_LINK`].
    pub strong_links: usize,
    /// The second-best sentence link score (0 with fewer than two links).
    pub second_link: f64,
    /// The longest chain of links between consecutive sentences on both sides.
    pub chain_links: usize,
    /// The longest run of identical words shared by the two texts.
    pub longest_run: usize,
    /// Passage evidence of shared rare word runs ([`passage_evidence`]), at least 0.
    pub passage_evidence: f64,
    /// The reuse gate's logit ([`super::verdict::gate_logit`]); absent when a rule
    /// before the gate decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate_logit: Option<f64>,
    /// The rule that decided the verdict ([`super::verdict::Rule`]).
    pub rule: Rule,
    /// Aligned passages ([`mod@super::passages`]).
    pub passages: usize,
    /// Strong passages ([`super::passages::Passage::is_strong`]).
    pub strong_passages: usize,
}

/// The word hashes of a document's sentence units, in order (boilerplate left out).
pub fn doc_tokens(doc: &Analyzed) -> Vec<TermHash> {
    let mut out = Vec::with_capacity(doc.words);
    for u in &doc.units {
        out.extend_from_slice(&u.tokens);
    }
    out
}

fn tri(w: &[TermHash]) -> u64 {
    crate::shingle::fmix64(
        w[0].rotate_left(21) ^ w[1].rotate_left(42).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ w[2],
    )
}

/// A maximal run of identical words shared by two texts: `a[i..i + len] == b[j..j + len]`,
/// extendable in neither direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Run {
    /// Start in A (word index).
    pub i: usize,
    /// Start in B.
    pub j: usize,
    /// Length in words.
    pub len: usize,
}

/// Every maximal shared run of at least 3 words, in the order of their start in B.
///
/// Each shared word trigram whose position pair is the start of a maximal run (the
/// words before differ, or a text starts there) is extended forward once, so the cost is
/// linear in the words of the two texts plus the shared trigram positions (at most
/// 64 positions of one trigram in A are tried: on very repetitive text
/// some runs are then missed).
pub fn maximal_runs(a: &[TermHash], b: &[TermHash]) -> Vec<Run> {
    let mut out = Vec::new();
    if a.len() < 3 || b.len() < 3 {
        return out;
    }
    let mut anchors: AHashMap<u64, Vec<u32>> = AHashMap::with_capacity(a.len());
    for (i, w) in a.windows(3).enumerate() {
        let v = anchors.entry(tri(w)).or_default();
        if v.len() < MAX_ANCHORS {
            v.push(i as u32);
        }
    }
    for (j, w) in b.windows(3).enumerate() {
        let Some(list) = anchors.get(&tri(w)) else {
            continue;
        };
        for &i in list {
            let i = i as usize;
            if i > 0 && j > 0 && a[i - 1] == b[j - 1] {
                continue;
            }
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            // k < 3 only on a trigram hash collision.
            if k >= 3 {
                out.push(Run { i, j, len: k });
            }
        }
    }
    out
}

/// The length of the longest common run of `a` and `b` (see the module docs).
pub fn longest_run(a: &[TermHash], b: &[TermHash]) -> usize {
    longest_of(&maximal_runs(a, b), a, b)
}

/// The longest run, given the maximal runs of at least 3 words.
fn longest_of(runs: &[Run], a: &[TermHash], b: &[TermHash]) -> usize {
    if let Some(best) = runs.iter().map(|r| r.len).max() {
        return best;
    }
    let pairs: AHashSet<(u64, u64)> = a.windows(2).map(|w| (w[0], w[1])).collect();
    if b.windows(2).any(|w| pairs.contains(&(w[0], w[1]))) {
        return 2;
    }
    let words: AHashSet<u64> = a.iter().copied().collect();
    usize::from(b.iter().any(|w| words.contains(w)))
}

/// A shared run's words are this much more likely than the background says (word
/// bursts: a text that uses a word once uses it again), in the information of a run.
pub const BURST: f64 = 1000.0;

/// Runs join a passage when they start within this many words of it on both sides.
pub const RUN_GAP: usize = 40;

/// At most this many informative runs are grouped into passages (the most
/// informative first); bounds the cost on pathological, repetitive pairs.
const MAX_RUNS: usize = 1024;

/// The information of a run of words: `Σ max(0, -log10(BURST · p(w)))`, with `p` the
/// background probability ([`crate::compare::background`]).
pub fn run_information(words: &[TermHash], bg: &Background) -> f64 {
    let lb = BURST.log10();
    words
        .iter()
        .map(|&w| (-(bg.token_log10(w) + lb)).max(0.0))
        .sum()
}

/// A passage of shared runs: word ranges on both sides and summed information.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunPassage {
    /// Word range in A (`a.0..a.1`).
    pub a: (usize, usize),
    /// Word range in B.
    pub b: (usize, usize),
    /// Summed information of its runs.
    pub info: f64,
    /// Runs inside.
    pub runs: usize,
}

impl RunPassage {
    fn absorb(&mut self, o: &RunPassage) {
        self.a = (self.a.0.min(o.a.0), self.a.1.max(o.a.1));
        self.b = (self.b.0.min(o.b.0), self.b.1.max(o.b.1));
        self.info += o.info;
        self.runs += o.runs;
    }
}

/// Passages of shared runs: chains of the maximal runs of at least 3 words with
/// information above 0, in the same order on both sides. Runs are taken in order of
/// their start in A; a run extends the chain (the most informative one, if several)
/// whose last run it follows in A by at most [`RUN_GAP`] words, lies within
/// [`RUN_GAP`] words of in B (after it, or before it: a local swap), without
/// overlapping it on either side, and whose diagonal (offset in B minus offset in A)
/// it stays within [`RUN_GAP`] of; else it starts a chain.
///
/// Copied text keeps its order, with drift from edits: its runs make one chain.
/// Texts on the same topic share names and stock phrases scattered in any order: a
/// cluster of such runs (each near the others, but on unrelated diagonals) is not one
/// passage, and its information is not summed.
pub fn run_passages(runs: &[Run], a: &[TermHash], bg: &Background) -> Vec<RunPassage> {
    let mut good: Vec<(Run, f64)> = runs
        .iter()
        .map(|r| (*r, run_information(&a[r.i..r.i + r.len], bg)))
        .filter(|&(_, info)| info > 0.0)
        .collect();
    if good.len() > MAX_RUNS {
        good.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        good.truncate(MAX_RUNS);
    }
    good.sort_by_key(|x| x.0);
    // Each chain with its last run.
    let mut chains: Vec<(RunPassage, Run)> = Vec::new();
    for (r, info) in good {
        let diag = r.j as i64 - r.i as i64;
        let follows = |l: &Run| {
            let (ea, eb) = (l.i + l.len, l.j + l.len);
            r.i >= ea
                && r.i <= ea + RUN_GAP
                && ((r.j >= eb && r.j <= eb + RUN_GAP)
                    || (r.j + r.len <= l.j && r.j + r.len + RUN_GAP >= l.j))
                && (diag - (l.j as i64 - l.i as i64)).unsigned_abs() as usize <= RUN_GAP
        };
        let best = chains
            .iter_mut()
            .filter(|(_, l)| follows(l))
            .max_by(|x, y| x.0.info.total_cmp(&y.0.info));
        let p = RunPassage {
            a: (r.i, r.i + r.len),
            b: (r.j, r.j + r.len),
            info,
            runs: 1,
        };
        match best {
            Some((q, last)) => {
                q.absorb(&p);
                *last = r;
            }
            None => chains.push((p, r)),
        }
    }
    chains.into_iter().map(|(p, _)| p).collect()
}

/// Passage evidence of two token sequences: the best passage's information minus
/// `log10(la · lb)` (−log10 of the expected number of such chance matches over all
/// position pairs), floored at 0.
pub fn passage_evidence(passages: &[RunPassage], la: usize, lb: usize) -> f64 {
    let lpair = ((la.max(1) as f64) * (lb.max(1) as f64)).log10();
    passages.iter().map(|p| p.info - lpair).fold(0.0, f64::max)
}

/// The run figures of two texts' tokens: the longest shared run and the passage
/// evidence.
pub fn run_figures(a: &[TermHash], b: &[TermHash], bg: &Background) -> (usize, f64) {
    let runs = maximal_runs(a, b);
    let longest = longest_of(&runs, a, b);
    let passages = run_passages(&runs, a, bg);
    (longest, passage_evidence(&passages, a.len(), b.len()))
}

fn shared_idf(a: &[TermHash], b: &[TermHash], idf: &UnitIdf) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += idf.idf(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The link figures of `evidence` (aligned pairs, their IDF mass, close links), for an
/// alignment of `a` with `b`.
pub fn link_evidence(a: &Analyzed, b: &Analyzed, al: &Alignment, e: &mut ReuseEvidence) {
    e.aligned_pairs = al.units.len();
    e.close_links = al
        .units
        .iter()
        .filter(|l| l.kind != LinkKind::Paraphrase)
        .count();
    if !al.units.is_empty() {
        let idf = UnitIdf::from_docs(&[a, b]);
        e.aligned_idf = al
            .units
            .iter()
            .map(|l| shared_idf(&a.units[l.a].stems, &b.units[l.b].stems, &idf))
            .sum();
    }
}

/// The link strength figures of an alignment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LinkStrength {
    /// The best link score (0 without links).
    pub best: f64,
    /// The second-best link score (0 with fewer than two links).
    pub second: f64,
    /// Links scoring at least [`STRONG_LINK`].
    pub strong: usize,
    /// The longest chain of links between consecutive sentences on both sides (A's
    /// units `i, i+1, ...` linked to B's `j, j+1, ...`).
    pub chain: usize,
}

/// The link strength figures of an alignment (linear in its links).
pub fn link_strength(al: &Alignment) -> LinkStrength {
    let mut s = LinkStrength::default();
    for l in &al.units {
        if l.score > s.best {
            s.second = s.best;
            s.best = l.score;
        } else if l.score > s.second {
            s.second = l.score;
        }
        s.strong += usize::from(l.score >= STRONG_LINK);
    }
    let set: AHashSet<(usize, usize)> = al.units.iter().map(|l| (l.a, l.b)).collect();
    for l in &al.units {
        if l.a > 0 && l.b > 0 && set.contains(&(l.a - 1, l.b - 1)) {
            continue;
        }
        let mut k = 1;
        while set.contains(&(l.a + k, l.b + k)) {
            k += 1;
        }
        s.chain = s.chain.max(k);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Comparer;
    use proptest::prelude::*;

    fn naive(a: &[u64], b: &[u64]) -> usize {
        let mut best = 0;
        for i in 0..a.len() {
            for j in 0..b.len() {
                let mut k = 0;
                while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                    k += 1;
                }
                best = best.max(k);
            }
        }
        best
    }

    #[test]
    fn longest_run_of_small_cases() {
        assert_eq!(longest_run(&[], &[1, 2]), 0);
        assert_eq!(longest_run(&[1, 2, 3], &[4, 5, 6]), 0);
        assert_eq!(longest_run(&[1, 2, 3], &[9, 3, 8]), 1);
        assert_eq!(longest_run(&[1, 2, 3], &[9, 2, 3]), 2);
        assert_eq!(longest_run(&[7, 1, 2, 3, 4, 9], &[0, 1, 2, 3, 4, 5, 6]), 4);
    }

    fn hashes(text: &str) -> Vec<u64> {
        text.split_whitespace()
            .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
            .collect()
    }

    /// "the" has p = 10^-1.3 (information 0 at BURST 1000), every other word the floor
    /// 1e-8 (information -log10(1000 * 1e-8) = 5 per word).
    fn table() -> Background {
        Background::from_tsv("en", "the\t130\n")
    }

    #[test]
    fn passage_evidence_of_small_cases() {
        let bg = table();
        // One shared run of 3 rare words: 15 - log10(10 * 10) = 13.
        let a = hashes("a1 a2 a3 x1 x2 x3 a4 a5 a6 a7");
        let b = hashes("b1 x1 x2 x3 b2 b3 b4 b5 b6 b7");
        let (run, ev) = run_figures(&a, &b, &bg);
        assert_eq!(run, 3);
        assert!((ev - 13.0).abs() < 1e-9, "{ev}");
        // "the" adds no information: a run "the x1 x2" is worth 10.
        let a = hashes("a1 a2 the x1 x2 a3 a4 a5 a6 a7");
        let b = hashes("b1 the x1 x2 b2 b3 b4 b5 b6 b7");
        let (run, ev) = run_figures(&a, &b, &bg);
        assert_eq!(run, 3);
        assert!((ev - 8.0).abs() < 1e-9, "{ev}");
        // A run of common words only is no evidence; nor is a run of 2.
        let a = hashes("the the the a1 x1 x2");
        let b = hashes("the the the b1 x1 x2");
        assert_eq!(run_figures(&a, &b, &bg), (3, 0.0));
    }

    #[test]
    fn runs_near_each_other_on_both_sides_make_one_passage() {
        let bg = table();
        // Two runs of 3 rare words, 10 words apart on both sides: one passage worth
        // 30 - log10(60 * 60).
        let fill = |p: &str, n: usize| -> String { (0..n).map(|i| format!("{p}{i} ")).collect() };
        let a = format!(
            "{}x1 x2 x3 {}y1 y2 y3 {}",
            fill("a", 5),
            fill("c", 10),
            fill("e", 39)
        );
        let b = format!(
            "{}x1 x2 x3 {}y1 y2 y3 {}",
            fill("b", 5),
            fill("d", 10),
            fill("f", 39)
        );
        let (ta, tb) = (hashes(&a), hashes(&b));
        assert_eq!((ta.len(), tb.len()), (60, 60));
        let runs = maximal_runs(&ta, &tb);
        let ps = run_passages(&runs, &ta, &bg);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].runs, 2);
        assert_eq!((ps[0].a, ps[0].b), ((5, 21), (5, 21)));
        let ev = passage_evidence(&ps, ta.len(), tb.len());
        assert!((ev - (30.0 - 3600f64.log10())).abs() < 1e-9, "{ev}");
        // 50 words apart in B: two passages; the evidence is the better one's.
        let b = format!(
            "{}x1 x2 x3 {}y1 y2 y3 {}",
            fill("b", 5),
            fill("d", 50),
            fill("f", 1)
        );
        let tb = hashes(&b);
        let ps = run_passages(&maximal_runs(&ta, &tb), &ta, &bg);
        assert_eq!(ps.len(), 2);
        let ev = passage_evidence(&ps, ta.len(), tb.len());
        assert!((ev - (15.0 - (60.0f64 * tb.len() as f64).log10())).abs() < 1e-9);
    }

    #[test]
    fn runs_in_another_order_do_not_add_up() {
        // Three runs of 3 rare words, 25 words apart in A; in B the same runs in the
        // reverse order (as names and stock phrases of one topic recur in two texts
        // written apart): three passages, the evidence one run's. In the same order in
        // B they chain into one passage. (A swap of two runs a few words apart, as
        // an edit makes, stays in the chain.)
        let bg = table();
        let fill = |p: &str, n: usize| -> String { (0..n).map(|i| format!("{p}{i} ")).collect() };
        let a = format!(
            "{}x1 x2 x3 {}y1 y2 y3 {}z1 z2 z3 {}",
            fill("a", 5),
            fill("c", 25),
            fill("e", 25),
            fill("g", 5)
        );
        let reversed = format!(
            "{}z1 z2 z3 {}y1 y2 y3 {}x1 x2 x3 {}",
            fill("b", 5),
            fill("d", 25),
            fill("f", 25),
            fill("h", 5)
        );
        let same = reversed
            .replace("z1 z2 z3", "T1 T2 T3")
            .replace("x1 x2 x3", "z1 z2 z3")
            .replace("T1 T2 T3", "x1 x2 x3");
        let ta = hashes(&a);
        let (tr, ts) = (hashes(&reversed), hashes(&same));
        let ps = run_passages(&maximal_runs(&ta, &tr), &ta, &bg);
        assert_eq!(ps.len(), 3, "{ps:?}");
        let one = 15.0 - ((ta.len() * tr.len()) as f64).log10();
        assert!((passage_evidence(&ps, ta.len(), tr.len()) - one).abs() < 1e-9);
        let ps = run_passages(&maximal_runs(&ta, &ts), &ta, &bg);
        assert_eq!(ps.len(), 1, "{ps:?}");
        assert_eq!(ps[0].runs, 3);
    }

    #[test]
    fn many_scattered_runs_stay_cheap() {
        // 3,000 shared rare trigrams, each far from the others on one side: thousands of
        // runs, bounded work.
        let bg = table();
        let a: Vec<u64> = (0..60_000u64).map(|i| i * 7 + 1).collect();
        let mut b: Vec<u64> = Vec::new();
        for k in 0..3_000u64 {
            let i = ((k * 7_919) % 19_990) as usize * 3;
            b.extend_from_slice(&a[i..i + 3]);
            b.extend((0..50).map(|f| 1_000_000 + k * 100 + f));
        }
        let t = std::time::Instant::now();
        let (run, ev) = run_figures(&a, &b, &bg);
        assert!(run >= 3 && ev >= 0.0);
        assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
    }

    #[test]
    fn evidence_of_a_verbatim_passage_in_a_long_text() {
        let copied = "Seventeen fishermen from the northern harbour signed a petition against \
            the mooring fees on Tuesday, saying the council had ignored them for years.";
        let filler: String = (0..40)
            .map(|i| format!("Paragraph {i} is about gardening and the weather in spring. "))
            .collect();
        let a = format!("{filler}\n\n{copied}\n\n{filler}");
        let b = format!("A short note.\n\n{copied}");
        let c = Comparer::default().compare_texts(&a, &b);
        let e = &c.evidence;
        assert_eq!(e.longest_run, 23);
        assert_eq!(e.aligned_pairs, 1);
        assert_eq!(e.strong_links, 1);
        assert_eq!(e.close_links, 1);
        assert!(e.best_link > 0.9 && e.aligned_idf > 0.0);
        assert_eq!(e.passages, 1);
        assert!(e.coverage_a < 0.1);
    }

    proptest! {
        #[test]
        fn longest_run_matches_the_quadratic_definition(
            a in prop::collection::vec(0u64..4, 0..60),
            b in prop::collection::vec(0u64..4, 0..60),
        ) {
            prop_assert_eq!(longest_run(&a, &b), naive(&a, &b));
        }
    }
}
