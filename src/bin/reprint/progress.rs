//! What a run tells on stderr while it works: progress bars (indicatif), drawn only for
//! long runs on a terminal and never with `--quiet`, and the stage times of
//! `--timings`. No command uses indicatif or prints timings but through this module.

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

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

    /// Clears the bar (also done on drop, so that an error is never printed over it).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
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
pub struct DocsProgress {
    bar: Option<ProgressBar>,
}

impl DocsProgress {
    pub fn new(quiet: bool, docs: u64) -> Self {
        let show = !quiet && io::stderr().is_terminal() && docs >= 20_000;
        let bar = show.then(|| {
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
        });
        DocsProgress { bar }
    }

    /// `n` documents written so far.
    pub fn set(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(n);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for DocsProgress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The stage times of `--timings`, printed on stderr as one line:
/// `reprint: timings: STAGE Ns, ..., total Ns (N MB/s of input)`.
pub struct Timings {
    enabled: bool,
    start: Instant,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Starts the clock; nothing is printed unless `enabled`.
    pub fn start(enabled: bool) -> Self {
        let now = Instant::now();
        Timings {
            enabled,
            start: now,
            last: now,
            stages: Vec::new(),
        }
    }

    /// A stage timed elsewhere (the library's own stage times).
    pub fn add(&mut self, stage: &'static str, d: Duration) {
        self.stages.push((stage, d));
        self.last = Instant::now();
    }

    /// A stage that ran since the last one (or the start).
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }

    /// Prints the line, with the throughput over `input_bytes` when given.
    pub fn print(&self, input_bytes: Option<u64>) {
        if !self.enabled {
            return;
        }
        let total = self.start.elapsed().as_secs_f64();
        let mut line = String::from("reprint: timings: ");
        for (name, d) in &self.stages {
            line.push_str(&format!("{name} {:.3}s, ", d.as_secs_f64()));
        }
        line.push_str(&format!("total {total:.3}s"));
        if let Some(b) = input_bytes {
            line.push_str(&format!(
                " ({:.1} MB/s of input)",
                b as f64 / 1e6 / total.max(1e-9)
            ));
        }
        eprintln!("{line}");
    }
}

/// Erases a progress bar left on the terminal line (after an interrupt, when the bars
/// cannot be dropped).
pub fn clear_terminal() {
    use std::io::Write;
    if io::stderr().is_terminal() {
        let _ = io::stderr().write_all(b"\r\x1b[2K");
    }
}
