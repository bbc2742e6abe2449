//! The `reprint` binary: parses flags, wires the library together, renders, and turns
//! errors into messages and exit codes (0 found, 1 none found, 2 error).

mod cli;

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{Cli, Command, FormatArg, InputArgs, KeepArg, MatchArgs, SchemeArg};
use reprint::cluster::{self, Keep};
use reprint::corpus::{Corpus, Input, ReadOptions, ReadProgress};
use reprint::params::{Params, ParamsInput};
use reprint::pipeline::{self, InputStats, Observer, Stage};
use reprint::report::{self, ClustersView, Format, PairsView};
use reprint::sketch::Scheme;

/// Progress on stderr, drawn only for long runs on a terminal.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(quiet: bool, total: u64) -> Self {
        let show = !quiet && io::stderr().is_terminal() && total >= 32 << 20;
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg:>10} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress { bar }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl ReadProgress for Progress {
    fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }
}

impl Observer for Progress {
    fn stage(&self, stage: Stage, total: Option<u64>) {
        if let Some(bar) = &self.bar {
            bar.set_message(match stage {
                Stage::Sketch => "sketching",
                Stage::Candidates => "candidates",
                Stage::Verify => "verifying",
                Stage::Copy => "writing",
                Stage::Read => "reading",
                Stage::Tokenize => "tokenizing",
            });
            bar.set_position(0);
            match total {
                Some(t) => bar.set_length(t),
                None => bar.unset_length(),
            }
        }
    }
}

fn read_options(a: &InputArgs) -> ReadOptions {
    ReadOptions {
        text_field: a.text_field.clone(),
        id_field: a.id_field.clone(),
        skip_bad_lines: a.skip_bad_lines,
        text_extensions: a
            .ext
            .iter()
            .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
            .collect(),
        max_document_bytes: a.max_doc_mib.saturating_mul(1 << 20),
    }
}

fn open_corpus(a: &InputArgs) -> Result<Corpus> {
    let inputs: Vec<Input> = a.paths.iter().map(|p| Input::parse(p)).collect();
    Ok(Corpus::open(&inputs, read_options(a))?)
}

fn params(m: &MatchArgs) -> Result<Params> {
    Ok(ParamsInput {
        ngram: m.ngram,
        perms: m.perms,
        scheme: match m.scheme {
            SchemeArg::OnePermutation => Scheme::OnePermutation,
            SchemeArg::MultiplyShift => Scheme::MultiplyShift,
        },
        threshold: m.threshold,
        containment: m.containment,
        max_size_ratio: m.max_size_ratio,
        bands: m.bands,
        rows: m.rows,
        max_bucket: m.max_bucket,
    }
    .validate()?)
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
        FormatArg::Tsv => Format::Tsv,
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Warnings about what the input held, on stderr.
fn warn_input(stats: &InputStats, quiet: bool) {
    if quiet {
        return;
    }
    let examples = |kind: &str| -> String {
        let list: Vec<&str> = stats
            .examples
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, l)| l.as_str())
            .collect();
        if list.is_empty() {
            String::new()
        } else {
            format!(" (e.g. {})", list.join("; "))
        }
    };
    let mut lines = Vec::new();
    if stats.binary_skipped > 0 {
        lines.push(format!(
            "warning: skipped {} while walking directories{}",
            plural(stats.binary_skipped, "binary file", "binary files"),
            examples("binary")
        ));
    }
    if stats.bad_lines_skipped > 0 {
        lines.push(format!(
            "warning: skipped {}{}",
            plural(stats.bad_lines_skipped, "malformed line", "malformed lines"),
            examples("bad")
        ));
    }
    if stats.oversized_skipped > 0 {
        lines.push(format!(
            "warning: skipped {} larger than --max-doc-mib{}",
            plural(stats.oversized_skipped, "document", "documents"),
            examples("oversized")
        ));
    }
    if stats.lossy_utf8 > 0 {
        lines.push(format!(
            "warning: {} not valid UTF-8, decoded with U+FFFD replacements{}",
            plural(stats.lossy_utf8, "document was", "documents were"),
            examples("lossy")
        ));
    }
    if stats.empty > 0 {
        lines.push(format!(
            "note: {} no words and cannot match anything{}",
            plural(stats.empty, "document has", "documents have"),
            examples("empty")
        ));
    }
    if stats.short > 0 {
        lines.push(format!(
            "note: {} fewer words than one shingle (matched as a single shingle)",
            plural(stats.short, "document has", "documents have"),
        ));
    }
    let mut err = io::stderr().lock();
    for l in lines {
        let _ = writeln!(err, "reprint: {l}");
    }
}

/// Writes to stdout, or to a file atomically (temporary file in the same directory,
/// renamed when complete), so an interrupted run never leaves partial output.
/// Fails early, before a long run, when `--out` cannot be written: its directory is
/// missing or is not a directory.
fn check_output(out: Option<&Path>) -> Result<()> {
    let Some(path) = out else { return Ok(()) };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!(
            "cannot write {}: {} is not an existing directory",
            path.display(),
            dir.display()
        );
    }
    if path.is_dir() {
        anyhow::bail!("cannot write {}: it is a directory", path.display());
    }
    Ok(())
}

fn with_output(out: Option<&Path>, f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match out {
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            f(&mut w).and_then(|_| w.flush()).map_err(|e| {
                anyhow::Error::new(reprint::Error::Write {
                    path: "<stdout>".into(),
                    source: e,
                })
            })
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let mut builder = tempfile::Builder::new();
            builder.prefix(".reprint-").suffix(".tmp");
            // Like any file a program writes: 0666 less the umask, not tempfile's 0600.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
            let tmp = builder
                .tempfile_in(dir)
                .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
            let mut w = io::BufWriter::with_capacity(1 << 16, tmp);
            f(&mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("writing {}", path.display()))?;
            let tmp = w.into_inner().map_err(|e| e.into_error())?;
            tmp.persist(path)
                .with_context(|| format!("renaming the output into {}", path.display()))?;
            Ok(())
        }
    }
}

fn mode_name(m: cli::Mode) -> &'static str {
    match m {
        cli::Mode::All => "all",
        cli::Mode::NearDup => "near-dup",
    }
}

fn find(
    mode: cli::Mode,
    corpus: &Corpus,
    params: &Params,
    obs: &dyn Observer,
) -> reprint::Result<pipeline::PairsResult> {
    match mode {
        cli::Mode::All => reprint::rewrite::find_all(corpus, params, obs),
        cli::Mode::NearDup => pipeline::find_pairs(corpus, params, obs),
    }
}

fn run_pairs(a: &cli::PairsArgs, quiet: bool, clusters: bool) -> Result<bool> {
    check_output(a.out.as_deref())?;
    let params = params(&a.matching)?;
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let t0 = Instant::now();
    let mode = a.matching.mode.unwrap_or(cli::Mode::All);
    let res = find(mode, &corpus, &params, &progress);
    progress.finish();
    let mut res = res?;
    warn_input(&res.stats, quiet);
    if clusters {
        // Clusters group documents derived as a whole, not ones sharing a paragraph.
        res.pairs.retain(|p| p.verdict.is_whole());
    }
    let mode = mode_name(mode);
    let t_out = Instant::now();
    let found;
    if clusters {
        let groups = cluster::clusters(res.docs.len(), &res.pairs);
        found = !groups.is_empty();
        let view = ClustersView {
            docs: &res.docs,
            clusters: &groups,
            pairs: res.pairs.len(),
            params: &params,
            stats: &res.stats,
            mode,
        };
        with_output(a.out.as_deref(), |w| {
            report::write_clusters(w, format(a.format), &view)
        })?;
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
        };
        with_output(a.out.as_deref(), |w| {
            report::write_pairs(w, format(a.format), &view)
        })?;
        if !quiet {
            eprintln!(
                "reprint: {} among {} ({} verified; {} bands x {} rows)",
                plural(res.pairs.len() as u64, "pair", "pairs"),
                plural(res.stats.documents, "document", "documents"),
                plural(res.candidates as u64, "candidate", "candidates"),
                params.lsh.bands,
                params.lsh.rows,
            );
        }
    }
    if res.star_buckets > 0 && !quiet {
        eprintln!(
            "reprint: note: {} held more than {} documents and were linked as stars \
             (clusters are complete; some pairs inside them are not listed)",
            plural(res.star_buckets as u64, "LSH bucket", "LSH buckets"),
            params.max_bucket
        );
    }
    if a.timings {
        let t = &res.timings;
        eprintln!(
            "reprint: timings: read+sketch {:.3}s, candidates {:.3}s, verify {:.3}s, output {:.3}s, total {:.3}s ({:.1} MB/s of input)",
            t.sketch.as_secs_f64(),
            t.candidates.as_secs_f64(),
            t.verify.as_secs_f64(),
            t_out.elapsed().as_secs_f64(),
            t0.elapsed().as_secs_f64(),
            corpus.total_bytes() as f64 / 1e6 / t0.elapsed().as_secs_f64().max(1e-9),
        );
    }
    Ok(found)
}

/// Opens the source collection (`--from`) and the articles as one corpus; returns it
/// and the number of its files that hold sources (they come first).
fn open_sources_and_articles(
    from: &[String],
    input: &InputArgs,
    mode: Option<cli::Mode>,
) -> Result<(Corpus, u32)> {
    if mode == Some(cli::Mode::NearDup) {
        anyhow::bail!("--from compares pairs in full; --mode near-dup does not apply");
    }
    if from.iter().any(|p| p == "-") {
        anyhow::bail!("--from reads files or directories, not stdin (-)");
    }
    let options = read_options(input);
    let from: Vec<Input> = from.iter().map(|p| Input::parse(p)).collect();
    // The files of the source collection, to know where the articles begin.
    let source_files = Corpus::open(&from, options.clone())?.sources().len() as u32;
    let mut inputs = from;
    inputs.extend(input.paths.iter().map(|p| Input::parse(p)));
    Ok((Corpus::open(&inputs, options)?, source_files))
}

/// Says so when either collection of a sources run holds no documents.
fn warn_empty_sides(res: &reprint::attribute::SourcesResult, quiet: bool) {
    if quiet {
        return;
    }
    if res.sources == 0 {
        eprintln!("reprint: warning: the --from collection holds no documents");
    }
    if res.articles == 0 {
        eprintln!("reprint: warning: no articles to attribute (only --from documents were read)");
    }
}

fn run_sources(a: &cli::SourcesArgs, quiet: bool) -> Result<bool> {
    check_output(a.out.as_deref())?;
    if !(a.min_score.is_finite() && a.min_score >= 0.0) {
        anyhow::bail!("--min-score must be a number at least 0");
    }
    let params = params(&a.matching)?;
    let (corpus, source_files) = open_sources_and_articles(&a.from, &a.input, a.matching.mode)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let t0 = Instant::now();
    let rules = reprint::attribute::Attribution {
        min_score: a.min_score,
        min_new_units: a.min_new_sentences,
    };
    let res = reprint::attribute::find_sources(&corpus, source_files, &params, rules, &progress);
    progress.finish();
    let res = res?;
    warn_input(&res.stats, quiet);
    warn_empty_sides(&res, quiet);
    let t_out = Instant::now();
    let view = report::SourcesView {
        result: &res,
        params: &params,
    };
    with_output(a.out.as_deref(), |w| {
        report::write_sources(w, format(a.format), &view)
    })?;
    if !quiet {
        eprintln!(
            "reprint: {} of {} attributed ({} with reused text): {} among {} ({} verified)",
            res.attributed(),
            plural(res.articles as u64, "article", "articles"),
            res.reused(),
            plural(res.links.len() as u64, "link", "links"),
            plural(res.sources as u64, "source document", "source documents"),
            plural(res.candidates as u64, "candidate", "candidates"),
        );
    }
    if a.timings {
        let t = &res.timings;
        eprintln!(
            "reprint: timings: read+sketch {:.3}s, candidates {:.3}s, verify {:.3}s, output {:.3}s, total {:.3}s",
            t.sketch.as_secs_f64(),
            t.candidates.as_secs_f64(),
            t.verify.as_secs_f64(),
            t_out.elapsed().as_secs_f64(),
            t0.elapsed().as_secs_f64(),
        );
    }
    Ok(!res.links.is_empty())
}

fn run_sources_report(a: &cli::ReportArgs, quiet: bool) -> Result<bool> {
    let params = params(&a.matching)?;
    let (corpus, source_files) = open_sources_and_articles(&a.from, &a.input, a.matching.mode)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let rules = reprint::attribute::Attribution::default();
    // Finish the progress bar before any error is printed.
    let res = (|| {
        let res =
            reprint::attribute::find_sources(&corpus, source_files, &params, rules, &progress)?;
        let shown: Vec<_> = res.links[..res.links.len().min(a.max_pairs)]
            .iter()
            .map(|l| (l.source, l.article, l.verdict, l.score))
            .collect();
        let explained = pipeline::explain(
            &corpus,
            &res.docs,
            &shown,
            Some(&res.context),
            &params,
            &progress,
        )?;
        Ok::<_, reprint::Error>((res, explained))
    })();
    progress.finish();
    let (res, explained) = res?;
    warn_input(&res.stats, quiet);
    warn_empty_sides(&res, quiet);
    let title = format!("{} from {}", a.input.paths.join(" "), a.from.join(" "));
    let view = reprint::report::page::SourcesReportView {
        result: &res,
        explained: &explained,
        title: &title,
    };
    with_output(Some(&a.out), |w| {
        reprint::report::page::write_sources_report(w, &view)
    })?;
    if !quiet {
        eprintln!(
            "reprint: wrote {} with {} of {} attributed ({})",
            a.out.display(),
            res.attributed(),
            plural(res.articles as u64, "article", "articles"),
            plural(res.links.len() as u64, "link", "links"),
        );
    }
    Ok(!res.links.is_empty())
}

fn run_report(a: &cli::ReportArgs, quiet: bool) -> Result<bool> {
    check_output(Some(&a.out))?;
    if !a.from.is_empty() {
        return run_sources_report(a, quiet);
    }
    let params = params(&a.matching)?;
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let mode = a.matching.mode.unwrap_or(cli::Mode::All);
    // Finish the progress bar before any error is printed.
    let res = (|| {
        let res = find(mode, &corpus, &params, &progress)?;
        let shown = &res.pairs[..res.pairs.len().min(a.max_pairs)];
        let explained = pipeline::explain_pairs(
            &corpus,
            &res.docs,
            shown,
            res.context.as_ref(),
            &params,
            &progress,
        )?;
        Ok::<_, reprint::Error>((res, explained))
    })();
    progress.finish();
    let (res, explained) = res?;
    warn_input(&res.stats, quiet);
    let title = a.input.paths.join(" ");
    let view = reprint::report::page::ReportView {
        run: PairsView {
            docs: &res.docs,
            pairs: &res.pairs,
            params: &params,
            stats: &res.stats,
            candidates: res.candidates,
            mode: mode_name(mode),
        },
        explained: &explained,
        title: &title,
    };
    with_output(Some(&a.out), |w| {
        reprint::report::page::write_report(w, &view)
    })?;
    if !quiet {
        eprintln!(
            "reprint: wrote {} with {} among {}{}",
            a.out.display(),
            plural(res.pairs.len() as u64, "pair", "pairs"),
            plural(res.stats.documents, "document", "documents"),
            if explained.len() < res.pairs.len() {
                format!(" (aligned diffs for the first {})", explained.len())
            } else {
                String::new()
            }
        );
    }
    Ok(!res.pairs.is_empty())
}

fn run_dedup(a: &cli::DedupArgs, quiet: bool) -> Result<bool> {
    check_output(Some(&a.out))?;
    let params = params(&a.matching)?;
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let mode = a.matching.mode.unwrap_or(cli::Mode::NearDup);
    let res = find(mode, &corpus, &params, &progress);
    let mut res = match res {
        Ok(r) => r,
        Err(e) => {
            progress.finish();
            return Err(e.into());
        }
    };
    res.pairs.retain(|p| p.verdict.is_whole());
    let groups = cluster::clusters(res.docs.len(), &res.pairs);
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

fn run_explain(a: &cli::ExplainArgs) -> Result<bool> {
    let p = ParamsInput {
        perms: a.perms,
        threshold: a.threshold,
        containment: a.containment,
        max_size_ratio: a.max_size_ratio,
        bands: a.bands,
        rows: a.rows,
        ..Default::default()
    }
    .validate()?;
    let sims: Vec<f64> = (3..=10).map(|i| i as f64 / 10.0).collect();
    let cand = p.candidate_threshold();
    let mut stdout = io::stdout().lock();
    if a.json {
        let v = serde_json::json!({
            "threshold": p.threshold,
            "containment": p.containment,
            "candidate_threshold": report::round(cand),
            "perms": p.perms,
            "bands": p.lsh.bands,
            "rows": p.lsh.rows,
            "slots_used": p.lsh.slots(),
            "probability_at_threshold": report::round(p.lsh.probability(cand)),
            "probability": sims.iter().map(|&s| serde_json::json!({
                "similarity": s, "probability": report::round(p.lsh.probability(s))
            })).collect::<Vec<_>>(),
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(true);
    }
    writeln!(
        stdout,
        "threshold {} with {} perms: {} bands x {} rows ({} slots used)",
        p.threshold,
        p.perms,
        p.lsh.bands,
        p.lsh.rows,
        p.lsh.slots()
    )?;
    if let Some(c) = p.containment {
        writeln!(
            stdout,
            "containment {c} (length ratio up to {}): candidates tuned for Jaccard {:.3}",
            p.max_size_ratio, cand
        )?;
    }
    writeln!(
        stdout,
        "chance that a pair becomes a candidate (candidates are then verified exactly):"
    )?;
    let header = ["jaccard", "P(candidate)"];
    let mut rows: Vec<[String; 2]> = sims
        .iter()
        .map(|&s| [format!("{s:.1}"), format!("{:.4}", p.lsh.probability(s))])
        .collect();
    if !sims.iter().any(|&s| (s - cand).abs() < 1e-9) {
        rows.push([
            format!("{cand:.3} (threshold)"),
            format!("{:.4}", p.lsh.probability(cand)),
        ]);
    }
    report::write_table(&mut stdout, &header, &rows, &[true, true])?;
    Ok(true)
}

fn run_stats(a: &cli::StatsArgs, quiet: bool) -> Result<bool> {
    let corpus = open_corpus(&a.input)?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let t0 = Instant::now();
    let res = pipeline::scan_corpus(&corpus, a.ngram.max(1), &progress);
    progress.finish();
    let (stats, shingles) = res?;
    let secs = t0.elapsed().as_secs_f64();
    warn_input(&stats, quiet);
    let mut stdout = io::stdout().lock();
    if a.json {
        let v = serde_json::json!({
            "input": stats,
            "shingles": shingles,
            "input_bytes": corpus.total_bytes(),
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        writeln!(
            stdout,
            "{} documents, {} words, {} shingles ({}-grams), {} bytes of text, {} bytes read",
            stats.documents,
            stats.words,
            shingles,
            a.ngram,
            stats.text_bytes,
            corpus.total_bytes()
        )?;
        writeln!(
            stdout,
            "empty {}, short {}, lossy UTF-8 {}, binary skipped {}, bad lines skipped {}",
            stats.empty,
            stats.short,
            stats.lossy_utf8,
            stats.binary_skipped,
            stats.bad_lines_skipped
        )?;
    }
    if !quiet {
        eprintln!(
            "reprint: read, tokenized and hashed in {secs:.3}s ({:.1} MB/s of input)",
            corpus.total_bytes() as f64 / 1e6 / secs.max(1e-9)
        );
    }
    Ok(stats.documents > 0)
}

/// Reads a document for `diff`: a whole file.
fn read_text_file(path: &str) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    if reprint::corpus::looks_binary(&bytes) {
        anyhow::bail!("{path}: looks like a binary file (contains NUL bytes)");
    }
    let (text, lossy) = reprint::corpus::decode(&bytes);
    if lossy {
        eprintln!("reprint: warning: {path} is not valid UTF-8; decoded with U+FFFD replacements");
    }
    Ok(text.into_owned())
}

fn run_diff(a: &cli::DiffArgs, quiet: bool) -> Result<bool> {
    check_output(a.out.as_deref())?;
    use reprint::report::diff::{self, Color, DiffView, Side};
    if a.ngram == 0 {
        anyhow::bail!("--ngram must be at least 1");
    }
    let mut cmp = reprint::compare::Comparer::new(a.ngram);
    let (ta, tb, idf, boiler) = if a.corpus.is_empty() {
        (read_text_file(&a.a)?, read_text_file(&a.b)?, None, None)
    } else {
        let inputs: Vec<Input> = a.corpus.iter().map(|p| Input::parse(p)).collect();
        let options = ReadOptions {
            text_field: a.text_field.clone(),
            id_field: a.id_field.clone(),
            ..ReadOptions::default()
        };
        let corpus = Corpus::open(&inputs, options)?;
        let progress = Progress::new(quiet, corpus.total_bytes());
        let found = reprint::pipeline::corpus_context(&corpus, &[&a.a, &a.b], &progress);
        progress.finish();
        let found = found?;
        let mut texts = found.texts.into_iter();
        let (ta, tb) = (texts.next().flatten(), texts.next().flatten());
        let ta = ta.with_context(|| format!("no document with id {:?} in the corpus", a.a))?;
        let tb = tb.with_context(|| format!("no document with id {:?} in the corpus", a.b))?;
        (ta, tb, Some(found.idf), Some(found.boilerplate))
    };
    let is_boiler = |k: u64| {
        boiler
            .as_ref()
            .is_some_and(|b: &ahash::AHashSet<u64>| b.contains(&k))
    };
    let pa = cmp.prepare(&ta, &is_boiler);
    let pb = cmp.prepare(&tb, &is_boiler);
    let comparison = cmp.compare(&pa, &pb, idf.as_ref());
    let view = DiffView {
        a: Side {
            id: &a.a,
            text: &ta,
            analyzed: &pa.analyzed,
        },
        b: Side {
            id: &a.b,
            text: &tb,
            analyzed: &pb.analyzed,
        },
        comparison: &comparison,
    };
    match a.format {
        cli::DiffFormat::Json => with_output(a.out.as_deref(), |w| diff::write_json(w, &view))?,
        cli::DiffFormat::Html => with_output(a.out.as_deref(), |w| diff::write_html(w, &view))?,
        cli::DiffFormat::Terminal => {
            let to_terminal = a.out.is_none() && io::stdout().is_terminal();
            let color = match a.color {
                cli::ColorArg::Always => Color::Always,
                cli::ColorArg::Never => Color::Never,
                cli::ColorArg::Auto => {
                    if to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
                        Color::Always
                    } else {
                        Color::Never
                    }
                }
            };
            let width = a.width.unwrap_or_else(|| {
                if to_terminal {
                    terminal_size::terminal_size().map_or(100, |(w, _)| w.0 as usize)
                } else {
                    100
                }
            });
            with_output(a.out.as_deref(), |w| {
                diff::write_terminal(w, &view, width, color)
            })?;
        }
    }
    Ok(comparison.verdict.is_some())
}

fn run_score(a: &cli::ScoreArgs, quiet: bool) -> Result<bool> {
    check_output(a.out.as_deref())?;
    if a.ngram == 0 {
        anyhow::bail!("--ngram must be at least 1");
    }
    let input = reprint::score::ScoreInput::open(&a.input)?;
    let mut stats = None;
    with_output(a.out.as_deref(), |w| {
        stats = Some(
            reprint::score::score(&input, a.ngram, a.skip_bad_lines, w)
                .map_err(io::Error::other)?,
        );
        Ok(())
    })?;
    let stats = stats.unwrap_or_default();
    if !quiet {
        eprintln!(
            "reprint: scored {}, {} related{}",
            plural(stats.pairs, "pair", "pairs"),
            stats.related,
            if stats.bad_lines > 0 {
                format!(", {} malformed", plural(stats.bad_lines, "line", "lines"))
            } else {
                String::new()
            }
        );
    }
    Ok(stats.related > 0)
}

fn run(cli: &Cli) -> Result<bool> {
    if let Some(n) = cli.threads {
        if n == 0 {
            anyhow::bail!("--threads must be at least 1");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting the thread pool")?;
    }
    match &cli.command {
        Command::Pairs(a) => run_pairs(a, cli.quiet, false),
        Command::Clusters(a) => run_pairs(a, cli.quiet, true),
        Command::Dedup(a) => run_dedup(a, cli.quiet),
        Command::Diff(a) => run_diff(a, cli.quiet),
        Command::Report(a) => run_report(a, cli.quiet),
        Command::Sources(a) => run_sources(a, cli.quiet),
        Command::Score(a) => run_score(a, cli.quiet),
        Command::Explain(a) => run_explain(a),
        Command::Stats(a) => run_stats(a, cli.quiet),
        Command::Gen(a) => run_gen(a, cli.quiet),
        Command::Bench(a) => run_bench(a, cli.quiet),
    }
}

/// A bar of documents written, for `gen` on a terminal.
fn docs_bar(quiet: bool, docs: u64) -> Option<ProgressBar> {
    (!quiet && io::stderr().is_terminal() && docs >= 20_000).then(|| {
        let bar = ProgressBar::with_draw_target(Some(docs), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>10} [{bar:30}] {human_pos}/{human_len} docs {per_sec} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_message("generating");
        bar
    })
}

/// Generates a corpus into `dir` with a progress bar; returns the manifest and the
/// wall time.
fn generate(
    opts: &reprint::gen::GenOptions,
    dir: &Path,
    quiet: bool,
) -> Result<(reprint::gen::Manifest, f64)> {
    let bar = docs_bar(quiet, opts.docs);
    let t = Instant::now();
    let res = reprint::gen::generate(opts, dir, &|n| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let m = res.with_context(|| format!("generating a corpus in {}", dir.display()))?;
    Ok((m, t.elapsed().as_secs_f64()))
}

fn run_gen(a: &cli::GenArgs, quiet: bool) -> Result<bool> {
    let opts = reprint::gen::GenOptions {
        docs: a.docs,
        seed: a.seed,
        ngram: a.ngram,
    };
    let (m, secs) = generate(&opts, &a.out, quiet)?;
    if !quiet {
        let pairs: Vec<String> = m.pairs.iter().map(|(k, v)| format!("{k} {v}")).collect();
        eprintln!(
            "reprint: wrote {} documents ({:.1} MB) in {:.2}s ({:.1} MB/s) to {}; truth: {}",
            m.docs,
            m.corpus_bytes as f64 / 1e6,
            secs,
            m.corpus_bytes as f64 / 1e6 / secs.max(1e-9),
            a.out.display(),
            pairs.join(", ")
        );
    }
    Ok(true)
}

fn run_bench(a: &cli::BenchArgs, quiet: bool) -> Result<bool> {
    check_output(a.out.as_deref())?;
    use reprint::bench::{self, Generated};
    let params = params(&a.matching)?;
    let mode = match a.matching.mode.unwrap_or(cli::Mode::All) {
        cli::Mode::All => bench::Mode::All,
        cli::Mode::NearDup => bench::Mode::NearDup,
    };
    // Keeps a generated temporary corpus alive until the end.
    let mut _tmp = None;
    let (corpus_path, truth_path, generated) = match a.docs {
        Some(docs) => {
            let dir = match &a.keep {
                Some(d) => d.clone(),
                None => {
                    let t = tempfile::Builder::new()
                        .prefix("reprint-bench-")
                        .tempdir()
                        .context("creating a temporary directory")?;
                    let p = t.path().to_path_buf();
                    _tmp = Some(t);
                    p
                }
            };
            let opts = reprint::gen::GenOptions {
                docs,
                seed: a.seed,
                ngram: params.ngram,
            };
            let (m, secs) = generate(&opts, &dir, quiet)?;
            let g = Generated {
                seed: a.seed,
                docs,
                seconds: report::round(secs),
                mb_per_s: report::round(m.corpus_bytes as f64 / 1e6 / secs.max(1e-9)),
                docs_per_s: (docs as f64 / secs.max(1e-9)).round(),
                kept_in: a.keep.as_ref().map(|k| k.display().to_string()),
            };
            (
                dir.join(reprint::gen::CORPUS_FILE),
                dir.join(reprint::gen::TRUTH_FILE),
                Some(g),
            )
        }
        None => (
            a.corpus.clone().context("--corpus or --docs is required")?,
            a.truth
                .clone()
                .context("--truth is required with --corpus")?,
            None,
        ),
    };
    std::fs::File::open(&truth_path)
        .with_context(|| format!("opening {}", truth_path.display()))?;
    let corpus_name = corpus_path.display().to_string();
    let corpus = Corpus::open(
        &[Input::parse(&corpus_name)],
        ReadOptions {
            text_field: "text".into(),
            id_field: "id".into(),
            skip_bad_lines: false,
            text_extensions: Vec::new(),
            max_document_bytes: 64 << 20,
        },
    )?;
    let progress = Progress::new(quiet, corpus.total_bytes());
    let res = bench::run(&corpus, &corpus_name, &truth_path, mode, &params, &progress);
    progress.finish();
    let mut report = res?;
    report.generated = generated;
    with_output(a.out.as_deref(), |w| match a.format {
        cli::BenchFormat::Table => reprint::report::bench::write_table_report(w, &report),
        cli::BenchFormat::Json => reprint::report::bench::write_json(w, &report),
    })?;
    Ok(true)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<reprint::Error>()
            .is_some_and(reprint::Error::is_broken_pipe)
            || c.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(true) => ExitCode::from(0),
        Ok(false) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) => {
            let mut msg = format!("reprint: error: {e}");
            for cause in e.chain().skip(1) {
                let c = cause.to_string();
                if !msg.contains(&c) {
                    msg.push_str(&format!(": {c}"));
                }
            }
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}
