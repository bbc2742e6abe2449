//! Union-find (disjoint sets) over dense `u32` ids, with path halving and union by
//! size. A leaf module: the aligner groups sentence links with it and clustering groups
//! documents with it; it depends on nothing in the crate.

/// Union-find with path halving and union by size.
///
/// ```
/// use reprint::cluster::UnionFind;
/// let mut uf = UnionFind::new(5); // {0} {1} {2} {3} {4}
/// uf.union(0, 1);
/// uf.union(3, 4);
/// uf.union(1, 4); // {0, 1, 3, 4} {2}
/// assert_eq!(uf.find(0), uf.find(3));
/// assert_ne!(uf.find(0), uf.find(2));
/// assert_eq!(uf.find(2), 2);
/// ```
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_finds() {
        let mut uf = UnionFind::new(5);
        uf.union(0, 1);
        uf.union(3, 4);
        uf.union(1, 4);
        assert_eq!(uf.find(0), uf.find(3));
        assert_ne!(uf.find(0), uf.find(2));
    }
}
