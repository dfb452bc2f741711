//! What the generator is told about the API it generates. Nothing API-specific is hard-coded elsewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Configuration of one generated API version.
#[derive(Debug, Clone)]
pub struct GeneratorConfig {
    /// Root document, relative to the spec folder (`idn/sailpoint-api.v3.yaml`).
    pub root: PathBuf,
    /// Rust module the version is generated into (`v3`); also the folder under `src/`.
    pub module: String,
    /// Cargo feature that enables the module (`v3`).
    pub feature: String,
    /// Where the spec comes from, for the header of every generated file
    /// (`sailpoint-oss/api-specs`).
    pub upstream_repository: String,
    /// Upstream commit, for the header of every generated file.
    pub upstream_commit: String,
    /// Path of the hand-written runtime as seen from generated code (`crate::runtime`).
    pub runtime_path: String,
    /// Headers that the client sends by itself. An operation that declares one of them as a
    /// parameter does not expose it to the user; the runtime sends the configured value instead.
    pub implicit_headers: Vec<ImplicitHeader>,
    /// How list operations page through results; `None`: no paginators are generated.
    pub pagination: Option<OffsetPaginationConfig>,
    /// How searches page through results; `None`: no search paginators are generated.
    pub search_after: Option<SearchAfterConfig>,
    /// Library name of the generated client crate (`isc`), as tests outside the crate name it.
    /// When set, test files are generated too (see [`crate::Generated::tests`]).
    pub client_crate: Option<String>,
    /// Operation ids that are safe to send again after a gateway error although their method is
    /// not idempotent (they only read, like a search sent as `POST`).
    pub retry_safe_operations: BTreeSet<String>,
    /// Status operations of long-running work that get a `wait()` polling them until a state
    /// ends the work (see [`WaiterConfig`]).
    pub waiters: Vec<WaiterConfig>,
    /// OpenAPI Overlay documents applied in order to the bundled spec before generation
    /// (see [`crate::loader::Overlay`]).
    pub overlays: Vec<PathBuf>,
    /// Whether each operation group (tag) can be compiled without the others; `None`: the
    /// version module is all or nothing.
    pub tag_features: Option<TagFeaturesConfig>,
    /// Operation extensions whose values the operation docs show (`x-sailpoint-userLevels` as
    /// "User levels").
    pub doc_extensions: Vec<DocExtension>,
    /// A short usage example in the docs of every operation; `None`: no examples.
    pub doc_examples: Option<DocExamplesConfig>,
    /// Whether each group (tag) of the API is a service versioned on its own, with the major
    /// version in its paths (`/accounts/v1`); `None`: one version for the whole API.
    pub service_versions: Option<ServiceVersionsConfig>,
    /// Whether the groups are also methods of the runtime's `Client` (`client.accounts()`), for
    /// the API the crate puts first; otherwise they are reached through the version's `Api`.
    pub client_methods: bool,
    /// Whether component names written in one lowercase run (`accessprofileref`, from file
    /// names) are split into the words the document itself uses (`AccessProfileRef`; see
    /// [`crate::naming::words`]).
    pub split_lowercase_names: bool,
    /// Type names to use instead of those the spec's schema names give, by the name they would
    /// have (`IdentityDocuments` -> `IdentityDocument`: the spec names one search hit in the
    /// plural). Names no component has are ignored, so one table serves every version.
    pub type_names: BTreeMap<String, String>,
}

/// A status operation of long-running work, and which of its states end the work how. Read from
/// `spec/pin.toml` (`[[codegen.waiters]]`) as it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterConfig {
    /// The status operation's ids (one per API that has it: `getTaskStatus`,
    /// `getTaskStatusV1`).
    pub operations: Vec<String>,
    /// What the work is, for the docs (`an account aggregation`).
    pub work: String,
    /// The member holding the state, dotted (`status`, `completionStatus`).
    pub state: String,
    /// States in which the work finished.
    pub completed: Vec<String>,
    /// States in which it failed or was stopped.
    #[serde(default)]
    pub failed: Vec<String>,
    /// States that say the work is not known (any more).
    #[serde(default)]
    pub gone: Vec<String>,
    /// The member holding the server's message about a failure, dotted (a number indexes a
    /// list: `messages.0.key`).
    #[serde(default)]
    pub message: Option<String>,
}

/// An API whose services are versioned on their own: each operation's path carries its
/// service's major version as a segment (`/accounts/v1/{id}`), and its operationId ends with it
/// (`listAccountsV1`). Each group gets one handle per major version (`accounts().v1()`), and
/// method names leave the version out (`v1().list_accounts()`), so that code written against
/// `v1` keeps compiling when the service gains a `v2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceVersionsConfig {
    /// A path segment made of this prefix and digits is the major version (`v`).
    pub path_segment_prefix: String,
    /// The operationId suffix made of this and the major version is dropped from method names
    /// (`V`).
    pub operation_id_suffix: String,
}

/// An operation extension shown in the docs: a string or a list of strings, as
/// "`<label>: `A`, `B`.`"; other values are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocExtension {
    /// The extension's name (`x-sailpoint-userLevels`).
    pub name: String,
    /// What the docs call it (`User levels`).
    pub label: String,
}

/// How the usage example of an operation is written: it starts from a `client` (the runtime's
/// `Client`), gets the version's `Api`, then the group and the operation, and sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocExamplesConfig {
    /// Name of the crate the generated code is in, as users name it (`isc`): the runtime path and
    /// model paths of the example start with it where they start with `crate`.
    pub crate_name: String,
    /// Expression that gets the version's `Api` from `client`; `{module}` is the version's
    /// module (`client.{module}()`).
    pub api: String,
    /// Rustdoc attribute of the example's code block: `no_run` (compiled by `cargo test --doc`,
    /// not run) or `ignore` (shown only).
    pub attribute: String,
}

/// Cargo features that compile part of a version: `<feature><selected_suffix>` (`v3-selected`)
/// compiles the version's module with only the groups whose `<tag_prefix><group>` feature
/// (`tag-accounts`) is on, and the models they use; `<feature>` alone still compiles all of it.
/// Features are additive: a group is in when any crate in the build asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFeaturesConfig {
    pub selected_suffix: String,
    pub tag_prefix: String,
}

impl TagFeaturesConfig {
    /// The feature of the version that compiles only the selected groups (`v3-selected`).
    pub fn selected_feature(&self, version_feature: &str) -> String {
        format!("{version_feature}{}", self.selected_suffix)
    }

    /// The feature that selects a group, from its module name (`auth_users` -> `tag-auth-users`).
    pub fn tag_feature(&self, module: &str) -> String {
        format!("{}{}", self.tag_prefix, module.replace('_', "-"))
    }
}

/// Offset/limit pagination: an operation that takes both query parameters, has no request body
/// and answers a JSON array gets a paginator over the runtime's offset pagination engine.
#[derive(Debug, Clone)]
pub struct OffsetPaginationConfig {
    pub offset_param: String,
    pub limit_param: String,
    /// Asked on the first page so that the total is known, when the operation declares it.
    pub count_param: Option<String>,
    /// Response header holding the total.
    pub total_header: String,
    /// Page size when the caller sets no limit.
    pub page_size: u64,
}

/// Search-after pagination: an operation whose JSON request body has both the sort and the
/// cursor property, that takes the limit query parameter and answers a JSON array gets a
/// paginator over the runtime's search-after engine (the next page starts after the sort
/// values of the last item received).
#[derive(Debug, Clone)]
pub struct SearchAfterConfig {
    /// Body property listing the sort fields (`sort`).
    pub sort_field: String,
    /// Body property that takes the last item's sort values (`searchAfter`).
    pub after_field: String,
    /// Field added to the sort to make it unique (`id`).
    pub tiebreaker: Option<String>,
    pub limit_param: String,
    /// Asked on the first page so that the total is known, when the operation declares it.
    pub count_param: Option<String>,
    /// Response header holding the total.
    pub total_header: String,
    /// Page size when the caller sets no limit.
    pub page_size: u64,
}

/// A header the generated client sends by itself instead of asking the caller for it.
#[derive(Debug, Clone)]
pub struct ImplicitHeader {
    /// Header name as the spec spells it (`X-SailPoint-Experimental`), matched case-insensitively.
    pub name: String,
    /// Value sent (`true`).
    pub value: String,
    /// What declaring the header means for the operation, for its docs ("experimental").
    pub marks_operation_as: Option<String>,
}

impl GeneratorConfig {
    /// A configuration with neutral defaults, for tests and fixture specs.
    pub fn for_root(root: impl Into<PathBuf>, module: &str) -> Self {
        GeneratorConfig {
            root: root.into(),
            module: module.to_string(),
            feature: module.to_string(),
            upstream_repository: "local".to_string(),
            upstream_commit: "unversioned".to_string(),
            runtime_path: "crate::runtime".to_string(),
            implicit_headers: Vec::new(),
            pagination: None,
            search_after: None,
            client_crate: None,
            retry_safe_operations: BTreeSet::new(),
            waiters: Vec::new(),
            overlays: Vec::new(),
            tag_features: None,
            doc_extensions: Vec::new(),
            doc_examples: None,
            service_versions: None,
            client_methods: false,
            split_lowercase_names: false,
            type_names: BTreeMap::new(),
        }
    }
}
