//! `cargo xtask spec diff`: what a spec change means for users of the generated client, before
//! regenerating. Either each pinned version against the same root in another spec folder
//! (`--against DIR`: a newer upstream commit), or two pinned versions against each other
//! (`--versions v2024,v2025`: what moving from one to the other changes). Prints a summary per
//! comparison and writes a Markdown report (`target/spec-diff.md`, or `--output FILE`) with the
//! breaking changes first, ready for a changelog entry.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::surface::{self, Change, ChangeKind, Impact, Subject, Surface};

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
    pub title: String,
    /// Set when the new side could not take the overlays: what the overlay error was.
    pub note: Option<String>,
    pub changes: Vec<Change>,
}

pub fn run(ws: &Workspace, opts: &Options) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let spec = prepare_spec_dir(ws, &pin, opts.spec_dir.as_deref())?;
    let comparisons = match (&opts.against, &opts.versions) {
        (Some(other), None) => {
            let mut out = Vec::new();
            for version in &pin.versions {
                out.push(against_folder(ws, &pin, version, &spec, other)?);
            }
            out
        }
        (None, Some((old, new))) => {
            let pick = |name: &str| {
                pin.versions
                    .iter()
                    .find(|v| v.name == name)
                    .with_context(|| format!("`{name}` is not a version in spec/pin.toml"))
            };
            let (old, new) = (pick(old)?, pick(new)?);
            let before = load(ws, &pin, old, &spec)?;
            let (after, note) = load_lenient(ws, &pin, new, &spec)?;
            vec![Comparison {
                title: format!("{} -> {}", old.name, new.name),
                note,
                changes: surface::diff(&before, &after),
            }]
        }
        _ => bail!("give either --against DIR or --versions OLD,NEW"),
    };
    for c in &comparisons {
        println!("{}: {}", c.title, summary(&c.changes));
        if let Some(note) = &c.note {
            println!("  note: {note}");
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
    Ok(())
}

fn against_folder(
    ws: &Workspace,
    pin: &Pin,
    version: &Version,
    spec: &Path,
    other: &Path,
) -> Result<Comparison> {
    let title = format!("{} (pinned -> {})", version.name, other.display());
    let before = load(ws, pin, version, spec)?;
    if !other.join(&version.root).is_file() {
        return Ok(Comparison {
            title,
            note: Some(format!("{} is not in the other folder", version.root)),
            changes: surface::diff(&before, &Surface::default()),
        });
    }
    let (after, note) = load_lenient(ws, pin, version, other)?;
    Ok(Comparison {
        title,
        note,
        changes: surface::diff(&before, &after),
    })
}

fn load(ws: &Workspace, pin: &Pin, version: &Version, spec: &Path) -> Result<Surface> {
    let config = version_config(ws, pin, version)?;
    surface::surface(&config, spec).with_context(|| format!("cannot model {}", version.name))
}

/// With the version's overlays if they still apply; otherwise without them, saying why: an
/// overlay whose target is gone is something the maintainer must revisit anyway.
fn load_lenient(
    ws: &Workspace,
    pin: &Pin,
    version: &Version,
    spec: &Path,
) -> Result<(Surface, Option<String>)> {
    let mut config = version_config(ws, pin, version)?;
    match surface::surface(&config, spec) {
        Ok(s) => Ok((s, None)),
        Err(err) if !config.overlays.is_empty() => {
            config.overlays.clear();
            let s = surface::surface(&config, spec)
                .with_context(|| format!("cannot model {}", version.name))?;
            Ok((
                s,
                Some(format!(
                    "compared without the overlays of {}, which fail on the new spec: {err}",
                    version.name
                )),
            ))
        }
        Err(err) => Err(err).with_context(|| format!("cannot model {}", version.name)),
    }
}

/// `3 breaking, 12 compatible: operations +2 -1 ~3, models +5 -0 ~4`.
pub fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes for users of the client".into();
    }
    let breaking = changes
        .iter()
        .filter(|c| c.impact == Impact::Breaking)
        .count();
    let count = |operation: bool, kind: ChangeKind| {
        let subjects: std::collections::BTreeSet<&Subject> = changes
            .iter()
            .filter(|c| matches!(c.subject, Subject::Operation(_)) == operation && c.kind == kind)
            .map(|c| &c.subject)
            .collect();
        subjects.len()
    };
    format!(
        "{breaking} breaking, {} compatible; operations: {} added, {} removed, {} changed; models: {} added, {} removed, {} changed",
        changes.len() - breaking,
        count(true, ChangeKind::Added),
        count(true, ChangeKind::Removed),
        count(true, ChangeKind::Changed),
        count(false, ChangeKind::Added),
        count(false, ChangeKind::Removed),
        count(false, ChangeKind::Changed),
    )
}

/// The report: per comparison, the summary, then breaking and compatible changes, operations
/// before models, one line per change.
pub fn markdown(comparisons: &[Comparison]) -> String {
    let mut text = String::from("# Spec changes\n");
    for c in comparisons {
        let _ = write!(text, "\n## {}\n\n{}\n", c.title, summary(&c.changes));
        if let Some(note) = &c.note {
            let _ = write!(text, "\n> {note}\n");
        }
        for (impact, heading) in [
            (Impact::Breaking, "Breaking for users of the client"),
            (Impact::Compatible, "Compatible"),
        ] {
            let lines: Vec<&Change> = c.changes.iter().filter(|ch| ch.impact == impact).collect();
            if lines.is_empty() {
                continue;
            }
            let _ = write!(text, "\n### {heading}\n\n");
            for change in lines {
                let subject = match &change.subject {
                    Subject::Operation(id) => format!("operation `{id}`"),
                    Subject::Model(name) => format!("model `{name}`"),
                };
                let _ = writeln!(text, "- {subject}: {}", change.what);
            }
        }
    }
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
        ]
    }

    #[test]
    fn summary_counts_subjects_by_kind() {
        assert_eq!(
            summary(&sample()),
            "3 breaking, 2 compatible; operations: 1 added, 1 removed, 1 changed; models: 0 added, 0 removed, 1 changed"
        );
        assert_eq!(summary(&[]), "no changes for users of the client");
    }

    #[test]
    fn markdown_puts_breaking_changes_first() {
        let report = markdown(&[Comparison {
            title: "v1 -> v2".into(),
            note: Some("compared without overlays".into()),
            changes: sample(),
        }]);
        assert!(report.starts_with("# Spec changes\n\n## v1 -> v2\n\n3 breaking"));
        assert!(report.contains("\n> compared without overlays\n"));
        let breaking = report.find("### Breaking").unwrap();
        let compatible = report.find("### Compatible").unwrap();
        assert!(breaking < compatible);
        assert!(report.contains("- operation `gone`: removed (GET /gone)\n"));
        assert!(report.contains("- model `Thing`: field `note: Option<String>` added\n"));
    }
}
