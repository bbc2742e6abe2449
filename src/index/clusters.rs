//! Reprints of one story over an index: clusters of whole-document reuse, each with
//! its origin and, per member, what it took from the origin.
//!
//! The clusters are those of `reprint clusters` over the index's live documents in
//! archive order (connected components of the pairs with a whole-document verdict:
//! duplicate, near-duplicate, rewrite). A cluster's **origin** is the document the
//! others reuse:
//!
//! 1. the member with the earliest date (dated members come before undated ones);
//! 2. among members with that date (or when none has one), the one whose text the
//!    other members hold most of: the sum, over its reported pairs inside the
//!    cluster, of the share of it found in the partner (aligned coverage in the
//!    default mode, shingle containment in near-dup mode). A rewrite that adds
//!    material holds its source almost whole, while the source holds only part of
//!    the rewrite, so containment points from the copy to the original;
//! 3. then the first in archive order.
//!
//! Each member's link to the origin is the reported pair between them when there is
//! one; a member linked to the origin only through other members has none.

use crate::corpus::DocTable;
use crate::mode::PairsResult;
use crate::model::Pair;
use crate::DocIndex;

/// One cluster of reprints.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryCluster {
    /// The cluster's deterministic id (as [`crate::cluster::Cluster::id`]).
    pub id: usize,
    /// The origin (see the module docs).
    pub origin: DocIndex,
    /// Members in archive order, the origin among them.
    pub members: Vec<StoryMember>,
}

/// A member of a [`StoryCluster`].
#[derive(Debug, Clone, PartialEq)]
pub struct StoryMember {
    /// The document.
    pub doc: DocIndex,
    /// The reported pair between this member and the origin (an index into the
    /// result's pairs); `None` for the origin itself and for members linked to it
    /// only through others.
    pub pair: Option<usize>,
    /// Share of the origin found in this member (aligned coverage of the origin in
    /// the default mode, shingle containment in near-dup mode), when paired with it.
    pub took: Option<f64>,
}

/// Share of `x` (one side of `p`) found in the other side.
fn share_of(p: &Pair, x: DocIndex) -> f64 {
    match (&p.alignment, x == p.a) {
        (Some(al), true) => al.coverage_a,
        (Some(al), false) => al.coverage_b,
        (None, true) => p.overlap.containment_a_in_b,
        (None, false) => p.overlap.containment_b_in_a,
    }
}

/// The origin of a cluster with these `members` (archive order) among `pairs`
/// (those inside the cluster), by the rules of the module docs.
fn origin(members: &[DocIndex], pairs: &[&Pair], docs: &DocTable) -> DocIndex {
    let earliest = members.iter().filter_map(|&m| docs.date(m)).min();
    let tied: Vec<DocIndex> = members
        .iter()
        .copied()
        .filter(|&m| earliest.is_none() || docs.date(m) == earliest)
        .collect();
    let held = |m: DocIndex| -> f64 {
        pairs
            .iter()
            .filter(|p| p.a == m || p.b == m)
            .map(|p| share_of(p, m))
            .sum()
    };
    let mut best = tied[0];
    let mut best_held = held(best);
    for &m in &tied[1..] {
        let h = held(m);
        if h > best_held {
            best = m;
            best_held = h;
        }
    }
    best
}

/// The reprint clusters of `res` (a run over the index's documents whose document
/// table has their dates, [`super::Index::set_fields`]), from the pairs with a
/// whole-document verdict.
pub fn story_clusters(res: &PairsResult) -> Vec<StoryCluster> {
    let whole: Vec<(usize, &Pair)> = res
        .pairs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.verdict.is_whole())
        .collect();
    let groups = crate::cluster::clusters(res.docs.len(), whole.iter().map(|(_, p)| (p.a, p.b)));
    // The cluster of each document, to split the pairs by cluster.
    let mut of = ahash::AHashMap::new();
    for (c, g) in groups.iter().enumerate() {
        for &m in &g.members {
            of.insert(m, c);
        }
    }
    let mut inside: Vec<Vec<(usize, &Pair)>> = vec![Vec::new(); groups.len()];
    for &(i, p) in &whole {
        inside[of[&p.a]].push((i, p));
    }
    groups
        .iter()
        .zip(inside)
        .map(|(g, pairs)| {
            let refs: Vec<&Pair> = pairs.iter().map(|&(_, p)| p).collect();
            let o = origin(&g.members, &refs, &res.docs);
            let members = g
                .members
                .iter()
                .map(|&m| {
                    let link = pairs
                        .iter()
                        .find(|(_, p)| m != o && (p.a, p.b) == (m.min(o), m.max(o)));
                    StoryMember {
                        doc: m,
                        pair: link.map(|&(i, _)| i),
                        took: link.map(|(_, p)| share_of(p, o)),
                    }
                })
                .collect();
            StoryCluster {
                id: g.id,
                origin: o,
                members,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PairAlignment, Verdict};
    use crate::verify::Overlap;

    fn pair(a: DocIndex, b: DocIndex, cov_a: f64, cov_b: f64, verdict: Verdict) -> Pair {
        Pair {
            a,
            b,
            overlap: Overlap {
                jaccard: 0.1,
                containment_a_in_b: 0.0,
                containment_b_in_a: 0.0,
                shared: 1,
            },
            score: 0.5,
            verdict,
            alignment: Some(PairAlignment {
                coverage_a: cov_a,
                coverage_b: cov_b,
                links: Some(1),
            }),
        }
    }

    fn result(dates: &[Option<i64>], pairs: Vec<Pair>) -> PairsResult {
        let mut docs = DocTable::default();
        for (i, &d) in dates.iter().enumerate() {
            let n = docs.push(&format!("d{i}"), 0, i as u64 + 1, i as u64, 10);
            docs.set_date(n, d);
        }
        PairsResult {
            docs,
            stats: Default::default(),
            candidates: pairs.len(),
            star_buckets: 0,
            pairs,
            timings: Default::default(),
            context: None,
        }
    }

    #[test]
    fn the_origin_is_the_earliest_then_the_one_the_others_hold() {
        use Verdict::Rewrite;
        // Dated: the earliest wins whatever the coverage says.
        let r = result(
            &[Some(30), Some(10), Some(20)],
            vec![pair(0, 1, 0.9, 0.2, Rewrite), pair(1, 2, 0.3, 0.9, Rewrite)],
        );
        let c = story_clusters(&r);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].origin, 1);
        // Member 0 is paired with the origin: it holds 0.2 of it; 2 holds 0.3.
        let took: Vec<Option<f64>> = c[0].members.iter().map(|m| m.took).collect();
        assert_eq!(took, [Some(0.2), None, Some(0.3)]);
        // Undated: document 1's text is held most by the others (0.8 + 0.7).
        let r = result(
            &[None, None, None],
            vec![pair(0, 1, 0.3, 0.8, Rewrite), pair(1, 2, 0.7, 0.2, Rewrite)],
        );
        assert_eq!(story_clusters(&r)[0].origin, 1);
        // Dated members come before undated ones; equal dates fall back to holding.
        let r = result(
            &[None, Some(5), Some(5)],
            vec![pair(0, 1, 0.9, 0.1, Rewrite), pair(1, 2, 0.4, 0.6, Rewrite)],
        );
        assert_eq!(story_clusters(&r)[0].origin, 2);
        // Partial reuse makes no cluster; a member linked only through another has
        // no pair with the origin.
        let r = result(
            &[Some(1), Some(2), Some(3), Some(4)],
            vec![
                pair(0, 1, 0.5, 0.5, Rewrite),
                pair(1, 2, 0.5, 0.5, Rewrite),
                pair(2, 3, 0.5, 0.5, Verdict::Partial),
            ],
        );
        let c = story_clusters(&r);
        assert_eq!(c[0].members.len(), 3);
        assert_eq!(c[0].origin, 0);
        assert_eq!(c[0].members[2].pair, None);
        assert_eq!(c[0].members[1].pair, Some(0));
    }
}
