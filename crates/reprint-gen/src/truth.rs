//! Scoring reported pairs against a truth file: recall per category and per Jaccard
//! bucket, precision per verdict.
//!
//! The truth file is JSON Lines of [`TruthPair`] (the generator's `truth.jsonl`, or any
//! file with the same fields). A reported pair is a true positive when its two ids form
//! a truth pair of a related category (every category but `distractor`); pairs are
//! matched whatever their order.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::Category;

/// Rounds to 6 decimals, as every figure of a report is written.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Jaccard buckets of the quality report: `[lo, hi)`, the last one closed.
pub const BUCKETS: [(f64, f64); 4] = [(0.0, 0.2), (0.2, 0.5), (0.5, 0.8), (0.8, 1.0)];

/// One planted pair as `bench` needs it (other fields of the truth file are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct TruthPair {
    /// Id of one document.
    pub a: String,
    /// Id of the other document.
    pub b: String,
    /// The planted relation.
    pub category: Category,
    /// Exact word n-gram Jaccard of the two documents, in `[0, 1]`.
    pub jaccard: f64,
}

/// Reads a truth file (JSON Lines of [`TruthPair`]).
pub fn read_truth(path: &Path) -> Result<Vec<TruthPair>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let row: TruthPair = serde_json::from_str(&line).map_err(|e| Error::BadTruth {
            path: path.to_path_buf(),
            line: i as u64 + 1,
            message: e.to_string(),
        })?;
        out.push(row);
    }
    Ok(out)
}

/// Recall over one group of truth pairs.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Recall {
    /// Truth pairs in the group.
    pub pairs: u64,
    /// Of those, pairs that were reported (in either order).
    pub found: u64,
    /// `found / pairs`; absent when there are no pairs.
    pub recall: Option<f64>,
}

impl Recall {
    fn add(&mut self, found: bool) {
        self.pairs += 1;
        self.found += found as u64;
    }
    fn finish(&mut self) {
        self.recall = (self.pairs > 0).then(|| round(self.found as f64 / self.pairs as f64));
    }
}

/// Recall within one Jaccard bucket.
#[derive(Debug, Clone, Serialize)]
pub struct BucketRow {
    /// `[lo,hi)`.
    pub bucket: String,
    /// Recall of the related truth pairs in the bucket.
    #[serde(flatten)]
    pub recall: Recall,
}

/// Everything about one truth category.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRow {
    /// The truth category of the row.
    pub category: Category,
    /// For distractors, `found` counts pairs wrongly reported (lower is better).
    #[serde(flatten)]
    pub recall: Recall,
    /// The same recall split by [`BUCKETS`] of the truth Jaccard.
    pub buckets: Vec<BucketRow>,
    /// Verdicts given to the found pairs.
    pub verdicts: BTreeMap<&'static str, u64>,
}

/// Precision of one verdict.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictRow {
    /// The verdict name, as the report writes it.
    pub verdict: &'static str,
    /// Reported pairs with this verdict.
    pub reported: u64,
    /// Reported pairs that are planted related pairs.
    pub true_positives: u64,
    /// `true_positives / reported`, rounded to 6 decimals; absent when nothing was
    /// reported.
    pub precision: Option<f64>,
}

/// Recall and precision against the truth.
#[derive(Debug, Clone, Serialize)]
pub struct Quality {
    /// Rows in the truth file.
    pub truth_pairs: u64,
    /// Truth pairs that share material (all categories but `distractor`).
    pub related_pairs: u64,
    /// Pairs reported (the length of the `reported` argument of [`score`]).
    pub reported: u64,
    /// Reported pairs that are related truth pairs.
    pub true_positives: u64,
    /// Reported pairs that are distractors or not in the truth at all.
    pub false_positives: u64,
    /// False positives that are distractor pairs of the truth.
    pub distractors_reported: u64,
    /// False positives that are not in the truth at all.
    pub unlisted_reported: u64,
    /// `true_positives / reported`, rounded to 6 decimals; absent when nothing was
    /// reported.
    pub precision: Option<f64>,
    /// Over all related truth pairs.
    pub recall: Option<f64>,
    /// One row per category, in [`Category::ALL`] order.
    pub by_category: Vec<CategoryRow>,
    /// Related pairs only.
    pub by_jaccard: Vec<BucketRow>,
    /// One row per verdict reported, sorted by name.
    pub by_verdict: Vec<VerdictRow>,
}

fn key<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

fn bucket_of(j: f64) -> usize {
    BUCKETS
        .iter()
        .position(|&(lo, hi)| j >= lo && j < hi)
        .unwrap_or(BUCKETS.len() - 1)
}

fn bucket_rows() -> Vec<BucketRow> {
    BUCKETS
        .iter()
        .enumerate()
        .map(|(i, &(lo, hi))| BucketRow {
            bucket: format!(
                "[{lo:.1},{hi:.1}{}",
                if i + 1 == BUCKETS.len() { "]" } else { ")" }
            ),
            recall: Recall::default(),
        })
        .collect()
}

/// Scores reported pairs `(a, b, verdict)` against the truth.
pub fn score(truth: &[TruthPair], reported: &[(&str, &str, &'static str)]) -> Quality {
    let found: HashMap<(&str, &str), &'static str> =
        reported.iter().map(|&(a, b, v)| (key(a, b), v)).collect();
    let in_truth: HashMap<(&str, &str), Category> = truth
        .iter()
        .map(|t| (key(&t.a, &t.b), t.category))
        .collect();
    let mut by_category: Vec<CategoryRow> = Category::ALL
        .iter()
        .map(|&c| CategoryRow {
            category: c,
            recall: Recall::default(),
            buckets: bucket_rows(),
            verdicts: BTreeMap::new(),
        })
        .collect();
    let mut by_jaccard = bucket_rows();
    let mut related = Recall::default();
    for t in truth {
        let hit = found.get(&key(&t.a, &t.b)).copied();
        let row = &mut by_category[Category::ALL
            .iter()
            .position(|&c| c == t.category)
            .expect("every category is listed")];
        row.recall.add(hit.is_some());
        row.buckets[bucket_of(t.jaccard)].recall.add(hit.is_some());
        if let Some(v) = hit {
            *row.verdicts.entry(v).or_default() += 1;
        }
        if t.category.is_related() {
            related.add(hit.is_some());
            by_jaccard[bucket_of(t.jaccard)].recall.add(hit.is_some());
        }
    }
    for r in &mut by_category {
        r.recall.finish();
        r.buckets.iter_mut().for_each(|b| b.recall.finish());
    }
    by_jaccard.iter_mut().for_each(|b| b.recall.finish());
    related.finish();
    let mut verdicts: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let (mut tp, mut distractors, mut unlisted) = (0u64, 0u64, 0u64);
    for &(a, b, v) in reported {
        let e = verdicts.entry(v).or_default();
        e.0 += 1;
        match in_truth.get(&key(a, b)) {
            Some(c) if c.is_related() => {
                tp += 1;
                e.1 += 1;
            }
            Some(_) => distractors += 1,
            None => unlisted += 1,
        }
    }
    let n = reported.len() as u64;
    Quality {
        truth_pairs: truth.len() as u64,
        related_pairs: related.pairs,
        reported: n,
        true_positives: tp,
        false_positives: n - tp,
        distractors_reported: distractors,
        unlisted_reported: unlisted,
        precision: (n > 0).then(|| round(tp as f64 / n as f64)),
        recall: related.recall,
        by_category,
        by_jaccard,
        by_verdict: verdicts
            .into_iter()
            .map(|(verdict, (reported, tp))| VerdictRow {
                verdict,
                reported,
                true_positives: tp,
                precision: (reported > 0).then(|| round(tp as f64 / reported as f64)),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(a: &str, b: &str, category: Category, jaccard: f64) -> TruthPair {
        TruthPair {
            a: a.into(),
            b: b.into(),
            category,
            jaccard,
        }
    }

    #[test]
    fn scores_recall_precision_and_buckets() {
        let truth = vec![
            t("d1", "d2", Category::NearDuplicate, 0.9),
            t("d1", "d3", Category::NearDuplicate, 0.3),
            t("d4", "d5", Category::Rewrite, 0.05),
            t("d6", "d7", Category::Distractor, 0.01),
        ];
        // d2/d1 reported in the other order; one distractor and one unlisted pair.
        let reported = vec![
            ("d2", "d1", "near-duplicate"),
            ("d4", "d5", "rewrite"),
            ("d6", "d7", "partial"),
            ("d8", "d9", "partial"),
        ];
        let q = score(&truth, &reported);
        assert_eq!((q.truth_pairs, q.related_pairs, q.reported), (4, 3, 4));
        assert_eq!((q.true_positives, q.false_positives), (2, 2));
        assert_eq!((q.distractors_reported, q.unlisted_reported), (1, 1));
        assert_eq!(q.precision, Some(0.5));
        assert_eq!(q.recall, Some(0.666667));
        let nd = &q.by_category[0];
        assert_eq!((nd.recall.pairs, nd.recall.found), (2, 1));
        assert_eq!(nd.buckets[3].recall.found, 1);
        assert_eq!(nd.buckets[1].recall.found, 0);
        assert_eq!(nd.verdicts.get("near-duplicate"), Some(&1));
        assert_eq!(q.by_jaccard[0].recall.pairs, 1);
        assert_eq!(q.by_jaccard[0].bucket, "[0.0,0.2)");
        assert_eq!(q.by_jaccard[3].bucket, "[0.8,1.0]");
        let partial = q
            .by_verdict
            .iter()
            .find(|v| v.verdict == "partial")
            .unwrap();
        assert_eq!((partial.reported, partial.true_positives), (2, 0));
        assert_eq!(bucket_of(1.0), 3);
        assert_eq!(bucket_of(0.2), 1);
    }
}
