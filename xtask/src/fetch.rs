//! `cargo xtask spec fetch`: download the pinned upstream commit into `target/spec-cache/<commit>/`.

use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::Workspace;
use crate::pin::Pin;
use crate::specdir;

/// Environment variable overriding the curl program (a path or a name on PATH).
pub const CURL_ENV_VAR: &str = "ISC_CURL";

pub fn curl_program() -> String {
    std::env::var(CURL_ENV_VAR)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "curl".to_string())
}

/// Download and unpack the pinned spec into the cache folder; returns that folder. Does not verify.
pub fn fetch(ws: &Workspace, pin: &Pin, curl: &str) -> Result<PathBuf> {
    let dest = specdir::cache_dir(&ws.root, &pin.upstream.commit);
    let Some(cache) = dest.parent() else {
        bail!("no parent folder for {}", dest.display())
    };
    std::fs::create_dir_all(cache).with_context(|| format!("cannot create {}", cache.display()))?;
    let url = pin.archive_url();
    let tag = format!("{}-{}", pin.upstream.commit, std::process::id());
    let archive = Cleanup(cache.join(format!(".download-{tag}.tar.gz")));
    let staging = Cleanup(cache.join(format!(".extract-{tag}")));

    println!("downloading {url}");
    download(curl, &url, &archive.0)?;
    let _ = std::fs::remove_dir_all(&staging.0);
    let files = extract_stripped(&archive.0, &staging.0)
        .with_context(|| format!("cannot unpack the archive downloaded from {url}"))?;

    // Swap the complete folder in: readers never see a half-extracted cache.
    if dest.exists() {
        std::fs::remove_dir_all(&dest)
            .with_context(|| format!("cannot replace {}", dest.display()))?;
    }
    std::fs::rename(&staging.0, &dest)
        .with_context(|| format!("cannot move {} to {}", staging.0.display(), dest.display()))?;
    println!("unpacked {files} files into {}", dest.display());
    Ok(dest)
}

/// Removes a file or folder when dropped (temporary download and staging folder).
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        if self.0.is_dir() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// Download `url` to `dest` with curl, failing on HTTP errors.
pub fn download(curl: &str, url: &str, dest: &Path) -> Result<()> {
    let output = Command::new(curl)
        .args([
            "--fail",
            "--location",
            "--silent",
            "--show-error",
            "--retry",
            "2",
            "--output",
        ])
        .arg(dest)
        .arg(url)
        .output();
    let hint = "without network access, pass --spec-dir or set ISC_SPEC_DIR to a checkout of the pinned commit";
    let output = match output {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "`{curl}` was not found: `cargo xtask spec fetch` needs curl to download {url}; install curl \
             (or set {CURL_ENV_VAR} to its path), or {hint}"
        ),
        Err(e) => bail!("cannot run `{curl}` to download {url}: {e}; {hint}"),
    };
    if !output.status.success() {
        // curl repeats its message on every retry: keep the last one.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message");
        let code = output
            .status
            .code()
            .map_or("killed by a signal".to_string(), |c| {
                format!("exit code {c}")
            });
        bail!(
            "downloading {url} failed (curl {code}): {}; {hint}",
            stderr.trim()
        );
    }
    Ok(())
}

/// Unpack a `.tar.gz` into `dest` (created), dropping the archive's top-level folder
/// (`api-specs-<commit>/idn/x.yaml` becomes `idn/x.yaml`). Only files and folders are unpacked;
/// entries that would land outside `dest` are an error. Returns the number of files.
pub fn extract_stripped(archive: &Path, dest: &Path) -> Result<usize> {
    let file = File::open(archive).with_context(|| format!("cannot open {}", archive.display()))?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    std::fs::create_dir_all(dest).with_context(|| format!("cannot create {}", dest.display()))?;
    let mut files = 0;
    for entry in tar.entries().context("not a tar.gz archive")? {
        let mut entry = entry.context("corrupt archive")?;
        let kind = entry.header().entry_type();
        if kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let path = entry
            .path()
            .context("archive entry with an unreadable path")?
            .into_owned();
        let mut components = path.components();
        match components.next() {
            Some(Component::Normal(_)) => {}
            _ => bail!(
                "archive entry `{}` is not inside a top-level folder",
                path.display()
            ),
        }
        let rest: PathBuf = components.as_path().to_path_buf();
        if rest.as_os_str().is_empty() {
            continue;
        }
        if !rest.components().all(|c| matches!(c, Component::Normal(_))) {
            bail!(
                "archive entry `{}` would be unpacked outside the cache folder",
                path.display()
            );
        }
        let target = dest.join(&rest);
        if kind.is_dir() {
            std::fs::create_dir_all(&target)
                .with_context(|| format!("cannot create {}", target.display()))?;
        } else if kind.is_file() {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            entry
                .unpack(&target)
                .with_context(|| format!("cannot unpack {}", rest.display()))?;
            files += 1;
        }
        // Links, devices and extension headers are not part of a spec: skipped.
    }
    if files == 0 {
        bail!("the archive holds no files");
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn missing_curl_is_a_clear_error() {
        let dir = TempDir::new("fetch");
        let err = download(
            "/nonexistent/curl",
            "file:///nonexistent.tar.gz",
            &dir.path().join("a"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`/nonexistent/curl` was not found"), "{err}");
        assert!(err.contains("--spec-dir"), "{err}");
    }

    #[test]
    fn failed_download_is_a_clear_error() {
        if Command::new("curl").arg("--version").output().is_err() {
            return; // no curl on this machine: the other test covers the error path
        }
        let dir = TempDir::new("fetch");
        let err = download(
            "curl",
            "file:///nonexistent/spec.tar.gz",
            &dir.path().join("a"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("downloading file:///nonexistent/spec.tar.gz failed (curl exit code"),
            "{err}"
        );
        assert!(err.contains("ISC_SPEC_DIR"), "{err}");
    }

    fn tar_gz(entries: &[(&str, &str)]) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(gz);
        for (path, text) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            builder
                .append_data(&mut header, path, text.as_bytes())
                .unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn extract_strips_the_top_level_folder() {
        let dir = TempDir::new("extract");
        let archive = dir.path().join("a.tar.gz");
        std::fs::write(
            &archive,
            tar_gz(&[
                ("api-specs-abc/LICENSE", "MIT\n"),
                ("api-specs-abc/idn/v3/a.yaml", "a: 1\n"),
            ]),
        )
        .unwrap();
        let out = dir.path().join("out");
        assert_eq!(extract_stripped(&archive, &out).unwrap(), 2);
        assert_eq!(
            std::fs::read_to_string(out.join("LICENSE")).unwrap(),
            "MIT\n"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("idn/v3/a.yaml")).unwrap(),
            "a: 1\n"
        );
    }

    #[test]
    fn extract_rejects_garbage_and_empty_archives() {
        let dir = TempDir::new("extract");
        let archive = dir.path().join("bad.tar.gz");
        std::fs::write(&archive, b"this is not gzip").unwrap();
        assert!(extract_stripped(&archive, &dir.path().join("out")).is_err());
        std::fs::write(&archive, tar_gz(&[])).unwrap();
        let err = extract_stripped(&archive, &dir.path().join("out2")).unwrap_err();
        assert!(err.to_string().contains("no files"), "{err}");
        assert!(extract_stripped(&dir.path().join("none"), &dir.path().join("out3")).is_err());
    }

    #[test]
    fn fetch_error_leaves_no_partial_cache() {
        let ws = TempDir::new("ws");
        let workspace = Workspace {
            root: ws.path().to_path_buf(),
        };
        let pin = Pin::parse(&include_str!("../../spec/pin.toml").replace(
            "https://codeload.github.com/{repository}/tar.gz/{commit}",
            "file:///nonexistent/{commit}",
        ))
        .unwrap();
        let err = fetch(&workspace, &pin, "/nonexistent/curl").unwrap_err();
        assert!(err.to_string().contains("file:///nonexistent/"), "{err}");
        let cache = ws.path().join("target/spec-cache");
        assert_eq!(
            std::fs::read_dir(&cache).unwrap().count(),
            0,
            "temporary files are removed"
        );
    }
}
