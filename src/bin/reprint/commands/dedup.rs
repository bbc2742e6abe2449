//! `reprint dedup`: the corpus without its near-duplicates, one kept per cluster.

use std::io;

use anyhow::Result;
use reprint::cluster::{self, Keep};
use reprint::mode::{self, Mode};

use crate::args::{DedupArgs, KeepArg};
use crate::config::{mode, open_corpus, params};
use crate::messages::{plural, warn_input};
use crate::output::{check_output, with_output};
use crate::progress::Progress;

pub fn run(a: &DedupArgs, quiet: bool) -> Result<bool> {
    check_output(Some(&a.out))?;
    let params = params(&a.matching)?;
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let mode = mode(a.matching.mode, Mode::NearDup);
    let res = mode::find_pairs(mode, &corpus, &params, &progress);
    let mut res = match res {
        Ok(r) => r,
        Err(e) => {
            progress.finish();
            return Err(e.into());
        }
    };
    res.pairs.retain(|p| p.verdict.is_whole());
    let groups = cluster::clusters(res.docs.len(), res.pairs.iter().map(|p| (p.a, p.b)));
    let keep = match a.keep {
        KeepArg::First => Keep::First,
        KeepArg::Longest => Keep::Longest,
    };
    let dropped = cluster::dropped(res.docs.len(), &groups, &res.docs, keep);
    let out_name = a.out.display().to_string();
    let mut written = 0;
    let result = with_output(Some(&a.out), |w| {
        written = reprint::dedup::write_kept(&corpus, &res.docs, &dropped, w, &out_name, &progress)
            .map_err(io::Error::other)?;
        Ok(())
    });
    progress.finish();
    result?;
    warn_input(&res.stats, quiet);
    let n_dropped = dropped.iter().filter(|&&d| d).count() as u64;
    if !quiet {
        eprintln!(
            "reprint: kept {} of {}, dropped {} in {}; wrote {}",
            written,
            plural(res.stats.documents, "document", "documents"),
            n_dropped,
            plural(groups.len() as u64, "cluster", "clusters"),
            a.out.display()
        );
    }
    Ok(n_dropped > 0)
}
