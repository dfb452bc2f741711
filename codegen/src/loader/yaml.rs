//! YAML text to `serde_json::Value`. The only place serde_yaml is used.

use serde::Deserialize;
use serde::de::{Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parse YAML (a superset of JSON) into a JSON value, keys in document order. Non-string keys
/// (`200:`) become their text; merge keys (`<<`) are applied; tags are dropped.
pub fn parse(text: &str) -> Result<Value, String> {
    // Straight into JSON, without an intermediate tree (serde_yaml's own `Value` would refuse
    // integers past 64 bits); aliases are expanded by the parser, merge keys applied after.
    let mut value = serde_yaml::from_str::<Json>(text)
        .map(|j| j.0)
        .map_err(|e| e.to_string())?;
    if text.contains("<<") {
        apply_merge_keys(&mut value);
    }
    Ok(value)
}

/// Applies YAML merge keys (`<<: *base`, `<<: [*a, *b]`): the merged maps' members that the map
/// does not set itself, the earlier map first. Done on the JSON tree because serde_yaml can only
/// apply them to its own `Value`, which cannot hold every integer a spec writes.
fn apply_merge_keys(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.values_mut().for_each(apply_merge_keys);
            if let Some(merged) = members.shift_remove("<<") {
                let sources = match merged {
                    Value::Array(sources) => sources,
                    other => vec![other],
                };
                for source in sources {
                    if let Value::Object(source) = source {
                        for (key, member) in source {
                            members.entry(key).or_insert(member);
                        }
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
struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
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
    // YAML integers have no size limit; serde_yaml hands those past 64 bits to these two. A JSON
    // number of serde_json (without `arbitrary_precision`, which would change every number of the
    // workspace) cannot hold them exactly: they are kept as their decimal text.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::String(v.to_string()), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| Value::String(v.to_string()), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
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
        while let Some(Json(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(k)) = map.next_key()? {
            let Json(v) = map.next_value()?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag x`): keep the value, drop the tag.
        let (_tag, variant): (Json, A::Variant) = data.variant()?;
        variant.newtype_variant::<Json>().map(|j| j.0)
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
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = d.deserialize_any(JsonVisitor)?;
        Ok(Key(match v {
            Value::String(s) => s,
            Value::Null => "null".into(),
            other => other.to_string(),
        }))
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
