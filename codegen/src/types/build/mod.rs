//! Schemas to the intermediate model.
//!
//! This module holds the [`Builder`] and what every kind of schema goes through: components
//! registered and built in bundle order, references followed, scalars, arrays and maps typed.
//! What it builds is apart, one kind of model a file:
//! - `structs`: objects and `allOf`, their properties gathered and their fields;
//! - `enums`: `enum` lists, string enums or the scalar the values are;
//! - `unions`: `oneOf`/`anyOf`, tagged or untagged, and their variants' names;
//! - `naming`: the names and files of inline models, and where diagnostics point;
//! - `view`: one reading of a schema whichever way openapiv3 represents it, its docs and
//!   nullability.

mod enums;
mod examples;
mod naming;
mod structs;
mod unions;
mod view;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::loader::BundledSchema;
use crate::naming::{snake_name, type_name};
use crate::types::ir::{Model, ModelKind};
use crate::types::{Component, State, TypeRef};

use self::naming::{Ctx, Name, sanitize_hint};
use self::view::{View, is_annotation_member, schema_docs, view};

pub(super) use self::view::is_nullable;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How deep reference chains are followed by the side-effect-free helpers (nullability, ranking).
const MAX_DEPTH: usize = 64;

/// A schema or a reference to a component, borrowed.
#[derive(Clone, Copy)]
enum SRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> SRef<'s> {
    fn of(schema: &'s ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(schema) => SRef::Item(schema),
        }
    }

    fn of_box(schema: &'s ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(schema) => SRef::Item(schema),
        }
    }
}

/// The component a `#/components/schemas/<Name>` reference names.
fn component_name(reference: &str) -> Option<String> {
    let raw = reference.strip_prefix(SCHEMA_PREFIX)?;
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    Some(raw.replace("~1", "/").replace("~0", "~"))
}

pub(super) struct Builder<'a> {
    schemas: &'a IndexMap<String, BundledSchema>,
    st: &'a mut State,
    diags: &'a mut Diagnostics,
    /// The example values the schema being typed describes: its own `example` and the parts of
    /// its enclosing schemas' examples that fall on it (a property's member, an array's items).
    /// Only what a schema requires without declaring is typed from them (see `structs`).
    examples: Vec<Value>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        schemas: &'a IndexMap<String, BundledSchema>,
        st: &'a mut State,
        diags: &'a mut Diagnostics,
    ) -> Self {
        Builder {
            schemas,
            st,
            diags,
            examples: Vec::new(),
        }
    }

    /// Gathers what examples say of each component (before any is built).
    pub(super) fn gather_examples(&mut self, bundle: &crate::loader::Bundle) {
        self.st.component_examples = examples::component_examples(bundle);
    }

    /// Claim every component's type name and file, in bundle order.
    pub(super) fn register_components(&mut self) {
        self.st.files.claim("mod");
        // `models::models` would trip clippy::module_inception.
        self.st.files.claim("models");
        // A module with one of these names would shadow the crates that generated code names.
        for taken in ["serde", "serde_json", "std", "core", "alloc"] {
            self.st.files.claim(taken);
        }
        // A configured name that another component has already would give one of the two a
        // numbered name: refused, with a diagnostic, and the spec's name is kept.
        let natural: BTreeSet<String> = self
            .schemas
            .keys()
            .map(|name| type_name(self.st.component_words.get(name).unwrap_or(name)))
            .collect();
        for (name, component) in self.schemas {
            let words = self.st.component_words.get(name).unwrap_or(name);
            let spec_name = type_name(words);
            let wanted = match self.st.type_names.get(&spec_name) {
                Some(target) if natural.contains(target) => {
                    let at = Ctx {
                        file: None,
                        location: format!("#/components/schemas/{}", name.replace('~', "~0")),
                    };
                    self.diag(
                        &at,
                        format!(
                            "type_names renames {spec_name} to {target}, a name another schema has; kept {spec_name}"
                        ),
                    );
                    spec_name.clone()
                }
                Some(target) => target.clone(),
                None => spec_name.clone(),
            };
            let type_name = self.st.names.claim(&wanted);
            let file = self.st.files.claim(&snake_name(&type_name));
            let origin = component.origin.to_string();
            self.st.components.insert(
                name.clone(),
                Component {
                    type_name,
                    file,
                    origin,
                },
            );
        }
    }

    pub(super) fn build_components(&mut self) {
        let names: Vec<String> = self.schemas.keys().cloned().collect();
        for name in names {
            self.component(&name);
        }
    }

    /// A type alias that refers to itself (possibly through other aliases) does not compile.
    pub(super) fn break_alias_cycles(&mut self) {
        let aliases: BTreeMap<String, TypeRef> = self
            .st
            .models
            .iter()
            .filter_map(|m| match &m.kind {
                ModelKind::Alias(target) => Some((m.name.clone(), target.clone())),
                _ => None,
            })
            .collect();
        for name in aliases.keys() {
            let mut seen = BTreeSet::new();
            let mut stack = vec![name.clone()];
            let mut cyclic = false;
            while let Some(current) = stack.pop() {
                let Some(target) = aliases.get(&current) else {
                    continue;
                };
                let mut named = Vec::new();
                collect_named(target, &mut named);
                for next in named {
                    if next == *name {
                        cyclic = true;
                    } else if seen.insert(next.clone()) {
                        stack.push(next);
                    }
                }
            }
            if cyclic {
                let origin = self
                    .st
                    .components
                    .values()
                    .find(|c| c.type_name == *name)
                    .map_or_else(|| name.clone(), |c| c.origin.clone());
                self.diags.push(
                    origin,
                    "schema is an alias of itself; typed as serde_json::Value",
                );
                if let Some(&index) = self.st.index.get(name) {
                    self.st.models[index].kind = ModelKind::Alias(TypeRef::Json);
                }
            }
        }
    }

    pub(super) fn type_for(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        location: &str,
    ) -> TypeRef {
        let ctx = Ctx {
            file: None,
            location: location.to_string(),
        };
        self.type_sref(SRef::of(schema), Name::Hint(sanitize_hint(hint)), &ctx)
    }

    fn diag(&mut self, ctx: &Ctx, message: impl Into<String>) {
        self.diags.push(ctx.location.clone(), message);
    }

    /// The type a reference to component `name` stands for, building it on first use.
    fn component(&mut self, name: &str) -> TypeRef {
        if let Some(ty) = self.st.resolved.get(name) {
            return ty.clone();
        }
        let (Some(component), Some(bundled)) = (
            self.st.components.get(name).cloned(),
            self.schemas.get(name),
        ) else {
            return TypeRef::Json;
        };
        if self.st.in_progress.contains(name) {
            return TypeRef::Named(component.type_name);
        }
        self.st.in_progress.insert(name.to_string());
        // Reserved first, so that an alias comes before the inline models it uses.
        let seq = self.next_seq();
        let ctx = Ctx {
            file: Some(component.file.clone()),
            location: component.origin.clone(),
        };
        // A component is typed once for every place that refers to it: from every example
        // that reaches it, not from those of the first place that happened to.
        let gathered = self.st.component_examples.get(name).cloned();
        let outer = std::mem::replace(&mut self.examples, gathered.unwrap_or_default());
        let mut ty = self.type_schema(
            &bundled.schema,
            Name::Fixed(component.type_name.clone()),
            &ctx,
        );
        self.examples = outer;
        let own = TypeRef::Named(component.type_name.clone());
        if ty == own && !self.st.index.contains_key(&component.type_name) {
            // Only a reference to itself (`allOf: [$ref: itself]`): nothing to type it with.
            self.diag(
                &ctx,
                "schema only refers to itself; typed as serde_json::Value",
            );
            ty = TypeRef::Json;
        }
        if ty != own {
            self.push_model(Model {
                name: component.type_name.clone(),
                file: component.file.clone(),
                seq,
                docs: schema_docs(&bundled.schema.schema_data),
                kind: ModelKind::Alias(ty.clone()),
            });
        }
        self.st.in_progress.remove(name);
        self.st.resolved.insert(name.to_string(), ty.clone());
        ty
    }

    fn next_seq(&mut self) -> usize {
        self.st.seq += 1;
        self.st.seq
    }

    fn push_model(&mut self, model: Model) {
        self.st
            .index
            .insert(model.name.clone(), self.st.models.len());
        self.st.models.push(model);
    }

    fn ref_type(&mut self, reference: &str, ctx: &Ctx) -> TypeRef {
        match component_name(reference).filter(|name| self.schemas.contains_key(name)) {
            Some(name) => self.component(&name),
            None => {
                self.diag(
                    ctx,
                    format!(
                        "$ref `{reference}` names no component schema; typed as serde_json::Value"
                    ),
                );
                TypeRef::Json
            }
        }
    }

    fn type_sref(&mut self, schema: SRef<'_>, name: Name, ctx: &Ctx) -> TypeRef {
        match schema {
            SRef::Ref(reference) => self.ref_type(reference, ctx),
            SRef::Item(schema) => self.type_schema(schema, name, ctx),
        }
    }

    fn type_schema(&mut self, schema: &Schema, name: Name, ctx: &Ctx) -> TypeRef {
        // Every builder that changes `self.examples` for what it types inside restores it, so the
        // schema's own example is taken off by length alone.
        let outer = self.examples.len();
        if let Some(own) = &schema.schema_data.example {
            self.examples.push(own.clone());
        }
        let ty = self.type_schema_here(schema, name, ctx);
        self.examples.truncate(outer);
        ty
    }

    /// Types `schema` with the examples that describe it in `self.examples`.
    fn type_schema_here(&mut self, schema: &Schema, name: Name, ctx: &Ctx) -> TypeRef {
        let v = view(schema);
        if v.not {
            self.diag(ctx, "`not` is not supported; typed as serde_json::Value");
            return TypeRef::Json;
        }
        if let Some(member) = v.single_all_of() {
            let index = v
                .all_of
                .iter()
                .position(|m| !is_annotation_member(m))
                .unwrap_or_default();
            return self.type_sref(member, name, &ctx.at_path(&["allOf", &index.to_string()]));
        }
        if !v.all_of.is_empty() {
            return self.structure(&v, name, ctx);
        }
        if !v.one_of.is_empty() || !v.any_of.is_empty() {
            if v.properties.is_empty() {
                // Which variant an example is, is the union's to find out at run time.
                let outer = std::mem::take(&mut self.examples);
                let ty = self.union(&v, name, ctx);
                self.examples = outer;
                return ty;
            }
            self.diag(
                ctx,
                "oneOf/anyOf next to properties is ignored; typed as a struct of the properties",
            );
            return self.structure(&v, name, ctx);
        }
        if !v.enumeration.is_empty() {
            return self.enumeration(&v, name, ctx);
        }
        match v.typ {
            Some("string") => string_type(v.format.as_deref()),
            Some("integer") => integer_type(v.format.as_deref()),
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => self.array(&v, name, ctx),
            Some("object") => self.object(&v, name, ctx),
            None if !v.properties.is_empty() || v.additional.is_some() => {
                self.object(&v, name, ctx)
            }
            None if v.items.is_some() => self.array(&v, name, ctx),
            None => match v.format.as_deref() {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                _ => TypeRef::Json,
            },
            // Not an OpenAPI type, but unambiguous.
            Some("date-time") => TypeRef::DateTime,
            Some("date") => TypeRef::Date,
            Some(other) => {
                self.diag(
                    ctx,
                    format!("unknown type `{other}`; typed as serde_json::Value"),
                );
                TypeRef::Json
            }
        }
    }

    fn array(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
        match v.items {
            Some(items) => {
                // One item of `capabilities` is a `Capability`; `...Item` when the list's name
                // is no plural or its singular names another model already.
                let item_name = match crate::naming::singular(name.base()) {
                    Some(one) if !self.st.names.is_taken(&one) => Name::Hint(one),
                    _ => name.child("Item"),
                };
                let lists = std::mem::take(&mut self.examples);
                self.examples = examples::items_of(&lists);
                let item = self.type_sref(items, item_name, &ctx.at("items"));
                self.examples = lists;
                TypeRef::Vec(Box::new(item))
            }
            None => {
                self.diag(
                    ctx,
                    "array without `items`; typed as Vec<serde_json::Value>",
                );
                TypeRef::Vec(Box::new(TypeRef::Json))
            }
        }
    }

    fn object(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
        if !v.properties.is_empty() {
            return self.structure(v, name, ctx);
        }
        match v.additional {
            Some(AdditionalProperties::Schema(values)) => {
                let values = SRef::of(values);
                let maps = std::mem::take(&mut self.examples);
                self.examples = examples::map_values_of(&maps);
                let value =
                    self.type_sref(values, name.child("Value"), &ctx.at("additionalProperties"));
                self.examples = maps;
                TypeRef::Map(Box::new(value))
            }
            // Free-form object.
            _ => TypeRef::Json,
        }
    }

    fn model(&self, name: &str) -> Option<&Model> {
        self.st.index.get(name).and_then(|&i| self.st.models.get(i))
    }

    fn is_string_enum(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        for _ in 0..MAX_DEPTH {
            let TypeRef::Named(name) = ty else {
                return false;
            };
            match self.model(name).map(|m| &m.kind) {
                Some(ModelKind::StringEnum(_)) => return true,
                Some(ModelKind::Alias(target)) => ty = target,
                _ => return false,
            }
        }
        false
    }
}

fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        Some("date") => TypeRef::Date,
        Some("binary") => TypeRef::Binary,
        _ => TypeRef::String,
    }
}

fn integer_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("int32") => TypeRef::I32,
        _ => TypeRef::I64,
    }
}

pub(crate) fn collect_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => collect_named(inner, out),
        _ => {}
    }
}
