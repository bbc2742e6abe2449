//! Criterion suites for `reprint diff` rendering: the terminal view (side by side,
//! coloured), the JSON document and the HTML page, for the seed news pair 002-003 and
//! a 1,000-paragraph pair (benches/common). The comparison is computed once before
//! timing; what is timed is the rendering, including the word-level diff of every
//! aligned paragraph group. Throughput is in bytes of the two texts. Every bench checks
//! that its output shows every link. See benches/README.md.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use reprint::compare::{Comparer, Prepared};
use reprint::report::diff::{write_html, write_json, write_terminal, Color, DiffView, Side};

struct Case {
    name: &'static str,
    a: String,
    b: String,
}

fn cases() -> Vec<Case> {
    let (na, nb) = common::news_pair();
    let (la, lb) = common::long_pair(1000);
    vec![
        Case {
            name: "news",
            a: na,
            b: nb,
        },
        Case {
            name: "paragraphs-1000",
            a: la,
            b: lb,
        },
    ]
}

fn diff(c: &mut Criterion) {
    let mut g = c.benchmark_group("diff");
    g.sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .sampling_mode(SamplingMode::Flat);
    for case in cases() {
        let mut cmp = Comparer::default();
        let pa: Prepared = cmp.prepare(&case.a, &|_| false);
        let pb: Prepared = cmp.prepare(&case.b, &|_| false);
        let comparison = cmp.compare(&pa, &pb, None);
        let links = comparison.alignment.links.len();
        assert!(links >= 20, "{}: {links} links", case.name);
        let view = DiffView::new(
            Side {
                id: "a",
                text: &case.a,
                analyzed: &pa.analyzed,
            },
            Side {
                id: "b",
                text: &case.b,
                analyzed: &pb.analyzed,
            },
            &comparison,
        );
        // The JSON document lists every link (checked once, parsed).
        let mut out = Vec::new();
        write_json(&mut out, &view).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["alignments"].as_array().unwrap().len(), links);
        let json_len = out.len();

        g.throughput(Throughput::Bytes((case.a.len() + case.b.len()) as u64));
        g.bench_function(BenchmarkId::new("terminal", case.name), |bn| {
            bn.iter(|| {
                out.clear();
                write_terminal(&mut out, black_box(&view), 110, Color::Always).unwrap();
                let s = std::str::from_utf8(&out).unwrap();
                assert_eq!(s.matches("] <-> B[").count(), links);
                out.len()
            })
        });
        // The word-level changes, computed once per view (the renderers reuse them).
        g.bench_function(BenchmarkId::new("changes", case.name), |bn| {
            bn.iter(|| {
                reprint::compare::changes::link_changes(
                    (&case.a, &pa.analyzed),
                    (&case.b, &pb.analyzed),
                    black_box(&comparison.alignment),
                )
            })
        });
        g.bench_function(BenchmarkId::new("json", case.name), |bn| {
            bn.iter(|| {
                out.clear();
                write_json(&mut out, black_box(&view)).unwrap();
                assert_eq!(out.len(), json_len);
                out.len()
            })
        });
        g.bench_function(BenchmarkId::new("html", case.name), |bn| {
            bn.iter(|| {
                out.clear();
                write_html(&mut out, black_box(&view)).unwrap();
                let s = std::str::from_utf8(&out).unwrap();
                assert_eq!(s.matches("<td class=\"link\">A[").count(), links);
                out.len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, diff);
criterion_main!(benches);
