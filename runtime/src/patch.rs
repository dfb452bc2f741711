//! JSON Patch documents (RFC 6902) written the way the API docs write them.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::{EncodeError, Error};

/// A JSON Patch document: `JsonPatch::new().replace("/capabilities", caps).remove("/x")`.
///
/// Values are anything `Serialize`, typed enums and models included, so what a call returned
/// can be patched back as it is. [`operations`](Self::operations) turns the document into the
/// operation type an API's patch call takes (`Vec<JsonPatchOperation>` in every version), so one
/// helper serves every version without code per operation:
///
/// ```
/// use isc_runtime::JsonPatch;
///
/// # fn main() -> Result<(), isc_runtime::Error> {
/// let capabilities = vec!["HELPDESK", "REPORT_ADMIN"];
/// let patch = JsonPatch::new()
///     .replace("/capabilities", &capabilities)
///     .remove("/description");
/// // With `isc-client`: `client.auth_users().v1().patch_auth_user(id, patch.operations()?)`.
/// let operations: Vec<serde_json::Value> = patch.operations()?;
/// assert_eq!(operations[0]["op"], "replace");
/// assert_eq!(operations[0]["value"][1], "REPORT_ADMIN");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JsonPatch {
    operations: Vec<Value>,
    /// The first value that could not be serialised, reported by `operations()`.
    failure: Option<String>,
}

impl JsonPatch {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `value` at `path` (into an object member, or before an array index; `-` appends).
    pub fn add(self, path: impl Into<String>, value: impl Serialize) -> Self {
        self.with_value("add", path.into(), value)
    }

    /// Replaces the value at `path`.
    pub fn replace(self, path: impl Into<String>, value: impl Serialize) -> Self {
        self.with_value("replace", path.into(), value)
    }

    /// Removes the value at `path`.
    pub fn remove(self, path: impl Into<String>) -> Self {
        self.push("remove", path.into(), None, None)
    }

    /// Checks that the value at `path` is `value` (the whole patch fails otherwise).
    pub fn test(self, path: impl Into<String>, value: impl Serialize) -> Self {
        self.with_value("test", path.into(), value)
    }

    /// Moves the value at `from` to `path`.
    pub fn move_to(self, from: impl Into<String>, path: impl Into<String>) -> Self {
        self.push("move", path.into(), None, Some(from.into()))
    }

    /// Copies the value at `from` to `path`.
    pub fn copy_to(self, from: impl Into<String>, path: impl Into<String>) -> Self {
        self.push("copy", path.into(), None, Some(from.into()))
    }

    /// The operations so far, as JSON.
    pub fn as_json(&self) -> &[Value] {
        &self.operations
    }

    /// Whether the document has no operation.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// The document as the operation type a patch call takes (`Vec<JsonPatchOperation>`), or an
    /// [`Error::Encode`] naming the value that could not be serialised or does not fit that
    /// type.
    pub fn operations<T: DeserializeOwned>(self) -> Result<Vec<T>, Error> {
        let encode = |message: String| Error::Encode(EncodeError::new(None, message, None));
        if let Some(failure) = self.failure {
            return Err(encode(failure));
        }
        self.operations
            .into_iter()
            .enumerate()
            .map(|(index, operation)| {
                serde_json::from_value(operation.clone()).map_err(|error| {
                    encode(format!(
                        "JSON Patch operation {index} ({operation}) does not fit the operation \
                         type: {error}"
                    ))
                })
            })
            .collect()
    }

    fn with_value(self, op: &'static str, path: String, value: impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.push(op, path, Some(value), None),
            Err(error) => {
                let mut patch = self;
                patch.failure.get_or_insert_with(|| {
                    format!("the value of the `{op}` at {path:?} cannot be serialised: {error}")
                });
                patch
            }
        }
    }

    fn push(
        mut self,
        op: &'static str,
        path: String,
        value: Option<Value>,
        from: Option<String>,
    ) -> Self {
        let mut operation = Map::new();
        operation.insert("op".to_owned(), Value::String(op.to_owned()));
        if let Some(from) = from {
            operation.insert("from".to_owned(), Value::String(from));
        }
        operation.insert("path".to_owned(), Value::String(path));
        if let Some(value) = value {
            operation.insert("value".to_owned(), value);
        }
        self.operations.push(Value::Object(operation));
        self
    }
}

impl Serialize for JsonPatch {
    /// The document itself: a JSON array of operations.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.operations.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Operation {
        op: String,
        path: String,
        #[serde(default)]
        value: Option<Value>,
        #[serde(default)]
        from: Option<String>,
    }

    #[test]
    fn reads_like_the_api_docs_and_serialises_as_rfc_6902() {
        #[derive(serde::Serialize)]
        enum Capability {
            #[serde(rename = "HELPDESK")]
            Helpdesk,
        }
        let patch = JsonPatch::new()
            .replace("/capabilities", [Capability::Helpdesk])
            .add("/tags/-", "vip")
            .remove("/description")
            .test("/name", "ann")
            .move_to("/a", "/b")
            .copy_to("/c", "/d");
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!([
                {"op": "replace", "path": "/capabilities", "value": ["HELPDESK"]},
                {"op": "add", "path": "/tags/-", "value": "vip"},
                {"op": "remove", "path": "/description"},
                {"op": "test", "path": "/name", "value": "ann"},
                {"op": "move", "from": "/a", "path": "/b"},
                {"op": "copy", "from": "/c", "path": "/d"},
            ])
        );
        let typed: Vec<Operation> = patch.operations().unwrap();
        assert_eq!(typed.len(), 6);
        assert_eq!(typed[4].from.as_deref(), Some("/a"));
    }

    #[test]
    fn a_value_that_cannot_be_serialised_is_an_encode_error_naming_it() {
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        let error = JsonPatch::new()
            .replace("/ok", 1)
            .add("/bad", map)
            .operations::<Operation>()
            .unwrap_err();
        assert!(matches!(error, Error::Encode(_)), "{error:?}");
        assert!(error.to_string().contains(r#"`add` at "/bad""#), "{error}");
    }

    #[test]
    fn an_operation_that_does_not_fit_the_type_names_its_index() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct OnlyStrings {
            value: String,
        }
        let error = JsonPatch::new()
            .replace("/a", "x")
            .replace("/b", 2)
            .operations::<OnlyStrings>()
            .unwrap_err();
        assert!(error.to_string().contains("operation 1"), "{error}");
    }
}
