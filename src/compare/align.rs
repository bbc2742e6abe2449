//! Paragraph alignment of two documents (the verdict is in [`super::verdict`]).
//!
//! Rewrites reorder, split and merge, so the alignment is not monotonic and allows
//! one-to-many links. It works on sentence units ([`super::analyze`]):
//!
//! 1. **Candidates.** An inverted index over B's unit stems; stems found in more than
//!    20% of B's units (at least 3, at most 64) are not indexed, since they point
//!    nowhere in particular. A unit pair is a candidate when it shares two indexed
//!    stems (one when either unit has at most four). Cost: O(stems x 64), linear in
//!    the words of the two documents.
//! 2. **Similarity** ([`unit_similarity`]): 0 when the units share fewer than 3
//!    content stems; else the larger of the IDF-weighted Dice coefficient of their stem
//!    sets and 0.8 x the IDF-weighted containment of the smaller unit (when it has at
//!    least 5 stems, for split and merged sentences). IDF is over the units of both
//!    documents, `ln((N + 1) / (df + 0.5))`, so words that run through the whole story
//!    weigh little and names, numbers and rare words weigh a lot.
//!    A list (a line-up, a list of names: [`Unit::list`]) links only to an identical
//!    copy of itself.
//! 3. **Links.** Each unit keeps its best partner scoring at least 0.35; the alignment
//!    is the union of both directions. A weaker pair (0.25 to 0.35) is linked when a
//!    neighbouring pair (i +- 1, j +- 1) is linked and one of its units is still
//!    unlinked: sentences that were rewritten harder than their neighbours.
//! 4. **Kinds.** Token-level Levenshtein similarity (strsim) of the two sentences:
//!    at least 0.9 `identical`, at least 0.5 `edited`, else `paraphrase`.
//! 5. **Paragraphs.** Sentence links are grouped into paragraph links: connected
//!    groups of paragraphs joined by sentence links, so a paragraph split in two is one
//!    link `{a: [3], b: [4, 5]}`. Links out of reading order are marked `moved`.
//!
//! Thresholds were tuned on the development data in `../shared/eval` (EVALUATION.md)
//! and mention no dataset.

use ahash::{AHashMap, AHashSet};
use serde::Serialize;

pub use super::analyze::{Analyzed, Analyzer, TermHash, Unit};

/// Tunable constants of the aligner.
#[derive(Debug, Clone, Copy)]
pub struct AlignParams {
    /// Minimum unit similarity for a link.
    pub tau: f64,
    /// Minimum similarity for a link next to an existing link.
    pub tau_low: f64,
    /// Minimum shared content stems for a non-zero similarity.
    pub min_shared: usize,
}

impl Default for AlignParams {
    fn default() -> Self {
        AlignParams {
            tau: 0.35,
            tau_low: 0.25,
            min_shared: 3,
        }
    }
}

/// How closely a link's texts match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// Same words (token similarity at least 0.9).
    Identical,
    /// Light word edits (at least 0.5).
    Edited,
    /// Reworded.
    Paraphrase,
}

impl LinkKind {
    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            LinkKind::Identical => "identical",
            LinkKind::Edited => "edited",
            LinkKind::Paraphrase => "paraphrase",
        }
    }
}

/// A link between two sentence units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitLink {
    /// Index of the unit in A's sentence units.
    pub a: usize,
    /// Index of the unit in B's sentence units.
    pub b: usize,
    /// Unit similarity ([`unit_similarity`]), in `[0, 1]`.
    pub score: f64,
    /// How close the two units' words are.
    pub kind: LinkKind,
}

/// A link between groups of paragraphs (one-to-one, or one-to-many when paragraphs
/// were split or merged).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParagraphLink {
    /// Paragraph indexes in A (sorted).
    pub a: Vec<usize>,
    /// Paragraph indexes in B (sorted).
    pub b: Vec<usize>,
    /// Mean similarity of the sentence links inside.
    pub score: f64,
    /// The loosest kind among the sentence links inside.
    pub kind: LinkKind,
    /// True when the link is out of reading order relative to the others.
    pub moved: bool,
}

/// The alignment of two documents.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// Sentence links, sorted by (a, b).
    pub units: Vec<UnitLink>,
    /// Paragraph links, sorted by their first paragraph in A.
    pub links: Vec<ParagraphLink>,
    /// Share of A's (non-boilerplate) words in linked sentences.
    pub coverage_a: f64,
    /// Share of B's words in linked sentences.
    pub coverage_b: f64,
    /// Non-boilerplate paragraphs of A with no link.
    pub unmatched_a: Vec<usize>,
    /// Non-boilerplate paragraphs of B with no link.
    pub unmatched_b: Vec<usize>,
}

/// Inverse document frequency over a set of units.
#[derive(Debug, Clone, Default)]
pub struct UnitIdf {
    df: AHashMap<TermHash, u32>,
    n: usize,
}

impl UnitIdf {
    /// Counts stems over the units of the given documents.
    pub fn from_docs(docs: &[&Analyzed]) -> Self {
        let mut df: AHashMap<TermHash, u32> = AHashMap::new();
        let mut n = 0;
        for d in docs {
            for u in &d.units {
                n += 1;
                for &s in &u.stems {
                    *df.entry(s).or_insert(0) += 1;
                }
            }
        }
        UnitIdf { df, n }
    }

    /// `ln((N + 1) / (df + 0.5))`.
    pub fn idf(&self, stem: TermHash) -> f64 {
        let df = self.df.get(&stem).copied().unwrap_or(0) as f64;
        ((self.n as f64 + 1.0) / (df + 0.5)).ln()
    }
}

/// A unit's content stems with their IDF weights, computed once per pair rather than
/// once per candidate pair the unit is in (the weights were most of the aligner's time).
#[derive(Debug, Clone)]
struct Weighted<'a> {
    stems: &'a [TermHash],
    /// `idf(stems[k])`.
    weights: Vec<f64>,
    /// The sum of `weights`, in order.
    total: f64,
}

impl<'a> Weighted<'a> {
    fn new(stems: &'a [TermHash], idf: &UnitIdf) -> Self {
        let weights: Vec<f64> = stems.iter().map(|&s| idf.idf(s)).collect();
        let total = weights.iter().sum();
        Weighted {
            stems,
            weights,
            total,
        }
    }

    /// The weighted stems of every unit of a document.
    fn units(doc: &'a Analyzed, idf: &UnitIdf) -> Vec<Self> {
        doc.units
            .iter()
            .map(|u| Weighted::new(&u.stems, idf))
            .collect()
    }
}

/// The aligner's unit similarity (see the module docs), in `[0, 1]`.
pub fn unit_similarity(a: &[TermHash], b: &[TermHash], idf: &UnitIdf, min_shared: usize) -> f64 {
    weighted_similarity(&Weighted::new(a, idf), &Weighted::new(b, idf), min_shared)
}

/// [`unit_similarity`] from precomputed weights (the same result, bit for bit).
fn weighted_similarity(a: &Weighted, b: &Weighted, min_shared: usize) -> f64 {
    let (sa, sb) = (a.stems, b.stems);
    let (mut i, mut j) = (0, 0);
    let (mut shared, mut wc) = (0usize, 0.0);
    while i < sa.len() && j < sb.len() {
        match sa[i].cmp(&sb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                wc += a.weights[i];
                i += 1;
                j += 1;
            }
        }
    }
    if shared < min_shared {
        return 0.0;
    }
    let (wa, wb) = (a.total, b.total);
    if wa + wb <= 0.0 {
        return 0.0;
    }
    let dice = 2.0 * wc / (wa + wb);
    let small = sa.len().min(sb.len());
    let containment = if small >= 5 && wa.min(wb) > 0.0 {
        wc / wa.min(wb)
    } else {
        0.0
    };
    dice.max(0.8 * containment).min(1.0)
}

/// Longest token sequence compared for a link kind (keeps the cost bounded).
const MAX_KIND_TOKENS: usize = 200;

/// The kind of a link from the token sequences of its two sentences.
pub fn link_kind(a: &[TermHash], b: &[TermHash]) -> LinkKind {
    if a == b {
        return LinkKind::Identical;
    }
    let a = &a[..a.len().min(MAX_KIND_TOKENS)];
    let b = &b[..b.len().min(MAX_KIND_TOKENS)];
    let longest = a.len().max(b.len()).max(1);
    let sim = 1.0 - strsim::generic_levenshtein(&a.to_vec(), &b.to_vec()) as f64 / longest as f64;
    if sim >= 0.9 {
        LinkKind::Identical
    } else if sim >= 0.5 {
        LinkKind::Edited
    } else {
        LinkKind::Paraphrase
    }
}

/// Candidate unit pairs (see the module docs), sorted.
fn candidates(a: &Analyzed, b: &Analyzed) -> Vec<(usize, usize)> {
    let mut post: AHashMap<TermHash, Vec<u32>> = AHashMap::new();
    for (j, u) in b.units.iter().enumerate() {
        for &s in &u.stems {
            post.entry(s).or_default().push(j as u32);
        }
    }
    let cap = ((b.units.len() as f64 * 0.2) as usize).clamp(3, 64);
    let mut out = Vec::new();
    // Shared-stem counts per B unit, and the units counted for the current A unit.
    let mut counts = vec![0u32; b.units.len()];
    let mut touched: Vec<u32> = Vec::new();
    for (i, u) in a.units.iter().enumerate() {
        for s in &u.stems {
            if let Some(p) = post.get(s) {
                if p.len() <= cap {
                    for &j in p {
                        if counts[j as usize] == 0 {
                            touched.push(j);
                        }
                        counts[j as usize] += 1;
                    }
                }
            }
        }
        let first = out.len();
        for &j in &touched {
            let c = std::mem::take(&mut counts[j as usize]);
            let small = u.stems.len().min(b.units[j as usize].stems.len());
            if c >= 2 || (c >= 1 && small <= 4) {
                out.push((i, j as usize));
            }
        }
        touched.clear();
        // Sorted per A unit, so the whole list comes out sorted by (i, j).
        out[first..].sort_unstable();
    }
    out
}

/// Aligns two analyzed documents.
pub fn align(a: &Analyzed, b: &Analyzed, params: &AlignParams) -> Alignment {
    if let Some(units) = identical_units(a, b) {
        return finish(a, b, units);
    }
    let idf = UnitIdf::from_docs(&[a, b]);
    let (wa, wb) = (Weighted::units(a, &idf), Weighted::units(b, &idf));
    let mut strong: Vec<(usize, usize, f64)> = Vec::new();
    let mut weak: Vec<(usize, usize, f64)> = Vec::new();
    for (i, j) in candidates(a, b) {
        let s = weighted_similarity(&wa[i], &wb[j], params.min_shared);
        // A list (`Unit::list`) links only to a copy of itself: two line-ups of one
        // team share names (and are often one edit apart), not text.
        if s >= params.tau_low
            && (a.units[i].list || b.units[j].list)
            && link_kind(&a.units[i].tokens, &b.units[j].tokens) != LinkKind::Identical
        {
            continue;
        }
        if s >= params.tau {
            strong.push((i, j, s));
        } else if s >= params.tau_low {
            weak.push((i, j, s));
        }
    }
    // Best partner on each side (ties: the earlier partner, as pairs are sorted).
    let mut best_a: AHashMap<usize, (f64, usize)> = AHashMap::new();
    let mut best_b: AHashMap<usize, (f64, usize)> = AHashMap::new();
    for &(i, j, s) in &strong {
        if best_a.get(&i).is_none_or(|&(bs, _)| s > bs) {
            best_a.insert(i, (s, j));
        }
        if best_b.get(&j).is_none_or(|&(bs, _)| s > bs) {
            best_b.insert(j, (s, i));
        }
    }
    let mut links: AHashMap<(usize, usize), f64> = AHashMap::new();
    for (&i, &(s, j)) in &best_a {
        links.insert((i, j), s);
    }
    for (&j, &(s, i)) in &best_b {
        links.insert((i, j), s);
    }
    // Rescue pass, strongest first, deterministic order.
    weak.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut linked_a: AHashSet<usize> = links.keys().map(|&(i, _)| i).collect();
    let mut linked_b: AHashSet<usize> = links.keys().map(|&(_, j)| j).collect();
    for (i, j, s) in weak {
        if linked_a.contains(&i) && linked_b.contains(&j) {
            continue;
        }
        let near = (-1i64..=1).any(|di| {
            (-1i64..=1).any(|dj| {
                (di != 0 || dj != 0)
                    && links.contains_key(&((i as i64 + di) as usize, (j as i64 + dj) as usize))
            })
        });
        if near {
            links.insert((i, j), s);
            linked_a.insert(i);
            linked_b.insert(j);
        }
    }
    let mut units: Vec<UnitLink> = links
        .into_iter()
        .map(|((i, j), score)| UnitLink {
            a: i,
            b: j,
            score,
            kind: link_kind(&a.units[i].tokens, &b.units[j].tokens),
        })
        .collect();
    units.sort_by_key(|l| (l.a, l.b));
    finish(a, b, units)
}

/// When the two documents have the same sentence units (the same words, in the same
/// paragraphs, in the same order), the identity alignment: unit `i` with unit `i`,
/// score 1, `identical`. Found before candidates, since their frequency filter drops
/// every stem of a text made of one repeated sentence, and a one-word text has too few
/// stems for a similarity: identical texts are aligned in full however short or
/// repetitive they are.
fn identical_units(a: &Analyzed, b: &Analyzed) -> Option<Vec<UnitLink>> {
    let same = !a.units.is_empty()
        && a.units.len() == b.units.len()
        && a.paragraphs.len() == b.paragraphs.len()
        && a.units
            .iter()
            .zip(&b.units)
            .all(|(x, y)| x.para == y.para && x.tokens == y.tokens);
    same.then(|| {
        (0..a.units.len())
            .map(|i| UnitLink {
                a: i,
                b: i,
                score: 1.0,
                kind: LinkKind::Identical,
            })
            .collect()
    })
}

/// A paragraph group being built: A paragraphs, B paragraphs, score sum, links, loosest kind.
type Group = (Vec<usize>, Vec<usize>, f64, usize, LinkKind);

/// Coverage, paragraph links and unmatched paragraphs from sentence links.
fn finish(a: &Analyzed, b: &Analyzed, units: Vec<UnitLink>) -> Alignment {
    let covered = |doc: &Analyzed, linked: &AHashSet<usize>| -> f64 {
        if doc.words == 0 {
            return 0.0;
        }
        let w: usize = linked.iter().map(|&u| doc.units[u].words()).sum();
        (w as f64 / doc.words as f64).min(1.0)
    };
    let ua: AHashSet<usize> = units.iter().map(|l| l.a).collect();
    let ub: AHashSet<usize> = units.iter().map(|l| l.b).collect();
    let coverage_a = covered(a, &ua);
    let coverage_b = covered(b, &ub);

    // Connected groups of paragraphs: nodes are A paragraphs (0..na) and B paragraphs
    // (na..na+nb).
    let na = a.paragraphs.len();
    let nb = b.paragraphs.len();
    let mut uf = crate::cluster::UnionFind::new(na + nb);
    for l in &units {
        let pa = a.units[l.a].para;
        let pb = b.units[l.b].para;
        uf.union(pa, na as u32 + pb);
    }
    let mut groups: AHashMap<u32, Group> = AHashMap::new();
    for l in &units {
        let pa = a.units[l.a].para as usize;
        let pb = b.units[l.b].para as usize;
        let root = uf.find(pa as u32);
        let g = groups
            .entry(root)
            .or_insert_with(|| (Vec::new(), Vec::new(), 0.0, 0, LinkKind::Identical));
        g.0.push(pa);
        g.1.push(pb);
        g.2 += l.score;
        g.3 += 1;
        g.4 = g.4.max(l.kind);
    }
    let mut links: Vec<ParagraphLink> = groups
        .into_values()
        .map(|(mut pa, mut pb, sum, n, kind)| {
            pa.sort_unstable();
            pa.dedup();
            pb.sort_unstable();
            pb.dedup();
            ParagraphLink {
                a: pa,
                b: pb,
                score: sum / n as f64,
                kind,
                moved: false,
            }
        })
        .collect();
    links.sort_by(|x, y| (x.a[0], x.b[0]).cmp(&(y.a[0], y.b[0])));
    mark_moved(&mut links);
    let in_a: AHashSet<usize> = links.iter().flat_map(|l| l.a.iter().copied()).collect();
    let in_b: AHashSet<usize> = links.iter().flat_map(|l| l.b.iter().copied()).collect();
    let unmatched = |doc: &Analyzed, used: &AHashSet<usize>| -> Vec<usize> {
        (0..doc.paragraphs.len())
            .filter(|p| !doc.boilerplate[*p] && doc.paragraph_words[*p] > 0 && !used.contains(p))
            .collect()
    };
    Alignment {
        unmatched_a: unmatched(a, &in_a),
        unmatched_b: unmatched(b, &in_b),
        units,
        links,
        coverage_a,
        coverage_b,
    }
}

/// Marks the links that are not on a longest in-order chain (by first paragraph on
/// each side) as moved.
fn mark_moved(links: &mut [ParagraphLink]) {
    if links.len() < 2 {
        return;
    }
    // Links are sorted by a[0]; the chain is increasing in b[0].
    let keys: Vec<usize> = links.iter().map(|l| l.b[0]).collect();
    for (l, k) in links.iter_mut().zip(longest_increasing(&keys)) {
        l.moved = !k;
    }
}

/// Marks one longest strictly increasing subsequence of `keys`, in O(n log n)
/// (patience sorting). Among several, the one chosen is the one the O(n^2) dynamic
/// programme picks (the tests check this): it ends at the earliest position that ends a
/// longest one, and each element's predecessor is the earliest element that can
/// precede it on a longest chain ending there.
fn longest_increasing(keys: &[usize]) -> Vec<bool> {
    let n = keys.len();
    let mut keep = vec![false; n];
    if n == 0 {
        return keep;
    }
    // by_len[l]: positions whose longest chain ending there has l + 1 elements, in
    // position order. Their keys never increase along the list (a later position with
    // a larger key would end a longer chain), so a binary search finds the earliest one
    // with a smaller key.
    let mut by_len: Vec<Vec<usize>> = Vec::new();
    let mut prev = vec![usize::MAX; n];
    for (i, &k) in keys.iter().enumerate() {
        // The number of lengths whose smallest (= latest) ending key is below k.
        let l = by_len.partition_point(|list| keys[*list.last().unwrap()] < k);
        if l > 0 {
            let list = &by_len[l - 1];
            prev[i] = list[list.partition_point(|&j| keys[j] >= k)];
        }
        if l == by_len.len() {
            by_len.push(Vec::new());
        }
        by_len[l].push(i);
    }
    let mut best = by_len.last().unwrap()[0];
    loop {
        keep[best] = true;
        if prev[best] == usize::MAX {
            break;
        }
        best = prev[best];
    }
    keep
}

#[cfg(test)]
#[path = "align_tests.rs"]
mod tests;
