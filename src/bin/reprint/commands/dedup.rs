//! `reprint dedup`: the corpus without its near-duplicates, one kept per cluster; with
//! `--removed`, the trail of what was dropped; with `--annotate`, every document with
//! its cluster.

use anyhow::Result;
use reprint::cluster::{self, Keep};
use reprint::dedup::{self as lib, Assignment};
use reprint::mode::{self, Mode};

use crate::args::{DedupArgs, KeepArg};
use crate::config::{mode, params, read_options};
use crate::messages::{plural, warn_input};
use crate::progress::{Progress, Timings};

fn keep_policy(a: &DedupArgs) -> Result<Keep> {
    let keep = match a.keep {
        KeepArg::First => Keep::First,
        KeepArg::Longest => Keep::Longest,
        KeepArg::Earliest => Keep::Earliest,
        KeepArg::Newest => Keep::Newest,
        KeepArg::Max => Keep::Max,
    };
    match (keep.uses_field(), &a.keep_field) {
        (true, None) => anyhow::bail!(
            "--keep {} compares a field: name it with --keep-field FIELD",
            keep_name(keep)
        ),
        (false, Some(_)) => anyhow::bail!(
            "--keep-field applies to --keep earliest, newest or max, not --keep {}",
            keep_name(keep)
        ),
        _ => Ok(keep),
    }
}

fn keep_name(k: Keep) -> &'static str {
    match k {
        Keep::First => "first",
        Keep::Longest => "longest",
        Keep::Earliest => "earliest",
        Keep::Newest => "newest",
        Keep::Max => "max",
    }
}

pub fn run(a: &DedupArgs, quiet: bool) -> Result<bool> {
    let keep = keep_policy(a)?;
    if let Some(removed) = &a.removed {
        if removed.is_stdout() && a.out.is_stdout() {
            anyhow::bail!("--out and --removed cannot both be stdout (-)");
        }
        if *removed == a.out {
            anyhow::bail!("--out and --removed name the same file");
        }
        removed.check()?;
    }
    a.out.check()?;
    let params = params(&a.matching)?;
    let mut timings = Timings::start(a.timings.timings);
    let mut options = read_options(&a.input);
    // The one extra field the policy reads, only when it reads one.
    options.extra_field = a.keep_field.clone().filter(|_| keep.uses_field());
    let inputs: Vec<_> = a
        .input
        .paths
        .iter()
        .map(|p| reprint::corpus::Input::parse(p))
        .collect();
    let corpus = reprint::corpus::Corpus::open(&inputs, options)?;
    // Parquet mixed with other formats has no one output format: refused before the
    // run, not after it.
    lib::output_format(&corpus)?;
    // Cleared on drop, before any error is printed.
    let progress = Progress::new(quiet, corpus.total_bytes());
    let mode = mode(a.matching.mode, Mode::NearDup);
    let mut res = mode::find_pairs(mode, &corpus, &params, &progress)?;
    timings.add("read+sketch", res.timings.sketch);
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    res.pairs.retain(|p| p.verdict.is_whole());
    let groups = cluster::clusters(res.docs.len(), res.pairs.iter().map(|p| (p.a, p.b)));
    let assignment = Assignment::new(res.docs.len(), &groups, &res.docs, keep);
    let dropped = assignment.dropped();
    timings.lap("cluster");
    let out_name = a.out.name();
    let mut written = 0;
    let result = a.out.write_lib(|w| {
        written = if a.annotate {
            lib::write_annotated(&corpus, &res.docs, &assignment, w, &out_name, &progress)?
        } else {
            lib::write_kept(&corpus, &res.docs, &dropped, w, &out_name, &progress)?
        };
        Ok(())
    });
    progress.finish();
    result?;
    let removed = lib::removed(&assignment, &res.pairs);
    if let Some(file) = &a.removed {
        file.write(|w| reprint::report::write_removed(w, &res.docs, &removed))?;
    }
    timings.lap("write");
    warn_input(&res.stats, quiet);
    if let (Some(field), false) = (&a.keep_field, quiet) {
        warn_unusable(keep, field, &groups, &res.docs);
    }
    let n_dropped = removed.len() as u64;
    if !quiet {
        // Documents over the size limit were never compared, so they are not written
        // as if they were unique: the summary counts them, so that kept + dropped +
        // oversized is every record of the input.
        let oversized = res.stats.oversized_skipped;
        let left_out = if oversized > 0 {
            format!(", left out {oversized} larger than --max-doc-mib (not compared, not written)")
        } else {
            String::new()
        };
        let also = a
            .removed
            .as_ref()
            .map(|r| format!(" and {}", r.name()))
            .unwrap_or_default();
        let clusters = plural(groups.len() as u64, "cluster", "clusters");
        if a.annotate {
            crate::messages::say!(
                "reprint: annotated {}: {} kept, {n_dropped} dropped in {clusters}{left_out}; wrote {out_name}{also}",
                plural(written, "document", "documents"),
                res.stats.documents - n_dropped,
            );
        } else {
            crate::messages::say!(
                "reprint: kept {} of {}, dropped {} in {}{}; wrote {}{}",
                written,
                plural(res.stats.documents + oversized, "document", "documents"),
                n_dropped,
                clusters,
                left_out,
                out_name,
                also
            );
        }
    }
    timings.print(Some(corpus.total_bytes()));
    Ok(n_dropped > 0)
}

/// Says how many clustered documents have no value the policy can compare.
fn warn_unusable(
    keep: Keep,
    field: &str,
    groups: &[cluster::Cluster],
    docs: &reprint::corpus::DocTable,
) {
    let members = groups.iter().flat_map(|c| c.members.iter().copied());
    let total = groups.iter().map(|c| c.members.len()).sum::<usize>();
    let missing = members.filter(|&d| !keep.is_usable(docs.field(d))).count();
    if missing > 0 {
        let kind = match keep {
            Keep::Max => "a number",
            _ => "an ISO 8601 date or date-time",
        };
        eprintln!(
            "reprint: warning: {missing} of {total} documents in clusters have no {field:?} \
             field with {kind}; they lose to those that have one"
        );
    }
}
