//! Shared by the tests that read SailPoint's real specs.

use std::path::{Path, PathBuf};

/// The spec folder: `ISC_SPEC_DIR`, else `../shared/sailpoint-api-specs` beside the repository.
/// `None` (the caller skips) when it is absent on a developer machine; in CI (`CI=true`) an absent
/// spec fails the test instead, so that these tests cannot pass by skipping.
pub fn real_spec_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ISC_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/sailpoint-api-specs")
        });
    if dir.join("idn").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the spec folder {} is missing in CI",
        dir.display()
    );
    eprintln!(
        "skipping: no spec folder at {} (set ISC_SPEC_DIR)",
        dir.display()
    );
    None
}
