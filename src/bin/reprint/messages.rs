//! Messages on stderr: counts in words, and warnings about what the input held.

use std::io::{self, Write};

use reprint::corpus::InputStats;
use reprint::report::terminal_safe;

/// Writes one message line on stderr with control characters shown as escapes
/// ([`terminal_safe`]): messages echo ids and paths, which come from the input;
/// each line of a message is escaped on its own.
pub fn say_line(line: &str) {
    let mut err = io::stderr().lock();
    for l in line.split('\n') {
        let _ = writeln!(err, "{}", terminal_safe(l));
    }
}

/// `eprintln!` for messages that echo ids or paths: through [`say_line`].
macro_rules! say {
    ($($t:tt)*) => {
        $crate::messages::say_line(&format!($($t)*))
    };
}
pub(crate) use say;

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
    if stats.links_skipped > 0 {
        lines.push(format!(
            "warning: skipped {} while walking directories (dangling, or a loop)",
            plural(stats.links_skipped, "symbolic link", "symbolic links"),
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
    if stats.id_missing > 0 {
        lines.push(format!(
            "warning: {} no {:?} field; their ids are FILE:LINE{}",
            plural(stats.id_missing, "record had", "records had"),
            stats.id_field,
            examples("id")
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
    for l in lines {
        say_line(&format!("reprint: {l}"));
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

/// A library error as the command line says it: parameters by their flag names, and
/// the flag that would have avoided a record error.
fn cli_message(e: &reprint::Error) -> String {
    use reprint::Error as E;
    const SKIP: &str = " (use --skip-bad-lines to skip such lines)";
    match e {
        E::InvalidParameter { name, requirement } => {
            format!(
                "invalid parameter: {} {requirement}",
                name.replace('_', "-")
            )
        }
        E::LshShape { bands, rows, perms } => format!(
            "invalid parameter: {bands} bands x {rows} rows = {} exceeds --perms {perms}",
            bands * rows
        ),
        E::MissingField { .. } => format!("{e} (set the text field with --text-field){SKIP}"),
        E::BadJson { .. } | E::BadField { .. } => format!("{e}{SKIP}"),
        E::LineTooLong { .. } => format!("{e} (two texts of --max-doc-mib){SKIP}"),
        E::Oversized { .. } => format!("{e} (raise --max-doc-mib to read it)"),
        _ => e.to_string(),
    }
}

/// The error and its causes, each once: `reprint: error: A: B: C`.
pub fn error_message(e: &anyhow::Error) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|c| {
            // A library error passed through `io::Error::other` (from an output
            // closure) is still the library's.
            let lib = c.downcast_ref::<reprint::Error>().or_else(|| {
                c.downcast_ref::<io::Error>()
                    .and_then(io::Error::get_ref)
                    .and_then(|i| i.downcast_ref::<reprint::Error>())
            });
            match lib {
                Some(r) => cli_message(r),
                None => c.to_string(),
            }
        })
        .collect();
    format!("reprint: error: {}", parts.join(": "))
}
