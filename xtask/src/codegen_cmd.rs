//! `cargo xtask codegen`: generate every pinned version into `generated-client/src/`, or with
//! `--check` compare what would be generated with what is committed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::inputs::{prepare_spec_dir, version_config};
use crate::pin::{MIGRATION_FOLDER, Pin, Version, is_relative_inside};
use crate::{Workspace, client_glue, features, figures, migrate_cmd};

/// How many diagnostics are printed on the console without `--verbose`.
const CONSOLE_DIAGNOSTICS: usize = 20;

#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub spec_dir: Option<PathBuf>,
    /// Compare with the files on disk instead of writing, and fail if they differ
    #[arg(long)]
    pub check: bool,
    /// Only these versions (names of spec/pin.toml's [[version]]s, comma-separated)
    #[arg(long, value_name = "v3,v2024", value_delimiter = ',', value_parser = crate::specdir::name_arg)]
    pub only: Option<Vec<String>>,
    /// Print every diagnostic, not only the first ones
    #[arg(short, long)]
    pub verbose: bool,
}

/// One difference between generated files and the files on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// On disk with other content.
    Differs(PathBuf),
    /// Generated but not on disk.
    Missing(PathBuf),
    /// On disk in a version folder but no longer generated.
    Extra(PathBuf),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Differs(p) => write!(f, "differs: {}", p.display()),
            Change::Missing(p) => write!(f, "missing: {}", p.display()),
            Change::Extra(p) => write!(f, "extra:   {}", p.display()),
        }
    }
}

/// Compare `expected` (paths relative to `src_dir`) with the files on disk. Extra files are looked
/// for only under `src_dir/<module>/` for each of `modules`. Sorted by path kind then path.
pub fn compare(
    expected: &BTreeMap<PathBuf, String>,
    src_dir: &Path,
    modules: &[&str],
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    for (path, text) in expected {
        check_generated_path(path)?;
        match std::fs::read(src_dir.join(path)) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => changes.push(Change::Differs(path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                changes.push(Change::Missing(path.clone()))
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read {}", src_dir.join(path).display()));
            }
        }
    }
    for module in modules {
        for file in files_under(src_dir, Path::new(module))? {
            if !expected.contains_key(&file) {
                changes.push(Change::Extra(file));
            }
        }
    }
    changes.sort();
    Ok(changes)
}

/// What [`write`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub written: Vec<PathBuf>,
    pub deleted: Vec<PathBuf>,
    pub unchanged: usize,
}

/// Bring `src_dir` in line with `expected`: write files whose content changed (only those, so that
/// timestamps of unchanged files stay put), delete stale files under the module folders.
pub fn write(
    expected: &BTreeMap<PathBuf, String>,
    src_dir: &Path,
    modules: &[&str],
) -> Result<Written> {
    let changes = compare(expected, src_dir, modules)?;
    let mut out = Written::default();
    for change in changes {
        match change {
            Change::Differs(path) | Change::Missing(path) => {
                let Some(text) = expected.get(&path) else {
                    continue;
                };
                let full = src_dir.join(&path);
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                std::fs::write(&full, text)
                    .with_context(|| format!("cannot write {}", full.display()))?;
                out.written.push(path);
            }
            Change::Extra(path) => {
                let full = src_dir.join(&path);
                std::fs::remove_file(&full)
                    .with_context(|| format!("cannot delete {}", full.display()))?;
                out.deleted.push(path);
            }
        }
    }
    for module in modules {
        remove_empty_dirs(&src_dir.join(module));
    }
    out.unchanged = expected.len() - out.written.len();
    Ok(out)
}

fn check_generated_path(path: &Path) -> Result<()> {
    if !is_relative_inside(path) {
        bail!(
            "the generator produced a file outside the client's src folder: {}",
            path.display()
        );
    }
    Ok(())
}

/// Files under `base/sub`, relative to `base`, sorted. A missing folder has none.
fn files_under(base: &Path, sub: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![sub.to_path_buf()];
    while let Some(rel) = stack.pop() {
        let dir = base.join(&rel);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let kind = entry
                .file_type()
                .with_context(|| format!("cannot stat {}", entry.path().display()))?;
            let child = rel.join(entry.file_name());
            if kind.is_dir() {
                stack.push(child);
            } else {
                files.push(child);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Remove folders left empty under `dir` (not `dir` itself); errors are ignored.
fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            let path = entry.path();
            remove_empty_dirs(&path);
            let _ = std::fs::remove_dir(&path); // fails unless empty
        }
    }
}

/// Peak resident memory of this process (VmHWM), where the OS reports it.
pub fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{:.1} MiB", kb as f64 / 1024.0))
}

struct VersionRun {
    name: String,
    module: String,
    /// Time this version took on its own thread.
    seconds: f64,
    outcome: Result<codegen::Generated, codegen::Error>,
}

/// Threads for `jobs` versions: one per core, no more than there are versions.
fn workers(jobs: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs)
        .max(1)
}

/// Generate each version on a pool of [`workers`] threads (versions are independent: each loads
/// its own bundle), and return the runs in the order given, so output stays deterministic.
fn generate_in_parallel(
    jobs: Vec<(&Version, codegen::GeneratorConfig)>,
    spec: &Path,
) -> Vec<VersionRun> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(jobs.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((version, config)) = jobs.get(i) else {
                        break;
                    };
                    let started = Instant::now();
                    let outcome = codegen::generate(config, spec);
                    let run = VersionRun {
                        name: version.name.clone(),
                        module: version.module.clone(),
                        seconds: started.elapsed().as_secs_f64(),
                        outcome,
                    };
                    // A poisoned lock means another worker panicked; its panic is re-raised
                    // when the scope ends, so keep going.
                    done.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((i, run));
                }
            });
        }
    });
    let mut done = done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, run)| run).collect()
}

/// The whole command.
pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let result = run_inner(ws, opts);
    if let Some(peak) = peak_memory() {
        println!("peak memory: {peak}");
    }
    result
}

fn run_inner(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let versions = pin.select(opts.only.as_deref())?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    for note in &pin.notes {
        println!("note: {note}");
    }

    let mut jobs = Vec::new();
    for version in versions {
        jobs.push((version, version_config(ws, &pin, version)?));
    }
    let started = Instant::now();
    let runs = generate_in_parallel(jobs, &spec);
    for r in &runs {
        match &r.outcome {
            Ok(g) => println!(
                "{}: {} operations, {} models, {} lines, {:.1} s, {} diagnostics",
                r.name,
                g.report.operations,
                g.report.models,
                g.report.lines,
                r.seconds,
                g.report.diagnostics.len()
            ),
            Err(e) => println!("{}: FAILED after {:.1} s: {e}", r.name, r.seconds),
        }
    }
    if runs.len() > 1 {
        println!(
            "{} versions generated in {:.1} s (wall clock, on up to {} threads)",
            runs.len(),
            started.elapsed().as_secs_f64(),
            workers(runs.len())
        );
    }

    report_diagnostics(ws, &runs, opts.verbose)?;

    // Every problem of every version, in one run: overlay actions that no longer apply (each
    // left out alone, the version generated without it), and versions that failed.
    let left_out = overlays_left_out(&runs);
    for line in &left_out {
        println!("overlay to revisit: {line}");
    }
    let failed: Vec<String> = runs
        .iter()
        .filter_map(|r| r.outcome.as_ref().err().map(|e| format!("{}: {e}", r.name)))
        .collect();
    if !failed.is_empty() {
        let note = if opts.check {
            ""
        } else {
            ", nothing was written"
        };
        let overlays = if left_out.is_empty() {
            String::new()
        } else {
            format!(
                "\nand {} overlay action(s) no longer apply (listed above)",
                left_out.len()
            )
        };
        bail!(
            "generation failed{note}:\n  {}{overlays}",
            failed.join("\n  ")
        );
    }
    let revisit = || {
        format!(
            "{} overlay action(s) no longer apply to the spec (listed above as `overlay to \
             revisit`): each was left out alone; correct or delete them in spec/overlays/",
            left_out.len()
        )
    };

    // Two output folders: the client's sources, and its generated test data. In each, the
    // folders of the selected versions are owned by the generator (stale files are deleted).
    let mut sources = Output::new(ws.client_src());
    let mut tests = Output::new(ws.client_tests());
    for r in &runs {
        let Ok(generated) = &r.outcome else { continue };
        sources.modules.push(PathBuf::from(&r.module));
        sources.add(&generated.files)?;
        // Each version's folder in each test data folder (`spec_examples/v3/`) is the
        // generator's, also when it writes none there (stale files are deleted).
        for folder in codegen::emit::TEST_DATA_FOLDERS {
            tests.modules.push(Path::new(folder).join(&r.module));
        }
        tests.add(&generated.tests)?;
    }

    // Figures README.md quotes (`figures`): only a run over every version has all of them.
    let mut figures = figures::Figures::new();
    for r in &runs {
        if let Ok(g) = &r.outcome {
            figures.insert(
                format!("operations.{}", r.name),
                figures::thousands(g.report.operations),
            );
            figures.insert(
                format!("models.{}", r.name),
                figures::thousands(g.report.models),
            );
            // Rounded to the thousand: README says "about".
            figures.insert(
                format!("lines.{}", r.name),
                figures::thousands((g.report.lines + 500) / 1000 * 1000),
            );
        }
    }

    // The migration docs (generated-client/src/migration/): only a run over every version has
    // the surfaces they compare.
    if opts.only.is_none() {
        // Folders the generator wrote for a version no longer pinned: deleted like stale files.
        for output in [&mut sources, &mut tests] {
            for folder in stale_version_folders(&output.dir, &output.modules)? {
                println!(
                    "stale: {} (a version no longer pinned)",
                    output.dir.join(&folder).display()
                );
                output.modules.push(folder);
            }
        }
        let surfaces: BTreeMap<&str, &codegen::surface::Surface> = runs
            .iter()
            .filter_map(|r| {
                r.outcome
                    .as_ref()
                    .ok()
                    .map(|g| (r.name.as_str(), &g.surface))
            })
            .collect();
        // The folder is the generator's even without [migration]: old pages are deleted.
        sources.modules.push(PathBuf::from(MIGRATION_FOLDER));
        if let Some(docs) = migrate_cmd::docs(&pin, &surfaces)? {
            for line in &docs.summaries {
                println!("migration {line}");
            }
            sources.add(&docs.files)?;
            for (from, summary) in &docs.figures {
                for (what, n) in [
                    ("operations", summary.operations),
                    ("same", summary.same),
                    ("changed", summary.changed),
                    ("breaking", summary.breaking),
                    ("without", summary.without),
                ] {
                    figures.insert(format!("migration.{from}.{what}"), figures::thousands(n));
                }
            }
        }
    } else if pin.migration.is_some() {
        println!("migration docs: left as they are with --only (they need every version)");
    }

    // The client's features and the hand-written files' lists of versions: only a run over
    // every version knows all of them.
    let manifest = ws.root.join("generated-client").join("Cargo.toml");
    let lib = ws.client_src().join("lib.rs");
    let mut marked_updates = Vec::new();
    if opts.only.is_none() {
        let (old_manifest, new_manifest) = manifest_with_features(&manifest, &pin, &runs)?;
        let glue = glue_versions(&pin, &runs);
        let pages = pin.migration.as_ref().map(|m| client_glue::MigrationPages {
            to: &m.to,
            from: m.from.iter().map(String::as_str).collect(),
        });
        let old_lib = std::fs::read_to_string(&lib)
            .with_context(|| format!("cannot read {}", lib.display()))?;
        let new_lib = features::replace_between(
            &old_lib,
            client_glue::LIB_BEGIN,
            client_glue::LIB_END,
            &client_glue::lib_block(&glue, pages.as_ref()),
        )
        .with_context(|| format!("cannot list the versions in {}", lib.display()))?;
        for (folder, element, items) in [
            (
                "spec_examples",
                "Case",
                &["CASES", "SAMPLES", "TRIGGERS"][..],
            ),
            ("conformance", "Call", &["CALLS"][..]),
        ] {
            let index = client_glue::test_index(folder, &glue, element, items);
            tests.add(&BTreeMap::from([(
                Path::new(folder).join(client_glue::TEST_INDEX),
                index,
            )]))?;
        }
        // Refused before anything is written: what stays hand-written must not name a feature
        // that is no longer declared (every later cargo command would fail, or warn).
        let owned: Vec<PathBuf> = sources
            .modules
            .iter()
            .map(|m| Path::new("src").join(m))
            .chain(tests.modules.iter().map(|m| Path::new("tests").join(m)))
            .collect();
        let undeclared = client_glue::undeclared_features(
            &ws.root.join("generated-client"),
            &new_manifest,
            &owned,
        )?;
        if !undeclared.is_empty() {
            let lines: Vec<String> = undeclared
                .iter()
                .map(|u| {
                    format!(
                        "generated-client/{}:{}: feature `{}`",
                        u.file.display(),
                        u.line,
                        u.feature
                    )
                })
                .collect();
            let declared: Vec<&str> = pin.versions.iter().map(|v| v.feature.as_str()).collect();
            bail!(
                "nothing was written: these hand-written places name features that spec/pin.toml \
                 no longer declares (the versions' features are {}); change them, then run \
                 codegen again:\n  {}",
                declared.join(", "),
                lines.join("\n  ")
            );
        }
        marked_updates.push((manifest.clone(), old_manifest, new_manifest));
        marked_updates.push((lib.clone(), old_lib, new_lib));
        let readme = ws.root.join("README.md");
        let old_readme = std::fs::read_to_string(&readme)
            .with_context(|| format!("cannot read {}", readme.display()))?;
        let new_readme = figures::rewrite(&old_readme, &figures)?;
        marked_updates.push((readme, old_readme, new_readme));
    }

    if opts.check {
        let mut stale = 0;
        for (file, old, new) in &marked_updates {
            if old != new {
                println!(
                    "  differs: {} (what codegen writes between its markers)",
                    file.display()
                );
                stale += 1;
            }
        }
        for output in [&sources, &tests] {
            let changes = compare(&output.expected, &output.dir, &output.module_strs())?;
            for change in &changes {
                println!("  {change}");
            }
            stale += changes.len();
        }
        if !left_out.is_empty() {
            bail!("{}", revisit());
        }
        if stale == 0 {
            println!(
                "generated code is up to date ({} files)",
                sources.expected.len() + tests.expected.len()
            );
            return Ok(());
        }
        bail!(
            "{stale} generated file(s) under {} and {} are out of date: run `cargo xtask codegen` and commit the result",
            sources.dir.display(),
            tests.dir.display()
        );
    }
    for (file, old, new) in &marked_updates {
        if old != new {
            std::fs::write(file, new)
                .with_context(|| format!("cannot write {}", file.display()))?;
            println!("wrote the generated part of {}", file.display());
        }
    }
    for output in [&sources, &tests] {
        let written = write(&output.expected, &output.dir, &output.module_strs())?;
        println!(
            "wrote {} file(s), deleted {} stale file(s), {} unchanged, under {}",
            written.written.len(),
            written.deleted.len(),
            written.unchanged,
            output.dir.display()
        );
    }
    if !left_out.is_empty() {
        bail!("{}; the code was written without them", revisit());
    }
    Ok(())
}

/// Each version's overlay actions that were left out, as `version: file#/actions/N/...: why`.
fn overlays_left_out(runs: &[VersionRun]) -> Vec<String> {
    runs.iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|g| (r, g)))
        .flat_map(|(r, g)| {
            g.overlays_left_out
                .iter()
                .map(move |e| format!("{}: {e}", r.name))
        })
        .collect()
}

/// The client manifest as it is and as it should be: the features of every version (runs in pin
/// order) between the @generated markers.
fn manifest_with_features(
    manifest: &Path,
    pin: &Pin,
    runs: &[VersionRun],
) -> Result<(String, String)> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let mut versions = Vec::new();
    for (version, run) in pin.versions.iter().zip(runs) {
        let Ok(generated) = &run.outcome else {
            continue;
        };
        versions.push(features::VersionFeatures {
            version: &version.name,
            feature: &version.feature,
            generated: &generated.features,
        });
    }
    let updated = features::replace_block(&text, &features::block(&versions))
        .with_context(|| format!("cannot declare the features in {}", manifest.display()))?;
    Ok((text, updated))
}

/// Folders under `dir` (and under its test data folders) that hold a generated `mod.rs` but are
/// none of `modules`: what codegen wrote for a version that is no longer pinned.
fn stale_version_folders(dir: &Path, modules: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    let parents = std::iter::once(PathBuf::new())
        .chain(codegen::emit::TEST_DATA_FOLDERS.iter().map(PathBuf::from));
    for parent in parents {
        let Ok(entries) = std::fs::read_dir(dir.join(&parent)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let folder = parent.join(entry.file_name());
            if !entry.file_type().is_ok_and(|t| t.is_dir()) || modules.contains(&folder) {
                continue;
            }
            let first_line = std::fs::read_to_string(entry.path().join("mod.rs"))
                .unwrap_or_default()
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            if first_line.starts_with(GENERATED_HEADER) {
                stale.push(folder);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// How every file the generator writes begins.
const GENERATED_HEADER: &str = "// @generated by `cargo xtask codegen`";

/// The versions generated, in pin order, as the client's hand-written files list them.
fn glue_versions<'a>(pin: &'a Pin, runs: &'a [VersionRun]) -> Vec<client_glue::GlueVersion<'a>> {
    pin.versions
        .iter()
        .zip(runs)
        .filter_map(|(version, run)| {
            let generated = run.outcome.as_ref().ok()?;
            Some(client_glue::GlueVersion {
                name: &version.name,
                module: &version.module,
                feature: &version.feature,
                selected: generated.features.selected.as_deref(),
                client_methods: version.client_methods,
                has_tests: !generated.tests.is_empty(),
            })
        })
        .collect()
}

/// The files generated into one folder, and the subfolders the generator owns there.
struct Output {
    dir: PathBuf,
    expected: BTreeMap<PathBuf, String>,
    modules: Vec<PathBuf>,
}

impl Output {
    fn new(dir: PathBuf) -> Self {
        Output {
            dir,
            expected: BTreeMap::new(),
            modules: Vec::new(),
        }
    }

    fn add(&mut self, files: &BTreeMap<PathBuf, String>) -> Result<()> {
        for (path, text) in files {
            if self.expected.insert(path.clone(), text.clone()).is_some() {
                bail!("two versions generate the same file {}", path.display());
            }
        }
        Ok(())
    }

    fn module_strs(&self) -> Vec<&str> {
        self.modules.iter().filter_map(|m| m.to_str()).collect()
    }
}

fn report_diagnostics(ws: &Workspace, runs: &[VersionRun], verbose: bool) -> Result<()> {
    let mut all = Vec::new();
    for r in runs {
        if let Ok(g) = &r.outcome {
            all.extend(
                g.report
                    .diagnostics
                    .iter()
                    .map(|d| format!("{}: {d}", r.name)),
            );
        }
    }
    if all.is_empty() {
        return Ok(());
    }
    let report = ws.root.join("target").join("codegen-report.txt");
    let mut text = String::new();
    for line in &all {
        let _ = writeln!(text, "{line}");
    }
    let written = report
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&report, text));
    let shown = if verbose {
        all.len()
    } else {
        all.len().min(CONSOLE_DIAGNOSTICS)
    };
    println!("diagnostics ({} in all):", all.len());
    for line in &all[..shown] {
        println!("  {line}");
    }
    if shown < all.len() {
        println!(
            "  ... and {} more (--verbose prints all)",
            all.len() - shown
        );
    }
    match written {
        Ok(()) => println!("all diagnostics: {}", report.display()),
        Err(e) => println!("could not write {}: {e}", report.display()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::overlays_for;
    use crate::testutil::TempDir;

    #[test]
    fn overlays_are_the_version_folder_files_in_name_order() {
        let dir = TempDir::new("overlays");
        let ws = Workspace {
            root: dir.path().to_path_buf(),
        };
        assert!(
            overlays_for(&ws, "v3").unwrap().is_empty(),
            "no folder: none"
        );
        dir.write("spec/overlays/v3/b.yaml", "x");
        dir.write("spec/overlays/v3/a.json", "x");
        dir.write("spec/overlays/v3/notes.md", "x");
        dir.write("spec/overlays/v2024/c.yml", "x");
        let names: Vec<String> = overlays_for(&ws, "v3")
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.json", "b.yaml"]);
    }

    fn map(items: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
        items
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.to_string()))
            .collect()
    }

    fn disk() -> TempDir {
        let dir = TempDir::new("compare");
        dir.write("lib.rs", "// hand-written\n");
        dir.write("runtime/mod.rs", "// hand-written\n");
        dir.write("v3/mod.rs", "mod a;\n");
        dir.write("v3/models/a.rs", "old\n");
        dir.write("v3/models/stale.rs", "gone\n");
        dir
    }

    #[test]
    fn compare_lists_differs_missing_and_extra() {
        let dir = disk();
        let expected = map(&[
            ("v3/mod.rs", "mod a;\n"),
            ("v3/models/a.rs", "new\n"),
            ("v3/models/b.rs", "b\n"),
            ("v2024/mod.rs", "x\n"),
        ]);
        let changes = compare(&expected, dir.path(), &["v3", "v2024"]).unwrap();
        assert_eq!(
            changes,
            [
                Change::Differs("v3/models/a.rs".into()),
                Change::Missing("v2024/mod.rs".into()),
                Change::Missing("v3/models/b.rs".into()),
                Change::Extra("v3/models/stale.rs".into()),
            ]
        );
        // Files outside the version folders are never extra.
        assert!(!changes.iter().any(|c| c.to_string().contains("lib.rs")));
        assert!(!changes.iter().any(|c| c.to_string().contains("runtime")));
    }

    #[test]
    fn compare_on_an_up_to_date_folder_is_empty() {
        let dir = disk();
        let expected = map(&[
            ("v3/mod.rs", "mod a;\n"),
            ("v3/models/a.rs", "old\n"),
            ("v3/models/stale.rs", "gone\n"),
        ]);
        assert!(compare(&expected, dir.path(), &["v3"]).unwrap().is_empty());
    }

    #[test]
    fn write_then_compare_is_clean_and_only_changed_files_are_written() {
        let dir = disk();
        let expected = map(&[
            ("v3/mod.rs", "mod a;\n"),
            ("v3/models/a.rs", "new\n"),
            ("v3/x/y.rs", "y\n"),
        ]);
        dir.write("v3/empty/old.rs", "old\n");
        let done = write(&expected, dir.path(), &["v3"]).unwrap();
        assert_eq!(
            done.written,
            [PathBuf::from("v3/models/a.rs"), PathBuf::from("v3/x/y.rs")]
        );
        assert_eq!(
            done.deleted,
            [
                PathBuf::from("v3/empty/old.rs"),
                PathBuf::from("v3/models/stale.rs")
            ]
        );
        assert_eq!(done.unchanged, 1);
        assert!(compare(&expected, dir.path(), &["v3"]).unwrap().is_empty());
        assert!(
            !dir.path().join("v3/empty").exists(),
            "empty folders are removed"
        );
        assert!(dir.path().join("lib.rs").exists());
        let again = write(&expected, dir.path(), &["v3"]).unwrap();
        assert_eq!(
            again,
            Written {
                written: vec![],
                deleted: vec![],
                unchanged: 3
            }
        );
    }

    #[test]
    fn generated_paths_may_not_escape() {
        let dir = disk();
        let err = compare(&map(&[("../evil.rs", "")]), dir.path(), &[]).unwrap_err();
        assert!(err.to_string().contains("outside"), "{err}");
    }

    #[test]
    fn peak_memory_is_read_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(peak_memory().unwrap().ends_with("MiB"));
        }
    }
}
