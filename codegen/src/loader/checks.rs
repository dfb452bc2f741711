//! What the loader knows about the shape of OpenAPI objects: which keys openapiv3 reads, how to
//! check one node against openapiv3, and how to find the innermost schema it rejects.

use serde_json::Value;

use super::pointer::child;

/// The objects the loader inlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    Example,
    MediaType,
    Encoding,
    Callback,
}

impl Kind {
    pub fn what(self) -> &'static str {
        match self {
            Kind::PathItem => "path item",
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::RequestBody => "request body",
            Kind::Response => "response",
            Kind::Header => "header",
            Kind::Example => "example",
            Kind::MediaType => "media type",
            Kind::Encoding => "encoding",
            Kind::Callback => "callback",
        }
    }

    /// Keys openapiv3 reads on this object (besides `x-` extensions); `None` = any key.
    fn known(self) -> Option<&'static [&'static str]> {
        Some(match self {
            Kind::PathItem => &[
                "$ref",
                "summary",
                "description",
                "servers",
                "parameters",
                "get",
                "put",
                "post",
                "delete",
                "options",
                "head",
                "patch",
                "trace",
            ],
            Kind::Operation => &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "parameters",
                "requestBody",
                "responses",
                "callbacks",
                "deprecated",
                "security",
                "servers",
            ],
            Kind::Parameter => &[
                "name",
                "in",
                "description",
                "required",
                "deprecated",
                "allowEmptyValue",
                "style",
                "explode",
                "allowReserved",
                "schema",
                "example",
                "examples",
                "content",
            ],
            Kind::Header => &[
                "description",
                "required",
                "deprecated",
                "style",
                "schema",
                "example",
                "examples",
                "content",
            ],
            Kind::RequestBody => &["description", "content", "required"],
            Kind::Response => &["description", "headers", "content", "links"],
            Kind::Example => &["summary", "description", "value", "externalValue"],
            Kind::MediaType => &["schema", "example", "examples", "encoding"],
            Kind::Encoding => &[
                "contentType",
                "headers",
                "style",
                "explode",
                "allowReserved",
            ],
            Kind::Callback => return None,
        })
    }
}

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A diagnostic for a key openapiv3 drops without a word, if `key` is one.
pub fn unknown_key(kind: Kind, key: &str) -> Option<String> {
    let known = kind.known()?;
    if key.starts_with("x-") || known.contains(&key) {
        return None;
    }
    let hint = match (kind, key) {
        (Kind::Parameter | Kind::Header, "default" | "enum" | "format" | "type") => {
            " (it belongs in `schema`)"
        }
        _ => "",
    };
    Some(format!(
        "`{key}` is not a field of a {}; openapiv3 ignores it{hint}",
        kind.what()
    ))
}

/// `200`, `2XX` or `default`.
pub fn is_status(key: &str) -> bool {
    if key == "default" {
        return true;
    }
    let b = key.as_bytes();
    b.len() == 3
        && (b'1'..=b'5').contains(&b[0])
        && ((b[1].is_ascii_digit() && b[2].is_ascii_digit())
            || (b[1..].eq_ignore_ascii_case(b"XX")))
}

/// A discriminator mapping value that is a reference rather than a bare schema name.
pub fn looks_like_ref(s: &str) -> bool {
    s.contains('#')
        || s.contains('/')
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| s.ends_with(ext))
}

/// Deserialize one inlined node into its openapiv3 type; the error message if that fails.
pub fn deserialize(kind: Kind, v: &Value) -> Result<(), String> {
    fn go<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(v.clone())
            .map(drop)
            .map_err(|e| e.to_string())
    }
    match kind {
        Kind::PathItem => go::<openapiv3::PathItem>(v),
        Kind::Operation => go::<openapiv3::Operation>(v),
        Kind::Parameter => go::<openapiv3::Parameter>(v),
        Kind::RequestBody => go::<openapiv3::RequestBody>(v),
        Kind::Response => go::<openapiv3::Response>(v),
        Kind::Header => go::<openapiv3::Header>(v),
        Kind::Example => go::<openapiv3::Example>(v),
        Kind::MediaType => go::<openapiv3::MediaType>(v),
        Kind::Encoding => go::<openapiv3::Encoding>(v),
        Kind::Callback => Ok(()),
    }
}

/// The innermost schema (pointer below `ptr`, and message) that openapiv3 rejects, if any.
/// Works on a processed schema: its shape mirrors the source, so pointers stay valid.
pub fn pinpoint_schema(v: &Value, ptr: &str) -> Option<(String, String)> {
    if let Value::Object(obj) = v {
        for (k, sub) in obj {
            let found = match (k.as_str(), sub) {
                ("properties", Value::Object(props)) => {
                    let base = child(ptr, k);
                    props
                        .iter()
                        .find_map(|(name, s)| pinpoint_schema(s, &child(&base, name)))
                }
                ("items" | "not" | "additionalProperties", Value::Object(_)) => {
                    pinpoint_schema(sub, &child(ptr, k))
                }
                ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => {
                    let base = child(ptr, k);
                    items
                        .iter()
                        .enumerate()
                        .find_map(|(i, s)| pinpoint_schema(s, &child(&base, &i.to_string())))
                }
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        if obj.len() == 1 && obj.get("$ref").is_some_and(Value::is_string) {
            return None;
        }
    }
    serde_json::from_value::<openapiv3::Schema>(v.clone())
        .err()
        .map(|e| (ptr.to_string(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        for ok in ["200", "2XX", "4xx", "default", "599"] {
            assert!(is_status(ok), "{ok}");
        }
        for bad in ["required", "content", "20", "600", "2000", "x-foo"] {
            assert!(!is_status(bad), "{bad}");
        }
    }

    #[test]
    fn pinpoints_innermost() {
        let v = serde_json::json!({"type": "object", "properties": {"a": {"type": 5}}});
        let (ptr, _) = pinpoint_schema(&v, "/s").unwrap();
        assert_eq!(ptr, "/s/properties/a");
        assert!(pinpoint_schema(&serde_json::json!({"$ref": "#/x"}), "").is_none());
    }
}
