//! Progress bars on stderr (indicatif), drawn only for long runs on a terminal and
//! never with `--quiet`.

use std::io::{self, IsTerminal};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reprint::progress::{Observer, ReadProgress, Stage};

/// Progress on stderr, drawn only for long runs on a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(quiet: bool, total: u64) -> Self {
        let show = !quiet && io::stderr().is_terminal() && total >= 32 << 20;
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg:>10} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Progress { bar }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl ReadProgress for Progress {
    fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }
}

impl Observer for Progress {
    fn stage(&self, stage: Stage, total: Option<u64>) {
        if let Some(bar) = &self.bar {
            bar.set_message(match stage {
                Stage::Sketch => "sketching",
                Stage::Candidates => "candidates",
                Stage::Verify => "verifying",
                Stage::Copy => "writing",
                Stage::Read => "reading",
                Stage::Tokenize => "tokenizing",
            });
            bar.set_position(0);
            match total {
                Some(t) => bar.set_length(t),
                None => bar.unset_length(),
            }
        }
    }
}

/// A bar of documents written, for `gen` on a terminal.
pub fn docs_bar(quiet: bool, docs: u64) -> Option<ProgressBar> {
    (!quiet && io::stderr().is_terminal() && docs >= 20_000).then(|| {
        let bar = ProgressBar::with_draw_target(Some(docs), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>10} [{bar:30}] {human_pos}/{human_len} docs {per_sec} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_message("generating");
        bar
    })
}
