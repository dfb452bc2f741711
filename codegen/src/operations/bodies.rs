//! Request bodies and success responses: which media type of a `content` map is used, what kind
//! of body it is (JSON, multipart, text, bytes) and the type its schema gets; the names of
//! response variants. Apart from `build` because media types are their own set of rules.

use openapiv3::{MediaType, ReferenceOr, RequestBody, Response, StatusCode};

use crate::naming::{UniqueNames, snake_name, type_name};
use crate::types::TypeRef;

use super::build::OperationBuilder;
use super::{Body, BodyKind, MultipartField, ResponseBody, SuccessResponse};

impl OperationBuilder<'_> {
    pub(super) fn body(
        &mut self,
        builder_name: &str,
        location: &str,
        names: &mut UniqueNames,
    ) -> Option<Body> {
        let body: &RequestBody = match self.op.request_body.as_ref()? {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                self.diagnostics.push(
                    location,
                    format!(
                        "request body is still a $ref ({reference}) after loading; it is skipped"
                    ),
                );
                return None;
            }
        };
        let (content_type, media) = pick_media(&body.content)?;
        if body.content.len() > 1 {
            let others: Vec<&str> = body
                .content
                .keys()
                .map(String::as_str)
                .filter(|c| *c != content_type)
                .collect();
            self.diagnostics.push(
                location,
                format!("request body offers several media types; `{content_type}` is used, not {others:?}"),
            );
        }
        let hint = format!("{builder_name}Request");
        let kind = match media_kind(content_type) {
            MediaKind::Json => BodyKind::Json {
                content_type: content_type.to_string(),
                ty: match &media.schema {
                    Some(schema) => self.types.type_for(
                        schema,
                        &hint,
                        &format!("{location} request body"),
                        self.diagnostics,
                    ),
                    None => TypeRef::Json,
                },
            },
            MediaKind::Multipart | MediaKind::Form => {
                let fields = self.multipart_fields(media, &hint, location, names);
                if media_kind(content_type) == MediaKind::Form {
                    self.diagnostics.push(
                        location,
                        format!("`{content_type}` body is sent as multipart/form-data"),
                    );
                }
                BodyKind::Multipart { fields }
            }
            MediaKind::Text => BodyKind::Text {
                content_type: content_type.to_string(),
            },
            MediaKind::Binary => BodyKind::Binary {
                content_type: content_type.to_string(),
            },
        };
        let examples = match &kind {
            BodyKind::Json { .. } => media_examples(media),
            _ => Vec::new(),
        };
        Some(Body {
            required: body.required,
            description: body.description.clone(),
            kind,
            schema: media.schema.clone(),
            examples,
        })
    }

    fn multipart_fields(
        &mut self,
        media: &MediaType,
        hint: &str,
        location: &str,
        names: &mut UniqueNames,
    ) -> Vec<MultipartField> {
        let Some(ReferenceOr::Item(schema)) = &media.schema else {
            let resolved = media.schema.as_ref().and_then(|s| match s {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| self.bundle.schemas.get(name))
                    .map(|bundled| bundled.schema.clone()),
                ReferenceOr::Item(_) => None,
            });
            return match resolved {
                Some(schema) => self.fields_of(&schema, hint, location, names),
                None => {
                    self.diagnostics.push(
                        location,
                        "multipart body has no object schema; it takes no fields",
                    );
                    Vec::new()
                }
            };
        };
        self.fields_of(schema, hint, location, names)
    }

    fn fields_of(
        &mut self,
        schema: &openapiv3::Schema,
        hint: &str,
        location: &str,
        names: &mut UniqueNames,
    ) -> Vec<MultipartField> {
        let (properties, required) = match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
                (&object.properties, &object.required)
            }
            openapiv3::SchemaKind::Any(any) => (&any.properties, &any.required),
            _ => {
                self.diagnostics.push(
                    location,
                    "multipart body schema is not an object; it takes no fields",
                );
                return Vec::new();
            }
        };
        if properties.is_empty() {
            self.diagnostics.push(
                location,
                "multipart body declares no fields; the caller passes a whole MultipartForm",
            );
        }
        properties
            .iter()
            .map(|(name, property)| {
                let property = property.clone().unbox();
                let ty = self.types.type_for(
                    &property,
                    &format!("{hint}{}", type_name(name)),
                    &format!("{location} multipart field {name}"),
                    self.diagnostics,
                );
                let file = ty == TypeRef::Binary
                    || matches!(&ty, TypeRef::Vec(inner) if **inner == TypeRef::Binary);
                let description = match &property {
                    ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                    ReferenceOr::Reference { .. } => None,
                };
                MultipartField {
                    rust_name: names.claim(&snake_name(name)),
                    name: name.clone(),
                    required: required.contains(name),
                    file,
                    ty,
                    description,
                    schema: property,
                }
            })
            .collect()
    }

    pub(super) fn responses(&mut self, builder_name: &str, location: &str) -> Vec<SuccessResponse> {
        let mut out = Vec::new();
        let mut candidates: Vec<(Option<u16>, &ReferenceOr<Response>)> = Vec::new();
        for (status, response) in &self.op.responses.responses {
            match status {
                StatusCode::Code(code) if (200..300).contains(code) => {
                    candidates.push((Some(*code), response))
                }
                StatusCode::Range(2) => candidates.push((None, response)),
                _ => {}
            }
        }
        if candidates.is_empty() {
            if let Some(default) = &self.op.responses.default {
                candidates.push((None, default));
            }
        }
        let several = candidates.len() > 1;
        for (status, response) in candidates {
            let response = match response {
                ReferenceOr::Item(response) => response,
                ReferenceOr::Reference { reference } => {
                    self.diagnostics.push(
                        location,
                        format!(
                            "response is still a $ref ({reference}) after loading; it is skipped"
                        ),
                    );
                    continue;
                }
            };
            let hint = match (several, status) {
                (true, Some(code)) => format!("{builder_name}{}Response", status_word(code)),
                _ => format!("{builder_name}Response"),
            };
            let media = match pick_media(&response.content) {
                // HTTP 204 has no body by definition (RFC 9110, 15.3.5), whatever the spec says.
                Some(_) if status == Some(204) => {
                    self.diagnostics.push(
                        location,
                        "response 204 (No Content) declares a body; a 204 has none, so it is ignored",
                    );
                    None
                }
                media => media,
            };
            let body = match media {
                None => ResponseBody::Empty,
                Some((content_type, media)) => {
                    let content_type = content_type.to_string();
                    match media_kind(&content_type) {
                        MediaKind::Json => ResponseBody::Json {
                            ty: match &media.schema {
                                Some(schema) => self.types.type_for(
                                    schema,
                                    &hint,
                                    &format!("{location} response {}", status_label(status)),
                                    self.diagnostics,
                                ),
                                None => TypeRef::Json,
                            },
                            content_type,
                        },
                        MediaKind::Text | MediaKind::Form => ResponseBody::Text { content_type },
                        MediaKind::Binary | MediaKind::Multipart => {
                            ResponseBody::Bytes { content_type }
                        }
                    }
                }
            };
            // A `string/binary` schema is a file whatever the media type says (specs label file
            // downloads `application/json` next to `image/png`): bytes, accepting every type offered.
            let body = match body {
                ResponseBody::Json {
                    ty: TypeRef::Binary,
                    ..
                } => ResponseBody::Bytes {
                    content_type: response
                        .content
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                },
                other => other,
            };
            let examples = match (&body, pick_media(&response.content)) {
                (ResponseBody::Json { .. }, Some((_, media))) => media_examples(media),
                _ => Vec::new(),
            };
            out.push(SuccessResponse {
                status,
                description: response.description.clone(),
                body,
                examples,
            });
        }
        if out.is_empty() {
            self.diagnostics.push(
                location,
                "no success response is declared; the call returns ()",
            );
        }
        out
    }
}

/// `example` and every inline `examples/<name>` value of a media type, labelled.
fn media_examples(media: &MediaType) -> Vec<(String, serde_json::Value)> {
    let mut examples = Vec::new();
    if let Some(value) = &media.example {
        examples.push(("example".to_owned(), value.clone()));
    }
    for (name, example) in &media.examples {
        if let ReferenceOr::Item(openapiv3::Example {
            value: Some(value), ..
        }) = example
        {
            examples.push((format!("examples/{name}"), value.clone()));
        }
    }
    examples
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Multipart,
    Form,
    Text,
    Binary,
}

fn media_kind(content_type: &str) -> MediaKind {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        MediaKind::Json
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/xml" | "application/csv" | "application/yaml"
        )
    {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// JSON first (the typed choice), then the order of the spec.
fn pick_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(ct, _)| media_kind(ct) == MediaKind::Json)
        .or_else(|| content.iter().next())
        .map(|(ct, media)| (ct.as_str(), media))
}

/// Variant name of a status in a response enum.
pub fn status_word(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        other => format!("Status{other}"),
    }
}

fn status_label(status: Option<u16>) -> String {
    status
        .map(|code| code.to_string())
        .unwrap_or_else(|| "2XX".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_kinds() {
        assert_eq!(media_kind("application/json"), MediaKind::Json);
        assert_eq!(media_kind("application/json-patch+json"), MediaKind::Json);
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("multipart/form-data"), MediaKind::Multipart);
        assert_eq!(media_kind("text/csv"), MediaKind::Text);
        assert_eq!(media_kind("application/xml"), MediaKind::Text);
        assert_eq!(media_kind("application/zip"), MediaKind::Binary);
        assert_eq!(media_kind("image/png"), MediaKind::Binary);
    }

    #[test]
    fn status_words() {
        assert_eq!(status_word(200), "Ok");
        assert_eq!(status_word(204), "NoContent");
        assert_eq!(status_word(299), "Status299");
    }
}
