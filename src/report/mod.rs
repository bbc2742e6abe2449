//! Rendering results: aligned tables for people, JSON / JSON Lines / CSV / TSV for
//! programs. Nothing here computes; the wire types are in [`wire`].
//!
//! Invariants: rows are written in the order the caller gives them, and every score
//! in machine-readable output is rounded to 6 decimals ([`round`]), so outputs are
//! stable byte for byte.

pub mod diff;
pub mod page;
pub mod summary;
pub mod terminal;
pub mod wire;

pub use terminal::terminal_safe;

use std::io::{self, Write};

use crate::cluster::Cluster;
use crate::corpus::DocTable;
use crate::corpus::InputStats;
use crate::model::Pair;
use crate::params::Params;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// One JSON object with the run's parameters and all results.
    Json,
    /// One JSON object per line, streamed.
    Jsonl,
    /// Comma-separated with a header row.
    Csv,
    /// Tab-separated, no header (for `cut`, `sort`, `join`).
    Tsv,
}

/// Everything a pairs report shows.
pub struct PairsView<'a> {
    /// Ids of the documents the pairs index into.
    pub docs: &'a DocTable,
    /// The pairs, in output order.
    pub pairs: &'a [Pair],
    /// The run's parameters, echoed in the JSON document.
    pub params: &'a Params,
    /// What was read: documents, skipped lines, sizes.
    pub stats: &'a InputStats,
    /// Candidate pairs that were verified.
    pub candidates: usize,
    /// Name of the run mode (`all` or `near-dup`).
    pub mode: &'a str,
    /// Give each pair its `earlier` document, from the dates in `docs` (a column
    /// of `index query`, null where the dates do not say).
    pub earlier: bool,
}

/// Everything a clusters report shows.
pub struct ClustersView<'a> {
    /// Ids of the documents the clusters index into.
    pub docs: &'a DocTable,
    /// The clusters, in output order.
    pub clusters: &'a [Cluster],
    /// Verified pairs the clusters were built from.
    pub pairs: usize,
    /// The run's parameters, echoed in the JSON document.
    pub params: &'a Params,
    /// What was read: documents, skipped lines, sizes.
    pub stats: &'a InputStats,
    /// Name of the run mode (`all` or `near-dup`).
    pub mode: &'a str,
}

/// Everything `reprint index clusters` shows.
#[derive(Debug)]
pub struct StoryClustersView<'a> {
    /// Ids, dates and sources of the index's documents.
    pub docs: &'a DocTable,
    /// Dates of the documents as stored (by document), `None` when none.
    pub dates: &'a [Option<&'a str>],
    /// The run's pairs, which the clusters' members point into.
    pub pairs: &'a [Pair],
    /// The clusters, in output order.
    pub clusters: &'a [crate::index::StoryCluster],
    /// The index's parameters.
    pub params: &'a Params,
    /// Name of the run mode (`all` or `near-dup`).
    pub mode: &'a str,
}

/// Writes the reprint clusters of an index in `format`: JSON (one document), JSON
/// Lines (a cluster per line), CSV/TSV and the table (a member per row).
pub fn write_story_clusters(
    w: &mut dyn Write,
    format: Format,
    v: &StoryClustersView,
) -> io::Result<()> {
    let rows = v.clusters.iter().map(|c| wire::StoryClusterRow {
        cluster: c.id,
        size: c.members.len(),
        origin: v.docs.id(c.origin),
        members: c
            .members
            .iter()
            .map(|m| {
                let pair = m.pair.map(|i| &v.pairs[i]);
                wire::StoryMemberRow {
                    id: v.docs.id(m.doc),
                    date: v.dates.get(m.doc as usize).copied().flatten(),
                    source: v.docs.field(m.doc),
                    verdict: pair.map(|p| p.verdict.name()),
                    score: pair.map(|p| round(p.score)),
                    took: m.took.map(round),
                }
            })
            .collect(),
    });
    match format {
        Format::Json => {
            let doc = wire::StoryClustersDocument {
                schema: wire::STORY_CLUSTERS_SCHEMA,
                mode: v.mode,
                documents: v.docs.len() as u64,
                parameters: wire::Parameters::new(v.params),
                pairs: v.pairs.len(),
                clusters: rows.collect(),
            };
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            writeln!(w)
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *w, &row)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }
        Format::Csv | Format::Tsv | Format::Table => {
            let opt = |x: Option<&str>| x.unwrap_or("").to_owned();
            let num = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
            let mut body: Vec<[String; 8]> = Vec::new();
            for r in rows {
                for m in &r.members {
                    let role = if m.id == r.origin {
                        "origin".to_owned()
                    } else {
                        opt(m.verdict)
                    };
                    body.push([
                        r.cluster.to_string(),
                        r.size.to_string(),
                        m.id.to_owned(),
                        opt(m.date),
                        opt(m.source),
                        role,
                        num(m.score),
                        num(m.took),
                    ]);
                }
            }
            let header = [
                "cluster", "size", "id", "date", "source", "verdict", "score", "took",
            ];
            if format == Format::Table {
                return write_table(
                    w,
                    &header,
                    &body,
                    &[true, true, false, false, false, false, true, true],
                );
            }
            let mut out = csv::WriterBuilder::new()
                .delimiter(if format == Format::Csv { b',' } else { b'\t' })
                .has_headers(false)
                .from_writer(&mut *w);
            if format == Format::Csv {
                out.write_record(header).map_err(csv_err)?;
            }
            for row in body {
                out.write_record(row.iter().map(|f| defuse_field(f).into_owned()))
                    .map_err(csv_err)?;
            }
            out.flush()
        }
    }
}

/// Rounds a score for output (6 decimals keeps output stable and readable).
pub fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A CSV or TSV field made safe to open in a spreadsheet: a field starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would be read as a formula (formula
/// injection, OWASP), so it gets a leading `'`, which spreadsheets show as text.
/// Other fields are unchanged.
///
/// ```
/// use reprint::report::defuse_field;
/// assert_eq!(defuse_field("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(defuse_field("doc-1"), "doc-1");
/// ```
pub fn defuse_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// One row as CSV fields keyed by column name (the row's own serialization, so numbers
/// are written exactly as the `csv` crate writes them).
fn csv_fields<T: serde::Serialize>(row: &T) -> io::Result<Vec<(String, String)>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(true)
        .from_writer(Vec::new());
    w.serialize(row).map_err(csv_err)?;
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&bytes[..]);
    let header = r.headers().map_err(csv_err)?.clone();
    let record = r
        .records()
        .next()
        .unwrap_or_else(|| Ok(csv::StringRecord::new()))
        .map_err(csv_err)?;
    Ok(header
        .iter()
        .zip(record.iter())
        .map(|(h, f)| (h.to_owned(), f.to_owned()))
        .collect())
}

/// Writes one record per row: JSON Lines, or CSV (with the header `columns`, even
/// when there are no rows) / TSV (without). CSV and TSV rows have exactly `columns`
/// (empty where a row has no value) and every field passes through [`defuse_field`].
fn write_records<T: serde::Serialize>(
    w: &mut dyn Write,
    format: Format,
    columns: &[&str],
    rows: impl Iterator<Item = T>,
) -> io::Result<()> {
    if format == Format::Jsonl {
        for row in rows {
            serde_json::to_writer(&mut *w, &row)?;
            w.write_all(b"\n")?;
        }
        return Ok(());
    }
    let mut out = csv::WriterBuilder::new()
        .delimiter(if format == Format::Csv { b',' } else { b'\t' })
        .has_headers(false)
        .from_writer(&mut *w);
    if format == Format::Csv {
        out.write_record(columns).map_err(csv_err)?;
    }
    for row in rows {
        let fields = csv_fields(&row)?;
        let record = columns.iter().map(|c| {
            fields
                .iter()
                .find(|(h, _)| h == c)
                .map_or(std::borrow::Cow::Borrowed(""), |(_, f)| defuse_field(f))
        });
        out.write_record(record.map(|f| f.into_owned()))
            .map_err(csv_err)?;
    }
    out.flush()
}

/// Writes a pairs report.
pub fn write_pairs(w: &mut dyn Write, format: Format, v: &PairsView) -> io::Result<()> {
    let rows = v.pairs.iter().map(|p| {
        if v.earlier {
            wire::PairRow::with_earlier(v.docs, p)
        } else {
            wire::PairRow::new(v.docs, p)
        }
    });
    let earlier_of = |r: &wire::PairRow| r.earlier.flatten().unwrap_or("").to_owned();
    match format {
        Format::Json => {
            let doc = wire::PairsDocument {
                schema: wire::PAIRS_SCHEMA,
                mode: v.mode,
                documents: v.stats.documents,
                parameters: wire::Parameters::new(v.params),
                input: v.stats,
                candidates: v.candidates,
                pairs: rows.collect(),
            };
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            writeln!(w)
        }
        Format::Jsonl | Format::Csv | Format::Tsv => {
            let mut columns = if v.mode == crate::mode::Mode::NearDup.name() {
                wire::PAIR_COLUMNS_NEAR_DUP
            } else {
                wire::PAIR_COLUMNS
            }
            .to_vec();
            if v.earlier {
                columns.push("earlier");
            }
            write_records(w, format, &columns, rows)
        }
        Format::Table => {
            // The columns follow the mode, not the rows: the same with no pairs.
            if v.mode != crate::mode::Mode::NearDup.name() {
                let header = ["a", "b", "score", "jaccard", "cov_a", "cov_b", "verdict"];
                let body = rows
                    .map(|r| {
                        let row = [
                            r.a.to_owned(),
                            r.b.to_owned(),
                            format!("{:.3}", r.score),
                            format!("{:.3}", r.jaccard),
                            format!("{:.2}", r.coverage_a.unwrap_or(0.0)),
                            format!("{:.2}", r.coverage_b.unwrap_or(0.0)),
                            r.verdict.to_owned(),
                        ];
                        (row, earlier_of(&r))
                    })
                    .collect();
                let right = [false, false, true, true, true, true, false];
                return write_pair_table::<7, 8>(w, header, right, body, v.earlier);
            }
            let header = ["a", "b", "jaccard", "a_in_b", "b_in_a", "verdict"];
            let body = rows
                .map(|r| {
                    let row = [
                        r.a.to_owned(),
                        r.b.to_owned(),
                        format!("{:.3}", r.jaccard),
                        format!("{:.3}", r.containment_a_in_b),
                        format!("{:.3}", r.containment_b_in_a),
                        r.verdict.to_owned(),
                    ];
                    (row, earlier_of(&r))
                })
                .collect();
            let right = [false, false, true, true, true, false];
            write_pair_table::<6, 7>(w, header, right, body, v.earlier)
        }
    }
}

/// Writes a pairs table, with an `earlier` column last when `earlier` (`M` is `N + 1`).
fn write_pair_table<const N: usize, const M: usize>(
    w: &mut dyn Write,
    header: [&str; N],
    right: [bool; N],
    rows: Vec<([String; N], String)>,
    earlier: bool,
) -> io::Result<()> {
    if !earlier {
        let body: Vec<[String; N]> = rows.into_iter().map(|(r, _)| r).collect();
        return write_table(w, &header, &body, &right);
    }
    let body: Vec<[String; M]> = rows.into_iter().map(|(r, e)| append(r, e)).collect();
    write_table(w, &append(header, "earlier"), &body, &append(right, false))
}

/// `a` with `x` after its last element.
fn append<T, const N: usize, const M: usize>(a: [T; N], x: T) -> [T; M] {
    assert_eq!(N + 1, M, "one more column");
    let mut it = a.into_iter().chain(std::iter::once(x));
    std::array::from_fn(|_| it.next().expect("N + 1 elements"))
}

/// Everything a sources report shows.
pub struct SourcesView<'a> {
    /// The attribution run: documents, links and counts.
    pub result: &'a crate::mode::sources::SourcesResult,
    /// The run's parameters, echoed in the JSON document.
    pub params: &'a Params,
    /// List the articles with no source too, each as a row with a `null` source.
    pub all: bool,
}

/// The rows of a sources report: by article in corpus order, then rank; with `all`,
/// one [`wire::SourceRow::unattributed`] row in its place for each article without a
/// link.
fn source_rows<'a>(
    r: &'a crate::mode::sources::SourcesResult,
    all: bool,
) -> Vec<wire::SourceRow<'a>> {
    if !all {
        return r
            .links
            .iter()
            .map(|l| wire::SourceRow::new(&r.docs, l))
            .collect();
    }
    let mut rows = Vec::with_capacity(r.articles.max(r.links.len()));
    let mut links = r.links.iter().peekable();
    // Articles follow the sources in corpus order; links are sorted by article.
    for article in r.sources..r.docs.len() {
        let article = article as crate::DocIndex;
        let before = rows.len();
        while let Some(l) = links.next_if(|l| l.article == article) {
            rows.push(wire::SourceRow::new(&r.docs, l));
        }
        if rows.len() == before {
            rows.push(wire::SourceRow::unattributed(&r.docs, article));
        }
    }
    rows
}

/// Writes a sources report: one row per (article, source), by article then rank.
pub fn write_sources(w: &mut dyn Write, format: Format, v: &SourcesView) -> io::Result<()> {
    let r = v.result;
    let rows = source_rows(r, v.all).into_iter();
    match format {
        Format::Json => {
            let doc = wire::SourcesDocument {
                schema: wire::SOURCES_SCHEMA,
                documents: r.stats.documents,
                sources: r.sources,
                articles: r.articles,
                attributed: r.attributed(),
                reused: r.reused(),
                parameters: wire::Parameters::new(v.params),
                input: &r.stats,
                candidates: r.candidates,
                links: rows.collect(),
            };
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            writeln!(w)
        }
        Format::Jsonl | Format::Csv | Format::Tsv => {
            write_records(w, format, wire::SOURCE_COLUMNS, rows)
        }
        Format::Table => {
            let header = [
                "article", "source", "rank", "score", "cov_art", "cov_src", "verdict",
            ];
            let body: Vec<[String; 7]> = rows
                .map(|r| {
                    let fixed = |x: Option<f64>, places: usize| {
                        x.map_or_else(|| "-".to_owned(), |x| format!("{x:.places$}"))
                    };
                    [
                        r.article.to_owned(),
                        r.source.unwrap_or("-").to_owned(),
                        r.rank.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                        fixed(r.score, 3),
                        fixed(r.coverage_article, 2),
                        fixed(r.coverage_source, 2),
                        r.verdict.unwrap_or("-").to_owned(),
                    ]
                })
                .collect();
            let right = [false, false, true, true, true, true, false];
            write_table(w, &header, &body, &right)
        }
    }
}

/// Writes the trail of `reprint dedup --removed`: one [`wire::RemovedRow`] per line.
pub fn write_removed(
    w: &mut dyn Write,
    docs: &crate::corpus::DocTable,
    removed: &[crate::dedup::Removed],
) -> io::Result<()> {
    write_records(
        w,
        Format::Jsonl,
        &[],
        removed.iter().map(|r| wire::RemovedRow::new(docs, r)),
    )
}

/// Writes a clusters report.
pub fn write_clusters(w: &mut dyn Write, format: Format, v: &ClustersView) -> io::Result<()> {
    let rows = v.clusters.iter().map(|c| wire::ClusterRow::new(v.docs, c));
    match format {
        Format::Json => {
            let doc = wire::ClustersDocument {
                schema: wire::CLUSTERS_SCHEMA,
                mode: v.mode,
                documents: v.stats.documents,
                parameters: wire::Parameters::new(v.params),
                input: v.stats,
                pairs: v.pairs,
                clusters: rows.collect(),
            };
            serde_json::to_writer_pretty(&mut *w, &doc)?;
            writeln!(w)
        }
        Format::Jsonl => {
            for row in rows {
                serde_json::to_writer(&mut *w, &row)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        }
        Format::Csv | Format::Tsv => {
            // One row per member: cluster, size, id.
            let mut out = csv::WriterBuilder::new()
                .delimiter(if format == Format::Csv { b',' } else { b'\t' })
                .has_headers(false)
                .from_writer(&mut *w);
            if format == Format::Csv {
                out.write_record(["cluster", "size", "id"])
                    .map_err(csv_err)?;
            }
            for row in rows {
                for m in &row.members {
                    out.write_record([
                        row.cluster.to_string(),
                        row.size.to_string(),
                        defuse_field(m).into_owned(),
                    ])
                    .map_err(csv_err)?;
                }
            }
            out.flush()
        }
        Format::Table => {
            let header = ["cluster", "size", "members"];
            let body: Vec<[String; 3]> = rows
                .map(|r| {
                    [
                        r.cluster.to_string(),
                        r.size.to_string(),
                        r.members.join("  "),
                    ]
                })
                .collect();
            write_table(w, &header, &body, &[true, true, false])
        }
    }
}

/// Writes aligned columns; `right[i]` right-aligns column `i` (numbers). The last
/// column is not padded. Cells pass through [`terminal_safe`] (ids come from
/// documents) and are measured in terminal columns.
pub fn write_table<const N: usize>(
    w: &mut dyn Write,
    header: &[&str; N],
    rows: &[[String; N]],
    right: &[bool; N],
) -> io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let safe: Vec<[std::borrow::Cow<str>; N]> = rows
        .iter()
        .map(|r| std::array::from_fn(|i| terminal_safe(&r[i])))
        .collect();
    let mut width = [0usize; N];
    for (i, h) in header.iter().enumerate() {
        width[i] = h.width();
    }
    for r in &safe {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.width());
        }
    }
    let mut line = |cells: &[&str]| -> io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let pad = width[i].saturating_sub(c.width());
            if i + 1 == N && !right[i] {
                s.push_str(c);
            } else if right[i] {
                s.extend(std::iter::repeat_n(' ', pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s.push('\n');
        w.write_all(s.as_bytes())
    };
    line(&header.map(|h| h))?;
    for r in &safe {
        let cells: Vec<&str> = r.iter().map(|c| c.as_ref()).collect();
        line(&cells)?;
    }
    Ok(())
}

/// Writes one line of `reprint score` output (JSON Lines), without passages.
pub fn write_scored(w: &mut dyn Write, s: &crate::score::Scored) -> io::Result<()> {
    write_scored_with(w, s, false)
}

/// Writes one line of `reprint score` output (JSON Lines); with `passages`, the
/// line carries the pair's aligned passages (`reprint score --passages`).
pub fn write_scored_with(
    w: &mut dyn Write,
    s: &crate::score::Scored,
    passages: bool,
) -> io::Result<()> {
    use crate::score::Scored;
    match s {
        Scored::Pair {
            id_a,
            id_b,
            comparison: c,
        } => serde_json::to_writer(
            &mut *w,
            &wire::ScoreRow {
                id_a: id_a.as_ref(),
                id_b: id_b.as_ref(),
                score: round(c.score),
                verdict: c.verdict.map_or("unrelated", |v| v.name()),
                coverage_a: round(c.coverage_a),
                coverage_b: round(c.coverage_b),
                jaccard: round(c.overlap.jaccard),
                equivalence: c.equivalence.map(round),
                evidence: wire::rounded_evidence(&c.evidence),
                passages: passages.then(|| wire::PassageRow::all(&c.passages)),
            },
        )?,
        Scored::Bad { line, message } => serde_json::to_writer(
            &mut *w,
            &wire::ScoreError::new(*line, message).with_passages(passages),
        )?,
    }
    w.write_all(b"\n")
}
