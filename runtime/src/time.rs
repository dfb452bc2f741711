//! Lenient date and date-time types for the spelling variants the API actually sends.

use std::fmt;
use std::str::FromStr;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Error returned when a date or date-time string cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {input:?}: expected {expected}")]
pub struct DateTimeParseError {
    kind: &'static str,
    input: String,
    expected: &'static str,
}

const EXPECTED_DATE_TIME: &str =
    "an RFC 3339 date-time such as 2024-01-02T03:04:05Z (or epoch milliseconds)";
const EXPECTED_DATE: &str = "a date such as 2024-01-02 (or a date-time)";

impl DateTimeParseError {
    fn date_time(input: &str) -> Self {
        Self {
            kind: "date-time",
            input: truncate(input),
            expected: EXPECTED_DATE_TIME,
        }
    }

    fn date(input: &str) -> Self {
        Self {
            kind: "date",
            input: truncate(input),
            expected: EXPECTED_DATE,
        }
    }
}

fn truncate(input: &str) -> String {
    input.chars().take(64).collect()
}

/// A date-time with its UTC offset (OpenAPI `format: date-time`).
///
/// Parsing accepts RFC 3339 with or without 1-9 fractional digits, `Z`, `+00:00` or `+0000`
/// offsets, a missing offset (taken as UTC), a space or `t` instead of `T` and `z` for `Z`;
/// deserialisation also accepts epoch milliseconds, as a JSON integer or a string of digits.
/// Formatting is RFC 3339, with fractional digits only when they are non-zero and `Z` for UTC.
///
/// Equality, ordering and hashing compare the instant (`12:00Z` equals `13:00+01:00`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(chrono::DateTime<FixedOffset>);

impl DateTime {
    /// Wraps a chrono date-time.
    pub fn new(value: chrono::DateTime<FixedOffset>) -> Self {
        Self(value)
    }

    /// The current time in UTC.
    pub fn now() -> Self {
        Utc::now().into()
    }

    /// The date-time as a chrono value.
    pub fn as_chrono(&self) -> &chrono::DateTime<FixedOffset> {
        &self.0
    }

    /// Converts into the chrono value.
    pub fn into_chrono(self) -> chrono::DateTime<FixedOffset> {
        self.0
    }

    /// The instant in UTC.
    pub fn to_utc(self) -> chrono::DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    /// A date-time from milliseconds since the Unix epoch (UTC).
    pub fn from_epoch_millis(millis: i64) -> Option<Self> {
        Utc.timestamp_millis_opt(millis).single().map(Self::from)
    }

    /// Milliseconds since the Unix epoch.
    pub fn epoch_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(value: chrono::DateTime<Utc>) -> Self {
        Self(value.fixed_offset())
    }
}

impl From<chrono::DateTime<FixedOffset>> for DateTime {
    fn from(value: chrono::DateTime<FixedOffset>) -> Self {
        Self(value)
    }
}

impl From<DateTime> for chrono::DateTime<FixedOffset> {
    fn from(value: DateTime) -> Self {
        value.0
    }
}

impl From<DateTime> for chrono::DateTime<Utc> {
    fn from(value: DateTime) -> Self {
        value.to_utc()
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTime({self})")
    }
}

impl FromStr for DateTime {
    type Err = DateTimeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_date_time(s)
            .map(Self)
            .ok_or_else(|| DateTimeParseError::date_time(s))
    }
}

/// Parses the lenient date-time spellings; `None` when the input is not one of them.
fn parse_date_time(s: &str) -> Option<chrono::DateTime<FixedOffset>> {
    let bytes = s.as_bytes();
    // "YYYY-MM-DD?HH:MM:SS" is the shortest accepted form.
    if bytes.len() < 19 || !s.is_ascii() || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let (local, offset) = split_offset(&s[11..])?;
    let date = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").ok()?;
    let time = parse_time(local)?;
    let naive = NaiveDateTime::new(date, time);
    offset.from_local_datetime(&naive).single()
}

/// Splits `HH:MM:SS[.fff][offset]` into the time text and the offset (UTC when missing).
fn split_offset(rest: &str) -> Option<(&str, FixedOffset)> {
    // Go's default spelling, `15:04:05 -0700 MST`: the numeric offset fixes the instant, the
    // zone abbreviation after it adds nothing (and is ambiguous on its own), so it is dropped.
    let rest = match rest.rsplit_once(' ') {
        Some((before, zone))
            if !zone.is_empty()
                && zone.len() <= 5
                && zone.bytes().all(|b| b.is_ascii_alphabetic())
                && before.contains(['+', '-']) =>
        {
            before
        }
        _ => rest,
    };
    if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        return Some((time, FixedOffset::east_opt(0)?));
    }
    let Some(pos) = rest.find(['+', '-']) else {
        return Some((rest, FixedOffset::east_opt(0)?));
    };
    let (time, offset) = rest.split_at(pos);
    // `15:04:05 -0700` (Go) puts a space before the offset.
    let time = time.strip_suffix(' ').unwrap_or(time);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    let valid_shape = match offset.len() {
        3 | 5 => !offset.contains(':'),    // +HH, +HHMM
        6 => offset.as_bytes()[3] == b':', // +HH:MM
        _ => false,
    };
    if !valid_shape || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = if digits.len() == 4 {
        digits[2..].parse().ok()?
    } else {
        0
    };
    if minutes >= 60 {
        return None;
    }
    Some((
        time,
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?,
    ))
}

/// Parses `HH:MM:SS` with an optional fraction of 1 to 9 digits.
fn parse_time(s: &str) -> Option<chrono::NaiveTime> {
    let (hms, fraction) = match s.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (s, None),
    };
    if hms.len() != 8 {
        return None;
    }
    let time = chrono::NaiveTime::parse_from_str(hms, "%H:%M:%S").ok()?;
    let nanos = match fraction {
        None => 0,
        // RFC 3339 sets no limit to the fraction; digits past nanoseconds are dropped.
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let f = &f[..f.len().min(9)];
            let value: u32 = f.parse().ok()?;
            value * 10u32.pow(9 - f.len() as u32)
        }
        Some(_) => return None,
    };
    chrono::Timelike::with_nanosecond(&time, nanos)
}

impl serde::Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateTimeVisitor;

        impl Visitor<'_> for DateTimeVisitor {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED_DATE_TIME)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                match v.parse() {
                    Ok(parsed) => Ok(parsed),
                    // Epoch milliseconds written as a string ("1700000000000").
                    Err(_) if is_integer(v) => match v.parse::<i64>() {
                        Ok(millis) => self.visit_i64(millis),
                        Err(_) => Err(E::custom(format_args!(
                            "epoch milliseconds {v} out of range"
                        ))),
                    },
                    Err(error) => Err(E::custom(error)),
                }
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                // Written back as RFC 3339 text: a model keeps the original beside it.
                crate::lenient::note_lenient_reading();
                DateTime::from_epoch_millis(v)
                    .ok_or_else(|| E::custom(format_args!("epoch milliseconds {v} out of range")))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                let v = i64::try_from(v)
                    .map_err(|_| E::custom(format_args!("epoch milliseconds {v} out of range")))?;
                self.visit_i64(v)
            }
        }

        deserializer.deserialize_any(DateTimeVisitor)
    }
}

/// An optional `-` and 1 to 19 ASCII digits (what an `i64` can be).
fn is_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    (1..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A calendar date (OpenAPI `format: date`), written `YYYY-MM-DD`.
///
/// Parsing also accepts a full date-time and keeps its date (as written, in its own offset).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(NaiveDate);

impl Date {
    /// Wraps a chrono date.
    pub fn new(value: NaiveDate) -> Self {
        Self(value)
    }

    /// A date from year, month and day; `None` when it does not exist.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day).map(Self)
    }

    /// The date as a chrono value.
    pub fn as_chrono(&self) -> &NaiveDate {
        &self.0
    }

    /// Converts into the chrono value.
    pub fn into_chrono(self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for Date {
    fn from(value: NaiveDate) -> Self {
        Self(value)
    }
}

impl From<Date> for NaiveDate {
    fn from(value: Date) -> Self {
        value.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl FromStr for Date {
    type Err = DateTimeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = if s.len() == 10 {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
        } else {
            parse_date_time(s).map(|dt| dt.date_naive())
        };
        parsed.map(Self).ok_or_else(|| DateTimeParseError::date(s))
    }
}

impl serde::Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl Visitor<'_> for DateVisitor {
            type Value = Date;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECTED_DATE)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                if v.len() != 10 {
                    // A date-time whose date is kept: a model keeps the original beside it.
                    crate::lenient::note_lenient_reading();
                }
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(DateVisitor)
    }
}
