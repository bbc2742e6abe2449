//! Turning raw records into documents: UTF-8 decoding and JSON field extraction.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// One record as read from a source, before parsing; borrowed from its batch.
#[derive(Debug, Clone, Copy)]
pub struct RawRecord<'a> {
    /// Index of the source in [`super::Corpus::sources`].
    pub source: u32,
    /// 1-based line number in a JSON Lines source; 0 for a whole text file.
    pub line: u64,
    /// Byte offset of the record in the (decompressed) source.
    pub offset: u64,
    /// The raw bytes (a whole text file, or one line without its newline).
    pub bytes: &'a [u8],
}

/// A document borrowed from its raw record.
#[derive(Debug, Clone)]
pub struct ParsedDoc<'a> {
    /// The document id.
    pub id: Cow<'a, str>,
    /// The document text.
    pub text: Cow<'a, str>,
    /// True when the bytes were not valid UTF-8 and were decoded lossily.
    pub lossy: bool,
    /// True when a JSON Lines record had no [`super::ReadOptions::id_field`] and its
    /// id is its `FILE:LINE` location; false for text files (whose id is their path
    /// by design) and in-memory texts.
    pub id_missing: bool,
    /// The value of [`super::ReadOptions::extra_field`] when it was asked for and the
    /// record has it as a string or a number (the number as its JSON text); `None`
    /// otherwise, and always for text files and in-memory texts.
    pub extra: Option<Cow<'a, str>>,
}

/// Why a record is not a document.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordProblem {
    /// Not valid JSON (message from the parser).
    BadJson(String),
    /// Valid JSON but the text field is missing or not a string, or the id is not a
    /// string or number.
    BadField(String),
    /// Valid JSON without the text field (its name).
    MissingField(String),
    /// A text file with NUL bytes near its start.
    Binary,
    /// Larger than the size limit.
    Oversized,
}

/// True when `bytes` looks binary: a NUL byte in the first 8 KiB (the rule git and
/// ripgrep use).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    memchr::memchr(0, head).is_some()
}

/// The UTF-8 byte order mark, skipped at the start of a file.
pub const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// `bytes` without a leading UTF-8 byte order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

/// True when `bytes` start with a UTF-16 byte order mark (`FF FE` or `FE FF`).
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff")
}

/// Decodes a whole text file: UTF-16 when it starts with a UTF-16 byte order mark,
/// UTF-8 otherwise (a UTF-8 byte order mark is skipped); invalid sequences become
/// U+FFFD (the flag is then set).
pub fn decode_file(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if is_utf16(bytes) {
        let le = bytes[0] == 0xff;
        let body = &bytes[2..];
        let units = body.chunks(2).map(|c| match (c, le) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            _ => 0xfffd,
        });
        let mut lossy = body.len() % 2 == 1;
        let text: String = char::decode_utf16(units)
            .map(|r| {
                r.unwrap_or_else(|_| {
                    lossy = true;
                    char::REPLACEMENT_CHARACTER
                })
            })
            .collect();
        return (Cow::Owned(text), lossy);
    }
    decode(strip_bom(bytes))
}

/// True when `bytes` look binary for a text file: a NUL byte in the first 8 KiB, unless
/// the file is UTF-16 (which has NUL bytes in ASCII text).
pub fn looks_binary_file(bytes: &[u8]) -> bool {
    !is_utf16(bytes) && looks_binary(bytes)
}

/// Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    }
}

/// The id and text fields of one JSON object (and one more field when asked), nothing
/// else decoded.
pub struct Fields<'a> {
    /// The id field: a string, or a number as its JSON text; `None` when absent or
    /// `null`.
    pub id: Option<Cow<'a, str>>,
    /// The text field; `None` when absent, `null` or not a string.
    pub text: Option<Cow<'a, str>>,
    /// Set when the text field is present but not a string.
    pub text_not_string: bool,
    /// Set when the text field is present and `null`.
    pub text_null: bool,
    /// Set when the id field has a type that cannot be an id.
    pub id_bad_type: bool,
    /// The extra field of [`parse_fields_with`]: a string, or a number as its JSON
    /// text; `None` when not asked for, absent, `null`, or of another type.
    pub extra: Option<Cow<'a, str>>,
}

/// Extracts the named fields from a JSON object line. Other fields are skipped
/// without being decoded.
pub fn parse_fields<'a>(
    line: &'a str,
    text_field: &str,
    id_field: &str,
) -> Result<Fields<'a>, RecordProblem> {
    parse_fields_with(line, text_field, id_field, None)
}

/// [`parse_fields`], also reading the field `extra` when it is given (it may be the
/// id field; it is never the text field's value).
///
/// ```
/// use reprint::corpus::parse_fields_with;
/// let f = parse_fields_with(r#"{"id":"a","text":"t","date":"2024-05-01"}"#, "text", "id", Some("date")).unwrap();
/// assert_eq!(f.extra.as_deref(), Some("2024-05-01"));
/// ```
pub fn parse_fields_with<'a>(
    line: &'a str,
    text_field: &str,
    id_field: &str,
    extra: Option<&str>,
) -> Result<Fields<'a>, RecordProblem> {
    let mut de = serde_json::Deserializer::from_str(line);
    let seed = ObjectSeed {
        text_field,
        id_field,
        extra_field: extra,
    };
    let fields = seed
        .deserialize(&mut de)
        .map_err(|e| RecordProblem::BadJson(strip_position(&e)))?;
    de.end()
        .map_err(|e| RecordProblem::BadJson(strip_position(&e)))?;
    Ok(fields)
}

fn strip_position(e: &serde_json::Error) -> String {
    // serde_json appends "at line L column C"; the line is always 1 here, the column
    // still helps.
    let s = e.to_string();
    match s.rfind(" at line 1 column ") {
        Some(i) => format!("{} (column {})", &s[..i], &s[i + 18..]),
        None => s,
    }
}

struct ObjectSeed<'f> {
    text_field: &'f str,
    id_field: &'f str,
    extra_field: Option<&'f str>,
}

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = Fields<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Fields {
            id: None,
            text: None,
            text_not_string: false,
            text_null: false,
            id_bad_type: false,
            extra: None,
        };
        let extra_is_id = self.extra_field == Some(self.id_field);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == self.text_field {
                match map.next_value::<Scalar<'de>>()? {
                    Scalar::Str(s) => out.text = Some(s),
                    Scalar::Null => out.text_null = true,
                    _ => out.text_not_string = true,
                }
            } else if key.0 == self.id_field {
                match map.next_value::<Scalar<'de>>()? {
                    Scalar::Str(s) => out.id = Some(s),
                    Scalar::Num(n) => out.id = Some(Cow::Owned(n)),
                    Scalar::Null => {}
                    Scalar::Other => out.id_bad_type = true,
                }
                if extra_is_id {
                    out.extra = out.id.clone();
                }
            } else if Some(&*key.0) == self.extra_field {
                out.extra = match map.next_value::<Scalar<'de>>()? {
                    Scalar::Str(s) => Some(s),
                    Scalar::Num(n) => Some(Cow::Owned(n)),
                    Scalar::Null | Scalar::Other => None,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor).map(Key)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A field value: a string, a number (kept as its text), null, or anything else.
enum Scalar<'a> {
    Str(Cow<'a, str>),
    Num(String),
    Null,
    Other,
}

impl<'de> de::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Num(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

/// One row of a columnar source (Parquet) as the reader thread stores it in a batch:
/// the id, the extra field and the text, each `None` when null or not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row<'a> {
    pub(crate) id: Option<&'a str>,
    pub(crate) extra: Option<&'a str>,
    pub(crate) text: Option<&'a str>,
}

const ROW_ID: u8 = 1;
const ROW_EXTRA: u8 = 2;
const ROW_TEXT: u8 = 4;

/// Appends `row` to `buf`: a flag byte, the id and the extra field each as a 4-byte
/// little-endian length and the bytes, then the text up to the end. Values longer
/// than 4 GiB cannot occur (the text is last, and ids and fields are cut there).
pub(crate) fn encode_row(buf: &mut Vec<u8>, row: Row<'_>) {
    let mut flags = 0;
    for (set, bit) in [
        (row.id.is_some(), ROW_ID),
        (row.extra.is_some(), ROW_EXTRA),
        (row.text.is_some(), ROW_TEXT),
    ] {
        if set {
            flags |= bit;
        }
    }
    buf.push(flags);
    for value in [row.id, row.extra] {
        let v = value.unwrap_or("").as_bytes();
        let v = &v[..v.len().min(u32::MAX as usize)];
        buf.extend_from_slice(&(v.len() as u32).to_le_bytes());
        buf.extend_from_slice(v);
    }
    buf.extend_from_slice(row.text.unwrap_or("").as_bytes());
}

/// UTF-8 check of a row's values: SIMD when the `parquet` feature (the only writer
/// of rows) brings it.
fn row_str(v: &[u8]) -> Option<&str> {
    #[cfg(feature = "parquet")]
    return simdutf8::basic::from_utf8(v).ok();
    #[cfg(not(feature = "parquet"))]
    return std::str::from_utf8(v).ok();
}

/// Reads back what [`encode_row`] wrote; `None` for bytes it did not write.
pub(crate) fn decode_row(bytes: &[u8]) -> Option<Row<'_>> {
    let (&flags, mut rest) = bytes.split_first()?;
    let mut take = || -> Option<&str> {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let (v, tail) = tail.split_at_checked(len)?;
        rest = tail;
        row_str(v)
    };
    let id = take()?;
    let extra = take()?;
    let text = row_str(rest)?;
    Some(Row {
        id: (flags & ROW_ID != 0).then_some(id),
        extra: (flags & ROW_EXTRA != 0).then_some(extra),
        text: (flags & ROW_TEXT != 0).then_some(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Result<(Option<String>, Option<String>), RecordProblem> {
        parse_fields(line, "text", "id").map(|f| (f.id.map(|s| s.into()), f.text.map(|s| s.into())))
    }

    #[test]
    fn extracts_named_fields_only() {
        assert_eq!(
            fields(r#"{"id":"a","text":"hi \"x\"","other":[1,{"text":2}]}"#).unwrap(),
            (Some("a".into()), Some("hi \"x\"".into()))
        );
        assert_eq!(fields(r#"{"id":42,"text":""}"#).unwrap().0.unwrap(), "42");
        assert_eq!(fields(r#"{"text":"t"}"#).unwrap().0, None);
    }

    #[test]
    fn borrows_when_unescaped() {
        let f = parse_fields(r#"{"text":"plain"}"#, "text", "id").unwrap();
        assert!(matches!(f.text, Some(Cow::Borrowed(_))));
    }

    #[test]
    fn reports_malformed_lines_and_bad_types() {
        assert!(matches!(
            fields("{\"text\": "),
            Err(RecordProblem::BadJson(_))
        ));
        assert!(matches!(fields("[1,2]"), Err(RecordProblem::BadJson(_))));
        assert!(matches!(
            fields("{} trailing"),
            Err(RecordProblem::BadJson(_))
        ));
        let f = parse_fields(r#"{"text":5,"id":true}"#, "text", "id").unwrap();
        assert!(f.text_not_string && f.id_bad_type);
    }

    #[test]
    fn reads_the_extra_field_only_when_asked() {
        let line = r#"{"id":7,"text":"t","src":"bbc","q":0.5,"o":[1]}"#;
        let f = parse_fields(line, "text", "id").unwrap();
        assert_eq!(f.extra, None);
        let extra = |name| {
            parse_fields_with(line, "text", "id", Some(name))
                .unwrap()
                .extra
                .map(|c| c.into_owned())
        };
        assert_eq!(extra("src").as_deref(), Some("bbc"));
        assert_eq!(extra("q").as_deref(), Some("0.5"));
        assert_eq!(extra("id").as_deref(), Some("7"));
        // Arrays and objects are not values of the field; absent is None.
        assert_eq!(extra("o"), None);
        assert_eq!(extra("missing"), None);
        // The id and text are read as before.
        let f = parse_fields_with(line, "text", "id", Some("src")).unwrap();
        assert_eq!((f.id.as_deref(), f.text.as_deref()), (Some("7"), Some("t")));
    }

    #[test]
    fn rows_round_trip() {
        let rows = [
            Row {
                id: Some("a:1"),
                extra: None,
                text: Some("some text"),
            },
            Row {
                id: None,
                extra: Some("2024-01-02"),
                text: None,
            },
            Row {
                id: Some(""),
                extra: Some(""),
                text: Some(""),
            },
        ];
        for row in rows {
            let mut buf = b"prefix".to_vec();
            encode_row(&mut buf, row);
            assert_eq!(decode_row(&buf[6..]), Some(row));
        }
        assert_eq!(decode_row(b""), None);
        assert_eq!(decode_row(b"\x01\xff\xff\xff\xff"), None);
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"abc\0def"));
        assert!(!looks_binary("ünïcode".as_bytes()));
    }
}
