//! YAML text to `serde_json::Value`. The only place serde_yaml is used.

use serde::Deserialize;
use serde::de::{Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parse YAML (a superset of JSON) into a JSON value, keys in document order. Non-string keys
/// (`200:`) become their text; merge keys (`<<`) are applied; tags are dropped.
pub fn parse(text: &str) -> Result<Value, String> {
    if text.contains("<<") {
        // Possibly a merge key: go through serde_yaml's own value, which can apply them.
        let mut doc: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        doc.apply_merge().map_err(|e| e.to_string())?;
        return Ok(convert(doc));
    }
    // Straight into JSON, without an intermediate tree.
    serde_yaml::from_str::<Json>(text)
        .map(|j| j.0)
        .map_err(|e| e.to_string())
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

fn convert(v: serde_yaml::Value) -> Value {
    match v {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => number(&n),
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(convert).collect())
        }
        serde_yaml::Value::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                out.insert(key(k), convert(v));
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(tagged) => convert(tagged.value),
    }
}

fn number(n: &serde_yaml::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        Value::Number(u.into())
    } else {
        // Non-finite floats (.nan, .inf) have no JSON form: keep their YAML text.
        n.as_f64()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(n.to_string()))
    }
}

fn key(k: serde_yaml::Value) -> String {
    match k {
        serde_yaml::Value::String(s) => s,
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => "null".to_string(),
        serde_yaml::Value::Tagged(t) => key(t.value),
        other => serde_json::to_string(&convert(other)).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
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
        let tagged = super::parse("a: !t 3\n1.5: y\ntrue: z\n~: n\n").unwrap();
        assert_eq!(
            serde_json::to_string(&tagged).unwrap(),
            r#"{"a":3,"1.5":"y","true":"z","null":"n"}"#
        );
    }
}
