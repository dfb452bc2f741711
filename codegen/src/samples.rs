//! A JSON value that fits a schema, made up from the schema alone: for calling every operation
//! with valid arguments in the conformance suite.
//!
//! The value is minimal (an object has its required members only) so that as little as
//! possible can go wrong, and plausible (formats and bounds respected, scalar examples and
//! defaults used when they fit). What cannot be honoured from the schema alone (a `pattern`
//! without a fitting example, `not`) is left to the mock server to report.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::{Map, Value, json};

use crate::loader::BundledSchema;

/// How deep references are followed; past it, objects are empty and arrays have no items
/// (recursive schemas end there).
const MAX_DEPTH: usize = 12;

/// A value for `schema`, following `#/components/schemas/` references into `schemas`.
pub fn sample(schema: &ReferenceOr<Schema>, schemas: &IndexMap<String, BundledSchema>) -> Value {
    Sampler { schemas }.any(schema, 0)
}

struct Sampler<'a> {
    schemas: &'a IndexMap<String, BundledSchema>,
}

impl Sampler<'_> {
    fn any(&self, schema: &ReferenceOr<Schema>, depth: usize) -> Value {
        match schema {
            ReferenceOr::Item(schema) => self.schema(schema, depth),
            ReferenceOr::Reference { reference } => self.reference(reference, depth),
        }
    }

    fn boxed(&self, schema: &ReferenceOr<Box<Schema>>, depth: usize) -> Value {
        match schema {
            ReferenceOr::Item(schema) => self.schema(schema, depth),
            ReferenceOr::Reference { reference } => self.reference(reference, depth),
        }
    }

    fn reference(&self, reference: &str, depth: usize) -> Value {
        let target = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| self.schemas.get(name));
        match target {
            Some(target) if depth < MAX_DEPTH => self.schema(&target.schema, depth + 1),
            _ => Value::Null,
        }
    }

    fn schema(&self, schema: &Schema, depth: usize) -> Value {
        let data = &schema.schema_data;
        match &schema.schema_kind {
            SchemaKind::Type(ty) => {
                // A scalar example or default is more plausible than anything made up, when it fits.
                for given in [&data.example, &data.default].into_iter().flatten() {
                    if scalar_fits(ty, given) {
                        return given.clone();
                    }
                }
                self.typed(ty, depth)
            }
            SchemaKind::AllOf { all_of } => {
                // Object parts are combined before the value is made: a part may list as
                // required a member that another part declares.
                let mut properties = IndexMap::new();
                let mut required = Vec::new();
                if self.collect_object(schema, depth, &mut properties, &mut required) {
                    return self.object(&properties, &required, depth);
                }
                let mut merged = Map::new();
                let mut other = None;
                for part in all_of {
                    match self.any(part, depth) {
                        Value::Object(members) => merged.extend(members),
                        Value::Null => {}
                        value => other = Some(value),
                    }
                }
                match other {
                    Some(value) if merged.is_empty() => value,
                    _ => Value::Object(merged),
                }
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                let Some(first) = variants.first() else {
                    return json!({});
                };
                let mut value = self.any(first, depth);
                set_discriminator(data, first, &mut value);
                value
            }
            SchemaKind::Not { .. } => json!({}),
            SchemaKind::Any(any) => {
                if let Some(first) = any.enumeration.iter().find(|v| !v.is_null()) {
                    return first.clone();
                }
                // Only a scalar example: an object or array example is not checked against
                // the schema here, and the specs have wrong ones.
                if let Some(example) = &data.example
                    && any_scalar_fits(any.typ.as_deref(), example)
                {
                    return example.clone();
                }
                // The type decides the shape (`required` beside `type: array` says nothing).
                if any.typ.as_deref() == Some("array") {
                    return self.array(any.items.as_ref(), any.min_items, any.max_items, depth);
                }
                if !any.all_of.is_empty() {
                    let mut properties = IndexMap::new();
                    let mut required = Vec::new();
                    if self.collect_object(schema, depth, &mut properties, &mut required) {
                        return self.object(&properties, &required, depth);
                    }
                }
                if let Some(first) = any.one_of.first().or(any.any_of.first()) {
                    // A branch that only narrows the object's own members (`properties` beside
                    // `oneOf: [{properties: {kind: {enum: [A]}}, required: [a]}, ...]`): the
                    // members with the branch's schemas and requirements, so the value fits it.
                    if let Some((branch_properties, branch_required)) = narrowing_branch(first) {
                        let mut properties = any.properties.clone();
                        for (name, schema) in branch_properties {
                            properties.insert(name.clone(), schema.clone());
                        }
                        let mut required = any.required.clone();
                        for name in branch_required {
                            if !required.contains(name) {
                                required.push(name.clone());
                            }
                        }
                        if !any.properties.is_empty() {
                            return self.object(&properties, &required, depth);
                        }
                    }
                    let mut value = self.any(first, depth);
                    if let (Value::Object(members), Value::Object(own)) = (
                        &mut value,
                        self.object(&any.properties, &any.required, depth),
                    ) {
                        members.extend(own);
                    }
                    set_discriminator(data, first, &mut value);
                    return value;
                }
                if !any.properties.is_empty()
                    || !any.required.is_empty()
                    || any.typ.as_deref() == Some("object")
                {
                    return self.object(&any.properties, &any.required, depth);
                }
                match any.typ.as_deref() {
                    Some("string") => json!("string"),
                    Some("integer") => json!(1),
                    Some("number") => json!(1.5),
                    Some("boolean") => json!(true),
                    _ => json!({}),
                }
            }
        }
    }

    fn typed(&self, ty: &Type, depth: usize) -> Value {
        match ty {
            Type::String(s) => {
                if let Some(Some(first)) = s.enumeration.iter().find(|v| v.is_some()) {
                    return Value::String(first.clone());
                }
                let text = match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                        "2024-01-02T03:04:05Z".to_owned()
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "2024-01-02".to_owned(),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "c2FtcGxl".to_owned(),
                    VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
                        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_owned(),
                        "email" => "jane.doe@example.com".to_owned(),
                        "uri" | "url" => "https://example.com/sample".to_owned(),
                        "hostname" => "example.com".to_owned(),
                        "ipv4" => "192.0.2.1".to_owned(),
                        "ipv6" => "2001:db8::1".to_owned(),
                        _ => "sample".to_owned(),
                    },
                    _ => "sample".to_owned(),
                };
                // A pattern that admits one string only (`^\\{\\}$`) says what to send.
                let text = match s.pattern.as_deref().and_then(literal_pattern) {
                    Some(literal) => literal,
                    None => text,
                };
                let min = s.min_length.unwrap_or(0);
                let mut text = if text.chars().count() < min {
                    format!("{text}{}", "x".repeat(min - text.chars().count()))
                } else {
                    text
                };
                if let Some(max) = s.max_length {
                    text = text.chars().take(max).collect();
                }
                Value::String(text)
            }
            Type::Integer(i) => {
                if let Some(Some(first)) = i.enumeration.iter().find(|v| v.is_some()) {
                    return json!(first);
                }
                let low = i.minimum.map(|m| {
                    if i.exclusive_minimum {
                        m.saturating_add(1)
                    } else {
                        m
                    }
                });
                let high = i.maximum.map(|m| {
                    if i.exclusive_maximum {
                        m.saturating_sub(1)
                    } else {
                        m
                    }
                });
                let value = match (low, high) {
                    (Some(low), _) => low,
                    (None, Some(high)) => high.min(1),
                    (None, None) => 1,
                };
                json!(value)
            }
            Type::Number(n) => {
                if let Some(Some(first)) = n.enumeration.iter().find(|v| v.is_some()) {
                    return json!(first);
                }
                let mut value = n.minimum.map_or(1.5, |m| m + 1.0);
                if let Some(high) = n.maximum {
                    value = value.min(high);
                }
                json!(value)
            }
            Type::Boolean(b) => match b.enumeration.iter().flatten().next() {
                Some(first) => json!(first),
                None => json!(true),
            },
            Type::Array(a) => self.array(a.items.as_ref(), a.min_items, a.max_items, depth),
            Type::Object(o) => {
                let mut value = self.object(&o.properties, &o.required, depth);
                if let (Value::Object(members), Some(AdditionalProperties::Schema(extra))) =
                    (&mut value, &o.additional_properties)
                    && members.is_empty()
                    && o.min_properties.unwrap_or(0) > 0
                {
                    members.insert("key".to_owned(), self.any(extra, depth));
                }
                value
            }
        }
    }

    /// An array of `min` items (at least one, at most `max`), all the same sample.
    fn array(
        &self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        min: Option<usize>,
        max: Option<usize>,
        depth: usize,
    ) -> Value {
        let mut count = min.unwrap_or(1).max(1);
        if let Some(max) = max {
            count = count.min(max);
        }
        match items {
            Some(items) if depth < MAX_DEPTH && count > 0 => {
                let item = self.boxed(items, depth);
                if item.is_null() {
                    return json!([]);
                }
                Value::Array(vec![item; count])
            }
            _ => json!([]),
        }
    }

    /// Gathers the members and required names of an object schema, through references and
    /// nested `allOf`s; `false` when some part is not an object schema.
    fn collect_object(
        &self,
        schema: &Schema,
        depth: usize,
        properties: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
    ) -> bool {
        if depth >= MAX_DEPTH {
            return false;
        }
        let mut add = |props: &IndexMap<String, ReferenceOr<Box<Schema>>>, req: &[String]| {
            for (name, schema) in props {
                properties
                    .entry(name.clone())
                    .or_insert_with(|| schema.clone());
            }
            for name in req {
                if !required.contains(name) {
                    required.push(name.clone());
                }
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                add(&o.properties, &o.required);
                true
            }
            SchemaKind::Any(any) if any.typ.as_deref().is_none_or(|t| t == "object") => {
                add(&any.properties, &any.required);
                self.collect_parts(&any.all_of, depth, properties, required)
            }
            SchemaKind::AllOf { all_of } => self.collect_parts(all_of, depth, properties, required),
            _ => false,
        }
    }

    fn collect_parts(
        &self,
        parts: &[ReferenceOr<Schema>],
        depth: usize,
        properties: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
    ) -> bool {
        parts.iter().all(|part| match part {
            ReferenceOr::Item(part) => self.collect_object(part, depth, properties, required),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/schemas/")
                .and_then(|name| self.schemas.get(name))
                .is_some_and(|target| {
                    self.collect_object(&target.schema, depth + 1, properties, required)
                }),
        })
    }

    /// Whether a member schema is `readOnly`: itself, an annotation part of its `allOf`
    /// (`allOf: [{$ref: X}, {readOnly: true}]`), or the component it refers to.
    fn read_only(&self, schema: &ReferenceOr<Box<Schema>>) -> bool {
        let schema = match schema {
            ReferenceOr::Item(schema) => schema.as_ref(),
            ReferenceOr::Reference { reference } => {
                match reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| self.schemas.get(name))
                {
                    Some(target) => &target.schema,
                    None => return false,
                }
            }
        };
        if schema.schema_data.read_only {
            return true;
        }
        let parts = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of.as_slice(),
            SchemaKind::Any(any) => any.all_of.as_slice(),
            _ => &[],
        };
        parts.iter().any(|part| match part {
            ReferenceOr::Item(part) => part.schema_data.read_only,
            ReferenceOr::Reference { .. } => false,
        })
    }

    fn object(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        depth: usize,
    ) -> Value {
        let mut members = Map::new();
        for name in required {
            let value = match properties.get(name) {
                // Required in responses only (OpenAPI 3.0): a request leaves it out.
                Some(schema) if self.read_only(schema) => continue,
                Some(schema) => self.boxed(schema, depth),
                None => json!("sample"),
            };
            members.insert(name.clone(), value);
        }
        Value::Object(members)
    }
}

/// Whether an example is a scalar of the type a schema without a fixed kind names, if any.
/// An object's properties by name.
type Members = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// A discriminator names the variant: sets its tag in `value` (made from the union's `first`
/// member) to the value that selects that member.
fn set_discriminator(data: &SchemaData, first: &ReferenceOr<Schema>, value: &mut Value) {
    let (Some(discriminator), Value::Object(members)) = (&data.discriminator, value) else {
        return;
    };
    let tag = match first {
        ReferenceOr::Reference { reference } => discriminator
            .mapping
            .iter()
            .find(|(_, target)| target.rsplit('/').next() == reference.rsplit('/').next())
            .map(|(tag, _)| tag.clone())
            .or_else(|| reference.rsplit('/').next().map(str::to_owned)),
        ReferenceOr::Item(_) => discriminator.mapping.keys().next().cloned(),
    };
    if let Some(tag) = tag {
        members.insert(discriminator.property_name.clone(), Value::String(tag));
    }
}

/// The members and requirements of an inline `oneOf`/`anyOf` branch that declares no type of
/// its own, only properties or requirements: it narrows the object beside it.
fn narrowing_branch(branch: &ReferenceOr<Schema>) -> Option<(&Members, &[String])> {
    let ReferenceOr::Item(schema) = branch else {
        return None;
    };
    match &schema.schema_kind {
        SchemaKind::Any(any)
            if any.typ.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
                && (!any.properties.is_empty() || !any.required.is_empty()) =>
        {
            Some((&any.properties, &any.required))
        }
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        _ => None,
    }
}

fn any_scalar_fits(typ: Option<&str>, value: &Value) -> bool {
    match (typ, value) {
        (None, Value::String(_) | Value::Number(_) | Value::Bool(_)) => true,
        (Some("string"), Value::String(_)) | (Some("boolean"), Value::Bool(_)) => true,
        (Some("integer"), Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Some("number"), Value::Number(_)) => true,
        _ => false,
    }
}

/// Whether `text` matches an ECMA-262 `pattern` (searched, not anchored, as JSON Schema says);
/// a pattern the regex crate cannot read counts as a match, since nothing better is known.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    regex::Regex::new(pattern).map_or(true, |re| re.is_match(text))
}

/// The one string an anchored pattern of plain and escaped characters admits (`^\{\}$` gives
/// `{}`); `None` for any pattern with an operator.
fn literal_pattern(pattern: &str) -> Option<String> {
    let inner = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let mut literal = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next()?;
                if escaped.is_ascii_alphanumeric() {
                    return None; // a class such as \d or \w
                }
                literal.push(escaped);
            }
            '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '^' | '$' => {
                return None;
            }
            c => literal.push(c),
        }
    }
    matches_pattern(pattern, &literal).then_some(literal)
}

/// Whether a given example or default is a value of a scalar type (and in its enum and pattern,
/// if any).
fn scalar_fits(ty: &Type, value: &Value) -> bool {
    match (ty, value) {
        (Type::String(s), Value::String(text)) => {
            (s.enumeration.is_empty() || s.enumeration.iter().flatten().any(|e| e == text))
                && s.pattern
                    .as_deref()
                    .is_none_or(|p| matches_pattern(p, text))
        }
        (Type::Integer(i), Value::Number(n)) => n.as_i64().is_some_and(|n| {
            i.minimum.is_none_or(|m| n >= m)
                && i.maximum.is_none_or(|m| n <= m)
                && (i.enumeration.is_empty() || i.enumeration.contains(&Some(n)))
        }),
        (Type::Number(_), Value::Number(_)) | (Type::Boolean(_), Value::Bool(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> ReferenceOr<Schema> {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn named(entries: &[(&str, &str)]) -> IndexMap<String, BundledSchema> {
        entries
            .iter()
            .map(|(name, yaml)| {
                let ReferenceOr::Item(schema) = schema(yaml) else {
                    panic!("not a schema")
                };
                (
                    (*name).to_owned(),
                    BundledSchema {
                        schema,
                        origin: crate::loader::Origin {
                            file: "x.yaml".into(),
                            pointer: String::new(),
                        },
                    },
                )
            })
            .collect()
    }

    #[test]
    fn patterns_choose_the_example_or_the_one_string_they_admit() {
        let none = IndexMap::new();
        let s = |yaml: &str| sample(&schema(yaml), &none);
        assert_eq!(
            s(r#"{type: string, pattern: '^\{\}$', example: '{"a": 1}'}"#),
            json!("{}"),
            "an example the pattern rejects is not used; the literal the pattern spells is"
        );
        assert_eq!(
            s("{type: string, pattern: '^[a-z]+$', example: abc}"),
            json!("abc"),
            "an example that matches is used"
        );
        assert_eq!(s("{type: string, pattern: '^a.c$'}"), json!("sample"));
        assert_eq!(literal_pattern(r"^\d$"), None);
        assert_eq!(literal_pattern("^v1-beta$").as_deref(), Some("v1-beta"));
        assert_eq!(
            literal_pattern("v1"),
            None,
            "not anchored: any string containing it"
        );
    }

    #[test]
    fn scalars_respect_formats_enums_bounds_and_examples() {
        let none = IndexMap::new();
        let s = |yaml: &str| sample(&schema(yaml), &none);
        assert_eq!(
            s("{type: string, format: date-time}"),
            json!("2024-01-02T03:04:05Z")
        );
        assert_eq!(
            s("{type: string, format: uuid}"),
            json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")
        );
        assert_eq!(s("{type: string, enum: [B, C]}"), json!("B"));
        assert_eq!(s("{type: string, example: abc}"), json!("abc"));
        assert_eq!(
            s("{type: string, enum: [B], example: Z}"),
            json!("B"),
            "an example outside the enum is not used"
        );
        assert_eq!(s("{type: string, minLength: 10}"), json!("samplexxxx"));
        assert_eq!(s("{type: string, maxLength: 3}"), json!("sam"));
        assert_eq!(s("{type: integer, minimum: 5}"), json!(5));
        assert_eq!(s("{type: integer, maximum: 0}"), json!(0));
        assert_eq!(
            s("{type: integer, minimum: 0, exclusiveMinimum: true}"),
            json!(1)
        );
        assert_eq!(
            s("{type: integer, example: 250, maximum: 100}"),
            json!(1),
            "an example out of bounds is not used"
        );
        assert_eq!(s("{type: boolean}"), json!(true));
        assert_eq!(
            s("{type: array, items: {type: integer}, minItems: 2}"),
            json!([1, 1])
        );
    }

    #[test]
    fn objects_have_their_required_members_and_follow_references() {
        let schemas = named(&[
            (
                "Owner",
                "{type: object, required: [id], properties: {id: {type: string, example: o1}, note: {type: string}}}",
            ),
            (
                "Node",
                "{type: object, required: [child], properties: {child: {$ref: '#/components/schemas/Node'}}}",
            ),
        ]);
        let value = sample(
            &schema(
                "{type: object, required: [name, owner], properties: {name: {type: string}, owner: {$ref: '#/components/schemas/Owner'}, age: {type: integer}}}",
            ),
            &schemas,
        );
        assert_eq!(value, json!({"name": "sample", "owner": {"id": "o1"}}));
        // A recursive schema ends.
        let node = sample(&schema("{$ref: '#/components/schemas/Node'}"), &schemas);
        assert!(node.to_string().len() < 1000, "{node}");
        // A dangling reference is null, not a panic.
        assert_eq!(
            sample(&schema("{$ref: '#/components/schemas/Gone'}"), &schemas),
            Value::Null
        );
    }

    #[test]
    fn loose_schemas_follow_their_type_and_skip_object_examples() {
        let schemas = named(&[(
            "Item",
            "{type: object, required: [id], properties: {id: {type: string}}}",
        )]);
        // `required` beside `type: array` (openapiv3 reads it as an untyped schema) is no object.
        let value = sample(
            &schema(
                "{type: array, required: [id, name], minItems: 2, items: {$ref: '#/components/schemas/Item'}}",
            ),
            &schemas,
        );
        assert_eq!(value, json!([{"id": "sample"}, {"id": "sample"}]));
        // An object example is not trusted (it may not fit): the variants decide.
        let value = sample(
            &schema(
                "{type: object, anyOf: [{$ref: '#/components/schemas/Item'}], example: {id: 1, extra: true}}",
            ),
            &schemas,
        );
        assert_eq!(value, json!({"id": "sample"}));
        // A scalar example of the right type is still used.
        assert_eq!(
            sample(
                &schema("{type: string, nullable: true, oneOf: [{type: string}], example: abc}"),
                &schemas
            ),
            json!("abc")
        );
    }

    #[test]
    fn required_read_only_members_are_left_out() {
        let schemas = named(&[("Stamp", "{type: string, format: date-time, readOnly: true}")]);
        let value = sample(
            &schema(
                "{type: object, required: [name, id, created, modified], properties: {name: {type: string}, id: {type: string, readOnly: true}, created: {$ref: '#/components/schemas/Stamp'}, modified: {allOf: [{$ref: '#/components/schemas/Stamp'}, {readOnly: true}]}}}",
            ),
            &schemas,
        );
        assert_eq!(value, json!({"name": "sample"}));
    }

    #[test]
    fn a_one_of_that_narrows_the_members_is_followed() {
        let value = sample(
            &schema(
                "{type: object, required: [kind], properties: {kind: {type: string, enum: [A, B], example: B}, ids: {type: array, items: {type: string}}}, oneOf: [{properties: {kind: {enum: [A]}}, not: {required: [ids]}}, {properties: {kind: {enum: [B]}}, required: [ids]}]}",
            ),
            &named(&[]),
        );
        assert_eq!(value, json!({"kind": "A"}));
    }

    #[test]
    fn compositions_merge_or_pick_and_set_the_discriminator() {
        let schemas = named(&[
            (
                "Cat",
                "{type: object, required: [kind, lives], properties: {kind: {type: string}, lives: {type: integer}}}",
            ),
            (
                "Dog",
                "{type: object, required: [kind], properties: {kind: {type: string}}}",
            ),
        ]);
        let merged = sample(
            &schema(
                "{allOf: [{$ref: '#/components/schemas/Dog'}, {type: object, required: [x], properties: {x: {type: boolean}}}]}",
            ),
            &schemas,
        );
        assert_eq!(merged, json!({"kind": "sample", "x": true}));
        let tagged = sample(
            &schema(
                "{oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}], discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}}",
            ),
            &schemas,
        );
        assert_eq!(tagged, json!({"kind": "cat", "lives": 1}));
    }
}
