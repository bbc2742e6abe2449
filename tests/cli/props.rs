//! Property tests: the near-dup verifier against a naive all-pairs model, the
//! tokenizer's idempotence, the comparer's symmetry, and parsers that never panic.
//! Cases that spawn the binary are few (each is a process); library cases are many.

use std::collections::BTreeMap;

use proptest::prelude::*;
use reprint::compare::Comparer;
use reprint::shingle::Shingler;
use reprint::text::{fold_punctuation, words};
use reprint::verify::overlap;

use crate::util::{json_lines, reprint};

/// A tiny vocabulary, so random documents share some trigrams by chance.
const VOCAB: &[&str] = &[
    "rain", "court", "vote", "price", "river", "strike", "budget", "storm", "train", "port",
    "film", "farm",
];

fn doc_words(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(VOCAB), len)
}

/// A corpus of 5-30 documents; about a third are near-copies of an earlier one with a
/// few words replaced (the replacements drawn per copy).
fn corpus() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        (
            doc_words(20..60),
            any::<prop::sample::Index>(),
            0u8..3,
            prop::collection::vec((any::<prop::sample::Index>(), 0..VOCAB.len()), 0..6),
        ),
        5..30,
    )
    .prop_map(|specs| {
        let mut docs: Vec<Vec<&str>> = Vec::new();
        for (fresh, of, kind, edits) in specs {
            let d = if kind == 0 && !docs.is_empty() {
                let mut c = docs[of.index(docs.len())].clone();
                for (at, w) in edits {
                    let i = at.index(c.len());
                    c[i] = VOCAB[w];
                }
                c
            } else {
                fresh
            };
            docs.push(d);
        }
        docs.into_iter().map(|d| d.join(" ")).collect()
    })
}

const NGRAM: usize = 3;
const THRESHOLD: f64 = 0.5;
/// 40 bands of 3 rows: a pair at Jaccard 0.55 becomes a candidate with probability
/// 1 - (1 - 0.55^3)^40 > 0.9995, and the chance only grows above it.
const BANDS: &str = "40";
const ROWS: &str = "3";
const MARGIN: f64 = 0.05;

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// `pairs --mode near-dup` reports exactly the pairs at or above the threshold by
    /// exact Jaccard, with the exact figure: no false pair, and none missed above a
    /// small margin (where LSH's miss chance is negligible).
    #[test]
    fn near_dup_pairs_match_naive_all_pairs(docs in corpus()) {
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<serde_json::Value> = docs
            .iter()
            .enumerate()
            .map(|(i, t)| serde_json::json!({"id": format!("d{i:02}"), "text": t}))
            .collect();
        let f = crate::util::jsonl(dir.path(), "c.jsonl", &rows);
        let out = reprint()
            .args(["pairs", "-q", "--mode", "near-dup", "--format", "jsonl"])
            .args(["--ngram", &NGRAM.to_string(), "--threshold", &THRESHOLD.to_string()])
            .args(["--bands", BANDS, "--rows", ROWS])
            .arg(&f)
            .output()
            .unwrap();
        let code = out.status.code();
        prop_assert!(code == Some(0) || code == Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let mut reported: BTreeMap<(String, String), f64> = BTreeMap::new();
        for r in json_lines(&out.stdout) {
            let key = (r["a"].as_str().unwrap().to_owned(), r["b"].as_str().unwrap().to_owned());
            prop_assert!(reported.insert(key, r["jaccard"].as_f64().unwrap()).is_none(), "pair twice");
        }
        prop_assert_eq!(code == Some(0), !reported.is_empty());

        let mut sh = Shingler::new(NGRAM);
        let sets: Vec<Vec<u64>> = docs.iter().map(|t| sh.shingle_set(t).0).collect();
        for i in 0..docs.len() {
            for j in i + 1..docs.len() {
                let exact = overlap(&sets[i], &sets[j]).jaccard;
                let key = (format!("d{i:02}"), format!("d{j:02}"));
                match reported.remove(&key) {
                    Some(got) => {
                        prop_assert!(exact >= THRESHOLD - 1e-9, "{key:?}: exact {exact} below the threshold");
                        prop_assert!((got - exact).abs() <= 5e-7, "{key:?}: reported {got}, exact {exact}");
                    }
                    None => prop_assert!(exact < THRESHOLD + MARGIN, "{key:?} missed at exact {exact}"),
                }
            }
        }
        prop_assert!(reported.is_empty(), "pairs of unknown ids: {reported:?}");
    }

    /// Parsing random lines as `score` input ends in a result or a named error, never
    /// a panic.
    #[test]
    fn score_input_never_panics(lines in prop::collection::vec(score_line(), 1..6)) {
        let input = lines.join("\n");
        for skip in [false, true] {
            let mut c = reprint();
            c.args(["score", "-q"]);
            if skip {
                c.arg("--skip-bad-lines");
            }
            let out = c.write_stdin(input.clone()).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            prop_assert!(matches!(out.status.code(), Some(0..=2)), "{err}");
            prop_assert!(!err.contains("panicked"), "{err}");
        }
    }
}

/// Lines that are mostly almost-valid `score` input: objects with or without the
/// fields, wrong types, truncated JSON, or arbitrary text.
fn score_line() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        Just(serde_json::json!("rain court vote price river")),
        any::<String>().prop_map(serde_json::Value::String),
        Just(serde_json::json!(7)),
        Just(serde_json::Value::Null),
    ];
    prop_oneof![
        (text.clone(), text.clone())
            .prop_map(|(a, b)| serde_json::json!({"text_a": a, "text_b": b}).to_string()),
        (text.clone(), text).prop_map(|(a, b)| {
            serde_json::json!({"id_a": [1], "text_a": a, "text_b": b}).to_string()
        }),
        (any::<String>(), 0usize..40).prop_map(|(s, cut)| {
            let full = serde_json::json!({"text_a": s, "text_b": "x"}).to_string();
            full.chars().take(cut).collect()
        }),
        "[^\n]{0,40}",
    ]
}

/// 400 made-up words, so sentences do not repeat words as the tiny vocabulary does.
fn wide_words(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((0u32..400).prop_map(|i| format!("w{i}x")), len)
}

/// Paragraphs of made-up words with sentence ends, for the comparer.
fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(wide_words(4..14), 1..4), 1..6).prop_map(|paras| {
        paras
            .into_iter()
            .map(|sents| {
                sents
                    .into_iter()
                    .map(|s| format!("{}.", s.join(" ")))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

/// Two articles that share some paragraphs (so alignments are not always empty).
fn article_pair() -> impl Strategy<Value = (String, String)> {
    (article(), article(), article())
        .prop_map(|(shared, a, b)| (format!("{shared}\n\n{a}"), format!("{b}\n\n{shared}")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Tokenizing the words joined by spaces gives the same words: the normalization
    /// (punctuation folding, NFKC, case folding) is idempotent and a word is a word.
    #[test]
    fn tokenizing_is_idempotent(s in any::<String>()) {
        let w = words(&s);
        prop_assert!(!w.iter().any(|x| x.chars().any(char::is_whitespace)), "{:?}", w);
        prop_assert_eq!(words(&w.join(" ")), w);
    }

    #[test]
    fn tokenizing_news_like_text_is_idempotent(s in "[A-Za-z0-9 ,.'’“”—-]{0,80}") {
        let w = words(&s);
        prop_assert_eq!(words(&w.join(" ")), w);
    }

    #[test]
    fn folding_punctuation_is_idempotent(s in any::<String>()) {
        let once = fold_punctuation(&s).into_owned();
        prop_assert_eq!(fold_punctuation(&once).into_owned(), once);
    }

    /// JSON Lines record parsing on arbitrary input returns a value or an error.
    #[test]
    fn record_parsing_never_panics(s in any::<String>(), field in "[a-z]{1,5}") {
        let _ = reprint::corpus::parse_fields(&s, "text", "id");
        let _ = reprint::corpus::parse_fields(&s, &field, &field);
    }

    #[test]
    fn record_parsing_never_panics_on_near_json(
        id in prop_oneof![Just("\"a\"".to_owned()), Just("1".to_owned()), Just("[1]".to_owned()), "[^\n]{0,8}"],
        text in prop_oneof![Just("\"x y\"".to_owned()), Just("null".to_owned()), Just("{\"t\":1}".to_owned()), "[^\n]{0,8}"],
        cut in 0usize..40,
    ) {
        let line = format!("{{\"id\":{id},\"text\":{text},\"other\":[1,{{}}]}}");
        let _ = reprint::corpus::parse_fields(&line, "text", "id");
        let cut: String = line.chars().take(cut).collect();
        let _ = reprint::corpus::parse_fields(&cut, "text", "id");
    }

    /// Bytes of any kind: the UTF-8 decoding never panics, and marks exactly the
    /// invalid inputs as lossy.
    #[test]
    fn decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let (text, lossy) = reprint::corpus::decode(&bytes);
        prop_assert_eq!(lossy, std::str::from_utf8(&bytes).is_err());
        let _ = reprint::corpus::parse_fields(&text, "text", "id");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Comparing B with A is comparing A with B mirrored: same score, Jaccard and
    /// verdict, containments and coverages swapped.
    #[test]
    fn comparer_is_symmetric((a, b) in article_pair()) {
        let mut cmp = Comparer::new(5);
        let pa = cmp.prepare(&a, &|_| false);
        let pb = cmp.prepare(&b, &|_| false);
        let ab = cmp.compare(&pa, &pb, None);
        let ba = cmp.compare(&pb, &pa, None);
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9;
        prop_assert!(close(ab.score, ba.score), "score {} vs {}", ab.score, ba.score);
        prop_assert!(close(ab.overlap.jaccard, ba.overlap.jaccard));
        prop_assert_eq!(ab.overlap.shared, ba.overlap.shared);
        prop_assert!(close(ab.overlap.containment_a_in_b, ba.overlap.containment_b_in_a));
        prop_assert!(close(ab.coverage_a, ba.coverage_b), "coverage {} vs {}", ab.coverage_a, ba.coverage_b);
        prop_assert!(close(ab.coverage_b, ba.coverage_a));
        prop_assert_eq!(ab.verdict, ba.verdict);
        prop_assert_eq!(ab.equivalence.is_some(), ba.equivalence.is_some());
        // A text against itself.
        let aa = cmp.compare(&pa, &pa, None);
        prop_assert!(close(aa.overlap.jaccard, 1.0) || pa.shingles.is_empty());
    }
}
