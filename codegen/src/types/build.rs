//! Schemas to the intermediate model.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::ir::{EnumVariant, Field, Model, ModelKind, StructModel, UnionModel, UnionVariant};
use super::{Component, State, TypeRef};
use crate::diagnostics::Diagnostics;
use crate::docs;
use crate::loader::BundledSchema;
use crate::naming::{UniqueNames, snake_name, type_name, variant_name};

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

/// One view of a schema, whichever way openapiv3 represented it (`Type`, `AllOf`, `Any`, ...).
struct View<'s> {
    data: &'s SchemaData,
    typ: Option<&'s str>,
    format: Option<String>,
    enumeration: Vec<Value>,
    properties: Vec<(&'s str, SRef<'s>)>,
    required: Vec<&'s str>,
    additional: Option<&'s AdditionalProperties>,
    items: Option<SRef<'s>>,
    all_of: Vec<SRef<'s>>,
    one_of: Vec<SRef<'s>>,
    any_of: Vec<SRef<'s>>,
    not: bool,
}

fn format_name<T: Copy>(
    format: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(*item).to_string()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn enum_values<T>(values: &[Option<T>], to_value: impl Fn(&T) -> Value) -> Vec<Value> {
    values
        .iter()
        .map(|value| value.as_ref().map_or(Value::Null, &to_value))
        .collect()
}

fn view(schema: &Schema) -> View<'_> {
    let mut view = View {
        data: &schema.schema_data,
        typ: None,
        format: None,
        enumeration: Vec::new(),
        properties: Vec::new(),
        required: Vec::new(),
        additional: None,
        items: None,
        all_of: Vec::new(),
        one_of: Vec::new(),
        any_of: Vec::new(),
        not: false,
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            view.typ = Some("string");
            view.format = format_name(&s.format, |f| match f {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            });
            view.enumeration = enum_values(&s.enumeration, |v| Value::String(v.clone()));
        }
        SchemaKind::Type(Type::Number(n)) => {
            view.typ = Some("number");
            view.format = format_name(&n.format, |f| match f {
                openapiv3::NumberFormat::Float => "float",
                openapiv3::NumberFormat::Double => "double",
            });
            view.enumeration = enum_values(&n.enumeration, |v| {
                serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number)
            });
        }
        SchemaKind::Type(Type::Integer(i)) => {
            view.typ = Some("integer");
            view.format = format_name(&i.format, |f| match f {
                openapiv3::IntegerFormat::Int32 => "int32",
                openapiv3::IntegerFormat::Int64 => "int64",
            });
            view.enumeration = enum_values(&i.enumeration, |v| Value::from(*v));
        }
        SchemaKind::Type(Type::Boolean(b)) => {
            view.typ = Some("boolean");
            view.enumeration = enum_values(&b.enumeration, |v| Value::Bool(*v));
        }
        SchemaKind::Type(Type::Object(o)) => {
            view.typ = Some("object");
            view.properties = o
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), SRef::of_box(v)))
                .collect();
            view.required = o.required.iter().map(String::as_str).collect();
            view.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            view.typ = Some("array");
            view.items = a.items.as_ref().map(SRef::of_box);
        }
        SchemaKind::OneOf { one_of } => view.one_of = one_of.iter().map(SRef::of).collect(),
        SchemaKind::AllOf { all_of } => view.all_of = all_of.iter().map(SRef::of).collect(),
        SchemaKind::AnyOf { any_of } => view.any_of = any_of.iter().map(SRef::of).collect(),
        SchemaKind::Not { .. } => view.not = true,
        SchemaKind::Any(any) => {
            view.typ = any.typ.as_deref();
            view.format = any.format.clone();
            view.enumeration = any.enumeration.clone();
            view.properties = any
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), SRef::of_box(v)))
                .collect();
            view.required = any.required.iter().map(String::as_str).collect();
            view.additional = any.additional_properties.as_ref();
            view.items = any.items.as_ref().map(SRef::of_box);
            view.all_of = any.all_of.iter().map(SRef::of).collect();
            view.one_of = any.one_of.iter().map(SRef::of).collect();
            view.any_of = any.any_of.iter().map(SRef::of).collect();
            view.not = any.not.is_some();
        }
    }
    view
}

impl View<'_> {
    /// Says nothing about the shape: no properties, members, items or values. The specs use such
    /// `allOf` members to annotate a reference (`allOf: [{$ref: X}, {nullable: true}]`).
    fn is_annotation(&self) -> bool {
        self.properties.is_empty()
            && self.required.is_empty()
            && self.all_of.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.enumeration.is_empty()
            && self.items.is_none()
            && self.additional.is_none()
            && !self.not
    }

    /// `allOf: [X]` plus annotations at most: how the loader writes a reference with sibling
    /// keys, and how the specs write a nullable or described reference.
    fn single_all_of(&self) -> Option<SRef<'_>> {
        let plain = self.properties.is_empty()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.additional.is_none()
            && self.enumeration.is_empty()
            && self.items.is_none();
        if !plain {
            return None;
        }
        let mut substantive = self
            .all_of
            .iter()
            .filter(|member| !is_annotation_member(member));
        match (substantive.next(), substantive.next()) {
            (Some(member), None) => Some(*member),
            _ => None,
        }
    }

    /// The annotation members of a single-member `allOf` wrapper.
    fn annotations(&self) -> Vec<&SchemaData> {
        if self.single_all_of().is_none() {
            return Vec::new();
        }
        self.all_of
            .iter()
            .filter_map(|member| match member {
                SRef::Item(schema) if is_annotation_member(member) => Some(&schema.schema_data),
                _ => None,
            })
            .collect()
    }
}

fn is_annotation_member(member: &SRef<'_>) -> bool {
    matches!(member, SRef::Item(schema) if view(schema).is_annotation())
}

/// Docs of a property schema, from its annotation members when it has none of its own.
fn property_docs(schema: &Schema) -> String {
    let own = schema_docs(&schema.schema_data);
    if !own.is_empty() {
        return own;
    }
    view(schema)
        .annotations()
        .into_iter()
        .map(schema_docs)
        .find(|docs| !docs.is_empty())
        .unwrap_or_default()
}

/// Whether values of `schema` may be `null`.
pub(super) fn is_nullable(
    schemas: &IndexMap<String, BundledSchema>,
    schema: &ReferenceOr<Schema>,
) -> bool {
    nullable(schemas, SRef::of(schema), 0)
}

fn nullable(schemas: &IndexMap<String, BundledSchema>, schema: SRef<'_>, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let schema = match schema {
        SRef::Ref(reference) => match component_name(reference).and_then(|name| schemas.get(&name))
        {
            Some(component) => &component.schema,
            None => return false,
        },
        SRef::Item(schema) => schema,
    };
    let view = view(schema);
    view.data.nullable
        || view.enumeration.iter().any(Value::is_null)
        || view.annotations().iter().any(|data| data.nullable)
        || view
            .single_all_of()
            .is_some_and(|member| nullable(schemas, member, depth + 1))
        || (view.properties.is_empty()
            && view.all_of.is_empty()
            && view
                .one_of
                .iter()
                .chain(&view.any_of)
                .any(|member| nullable(schemas, *member, depth + 1)))
}

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

/// A variant that ends in the last word of the union's name says it twice
/// (`SearchHit::IdentityHit`): the word is dropped (`SearchHit::Identity`), unless that leaves
/// it empty or names it like another variant. Decided variant by variant, so that a variant
/// keeps its name when another version's union has one variant more or less.
fn drop_union_word(union_name: &str, variants: &mut [UnionVariant]) {
    let Some(start) = union_name
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
    else {
        return;
    };
    // Compared without case: a variant named from a schema file in one lowercase run
    // (`Accountsexportreportarguments` in `ReportArguments`) drops it as the others do.
    let word = union_name[start..].to_ascii_lowercase();
    let wanted: Vec<Option<String>> = variants
        .iter()
        .map(|v| {
            let cut = v.ident.len().checked_sub(word.len())?;
            let (rest, tail) = (v.ident.get(..cut)?, v.ident.get(cut..)?);
            (tail.eq_ignore_ascii_case(&word) && rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .then(|| rest.to_string())
        })
        .collect();
    let finals: Vec<String> = variants
        .iter()
        .zip(&wanted)
        .map(|(v, w)| w.clone().unwrap_or_else(|| v.ident.clone()))
        .collect();
    for (i, variant) in variants.iter_mut().enumerate() {
        let Some(short) = &wanted[i] else {
            continue;
        };
        let clash = short == "Unrecognized"
            || finals
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && other == short);
        if !clash {
            variant.ident = short.clone();
        }
    }
}

/// UpperCamelCase of a property name, to append to a parent type name.
fn pascal(raw: &str) -> String {
    let words: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = words.to_pascal_case();
    if name.is_empty() {
        "Value".to_string()
    } else {
        name
    }
}

/// A hint from a caller, made a valid and non-reserved type name.
fn sanitize_hint(hint: &str) -> String {
    let valid = hint.starts_with(|c: char| c.is_ascii_uppercase())
        && hint.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return type_name(hint);
    }
    let canonical = type_name(hint);
    if canonical.ends_with("Model") && !hint.ends_with("Model") {
        canonical
    } else {
        hint.to_string()
    }
}

/// Title, description and notes of a schema, as Markdown.
fn schema_docs(data: &SchemaData) -> String {
    let title = data
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let description = data
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let title = match (title, description) {
        (Some(t), Some(d)) if d.starts_with(t) => None,
        (t, _) => t,
    };
    let mut notes = Vec::new();
    if data.deprecated {
        notes.push("Deprecated: the API marks this as deprecated.");
    }
    if data.read_only {
        notes.push("Read-only: set by the server, ignored in requests.");
    }
    if data.write_only {
        notes.push("Write-only: sent in requests, never returned.");
    }
    docs::paragraphs(title.into_iter().chain(description).chain(notes))
}

/// Where generated models go and where diagnostics point.
#[derive(Clone, Debug)]
struct Ctx {
    /// File stem for new models; `None` until the first model of a `type_for` call claims one.
    file: Option<String>,
    location: String,
}

impl Ctx {
    fn at(&self, segment: &str) -> Ctx {
        let segment = segment.replace('~', "~0");
        Ctx {
            file: self.file.clone(),
            location: format!("{}/{}", self.location, segment),
        }
    }

    fn at_path(&self, segments: &[&str]) -> Ctx {
        segments
            .iter()
            .fold(self.clone(), |ctx, segment| ctx.at(segment))
    }
}

/// The name a new model gets: fixed (a component's) or claimed from a hint.
#[derive(Clone, Debug)]
enum Name {
    Fixed(String),
    Hint(String),
}

impl Name {
    fn base(&self) -> &str {
        match self {
            Name::Fixed(name) | Name::Hint(name) => name,
        }
    }

    fn child(&self, suffix: &str) -> Name {
        Name::Hint(format!("{}{suffix}", self.base()))
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

pub(super) struct Builder<'a> {
    schemas: &'a IndexMap<String, BundledSchema>,
    st: &'a mut State,
    diags: &'a mut Diagnostics,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        schemas: &'a IndexMap<String, BundledSchema>,
        st: &'a mut State,
        diags: &'a mut Diagnostics,
    ) -> Self {
        Builder { schemas, st, diags }
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
        let mut ty = self.type_schema(
            &bundled.schema,
            Name::Fixed(component.type_name.clone()),
            &ctx,
        );
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

    /// Claim the model name and, for `type_for`, the file it goes to.
    fn claim(&mut self, name: &Name, ctx: &Ctx) -> (String, usize, Ctx) {
        let name = match name {
            Name::Fixed(name) => name.clone(),
            Name::Hint(hint) => self.st.names.claim(hint),
        };
        let file = match &ctx.file {
            Some(file) => file.clone(),
            None => self.st.files.claim(&snake_name(&name)),
        };
        let seq = self.next_seq();
        (
            name,
            seq,
            Ctx {
                file: Some(file),
                location: ctx.location.clone(),
            },
        )
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
                return self.union(&v, name, ctx);
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
                TypeRef::Vec(Box::new(self.type_sref(items, item_name, &ctx.at("items"))))
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
                TypeRef::Map(Box::new(self.type_sref(
                    values,
                    name.child("Value"),
                    &ctx.at("additionalProperties"),
                )))
            }
            // Free-form object.
            _ => TypeRef::Json,
        }
    }

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

    fn structure(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
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
                    let ty = self.type_sref(prop.schema, hint, &prop_ctx);
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

    fn enumeration(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
        let values: Vec<&Value> = v
            .enumeration
            .iter()
            .filter(|value| !value.is_null())
            .collect();
        if values.is_empty() {
            return match v.typ {
                Some("integer") => integer_type(v.format.as_deref()),
                Some("number") => TypeRef::F64,
                Some("boolean") => TypeRef::Bool,
                _ => TypeRef::String,
            };
        }
        if values.iter().all(|value| value.is_boolean()) {
            return TypeRef::Bool;
        }
        if values.iter().all(|value| value.is_i64() || value.is_u64()) && v.typ != Some("number") {
            return integer_type(v.format.as_deref());
        }
        if values.iter().all(|value| value.is_number()) {
            return TypeRef::F64;
        }
        // A string enum whose list holds a few scalars of another kind (the v2024 `locale` enum
        // lists `false`, Norwegian `no` mangled by a YAML 1.1 tool) keeps them as their text:
        // the declared type says what goes on the wire.
        let stray: Vec<String> = values
            .iter()
            .filter(|value| !value.is_string())
            .map(|value| value.to_string())
            .collect();
        let values: Vec<Value> = if v.typ == Some("string")
            && values
                .iter()
                .all(|value| !value.is_array() && !value.is_object())
            && !stray.is_empty()
        {
            self.diag(
                ctx,
                format!(
                    "string enum lists non-string values ({}); kept as their text",
                    stray.join(", ")
                ),
            );
            values
                .iter()
                .map(|value| match value {
                    Value::String(_) => (*value).clone(),
                    other => Value::String(other.to_string()),
                })
                .collect()
        } else {
            values.into_iter().cloned().collect()
        };
        let values: Vec<&Value> = values.iter().collect();
        if !values.iter().all(|value| value.is_string()) {
            let kinds: BTreeSet<&str> = values.iter().map(|value| json_kind(value)).collect();
            let kinds: Vec<&str> = kinds.into_iter().collect();
            self.diag(
                ctx,
                format!(
                    "enum mixes value kinds ({}); typed as serde_json::Value",
                    kinds.join(", ")
                ),
            );
            return TypeRef::Json;
        }
        let (model_name, seq, ctx) = self.claim(&name, ctx);
        let mut idents = UniqueNames::new();
        idents.claim("Unrecognized");
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for value in values {
            let wire = value.as_str().unwrap_or_default().to_string();
            if seen.insert(wire.clone()) {
                variants.push(EnumVariant {
                    ident: idents.claim(&variant_name(&wire)),
                    wire,
                });
            }
        }
        self.push_model(Model {
            name: model_name.clone(),
            file: ctx.file.clone().unwrap_or_default(),
            seq,
            docs: schema_docs(v.data),
            kind: ModelKind::StringEnum(variants),
        });
        TypeRef::Named(model_name)
    }

    fn union(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
        let (members, keyword) = if v.one_of.is_empty() {
            (&v.any_of, "anyOf")
        } else {
            (&v.one_of, "oneOf")
        };
        if !v.one_of.is_empty() && !v.any_of.is_empty() {
            self.diag(ctx, "anyOf next to oneOf is ignored");
        }
        // A oneOf of strings and string enums is a string: no model, not even for inline enums.
        if v.data.discriminator.is_none() && members.iter().all(|member| self.string_like(*member))
        {
            return TypeRef::String;
        }
        let union_name = match &name {
            Name::Fixed(fixed) => fixed.clone(),
            // Claimed now so that inline members are named after it; it stays unused if the
            // union turns out to be a plain type.
            Name::Hint(hint) => self.st.names.claim(hint),
        };
        let seq = self.next_seq();
        let mut ctx = ctx.clone();
        if ctx.file.is_none() {
            ctx.file = Some(self.st.files.claim(&snake_name(&union_name)));
        }
        let mut members_typed: Vec<(String, TypeRef, SRef<'_>)> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_ctx = ctx.at_path(&[keyword, &i.to_string()]);
            // Inline members are named by their title, else by their position.
            let title = match member {
                SRef::Item(schema) => schema
                    .schema_data
                    .title
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty()),
                SRef::Ref(_) => None,
            };
            let fallback = title.map_or_else(|| format!("Variant{}", i + 1), variant_name);
            let ty = self.type_sref(
                *member,
                Name::Hint(format!("{union_name}{fallback}")),
                &member_ctx,
            );
            let ident = match member {
                SRef::Ref(reference) => component_name(reference)
                    .and_then(|c| self.st.components.get(&c))
                    .map_or(fallback, |c| c.type_name.clone()),
                SRef::Item(_) if title.is_some() => fallback,
                SRef::Item(_) => match &ty {
                    TypeRef::Named(_) => fallback,
                    ty => primitive_variant_name(ty),
                },
            };
            members_typed.push((ident, ty, *member));
        }

        let discriminator = v.data.discriminator.as_ref();
        let tagged = match discriminator {
            Some(d) => match members_typed
                .iter()
                .position(|(_, _, m)| !matches!(m, SRef::Ref(_)))
            {
                Some(i) => {
                    self.diag(
                        &ctx,
                        format!("discriminator `{}` ignored: {keyword} member {i} is not a $ref; decoded untagged", d.property_name),
                    );
                    None
                }
                None => Some(d),
            },
            None => None,
        };

        if tagged.is_none() {
            // Variants of the same type could never be reached.
            let mut seen = BTreeSet::new();
            members_typed.retain(|(_, ty, _)| seen.insert(ty.clone()));
            let string_like = members_typed
                .iter()
                .all(|(_, ty, _)| matches!(ty, TypeRef::String) || self.is_string_enum(ty));
            if string_like {
                return TypeRef::String;
            }
            if members_typed.len() == 1 {
                return members_typed.remove(0).1;
            }
        }

        let (union_name, _, ctx) = self.claim(&Name::Fixed(union_name), &ctx);
        let mut idents = UniqueNames::new();
        let mut variants: Vec<UnionVariant> = members_typed
            .into_iter()
            .map(|(ident, ty, member)| {
                let tags = match (tagged, member) {
                    (Some(d), SRef::Ref(reference)) => {
                        let component = component_name(reference).unwrap_or_default();
                        let mut tags: Vec<String> = d
                            .mapping
                            .iter()
                            .filter(|(_, target)| mapping_matches(target, &component))
                            .map(|(key, _)| key.clone())
                            .collect();
                        if tags.is_empty() {
                            tags.push(component);
                        }
                        tags
                    }
                    _ => Vec::new(),
                };
                UnionVariant {
                    ident: idents.claim(&ident),
                    ty,
                    tags,
                }
            })
            .collect();
        drop_union_word(&union_name, &mut variants);
        let unrecognized = tagged.map(|_| idents.claim("Unrecognized"));
        let docs_text = schema_docs(v.data);
        let docs = match tagged {
            Some(d) => {
                let components: Vec<String> = members
                    .iter()
                    .filter_map(|m| match m {
                        SRef::Ref(r) => component_name(r),
                        SRef::Item(_) => None,
                    })
                    .collect();
                for (key, target) in &d.mapping {
                    if !components.iter().any(|c| mapping_matches(target, c)) {
                        self.diag(&ctx, format!("discriminator mapping `{key}` -> `{target}` matches no {keyword} member; ignored"));
                    }
                }
                docs::paragraphs([
                    docs_text,
                    format!(
                        "The variant is chosen by the `{}` property of the object; objects with \
                         a value this client does not know are kept as `{}`.",
                        d.property_name,
                        unrecognized.as_deref().unwrap_or_default(),
                    ),
                ])
            }
            None => {
                variants.sort_by_key(|variant| self.rank(&variant.ty, 0));
                docs::paragraphs([docs_text, UNTAGGED_ORDER.to_string()])
            }
        };
        self.push_model(Model {
            name: union_name.clone(),
            file: ctx.file.clone().unwrap_or_default(),
            seq,
            docs,
            kind: ModelKind::Union(UnionModel {
                variants,
                discriminator: tagged.map(|d| d.property_name.clone()),
                unrecognized,
            }),
        });
        TypeRef::Named(union_name)
    }

    /// Whether a union member is a plain string or a string enum.
    fn string_like(&mut self, member: SRef<'_>) -> bool {
        match member {
            SRef::Ref(reference) => {
                match component_name(reference).filter(|n| self.schemas.contains_key(n)) {
                    Some(name) => {
                        let ty = self.component(&name);
                        ty == TypeRef::String || self.is_string_enum(&ty)
                    }
                    None => false,
                }
            }
            SRef::Item(schema) => {
                let v = view(schema);
                v.typ == Some("string")
                    && string_type(v.format.as_deref()) == TypeRef::String
                    && v.enumeration
                        .iter()
                        .all(|value| value.is_string() || value.is_null())
                    && !v.not
            }
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

    /// Sort key of an untagged variant: the most specific shapes first (see [`UNTAGGED_ORDER`]).
    fn rank(&self, ty: &TypeRef, depth: usize) -> (u8, isize, isize) {
        match ty {
            TypeRef::Named(name) => match self.model(name).map(|m| &m.kind) {
                Some(ModelKind::Struct(s)) => {
                    let required = s.fields.iter().filter(|f| f.required).count() as isize;
                    (0, -required, -(s.fields.len() as isize))
                }
                Some(ModelKind::Union(_)) => (1, 0, 0),
                Some(ModelKind::StringEnum(_)) => (8, 0, 0),
                Some(ModelKind::Alias(target)) if depth < MAX_DEPTH => self.rank(target, depth + 1),
                // A struct still being built (a recursive reference).
                _ => (0, 0, 0),
            },
            TypeRef::Vec(_) => (2, 0, 0),
            TypeRef::Map(_) => (3, 0, 0),
            TypeRef::Bool => (4, 0, 0),
            TypeRef::I32 | TypeRef::I64 => (5, 0, 0),
            TypeRef::F32 | TypeRef::F64 => (6, 0, 0),
            TypeRef::DateTime => (7, 0, 0),
            TypeRef::Date => (7, 1, 0),
            TypeRef::String | TypeRef::Binary => (9, 0, 0),
            TypeRef::Json => (10, 0, 0),
        }
    }
}

/// The matching-order rule of untagged unions, as documented on each of them.
pub(crate) const UNTAGGED_ORDER: &str = "Decoded without a tag: the variants are tried in the order \
     listed. Of the struct variants an object decodes into, the one declaring all of its members \
     wins, else the one leaving the fewest undeclared (the earliest on a tie); otherwise the first \
     that matches wins. Objects come first, those with more required \
     properties (then more properties) before others; then unions, arrays, maps, booleans, \
     integers, numbers, dates, string enums, strings, and free-form JSON last.";

/// Whether a discriminator mapping value (`#/components/schemas/X`, `X`, `../x/X.yaml`,
/// `file.yaml#/X`) points at component `component`.
fn mapping_matches(target: &str, component: &str) -> bool {
    if let Some(name) = component_name(target) {
        return name == component;
    }
    let last = target.rsplit(['/', '#']).next().unwrap_or(target);
    let stem = [".yaml", ".yml", ".json"]
        .iter()
        .fold(last, |s, ext| s.strip_suffix(ext).unwrap_or(s));
    stem == component || (!stem.is_empty() && type_name(stem) == type_name(component))
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

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn primitive_variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::String => "String".into(),
        TypeRef::Binary => "Binary".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(inner) => format!("{}List", primitive_variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", primitive_variant_name(inner)),
        TypeRef::Named(name) => name.clone(),
    }
}

pub(super) fn collect_named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => collect_named(inner, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants(idents: &[&str]) -> Vec<UnionVariant> {
        idents
            .iter()
            .map(|ident| UnionVariant {
                ident: ident.to_string(),
                ty: TypeRef::Named(ident.to_string()),
                tags: Vec::new(),
            })
            .collect()
    }

    fn stripped(union: &str, idents: &[&str]) -> Vec<String> {
        let mut variants = variants(idents);
        drop_union_word(union, &mut variants);
        variants.into_iter().map(|v| v.ident).collect()
    }

    #[test]
    fn variants_that_repeat_the_unions_last_word_drop_it() {
        assert_eq!(
            stripped("SearchHit", &["IdentityHit", "RoleHit"]),
            ["Identity", "Role"]
        );
        // Variant by variant: one that does not end in it keeps its name, the others still drop
        // it; one that would be empty or like another keeps its name.
        assert_eq!(
            stripped("SearchHit", &["IdentityHit", "RoleSearchedItem"]),
            ["Identity", "RoleSearchedItem"]
        );
        assert_eq!(
            stripped("SearchHit", &["RoleHit", "Role"]),
            ["RoleHit", "Role"]
        );
        assert_eq!(stripped("SearchHit", &["Hit", "RoleHit"]), ["Hit", "Role"]);
        assert_eq!(
            stripped("ReportArguments", &["ExportArguments", "ExportArguments2"]),
            ["Export", "ExportArguments2"]
        );
        assert_eq!(stripped("Value", &["StringValue"]), ["String"]);
        assert_eq!(
            stripped(
                "ReportArguments",
                &["Searchexportreportarguments", "OrphanArguments"]
            ),
            ["Searchexportreport", "Orphan"]
        );
        assert_eq!(
            stripped("Result", &["UnrecognizedResult", "OkResult"]),
            ["UnrecognizedResult", "Ok"]
        );
    }
}
