//! Near-duplicate queries: new documents (a staged segment) against the archive.
//!
//! For each band, the new documents' sorted run is walked key by key; the archive's
//! documents with the same key are found by binary search in each segment's run
//! (live ones only, in archive order). The bucket over the archive and the new
//! documents together then gives the same candidates as [`crate::lsh::BandIndex`]
//! over the archive followed by the new documents: every pair when it holds at most
//! `max_bucket` documents, else a star around its first document. Candidates are
//! verified exactly from the shingle sets of the stored texts.

use std::time::Instant;

use rayon::prelude::*;

use crate::corpus::{DocTable, InputStats};
use crate::error::Result;
use crate::mode::engine::sort_pairs;
use crate::mode::near_dup::classify;
use crate::mode::{Mode, PairsResult, Timings};
use crate::model::Pair;
use crate::params::Params;
use crate::progress::{Observer, Stage};
use crate::shingle::Shingler;
use crate::verify::{overlap, Overlap};

use super::segment::Segment;
use super::{set_fields_from, stored_read_options, DocRef, Index, StoredDocs};

/// How a query runs.
#[derive(Debug, Clone)]
pub struct QueryOptions {
    /// Also report pairs among the new documents.
    pub within: bool,
    /// Buckets with more documents than this are linked as stars.
    pub max_bucket: usize,
    /// Which pairs to look for: [`Mode::NearDup`] (the default here) from the stored
    /// band runs and texts; [`Mode::All`] by running the default mode over the
    /// archive's stored texts followed by the new documents (`run_all`).
    pub mode: Mode,
}

impl Default for QueryOptions {
    fn default() -> Self {
        QueryOptions {
            within: false,
            max_bucket: crate::params::DEFAULT_MAX_BUCKET,
            mode: Mode::NearDup,
        }
    }
}

/// One side of a candidate: an archive document, or a new one (its number in the
/// staged segment). Archive documents come first in corpus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Archive(DocRef),
    New(u32),
}

/// Candidates between the archive and the new documents, and among the new ones
/// (when `within`), sorted and unique; and the number of star buckets touched.
#[allow(clippy::type_complexity)]
fn candidates(
    index: &Index,
    new: &Segment,
    bands: usize,
    opts: &QueryOptions,
) -> Result<(Vec<(DocRef, u32)>, Vec<(u32, u32)>, usize)> {
    let per_band: Vec<Result<(Vec<(DocRef, u32)>, Vec<(u32, u32)>, usize)>> = (0..bands)
        .into_par_iter()
        .map(|b| {
            let run = new.band(b)?;
            // The archive's entries with a key of the new documents, by segment: one
            // sequential read of each run, not a binary search per key (which would
            // touch nearly every page of every run through the mapping).
            let mut keys: Vec<u64> = (0..run.len()).map(|i| run.key(i)).collect();
            keys.dedup();
            let archive: Vec<Vec<(u64, u32)>> = index
                .segments()
                .iter()
                .map(|s| s.band_matches(b, &keys))
                .collect::<Result<_>>()?;
            let mut cursor = vec![0usize; archive.len()];
            let mut an = Vec::new();
            let mut nn = Vec::new();
            let mut stars = 0;
            let mut members: Vec<DocRef> = Vec::new();
            let mut i = 0;
            while i < run.len() {
                let key = run.key(i);
                let mut j = i + 1;
                while j < run.len() && run.key(j) == key {
                    j += 1;
                }
                let group = i..j;
                let news = j - i;
                // Archive members in archive order, up to what decides the star rule.
                members.clear();
                let mut star = news > opts.max_bucket;
                // Members are listed up to the one that makes the bucket a star.
                let mut full = false;
                for (s, r) in archive.iter().enumerate() {
                    // Keys come in order: each segment's matches are walked once.
                    let at = &mut cursor[s];
                    while *at < r.len() && r[*at].0 < key {
                        *at += 1;
                    }
                    while *at < r.len() && r[*at].0 == key {
                        let d = r[*at].1;
                        if !full && index.is_live(s as u32, d) {
                            members.push((s as u32, d));
                            if members.len() + news > opts.max_bucket {
                                star = true;
                                full = true;
                            }
                        }
                        *at += 1;
                    }
                }
                if star {
                    stars += 1;
                    match members.first() {
                        Some(&centre) => an.extend(group.map(|x| (centre, run.doc(x)))),
                        None if opts.within => {
                            let centre = run.doc(i);
                            nn.extend(group.skip(1).map(|x| (centre, run.doc(x))));
                        }
                        None => {}
                    }
                } else {
                    for &a in &members {
                        an.extend(group.clone().map(|x| (a, run.doc(x))));
                    }
                    if opts.within {
                        for x in group.clone() {
                            for y in x + 1..j {
                                nn.push((run.doc(x), run.doc(y)));
                            }
                        }
                    }
                }
                i = j;
            }
            Ok((an, nn, stars))
        })
        .collect();
    let mut an = Vec::new();
    let mut nn = Vec::new();
    let mut stars = 0;
    for r in per_band {
        let (a, n, s) = r?;
        an.extend(a);
        nn.extend(n);
        stars += s;
    }
    an.par_sort_unstable();
    an.dedup();
    nn.par_sort_unstable();
    nn.dedup();
    Ok((an, nn, stars))
}

/// Runs the query of the staged segment `new` against `index`.
pub(super) fn run(
    index: &Index,
    new: &Segment,
    stats: InputStats,
    params: &Params,
    opts: &QueryOptions,
    obs: &dyn Observer,
) -> Result<PairsResult> {
    let t0 = Instant::now();
    obs.stage(Stage::Candidates, None);
    let (an, nn, star_buckets) = candidates(index, new, params.lsh().bands(), opts)?;
    let t1 = Instant::now();
    obs.stage(Stage::Verify, None);
    let ngram = params.ngram();
    // Shingle sets of the new documents in a candidate, block by block.
    let mut needed = vec![false; new.len()];
    for &(_, n) in &an {
        needed[n as usize] = true;
    }
    for &(x, y) in &nn {
        needed[x as usize] = true;
        needed[y as usize] = true;
    }
    let new_sets: Vec<Vec<(u32, Vec<u64>)>> = (0..new.blocks())
        .into_par_iter()
        .map(|b| -> Result<Vec<(u32, Vec<u64>)>> {
            let e = new.block(b);
            let docs: Vec<u32> = (e.first..e.first + e.docs)
                .filter(|&d| needed[d as usize])
                .collect();
            if docs.is_empty() {
                return Ok(Vec::new());
            }
            let block = new.read_block(b)?;
            let mut sh = Shingler::new(ngram);
            docs.into_iter()
                .map(|d| Ok((d, sh.shingle_set(&new.text_in(&block, d)?).0)))
                .collect()
        })
        .collect::<Result<_>>()?;
    let mut sets: Vec<Vec<u64>> = vec![Vec::new(); new.len()];
    for (d, s) in new_sets.into_iter().flatten() {
        sets[d as usize] = s;
    }
    // Archive documents, grouped by (segment, block) so that each block is read once.
    let mut groups: Vec<(u32, u32, usize, usize)> = Vec::new(); // seg, block, start, end in `an`
    let mut i = 0;
    while i < an.len() {
        let (s, d) = an[i].0;
        let block = index.segments()[s as usize].meta(d).block;
        let mut j = i + 1;
        while j < an.len()
            && an[j].0 .0 == s
            && index.segments()[s as usize].meta(an[j].0 .1).block == block
        {
            j += 1;
        }
        groups.push((s, block, i, j));
        i = j;
    }
    let verified: Vec<Vec<(Side, Side, Overlap)>> = groups
        .par_iter()
        .map(
            |&(s, b, start, end)| -> Result<Vec<(Side, Side, Overlap)>> {
                let seg = &index.segments()[s as usize];
                let block = seg.read_block(b as usize)?;
                let mut sh = Shingler::new(ngram);
                let mut out = Vec::new();
                let mut k = start;
                while k < end {
                    let a = an[k].0;
                    let set = sh.shingle_set(&seg.text_in(&block, a.1)?).0;
                    while k < end && an[k].0 == a {
                        let n = an[k].1;
                        out.push((
                            Side::Archive(a),
                            Side::New(n),
                            overlap(&set, &sets[n as usize]),
                        ));
                        k += 1;
                    }
                }
                Ok(out)
            },
        )
        .collect::<Result<_>>()?;
    let within: Vec<(Side, Side, Overlap)> = nn
        .par_iter()
        .map(|&(x, y)| {
            (
                Side::New(x),
                Side::New(y),
                overlap(&sets[x as usize], &sets[y as usize]),
            )
        })
        .collect();
    let candidates = an.len() + nn.len();
    let kept: Vec<(Side, Side, Overlap, crate::Score, crate::model::Verdict)> = verified
        .into_iter()
        .flatten()
        .chain(within)
        .filter_map(|(a, b, ov)| classify(params, &ov).map(|(sc, v)| (a, b, ov, sc, v)))
        .collect();
    // The document table: the archive documents of reported pairs in archive order,
    // then every new document.
    let mut archive: Vec<DocRef> = kept
        .iter()
        .filter_map(|(a, _, _, _, _)| match a {
            Side::Archive(r) => Some(*r),
            Side::New(_) => None,
        })
        .collect();
    archive.sort_unstable();
    archive.dedup();
    let mut docs = DocTable::default();
    for &(s, d) in &archive {
        let seg = &index.segments()[s as usize];
        let i = docs.push(seg.id(d), 0, 0, 0, seg.meta(d).words as usize);
        docs.set_field(i, seg.source(d));
        docs.set_date(i, seg.meta(d).date);
    }
    let base = docs.len() as u32;
    for d in 0..new.len() as u32 {
        let i = docs.push(new.id(d), 0, 0, 0, new.meta(d).words as usize);
        docs.set_field(i, new.source(d));
        docs.set_date(i, new.meta(d).date);
    }
    let number = |side: Side| match side {
        Side::Archive(r) => archive.binary_search(&r).expect("listed above") as u32,
        Side::New(n) => base + n,
    };
    let mut pairs: Vec<Pair> = kept
        .into_iter()
        .map(|(a, b, ov, score, verdict)| Pair {
            a: number(a),
            b: number(b),
            overlap: ov,
            score,
            verdict,
            alignment: None,
        })
        .collect();
    sort_pairs(&mut pairs, &docs);
    let t2 = Instant::now();
    Ok(PairsResult {
        docs,
        stats,
        candidates,
        star_buckets,
        pairs,
        timings: Timings {
            sketch: std::time::Duration::ZERO,
            candidates: t1 - t0,
            verify: t2 - t1,
        },
        context: None,
    })
}

/// Runs a default-mode query of the staged segment `new` against `index`: the default
/// mode ([`crate::mode::all`]) over a corpus of the archive's live documents (texts
/// from the index, in archive order) followed by the new ones, keeping the pairs that
/// touch a new document (between two new ones only with `within`). So the answers
/// are those of `pairs` over the archive's documents followed by the new ones, by
/// construction; the cost is that of such a run without the reading and parsing of
/// files (the index keeps no term statistics yet; ARCHITECTURE.md).
pub(super) fn run_all(
    index: &Index,
    new: Segment,
    stats: InputStats,
    params: &Params,
    opts: &QueryOptions,
    obs: &dyn Observer,
) -> Result<PairsResult> {
    use crate::corpus::{Corpus, DocStore};
    use std::sync::Arc;
    let archive = Arc::new(index.store());
    let first_new = archive.len();
    let new = Arc::new(StoredDocs::of_segment(Arc::new(new)));
    let corpus = Corpus::from_store(
        &index.dir().display().to_string(),
        archive.clone(),
        stored_read_options(),
    )?
    .chain(Corpus::from_store(
        "<query>",
        new.clone(),
        stored_read_options(),
    )?)?;
    // Only the candidates touching a new document are compared.
    let mut res = crate::mode::all::run_where(&corpus, params, obs, |a, b| {
        let (a, b) = (u64::from(a), u64::from(b));
        b >= first_new && (opts.within || a < first_new)
    })?;
    set_fields_from(&archive, &mut res.docs, 0);
    set_fields_from(&new, &mut res.docs, first_new as usize);
    res.stats = stats;
    Ok(res)
}
