//! Stream a JSON Lines file (`{"id": ..., "text": ...}` per line; `.gz` and `.zst` work
//! too) through the near-duplicate mode, reading it twice without holding it in memory.
//!
//! `cargo run --example stream_jsonl [FILE.jsonl]`; without an argument it writes a
//! small generated file to a temporary directory and reads that.

use std::io::Write;

use reprint::corpus::{Corpus, Input, ReadOptions};
use reprint::mode::Mode;
use reprint::Pipeline;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = match std::env::args().nth(1) {
        Some(p) => p.into(),
        None => {
            let path = dir.path().join("docs.jsonl");
            let mut f = std::fs::File::create(&path)?;
            for i in 0..200 {
                // Every tenth document repeats the one before it with one word changed.
                let n = if i % 10 == 9 { i - 1 } else { i };
                let words: Vec<String> = (0..60).map(|w| format!("w{}", n * 7 + w * 13)).collect();
                let mut text = words.join(" ");
                if n != i {
                    text.push_str(" extra");
                }
                writeln!(
                    f,
                    "{}",
                    serde_json::json!({"id": format!("doc{i}"), "text": text})
                )?;
            }
            path
        }
    };
    let corpus = Corpus::open(&[Input::Path(path)], ReadOptions::default())?;
    let pipeline = Pipeline::builder().mode(Mode::NearDup).build()?;
    let result = pipeline.run(&corpus)?;
    println!(
        "{} documents, {} pairs",
        result.stats.documents,
        result.pairs.len()
    );
    for p in result.pairs.iter().take(5) {
        println!(
            "{}\t{}\t{:.3}",
            result.docs.id(p.a),
            result.docs.id(p.b),
            p.score
        );
    }
    Ok(())
}
