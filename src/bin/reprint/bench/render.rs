//! Renders a [`BenchReport`]: tables for people, one JSON document for programs.

use std::io::{self, Write};

use reprint::report::write_table;
use reprint_gen::truth::{Recall, BUCKETS};

use super::BenchReport;

/// The report as pretty JSON (`reprint.bench/1`).
pub fn write_json(w: &mut dyn Write, r: &BenchReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, r)?;
    writeln!(w)
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

fn recall_cell(r: &Recall) -> String {
    match r.recall {
        Some(x) => format!("{x:.3} ({}/{})", r.found, r.pairs),
        None => "-".to_owned(),
    }
}

/// The report as tables.
pub fn write_table_report(w: &mut dyn Write, r: &BenchReport) -> io::Result<()> {
    let c = &r.corpus;
    writeln!(
        w,
        "corpus: {} ({} documents, {:.1} MB, {} words); mode {}; {} threads",
        c.path,
        c.documents,
        c.bytes as f64 / 1e6,
        c.words,
        r.mode.name(),
        r.threads
    )?;
    if let Some(g) = &r.generated {
        writeln!(
            w,
            "generated: seed {}, {} documents in {:.2}s ({:.1} MB/s, {:.0} docs/s){}",
            g.seed,
            g.docs,
            g.seconds,
            g.mb_per_s,
            g.docs_per_s,
            g.kept_in
                .as_ref()
                .map(|k| format!(", kept in {k}"))
                .unwrap_or_default()
        )?;
    }
    let p = &r.parameters;
    writeln!(
        w,
        "parameters: {}-grams, {} perms, threshold {}, {} bands x {} rows; {} candidates\n",
        p.ngram, p.perms, p.threshold, p.bands, p.rows, r.candidates
    )?;
    let rows: Vec<[String; 7]> = r
        .stages
        .iter()
        .map(|s| {
            [
                s.stage.to_owned(),
                s.pass.to_owned(),
                format!("{:.3}", s.seconds),
                format!("{:.1}", s.mb_per_s),
                format!("{:.0}", s.docs_per_s),
                opt(s.peak_rss_mb, 1),
                s.what.to_owned(),
            ]
        })
        .collect();
    write_table(
        w,
        &[
            "stage", "pass", "seconds", "MB/s", "docs/s", "peak MB", "what",
        ],
        &rows,
        &[false, false, true, true, true, true, false],
    )?;
    writeln!(
        w,
        "pipeline (sketch..output): {:.3}s, {:.1} MB/s{}\n",
        r.pipeline_seconds,
        c.bytes as f64 / 1e6 / r.pipeline_seconds.max(1e-9),
        if r.peak_rss_per_stage {
            ""
        } else {
            "; peak MB is the process's peak so far (could not reset it per stage)"
        }
    )?;
    let q = &r.quality;
    let mut header = vec!["category".to_owned(), "pairs".into(), "found".into()];
    header.extend(BUCKETS.iter().enumerate().map(|(i, (lo, hi))| {
        format!(
            "J [{lo:.1},{hi:.1}{}",
            if i + 1 == BUCKETS.len() { "]" } else { ")" }
        )
    }));
    header.push("verdicts".into());
    let rows: Vec<[String; 8]> = q
        .by_category
        .iter()
        .map(|row| {
            let mut cells: [String; 8] = Default::default();
            cells[0] = row.category.name().to_owned();
            cells[1] = row.recall.pairs.to_string();
            cells[2] = recall_cell(&row.recall);
            for (i, b) in row.buckets.iter().enumerate() {
                cells[3 + i] = recall_cell(&b.recall);
            }
            cells[7] = row
                .verdicts
                .iter()
                .map(|(v, n)| format!("{v} {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            cells
        })
        .collect();
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let h: [&str; 8] = h.try_into().expect("eight columns");
    write_table(
        w,
        &h,
        &rows,
        &[false, true, true, true, true, true, true, false],
    )?;
    writeln!(
        w,
        "(recall: found / planted pairs; for distractors, found means wrongly reported)\n"
    )?;
    let buckets: Vec<String> = q
        .by_jaccard
        .iter()
        .map(|b| format!("{} {}", b.bucket, recall_cell(&b.recall)))
        .collect();
    writeln!(
        w,
        "recall of related pairs: {} ({} of {}); by Jaccard: {}",
        opt(q.recall, 3),
        q.true_positives.min(q.related_pairs),
        q.related_pairs,
        buckets.join(", ")
    )?;
    writeln!(
        w,
        "precision: {} ({} of {} reported pairs are planted related pairs; {} distractors, {} not in the truth)",
        opt(q.precision, 3),
        q.true_positives,
        q.reported,
        q.distractors_reported,
        q.unlisted_reported
    )?;
    let verdicts: Vec<String> = q
        .by_verdict
        .iter()
        .map(|v| {
            format!(
                "{} {} (precision {})",
                v.verdict,
                v.reported,
                opt(v.precision, 3)
            )
        })
        .collect();
    if !verdicts.is_empty() {
        writeln!(w, "by verdict: {}", verdicts.join(", "))?;
    }
    Ok(())
}
