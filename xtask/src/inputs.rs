//! What every command that generates reads: the spec folder (resolved, fetched if needed,
//! verified) and each version's configuration with its overlays. Its own module so that the
//! commands (`codegen`, `spec diff`, `spec migrate`, `bench`, `conformance`) share it without
//! importing one another.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::pin::{Pin, Version};
use crate::{Workspace, fetch, specdir, verify};

/// Resolve the spec folder (fetching the cache if needed), say which one, and verify it.
pub fn prepare_spec_dir(ws: &Workspace, pin: &Pin, flag: Option<&Path>) -> Result<PathBuf> {
    let env = std::env::var(specdir::ENV_VAR).ok();
    let spec = specdir::resolve(flag, env.as_deref(), &ws.root, &pin.upstream.commit);
    println!("{spec}");
    if spec.source == specdir::Source::Cache && specdir::is_missing_or_empty(&spec.path) {
        println!("the cache is empty: fetching the pinned spec");
        fetch::fetch(ws, pin, &fetch::curl_program())?;
    }
    verify::verify_or_fail(&spec.path, pin, &ws.checksum_file())?;
    Ok(spec.path)
}

/// What a version is generated with: its configuration from `spec/pin.toml` and its overlays.
pub fn version_config(
    ws: &Workspace,
    pin: &Pin,
    version: &Version,
) -> Result<codegen::GeneratorConfig> {
    let mut config = pin.generator_config(version);
    config.overlays = overlays_for(ws, &version.name)?;
    Ok(config)
}

/// The overlays of a version: `spec/overlays/<version>/*.yaml` (or `.yml`, `.json`), by name.
pub fn overlays_for(ws: &Workspace, version: &str) -> Result<Vec<PathBuf>> {
    let dir = ws.root.join("spec").join("overlays").join(version);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", dir.display()))?
            .path();
        let overlay = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if overlay {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
