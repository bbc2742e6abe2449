//! `reprint explain`: the LSH bands x rows for a threshold and the recall they buy.

use std::io::{self, Write};

use anyhow::Result;
use reprint::params::ParamsInput;
use reprint::report;

use crate::args::ExplainArgs;

pub fn run(a: &ExplainArgs) -> Result<bool> {
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
            "threshold": p.threshold(),
            "containment": p.containment(),
            "candidate_threshold": report::round(cand),
            "perms": p.perms(),
            "bands": p.lsh().bands(),
            "rows": p.lsh().rows(),
            "slots_used": p.lsh().slots(),
            "probability_at_threshold": report::round(p.lsh().probability(cand)),
            "probability": sims.iter().map(|&s| serde_json::json!({
                "similarity": s, "probability": report::round(p.lsh().probability(s))
            })).collect::<Vec<_>>(),
        });
        writeln!(stdout, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(true);
    }
    writeln!(
        stdout,
        "threshold {} with {} perms: {} bands x {} rows ({} slots used)",
        p.threshold(),
        p.perms(),
        p.lsh().bands(),
        p.lsh().rows(),
        p.lsh().slots()
    )?;
    if let Some(c) = p.containment() {
        writeln!(
            stdout,
            "containment {c} (length ratio up to {}): candidates tuned for Jaccard {:.3}",
            p.max_size_ratio(),
            cand
        )?;
    }
    writeln!(
        stdout,
        "chance that a pair becomes a candidate (candidates are then verified exactly):"
    )?;
    let header = ["jaccard", "P(candidate)"];
    let mut rows: Vec<[String; 2]> = sims
        .iter()
        .map(|&s| [format!("{s:.1}"), format!("{:.4}", p.lsh().probability(s))])
        .collect();
    if !sims.iter().any(|&s| (s - cand).abs() < 1e-9) {
        rows.push([
            format!("{cand:.3} (threshold)"),
            format!("{:.4}", p.lsh().probability(cand)),
        ]);
    }
    report::write_table(&mut stdout, &header, &rows, &[true, true])?;
    Ok(true)
}
