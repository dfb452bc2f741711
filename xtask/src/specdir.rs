//! Where the upstream spec is read from: `--spec-dir`, else `ISC_SPEC_DIR`, else the fetch cache.

use std::fmt;
use std::path::{Path, PathBuf};

/// Environment variable naming a spec folder (a checkout of sailpoint-oss/api-specs).
pub const ENV_VAR: &str = "ISC_SPEC_DIR";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    Cache,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecDir {
    pub path: PathBuf,
    pub source: Source,
}

impl fmt::Display for SpecDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match self.source {
            Source::Flag => "from --spec-dir".to_string(),
            Source::Env => format!("from ${ENV_VAR}"),
            Source::Cache => "from the fetch cache".to_string(),
        };
        write!(f, "spec folder: {} ({how})", self.path.display())
    }
}

/// `--spec-dir DIR` alone, for the commands that take nothing else.
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct SpecDirArg {
    /// The spec folder (a checkout of sailpoint-oss/api-specs); else $ISC_SPEC_DIR, else
    /// target/spec-cache/<commit>/ (fetched on demand)
    #[arg(long, value_name = "DIR", value_parser = folder_arg)]
    pub spec_dir: Option<PathBuf>,
}

/// A folder given on the command line (`--spec-dir`, `--against`): not empty.
pub fn folder_arg(text: &str) -> Result<PathBuf, String> {
    if text.is_empty() {
        return Err("a folder is needed".into());
    }
    Ok(PathBuf::from(text))
}

/// A file given on the command line (`--output`): not empty.
pub fn file_arg(text: &str) -> Result<PathBuf, String> {
    if text.is_empty() {
        return Err("a file is needed".into());
    }
    Ok(PathBuf::from(text))
}

/// A version name given on the command line (one of `--only`'s list, `--from`): not empty.
pub fn name_arg(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("a version name is needed".into());
    }
    Ok(name.to_string())
}

/// The fetch cache for one upstream commit: `<workspace>/target/spec-cache/<commit>/`.
pub fn cache_dir(workspace_root: &Path, commit: &str) -> PathBuf {
    workspace_root
        .join("target")
        .join("spec-cache")
        .join(commit)
}

/// Pure precedence rule: the flag, else a non-empty environment value, else the cache folder.
pub fn resolve(
    flag: Option<&Path>,
    env: Option<&str>,
    workspace_root: &Path,
    commit: &str,
) -> SpecDir {
    if let Some(path) = flag {
        return SpecDir {
            path: path.to_path_buf(),
            source: Source::Flag,
        };
    }
    if let Some(value) = env.filter(|v| !v.trim().is_empty()) {
        return SpecDir {
            path: PathBuf::from(value),
            source: Source::Env,
        };
    }
    SpecDir {
        path: cache_dir(workspace_root, commit),
        source: Source::Cache,
    }
}

/// True when a folder is missing or holds nothing (the cache then has to be fetched).
pub fn is_missing_or_empty(path: &Path) -> bool {
    match std::fs::read_dir(path) {
        Ok(mut entries) => entries.next().is_none(),
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMIT: &str = "81ef79d05e43806f9083f42015a2a359bbd76e1f";

    #[test]
    fn flag_wins_over_env_and_cache() {
        let got = resolve(
            Some(Path::new("/flag")),
            Some("/env"),
            Path::new("/ws"),
            COMMIT,
        );
        assert_eq!(
            got,
            SpecDir {
                path: "/flag".into(),
                source: Source::Flag
            }
        );
    }

    #[test]
    fn env_wins_over_cache() {
        let got = resolve(None, Some("/env"), Path::new("/ws"), COMMIT);
        assert_eq!(
            got,
            SpecDir {
                path: "/env".into(),
                source: Source::Env
            }
        );
    }

    #[test]
    fn cache_is_the_fallback_and_empty_env_is_unset() {
        for env in [None, Some(""), Some("  ")] {
            let got = resolve(None, env, Path::new("/ws"), COMMIT);
            assert_eq!(got.source, Source::Cache);
            assert_eq!(got.path, Path::new("/ws/target/spec-cache").join(COMMIT));
        }
    }

    #[test]
    fn says_where_it_came_from() {
        let got = resolve(None, Some("/env"), Path::new("/ws"), COMMIT);
        assert_eq!(got.to_string(), "spec folder: /env (from $ISC_SPEC_DIR)");
    }

    #[test]
    fn missing_and_empty_folders_need_a_fetch() {
        let tmp = crate::testutil::TempDir::new("specdir");
        assert!(is_missing_or_empty(&tmp.path().join("nope")));
        assert!(is_missing_or_empty(tmp.path()));
        std::fs::write(tmp.path().join("f"), "x").unwrap();
        assert!(!is_missing_or_empty(tmp.path()));
    }
}
