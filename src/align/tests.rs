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
