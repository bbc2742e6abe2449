//! `reprint dedup`: the corpus without its near-duplicates, one kept per cluster.

use anyhow::Result;
use reprint::cluster::{self, Keep};
use reprint::mode::{self, Mode};

use crate::args::{DedupArgs, KeepArg};
use crate::config::{mode, open_corpus, params};
use crate::messages::{plural, warn_input};
use crate::progress::{Progress, Timings};

pub fn run(a: &DedupArgs, quiet: bool) -> Result<bool> {
    a.out.check()?;
    let params = params(&a.matching)?;
    let mut timings = Timings::start(a.timings.timings);
    let corpus = open_corpus(&a.input)?;
    // Cleared on drop, before any error is printed.
    let progress = Progress::new(quiet, corpus.total_bytes());
    let mode = mode(a.matching.mode, Mode::NearDup);
    let mut res = mode::find_pairs(mode, &corpus, &params, &progress)?;
    timings.add("read+sketch", res.timings.sketch);
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    res.pairs.retain(|p| p.verdict.is_whole());
    let groups = cluster::clusters(res.docs.len(), res.pairs.iter().map(|p| (p.a, p.b)));
    let keep = match a.keep {
        KeepArg::First => Keep::First,
        KeepArg::Longest => Keep::Longest,
    };
    let dropped = cluster::dropped(res.docs.len(), &groups, &res.docs, keep);
    timings.lap("cluster");
    let out_name = a.out.name();
    let mut written = 0;
    let result = a.out.write_lib(|w| {
        written =
            reprint::dedup::write_kept(&corpus, &res.docs, &dropped, w, &out_name, &progress)?;
        Ok(())
    });
    progress.finish();
    result?;
    timings.lap("write");
    warn_input(&res.stats, quiet);
    let n_dropped = dropped.iter().filter(|&&d| d).count() as u64;
    if !quiet {
        // Documents over the size limit were never compared, so they are not written
        // as if they were unique: the summary counts them, so that kept + dropped +
        // oversized is every record of the input.
        let oversized = res.stats.oversized_skipped;
        crate::messages::say!(
            "reprint: kept {} of {}, dropped {} in {}{}; wrote {}",
            written,
            plural(res.stats.documents + oversized, "document", "documents"),
            n_dropped,
            plural(groups.len() as u64, "cluster", "clusters"),
            if oversized > 0 {
                format!(
                    ", left out {} larger than --max-doc-mib (not compared, not written)",
                    oversized
                )
            } else {
                String::new()
            },
            out_name
        );
    }
    timings.print(Some(corpus.total_bytes()));
    Ok(n_dropped > 0)
}
