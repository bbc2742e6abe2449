//! The corpus reader: the bytes written as a `.jsonl`, a `.jsonl.gz` and a `.txt` file,
//! plus the same lines as texts in memory, read as one corpus through
//! `Corpus::open` + `Corpus::map_batches`.
//!
//! Properties: nothing panics; the records come out in source order, then line order;
//! each JSON Lines record is exactly its line (1-based number, byte offset, bytes
//! without `\n` and one trailing `\r`), blank lines are skipped and lines longer than
//! the size limit are reported as oversized; the gzip source gives the same records;
//! re-reading a selection (every other record, by seeking) gives the same bytes; the
//! text file is one record with the whole bytes; parsing any record does not panic and
//! a text file is binary exactly when `looks_binary_file` says so (UTF-16 is text).
#![no_main]

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reprint::corpus::{looks_binary_file, Corpus, Input, ReadOptions, RecordProblem, Selection};

type Rec = (u32, u64, u64, Vec<u8>);

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temporary directory"))
}

/// Every record (source, line, offset, bytes) and every oversized (source, line), in
/// the order `map_batches` hands them over; each record is also parsed.
fn read_all(corpus: &Corpus, selection: Option<&Selection>) -> (Vec<Rec>, Vec<(u32, u64)>) {
    let mut recs = Vec::new();
    let mut over = Vec::new();
    corpus
        .map_batches(
            selection,
            None,
            |batch| {
                batch
                    .records()
                    .iter()
                    .map(|r| {
                        let parsed = corpus.parse(r);
                        if let Ok(doc) = &parsed {
                            assert!(std::str::from_utf8(doc.text.as_bytes()).is_ok());
                        }
                        if corpus.sources()[r.source as usize].path.extension()
                            == Some("txt".as_ref())
                        {
                            assert_eq!(
                                matches!(parsed, Err(RecordProblem::Binary)),
                                looks_binary_file(r.bytes)
                            );
                        }
                        (r.source, r.line, r.offset, r.bytes.to_vec())
                    })
                    .collect::<Vec<_>>()
            },
            |batch, out| {
                recs.extend(out);
                over.extend_from_slice(&batch.oversized);
                Ok(())
            },
        )
        .expect("reading the corpus");
    (recs, over)
}

/// The JSON Lines records of `data` as the format defines them.
fn expected_lines(data: &[u8], source: u32, max: usize) -> (Vec<Rec>, Vec<(u32, u64)>) {
    let mut recs = Vec::new();
    let mut over = Vec::new();
    let mut offset = 0u64;
    let mut rest = data;
    let mut line_no = 0u64;
    while !rest.is_empty() {
        line_no += 1;
        let (line, used) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        if line.len() > max {
            over.push((source, line_no));
        } else {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if !line.iter().all(u8::is_ascii_whitespace) {
                recs.push((source, line_no, offset, line.to_vec()));
            }
        }
        offset += used as u64;
        rest = &rest[used..];
    }
    (recs, over)
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir().path().join(name);
    std::fs::write(&path, bytes).expect("writing the input");
    path
}

fuzz_target!(|data: &[u8]| {
    // Alternate between the default size limit and a small one taken from the data,
    // so the oversized paths are reached.
    let max = match data.first() {
        Some(&b) if b & 1 == 1 => (b as usize) >> 1,
        _ => ReadOptions::default().max_document_bytes,
    };
    let jsonl = write("in.jsonl", data);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    let gzp = write("in.jsonl.gz", &gz.finish().unwrap());
    let txt = write("in.txt", data);
    let options = ReadOptions {
        max_document_bytes: max,
        ..ReadOptions::default()
    };
    let inputs = [Input::Path(jsonl), Input::Path(gzp), Input::Path(txt)];
    let files = Corpus::open(&inputs, options.clone()).expect("opening the files");

    // The lines again, as texts in memory, after the files.
    let texts: Vec<(String, String)> = data
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| (i.to_string(), String::from_utf8_lossy(l).into_owned()))
        .collect();
    let memory = Corpus::from_texts_with("<memory>", texts.clone(), options).unwrap();
    let corpus = files.chain(memory).unwrap();
    assert_eq!(corpus.sources().len(), 4);

    let (recs, over) = read_all(&corpus, None);

    let (mut want, mut want_over) = expected_lines(data, 0, max);
    let (gz_recs, gz_over) = expected_lines(data, 1, max);
    want.extend(gz_recs);
    want_over.extend(gz_over);
    if data.len() > max {
        want_over.push((2, 0));
    } else {
        want.push((2, 0, 0, data.to_vec()));
    }
    for (i, (_, t)) in texts.iter().enumerate() {
        if t.len() > max {
            want_over.push((3, i as u64 + 1));
        } else {
            want.push((3, i as u64 + 1, i as u64, t.as_bytes().to_vec()));
        }
    }
    assert!(
        recs.windows(2).all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)),
        "records out of order"
    );
    assert_eq!(recs, want);
    assert_eq!(over, want_over);

    // Every other record again, by selection: the plain file is read by seeking to the
    // recorded offsets, the others by skipping lines.
    let mut sel = Selection::new(corpus.sources().len());
    let picked: Vec<&Rec> = recs.iter().step_by(2).collect();
    for r in &picked {
        sel.push(r.0, r.1, r.2);
    }
    let (again, _) = read_all(&corpus, Some(&sel));
    let picked: Vec<Rec> = picked.into_iter().cloned().collect();
    assert_eq!(again, picked, "a selected re-read differs");
});
