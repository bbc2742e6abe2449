//! One module per subcommand: each turns its flags into library calls, renders the
//! result through `reprint::report` and returns whether anything was found.

pub mod bench;
pub mod dedup;
pub mod diff;
pub mod explain;
pub mod gen;
pub mod index;
pub mod pairs;
pub mod report;
pub mod score;
pub mod shell;
pub mod sources;
pub mod stats;
