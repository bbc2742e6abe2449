//! `reprint report`: one self-contained HTML page listing a run's pairs, each with
//! its aligned diff. Nothing here computes: the pairs come from the pipeline and
//! their alignments from [`crate::mode::aligned::align_pairs`].

use std::fmt::Write as _;
use std::io::{self, Write};

use super::diff::{escape, html_page, html_section, DiffView, Side};
use super::PairsView;
use crate::mode::aligned::AlignedPair;

/// Everything a report page shows.
pub struct ReportView<'a> {
    /// The run: documents, all reported pairs, parameters.
    pub run: PairsView<'a>,
    /// The first `explained.len()` pairs of `run.pairs`, aligned in full.
    pub explained: &'a [AlignedPair],
    /// What the page is of (the input paths).
    pub title: &'a str,
}

fn anchor(i: usize) -> String {
    format!("pair-{}", i + 1)
}

/// Writes the report page: a summary table of every pair (verdict, score, Jaccard,
/// coverage, links), then one aligned diff per explained pair, linked from the table.
pub fn write_report(w: &mut dyn Write, v: &ReportView) -> io::Result<()> {
    let run = &v.run;
    let shown = v.explained.len();
    let mut header = format!(
        "{} among {} ({} mode; word {}-grams, threshold {}). Removed words in red, added in green.",
        count(run.pairs.len(), "pair", "pairs"),
        count(run.stats.documents as usize, "document", "documents"),
        escape(run.mode),
        run.params.ngram(),
        run.params.threshold(),
    );
    if shown < run.pairs.len() {
        let _ = write!(
            header,
            " Aligned diffs for the first {shown} (raise --max-pairs for more)."
        );
    }

    let mut summary = String::from(
        "<section class=\"summary\"><table><tr><th style=\"width:44px\">#</th><th>A</th><th>B</th>\
         <th style=\"width:130px\">verdict</th><th style=\"width:70px\">score</th>\
         <th style=\"width:70px\">Jaccard</th><th style=\"width:90px\">coverage A</th>\
         <th style=\"width:90px\">coverage B</th></tr>",
    );
    for (i, p) in run.pairs.iter().enumerate() {
        let verdict = p.verdict.name();
        let (ca, cb) = match &p.alignment {
            Some(al) => (pct(al.coverage_a), pct(al.coverage_b)),
            None => (
                pct(p.overlap.containment_a_in_b),
                pct(p.overlap.containment_b_in_a),
            ),
        };
        let num = if i < shown {
            format!("<a href=\"#{}\">{}</a>", anchor(i), i + 1)
        } else {
            (i + 1).to_string()
        };
        let _ = write!(
            summary,
            "<tr><td>{num}</td><td>{}</td><td>{}</td>\
             <td><span class=\"verdict v-{verdict}\">{verdict}</span></td>\
             <td>{:.3}</td><td>{:.3}</td><td>{ca}</td><td>{cb}</td></tr>",
            escape(run.docs.id(p.a)),
            escape(run.docs.id(p.b)),
            p.score,
            p.overlap.jaccard,
        );
    }
    if run.pairs.is_empty() {
        summary.push_str("<tr><td colspan=\"8\">No similar pairs found.</td></tr>");
    }
    summary.push_str("</table></section>");

    let mut sections = Vec::with_capacity(shown + 1);
    sections.push(summary);
    let ids = run
        .pairs
        .iter()
        .map(|p| (run.docs.id(p.a), run.docs.id(p.b)));
    push_diffs(&mut sections, ids, v.explained);
    let page = html_page(&format!("reprint report: {}", v.title), &header, &sections);
    w.write_all(page.as_bytes())
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

/// Writes the sources report: a table of every article's sources (rank, verdict,
/// score, coverage), then one aligned diff per explained link, source on the left.
pub fn write_sources_report(w: &mut dyn Write, v: &SourcesReportView) -> io::Result<()> {
    let r = v.result;
    let shown = v.explained.len();
    let mut header = format!(
        "{} of {} attributed to a source ({} with reused text), {} from {}. \
         A source without a verdict is the closest one, with no reused text found. \
         Source on the left, article on the right; removed words in red, added in green.",
        r.attributed(),
        count(r.articles, "article", "articles"),
        r.reused(),
        count(r.links.len(), "link", "links"),
        count(r.sources, "source document", "source documents"),
    );
    if shown < r.links.len() {
        let _ = write!(
            header,
            " Aligned diffs for the first {shown} (raise --max-pairs for more)."
        );
    }
    let mut summary = String::from(
        "<section class=\"summary\"><table><tr><th style=\"width:44px\">#</th><th>article</th>\
         <th>source</th><th style=\"width:50px\">rank</th><th style=\"width:130px\">verdict</th>\
         <th style=\"width:70px\">score</th><th style=\"width:90px\">coverage article</th>\
         <th style=\"width:90px\">coverage source</th></tr>",
    );
    for (i, l) in r.links.iter().enumerate() {
        let verdict = l.verdict.map_or("closest", |x| x.name());
        let num = if i < shown {
            format!("<a href=\"#{}\">{}</a>", anchor(i), i + 1)
        } else {
            (i + 1).to_string()
        };
        let _ = write!(
            summary,
            "<tr><td>{num}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td><span class=\"verdict v-{verdict}\">{verdict}</span></td>\
             <td>{:.3}</td><td>{}</td><td>{}</td></tr>",
            escape(r.docs.id(l.article)),
            escape(r.docs.id(l.source)),
            l.rank,
            l.score,
            pct(l.coverage_article),
            pct(l.coverage_source),
        );
    }
    if r.links.is_empty() {
        summary.push_str("<tr><td colspan=\"8\">No article was attributed to a source.</td></tr>");
    }
    summary.push_str("</table></section>");
    let mut sections = Vec::with_capacity(shown + 1);
    sections.push(summary);
    let ids = r
        .links
        .iter()
        .map(|l| (r.docs.id(l.source), r.docs.id(l.article)));
    push_diffs(&mut sections, ids, v.explained);
    let page = html_page(&format!("reprint sources: {}", v.title), &header, &sections);
    w.write_all(page.as_bytes())
}

/// One aligned-diff section per explained pair, anchored for the summary table.
fn push_diffs<'a>(
    sections: &mut Vec<String>,
    ids: impl Iterator<Item = (&'a str, &'a str)>,
    explained: &[AlignedPair],
) {
    for (i, ((a, b), e)) in ids.zip(explained).enumerate() {
        let view = DiffView::new(
            Side {
                id: a,
                text: &e.a.text,
                analyzed: &e.a.prepared.analyzed,
            },
            Side {
                id: b,
                text: &e.b.text,
                analyzed: &e.b.prepared.analyzed,
            },
            &e.comparison,
        );
        let mut s = html_section(&view, &anchor(i));
        s.push_str("<p class=\"meta\"><a href=\"#top\">back to the list</a></p>");
        sections.push(s);
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
