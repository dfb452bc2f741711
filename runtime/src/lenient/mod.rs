//! The drift between the spec and what the API really sends (see the README, "Drift policy").
//!
//! Only drift that can be decoded without inventing information is decoded: a `null` list is an
//! empty one, a number where a string is declared is its JSON text. Everything else (a `null` or
//! missing required scalar, a string where a number is declared, a boolean where a string is
//! declared) stays an error naming the field.
//!
//! The client reads every body through [`Lenient`], which does this for every value at no cost
//! per model; the generated models read their members through it too (the `object` module),
//! which also keeps the original of every lenient reading, counted here.

mod deserializer;

use std::cell::Cell;

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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    /// A model as serde derives it, without any per-field attribute: read through [`Lenient`].
    #[derive(Debug, PartialEq, Deserialize)]
    struct Model {
        id: String,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        attributes: BTreeMap<String, String>,
    }

    fn decode(value: serde_json::Value) -> Result<Model, String> {
        let text = value.to_string();
        let mut de = serde_json::Deserializer::from_str(&text);
        serde_path_to_error::deserialize(Lenient(&mut de))
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

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
        for (number, text) in [
            (json!(123), "123"),
            (json!(-7), "-7"),
            (json!(u64::MAX), "18446744073709551615"),
            (json!(1.5), "1.5"),
            (json!(100.0), "100.0"),
            (json!(1e20), "1e+20"),
        ] {
            let before = lenient_readings();
            let decoded = decode(json!({"id": number, "name": number})).unwrap();
            assert_eq!(decoded, model(text, Some(text)), "{number}");
            assert_eq!(lenient_readings() - before, 2, "each reading counted");
        }
        let before = lenient_readings();
        let decoded = decode(json!({"id": "a", "name": "b"})).unwrap();
        assert_eq!(decoded, model("a", Some("b")));
        assert_eq!(lenient_readings(), before, "nothing read leniently");
    }

    #[test]
    fn the_same_through_a_json_value() {
        // Unions decode their variants from a `serde_json::Value`.
        let value = json!({"id": 5, "name": 2.5});
        assert_eq!(
            Model::deserialize(Lenient(&value)).unwrap(),
            model("5", Some("2.5"))
        );
        assert_eq!(
            Model::deserialize(Lenient(value)).unwrap(),
            model("5", Some("2.5"))
        );
    }

    #[test]
    fn null_and_missing_optional_strings_are_none() {
        let decoded = decode(json!({"id": "a", "name": null})).unwrap();
        assert_eq!(decoded, model("a", None));
        assert_eq!(decode(json!({"id": "a"})).unwrap(), model("a", None));
    }

    /// The error for `value`, with serde_json's position checked to be right after `needle`.
    fn error_after(value: serde_json::Value, needle: &str) -> String {
        let text = value.to_string();
        let column = text.find(needle).expect("needle in the text") + needle.len();
        let error = decode(value).unwrap_err();
        error
            .strip_suffix(&format!(" at line 1 column {column}"))
            .unwrap_or_else(|| panic!("{error} (expected column {column} of {text})"))
            .to_owned()
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
    fn null_and_missing_required_lists_are_empty() {
        let decoded = decode(json!({"id": "a", "tags": null})).unwrap();
        assert_eq!(decoded, model("a", None));
        assert_eq!(decode(json!({"id": "a"})).unwrap(), model("a", None));
        let value = json!({"id": "a", "tags": ["x"], "attributes": {"k": "v"}});
        let decoded = decode(value).unwrap();
        assert_eq!(decoded.tags, ["x"]);
        assert_eq!(
            decoded.attributes,
            BTreeMap::from([("k".to_owned(), "v".to_owned())])
        );
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
