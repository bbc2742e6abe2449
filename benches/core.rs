//! Criterion suites for the near-duplicate stages. Throughput is in bytes of text
//! where a stage reads text. Every bench checks its result, so it cannot silently
//! measure nothing. See benches/README.md.

use std::hint::black_box;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use reprint::lsh::{BandIndex, LshParams};
use reprint::shingle::Shingler;
use reprint::sketch::{MinHasher, Scheme};
use reprint::text::Tokenizer;
use reprint::verify::overlap;

/// A deterministic news-like text of about `words` words.
fn text(seed: u64, words: usize) -> String {
    const VOCAB: &[&str] = &[
        "the",
        "minister",
        "said",
        "on",
        "Thursday",
        "that",
        "talks",
        "with",
        "mediators",
        "in",
        "Cairo",
        "were",
        "making",
        "progress,",
        "and",
        "a",
        "deal",
        "could",
        "free",
        "hostages.",
        "Police",
        "reported",
        "31,988",
        "people",
        "displaced",
        "by",
        "the",
        "storm",
        "across",
        "southern",
        "regions",
        "of",
        "country's",
        "coast.",
        "\u{201C}We",
        "are",
        "close\u{201D},",
        "she",
        "added",
        "\u{2014}",
        "officials",
        "confirmed",
    ];
    let mut x = seed | 1;
    let mut out = String::new();
    for i in 0..words {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(VOCAB[(x % VOCAB.len() as u64) as usize]);
        out.push(if i % 60 == 59 { '\n' } else { ' ' });
    }
    out
}

fn tokenize(c: &mut Criterion) {
    let mut g = c.benchmark_group("tokenize");
    for (name, t) in [
        (
            "ascii",
            text(1, 600).replace(['\u{201C}', '\u{201D}', '\u{2014}'], "\""),
        ),
        ("typographic", text(1, 600)),
        (
            "non-latin",
            "Газа и Израиль: переговоры о перемирии продолжаются. ".repeat(60),
        ),
    ] {
        g.throughput(Throughput::Bytes(t.len() as u64));
        let mut tok = Tokenizer::default();
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0usize;
                tok.for_each_word(black_box(&t), |w| n += w.len());
                assert!(n > 0);
                n
            })
        });
    }
    g.finish();
}

fn shingle(c: &mut Criterion) {
    let mut g = c.benchmark_group("shingle");
    let t = text(2, 600);
    g.throughput(Throughput::Bytes(t.len() as u64));
    for n in [1, 3, 5] {
        let mut s = Shingler::new(n);
        let mut out = Vec::new();
        g.bench_with_input(BenchmarkId::new("ngram", n), &n, |b, _| {
            b.iter(|| {
                out.clear();
                let words = s.shingles(black_box(&t), &mut out);
                assert!(words > 500 && !out.is_empty());
                out.len()
            })
        });
    }
    g.finish();
}

fn minhash(c: &mut Criterion) {
    let mut g = c.benchmark_group("minhash");
    let t = text(3, 600);
    let mut shingles = Vec::new();
    Shingler::new(5).shingles(&t, &mut shingles);
    g.throughput(Throughput::Bytes(t.len() as u64));
    for scheme in [Scheme::OnePermutation, Scheme::MultiplyShift] {
        for k in [64, 128, 256] {
            let h = MinHasher::new(scheme, k);
            // The slot-by-slot definition, computed once: every timed signature must
            // equal it.
            let reference = h.sketch_reference(&shingles).unwrap();
            let mut sig = vec![0u64; k];
            g.bench_function(BenchmarkId::new(scheme.name(), k), |b| {
                b.iter(|| {
                    assert!(h.sketch_into(black_box(&shingles), &mut sig));
                    assert_eq!(sig, reference);
                    sig[0]
                })
            });
        }
    }
    g.finish();
}

fn lsh(c: &mut Criterion) {
    let mut g = c.benchmark_group("lsh");
    // Milliseconds per iteration: equal-size samples fit the default time.
    g.sampling_mode(SamplingMode::Flat);
    let params = LshParams::for_threshold(0.8, 128).unwrap();
    let h = MinHasher::new(Scheme::OnePermutation, 128);
    let docs = 5_000u64;
    // Every tenth document is a copy of the one before it.
    let keys: Vec<Vec<u64>> = (0..docs)
        .map(|i| {
            let seed = if i % 10 == 9 { i - 1 } else { i };
            let shingles: Vec<u64> = (0..300).map(|j| seed * 1_000_003 + j).collect();
            let sig = h.sketch(&shingles).unwrap();
            let mut k = vec![0u64; params.bands()];
            params.band_keys(&sig, &mut k);
            k
        })
        .collect();
    g.throughput(Throughput::Elements(docs));
    g.bench_function("insert_and_query_5k_docs", |b| {
        b.iter(|| {
            let mut idx = BandIndex::new(params.bands());
            for k in &keys {
                idx.push(Some(k));
            }
            let (pairs, _) = idx.candidates(500);
            assert_eq!(pairs.len(), (docs / 10) as usize);
            pairs.len()
        })
    });
    g.bench_function("insert_5k_docs", |b| {
        b.iter(|| {
            let mut idx = BandIndex::new(params.bands());
            for k in &keys {
                idx.push(Some(black_box(k)));
            }
            assert_eq!(idx.len(), docs as usize);
            idx
        })
    });
    let mut idx = BandIndex::new(params.bands());
    for k in &keys {
        idx.push(Some(k));
    }
    g.bench_function("query_5k_docs", |b| {
        b.iter(|| {
            let (pairs, _) = black_box(&idx).candidates(500);
            assert_eq!(pairs.len(), (docs / 10) as usize);
            pairs.len()
        })
    });
    g.finish();
}

fn verify(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    let a = text(4, 600);
    let b_text = a.replacen("said", "told", 3);
    let (sa, _) = Shingler::new(5).shingle_set(&a);
    let (sb, _) = Shingler::new(5).shingle_set(&b_text);
    g.throughput(Throughput::Bytes((a.len() + b_text.len()) as u64));
    g.bench_function("shingle_sets_and_overlap", |b| {
        let mut s = Shingler::new(5);
        b.iter(|| {
            let (x, _) = s.shingle_set(black_box(&a));
            let (y, _) = s.shingle_set(black_box(&b_text));
            let o = overlap(&x, &y);
            assert!(o.jaccard > 0.5 && o.jaccard < 1.0);
            o.shared
        })
    });
    g.bench_function("overlap_only", |b| {
        b.iter(|| {
            let o = overlap(black_box(&sa), black_box(&sb));
            assert!(o.jaccard > 0.5);
            o.shared
        })
    });
    g.finish();
}

criterion_group!(benches, tokenize, shingle, minhash, lsh, verify);
criterion_main!(benches);
