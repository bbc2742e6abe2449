//! The values the field keep policies compare: ISO 8601 dates and date-times, and
//! numbers.

use std::cmp::Ordering;

/// A point in time: seconds since 1970-01-01T00:00:00Z and nanoseconds.
pub(crate) type Instant = (i64, u32);

/// Parses an ISO 8601 calendar date or date-time in extended format:
/// `YYYY-MM-DD`, or `YYYY-MM-DD` then `T` (or a space) and `hh:mm`, `hh:mm:ss` or
/// `hh:mm:ss.fff...`, then optionally `Z`, `±hh:mm`, `±hhmm` or `±hh`. A date is
/// midnight UTC; a time without an offset is taken as UTC. Anything else (other
/// formats, impossible dates such as February 30) is `None`.
pub(crate) fn parse_instant(s: &str) -> Option<Instant> {
    let b = s.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])? as i64;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let rest = &b[10..];
    if rest.is_empty() {
        return Some((days * 86_400, 0));
    }
    if !matches!(rest[0], b'T' | b't' | b' ') || rest.len() < 6 || rest[3] != b':' {
        return None;
    }
    let hour = digits(&rest[1..3])?;
    let minute = digits(&rest[4..6])?;
    let mut i = 6;
    let mut second = 0;
    let mut nanos = 0u32;
    if rest.get(i) == Some(&b':') {
        second = digits(rest.get(i + 1..i + 3)?)?;
        i += 3;
        if matches!(rest.get(i), Some(b'.' | b',')) {
            i += 1;
            let start = i;
            while rest.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let frac = &rest[start..i];
            if frac.is_empty() {
                return None;
            }
            for (k, &c) in frac.iter().take(9).enumerate() {
                nanos += u32::from(c - b'0') * 10u32.pow(8 - k as u32);
            }
        }
    }
    // 23:59:60 is a leap second; it sorts with 23:59:59.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset = match &rest[i..] {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), tz @ ..] => {
            let (h, m) = match tz {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                }
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let o = i64::from(h * 3600 + m * 60);
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second.min(59)) - offset;
    Some((secs, nanos))
}

/// Parses a finite number: a JSON number's text, or a string holding one.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Compares two numbers parsed by [`parse_number`] (never NaN).
pub(crate) fn cmp_number(a: f64, b: f64) -> Ordering {
    a.total_cmp(&b)
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times() {
        assert_eq!(parse_instant("1970-01-01"), Some((0, 0)));
        assert_eq!(parse_instant("2000-03-01"), Some((951_868_800, 0)));
        assert_eq!(
            parse_instant("2024-02-29T12:30:00Z"),
            Some((1_709_209_800, 0))
        );
        assert_eq!(
            parse_instant("2024-02-29T14:30:00+02:00"),
            parse_instant("2024-02-29T12:30Z")
        );
        assert_eq!(
            parse_instant("2024-02-29 07:30:00-0500"),
            parse_instant("2024-02-29t12:30:00")
        );
        assert_eq!(
            parse_instant("2024-02-29T12:30:00+02"),
            Some((1_709_202_600, 0))
        );
        assert_eq!(
            parse_instant("1969-12-31T23:59:59.25Z"),
            Some((-1, 250_000_000))
        );
        assert_eq!(parse_instant(" 1850-01-01 "), Some((-3_786_825_600, 0)));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for s in [
            "",
            "2024",
            "2024-05",
            "20240501",
            "2023-02-29",
            "2024-13-01",
            "2024-04-31",
            "2024-05-01T25:00",
            "2024-05-01T12",
            "2024-05-01T12:00:00.",
            "2024-05-01T12:00+1",
            "2024-05-01X",
            "May 1, 2024",
        ] {
            assert_eq!(parse_instant(s), None, "{s:?}");
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("0.5"), Some(0.5));
        assert_eq!(parse_number(" -3 "), Some(-3.0));
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("high"), None);
    }
}
