//! Clusters: connected components of verified pairs, and what dedup keeps.
//!
//! Cluster ids are deterministic: clusters are ordered by size (largest first), then
//! by their first member in corpus order, and numbered from 0 in that order. Members
//! are listed in corpus order.

use crate::docs::DocTable;
use crate::pipeline::Pair;
use crate::DocIndex;

/// Union-find with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// The representative of `x`'s set.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = self.parent[x as usize];
        }
        x
    }

    /// Joins the sets of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        if self.size[ra as usize] < self.size[rb as usize] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb as usize] = ra;
        self.size[ra as usize] += self.size[rb as usize];
    }
}

/// A group of documents linked by reported pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Deterministic id (see the module docs).
    pub id: usize,
    /// Members in corpus order (at least two).
    pub members: Vec<DocIndex>,
}

/// The clusters (components with two or more documents) of `pairs` over `n` documents.
pub fn clusters(n: usize, pairs: &[Pair]) -> Vec<Cluster> {
    let mut uf = UnionFind::new(n);
    for p in pairs {
        uf.union(p.a, p.b);
    }
    let mut groups: ahash::AHashMap<u32, Vec<DocIndex>> = ahash::AHashMap::new();
    let mut touched: Vec<DocIndex> = pairs.iter().flat_map(|p| [p.a, p.b]).collect();
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
    use crate::pipeline::Verdict;
    use crate::verify::Overlap;

    fn pair(a: u32, b: u32) -> Pair {
        Pair {
            a,
            b,
            overlap: Overlap {
                jaccard: 1.0,
                containment_a_in_b: 1.0,
                containment_b_in_a: 1.0,
                shared: 1,
            },
            score: 1.0,
            verdict: Verdict::Duplicate,
            alignment: None,
        }
    }

    #[test]
    fn components_are_ordered_deterministically() {
        let pairs = [pair(5, 6), pair(1, 2), pair(2, 3), pair(0, 7)];
        let c = clusters(8, &pairs);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].members, vec![1, 2, 3]);
        assert_eq!(c[1].members, vec![0, 7]);
        assert_eq!(c[2].members, vec![5, 6]);
        assert_eq!(c[2].id, 2);
        // Same clusters whatever the pair order.
        let mut rev = pairs.to_vec();
        rev.reverse();
        assert_eq!(clusters(8, &rev), c);
    }

    #[test]
    fn keep_first_or_longest() {
        let mut docs = DocTable::default();
        docs.push("a", 0, 1, 0, 10);
        docs.push("b", 0, 2, 0, 30);
        docs.push("c", 0, 3, 0, 30);
        let c = clusters(3, &[pair(0, 1), pair(1, 2)]);
        assert_eq!(kept(&c[0], &docs, Keep::First), 0);
        assert_eq!(kept(&c[0], &docs, Keep::Longest), 1);
        assert_eq!(
            dropped(3, &c, &docs, Keep::Longest),
            vec![true, false, true]
        );
    }
}
