//! JSON Lines record decoding: `looks_binary`, `decode` and `parse_fields` on arbitrary
//! bytes, as `Corpus::parse` chains them.
//!
//! Properties: nothing panics; `looks_binary` is "a NUL in the first 8 KiB"; `decode`
//! borrows exactly the valid UTF-8 inputs and is `from_utf8_lossy` otherwise;
//! `parse_fields` succeeds exactly when serde_json parses the line as one object, and
//! then returns what a plain `serde_json` reading of the object's entries says (the
//! text field's last string value, a borrowed text pointing into the line).
#![no_main]

use std::borrow::Cow;
use std::fmt;

use libfuzzer_sys::fuzz_target;
use reprint::corpus::{decode, looks_binary, parse_fields, RecordProblem};
use serde::de::{MapAccess, Visitor};
use serde_json::Value;

/// The entries of a JSON object in order, duplicates kept (a `Value` keeps the last).
struct Entries(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entries, A::Error> {
                let mut v = Vec::new();
                while let Some(e) = m.next_entry::<String, Value>()? {
                    v.push(e);
                }
                Ok(Entries(v))
            }
        }
        d.deserialize_map(V)
    }
}

fn reference(line: &str) -> Result<Entries, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(line);
    let e: Entries = serde::Deserialize::deserialize(&mut de)?;
    de.end()?;
    Ok(e)
}

/// The errors of a strict reading that only skipping a value can avoid.
fn lenient_only(e: &serde_json::Error) -> bool {
    let m = e.to_string();
    m.contains("surrogate") || m.contains("hex escape") || m.contains("number out of range")
}

fn check_fields(line: &str, text_field: &str, id_field: &str) {
    let got = parse_fields(line, text_field, id_field);
    let want = reference(line);
    let (got, want) = match (got, want) {
        (Ok(g), Ok(w)) => (g, w),
        (Err(RecordProblem::BadJson(_)), Err(_)) => return,
        (Err(e), Err(_)) => panic!("parse_fields gave {e:?}, expected BadJson"),
        // Skipped fields are read with `IgnoredAny`, which (in serde_json) checks the
        // grammar only: it accepts a lone UTF-16 surrogate escape (`"\ud83d"`) and a
        // number too large for an f64 (`1e999`), which decoding the value refuses. Both
        // are valid JSON text (RFC 8259), so such a line is a document when the value
        // is in a field reprint does not read.
        (Ok(_), Err(e)) if lenient_only(&e) => return,
        (Ok(_), Err(e)) => panic!("parse_fields accepted what serde_json refuses ({e}): {line:?}"),
        (Err(e), Ok(_)) => {
            // A nesting depth serde_json counts differently for `Value` than for
            // skipped values would show up here.
            panic!("parse_fields refused a JSON object ({e:?}): {line:?}")
        }
    };
    let range = line.as_bytes().as_ptr_range();
    if let Some(Cow::Borrowed(t)) = &got.text {
        assert!(
            range.contains(&t.as_ptr()) || t.is_empty(),
            "borrowed text outside the line"
        );
    }
    if let Some(t) = &got.text {
        assert!(std::str::from_utf8(t.as_bytes()).is_ok());
    }
    // The documented rules, applied to the entries as serde_json reads them. The text
    // field wins when both names are the same.
    let (mut text, mut text_bad, mut id_str, mut id_num, mut id_bad) =
        (None::<String>, false, None::<String>, false, false);
    for (k, v) in &want.0 {
        if k == text_field {
            match v {
                Value::String(s) => text = Some(s.clone()),
                Value::Null => {}
                _ => text_bad = true,
            }
        } else if k == id_field {
            match v {
                Value::String(s) => {
                    id_str = Some(s.clone());
                    id_num = false;
                }
                Value::Number(_) => {
                    id_str = None;
                    id_num = true;
                }
                Value::Null => {}
                _ => id_bad = true,
            }
        }
    }
    assert_eq!(got.text.as_deref(), text.as_deref(), "text of {line:?}");
    assert_eq!(got.text_not_string, text_bad);
    assert_eq!(got.id_bad_type, id_bad);
    if id_num {
        // Numbers are kept as their text; Rust's and serde_json's float formatting
        // differ, so only the presence is compared.
        let id = got.id.as_deref().expect("numeric id kept");
        assert!(!id.is_empty());
    } else {
        assert_eq!(got.id.as_deref(), id_str.as_deref(), "id of {line:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let nul_in_head = data[..data.len().min(8192)].contains(&0);
    assert_eq!(looks_binary(data), nul_in_head);

    let (text, lossy) = decode(data);
    match std::str::from_utf8(data) {
        Ok(s) => {
            assert!(!lossy);
            assert!(matches!(text, Cow::Borrowed(_)));
            assert_eq!(text, s);
        }
        Err(_) => {
            assert!(lossy);
            assert_eq!(text, String::from_utf8_lossy(data));
        }
    }
    assert!(std::str::from_utf8(text.as_bytes()).is_ok());

    check_fields(&text, "text", "id");
    // One name for both fields, and names the dictionary makes the fuzzer use.
    check_fields(&text, "x", "x");
    check_fields(&text, "body", "doc_id");
});
