//! Struct models: objects and `allOf` compositions, their properties gathered through references,
//! required and one-way (`readOnly`/`writeOnly`) properties made fields.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::AdditionalProperties;
use serde_json::Value;

use crate::docs;
use crate::loader::BundledSchema;
use crate::naming::{UniqueNames, snake_name};
use crate::types::TypeRef;
use crate::types::ir::{Field, Model, ModelKind, StructModel};

use super::examples::members_named;
use super::naming::{Ctx, Name, pascal};
use super::view::{View, nullable, property_docs, schema_docs, view};
use super::{Builder, MAX_DEPTH, SRef, component_name};

/// Appended to the docs of an optional field that may be `null`.
const NULL_NOTE: &str = "The API also accepts `null` here; `None` leaves the field out, so an explicit `null` cannot be sent.";

/// A property that goes one way only (`readOnly` or `writeOnly`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OneWay {
    ReadOnly,
    WriteOnly,
}

impl OneWay {
    /// Why a property the schema lists as required is optional in the generated type.
    fn required_note(self) -> &'static str {
        match self {
            OneWay::ReadOnly => {
                "The schema requires it, in responses only (it is read-only): optional here, as requests leave it out."
            }
            OneWay::WriteOnly => {
                "The schema requires it, in requests only (it is write-only): optional here, as responses leave it out."
            }
        }
    }
}

/// Whether a property schema is `readOnly` or `writeOnly`: on the schema itself, on an
/// annotation member of its `allOf` wrapper (`allOf: [{$ref: X}, {readOnly: true}]`), or on
/// what it refers to. Both at once (contradictory) counts as read-only.
fn access(
    schemas: &IndexMap<String, BundledSchema>,
    schema: SRef<'_>,
    depth: usize,
) -> Option<OneWay> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = match schema {
        SRef::Ref(reference) => &schemas.get(&component_name(reference)?)?.schema,
        SRef::Item(schema) => schema,
    };
    let view = view(schema);
    let datas = std::iter::once(view.data).chain(view.annotations());
    let (mut read_only, mut write_only) = (false, false);
    for data in datas {
        read_only |= data.read_only;
        write_only |= data.write_only;
    }
    if read_only {
        Some(OneWay::ReadOnly)
    } else if write_only {
        Some(OneWay::WriteOnly)
    } else {
        view.single_all_of()
            .and_then(|member| access(schemas, member, depth + 1))
    }
}

/// A property gathered for a struct, with where it came from.
struct Prop<'s> {
    schema: SRef<'s>,
    location: Ctx,
    /// The component that declares it, when it was reached through a `$ref` in `allOf`.
    owner: Option<String>,
}

#[derive(Default)]
struct Merged<'s> {
    props: IndexMap<String, Prop<'s>>,
    required: BTreeSet<String>,
    additional: Option<(&'s AdditionalProperties, Ctx)>,
    /// The first `allOf` member that is not an object (a string, an array, a oneOf, ...).
    non_object: Option<(SRef<'s>, Ctx)>,
}

impl<'a> Builder<'a> {
    /// Gather the properties of `v` and of its `allOf` members, recursively through references.
    fn collect<'s>(
        &mut self,
        v: &View<'s>,
        ctx: &Ctx,
        owner: Option<&str>,
        acc: &mut Merged<'s>,
        visiting: &mut Vec<String>,
    ) where
        'a: 's,
    {
        for (i, member) in v.all_of.iter().enumerate() {
            let member_ctx = ctx.at_path(&["allOf", &i.to_string()]);
            match *member {
                SRef::Ref(reference) => {
                    let Some((name, bundled)) = component_name(reference)
                        .and_then(|name| self.schemas.get_key_value(&name))
                    else {
                        self.diag(
                            &member_ctx,
                            format!(
                                "$ref `{reference}` names no component schema; allOf member ignored"
                            ),
                        );
                        continue;
                    };
                    if visiting.iter().any(|v| v == name) {
                        self.diag(
                            &member_ctx,
                            format!("allOf refers back to `{name}`; member ignored"),
                        );
                        continue;
                    }
                    let origin = self
                        .st
                        .components
                        .get(name)
                        .map_or_else(String::new, |c| c.origin.clone());
                    let member_view = view(&bundled.schema);
                    visiting.push(name.clone());
                    let member_ctx = Ctx {
                        file: ctx.file.clone(),
                        location: origin,
                    };
                    self.collect_member(
                        &member_view,
                        SRef::Ref(reference),
                        &member_ctx,
                        Some(name),
                        acc,
                        visiting,
                    );
                    visiting.pop();
                }
                SRef::Item(schema) => {
                    let member_view = view(schema);
                    self.collect_member(
                        &member_view,
                        SRef::Item(schema),
                        &member_ctx,
                        owner,
                        acc,
                        visiting,
                    );
                }
            }
        }
        for (wire, schema) in &v.properties {
            let prop = Prop {
                schema: *schema,
                location: ctx.at_path(&["properties", wire]),
                owner: owner.map(str::to_string),
            };
            // A later definition replaces an earlier one, in the earlier one's position.
            acc.props.insert((*wire).to_string(), prop);
        }
        acc.required
            .extend(v.required.iter().map(|r| (*r).to_string()));
        if let Some(additional) = v.additional {
            acc.additional = Some((additional, ctx.at("additionalProperties")));
        }
    }

    fn collect_member<'s>(
        &mut self,
        member: &View<'s>,
        schema: SRef<'s>,
        ctx: &Ctx,
        owner: Option<&str>,
        acc: &mut Merged<'s>,
        visiting: &mut Vec<String>,
    ) where
        'a: 's,
    {
        let object_like = !member.properties.is_empty()
            || !member.all_of.is_empty()
            || member.additional.is_some()
            || matches!(member.typ, Some("object"));
        if !member.one_of.is_empty() || !member.any_of.is_empty() {
            if member.properties.is_empty() && member.all_of.is_empty() && acc.non_object.is_none()
            {
                acc.non_object = Some((schema, ctx.clone()));
            } else {
                self.diag(ctx, "oneOf/anyOf inside an allOf member is ignored");
            }
        } else if !object_like && member.typ.is_some() && acc.non_object.is_none() {
            acc.non_object = Some((schema, ctx.clone()));
        }
        self.collect(member, ctx, owner, acc, visiting);
    }

    pub(super) fn structure(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
        let mut merged = Merged::default();
        let mut visiting = Vec::new();
        self.collect(v, ctx, None, &mut merged, &mut visiting);
        if merged.props.is_empty() && merged.additional.is_none() {
            if let Some((member, member_ctx)) = merged.non_object.take() {
                if v.all_of.len() > 1 {
                    self.diag(
                        ctx,
                        "allOf of schemas that are not objects; typed as its first such member",
                    );
                }
                return self.type_sref(member, name, &member_ctx);
            }
        }
        let (model_name, seq, ctx) = self.claim(&name, ctx);
        let mut idents = UniqueNames::new();
        let mut fields = Vec::new();
        // Two JSON names with one Rust name (`_type` and `type` are both `type_`) are told apart
        // by the JSON spelling: a leading underscore is kept (`_type`), the other is as always.
        let snake: Vec<String> = merged.props.keys().map(|wire| snake_name(wire)).collect();
        let shared = |name: &str| snake.iter().filter(|other| *other == name).count() > 1;
        for (wire, prop) in merged.props {
            let plain = snake_name(&wire);
            let wanted = if wire.starts_with('_') && shared(&plain) {
                format!("_{}", plain.trim_end_matches('_'))
            } else {
                plain
            };
            let ident = idents.claim(&wanted);
            // OpenAPI 3.0: a required `readOnly` property is required in responses only, a
            // required `writeOnly` one in requests only; the one type serves both, so neither
            // can be required in it.
            let listed = merged.required.contains(&wire);
            let one_way = access(self.schemas, prop.schema, 0);
            let required = listed && one_way.is_none();
            let prop_ctx = Ctx {
                file: ctx.file.clone(),
                location: prop.location.location.clone(),
            };
            let inherited = prop
                .owner
                .as_deref()
                .and_then(|owner| self.inherited_field(owner, &wire));
            let (ty, nullable, docs) = match inherited {
                Some(field) => (field.ty, field.nullable, field.docs),
                None => {
                    let hint = Name::Hint(format!("{model_name}{}", pascal(&wire)));
                    let objects = std::mem::take(&mut self.examples);
                    self.examples = members_named(&objects, &wire);
                    let ty = self.type_sref(prop.schema, hint, &prop_ctx);
                    self.examples = objects;
                    let nullable = nullable(self.schemas, prop.schema, 0);
                    let docs = match prop.schema {
                        SRef::Item(schema) => property_docs(schema),
                        SRef::Ref(_) => String::new(),
                    };
                    (ty, nullable, docs)
                }
            };
            let mut docs = docs;
            // An inherited field's docs may have the notes already.
            if listed
                && let Some(one_way) = one_way
                && !docs.contains(one_way.required_note())
            {
                docs = docs::paragraphs([docs.as_str(), one_way.required_note()]);
            }
            if nullable && !required && !docs.contains(NULL_NOTE) {
                docs = docs::paragraphs([docs.as_str(), NULL_NOTE]);
            }
            fields.push(Field {
                ident,
                wire,
                ty,
                required,
                nullable,
                read_only: matches!(one_way, Some(OneWay::ReadOnly)),
                docs,
            });
        }
        // OpenAPI lets `required` name a member that `properties` does not declare (a spec
        // slip, most often a renamed property). Left out, a request could not send it and a
        // response would keep it only among the undeclared members: it is a field, typed from
        // the examples where they agree. Required only where every example has it: an example
        // without it (what a mock serves, and likely the API too) must still decode. Beside
        // `additionalProperties` it is one of the map's keys.
        if merged.additional.is_none() {
            let undeclared: Vec<String> = merged
                .required
                .iter()
                .filter(|wire| !fields.iter().any(|f: &Field| &f.wire == *wire))
                .cloned()
                .collect();
            let objects = self.examples.iter().filter(|e| e.is_object()).count();
            for wire in undeclared {
                let values = members_named(&self.examples, &wire);
                let (ty, rust) = type_from_examples(&values);
                let required = objects > 0 && values.len() == objects;
                let typed = match rust {
                    Some(rust) => format!("`{rust}`, as the spec's examples of it are"),
                    None => "any JSON value, as no examples of it agree on a type".to_owned(),
                };
                let (field, why) = if required {
                    ("a required field", "")
                } else {
                    (
                        "an optional field",
                        " (optional: not every example of the schema has it)",
                    )
                };
                self.diag(
                    &ctx,
                    format!(
                        "`required` names `{wire}`, which `properties` does not declare; {field} of type {typed}"
                    ),
                );
                let docs = format!(
                    "Required by the schema, which does not declare it: typed {typed}{why}."
                );
                fields.push(Field {
                    ident: idents.claim(&snake_name(&wire)),
                    wire,
                    ty,
                    required,
                    nullable: false,
                    read_only: false,
                    docs,
                });
            }
        }
        let additional = match merged.additional {
            Some((AdditionalProperties::Schema(values), values_ctx)) => {
                let ty = self.type_sref(
                    SRef::of(values),
                    Name::Hint(format!("{model_name}Value")),
                    &values_ctx,
                );
                Some((idents.claim("additional_properties"), ty))
            }
            Some((AdditionalProperties::Any(true), _)) => {
                Some((idents.claim("additional_properties"), TypeRef::Json))
            }
            _ => None,
        };
        self.push_model(Model {
            name: model_name.clone(),
            file: ctx.file.clone().unwrap_or_default(),
            seq,
            docs: schema_docs(v.data),
            kind: ModelKind::Struct(StructModel { fields, additional }),
        });
        TypeRef::Named(model_name)
    }

    /// The field `wire` of the struct generated for component `owner`, if it is one.
    fn inherited_field(&mut self, owner: &str, wire: &str) -> Option<Field> {
        let TypeRef::Named(name) = self.component(owner) else {
            return None;
        };
        let model = self
            .st
            .index
            .get(&name)
            .and_then(|&i| self.st.models.get(i))?;
        match &model.kind {
            ModelKind::Struct(s) => s.fields.iter().find(|f| f.wire == wire).cloned(),
            _ => None,
        }
    }
}

/// The type the example `values` of one member agree on, and its Rust spelling: text, a whole
/// number, a number, a boolean, a list of text; `None` (any JSON value) when they disagree, are
/// of another shape, or there are none.
fn type_from_examples(values: &[Value]) -> (TypeRef, Option<&'static str>) {
    let all = |test: fn(&Value) -> bool| !values.is_empty() && values.iter().all(test);
    if all(Value::is_string) {
        (TypeRef::String, Some("String"))
    } else if all(Value::is_boolean) {
        (TypeRef::Bool, Some("bool"))
    } else if all(|v| v.is_i64() || v.is_u64()) {
        (TypeRef::I64, Some("i64"))
    } else if all(Value::is_number) {
        (TypeRef::F64, Some("f64"))
    } else if all(|v| {
        v.as_array()
            .is_some_and(|items| items.iter().all(Value::is_string))
    }) {
        (TypeRef::Vec(Box::new(TypeRef::String)), Some("Vec<String>"))
    } else {
        (TypeRef::Json, None)
    }
}
