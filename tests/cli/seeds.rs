//! The seed corpus as a regression test of the rewrite detector: the AFP story and its
//! rewrite, the pair sharing AP quotes, and independent same-story coverage.

use reprint::compare::docscore::DocIdf;
use reprint::compare::verdict::Verdict;
use reprint::compare::Comparer;

fn seed(prefix: &str) -> String {
    std::fs::read_to_string(crate::util::seed_path(prefix)).unwrap()
}

#[test]
fn seed_pairs_get_the_expected_verdicts() {
    let names = ["000", "001", "002", "003", "004"];
    let texts: Vec<String> = names.iter().map(|n| seed(n)).collect();
    let mut cmp = Comparer::new(5);
    let prepared: Vec<_> = texts.iter().map(|t| cmp.prepare(t, &|_| false)).collect();
    let mut idf = DocIdf::new();
    for p in &prepared {
        idf.add(&p.analyzed.stems);
    }
    for i in 0..5 {
        for j in i + 1..5 {
            let c = cmp.compare(&prepared[i], &prepared[j], Some(&idf));
            eprintln!(
                "{}-{}: {:?} score {:.3} coverage {:.2}/{:.2} links {} J {:.3}",
                names[i],
                names[j],
                c.verdict,
                c.score,
                c.coverage_a,
                c.coverage_b,
                c.alignment.units.len(),
                c.overlap.jaccard
            );
            match (names[i], names[j]) {
                ("002", "003") => assert_eq!(c.verdict, Some(Verdict::Rewrite)),
                ("000", "001") => assert_eq!(c.verdict, Some(Verdict::Partial)),
                _ => assert!(
                    !matches!(
                        c.verdict,
                        Some(Verdict::Rewrite | Verdict::Duplicate | Verdict::NearDuplicate)
                    ),
                    "{}-{} is {:?}",
                    names[i],
                    names[j],
                    c.verdict
                ),
            }
        }
    }
}
