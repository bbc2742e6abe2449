//! The index gives the same answers as a run over the whole corpus; segments survive
//! damage as errors, never wrong answers.

use proptest::prelude::*;

use super::*;
use crate::mode::near_dup;
use crate::params::ParamsInput;
use crate::progress::Silent;

type Docs = Vec<(String, String)>;

fn params(max_bucket: usize) -> Params {
    ParamsInput {
        ngram: 2,
        threshold: 0.5,
        max_bucket,
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn corpus(docs: &[(String, String)]) -> Corpus {
    Corpus::from_texts(docs.iter().cloned()).unwrap()
}

/// `(a, b, score, verdict, jaccard, a_in_b, b_in_a)` rows of a result, in order.
type Row = (String, String, u64, String, u64, u64, u64);

fn rows(res: &crate::mode::PairsResult) -> Vec<Row> {
    res.pairs
        .iter()
        .map(|p| {
            (
                res.docs.id(p.a).to_owned(),
                res.docs.id(p.b).to_owned(),
                p.score.to_bits(),
                format!("{:?}", p.verdict),
                p.overlap.jaccard.to_bits(),
                p.overlap.containment_a_in_b.to_bits(),
                p.overlap.containment_b_in_a.to_bits(),
            )
        })
        .collect()
}

/// What `pairs --mode near-dup` reports over `archive` then `new` among the pairs
/// touching `new` (with `within`), or between the two (without).
fn expected(archive: &Docs, new: &Docs, p: &Params, within: bool) -> Vec<Row> {
    let all: Docs = archive.iter().chain(new).cloned().collect();
    let res = near_dup::run(&corpus(&all), p, &Silent).unwrap();
    let is_new = |id: &str| new.iter().any(|(i, _)| i == id);
    rows(&res)
        .into_iter()
        .filter(|r| {
            let (a, b) = (is_new(&r.0), is_new(&r.1));
            if within {
                a || b
            } else {
                a != b
            }
        })
        .collect()
}

fn build(dir: &Path, batches: &[Docs], p: &Params) -> IndexWriter {
    create(dir, options_of(p, "text", "id")).unwrap();
    let mut w = IndexWriter::open(dir).unwrap();
    for b in batches {
        w.add(&corpus(b), &DocFields::default(), &Silent).unwrap();
    }
    w
}

fn query(idx: &Index, new: &Docs, max_bucket: usize, within: bool) -> Vec<Row> {
    let opts = QueryOptions { within, max_bucket };
    rows(
        &idx.query(&corpus(new), &DocFields::default(), &opts, &Silent)
            .unwrap(),
    )
}

/// Texts over a vocabulary of 6 words, so that near-duplicates and shared band keys are
/// common; some empty, some of one word, some exact copies of each other.
fn docs_strategy(prefix: &'static str, max: usize) -> impl Strategy<Value = Docs> {
    let text = prop_oneof![
        3 => proptest::collection::vec(0u8..6, 0..14),
        1 => Just(vec![0u8, 1, 2, 3, 4, 5, 0, 1]),
        1 => Just(vec![]),
        1 => Just(vec![3u8]),
    ];
    proptest::collection::vec(text, 0..max).prop_map(move |ts| {
        ts.into_iter()
            .enumerate()
            .map(|(i, t)| {
                let words: Vec<&str> = t
                    .iter()
                    .map(|&w| ["alpha", "beta", "gamma", "delta", "omega", "sigma"][w as usize])
                    .collect();
                (format!("{prefix}{i:03}"), words.join(" "))
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn query_equals_a_run_over_archive_then_new(
        archive in docs_strategy("a", 24),
        new in docs_strategy("n", 10),
        max_bucket in 2usize..6,
        split in 0usize..24,
        within: bool,
    ) {
        let p = params(max_bucket);
        let dir = tempfile::tempdir().unwrap();
        let split = split.min(archive.len());
        let batches = vec![archive[..split].to_vec(), archive[split..].to_vec()];
        let mut w = build(&dir.path().join("ix"), &batches, &p);
        let want = expected(&archive, &new, &p, within);
        prop_assert_eq!(&query(w.index(), &new, max_bucket, within), &want);
        // Compacted into one segment: the same answers.
        w.compact().unwrap();
        prop_assert!(w.index().segments().len() <= 1);
        prop_assert_eq!(&query(w.index(), &new, max_bucket, within), &want);
    }

    #[test]
    fn removed_documents_never_appear(
        archive in docs_strategy("a", 20),
        new in docs_strategy("n", 8),
        remove in proptest::collection::vec(any::<bool>(), 20),
        max_bucket in 2usize..5,
    ) {
        let p = params(max_bucket);
        let dir = tempfile::tempdir().unwrap();
        let half = archive.len() / 2;
        let batches = vec![archive[..half].to_vec(), archive[half..].to_vec()];
        let mut w = build(&dir.path().join("ix"), &batches, &p);
        let gone: Vec<String> = archive
            .iter()
            .zip(&remove)
            .filter(|(_, &r)| r)
            .map(|((id, _), _)| id.clone())
            .collect();
        if !gone.is_empty() {
            w.remove(&gone).unwrap();
        }
        let kept: Docs = archive.iter().filter(|(id, _)| !gone.contains(id)).cloned().collect();
        let want = expected(&kept, &new, &p, true);
        prop_assert_eq!(&query(w.index(), &new, max_bucket, true), &want);
        w.compact().unwrap();
        prop_assert_eq!(w.index().documents(), kept.len() as u64);
        prop_assert_eq!(&query(w.index(), &new, max_bucket, true), &want);
        prop_assert!(Index::verify(w.index().dir()).unwrap().is_empty());
    }
}

#[test]
fn a_flood_of_copies_becomes_a_star_around_the_first_archive_document() {
    let p = params(3);
    let t = "alpha beta gamma delta omega sigma".to_owned();
    let archive: Docs = (0..6).map(|i| (format!("a{i}"), t.clone())).collect();
    let new: Docs = (0..3).map(|i| (format!("n{i}"), t.clone())).collect();
    let dir = tempfile::tempdir().unwrap();
    let w = build(&dir.path().join("ix"), std::slice::from_ref(&archive), &p);
    let got = query(w.index(), &new, 3, true);
    assert_eq!(got, expected(&archive, &new, &p, true));
    assert!(got.iter().all(|r| r.0 == "a0"), "{got:?}");
    assert_eq!(got.len(), 3);
}

#[test]
fn ids_already_in_the_index_are_refused_with_both_locations() {
    let p = params(10);
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    let mut w = build(&ix, &[vec![("x".into(), "alpha beta".into())]], &p);
    let again = corpus(&[("x".into(), "gamma delta".into())]);
    let e = w.add(&again, &DocFields::default(), &Silent).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::DuplicateId { .. }), "{msg}");
    assert!(
        msg.contains("\"x\"") && msg.contains("seg-00000001.rps") && msg.contains("<memory>:1"),
        "{msg}"
    );
    // Nothing was committed, and no file was left.
    assert_eq!(w.index().manifest().commit, 1);
    let files: Vec<_> = std::fs::read_dir(&ix)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}"); // LOCK, MANIFEST.json, one segment
                                             // Twice among the new documents.
    let twice = corpus(&[("y".into(), "a".into()), ("y".into(), "b".into())]);
    let msg = w
        .add(&twice, &DocFields::default(), &Silent)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("\"y\"") && msg.contains("<memory>:1") && msg.contains("<memory>:2"),
        "{msg}"
    );
    // Removed, it may come back.
    w.remove(&["x".into()]).unwrap();
    w.add(&again, &DocFields::default(), &Silent).unwrap();
    assert_eq!(w.index().text("x").unwrap().as_deref(), Some("gamma delta"));
}

#[test]
fn texts_come_back_by_id_across_blocks() {
    let p = params(10);
    let dir = tempfile::tempdir().unwrap();
    // Texts of ~40 KiB: several blocks.
    let docs: Docs = (0..12)
        .map(|i| (format!("d{i}"), format!("w{i} ").repeat(8000 + i)))
        .collect();
    let w = build(&dir.path().join("ix"), std::slice::from_ref(&docs), &p);
    let seg = &w.index().segments()[0];
    assert!(seg.blocks() > 2, "{} blocks", seg.blocks());
    for (id, text) in &docs {
        assert_eq!(w.index().text(id).unwrap().as_ref(), Some(text));
    }
    assert_eq!(w.index().text("nope").unwrap(), None);
}

#[test]
fn damage_is_an_error_naming_file_and_section() {
    let p = params(10);
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    let docs: Docs = (0..50)
        .map(|i| (format!("d{i}"), format!("alpha beta gamma {i} delta {i}")))
        .collect();
    drop(build(&ix, &[docs], &p));
    let seg = ix.join("seg-00000001.rps");
    let good = std::fs::read(&seg).unwrap();
    let opened = Segment::open(&seg, p.lsh().bands()).unwrap();
    let sections = opened.sections().to_vec();
    drop(opened);
    // One flipped byte in each section (and in the header).
    let mut spots: Vec<(u64, String)> = sections
        .iter()
        .filter(|s| s.len > 0)
        .map(|s| (s.offset + s.len / 2, s.label()))
        .collect();
    spots.push((20, "header".into()));
    for (at, label) in spots {
        let mut bad = good.clone();
        bad[at as usize] ^= 0x40;
        std::fs::write(&seg, &bad).unwrap();
        let problems = match Index::open(&ix) {
            Err(e) => vec![e.to_string()],
            Ok(idx) => {
                // Lazily checked sections fail when used, and in verify.
                let _ = idx.text("d1");
                Index::verify(&ix).unwrap()
            }
        };
        assert!(!problems.is_empty(), "flip in {label} went unnoticed");
        assert!(
            problems.iter().any(|m| m.contains("seg-00000001.rps")),
            "{label}: {problems:?}"
        );
    }
    // Truncated.
    for len in [0, 10, 100, good.len() / 2, good.len() - 1] {
        std::fs::write(&seg, &good[..len]).unwrap();
        let e = Index::open(&ix).unwrap_err().to_string();
        assert!(e.contains("seg-00000001.rps"), "{len}: {e}");
    }
    std::fs::write(&seg, &good).unwrap();
    assert!(Index::verify(&ix).unwrap().is_empty());
}

#[test]
fn a_second_writer_is_refused_naming_the_holder() {
    let p = params(10);
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    let _w = build(&ix, &[], &p);
    let e = IndexWriter::open(&ix).unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "locked by another writer (pid {})",
            std::process::id()
        )),
        "{e}"
    );
    // Readers are not blocked.
    assert!(Index::open(&ix).is_ok());
}

#[test]
fn texts_in_memory_carry_dates_and_sources_in_columns() {
    let p = params(10);
    let dir = tempfile::tempdir().unwrap();
    let ix = dir.path().join("ix");
    let mut w = build(&ix, &[], &p);
    let docs: Docs = vec![
        ("a".into(), "alpha beta gamma".into()),
        ("b".into(), "delta epsilon".into()),
    ];
    let c = corpus(&docs)
        .with_column(
            "published",
            vec![Some("2024-05-01T02:00:00+02:00".into()), None],
        )
        .unwrap()
        .with_column("agency", vec![None, Some("AP".into())])
        .unwrap();
    let fields = DocFields {
        date_field: Some("published".into()),
        source_field: Some("agency".into()),
    };
    let (report, _) = w.add(&c, &fields, &Silent).unwrap();
    assert_eq!(report.added, 2);
    let idx = w.into_index();
    // The lock went with the writer.
    drop(IndexWriter::open(&ix).unwrap());
    let seg = &idx.segments()[0];
    let (_, a) = idx.find("a").unwrap();
    let (_, b) = idx.find("b").unwrap();
    assert_eq!(seg.meta(a).date, Some(1_714_521_600));
    assert_eq!(seg.date_text(a), Some("2024-05-01T02:00:00+02:00"));
    assert_eq!(seg.source(a), None);
    assert_eq!(seg.meta(b).date, None);
    assert_eq!(seg.source(b), Some("AP"));
    // A value that is not a date is refused as in a JSON Lines file, naming the text.
    let mut w = IndexWriter::open(&ix).unwrap();
    let bad = corpus(&[("c".into(), "zeta".into())])
        .with_column("published", vec![Some("yesterday".into())])
        .unwrap();
    let e = w.add(&bad, &fields, &Silent).unwrap_err().to_string();
    assert!(
        e.contains("<memory>:1") && e.contains("\"published\"") && e.contains("yesterday"),
        "{e}"
    );
    // One value per text.
    let e = corpus(&docs)
        .with_column("published", vec![None])
        .unwrap_err()
        .to_string();
    assert!(e.contains("1 values for 2 texts"), "{e}");
}

#[test]
fn dates_parse_as_iso_8601() {
    assert_eq!(parse_date("2024-05-01"), Some(1_714_521_600));
    assert_eq!(parse_date("2024-05-01T00:00:00Z"), Some(1_714_521_600));
    assert_eq!(parse_date("2024-05-01T02:00:00+02:00"), Some(1_714_521_600));
    assert_eq!(parse_date("2024-05-01 00:00:00"), Some(1_714_521_600));
    assert_eq!(parse_date("2024-13-01"), None);
    assert_eq!(parse_date(""), None);
}
