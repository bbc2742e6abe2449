//! Pairs over texts held in memory: build a corpus from `(id, text)` values, run the
//! default mode, and print each pair with its verdict.
//!
//! `cargo run --example pairs_in_memory`

use reprint::corpus::Corpus;
use reprint::mode::Mode;
use reprint::Pipeline;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let story = "The city council approved the new budget on Tuesday after a long debate \
        about the cost of repairing the old bridge over the river.\n\n\
        Residents who spoke at the meeting asked for the public library to stay open on \
        weekends, and several said the bridge had been unsafe for years.";
    let texts = vec![
        ("original", story.to_owned()),
        ("copy", story.replace("Tuesday", "Wednesday")),
        (
            "unrelated",
            "A recipe: mix flour, water and salt, knead for ten minutes and bake.".to_owned(),
        ),
    ];
    let corpus = Corpus::from_texts(texts)?;
    let pipeline = Pipeline::builder().mode(Mode::All).threshold(0.8).build()?;
    let result = pipeline.run(&corpus)?;
    println!(
        "{} documents, {} candidates, {} pairs",
        result.stats.documents,
        result.candidates,
        result.pairs.len()
    );
    for p in &result.pairs {
        println!(
            "{} ~ {}: {} (score {:.3}, jaccard {:.3})",
            result.docs.id(p.a),
            result.docs.id(p.b),
            p.verdict.name(),
            p.score,
            p.overlap.jaccard
        );
    }
    Ok(())
}
