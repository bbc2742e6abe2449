//! Clusters: connected components of verified pairs, and what dedup keeps.
//!
//! Cluster ids are deterministic: clusters are ordered by size (largest first), then
//! by their first member in corpus order, and numbered from 0 in that order. Members
//! are listed in corpus order.

mod keep;
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
///
/// The field policies compare the value of the read options' extra field
/// ([`crate::corpus::ReadOptions::extra_field`], kept in [`DocTable::field`]). A
/// document whose field is missing, `null`, or not a value of the policy's kind (an
/// ISO 8601 date or date-time for [`Keep::Earliest`] and [`Keep::Newest`], a finite
/// number or a string holding one for [`Keep::Max`]) loses to every document that has
/// one; when no member has one, the first is kept. Ties go to the first in corpus
/// order, in every policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// The first in corpus order.
    #[default]
    First,
    /// The one with the most words (ties: the first).
    Longest,
    /// The one with the earliest date in the field.
    Earliest,
    /// The one with the latest date in the field.
    Newest,
    /// The one with the largest number in the field.
    Max,
}

impl Keep {
    /// True for the policies that read a field.
    pub fn uses_field(self) -> bool {
        matches!(self, Keep::Earliest | Keep::Newest | Keep::Max)
    }

    /// True when `value` is one the policy can compare (always true for the
    /// policies that read no field).
    pub fn is_usable(self, value: Option<&str>) -> bool {
        match self {
            Keep::First | Keep::Longest => true,
            Keep::Earliest | Keep::Newest => value.and_then(keep::parse_instant).is_some(),
            Keep::Max => value.and_then(keep::parse_number).is_some(),
        }
    }
}

/// The document kept from a cluster.
///
/// ```
/// use reprint::cluster::{clusters, kept, Keep};
/// use reprint::corpus::DocTable;
/// let mut docs = DocTable::default();
/// for (i, date) in [None, Some("2024-05-02"), Some("2024-05-01T23:00:00-02:00")].into_iter().enumerate() {
///     let d = docs.push(&format!("d{i}"), 0, i as u64 + 1, 0, 10);
///     docs.set_field(d, date);
/// }
/// let c = &clusters(3, [(0, 1), (1, 2)])[0];
/// assert_eq!(kept(c, &docs, Keep::Earliest), 1); // 2024-05-02T01:00Z is later
/// assert_eq!(kept(c, &docs, Keep::Newest), 2);
/// assert_eq!(kept(c, &docs, Keep::Max), 0); // no numbers: the first
/// ```
pub fn kept(cluster: &Cluster, docs: &DocTable, keep: Keep) -> DocIndex {
    let first = cluster.members[0];
    // The first member with the best value: `better(x, y)` is true when x beats y.
    fn best<T>(
        members: &[DocIndex],
        value: impl Fn(DocIndex) -> Option<T>,
        better: impl Fn(&T, &T) -> bool,
    ) -> Option<DocIndex> {
        let mut top: Option<(DocIndex, T)> = None;
        for &m in members {
            if let Some(v) = value(m) {
                if top.as_ref().is_none_or(|(_, t)| better(&v, t)) {
                    top = Some((m, v));
                }
            }
        }
        top.map(|(m, _)| m)
    }
    let m = &cluster.members;
    let date = |d: DocIndex| docs.field(d).and_then(keep::parse_instant);
    let found = match keep {
        Keep::First => Some(first),
        Keep::Longest => best(m, |d| Some(docs.words(d)), |x, y| x > y),
        Keep::Earliest => best(m, date, |x, y| x < y),
        Keep::Newest => best(m, date, |x, y| x > y),
        Keep::Max => best(
            m,
            |d| docs.field(d).and_then(keep::parse_number),
            |x, y| keep::cmp_number(*x, *y).is_gt(),
        ),
    };
    found.unwrap_or(first)
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

    #[test]
    fn field_policies_skip_unusable_values_and_break_ties_by_order() {
        let mut docs = DocTable::default();
        let fields = [
            Some("2024-05-03"),
            Some("not a date"),
            Some("2024-05-01T10:00:00Z"),
            None,
            Some("2024-05-01T12:00:00+02:00"), // the same instant as doc 2
            Some("2024-05-03T00:00:00Z"),      // the same instant as doc 0
        ];
        for (i, f) in fields.iter().enumerate() {
            let d = docs.push(&i.to_string(), 0, i as u64 + 1, 0, 5);
            docs.set_field(d, *f);
        }
        let c = &clusters(6, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)])[0];
        assert_eq!(kept(c, &docs, Keep::Earliest), 2);
        assert_eq!(kept(c, &docs, Keep::Newest), 0);
        assert!(!Keep::Earliest.is_usable(Some("not a date")));
        assert!(!Keep::Newest.is_usable(None));
        assert!(Keep::First.is_usable(None));

        let mut docs = DocTable::default();
        for (i, f) in [Some("x"), Some("2"), None, Some("10"), Some("1e1")]
            .iter()
            .enumerate()
        {
            let d = docs.push(&i.to_string(), 0, i as u64 + 1, 0, 5);
            docs.set_field(d, *f);
        }
        let c = &clusters(5, [(0, 1), (1, 2), (2, 3), (3, 4)])[0];
        assert_eq!(kept(c, &docs, Keep::Max), 3);
        // Nobody has a usable value: the first.
        let c = &clusters(5, [(0, 2)])[0];
        assert_eq!(kept(c, &docs, Keep::Max), 0);
    }
}
