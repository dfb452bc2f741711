//! What a generated client offers the code that calls it, as plain data: operations (how they are
//! called, what they send and answer) and models (fields, enum values, union variants), read off
//! the operation and type models.
//!
//! What changes between two surfaces is in `diff` (re-exported here): two specs are compared by
//! what would change for a user of the generated client, not by how their YAML differs. It is
//! apart because it only reads surfaces, and the migration between versions reuses its rules.

mod diff;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::config::GeneratorConfig;
use crate::diagnostics::Diagnostics;
use crate::operations::{Api, BodyKind, ParamLocation, ResponseBody};
use crate::types::{TypeRef, TypeSpace};

pub use self::diff::{
    Change, ChangeKind, Impact, OperationDifference, Part, Subject, diff, model_changes,
    operation_changes, params_by_old_names, renames, same_text,
};

/// The client's surface of one API version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// By operationId.
    pub operations: BTreeMap<String, OperationSurface>,
    /// By Rust type name.
    pub models: BTreeMap<String, ModelSurface>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSurface {
    pub method: String,
    /// Path template without the base path (`/accounts/{id}`), so that two versions compare.
    pub path: String,
    /// The group (tag module) and method that call it: `accounts().list_accounts()`.
    pub call: String,
    /// Parameters and multipart fields by Rust name.
    pub params: BTreeMap<String, ParamSurface>,
    /// The path parameters (the method's first arguments) in template order, by Rust name.
    pub path_params: Vec<String>,
    /// The JSON body's type (or `text`, `bytes`, `multipart`), and whether it is required.
    pub body: Option<(String, bool)>,
    /// What `send()` returns.
    pub response: String,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSurface {
    /// `path`, `query`, `header` or `form`.
    pub location: &'static str,
    /// A method argument rather than a builder setter.
    pub required: bool,
    pub ty: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSurface {
    /// Fields by Rust name: type as declared (`Option<String>`).
    Struct(BTreeMap<String, String>),
    /// Values as sent on the wire.
    StringEnum(BTreeSet<String>),
    /// Variants by name: their type.
    Union(BTreeMap<String, String>),
    Alias(String),
}

impl ModelSurface {
    /// What its members are called: `field`, `value`, `variant` (`type` for an alias).
    fn member_noun(&self) -> &'static str {
        match self {
            ModelSurface::Struct(_) => "field",
            ModelSurface::StringEnum(_) => "value",
            ModelSurface::Union(_) => "variant",
            ModelSurface::Alias(_) => "type",
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ModelSurface::Struct(_) => "struct",
            ModelSurface::StringEnum(_) => "string enum",
            ModelSurface::Union(_) => "union",
            ModelSurface::Alias(_) => "type alias",
        }
    }
}

/// A version's surface, and the overlay actions that were left out because they no longer apply
/// to its spec (the surface is the spec's with the other actions applied).
#[derive(Debug, Default)]
pub struct Modelled {
    pub surface: Surface,
    pub overlays_left_out: Vec<crate::loader::LoadError>,
}

/// Load and model one version (overlays applied) and return its surface; nothing is emitted.
pub fn surface(config: &GeneratorConfig, spec_dir: &Path) -> Result<Modelled, crate::Error> {
    let mut diagnostics = Diagnostics::default();
    let (bundle, overlays_left_out) = crate::load_with_overlays(config, spec_dir)?;
    let mut types = crate::type_space(config, &bundle, &mut diagnostics)?;
    let api = Api::build(&bundle, config, &mut types, &mut diagnostics)?;
    Ok(Modelled {
        surface: Surface::of(&api, &types),
        overlays_left_out,
    })
}

impl Surface {
    /// The surface of a modelled version.
    pub(crate) fn of(api: &Api, types: &TypeSpace) -> Surface {
        Surface {
            operations: operations(api),
            models: model_surfaces(types),
        }
    }
}

/// A path template with its placeholders unnamed (`/accounts/{id}` gives `/accounts/{}`): two
/// templates with the same key send the same request, whatever the spec calls the placeholders.
pub fn route_key(path: &str) -> String {
    let mut key = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_placeholder = true;
                key.push('{');
            }
            '}' if in_placeholder => {
                in_placeholder = false;
                key.push('}');
            }
            _ if in_placeholder => {}
            _ => key.push(c),
        }
    }
    key
}

/// A type text (see [`OperationSurface::response`], [`ModelSurface`]) as tokens: names
/// (`Vec`, `Account`, `i64`, `200`) and single punctuation characters; spaces are dropped.
/// Two types are written alike when their tokens are equal.
pub fn type_tokens(ty: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in ty.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, Some(s)) => {
                tokens.push(&ty[s..i]);
                start = None;
            }
            (false, None) => {}
        }
        if !word && !c.is_whitespace() {
            tokens.push(&ty[i..i + c.len_utf8()]);
        }
    }
    if let Some(s) = start {
        tokens.push(&ty[s..]);
    }
    tokens
}

/// Each model as code using it sees it.
fn model_surfaces(types: &TypeSpace) -> BTreeMap<String, ModelSurface> {
    use crate::types::ir;
    types
        .models()
        .iter()
        .map(|model| {
            let surface = match &model.kind {
                ir::ModelKind::Struct(s) => {
                    let mut fields: BTreeMap<String, String> = s
                        .fields
                        .iter()
                        .map(|f| {
                            let ty = type_text(&f.ty);
                            let optional = !f.required || f.nullable;
                            let ty = if optional {
                                format!("Option<{ty}>")
                            } else {
                                ty
                            };
                            (f.ident.clone(), ty)
                        })
                        .collect();
                    if let Some((ident, ty)) = &s.additional {
                        fields.insert(
                            ident.clone(),
                            format!("BTreeMap<String, {}>", type_text(ty)),
                        );
                    }
                    ModelSurface::Struct(fields)
                }
                ir::ModelKind::StringEnum(variants) => {
                    ModelSurface::StringEnum(variants.iter().map(|v| v.wire.clone()).collect())
                }
                ir::ModelKind::Union(u) => ModelSurface::Union(
                    u.variants
                        .iter()
                        .map(|v| (v.ident.clone(), type_text(&v.ty)))
                        .collect(),
                ),
                ir::ModelKind::Alias(ty) => ModelSurface::Alias(type_text(ty)),
            };
            (model.name.clone(), surface)
        })
        .collect()
}

/// A type as a user reads it in the generated code.
pub(crate) fn type_text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::String | TypeRef::Binary => "String".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", type_text(inner)),
        TypeRef::Named(name) => name.clone(),
    }
}

fn operations(api: &Api) -> BTreeMap<String, OperationSurface> {
    let mut out = BTreeMap::new();
    for (route, op) in api.routes() {
        let mut params: BTreeMap<String, ParamSurface> = op
            .params
            .iter()
            .map(|p| {
                let location = match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                };
                let surface = ParamSurface {
                    location,
                    required: p.required,
                    ty: type_text(&p.ty),
                };
                (p.rust_name.clone(), surface)
            })
            .collect();
        let body = op.body.as_ref().map(|body| {
            let text = match &body.kind {
                BodyKind::Json { ty, .. } => type_text(ty),
                BodyKind::Multipart { fields } => {
                    for field in fields {
                        let surface = ParamSurface {
                            location: "form",
                            required: field.required && body.required,
                            ty: type_text(&field.ty),
                        };
                        params.insert(field.rust_name.clone(), surface);
                    }
                    "multipart".into()
                }
                BodyKind::Text { .. } => "text".into(),
                BodyKind::Binary { .. } => "bytes".into(),
            };
            (text, body.required)
        });
        let path_params = op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .map(|p| p.rust_name.clone())
            .collect();
        out.insert(
            op.operation_id.clone(),
            OperationSurface {
                method: op.method.to_string(),
                path: op.path.clone(),
                call: format!("{}.{}()", route.accessors(), op.method_name),
                params,
                path_params,
                body,
                response: response_text(&op.responses),
                deprecated: op.deprecated,
            },
        );
    }
    out
}

/// `send()`'s result: the one body type, or one variant per status when they differ.
fn response_text(responses: &[crate::operations::SuccessResponse]) -> String {
    let body = |body: &ResponseBody| match body {
        ResponseBody::Empty => "()".to_string(),
        ResponseBody::Json { ty, .. } => type_text(ty),
        ResponseBody::Text { .. } => "String".to_string(),
        ResponseBody::Bytes { .. } => "Bytes".to_string(),
    };
    let distinct: BTreeSet<String> = responses.iter().map(|r| body(&r.body)).collect();
    if distinct.len() <= 1 {
        return distinct.into_iter().next().unwrap_or_else(|| "()".into());
    }
    let variants: Vec<String> = responses
        .iter()
        .map(|r| {
            let status = r.status.map_or("2XX".to_string(), |s| s.to_string());
            format!("{status}: {}", body(&r.body))
        })
        .collect();
    format!("one of {{{}}}", variants.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_keys_ignore_placeholder_names_and_tokens_split_types() {
        assert_eq!(route_key("/sources/{sourceId}/p/{id}"), "/sources/{}/p/{}");
        assert_eq!(route_key("/a/b"), "/a/b");
        assert_eq!(
            type_tokens("BTreeMap<String, Vec<Account_2>>"),
            [
                "BTreeMap",
                "<",
                "String",
                ",",
                "Vec",
                "<",
                "Account_2",
                ">",
                ">"
            ]
        );
        assert_eq!(
            type_tokens("one of {200: A, 2XX: ()}"),
            [
                "one", "of", "{", "200", ":", "A", ",", "2XX", ":", "(", ")", "}"
            ]
        );
    }
}
