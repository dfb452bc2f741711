//! The drift between the spec and what the API really sends (see the README, "Drift policy").
//!
//! Only drift that can be decoded without inventing information is decoded: a `null` list is an
//! empty one, a number where a string is declared is its JSON text. Everything else (a `null` or
//! missing required scalar, a string where a number is declared, a boolean where a string is
//! declared) stays an error naming the field.
//!
//! The client reads every body through [`Lenient`], which does this for every value at no cost
//! per model. The field deserialisers below are for what it cannot reach: members that serde
//! buffers (models with `additionalProperties`, and what they hold) and required maps.

mod deserializer;

use std::cell::Cell;

use serde::de::{Deserialize, Deserializer};

pub use deserializer::Lenient;

thread_local! {
    /// How many lenient readings this thread has made (a number taken as text, a `null` list
    /// taken as empty, epoch milliseconds taken as a date-time, ...). Decoding is synchronous, so
    /// a reader compares the count before and after decoding a value to learn whether the value
    /// was read leniently: a model read through the `object` module keeps the original JSON of
    /// such members, to write it back as it came.
    static LENIENT_READINGS: Cell<u64> = const { Cell::new(0) };
}

/// Counts one lenient reading (see [`LENIENT_READINGS`]).
pub(crate) fn note_lenient_reading() {
    LENIENT_READINGS.with(|count| count.set(count.get().wrapping_add(1)));
}

/// The number of lenient readings this thread has made so far.
pub(crate) fn lenient_readings() -> u64 {
    LENIENT_READINGS.with(Cell::get)
}

/// A required collection (`Vec`, map): `null` is the empty collection. With
/// `#[serde(default)]` a missing member is empty too.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// A string field: a string, or a number taken as its JSON text (`123` is `"123"`, `1.5` is
/// `"1.5"`). Anything else (`null`, a boolean, an array, an object) is an error. What
/// [`Lenient`] does for every `String`, for a field it cannot reach.
pub fn string_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    String::deserialize(Lenient(deserializer))
}

/// An optional string field: `null` is `None` (with `#[serde(default)]`, so is a missing
/// member), otherwise as [`string_or_number`].
pub fn option_string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(Lenient(deserializer))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Model {
        #[serde(deserialize_with = "string_or_number")]
        id: String,
        #[serde(default, deserialize_with = "option_string_or_number")]
        name: Option<String>,
        #[serde(default, deserialize_with = "null_as_default")]
        tags: Vec<String>,
        #[serde(default, deserialize_with = "null_as_default")]
        attributes: BTreeMap<String, String>,
    }

    /// The same model without per-field attributes, as the generator emits most models: read
    /// through [`Lenient`], it must decode exactly as [`Model`] does.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Plain {
        id: String,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default, deserialize_with = "null_as_default")]
        attributes: BTreeMap<String, String>,
    }

    fn with_attributes(value: serde_json::Value) -> Result<Model, String> {
        let text = value.to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(&mut de)
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    fn through_the_adapter(value: serde_json::Value) -> Result<Model, String> {
        let text = value.to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(Lenient(&mut de))
            .map(|plain: Plain| Model {
                id: plain.id,
                name: plain.name,
                tags: plain.tags,
                attributes: plain.attributes,
            })
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    type Decoder = fn(serde_json::Value) -> Result<Model, String>;

    /// Both ways of decoding; every test holds for each.
    const DECODERS: [(&str, Decoder); 2] = [
        ("attributes", with_attributes),
        ("adapter", through_the_adapter),
    ];

    fn model(id: &str, name: Option<&str>) -> Model {
        Model {
            id: id.to_owned(),
            name: name.map(str::to_owned),
            tags: Vec::new(),
            attributes: BTreeMap::new(),
        }
    }

    #[test]
    fn numbers_where_a_string_is_declared_are_their_json_text() {
        for (how, decode) in DECODERS {
            for (number, text) in [
                (json!(123), "123"),
                (json!(-7), "-7"),
                (json!(u64::MAX), "18446744073709551615"),
                (json!(1.5), "1.5"),
                (json!(100.0), "100.0"),
                (json!(1e20), "1e+20"),
            ] {
                let decoded = decode(json!({"id": number, "name": number})).unwrap();
                assert_eq!(decoded, model(text, Some(text)), "{how}: {number}");
            }
            let decoded = decode(json!({"id": "a", "name": "b"})).unwrap();
            assert_eq!(decoded, model("a", Some("b")), "{how}");
        }
    }

    #[test]
    fn the_same_through_a_json_value_and_a_buffered_struct() {
        // Unions decode from a `serde_json::Value`; structs with `flatten` from serde's buffer.
        let value = json!({"id": 5, "name": 2.5});
        assert_eq!(Model::deserialize(&value).unwrap(), model("5", Some("2.5")));
        assert_eq!(
            Model::deserialize(value.clone()).unwrap(),
            model("5", Some("2.5"))
        );
        let plain = Plain::deserialize(Lenient(&value)).unwrap();
        assert_eq!(
            (plain.id.as_str(), plain.name.as_deref()),
            ("5", Some("2.5"))
        );

        #[derive(Debug, Deserialize)]
        struct Flattened {
            #[serde(deserialize_with = "string_or_number")]
            id: String,
            #[serde(flatten)]
            rest: BTreeMap<String, serde_json::Value>,
        }
        let decoded: Flattened = serde_json::from_str(r#"{"id": 42, "x": 1}"#).unwrap();
        assert_eq!(decoded.id, "42");
        assert_eq!(decoded.rest, BTreeMap::from([("x".to_owned(), json!(1))]));
    }

    #[test]
    fn null_and_missing_optional_strings_are_none() {
        for (how, decode) in DECODERS {
            let decoded = decode(json!({"id": "a", "name": null})).unwrap();
            assert_eq!(decoded, model("a", None), "{how}");
            assert_eq!(
                decode(json!({"id": "a"})).unwrap(),
                model("a", None),
                "{how}"
            );
        }
    }

    /// The error of each decoder for `value`, with serde_json's position checked to be right
    /// after `needle`; both must give the same.
    fn error_after(value: serde_json::Value, needle: &str) -> String {
        let text = value.to_string();
        let column = text.find(needle).expect("needle in the text") + needle.len();
        let messages: Vec<String> = DECODERS
            .iter()
            .map(|(how, decode)| {
                let error = decode(value.clone()).unwrap_err();
                error
                    .strip_suffix(&format!(" at line 1 column {column}"))
                    .unwrap_or_else(|| {
                        panic!("{how}: {error} (expected column {column} of {text})")
                    })
                    .to_owned()
            })
            .collect();
        assert_eq!(messages[0], messages[1], "the two decoders differ");
        messages[0].clone()
    }

    #[test]
    fn other_types_where_a_string_is_declared_are_errors() {
        assert_eq!(
            error_after(json!({"id": true}), r#""id":true"#),
            "id: invalid type: boolean `true`, expected a string"
        );
        assert_eq!(
            error_after(json!({"id": "a", "name": false}), r#""name":false"#),
            "name: invalid type: boolean `false`, expected a string"
        );
        assert_eq!(
            error_after(json!({"id": null}), r#""id":null"#),
            "id: invalid type: null, expected a string"
        );
        assert_eq!(
            error_after(json!({"id": ["a"]}), r#""id":["#),
            "id: invalid type: sequence, expected a string"
        );
        assert_eq!(
            error_after(json!({"id": {"a": 1}}), r#""id":{"#),
            "id: invalid type: map, expected a string"
        );
        assert_eq!(
            error_after(json!({"name": "a"}), r#"{"name":"a"}"#),
            ".: missing field `id`"
        );
    }

    #[test]
    fn null_and_missing_required_collections_are_empty() {
        for (how, decode) in DECODERS {
            let decoded = decode(json!({"id": "a", "tags": null, "attributes": null})).unwrap();
            assert_eq!(decoded, model("a", None), "{how}");
            assert_eq!(
                decode(json!({"id": "a"})).unwrap(),
                model("a", None),
                "{how}"
            );
            let value = json!({"id": "a", "tags": ["x"], "attributes": {"k": "v"}});
            let decoded = decode(value).unwrap();
            assert_eq!(decoded.tags, ["x"], "{how}");
            assert_eq!(
                decoded.attributes,
                BTreeMap::from([("k".to_owned(), "v".to_owned())]),
                "{how}"
            );
        }
    }

    #[test]
    fn a_null_inside_a_required_collection_is_still_an_error() {
        assert_eq!(
            error_after(json!({"id": "a", "tags": ["x", null]}), r#"["x",null"#),
            "tags[1]: invalid type: null, expected a string"
        );
        assert_eq!(
            error_after(json!({"id": "a", "attributes": {"k": null}}), r#""k":null"#),
            "attributes.k: invalid type: null, expected a string"
        );
    }

    #[test]
    fn the_adapter_leaves_other_types_alone() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Other {
            count: i64,
            #[serde(default)]
            day: Option<crate::Date>,
            #[serde(default)]
            words: Option<Vec<String>>,
            raw: serde_json::Value,
        }
        let decode = |text: &str| {
            let mut de = serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize::<_, Other>(Lenient(&mut de))
                .map_err(|e| format!("{}: {}", e.path(), e.inner()))
        };
        let decoded =
            decode(r#"{"count": 3, "words": null, "raw": {"n": 1, "s": [null]}}"#).unwrap();
        assert_eq!(decoded.words, None, "an optional list's null stays None");
        assert_eq!(decoded.raw, json!({"n": 1, "s": [null]}));
        let error = decode(r#"{"count": "3", "raw": 1}"#).unwrap_err();
        assert!(error.starts_with("count: invalid type: string"), "{error}");
        let error = decode(r#"{"count": 3, "day": 20240101, "raw": 1}"#).unwrap_err();
        assert!(error.starts_with("day: invalid type: integer"), "{error}");
    }
}
