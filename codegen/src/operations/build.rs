//! Building the operation model from a bundle: every method of every path item becomes an
//! [`Operation`], its parameters (path-level ones inherited, implicit headers taken out, path
//! placeholders bound to them) and names (unique per handle) settled, then grouped by tag.
//! Bodies, responses and paging are typed by the sibling modules, which extend the builder.

use std::collections::BTreeMap;

use openapiv3::{
    Operation as SpecOperation, Parameter, ParameterData, ParameterSchemaOrContent, ReferenceOr,
};

use crate::config::GeneratorConfig;
use crate::diagnostics::Diagnostics;
use crate::loader::{Bundle, BundledPath};
use crate::naming::{UniqueNames, snake_name, type_name};
use crate::types::{TypeRef, TypeSpace};

use super::versions::{major_version, strip_version_suffix, version_groups};
use super::{Api, Operation, Param, ParamLocation, TagGroup, Webhook};

/// Names that generated builders use for themselves; parameters get other names.
const BUILDER_RESERVED: &[&str] = &["client", "send", "new", "body"];

impl Api {
    pub fn build(
        bundle: &Bundle,
        config: &GeneratorConfig,
        types: &mut TypeSpace,
        diagnostics: &mut Diagnostics,
    ) -> Result<Api, crate::Error> {
        let base_path = base_path(bundle);
        let tag_docs: BTreeMap<&str, Option<&String>> = bundle
            .tags
            .iter()
            .map(|tag| (tag.name.as_str(), tag.description.as_ref()))
            .collect();

        let mut operations = Vec::new();
        let mut seen_ids = UniqueNames::new();
        for path in &bundle.paths {
            for (method, op) in methods(&path.item) {
                let mut builder = OperationBuilder {
                    bundle,
                    config,
                    types,
                    diagnostics,
                    path,
                    method,
                    op,
                };
                let mut operation = builder.build(&base_path)?;
                let unique = seen_ids.claim(&operation.operation_id);
                if unique != operation.operation_id {
                    builder.diagnostics.push(
                        builder.location(&operation.operation_id),
                        format!("operationId is not unique; named `{unique}` here"),
                    );
                    operation.operation_id = unique;
                }
                operations.push(operation);
            }
        }

        // Group by tag; module names unique, method and builder names unique within a module.
        let mut by_tag: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, op) in operations.iter().enumerate() {
            by_tag.entry(op.tag.clone()).or_default().push(index);
        }
        let mut modules = UniqueNames::new();
        // `mod.rs` of the apis folder cannot hold a module named `mod`; snake_name already avoids
        // keywords, and the handle types live in the tag modules.
        let mut tags: Vec<TagGroup> = by_tag
            .into_iter()
            .map(|(name, ops)| {
                let module = modules.claim(&snake_name(&name));
                let struct_name = format!("{}Api", type_name(&name));
                let (own, versions) = version_groups(&operations, ops, &name);
                TagGroup {
                    description: tag_docs.get(name.as_str()).copied().flatten().cloned(),
                    struct_name,
                    module,
                    name,
                    operations: own,
                    versions,
                }
            })
            .collect();
        tags.sort_by(|a, b| a.module.cmp(&b.module));
        let mut statics = UniqueNames::new();
        for tag in &tags {
            // Each handle's file holds its handle type, builders and response enums; the
            // methods of a handle are unique on it.
            let mut groups: Vec<(&str, &[usize])> = vec![(&tag.struct_name, &tag.operations)];
            groups.extend(
                tag.versions
                    .iter()
                    .map(|v| (v.struct_name.as_str(), v.operations.as_slice())),
            );
            let mut methods = UniqueNames::new();
            // The tag's handle also has the version accessors.
            for version in &tag.versions {
                methods.claim(&version.module);
            }
            for (handle, indexes) in groups {
                let mut items = UniqueNames::new();
                items.claim(handle);
                if handle != tag.struct_name {
                    methods = UniqueNames::new();
                }
                for &index in indexes {
                    let op = &mut operations[index];
                    op.method_name = methods.claim(&op.method_name);
                    op.builder_name = items.claim(&op.builder_name);
                    // Response enums are named after the builder; keep their names free.
                    items.claim(&format!("{}Response", op.builder_name));
                    op.static_name = statics.claim(&op.static_name);
                }
            }
        }

        // Event triggers are described as operations of the API's own: their request body is
        // what the subscriber receives. They are modelled the same way, but are not calls.
        let mut webhooks = Vec::new();
        let mut variants = UniqueNames::new();
        for hook in &bundle.webhooks {
            for (method, op) in methods(&hook.item) {
                let mut builder = OperationBuilder {
                    bundle,
                    config,
                    types,
                    diagnostics,
                    path: hook,
                    method,
                    op,
                };
                let operation = builder.build("")?;
                webhooks.push(Webhook {
                    name: hook.template.clone(),
                    variant: variants.claim(&type_name(&hook.template)),
                    operation,
                });
            }
        }

        Ok(Api {
            title: bundle.info.title.clone(),
            description: bundle.info.description.clone(),
            version: bundle.info.version.clone(),
            base_path,
            tags,
            operations,
            webhooks,
        })
    }
}

/// The path part of the first server URL, without a trailing slash (`https://{tenant}.x.com/v3`
/// gives `/v3`).
pub(crate) fn base_path(bundle: &Bundle) -> String {
    let Some(server) = bundle.servers.first() else {
        return String::new();
    };
    let url = server.url.as_str();
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    let path = match after_scheme.find('/') {
        Some(slash) if url.contains("://") => &after_scheme[slash..],
        Some(_) | None if url.starts_with('/') => url,
        _ => "",
    };
    path.trim_end_matches('/').to_string()
}

fn methods(item: &openapiv3::PathItem) -> Vec<(&'static str, &SpecOperation)> {
    [
        ("GET", &item.get),
        ("PUT", &item.put),
        ("POST", &item.post),
        ("DELETE", &item.delete),
        ("OPTIONS", &item.options),
        ("HEAD", &item.head),
        ("PATCH", &item.patch),
        ("TRACE", &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    .collect()
}

/// One operation being built; `bodies` and `pagination` add its other parts.
pub(super) struct OperationBuilder<'a> {
    pub(super) bundle: &'a Bundle,
    pub(super) config: &'a GeneratorConfig,
    pub(super) types: &'a mut TypeSpace,
    pub(super) diagnostics: &'a mut Diagnostics,
    pub(super) path: &'a BundledPath,
    pub(super) method: &'static str,
    pub(super) op: &'a SpecOperation,
}

impl OperationBuilder<'_> {
    fn location(&self, operation_id: &str) -> String {
        format!(
            "{} {} ({operation_id}) [{}]",
            self.method, self.path.template, self.path.origin
        )
    }

    fn build(&mut self, base_path: &str) -> Result<Operation, crate::Error> {
        let operation_id = match &self.op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => {
                let id = format!("{} {}", self.method.to_lowercase(), self.path.template);
                let id = snake_name(&id);
                self.diagnostics
                    .push(self.location("?"), format!("no operationId; named `{id}`"));
                id
            }
        };
        let location = self.location(&operation_id);
        let builder_name = type_name(&operation_id);
        let tag = self
            .op
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| "Default".to_string());

        let mut marks = Vec::new();
        let mut implicit_headers = Vec::new();
        let mut names = UniqueNames::new();
        for reserved in BUILDER_RESERVED {
            names.claim(reserved);
        }

        // Path-level parameters apply unless the operation redefines them (same name and place).
        let mut specs: Vec<&ParameterData> = Vec::new();
        let mut spec_locations: Vec<ParamLocation> = Vec::new();
        let own: Vec<&Parameter> = self.op.parameters.iter().filter_map(item).collect();
        let inherited: Vec<&Parameter> =
            self.path.item.parameters.iter().filter_map(item).collect();
        for parameter in inherited.iter().filter(|p| {
            !own.iter()
                .any(|o| o.parameter_data_ref().name == p.parameter_data_ref().name)
        }) {
            self.push_parameter(parameter, &location, &mut specs, &mut spec_locations);
        }
        for parameter in &own {
            self.push_parameter(parameter, &location, &mut specs, &mut spec_locations);
        }
        let dangling = self.op.parameters.len() + self.path.item.parameters.len()
            - own.len()
            - inherited.len();
        if dangling > 0 {
            self.diagnostics.push(
                &location,
                "a parameter is still a $ref after loading; it is skipped",
            );
        }

        let mut params = Vec::new();
        for (data, place) in specs.iter().zip(&spec_locations) {
            if *place == ParamLocation::Header {
                if let Some(implicit) = self
                    .config
                    .implicit_headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case(&data.name))
                {
                    implicit_headers.push((implicit.name.clone(), implicit.value.clone()));
                    if let Some(mark) = &implicit.marks_operation_as {
                        marks.push(mark.clone());
                    }
                    continue;
                }
            }
            let hint = format!("{builder_name}{}", type_name(&data.name));
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => Some(schema.clone()),
                ParameterSchemaOrContent::Content(content) => content
                    .iter()
                    .next()
                    .and_then(|(_, media)| media.schema.clone()),
            };
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.types.type_for(
                    schema,
                    &hint,
                    &format!("{location} parameter {}", data.name),
                    self.diagnostics,
                ),
                ParameterSchemaOrContent::Content(content) => {
                    match content
                        .iter()
                        .next()
                        .and_then(|(_, media)| media.schema.as_ref())
                    {
                        Some(schema) => self.types.type_for(
                            schema,
                            &hint,
                            &format!("{location} parameter {}", data.name),
                            self.diagnostics,
                        ),
                        None => TypeRef::String,
                    }
                }
            };
            params.push(Param {
                rust_name: names.claim(&snake_name(&data.name)),
                name: data.name.clone(),
                location: *place,
                required: data.required || *place == ParamLocation::Path,
                ty,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
                schema,
            });
        }

        let full_path = self.bind_path(&mut params, base_path, &location, &mut names);
        let body = self.body(&builder_name, &location, &mut names);
        let responses = self.responses(&builder_name, &location);

        let extensions = self
            .op
            .extensions
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        let mut scopes: Vec<String> = self
            .op
            .security
            .iter()
            .flatten()
            .flat_map(|requirement| requirement.values().flatten().cloned())
            .collect();
        scopes.sort();
        scopes.dedup();

        let pagination = self.pagination(&params, body.as_ref(), &responses);
        let retry_safe = self.config.retry_safe_operations.contains(&operation_id);
        let waiter = self
            .config
            .waiters
            .iter()
            .find(|waiter| waiter.operations.contains(&operation_id))
            .cloned();
        let major_version = self
            .config
            .service_versions
            .as_ref()
            .and_then(|versions| major_version(&self.path.template, versions));
        // The version is in the call (`.v1()`): method and builder names leave it out.
        let call_name = match (major_version, &self.config.service_versions) {
            (Some(major), Some(versions)) => {
                strip_version_suffix(&operation_id, major, versions).to_string()
            }
            _ => operation_id.clone(),
        };
        Ok(Operation {
            pagination,
            retry_safe,
            waiter,
            major_version,
            method_name: snake_name(&call_name),
            static_name: snake_name(&operation_id).to_ascii_uppercase(),
            builder_name: type_name(&call_name),
            operation_id,
            method: self.method,
            path: self.path.template.clone(),
            api_path: format!("{base_path}{}", self.path.template),
            full_path,
            tag,
            summary: self.op.summary.clone(),
            description: self.op.description.clone(),
            deprecated: self.op.deprecated,
            marks,
            implicit_headers,
            params,
            body,
            responses,
            extensions,
            scopes,
        })
    }

    fn push_parameter<'p>(
        &mut self,
        parameter: &'p Parameter,
        location: &str,
        specs: &mut Vec<&'p ParameterData>,
        places: &mut Vec<ParamLocation>,
    ) {
        let (data, place) = match parameter {
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            Parameter::Cookie { parameter_data, .. } => {
                self.diagnostics.push(
                    location,
                    format!(
                        "cookie parameter `{}` is not supported; it is skipped",
                        parameter_data.name
                    ),
                );
                return;
            }
        };
        specs.push(data);
        places.push(place);
    }

    /// Match the template's placeholders with the declared path parameters. Specs get this wrong
    /// (`/data-segments/{segmentId}` declaring `id`); each repair is reported.
    fn bind_path(
        &mut self,
        params: &mut Vec<Param>,
        base_path: &str,
        location: &str,
        names: &mut UniqueNames,
    ) -> String {
        let template = &self.path.template;
        let placeholders = placeholders(template);
        let is_path = |p: &Param| p.location == ParamLocation::Path;
        // Declared path parameters that no placeholder names: candidates for misnamed placeholders.
        let mut spare: std::collections::VecDeque<String> = params
            .iter()
            .filter(|p| is_path(p) && !placeholders.contains(&p.name.as_str()))
            .map(|p| p.name.clone())
            .collect();
        let mut bound: Vec<Param> = Vec::new();
        for placeholder in &placeholders {
            let by_name = params
                .iter()
                .position(|p| is_path(p) && p.name == *placeholder);
            let mut by_order = || {
                let name = spare.pop_front()?;
                let index = params.iter().position(|p| is_path(p) && p.name == name)?;
                Some((name, index))
            };
            let param = match by_name {
                Some(index) => params.remove(index),
                None => match by_order() {
                    Some((name, index)) => {
                        self.diagnostics.push(
                            location,
                            format!(
                                "path placeholder `{{{placeholder}}}` has no parameter of that name; \
                                 bound to the declared path parameter `{name}`"
                            ),
                        );
                        let mut param = params.remove(index);
                        param.name = placeholder.to_string();
                        param
                    }
                    None => {
                        self.diagnostics.push(
                            location,
                            format!(
                                "path placeholder `{{{placeholder}}}` is not declared; \
                                 it becomes a string parameter"
                            ),
                        );
                        Param {
                            name: placeholder.to_string(),
                            rust_name: names.claim(&snake_name(placeholder)),
                            location: ParamLocation::Path,
                            required: true,
                            ty: TypeRef::String,
                            description: None,
                            deprecated: false,
                            schema: None,
                        }
                    }
                },
            };
            bound.push(param);
        }
        let leftover: Vec<String> = params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
            .map(|p| p.name.clone())
            .collect();
        for name in leftover {
            self.diagnostics.push(
                location,
                format!(
                    "path parameter `{name}` does not appear in the path template; it is skipped"
                ),
            );
        }
        params.retain(|p| p.location != ParamLocation::Path);
        // Placeholders are rewritten to the Rust names, so emission can substitute them directly.
        let mut full_path = format!("{base_path}{template}");
        for param in &bound {
            full_path = full_path.replace(
                &format!("{{{}}}", param.name),
                &format!("{{{}}}", param.rust_name),
            );
        }
        let mut ordered = bound;
        ordered.append(params);
        *params = ordered;
        full_path
    }
}

fn item<T>(reference: &ReferenceOr<T>) -> Option<&T> {
    match reference {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    }
}

/// `{id}` placeholders of a path template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_order() {
        assert_eq!(
            placeholders("/a/{id}/b/{access-type}"),
            vec!["id", "access-type"]
        );
        assert_eq!(placeholders("/a/{unclosed"), Vec::<&str>::new());
        assert_eq!(placeholders("/plain"), Vec::<&str>::new());
    }
}
