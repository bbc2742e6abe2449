//! Command-line flags (clap). Only parsing and validation live here; `main.rs` turns
//! them into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "reprint",
    version,
    about = "Find near-duplicate and rewritten texts in a corpus",
    long_about = "Find near-duplicate and rewritten texts in a corpus.\n\n\
        Inputs are text files (one document each), directories (walked recursively, \
        sorted, hidden entries skipped), JSON Lines files (.jsonl/.ndjson, optionally \
        .gz/.zst) and - for JSON Lines on stdin.\n\n\
        Exit status: 0 when pairs (or clusters) were found, 1 when none, 2 on error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Worker threads (default: one per core)
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,

    /// No progress bar, warnings or summary on stderr (errors are still printed)
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List similar document pairs
    Pairs(PairsArgs),
    /// Group similar documents into clusters (connected components of pairs)
    Clusters(PairsArgs),
    /// Write the corpus without its near-duplicates
    Dedup(DedupArgs),
    /// Show the aligned paragraphs of two documents, with word-level changes
    Diff(DiffArgs),
    /// Write one HTML page listing similar pairs, each with its aligned diff
    Report(ReportArgs),
    /// Attribute each article to the documents of a source collection (wire copy,
    /// originals) it was most likely written from
    ///
    /// For each article (PATH...): its primary source, the document of --from with the
    /// highest document score when that score is at least --min-score, reported even
    /// when no text is reused (verdict -); then further sources with reused text, each
    /// explaining article sentences that better sources do not. Only source-article
    /// pairs are compared. One row per article and source, by article then rank;
    /// articles with no source are not listed.
    Sources(SourcesArgs),
    /// Score text pairs given as JSON Lines (text_a, text_b): one result line per input line
    Score(ScoreArgs),
    /// Show the LSH bands x rows chosen for a threshold and the recall they buy
    Explain(ExplainArgs),
    /// Read and tokenize a corpus and print its size (the pipeline's floor)
    Stats(StatsArgs),
    /// Write a synthetic news-like corpus with planted near-duplicates, rewrites,
    /// partial reuse and distractors, and its truth file
    ///
    /// DIR receives corpus.jsonl ({id, topic, text}), truth.jsonl (one planted pair per
    /// line: a, b, category, exact word n-gram jaccard, generating parameters) and
    /// manifest.json (arguments and counts). The same arguments give the same bytes
    /// whatever --threads is. The model and its limits are described in GENERATOR.md.
    Gen(GenArgs),
    /// Run the pipeline on a generated (or given) corpus: time, throughput and memory
    /// per stage, recall and precision against the truth
    ///
    /// Either --docs N (generate a corpus with `reprint gen` into a temporary directory, or
    /// into --keep DIR) or --corpus FILE --truth FILE. The read and tokenize+shingle
    /// figures come from separate passes over the corpus; sketch, candidates and verify are
    /// the real pipeline's stages (its first pass reads, tokenizes, shingles and sketches
    /// in one go).
    Bench(BenchArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Near-duplicates, rewrites and partial reuse, each pair aligned (default for
    /// pairs and clusters)
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
}

/// How the corpus is read.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Files, directories, or - for JSON Lines on stdin
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,

    /// JSON field holding the text
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// JSON field holding the id (records without it get FILE:LINE)
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

    /// Skip (with a warning) documents larger than this many MiB
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_doc_mib: usize,
}

/// What counts as similar.
#[derive(Debug, Args, Clone)]
pub struct MatchArgs {
    /// Detection mode [default: all for pairs and clusters, near-dup for dedup]
    #[arg(long, value_enum)]
    pub mode: Option<Mode>,

    /// Shingle length in words
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_NGRAM, value_name = "N")]
    pub ngram: usize,

    /// MinHash signature slots
    #[arg(long, default_value_t = reprint::sketch::DEFAULT_PERMS, value_name = "K")]
    pub perms: usize,

    /// Report pairs with exact Jaccard at or above this
    #[arg(long, default_value_t = reprint::params::DEFAULT_THRESHOLD, value_name = "T")]
    pub threshold: f64,

    /// Also report pairs where one document's shingles are at least this share of the other's
    #[arg(long, value_name = "T")]
    pub containment: Option<f64>,

    /// With --containment: longest/shortest length ratio the candidate search covers
    #[arg(long, default_value_t = reprint::params::DEFAULT_MAX_SIZE_RATIO, value_name = "R")]
    pub max_size_ratio: f64,

    /// LSH bands (default: chosen from the threshold)
    #[arg(long, value_name = "B")]
    pub bands: Option<usize>,

    /// LSH rows per band (default: chosen from the threshold)
    #[arg(long, value_name = "R")]
    pub rows: Option<usize>,

    /// MinHash scheme
    #[arg(long, value_enum, default_value_t = SchemeArg::OnePermutation)]
    pub scheme: SchemeArg,

    /// LSH buckets with more documents than this are linked as stars, not all pairs
    #[arg(long, default_value_t = reprint::params::DEFAULT_MAX_BUCKET, value_name = "N")]
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

    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Print the time of each stage on stderr
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// The source collection: files, directories or JSON Lines (repeat for more;
    /// not stdin)
    #[arg(long, required = true, value_name = "PATH")]
    pub from: Vec<String>,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// Document score a primary source needs
    #[arg(long, default_value_t = reprint::mode::sources::Attribution::default().min_score, value_name = "D")]
    pub min_score: f64,

    /// Article sentences a further source must explain that better sources do not
    #[arg(long, default_value_t = reprint::mode::sources::Attribution::default().min_new_units, value_name = "N")]
    pub min_new_sentences: usize,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Print the time of each stage on stderr
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// The HTML file to write (atomically)
    #[arg(long, short, required = true, value_name = "FILE.html")]
    pub out: PathBuf,

    /// Show aligned diffs for at most this many pairs (the list has them all)
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_pairs: usize,

    /// A source collection: report each article's sources (as `reprint sources`)
    /// instead of pairs; PATH... are then the articles (repeat for more; not stdin)
    #[arg(long, value_name = "PATH")]
    pub from: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// Which document of each cluster to keep
    #[arg(long, value_enum, default_value_t = KeepArg::First)]
    pub keep: KeepArg,

    /// Where to write the kept documents (JSON Lines, or paths for text-file inputs)
    #[arg(long, short, required = true, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Jaccard threshold
    #[arg(long, default_value_t = reprint::params::DEFAULT_THRESHOLD, value_name = "T")]
    pub threshold: f64,

    /// MinHash signature slots
    #[arg(long, default_value_t = reprint::sketch::DEFAULT_PERMS, value_name = "K")]
    pub perms: usize,

    /// Containment threshold (lowers the candidate threshold, see `pairs --help`)
    #[arg(long, value_name = "T")]
    pub containment: Option<f64>,

    /// With --containment: longest/shortest length ratio covered
    #[arg(long, default_value_t = reprint::params::DEFAULT_MAX_SIZE_RATIO, value_name = "R")]
    pub max_size_ratio: f64,

    /// Force the number of bands
    #[arg(long, value_name = "B")]
    pub bands: Option<usize>,

    /// Force the rows per band
    #[arg(long, value_name = "R")]
    pub rows: Option<usize>,

    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Shingle length in words
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_NGRAM, value_name = "N")]
    pub ngram: usize,

    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
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

    /// Look A and B up as ids in this corpus (files, directories, JSON Lines); its
    /// document frequencies weight the score and find boilerplate
    #[arg(long, value_name = "PATH")]
    pub corpus: Vec<String>,

    /// JSON field holding the text (with --corpus)
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// JSON field holding the id (with --corpus)
    #[arg(long, default_value = "id", value_name = "FIELD")]
    pub id_field: String,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Terminal)]
    pub format: DiffFormat,

    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Colours in terminal output
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,

    /// Terminal width (default: the terminal's, or 100)
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,

    /// Shingle length in words for the n-gram overlap figures
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_NGRAM, value_name = "N")]
    pub ngram: usize,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// JSON Lines with text_a, text_b (and optional id_a, id_b); - or nothing for stdin
    #[arg(value_name = "FILE", default_value = "-")]
    pub input: String,

    /// Write a line {"line": N, "error": ...} for malformed lines instead of stopping
    #[arg(long)]
    pub skip_bad_lines: bool,

    /// Write to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Shingle length in words for the n-gram overlap figures
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_NGRAM, value_name = "N")]
    pub ngram: usize,
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// Number of documents
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub docs: u64,

    /// Seed of the generator
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,

    /// Output directory (created; must be new or empty)
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,

    /// Word n-gram length of the truth file's Jaccard
    #[arg(long, default_value_t = reprint::shingle::DEFAULT_NGRAM, value_name = "N")]
    pub ngram: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum BenchFormat {
    /// Tables for people
    #[default]
    Table,
    /// One JSON document
    Json,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Generate a corpus of N documents
    #[arg(long, value_name = "N", conflicts_with_all = ["corpus", "truth"], required_unless_present = "corpus")]
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
    #[arg(long, short, value_enum, default_value_t = BenchFormat::Table)]
    pub format: BenchFormat,

    /// Write the report to FILE (atomically) instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
