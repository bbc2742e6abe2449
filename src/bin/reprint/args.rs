//! Command-line flags (clap). Only parsing and validation live here: every bounded
//! flag has one value parser below, used by every command that takes the flag, so a
//! value is refused with the same message everywhere. The commands turn the flags into
//! library calls.

use std::path::PathBuf;

use clap::builder::{RangedU64ValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Output;

/// `--ngram`: the library's bound (1..=64 words).
pub fn ngram() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=64)
}

/// `--perms`: the library's bound (1..=4096 slots).
pub fn perms() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=4096)
}

/// `--bands` and `--rows`: at most `--perms` slots in all (checked with the perms).
pub fn bands_rows() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=4096)
}

/// `--max-bucket`: a star needs two documents.
pub fn max_bucket() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(2..=u32::MAX as u64)
}

/// `--threads` / `-j`.
pub fn threads() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=1024)
}

/// `--max-doc-mib`: up to 1 TiB, so that the size in bytes never overflows.
pub fn max_doc_mib() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=1 << 20)
}

/// `--width` of terminal diffs.
pub fn width() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(20..=1000)
}

/// `--max-pairs` of `report` (0: the list only, no diffs).
pub fn max_pairs() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(0..=u32::MAX as u64)
}

/// `--docs` of `gen` and `bench`.
pub fn docs() -> RangedU64ValueParser<u64> {
    RangedU64ValueParser::new().range(1..=1_000_000_000)
}

fn float(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s} is not a number"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("{s} is not a finite number"))
    }
}

/// `--threshold` and `--containment`: a share in (0, 1].
pub fn share(s: &str) -> Result<f64, String> {
    let v = float(s)?;
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(format!("{s} is not in (0, 1]"))
    }
}

/// `--max-size-ratio`: a finite length ratio, at least 1.
pub fn size_ratio(s: &str) -> Result<f64, String> {
    let v = float(s)?;
    if v >= 1.0 {
        Ok(v)
    } else {
        Err(format!("{s} is less than 1"))
    }
}

/// `--min-score`: a finite document score, at least 0.
pub fn min_score(s: &str) -> Result<f64, String> {
    let v = float(s)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("{s} is less than 0"))
    }
}

/// `--out`: a file, or `-` for stdout.
pub fn out() -> impl TypedValueParser<Value = Output> {
    clap::builder::StringValueParser::new().try_map(|s| Output::parse(&s))
}

#[derive(Debug, Parser)]
#[command(
    name = "reprint",
    version,
    about = "Find near-duplicate and rewritten texts in a corpus",
    long_about = "Find near-duplicate and rewritten texts in a corpus.\n\n\
        Inputs are text files (one document each), directories (walked recursively, \
        sorted, hidden entries skipped), JSON Lines files (.jsonl/.ndjson, optionally \
        .gz/.zst), .json files holding one array of objects, Parquet files (.parquet; \
        --text-field and --id-field name columns) and - for JSON Lines on stdin.\n\n\
        Exit status: 0 when pairs (or clusters) were found, 1 when none, 2 on error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Worker threads (default: one per core)
    #[arg(long, short = 'j', global = true, value_name = "N", value_parser = threads())]
    pub threads: Option<usize>,

    /// No progress bar, warnings or summary on stderr (errors are still printed)
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List similar document pairs
    #[command(after_long_help = "Examples:
  reprint pairs seeds/
  reprint pairs --mode near-dup --threshold 0.5 corpus.jsonl --format jsonl
  reprint pairs -j 4 --timings docs/ --format csv --out pairs.csv
  zcat corpus.jsonl.gz | reprint pairs - --text-field body")]
    Pairs(PairsArgs),
    /// Group similar documents into clusters (connected components of pairs)
    #[command(after_long_help = "Examples:
  reprint clusters seeds/
  reprint clusters --mode near-dup --threshold 0.5 corpus.jsonl --format json
  reprint clusters corpus.jsonl --format tsv --out clusters.tsv")]
    Clusters(PairsArgs),
    /// Write the corpus without its near-duplicates
    #[command(after_long_help = "Examples:
  reprint dedup corpus.jsonl --out deduped.jsonl
  reprint dedup --keep longest --threshold 0.7 corpus.jsonl --out deduped.jsonl
  reprint dedup --mode all docs/ --out kept.txt
  reprint dedup corpus.jsonl --out - --removed removed.jsonl
  reprint dedup --keep earliest --keep-field date corpus.jsonl --out kept.jsonl
  reprint dedup --keep max --keep-field quality corpus.jsonl --out kept.jsonl
  reprint dedup --annotate corpus.jsonl --out annotated.jsonl")]
    Dedup(DedupArgs),
    /// Show the aligned paragraphs of two documents, with word-level changes
    #[command(after_long_help = "Examples:
  reprint diff seeds/002_486cdfaf399a01ed.txt seeds/003_6f1f85b9678831c8.txt
  reprint diff a.txt b.txt --format html --out diff.html
  reprint diff --corpus corpus.jsonl doc-17 doc-42 --format json
  reprint diff --index archive.idx doc-17 doc-42")]
    Diff(DiffArgs),
    /// Write one HTML page listing similar pairs, each with its aligned diff
    #[command(after_long_help = "Examples:
  reprint report seeds/ --out report.html
  reprint report --mode near-dup corpus.jsonl --max-pairs 50 --out report.html
  reprint report --from wire/ articles/ --out sources.html")]
    Report(ReportArgs),
    /// Attribute each article to the documents of a source collection (wire copy,
    /// originals) it was most likely written from
    ///
    /// For each article (PATH...): its primary source, the document of --from with the
    /// highest document score when that score is at least --min-score, reported even
    /// when no text is reused (verdict -); then further sources with reused text, each
    /// explaining article sentences that better sources do not. Only source-article
    /// pairs are compared. One row per article and source, by article then rank;
    /// articles with no source are listed only with --all (source and verdict -, null
    /// in JSON). --group-field FIELD leaves out the pairs whose two documents have the
    /// same value of FIELD (the same outlet, passim's series).
    ///
    /// With --mode near-dup, candidates come from the word n-gram LSH only and a source
    /// is listed when its exact n-gram overlap with the article passes --threshold (or
    /// --containment), as in `pairs --mode near-dup`: every such source, best first;
    /// --min-score and --min-new-sentences do not apply, and the coverages are the
    /// shingle containments.
    #[command(after_long_help = "Examples:
  reprint sources --from wire.jsonl articles.jsonl
  reprint sources --from wire/ --from originals/ articles/ --format jsonl
  reprint sources --mode near-dup --threshold 0.5 --from wire.jsonl articles.jsonl
  reprint sources --all --group-field outlet --from archive.jsonl articles.jsonl")]
    Sources(SourcesArgs),
    /// Score text pairs given as JSON Lines (text_a, text_b): one result line per input line
    #[command(after_long_help = "Examples:
  reprint score pairs.jsonl
  cat pairs.jsonl | reprint score --skip-bad-lines > scored.jsonl
  reprint score pairs.jsonl --ngram 3 --out scored.jsonl")]
    Score(ScoreArgs),
    /// Show the LSH bands x rows chosen for a threshold and the recall they buy
    #[command(after_long_help = "Examples:
  reprint explain --threshold 0.7
  reprint explain --threshold 0.8 --containment 0.9 --format json
  reprint explain --perms 256 --bands 32 --rows 8")]
    Explain(ExplainArgs),
    /// Read and tokenize a corpus and print its size (the pipeline's floor)
    #[command(after_long_help = "Examples:
  reprint stats seeds/
  reprint stats corpus.jsonl.zst --format json
  reprint stats -j 1 --timings docs/")]
    Stats(StatsArgs),
    /// Write a synthetic news-like corpus with planted near-duplicates, rewrites,
    /// partial reuse and distractors, and its truth file
    ///
    /// DIR receives corpus.jsonl ({id, topic, text}), truth.jsonl (one planted pair per
    /// line: a, b, category, exact word n-gram jaccard, generating parameters) and
    /// manifest.json (arguments and counts). The same arguments give the same bytes
    /// whatever --threads is. The model and its limits are described in GENERATOR.md.
    #[command(after_long_help = "Examples:
  reprint gen --docs 10000 --out gen10k
  reprint gen --docs 300 --seed 3 --out small -q")]
    Gen(GenArgs),
    /// Run the pipeline on a generated (or given) corpus: time, throughput and memory
    /// per stage, recall and precision against the truth
    ///
    /// Either --docs N (generate a corpus with `reprint gen` into a temporary directory, or
    /// into --keep DIR) or --corpus FILE --truth FILE. The read and tokenize+shingle
    /// figures come from separate passes over the corpus; sketch, candidates and verify are
    /// the real pipeline's stages (its first pass reads, tokenizes, shingles and sketches
    /// in one go).
    #[command(after_long_help = "Examples:
  reprint bench --docs 10000
  reprint bench --docs 100000 --mode near-dup --format json --out bench.json
  reprint bench --corpus gen10k/corpus.jsonl --truth gen10k/truth.jsonl")]
    Bench(BenchArgs),
    /// A persistent, incremental index: add documents once, then check new ones
    /// against it without re-reading the archive
    ///
    /// An index is a directory of immutable segment files and a manifest. `create`
    /// fixes what it means (--ngram, --perms, --threshold, ...); `add` appends the
    /// documents of PATH... as one new segment; `query` reports the pairs between new
    /// documents and the index, the same pairs `pairs` reports over the index's
    /// documents followed by the new ones (in near-dup mode from the stored band keys;
    /// in the default mode by a run over the stored texts); `remove` hides documents, `compact`
    /// merges the segments; `stats` and `verify` read it. Only one process writes at a
    /// time (a lock file); readers see the last commit while a writer works.
    #[command(after_long_help = "Examples:
  reprint index create archive.idx
  reprint index add archive.idx corpus.jsonl --date-field date --source-field outlet
  reprint index query archive.idx today.jsonl --mode near-dup --format jsonl
  reprint index query archive.idx today.jsonl --format jsonl
  reprint index stats archive.idx")]
    Index(IndexArgs),
    /// Print a shell completion script on stdout
    #[command(after_long_help = "Examples:
  reprint completions bash > ~/.local/share/bash-completion/completions/reprint
  reprint completions zsh > ~/.zfunc/_reprint
  reprint completions fish > ~/.config/fish/completions/reprint.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of reprint or of one command on stdout
    #[command(after_long_help = "Examples:
  reprint man > ~/.local/share/man/man1/reprint.1
  reprint man pairs > ~/.local/share/man/man1/reprint-pairs.1
  reprint man diff | man -l -")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (reprint-COMMAND(1)); the top-level page
    /// (reprint(1)) without one
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Near-duplicates, rewrites and partial reuse, each pair aligned (default for
    /// pairs, clusters, report and sources)
    All,
    /// Only word n-gram MinHash + LSH with exact verification: copies and light edits,
    /// fast (default for dedup)
    NearDup,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FormatArg {
    /// Aligned columns
    #[default]
    Table,
    /// One JSON document
    Json,
    /// One JSON object per line
    Jsonl,
    /// CSV with a header
    Csv,
    /// Tab-separated, no header
    Tsv,
}

/// The formats of commands that print one small document (`explain`, `stats`, `bench`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TableJson {
    /// Text and tables for people
    #[default]
    Table,
    /// One JSON document
    Json,
}

/// `--format table|json`, with `--json` kept as a hidden alias of `--format json`.
#[derive(Debug, Args, Clone)]
pub struct TableJsonArgs {
    /// Output format
    #[arg(long, short, value_enum, default_value_t = TableJson::Table)]
    pub format: TableJson,

    /// The same as --format json (kept for old scripts)
    #[arg(long, hide = true)]
    pub json: bool,
}

impl TableJsonArgs {
    pub fn json(&self) -> bool {
        self.json || self.format == TableJson::Json
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SchemeArg {
    /// One permutation hashing with optimal densification: O(shingles + perms)
    #[default]
    OnePermutation,
    /// perms independent multiply-add hashes: O(shingles x perms)
    MultiplyShift,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum KeepArg {
    /// The first document of each cluster in input order
    #[default]
    First,
    /// The document with the most words (ties: the first)
    Longest,
    /// The earliest ISO 8601 date or date-time in --keep-field
    Earliest,
    /// The latest ISO 8601 date or date-time in --keep-field
    Newest,
    /// The largest number in --keep-field
    Max,
}

/// `--out FILE` of the commands that print to stdout by default.
#[derive(Debug, Args, Clone)]
pub struct OutArgs {
    /// Write to FILE (atomically) instead of stdout (- is stdout)
    #[arg(long, short, value_name = "FILE", default_value = "-", hide_default_value = true, value_parser = out())]
    pub out: Output,
}

/// `--timings`, on every command that reads a corpus.
#[derive(Debug, Args, Clone)]
pub struct TimingsArgs {
    /// Print the time of each stage on stderr
    #[arg(long)]
    pub timings: bool,
}

/// `--ngram`, with the same bound everywhere.
#[derive(Debug, Args, Clone)]
pub struct NgramArgs {
    /// Shingle length in words (1 to 64)
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_NGRAM, value_name = "N", value_parser = ngram())]
    pub ngram: usize,
}

/// How the corpus is read.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Files, directories, or - for JSON Lines on stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// JSON field (or Parquet column) holding the text
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// JSON field (or Parquet column) holding the id (records without it get FILE:LINE)
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub id_field: String,

    /// Skip and count malformed JSON lines instead of stopping
    #[arg(long)]
    pub skip_bad_lines: bool,

    /// Extensions read as text documents when walking directories ("" = none)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "txt,text,",
        value_name = "EXT,..."
    )]
    pub ext: Vec<String>,

    /// Skip (with a warning) documents larger than this many MiB (1 to 1048576)
    #[arg(long, default_value_t = 64, value_name = "MIB", value_parser = max_doc_mib())]
    pub max_doc_mib: usize,
}

/// LSH parameters shared by the matching commands and `explain`.
#[derive(Debug, Args, Clone)]
pub struct LshArgs {
    /// MinHash signature slots (1 to 4096)
    #[arg(long, default_value_t = reprint::sketch::DEFAULT_PERMS, value_name = "K", value_parser = perms())]
    pub perms: usize,

    /// Report pairs with exact Jaccard at or above this, in (0, 1]
    #[arg(long, default_value_t = reprint::params::DEFAULT_THRESHOLD, value_name = "T", value_parser = share)]
    pub threshold: f64,

    /// Also report pairs where one document's shingles are at least this share of the
    /// other's, in (0, 1]
    #[arg(long, value_name = "T", value_parser = share)]
    pub containment: Option<f64>,

    /// With --containment: longest/shortest length ratio the candidate search covers
    /// (finite, at least 1)
    #[arg(long, default_value_t = reprint::params::DEFAULT_MAX_SIZE_RATIO, value_name = "R", value_parser = size_ratio)]
    pub max_size_ratio: f64,

    /// LSH bands (default: chosen from the threshold)
    #[arg(long, value_name = "B", value_parser = bands_rows())]
    pub bands: Option<usize>,

    /// LSH rows per band (default: chosen from the threshold)
    #[arg(long, value_name = "R", value_parser = bands_rows())]
    pub rows: Option<usize>,
}

/// Statistics that weigh shared words in the document score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum IdfArg {
    /// The bundled background word frequencies: a pair scores the same in any batch
    #[default]
    Background,
    /// Document frequencies of the input: the corpus, every text of a score file, or
    /// diff's --corpus (else the two texts alone)
    Corpus,
}

#[derive(Debug, Args, Clone)]
pub struct IdfArgs {
    /// Statistics weighing shared words in the document score
    #[arg(long, value_enum, default_value_t = IdfArg::Background)]
    pub idf: IdfArg,
}

impl IdfArgs {
    pub fn source(&self) -> reprint::compare::docscore::IdfSource {
        use reprint::compare::docscore::IdfSource;
        match self.idf {
            IdfArg::Background => IdfSource::Background,
            IdfArg::Corpus => IdfSource::Corpus,
        }
    }
}

/// What counts as similar.
#[derive(Debug, Args, Clone)]
pub struct MatchArgs {
    /// Detection mode [default: all, or near-dup for dedup]
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,

    #[command(flatten)]
    pub ngram: NgramArgs,

    #[command(flatten)]
    pub idf: IdfArgs,

    #[command(flatten)]
    pub lsh: LshArgs,

    /// MinHash scheme
    #[arg(long, value_enum, default_value_t = SchemeArg::OnePermutation)]
    pub scheme: SchemeArg,

    /// LSH buckets with more documents than this are linked as stars, not all pairs
    #[arg(long, default_value_t = reprint::params::DEFAULT_MAX_BUCKET, value_name = "N", value_parser = max_bucket())]
    pub max_bucket: usize,
}

#[derive(Debug, Args)]
pub struct PairsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    #[command(flatten)]
    pub out: OutArgs,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// The source collection: files, directories or JSON Lines (repeat for more;
    /// not stdin)
    #[arg(
        long,
        required_unless_present = "index",
        conflicts_with = "index",
        value_name = "PATH"
    )]
    pub from: Vec<String>,

    /// A persistent index (`reprint index`) as the source collection instead of
    /// --from: each article's sources among the index's documents (texts from the
    /// index, the index's matching options); with --date-field, sources dated after
    /// the article are left out
    #[arg(long, value_name = "DIR")]
    pub index: Option<std::path::PathBuf>,

    /// With --index: the articles' JSON field holding an ISO 8601 date or date-time,
    /// compared with the index's stored dates
    #[arg(long, value_name = "FIELD", requires = "index")]
    pub date_field: Option<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// Document score a primary source needs (finite, at least 0)
    #[arg(long, default_value_t = reprint::mode::sources::Attribution::default().min_score, value_name = "D", value_parser = min_score, allow_negative_numbers = true)]
    pub min_score: f64,

    /// Article sentences a further source must explain that better sources do not
    #[arg(long, default_value_t = reprint::mode::sources::Attribution::default().min_new_units, value_name = "N")]
    pub min_new_sentences: usize,

    /// List articles with no source too: one row each, with source and verdict null
    #[arg(long)]
    pub all: bool,

    /// Leave out source-article pairs whose documents have the same value of this JSON
    /// field (e.g. the outlet); documents without it are in no group
    #[arg(long, value_name = "FIELD")]
    pub group_field: Option<String>,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    #[command(flatten)]
    pub out: OutArgs,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// The HTML file to write (atomically; - is stdout)
    #[arg(long, short, required = true, value_name = "FILE.html", value_parser = out())]
    pub out: Output,

    /// Give aligned diffs to at most this many rows of the page, the most informative
    /// first (the list has every pair; diffs are drawn only when opened)
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = max_pairs())]
    pub max_pairs: usize,

    /// A source collection: report each article's sources (as `reprint sources`)
    /// instead of pairs; PATH... are then the articles (repeat for more; not stdin)
    #[arg(long, value_name = "PATH")]
    pub from: Vec<String>,

    /// With --from: leave out source-article pairs whose documents have the same
    /// value of this JSON field (e.g. the outlet), as `reprint sources` does
    #[arg(long, value_name = "FIELD", requires = "from")]
    pub group_field: Option<String>,

    /// A persistent index (`reprint index`): report the pairs between PATH... and
    /// the index's documents (and among PATH...), with diffs, texts of the archive
    /// from the index; the matching options are the index's
    #[arg(long, value_name = "DIR", conflicts_with = "from")]
    pub index: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// Which document of each cluster to keep (ties: the first in input order)
    #[arg(long, value_enum, default_value_t = KeepArg::First)]
    pub keep: KeepArg,

    /// The JSON field --keep earliest, newest or max compares; documents without a
    /// usable value lose to those with one (none has one: the first is kept)
    #[arg(long, value_name = "FIELD")]
    pub keep_field: Option<String>,

    /// Where to write the kept documents (JSON Lines, or paths for text-file inputs;
    /// - is stdout)
    #[arg(long, short, required = true, value_name = "FILE", value_parser = out())]
    pub out: Output,

    /// Also write each dropped document as a JSON line: its id, cluster_id,
    /// cluster_size, the kept_id kept in its place, and the score and verdict of the
    /// two when they are a reported pair (else null)
    #[arg(long, value_name = "FILE", value_parser = out())]
    pub removed: Option<Output>,

    /// Write every document to --out, not just the kept ones, with cluster_id (null
    /// when in no cluster), cluster_size and keep added to its JSON record (text
    /// files: {"id": path, ...}, without their text)
    #[arg(long)]
    pub annotate: bool,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub lsh: LshArgs,

    #[command(flatten)]
    pub format: TableJsonArgs,

    #[command(flatten)]
    pub out: OutArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub ngram: NgramArgs,

    #[command(flatten)]
    pub format: TableJsonArgs,

    #[command(flatten)]
    pub out: OutArgs,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiffFormat {
    /// Side by side (stacked when the terminal is narrower than 100 columns)
    #[default]
    Terminal,
    /// One JSON document: paragraphs, alignments, unmatched paragraphs
    Json,
    /// A self-contained HTML page (use with --out)
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is not set
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// First document: a file, or an id in --corpus
    #[arg(value_name = "A")]
    pub a: String,

    /// Second document: a file, or an id in --corpus
    #[arg(value_name = "B")]
    pub b: String,

    /// Look A and B up as ids in this corpus (files, directories, JSON Lines); it
    /// finds boilerplate, and with --idf corpus its document frequencies weigh the score
    #[arg(long, value_name = "PATH")]
    pub corpus: Vec<String>,

    /// Look A and B up as ids in this persistent index and read their stored texts
    /// (no document frequencies: the score is unweighted)
    #[arg(long, value_name = "DIR", conflicts_with = "corpus")]
    pub index: Option<PathBuf>,

    /// JSON field holding the text (with --corpus)
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// JSON field holding the id (with --corpus)
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub id_field: String,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Terminal)]
    pub format: DiffFormat,

    #[command(flatten)]
    pub out: OutArgs,

    /// Colours in terminal output
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Refuse documents larger than this many MiB (1 to 1048576)
    #[arg(long, default_value_t = 64, value_name = "MIB", value_parser = max_doc_mib())]
    pub max_doc_mib: usize,

    /// Terminal width, 20 to 1000 (default: the terminal's, or 100)
    #[arg(long, value_name = "COLUMNS", value_parser = width())]
    pub width: Option<usize>,

    #[command(flatten)]
    pub ngram: NgramArgs,

    #[command(flatten)]
    pub idf: IdfArgs,

    /// With --corpus: print the time of each stage on stderr
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// JSON Lines with text_a, text_b (and optional id_a, id_b); - or nothing for stdin
    #[arg(value_name = "FILE", default_value = "-")]
    pub input: String,

    /// Write a line {"line": N, "error": ...} for malformed lines instead of stopping
    #[arg(long)]
    pub skip_bad_lines: bool,

    /// Longest text, in MiB (1 to 1048576): a line may hold two such texts and 1 MiB
    /// more; a longer line is a malformed line
    #[arg(long, default_value_t = 64, value_name = "MIB", value_parser = max_doc_mib())]
    pub max_doc_mib: usize,

    /// Add the aligned passages to each line: [{a_start, a_end, b_start, b_end, kind,
    /// score}], character offsets into text_a and text_b
    #[arg(long)]
    pub passages: bool,

    #[command(flatten)]
    pub out: OutArgs,

    #[command(flatten)]
    pub ngram: NgramArgs,

    #[command(flatten)]
    pub idf: IdfArgs,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// Number of documents
    #[arg(long, value_name = "N", value_parser = docs())]
    pub docs: u64,

    /// Seed of the generator
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,

    /// Output directory (created; must be new or empty)
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,

    /// Word n-gram length of the truth file's Jaccard (1 to 64)
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_NGRAM, value_name = "N", value_parser = ngram())]
    pub ngram: usize,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Generate a corpus of N documents
    #[arg(long, value_name = "N", conflicts_with_all = ["corpus", "truth"], required_unless_present = "corpus", value_parser = docs())]
    pub docs: Option<u64>,

    /// Seed of the generated corpus
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,

    /// Keep the generated corpus in DIR (new or empty) instead of a temporary directory
    #[arg(long, value_name = "DIR", requires = "docs")]
    pub keep: Option<PathBuf>,

    /// An existing corpus (JSON Lines with id and text), with --truth
    #[arg(long, value_name = "FILE", requires = "truth")]
    pub corpus: Option<PathBuf>,

    /// The truth file of --corpus (JSON Lines with a, b, category, jaccard)
    #[arg(long, value_name = "FILE", requires = "corpus")]
    pub truth: Option<PathBuf>,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = TableJson::Table)]
    pub format: TableJson,

    #[command(flatten)]
    pub out: OutArgs,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(subcommand)]
    pub command: IndexCommand,
}

#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Create an empty index in a new (or empty) directory, with the options that fix
    /// its meaning
    #[command(after_long_help = "Examples:
  reprint index create archive.idx
  reprint index create archive.idx --ngram 3 --threshold 0.5 --text-field body")]
    Create(IndexCreateArgs),
    /// Add the documents of PATH... as one new segment (ids already in the index are
    /// refused)
    #[command(after_long_help = "Examples:
  reprint index add archive.idx corpus.jsonl
  reprint index add archive.idx wire/ --date-field published --source-field agency")]
    Add(IndexAddArgs),
    /// Report the pairs between the documents of PATH... and the index (with --within,
    /// among the new ones too), as `pairs` reports them
    #[command(after_long_help = "Examples:
  reprint index query archive.idx today.jsonl --mode near-dup
  reprint index query archive.idx today.jsonl --mode near-dup --within --add --format jsonl
  reprint index query archive.idx today.jsonl --format jsonl     # rewrites and partial reuse too")]
    Query(IndexQueryArgs),
    /// Group the index's reprints of one story: clusters of whole-document reuse
    /// (duplicate, near-duplicate, rewrite), each with its origin (the earliest
    /// member; when dates tie or are missing, the one the others hold most of) and,
    /// per member, what it took from the origin
    #[command(after_long_help = "Examples:
  reprint index clusters archive.idx
  reprint index clusters archive.idx --mode near-dup --format jsonl")]
    Clusters(IndexClustersArgs),
    /// Print the index's documents, segments, tombstones, bytes per section and options
    #[command(after_long_help = "Examples:
  reprint index stats archive.idx
  reprint index stats archive.idx --format json")]
    Stats(IndexStatsArgs),
    /// Check every checksum, count and sort order of the index (exit 0 when sound, 1
    /// with the problems listed)
    #[command(after_long_help = "Examples:
  reprint index verify archive.idx")]
    Verify(IndexDirArgs),
    /// Remove documents by id (tombstones: they never appear in results again and are
    /// dropped at the next compaction)
    #[command(after_long_help = "Examples:
  reprint index remove archive.idx doc-17 doc-42")]
    Remove(IndexRemoveArgs),
    /// Merge every segment into one, dropping removed documents
    #[command(after_long_help = "Examples:
  reprint index compact archive.idx")]
    Compact(IndexDirArgs),
}

#[derive(Debug, Args)]
pub struct IndexDirArgs {
    /// The index directory
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct IndexCreateArgs {
    /// The index directory (created; must be new or empty)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub ngram: NgramArgs,

    #[command(flatten)]
    pub lsh: LshArgs,

    /// MinHash scheme
    #[arg(long, value_enum, default_value_t = SchemeArg::OnePermutation)]
    pub scheme: SchemeArg,

    /// JSON field holding the text
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// JSON field holding the id (records without it get FILE:LINE)
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub id_field: String,
}

/// How `index add` and `index query` read their documents (the text and id fields are
/// the index's).
#[derive(Debug, Args, Clone)]
pub struct IndexInputArgs {
    /// The index directory
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Files, directories, or - for JSON Lines on stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// JSON field with an ISO 8601 date or date-time, stored per document
    #[arg(long, value_name = "FIELD")]
    pub date_field: Option<String>,

    /// JSON field with the document's source (outlet, agency, site), stored per
    /// document
    #[arg(long, value_name = "FIELD")]
    pub source_field: Option<String>,

    /// Skip and count malformed JSON lines (and dates that do not parse) instead of
    /// stopping
    #[arg(long)]
    pub skip_bad_lines: bool,

    /// Extensions read as text documents when walking directories ("" = none)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "txt,text,",
        value_name = "EXT,..."
    )]
    pub ext: Vec<String>,

    /// Skip (with a warning) documents larger than this many MiB (1 to 1048576)
    #[arg(long, default_value_t = 64, value_name = "MIB", value_parser = max_doc_mib())]
    pub max_doc_mib: usize,
}

#[derive(Debug, Args)]
pub struct IndexAddArgs {
    #[command(flatten)]
    pub input: IndexInputArgs,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct IndexQueryArgs {
    #[command(flatten)]
    pub input: IndexInputArgs,

    /// Detection mode [default: all]. near-dup reads the stored band keys and only
    /// the texts of candidates (fast); all runs the default mode over every stored
    /// text and the new documents (as long as `pairs` over them, minus reading files)
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,

    /// Also report pairs among the new documents
    #[arg(long)]
    pub within: bool,

    /// Also add the new documents to the index, in the same commit
    #[arg(long)]
    pub add: bool,

    /// LSH buckets with more documents than this are linked as stars, not all pairs
    #[arg(long, default_value_t = reprint::params::DEFAULT_MAX_BUCKET, value_name = "N", value_parser = max_bucket())]
    pub max_bucket: usize,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    #[command(flatten)]
    pub out: OutArgs,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct IndexClustersArgs {
    /// The index directory
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Detection mode [default: all]: all finds rewrites too (a run over every
    /// stored text); near-dup only copies and light edits
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,

    /// LSH buckets with more documents than this are linked as stars, not all pairs
    #[arg(long, default_value_t = reprint::params::DEFAULT_MAX_BUCKET, value_name = "N", value_parser = max_bucket())]
    pub max_bucket: usize,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    #[command(flatten)]
    pub out: OutArgs,

    #[command(flatten)]
    pub timings: TimingsArgs,
}

#[derive(Debug, Args)]
pub struct IndexStatsArgs {
    /// The index directory
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub format: TableJsonArgs,

    #[command(flatten)]
    pub out: OutArgs,
}

#[derive(Debug, Args)]
pub struct IndexRemoveArgs {
    /// The index directory
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Ids of the documents to remove
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,
}
