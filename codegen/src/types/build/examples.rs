//! Which example values fall on each component schema: its own `example`, the parts of other
//! schemas' examples that reach it through a `$ref` (a property's member, an array's items),
//! and the examples of the request and response bodies that use it.
//!
//! The builder types nothing from examples but what a schema requires without declaring (see
//! `structs`); a component is typed once for every place that uses it, so it is typed from
//! every example that reaches it, gathered here before any component is built.

use std::collections::BTreeMap;

use openapiv3::{AdditionalProperties, MediaType, Operation, ReferenceOr, Schema};
use serde_json::Value;

use crate::loader::Bundle;

use super::view::view;
use super::{SRef, component_name};

/// How many references deep an example is followed: deep enough for the specs' nesting, and a
/// bound on recursive schemas.
const MAX_REFS: usize = 8;

/// Component name -> the example values that describe it.
pub(super) fn component_examples(bundle: &Bundle) -> BTreeMap<String, Vec<Value>> {
    let mut walker = Walker {
        bundle,
        found: BTreeMap::new(),
    };
    for (name, component) in &bundle.schemas {
        if let Some(example) = &component.schema.schema_data.example {
            walker.record(name, std::slice::from_ref(example), 0);
        }
    }
    for path in bundle.paths.iter().chain(&bundle.webhooks) {
        for (_, operation) in path.item.iter() {
            walker.operation(operation);
        }
    }
    walker.found
}

struct Walker<'b> {
    bundle: &'b Bundle,
    found: BTreeMap<String, Vec<Value>>,
}

impl Walker<'_> {
    fn operation(&mut self, operation: &Operation) {
        let bodies = operation.request_body.iter().filter_map(|body| match body {
            ReferenceOr::Item(body) => Some(&body.content),
            ReferenceOr::Reference { .. } => None,
        });
        let responses = operation
            .responses
            .default
            .iter()
            .chain(operation.responses.responses.values())
            .filter_map(|response| match response {
                ReferenceOr::Item(response) => Some(&response.content),
                ReferenceOr::Reference { .. } => None,
            });
        for content in bodies.chain(responses) {
            for media in content.values() {
                self.media(media);
            }
        }
    }

    fn media(&mut self, media: &MediaType) {
        let Some(schema) = &media.schema else {
            return;
        };
        let named = media.examples.values().filter_map(|example| match example {
            ReferenceOr::Item(example) => example.value.as_ref(),
            ReferenceOr::Reference { .. } => None,
        });
        let values: Vec<Value> = media.example.iter().chain(named).cloned().collect();
        if !values.is_empty() {
            self.walk(SRef::of(schema), &values, 0);
        }
    }

    /// Records `values` for the component `name` and follows them into its schema.
    fn record(&mut self, name: &str, values: &[Value], refs: usize) {
        let Some(component) = self.bundle.schemas.get(name) else {
            return;
        };
        self.found
            .entry(name.to_owned())
            .or_default()
            .extend(values.iter().cloned());
        if refs < MAX_REFS {
            self.walk(SRef::Item(&component.schema), values, refs + 1);
        }
    }

    fn walk(&mut self, schema: SRef<'_>, values: &[Value], refs: usize) {
        if values.is_empty() {
            return;
        }
        let schema: &Schema = match schema {
            SRef::Ref(reference) => {
                if let Some(name) = component_name(reference) {
                    self.record(&name, values, refs);
                }
                return;
            }
            SRef::Item(schema) => schema,
        };
        let v = view(schema);
        for (wire, property) in &v.properties {
            self.walk(*property, &members_named(values, wire), refs);
        }
        if let Some(items) = v.items {
            self.walk(items, &items_of(values), refs);
        }
        if let Some(AdditionalProperties::Schema(values_schema)) = v.additional {
            self.walk(SRef::of(values_schema), &map_values_of(values), refs);
        }
        // An allOf member describes the whole value; a oneOf or anyOf member only some values,
        // and which, is the union's to find out at run time.
        for member in &v.all_of {
            self.walk(*member, values, refs);
        }
    }
}

/// The members named `wire` of those `examples` that are objects.
pub(super) fn members_named(examples: &[Value], wire: &str) -> Vec<Value> {
    examples
        .iter()
        .filter_map(|example| example.get(wire))
        .cloned()
        .collect()
}

/// The items of those `examples` that are arrays.
pub(super) fn items_of(examples: &[Value]) -> Vec<Value> {
    examples
        .iter()
        .filter_map(Value::as_array)
        .flatten()
        .cloned()
        .collect()
}

/// The member values of those `examples` that are objects (a map's values).
pub(super) fn map_values_of(examples: &[Value]) -> Vec<Value> {
    examples
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|map| map.values())
        .cloned()
        .collect()
}
