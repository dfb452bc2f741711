//! Comparing two surfaces (the spec diff): every change to an operation or a model, with what it
//! means for code that uses the generated client ([`Impact`]). The comparisons of one operation
//! and one model are public with the type rule as a parameter, for the migration between two
//! versions ([`crate::migration`]), whose models have other names.

use std::collections::BTreeMap;
use std::fmt;

use super::{ModelSurface, OperationSurface, ParamSurface, Surface, route_key};

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
    /// A model under a new name with the same members (types compared with the other renames
    /// applied): breaking only for code that names the type. [`Change::subject`] is the new name.
    Renamed,
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
///
/// A model that is gone while one with the same members appears under another name is one
/// [`ChangeKind::Renamed`] change, not a removal and an addition ([`renames`]); types that differ
/// only by such renames are the same type everywhere else (an operation whose body is
/// `Vec<BetaJsonPatchOperation>`, now `Vec<JsonPatchOperation>`, does not change but for the rename).
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let renamed = renames(old, new);
    let same_type = |was: &str, now: &str| rename_types(was, &renamed) == now;
    let new_names: BTreeMap<&str, &str> = renamed
        .iter()
        .map(|(was, now)| (was.as_str(), now.as_str()))
        .collect();
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
                for d in operation_changes(op, now, &same_type) {
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
        if let Some(now) = new_names.get(name.as_str()) {
            push(
                Impact::Breaking,
                &Subject::Model((*now).to_string()),
                ChangeKind::Renamed,
                format!("renamed from `{name}` (the same {}s)", model.member_noun()),
            );
            continue;
        }
        let subject = Subject::Model(name.clone());
        match new.models.get(name) {
            None => push(
                Impact::Breaking,
                &subject,
                ChangeKind::Removed,
                "removed".into(),
            ),
            Some(now) => {
                for (impact, what) in model_changes(model, now, &same_type) {
                    push(impact, &subject, ChangeKind::Changed, what);
                }
            }
        }
    }
    let renamed_to: std::collections::BTreeSet<&str> = new_names.values().copied().collect();
    for (name, model) in &new.models {
        if !old.models.contains_key(name) && !renamed_to.contains(name.as_str()) {
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

/// Models of `old` that `new` has under another name: a removed model and an added one whose
/// members are the same (member types compared with the renames found so far applied), where
/// no other removed or added model has those members. Renames found in one round may make the
/// members of others equal, so rounds repeat until none is found. Old name to new name.
pub fn renames(old: &Surface, new: &Surface) -> BTreeMap<String, String> {
    let removed: Vec<&String> = old
        .models
        .keys()
        .filter(|name| !new.models.contains_key(*name))
        .collect();
    let added: Vec<&String> = new
        .models
        .keys()
        .filter(|name| !old.models.contains_key(*name))
        .collect();
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    loop {
        let taken: std::collections::BTreeSet<&String> = found.values().collect();
        // Each open removed model's members with the renames applied, as text.
        let mut by_members: BTreeMap<String, (Vec<&String>, Vec<&String>)> = BTreeMap::new();
        for name in removed.iter().filter(|n| !found.contains_key(**n)) {
            let key = members_key(&old.models[*name], &found);
            by_members.entry(key).or_default().0.push(name);
        }
        for name in added.iter().filter(|n| !taken.contains(*n)) {
            let key = members_key(&new.models[*name], &BTreeMap::new());
            if let Some(entry) = by_members.get_mut(&key) {
                entry.1.push(name);
            }
        }
        let before = found.len();
        for (was, now) in by_members.into_values() {
            if let ([was], [now]) = (was.as_slice(), now.as_slice()) {
                found.insert((*was).clone(), (*now).clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

/// A model's members as one text, renamed types replaced, for [`renames`]. A model without
/// members (an empty struct) says nothing about which it is: it gets a key no other has.
fn members_key(model: &ModelSurface, renamed: &BTreeMap<String, String>) -> String {
    let list = |members: &BTreeMap<String, String>| {
        members
            .iter()
            .map(|(name, ty)| format!("{name}:{}", rename_types(ty, renamed)))
            .collect::<Vec<_>>()
            .join(",")
    };
    let text = match model {
        ModelSurface::Struct(fields) => format!("struct {}", list(fields)),
        ModelSurface::Union(variants) => format!("union {}", list(variants)),
        ModelSurface::StringEnum(values) => format!(
            "enum {}",
            values.iter().cloned().collect::<Vec<_>>().join(",")
        ),
        ModelSurface::Alias(ty) => format!("alias {}", rename_types(ty, renamed)),
    };
    if text.ends_with(' ') {
        format!("{text}{:p}", model)
    } else {
        text
    }
}

/// A type text with each renamed type name (a whole identifier) replaced by its new name.
fn rename_types(ty: &str, renamed: &BTreeMap<String, String>) -> String {
    if renamed.is_empty() {
        return ty.to_string();
    }
    let mut out = String::with_capacity(ty.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(renamed.get(word.as_str()).unwrap_or(word));
        word.clear();
    };
    for c in ty.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
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
    fn a_model_under_another_name_is_one_rename_and_its_uses_do_not_change() {
        let mut body = op(&[], "()");
        body.body = Some(("Vec<BetaPatch>".into(), true));
        let old = surface(
            &[("update", body.clone())],
            &[
                (
                    "BetaPatch",
                    fields(&[("op", "String"), ("value", "Option<BetaValue>")]),
                ),
                ("BetaValue", fields(&[("text", "String")])),
                ("Gone", fields(&[("a", "String")])),
                ("Empty", fields(&[])),
            ],
        );
        let mut now = body;
        now.body = Some(("Vec<Patch>".into(), true));
        let new = surface(
            &[("update", now)],
            &[
                (
                    "Patch",
                    fields(&[("op", "String"), ("value", "Option<Value>")]),
                ),
                ("Value", fields(&[("text", "String")])),
                ("Fresh", fields(&[("b", "String")])),
                ("AlsoEmpty", fields(&[])),
            ],
        );
        // `Value` is found first; `Patch`'s members match once it is applied.
        assert_eq!(
            renames(&old, &new).into_iter().collect::<Vec<_>>(),
            [
                ("BetaPatch".to_string(), "Patch".to_string()),
                ("BetaValue".to_string(), "Value".to_string())
            ]
        );
        assert_eq!(
            described(&diff(&old, &new)),
            [
                "Breaking model `Empty`: removed",
                "Breaking model `Gone`: removed",
                "Breaking model `Patch`: renamed from `BetaPatch` (the same fields)",
                "Breaking model `Value`: renamed from `BetaValue` (the same fields)",
                "Compatible model `AlsoEmpty`: added (struct)",
                "Compatible model `Fresh`: added (struct)",
            ]
        );
        // Two removed models with the same members: which became which cannot be told.
        let twins = surface(
            &[],
            &[
                ("A", fields(&[("x", "String")])),
                ("B", fields(&[("x", "String")])),
            ],
        );
        let one = surface(&[], &[("C", fields(&[("x", "String")]))]);
        assert!(renames(&twins, &one).is_empty());
        assert_eq!(
            rename_types(
                "Option<Vec<AB>>",
                &[("AB".to_string(), "C".to_string())].into()
            ),
            "Option<Vec<C>>"
        );
        assert_eq!(
            rename_types("ABC", &[("AB".to_string(), "C".to_string())].into()),
            "ABC"
        );
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
