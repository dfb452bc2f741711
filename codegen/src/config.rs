//! What the generator is told about the API it generates. Nothing API-specific is hard-coded elsewhere.
//!
//! `spec/pin.toml` is read into these types as it is: its `[codegen]` section is a
//! [`CodegenConfig`] (shared by every version), each `[[version]]` a [`VersionConfig`], and
//! [`GeneratorConfig::new`] puts the two together. Unknown keys are errors
//! (`deny_unknown_fields`), so a misspelt key is never silently ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Deserialize;

/// The configuration shared by every API version (`[codegen]` in `spec/pin.toml`).
///
/// The fields mean what the [`GeneratorConfig`] fields of the same names mean.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodegenConfig {
    pub runtime_path: String,
    pub client_path: String,
    #[serde(default)]
    pub client_crate: Option<String>,
    #[serde(default)]
    pub implicit_headers: Vec<ImplicitHeader>,
    #[serde(default)]
    pub pagination: Option<OffsetPaginationConfig>,
    #[serde(default)]
    pub search_after: Option<SearchAfterConfig>,
    #[serde(default)]
    pub retry_safe_operations: BTreeSet<String>,
    #[serde(default)]
    pub type_names: BTreeMap<String, String>,
    #[serde(default)]
    pub waiters: Vec<WaiterConfig>,
    #[serde(default)]
    pub tag_features: Option<TagFeaturesConfig>,
    #[serde(default)]
    pub doc_extensions: Vec<DocExtension>,
    #[serde(default)]
    pub doc_examples: Option<DocExamplesConfig>,
    /// `[codegen.lenient]`; a missing section or key is on.
    #[serde(default)]
    pub lenient: LenientConfig,
    /// `[codegen.repair]`; a missing section or key is on.
    #[serde(default)]
    pub repair: RepairConfig,
    /// `[codegen.naming]`: how bundled schemas are named where the spec leaves it open.
    #[serde(default)]
    pub naming: NamingConfig,
}

/// Choices in naming bundled schemas ([`crate::loader`]'s `names` module says how names are
/// chosen) that no rule about paths can make.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamingConfig {
    /// Folders (relative to the spec folder) whose schemas keep the plain name when schemas of
    /// the root's own API share it: of two copies of a schema, the one that belongs where it is
    /// used by name. Else the first by path keeps it.
    #[serde(default)]
    pub preferred_folders: Vec<PathBuf>,
}

/// One API version (`[[version]]` in `spec/pin.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionConfig {
    /// The version's name, as `--only` and the migration table name it (`v3`).
    pub name: String,
    /// Root document, relative to the spec folder ([`GeneratorConfig::root`]).
    pub root: String,
    /// Checksum of the root document, checked by `cargo xtask spec verify`; the generator does
    /// not read it. Empty for a version just added by hand: `cargo xtask spec pin` fills it in,
    /// and until then `spec verify` reports the root as changed.
    #[serde(default)]
    pub sha256: String,
    pub module: String,
    pub feature: String,
    /// [`GeneratorConfig::spec_tests`], on unless the entry says otherwise; also whether
    /// `cargo xtask conformance` calls the version's operations against the Prism mock. Off for
    /// a version whose failures are not yet sorted into spec bugs and generator bugs.
    #[serde(default = "yes")]
    pub spec_tests: bool,
    #[serde(default)]
    pub client_methods: bool,
    #[serde(default)]
    pub split_lowercase_names: bool,
    #[serde(default)]
    pub service_versions: Option<ServiceVersionsConfig>,
}

fn yes() -> bool {
    true
}

/// The drift between the spec and what the API sends that the generated models decode
/// (README, "Drift policy"), where the runtime's `Lenient` reader cannot: the field attributes
/// the generator writes. The reader itself is the runtime's and is not configured here.
///
/// Every switch is on unless configured off ([`LenientConfig::ALL`] is the default, also of
/// [`GeneratorConfig::for_root`]): that is what the generator always did, and what the golden
/// files of the fixtures hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LenientConfig {
    /// A number where a string is declared is its JSON text (`123` is `"123"`): the models read
    /// members that hold no model through the runtime's lenient reader (`map.scalar(..)`),
    /// which keeps the original to write back; off, they read strictly (`map.strict(..)`).
    #[serde(default = "yes")]
    pub numbers_as_text: bool,
    /// A required list or map that is `null` or missing is empty (`map.or_empty(..)`), the
    /// original kept to write back; off, it is a missing-field error.
    #[serde(default = "yes")]
    pub null_collections_as_empty: bool,
}

impl Default for LenientConfig {
    fn default() -> Self {
        LenientConfig::ALL
    }
}

impl LenientConfig {
    /// All the drift decoded.
    pub const ALL: LenientConfig = LenientConfig {
        numbers_as_text: true,
        null_collections_as_empty: true,
    };
}

/// Repairs of spec documents that break the OpenAPI rules in ways the meaning survives.
///
/// Every repair is made unless configured off ([`RepairConfig::ALL`] is the default, also of
/// [`GeneratorConfig::for_root`] and [`crate::loader::load`]): the fixture specs need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepairConfig {
    /// Event triggers (`x-webhooks`) written loosely: an operation without `responses` is read
    /// as answered with 204 No Content, an answer without `description` as described by an
    /// empty text. Off: such a trigger is an error of the spec.
    #[serde(default = "yes")]
    pub webhook_responses: bool,
}

impl Default for RepairConfig {
    fn default() -> Self {
        RepairConfig::ALL
    }
}

impl RepairConfig {
    /// Every repair on.
    pub const ALL: RepairConfig = RepairConfig {
        webhook_responses: true,
    };
}

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
    /// Path of the client type users hold, as seen from generated code (`crate::Client`): the
    /// usage examples start from it and, with [`client_methods`](Self::client_methods), the
    /// groups are its methods. It implements `AsRef<runtime::Client>`, which the handles are
    /// made from (the runtime's own `Client` does).
    pub client_path: String,
    /// Headers that the client sends by itself. An operation that declares one of them as a
    /// parameter does not expose it to the user; the runtime sends the configured value instead.
    pub implicit_headers: Vec<ImplicitHeader>,
    /// How list operations page through results; `None`: no paginators are generated.
    pub pagination: Option<OffsetPaginationConfig>,
    /// How searches page through results; `None`: no search paginators are generated.
    pub search_after: Option<SearchAfterConfig>,
    /// Library name of the generated client crate (`isc`), as tests outside the crate name it;
    /// needed when [`spec_tests`](Self::spec_tests) is on.
    pub client_crate: Option<String>,
    /// Whether test data is generated (see [`crate::Generated::tests`]): the spec's examples to
    /// round-trip and a call of every operation against a mock of the spec.
    pub spec_tests: bool,
    /// Which drift the generated models decode (see [`LenientConfig`]).
    pub lenient: LenientConfig,
    /// Which spec repairs the loader makes (see [`RepairConfig`]).
    pub repair: RepairConfig,
    /// How bundled schemas are named where the spec leaves it open.
    pub naming: NamingConfig,
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
    /// Whether the groups are also methods of the client type (`client.accounts()`, see
    /// [`client_path`](Self::client_path)), for
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceVersionsConfig {
    /// A path segment made of this prefix and digits is the major version (`v`).
    pub path_segment_prefix: String,
    /// The operationId suffix made of this and the major version is dropped from method names
    /// (`V`).
    pub operation_id_suffix: String,
}

/// An operation extension shown in the docs: a string or a list of strings, as
/// "`<label>: `A`, `B`.`"; other values are left out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocExtension {
    /// The extension's name (`x-sailpoint-userLevels`).
    pub name: String,
    /// What the docs call it (`User levels`).
    pub label: String,
}

/// How the usage example of an operation is written: it starts from a `client` (the runtime's
/// `Client`), gets the version's `Api`, then the group and the operation, and sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffsetPaginationConfig {
    pub offset_param: String,
    pub limit_param: String,
    /// Asked on the first page so that the total is known, when the operation declares it.
    #[serde(default)]
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
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchAfterConfig {
    /// Body property listing the sort fields (`sort`).
    pub sort_field: String,
    /// Body property that takes the last item's sort values (`searchAfter`).
    pub after_field: String,
    /// Field added to the sort to make it unique (`id`).
    #[serde(default)]
    pub tiebreaker: Option<String>,
    pub limit_param: String,
    /// Asked on the first page so that the total is known, when the operation declares it.
    #[serde(default)]
    pub count_param: Option<String>,
    /// Response header holding the total.
    pub total_header: String,
    /// Page size when the caller sets no limit.
    pub page_size: u64,
}

/// A header the generated client sends by itself instead of asking the caller for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplicitHeader {
    /// Header name as the spec spells it (`X-SailPoint-Experimental`), matched case-insensitively.
    pub name: String,
    /// Value sent (`true`).
    pub value: String,
    /// What declaring the header means for the operation, for its docs ("experimental").
    #[serde(default)]
    pub marks_operation_as: Option<String>,
}

impl GeneratorConfig {
    /// The configuration of `version`, with what every version shares, as `spec/pin.toml` gives
    /// them. `upstream_repository` and `upstream_commit` name where the spec comes from (the header
    /// of every generated file); no overlays are applied.
    pub fn new(
        upstream_repository: &str,
        upstream_commit: &str,
        shared: &CodegenConfig,
        version: &VersionConfig,
    ) -> Self {
        // Taken apart field by field (no `..`): a field added to either type that is not used
        // here does not compile.
        let CodegenConfig {
            runtime_path,
            client_path,
            client_crate,
            implicit_headers,
            pagination,
            search_after,
            retry_safe_operations,
            type_names,
            waiters,
            tag_features,
            doc_extensions,
            doc_examples,
            lenient,
            repair,
            naming,
        } = shared.clone();
        let VersionConfig {
            name: _,
            root,
            sha256: _,
            module,
            feature,
            spec_tests,
            client_methods,
            split_lowercase_names,
            service_versions,
        } = version.clone();
        GeneratorConfig {
            root: root.into(),
            module,
            feature,
            upstream_repository: upstream_repository.to_string(),
            upstream_commit: upstream_commit.to_string(),
            runtime_path,
            client_path,
            implicit_headers,
            pagination,
            search_after,
            client_crate,
            spec_tests,
            lenient,
            repair,
            naming,
            retry_safe_operations,
            waiters,
            overlays: Vec::new(),
            tag_features,
            doc_extensions,
            doc_examples,
            service_versions,
            client_methods,
            split_lowercase_names,
            type_names,
        }
    }

    /// A configuration with neutral defaults, for tests and fixture specs: no test data, no
    /// paginators; the drift is decoded and the specs repaired as by default ([`LenientConfig`],
    /// [`RepairConfig`]).
    pub fn for_root(root: impl Into<PathBuf>, module: &str) -> Self {
        GeneratorConfig {
            root: root.into(),
            module: module.to_string(),
            feature: module.to_string(),
            upstream_repository: "local".to_string(),
            upstream_commit: "unversioned".to_string(),
            runtime_path: "crate::runtime".to_string(),
            client_path: "crate::runtime::Client".to_string(),
            implicit_headers: Vec::new(),
            pagination: None,
            search_after: None,
            client_crate: None,
            spec_tests: false,
            lenient: LenientConfig::ALL,
            repair: RepairConfig::ALL,
            naming: NamingConfig::default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(extra: serde_json::Value) -> Result<CodegenConfig, serde_json::Error> {
        let mut value = serde_json::json!({
            "runtime_path": "crate::runtime",
            "client_path": "crate::Client",
        });
        value
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(value)
    }

    #[test]
    fn unknown_keys_are_rejected_and_switches_default_to_on() {
        let config = shared(serde_json::json!({})).unwrap();
        assert_eq!(config.lenient, LenientConfig::ALL);
        assert_eq!(config.repair, RepairConfig::ALL);
        let off = shared(serde_json::json!({"lenient": {"numbers_as_text": false}})).unwrap();
        assert!(!off.lenient.numbers_as_text && off.lenient.null_collections_as_empty);
        for bad in [
            serde_json::json!({"runtime": "x"}),
            serde_json::json!({"lenient": {"numbers": true}}),
            serde_json::json!({"repair": {"webhooks": true}}),
            serde_json::json!({"pagination": {"offset_param": "o", "limit_param": "l",
                "total_header": "t", "page_size": 1, "size": 2}}),
        ] {
            let err = shared(bad.clone()).unwrap_err().to_string();
            assert!(err.contains("unknown field"), "{bad}: {err}");
        }
        let version: VersionConfig = serde_json::from_value(serde_json::json!({
            "name": "v3", "root": "v3.yaml", "module": "v3", "feature": "v3",
        }))
        .unwrap();
        assert!(version.spec_tests && version.sha256.is_empty());
        let config = GeneratorConfig::new(
            "o/r",
            "abc",
            &shared(serde_json::json!({})).unwrap(),
            &version,
        );
        assert_eq!(
            (config.root, config.module, config.upstream_commit),
            (
                PathBuf::from("v3.yaml"),
                "v3".to_string(),
                "abc".to_string()
            )
        );
        assert!(config.spec_tests && config.overlays.is_empty());
    }

    /// The switches change what is generated, and only where they apply.
    #[test]
    fn lenient_and_repair_switches_are_honoured() {
        let spec =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden/kitchen_sink");
        let models = |lenient: LenientConfig| {
            let mut config = GeneratorConfig::for_root("api.yaml", "kitchen_sink");
            config.lenient = lenient;
            let generated = crate::generate(&config, &spec).unwrap();
            generated
                .files
                .iter()
                .filter(|(path, _)| path.starts_with("kitchen_sink/models"))
                .map(|(_, text)| text.clone())
                .collect::<String>()
        };
        let all = models(LenientConfig::ALL);
        assert!(all.contains("map.scalar(") && all.contains("map.or_empty("));
        assert!(!all.contains("map.strict("));
        let numbers = models(LenientConfig {
            numbers_as_text: false,
            ..LenientConfig::ALL
        });
        assert!(!numbers.contains("map.scalar(") && numbers.contains("map.strict("));
        assert!(numbers.contains("map.or_empty("));
        let collections = models(LenientConfig {
            null_collections_as_empty: false,
            ..LenientConfig::ALL
        });
        assert!(collections.contains("map.scalar(") && !collections.contains("map.or_empty("));

        let mut config = GeneratorConfig::for_root("api.yaml", "kitchen_sink");
        config.repair.webhook_responses = false;
        let err = crate::generate(&config, &spec).unwrap_err().to_string();
        assert!(
            err.contains("x-webhooks") || err.contains("webhooks/"),
            "{err}"
        );
        assert!(err.contains("responses"), "{err}");
    }
}
