//! YAML text to `serde_json::Value`. The only place serde_yaml is used.

use serde_json::{Map, Number, Value};

/// Parse YAML (a superset of JSON) into a JSON value, keys in document order. Non-string keys
/// (`200:`) become their text; merge keys (`<<`) are applied; tags are dropped.
pub fn parse(text: &str) -> Result<Value, String> {
    let mut doc: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    doc.apply_merge().map_err(|e| e.to_string())?;
    Ok(convert(doc))
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
    }
}
