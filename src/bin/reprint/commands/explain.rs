//! `reprint explain`: the LSH bands x rows for a threshold and the recall they buy.

use anyhow::Result;
use reprint::report::{summary, Format};

use crate::args::ExplainArgs;
use crate::config::lsh_params;

pub fn run(a: &ExplainArgs) -> Result<bool> {
    a.out.out.check()?;
    let p = lsh_params(&a.lsh)?;
    let format = if a.format.json() {
        Format::Json
    } else {
        Format::Table
    };
    a.out.out.write(|w| summary::write_explain(w, format, &p))?;
    Ok(true)
}
