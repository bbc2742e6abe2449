//! Messages on stderr: counts in words, and warnings about what the input held.

use std::io::{self, Write};

use reprint::corpus::InputStats;

pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Warnings about what the input held, on stderr.
pub fn warn_input(stats: &InputStats, quiet: bool) {
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

/// Whether `e` is a write to a closed pipe (`reprint pairs ... | head`): not an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<reprint::Error>()
            .is_some_and(reprint::Error::is_broken_pipe)
            || c.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `reprint: error: ` and the chain of causes, each said once.
pub fn error_message(e: &anyhow::Error) -> String {
    let mut msg = format!("reprint: error: {e}");
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !msg.contains(&c) {
            msg.push_str(&format!(": {c}"));
        }
    }
    msg
}
