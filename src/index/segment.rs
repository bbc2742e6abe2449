//! Segment files: one immutable file per segment.
//!
//! ```text
//! header   magic "RPRTSEG\0" | format version u32 | section count u32
//!          | section table: count x (kind u32, band u32, offset u64, length u64, xxh3 u64)
//!          | xxh3-64 of all the header bytes before it
//! sections each starts on an 8-byte boundary; all integers little-endian
//!   texts     zstd frames, one per block of ~128 KiB of texts (documents in order)
//!   ids       strings: count u64, ends [u64; count], UTF-8 bytes
//!   meta      per document 40 bytes: words u32, flags u32 (1 = has band keys,
//!             2 = has a date), text length u64, date i64 (seconds since the Unix
//!             epoch, UTC), block u32, 0 u32, offset of the text in its block u64
//!   origins   strings: where each document was read from (`FILE:LINE`)
//!   dates     strings: the date field as given ("" when none)
//!   sources   strings: the source field as given ("" when none)
//!   id_order  [u32; count]: documents sorted by id (lookups by binary search)
//!   blocks    per block 32 bytes: offset in texts u64, compressed length u64,
//!             first document u32, documents u32, xxh3-64 of the compressed bytes u64
//!   band b    (one section per LSH band) entries of 12 bytes (key u64, document
//!             u32), sorted by (key, document); the count is length / 12
//! ```
//!
//! The small sections (header, ids, meta, origins, dates, sources, id order, blocks)
//! are checked against their checksums when a segment is opened; a band run when it
//! is first used; a text block (its own checksum in the block index) when it is read.
//! `verify` checks everything, the texts section as a whole included.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use memmap2::Mmap;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

use crate::error::{Error, Result};

/// The magic bytes that open a segment file.
pub const MAGIC: &[u8; 8] = b"RPRTSEG\0";
/// The segment format this build writes and the newest it reads.
pub const SEGMENT_VERSION: u32 = 1;
/// Uncompressed bytes of texts per block (a block holds at least one document).
pub const BLOCK_BYTES: usize = 128 * 1024;
/// zstd level of the text blocks.
const ZSTD_LEVEL: i32 = 3;
const ENTRY_BYTES: usize = 32;
const META_BYTES: usize = 40;
const BLOCK_ENTRY_BYTES: usize = 32;
/// Bytes of one band-run entry (key u64, document u32).
pub const BAND_ENTRY_BYTES: usize = 12;
/// Most bytes one compressed byte of a zstd frame can give (a 128 KiB block of one
/// repeated byte takes 4 bytes).
const MAX_ZSTD_RATIO: u64 = 32 * 1024;

/// Flag of a document with band keys (one entry in every band run).
pub const HAS_KEYS: u32 = 1;
/// Flag of a document with a date.
pub const HAS_DATE: u32 = 2;

/// Kinds of sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Kind {
    /// Compressed text blocks.
    Texts = 1,
    /// Document ids.
    Ids = 2,
    /// Fixed-width per-document values.
    Meta = 3,
    /// Where each document was read from.
    Origins = 4,
    /// Date strings as given.
    Dates = 5,
    /// Source (outlet) strings as given.
    Sources = 6,
    /// Documents sorted by id.
    IdOrder = 7,
    /// The block index of the texts.
    Blocks = 8,
    /// One band's sorted run of `(key, document)`.
    Band = 9,
}

impl Kind {
    fn from_u32(v: u32) -> Option<Kind> {
        Some(match v {
            1 => Kind::Texts,
            2 => Kind::Ids,
            3 => Kind::Meta,
            4 => Kind::Origins,
            5 => Kind::Dates,
            6 => Kind::Sources,
            7 => Kind::IdOrder,
            8 => Kind::Blocks,
            9 => Kind::Band,
            _ => return None,
        })
    }

    /// The section's name in messages and statistics.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Texts => "texts",
            Kind::Ids => "ids",
            Kind::Meta => "meta",
            Kind::Origins => "origins",
            Kind::Dates => "dates",
            Kind::Sources => "sources",
            Kind::IdOrder => "id_order",
            Kind::Blocks => "blocks",
            Kind::Band => "bands",
        }
    }
}

/// One entry of the section table.
#[derive(Debug, Clone, Copy)]
pub struct Section {
    /// What the section holds.
    pub kind: Kind,
    /// The band of a band run (0 otherwise).
    pub band: u32,
    /// Byte offset in the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// xxh3-64 of the section's bytes.
    pub checksum: u64,
}

impl Section {
    pub(crate) fn label(&self) -> String {
        if self.kind == Kind::Band {
            format!("band {}", self.band)
        } else {
            self.kind.name().to_owned()
        }
    }
}

fn header_len(sections: usize) -> usize {
    8 + 4 + 4 + sections * ENTRY_BYTES + 8
}

fn pad8(n: u64) -> u64 {
    n.div_ceil(8) * 8
}

/// What a finished segment file is.
#[derive(Debug, Clone)]
pub struct Written {
    /// Documents in it.
    pub docs: u64,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// The header's checksum (which covers every section's checksum).
    pub checksum: u64,
}

/// One document to write into a segment.
pub struct NewDoc<'a> {
    /// Its id.
    pub id: &'a str,
    /// Where it was read from (`FILE:LINE`).
    pub origin: &'a str,
    /// The date, normalised (seconds since the Unix epoch, UTC), and as given.
    pub date: Option<(i64, &'a str)>,
    /// The source (outlet) field as given.
    pub source: Option<&'a str>,
    /// Word count.
    pub words: u32,
    /// Its LSH band keys, one per band (`None`: no shingles).
    pub keys: Option<&'a [u64]>,
}

#[derive(Default)]
struct Strings {
    ends: Vec<u64>,
    bytes: Vec<u8>,
}

impl Strings {
    fn push(&mut self, s: &str) {
        self.bytes.extend_from_slice(s.as_bytes());
        self.ends.push(self.bytes.len() as u64);
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.ends.len() * 8 + self.bytes.len());
        out.extend_from_slice(&(self.ends.len() as u64).to_le_bytes());
        for e in &self.ends {
            out.extend_from_slice(&e.to_le_bytes());
        }
        out.extend_from_slice(&self.bytes);
        out
    }
}

/// Writes one segment file, streaming the texts: a block is compressed and written as
/// soon as it is full. The document table and the band keys are kept in memory until
/// [`SegmentWriter::finish`] (about `40 + 8 * bands` bytes per document plus its
/// strings).
pub struct SegmentWriter {
    path: PathBuf,
    file: BufWriter<File>,
    bands: usize,
    pos: u64,
    texts_start: u64,
    texts_hash: Xxh3,
    ids: Strings,
    origins: Strings,
    dates: Strings,
    sources: Strings,
    meta: Vec<u8>,
    /// Band-major keys of the documents with keys, and those documents.
    keys: Vec<Vec<u64>>,
    key_docs: Vec<u32>,
    block: Vec<u8>,
    block_first: u32,
    blocks: Vec<u8>,
    docs: u32,
    sync: bool,
}

impl SegmentWriter {
    /// Does not sync the file when finished: for a query's temporary segment, which
    /// no commit names.
    pub fn without_sync(mut self) -> Self {
        self.sync = false;
        self
    }

    /// Creates `path` (which must not exist) for a segment with `bands` band runs.
    pub fn create(path: &Path, bands: usize) -> Result<SegmentWriter> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        let mut file = BufWriter::with_capacity(1 << 20, file);
        let texts_start = pad8(header_len(sections_for(bands)) as u64);
        file.write_all(&vec![0u8; texts_start as usize])
            .map_err(|e| Error::io(path, e))?;
        Ok(SegmentWriter {
            path: path.to_path_buf(),
            file,
            bands,
            pos: texts_start,
            texts_start,
            texts_hash: Xxh3::new(),
            ids: Strings::default(),
            origins: Strings::default(),
            dates: Strings::default(),
            sources: Strings::default(),
            meta: Vec::new(),
            keys: vec![Vec::new(); bands],
            key_docs: Vec::new(),
            block: Vec::new(),
            block_first: 0,
            blocks: Vec::new(),
            docs: 0,
            sync: true,
        })
    }

    /// Documents pushed so far.
    pub fn len(&self) -> u32 {
        self.docs
    }

    /// True when no document was pushed.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.file
            .write_all(bytes)
            .map_err(|e| Error::io(&self.path, e))?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    fn push_meta(&mut self, d: &NewDoc, text_len: u64, block: u32, in_block: u64) -> Result<()> {
        if self.docs == u32::MAX {
            return Err(Error::TooManyDocuments {
                max: u32::MAX as u64,
            });
        }
        self.ids.push(d.id);
        self.origins.push(d.origin);
        self.dates.push(d.date.map_or("", |(_, s)| s));
        self.sources.push(d.source.unwrap_or(""));
        let mut flags = 0;
        if let Some(keys) = d.keys {
            flags |= HAS_KEYS;
            for (col, &k) in self.keys.iter_mut().zip(keys) {
                col.push(k);
            }
            self.key_docs.push(self.docs);
        }
        if d.date.is_some() {
            flags |= HAS_DATE;
        }
        self.meta.extend_from_slice(&d.words.to_le_bytes());
        self.meta.extend_from_slice(&flags.to_le_bytes());
        self.meta.extend_from_slice(&text_len.to_le_bytes());
        self.meta
            .extend_from_slice(&d.date.map_or(0, |(v, _)| v).to_le_bytes());
        self.meta.extend_from_slice(&block.to_le_bytes());
        self.meta.extend_from_slice(&0u32.to_le_bytes());
        self.meta.extend_from_slice(&in_block.to_le_bytes());
        self.docs += 1;
        Ok(())
    }

    fn block_count(&self) -> u32 {
        (self.blocks.len() / BLOCK_ENTRY_BYTES) as u32
    }

    /// Appends a document and its text.
    pub fn push(&mut self, d: &NewDoc, text: &str) -> Result<()> {
        if self.docs > self.block_first && self.block.len() + text.len() > BLOCK_BYTES {
            self.flush_block()?;
        }
        let in_block = self.block.len() as u64;
        self.block.extend_from_slice(text.as_bytes());
        let block = self.block_count();
        self.push_meta(d, text.len() as u64, block, in_block)
    }

    fn flush_block(&mut self) -> Result<()> {
        if self.docs == self.block_first {
            return Ok(());
        }
        let compressed =
            zstd::bulk::compress(&self.block, ZSTD_LEVEL).map_err(|e| Error::io(&self.path, e))?;
        self.add_block(&compressed, self.block_first, self.docs - self.block_first)?;
        self.block.clear();
        self.block_first = self.docs;
        Ok(())
    }

    fn add_block(&mut self, compressed: &[u8], first: u32, docs: u32) -> Result<()> {
        let offset = self.pos - self.texts_start;
        self.texts_hash.update(compressed);
        self.write(compressed)?;
        self.blocks.extend_from_slice(&offset.to_le_bytes());
        self.blocks
            .extend_from_slice(&(compressed.len() as u64).to_le_bytes());
        self.blocks.extend_from_slice(&first.to_le_bytes());
        self.blocks.extend_from_slice(&docs.to_le_bytes());
        self.blocks
            .extend_from_slice(&xxh3_64(compressed).to_le_bytes());
        Ok(())
    }

    /// Appends the documents of a whole compressed block copied from another segment
    /// (compaction): `docs` with their `(text length, offset in block)`, in block order.
    pub fn push_block(&mut self, compressed: &[u8], docs: &[(NewDoc, u64, u64)]) -> Result<()> {
        self.flush_block()?;
        let first = self.docs;
        let block = self.block_count();
        for (d, len, in_block) in docs {
            self.push_meta(d, *len, block, *in_block)?;
        }
        self.add_block(compressed, first, docs.len() as u32)?;
        self.block_first = self.docs;
        Ok(())
    }

    /// Writes the document sections and the band runs of the documents pushed (sorted
    /// here), then the header; syncs the file.
    pub fn finish(mut self) -> Result<Written> {
        let keys = std::mem::take(&mut self.keys);
        let key_docs = std::mem::take(&mut self.key_docs);
        self.finish_with(|band, sink| {
            let mut run: Vec<(u64, u32)> = keys[band]
                .iter()
                .copied()
                .zip(key_docs.iter().copied())
                .collect();
            run.sort_unstable();
            for (k, d) in run {
                sink.entry(k, d)?;
            }
            Ok(())
        })
    }

    /// [`SegmentWriter::finish`] with the band runs given by `bands(band, sink)`, which
    /// must hand the entries of each band in `(key, document)` order (a k-way merge
    /// streams them here in bounded memory).
    pub fn finish_with(
        mut self,
        mut bands: impl FnMut(usize, &mut BandSink) -> Result<()>,
    ) -> Result<Written> {
        self.flush_block()?;
        let mut table = Vec::with_capacity(sections_for(self.bands));
        table.push(Section {
            kind: Kind::Texts,
            band: 0,
            offset: self.texts_start,
            len: self.pos - self.texts_start,
            checksum: self.texts_hash.digest(),
        });
        let mut order: Vec<u32> = (0..self.docs).collect();
        {
            let ids = &self.ids;
            let id = |i: u32| {
                let i = i as usize;
                let start = if i == 0 { 0 } else { ids.ends[i - 1] as usize };
                &ids.bytes[start..ids.ends[i] as usize]
            };
            order.sort_by(|&a, &b| id(a).cmp(id(b)).then(a.cmp(&b)));
        }
        let order_bytes: Vec<u8> = order.iter().flat_map(|d| d.to_le_bytes()).collect();
        let plain = [
            (Kind::Ids, self.ids.encode()),
            (Kind::Meta, std::mem::take(&mut self.meta)),
            (Kind::Origins, self.origins.encode()),
            (Kind::Dates, self.dates.encode()),
            (Kind::Sources, self.sources.encode()),
            (Kind::IdOrder, order_bytes),
            (Kind::Blocks, std::mem::take(&mut self.blocks)),
        ];
        for (kind, bytes) in plain {
            let offset = self.align()?;
            self.write(&bytes)?;
            table.push(Section {
                kind,
                band: 0,
                offset,
                len: bytes.len() as u64,
                checksum: xxh3_64(&bytes),
            });
        }
        for band in 0..self.bands {
            let offset = self.align()?;
            let mut sink = BandSink {
                w: &mut self,
                hash: Xxh3::new(),
                len: 0,
                last: None,
            };
            bands(band, &mut sink)?;
            let (checksum, len) = (sink.hash.digest(), sink.len);
            table.push(Section {
                kind: Kind::Band,
                band: band as u32,
                offset,
                len,
                checksum,
            });
        }
        let size = self.pos;
        let mut header = Vec::with_capacity(header_len(table.len()));
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&SEGMENT_VERSION.to_le_bytes());
        header.extend_from_slice(&(table.len() as u32).to_le_bytes());
        for s in &table {
            header.extend_from_slice(&(s.kind as u32).to_le_bytes());
            header.extend_from_slice(&s.band.to_le_bytes());
            header.extend_from_slice(&s.offset.to_le_bytes());
            header.extend_from_slice(&s.len.to_le_bytes());
            header.extend_from_slice(&s.checksum.to_le_bytes());
        }
        let checksum = xxh3_64(&header);
        header.extend_from_slice(&checksum.to_le_bytes());
        let path = self.path.clone();
        let io = |e| Error::io(&path, e);
        let mut file = self.file.into_inner().map_err(|e| io(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        file.write_all(&header).map_err(io)?;
        if self.sync {
            file.sync_all().map_err(io)?;
        }
        Ok(Written {
            docs: self.docs as u64,
            bytes: size,
            checksum,
        })
    }

    fn align(&mut self) -> Result<u64> {
        let to = pad8(self.pos);
        let pad = (to - self.pos) as usize;
        self.write(&[0u8; 8][..pad])?;
        Ok(self.pos)
    }
}

/// Receives one band's entries in order (see [`SegmentWriter::finish_with`]).
pub struct BandSink<'w> {
    w: &'w mut SegmentWriter,
    hash: Xxh3,
    len: u64,
    last: Option<(u64, u32)>,
}

impl BandSink<'_> {
    /// Appends an entry; entries must come in increasing `(key, document)` order.
    pub fn entry(&mut self, key: u64, doc: u32) -> Result<()> {
        debug_assert!(self.last.is_none_or(|l| l < (key, doc)));
        self.last = Some((key, doc));
        let mut e = [0u8; BAND_ENTRY_BYTES];
        e[..8].copy_from_slice(&key.to_le_bytes());
        e[8..].copy_from_slice(&doc.to_le_bytes());
        self.hash.update(&e);
        self.len += BAND_ENTRY_BYTES as u64;
        self.w.write(&e)
    }
}

/// A block of texts compressed as a segment stores it (zstd level 3).
pub fn compress(block: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(block, ZSTD_LEVEL).expect("zstd compresses any input into a Vec")
}

fn sections_for(bands: usize) -> usize {
    8 + bands
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// A document's fixed-width values.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// Word count.
    pub words: u32,
    /// [`HAS_KEYS`], [`HAS_DATE`].
    pub flags: u32,
    /// Length of the text in bytes.
    pub text_len: u64,
    /// The normalised date (seconds since the Unix epoch, UTC), when it has one.
    pub date: Option<i64>,
    /// The block holding its text.
    pub block: u32,
    /// Offset of its text in the decompressed block.
    pub in_block: u64,
}

/// One entry of the block index.
#[derive(Debug, Clone, Copy)]
pub struct Block {
    /// Offset in the texts section.
    pub offset: u64,
    /// Compressed length.
    pub len: u64,
    /// First document.
    pub first: u32,
    /// Documents in the block.
    pub docs: u32,
    /// xxh3-64 of the compressed bytes.
    pub checksum: u64,
}

/// An open segment file, memory-mapped. Small sections are checked when it is
/// opened, band runs when first used, text blocks when read.
pub struct Segment {
    path: PathBuf,
    /// The open file, for reading sections whole without mapping them in (checks).
    file: File,
    map: Mmap,
    sections: Vec<Section>,
    docs: usize,
    bands: usize,
    checksum: u64,
    /// Per band run, once first used: `None` when sound, else what is wrong.
    band_ok: Vec<OnceLock<Option<String>>>,
}

impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segment")
            .field("path", &self.path)
            .field("docs", &self.docs)
            .finish()
    }
}

/// A band's sorted run of `(key, document)`.
#[derive(Clone, Copy)]
pub struct BandRun<'a> {
    bytes: &'a [u8],
}

impl<'a> BandRun<'a> {
    /// Entries.
    pub fn len(&self) -> usize {
        self.bytes.len() / BAND_ENTRY_BYTES
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The key of entry `i`.
    pub fn key(&self, i: usize) -> u64 {
        u64_at(self.bytes, i * BAND_ENTRY_BYTES)
    }

    /// The document of entry `i`.
    pub fn doc(&self, i: usize) -> u32 {
        u32_at(self.bytes, i * BAND_ENTRY_BYTES + 8)
    }

    /// The first entry whose key is at least `key`.
    pub fn lower_bound(&self, key: u64) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.key(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

impl Segment {
    /// Opens and checks a segment file written for `bands` band runs.
    pub fn open(path: &Path, bands: usize) -> Result<Segment> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: segment files are immutable once committed: writers never modify
        // or truncate a file that a manifest names (they write new files and rename
        // the manifest), so the mapping does not change under us.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        // Queries touch a few entries of each band run and a few text blocks, far
        // apart: no read-ahead around them (it only inflates the resident set).
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Random);
        let corrupt = |section: &str, reason: String| Error::IndexCorrupt {
            path: path.to_path_buf(),
            section: section.to_owned(),
            reason,
        };
        if map.len() < 16 || &map[..8] != MAGIC {
            return Err(corrupt(
                "header",
                if map.len() < 16 {
                    format!("truncated ({} bytes)", map.len())
                } else {
                    "not a reprint segment file (bad magic)".into()
                },
            ));
        }
        let version = u32_at(&map, 8);
        if version > SEGMENT_VERSION {
            return Err(Error::IndexVersion {
                path: path.to_path_buf(),
                found: version,
                supported: SEGMENT_VERSION,
            });
        }
        let count = u32_at(&map, 12) as usize;
        if count != sections_for(bands) {
            return Err(corrupt(
                "header",
                format!(
                    "{count} sections where {} were expected",
                    sections_for(bands)
                ),
            ));
        }
        let hlen = header_len(count);
        if map.len() < hlen {
            return Err(corrupt(
                "header",
                format!("truncated ({} bytes)", map.len()),
            ));
        }
        let checksum = u64_at(&map, hlen - 8);
        if xxh3_64(&map[..hlen - 8]) != checksum {
            return Err(corrupt("header", "checksum mismatch".into()));
        }
        let mut sections = Vec::with_capacity(count);
        for i in 0..count {
            let at = 16 + i * ENTRY_BYTES;
            let kind = Kind::from_u32(u32_at(&map, at))
                .ok_or_else(|| corrupt("header", format!("unknown section kind at entry {i}")))?;
            let s = Section {
                kind,
                band: u32_at(&map, at + 4),
                offset: u64_at(&map, at + 8),
                len: u64_at(&map, at + 16),
                checksum: u64_at(&map, at + 24),
            };
            if s.offset
                .checked_add(s.len)
                .is_none_or(|e| e > map.len() as u64)
            {
                return Err(corrupt(
                    &s.label(),
                    format!(
                        "runs past the end of the file (truncated: {} bytes)",
                        map.len()
                    ),
                ));
            }
            sections.push(s);
        }
        let seg = Segment {
            path: path.to_path_buf(),
            file,
            map,
            sections,
            docs: 0,
            bands,
            checksum,
            band_ok: (0..bands).map(|_| OnceLock::new()).collect(),
        };
        for kind in [
            Kind::Ids,
            Kind::Meta,
            Kind::Origins,
            Kind::Dates,
            Kind::Sources,
            Kind::IdOrder,
            Kind::Blocks,
        ] {
            seg.check(seg.section(kind, 0)?)?;
        }
        let docs = seg.meta_bytes()?.len() / META_BYTES;
        let seg = Segment { docs, ..seg };
        seg.check_shape()?;
        Ok(seg)
    }

    fn corrupt(&self, section: &str, reason: String) -> Error {
        Error::IndexCorrupt {
            path: self.path.clone(),
            section: section.to_owned(),
            reason,
        }
    }

    fn section(&self, kind: Kind, band: u32) -> Result<&Section> {
        self.sections
            .iter()
            .find(|s| s.kind == kind && s.band == band)
            .ok_or_else(|| {
                let label = if kind == Kind::Band {
                    format!("band {band}")
                } else {
                    kind.name().to_owned()
                };
                self.corrupt("header", format!("no {label} section"))
            })
    }

    fn bytes(&self, s: &Section) -> &[u8] {
        &self.map[s.offset as usize..(s.offset + s.len) as usize]
    }

    fn check(&self, s: &Section) -> Result<()> {
        if xxh3_64(self.bytes(s)) != s.checksum {
            return Err(self.corrupt(&s.label(), "checksum mismatch".into()));
        }
        Ok(())
    }

    fn meta_bytes(&self) -> Result<&[u8]> {
        let s = self.section(Kind::Meta, 0)?;
        if !(s.len as usize).is_multiple_of(META_BYTES) {
            return Err(self.corrupt("meta", "length is not a whole number of entries".into()));
        }
        Ok(self.bytes(s))
    }

    /// Checks that the string columns, id order and block index agree with the
    /// document count.
    fn check_shape(&self) -> Result<()> {
        for kind in [Kind::Ids, Kind::Origins, Kind::Dates, Kind::Sources] {
            let b = self.bytes(self.section(kind, 0)?);
            let bad = |r: &str| self.corrupt(kind.name(), r.to_owned());
            if b.len() < 8 {
                return Err(bad("truncated"));
            }
            let n = u64_at(b, 0) as usize;
            if n != self.docs || b.len() < 8 + n * 8 {
                return Err(bad("document count differs from meta"));
            }
            let mut last = 0u64;
            for i in 0..n {
                let e = u64_at(b, 8 + i * 8);
                if e < last || 8 + n as u64 * 8 + e > b.len() as u64 {
                    return Err(bad("string offsets out of order or out of range"));
                }
                last = e;
            }
            if std::str::from_utf8(&b[8 + n * 8..]).is_err() {
                return Err(bad("not UTF-8"));
            }
        }
        let order = self.bytes(self.section(Kind::IdOrder, 0)?);
        if order.len() != self.docs * 4 {
            return Err(self.corrupt("id_order", "document count differs from meta".into()));
        }
        if (0..self.docs).any(|i| u32_at(order, i * 4) as usize >= self.docs) {
            return Err(self.corrupt("id_order", "document number out of range".into()));
        }
        let blocks = self.bytes(self.section(Kind::Blocks, 0)?);
        if !blocks.len().is_multiple_of(BLOCK_ENTRY_BYTES) {
            return Err(self.corrupt("blocks", "length is not a whole number of entries".into()));
        }
        let texts = self.section(Kind::Texts, 0)?.len;
        let mut next_doc = 0u64;
        for b in 0..self.blocks() {
            let e = self.block(b);
            if e.first as u64 != next_doc
                || e.docs == 0
                || e.offset.checked_add(e.len).is_none_or(|end| end > texts)
            {
                return Err(self.corrupt("blocks", format!("block {b} is inconsistent")));
            }
            next_doc += e.docs as u64;
        }
        if next_doc != self.docs as u64 {
            return Err(self.corrupt("blocks", "blocks do not cover the documents".into()));
        }
        for d in 0..self.docs as u32 {
            let m = self.meta(d);
            let blk = m.block as usize;
            if blk >= self.blocks() || {
                let e = self.block(blk);
                d < e.first || d >= e.first + e.docs
            } {
                return Err(self.corrupt("meta", format!("document {d}: block out of range")));
            }
            if m.in_block.checked_add(m.text_len).is_none() {
                return Err(self.corrupt("meta", format!("document {d}: text out of range")));
            }
        }
        for b in 0..self.bands {
            let s = self.section(Kind::Band, b as u32)?;
            if !(s.len as usize).is_multiple_of(BAND_ENTRY_BYTES) {
                return Err(
                    self.corrupt(&s.label(), "length is not a whole number of entries".into())
                );
            }
        }
        Ok(())
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The header's checksum (as the manifest records it).
    pub fn checksum(&self) -> u64 {
        self.checksum
    }

    /// Documents.
    pub fn len(&self) -> usize {
        self.docs
    }

    /// True when it holds no document.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// Size of the file.
    pub fn file_len(&self) -> u64 {
        self.map.len() as u64
    }

    /// The sections, as in the header.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    fn string(&self, kind: Kind, i: u32) -> &str {
        let s = self.section(kind, 0).expect("checked when opened");
        let b = self.bytes(s);
        let n = self.docs;
        let i = i as usize;
        let start = if i == 0 {
            0
        } else {
            u64_at(b, 8 + (i - 1) * 8) as usize
        };
        let end = u64_at(b, 8 + i * 8) as usize;
        let base = 8 + n * 8;
        // Checked as UTF-8 as a whole when opened; the offsets may still split a
        // character in a corrupt file that passed its checksum (never from a writer).
        std::str::from_utf8(&b[base + start..base + end]).unwrap_or("\u{FFFD}")
    }

    /// The id of document `i`.
    pub fn id(&self, i: u32) -> &str {
        self.string(Kind::Ids, i)
    }

    /// Where document `i` was read from.
    pub fn origin(&self, i: u32) -> &str {
        self.string(Kind::Origins, i)
    }

    /// The date field of document `i` as given, when it had one.
    pub fn date_text(&self, i: u32) -> Option<&str> {
        Some(self.string(Kind::Dates, i)).filter(|s| !s.is_empty())
    }

    /// The source field of document `i`, when it had one.
    pub fn source(&self, i: u32) -> Option<&str> {
        Some(self.string(Kind::Sources, i)).filter(|s| !s.is_empty())
    }

    /// The fixed-width values of document `i`.
    pub fn meta(&self, i: u32) -> Meta {
        let b = self.meta_bytes().expect("checked when opened");
        let at = i as usize * META_BYTES;
        let flags = u32_at(b, at + 4);
        Meta {
            words: u32_at(b, at),
            flags,
            text_len: u64_at(b, at + 8),
            date: (flags & HAS_DATE != 0).then(|| u64_at(b, at + 16) as i64),
            block: u32_at(b, at + 24),
            in_block: u64_at(b, at + 32),
        }
    }

    /// The document with id `id`, by binary search of the id order.
    pub fn find(&self, id: &str) -> Option<u32> {
        let order = self.bytes(self.section(Kind::IdOrder, 0).expect("checked"));
        let at = |i: usize| u32_at(order, i * 4);
        let (mut lo, mut hi) = (0, self.docs);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.id(at(mid)) < id {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo < self.docs && self.id(at(lo)) == id).then(|| at(lo))
    }

    /// Documents in id order (`id_order`).
    pub fn id_order(&self) -> impl Iterator<Item = u32> + '_ {
        let order = self.bytes(self.section(Kind::IdOrder, 0).expect("checked"));
        (0..self.docs).map(move |i| u32_at(order, i * 4))
    }

    /// Blocks of texts.
    pub fn blocks(&self) -> usize {
        self.section(Kind::Blocks, 0).expect("checked").len as usize / BLOCK_ENTRY_BYTES
    }

    /// Entry `b` of the block index.
    pub fn block(&self, b: usize) -> Block {
        let bytes = self.bytes(self.section(Kind::Blocks, 0).expect("checked"));
        let at = b * BLOCK_ENTRY_BYTES;
        Block {
            offset: u64_at(bytes, at),
            len: u64_at(bytes, at + 8),
            first: u32_at(bytes, at + 16),
            docs: u32_at(bytes, at + 20),
            checksum: u64_at(bytes, at + 24),
        }
    }

    /// The compressed bytes of block `b`, checked against its checksum.
    pub fn block_bytes(&self, b: usize) -> Result<&[u8]> {
        let e = self.block(b);
        let texts = self.section(Kind::Texts, 0)?;
        let start = (texts.offset + e.offset) as usize;
        let bytes = &self.map[start..start + e.len as usize];
        if xxh3_64(bytes) != e.checksum {
            return Err(self.corrupt("texts", format!("block {b}: checksum mismatch")));
        }
        Ok(bytes)
    }

    /// Block `b` decompressed, checked.
    pub fn read_block(&self, b: usize) -> Result<Vec<u8>> {
        let bytes = self.block_bytes(b)?;
        let e = self.block(b);
        let last = self.meta(e.first + e.docs - 1);
        let size = last.in_block + last.text_len;
        // zstd's densest block is 4 bytes for 128 KiB (a run of one byte): a size the
        // compressed bytes cannot hold is damage, refused before anything is allocated.
        if size > e.len.saturating_mul(MAX_ZSTD_RATIO).saturating_add(1024) {
            return Err(self.corrupt(
                "texts",
                format!(
                    "block {b}: {size} bytes cannot come from {} compressed",
                    e.len
                ),
            ));
        }
        let size = size as usize;
        let out = zstd::bulk::decompress(bytes, size)
            .map_err(|err| self.corrupt("texts", format!("block {b}: {err}")))?;
        if out.len() != size {
            return Err(self.corrupt("texts", format!("block {b}: wrong decompressed size")));
        }
        Ok(out)
    }

    /// The text of document `i` out of its decompressed block.
    pub fn text_in(&self, block: &[u8], i: u32) -> Result<String> {
        let m = self.meta(i);
        let (s, e) = (m.in_block as usize, (m.in_block + m.text_len) as usize);
        let bytes = block
            .get(s..e)
            .ok_or_else(|| self.corrupt("meta", format!("document {i}: text out of range")))?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| self.corrupt("texts", format!("document {i}: not UTF-8")))
    }

    /// The text of document `i` (decompresses its block).
    pub fn text(&self, i: u32) -> Result<String> {
        let block = self.read_block(self.meta(i).block as usize)?;
        self.text_in(&block, i)
    }

    /// The sorted run of band `b`, checked against its checksum on first use.
    ///
    /// The first use also checks that every entry names a document of the segment
    /// and that the entries are sorted, so that callers can index with them.
    pub fn band(&self, b: usize) -> Result<BandRun<'_>> {
        if b >= self.bands {
            return Err(self.corrupt(
                "header",
                format!("no band {b} (the segment has {})", self.bands),
            ));
        }
        let s = self.section(Kind::Band, b as u32)?;
        let run = BandRun {
            bytes: self.bytes(s),
        };
        let problem = self.band_ok[b].get_or_init(|| self.check_band_run(s));
        match problem {
            Some(reason) => Err(self.corrupt(&s.label(), reason.clone())),
            None => Ok(run),
        }
    }

    /// The entries `(key, document)` of band run `b` whose key is one of `keys`
    /// (sorted, unique), in run order: one sequential read of the run from the file
    /// (not through the mapping, so the resident set does not grow with the
    /// archive), merged with `keys`, which checks the run (checksum, order, range)
    /// in the same pass; a damaged run is an error naming it, as [`Segment::band`].
    pub fn band_matches(&self, b: usize, keys: &[u64]) -> Result<Vec<(u64, u32)>> {
        if b >= self.bands {
            return Err(self.corrupt(
                "header",
                format!("no band {b} (the segment has {})", self.bands),
            ));
        }
        let s = self.section(Kind::Band, b as u32)?;
        let mut out = Vec::new();
        let mut k = 0usize;
        let problem = self.check_run_with(s, &mut |key, doc| {
            while k < keys.len() && keys[k] < key {
                k += 1;
            }
            if k < keys.len() && keys[k] == key {
                out.push((key, doc));
            }
        });
        let _ = self.band_ok[b].set(problem.clone());
        match problem {
            Some(reason) => Err(self.corrupt(&s.label(), reason)),
            None => Ok(out),
        }
    }

    /// What is wrong with a band run (`None`: sound): its checksum, entries sorted,
    /// documents in range. The run is read from the file in chunks rather than
    /// through the mapping, so that checking it does not bring all of it into the
    /// process's resident set (queries then touch a few pages of it by binary
    /// search: 216 MB of runs at 1M documents, BENCHMARKS.md).
    fn check_band_run(&self, s: &Section) -> Option<String> {
        self.check_run_with(s, &mut |_, _| {})
    }

    /// [`Segment::check_band_run`], calling `each(key, document)` on every entry in
    /// order while the run is sound so far.
    fn check_run_with(&self, s: &Section, each: &mut dyn FnMut(u64, u32)) -> Option<String> {
        let mut hash = Xxh3::new();
        let mut last: Option<(u64, u32)> = None;
        let mut i = 0usize;
        let mut problem = None;
        let read = self.scan(s, BAND_ENTRY_BYTES << 16, &mut |chunk| {
            hash.update(chunk);
            if problem.is_some() {
                return;
            }
            for e in chunk.chunks_exact(BAND_ENTRY_BYTES) {
                let entry = (u64_at(e, 0), u32_at(e, 8));
                if entry.1 as usize >= self.docs {
                    problem = Some(format!("entry {i}: document {} out of range", entry.1));
                    return;
                }
                if last.is_some_and(|l| l >= entry) {
                    problem = Some(format!("not sorted at entry {i}"));
                    return;
                }
                last = Some(entry);
                each(entry.0, entry.1);
                i += 1;
            }
        });
        if let Err(e) = read {
            return Some(format!("cannot be read: {e}"));
        }
        if hash.digest() != s.checksum {
            return Some("checksum mismatch".to_owned());
        }
        problem
    }

    /// Calls `f` on the bytes of section `s` in order, `chunk` bytes at a time (the
    /// last piece shorter), read from the file (on Unix; elsewhere from the mapping).
    fn scan(&self, s: &Section, chunk: usize, f: &mut dyn FnMut(&[u8])) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            let mut buf = vec![0u8; chunk.min(s.len as usize)];
            let mut at = 0u64;
            while at < s.len {
                let n = ((s.len - at) as usize).min(chunk);
                self.file.read_exact_at(&mut buf[..n], s.offset + at)?;
                f(&buf[..n]);
                at += n as u64;
            }
            Ok(())
        }
        #[cfg(not(unix))]
        {
            for piece in self.bytes(s).chunks(chunk.max(1)) {
                f(piece);
            }
            Ok(())
        }
    }

    /// Checks everything: every section's checksum, every block, band runs sorted
    /// with documents in range that have keys, and each keyed document once per band.
    /// Returns the problems found.
    pub fn verify(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for s in &self.sections {
            // Band runs are checked (and reported) through `band` below.
            if s.kind == Kind::Band {
                continue;
            }
            if let Err(e) = self.check(s) {
                problems.push(e.to_string());
            }
        }
        for b in 0..self.blocks() {
            if let Err(e) = self.read_block(b) {
                problems.push(e.to_string());
            }
        }
        let keyed = (0..self.docs as u32)
            .filter(|&d| self.meta(d).flags & HAS_KEYS != 0)
            .count();
        for b in 0..self.bands {
            let run = match self.band(b) {
                Ok(run) => run,
                Err(e) => {
                    problems.push(e.to_string());
                    continue;
                }
            };
            if run.len() != keyed {
                problems.push(format!(
                    "{}: band {b}: {} entries for {keyed} documents with keys",
                    self.path.display(),
                    run.len()
                ));
            }
            for i in 0..run.len() {
                let d = run.doc(i);
                if d as usize >= self.docs || self.meta(d).flags & HAS_KEYS == 0 {
                    problems.push(format!(
                        "{}: band {b}: entry {i}: document {d} out of range or without keys",
                        self.path.display()
                    ));
                    break;
                }
                if i > 0 && (run.key(i - 1), run.doc(i - 1)) >= (run.key(i), d) {
                    problems.push(format!(
                        "{}: band {b}: not sorted at entry {i}",
                        self.path.display()
                    ));
                    break;
                }
            }
        }
        problems
    }
}
