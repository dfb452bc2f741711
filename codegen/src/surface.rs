//! What a generated client offers the code that calls it, as plain data, and what changes between
//! two of them: operations (how they are called, what they send and answer) and models (fields,
//! enum values, union variants). Two specs are compared by what would change for a user of the
//! generated client, not by how their YAML differs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use crate::config::GeneratorConfig;
use crate::diagnostics::Diagnostics;
use crate::operations::{Api, BodyKind, ParamLocation, ResponseBody};
use crate::types::{TypeRef, TypeSpace};

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
    fn kind(&self) -> &'static str {
        match self {
            ModelSurface::Struct(_) => "struct",
            ModelSurface::StringEnum(_) => "string enum",
            ModelSurface::Union(_) => "union",
            ModelSurface::Alias(_) => "type alias",
        }
    }
}

/// Load and model one version (overlays applied) and return its surface; nothing is emitted.
pub fn surface(config: &GeneratorConfig, spec_dir: &Path) -> Result<Surface, crate::Error> {
    let mut diagnostics = Diagnostics::default();
    let bundle = crate::load_with_overlays(config, spec_dir)?;
    let mut types = crate::type_space(config, &bundle, &mut diagnostics)?;
    let api = Api::build(&bundle, config, &mut types, &mut diagnostics)?;
    Ok(Surface::of(&api, &types))
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

/// What a change means for code that uses the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled may no longer compile, or a call may be refused.
    Breaking,
    /// Code that compiled still compiles and behaves the same.
    Compatible,
}

/// One difference between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub impact: Impact,
    pub subject: Subject,
    /// Whether the subject as a whole is new or gone, or one of its parts changed.
    pub kind: ChangeKind,
    /// What changed, in a sentence fragment (`parameter filters added (optional)`).
    pub what: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Operation(String),
    Model(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Operation(id) => write!(f, "operation `{id}`"),
            Subject::Model(name) => write!(f, "model `{name}`"),
        }
    }
}

/// Everything that changes from `old` to `new`, breaking changes first, then by subject.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut push = |impact, subject: &Subject, kind, what: String| {
        changes.push(Change {
            impact,
            subject: subject.clone(),
            kind,
            what,
        })
    };
    for (id, op) in &old.operations {
        let subject = Subject::Operation(id.clone());
        match new.operations.get(id) {
            None => push(
                Impact::Breaking,
                &subject,
                ChangeKind::Removed,
                format!("removed ({} {})", op.method, op.path),
            ),
            Some(now) => {
                for d in operation_changes(op, now, &same_text) {
                    push(d.impact, &subject, ChangeKind::Changed, d.what);
                }
            }
        }
    }
    for (id, op) in &new.operations {
        if !old.operations.contains_key(id) {
            push(
                Impact::Compatible,
                &Subject::Operation(id.clone()),
                ChangeKind::Added,
                format!("added ({} {}, `{}`)", op.method, op.path, op.call),
            );
        }
    }
    for (name, model) in &old.models {
        let subject = Subject::Model(name.clone());
        match new.models.get(name) {
            None => push(
                Impact::Breaking,
                &subject,
                ChangeKind::Removed,
                "removed".into(),
            ),
            Some(now) => {
                for (impact, what) in model_changes(model, now, &same_text) {
                    push(impact, &subject, ChangeKind::Changed, what);
                }
            }
        }
    }
    for (name, model) in &new.models {
        if !old.models.contains_key(name) {
            push(
                Impact::Compatible,
                &Subject::Model(name.clone()),
                ChangeKind::Added,
                format!("added ({})", model.kind()),
            );
        }
    }
    changes.sort();
    changes
}

/// Two type texts are the same type when they are written alike: what [`diff`] compares with.
/// A migration between two versions, whose models have other names, compares with its own rule.
pub fn same_text(old: &str, new: &str) -> bool {
    old == new
}

/// Which part of an operation a difference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// The HTTP method or the path template.
    Route,
    /// The group and method that call it.
    Call,
    /// Parameters and body.
    Request,
    /// What `send()` returns.
    Answer,
    Deprecation,
}

/// One difference between two operations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationDifference {
    pub part: Part,
    pub impact: Impact,
    /// What changed, in a sentence fragment (`parameter filters added (optional)`).
    pub what: String,
}

/// How `new` differs from `old` for code that calls it, part by part, in a fixed order. Types are
/// compared with `same_type` ([`same_text`] within one API). Path parameters are the method's
/// first arguments, so they are compared by position: a placeholder the spec renames
/// (`{id}` to `{accountId}`) changes no call.
pub fn operation_changes(
    old: &OperationSurface,
    new: &OperationSurface,
    same_type: &dyn Fn(&str, &str) -> bool,
) -> Vec<OperationDifference> {
    let mut out = Vec::new();
    let mut push =
        |part, impact, what: String| out.push(OperationDifference { part, impact, what });
    if old.method != new.method || route_key(&old.path) != route_key(&new.path) {
        // The call is the same; the request goes elsewhere. Only the server can say whether the
        // old route still answers, so this is breaking for anyone pinned to the old behaviour.
        push(
            Part::Route,
            Impact::Breaking,
            format!(
                "now {} {} (was {} {})",
                new.method, new.path, old.method, old.path
            ),
        );
    }
    if old.call != new.call {
        push(
            Part::Call,
            Impact::Breaking,
            format!("called as `{}` (was `{}`)", new.call, old.call),
        );
    }
    let new_params = params_by_old_names(old, new);
    for (name, param) in &old.params {
        match new_params.get(name.as_str()) {
            None => push(
                Part::Request,
                Impact::Breaking,
                format!("{} parameter `{name}` removed", param.location),
            ),
            Some(now) => {
                if !same_type(&param.ty, &now.ty) {
                    push(
                        Part::Request,
                        Impact::Breaking,
                        format!("parameter `{name}` is `{}` (was `{}`)", now.ty, param.ty),
                    );
                }
                if now.required != param.required {
                    let what = if now.required {
                        "now required (a method argument)"
                    } else {
                        "now optional (a builder setter, no longer an argument)"
                    };
                    push(
                        Part::Request,
                        Impact::Breaking,
                        format!("parameter `{name}` {what}"),
                    );
                }
            }
        }
    }
    for (name, param) in &new_params {
        if !old.params.contains_key(*name) {
            let (impact, how) = if param.required {
                (Impact::Breaking, "required")
            } else {
                (Impact::Compatible, "optional")
            };
            push(
                Part::Request,
                impact,
                format!(
                    "{} parameter `{name}: {}` added ({how})",
                    param.location, param.ty
                ),
            );
        }
    }
    match (&old.body, &new.body) {
        (None, Some((ty, required))) => push(
            Part::Request,
            if *required {
                Impact::Breaking
            } else {
                Impact::Compatible
            },
            format!(
                "request body `{ty}` added ({})",
                if *required { "required" } else { "optional" }
            ),
        ),
        (Some((ty, _)), None) => push(
            Part::Request,
            Impact::Breaking,
            format!("request body `{ty}` removed"),
        ),
        (Some((was, was_required)), Some((now, required))) => {
            if !same_type(was, now) {
                push(
                    Part::Request,
                    Impact::Breaking,
                    format!("request body is `{now}` (was `{was}`)"),
                );
            }
            if was_required != required {
                push(
                    Part::Request,
                    Impact::Breaking,
                    format!(
                        "request body now {}",
                        if *required { "required" } else { "optional" }
                    ),
                );
            }
        }
        (None, None) => {}
    }
    if !same_type(&old.response, &new.response) {
        push(
            Part::Answer,
            Impact::Breaking,
            format!("answers `{}` (was `{}`)", new.response, old.response),
        );
    }
    if old.deprecated != new.deprecated {
        let what = if new.deprecated {
            "deprecated"
        } else {
            "no longer deprecated"
        };
        push(Part::Deprecation, Impact::Compatible, what.to_string());
    }
    out
}

/// The parameters of `new` by the names they have in `old`: the path parameters of two
/// operations with as many of them are paired by position. Where that would give two parameters
/// one name, every parameter keeps its own.
pub fn params_by_old_names<'a>(
    old: &'a OperationSurface,
    new: &'a OperationSurface,
) -> BTreeMap<&'a str, &'a ParamSurface> {
    let plain = || new.params.iter().map(|(n, p)| (n.as_str(), p)).collect();
    if old.path_params.len() != new.path_params.len() || old.path_params == new.path_params {
        return plain();
    }
    let renamed: BTreeMap<&str, &str> = new
        .path_params
        .iter()
        .zip(&old.path_params)
        .map(|(now, was)| (now.as_str(), was.as_str()))
        .collect();
    let mut out = BTreeMap::new();
    for (name, param) in &new.params {
        let name = renamed.get(name.as_str()).copied().unwrap_or(name);
        if out.insert(name, param).is_some() {
            return plain();
        }
    }
    out
}

/// How model `new` differs from model `old` for code that uses it, with member types compared
/// by `same_type` ([`same_text`] within one API).
pub fn model_changes(
    old: &ModelSurface,
    new: &ModelSurface,
    same_type: &dyn Fn(&str, &str) -> bool,
) -> Vec<(Impact, String)> {
    let mut out = Vec::new();
    let mut push = |impact, what: String| out.push((impact, what));
    match (old, new) {
        (ModelSurface::Struct(was), ModelSurface::Struct(now)) => members(
            was,
            now,
            "field",
            &mut push,
            |ty| ty.starts_with("Option<"),
            same_type,
        ),
        (ModelSurface::Union(was), ModelSurface::Union(now)) => {
            // A new variant is compatible for decoding but breaks an exhaustive `match`.
            members(was, now, "variant", &mut push, |_| false, same_type)
        }
        (ModelSurface::StringEnum(was), ModelSurface::StringEnum(now)) => {
            for value in was.difference(now) {
                push(Impact::Breaking, format!("value `{value}` removed"));
            }
            for value in now.difference(was) {
                // Enums are non-exhaustive and keep unknown values: old code still compiles.
                push(Impact::Compatible, format!("value `{value}` added"));
            }
        }
        (ModelSurface::Alias(was), ModelSurface::Alias(now)) => {
            if !same_type(was, now) {
                push(Impact::Breaking, format!("is `{now}` (was `{was}`)"));
            }
        }
        (was, now) => push(
            Impact::Breaking,
            format!("is a {} (was a {})", now.kind(), was.kind()),
        ),
    }
    out
}

/// Members (struct fields, union variants) by name and type. A member added whose type is
/// `optional` keeps old code compiling where it builds the model with `new` or `Default` and
/// struct update syntax, as the generated docs show (README, "Building request bodies").
fn members(
    was: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
    noun: &str,
    push: &mut dyn FnMut(Impact, String),
    optional: impl Fn(&str) -> bool,
    same_type: &dyn Fn(&str, &str) -> bool,
) {
    for (name, ty) in was {
        match now.get(name) {
            None => push(Impact::Breaking, format!("{noun} `{name}` removed")),
            Some(new_ty) if !same_type(ty, new_ty) => push(
                Impact::Breaking,
                format!("{noun} `{name}` is `{new_ty}` (was `{ty}`)"),
            ),
            Some(_) => {}
        }
    }
    for (name, ty) in now {
        if !was.contains_key(name) {
            // For a struct, the reason as a caller sees it: models are built with `new` (the
            // required fields) or `Default`, optional fields set with struct update syntax.
            let (impact, why) = match (optional(ty), noun) {
                (true, "field") => (
                    Impact::Compatible,
                    " (optional: `new` and `Default` fill it)",
                ),
                (false, "field") => (Impact::Breaking, " (required: a new argument of `new`)"),
                (true, _) => (Impact::Compatible, ""),
                (false, _) => (Impact::Breaking, ""),
            };
            push(impact, format!("{noun} `{name}: {ty}` added{why}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(params: &[(&str, bool, &str)], response: &str) -> OperationSurface {
        OperationSurface {
            method: "GET".into(),
            path: "/things".into(),
            call: "things().list_things()".into(),
            params: params
                .iter()
                .map(|(name, required, ty)| {
                    let param = ParamSurface {
                        location: "query",
                        required: *required,
                        ty: ty.to_string(),
                    };
                    (name.to_string(), param)
                })
                .collect(),
            path_params: Vec::new(),
            body: None,
            response: response.into(),
            deprecated: false,
        }
    }

    fn surface(ops: &[(&str, OperationSurface)], models: &[(&str, ModelSurface)]) -> Surface {
        Surface {
            operations: ops
                .iter()
                .map(|(id, op)| (id.to_string(), op.clone()))
                .collect(),
            models: models
                .iter()
                .map(|(name, m)| (name.to_string(), m.clone()))
                .collect(),
        }
    }

    fn fields(list: &[(&str, &str)]) -> ModelSurface {
        ModelSurface::Struct(
            list.iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        )
    }

    fn described(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| format!("{:?} {}: {}", c.impact, c.subject, c.what))
            .collect()
    }

    #[test]
    fn same_surface_no_changes() {
        let s = surface(&[("listThings", op(&[], "Vec<Thing>"))], &[]);
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn operations_added_removed_and_changed() {
        let old = surface(
            &[
                ("gone", op(&[], "()")),
                (
                    "listThings",
                    op(
                        &[("limit", false, "i32"), ("filters", false, "String")],
                        "Vec<Thing>",
                    ),
                ),
            ],
            &[],
        );
        let new = surface(
            &[
                ("fresh", op(&[], "()")),
                (
                    "listThings",
                    op(
                        &[
                            ("limit", false, "i64"),
                            ("filters", true, "String"),
                            ("sorters", false, "String"),
                            ("owner", true, "String"),
                        ],
                        "Vec<OtherThing>",
                    ),
                ),
            ],
            &[],
        );
        assert_eq!(
            described(&diff(&old, &new)),
            [
                "Breaking operation `gone`: removed (GET /things)",
                "Breaking operation `listThings`: answers `Vec<OtherThing>` (was `Vec<Thing>`)",
                "Breaking operation `listThings`: parameter `filters` now required (a method argument)",
                "Breaking operation `listThings`: parameter `limit` is `i64` (was `i32`)",
                "Breaking operation `listThings`: query parameter `owner: String` added (required)",
                "Compatible operation `fresh`: added (GET /things, `things().list_things()`)",
                "Compatible operation `listThings`: query parameter `sorters: String` added (optional)",
            ]
        );
    }

    #[test]
    fn models_fields_and_enum_values() {
        let old = surface(
            &[],
            &[
                ("Gone", fields(&[])),
                (
                    "Thing",
                    fields(&[("id", "String"), ("name", "Option<String>")]),
                ),
                (
                    "Kind",
                    ModelSurface::StringEnum(["A".to_string(), "B".to_string()].into()),
                ),
                ("Shape", ModelSurface::Alias("String".into())),
            ],
        );
        let new = surface(
            &[],
            &[
                (
                    "Thing",
                    fields(&[
                        ("id", "i64"),
                        ("note", "Option<String>"),
                        ("owner", "OwnerRef"),
                    ]),
                ),
                (
                    "Kind",
                    ModelSurface::StringEnum(["B".to_string(), "C".to_string()].into()),
                ),
                ("Shape", fields(&[])),
                ("Fresh", ModelSurface::Alias("i32".into())),
            ],
        );
        assert_eq!(
            described(&diff(&old, &new)),
            [
                "Breaking model `Gone`: removed",
                "Breaking model `Kind`: value `A` removed",
                "Breaking model `Shape`: is a struct (was a type alias)",
                "Breaking model `Thing`: field `id` is `i64` (was `String`)",
                "Breaking model `Thing`: field `name` removed",
                "Breaking model `Thing`: field `owner: OwnerRef` added (required: a new argument of `new`)",
                "Compatible model `Fresh`: added (type alias)",
                "Compatible model `Kind`: value `C` added",
                "Compatible model `Thing`: field `note: Option<String>` added (optional: `new` and `Default` fill it)",
            ]
        );
    }

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

    #[test]
    fn renamed_path_placeholders_are_the_same_arguments() {
        let with_path = |path: &str, names: &[&str], ty: &str| {
            let mut o = op(&[], "()");
            o.path = path.into();
            o.path_params = names.iter().map(|n| n.to_string()).collect();
            for name in names {
                let param = ParamSurface {
                    location: "path",
                    required: true,
                    ty: ty.into(),
                };
                o.params.insert(name.to_string(), param);
            }
            o
        };
        let old = surface(
            &[("getThing", with_path("/things/{id}", &["id"], "String"))],
            &[],
        );
        let renamed = surface(
            &[(
                "getThing",
                with_path("/things/{thingId}", &["thing_id"], "String"),
            )],
            &[],
        );
        assert!(
            diff(&old, &renamed).is_empty(),
            "{:?}",
            diff(&old, &renamed)
        );
        let retyped = surface(
            &[(
                "getThing",
                with_path("/things/{thingId}", &["thing_id"], "i64"),
            )],
            &[],
        );
        assert_eq!(
            described(&diff(&old, &retyped)),
            ["Breaking operation `getThing`: parameter `id` is `i64` (was `String`)"]
        );
        let moved = surface(
            &[(
                "getThing",
                with_path("/things/{a}/{b}", &["a", "b"], "String"),
            )],
            &[],
        );
        assert_eq!(
            described(&diff(&old, &moved)),
            [
                "Breaking operation `getThing`: now GET /things/{a}/{b} (was GET /things/{id})",
                "Breaking operation `getThing`: path parameter `a: String` added (required)",
                "Breaking operation `getThing`: path parameter `b: String` added (required)",
                "Breaking operation `getThing`: path parameter `id` removed",
            ]
        );
    }
}
