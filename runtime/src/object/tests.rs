//! A model written by hand the way the generator writes one, read and written back.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::*;
use crate::DateTime;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
struct Owner {
    id: String,
}

/// `id` (required text), `index` (optional text), `tags` (required list of text), `owners`
/// (required list of models), `owner` (optional model), `created` (optional date-time).
#[derive(Debug, Clone, PartialEq)]
struct Source {
    id: String,
    index: Option<String>,
    tags: Vec<String>,
    owners: Vec<Owner>,
    owner: Option<Owner>,
    created: Option<DateTime>,
    extra: Extra,
}

const FIELDS: &[&str] = &["id", "index", "tags", "owners", "owner", "created"];

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Source;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                expecting_object(f, "Source")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Source, A::Error> {
                let mut map = Members::new(map, FIELDS);
                let mut id = None;
                let mut index = None;
                let mut tags = None;
                let mut owners = None;
                let mut owner = None;
                let mut created = None;
                while let Some(member) = map.next_declared()? {
                    match member {
                        0 => id = Some(map.scalar("id")?),
                        1 => index = map.scalar("index")?,
                        2 => tags = Some(map.scalar("tags")?),
                        3 => owners = Some(map.nullable("owners")?),
                        4 => owner = map.nullable("owner")?,
                        5 => created = map.scalar("created")?,
                        _ => map.skip()?,
                    }
                }
                Ok(Source {
                    id: required(id, "id")?,
                    index,
                    tags: map.or_empty(tags, "tags"),
                    owners: map.or_empty(owners, "owners"),
                    owner,
                    created,
                    extra: map.into_extra(),
                })
            }
        }
        deserializer.deserialize_map(Fields)
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = begin(serializer, &self.extra)?;
        object.field("id", &self.id)?;
        object.optional("index", &self.index)?;
        object.field("tags", &self.tags)?;
        object.field("owners", &self.owners)?;
        object.optional("owner", &self.owner)?;
        object.optional("created", &self.created)?;
        object.end(FIELDS)
    }
}

/// Reads `json` through the client's lenient reader.
fn read(json: &Value) -> Source {
    Source::deserialize(Lenient(json)).unwrap()
}

fn round_trip(json: Value) -> (Source, Value) {
    let source = read(&json);
    let written = serde_json::to_value(&source).unwrap();
    (source, written)
}

#[test]
fn undeclared_members_are_kept_and_written_back_after_the_declared_ones() {
    let json = json!({
        "id": "s1", "tags": [], "owners": [],
        "schemas": [{"configuration": {"a": 1}}], "cancelable": true,
    });
    let (source, written) = round_trip(json.clone());
    assert_eq!(source.extra.len(), 2);
    assert_eq!(source.extra.get("cancelable"), Some(&json!(true)));
    assert_eq!(written, json);
    let keys: Vec<&String> = written.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "tags", "owners", "schemas", "cancelable"]);
}

#[test]
fn an_undeclared_member_can_be_changed_added_and_removed() {
    let mut source = read(&json!({"id": "s1", "tags": [], "owners": [], "a": 1}));
    *source.extra.get_mut("a").unwrap() = json!(2);
    source.extra.insert("b", "x");
    // A declared name in `extra` is never written twice: the field wins.
    source.extra.insert("id", "ignored");
    let written = serde_json::to_value(&source).unwrap();
    assert_eq!(
        written,
        json!({"id": "s1", "tags": [], "owners": [], "a": 2, "b": "x"})
    );
    assert_eq!(source.extra.remove("a"), Some(json!(2)));
}

#[test]
fn a_number_read_as_text_is_written_back_as_the_number() {
    let json = json!({"id": 42, "index": 1, "tags": ["a", 7], "owners": []});
    let (source, written) = round_trip(json.clone());
    assert_eq!(source.id, "42");
    assert_eq!(source.index.as_deref(), Some("1"));
    assert_eq!(source.tags, ["a", "7"]);
    assert!(source.extra.was_read_leniently("id"));
    assert_eq!(written, json);
    // Undeclared members are untouched by the record of lenient readings.
    assert!(source.extra.is_empty());
}

#[test]
fn a_changed_field_is_written_from_its_value() {
    let mut source = read(&json!({"id": 42, "index": 1, "tags": [7], "owners": []}));
    source.index = Some("2".to_owned());
    source.tags.push("b".to_owned());
    let written = serde_json::to_value(&source).unwrap();
    assert_eq!(
        written,
        json!({"id": 42, "index": "2", "tags": ["7", "b"], "owners": []})
    );
}

#[test]
fn null_and_missing_required_lists_are_written_back_as_they_came() {
    let json = json!({"id": "s1", "tags": null});
    let (source, written) = round_trip(json.clone());
    assert!(source.tags.is_empty() && source.owners.is_empty());
    assert_eq!(written, json);
    let json = json!({"id": "s1", "owners": null});
    assert_eq!(round_trip(json.clone()).1, json);
    // Filled in by the caller: written.
    let mut source = read(&json!({"id": "s1"}));
    source.owners.push(Owner { id: "o".into() });
    assert_eq!(
        serde_json::to_value(&source).unwrap(),
        json!({"id": "s1", "owners": [{"id": "o"}]})
    );
}

#[test]
fn a_null_optional_member_is_written_back_null_and_a_missing_one_left_out() {
    let json = json!({"id": "s1", "tags": [], "owners": [], "owner": null, "index": null});
    assert_eq!(round_trip(json.clone()).1, json);
    let json = json!({"id": "s1", "tags": [], "owners": []});
    assert_eq!(round_trip(json.clone()).1, json);
}

#[test]
fn epoch_milliseconds_are_written_back_as_they_came() {
    let json = json!({"id": "s1", "tags": [], "owners": [], "created": 1_700_000_000_000_i64});
    let (source, written) = round_trip(json.clone());
    assert_eq!(source.created.unwrap().to_string(), "2023-11-14T22:13:20Z");
    assert_eq!(written, json);
}

#[test]
fn a_model_reads_drift_whatever_reads_it() {
    // serde_json's own reader is not lenient, but a model's member reader is (when the
    // generator's switch says so), and keeps the original.
    let json = json!({"id": 42, "tags": [], "owners": []});
    let source = serde_json::from_value::<Source>(json).unwrap();
    assert_eq!(serde_json::to_value(&source).unwrap()["id"], json!(42));
}

#[test]
fn a_failure_names_the_member_and_the_path_inside_it() {
    let json = r#"{"id": "s1", "tags": ["a", {"b": 1}], "owners": []}"#;
    let mut de = serde_json::Deserializer::from_str(json);
    let error = serde_path_to_error::deserialize::<_, Source>(Lenient(&mut de)).unwrap_err();
    assert_eq!(error.path().to_string(), "tags");
    assert!(error.inner().to_string().contains("at [1]"), "{error}");
    // The same with nothing a lenient reading could change in the list.
    let json = r#"{"id": "s1", "tags": ["a", ["b"]], "owners": []}"#;
    let mut de = serde_json::Deserializer::from_str(json);
    let error = serde_path_to_error::deserialize::<_, Source>(Lenient(&mut de)).unwrap_err();
    assert_eq!(error.path().to_string(), "tags");
    assert!(error.inner().to_string().contains("at [1]"), "{error}");
    let missing = serde_json::from_str::<Source>(r#"{"tags": []}"#).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `id`"),
        "{missing}"
    );
}

#[test]
fn equality_and_debug_show_the_undeclared_members_only() {
    let a = read(&json!({"id": 1, "tags": [], "owners": [], "x": 1}));
    let b = read(&json!({"id": "1", "tags": [], "owners": [], "x": 1}));
    assert_eq!(a, b);
    assert_eq!(format!("{:?}", a.extra), r#"{"x": Number(1)}"#);
    assert_eq!(format!("{:?}", Extra::new()), "{}");
}
