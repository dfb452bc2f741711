//! The operation model: every operation of a bundle, with its parameters, body and responses typed
//! through the [`TypeSpace`], grouped by tag. Emission works from this model only.

use std::collections::BTreeMap;

use openapiv3::{
    MediaType, Operation as SpecOperation, Parameter, ParameterData, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Response, Schema, StatusCode,
};

use crate::config::{
    GeneratorConfig, OffsetPaginationConfig, SearchAfterConfig, ServiceVersionsConfig,
};
use crate::diagnostics::Diagnostics;
use crate::loader::{Bundle, BundledPath};
use crate::naming::{UniqueNames, snake_name, type_name};
use crate::types::{TypeRef, TypeSpace};

/// One API version: its operations grouped by tag.
#[derive(Debug)]
pub struct Api {
    pub title: String,
    pub description: Option<String>,
    pub version: String,
    /// Path prefix of every operation, from the first server URL (`/v3`); empty when there is none.
    pub base_path: String,
    /// Tags in order of their module names, each with the indexes of its operations.
    pub tags: Vec<TagGroup>,
    /// Every operation, in spec order (paths in document order, methods in a fixed order).
    pub operations: Vec<Operation>,
    /// Event triggers, in spec order.
    pub webhooks: Vec<Webhook>,
}

/// The operations of one tag: one `apis/<module>.rs` file and one `<Struct>` handle type.
///
/// When the API versions each group on its own ([`ServiceVersionsConfig`]), a tag is a service:
/// the operations whose path carries a major version are on that version's handle
/// (`apis/<module>/v1.rs`, `AccountsV1Api`, reached with `.v1()`), so that a service gaining a `v2`
/// adds a handle and changes nothing that `v1` callers use.
#[derive(Debug)]
pub struct TagGroup {
    /// Tag as the spec spells it (`Auth Users`).
    pub name: String,
    pub description: Option<String>,
    /// Module and accessor method name (`auth_users`).
    pub module: String,
    /// Handle type name (`AuthUsersApi`).
    pub struct_name: String,
    /// Operations on the tag's handle itself: all of them, unless the API versions its services.
    pub operations: Vec<usize>,
    /// With service versions: the operations of each major version, lowest first.
    pub versions: Vec<VersionGroup>,
}

/// The operations of one major version of a service: one `apis/<tag>/<module>.rs` file and one
/// handle type.
#[derive(Debug)]
pub struct VersionGroup {
    pub major: u64,
    /// Module and accessor method name (`v1`).
    pub module: String,
    /// Handle type name (`AccountsV1Api`).
    pub struct_name: String,
    pub operations: Vec<usize>,
}

impl TagGroup {
    /// Every operation of the tag, those on its own handle first, then by major version.
    pub fn all_operations(&self) -> impl Iterator<Item = usize> + '_ {
        self.operations
            .iter()
            .chain(self.versions.iter().flat_map(|v| &v.operations))
            .copied()
    }

    pub fn operation_count(&self) -> usize {
        self.all_operations().count()
    }
}

/// How an operation is reached from the version's `Api`: its tag's handle, then its major
/// version's handle when it has one.
#[derive(Debug, Clone, Copy)]
pub struct Route<'a> {
    pub tag: &'a TagGroup,
    pub version: Option<&'a VersionGroup>,
}

impl Route<'_> {
    /// The accessor calls from `Api` to the handle: `accounts().v1()`.
    pub fn accessors(&self) -> String {
        match self.version {
            Some(version) => format!("{}().{}()", self.tag.module, version.module),
            None => format!("{}()", self.tag.module),
        }
    }

    /// The handle's module under `apis`: `accounts::v1`.
    pub fn module_path(&self) -> String {
        match self.version {
            Some(version) => format!("{}::{}", self.tag.module, version.module),
            None => self.tag.module.clone(),
        }
    }

    /// The handle type that has the operation's method.
    pub fn handle(&self) -> &str {
        match self.version {
            Some(version) => &version.struct_name,
            None => &self.tag.struct_name,
        }
    }
}

impl Api {
    /// Every operation with how it is reached, in the order of the tags (and of their versions).
    pub fn routes(&self) -> impl Iterator<Item = (Route<'_>, &Operation)> + '_ {
        self.tags.iter().flat_map(move |tag| {
            let own = tag.operations.iter().map(move |&index| {
                let route = Route { tag, version: None };
                (route, &self.operations[index])
            });
            let versioned = tag.versions.iter().flat_map(move |version| {
                version.operations.iter().map(move |&index| {
                    let route = Route {
                        tag,
                        version: Some(version),
                    };
                    (route, &self.operations[index])
                })
            });
            own.chain(versioned)
        })
    }
}

#[derive(Debug)]
pub struct Operation {
    pub operation_id: String,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// Path template as the spec spells it, without the base path (`/accounts/{id}`).
    pub path: String,
    /// Path template with the base path, as the spec spells it (`/v3/accounts/{id}`): for the
    /// operation table and docs.
    pub api_path: String,
    /// Path template with the base path, with placeholders renamed to the parameters they bind to.
    pub full_path: String,
    pub tag: String,
    /// The service's major version the path carries (`1` for `/accounts/v1/{id}`), when the API
    /// versions its services ([`ServiceVersionsConfig`]).
    pub major_version: Option<u64>,
    /// Method on the tag handle (`list_accounts`); with service versions, without the version
    /// suffix of the operationId (`listAccountsV1` is `v1().list_accounts()`).
    pub method_name: String,
    /// Request builder type (`ListAccounts`).
    pub builder_name: String,
    /// Name of the `OperationInfo` static (`LIST_ACCOUNTS`).
    pub static_name: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// What implicit headers mark the operation as (`experimental`).
    pub marks: Vec<String>,
    /// Headers the client sends by itself for this operation (name, value).
    pub implicit_headers: Vec<(String, String)>,
    /// Path parameters in template order, then the other parameters in spec order.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<SuccessResponse>,
    /// `x-` extensions of the operation, for docs.
    pub extensions: BTreeMap<String, serde_json::Value>,
    /// Scopes from the operation's `security` requirements, for docs.
    pub scopes: Vec<String>,
    /// Set when the operation pages (see [`OffsetPaginationConfig`] and [`SearchAfterConfig`]).
    pub pagination: Option<Pagination>,
    /// Safe to send again after a gateway error although the method is not idempotent (listed
    /// in the configuration).
    pub retry_safe: bool,
    /// Set when the operation is the status of long-running work (see
    /// [`crate::config::WaiterConfig`]): it gets a `wait()`.
    pub waiter: Option<crate::config::WaiterConfig>,
}

/// How a list operation pages: its paging parameters and its item type.
#[derive(Debug)]
pub struct Pagination {
    pub kind: PaginationKind,
    /// Wire name of the limit parameter.
    pub limit_name: String,
    /// Rust name of the builder field that holds the limit.
    pub limit_param: String,
    /// The wire name of the count parameter, when the operation declares it.
    pub count_param: Option<String>,
    pub total_header: String,
    pub page_size: u64,
    pub item: TypeRef,
}

#[derive(Debug)]
pub enum PaginationKind {
    /// Offset/limit in the query.
    Offset {
        /// Wire name of the offset parameter.
        offset_name: String,
        /// Rust name of the builder field that holds it (where the listing starts).
        offset_param: String,
    },
    /// The next page starts after the sort values of the last item, sent in the JSON body.
    SearchAfter {
        sort_field: String,
        after_field: String,
        tiebreaker: Option<String>,
        /// Rust name of the builder's offset field, when the operation has one: it is not sent.
        unused_offset_param: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug)]
pub struct Param {
    /// Name on the wire.
    pub name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The parameter's schema (none for an undeclared path placeholder), for making up a value
    /// that fits it ([`crate::samples`]).
    pub schema: Option<ReferenceOr<Schema>>,
}

#[derive(Debug)]
pub struct Body {
    pub required: bool,
    pub description: Option<String>,
    pub kind: BodyKind,
    /// The media type's schema, for making up a body that fits it ([`crate::samples`]).
    pub schema: Option<ReferenceOr<Schema>>,
    /// The media type's examples (JSON bodies only): label (`example`, `examples/<name>`) and value.
    pub examples: Vec<(String, serde_json::Value)>,
}

#[derive(Debug)]
pub enum BodyKind {
    /// JSON, or a JSON-based media type such as `application/json-patch+json`, sent as is.
    Json { content_type: String, ty: TypeRef },
    /// `multipart/form-data`: one builder field per form field.
    Multipart { fields: Vec<MultipartField> },
    /// A text body (`text/csv`, ...).
    Text { content_type: String },
    /// Raw bytes (`application/octet-stream`, ...).
    Binary { content_type: String },
}

#[derive(Debug)]
pub struct MultipartField {
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    /// A file part (`format: binary`); otherwise a text part.
    pub file: bool,
    pub ty: TypeRef,
    pub description: Option<String>,
    /// The field's schema, for making up a value that fits it ([`crate::samples`]).
    pub schema: ReferenceOr<Schema>,
}

/// One success status and what its body decodes to.
#[derive(Debug, Clone)]
pub struct SuccessResponse {
    /// `200`; `None` for a `2XX` range or `default`.
    pub status: Option<u16>,
    pub description: String,
    pub body: ResponseBody,
    /// The media type's examples (JSON bodies only): label (`example`, `examples/<name>`) and value.
    pub examples: Vec<(String, serde_json::Value)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    Empty,
    Json { content_type: String, ty: TypeRef },
    Text { content_type: String },
    Bytes { content_type: String },
}

impl ResponseBody {
    pub fn content_type(&self) -> Option<&str> {
        match self {
            ResponseBody::Empty => None,
            ResponseBody::Json { content_type, .. }
            | ResponseBody::Text { content_type }
            | ResponseBody::Bytes { content_type } => Some(content_type),
        }
    }
}

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

/// Splits a tag's operations into those without a major version (on the tag's handle) and one
/// group per major version, lowest first.
fn version_groups(
    operations: &[Operation],
    indexes: Vec<usize>,
    tag: &str,
) -> (Vec<usize>, Vec<VersionGroup>) {
    let mut own = Vec::new();
    let mut by_major: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for index in indexes {
        match operations.get(index).and_then(|op| op.major_version) {
            Some(major) => by_major.entry(major).or_default().push(index),
            None => own.push(index),
        }
    }
    let versions = by_major
        .into_iter()
        .map(|(major, operations)| VersionGroup {
            major,
            module: format!("v{major}"),
            struct_name: format!("{}V{major}Api", type_name(tag)),
            operations,
        })
        .collect();
    (own, versions)
}

/// The major version in a path without its base path: the first segment that is the
/// configured prefix followed by digits (`/accounts/v1/{id}` -> 1).
pub fn major_version(path: &str, config: &ServiceVersionsConfig) -> Option<u64> {
    path.split('/').find_map(|segment| {
        let digits = segment.strip_prefix(config.path_segment_prefix.as_str())?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    })
}

/// The operationId without the suffix that repeats the major version (`listAccountsV1` ->
/// `listAccounts`); unchanged when it has none or nothing would be left.
pub fn strip_version_suffix<'a>(
    operation_id: &'a str,
    major: u64,
    config: &ServiceVersionsConfig,
) -> &'a str {
    let suffix = format!("{}{major}", config.operation_id_suffix);
    match operation_id.strip_suffix(suffix.as_str()) {
        Some(stem) if !stem.is_empty() => stem,
        _ => operation_id,
    }
}

/// An event trigger (`x-webhooks`): a request the API sends to a subscriber's URL.
#[derive(Debug)]
pub struct Webhook {
    /// The trigger's name in the spec (`AccessRequestDecision`).
    pub name: String,
    /// Its variant name in the generated enums, unique in the version.
    pub variant: String,
    /// The request described as an operation: its JSON body is the payload, its JSON 200
    /// answer (request-response triggers) what the subscriber answers.
    pub operation: Operation,
}

impl Webhook {
    /// The payload's type, when the trigger sends JSON.
    pub fn payload(&self) -> Option<&TypeRef> {
        match self.operation.body.as_ref().map(|body| &body.kind) {
            Some(BodyKind::Json { ty, .. }) => Some(ty),
            _ => None,
        }
    }

    /// The type of the subscriber's answer, for a trigger that expects one.
    pub fn answer(&self) -> Option<&TypeRef> {
        self.operation.responses.iter().find_map(|r| match &r.body {
            ResponseBody::Json { ty, .. } => Some(ty),
            _ => None,
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

struct OperationBuilder<'a> {
    bundle: &'a Bundle,
    config: &'a GeneratorConfig,
    types: &'a mut TypeSpace,
    diagnostics: &'a mut Diagnostics,
    path: &'a BundledPath,
    method: &'static str,
    op: &'a SpecOperation,
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

    /// How the operation pages, if it does: search-after when its JSON body has the configured
    /// sort and cursor properties, offset/limit when it has no body and takes both query
    /// parameters; in both cases it must take an integer limit and answer one JSON array.
    fn pagination(
        &self,
        params: &[Param],
        body: Option<&Body>,
        responses: &[SuccessResponse],
    ) -> Option<Pagination> {
        let item = match responses {
            [
                SuccessResponse {
                    body:
                        ResponseBody::Json {
                            ty: TypeRef::Vec(item),
                            ..
                        },
                    ..
                },
            ] => (**item).clone(),
            _ => return None,
        };
        let query = |name: &str| {
            params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.name == name)
        };
        let integer = |p: &&Param| matches!(p.ty, TypeRef::I32 | TypeRef::I64);
        let declared =
            |name: &Option<String>| name.as_ref().filter(|n| query(n).is_some()).cloned();
        match body {
            None => {
                let config: &OffsetPaginationConfig = self.config.pagination.as_ref()?;
                let offset = query(&config.offset_param).filter(integer)?;
                let limit = query(&config.limit_param).filter(integer)?;
                Some(Pagination {
                    kind: PaginationKind::Offset {
                        offset_name: offset.name.clone(),
                        offset_param: offset.rust_name.clone(),
                    },
                    limit_name: limit.name.clone(),
                    limit_param: limit.rust_name.clone(),
                    count_param: declared(&config.count_param),
                    total_header: config.total_header.clone(),
                    page_size: config.page_size,
                    item,
                })
            }
            Some(Body {
                kind: BodyKind::Json { ty, .. },
                ..
            }) => {
                let config: &SearchAfterConfig = self.config.search_after.as_ref()?;
                let fields = [config.sort_field.as_str(), config.after_field.as_str()];
                if !self.types.has_properties(ty, &fields) {
                    return None;
                }
                let limit = query(&config.limit_param).filter(integer)?;
                let offset = self
                    .config
                    .pagination
                    .as_ref()
                    .and_then(|offset| query(&offset.offset_param))
                    .map(|p| p.rust_name.clone());
                Some(Pagination {
                    kind: PaginationKind::SearchAfter {
                        sort_field: config.sort_field.clone(),
                        after_field: config.after_field.clone(),
                        tiebreaker: config.tiebreaker.clone(),
                        unused_offset_param: offset,
                    },
                    limit_name: limit.name.clone(),
                    limit_param: limit.rust_name.clone(),
                    count_param: declared(&config.count_param),
                    total_header: config.total_header.clone(),
                    page_size: config.page_size,
                    item,
                })
            }
            Some(_) => None,
        }
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

    fn body(
        &mut self,
        builder_name: &str,
        location: &str,
        names: &mut UniqueNames,
    ) -> Option<Body> {
        let body: &RequestBody = match self.op.request_body.as_ref()? {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                self.diagnostics.push(
                    location,
                    format!(
                        "request body is still a $ref ({reference}) after loading; it is skipped"
                    ),
                );
                return None;
            }
        };
        let (content_type, media) = pick_media(&body.content)?;
        if body.content.len() > 1 {
            let others: Vec<&str> = body
                .content
                .keys()
                .map(String::as_str)
                .filter(|c| *c != content_type)
                .collect();
            self.diagnostics.push(
                location,
                format!("request body offers several media types; `{content_type}` is used, not {others:?}"),
            );
        }
        let hint = format!("{builder_name}Request");
        let kind = match media_kind(content_type) {
            MediaKind::Json => BodyKind::Json {
                content_type: content_type.to_string(),
                ty: match &media.schema {
                    Some(schema) => self.types.type_for(
                        schema,
                        &hint,
                        &format!("{location} request body"),
                        self.diagnostics,
                    ),
                    None => TypeRef::Json,
                },
            },
            MediaKind::Multipart | MediaKind::Form => {
                let fields = self.multipart_fields(media, &hint, location, names);
                if media_kind(content_type) == MediaKind::Form {
                    self.diagnostics.push(
                        location,
                        format!("`{content_type}` body is sent as multipart/form-data"),
                    );
                }
                BodyKind::Multipart { fields }
            }
            MediaKind::Text => BodyKind::Text {
                content_type: content_type.to_string(),
            },
            MediaKind::Binary => BodyKind::Binary {
                content_type: content_type.to_string(),
            },
        };
        let examples = match &kind {
            BodyKind::Json { .. } => media_examples(media),
            _ => Vec::new(),
        };
        Some(Body {
            required: body.required,
            description: body.description.clone(),
            kind,
            schema: media.schema.clone(),
            examples,
        })
    }

    fn multipart_fields(
        &mut self,
        media: &MediaType,
        hint: &str,
        location: &str,
        names: &mut UniqueNames,
    ) -> Vec<MultipartField> {
        let Some(ReferenceOr::Item(schema)) = &media.schema else {
            let resolved = media.schema.as_ref().and_then(|s| match s {
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| self.bundle.schemas.get(name))
                    .map(|bundled| bundled.schema.clone()),
                ReferenceOr::Item(_) => None,
            });
            return match resolved {
                Some(schema) => self.fields_of(&schema, hint, location, names),
                None => {
                    self.diagnostics.push(
                        location,
                        "multipart body has no object schema; it takes no fields",
                    );
                    Vec::new()
                }
            };
        };
        self.fields_of(schema, hint, location, names)
    }

    fn fields_of(
        &mut self,
        schema: &openapiv3::Schema,
        hint: &str,
        location: &str,
        names: &mut UniqueNames,
    ) -> Vec<MultipartField> {
        let (properties, required) = match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
                (&object.properties, &object.required)
            }
            openapiv3::SchemaKind::Any(any) => (&any.properties, &any.required),
            _ => {
                self.diagnostics.push(
                    location,
                    "multipart body schema is not an object; it takes no fields",
                );
                return Vec::new();
            }
        };
        if properties.is_empty() {
            self.diagnostics.push(
                location,
                "multipart body declares no fields; the caller passes a whole MultipartForm",
            );
        }
        properties
            .iter()
            .map(|(name, property)| {
                let property = property.clone().unbox();
                let ty = self.types.type_for(
                    &property,
                    &format!("{hint}{}", type_name(name)),
                    &format!("{location} multipart field {name}"),
                    self.diagnostics,
                );
                let file = ty == TypeRef::Binary
                    || matches!(&ty, TypeRef::Vec(inner) if **inner == TypeRef::Binary);
                let description = match &property {
                    ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                    ReferenceOr::Reference { .. } => None,
                };
                MultipartField {
                    rust_name: names.claim(&snake_name(name)),
                    name: name.clone(),
                    required: required.contains(name),
                    file,
                    ty,
                    description,
                    schema: property,
                }
            })
            .collect()
    }

    fn responses(&mut self, builder_name: &str, location: &str) -> Vec<SuccessResponse> {
        let mut out = Vec::new();
        let mut candidates: Vec<(Option<u16>, &ReferenceOr<Response>)> = Vec::new();
        for (status, response) in &self.op.responses.responses {
            match status {
                StatusCode::Code(code) if (200..300).contains(code) => {
                    candidates.push((Some(*code), response))
                }
                StatusCode::Range(2) => candidates.push((None, response)),
                _ => {}
            }
        }
        if candidates.is_empty() {
            if let Some(default) = &self.op.responses.default {
                candidates.push((None, default));
            }
        }
        let several = candidates.len() > 1;
        for (status, response) in candidates {
            let response = match response {
                ReferenceOr::Item(response) => response,
                ReferenceOr::Reference { reference } => {
                    self.diagnostics.push(
                        location,
                        format!(
                            "response is still a $ref ({reference}) after loading; it is skipped"
                        ),
                    );
                    continue;
                }
            };
            let hint = match (several, status) {
                (true, Some(code)) => format!("{builder_name}{}Response", status_word(code)),
                _ => format!("{builder_name}Response"),
            };
            let media = match pick_media(&response.content) {
                // HTTP 204 has no body by definition (RFC 9110, 15.3.5), whatever the spec says.
                Some(_) if status == Some(204) => {
                    self.diagnostics.push(
                        location,
                        "response 204 (No Content) declares a body; a 204 has none, so it is ignored",
                    );
                    None
                }
                media => media,
            };
            let body = match media {
                None => ResponseBody::Empty,
                Some((content_type, media)) => {
                    let content_type = content_type.to_string();
                    match media_kind(&content_type) {
                        MediaKind::Json => ResponseBody::Json {
                            ty: match &media.schema {
                                Some(schema) => self.types.type_for(
                                    schema,
                                    &hint,
                                    &format!("{location} response {}", status_label(status)),
                                    self.diagnostics,
                                ),
                                None => TypeRef::Json,
                            },
                            content_type,
                        },
                        MediaKind::Text | MediaKind::Form => ResponseBody::Text { content_type },
                        MediaKind::Binary | MediaKind::Multipart => {
                            ResponseBody::Bytes { content_type }
                        }
                    }
                }
            };
            // A `string/binary` schema is a file whatever the media type says (specs label file
            // downloads `application/json` next to `image/png`): bytes, accepting every type offered.
            let body = match body {
                ResponseBody::Json {
                    ty: TypeRef::Binary,
                    ..
                } => ResponseBody::Bytes {
                    content_type: response
                        .content
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                },
                other => other,
            };
            let examples = match (&body, pick_media(&response.content)) {
                (ResponseBody::Json { .. }, Some((_, media))) => media_examples(media),
                _ => Vec::new(),
            };
            out.push(SuccessResponse {
                status,
                description: response.description.clone(),
                body,
                examples,
            });
        }
        if out.is_empty() {
            self.diagnostics.push(
                location,
                "no success response is declared; the call returns ()",
            );
        }
        out
    }
}

/// `example` and every inline `examples/<name>` value of a media type, labelled.
fn media_examples(media: &MediaType) -> Vec<(String, serde_json::Value)> {
    let mut examples = Vec::new();
    if let Some(value) = &media.example {
        examples.push(("example".to_owned(), value.clone()));
    }
    for (name, example) in &media.examples {
        if let ReferenceOr::Item(openapiv3::Example {
            value: Some(value), ..
        }) = example
        {
            examples.push((format!("examples/{name}"), value.clone()));
        }
    }
    examples
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Multipart,
    Form,
    Text,
    Binary,
}

fn media_kind(content_type: &str) -> MediaKind {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        MediaKind::Json
    } else if essence == "multipart/form-data" {
        MediaKind::Multipart
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/xml" | "application/csv" | "application/yaml"
        )
    {
        MediaKind::Text
    } else {
        MediaKind::Binary
    }
}

/// JSON first (the typed choice), then the order of the spec.
fn pick_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(ct, _)| media_kind(ct) == MediaKind::Json)
        .or_else(|| content.iter().next())
        .map(|(ct, media)| (ct.as_str(), media))
}

/// Variant name of a status in a response enum.
pub fn status_word(code: u16) -> String {
    match code {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        206 => "PartialContent".into(),
        207 => "MultiStatus".into(),
        other => format!("Status{other}"),
    }
}

fn status_label(status: Option<u16>) -> String {
    status
        .map(|code| code.to_string())
        .unwrap_or_else(|| "2XX".into())
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

    #[test]
    fn media_kinds() {
        assert_eq!(media_kind("application/json"), MediaKind::Json);
        assert_eq!(media_kind("application/json-patch+json"), MediaKind::Json);
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("multipart/form-data"), MediaKind::Multipart);
        assert_eq!(media_kind("text/csv"), MediaKind::Text);
        assert_eq!(media_kind("application/xml"), MediaKind::Text);
        assert_eq!(media_kind("application/zip"), MediaKind::Binary);
        assert_eq!(media_kind("image/png"), MediaKind::Binary);
    }

    #[test]
    fn status_words() {
        assert_eq!(status_word(200), "Ok");
        assert_eq!(status_word(204), "NoContent");
        assert_eq!(status_word(299), "Status299");
    }
}
