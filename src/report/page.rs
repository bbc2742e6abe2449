//! The HTML pages: `reprint report` (every pair of a run, or every article's sources)
//! and `reprint diff --format html` (one pair). Nothing here computes: the pairs come
//! from the pipeline and their alignments from [`crate::mode::aligned`].
//!
//! Pages are self-contained (inline CSS, and for reports a small inline script; they
//! load nothing). A report lists every pair in one table that filters by verdict and
//! sorts by any column; pairs of one cluster are together, documents with the same
//! word n-grams are one row per group ([`plan`]), and the most informative rows come
//! first. Diffs are not in the page's markup: their data (each document's paragraphs
//! once, and per link the runs of matched, removed and added text) is gzipped into an
//! inert `<script type="application/x-reprint">` and a diff is rendered when its row's
//! button is clicked, so a page of 1,000 pairs and their diffs stays small and lays
//! out only its table. Matched words are highlighted (`<mark>`); "show differences"
//! marks words only in A struck through (`<del>`) and words only in B underlined
//! (`<ins>`).

mod pair;
pub mod plan;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use ahash::AHashMap;
use serde::Serialize;

pub(crate) use pair::escape;
use pair::{diff_data, diff_table, DataDiff, DataDoc};

use super::diff::{DiffView, Side};
use super::PairsView;
use crate::mode::aligned::AlignedPair;
use crate::model::Pair;
use crate::DocIndex;

const CSS: &str = include_str!("page/page.css");
const SCRIPT: &str = include_str!("page/report.js");

/// Everything a report page shows.
pub struct ReportView<'a> {
    /// The run: documents, all reported pairs, parameters.
    pub run: PairsView<'a>,
    /// Indexes into `run.pairs` of the pairs with a diff, as [`diff_pairs`] lists them.
    pub diffs: &'a [usize],
    /// The pairs `diffs` names, aligned in full, in the same order.
    pub explained: &'a [AlignedPair],
    /// What the page is of (the input paths).
    pub title: &'a str,
}

/// The pairs a report shows diffs for, as indexes into `pairs`: one per table row
/// ([`plan::rows`]), the first `max` rows in display order (the most informative).
pub fn diff_pairs(documents: usize, pairs: &[Pair], max: usize) -> Vec<usize> {
    plan::rows(documents, pairs)
        .iter()
        .take(max)
        .map(|r| r.pair)
        .collect()
}

/// A column of a page's pair table.
struct Col {
    name: &'static str,
    /// Sorted as numbers (else as text).
    numeric: bool,
    /// The first click sorts descending.
    desc: bool,
    /// Ascending, the column keeps clusters together.
    group: bool,
    /// Shown before the value when the table reflows on a narrow window.
    label: bool,
}

const fn col(name: &'static str, numeric: bool, desc: bool, group: bool, label: bool) -> Col {
    Col {
        name,
        numeric,
        desc,
        group,
        label,
    }
}

const PAIR_COLS: [Col; 11] = [
    col("#", true, false, true, false),
    col("cluster", true, false, true, true),
    col("A", false, false, false, true),
    col("B", false, false, false, true),
    col("verdict", true, false, false, false),
    col("score", true, true, false, true),
    col("Jaccard", true, true, false, true),
    col("coverage A", true, true, false, true),
    col("coverage B", true, true, false, true),
    col("links", true, true, false, true),
    col("diff", false, false, false, false),
];

const SOURCE_COLS: [Col; 9] = [
    col("#", true, false, true, false),
    col("article", false, false, false, true),
    col("source", false, false, false, true),
    col("rank", true, false, false, true),
    col("verdict", true, false, false, false),
    col("score", true, true, false, true),
    col("coverage article", true, true, false, true),
    col("coverage source", true, true, false, true),
    col("diff", false, false, false, false),
];

/// The table head, and the narrow-window labels of its cells.
fn table_head(cols: &[Col]) -> (String, String) {
    let mut head = String::from("<thead><tr>");
    let mut style = String::from("@media (max-width:720px){");
    for (i, c) in cols.iter().enumerate() {
        if c.name == "diff" {
            head.push_str("<th scope=\"col\">diff</th>");
            continue;
        }
        let _ = write!(
            head,
            "<th scope=\"col\" data-t=\"{}\"{}{}{}><button type=\"button\">{}</button></th>",
            if c.numeric { "n" } else { "s" },
            if c.desc { " data-first=\"desc\"" } else { "" },
            if c.group { " data-group=\"1\"" } else { "" },
            if i == 0 {
                " aria-sort=\"ascending\""
            } else {
                ""
            },
            escape(c.name),
        );
        if c.label {
            let _ = write!(
                style,
                "#pairs>tbody>tr>td:nth-child({})::before{{content:'{} ';color:#666}}",
                i + 1,
                c.name
            );
        }
    }
    head.push_str("</tr></thead>");
    style.push('}');
    (head, style)
}

/// Verdict names in display order, with the colours of their histogram bars.
const VERDICTS: [(&str, &str); 5] = [
    ("rewrite", "#f0a04b"),
    ("partial", "#d9bb3a"),
    ("near-duplicate", "#e06666"),
    ("duplicate", "#a875c9"),
    ("closest", "#9e9e9e"),
];

fn colour(verdict: &str) -> &'static str {
    VERDICTS
        .iter()
        .find(|v| v.0 == verdict)
        .map_or("#888", |v| v.1)
}

/// The verdict filter (a checkbox per verdict present, with its count), the id
/// filter, and the row count the script keeps up to date.
fn filters(counts: &BTreeMap<usize, (&str, usize)>, unit: &str, rows: usize) -> String {
    let mut s = String::from("<fieldset id=\"filters\"><legend>Show verdicts</legend>");
    for (name, n) in counts.values() {
        let _ = write!(
            s,
            "<label><input type=\"checkbox\" value=\"{name}\" checked> <i class=\"sw\" \
             style=\"background:{}\"></i><span class=\"verdict v-{name}\">{name}</span> {n}</label>",
            colour(name)
        );
    }
    let _ = write!(
        s,
        "<div><label>Find a document: <input id=\"q\" type=\"search\" placeholder=\"id\"></label> \
         <span id=\"shown\" class=\"count\" aria-live=\"polite\">{rows} rows</span> \
         <span class=\"count\">(counts are {unit})</span></div></fieldset>"
    );
    s
}

/// An inline SVG histogram of `scores` (clamped to [0, 1]) in 20 bins, stacked by
/// verdict.
fn histogram<'a>(scores: impl Iterator<Item = (f64, &'a str)>) -> String {
    const BINS: usize = 20;
    let mut bins = vec![[0usize; VERDICTS.len()]; BINS];
    for (score, verdict) in scores {
        let b = ((score.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
        let v = VERDICTS.iter().position(|x| x.0 == verdict).unwrap_or(4);
        bins[b][v] += 1;
    }
    let max = bins
        .iter()
        .map(|b| b.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h, top, bottom) = (300.0, 100.0, 10.0, 14.0);
    let bw = w / BINS as f64;
    let mut s = format!(
        "<figure><figcaption>Scores ({max} in the tallest bar)</figcaption>\
         <svg class=\"hist\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
         aria-label=\"Histogram of pair scores from 0 to 1 in 20 bins\">"
    );
    for (i, b) in bins.iter().enumerate() {
        let mut y = h - bottom;
        for (k, &n) in b.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let bh = n as f64 / max as f64 * (h - bottom - top);
            y -= bh;
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\">\
                 <title>{:.2}-{:.2}: {n} {}</title></rect>",
                i as f64 * bw + 1.0,
                bw - 2.0,
                VERDICTS[k].1,
                i as f64 / BINS as f64,
                (i + 1) as f64 / BINS as f64,
                VERDICTS[k].0,
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\" stroke=\"#888\"/>\
         <text x=\"1\" y=\"{t}\">0</text><text x=\"{}\" y=\"{t}\" text-anchor=\"middle\">0.5</text>\
         <text x=\"{}\" y=\"{t}\" text-anchor=\"end\">1</text></svg></figure>",
        w / 2.0,
        w - 1.0,
        y = h - bottom,
        t = h - 3.0,
    );
    s
}

/// The legend of the marks, with the "show differences" switch (CSS only).
fn legend() -> &'static str {
    "<fieldset class=\"legend\"><legend>Marks</legend><mark>matched words</mark> are in both \
     texts (runs of 3 words or more). <label><input type=\"checkbox\" id=\"show-diff\"> show differences</label>: \
     <del>removed</del> = only in A (struck through), <ins>added</ins> = only in B \
     (underlined).</fieldset>"
}

/// One self-contained page.
fn shell(title: &str, header: &str, body: &str, style: &str, script: bool) -> String {
    let mut s = String::with_capacity(body.len() + CSS.len() + SCRIPT.len() + 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>{CSS}{style}</style></head><body><header id=\"top\"><h1>{t}</h1>\
         <p class=\"meta\">{header}</p></header><main>{body}</main>",
        t = escape(title),
    );
    if script {
        let _ = write!(s, "<script>{SCRIPT}</script>");
    }
    s.push_str("</body></html>\n");
    s
}

/// The report's diff data, gzipped and base64-encoded in an inert script element.
#[derive(Serialize)]
struct Data<'a> {
    docs: Vec<DataDoc<'a>>,
    diffs: Vec<DataDiff<'a>>,
}

fn data_element(data: &Data) -> io::Result<String> {
    use flate2::{write::GzEncoder, Compression};
    let json = serde_json::to_vec(data)?;
    let mut gz = GzEncoder::new(Vec::with_capacity(json.len() / 3), Compression::best());
    gz.write_all(&json)?;
    let bytes = gz.finish()?;
    Ok(format!(
        "<script id=\"reprint-data\" type=\"application/x-reprint\">{}</script>",
        base64(&bytes)
    ))
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// Views of explained pairs, and the data documents they index.
struct Explained<'a> {
    views: Vec<DiffView<'a>>,
    docs: Vec<DataDoc<'a>>,
    sides: Vec<(usize, usize)>,
}

/// Diff views of `explained` (A, B ids given), each document's paragraphs once.
fn explain<'a>(
    explained: &'a [AlignedPair],
    ids: impl Iterator<Item = ((DocIndex, &'a str), (DocIndex, &'a str))>,
) -> Explained<'a> {
    let mut slot: AHashMap<DocIndex, usize> = AHashMap::new();
    let mut out = Explained {
        views: Vec::new(),
        docs: Vec::new(),
        sides: Vec::new(),
    };
    for (e, ((da, ia), (db, ib))) in explained.iter().zip(ids) {
        let a = Side {
            id: ia,
            text: &e.a.text,
            analyzed: &e.a.prepared.analyzed,
        };
        let b = Side {
            id: ib,
            text: &e.b.text,
            analyzed: &e.b.prepared.analyzed,
        };
        let mut slot_of = |d: DocIndex, side: &Side<'a>| {
            *slot.entry(d).or_insert_with(|| {
                out.docs.push(DataDoc {
                    id: side.id,
                    p: side.paragraphs(),
                });
                out.docs.len() - 1
            })
        };
        let sa = slot_of(da, &a);
        let sb = slot_of(db, &b);
        out.sides.push((sa, sb));
        out.views.push(DiffView::new(a, b, &e.comparison));
    }
    out
}

fn diff_button(d: Option<usize>) -> String {
    match d {
        Some(d) => format!(
            "<button class=\"open\" type=\"button\" aria-expanded=\"false\" data-d=\"{d}\">diff</button>"
        ),
        None => "<span class=\"count\" title=\"beyond --max-pairs\">&ndash;</span>".to_owned(),
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Up to 4 ids, then how many more.
fn id_list(ids: impl ExactSizeIterator<Item = String>) -> String {
    let n = ids.len();
    let mut v: Vec<String> = ids.take(4).collect();
    if n > 4 {
        v.push(format!("and {} more", n - 4));
    }
    v.join(", ")
}

/// Writes the report page: the verdict counts and a score histogram, the verdict
/// filter, and one table row per pair (identical documents: one row per group), each
/// with a button that opens its diff (the first `v.explained.len()` rows).
pub fn write_report(w: &mut dyn Write, v: &ReportView) -> io::Result<()> {
    let run = &v.run;
    let rows = plan::rows(run.docs.len(), run.pairs);
    let diff_of: AHashMap<usize, usize> =
        v.diffs.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let ex = explain(
        v.explained,
        v.diffs.iter().map(|&i| {
            let p = &run.pairs[i];
            ((p.a, run.docs.id(p.a)), (p.b, run.docs.id(p.b)))
        }),
    );

    let mut counts: BTreeMap<usize, (&str, usize)> = BTreeMap::new();
    for p in run.pairs {
        let name = p.verdict.name();
        counts
            .entry(plan::priority(p.verdict) as usize)
            .or_insert((name, 0))
            .1 += 1;
    }
    let identical: Vec<&plan::Row> = rows.iter().filter(|r| !r.identical.is_empty()).collect();
    let mut header = format!(
        "{} among {} ({} mode; word {}-grams, threshold {}), in {}: pairs of one cluster \
         together, the most informative first (rewrite, partial, near-duplicate, duplicate)",
        count(run.pairs.len(), "pair", "pairs"),
        count(run.stats.documents as usize, "document", "documents"),
        escape(run.mode),
        run.params.ngram(),
        run.params.threshold(),
        count(rows.len(), "row", "rows"),
    );
    if !identical.is_empty() {
        let _ = write!(
            header,
            "; {} of identical documents (the same word n-grams) are one row each",
            count(identical.len(), "group", "groups"),
        );
    }
    let _ = write!(
        header,
        ". Diffs open with the button of a row; {} of {} rows have one{}.",
        ex.views.len(),
        rows.len(),
        if ex.views.len() < rows.len() {
            " (raise --max-pairs for more)"
        } else {
            ""
        }
    );

    let (head, style) = table_head(&PAIR_COLS);
    let mut body = String::with_capacity(rows.len() * 420 + 4096);
    let _ = write!(
        body,
        "<div class=\"top\">{}{}</div><div class=\"top\">{}</div>\
         <div class=\"tablewrap\"><table id=\"pairs\" class=\"grouped\">{head}<tbody>",
        histogram(run.pairs.iter().map(|p| (p.score, p.verdict.name()))),
        filters(&counts, "pairs", rows.len()),
        legend(),
    );
    let mut last_cluster = None;
    for (n, r) in rows.iter().enumerate() {
        let p = &run.pairs[r.pair];
        let verdict = p.verdict.name();
        let (ca, cb) = match &p.alignment {
            Some(al) => (pct(al.coverage_a), pct(al.coverage_b)),
            None => (
                pct(p.overlap.containment_a_in_b),
                pct(p.overlap.containment_b_in_a),
            ),
        };
        // Unaligned duplicates have no link count (null in the JSON): a dash, sorted
        // below every count.
        let links = match p.alignment.and_then(|al| al.links) {
            Some(n) => format!("<td class=\"num\">{n}</td>"),
            None => "<td class=\"num\" data-s=\"-1\" title=\"not aligned\">-</td>".to_owned(),
        };
        let first = last_cluster != Some(r.cluster);
        last_cluster = Some(r.cluster);
        let (a, b, note) = if r.identical.is_empty() {
            let note = if r.pairs > 1 {
                format!(
                    " <span class=\"count\" title=\"the same diff for identical copies of A or B\">\
                     {} pairs</span>",
                    r.pairs
                )
            } else {
                String::new()
            };
            (escape(run.docs.id(p.a)), escape(run.docs.id(p.b)), note)
        } else {
            let m = &r.identical;
            (
                escape(run.docs.id(m[0])),
                format!(
                    "<span class=\"count\">identical:</span> {}",
                    id_list(m[1..].iter().map(|&d| escape(run.docs.id(d))))
                ),
                format!(
                    " <span class=\"count\">{} identical, {}</span>",
                    m.len(),
                    count(r.pairs, "pair", "pairs")
                ),
            )
        };
        let _ = write!(
            body,
            "<tr data-v=\"{verdict}\"{}><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"id\">{a}</td><td class=\"id\">{b}</td>\
             <td data-s=\"{}\"><span class=\"verdict v-{verdict}\">{verdict}</span>{note}</td>\
             <td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td><td class=\"num\">{ca}</td>\
             <td class=\"num\">{cb}</td>{links}<td>{}</td></tr>",
            if first { " class=\"c0\"" } else { "" },
            n + 1,
            r.cluster,
            plan::priority(p.verdict),
            p.score,
            p.overlap.jaccard,
            diff_button(diff_of.get(&r.pair).copied()),
        );
    }
    if rows.is_empty() {
        body.push_str("<tr><td colspan=\"11\">No similar pairs found.</td></tr>");
    }
    body.push_str("</tbody></table></div>");
    push_data(&mut body, &ex)?;
    let page = shell(
        &format!("reprint report: {}", v.title),
        &header,
        &body,
        &style,
        true,
    );
    w.write_all(page.as_bytes())
}

fn push_data(body: &mut String, ex: &Explained) -> io::Result<()> {
    let data = Data {
        docs: ex
            .docs
            .iter()
            .map(|d| DataDoc {
                id: d.id,
                p: d.p.clone(),
            })
            .collect(),
        diffs: ex
            .views
            .iter()
            .zip(&ex.sides)
            .map(|(view, &(a, b))| diff_data(view, a, b))
            .collect(),
    };
    body.push_str(&data_element(&data)?);
    Ok(())
}

/// Everything a sources report page shows.
pub struct SourcesReportView<'a> {
    /// The attribution run: documents, links and counts.
    pub result: &'a crate::mode::sources::SourcesResult,
    /// The first `explained.len()` links of `result.links`, aligned in full (source
    /// as A, article as B).
    pub explained: &'a [AlignedPair],
    /// What the report is about (the input paths), shown in the page title.
    pub title: &'a str,
}

/// Writes the sources report: the verdict counts, a score histogram, and one table
/// row per article and source (rank, verdict, score, coverage), by article then rank,
/// each of the first `explained.len()` with a button that opens its diff (source as A).
pub fn write_sources_report(w: &mut dyn Write, v: &SourcesReportView) -> io::Result<()> {
    let r = v.result;
    let ex = explain(
        v.explained,
        r.links.iter().map(|l| {
            (
                (l.source, r.docs.id(l.source)),
                (l.article, r.docs.id(l.article)),
            )
        }),
    );
    let header = format!(
        "{} of {} attributed to a source ({} with reused text), {} from {}. \
         A source without a verdict (closest) is the closest one, with no reused text found. \
         Diffs open with the button of a row, source as A, article as B; {} of {} links have \
         one{}.",
        r.attributed(),
        count(r.articles, "article", "articles"),
        r.reused(),
        count(r.links.len(), "link", "links"),
        count(r.sources, "source document", "source documents"),
        ex.views.len(),
        r.links.len(),
        if ex.views.len() < r.links.len() {
            " (raise --max-pairs for more)"
        } else {
            ""
        }
    );
    let name = |l: &crate::mode::sources::SourceLink| l.verdict.map_or("closest", |x| x.name());
    let mut counts: BTreeMap<usize, (&str, usize)> = BTreeMap::new();
    for l in &r.links {
        let k = l.verdict.map_or(4, |x| plan::priority(x) as usize);
        counts.entry(k).or_insert((name(l), 0)).1 += 1;
    }
    let (head, style) = table_head(&SOURCE_COLS);
    let mut body = String::with_capacity(r.links.len() * 400 + 4096);
    let _ = write!(
        body,
        "<div class=\"top\">{}{}</div><div class=\"top\">{}</div>\
         <div class=\"tablewrap\"><table id=\"pairs\" class=\"grouped\">{head}<tbody>",
        histogram(r.links.iter().map(|l| (l.score, name(l)))),
        filters(&counts, "links", r.links.len()),
        legend(),
    );
    for (i, l) in r.links.iter().enumerate() {
        let verdict = name(l);
        let _ = write!(
            body,
            "<tr data-v=\"{verdict}\"{}><td class=\"num\">{}</td><td class=\"id\">{}</td>\
             <td class=\"id\">{}</td><td class=\"num\">{}</td>\
             <td data-s=\"{}\"><span class=\"verdict v-{verdict}\">{verdict}</span></td>\
             <td class=\"num\">{:.3}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td>{}</td></tr>",
            if l.rank == 1 { " class=\"c0\"" } else { "" },
            i + 1,
            escape(r.docs.id(l.article)),
            escape(r.docs.id(l.source)),
            l.rank,
            l.verdict.map_or(4, plan::priority),
            l.score,
            pct(l.coverage_article),
            pct(l.coverage_source),
            diff_button((i < ex.views.len()).then_some(i)),
        );
    }
    if r.links.is_empty() {
        body.push_str("<tr><td colspan=\"9\">No article was attributed to a source.</td></tr>");
    }
    body.push_str("</tbody></table></div>");
    push_data(&mut body, &ex)?;
    let page = shell(
        &format!("reprint sources: {}", v.title),
        &header,
        &body,
        &style,
        true,
    );
    w.write_all(page.as_bytes())
}

/// Writes the one-pair page of `diff --format html`: the figures, the legend and the
/// aligned paragraphs, with no script.
pub fn write_diff(w: &mut dyn Write, v: &DiffView) -> io::Result<()> {
    let c = v.comparison;
    let verdict = c.verdict.map_or("no reuse found", |x| x.name());
    let class = c.verdict.map_or("closest", |x| x.name());
    let header = format!(
        "<span class=\"verdict v-{class}\">{verdict}</span> &nbsp; score {:.3} &nbsp; \
         coverage A {:.0}% &nbsp; B {:.0}% &nbsp; n-gram Jaccard {:.3} &nbsp; {}. \
         Aligned paragraphs, made by reprint.",
        c.score,
        100.0 * c.coverage_a,
        100.0 * c.coverage_b,
        c.overlap.jaccard,
        count(c.alignment.links.len(), "link", "links"),
    );
    let body = format!(
        "<div class=\"top\">{}</div><section class=\"diff\" id=\"pair\">{}</section>",
        legend(),
        diff_table(v)
    );
    let page = shell(
        &format!("reprint diff: {} vs {}", v.a.id, v.b.id),
        &header,
        &body,
        "",
        false,
    );
    w.write_all(page.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
