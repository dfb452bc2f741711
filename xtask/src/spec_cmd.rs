//! `cargo xtask spec fetch | verify | pin`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::pin::{self, Pin};
use crate::{Workspace, fetch as fetcher, specdir, verify as verifier};

pub fn fetch(ws: &Workspace) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let dir = fetcher::fetch(ws, &pin, &fetcher::curl_program())?;
    verifier::verify_or_fail(&dir, &pin, &ws.checksum_file())
}

fn resolve(ws: &Workspace, pin: &Pin, flag: Option<&Path>) -> specdir::SpecDir {
    let env = std::env::var(specdir::ENV_VAR).ok();
    let spec = specdir::resolve(flag, env.as_deref(), &ws.root, &pin.upstream.commit);
    println!("{spec}");
    spec
}

pub fn verify(ws: &Workspace, flag: Option<&Path>) -> Result<()> {
    let pin = Pin::load(&ws.pin_file())?;
    let spec = resolve(ws, &pin, flag);
    verifier::verify_or_fail(&spec.path, &pin, &ws.checksum_file())
}

pub fn pin(ws: &Workspace, flag: Option<&Path>) -> Result<()> {
    let pin_path = ws.pin_file();
    let pin_text = std::fs::read_to_string(&pin_path)
        .with_context(|| format!("cannot read {}", pin_path.display()))?;
    let pin = Pin::parse(&pin_text)
        .with_context(|| format!("{} is not a valid pin file", pin_path.display()))?;
    let spec = resolve(ws, &pin, flag);
    if !spec.path.is_dir() {
        bail!("the spec folder {} does not exist", spec.path.display());
    }
    match folder_commit(&spec.path) {
        Some((commit, how)) if !same_commit(&commit, &pin.upstream.commit) => bail!(
            "{} holds commit {commit} ({how}), but spec/pin.toml names {}: set upstream.commit \
             to the commit of the folder, or point --spec-dir at a folder of {}",
            spec.path.display(),
            pin.upstream.commit,
            pin.upstream.commit
        ),
        Some((commit, how)) => println!("the folder holds commit {commit} ({how})"),
        None => println!(
            "note: cannot tell which commit {} holds (not a git checkout, no PROVENANCE.md naming \
             one): make sure it is {}",
            spec.path.display(),
            pin.upstream.commit
        ),
    }
    // Every version is loaded whatever happens to the others, so that one run names every
    // version that cannot be; nothing is written unless all load.
    let mut files = BTreeSet::new();
    let mut failed = Vec::new();
    for v in &pin.versions {
        match codegen::loader::load_repairing(&spec.path, Path::new(&v.root), pin.codegen.repair) {
            Ok(bundle) => {
                println!("{}: {} files", v.name, bundle.files.len());
                files.extend(bundle.files);
            }
            Err(e) => failed.push(format!("{} ({}): {e}", v.name, v.root)),
        }
    }
    if !failed.is_empty() {
        bail!(
            "nothing was written: {} version(s) cannot be loaded:\n  {}",
            failed.len(),
            failed.join("\n  ")
        );
    }
    let recorded = record(&spec.path, &pin_text, &files)?;
    for (name, old, new) in &recorded.root_changes {
        println!("{name}: root sha256 {old} -> {new}");
    }
    let checksum_path = ws.checksum_file();
    std::fs::write(&checksum_path, &recorded.checksums)
        .with_context(|| format!("cannot write {}", checksum_path.display()))?;
    std::fs::write(&pin_path, &recorded.pin_text)
        .with_context(|| format!("cannot write {}", pin_path.display()))?;
    println!(
        "wrote {} ({} files) and the root checksums in {}",
        checksum_path.display(),
        recorded.files,
        pin_path.display()
    );
    Ok(())
}

/// The commit a spec folder holds, and how that is known: a git checkout's `HEAD`, or the
/// commit PROVENANCE.md names (`... at commit <hash>`), or the name of the cache folder
/// `cargo xtask spec fetch` extracts into (`target/spec-cache/<commit>/`).
pub fn folder_commit(dir: &Path) -> Option<(String, &'static str)> {
    if dir.join(".git").exists() {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["rev-parse", "HEAD"])
            .output()
            .ok()?;
        let head = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if out.status.success() && is_hash(&head) {
            return Some((head, "git HEAD"));
        }
    }
    if let Ok(text) = std::fs::read_to_string(dir.join("PROVENANCE.md")) {
        let words: Vec<&str> = text.split_whitespace().collect();
        for pair in words.windows(2) {
            let hash = pair[1].trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if pair[0] == "commit" && is_hash(hash) {
                return Some((hash.to_string(), "PROVENANCE.md"));
            }
        }
    }
    let name = dir.file_name()?.to_str()?;
    let cache = dir.parent()?.file_name()? == "spec-cache";
    (cache && is_hash(name)).then(|| (name.to_string(), "the spec cache folder's name"))
}

/// A full or abbreviated (7+) hexadecimal commit hash.
fn is_hash(text: &str) -> bool {
    (7..=64).contains(&text.len()) && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// Two spellings of one commit: equal, or one a prefix of the other (an abbreviated hash).
fn same_commit(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    a.starts_with(&b) || b.starts_with(&a)
}

/// What `spec pin` writes.
#[derive(Debug)]
pub struct Recorded {
    /// New `spec/checksums.sha256`.
    pub checksums: String,
    /// `spec/pin.toml` with each root's sha256 updated in place.
    pub pin_text: String,
    pub files: usize,
    /// (version, old sha256, new sha256) for roots whose checksum changed.
    pub root_changes: Vec<(String, String, String)>,
}

/// Hash `files` (plus every root) under `spec_dir` and update the roots' sha256 in `pin_text`.
pub fn record(spec_dir: &Path, pin_text: &str, files: &BTreeSet<PathBuf>) -> Result<Recorded> {
    let pin = Pin::parse(pin_text)?;
    let mut files = files.clone();
    files.extend(pin.versions.iter().map(|v| PathBuf::from(&v.root)));
    let files: Vec<PathBuf> = files.into_iter().collect();
    if let Some(bad) = files.iter().find(|f| !pin::is_relative_inside(f)) {
        bail!(
            "the loader reported a file outside the spec folder: {}",
            bad.display()
        );
    }
    let entries = verifier::checksum_entries(spec_dir, &files)?;
    let mut text = pin_text.to_string();
    let mut root_changes = Vec::new();
    for v in &pin.versions {
        let Some(entry) = entries.iter().find(|e| e.path == Path::new(&v.root)) else {
            bail!("root {} was not hashed", v.root);
        };
        if !entry.sha256.eq_ignore_ascii_case(&v.sha256) {
            root_changes.push((v.name.clone(), v.sha256.clone(), entry.sha256.clone()));
        }
        text = pin::set_root_sha256(&text, &v.name, &entry.sha256)?;
    }
    Pin::parse(&text).context("the updated pin file does not parse (this is a bug in xtask)")?;
    Ok(Recorded {
        checksums: verifier::format_checksums(&entries),
        pin_text: text,
        files: entries.len(),
        root_changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    const PIN: &str = include_str!("../../spec/pin.toml");

    #[test]
    fn the_commit_of_a_folder_from_git_provenance_or_the_cache_name() {
        let plain = TempDir::new("commit");
        assert_eq!(folder_commit(plain.path()), None);
        plain.write(
            "PROVENANCE.md",
            "Copied from sailpoint-oss/api-specs at commit 81ef79d05e43806f9083f42015a2a359bbd76e1f (2026-08-22).\n",
        );
        assert_eq!(
            folder_commit(plain.path()),
            Some((
                "81ef79d05e43806f9083f42015a2a359bbd76e1f".to_string(),
                "PROVENANCE.md"
            ))
        );
        let cache = TempDir::new("cache");
        let folder = cache.path().join("spec-cache").join("abcdef1234567");
        std::fs::create_dir_all(&folder).unwrap();
        assert_eq!(folder_commit(&folder).unwrap().0, "abcdef1234567");
        let git = TempDir::new("git");
        let run = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .arg("-C")
                .arg(git.path())
                .args(args)
                .output()
                .unwrap();
            assert!(status.status.success(), "{status:?}");
            String::from_utf8(status.stdout).unwrap()
        };
        run(&["init", "-q"]);
        git.write("a.yaml", "a: 1\n");
        run(&["add", "a.yaml"]);
        run(&[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@e",
            "commit",
            "-q",
            "-m",
            "m",
        ]);
        let head = run(&["rev-parse", "HEAD"]).trim().to_string();
        assert_eq!(folder_commit(git.path()), Some((head.clone(), "git HEAD")));
        assert!(same_commit(&head, &head[..7]));
        assert!(!same_commit(&head, "0000000"));
    }

    #[test]
    fn record_writes_checksums_that_verify_and_updates_root_shas() {
        let spec = TempDir::new("pin");
        spec.write("idn/sailpoint-api.v3.yaml", "openapi: 3.0.1 # v3\n");
        for v in ["v2024", "v2025", "v2026", "beta", "root"] {
            spec.write(
                &format!("idn/sailpoint-api.{v}.yaml"),
                &format!("openapi: 3.0.1 # {v}\n"),
            );
        }
        spec.write("idn/sailpoint-api.root.yaml", "openapi: 3.0.1 # services\n");
        spec.write("idn/v3/schemas/A.yaml", "type: object\n");
        spec.write("idn/beta/schemas/B.yaml", "type: string\n");
        spec.write("idn/unrelated.yaml", "not read by any root\n");
        let files: BTreeSet<PathBuf> = [
            "idn/v3/schemas/A.yaml",
            "idn/beta/schemas/B.yaml",
            "idn/sailpoint-api.v3.yaml",
        ]
        .map(PathBuf::from)
        .into();

        let recorded = record(spec.path(), PIN, &files).unwrap();
        assert_eq!(recorded.files, 8, "the union of the files and every root");
        assert!(!recorded.checksums.contains("unrelated"));
        assert_eq!(recorded.root_changes.len(), 6);
        // Comments and layout of pin.toml are kept.
        assert_eq!(recorded.pin_text.lines().count(), PIN.lines().count());
        assert!(
            recorded
                .pin_text
                .contains("# Headers the client sends by itself")
        );

        // What was recorded verifies.
        let pin = Pin::parse(&recorded.pin_text).unwrap();
        let entries = verifier::parse_checksums(&recorded.checksums).unwrap();
        assert!(verifier::verify(spec.path(), &pin, Some(&entries)).is_ok());

        // Recording again changes nothing.
        let again = record(spec.path(), &recorded.pin_text, &files).unwrap();
        assert!(again.root_changes.is_empty());
        assert_eq!(again.pin_text, recorded.pin_text);
        assert_eq!(again.checksums, recorded.checksums);
    }

    #[test]
    fn record_fails_on_unreadable_or_escaping_files() {
        let spec = TempDir::new("pin");
        spec.write("idn/sailpoint-api.v3.yaml", "a\n");
        let err = record(spec.path(), PIN, &BTreeSet::new()).unwrap_err();
        assert!(
            err.to_string().contains("idn/sailpoint-api.v2024.yaml"),
            "{err}"
        );
        spec.write("idn/sailpoint-api.v2024.yaml", "b\n");
        let escaping: BTreeSet<PathBuf> = [PathBuf::from("../x.yaml")].into();
        assert!(
            record(spec.path(), PIN, &escaping)
                .unwrap_err()
                .to_string()
                .contains("outside")
        );
    }
}
