//! The index's segment reader (`reprint::index::Segment`) on damaged files.
//!
//! The input describes a small segment and then damage to it. Byte 0: bands (1 to 4)
//! and whether the damage is disguised; the rest, up to the first `0xFF`: documents
//! (split at `0x00`: id from the first bytes, text the rest, a date and a source on
//! some, band keys from the text's bytes); after the `0xFF`: damage, as 5-byte
//! records (position u32, XOR byte; a record with XOR 0 truncates the file there).
//!
//! The segment is written with `SegmentWriter`, damaged, and opened. Disguised damage
//! has every checksum (blocks, sections, header) recomputed afterwards, as a writer
//! bug or a forger would leave it, so the structural checks behind the checksums are
//! reached. Properties:
//! - undamaged: it opens, `verify` finds nothing, and every id, date, source, text and
//!   band entry reads back as written; `find` finds every id;
//! - damaged, not disguised, inside the header or a section: `open` fails or
//!   `verify` reports a problem (every byte there is covered by a checksum);
//! - always: no panic, no hang, no huge allocation, whatever the accessors are asked
//!   (every document's strings, meta, text; every band run's entries, `lower_bound`;
//!   `find` of every id; `verify`), and every error names the file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reprint::index::segment::{NewDoc, Segment, SegmentWriter};
use xxhash_rust::xxh3::xxh3_64;

struct Doc {
    id: String,
    text: String,
    date: Option<(i64, String)>,
    source: Option<String>,
    keys: Option<Vec<u64>>,
}

fn docs_of(spec: &[u8], bands: usize) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (i, chunk) in spec.split(|&b| b == 0).take(64).enumerate() {
        let (head, body) = chunk.split_at(chunk.len().min(3));
        // Unique ids: the number keeps them apart, the bytes vary their order.
        let id = format!("{}-{i}", String::from_utf8_lossy(head));
        let text = String::from_utf8_lossy(body).into_owned();
        let flag = head.first().copied().unwrap_or(0);
        let date = (flag & 1 != 0).then(|| (i64::from(flag) * 86_400, format!("d{flag}")));
        let source = (flag & 2 != 0).then(|| format!("s{}", flag >> 2));
        // Documents without words have no keys; keys collide often (few values).
        let keys = (!text.trim().is_empty()).then(|| {
            (0..bands)
                .map(|b| u64::from(body.get(b).copied().unwrap_or(0) % 7))
                .collect()
        });
        docs.push(Doc {
            id,
            text,
            date,
            source,
            keys,
        });
    }
    docs
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// Header bytes for `sections` sections (magic, version, count, table, checksum).
fn header_len(sections: usize) -> usize {
    16 + sections * 32 + 8
}

/// Recomputes the block checksums, the section checksums and the header checksum of a
/// (damaged) segment file, as far as its header can be read.
fn disguise(file: &mut [u8]) {
    if file.len() < 16 {
        return;
    }
    let count = u32_at(file, 12) as usize;
    let hlen = header_len(count);
    if count > 1024 || file.len() < hlen {
        return;
    }
    let entry = |file: &[u8], i: usize| {
        let at = 16 + i * 32;
        (
            u32_at(file, at),
            u64_at(file, at + 8),
            u64_at(file, at + 16),
        )
    };
    let in_file = |off: u64, len: u64, file: &[u8]| {
        off.checked_add(len).is_some_and(|e| e <= file.len() as u64)
    };
    // Blocks first (kind 8), against the texts section (kind 1).
    let texts = (0..count)
        .map(|i| entry(file, i))
        .find(|e| e.0 == 1 && in_file(e.1, e.2, file));
    if let (Some((_, t_off, t_len)), Some((_, b_off, b_len))) = (
        texts,
        (0..count)
            .map(|i| entry(file, i))
            .find(|e| e.0 == 8 && in_file(e.1, e.2, file)),
    ) {
        for k in 0..(b_len / 32) as usize {
            let at = b_off as usize + k * 32;
            let (off, len) = (u64_at(file, at), u64_at(file, at + 8));
            if off.checked_add(len).is_some_and(|e| e <= t_len) {
                let s = (t_off + off) as usize;
                let sum = xxh3_64(&file[s..s + len as usize]);
                file[at + 24..at + 32].copy_from_slice(&sum.to_le_bytes());
            }
        }
    }
    for i in 0..count {
        let (_, off, len) = entry(file, i);
        if in_file(off, len, file) {
            let sum = xxh3_64(&file[off as usize..(off + len) as usize]);
            let at = 16 + i * 32 + 24;
            file[at..at + 8].copy_from_slice(&sum.to_le_bytes());
        }
    }
    let sum = xxh3_64(&file[..hlen - 8]);
    file[hlen - 8..hlen].copy_from_slice(&sum.to_le_bytes());
}

/// Byte ranges covered by a checksum: the header and every section.
fn covered(file: &[u8]) -> Vec<(u64, u64)> {
    let count = u32_at(file, 12) as usize;
    let mut out = vec![(0, header_len(count) as u64)];
    for i in 0..count {
        let at = 16 + i * 32;
        let (off, len) = (u64_at(file, at + 8), u64_at(file, at + 16));
        out.push((off, off + len));
    }
    out
}

/// Everything a reader of the segment may ask; never panics.
fn exercise(seg: &Segment, bands: usize) {
    let path = seg.path().display().to_string();
    let named = |e: reprint::Error| {
        let m = e.to_string();
        assert!(m.contains(&path), "error does not name the file: {m}");
    };
    let n = seg.len() as u32;
    for d in 0..n {
        let id = seg.id(d).to_owned();
        let _ = (seg.origin(d), seg.date_text(d), seg.source(d), seg.meta(d));
        // A damaged id order may hide an id (a wrong answer, not a crash); a found
        // document is in range.
        if let Some(f) = seg.find(&id) {
            assert!(f < n);
        }
        if let Err(e) = seg.text(d) {
            named(e);
        }
    }
    assert!(seg.id_order().all(|d| d < n));
    for b in 0..seg.blocks() {
        if let Err(e) = seg.read_block(b) {
            named(e);
        }
    }
    for b in 0..=bands {
        match seg.band(b) {
            Ok(run) => {
                assert!(b < bands, "band {b} of {bands} accepted");
                for i in 0..run.len() {
                    let d = run.doc(i);
                    assert!(d < n, "band {b} entry {i}: document {d} of {n} accepted");
                    let _ = (run.key(i), seg.meta(d));
                }
                for key in [0, 3, 6, u64::MAX] {
                    assert!(run.lower_bound(key) <= run.len());
                }
            }
            Err(e) => named(e),
        }
    }
    let _ = seg.verify();
}

fuzz_target!(|data: &[u8]| {
    let Some((&cfg, rest)) = data.split_first() else {
        return;
    };
    let bands = (cfg & 3) as usize + 1;
    let disguised = cfg & 4 != 0;
    let (spec, damage) = match rest.iter().position(|&b| b == 0xFF) {
        Some(p) => (&rest[..p], &rest[p + 1..]),
        None => (rest, &[][..]),
    };
    let docs = docs_of(spec, bands);

    // One scratch directory per process, one file rewritten each time.
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let path = DIR
        .get_or_init(|| tempfile::tempdir().unwrap())
        .path()
        .join("seg-0001.rseg");
    let _ = std::fs::remove_file(&path);
    let mut w = SegmentWriter::create(&path, bands).unwrap().without_sync();
    for d in &docs {
        let nd = NewDoc {
            id: &d.id,
            origin: "fuzz:1",
            date: d.date.as_ref().map(|(v, s)| (*v, s.as_str())),
            source: d.source.as_deref(),
            words: d.text.split_whitespace().count() as u32,
            keys: d.keys.as_deref(),
        };
        w.push(&nd, &d.text).unwrap();
    }
    w.finish().unwrap();

    if damage.len() < 5 {
        // Undamaged: everything reads back.
        let seg = Segment::open(&path, bands).unwrap();
        assert_eq!(seg.len(), docs.len());
        assert!(seg.verify().is_empty(), "{:?}", seg.verify());
        for (i, d) in docs.iter().enumerate() {
            let i = i as u32;
            assert_eq!(seg.id(i), d.id);
            assert_eq!(seg.text(i).unwrap(), d.text);
            assert_eq!(seg.date_text(i), d.date.as_ref().map(|x| x.1.as_str()));
            assert_eq!(seg.meta(i).date, d.date.as_ref().map(|x| x.0));
            assert_eq!(seg.source(i), d.source.as_deref());
            assert_eq!(seg.find(&d.id), Some(i));
        }
        for b in 0..bands {
            let run = seg.band(b).unwrap();
            let mut want: Vec<(u64, u32)> = docs
                .iter()
                .enumerate()
                .filter_map(|(i, d)| d.keys.as_ref().map(|k| (k[b], i as u32)))
                .collect();
            want.sort_unstable();
            let got: Vec<(u64, u32)> = (0..run.len()).map(|i| (run.key(i), run.doc(i))).collect();
            assert_eq!(got, want, "band {b}");
        }
        exercise(&seg, bands);
        return;
    }

    let mut file = std::fs::read(&path).unwrap();
    let original = file.clone();
    let mut truncated = false;
    for rec in damage.chunks_exact(5).take(16) {
        let pos = u32::from_le_bytes(rec[..4].try_into().unwrap()) as usize;
        if file.is_empty() {
            break;
        }
        let pos = pos % file.len();
        if rec[4] == 0 {
            file.truncate(pos);
            truncated = true;
        } else {
            file[pos] ^= rec[4];
        }
    }
    if disguised {
        disguise(&mut file);
    }
    std::fs::write(&path, &file).unwrap();
    let opened = Segment::open(&path, bands);
    if !disguised && file != original {
        // Damage in a checksummed range (or a truncation) must not go unnoticed.
        let ranges = covered(&original);
        let hit = truncated
            || file.iter().zip(&original).enumerate().any(|(p, (a, b))| {
                a != b && ranges.iter().any(|&(s, e)| (s..e).contains(&(p as u64)))
            });
        if hit {
            if let Ok(seg) = &opened {
                assert!(
                    !seg.verify().is_empty(),
                    "damage in a checksummed range went unnoticed"
                );
            }
        }
    }
    match opened {
        Ok(seg) => exercise(&seg, bands),
        Err(e) => {
            let m = e.to_string();
            assert!(
                m.contains(&path.display().to_string()),
                "error does not name the file: {m}"
            );
        }
    }
});
