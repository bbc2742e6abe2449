//! Rare-term signatures: a document's rarest content stems.
//!
//! Each document gets a **rare-term signature**: its [`SIGNATURE_TERMS`] content stems
//! of lowest document frequency among those found in 2 to [`max_df`] documents (50, or
//! 1 in 2,000 documents in corpora over 100,000, at most 500; ties broken by the stem's
//! hash, so it is deterministic). Two documents sharing at least
//! [`SIGNATURE_MIN_SHARED`] signature stems become candidates. Posting lists are at
//! most `max_df` long by construction, so the cost is O(documents x terms x max df),
//! linear in the corpus.

use crate::compare::docscore::DocIdf;

/// Stems per rare-term signature.
pub const SIGNATURE_TERMS: usize = 40;
/// Shared signature stems that make two documents candidates.
pub const SIGNATURE_MIN_SHARED: usize = 4;
/// Stems in more documents than this are not rare (in corpora up to 100,000
/// documents; see [`max_df`]).
pub const SIGNATURE_MAX_DF: u32 = 50;
/// In larger corpora a stem is rare up to 1 in this many documents...
pub const SIGNATURE_DF_SHARE: u64 = 2_000;
/// ...and never above this many.
pub const SIGNATURE_MAX_DF_CAP: u32 = 500;

/// The document frequency up to which a stem counts as rare in a corpus of `docs`
/// documents: 1 in [`SIGNATURE_DF_SHARE`] documents, but at least [`SIGNATURE_MAX_DF`]
/// and at most [`SIGNATURE_MAX_DF_CAP`]. A fixed cap would leave large corpora with no
/// rare terms at all (a name in 60 of a million articles is rare); the upper bound
/// keeps posting lists, and so the cost per document, bounded.
pub fn max_df(docs: u64) -> u32 {
    let share = (docs / SIGNATURE_DF_SHARE).min(u32::MAX as u64) as u32;
    share.clamp(SIGNATURE_MAX_DF, SIGNATURE_MAX_DF_CAP)
}

/// The rare-term signature of a document (see the module docs), sorted by stem.
pub fn signature(stems: &[u64], idf: &DocIdf, max_df: u32) -> Vec<u64> {
    let mut rare: Vec<(u32, u64)> = stems
        .iter()
        .map(|&s| (idf.df(s), s))
        .filter(|&(df, _)| (2..=max_df).contains(&df))
        .collect();
    rare.sort_unstable();
    rare.truncate(SIGNATURE_TERMS);
    let mut out: Vec<u64> = rare.into_iter().map(|(_, s)| s).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_means_rarer_in_larger_corpora_within_bounds() {
        assert_eq!(max_df(0), SIGNATURE_MAX_DF);
        assert_eq!(max_df(2_230), SIGNATURE_MAX_DF);
        assert_eq!(max_df(100_000), SIGNATURE_MAX_DF);
        assert_eq!(max_df(400_000), 200);
        assert_eq!(max_df(1_000_000), 500);
        assert_eq!(max_df(50_000_000), SIGNATURE_MAX_DF_CAP);
    }
}
