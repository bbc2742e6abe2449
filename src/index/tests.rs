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
    rows(&res)
        .into_iter()
        .filter(|r| touches(new, within, r))
        .collect()
}

/// Whether the pair of row `r` touches a document of `new` (with `within`) or joins
/// one to an archive document (without).
fn touches(new: &Docs, within: bool, r: &Row) -> bool {
    let is_new = |id: &str| new.iter().any(|(i, _)| i == id);
    let (a, b) = (is_new(&r.0), is_new(&r.1));
    if within {
        a || b
    } else {
        a != b
    }
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
    let opts = QueryOptions {
        within,
        max_bucket,
        ..Default::default()
    };
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

/// `rows` plus the default mode's alignment figures (coverage of each side, links).
type AllRow = (Row, Option<(u64, u64, Option<usize>)>);

fn all_rows(res: &crate::mode::PairsResult) -> Vec<AllRow> {
    rows(res)
        .into_iter()
        .zip(&res.pairs)
        .map(|(r, p)| {
            let al = p
                .alignment
                .map(|a| (a.coverage_a.to_bits(), a.coverage_b.to_bits(), a.links));
            (r, al)
        })
        .collect()
}

/// What `pairs` (the default mode) reports over `archive` then `new` among the
/// pairs touching `new` (with `within`), or between the two (without).
fn expected_all(archive: &Docs, new: &Docs, p: &Params, within: bool) -> Vec<AllRow> {
    let all: Docs = archive.iter().chain(new).cloned().collect();
    let res = crate::mode::all::run(&corpus(&all), p, &Silent).unwrap();
    all_rows(&res)
        .into_iter()
        .filter(|(r, _)| touches(new, within, r))
        .collect()
}

fn query_all(idx: &Index, new: &Docs, within: bool) -> Vec<AllRow> {
    let opts = QueryOptions {
        within,
        max_bucket: 4,
        mode: crate::mode::Mode::All,
    };
    all_rows(
        &idx.query(&corpus(new), &DocFields::default(), &opts, &Silent)
            .unwrap(),
    )
}

/// News-like texts for the default mode: one to three paragraphs of sentences drawn
/// from a few "stories", so that copies, partial reuse and reworded sentences (the
/// same names, other words) are common, with some exact copies and empty texts.
fn story_docs(prefix: &'static str, max: usize) -> impl Strategy<Value = Docs> {
    const NAMES: [&str; 8] = [
        "Okonkwo",
        "Lindqvist",
        "Haradhvala",
        "Marchetti",
        "Zubiri",
        "Tanaka",
        "Oyelaran",
        "Kowalczyk",
    ];
    const WORDS: [&str; 16] = [
        "minister",
        "said",
        "talks",
        "border",
        "ceasefire",
        "on",
        "the",
        "in",
        "city",
        "agreed",
        "rejected",
        "plan",
        "after",
        "weeks",
        "of",
        "protests",
    ];
    let sentence = (
        0usize..4,
        proptest::collection::vec(0usize..16, 6..12),
        any::<bool>(),
    )
        .prop_map(|(story, words, rare)| {
            let mut s: Vec<&str> = vec![NAMES[story * 2]];
            s.extend(words.iter().map(|&w| WORDS[w]));
            if rare {
                s.push(NAMES[story * 2 + 1]);
            }
            format!("{}.", s.join(" "))
        });
    let paragraph = proptest::collection::vec(sentence, 1..4).prop_map(|s| s.join(" "));
    let text = prop_oneof![
        6 => proptest::collection::vec(paragraph, 1..4).prop_map(|p| p.join("\n\n")),
        1 => Just(String::new()),
    ];
    proptest::collection::vec(text, 0..max).prop_map(move |ts| {
        let mut docs: Docs = Vec::new();
        for (i, t) in ts.into_iter().enumerate() {
            // Every fourth document copies an earlier one with one more paragraph.
            let t = match docs.get(i / 2) {
                Some((_, earlier)) if i % 4 == 3 => format!("{earlier}\n\n{t}"),
                _ => t,
            };
            docs.push((format!("{prefix}{i:03}"), t));
        }
        docs
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn default_mode_query_equals_a_run_over_archive_then_new(
        archive in story_docs("a", 16),
        new in story_docs("n", 6),
        remove in proptest::collection::vec(any::<bool>(), 16),
        within: bool,
    ) {
        let p = params(4);
        let dir = tempfile::tempdir().unwrap();
        let half = archive.len() / 2;
        let batches = vec![archive[..half].to_vec(), archive[half..].to_vec()];
        let mut w = build(&dir.path().join("ix"), &batches, &p);
        let want = expected_all(&archive, &new, &p, within);
        prop_assert_eq!(&query_all(w.index(), &new, within), &want);
        // Removed documents are gone from the answers, before and after compaction.
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
        let want = expected_all(&kept, &new, &p, within);
        prop_assert_eq!(&query_all(w.index(), &new, within), &want);
        w.compact().unwrap();
        prop_assert_eq!(&query_all(w.index(), &new, within), &want);
    }
}

#[test]
fn default_mode_query_finds_rewrites_and_adds_in_the_same_commit() {
    // The seed wire story and its rewrite: the near-dup mode cannot see them.
    let wire = include_str!("../../seeds/003_6f1f85b9678831c8.txt").to_owned();
    let rewrite = include_str!("../../seeds/002_486cdfaf399a01ed.txt").to_owned();
    let p = params_of(
        &options_of(&ParamsInput::default().validate().unwrap(), "text", "id"),
        500,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut w = build(&dir.path().join("ix"), &[vec![("wire".into(), wire)]], &p);
    let new = corpus(&[("rewrite".into(), rewrite)]);
    let near = QueryOptions::default();
    let (res, _) = {
        let r = w
            .index()
            .query(&new, &DocFields::default(), &near, &Silent)
            .unwrap();
        (r, ())
    };
    assert!(res.pairs.is_empty(), "near-dup finds no pair");
    let all = QueryOptions {
        mode: crate::mode::Mode::All,
        ..Default::default()
    };
    let (res, report) = w
        .query_and_add(&new, &DocFields::default(), &all, &Silent)
        .unwrap();
    assert_eq!(res.pairs.len(), 1);
    let pair = res.pairs[0];
    assert_eq!(
        (res.docs.id(pair.a), res.docs.id(pair.b)),
        ("wire", "rewrite")
    );
    assert_eq!(pair.verdict, crate::model::Verdict::Rewrite);
    assert_eq!(report.added, 1);
    assert_eq!(w.index().documents(), 2);
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

/// Recomputes every checksum of a segment file (blocks, sections, header), as a
/// writer bug or a forger would leave a damaged file: what is behind the checksums
/// must hold up on its own.
fn forge_checksums(file: &mut [u8]) {
    use xxhash_rust::xxh3::xxh3_64;
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let u64_at = |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
    let count = u32_at(file, 12) as usize;
    let entry = |f: &[u8], i: usize| {
        let at = 16 + i * 32;
        (u32_at(f, at), u64_at(f, at + 8), u64_at(f, at + 16))
    };
    let (_, t_off, _) = (0..count)
        .map(|i| entry(file, i))
        .find(|e| e.0 == 1)
        .unwrap();
    let (_, b_off, b_len) = (0..count)
        .map(|i| entry(file, i))
        .find(|e| e.0 == 8)
        .unwrap();
    for k in 0..(b_len / 32) as usize {
        let at = b_off as usize + k * 32;
        let (off, len) = (u64_at(file, at), u64_at(file, at + 8));
        let s = (t_off + off) as usize;
        let sum = xxh3_64(&file[s..s + len as usize]);
        file[at + 24..at + 32].copy_from_slice(&sum.to_le_bytes());
    }
    for i in 0..count {
        let (_, off, len) = entry(file, i);
        let sum = xxh3_64(&file[off as usize..(off + len) as usize]);
        file[16 + i * 32 + 24..16 + i * 32 + 32].copy_from_slice(&sum.to_le_bytes());
    }
    let hlen = 16 + count * 32 + 8;
    let sum = xxh3_64(&file[..hlen - 8]);
    file[hlen - 8..hlen].copy_from_slice(&sum.to_le_bytes());
}

/// Found reading the segment reader for the `segment` fuzz target: a segment whose
/// checksums agree with damaged contents made the reader panic (an empty block, a
/// band entry naming a document past the end) or abort allocating (a text length of
/// 2^60). Each is now an error.
#[test]
fn forged_checksums_do_not_get_past_the_structural_checks() {
    use segment::{NewDoc, Segment, SegmentWriter};
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("seg.rseg");
    let write = || {
        let _ = std::fs::remove_file(&path);
        let mut w = SegmentWriter::create(&path, 2).unwrap().without_sync();
        for (i, text) in ["one two three", "four five six"].iter().enumerate() {
            let id = format!("d{i}");
            let keys = [i as u64, 7];
            let d = NewDoc {
                id: &id,
                origin: "t:1",
                date: None,
                source: None,
                words: 3,
                keys: Some(&keys),
            };
            w.push(&d, text).unwrap();
        }
        w.finish().unwrap();
        std::fs::read(&path).unwrap()
    };
    let clean = write();
    let seg = Segment::open(&path, 2).unwrap();
    let section = |kind: segment::Kind, band: u32| {
        let s = seg
            .sections()
            .iter()
            .find(|s| s.kind == kind && s.band == band)
            .unwrap();
        s.offset as usize
    };
    let (meta, blocks, band1) = (
        section(segment::Kind::Meta, 0),
        section(segment::Kind::Blocks, 0),
        section(segment::Kind::Band, 1),
    );
    drop(seg);
    let forged = |edit: &dyn Fn(&mut Vec<u8>)| {
        let mut f = clean.clone();
        edit(&mut f);
        forge_checksums(&mut f);
        std::fs::write(&path, &f).unwrap();
    };

    // An empty block (documents 0) before the one holding both documents.
    forged(&|f| f[blocks + 20..blocks + 24].copy_from_slice(&0u32.to_le_bytes()));
    let e = Segment::open(&path, 2).unwrap_err().to_string();
    assert!(e.contains("blocks") && e.contains("block 0"), "{e}");

    // A band entry naming document 9 of 2.
    forged(&|f| f[band1 + 8..band1 + 12].copy_from_slice(&9u32.to_le_bytes()));
    let seg = Segment::open(&path, 2).unwrap();
    let e = seg.band(1).err().unwrap().to_string();
    assert!(e.contains("band 1") && e.contains("out of range"), "{e}");
    assert!(seg.verify().iter().any(|p| p.contains("band 1")));
    assert!(seg.band(2).is_err(), "a band past the segment's count");
    drop(seg);

    // Document 1's text length 2^60: refused before allocating.
    forged(&|f| {
        let at = meta + 40 + 8;
        f[at..at + 8].copy_from_slice(&(1u64 << 60).to_le_bytes())
    });
    let seg = Segment::open(&path, 2).unwrap();
    let e = seg.text(1).unwrap_err().to_string();
    assert!(e.contains("texts") && e.contains("cannot come from"), "{e}");

    // A text length whose end overflows.
    drop(seg);
    forged(&|f| {
        let at = meta + 40;
        f[at + 8..at + 16].copy_from_slice(&u64::MAX.to_le_bytes());
        f[at + 32..at + 40].copy_from_slice(&2u64.to_le_bytes());
    });
    let e = Segment::open(&path, 2).unwrap_err().to_string();
    assert!(e.contains("meta") && e.contains("document 1"), "{e}");
}
