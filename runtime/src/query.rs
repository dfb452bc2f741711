//! Encoding of path segments and query/header parameter values.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters that are percent-encoded: everything except the RFC 3986 unreserved characters.
pub(crate) const ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment: everything except `A-Z a-z 0-9 - . _ ~` is encoded, so
/// `/`, `?`, `#`, `%`, spaces and non-ASCII characters cannot change the request target.
pub fn path_segment<T: std::fmt::Display + ?Sized>(value: &T) -> String {
    utf8_percent_encode(&value.to_string(), ENCODE_SET).to_string()
}

/// Percent-encodes a query name or value (same set as [`path_segment`]; a space becomes `%20`).
pub(crate) fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, ENCODE_SET).to_string()
}

/// A value that can be sent as a query (or header) parameter.
///
/// Arrays use the OpenAPI default for query parameters (`style: form, explode: true`): one pair
/// per item. `None` sends nothing.
pub trait QueryValue {
    /// Appends the `(name, value)` pairs for this value; values are not encoded yet.
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>);
}

impl QueryValue for str {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.to_owned()));
    }
}

impl QueryValue for String {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        out.push((name, self.clone()));
    }
}

macro_rules! display_query_value {
    ($($ty:ty),*) => {$(
        impl QueryValue for $ty {
            fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
                out.push((name, self.to_string()));
            }
        }
    )*};
}

display_query_value!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    isize,
    usize,
    f32,
    f64,
    super::DateTime,
    super::Date
);

/// Compact JSON text; a JSON string is sent without quotes and `null` sends nothing.
impl QueryValue for serde_json::Value {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => out.push((name, s.clone())),
            other => out.push((name, other.to_string())),
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        for item in self {
            item.append_to(name, out);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        self.as_slice().append_to(name, out);
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        (**self).append_to(name, out);
    }
}

impl<T: QueryValue> QueryValue for Option<T> {
    fn append_to(&self, name: &'static str, out: &mut Vec<(&'static str, String)>) {
        if let Some(value) = self {
            value.append_to(name, out);
        }
    }
}
