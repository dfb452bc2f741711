//! `spec/pin.toml`: which upstream spec the client is generated from, and how each version is
//! generated.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    pub upstream: Upstream,
    pub codegen: CodegenSection,
    #[serde(default)]
    pub migration: Option<MigrationSection>,
    #[serde(rename = "version", default)]
    pub versions: Vec<Version>,
    /// What reading the file left out, for commands to print: `[migration]` entries that name no
    /// `[[version]]` (a version was removed).
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// `[migration]`: the versions a user moves away from (`from`, in the order the docs list them)
/// and the version that replaces them (`to`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MigrationSection {
    pub to: String,
    pub from: Vec<String>,
}

/// The folder under `generated-client/src/` the migration docs are generated into.
pub const MIGRATION_FOLDER: &str = "migration";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upstream {
    pub repository: String,
    pub commit: String,
    pub archive_url: String,
}

/// `[codegen]`: how every version is generated (the generator's own type, read as it is).
pub type CodegenSection = codegen::config::CodegenConfig;

/// `[[version]]`: one API version and how it is generated (the generator's own type).
pub type Version = codegen::config::VersionConfig;

impl Pin {
    pub fn load(path: &Path) -> Result<Pin> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Pin::parse(&text).with_context(|| format!("{} is not a valid pin file", path.display()))
    }

    /// Parse and check the pin file; every error says which key is wrong.
    pub fn parse(text: &str) -> Result<Pin> {
        let mut pin: Pin = toml::from_str(text)?;
        pin.validate()?;
        pin.drop_missing_migration_versions();
        Ok(pin)
    }

    fn validate(&self) -> Result<()> {
        let commit = &self.upstream.commit;
        if commit.is_empty() || !commit.chars().all(|c| c.is_ascii_alphanumeric()) {
            bail!("upstream.commit `{commit}` must be a commit hash (letters and digits only)");
        }
        if self.versions.is_empty() {
            bail!("no [[version]] is listed");
        }
        let mut names = BTreeSet::new();
        let mut modules = BTreeSet::new();
        for v in &self.versions {
            if !names.insert(v.name.as_str()) {
                bail!("version `{}` is listed twice", v.name);
            }
            // The module is a folder under generated-client/src/ whose stale files codegen deletes:
            // it must be a plain identifier, never a path.
            let ident = !v.module.is_empty()
                && v.module
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !v.module.starts_with(|c: char| c.is_ascii_digit());
            if !ident {
                bail!(
                    "version `{}`: module `{}` must be a lowercase Rust identifier (a-z, 0-9, _)",
                    v.name,
                    v.module
                );
            }
            if !modules.insert(v.module.as_str()) {
                bail!("module `{}` is used by two versions", v.module);
            }
            if !is_relative_inside(Path::new(&v.root)) {
                bail!(
                    "version `{}`: root `{}` must be a relative path inside the spec folder",
                    v.name,
                    v.root
                );
            }
            if v.module == MIGRATION_FOLDER && self.migration.is_some() {
                bail!(
                    "version `{}`: module `{MIGRATION_FOLDER}` is the folder of the migration docs",
                    v.name
                );
            }
            let malformed =
                v.sha256.len() != 64 || !v.sha256.chars().all(|c| c.is_ascii_hexdigit());
            if !v.sha256.is_empty() && malformed {
                bail!(
                    "version `{}`: sha256 `{}` is not 64 hex digits",
                    v.name,
                    v.sha256
                );
            }
        }
        if let Some(m) = &self.migration {
            if m.from.is_empty() {
                bail!("migration.from lists no version");
            }
            let mut seen = BTreeSet::new();
            for name in &m.from {
                if *name == m.to {
                    bail!("migration.from: `{name}` is also migration.to");
                }
                if !seen.insert(name.as_str()) {
                    bail!("migration.from: `{name}` is listed twice");
                }
            }
        }
        Ok(())
    }

    /// Removing a `[[version]]` is one edit: `[migration]` entries that name no version are left
    /// out (with a note), and without its `to` version or any `from` left there are no migration
    /// pages (codegen deletes the old ones).
    fn drop_missing_migration_versions(&mut self) {
        let Some(m) = &mut self.migration else {
            return;
        };
        let names: BTreeSet<&str> = self.versions.iter().map(|v| v.name.as_str()).collect();
        let known: Vec<&str> = self.versions.iter().map(|v| v.name.as_str()).collect();
        let mut notes = Vec::new();
        m.from.retain(|name| {
            let keep = names.contains(name.as_str());
            if !keep {
                notes.push(format!(
                    "[migration] from: `{name}` is not a [[version]]: no migration page for it"
                ));
            }
            keep
        });
        let off = if !names.contains(m.to.as_str()) {
            Some(format!(
                "[migration] to = `{}` is not a [[version]]: no migration pages (name one of {} \
                 or remove [migration])",
                m.to,
                known.join(", ")
            ))
        } else if m.from.is_empty() {
            Some("[migration] from names no [[version]] left: no migration pages".to_string())
        } else {
            None
        };
        if let Some(note) = off {
            notes.push(note);
            self.migration = None;
        }
        self.notes = notes;
    }

    /// The pinned version named `name`.
    pub fn version(&self, name: &str) -> Result<&Version> {
        self.versions
            .iter()
            .find(|v| v.name == name)
            .with_context(|| format!("`{name}` is not a version in spec/pin.toml"))
    }

    /// The versions selected by `--only` (all when `None`), in pin order.
    pub fn select(&self, only: Option<&[String]>) -> Result<Vec<&Version>> {
        let Some(only) = only else {
            return Ok(self.versions.iter().collect());
        };
        for name in only {
            if !self.versions.iter().any(|v| &v.name == name) {
                let known: Vec<&str> = self.versions.iter().map(|v| v.name.as_str()).collect();
                bail!(
                    "unknown version `{name}` in --only (known: {})",
                    known.join(", ")
                );
            }
        }
        Ok(self
            .versions
            .iter()
            .filter(|v| only.contains(&v.name))
            .collect())
    }

    pub fn archive_url(&self) -> String {
        self.upstream
            .archive_url
            .replace("{repository}", &self.upstream.repository)
            .replace("{commit}", &self.upstream.commit)
    }

    /// The client features of every pinned version (`isc-client/v3,isc-client/v2024`): what
    /// CI builds, tests and lints with.
    pub fn client_features(&self) -> String {
        self.versions
            .iter()
            .map(|v| format!("isc-client/{}", v.feature))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The generator's configuration of `version`: `[codegen]` with the version's entry.
    pub fn generator_config(&self, version: &Version) -> codegen::GeneratorConfig {
        codegen::GeneratorConfig::new(
            &self.upstream.repository,
            &self.upstream.commit,
            &self.codegen,
            version,
        )
    }
}

/// True for a relative path made of plain names only (no `..`, no root, no `C:`).
pub fn is_relative_inside(path: &Path) -> bool {
    path.components().next().is_some()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Rewrite the `sha256` value of the `[[version]]` named `name` in the pin file's text, keeping
/// everything else (comments, order, spacing) as it is. Adds the key after `root` if it is missing.
pub fn set_root_sha256(text: &str, name: &str, sha256: &str) -> Result<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut i = 0;
    let mut found = false;
    while i < lines.len() {
        if lines[i].trim() != "[[version]]" {
            i += 1;
            continue;
        }
        // The block runs until the next table header.
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && !lines[end].trim_start().starts_with('[') {
            end += 1;
        }
        let block = &lines[start..end];
        let is_ours = block
            .iter()
            .any(|l| key_value(l).is_some_and(|(k, v)| k == "name" && v == name));
        if is_ours {
            if found {
                bail!("version `{name}` is listed twice in the pin file");
            }
            found = true;
            if let Some(at) = block
                .iter()
                .position(|l| key_value(l).is_some_and(|(k, _)| k == "sha256"))
            {
                let line = lines[start + at];
                let indent = &line[..line.len() - line.trim_start().len()];
                let newline = if line.ends_with('\n') { "\n" } else { "" };
                out[start + at] = format!("{indent}sha256 = \"{sha256}\"{newline}");
            } else if let Some(at) = block
                .iter()
                .position(|l| key_value(l).is_some_and(|(k, _)| k == "root"))
            {
                let line = &mut out[start + at];
                if !line.ends_with('\n') {
                    line.push('\n');
                }
                line.push_str(&format!("sha256 = \"{sha256}\"\n"));
            } else {
                bail!("version `{name}` has no `root` key in the pin file");
            }
        }
        i = end;
    }
    if !found {
        bail!("version `{name}` is not in the pin file");
    }
    Ok(out.concat())
}

/// `key = "value"` on one line, as (key, value); None for anything else.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once('=')?;
    let value = value.trim();
    let value = value.split_once('#').map_or(value, |(v, _)| v).trim();
    let value = value.strip_prefix('"')?.strip_suffix('"')?;
    Some((key.trim(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIN: &str = include_str!("../../spec/pin.toml");

    #[test]
    fn parses_the_repository_pin() {
        let pin = Pin::parse(PIN).unwrap();
        assert_eq!(pin.upstream.repository, "sailpoint-oss/api-specs");
        assert_eq!(pin.upstream.commit.len(), 40);
        assert_eq!(pin.codegen.runtime_path, "crate::runtime");
        assert_eq!(pin.codegen.implicit_headers.len(), 1);
        assert_eq!(
            pin.codegen.implicit_headers[0].name,
            "X-SailPoint-Experimental"
        );
        assert_eq!(
            pin.codegen.implicit_headers[0]
                .marks_operation_as
                .as_deref(),
            Some("experimental")
        );
        let names: Vec<&str> = pin.versions.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["v3", "v2024", "v2025", "v2026", "beta", "services"]);
        assert_eq!(
            pin.client_features(),
            "isc-client/v3,isc-client/v2024,isc-client/v2025,isc-client/v2026,isc-client/beta,\
             isc-client/services"
        );
        // The per-service API versions its services and puts them on the client.
        let services = pin.generator_config(&pin.versions[5]);
        assert!(services.client_methods && services.service_versions.is_some());
        assert!(!pin.generator_config(&pin.versions[0]).client_methods);
        // Every pinned version is held to the spec checks; one whose spec tests are off
        // generates no test data.
        assert!(pin.versions.iter().all(|v| v.spec_tests));
        let config = pin.generator_config(&pin.versions[1]);
        assert!(config.spec_tests && config.client_crate.is_some());
        let off = Pin::parse(&PIN.replacen(
            "module = \"v3\"\n",
            "module = \"v3\"\nspec_tests = false\n",
            1,
        ))
        .unwrap();
        assert!(!off.versions[0].spec_tests);
        let config = off.generator_config(&off.versions[0]);
        assert!(!config.spec_tests && config.client_crate.is_some());
        // The drift the client decodes and the webhook repairs are the pin's.
        assert_eq!(config.lenient, codegen::config::LenientConfig::ALL);
        assert_eq!(config.repair, codegen::config::RepairConfig::ALL);
        assert_eq!(pin.versions[0].root, "idn/sailpoint-api.v3.yaml");
        assert!(pin.archive_url().contains(&pin.upstream.commit));
        assert!(pin.archive_url().contains("sailpoint-oss/api-specs"));
        let config = pin.generator_config(&pin.versions[1]);
        assert_eq!(config.module, "v2024");
        assert_eq!(config.upstream_commit, pin.upstream.commit);
        assert_eq!(config.implicit_headers[0].value, "true");
    }

    #[test]
    fn unknown_keys_are_rejected_naming_the_key_and_the_file() {
        let misspelt = |from: &str, to: &str| {
            assert!(PIN.contains(from), "{from}");
            format!("{:#}", Pin::parse(&PIN.replacen(from, to, 1)).unwrap_err())
        };
        // In `[codegen]`, in a table under it, and in a `[[version]]`.
        let err = misspelt("client_crate = ", "client_krate = ");
        assert!(err.contains("unknown field `client_krate`"), "{err}");
        let err = misspelt("numbers_as_text = ", "number_as_text = ");
        assert!(err.contains("unknown field `number_as_text`"), "{err}");
        let err = misspelt("split_lowercase_names = ", "split_lower_names = ");
        assert!(err.contains("unknown field `split_lower_names`"), "{err}");
        let err = misspelt(
            "feature = \"v3\"\n",
            "feature = \"v3\"\nspec_test = false\n",
        );
        assert!(err.contains("unknown field `spec_test`"), "{err}");
        // Loaded from its file, the message names the file.
        let dir = crate::testutil::TempDir::new("pin");
        let path = dir.write(
            "spec/pin.toml",
            &PIN.replacen("client_crate = ", "client_krate = ", 1),
        );
        let err = format!("{:#}", Pin::load(&path).unwrap_err());
        assert!(err.contains("spec/pin.toml"), "{err}");
        assert!(err.contains("unknown field `client_krate`"), "{err}");
    }

    #[test]
    fn the_migration_table_names_pinned_versions() {
        let pin = Pin::parse(PIN).unwrap();
        let m = pin.migration.as_ref().unwrap();
        assert_eq!(m.to, "services");
        assert_eq!(m.from, ["v2026", "v2025", "v2024", "v3", "beta"]);
        assert_eq!(pin.version("v2026").unwrap().module, "v2026");
        assert!(pin.version("v1999").is_err());
        let with = |from: &str, to: &str| {
            let text = PIN
                .replace(
                    "from = [\"v2026\", \"v2025\", \"v2024\", \"v3\", \"beta\"]",
                    &format!("from = [{from}]"),
                )
                .replace("to = \"services\"", &format!("to = \"{to}\""));
            Pin::parse(&text).map_err(|e| format!("{e:#}"))
        };
        assert!(with("\"v3\"", "services").is_ok());
        // A version removed from the pin: its entries are left out, with a note.
        let gone = with("\"v3\"", "v4").unwrap();
        assert!(gone.migration.is_none());
        assert!(
            gone.notes[0].contains("to = `v4` is not a [[version]]"),
            "{:?}",
            gone.notes
        );
        let some = with("\"v9\", \"v3\"", "services").unwrap();
        assert_eq!(some.migration.as_ref().unwrap().from, ["v3"]);
        assert!(some.notes[0].contains("`v9` is not a [[version]]"));
        let none = with("\"v9\"", "services").unwrap();
        assert!(none.migration.is_none() && none.notes.len() == 2);
        assert!(
            with("\"services\"", "services")
                .unwrap_err()
                .contains("also migration.to")
        );
        assert!(
            with("\"v3\", \"v3\"", "services")
                .unwrap_err()
                .contains("twice")
        );
        assert!(with("", "services").unwrap_err().contains("no version"));
        let clash = PIN.replace("module = \"beta\"", "module = \"migration\"");
        assert!(
            format!("{:#}", Pin::parse(&clash).unwrap_err()).contains("migration docs"),
            "a version module may not take the docs' folder"
        );
    }

    #[test]
    fn select_filters_and_rejects_unknown_names() {
        let pin = Pin::parse(PIN).unwrap();
        assert_eq!(pin.select(None).unwrap().len(), 6);
        let only = vec!["v2024".to_string()];
        let picked = pin.select(Some(&only)).unwrap();
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].name, "v2024");
        let err = pin.select(Some(&["v9".to_string()])).unwrap_err();
        assert!(err.to_string().contains("unknown version `v9`"), "{err}");
    }

    #[test]
    fn rejects_bad_modules_roots_and_shas() {
        let bad_module = PIN.replace("module = \"v3\"", "module = \"../src\"");
        let err = Pin::parse(&bad_module).unwrap_err();
        assert!(format!("{err:#}").contains("module `../src`"), "{err:#}");
        let bad_root = PIN.replace(
            "root = \"idn/sailpoint-api.v3.yaml\"",
            "root = \"/etc/passwd\"",
        );
        assert!(format!("{:#}", Pin::parse(&bad_root).unwrap_err()).contains("root `/etc/passwd`"));
        let bad_sha = PIN.replace("sha256 = \"fd12", "sha256 = \"zz12");
        assert!(format!("{:#}", Pin::parse(&bad_sha).unwrap_err()).contains("not 64 hex digits"));
        assert!(Pin::parse("not toml [").is_err());
        assert!(Pin::parse("").is_err());
    }

    #[test]
    fn set_root_sha256_edits_in_place_and_keeps_comments() {
        let new = "a".repeat(64);
        let edited = set_root_sha256(PIN, "v2024", &new).unwrap();
        let pin = Pin::parse(&edited).unwrap();
        assert_eq!(pin.versions[1].sha256, new);
        assert_eq!(
            pin.versions[0].sha256,
            Pin::parse(PIN).unwrap().versions[0].sha256
        );
        // Only that one line changed.
        let changed: Vec<_> = PIN
            .lines()
            .zip(edited.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(PIN.lines().count(), edited.lines().count());
        assert!(edited.starts_with("# Which upstream spec"));
        assert!(set_root_sha256(PIN, "v1999", &new).is_err());
    }

    #[test]
    fn a_version_added_by_hand_may_lack_its_sha256() {
        let text = format!(
            "{PIN}\n[[version]]\nname = \"new\"\nroot = \"n.yaml\"\nmodule = \"new\"\nfeature = \"new\"\n"
        );
        let pin = Pin::parse(&text).unwrap();
        assert_eq!(pin.versions.last().unwrap().sha256, "");
    }

    #[test]
    fn set_root_sha256_adds_a_missing_key() {
        let text = "[[version]]\nname = \"x\"\nroot = \"a.yaml\"\nmodule = \"x\"\n";
        let edited = set_root_sha256(text, "x", "ab").unwrap();
        assert_eq!(
            edited,
            "[[version]]\nname = \"x\"\nroot = \"a.yaml\"\nsha256 = \"ab\"\nmodule = \"x\"\n"
        );
    }
}
