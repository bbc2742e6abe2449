//! `reprint report`: one HTML page with every pair (or every article's sources) and
//! aligned diffs.

use anyhow::Result;
use reprint::mode::sources::{self, Attribution};
use reprint::mode::{self, aligned, Mode};
use reprint::report::page::{self, ReportView, SourcesReportView};
use reprint::report::PairsView;

use crate::args::ReportArgs;
use crate::commands::sources::{open_sources_and_articles, warn_empty_sides};
use crate::config::{mode, open_corpus, params};
use crate::messages::{plural, warn_input};
use crate::progress::{Progress, Timings};

fn run_sources_report(a: &ReportArgs, quiet: bool) -> Result<bool> {
    let params = params(&a.matching)?;
    let mut timings = Timings::start(a.timings.timings);
    let (corpus, source_files) =
        open_sources_and_articles(&a.from, &a.input, a.group_field.as_deref())?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let rules = Attribution {
        skip_same_group: a.group_field.is_some(),
        ..Attribution::default()
    };
    let mode = mode(a.matching.mode, Mode::All);
    // Finish the progress bar before any error is printed.
    let res = (|| {
        let res = sources::find_sources_in(mode, &corpus, source_files, &params, rules, &progress)?;
        let t_align = std::time::Instant::now();
        let shown: Vec<_> = res.links[..res.links.len().min(a.max_pairs)]
            .iter()
            .map(|l| (l.source, l.article, l.verdict, l.score))
            .collect();
        let explained = aligned::align_listed(
            &corpus,
            &res.docs,
            &shown,
            Some(&res.context),
            &params,
            &progress,
        )?;
        Ok::<_, reprint::Error>((res, explained, t_align.elapsed()))
    })();
    progress.finish();
    let (res, explained, align) = res?;
    timings.add("read+sketch", res.timings.sketch);
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    timings.add("align", align);
    warn_input(&res.stats, quiet);
    warn_empty_sides(&res, quiet);
    let title = format!("{} from {}", a.input.paths.join(" "), a.from.join(" "));
    let view = SourcesReportView {
        result: &res,
        explained: &explained,
        title: &title,
    };
    a.out.write(|w| page::write_sources_report(w, &view))?;
    timings.lap("output");
    if !quiet {
        crate::messages::say!(
            "reprint: wrote {} with {} of {} attributed ({})",
            a.out.name(),
            res.attributed(),
            plural(res.articles as u64, "article", "articles"),
            plural(res.links.len() as u64, "link", "links"),
        );
    }
    timings.print(Some(corpus.total_bytes()));
    Ok(!res.links.is_empty())
}

pub fn run(a: &ReportArgs, quiet: bool) -> Result<bool> {
    a.out.check()?;
    if !a.from.is_empty() {
        return run_sources_report(a, quiet);
    }
    let mut timings = Timings::start(a.timings.timings);
    // With --index: the index's documents (texts from the index) followed by
    // PATH..., its matching options, and the pairs touching PATH....
    let (corpus, params, archive) = match &a.index {
        Some(dir) => {
            let idx = reprint::index::Index::open(dir)?;
            let params = reprint::index::params_of(idx.options(), a.matching.max_bucket)?;
            let mut options = crate::config::read_options(&a.input);
            options.text_field = idx.options().text_field.clone();
            options.id_field = idx.options().id_field.clone();
            let inputs: Vec<reprint::corpus::Input> = a
                .input
                .paths
                .iter()
                .map(|p| reprint::corpus::Input::parse(p))
                .collect();
            let new = reprint::corpus::Corpus::open(&inputs, options)?;
            let archive = idx.documents() as usize;
            (idx.corpus()?.chain(new)?, params, Some((idx, archive)))
        }
        None => (open_corpus(&a.input)?, params(&a.matching)?, None),
    };
    let progress = Progress::new(quiet, corpus.total_bytes());
    let mode = mode(a.matching.mode, Mode::All);
    // Finish the progress bar before any error is printed.
    let res = (|| {
        let mut res = mode::find_pairs(mode, &corpus, &params, &progress)?;
        if let Some((idx, first_new)) = &archive {
            res.pairs.retain(|p| p.b as usize >= *first_new);
            idx.set_fields(&mut res.docs);
        }
        let t_align = std::time::Instant::now();
        // Diffs for the most informative rows of the page, not the first pairs.
        let diffs = page::diff_pairs(res.docs.len(), &res.pairs, a.max_pairs);
        let shown: Vec<_> = diffs.iter().map(|&i| res.pairs[i]).collect();
        let explained = aligned::align_pairs(
            &corpus,
            &res.docs,
            &shown,
            res.context.as_ref(),
            &params,
            &progress,
        )?;
        Ok::<_, reprint::Error>((res, diffs, explained, t_align.elapsed()))
    })();
    progress.finish();
    let (res, diffs, explained, align) = res?;
    timings.add("read+sketch", res.timings.sketch);
    timings.add("candidates", res.timings.candidates);
    timings.add("verify", res.timings.verify);
    timings.add("align", align);
    warn_input(&res.stats, quiet);
    let title = match &a.index {
        Some(dir) => format!("{} against {}", a.input.paths.join(" "), dir.display()),
        None => a.input.paths.join(" "),
    };
    let view = ReportView {
        run: PairsView {
            docs: &res.docs,
            pairs: &res.pairs,
            params: &params,
            stats: &res.stats,
            candidates: res.candidates,
            mode: mode.name(),
            earlier: false,
        },
        diffs: &diffs,
        explained: &explained,
        title: &title,
    };
    a.out.write(|w| page::write_report(w, &view))?;
    timings.lap("output");
    if !quiet {
        crate::messages::say!(
            "reprint: wrote {} with {} among {}{}",
            a.out.name(),
            plural(res.pairs.len() as u64, "pair", "pairs"),
            plural(res.stats.documents, "document", "documents"),
            if explained.len() < res.pairs.len() {
                format!(" (aligned diffs for {})", explained.len())
            } else {
                String::new()
            }
        );
    }
    timings.print(Some(corpus.total_bytes()));
    Ok(!res.pairs.is_empty())
}
