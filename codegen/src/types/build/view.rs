//! One view of a schema, whichever way openapiv3 represented it (`Type`, `AllOf`, `Any`, ...),
//! and what is read off it for every kind of model: annotations, docs, nullability. Apart so
//! that the builders of each kind see one shape of schema.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::docs;
use crate::loader::BundledSchema;

use super::{MAX_DEPTH, SRef, component_name};

/// One view of a schema, whichever way openapiv3 represented it (`Type`, `AllOf`, `Any`, ...).
pub(super) struct View<'s> {
    pub(super) data: &'s SchemaData,
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<String>,
    pub(super) enumeration: Vec<Value>,
    pub(super) properties: Vec<(&'s str, SRef<'s>)>,
    pub(super) required: Vec<&'s str>,
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<SRef<'s>>,
    pub(super) all_of: Vec<SRef<'s>>,
    pub(super) one_of: Vec<SRef<'s>>,
    pub(super) any_of: Vec<SRef<'s>>,
    pub(super) not: bool,
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

pub(super) fn view(schema: &Schema) -> View<'_> {
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
    pub(super) fn single_all_of(&self) -> Option<SRef<'_>> {
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
    pub(super) fn annotations(&self) -> Vec<&SchemaData> {
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

pub(super) fn is_annotation_member(member: &SRef<'_>) -> bool {
    matches!(member, SRef::Item(schema) if view(schema).is_annotation())
}

/// Docs of a property schema, from its annotation members when it has none of its own.
pub(super) fn property_docs(schema: &Schema) -> String {
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
pub(in crate::types) fn is_nullable(
    schemas: &IndexMap<String, BundledSchema>,
    schema: &ReferenceOr<Schema>,
) -> bool {
    nullable(schemas, SRef::of(schema), 0)
}

pub(super) fn nullable(
    schemas: &IndexMap<String, BundledSchema>,
    schema: SRef<'_>,
    depth: usize,
) -> bool {
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

/// Title, description and notes of a schema, as Markdown.
pub(super) fn schema_docs(data: &SchemaData) -> String {
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
