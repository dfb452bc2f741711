//! OpenAPI 3.0 in, Rust out.
//!
//! The pipeline has four stages, each in its own module:
//!
//! 1. [`loader`] reads a multi-file OpenAPI document, resolves every `$ref` across files and bundles
//!    external schemas into named components ([`loader::Bundle`]). serde_yaml stays inside it.
//! 2. [`types`] turns schemas into a type model ([`types::TypeSpace`]): structs, enums, aliases.
//! 3. [`operations`] turns path items into an operation model that refers to those types.
//! 4. [`emit`] writes Rust source from both models with `quote` and formats it with prettyplease.
//!
//! The library knows nothing of any particular API: everything specific (module names, headers the
//! client sends by itself, the upstream commit named in file headers) comes from [`GeneratorConfig`].

pub mod config;
pub mod diagnostics;
mod docs;
pub mod emit;
pub mod loader;
pub mod migration;
pub mod naming;
pub mod operations;
pub mod samples;
pub mod surface;
pub mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use config::GeneratorConfig;
pub use diagnostics::{Diagnostic, Diagnostics};

/// Everything that can stop generation. Each variant names where the problem is.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] loader::LoadError),
    #[error("{location}: {message}")]
    Spec { location: String, message: String },
    /// The generator produced code that does not parse: a generator bug.
    #[error("generated code for {file} does not parse (generator bug): {message}")]
    Emit { file: String, message: String },
}

/// The output of one generation run for one API version.
#[derive(Debug)]
pub struct Generated {
    /// Files keyed by their path relative to the client crate's `src/` folder, with their full text.
    pub files: BTreeMap<PathBuf, String>,
    /// Cargo features the generated code tests besides the version's own, which the client
    /// crate must declare.
    pub features: VersionFeatures,
    /// Generated test data keyed by path relative to the client crate's `tests/` folder
    /// (`spec_examples/<module>/mod.rs`, `conformance/<module>/mod.rs`); empty unless
    /// `spec_tests` is on.
    pub tests: BTreeMap<PathBuf, String>,
    /// Every spec file that was read, relative to the spec folder (for checksums).
    pub spec_files: Vec<PathBuf>,
    /// What the generated code offers its callers ([`surface`]), for comparing versions.
    pub surface: surface::Surface,
    pub report: Report,
    /// Overlay actions that no longer apply to the spec and were left out (each alone; the
    /// other actions were applied): the code was generated without them.
    pub overlays_left_out: Vec<loader::LoadError>,
}

/// With [`GeneratorConfig::tag_features`]: the version's feature that compiles only the selected
/// groups (`v3-selected`), and the feature of each of its groups (`tag-accounts`), by module name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct VersionFeatures {
    pub selected: Option<String>,
    pub tags: Vec<String>,
}

/// What a run produced and what it had to degrade; printed by `cargo xtask codegen`.
#[derive(Debug, Default)]
pub struct Report {
    pub operations: usize,
    pub models: usize,
    pub lines: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Generate one API version: load `config.root` under `spec_dir`, build the models, emit the files.
pub fn generate(config: &GeneratorConfig, spec_dir: &Path) -> Result<Generated, Error> {
    let mut diagnostics = Diagnostics::default();
    let (bundle, overlays_left_out) = load_with_overlays(config, spec_dir)?;
    diagnostics.extend(bundle.diagnostics.iter().cloned());
    let mut types = type_space(config, &bundle, &mut diagnostics)?;
    let api = operations::Api::build(&bundle, config, &mut types, &mut diagnostics)?;
    let (files, features) = emit::emit(config, &bundle, &api, &types)?;
    let tests = emit::emit_tests(config, &bundle, &api, &types)?;
    let surface = surface::Surface::of(&api, &types);
    let lines = files.values().map(|text| text.lines().count()).sum();
    let report = Report {
        operations: api.operations.len(),
        models: types.model_count(),
        lines,
        diagnostics: diagnostics.into_sorted(),
    };
    Ok(Generated {
        files,
        features,
        tests,
        spec_files: bundle.files.clone(),
        surface,
        report,
        overlays_left_out,
    })
}

/// The API version as one self-contained document, for a mock server to serve: what the client
/// is generated from (overlays applied), with the base path put in front of every path (mock
/// servers ignore the path of `servers`) and no security requirements.
/// A `$ref` with sibling keys is written as the spec wrote it
/// ([`loader::Bundle::to_document_value`]). An overlay action that no longer applies is an error
/// here (the first of them): the code was not generated from such a document.
pub fn mock_document(
    config: &GeneratorConfig,
    spec_dir: &Path,
) -> Result<serde_json::Value, Error> {
    let (bundle, left_out) = load_with_overlays(config, spec_dir)?;
    // The mock serves what the client is generated from: with every overlay, or not at all.
    if let Some(stale) = left_out.into_iter().next() {
        return Err(stale.into());
    }
    bundle
        .to_document_value(&operations::base_path(&bundle), true)
        .map_err(|e| Error::Spec {
            location: bundle.root.display().to_string(),
            message: format!("cannot be written as JSON: {e}"),
        })
}

/// The type space of a bundle as the configuration asks for it.
pub(crate) fn type_space(
    config: &GeneratorConfig,
    bundle: &loader::Bundle,
    diagnostics: &mut Diagnostics,
) -> Result<types::TypeSpace, Error> {
    let words = if config.split_lowercase_names {
        naming::words::component_names(bundle)
    } else {
        BTreeMap::new()
    };
    types::TypeSpace::with_names(bundle, words, config.type_names.clone(), diagnostics)
        .map(|types| types.with_lenient(config.lenient))
}

/// The bundle with the configuration's overlays applied, and the overlay actions that no longer
/// apply and were left out ([`loader::Bundle::apply_overlays`]).
pub(crate) fn load_with_overlays(
    config: &GeneratorConfig,
    spec_dir: &Path,
) -> Result<(loader::Bundle, Vec<loader::LoadError>), Error> {
    let mut bundle =
        loader::load_configured(spec_dir, &config.root, config.repair, &config.naming)?;
    let overlays = config
        .overlays
        .iter()
        .map(|file| loader::Overlay::load(file))
        .collect::<Result<Vec<_>, _>>()?;
    let left_out = bundle.apply_overlays(&overlays)?;
    Ok((bundle, left_out))
}
