//! `cargo xtask spec diff`: what a spec change means for users of the generated client, before
//! regenerating. Either each pinned version against the same root in another spec folder
//! (`--against DIR`: a newer upstream commit), or two pinned versions against each other
//! (`--versions v2024,v2025`: what moving from one to the other changes). Prints a summary per
//! comparison and writes a Markdown report (`target/spec-diff.md`, or `--output FILE`) with the
//! breaking changes first, ready for a changelog entry.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::surface::{self, Change, ChangeKind, Impact, Subject};

use crate::Workspace;
use crate::inputs::{prepare_spec_dir, version_config};
use crate::pin::{Pin, Version};

#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
#[command(group(clap::ArgGroup::new("sides").required(true).args(["against", "versions"])))]
pub struct Options {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub spec_dir: Option<PathBuf>,
    /// Another spec folder: each pinned version against its root there
    #[arg(long, value_name = "DIR", value_parser = crate::specdir::folder_arg)]
    pub against: Option<PathBuf>,
    /// Two pinned versions, old then new
    #[arg(long, value_name = "OLD,NEW", value_parser = old_new)]
    pub versions: Option<(String, String)>,
    /// Where the Markdown report goes [default: target/spec-diff.md]
    #[arg(long, value_name = "FILE", value_parser = crate::specdir::file_arg)]
    pub output: Option<PathBuf>,
}

/// `--versions old,new`.
fn old_new(list: &str) -> Result<(String, String), String> {
    match list.split_once(',') {
        Some((old, new)) if !old.trim().is_empty() && !new.trim().is_empty() => {
            Ok((old.trim().to_string(), new.trim().to_string()))
        }
        _ => Err(format!("two versions are needed, old,new (got `{list}`)")),
    }
}

/// One comparison's result.
pub struct Comparison {
    /// The version (or `old -> new`).
    pub title: String,
    /// Set when the comparison could not be made: a side could not be loaded, and why.
    pub failure: Option<String>,
    /// Something the reader should know (a root missing from the other folder).
    pub note: Option<String>,
    /// Overlay actions that no longer apply, left out (each alone) where the side was loaded.
    pub overlays_to_revisit: Vec<String>,
    pub changes: Vec<Change>,
}

impl Comparison {
    fn new(title: String) -> Comparison {
        Comparison {
            title,
            failure: None,
            note: None,
            overlays_to_revisit: Vec::new(),
            changes: Vec::new(),
        }
    }
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    let comparisons = match (&opts.against, &opts.versions) {
        // Every version is compared, whatever happens to the others: one run reports all.
        (Some(other), None) => pin
            .versions
            .iter()
            .map(|version| against_folder(ws, &pin, version, &spec, other))
            .collect(),
        (None, Some((old, new))) => {
            let pick = |name: &str| {
                pin.versions
                    .iter()
                    .find(|v| v.name == name)
                    .with_context(|| format!("`{name}` is not a version in spec/pin.toml"))
            };
            let (old, new) = (pick(old)?, pick(new)?);
            let mut c = Comparison::new(format!("{} -> {}", old.name, new.name));
            compare(
                &mut c,
                || load(ws, &pin, old, &spec),
                || load(ws, &pin, new, &spec),
            );
            vec![c]
        }
        _ => bail!("give either --against DIR or --versions OLD,NEW"),
    };
    print!("{}", summary_table(&comparisons));
    for c in &comparisons {
        if let Some(note) = &c.note {
            println!("{}: {note}", c.title);
        }
        for action in &c.overlays_to_revisit {
            println!("{}: overlay to revisit: {action}", c.title);
        }
    }
    let report = markdown(&comparisons);
    let output = opts
        .output
        .clone()
        .unwrap_or_else(|| ws.root.join("target").join("spec-diff.md"));
    if let Some(parent) = output.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&output, report)
        .with_context(|| format!("cannot write {}", output.display()))?;
    println!("report: {}", output.display());
    let failed: Vec<String> = comparisons
        .iter()
        .filter_map(|c| c.failure.as_ref().map(|f| format!("{}: {f}", c.title)))
        .collect();
    if !failed.is_empty() {
        bail!(
            "{} of {} comparisons could not be made (the others are in the report):\n  {}",
            failed.len(),
            comparisons.len(),
            failed.join("\n  ")
        );
    }
    Ok(())
}

/// A side of a comparison: its surface and the overlay actions left out, or why it could not be
/// loaded.
type Side = Result<surface::Modelled, String>;

/// Fills `c` from its two sides; both are loaded even when the first fails, so that one run
/// says everything that is wrong.
fn compare(c: &mut Comparison, old: impl FnOnce() -> Side, new: impl FnOnce() -> Side) {
    let (old, new) = (old(), new());
    let mut failures = Vec::new();
    for (side, loaded) in [("pinned", &old), ("new", &new)] {
        match loaded {
            Ok(modelled) => c.overlays_to_revisit.extend(
                modelled
                    .overlays_left_out
                    .iter()
                    .map(|e| format!("{e} (left out on the {side} side)")),
            ),
            Err(e) => failures.push(format!("cannot load the {side} side: {e}")),
        }
    }
    match (old, new) {
        (Ok(old), Ok(new)) => c.changes = surface::diff(&old.surface, &new.surface),
        _ => c.failure = Some(failures.join("; ")),
    }
}

fn against_folder(
    ws: &Workspace,
    pin: &Pin,
    version: &Version,
    spec: &Path,
    other: &Path,
) -> Comparison {
    let mut c = Comparison::new(version.name.clone());
    if other.join(&version.root).is_file() {
        compare(
            &mut c,
            || load(ws, pin, version, spec),
            || load(ws, pin, version, other),
        );
    } else {
        c.note = Some(format!(
            "{} is not in {}: every operation and model is removed",
            version.root,
            other.display()
        ));
        compare(
            &mut c,
            || load(ws, pin, version, spec),
            || Ok(surface::Modelled::default()),
        );
    }
    c
}

/// One version with its overlays, each action that no longer applies left out alone.
fn load(ws: &Workspace, pin: &Pin, version: &Version, spec: &Path) -> Side {
    let config = version_config(ws, pin, version).map_err(|e| format!("{e:#}"))?;
    surface::surface(&config, spec).map_err(|e| e.to_string())
}

/// Fails when overlay actions were left out: for commands that must work on exactly what the
/// client is generated from (the pinned spec with every overlay).
pub fn refuse_left_out(version: &str, left_out: &[codegen::loader::LoadError]) -> Result<()> {
    if left_out.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = left_out.iter().map(ToString::to_string).collect();
    bail!(
        "{version}: {} overlay action(s) no longer apply; revisit them (cargo xtask codegen \
         lists them all):\n  {}",
        list.len(),
        list.join("\n  ")
    )
}

/// How many changes of each sort: breaking (renames apart), renamed, compatible.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub breaking: usize,
    pub renamed: usize,
    pub compatible: usize,
}

pub fn counts(changes: &[Change]) -> Counts {
    let mut counts = Counts::default();
    for change in changes {
        match (change.kind, change.impact) {
            (ChangeKind::Renamed, _) => counts.renamed += 1,
            (_, Impact::Breaking) => counts.breaking += 1,
            (_, Impact::Compatible) => counts.compatible += 1,
        }
    }
    counts
}

/// `operations: 2 added, 1 removed, 3 changed; models: 5 added, 0 removed, 4 changed`.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes for users of the client".into();
    }
    let count = |operation: bool, kinds: &[ChangeKind]| {
        let subjects: std::collections::BTreeSet<&Subject> = changes
            .iter()
            .filter(|c| {
                matches!(c.subject, Subject::Operation(_)) == operation && kinds.contains(&c.kind)
            })
            .map(|c| &c.subject)
            .collect();
        subjects.len()
    };
    let (added, removed, changed) = (
        &[ChangeKind::Added][..],
        &[ChangeKind::Removed][..],
        &[ChangeKind::Changed][..],
    );
    format!(
        "operations: {} added, {} removed, {} changed; models: {} added, {} removed, {} changed, {} renamed",
        count(true, added),
        count(true, removed),
        count(true, changed),
        count(false, added),
        count(false, removed),
        count(false, changed),
        count(false, &[ChangeKind::Renamed]),
    )
}

/// The table a report opens with: one row per comparison.
pub fn summary_table(comparisons: &[Comparison]) -> String {
    let mut text = String::from(
        "| version | breaking | renamed | compatible | overlays to revisit | |\n|---|---:|---:|---:|---:|---|\n",
    );
    for c in comparisons {
        let revisit = c.overlays_to_revisit.len();
        match &c.failure {
            Some(failure) => {
                let _ = writeln!(
                    text,
                    "| {} | - | - | - | {revisit} | **not compared**: {} |",
                    c.title,
                    one_line(failure)
                );
            }
            None => {
                let n = counts(&c.changes);
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} | {revisit} | {} |",
                    c.title,
                    n.breaking,
                    n.renamed,
                    n.compatible,
                    summary(&c.changes)
                );
            }
        }
    }
    text
}

/// A message on one table row: its first line, `|` escaped.
fn one_line(text: &str) -> String {
    text.lines().next().unwrap_or("").replace('|', "\\|")
}

/// The report: the summary table, every overlay action to revisit, then the breaking changes of
/// every version, the renames, and the compatible changes; operations before models, one line
/// per change.
pub fn markdown(comparisons: &[Comparison]) -> String {
    let mut text = String::from("# Spec changes\n\n");
    text.push_str(&summary_table(comparisons));
    let section = |text: &mut String, heading: &str, lines: Vec<(&str, String)>| {
        if lines.is_empty() {
            return;
        }
        let _ = write!(text, "\n## {heading}\n");
        let mut current = None;
        for (title, line) in lines {
            if current != Some(title) {
                let _ = write!(text, "\n### {title}\n\n");
                current = Some(title);
            }
            let _ = writeln!(text, "- {line}");
        }
    };
    let mut problems = Vec::new();
    for c in comparisons {
        if let Some(failure) = &c.failure {
            problems.push((c.title.as_str(), format!("not compared: {failure}")));
        }
        if let Some(note) = &c.note {
            problems.push((c.title.as_str(), note.clone()));
        }
        for action in &c.overlays_to_revisit {
            problems.push((c.title.as_str(), format!("overlay to revisit: {action}")));
        }
    }
    section(&mut text, "To look at first", problems);
    let changes = |keep: &dyn Fn(&Change) -> bool| {
        let mut lines = Vec::new();
        for c in comparisons {
            for change in c.changes.iter().filter(|ch| keep(ch)) {
                lines.push((
                    c.title.as_str(),
                    format!("{}: {}", change.subject, change.what),
                ));
            }
        }
        lines
    };
    section(
        &mut text,
        "Breaking for users of the client",
        changes(&|ch| ch.impact == Impact::Breaking && ch.kind != ChangeKind::Renamed),
    );
    section(
        &mut text,
        "Renamed models (code that names the old name must change)",
        changes(&|ch| ch.kind == ChangeKind::Renamed),
    );
    section(
        &mut text,
        "Compatible",
        changes(&|ch| ch.impact == Impact::Compatible),
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(impact: Impact, subject: Subject, what: &str) -> Change {
        let kind = match what.split(' ').next() {
            Some("added") => ChangeKind::Added,
            Some("removed") => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        Change {
            impact,
            subject,
            kind,
            what: what.into(),
        }
    }

    fn sample() -> Vec<Change> {
        vec![
            change(
                Impact::Breaking,
                Subject::Operation("gone".into()),
                "removed (GET /gone)",
            ),
            change(
                Impact::Breaking,
                Subject::Operation("listThings".into()),
                "parameter `limit` is `i64` (was `i32`)",
            ),
            change(
                Impact::Breaking,
                Subject::Model("Thing".into()),
                "field `id` removed",
            ),
            change(
                Impact::Compatible,
                Subject::Operation("fresh".into()),
                "added (GET /fresh, `things().fresh()`)",
            ),
            change(
                Impact::Compatible,
                Subject::Model("Thing".into()),
                "field `note: Option<String>` added",
            ),
            Change {
                impact: Impact::Breaking,
                subject: Subject::Model("Thing2".into()),
                kind: ChangeKind::Renamed,
                what: "renamed from `Thing1` (the same fields)".into(),
            },
        ]
    }

    #[test]
    fn summary_counts_subjects_by_kind() {
        assert_eq!(
            summary(&sample()),
            "operations: 1 added, 1 removed, 1 changed; models: 0 added, 0 removed, 1 changed, 1 renamed"
        );
        assert_eq!(summary(&[]), "no changes for users of the client");
        assert_eq!(
            counts(&sample()),
            Counts {
                breaking: 3,
                renamed: 1,
                compatible: 2
            }
        );
    }

    #[test]
    fn the_report_opens_with_the_table_then_problems_then_breaking_changes() {
        let mut failed = Comparison::new("beta".into());
        failed.failure = Some("cannot load the new side: x.yaml#/a: not valid YAML".into());
        let report = markdown(&[
            Comparison {
                title: "v1".into(),
                failure: None,
                note: None,
                overlays_to_revisit: vec!["o.yaml#/actions/0/target: selects nothing".into()],
                changes: sample(),
            },
            failed,
        ]);
        assert!(
            report.starts_with(
                "# Spec changes\n\n| version | breaking | renamed | compatible | overlays to revisit | |\n"
            ),
            "{report}"
        );
        assert!(
            report.contains("\n| v1 | 3 | 1 | 2 | 1 | operations: "),
            "{report}"
        );
        assert!(report.contains("\n| beta | - | - | - | 0 | **not compared**: cannot load"));
        let first = report.find("## To look at first").unwrap();
        let breaking = report.find("## Breaking").unwrap();
        let renamed = report.find("## Renamed").unwrap();
        let compatible = report.find("## Compatible").unwrap();
        assert!(first < breaking && breaking < renamed && renamed < compatible);
        assert!(
            report.contains("- overlay to revisit: o.yaml#/actions/0/target: selects nothing\n")
        );
        assert!(report.contains("- operation `gone`: removed (GET /gone)\n"));
        assert!(report.contains("- model `Thing`: field `note: Option<String>` added\n"));
        assert!(report.contains("- model `Thing2`: renamed from `Thing1` (the same fields)\n"));
    }

    /// The spec folder as the codegen crate's real-spec tests find it: `ISC_SPEC_DIR`, else
    /// `../shared/sailpoint-api-specs` beside the repository; absent in CI is a failure.
    fn real_spec_dir() -> Option<PathBuf> {
        let dir = std::env::var_os("ISC_SPEC_DIR").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/sailpoint-api-specs"),
            PathBuf::from,
        );
        if dir.join("idn").is_dir() {
            return Some(dir);
        }
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the spec folder {} is missing in CI",
            dir.display()
        );
        eprintln!("skipping: no spec folder at {}", dir.display());
        None
    }

    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_tree(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// `text` with `old` replaced by `new`, which must be there.
    fn edit(file: &Path, old: &str, new: &str) {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(text.contains(old), "{} lacks {old:?}", file.display());
        std::fs::write(file, text.replacen(old, new, 1)).unwrap();
    }

    /// The replay of a spec bump (xtask/tests/fixtures/spec-bump/README.md): the "new" side is
    /// the pinned v2025 files, the "old" side a copy edited back to how SailPoint wrote them
    /// before (an unquoted 32-digit example, two fields since removed, an enum value not yet
    /// added, a file not yet renamed, the operation at another path); both behind a root of
    /// the test's own, loaded with the fixture's overlay as `spec diff --against` loads them, and
    /// the report checked against `expected-diff.md` (`UPDATE_GOLDEN=1` rewrites it).
    #[test]
    fn a_replayed_spec_bump_gives_the_expected_report() {
        let Some(spec) = real_spec_dir() else {
            return;
        };
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spec-bump");
        let work = crate::testutil::TempDir::new("spec-bump");
        let root = |path: &str, outlier_file: &str| {
            format!(
                "openapi: 3.0.1\ninfo: {{title: replay, version: '1'}}\n\
                 servers: [{{url: 'https://x.api.identitynow.com/v2025'}}]\n\
                 paths:\n  '{path}':\n    $ref: './v2025/paths/approvals-config-id.yaml'\n\
                 components:\n  schemas:\n\
                 \x20   Reviewer: {{$ref: './v2025/schemas/Reviewer.yaml'}}\n\
                 \x20   OutlierValueType: {{$ref: './v2025/schemas/{outlier_file}'}}\n"
            )
        };
        for side in ["old", "new"] {
            copy_tree(
                &spec.join("idn/v2025"),
                &work.path().join(side).join("idn/v2025"),
            );
        }
        let new = work.path().join("new/idn");
        std::fs::write(
            new.join("replay.yaml"),
            root("/generic-approvals/config/{id}", "OutlierValueType.yaml"),
        )
        .unwrap();
        let old = work.path().join("old/idn");
        std::fs::write(
            old.join("replay.yaml"),
            root("/generic-approvals/configs/{id}", "OutlierValueType"),
        )
        .unwrap();
        std::fs::rename(
            old.join("v2025/schemas/OutlierValueType.yaml"),
            old.join("v2025/schemas/OutlierValueType"),
        )
        .unwrap();
        edit(
            &old.join("v2025/paths/approvals-config-id.yaml"),
            "example: ACCESS_REQUEST_APPROVAL",
            "example: 12345678901234567890123456789012",
        );
        edit(
            &old.join("v2025/schemas/Reviewer.yaml"),
            "      - GOVERNANCE_GROUP\n",
            "",
        );
        edit(
            &old.join("v2025/schemas/ApprovalConfig.yaml"),
            "          properties:\n            identityId:",
            "          properties:\n            chainId:\n              type: string\n\
             \x20             example: ef85d1a8-41ef-433a-8153-0b1f59e7b26a\n\
             \x20           tier:\n              type: integer\n              format: int64\n\
             \x20           identityId:",
        );
        let side = |name: &str| -> Side {
            let mut config = codegen::GeneratorConfig::for_root("idn/replay.yaml", "v2025");
            config.overlays = vec![fixture.join("overlays/fixes.yaml")];
            surface::surface(&config, &work.path().join(name)).map_err(|e| e.to_string())
        };
        let mut c = Comparison::new("v2025".into());
        compare(&mut c, || side("old"), || side("new"));
        // Paths relative to the fixture, so that the report is the same on every machine.
        let prefix = format!("{}/", fixture.display());
        c.overlays_to_revisit = c
            .overlays_to_revisit
            .iter()
            .map(|line| line.replace(&prefix, ""))
            .collect();
        let report = markdown(&[c]);
        let expected = fixture.join("expected-diff.md");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&expected, &report).unwrap();
        }
        let want = std::fs::read_to_string(&expected).unwrap_or_default();
        assert_eq!(
            report,
            want,
            "the report differs from {}; UPDATE_GOLDEN=1 rewrites it",
            expected.display()
        );
    }

    #[test]
    fn both_sides_are_loaded_and_every_problem_kept() {
        let mut c = Comparison::new("v".into());
        compare(
            &mut c,
            || Err("old broken".into()),
            || Err("new broken".into()),
        );
        assert_eq!(
            c.failure.as_deref(),
            Some("cannot load the pinned side: old broken; cannot load the new side: new broken")
        );
        let mut c = Comparison::new("v".into());
        compare(&mut c, || Ok(Default::default()), || Ok(Default::default()));
        assert!(c.failure.is_none() && c.changes.is_empty());
    }
}
