//! Enum models: `enum` lists of strings become string enums (unknown values kept); other values
//! are typed as what they are.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::naming::{UniqueNames, variant_name};
use crate::types::TypeRef;
use crate::types::ir::{EnumVariant, Model, ModelKind};

use super::naming::{Ctx, Name};
use super::view::{View, schema_docs};
use super::{Builder, integer_type};

impl Builder<'_> {
    pub(super) fn enumeration(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
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
