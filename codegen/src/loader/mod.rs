//! Reads a multi-file OpenAPI 3.0 document and bundles it into one self-contained model.
//!
//! CONTRACT (other modules rely on exactly this; the implementation is free):
//! - every `$ref` to a path item, parameter, response, request body, header or example is inlined;
//! - every `$ref` to a schema becomes `#/components/schemas/<Name>`, and the schema it pointed at is
//!   in [`Bundle::schemas`] under that name (names from the root's `components/schemas` first, then
//!   deterministic, collision-free names for other external schemas, given once every schema is
//!   found from where each is and not from the order of discovery: see `names`);
//! - sibling keys next to a schema `$ref` keep their meaning: `{$ref: X, nullable: true,
//!   description: d}` becomes `{allOf: [{$ref: X}], nullable: true, description: d}`;
//! - failures are [`LoadError`]s naming the file and the JSON pointer.

mod bundler;
mod checks;
mod document;
mod names;
mod overlay;
mod pointer;
mod yaml;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

pub use self::overlay::Overlay;

use crate::config::{NamingConfig, RepairConfig};
use crate::diagnostics::Diagnostic;

/// Where a node came from: a file relative to the spec folder and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: PathBuf,
    /// JSON pointer (RFC 6901), `""` for the whole file.
    pub pointer: String,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}#{}", self.file.display(), self.pointer)
    }
}

/// A loading failure, always with the file and JSON pointer it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {kind}")]
pub struct LoadError {
    pub origin: Origin,
    pub kind: LoadErrorKind,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadErrorKind {
    #[error("cannot read file: {0}")]
    Io(#[source] std::io::Error),
    #[error("not valid YAML: {0}")]
    Yaml(String),
    #[error("$ref `{reference}` points at nothing: {reason}")]
    DanglingRef { reference: String, reason: String },
    #[error("$ref cycle through {0}")]
    Cycle(String),
    #[error("not a valid {what}: {message}")]
    Invalid { what: &'static str, message: String },
    /// An overlay action that does not apply to this spec (left out, alone).
    #[error("overlay action no longer applies: {0}")]
    StaleOverlayAction(String),
}

/// Marks a schema that the spec wrote as a `$ref` with sibling keys (`{$ref: X, nullable: true,
/// example: ..}`), which the bundle holds as `{allOf: [{$ref: X}], nullable: true, example: ..}`:
/// openapiv3 has no `$ref` with siblings, and the generator reads the siblings as the wrapper's
/// (ARCHITECTURE.md). [`Bundle::to_document_value`] writes the `$ref` back as the spec wrote it.
pub const REF_SIBLINGS: &str = "x-isc-ref-siblings";

/// One path and its operations, every non-schema `$ref` inlined.
#[derive(Debug, Clone)]
pub struct BundledPath {
    pub template: String,
    pub item: openapiv3::PathItem,
    /// Where the path item itself is (the root's `#/paths/~1accounts`, or the file it points to).
    pub origin: Origin,
}

/// One named schema component.
#[derive(Debug, Clone)]
pub struct BundledSchema {
    pub schema: openapiv3::Schema,
    pub origin: Origin,
}

/// A whole document, bundled.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The root file, relative to the spec folder.
    pub root: PathBuf,
    pub info: openapiv3::Info,
    pub servers: Vec<openapiv3::Server>,
    pub tags: Vec<openapiv3::Tag>,
    /// In document order.
    pub paths: Vec<BundledPath>,
    /// Event triggers (`x-webhooks`): what the API sends to a subscriber, one path item per
    /// trigger with the trigger's name as its `template`, in document order.
    pub webhooks: Vec<BundledPath>,
    /// Every schema component, root components first in document order, then bundled external
    /// schemas in order of discovery.
    pub schemas: IndexMap<String, BundledSchema>,
    /// Top-level `x-` extensions of the root (`x-webhooks` among them), refs left as they are.
    pub extensions: IndexMap<String, serde_json::Value>,
    /// Every file that was read, relative to the spec folder, sorted.
    pub files: Vec<PathBuf>,
    /// Things the loader accepted but that look wrong (keys that are not status codes under
    /// `responses`, `content` without a media type, ...).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse the text of one spec file, YAML 1.2 or JSON, into JSON, as the loader reads every file
/// (before bundling; nothing is resolved). Integers past 64 bits become their exact decimal text
/// (a JSON string), `.inf`/`-.inf`/`.nan` the strings `"inf"`/`"-inf"`/`"NaN"`, non-string keys
/// their text; aliases and merge keys (`<<`) are expanded, custom tags dropped (`!t 3` is `3`),
/// core tags obeyed (`!!str 123` is `"123"`); an empty document is `null`. Errors (duplicate keys,
/// several documents, nesting deeper than 128, invalid YAML) name the line.
pub fn parse_yaml(text: &str) -> Result<serde_json::Value, String> {
    yaml::parse(text)
}

/// Load `root` (relative to `spec_dir`) and everything it refers to, making every repair of
/// [`RepairConfig`] (what the generator does for `spec/pin.toml`).
pub fn load(spec_dir: &Path, root: &Path) -> Result<Bundle, LoadError> {
    load_repairing(spec_dir, root, RepairConfig::ALL)
}

/// As [`load`], making only the repairs `repair` turns on.
pub fn load_repairing(
    spec_dir: &Path,
    root: &Path,
    repair: RepairConfig,
) -> Result<Bundle, LoadError> {
    load_configured(spec_dir, root, repair, &NamingConfig::default())
}

/// As [`load_repairing`], naming bundled schemas as `naming` says where paths leave it open.
pub fn load_configured(
    spec_dir: &Path,
    root: &Path,
    repair: RepairConfig,
    naming: &NamingConfig,
) -> Result<Bundle, LoadError> {
    let relative = root.strip_prefix(spec_dir).unwrap_or(root);
    let normalized =
        pointer::normalize(Path::new(""), &relative.to_string_lossy()).ok_or_else(|| {
            LoadError {
                origin: Origin {
                    file: root.to_path_buf(),
                    pointer: String::new(),
                },
                kind: LoadErrorKind::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "root `{}` is not inside the spec folder `{}`",
                        root.display(),
                        spec_dir.display()
                    ),
                )),
            }
        })?;
    bundler::Loader::new(spec_dir, repair, naming.preferred_folders.clone()).run(normalized)
}
