//! The rows of a report page, in the order they are shown: pairs of one cluster
//! together, clusters with the most informative pairs first, and documents with the
//! same word n-grams (exact duplicates) collapsed to one row per group.

use ahash::AHashMap;

use crate::cluster::{clusters, UnionFind};
use crate::model::{Pair, Verdict};
use crate::DocIndex;

/// One row of the pair table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The pair the row shows (its figures, and its diff): an index into the pairs.
    pub pair: usize,
    /// Cluster id of the row's documents (as `reprint clusters` numbers them).
    pub cluster: usize,
    /// For a group of identical documents: every member, in corpus order (the row
    /// stands for all pairs among them). Empty for a row of one pair.
    pub identical: Vec<DocIndex>,
    /// Pairs the row stands for: 1, or more when a pair's documents have identical
    /// copies (the same diff, shown once) or for a group of identical documents.
    pub pairs: usize,
}

/// How informative a verdict is to read, most first: rewrites and partial reuse
/// before near-duplicates before duplicates.
pub fn priority(v: Verdict) -> u8 {
    match v {
        Verdict::Rewrite => 0,
        Verdict::Partial => 1,
        Verdict::NearDuplicate => 2,
        Verdict::Duplicate => 3,
    }
}

/// Whether two documents have exactly the same word n-grams.
fn identical(p: &Pair) -> bool {
    p.overlap.jaccard >= 1.0
}

/// The rows of `pairs` over `n` documents, in display order: clusters ordered by
/// their most informative row (verdict [`priority`], then score), rows of a cluster
/// together by the same order; identical groups last in their cluster.
pub fn rows(n: usize, pairs: &[Pair]) -> Vec<Row> {
    let cluster_of: AHashMap<DocIndex, usize> = clusters(n, pairs.iter().map(|p| (p.a, p.b)))
        .into_iter()
        .flat_map(|c| c.members.into_iter().map(move |m| (m, c.id)))
        .collect();
    // Groups of identical documents: same n-gram sets is an equivalence, so the
    // components of the identical pairs are exactly the groups.
    let mut uf = UnionFind::new(n);
    for p in pairs.iter().filter(|p| identical(p)) {
        uf.union(p.a, p.b);
    }
    let mut by_root: AHashMap<u32, Vec<DocIndex>> = AHashMap::new();
    for p in pairs.iter().filter(|p| identical(p)) {
        for d in [p.a, p.b] {
            by_root.entry(uf.find(d)).or_default().push(d);
        }
    }
    // Each member of a group maps to the group's first document.
    let mut group_of: AHashMap<DocIndex, DocIndex> = AHashMap::new();
    let mut groups: AHashMap<DocIndex, Vec<DocIndex>> = AHashMap::new();
    for mut m in by_root.into_values() {
        m.sort_unstable();
        m.dedup();
        for &d in &m {
            group_of.insert(d, m[0]);
        }
        groups.insert(m[0], m);
    }
    let rep = |d: DocIndex| group_of.get(&d).copied().unwrap_or(d);

    let mut out: Vec<Row> = Vec::new();
    let mut by_key: AHashMap<(DocIndex, DocIndex), usize> = AHashMap::new();
    for (i, p) in pairs.iter().enumerate() {
        let (ra, rb) = (rep(p.a), rep(p.b));
        let key = (ra.min(rb), ra.max(rb));
        if let Some(&r) = by_key.get(&key) {
            out[r].pairs += 1;
            continue;
        }
        by_key.insert(key, out.len());
        out.push(Row {
            pair: i,
            cluster: cluster_of.get(&p.a).copied().unwrap_or(0),
            identical: Vec::new(),
            pairs: 1,
        });
    }
    for r in &mut out {
        let p = &pairs[r.pair];
        if rep(p.a) == rep(p.b) {
            r.identical = groups[&rep(p.a)].clone();
        }
    }

    let key = |r: &Row| {
        let p = &pairs[r.pair];
        let pri = if r.identical.is_empty() {
            priority(p.verdict)
        } else {
            4
        };
        (pri, -p.score)
    };
    let mut best: AHashMap<usize, (u8, f64)> = AHashMap::new();
    for r in &out {
        let k = key(r);
        best.entry(r.cluster)
            .and_modify(|b| {
                if cmp(&k, b).is_lt() {
                    *b = k;
                }
            })
            .or_insert(k);
    }
    out.sort_by(|x, y| {
        cmp(&best[&x.cluster], &best[&y.cluster])
            .then(x.cluster.cmp(&y.cluster))
            .then(cmp(&key(x), &key(y)))
            .then(x.pair.cmp(&y.pair))
    });
    out
}

fn cmp(x: &(u8, f64), y: &(u8, f64)) -> std::cmp::Ordering {
    x.0.cmp(&y.0).then(x.1.total_cmp(&y.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PairAlignment;
    use crate::verify::Overlap;

    fn pair(a: DocIndex, b: DocIndex, jaccard: f64, score: f64, verdict: Verdict) -> Pair {
        Pair {
            a,
            b,
            overlap: Overlap {
                jaccard,
                containment_a_in_b: jaccard,
                containment_b_in_a: jaccard,
                shared: 10,
            },
            score,
            verdict,
            alignment: None::<PairAlignment>,
        }
    }

    #[test]
    fn identical_documents_collapse_and_informative_clusters_come_first() {
        // 0, 1, 2 identical; 3 rewrites 0 (and so 1 and 2); 4-5 a partial pair.
        let pairs = vec![
            pair(0, 1, 1.0, 1.0, Verdict::Duplicate),
            pair(0, 2, 1.0, 1.0, Verdict::Duplicate),
            pair(1, 2, 1.0, 1.0, Verdict::Duplicate),
            pair(0, 3, 0.3, 0.7, Verdict::Rewrite),
            pair(1, 3, 0.3, 0.7, Verdict::Rewrite),
            pair(2, 3, 0.3, 0.7, Verdict::Rewrite),
            pair(4, 5, 0.2, 0.9, Verdict::Partial),
            pair(6, 7, 0.95, 0.95, Verdict::Duplicate),
        ];
        let rows = rows(8, &pairs);
        assert_eq!(rows.len(), 4);
        // The rewrite's cluster first, its rewrite row before the identical group.
        assert_eq!((rows[0].pair, rows[0].pairs), (3, 3));
        assert!(rows[0].identical.is_empty());
        assert_eq!(rows[1].identical, vec![0, 1, 2]);
        assert_eq!(rows[1].pairs, 3);
        assert_eq!(rows[0].cluster, rows[1].cluster);
        assert_eq!(rows[2].pair, 6, "partial before duplicate");
        assert_eq!(rows[3].pair, 7);
    }
}
