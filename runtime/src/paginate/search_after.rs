//! Search-after pagination: the next page starts after the sort values of the last item.
//!
//! Offsets do not reach past the first 10,000 hits of a search, so a search is paged by
//! sort values instead: the request body's sort list is sent on every page, and from the
//! second page on its `searchAfter` holds the values of those sort fields in the last item
//! received. The sort must identify an item uniquely, otherwise items that share the values at
//! a page boundary are skipped; so a tie-breaker field (`id`) is appended to the sort unless
//! it is already there.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::PageSettings;
use crate::error::{DecodeError, EncodeError, Error};
use crate::request::{Body, Request};

/// Settings of search-after pagination. The defaults match the Identity Security Cloud search
/// API: sort list in the body's `sort`, cursor in `searchAfter`, tie-breaker `id`, `limit` and
/// `count=true` (first page) in the query, total in `X-Total-Count`, 250 per page, no maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchAfterPagination {
    pub(super) sort_field: &'static str,
    pub(super) after_field: &'static str,
    pub(super) tiebreaker: Option<&'static str>,
    pub(super) page: PageSettings,
}

impl Default for SearchAfterPagination {
    fn default() -> Self {
        Self {
            sort_field: "sort",
            after_field: "searchAfter",
            tiebreaker: Some("id"),
            page: PageSettings::default(),
        }
    }
}

impl SearchAfterPagination {
    /// The defaults (see the type's documentation).
    pub fn new() -> Self {
        Self::default()
    }

    /// Body property holding the list of sort fields (default `sort`). A field may start with
    /// `+` or `-` (the direction) and may be a dotted path into the item (`source.name`).
    pub fn sort_field(mut self, name: &'static str) -> Self {
        self.sort_field = name;
        self
    }

    /// Body property that receives the last item's sort values (default `searchAfter`).
    pub fn after_field(mut self, name: &'static str) -> Self {
        self.after_field = name;
        self
    }

    /// Field appended to the sort when the sort does not name it (default `Some("id")`), so that
    /// the sort is unique; `None` sends the sort as it is (a body without sort is then an error).
    pub fn tiebreaker(mut self, field: Option<&'static str>) -> Self {
        self.tiebreaker = field;
        self
    }

    /// Name of the limit query parameter (default `limit`).
    pub fn limit_param(mut self, name: &'static str) -> Self {
        self.page.limit_param = name;
        self
    }

    /// Name of the query parameter sent as `<name>=true` on the first page to ask for the total
    /// (default `Some("count")`); `None` never asks.
    pub fn count_param(mut self, name: Option<&'static str>) -> Self {
        self.page.count_param = name;
        self
    }

    /// Response header holding the total number of hits (default `X-Total-Count`).
    pub fn total_header(mut self, name: &'static str) -> Self {
        self.page.total_header = name;
        self
    }

    /// Items asked for per page (default 250); 0 counts as 1.
    pub fn page_size(mut self, size: u64) -> Self {
        self.page.page_size = size.max(1);
        self
    }

    /// Stops after this many items (decode failures count as items); `None` = all.
    pub fn max_items(mut self, max: Option<u64>) -> Self {
        self.page.max_items = max;
        self
    }
}

/// The body of a search being paged and the cursor into it.
#[derive(Debug)]
pub(super) struct SearchCursor {
    pub(super) settings: SearchAfterPagination,
    content_type: &'static str,
    body: Map<String, Value>,
    /// The sort fields without direction, as paths into an item.
    sort_paths: Vec<Vec<String>>,
}

impl SearchCursor {
    /// Reads the template's JSON body and completes its sort; a body that is not a JSON object,
    /// or a search without any sort field, is an encode error. A `searchAfter` already in the
    /// body is kept: the listing resumes after it.
    pub(super) fn new(template: &Request, settings: SearchAfterPagination) -> Result<Self, Error> {
        let operation_id = template.operation().operation_id;
        let encode_error =
            |message: String| Error::Encode(EncodeError::new(Some(operation_id), message, None));
        let object_body = match template.body() {
            Body::Bytes { content_type, data } => match serde_json::from_slice::<Value>(data) {
                Ok(Value::Object(body)) => Some((*content_type, body)),
                _ => None,
            },
            _ => None,
        };
        let Some((content_type, mut body)) = object_body else {
            return Err(encode_error(
                "search-after pagination needs a JSON object body".to_owned(),
            ));
        };
        let mut sort: Vec<String> = match body.get(settings.sort_field) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(fields)) => {
                let mut sort = Vec::with_capacity(fields.len());
                for field in fields {
                    match field {
                        Value::String(field) => sort.push(field.clone()),
                        _ => {
                            return Err(encode_error(format!(
                                "the body's `{}` must list field names",
                                settings.sort_field
                            )));
                        }
                    }
                }
                sort
            }
            Some(_) => {
                return Err(encode_error(format!(
                    "the body's `{}` must be an array of field names",
                    settings.sort_field
                )));
            }
        };
        if let Some(tiebreaker) = settings.tiebreaker
            && !sort
                .iter()
                .any(|field| strip_direction(field) == tiebreaker)
        {
            sort.push(tiebreaker.to_owned());
        }
        if sort.is_empty() {
            return Err(encode_error(format!(
                "search-after pagination needs at least one field in the body's `{}`",
                settings.sort_field
            )));
        }
        let sort_paths = sort
            .iter()
            .map(|field| {
                strip_direction(field)
                    .split('.')
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        body.insert(
            settings.sort_field.to_owned(),
            Value::Array(sort.into_iter().map(Value::String).collect()),
        );
        Ok(Self {
            settings,
            content_type,
            body,
            sort_paths,
        })
    }

    /// The sort values the next page starts after (`None` before the first page).
    pub(super) fn after(&self) -> Option<&Vec<Value>> {
        match self.body.get(self.settings.after_field) {
            Some(Value::Array(values)) => Some(values),
            _ => None,
        }
    }

    /// Moves the cursor to a resume point's sort values (`None`: the start).
    pub(super) fn set_after(&mut self, values: Option<Vec<Value>>) {
        match values {
            Some(values) => {
                self.body
                    .insert(self.settings.after_field.to_owned(), Value::Array(values));
            }
            None => {
                self.body.shift_remove(self.settings.after_field);
            }
        }
    }

    /// Writes the body of the next page into `request`.
    pub(super) fn write_body(&self, request: &mut Request) -> Result<(), Error> {
        request.json_with_content_type(self.content_type, &self.body)
    }

    /// Moves the cursor after `last`, the last item of a full page at absolute position
    /// `index`. An item without a value for a sort field is a decode error naming the field:
    /// the next page cannot be asked for.
    pub(super) fn advance(
        &mut self,
        last: &str,
        index: u64,
        operation_id: &'static str,
        status: http::StatusCode,
    ) -> Result<(), Error> {
        let item: Value = serde_json::from_str(last).unwrap_or(Value::Null);
        let mut values = Vec::with_capacity(self.sort_paths.len());
        for path in &self.sort_paths {
            let value = path
                .iter()
                .try_fold(&item, |value, segment| value.get(segment.as_str()));
            match value {
                Some(value) if !value.is_null() => values.push(value.clone()),
                _ => {
                    let field = path.join(".");
                    return Err(Error::Decode(DecodeError::new(
                        operation_id,
                        status,
                        format!("[{index}].{field}"),
                        format!(
                            "the last item of the page has no value for the sort field \
                             `{field}`, so the page after it cannot be requested"
                        ),
                        Bytes::copy_from_slice(last.as_bytes()),
                        None,
                    )));
                }
            }
        }
        self.body
            .insert(self.settings.after_field.to_owned(), Value::Array(values));
        Ok(())
    }
}

/// `-created` and `+created` sort by `created`.
fn strip_direction(field: &str) -> &str {
    field.trim().trim_start_matches(['+', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::OperationInfo;

    static SEARCH: OperationInfo = OperationInfo {
        operation_id: "searchPost",
        method: "POST",
        path: "/v3/search",
        tag: "Search",
        experimental: false,
        deprecated: false,
        retry_safe: true,
    };

    fn template(body: Value) -> Request {
        let mut request = Request::new(&SEARCH, "/v3/search".to_owned());
        request.json(&body).unwrap();
        request
    }

    fn sent_body(cursor: &SearchCursor) -> Value {
        let mut request = Request::new(&SEARCH, "/v3/search".to_owned());
        cursor.write_body(&mut request).unwrap();
        match request.body() {
            Body::Bytes { data, .. } => serde_json::from_slice(data).unwrap(),
            other => panic!("unexpected body {other:?}"),
        }
    }

    #[test]
    fn tiebreaker_is_appended_once() {
        let settings = SearchAfterPagination::new;
        let cursor = SearchCursor::new(&template(serde_json::json!({})), settings()).unwrap();
        assert_eq!(sent_body(&cursor)["sort"], serde_json::json!(["id"]));
        let body = serde_json::json!({"sort": ["-created"]});
        let cursor = SearchCursor::new(&template(body), settings()).unwrap();
        assert_eq!(
            sent_body(&cursor)["sort"],
            serde_json::json!(["-created", "id"])
        );
        let body = serde_json::json!({"sort": ["name", "-id"]});
        let cursor = SearchCursor::new(&template(body), settings()).unwrap();
        assert_eq!(
            sent_body(&cursor)["sort"],
            serde_json::json!(["name", "-id"])
        );
    }

    #[test]
    fn unusable_bodies_are_encode_errors() {
        let no_tiebreaker = SearchAfterPagination::new().tiebreaker(None);
        let error = SearchCursor::new(&template(serde_json::json!({})), no_tiebreaker).unwrap_err();
        assert!(error.to_string().contains("at least one field"), "{error}");
        let error = SearchCursor::new(
            &template(serde_json::json!({"sort": "name"})),
            SearchAfterPagination::new(),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("array of field names"),
            "{error}"
        );
        let error = SearchCursor::new(
            &template(serde_json::json!([1])),
            SearchAfterPagination::new(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("JSON object body"), "{error}");
        let empty = Request::new(&SEARCH, "/v3/search".to_owned());
        assert!(SearchCursor::new(&empty, SearchAfterPagination::new()).is_err());
    }

    #[test]
    fn cursor_takes_nested_sort_values_of_the_last_item() {
        let body = serde_json::json!({"sort": ["-source.name", "created"]});
        let mut cursor = SearchCursor::new(&template(body), SearchAfterPagination::new()).unwrap();
        let last = r#"{"id":"a1","created":"2024-01-02T00:00:00Z","source":{"name":"HR"}}"#;
        cursor
            .advance(last, 249, "searchPost", http::StatusCode::OK)
            .unwrap();
        assert_eq!(
            sent_body(&cursor)["searchAfter"],
            serde_json::json!(["HR", "2024-01-02T00:00:00Z", "a1"])
        );
        let error = cursor
            .advance(
                r#"{"id":"a2","created":null}"#,
                499,
                "searchPost",
                http::StatusCode::OK,
            )
            .unwrap_err();
        let Error::Decode(error) = error else {
            panic!("decode error expected")
        };
        assert_eq!(error.path(), "[499].source.name");
    }
}
