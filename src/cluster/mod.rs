//! Clusters: connected components of verified pairs, and what dedup keeps.
//!
//! Cluster ids are deterministic: clusters are ordered by size (largest first), then
//! by their first member in corpus order, and numbered from 0 in that order. Members
//! are listed in corpus order.

mod unionfind;

pub use unionfind::UnionFind;

use crate::corpus::DocTable;
use crate::DocIndex;

/// A group of documents linked by reported pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Deterministic id (see the module docs).
    pub id: usize,
    /// Members in corpus order (at least two).
    pub members: Vec<DocIndex>,
}

/// The clusters (components with two or more documents) of the `edges` (pairs of
/// document indices) over `n` documents.
///
/// ```
/// use reprint::cluster::clusters;
/// let cs = clusters(6, [(4, 5), (0, 2), (2, 3)]);
/// // Largest first, members in corpus order, ids numbered in that order;
/// // document 1, linked to nothing, is in no cluster.
/// assert_eq!(cs.len(), 2);
/// assert_eq!((cs[0].id, cs[0].members.clone()), (0, vec![0, 2, 3]));
/// assert_eq!((cs[1].id, cs[1].members.clone()), (1, vec![4, 5]));
/// ```
pub fn clusters(n: usize, edges: impl IntoIterator<Item = (DocIndex, DocIndex)>) -> Vec<Cluster> {
    let mut uf = UnionFind::new(n);
    let mut touched: Vec<DocIndex> = Vec::new();
    for (a, b) in edges {
        uf.union(a, b);
        touched.extend([a, b]);
    }
    let mut groups: ahash::AHashMap<u32, Vec<DocIndex>> = ahash::AHashMap::new();
    touched.sort_unstable();
    touched.dedup();
    for d in touched {
        let root = uf.find(d);
        groups.entry(root).or_default().push(d);
    }
    let mut list: Vec<Vec<DocIndex>> = groups.into_values().collect();
    list.sort_by(|x, y| y.len().cmp(&x.len()).then(x[0].cmp(&y[0])));
    list.into_iter()
        .enumerate()
        .map(|(id, members)| Cluster { id, members })
        .collect()
}

/// Which document of each cluster `dedup` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The first in corpus order.
    #[default]
    First,
    /// The one with the most words (ties: the first).
    Longest,
}

/// The document kept from a cluster.
pub fn kept(cluster: &Cluster, docs: &DocTable, keep: Keep) -> DocIndex {
    match keep {
        Keep::First => cluster.members[0],
        Keep::Longest => *cluster
            .members
            .iter()
            .max_by(|&&x, &&y| docs.words(x).cmp(&docs.words(y)).then(y.cmp(&x)))
            .expect("clusters are non-empty"),
    }
}

/// For each document, whether dedup drops it.
pub fn dropped(n: usize, clusters: &[Cluster], docs: &DocTable, keep: Keep) -> Vec<bool> {
    let mut drop = vec![false; n];
    for c in clusters {
        let k = kept(c, docs, keep);
        for &m in &c.members {
            drop[m as usize] = m != k;
        }
    }
    drop
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: u32, b: u32) -> (u32, u32) {
        (a, b)
    }

    #[test]
    fn components_are_ordered_deterministically() {
        let pairs = [pair(5, 6), pair(1, 2), pair(2, 3), pair(0, 7)];
        let c = clusters(8, pairs);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].members, vec![1, 2, 3]);
        assert_eq!(c[1].members, vec![0, 7]);
        assert_eq!(c[2].members, vec![5, 6]);
        assert_eq!(c[2].id, 2);
        // Same clusters whatever the pair order.
        let mut rev = pairs.to_vec();
        rev.reverse();
        assert_eq!(clusters(8, rev), c);
    }

    #[test]
    fn keep_first_or_longest() {
        let mut docs = DocTable::default();
        docs.push("a", 0, 1, 0, 10);
        docs.push("b", 0, 2, 0, 30);
        docs.push("c", 0, 3, 0, 30);
        let c = clusters(3, [pair(0, 1), pair(1, 2)]);
        assert_eq!(kept(&c[0], &docs, Keep::First), 0);
        assert_eq!(kept(&c[0], &docs, Keep::Longest), 1);
        assert_eq!(
            dropped(3, &c, &docs, Keep::Longest),
            vec![true, false, true]
        );
    }
}
