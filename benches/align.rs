//! Criterion suites for the pair path: analysis, the paragraph aligner, and the whole
//! pair API (`Comparer`), on a short pair, the seed news pair 002-003, and long
//! documents of 100 to 3,000 paragraphs built from the seeds (benches/common).
//! Throughput is in bytes of the two texts. Every bench compares its result with one
//! computed before timing (and sanity-checked: verdict, link counts), so it cannot
//! silently measure nothing. See benches/README.md.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use reprint::compare::align::{align, AlignParams, Alignment, Analyzed, Analyzer};
use reprint::compare::verdict::Verdict;
use reprint::compare::Comparer;

/// Paragraph counts of the scaling runs.
const SIZES: [usize; 4] = [100, 300, 1000, 3000];

/// The named inputs of the `analyze` and `compare` groups.
fn inputs() -> Vec<(String, String, String)> {
    let (sa, sb) = common::short_pair();
    let (na, nb) = common::news_pair();
    let (la, lb) = common::long_pair(1000);
    vec![
        ("short".to_owned(), sa, sb),
        ("news".to_owned(), na, nb),
        ("paragraphs/1000".to_owned(), la, lb),
    ]
}

fn analyzed(text: &str) -> Analyzed {
    Analyzer::default().analyze(text, &|_| false)
}

/// Checks the reference alignment of a long pair of `n` paragraphs: most paragraphs
/// linked, most of both texts covered.
fn check_long(n: usize, al: &Alignment) {
    assert!(
        al.links.len() * 10 >= n * 7,
        "{n} paragraphs: only {} links",
        al.links.len()
    );
    assert!(al.coverage_a > 0.9 && al.coverage_b > 0.9, "{n}: {al:?}");
    assert!(al.links.iter().any(|l| l.moved), "{n}: nothing moved");
}

fn analyze(c: &mut Criterion) {
    let mut g = c.benchmark_group("analyze");
    for (name, a, b) in inputs() {
        let (ua, ub) = (analyzed(&a).units.len(), analyzed(&b).units.len());
        assert!(ua > 0 && ub > 0);
        g.throughput(Throughput::Bytes((a.len() + b.len()) as u64));
        let mut an = Analyzer::default();
        g.bench_function(&name, |bn| {
            bn.iter(|| {
                let x = an.analyze(black_box(&a), &|_| false);
                let y = an.analyze(black_box(&b), &|_| false);
                assert_eq!((x.units.len(), y.units.len()), (ua, ub));
                (x, y)
            })
        });
    }
    g.finish();
}

fn align_pairs(c: &mut Criterion) {
    let mut g = c.benchmark_group("align");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .sampling_mode(SamplingMode::Flat);
    let params = AlignParams::default();
    let mut cases: Vec<(String, String, String)> = Vec::new();
    let (sa, sb) = common::short_pair();
    cases.push(("short".to_owned(), sa, sb));
    let (na, nb) = common::news_pair();
    cases.push(("news".to_owned(), na, nb));
    for n in SIZES {
        let (a, b) = common::long_pair(n);
        cases.push((format!("paragraphs/{n}"), a, b));
    }
    for (name, a, b) in cases {
        let (x, y) = (analyzed(&a), analyzed(&b));
        let reference = align(&x, &y, &params);
        match name.as_str() {
            // One sentence each: IDF over two units leaves no link (short texts are
            // judged by sentence equivalence instead, see the `compare` group).
            "short" => {}
            "news" => assert!(reference.links.len() >= 20, "{reference:?}"),
            long => check_long(long["paragraphs/".len()..].parse().unwrap(), &reference),
        }
        g.throughput(Throughput::Bytes((a.len() + b.len()) as u64));
        g.bench_function(&name, |bn| {
            bn.iter(|| {
                let al = align(black_box(&x), black_box(&y), &params);
                assert_eq!(al.units, reference.units);
                assert_eq!(al.links.len(), reference.links.len());
                al
            })
        });
    }
    g.finish();
}

fn compare(c: &mut Criterion) {
    let mut g = c.benchmark_group("compare");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .sampling_mode(SamplingMode::Flat);
    for (name, a, b) in inputs() {
        let mut cmp = Comparer::default();
        let reference = cmp.compare_texts(&a, &b);
        let expected = match name.as_str() {
            "short" => Verdict::Rewrite,
            "news" => Verdict::Rewrite,
            _ => Verdict::NearDuplicate,
        };
        assert_eq!(reference.verdict, Some(expected), "{name}");
        g.throughput(Throughput::Bytes((a.len() + b.len()) as u64));
        g.bench_function(BenchmarkId::from_parameter(&name), |bn| {
            bn.iter(|| {
                let r = cmp.compare_texts(black_box(&a), black_box(&b));
                assert_eq!(r.verdict, reference.verdict);
                assert_eq!(r.alignment.links, reference.alignment.links);
                r.score
            })
        });
    }
    g.finish();
}

criterion_group!(benches, analyze, align_pairs, compare);
criterion_main!(benches);
