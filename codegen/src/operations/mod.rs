//! The operation model: every operation of a bundle, with its parameters, body and responses typed
//! through the [`TypeSpace`](crate::types::TypeSpace), grouped by tag. Emission works from this
//! model only.
//!
//! This module holds the model itself (what emission and the surface read); how it is made from
//! a bundle is apart, in the order the builder runs:
//! - `build`: [`Api::build`], every operation of every path (parameters, path placeholders,
//!   implicit headers, names), grouped by tag;
//! - `bodies`: request bodies and success responses, the media type chosen and typed;
//! - `pagination`: which list operations page and how;
//! - `versions`: the service major versions a path carries, and the handles they group into.

mod bodies;
mod build;
mod pagination;
mod versions;

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema};

use crate::types::TypeRef;

pub use self::bodies::status_word;
pub(crate) use self::build::base_path;
pub use self::build::placeholders;
pub use self::versions::{major_version, strip_version_suffix};

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
/// When the API versions each group on its own ([`ServiceVersionsConfig`](crate::config::ServiceVersionsConfig)), a tag is a service:
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
    /// versions its services ([`ServiceVersionsConfig`](crate::config::ServiceVersionsConfig)).
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
    /// Set when the operation pages (see [`OffsetPaginationConfig`](crate::config::OffsetPaginationConfig) and
    /// [`SearchAfterConfig`](crate::config::SearchAfterConfig)).
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
