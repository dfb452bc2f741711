//! Checking that a spec folder holds exactly the pinned spec: `spec/checksums.sha256` (sha256sum
//! format, one `<hex>  <relative path>` per line) and each root's `sha256` in `spec/pin.toml`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::pin::{Pin, is_relative_inside};

/// How many file names a failure message lists before saying "and N more".
const LIST_LIMIT: usize = 20;

/// One line of a checksum file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub path: PathBuf,
    pub sha256: String,
}

/// Parse sha256sum output. Errors name the line.
pub fn parse_checksums(text: &str) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((hex, path)) = line.split_once(' ') else {
            bail!("line {n}: expected `<sha256>  <path>`, found `{line}`");
        };
        // sha256sum writes two spaces (text mode) or a space and `*` (binary mode).
        let path = path
            .strip_prefix(' ')
            .or_else(|| path.strip_prefix('*'))
            .unwrap_or(path);
        if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            bail!("line {n}: `{hex}` is not a sha256 (64 hex digits)");
        }
        let path = PathBuf::from(path);
        if !is_relative_inside(&path) {
            bail!(
                "line {n}: `{}` is not a relative path inside the spec folder",
                path.display()
            );
        }
        entries.push(Entry {
            path,
            sha256: hex.to_ascii_lowercase(),
        });
    }
    Ok(entries)
}

/// sha256sum text for `entries`, sorted by path, `/` as separator.
pub fn format_checksums(entries: &[Entry]) -> String {
    let mut sorted: Vec<(String, &str)> = entries
        .iter()
        .map(|e| (slash_path(&e.path), e.sha256.as_str()))
        .collect();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|(path, hex)| format!("{hex}  {path}\n"))
        .collect()
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// sha256 of one file, lowercase hex.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    Ok(hex(&Sha256::digest(&bytes)))
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Hash `files` (relative to `dir`) on all cores. `None` for a file that cannot be read.
pub fn hash_files(dir: &Path, files: &[PathBuf]) -> Vec<Option<String>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|f| hash_file(&dir.join(f)).ok())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| Vec::new()))
            .collect()
    })
}

/// Hash `files` under `spec_dir` and return their checksum entries; fails naming unreadable files.
pub fn checksum_entries(spec_dir: &Path, files: &[PathBuf]) -> Result<Vec<Entry>> {
    let hashes = hash_files(spec_dir, files);
    if hashes.len() != files.len() {
        bail!("hashing the spec files failed");
    }
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    for (file, hash) in files.iter().zip(hashes) {
        match hash {
            Some(sha256) => entries.push(Entry {
                path: file.clone(),
                sha256,
            }),
            None => unreadable.push(file.display().to_string()),
        }
    }
    if !unreadable.is_empty() {
        bail!(
            "cannot read {} spec file(s): {}",
            unreadable.len(),
            list(&unreadable)
        );
    }
    Ok(entries)
}

/// A root whose content is not the one pinned in pin.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootMismatch {
    pub version: String,
    pub root: PathBuf,
    pub expected: String,
    pub actual: String,
}

/// The outcome of verifying one spec folder.
#[derive(Debug, Default)]
pub struct Report {
    /// Listed files (or roots) that are not in the folder.
    pub missing: BTreeSet<PathBuf>,
    /// Listed files whose content differs from the checksum file.
    pub changed: BTreeSet<PathBuf>,
    pub roots: Vec<RootMismatch>,
    /// Number of files checked against the checksum file; None when that file is absent.
    pub listed: Option<usize>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.changed.is_empty() && self.roots.is_empty()
    }

    /// One line for a good folder.
    pub fn summary(&self) -> String {
        match self.listed {
            Some(n) => format!("spec verified: {n} files match spec/checksums.sha256, roots match spec/pin.toml"),
            None => "spec roots match spec/pin.toml; spec/checksums.sha256 is missing, so the files the roots \
                     refer to were NOT verified (run `cargo xtask spec pin` to write it)"
                .to_string(),
        }
    }

    /// A plain explanation of what is wrong and how to fix it.
    pub fn failure_message(&self, spec_dir: &Path, commit: &str) -> String {
        let mut m = format!(
            "the spec folder {} does not hold the pinned spec (upstream commit {commit})\n",
            spec_dir.display()
        );
        if !self.missing.is_empty() {
            let names: Vec<String> = self
                .missing
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let _ = writeln!(m, "  {} missing file(s): {}", names.len(), list(&names));
        }
        if !self.changed.is_empty() {
            let names: Vec<String> = self
                .changed
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let _ = writeln!(
                m,
                "  {} file(s) whose content differs: {}",
                names.len(),
                list(&names)
            );
        }
        for r in &self.roots {
            let _ = writeln!(
                m,
                "  root of {} ({}) has sha256 {}, pin.toml expects {}",
                r.version,
                r.root.display(),
                r.actual,
                r.expected
            );
        }
        if self.listed.is_none() {
            m.push_str("  (spec/checksums.sha256 is missing: only the roots were checked)\n");
        }
        m.push_str(
            "to fix: `cargo xtask spec fetch` downloads the pinned commit into the cache (or point \
             --spec-dir / ISC_SPEC_DIR at a checkout of that commit); after an intentional upgrade of \
             the spec, run `cargo xtask spec pin` to record the new checksums",
        );
        m
    }
}

fn list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(LIST_LIMIT).map(String::as_str).collect();
    let mut s = shown.join(", ");
    if names.len() > LIST_LIMIT {
        let _ = write!(s, " and {} more", names.len() - LIST_LIMIT);
    }
    s
}

/// Verify `spec_dir` against the checksum list (when there is one) and the roots in `pin`.
pub fn verify(spec_dir: &Path, pin: &Pin, checksums: Option<&[Entry]>) -> Report {
    let mut report = Report::default();
    if let Some(entries) = checksums {
        let files: Vec<PathBuf> = entries.iter().map(|e| e.path.clone()).collect();
        let hashes = hash_files(spec_dir, &files);
        for (i, entry) in entries.iter().enumerate() {
            match hashes.get(i).cloned().flatten() {
                None => {
                    report.missing.insert(entry.path.clone());
                }
                Some(actual) if actual != entry.sha256 => {
                    report.changed.insert(entry.path.clone());
                }
                Some(_) => {}
            }
        }
        report.listed = Some(entries.len());
    }
    for v in &pin.versions {
        let root = PathBuf::from(&v.root);
        match hash_file(&spec_dir.join(&root)) {
            Err(_) => {
                report.missing.insert(root);
            }
            Ok(actual) if !actual.eq_ignore_ascii_case(&v.sha256) => {
                report.roots.push(RootMismatch {
                    version: v.name.clone(),
                    root,
                    expected: v.sha256.clone(),
                    actual,
                })
            }
            Ok(_) => {}
        }
    }
    report
}

/// Read `spec/checksums.sha256` if it exists.
pub fn read_checksum_file(path: &Path) -> Result<Option<Vec<Entry>>> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_checksums(&text)
            .with_context(|| format!("{} is malformed", path.display()))
            .map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Verify and turn a failure into an error carrying the full message; prints the one-line summary.
pub fn verify_or_fail(spec_dir: &Path, pin: &Pin, checksum_file: &Path) -> Result<()> {
    if !spec_dir.is_dir() {
        bail!(
            "the spec folder {} does not exist; run `cargo xtask spec fetch`, or pass --spec-dir / set \
             ISC_SPEC_DIR to a checkout of {} at commit {}",
            spec_dir.display(),
            pin.upstream.repository,
            pin.upstream.commit
        );
    }
    let entries = read_checksum_file(checksum_file)?;
    let report = verify(spec_dir, pin, entries.as_deref());
    if !report.is_ok() {
        bail!("{}", report.failure_message(spec_dir, &pin.upstream.commit));
    }
    println!("{}", report.summary());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    fn pin_for(root_sha: &str) -> Pin {
        Pin::parse(&format!(
            r#"
[upstream]
repository = "o/r"
commit = "abc123"
archive_url = "file:///nonexistent/{{commit}}.tar.gz"
[codegen]
runtime_path = "crate::runtime"
client_path = "crate::Client"
[[version]]
name = "v1"
root = "idn/root.yaml"
sha256 = "{root_sha}"
module = "v1"
feature = "v1"
"#
        ))
        .unwrap()
    }

    /// A spec folder with a root and two referenced files, plus its checksum entries.
    fn fixture() -> (TempDir, Vec<Entry>, Pin) {
        let dir = TempDir::new("verify");
        dir.write("idn/root.yaml", "openapi: 3.0.1\n");
        dir.write("idn/v1/schemas/A.yaml", "type: object\n");
        dir.write("idn/v1/paths/a.yaml", "get: {}\n");
        let files: Vec<PathBuf> = [
            "idn/root.yaml",
            "idn/v1/schemas/A.yaml",
            "idn/v1/paths/a.yaml",
        ]
        .map(PathBuf::from)
        .into();
        let entries = checksum_entries(dir.path(), &files).unwrap();
        let root_sha = hash_file(&dir.path().join("idn/root.yaml")).unwrap();
        (dir, entries, pin_for(&root_sha))
    }

    #[test]
    fn known_hash() {
        let dir = TempDir::new("hash");
        let f = dir.write("a", "abc");
        assert_eq!(
            hash_file(&f).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn matching_folder_verifies() {
        let (dir, entries, pin) = fixture();
        let report = verify(dir.path(), &pin, Some(&entries));
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(report.listed, Some(3));
        assert!(report.summary().contains("3 files match"));
    }

    #[test]
    fn missing_and_changed_files_are_named() {
        let (dir, entries, pin) = fixture();
        std::fs::remove_file(dir.path().join("idn/v1/paths/a.yaml")).unwrap();
        dir.write("idn/v1/schemas/A.yaml", "type: string\n");
        let report = verify(dir.path(), &pin, Some(&entries));
        assert!(!report.is_ok());
        assert_eq!(
            report.missing.iter().collect::<Vec<_>>(),
            [Path::new("idn/v1/paths/a.yaml")]
        );
        assert_eq!(
            report.changed.iter().collect::<Vec<_>>(),
            [Path::new("idn/v1/schemas/A.yaml")]
        );
        let message = report.failure_message(dir.path(), "abc123");
        assert!(
            message.contains("1 missing file(s): idn/v1/paths/a.yaml"),
            "{message}"
        );
        assert!(
            message.contains("1 file(s) whose content differs: idn/v1/schemas/A.yaml"),
            "{message}"
        );
        assert!(message.contains("abc123"), "{message}");
        assert!(message.contains("cargo xtask spec fetch"), "{message}");
        assert!(message.contains("cargo xtask spec pin"), "{message}");
    }

    #[test]
    fn root_sha_mismatch_is_reported() {
        let (dir, _, _) = fixture();
        let pin = pin_for(&"0".repeat(64));
        let report = verify(dir.path(), &pin, None);
        assert!(!report.is_ok());
        assert_eq!(report.roots.len(), 1);
        assert_eq!(report.roots[0].version, "v1");
        let message = report.failure_message(dir.path(), "abc123");
        assert!(message.contains("root of v1 (idn/root.yaml)"), "{message}");
        assert!(message.contains("checksums.sha256 is missing"), "{message}");
    }

    #[test]
    fn without_a_checksum_file_only_roots_are_checked_and_it_says_so() {
        let (dir, _, pin) = fixture();
        let report = verify(dir.path(), &pin, None);
        assert!(report.is_ok());
        assert!(report.summary().contains("checksums.sha256 is missing"));
        let checksum_file = dir.path().join("none.sha256");
        verify_or_fail(dir.path(), &pin, &checksum_file).unwrap();
    }

    #[test]
    fn missing_root_and_missing_folder_are_errors() {
        let (dir, entries, pin) = fixture();
        std::fs::remove_file(dir.path().join("idn/root.yaml")).unwrap();
        let report = verify(dir.path(), &pin, Some(&entries));
        assert!(report.missing.contains(Path::new("idn/root.yaml")));
        let err = verify_or_fail(&dir.path().join("nope"), &pin, Path::new("x")).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
    }

    #[test]
    fn checksum_file_round_trip() {
        let (dir, entries, pin) = fixture();
        let text = format_checksums(&entries);
        // Sorted, sha256sum format.
        let paths: Vec<&str> = text.lines().map(|l| &l[66..]).collect();
        assert_eq!(
            paths,
            [
                "idn/root.yaml",
                "idn/v1/paths/a.yaml",
                "idn/v1/schemas/A.yaml"
            ]
        );
        assert!(
            text.lines()
                .all(|l| l.as_bytes()[64] == b' ' && l.as_bytes()[65] == b' ')
        );
        let file = dir.write("checksums.sha256", &text);
        let read = read_checksum_file(&file).unwrap().unwrap();
        let mut sorted = entries.clone();
        sorted.sort();
        assert_eq!(read, sorted);
        verify_or_fail(dir.path(), &pin, &file).unwrap();
        dir.write("idn/v1/paths/a.yaml", "changed\n");
        let err = verify_or_fail(dir.path(), &pin, &file).unwrap_err();
        assert!(err.to_string().contains("idn/v1/paths/a.yaml"), "{err}");
    }

    #[test]
    fn malformed_checksum_lines_are_errors_not_panics() {
        assert!(parse_checksums("nonsense").is_err());
        assert!(parse_checksums(&format!("{}  ../etc/passwd", "a".repeat(64))).is_err());
        assert!(parse_checksums(&format!("{}  /abs", "a".repeat(64))).is_err());
        assert!(parse_checksums("abc  file").is_err());
        assert!(parse_checksums("é  x").is_err());
        let ok = parse_checksums(&format!("{} *bin/file\n\n", "A".repeat(64))).unwrap();
        assert_eq!(ok[0].path, Path::new("bin/file"));
        assert_eq!(ok[0].sha256, "a".repeat(64));
    }

    #[test]
    fn long_lists_are_cut_at_twenty() {
        let names: Vec<String> = (0..25).map(|i| format!("f{i}")).collect();
        let s = list(&names);
        assert!(s.ends_with("f19 and 5 more"), "{s}");
    }
}
