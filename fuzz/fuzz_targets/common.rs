//! Shared by the pair targets (`compare`, `render`).
#![allow(dead_code)]

/// Splits the input into two texts at the first 0xFF byte (never part of UTF-8, so
/// seeds are `A \xff B`); without one, in the middle. Each side is decoded lossily.
pub fn two_texts(data: &[u8]) -> (String, String) {
    let (a, b) = match data.iter().position(|&b| b == 0xff) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => data.split_at(data.len() / 2),
    };
    (
        String::from_utf8_lossy(a).into_owned(),
        String::from_utf8_lossy(b).into_owned(),
    )
}

pub fn close(x: f64, y: f64) -> bool {
    (x - y).abs() <= 1e-9
}

pub fn unit(name: &str, x: f64) {
    assert!(
        x.is_finite() && (0.0..=1.0).contains(&x),
        "{name} = {x} is not in [0, 1]"
    );
}

/// True when the environment variable is set to 1 (read once).
pub fn flag(name: &'static str) -> bool {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static FLAGS: OnceLock<Mutex<HashMap<&'static str, bool>>> = OnceLock::new();
    let m = FLAGS.get_or_init(Default::default);
    *m.lock()
        .unwrap()
        .entry(name)
        .or_insert_with(|| std::env::var_os(name).is_some_and(|v| v == "1"))
}
