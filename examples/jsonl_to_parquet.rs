//! Converts a JSON Lines corpus to Parquet, one column per field of the first record
//! (strings as Utf8, integers as Int64, other numbers as Float64, booleans as
//! Boolean, anything else as its JSON text), for trying and benchmarking reprint's
//! Parquet input:
//!
//! ```text
//! cargo run --release --example jsonl_to_parquet -- corpus.jsonl corpus.parquet [ROWS_PER_GROUP]
//! ```
//!
//! Rows are written in row groups of `ROWS_PER_GROUP` (default 65536) with snappy
//! compression, as most Parquet writers do.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde_json::{Map, Value};

fn column(rows: &[Map<String, Value>], name: &str, t: &DataType) -> ArrayRef {
    let get = |r: &Map<String, Value>| r.get(name).filter(|v| !v.is_null()).cloned();
    match t {
        DataType::Int64 => Arc::new(
            rows.iter()
                .map(|r| get(r).and_then(|v| v.as_i64()))
                .collect::<Int64Array>(),
        ),
        DataType::Float64 => Arc::new(
            rows.iter()
                .map(|r| get(r).and_then(|v| v.as_f64()))
                .collect::<Float64Array>(),
        ),
        DataType::Boolean => Arc::new(
            rows.iter()
                .map(|r| get(r).and_then(|v| v.as_bool()))
                .collect::<BooleanArray>(),
        ),
        _ => Arc::new(
            rows.iter()
                .map(|r| {
                    get(r).map(|v| match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                })
                .collect::<StringArray>(),
        ),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        return Err("usage: jsonl_to_parquet IN.jsonl OUT.parquet [ROWS_PER_GROUP]".into());
    };
    let group: usize = args.get(2).map_or(Ok(65536), |s| s.parse())?;
    let mut rows: Vec<Map<String, Value>> = Vec::new();
    for line in BufReader::new(File::open(input)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&line)? {
            Value::Object(m) => rows.push(m),
            _ => return Err("every line must be a JSON object".into()),
        }
    }
    let first = rows.first().ok_or("the input holds no record")?;
    let fields: Vec<Field> = first
        .iter()
        .map(|(k, v)| {
            let t = match v {
                Value::Number(n) if n.is_i64() => DataType::Int64,
                Value::Number(_) => DataType::Float64,
                Value::Bool(_) => DataType::Boolean,
                _ => DataType::Utf8,
            };
            Field::new(k, t, true)
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(group))
        .build();
    let mut writer = ArrowWriter::try_new(File::create(output)?, schema.clone(), Some(props))?;
    for chunk in rows.chunks(group) {
        let columns = schema
            .fields()
            .iter()
            .map(|f| column(chunk, f.name(), f.data_type()))
            .collect();
        writer.write(&RecordBatch::try_new(schema.clone(), columns)?)?;
    }
    writer.close()?;
    eprintln!("wrote {} rows to {output}", rows.len());
    Ok(())
}
