//! The outputs of `reprint explain` (the LSH parameters of a threshold) and `reprint
//! stats` (the size of a corpus): a few lines of text, or one JSON document
//! ([`wire::ExplainDocument`], [`wire::StatsDocument`]).

use std::io::{self, Write};

use super::{wire, write_table, Format};
use crate::corpus::InputStats;
use crate::params::Params;

/// The Jaccard similarities `explain` shows the candidate probability of.
pub const EXPLAIN_SIMILARITIES: [f64; 8] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

/// Writes the bands x rows of `p` and the chance that a pair becomes a candidate:
/// JSON for [`Format::Json`], text and a table otherwise.
pub fn write_explain(w: &mut dyn Write, format: Format, p: &Params) -> io::Result<()> {
    let sims = EXPLAIN_SIMILARITIES;
    let cand = p.candidate_threshold();
    if format == Format::Json {
        let doc = wire::ExplainDocument::new(p, &sims);
        serde_json::to_writer_pretty(&mut *w, &doc)?;
        return writeln!(w);
    }
    writeln!(
        w,
        "threshold {} with {} perms: {} bands x {} rows ({} slots used)",
        p.threshold(),
        p.perms(),
        p.lsh().bands(),
        p.lsh().rows(),
        p.lsh().slots()
    )?;
    if let Some(c) = p.containment() {
        writeln!(
            w,
            "containment {c} (length ratio up to {}): candidates tuned for Jaccard {:.3}",
            p.max_size_ratio(),
            cand
        )?;
    }
    writeln!(
        w,
        "chance that a pair becomes a candidate (candidates are then verified exactly):"
    )?;
    let header = ["jaccard", "P(candidate)"];
    let mut rows: Vec<[String; 2]> = sims
        .iter()
        .map(|&s| [format!("{s:.1}"), format!("{:.4}", p.lsh().probability(s))])
        .collect();
    if !sims.iter().any(|&s| (s - cand).abs() < 1e-9) {
        rows.push([
            format!("{cand:.3} (threshold)"),
            format!("{:.4}", p.lsh().probability(cand)),
        ]);
    }
    write_table(w, &header, &rows, &[true, true])
}

/// Everything `stats` shows.
pub struct StatsView<'a> {
    /// Counts of what was read.
    pub stats: &'a InputStats,
    /// Shingles hashed over all documents.
    pub shingles: u64,
    /// Shingle length in words.
    pub ngram: usize,
    /// Bytes read from the inputs.
    pub input_bytes: u64,
}

/// Writes the size of a corpus: JSON for [`Format::Json`], two lines of text otherwise.
pub fn write_stats(w: &mut dyn Write, format: Format, v: &StatsView) -> io::Result<()> {
    let s = v.stats;
    if format == Format::Json {
        let doc = wire::StatsDocument {
            input: wire::StatsInput::new(s),
            input_bytes: v.input_bytes,
            shingles: v.shingles,
        };
        serde_json::to_writer_pretty(&mut *w, &doc)?;
        return writeln!(w);
    }
    writeln!(
        w,
        "{} documents, {} words, {} shingles ({}-grams), {} bytes of text, {} bytes read",
        s.documents, s.words, v.shingles, v.ngram, s.text_bytes, v.input_bytes
    )?;
    writeln!(
        w,
        "empty {}, short {}, lossy UTF-8 {}, binary skipped {}, bad lines skipped {}",
        s.empty, s.short, s.lossy_utf8, s.binary_skipped, s.bad_lines_skipped
    )
}
