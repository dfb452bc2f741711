//! A bundle written back out as one self-contained OpenAPI document, for tools that want a
//! single file (a mock server, a validator).

use openapiv3::{Components, OpenAPI, Paths, ReferenceOr};

use super::Bundle;

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
}
