//! A bundle written back out as one self-contained OpenAPI document, for tools that want a
//! single file (a mock server, a validator).

use openapiv3::{Components, OpenAPI, Paths, ReferenceOr};
use serde_json::Value;

use super::{Bundle, REF_SIBLINGS};

impl Bundle {
    /// One OpenAPI 3.0 document with every path and schema of the bundle.
    ///
    /// - `path_prefix` is put in front of every path template (`/v3`), for servers that ignore
    ///   the base path of `servers`; the servers list is left empty.
    /// - With `drop_security`, operations carry no security requirements (the bundle keeps no
    ///   security schemes, so references to them would dangle).
    pub fn to_document(&self, path_prefix: &str, drop_security: bool) -> OpenAPI {
        let mut paths = Paths::default();
        for path in &self.paths {
            let mut item = path.item.clone();
            if drop_security {
                let operations = [
                    &mut item.get,
                    &mut item.put,
                    &mut item.post,
                    &mut item.delete,
                    &mut item.options,
                    &mut item.head,
                    &mut item.patch,
                    &mut item.trace,
                ];
                for operation in operations.into_iter().flatten() {
                    operation.security = None;
                }
            }
            paths.paths.insert(
                format!("{path_prefix}{}", path.template),
                ReferenceOr::Item(item),
            );
        }
        let mut components = Components::default();
        for (name, schema) in &self.schemas {
            components
                .schemas
                .insert(name.clone(), ReferenceOr::Item(schema.schema.clone()));
        }
        OpenAPI {
            openapi: "3.0.3".to_owned(),
            info: self.info.clone(),
            servers: Vec::new(),
            paths,
            components: Some(components),
            security: None,
            tags: self.tags.clone(),
            external_docs: None,
            extensions: Default::default(),
        }
    }

    /// [`Bundle::to_document`] as JSON, each `$ref` with sibling keys written as the spec wrote
    /// it (`{$ref: X, example: ..}`, not the bundle's `allOf` wrapper), as a one-file bundler
    /// (redocly's) writes it: tools that read the siblings (Prism serves an `example` written
    /// beside a `$ref`) see what the spec says.
    pub fn to_document_value(
        &self,
        path_prefix: &str,
        drop_security: bool,
    ) -> Result<Value, serde_json::Error> {
        let mut document = serde_json::to_value(self.to_document(path_prefix, drop_security))?;
        restore_ref_siblings(&mut document);
        Ok(document)
    }
}

/// Turns every marked `{allOf: [{$ref: X}], siblings..}` back into `{$ref: X, siblings..}`.
fn restore_ref_siblings(value: &mut Value) {
    match value {
        Value::Object(members) => {
            if members.remove(REF_SIBLINGS).is_some()
                && let Some(Value::Array(all_of)) = members.remove("allOf")
            {
                let reference = all_of
                    .into_iter()
                    .find_map(|member| member.get("$ref").cloned());
                if let Some(reference) = reference {
                    members.insert("$ref".to_owned(), reference);
                }
            }
            members.values_mut().for_each(restore_ref_siblings);
        }
        Value::Array(items) => items.iter_mut().for_each(restore_ref_siblings),
        _ => {}
    }
}
