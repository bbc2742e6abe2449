//! Run parameters, validated once at the boundary and trusted afterwards.

use serde::Serialize;

use crate::compare::docscore::IdfSource;
use crate::error::{Error, Result};
use crate::lsh::LshParams;
use crate::shingle::DEFAULT_NGRAM;
use crate::sketch::{Scheme, DEFAULT_PERMS};

/// Jaccard at or above which a verified pair is called a `duplicate`.
pub const DUPLICATE_JACCARD: f64 = 0.9;

/// Default Jaccard threshold of `reprint pairs --mode near-dup`.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// Default bound on the length ratio of pairs found by containment (see
/// [`Params::candidate_threshold`]).
pub const DEFAULT_MAX_SIZE_RATIO: f64 = 4.0;

/// Buckets larger than this are linked as stars rather than all pairs.
pub const DEFAULT_MAX_BUCKET: usize = 500;

/// Everything that decides which pairs a run reports.
///
/// The fields are private: a `Params` only comes from [`ParamsInput::validate`] (or
/// [`Params::defaults`], or `Pipeline::builder`), so every value in it has
/// been checked once; read them with the getters.
#[derive(Debug, Clone, Serialize)]
pub struct Params {
    ngram: usize,
    perms: usize,
    scheme: Scheme,
    threshold: f64,
    containment: Option<f64>,
    max_size_ratio: f64,
    lsh: LshParams,
    max_bucket: usize,
    idf: IdfSource,
}

/// Values as the user gave them, before validation ([`ParamsInput::validate`] turns
/// them into [`Params`]). The defaults are the CLI's.
#[derive(Debug, Clone)]
pub struct ParamsInput {
    /// Shingle length in words, 1 to 64.
    pub ngram: usize,
    /// MinHash signature slots, 1 to 4096.
    pub perms: usize,
    /// MinHash construction.
    pub scheme: Scheme,
    /// Jaccard threshold, in (0, 1].
    pub threshold: f64,
    /// Containment threshold, in (0, 1], if any.
    pub containment: Option<f64>,
    /// Longest/shortest length ratio for containment, at least 1.
    pub max_size_ratio: f64,
    /// LSH bands (`None`: derived from the threshold, or from `rows`).
    pub bands: Option<usize>,
    /// LSH rows per band (`None`: derived from the threshold, or from `bands`).
    pub rows: Option<usize>,
    /// Bucket size above which buckets are linked as stars, at least 2.
    pub max_bucket: usize,
    /// Statistics of the pair comparison's document score.
    pub idf: IdfSource,
}

impl Default for ParamsInput {
    fn default() -> Self {
        ParamsInput {
            ngram: DEFAULT_NGRAM,
            perms: DEFAULT_PERMS,
            scheme: Scheme::default(),
            threshold: DEFAULT_THRESHOLD,
            containment: None,
            max_size_ratio: DEFAULT_MAX_SIZE_RATIO,
            bands: None,
            rows: None,
            max_bucket: DEFAULT_MAX_BUCKET,
            idf: IdfSource::Background,
        }
    }
}

fn unit(name: &'static str, v: f64) -> Result<f64> {
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(Error::invalid(name, format!("must be in (0, 1], got {v}")))
    }
}

impl ParamsInput {
    /// Validates the values and derives the LSH bands and rows.
    pub fn validate(&self) -> Result<Params> {
        if self.ngram == 0 || self.ngram > 64 {
            return Err(Error::invalid(
                "ngram",
                format!("must be between 1 and 64, got {}", self.ngram),
            ));
        }
        if self.perms == 0 || self.perms > 4096 {
            return Err(Error::invalid(
                "perms",
                format!("must be between 1 and 4096, got {}", self.perms),
            ));
        }
        let threshold = unit("threshold", self.threshold)?;
        let containment = self
            .containment
            .map(|c| unit("containment", c))
            .transpose()?;
        if !self.max_size_ratio.is_finite() || self.max_size_ratio < 1.0 {
            return Err(Error::invalid(
                "max_size_ratio",
                format!(
                    "must be a finite number, at least 1, got {}",
                    self.max_size_ratio
                ),
            ));
        }
        if self.max_bucket < 2 {
            return Err(Error::invalid("max_bucket", "must be at least 2".into()));
        }
        let cand = candidate_threshold(threshold, containment, self.max_size_ratio);
        if cand.is_nan() || cand <= 0.0 {
            return Err(Error::invalid(
                "max_size_ratio",
                format!(
                    "is too large: {} leaves no candidate threshold above 0",
                    self.max_size_ratio
                ),
            ));
        }
        let lsh = match (self.bands, self.rows) {
            (None, None) => LshParams::for_threshold(cand, self.perms)?,
            (Some(b), Some(r)) => LshParams::new(b, r, self.perms)?,
            (Some(b), None) => LshParams::new(b, self.perms / b.max(1), self.perms)?,
            (None, Some(r)) => LshParams::new(self.perms / r.max(1), r, self.perms)?,
        };
        Ok(Params {
            ngram: self.ngram,
            perms: self.perms,
            scheme: self.scheme,
            threshold,
            containment,
            max_size_ratio: self.max_size_ratio,
            lsh,
            max_bucket: self.max_bucket,
            idf: self.idf,
        })
    }
}

/// The Jaccard the LSH index is tuned for. With containment `c`, a pair whose longer
/// side has at most `R` times the shingles of the shorter has Jaccard at least
/// `c / (1 + R - c)`, so the index is tuned for the smaller of that and the threshold.
pub fn candidate_threshold(threshold: f64, containment: Option<f64>, ratio: f64) -> f64 {
    match containment {
        Some(c) => threshold.min(c / (1.0 + ratio - c)),
        None => threshold,
    }
}

impl Params {
    /// Shingle length in words.
    pub fn ngram(&self) -> usize {
        self.ngram
    }

    /// MinHash signature slots.
    pub fn perms(&self) -> usize {
        self.perms
    }

    /// MinHash construction.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Pairs with exact Jaccard at or above this are reported.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Pairs where one document's shingles are at least this share of the other's are
    /// reported too.
    pub fn containment(&self) -> Option<f64> {
        self.containment
    }

    /// With [`Params::containment`]: the longest/shortest length ratio the candidate
    /// search is tuned for.
    pub fn max_size_ratio(&self) -> f64 {
        self.max_size_ratio
    }

    /// LSH bands and rows.
    pub fn lsh(&self) -> LshParams {
        self.lsh
    }

    /// Buckets with more documents than this are linked as stars.
    pub fn max_bucket(&self) -> usize {
        self.max_bucket
    }

    /// Statistics of the pair comparison's document score (default: background).
    pub fn idf(&self) -> IdfSource {
        self.idf
    }

    /// Validated defaults.
    pub fn defaults() -> Params {
        ParamsInput::default()
            .validate()
            .expect("defaults are valid")
    }

    /// The Jaccard the LSH index is tuned for.
    pub fn candidate_threshold(&self) -> f64 {
        candidate_threshold(self.threshold, self.containment, self.max_size_ratio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate() {
        let p = Params::defaults();
        assert_eq!((p.ngram, p.perms), (5, 128));
        assert_eq!((p.lsh.bands(), p.lsh.rows()), (18, 7));
    }

    #[test]
    fn containment_lowers_the_candidate_threshold() {
        let p = ParamsInput {
            containment: Some(0.9),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert!((p.candidate_threshold() - 0.9 / 4.1).abs() < 1e-12);
        assert!(p.lsh.probability(0.9 / 4.1) > 0.5);
    }

    #[test]
    fn invalid_values_are_rejected() {
        for bad in [
            ParamsInput {
                ngram: 0,
                ..Default::default()
            },
            ParamsInput {
                perms: 0,
                ..Default::default()
            },
            ParamsInput {
                threshold: 0.0,
                ..Default::default()
            },
            ParamsInput {
                threshold: f64::NAN,
                ..Default::default()
            },
            ParamsInput {
                containment: Some(1.2),
                ..Default::default()
            },
            ParamsInput {
                bands: Some(64),
                rows: Some(4),
                ..Default::default()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }
}
