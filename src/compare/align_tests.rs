use super::*;

fn analyzed(text: &str) -> Analyzed {
    Analyzer::default().analyze(text, &|_| false)
}

const A: &str = "The minister said on Thursday that talks in Cairo were making progress.\n\n\
Officials expect a truce to be announced within the next 24 hours.\n\n\
Heavy rain flooded villages along the northern river valley overnight.";

// Reordered, reworded, one paragraph split, one added.
const B: &str = "A truce is expected to be announced by officials in the next 24 hours.\n\n\
Talks in Cairo are making progress, the minister said on Thursday. He spoke to reporters.\n\n\
Football: the home team won the cup final after extra time.";

#[test]
fn aligns_reordered_paragraphs_and_leaves_added_ones_unmatched() {
    let a = analyzed(A);
    let b = analyzed(B);
    let al = align(&a, &b, &AlignParams::default());
    let pairs: Vec<(Vec<usize>, Vec<usize>)> = al
        .links
        .iter()
        .map(|l| (l.a.clone(), l.b.clone()))
        .collect();
    assert_eq!(pairs, vec![(vec![0], vec![1]), (vec![1], vec![0])]);
    assert_eq!(al.unmatched_a, vec![2]);
    assert_eq!(al.unmatched_b, vec![2]);
    assert!(al.links.iter().any(|l| l.moved));
    assert!(
        al.coverage_a > 0.5 && al.coverage_a < 0.8,
        "{}",
        al.coverage_a
    );
}

#[test]
fn lists_align_only_with_identical_copies() {
    let prose = "Ireland have named their side for the match against England on Saturday.";
    let after = "The coach said that he was happy with the way the squad had trained.";
    let line_up = "Murphy, Dempsey, Horgan, Maggs, Hickie, O'Gara, Stringer, Corrigan, Byrne.";
    // The same team a week later: one player changed, another moved.
    let other = "Murphy, Horgan, Dempsey, Maggs, Bowe, O'Gara, Stringer, Corrigan, Byrne.";
    let other_story = "Their opponents arrived in Dublin on Thursday and trained in the rain.";
    let a = analyzed(&format!("{prose}\n\n{line_up}\n\n{after}"));
    let b = analyzed(&format!("{other_story}\n\n{other}"));
    assert!(a.units[1].list && b.units[1].list);
    assert!(
        unit_similarity(
            &a.units[1].stems,
            &b.units[1].stems,
            &UnitIdf::from_docs(&[&a, &b]),
            3
        ) > 0.5
    );
    let al = align(&a, &b, &AlignParams::default());
    assert!(al.units.is_empty(), "{:?}", al.units);
    // A copied list is reuse.
    let c = analyzed(&format!("{other_story}\n\n{line_up}"));
    let al = align(&a, &c, &AlignParams::default());
    assert_eq!(
        al.units.iter().map(|l| (l.a, l.b)).collect::<Vec<_>>(),
        vec![(1, 1)]
    );
}

#[test]
fn identical_texts_align_fully_and_identically() {
    let a = analyzed(A);
    let al = align(&a, &a, &AlignParams::default());
    assert_eq!(al.links.len(), 3);
    assert!(al
        .links
        .iter()
        .all(|l| l.kind == LinkKind::Identical && !l.moved));
    assert!((al.coverage_a - 1.0).abs() < 1e-12);
    assert!(al.unmatched_a.is_empty() && al.unmatched_b.is_empty());
}

#[test]
fn unrelated_texts_do_not_align() {
    let a = analyzed(A);
    let b = analyzed(
        "Football: the home team won the cup final after extra time.\n\nThe striker scored twice.",
    );
    let al = align(&a, &b, &AlignParams::default());
    assert!(al.links.is_empty());
    assert_eq!(al.coverage_a, 0.0);
}

#[test]
fn split_paragraphs_give_one_to_many_links() {
    let a = analyzed("The committee approved the budget for schools and hospitals on Monday. Opposition members criticised the spending plan as reckless and unfunded.");
    let b = analyzed("On Monday the committee approved the schools and hospitals budget.\n\nThe spending plan was criticised by opposition members as unfunded and reckless.");
    let al = align(&a, &b, &AlignParams::default());
    assert_eq!(al.links.len(), 1, "{:?}", al.links);
    assert_eq!(al.links[0].a, vec![0]);
    assert_eq!(al.links[0].b, vec![0, 1]);
}

#[test]
fn link_kinds_follow_token_similarity() {
    let mut an = Analyzer::default();
    let t = |s: &str, an: &mut Analyzer| an.tokens(s);
    let base = "the minister said talks in cairo were making progress on thursday";
    assert_eq!(
        link_kind(&t(base, &mut an), &t(base, &mut an)),
        LinkKind::Identical
    );
    assert_eq!(
        link_kind(
            &t(base, &mut an),
            &t(
                "the minister said talks in doha were making good progress on friday",
                &mut an
            )
        ),
        LinkKind::Edited
    );
    assert_eq!(
        link_kind(
            &t(base, &mut an),
            &t(
                "progress is being made in cairo negotiations, according to the minister",
                &mut an
            )
        ),
        LinkKind::Paraphrase
    );
}

#[test]
fn unit_similarity_is_symmetric_and_bounded() {
    let a = analyzed(A);
    let b = analyzed(B);
    let idf = UnitIdf::from_docs(&[&a, &b]);
    for ua in &a.units {
        for ub in &b.units {
            let x = unit_similarity(&ua.stems, &ub.stems, &idf, 3);
            let y = unit_similarity(&ub.stems, &ua.stems, &idf, 3);
            assert!((x - y).abs() < 1e-12);
            assert!((0.0..=1.0).contains(&x));
        }
        assert!(unit_similarity(&ua.stems, &ua.stems, &idf, 3) > 0.99 || ua.stems.len() < 3);
    }
}

// Differential tests: the aligner's fast paths against the straightforward code they
// replaced, which must give the same alignments bit for bit.

mod differential {
    use super::super::*;
    use proptest::prelude::*;

    /// The O(n^2) dynamic programme `mark_moved` used before patience sorting.
    fn longest_increasing_quadratic(keys: &[usize]) -> Vec<bool> {
        let n = keys.len();
        let mut keep = vec![false; n];
        if n == 0 {
            return keep;
        }
        let mut len = vec![1usize; n];
        let mut prev = vec![usize::MAX; n];
        for i in 0..n {
            for j in 0..i {
                if keys[j] < keys[i] && len[j] + 1 > len[i] {
                    len[i] = len[j] + 1;
                    prev[i] = j;
                }
            }
        }
        let mut best = (0..n)
            .max_by_key(|&i| (len[i], std::cmp::Reverse(i)))
            .unwrap_or(0);
        loop {
            keep[best] = true;
            if prev[best] == usize::MAX {
                break;
            }
            best = prev[best];
        }
        keep
    }

    /// Unit similarity with the weights looked up per call, as before they were
    /// precomputed.
    fn unit_similarity_per_call(
        a: &[TermHash],
        b: &[TermHash],
        idf: &UnitIdf,
        min_shared: usize,
    ) -> f64 {
        let (mut i, mut j) = (0, 0);
        let (mut shared, mut wc) = (0usize, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    wc += idf.idf(a[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        if shared < min_shared {
            return 0.0;
        }
        let wa: f64 = a.iter().map(|&s| idf.idf(s)).sum();
        let wb: f64 = b.iter().map(|&s| idf.idf(s)).sum();
        if wa + wb <= 0.0 {
            return 0.0;
        }
        let dice = 2.0 * wc / (wa + wb);
        let small = a.len().min(b.len());
        let containment = if small >= 5 && wa.min(wb) > 0.0 {
            wc / wa.min(wb)
        } else {
            0.0
        };
        dice.max(0.8 * containment).min(1.0)
    }

    /// Candidate pairs with a hash map of counts and one sort at the end, as before.
    fn candidates_hashmap(a: &Analyzed, b: &Analyzed) -> Vec<(usize, usize)> {
        let mut post: AHashMap<TermHash, Vec<u32>> = AHashMap::new();
        for (j, u) in b.units.iter().enumerate() {
            for &s in &u.stems {
                post.entry(s).or_default().push(j as u32);
            }
        }
        let cap = ((b.units.len() as f64 * 0.2) as usize).clamp(3, 64);
        let mut out = Vec::new();
        let mut counts: AHashMap<u32, u32> = AHashMap::new();
        for (i, u) in a.units.iter().enumerate() {
            counts.clear();
            for s in &u.stems {
                if let Some(p) = post.get(s) {
                    if p.len() <= cap {
                        for &j in p {
                            *counts.entry(j).or_insert(0) += 1;
                        }
                    }
                }
            }
            for (&j, &c) in &counts {
                let small = u.stems.len().min(b.units[j as usize].stems.len());
                if c >= 2 || (c >= 1 && small <= 4) {
                    out.push((i, j as usize));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// A document whose units have the given stems (drawn from a small vocabulary, so
    /// units share many).
    fn doc(units: Vec<Vec<u64>>) -> Analyzed {
        let units = units
            .into_iter()
            .enumerate()
            .map(|(p, mut stems)| {
                stems.sort_unstable();
                stems.dedup();
                Unit {
                    para: p as u32,
                    span: 0..0,
                    chars: 0..0,
                    tokens: stems.clone(),
                    stems,
                    list: false,
                }
            })
            .collect();
        Analyzed {
            units,
            ..Default::default()
        }
    }

    fn units() -> impl Strategy<Value = Vec<Vec<u64>>> {
        prop::collection::vec(prop::collection::vec(0u64..40, 0..12), 0..40)
    }

    proptest! {
        #[test]
        fn patience_sorting_picks_the_quadratic_chain(
            keys in prop::collection::vec(0usize..30, 0..120)
        ) {
            prop_assert_eq!(longest_increasing(&keys), longest_increasing_quadratic(&keys));
        }

        #[test]
        fn precomputed_weights_give_identical_similarities(ua in units(), ub in units()) {
            let (a, b) = (doc(ua), doc(ub));
            let idf = UnitIdf::from_docs(&[&a, &b]);
            let (wa, wb) = (Weighted::units(&a, &idf), Weighted::units(&b, &idf));
            for (x, wx) in a.units.iter().zip(&wa) {
                for (y, wy) in b.units.iter().zip(&wb) {
                    for min_shared in [1, 3] {
                        let old = unit_similarity_per_call(&x.stems, &y.stems, &idf, min_shared);
                        prop_assert_eq!(weighted_similarity(wx, wy, min_shared).to_bits(), old.to_bits());
                        prop_assert_eq!(unit_similarity(&x.stems, &y.stems, &idf, min_shared).to_bits(), old.to_bits());
                    }
                }
            }
        }

        #[test]
        fn dense_counts_give_the_same_candidates(ua in units(), ub in units()) {
            let (a, b) = (doc(ua), doc(ub));
            prop_assert_eq!(candidates(&a, &b), candidates_hashmap(&a, &b));
        }
    }

    #[test]
    fn patience_sorting_handles_ties_and_runs() {
        for keys in [
            vec![],
            vec![5],
            vec![3, 3, 3],
            vec![5, 4, 3, 2, 1],
            vec![1, 2, 3, 4],
            vec![2, 1, 4, 3, 6, 5],
            vec![0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15],
        ] {
            assert_eq!(
                longest_increasing(&keys),
                longest_increasing_quadratic(&keys),
                "{keys:?}"
            );
        }
    }
}
