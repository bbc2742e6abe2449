//! The integration tests, one binary (ripgrep's layout): each module drives the real
//! `reprint` binary from temp directories, or the library through its stable entry
//! points. Build the command with [`util::reprint`], which clears the environment.
//!
//! Run one module with `cargo test --test cli snapshots::` (any name filter works);
//! see tests/README.md for reviewing snapshots.

mod architecture;
mod commands;
mod compose;
mod conventions;
mod faults;
mod gen_bench;
mod html;
mod index;
#[cfg(feature = "parquet")]
mod parquet;
mod props;
mod regression;
mod schemas;
mod seeds;
mod snapshots;
mod sources;
mod terminal;
mod trail;
mod util;
mod wire;
