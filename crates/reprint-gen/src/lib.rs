//! `reprint gen`: a synthetic news-like corpus with planted, labelled relations.
//!
//! The corpus is a sequence of **families**. A family is one source story and the
//! documents derived from it: near-duplicates (copy-edited at an edit rate), rewrites
//! (reworded sentence by sentence, reordered, with added material), partial reuse
//! (some paragraphs reworked into another story) and distractors (independent stories
//! on the same topic that share names with the source). Most families are single
//! stories. Every pair of documents in a family is a row of the truth file, with its
//! category and its exact word n-gram Jaccard, measured by the caller's [`Measure`]
//! (the `reprint` binary measures with reprint's own shingler, so the truth agrees with
//! what reprint sees). `GENERATOR.md` describes the model, proportions and limits.
//!
//! [`truth`] reads a truth file back and scores reported pairs against it.
//!
//! Invariants:
//!
//! * **Deterministic**: a family's documents depend only on `(seed, family index)`,
//!   the plan only on `(seed, docs)`, a chunk's document order only on `(seed, chunk
//!   index)`. Chunks are generated in parallel and written in order, so the bytes are
//!   the same for any thread count.
//! * **Streaming**: families are planned sequentially a chunk at a time, and only a
//!   window of chunks is in memory; nothing grows with the number of documents.
//! * **Atomic**: files are written to temporary files in the output directory and
//!   renamed when complete; `manifest.json` is written last.

#![warn(missing_docs)]

pub mod edit;
mod error;
pub mod rng;
pub mod story;
pub mod truth;
pub mod vocab;

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::error::{Error, Result};
use edit::RewriteParams;
use rng::{Rng, Stream};
use story::{story_length, topic_pools, Doc, Story, TopicPool};

/// Schema name of `manifest.json`.
pub const MANIFEST_SCHEMA: &str = "reprint.gen/1";
/// File name of the corpus inside the output directory: one JSON object per line,
/// `{"id", "topic", "text"}`.
pub const CORPUS_FILE: &str = "corpus.jsonl";
/// File name of the truth file inside the output directory: one [`TruthRow`] per line.
pub const TRUTH_FILE: &str = "truth.jsonl";
/// File name of the [`Manifest`] inside the output directory, written last.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Documents per chunk (families are never split across chunks, so chunks may be a
/// few documents larger). Documents are shuffled within a chunk.
const CHUNK_DOCS: usize = 1024;

/// How the truth file measures a text: the sorted, unique hashes of its word n-grams
/// and its number of words. Implemented by the caller so that the generator does not
/// depend on any tokenizer; the `reprint` binary uses `reprint::shingle::Shingler`.
pub trait Measure: Sync {
    /// The sorted, unique word `ngram`-gram hashes of `text`, and its word count.
    fn shingles(&self, text: &str, ngram: usize) -> (Vec<u64>, usize);
    /// The number of words of `text`.
    fn words(&self, text: &str) -> usize;
}

/// Exact overlap of two sorted, unique sets: `(shared, jaccard)`; 0 for two empty sets.
fn overlap(a: &[u64], b: &[u64]) -> (usize, f64) {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    (
        shared,
        if union == 0 {
            0.0
        } else {
            shared as f64 / union as f64
        },
    )
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    /// Number of documents to write (exactly this many).
    pub docs: u64,
    /// Seed of every random choice; the same seed and `docs` give the same bytes.
    pub seed: u64,
    /// Shingle length of the truth file's Jaccard.
    pub ngram: usize,
}

/// The relation of a planted pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// A copy of the other with word edits, sentence drops and paragraph swaps.
    NearDuplicate,
    /// The other reworded: synonyms, clause order, splits and merges, reordering.
    Rewrite,
    /// Some paragraphs of the other reworked into a different story.
    Partial,
    /// Two derivatives of the same source (they share material through it).
    Sibling,
    /// An independent story on the same topic sharing some names: unrelated.
    Distractor,
}

impl Category {
    /// Every category, in declaration order (the order of the scoring tables).
    pub const ALL: [Category; 5] = [
        Category::NearDuplicate,
        Category::Rewrite,
        Category::Partial,
        Category::Sibling,
        Category::Distractor,
    ];

    /// The kebab-case name, as serialized in `truth.jsonl` (`"near-duplicate"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Category::NearDuplicate => "near-duplicate",
            Category::Rewrite => "rewrite",
            Category::Partial => "partial",
            Category::Sibling => "sibling",
            Category::Distractor => "distractor",
        }
    }

    /// Whether the two documents share material (everything but distractors).
    pub fn is_related(self) -> bool {
        self != Category::Distractor
    }
}

/// How a partial document reworked the paragraphs it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rework {
    /// Copy-edited at the family's edit rate, like a near-duplicate.
    Edited,
    /// Reworded sentence by sentence, like a rewrite.
    Rewritten,
}

/// How a document of a family was made.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Source,
    NearDuplicate { edit_rate: f64 },
    Rewrite(RewriteParams),
    Partial { paragraphs: usize, rework: Rework },
    Distractor { shared_entities: usize },
}

impl Role {
    fn category(self) -> Option<Category> {
        Some(match self {
            Role::Source => return None,
            Role::NearDuplicate { .. } => Category::NearDuplicate,
            Role::Rewrite(_) => Category::Rewrite,
            Role::Partial { .. } => Category::Partial,
            Role::Distractor { .. } => Category::Distractor,
        })
    }
}

/// One row of `truth.jsonl`: a planted pair, `a` before `b` in the corpus.
#[derive(Debug, Clone, Serialize)]
pub struct TruthRow {
    /// Id of the earlier document in the corpus.
    pub a: String,
    /// Id of the later document in the corpus.
    pub b: String,
    /// How `b` relates to `a` (for siblings, [`Category::Sibling`]).
    pub category: Category,
    /// Both documents are derivatives (neither is the source).
    pub sibling: bool,
    /// Exact word n-gram Jaccard, `shared_shingles / union_shingles`.
    pub jaccard: f64,
    /// Distinct word n-grams the two documents share.
    pub shared_shingles: usize,
    /// Distinct word n-grams in either document.
    pub union_shingles: usize,
    /// Name of the family's topic (a [`vocab::Topic`] name).
    pub topic: &'static str,
    /// Near-duplicates: the edit rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit_rate: Option<f64>,
    /// Rewrites: how it was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<RewriteParams>,
    /// Partial: paragraphs taken from the source, and how they were reworked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraphs: Option<usize>,
    /// Partial: how the taken paragraphs were reworked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rework: Option<Rework>,
    /// Distractors made from the source: names shared with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shared_entities: Option<usize>,
    /// Siblings: the categories of the two derivatives relative to their source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<[Category; 2]>,
}

#[derive(Serialize)]
struct CorpusRow<'a> {
    id: &'a str,
    topic: &'a str,
    text: &'a str,
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Always [`MANIFEST_SCHEMA`].
    pub schema: &'static str,
    /// The program and version that wrote the files (`"reprint 0.1.0"`).
    pub tool: String,
    /// [`GenOptions::seed`].
    pub seed: u64,
    /// Number of documents written ([`GenOptions::docs`]).
    pub docs: u64,
    /// [`GenOptions::ngram`]: the shingle length of the truth file's Jaccard.
    pub ngram: usize,
    /// Number of families, single stories included.
    pub families: u64,
    /// Families by kind (`single`, or the kinds of their derivatives).
    pub family_kinds: BTreeMap<String, u64>,
    /// Documents by how they were made (`source`, `single`, or a category).
    pub documents: BTreeMap<String, u64>,
    /// Truth rows by category.
    pub pairs: BTreeMap<String, u64>,
    /// Size of [`CORPUS_FILE`] in bytes.
    pub corpus_bytes: u64,
    /// Size of [`TRUTH_FILE`] in bytes.
    pub truth_bytes: u64,
    /// Words in the corpus, counted by [`Measure::words`] (or [`Measure::shingles`]).
    pub words: u64,
    /// File names by role: `corpus`, `truth` and `manifest`.
    pub files: BTreeMap<String, String>,
}

/// Kinds of derivative a family plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Derive {
    NearDuplicate,
    Rewrite,
    Partial,
    Distractor,
}

#[derive(Debug, Clone)]
struct FamilyPlan {
    index: u64,
    derive: Vec<Derive>,
    kind: &'static str,
}

impl FamilyPlan {
    fn docs(&self) -> usize {
        1 + self.derive.len()
    }
}

/// Families for the whole run, a chunk at a time, from one sequential stream.
struct Planner {
    rng: Rng,
    remaining: u64,
    next_family: u64,
    next_chunk: u64,
    next_doc: u64,
}

#[derive(Debug)]
struct ChunkPlan {
    index: u64,
    first_doc: u64,
    families: Vec<FamilyPlan>,
    docs: usize,
}

impl Planner {
    fn new(seed: u64, docs: u64) -> Self {
        Planner {
            rng: Rng::derive(seed, Stream::Plan, 0),
            remaining: docs,
            next_family: 0,
            next_chunk: 0,
            next_doc: 0,
        }
    }

    fn family(&mut self) -> FamilyPlan {
        use Derive::*;
        let r = &mut self.rng;
        let (kind, mut derive) = match r.weighted(&[52, 14, 12, 8, 8, 6]) {
            0 => ("single", vec![]),
            1 => (
                "near-duplicate",
                vec![NearDuplicate; 1 + r.weighted(&[60, 30, 10])],
            ),
            2 => ("rewrite", vec![Rewrite; 1 + r.weighted(&[75, 25])]),
            3 => ("partial", vec![Partial; 1 + r.weighted(&[80, 20])]),
            4 => ("distractor", vec![Distractor; 1 + r.weighted(&[70, 30])]),
            _ => {
                let mut d = vec![NearDuplicate, Rewrite];
                if r.chance(0.5) {
                    d.push(Partial);
                }
                if r.chance(0.3) {
                    d.push(Distractor);
                }
                ("mixed", d)
            }
        };
        derive.truncate(self.remaining.saturating_sub(1) as usize);
        let kind = if derive.is_empty() { "single" } else { kind };
        let f = FamilyPlan {
            index: self.next_family,
            derive,
            kind,
        };
        self.next_family += 1;
        self.remaining -= f.docs() as u64;
        f
    }

    fn next_chunk(&mut self) -> Option<ChunkPlan> {
        if self.remaining == 0 {
            return None;
        }
        let mut c = ChunkPlan {
            index: self.next_chunk,
            first_doc: self.next_doc,
            families: Vec::new(),
            docs: 0,
        };
        while c.docs < CHUNK_DOCS && self.remaining > 0 {
            let f = self.family();
            c.docs += f.docs();
            c.families.push(f);
        }
        self.next_chunk += 1;
        self.next_doc += c.docs as u64;
        Some(c)
    }
}

struct Member {
    doc: Doc,
    role: Role,
}

/// The documents of one family (source first) and its topic.
fn family_docs(seed: u64, plan: &FamilyPlan, pools: &[TopicPool]) -> (usize, Vec<Member>) {
    let mut rng = Rng::derive(seed, Stream::Family, plan.index);
    let topic = rng.below(pools.len());
    let pool = &pools[topic];
    let mut story = Story::new(&mut rng, topic, pool);
    let len = story_length(&mut rng);
    let source = story.document(&mut rng, len);
    let mut out = Vec::with_capacity(plan.docs());
    for d in &plan.derive {
        let m = match d {
            Derive::NearDuplicate => {
                // A fifth are exact copies (syndication); the rest spread over light to
                // heavy edits, more of them light.
                let edit_rate = if rng.chance(0.2) {
                    0.0
                } else {
                    let u = rng.unit();
                    ((0.005 + 0.245 * u * u) * 1000.0).round() / 1000.0
                };
                Member {
                    doc: edit::near_duplicate(&source, edit_rate, &story, &mut rng),
                    role: Role::NearDuplicate { edit_rate },
                }
            }
            Derive::Rewrite => {
                let p = RewriteParams::draw(&mut rng);
                Member {
                    doc: edit::rewrite(&source, &p, &mut story, &mut rng),
                    role: Role::Rewrite(p),
                }
            }
            Derive::Partial => partial(&source, &story, pool, &mut rng),
            Derive::Distractor => {
                let want = rng.range(1, 3);
                let (mut other, shared) = story.related(&mut rng, pool, want);
                let len = story_length(&mut rng);
                Member {
                    doc: other.document(&mut rng, len),
                    role: Role::Distractor {
                        shared_entities: shared,
                    },
                }
            }
        };
        out.push(m);
    }
    out.insert(
        0,
        Member {
            doc: source,
            role: Role::Source,
        },
    );
    (topic, out)
}

/// A new story on the same topic into which 1-3 consecutive paragraphs of `source`
/// are inserted, lightly edited or rewritten.
fn partial(source: &Doc, story: &Story, pool: &TopicPool, rng: &mut Rng) -> Member {
    let (mut host, _) = story.related(rng, pool, 1);
    let len = story_length(rng);
    let mut doc = host.document(rng, len);
    let n = source.paragraphs.len();
    let k = rng.range(1, 3).min(n);
    let start = rng.range(0, n - k);
    let taken = Doc {
        paragraphs: source.paragraphs[start..start + k].to_vec(),
    };
    let rework = if rng.chance(0.5) {
        Rework::Edited
    } else {
        Rework::Rewritten
    };
    let reworked = match rework {
        Rework::Edited => {
            let rate = rng.uniform(0.0, 0.08);
            edit::near_duplicate(&taken, rate, story, rng)
        }
        Rework::Rewritten => {
            let p = RewriteParams {
                added_sentences: 0,
                paragraphs_reordered: false,
                ..RewriteParams::draw(rng)
            };
            Doc {
                paragraphs: taken
                    .paragraphs
                    .iter()
                    .map(|para| edit::rewrite_sentences(para, &p, rng))
                    .filter(|para| !para.is_empty())
                    .collect(),
            }
        }
    };
    let at = rng.range(1.min(doc.paragraphs.len()), doc.paragraphs.len());
    for (i, p) in reworked.paragraphs.into_iter().enumerate() {
        doc.paragraphs.insert(at + i, p);
    }
    Member {
        doc,
        role: Role::Partial {
            paragraphs: k,
            rework,
        },
    }
}

/// What one chunk contributes to the files and the counts.
struct ChunkOut {
    corpus: Vec<u8>,
    truth: Vec<u8>,
    docs: u64,
    words: u64,
    family_kinds: BTreeMap<&'static str, u64>,
    documents: BTreeMap<&'static str, u64>,
    pairs: BTreeMap<&'static str, u64>,
}

fn role_name(r: Role, single: bool) -> &'static str {
    match r.category() {
        Some(c) => c.name(),
        None if single => "single",
        None => "source",
    }
}

fn doc_id(i: u64) -> String {
    format!("doc{i:08}")
}

fn gen_chunk(
    seed: u64,
    ngram: usize,
    measure: &dyn Measure,
    pools: &[TopicPool],
    chunk: &ChunkPlan,
) -> ChunkOut {
    let topics = &vocab::TOPICS;
    // Local documents in family order, and truth pairs by local index.
    let mut texts: Vec<(String, &'static str)> = Vec::with_capacity(chunk.docs);
    let mut pairs: Vec<(usize, usize, TruthRow)> = Vec::new();
    let mut out = ChunkOut {
        corpus: Vec::new(),
        truth: Vec::new(),
        docs: chunk.docs as u64,
        words: 0,
        family_kinds: BTreeMap::new(),
        documents: BTreeMap::new(),
        pairs: BTreeMap::new(),
    };
    for plan in &chunk.families {
        let (topic, members) = family_docs(seed, plan, pools);
        let topic_name = topics[topic].name;
        *out.family_kinds.entry(plan.kind).or_default() += 1;
        let base = texts.len();
        let single = members.len() == 1;
        let mut sets = Vec::with_capacity(members.len());
        for m in &members {
            let mut t = String::with_capacity(8 * m.doc.words());
            m.doc.render(&mut t);
            if !single {
                let (set, words) = measure.shingles(&t, ngram);
                out.words += words as u64;
                sets.push(set);
            } else {
                out.words += measure.words(&t) as u64;
            }
            *out.documents.entry(role_name(m.role, single)).or_default() += 1;
            texts.push((t, topic_name));
        }
        for i in 0..members.len() {
            for j in i + 1..members.len() {
                let (ri, rj) = (members[i].role, members[j].role);
                let (shared, jaccard) = overlap(&sets[i], &sets[j]);
                let union = sets[i].len() + sets[j].len() - shared;
                let sibling = i != 0;
                // The pair's relation, and whose generating parameters describe it.
                let (category, by) = if !sibling {
                    (rj.category().expect("derivative"), Some(rj))
                } else if let Role::Distractor { .. } = rj {
                    (Category::Distractor, None)
                } else if let Role::Distractor { .. } = ri {
                    (Category::Distractor, None)
                } else {
                    (Category::Sibling, None)
                };
                let mut row = TruthRow {
                    a: String::new(),
                    b: String::new(),
                    category,
                    sibling,
                    jaccard,
                    shared_shingles: shared,
                    union_shingles: union,
                    topic: topic_name,
                    edit_rate: None,
                    rewrite: None,
                    paragraphs: None,
                    rework: None,
                    shared_entities: None,
                    via: None,
                };
                match by {
                    Some(Role::NearDuplicate { edit_rate }) => row.edit_rate = Some(edit_rate),
                    Some(Role::Rewrite(p)) => row.rewrite = Some(p),
                    Some(Role::Partial { paragraphs, rework }) => {
                        row.paragraphs = Some(paragraphs);
                        row.rework = Some(rework);
                    }
                    Some(Role::Distractor { shared_entities }) => {
                        row.shared_entities = Some(shared_entities)
                    }
                    _ => {}
                }
                if sibling {
                    if let (Some(x), Some(y)) = (ri.category(), rj.category()) {
                        row.via = Some([x, y]);
                    }
                }
                *out.pairs.entry(category.name()).or_default() += 1;
                pairs.push((base + i, base + j, row));
            }
        }
    }
    // Shuffle the chunk so derivatives do not sit next to their source.
    let mut order: Vec<usize> = (0..texts.len()).collect();
    Rng::derive(seed, Stream::Shuffle, chunk.index).shuffle(&mut order);
    let mut position = vec![0usize; texts.len()];
    for (slot, &local) in order.iter().enumerate() {
        position[local] = slot;
    }
    out.corpus
        .reserve(texts.iter().map(|(t, _)| t.len() + 64).sum());
    for (slot, &local) in order.iter().enumerate() {
        let (text, topic) = &texts[local];
        let id = doc_id(chunk.first_doc + slot as u64);
        serde_json::to_writer(
            &mut out.corpus,
            &CorpusRow {
                id: &id,
                topic,
                text,
            },
        )
        .expect("writing to memory");
        out.corpus.push(b'\n');
    }
    let mut placed: Vec<(usize, usize, TruthRow)> = pairs
        .into_iter()
        .map(|(i, j, row)| {
            let (pi, pj) = (position[i], position[j]);
            (pi.min(pj), pi.max(pj), row)
        })
        .collect();
    placed.sort_by_key(|&(a, b, _)| (a, b));
    for (a, b, mut row) in placed {
        row.a = doc_id(chunk.first_doc + a as u64);
        row.b = doc_id(chunk.first_doc + b as u64);
        serde_json::to_writer(&mut out.truth, &row).expect("writing to memory");
        out.truth.push(b'\n');
    }
    out
}

/// True for a file an interrupted `generate` may have left in its directory: a
/// temporary file of one of its outputs (`.corpus.jsonl.<random>.tmp` of older
/// versions, `.reprint-<pid>-<random>.tmp` now).
fn is_own_temp(name: &str) -> bool {
    if name.starts_with(reprint_fs::OUTPUT_PREFIX) && name.ends_with(reprint_fs::SUFFIX) {
        return true;
    }
    [CORPUS_FILE, TRUTH_FILE, MANIFEST_FILE].iter().any(|f| {
        name.strip_prefix('.')
            .and_then(|n| n.strip_prefix(f))
            .is_some_and(|rest| rest.starts_with('.') && rest.ends_with(reprint_fs::SUFFIX))
    })
}

/// Checks that `dir` can receive a new corpus: it is created if missing, and must be
/// an empty directory otherwise. Temporary files left by an interrupted run (see
/// `is_own_temp`) do not count: they are removed.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    match fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(Error::OutputDir {
            path: dir.to_path_buf(),
            reason: "exists and is not a directory".into(),
        }),
        Ok(_) => {
            let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            let mut stale = Vec::new();
            for e in entries {
                let e = e.map_err(|e| Error::io(dir, e))?;
                let own = e.file_name().to_str().is_some_and(is_own_temp)
                    && e.file_type().is_ok_and(|t| t.is_file());
                if !own {
                    return Err(Error::OutputDir {
                        path: dir.to_path_buf(),
                        reason: "exists and is not empty (give a new or empty directory)".into(),
                    });
                }
                stale.push(e.path());
            }
            for p in stale {
                fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
            }
            Ok(())
        }
        Err(_) => fs::create_dir_all(dir).map_err(|e| Error::io(dir, e)),
    }
}

struct AtomicFile {
    path: PathBuf,
    w: BufWriter<reprint_fs::AtomicFile>,
    bytes: u64,
}

impl AtomicFile {
    fn create(dir: &Path, name: &str) -> Result<Self> {
        let path = dir.join(name);
        let tmp = reprint_fs::AtomicFile::create(&path).map_err(|e| Error::io(dir, e))?;
        Ok(AtomicFile {
            path,
            w: BufWriter::with_capacity(1 << 20, tmp),
            bytes: 0,
        })
    }

    fn write(&mut self, b: &[u8]) -> Result<()> {
        self.bytes += b.len() as u64;
        self.w.write_all(b).map_err(|e| self.err(e))
    }

    fn err(&self, source: std::io::Error) -> Error {
        Error::Write {
            path: self.path.clone(),
            source,
        }
    }

    fn finish(self) -> Result<u64> {
        let path = self.path.clone();
        let werr = |source| Error::Write {
            path: path.clone(),
            source,
        };
        let tmp = self.w.into_inner().map_err(|e| werr(e.into_error()))?;
        // The result is an ordinary file, whatever the temporary file's mode.
        tmp.commit(Some(0o644)).map_err(werr)?;
        Ok(self.bytes)
    }
}

/// Generates the corpus into `dir` (see the module docs), measuring the truth with
/// `measure`. `progress` is called with the number of documents written after each
/// chunk.
pub fn generate(
    opts: &GenOptions,
    dir: &Path,
    measure: &dyn Measure,
    progress: &dyn Fn(u64),
) -> Result<Manifest> {
    if opts.docs == 0 {
        return Err(Error::TooSmall {
            name: "docs",
            min: 1,
        });
    }
    if opts.ngram == 0 {
        return Err(Error::TooSmall {
            name: "ngram",
            min: 1,
        });
    }
    prepare_dir(dir)?;
    let pools = topic_pools(opts.seed);
    let mut corpus = AtomicFile::create(dir, CORPUS_FILE)?;
    let mut truth = AtomicFile::create(dir, TRUTH_FILE)?;
    let mut planner = Planner::new(opts.seed, opts.docs);
    let window = (4 * rayon::current_num_threads()).max(4);
    let mut m = Manifest {
        schema: MANIFEST_SCHEMA,
        tool: format!("reprint {}", env!("CARGO_PKG_VERSION")),
        seed: opts.seed,
        docs: opts.docs,
        ngram: opts.ngram,
        families: 0,
        family_kinds: BTreeMap::new(),
        documents: BTreeMap::new(),
        pairs: Category::ALL
            .iter()
            .map(|c| (c.name().to_owned(), 0))
            .collect(),
        corpus_bytes: 0,
        truth_bytes: 0,
        words: 0,
        files: [
            ("corpus", CORPUS_FILE),
            ("truth", TRUTH_FILE),
            ("manifest", MANIFEST_FILE),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
    };
    let mut written = 0u64;
    loop {
        let chunks: Vec<ChunkPlan> = (0..window).map_while(|_| planner.next_chunk()).collect();
        if chunks.is_empty() {
            break;
        }
        let outs: Vec<ChunkOut> = chunks
            .par_iter()
            .map(|c| gen_chunk(opts.seed, opts.ngram, measure, &pools, c))
            .collect();
        for o in outs {
            corpus.write(&o.corpus)?;
            truth.write(&o.truth)?;
            written += o.docs;
            m.words += o.words;
            for (k, v) in o.family_kinds {
                m.families += v;
                *m.family_kinds.entry(k.to_owned()).or_default() += v;
            }
            for (k, v) in o.documents {
                *m.documents.entry(k.to_owned()).or_default() += v;
            }
            for (k, v) in o.pairs {
                *m.pairs.entry(k.to_owned()).or_default() += v;
            }
            progress(written);
        }
    }
    debug_assert_eq!(written, opts.docs);
    m.corpus_bytes = corpus.finish()?;
    m.truth_bytes = truth.finish()?;
    let mut manifest = AtomicFile::create(dir, MANIFEST_FILE)?;
    let mut json = serde_json::to_vec_pretty(&m).expect("serialising to memory");
    json.push(b'\n');
    manifest.write(&json)?;
    manifest.finish()?;
    Ok(m)
}

/// The measure of the tests: reprint's shingler, as the binary uses.
#[cfg(test)]
pub(crate) mod testing {
    pub(crate) struct ReprintMeasure;

    impl super::Measure for ReprintMeasure {
        fn shingles(&self, text: &str, ngram: usize) -> (Vec<u64>, usize) {
            reprint::shingle::Shingler::new(ngram).shingle_set(text)
        }
        fn words(&self, text: &str) -> usize {
            let mut n = 0;
            reprint::text::for_each_word(text, |_| n += 1);
            n
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_covers_exactly_the_asked_documents() {
        for docs in [1u64, 2, 3, 1000, 5000] {
            let mut p = Planner::new(9, docs);
            let mut total = 0u64;
            let mut first = 0u64;
            while let Some(c) = p.next_chunk() {
                assert_eq!(c.first_doc, first);
                assert_eq!(
                    c.docs,
                    c.families.iter().map(FamilyPlan::docs).sum::<usize>()
                );
                first += c.docs as u64;
                total += c.docs as u64;
            }
            assert_eq!(total, docs);
        }
    }

    #[test]
    fn chunks_are_the_same_whoever_generates_them() {
        let pools = topic_pools(3);
        let mut p = Planner::new(3, 300);
        let c = p.next_chunk().unwrap();
        let a = gen_chunk(3, 5, &testing::ReprintMeasure, &pools, &c);
        let b = gen_chunk(3, 5, &testing::ReprintMeasure, &pools, &c);
        assert_eq!(a.corpus, b.corpus);
        assert_eq!(a.truth, b.truth);
        assert!(a.pairs.len() >= 4, "{:?}", a.pairs);
    }
}
