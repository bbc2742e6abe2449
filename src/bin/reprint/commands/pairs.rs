//! `reprint pairs` and `reprint clusters`: every similar pair of a corpus, or the
//! connected components of the pairs that derive whole documents.

use anyhow::Result;
use reprint::cluster;
use reprint::mode::{self, Mode};
use reprint::report::{self, ClustersView, PairsView};

use crate::args::PairsArgs;
use crate::config::{format, mode, open_corpus, params};
use crate::messages::{plural, warn_input};
use crate::progress::{Progress, Timings};

pub fn run(a: &PairsArgs, quiet: bool, clusters: bool) -> Result<bool> {
    let out = &a.out.out;
    out.check()?;
    let params = params(&a.matching)?;
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let mut timings = Timings::start(a.timings.timings);
    let mode = mode(a.matching.mode, Mode::All);
    let res = mode::find_pairs(mode, &corpus, &params, &progress);
    progress.finish();
    let mut res = res?;
    warn_input(&res.stats, quiet);
    if clusters {
        // Clusters group documents derived as a whole, not ones sharing a paragraph.
        res.pairs.retain(|p| p.verdict.is_whole());
    }
    let mode = mode.name();
    timings.add("read+sketch", res.timings.sketch);
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    let found;
    if clusters {
        let groups = cluster::clusters(res.docs.len(), res.pairs.iter().map(|p| (p.a, p.b)));
        found = !groups.is_empty();
        let view = ClustersView {
            docs: &res.docs,
            clusters: &groups,
            pairs: res.pairs.len(),
            params: &params,
            stats: &res.stats,
            mode,
        };
        out.write(|w| report::write_clusters(w, format(a.format), &view))?;
        if !quiet {
            eprintln!(
                "reprint: {} in {} from {} among {}",
                plural(groups.len() as u64, "cluster", "clusters"),
                plural(
                    groups.iter().map(|c| c.members.len() as u64).sum(),
                    "document",
                    "documents"
                ),
                plural(res.pairs.len() as u64, "pair", "pairs"),
                plural(res.stats.documents, "document", "documents"),
            );
        }
    } else {
        found = !res.pairs.is_empty();
        let view = PairsView {
            docs: &res.docs,
            pairs: &res.pairs,
            params: &params,
            stats: &res.stats,
            candidates: res.candidates,
            mode,
            earlier: false,
        };
        out.write(|w| report::write_pairs(w, format(a.format), &view))?;
        if !quiet {
            eprintln!(
                "reprint: {} among {} ({} verified; {} bands x {} rows)",
                plural(res.pairs.len() as u64, "pair", "pairs"),
                plural(res.stats.documents, "document", "documents"),
                plural(res.candidates as u64, "candidate", "candidates"),
                params.lsh().bands(),
                params.lsh().rows(),
            );
        }
    }
    if res.star_buckets > 0 && !quiet {
        eprintln!(
            "reprint: note: {} held more than {} documents and were linked as stars \
             (clusters are complete; some pairs inside them are not listed)",
            plural(res.star_buckets as u64, "LSH bucket", "LSH buckets"),
            params.max_bucket()
        );
    }
    timings.lap("output");
    timings.print(Some(corpus.total_bytes()));
    Ok(found)
}
