//! The migration from v2026 to the per-service API over the real specs (skipped outside CI when
//! the spec folder is absent): every operation is accounted for once, and the summary is printed.

mod support;

use std::path::{Path, PathBuf};

use codegen::GeneratorConfig;
use codegen::migration::{MatchedBy, migrate};
use codegen::surface::{Surface, surface};

/// A version's surface as `cargo xtask codegen` sees it: with its overlays from `spec/overlays/`.
fn load(spec_dir: &Path, root: &str, module: &str) -> Surface {
    let mut config = GeneratorConfig::for_root(root, module);
    // As spec/pin.toml has it: the client sends this header by itself.
    config.implicit_headers = vec![codegen::config::ImplicitHeader {
        name: "X-SailPoint-Experimental".into(),
        value: "true".into(),
        marks_operation_as: Some("experimental".into()),
    }];
    let overlays = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/overlays")
        .join(module);
    if let Ok(entries) = std::fs::read_dir(&overlays) {
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
        files.sort();
        config.overlays = files;
    }
    surface(&config, spec_dir)
        .unwrap_or_else(|e| panic!("{module}: {e}"))
        .surface
}

#[test]
fn v2026_to_services() {
    let Some(spec_dir) = support::real_spec_dir() else {
        return;
    };
    let year = load(&spec_dir, "idn/sailpoint-api.v2026.yaml", "v2026");
    let services = load(&spec_dir, "idn/sailpoint-api.root.yaml", "services");
    let migration = migrate(&year, &services);
    let summary = migration.summary();
    println!("v2026 -> services: {summary}");
    assert_eq!(summary.operations, year.operations.len());
    assert_eq!(
        summary.same + summary.changed + summary.by_name + summary.without,
        summary.operations
    );
    assert!(summary.breaking <= summary.changed);
    // Every v2026 path has a per-service successor at this pin.
    assert_eq!(summary.without, 0, "{summary}");
    let by_path = migration
        .steps
        .iter()
        .filter(|s| {
            s.successor
                .as_ref()
                .is_some_and(|n| n.matched_by == MatchedBy::Path)
        })
        .count();
    assert!(by_path > summary.operations * 9 / 10, "{summary}");
}
