//! Compare two texts: the score, the verdict, how much of each is covered by aligned
//! sentences, and the word-level changes of the first aligned link.
//!
//! `cargo run --example compare_two`

use reprint::compare::changes::{link_changes, ChangeOp};
use reprint::compare::Comparer;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a = "The minister announced on Monday that the new railway line would open next \
        spring, two years later than planned.\n\nCritics said the delay had cost taxpayers \
        millions.";
    let b = "A new railway line will open next spring, two years behind schedule, the \
        minister said on Monday.\n\nThe delay cost taxpayers millions, critics said.";
    let mut cmp = Comparer::builder().ngram(5).build()?;
    let pa = cmp.prepare(a, &|_| false);
    let pb = cmp.prepare(b, &|_| false);
    let c = cmp.compare(&pa, &pb, None);
    println!(
        "score {:.3}  verdict {}  coverage {:.2} / {:.2}  jaccard {:.3}",
        c.score,
        c.verdict.map_or("unrelated", |v| v.name()),
        c.coverage_a,
        c.coverage_b,
        c.overlap.jaccard
    );
    let changes = link_changes((a, &pa.analyzed), (b, &pb.analyzed), &c.alignment);
    if let Some(first) = changes.first() {
        // Runs of the same op, shown as `[-deleted-]` and `{+inserted+}`.
        let mut line = String::new();
        for run in first.chunk_by(|x, y| x.op == y.op) {
            let text: String = run.iter().map(|c| c.text.as_str()).collect();
            match run[0].op {
                ChangeOp::Equal => line.push_str(&text),
                ChangeOp::Delete => line.push_str(&format!("[-{text}-]")),
                ChangeOp::Insert => line.push_str(&format!("{{+{text}+}}")),
            }
        }
        println!("first link: {line}");
    }
    Ok(())
}
