//! `cargo xtask spec migrate`: for every operation of each year version (`[migration] from` in
//! spec/pin.toml), its successor in the per-service API (`[migration] to`) and what changes in
//! its request and answer. Prints a summary per version and the detail per operation, and
//! writes the Markdown pages (`target/spec-migrate.md`, or `--output FILE`). `cargo xtask
//! codegen` writes the same pages into the client's docs ([`docs`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::migration::{self, DocInfo, Migration};
use codegen::surface::{self, Surface};

use crate::Workspace;
use crate::inputs::{prepare_spec_dir, version_config};
use crate::pin::{MIGRATION_FOLDER, MigrationSection, Pin, Version};

#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub spec_dir: Option<PathBuf>,
    /// Only this year version (one of `[migration] from` in spec/pin.toml)
    #[arg(long, value_name = "v2026", value_parser = crate::specdir::name_arg)]
    pub from: Option<String>,
    /// Where the Markdown report goes [default: target/spec-migrate.md]
    #[arg(long, value_name = "FILE", value_parser = crate::specdir::file_arg)]
    pub output: Option<PathBuf>,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let section = section(&pin)?;
    let from: Vec<&str> = match &opts.from {
        Some(name) if section.from.contains(name) => vec![name.as_str()],
        Some(name) => bail!(
            "`{name}` is not a year version of [migration] in spec/pin.toml (from = {})",
            section.from.join(", ")
        ),
        None => section.from.iter().map(String::as_str).collect(),
    };
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    let to = pin.version(&section.to)?;
    let to_surface = load(ws, &pin, to, &spec)?;
    let mut pages = Vec::new();
    for name in from {
        let version = pin.version(name)?;
        let m = migration::migrate(&load(ws, &pin, version, &spec)?, &to_surface);
        println!("{} -> {}: {}", version.name, to.name, m.summary());
        pages.push((doc_info(&pin, version, to), m));
    }
    for (info, m) in &pages {
        println!("\n{} -> {}:", info.from, info.to);
        print!("{}", detail(m));
    }
    let report: String = pages
        .iter()
        .map(|(info, m)| migration::markdown(m, info))
        .collect::<Vec<_>>()
        .join("\n");
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| ws.root.join("target").join("spec-migrate.md"));
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&output, report)
        .with_context(|| format!("cannot write {}", output.display()))?;
    println!("\nreport: {}", output.display());
    Ok(())
}

fn section(pin: &Pin) -> Result<&MigrationSection> {
    pin.migration
        .as_ref()
        .context("spec/pin.toml has no [migration] table (to = \"...\", from = [...])")
}

fn load(ws: &Workspace, pin: &Pin, version: &Version, spec: &Path) -> Result<Surface> {
    let config = version_config(ws, pin, version)?;
    let modelled = surface::surface(&config, spec)
        .with_context(|| format!("cannot model {}", version.name))?;
    crate::diff_cmd::refuse_left_out(&version.name, &modelled.overlays_left_out)?;
    Ok(modelled.surface)
}

/// What a page says about its two versions: names, roots, where calls start, the upstream.
pub fn doc_info(pin: &Pin, from: &Version, to: &Version) -> DocInfo {
    // A version whose groups are methods of the client is called from the client itself.
    let api = |v: &Version| match &pin.codegen.doc_examples {
        Some(_) if v.client_methods => "client".to_string(),
        Some(examples) => examples.api.replace("{module}", &v.module),
        None => format!("{}::Api", v.module),
    };
    DocInfo {
        from: from.name.clone(),
        to: to.name.clone(),
        from_root: from.root.clone(),
        to_root: to.root.clone(),
        from_api: api(from),
        to_api: api(to),
        repository: pin.upstream.repository.clone(),
        commit: pin.upstream.commit.clone(),
    }
}

/// One line per operation (`same`, `changed`, `BREAKING`, `by name`, `none`) with its
/// successor, and under it each change and the operations that also match.
pub fn detail(m: &Migration) -> String {
    let mut text = String::new();
    for step in &m.steps {
        let f = &step.from;
        let Some(next) = &step.successor else {
            text.push_str(&format!(
                "  none      {} {} {}: no successor\n",
                f.method, f.path, f.call
            ));
            continue;
        };
        let status = match (next.matched_by, next.changes.is_empty(), next.is_breaking()) {
            (migration::MatchedBy::Name, _, _) => "by name",
            (_, true, _) => "same",
            (_, _, true) => "BREAKING",
            _ => "changed",
        };
        let t = &next.to;
        text.push_str(&format!(
            "  {status:<9} {} {} {} -> {} {} {}\n",
            f.method, f.path, f.call, t.method, t.path, t.call
        ));
        for other in &next.others {
            text.push_str(&format!(
                "              also {} {} ({})\n",
                other.method, other.path, other.operation_id
            ));
        }
        for change in &next.changes {
            let impact = match change.impact {
                surface::Impact::Breaking => "breaking",
                surface::Impact::Compatible => "compatible",
            };
            text.push_str(&format!("              {impact}, {change}\n"));
        }
    }
    text
}

/// The migration pages of the client's docs.
pub struct Docs {
    /// By path under `generated-client/src/`: an index (`migration/index.md`, the year versions
    /// in pin order) and one page per year version (`migration/<module>.md`).
    pub files: BTreeMap<PathBuf, String>,
    /// Each page's summary line, for the console.
    pub summaries: Vec<String>,
    /// Each page's figures, by the version moved from.
    pub figures: Vec<(String, migration::Summary)>,
}

/// The migration pages from the surfaces of a codegen run (by version name); `None` when the
/// pin has no [migration] table.
pub fn docs(pin: &Pin, surfaces: &BTreeMap<&str, &Surface>) -> Result<Option<Docs>> {
    let Some(section) = &pin.migration else {
        return Ok(None);
    };
    let surface_of = |name: &str| {
        surfaces
            .get(name)
            .copied()
            .with_context(|| format!("no surface of `{name}` for the migration docs"))
    };
    let to = pin.version(&section.to)?;
    let to_surface = surface_of(&to.name)?;
    let folder = Path::new(MIGRATION_FOLDER);
    let mut files = BTreeMap::new();
    let mut lines = Vec::new();
    let mut index = Vec::new();
    let mut figures = Vec::new();
    for name in &section.from {
        let from = pin.version(name)?;
        let m = migration::migrate(surface_of(name)?, to_surface);
        let info = doc_info(pin, from, to);
        let summary = m.summary();
        lines.push(format!("{} -> {}: {summary}", from.name, to.name));
        files.insert(
            folder.join(format!("{}.md", from.module)),
            migration::markdown(&m, &info),
        );
        figures.push((from.name.clone(), summary));
        index.push((info, summary));
    }
    files.insert(folder.join("index.md"), migration::index_markdown(&index));
    Ok(Some(Docs {
        files,
        summaries: lines,
        figures,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::surface::OperationSurface;

    const PIN: &str = include_str!("../../spec/pin.toml");

    fn op(method: &str, path: &str, call: &str) -> OperationSurface {
        OperationSurface {
            method: method.into(),
            path: path.into(),
            call: call.into(),
            params: BTreeMap::new(),
            path_params: Vec::new(),
            body: None,
            response: "()".into(),
            deprecated: false,
        }
    }

    fn one(id: &str, op: OperationSurface) -> Surface {
        Surface {
            operations: [(id.to_string(), op)].into(),
            models: BTreeMap::new(),
        }
    }

    #[test]
    fn docs_are_an_index_and_one_page_per_year_version() {
        let pin = Pin::parse(PIN).unwrap();
        let year = one("listThings", op("GET", "/things", "things().list_things()"));
        let services = one(
            "listThingsV1",
            op("GET", "/things/v1", "things().v1().list_things()"),
        );
        let mut surfaces: BTreeMap<&str, &Surface> = BTreeMap::new();
        for name in ["v3", "v2024", "v2025", "v2026", "beta"] {
            surfaces.insert(name, &year);
        }
        surfaces.insert("services", &services);
        let Docs {
            files,
            summaries: lines,
            figures,
        } = docs(&pin, &surfaces).unwrap().unwrap();
        assert_eq!(figures[0].0, "v2026");
        assert_eq!((figures[0].1.operations, figures[0].1.same), (1, 1));
        let names: Vec<String> = files.keys().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "migration/beta.md",
                "migration/index.md",
                "migration/v2024.md",
                "migration/v2025.md",
                "migration/v2026.md",
                "migration/v3.md"
            ]
        );
        assert_eq!(
            lines[0],
            "v2026 -> services: 1 operations: 1 same, 0 changed (0 breaking), 0 matched by name, 0 without successor"
        );
        let index = &files[Path::new("migration/index.md")];
        assert!(index.contains(&pin.upstream.commit));
        let v2026 = index.find("| `v2026` |").unwrap();
        let v3 = index.find("| `v3` |").unwrap();
        assert!(v2026 < v3, "the index lists v2026 first");
        let page = &files[Path::new("migration/v2026.md")];
        assert!(page.contains("Calls are written from `client.v2026()` and `client`"));
        assert!(page.contains("`things().v1().list_things()`"));

        surfaces.remove("services");
        assert!(docs(&pin, &surfaces).is_err());
        let mut without = pin.clone();
        without.migration = None;
        assert!(docs(&without, &surfaces).unwrap().is_none());
    }

    #[test]
    fn detail_lists_each_operation_and_its_changes() {
        let year = one("listThings", op("GET", "/things", "things().list_things()"));
        let mut next = op("GET", "/things/v1", "things().v1().list_things()");
        next.response = "Vec<Thing>".into();
        let services = one("listThingsV1", next);
        let text = detail(&migration::migrate(&year, &services));
        assert_eq!(
            text,
            "  BREAKING  GET /things things().list_things() -> GET /things/v1 things().v1().list_things()\n              breaking, answer: answers `Vec<Thing>` (was `()`)\n"
        );
    }
}
