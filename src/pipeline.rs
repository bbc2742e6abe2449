//! The embeddable entry point: a [`Pipeline`] configured once with a builder and run
//! on any [`Corpus`] (files, or texts in memory).
//!
//! ```
//! use reprint::{corpus::Corpus, mode::Mode, Pipeline};
//!
//! let corpus = Corpus::from_texts([
//!     ("a", "the quick brown fox jumps over the lazy dog near the river bank today"),
//!     ("b", "the quick brown fox jumps over the lazy dog near the river bank today!"),
//!     ("c", "an entirely different text about something else that shares no phrase"),
//! ])?;
//! let pipeline = Pipeline::builder().mode(Mode::NearDup).threshold(0.8).build()?;
//! let result = pipeline.run(&corpus)?;
//! assert_eq!(result.pairs.len(), 1);
//! assert_eq!(result.docs.id(result.pairs[0].a), "a");
//! # Ok::<(), reprint::Error>(())
//! ```

use crate::corpus::Corpus;
use crate::error::Result;
use crate::mode::aligned::{align_pairs, AlignedPair};
use crate::mode::sources::{find_sources, Attribution, SourcesResult};
use crate::mode::{find_pairs, Mode, PairsResult};
use crate::params::{Params, ParamsInput};
use crate::progress::{Observer, Silent};
use crate::sketch::Scheme;

/// A validated run configuration: the mode, the [`Params`] and the attribution rules
/// of `sources`. Build one with [`Pipeline::builder`]; it can run any number of
/// corpora, from any thread (also from inside a rayon pool).
#[derive(Debug, Clone)]
pub struct Pipeline {
    mode: Mode,
    params: Params,
    attribution: Attribution,
}

/// Builds a [`Pipeline`]; every value starts at the CLI's default and is checked once,
/// in [`PipelineBuilder::build`].
#[derive(Debug, Clone)]
pub struct PipelineBuilder {
    mode: Mode,
    input: ParamsInput,
    attribution: Attribution,
}

impl Default for PipelineBuilder {
    fn default() -> Self {
        PipelineBuilder {
            mode: Mode::All,
            input: ParamsInput::default(),
            attribution: Attribution::default(),
        }
    }
}

impl PipelineBuilder {
    /// The run mode (default [`Mode::All`]).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Shingle length in words, 1 to 64 (default 5).
    pub fn ngram(mut self, ngram: usize) -> Self {
        self.input.ngram = ngram;
        self
    }

    /// MinHash signature slots, 1 to 4096 (default 128).
    pub fn perms(mut self, perms: usize) -> Self {
        self.input.perms = perms;
        self
    }

    /// MinHash construction (default [`Scheme::OnePermutation`]).
    pub fn scheme(mut self, scheme: Scheme) -> Self {
        self.input.scheme = scheme;
        self
    }

    /// Jaccard threshold, in (0, 1] (default 0.8).
    pub fn threshold(mut self, threshold: f64) -> Self {
        self.input.threshold = threshold;
        self
    }

    /// Also report pairs by containment at or above this, in (0, 1] (default none).
    pub fn containment(mut self, containment: Option<f64>) -> Self {
        self.input.containment = containment;
        self
    }

    /// With containment: the longest/shortest length ratio to tune for, at least 1
    /// (default 4).
    pub fn max_size_ratio(mut self, ratio: f64) -> Self {
        self.input.max_size_ratio = ratio;
        self
    }

    /// LSH bands (default: derived from the threshold).
    pub fn bands(mut self, bands: Option<usize>) -> Self {
        self.input.bands = bands;
        self
    }

    /// LSH rows per band (default: derived from the threshold).
    pub fn rows(mut self, rows: Option<usize>) -> Self {
        self.input.rows = rows;
        self
    }

    /// Buckets larger than this are linked as stars, at least 2 (default 500).
    pub fn max_bucket(mut self, max_bucket: usize) -> Self {
        self.input.max_bucket = max_bucket;
        self
    }

    /// The attribution rules of [`Pipeline::sources`] (default
    /// [`Attribution::default`]).
    pub fn attribution(mut self, attribution: Attribution) -> Self {
        self.attribution = attribution;
        self
    }

    /// Checks the values and derives the LSH bands and rows.
    ///
    /// # Errors
    ///
    /// [`crate::Error::InvalidParameter`] naming the first value out of range.
    pub fn build(self) -> Result<Pipeline> {
        Ok(Pipeline {
            mode: self.mode,
            params: self.input.validate()?,
            attribution: self.attribution,
        })
    }
}

impl Pipeline {
    /// A builder with the CLI's defaults.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// A pipeline from parameters validated elsewhere (the binary's flags).
    pub fn new(mode: Mode, params: Params) -> Pipeline {
        Pipeline {
            mode,
            params,
            attribution: Attribution::default(),
        }
    }

    /// The run mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The validated parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The attribution rules of [`Pipeline::sources`].
    pub fn attribution(&self) -> Attribution {
        self.attribution
    }

    /// Finds the pairs of `corpus` ([`find_pairs`]): every verified pair, sorted by
    /// score (descending), then ids.
    pub fn run(&self, corpus: &Corpus) -> Result<PairsResult> {
        self.run_with(corpus, &Silent)
    }

    /// [`Pipeline::run`] reporting progress to `obs`.
    pub fn run_with(&self, corpus: &Corpus, obs: &dyn Observer) -> Result<PairsResult> {
        find_pairs(self.mode, corpus, &self.params, obs)
    }

    /// Aligns the pairs of a result in full for display (both texts, paragraph links),
    /// with the run's statistics; one entry per pair, in order. `corpus` must be the
    /// one `result` came from.
    pub fn align(&self, corpus: &Corpus, result: &PairsResult) -> Result<Vec<AlignedPair>> {
        align_pairs(
            corpus,
            &result.docs,
            &result.pairs,
            result.context.as_ref(),
            &self.params,
            &Silent,
        )
    }

    /// Attributes articles to sources ([`find_sources`]): the documents of the first
    /// `source_files` sources of `corpus` form the source collection, the rest are
    /// articles. Build such a corpus with [`Corpus::chain`], e.g. from two
    /// [`Corpus::from_named_texts`]. The mode does not apply: attribution always
    /// uses the default mode's candidates.
    pub fn sources(&self, corpus: &Corpus, source_files: u32) -> Result<SourcesResult> {
        self.sources_with(corpus, source_files, &Silent)
    }

    /// [`Pipeline::sources`] reporting progress to `obs`.
    pub fn sources_with(
        &self,
        corpus: &Corpus,
        source_files: u32,
        obs: &dyn Observer,
    ) -> Result<SourcesResult> {
        find_sources(corpus, source_files, &self.params, self.attribution, obs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "The council approved the new budget on Tuesday after a long debate \
        about the cost of the bridge repairs and the future of the public library.\n\n\
        Residents who spoke at the meeting said the library should stay open on weekends \
        and that the bridge had been unsafe for years.";

    fn corpus() -> Corpus {
        let copy = BASE.replace("Tuesday", "Wednesday");
        Corpus::from_texts([
            ("one", BASE.to_owned()),
            (
                "two",
                "Something else entirely, with no shared phrase at all here.".into(),
            ),
            ("three", copy),
        ])
        .unwrap()
    }

    fn ids(r: &PairsResult) -> Vec<(String, String)> {
        r.pairs
            .iter()
            .map(|p| (r.docs.id(p.a).to_owned(), r.docs.id(p.b).to_owned()))
            .collect()
    }

    #[test]
    fn finds_pairs_in_memory_in_both_modes() {
        for mode in [Mode::All, Mode::NearDup] {
            let p = Pipeline::builder().mode(mode).build().unwrap();
            let r = p.run(&corpus()).unwrap();
            assert_eq!(ids(&r), [("one".into(), "three".into())], "{mode:?}");
            let aligned = p.align(&corpus(), &r).unwrap();
            assert_eq!(aligned.len(), 1);
            assert!(aligned[0].a.text.contains("Tuesday"));
        }
    }

    #[test]
    fn runs_inside_a_one_thread_pool() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        for mode in [Mode::All, Mode::NearDup] {
            let p = Pipeline::builder().mode(mode).build().unwrap();
            let r = pool.install(|| p.run(&corpus())).unwrap();
            assert_eq!(r.pairs.len(), 1, "{mode:?}");
        }
        // Many batches in flight: more documents than one batch holds.
        let many =
            Corpus::from_texts((0..20_000).map(|i| (i.to_string(), format!("text {i}")))).unwrap();
        let p = Pipeline::builder().mode(Mode::NearDup).build().unwrap();
        let r = pool.install(|| p.run(&many)).unwrap();
        assert_eq!(r.stats.documents, 20_000);
    }

    #[test]
    fn duplicate_ids_are_an_error() {
        let c = Corpus::from_texts([("x", "a b c"), ("x", "d e f")]).unwrap();
        let err = Pipeline::builder().build().unwrap().run(&c).unwrap_err();
        assert!(matches!(err, crate::Error::DuplicateId { .. }), "{err}");
    }

    #[test]
    fn builder_validates() {
        assert!(Pipeline::builder().threshold(0.0).build().is_err());
        assert!(Pipeline::builder().ngram(0).build().is_err());
        let p = Pipeline::builder().ngram(3).threshold(0.5).build().unwrap();
        assert_eq!((p.params().ngram(), p.params().threshold()), (3, 0.5));
    }

    #[test]
    fn sources_over_chained_memory_corpora() {
        let sources = Corpus::from_named_texts("<sources>", [("wire", BASE)]).unwrap();
        let articles =
            Corpus::from_named_texts("<articles>", [("story", BASE.replace("Tuesday", "Monday"))])
                .unwrap();
        let corpus = sources.chain(articles).unwrap();
        let r = Pipeline::builder()
            .build()
            .unwrap()
            .sources(&corpus, 1)
            .unwrap();
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.docs.id(r.links[0].source), "wire");
    }
}
