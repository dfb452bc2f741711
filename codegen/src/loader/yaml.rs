//! YAML text to `serde_json::Value`. The only place serde_yaml is used.

use std::borrow::Cow;
use std::cell::Cell;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, Error as _, IgnoredAny, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

/// Parse YAML 1.2 (a superset of JSON) into a JSON value, keys in document order.
///
/// - Integers past 64 bits, which a JSON number of this workspace cannot hold exactly, become
///   their decimal text (`Value::String`, without a leading `+`), at any size.
/// - `.inf`, `-.inf` and `.nan` become the strings `"inf"`, `"-inf"` and `"NaN"`.
/// - Non-string keys become their text (`200:` is `"200"`, `~:` is `"null"`); two keys with the
///   same text in one mapping are an error.
/// - Aliases are expanded and merge keys (`<<`) applied; custom tags (`!t 3`) are dropped and
///   the core ones obeyed (`!!str 123` is the string `"123"`).
/// - An empty document is `null`; more than one document is an error.
/// - Every JSON text loads as `serde_json` reads it, even where YAML itself is stricter
///   (escaped surrogate pairs, raw characters YAML does not allow).
pub fn parse(text: &str) -> Result<Value, String> {
    // libyaml skips a byte order mark without counting it in the error positions read below.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut text = escape_json_unprintables(text).map_or(Cow::Borrowed(text), Cow::Owned);
    let mut accepted = 0;
    loop {
        let huge = HugeFloats {
            accepted,
            seen: Cell::new(0),
            stopped_at: Cell::new(None),
        };
        let error = match Json(&huge).deserialize(serde_yaml::Deserializer::from_str(&text)) {
            Ok(mut value) => {
                if text.contains("<<") {
                    apply_merge_keys(&mut value);
                }
                return Ok(value);
            }
            Err(error) => error,
        };
        let at = error.location().map(|l| l.index());
        if let Some(value) = huge.stopped_at.get() {
            match at.and_then(|at| integer_literal_at(&text, at, value)) {
                // An integer past 128 bits: quoted, it loads as its exact text.
                Some((start, end)) => {
                    let digits = text[start..end].trim_start_matches('+');
                    text = Cow::Owned(format!("{}\"{digits}\"{}", &text[..start], &text[end..]));
                }
                None => accepted += 1,
            }
            continue;
        }
        if error
            .to_string()
            .contains("invalid Unicode character escape code")
        {
            if let Some(joined) = at.and_then(|at| join_surrogate_pair(&text, at)) {
                text = Cow::Owned(joined);
                continue;
            }
        }
        return Err(error.to_string());
    }
}

/// serde_yaml reads an integer that fits neither `u128` nor `i128` as a float, losing digits, and
/// a visitor only sees the float, not the text. The visitor therefore stops the parse at the
/// first float that could be such an integer (past `u128::MAX` or below `i128::MIN`, which real
/// floats of a spec never are) after the `accepted` ones; [`parse`] then reads the text at the
/// reported position, quotes it if it is an integer and parses again, or accepts one more float.
/// One parse per such number, and a single parse for a document without any.
struct HugeFloats {
    /// How many of them (in the order the parse visits them) are real floats.
    accepted: usize,
    seen: Cell<usize>,
    stopped_at: Cell<Option<f64>>,
}

impl HugeFloats {
    fn check<E: serde::de::Error>(&self, v: f64) -> Result<(), E> {
        // A positive integer past u128 reads as 2^128 or more, a negative one past i128 as -2^127
        // or less (rounding to nearest never crosses a power of two).
        if !(v >= 2f64.powi(128) || v <= -(2f64.powi(127))) || v.is_infinite() {
            return Ok(());
        }
        let seen = self.seen.get();
        self.seen.set(seen + 1);
        if seen < self.accepted {
            return Ok(());
        }
        self.stopped_at.set(Some(v));
        Err(E::custom("a number past 128 bits"))
    }
}

/// The bytes of the integer literal (`[+-]?[0-9]+`) of the plain scalar whose node starts at `at`
/// (its anchor or tag, if any), if it reads as `value`; `None` for a float literal or anything
/// else. A hand-written scan of a few characters: serde_yaml tells where the node starts, not
/// where its text is.
fn integer_literal_at(text: &str, at: usize, value: f64) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = at;
    loop {
        match *bytes.get(i)? {
            b'&' | b'!' => {
                while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
                    i += 1;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while bytes.get(i).is_some_and(|&b| b != b'\n') {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    let start = i;
    if matches!(bytes[i], b'+' | b'-') {
        i += 1;
    }
    let digits = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if i == digits || matches!(bytes.get(i), Some(b'.' | b'e' | b'E')) {
        return None;
    }
    (text[start..i].parse::<f64>() == Ok(value)).then_some((start, i))
}

/// JSON escapes a character past U+FFFF as a surrogate pair (`"\ud83d\ude00"`), which libyaml
/// refuses; `at` is where it reported the first half's digits. The pair written as one YAML
/// escape (`\U0001F600`), or `None` if there is no pair there.
fn join_surrogate_pair(text: &str, at: usize) -> Option<String> {
    let hex = |from: usize| {
        let digits = text.get(from..from + 4)?;
        let digits_only = digits.bytes().all(|b| b.is_ascii_hexdigit());
        digits_only.then(|| u32::from_str_radix(digits, 16).ok())?
    };
    if text.get(at.checked_sub(2)?..at)? != "\\u" || text.get(at + 4..at + 6)? != "\\u" {
        return None;
    }
    let (high, low) = (hex(at)?, hex(at + 6)?);
    if !(0xD800..0xDC00).contains(&high) || !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    Some(format!("{}\\U{c:08X}{}", &text[..at - 2], &text[at + 10..]))
}

/// JSON strings may hold characters that YAML does not allow anywhere (DEL, C1 controls,
/// U+FFFE, U+FFFF) or that libyaml reads as line breaks (U+0085, U+2028, U+2029; a double-quoted
/// scalar folds those). In a JSON text they can only be inside strings, which JSON writes in
/// double quotes, so escaping them keeps the value. `None` if there are none or the text is not
/// JSON.
fn escape_json_unprintables(text: &str) -> Option<String> {
    let printable = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{2027}')
            || matches!(c, '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    };
    if text.chars().all(printable) || serde_json::from_str::<IgnoredAny>(text).is_err() {
        return None;
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if printable(c) {
            escaped.push(c);
        } else {
            escaped.push_str(&format!("\\u{:04X}", c as u32));
        }
    }
    Some(escaped)
}

/// Applies YAML merge keys (`<<: *base`, `<<: [*a, *b]`): the merged maps' members that the map
/// does not set itself, the earlier map first. Done on the JSON tree because serde_yaml can only
/// apply them to its own `Value`, which cannot hold every integer a spec writes. A `<<` whose
/// value is not a map or a list of maps is an ordinary key (serde_yaml would refuse it).
fn apply_merge_keys(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.values_mut().for_each(apply_merge_keys);
            let mergeable = match members.get("<<") {
                Some(Value::Object(_)) => true,
                Some(Value::Array(items)) => items.iter().all(Value::is_object),
                _ => false,
            };
            if !mergeable {
                return;
            }
            let sources = match members.shift_remove("<<") {
                Some(Value::Array(sources)) => sources,
                other => other.into_iter().collect(),
            };
            for source in sources {
                if let Value::Object(source) = source {
                    for (key, member) in source {
                        members.entry(key).or_insert(member);
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(apply_merge_keys),
        _ => {}
    }
}

/// A JSON value deserialized from YAML: like `serde_json::Value`, but map keys may be numbers or
/// booleans (written as their text) and non-finite floats keep their YAML text.
struct Json<'a>(&'a HugeFloats);

impl<'de> DeserializeSeed<'de> for Json<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(JsonVisitor(self.0))
    }
}

struct JsonVisitor<'a>(&'a HugeFloats);

impl<'de> Visitor<'de> for JsonVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    // YAML integers have no size limit; serde_yaml hands those past 64 bits to these two (and
    // those past 128 bits to `visit_f64`, see `HugeFloats`). A JSON number of serde_json (without
    // `arbitrary_precision`, which would change every number of the workspace) cannot hold them
    // exactly: they are kept as their decimal text.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::String(v.to_string()), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| Value::String(v.to_string()), Value::from))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.check(v)?;
        Ok(Number::from_f64(v)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(float_text(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(Json(self.0))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key_seed(Key(self.0))? {
            match out.entry(k) {
                Entry::Vacant(entry) => {
                    entry.insert(map.next_value_seed(Json(self.0))?);
                }
                // YAML forbids it; taking either value would hide a mistake of the spec.
                Entry::Occupied(entry) => {
                    return Err(A::Error::custom(format!("duplicate key `{}`", entry.key())));
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A value with a custom tag (`!tag x`): keep the value, drop the tag. serde_yaml obeys
        // the core tags (`!!str`, `!!int`, ...) itself and does not come here for them.
        let (_tag, variant) = data.variant_seed(Json(self.0))?;
        variant.newtype_variant_seed(Json(self.0))
    }
}

fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v > 0.0 {
        "inf".into()
    } else {
        "-inf".into()
    }
}

/// A map key as text.
struct Key<'a>(&'a HugeFloats);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        Ok(match d.deserialize_any(JsonVisitor(self.0))? {
            Value::String(s) => s,
            Value::Null => "null".into(),
            other => other.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn integers_past_64_bits_load_as_their_exact_text() {
        // SailPoint's v2025 and v2026 specs had an unquoted 32-digit example for four months.
        let v = super::parse(
            "example: 12345678901234567890123456789012\nnegative: -12345678901234567890123456789012\nsmall: 18446744073709551615\n",
        )
        .unwrap();
        assert_eq!(v["example"], "12345678901234567890123456789012");
        assert_eq!(v["negative"], "-12345678901234567890123456789012");
        assert_eq!(v["small"], serde_json::json!(u64::MAX));
        // Through the merge-key path too.
        let merged =
            super::parse("a: &x {n: 12345678901234567890123456789012}\nb:\n  <<: *x\n").unwrap();
        assert_eq!(merged["b"]["n"], "12345678901234567890123456789012");
    }

    #[test]
    fn keys_and_order() {
        let v = super::parse("b: 1\n200: x\na: [1.5, .nan]\n").unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"b":1,"200":"x","a":[1.5,"NaN"]}"#
        );
        assert!(super::parse("a: [").unwrap_err().contains("line"));
        let merged = super::parse("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n").unwrap();
        assert_eq!(merged["b"], serde_json::json!({"k": 1, "j": 2}));
        // The map's own members win, then the earlier of several merged maps.
        let several =
            super::parse("a: &a {k: 1, m: 1}\nc: &c {k: 2, n: 2}\nb:\n  <<: [*a, *c]\n  m: 3\n")
                .unwrap();
        assert_eq!(several["b"], serde_json::json!({"m": 3, "k": 1, "n": 2}));
        let tagged = super::parse("a: !t 3\n1.5: y\ntrue: z\n~: n\n").unwrap();
        assert_eq!(
            serde_json::to_string(&tagged).unwrap(),
            r#"{"a":3,"1.5":"y","true":"z","null":"n"}"#
        );
    }
}
