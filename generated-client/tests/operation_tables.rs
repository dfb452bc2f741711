//! The generated operation tables list every operation of the spec: operationId, HTTP method and
//! path template, checked against the real spec (the folder in `ISC_SPEC_DIR`, or
//! `../shared/sailpoint-api-specs` beside the repository). Outside CI the test is skipped when the
//! spec is not there; in CI (`CI=true`) a missing spec fails it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use isc::runtime::OperationInfo;

fn spec_dir() -> Option<PathBuf> {
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
    eprintln!("skipped: no spec folder at {}", dir.display());
    None
}

fn spec_operations(dir: &Path, root: &str, prefix: &str) -> BTreeSet<(String, String, String)> {
    let bundle = codegen::loader::load(dir, Path::new(root)).expect("spec loads");
    let mut out = BTreeSet::new();
    for path in &bundle.paths {
        let item = &path.item;
        for (method, op) in [
            ("GET", &item.get),
            ("PUT", &item.put),
            ("POST", &item.post),
            ("DELETE", &item.delete),
            ("OPTIONS", &item.options),
            ("HEAD", &item.head),
            ("PATCH", &item.patch),
            ("TRACE", &item.trace),
        ] {
            if let Some(op) = op {
                // Five v2026 operations have no operationId (a spec bug): the generator names
                // them from method and path, `get_das_owners_resources_resource_id`.
                let id = op.operation_id.clone().unwrap_or_else(|| {
                    let words = format!("{} {}", method.to_lowercase(), path.template);
                    codegen::naming::snake_name(&words)
                });
                out.insert((id, method.to_string(), format!("{prefix}{}", path.template)));
            }
        }
    }
    out
}

fn table(operations: &[&OperationInfo]) -> BTreeSet<(String, String, String)> {
    operations
        .iter()
        .map(|op| {
            (
                op.operation_id.to_string(),
                op.method.to_string(),
                op.path.to_string(),
            )
        })
        .collect()
}

/// Each enabled version: its spec root, its table, its path prefix, how many operations its spec
/// has (3,304 in the five year versions, 917 in the per-service API).
fn versions() -> Vec<(
    &'static str,
    &'static [&'static OperationInfo],
    &'static str,
    usize,
)> {
    vec![
        #[cfg(feature = "v3")]
        ("idn/sailpoint-api.v3.yaml", isc::v3::OPERATIONS, "/v3", 358),
        #[cfg(feature = "v2024")]
        (
            "idn/sailpoint-api.v2024.yaml",
            isc::v2024::OPERATIONS,
            "/v2024",
            716,
        ),
        #[cfg(feature = "v2025")]
        (
            "idn/sailpoint-api.v2025.yaml",
            isc::v2025::OPERATIONS,
            "/v2025",
            812,
        ),
        #[cfg(feature = "v2026")]
        (
            "idn/sailpoint-api.v2026.yaml",
            isc::v2026::OPERATIONS,
            "/v2026",
            859,
        ),
        #[cfg(feature = "beta")]
        (
            "idn/sailpoint-api.beta.yaml",
            isc::beta::OPERATIONS,
            "/beta",
            559,
        ),
        // The per-service API: no base path, the service's version is in each path.
        #[cfg(feature = "services")]
        (
            "idn/sailpoint-api.root.yaml",
            isc::services::OPERATIONS,
            "",
            917,
        ),
    ]
}

#[test]
fn every_operation_of_the_spec_is_in_the_tables() {
    let Some(dir) = spec_dir() else { return };
    for (root, operations, prefix, count) in versions() {
        let expected = spec_operations(&dir, root, prefix);
        let actual = table(operations);
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{root}: missing {missing:?}, extra {extra:?}"
        );
        assert_eq!(operations.len(), count, "{root}");
    }
}

#[cfg(all(feature = "v3", feature = "v2024"))]
#[test]
fn experimental_operations_are_marked() {
    let experimental = isc::v2024::OPERATIONS
        .iter()
        .filter(|op| op.experimental)
        .count();
    // 146 v2024 operations declare the `X-SailPoint-Experimental` header (spec-quirks notes).
    assert_eq!(experimental, 146);
    assert!(isc::v3::OPERATIONS.iter().all(|op| !op.experimental));
}

#[cfg(feature = "services")]
#[test]
fn per_service_operations_are_marked_experimental() {
    let experimental = isc::services::OPERATIONS
        .iter()
        .filter(|op| op.experimental)
        .count();
    // 234 of the per-service API's operations are experimental (spec-quirks notes).
    assert_eq!(experimental, 234);
}
