//! Golden-file tests: generating the fixture specs must reproduce the files committed under
//! `codegen/tests/golden-client/src/<fixture>/` byte for byte. That crate is a workspace member, so
//! the same files are also compiled (and linted) against the real runtime.
//!
//! After an intended change of the generator, rewrite them with
//! `UPDATE_GOLDEN=1 cargo test -p isc-codegen --test golden` and review the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::config::{
    DocExamplesConfig, DocExtension, ImplicitHeader, OffsetPaginationConfig, SearchAfterConfig,
    ServiceVersionsConfig, TagFeaturesConfig,
};
use codegen::{Generated, GeneratorConfig};

/// `kitchen_sink`: every construct of one API version; `services`: services versioned on their
/// own (`/widgets/v1`, `/widgets/v2`); `diff_old` and `diff_new`: the two sides of the
/// `spec diff` fixture (`fixtures/diff/`), which `golden-client/src/spec_diff.rs` compiles one
/// caller against.
const FIXTURES: &[&str] = &["kitchen_sink", "services", "diff_old", "diff_new"];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config(fixture: &str) -> GeneratorConfig {
    let mut config = GeneratorConfig::for_root("api.yaml", fixture);
    config.upstream_repository = "codegen/tests/fixtures/golden".into();
    config.upstream_commit = "local fixture".into();
    // The fixtures are compiled against the runtime crate alone, named as prost-build's
    // `prost_path` names prost: no API crate in between.
    config.runtime_path = "isc_runtime".into();
    config.client_path = "isc_runtime::Client".into();
    config.pagination = Some(OffsetPaginationConfig {
        offset_param: "offset".into(),
        limit_param: "limit".into(),
        count_param: Some("count".into()),
        total_header: "X-Total-Count".into(),
        page_size: 250,
    });
    config.search_after = Some(SearchAfterConfig {
        sort_field: "sort".into(),
        after_field: "searchAfter".into(),
        tiebreaker: Some("id".into()),
        limit_param: "limit".into(),
        count_param: Some("count".into()),
        total_header: "X-Total-Count".into(),
        page_size: 100,
    });
    config.retry_safe_operations = ["searchItems".to_string()].into();
    config.tag_features = Some(TagFeaturesConfig {
        selected_suffix: "-selected".into(),
        tag_prefix: "tag-".into(),
    });
    // The misspelt twin's values join the first's under the same label.
    config.doc_extensions = vec![
        DocExtension {
            name: "x-fixture-levels".into(),
            label: "User levels".into(),
        },
        DocExtension {
            name: "x-fixture-levles".into(),
            label: "User levels".into(),
        },
    ];
    // The examples are doctests of the golden client (`cargo test -p golden-client --doc`).
    config.doc_examples = Some(DocExamplesConfig {
        crate_name: "golden_client".into(),
        api: "golden_client::{module}::Api::new(client)".into(),
        attribute: "no_run".into(),
    });
    config.implicit_headers = vec![ImplicitHeader {
        name: "X-Fixture-Experimental".into(),
        value: "true".into(),
        marks_operation_as: Some("experimental".into()),
    }];
    if fixture == "services" {
        config.service_versions = Some(ServiceVersionsConfig {
            path_segment_prefix: "v".into(),
            operation_id_suffix: "V".into(),
        });
    }
    config
}

fn generate(fixture: &str) -> Generated {
    let spec_dir = match fixture.strip_prefix("diff_") {
        Some(side) => manifest_dir().join("tests/fixtures/diff").join(side),
        None => manifest_dir().join("tests/fixtures/golden").join(fixture),
    };
    match codegen::generate(&config(fixture), &spec_dir) {
        Ok(generated) => generated,
        Err(err) => panic!("generating fixture {fixture} failed: {err}"),
    }
}

/// Every file under `dir`, keyed by its path relative to `base`.
fn files_under(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(base, &path, out);
        } else if let Ok(text) = fs::read_to_string(&path) {
            out.insert(path.strip_prefix(base).unwrap().to_path_buf(), text);
        }
    }
}

#[test]
fn fixtures_match_golden_files() {
    let golden_src = manifest_dir().join("tests/golden-client/src");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut problems = Vec::new();
    for fixture in FIXTURES {
        let generated = generate(fixture);
        let mut committed = BTreeMap::new();
        files_under(&golden_src, &golden_src.join(fixture), &mut committed);
        if update {
            let _ = fs::remove_dir_all(golden_src.join(fixture));
            for (path, text) in &generated.files {
                let target = golden_src.join(path);
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                fs::write(target, text).unwrap();
            }
            continue;
        }
        for (path, text) in &generated.files {
            match committed.get(path) {
                None => problems.push(format!("missing golden file {}", path.display())),
                Some(old) if old != text => {
                    let line = old.lines().zip(text.lines()).position(|(a, b)| a != b);
                    problems.push(format!(
                        "{} differs (first at line {})",
                        path.display(),
                        line.map(|l| l + 1)
                            .unwrap_or(old.lines().count().min(text.lines().count()) + 1)
                    ));
                }
                Some(_) => {}
            }
        }
        for path in committed
            .keys()
            .filter(|p| !generated.files.contains_key(*p))
        {
            problems.push(format!("stale golden file {}", path.display()));
        }
    }
    assert!(
        problems.is_empty(),
        "generated code differs from the golden files (rerun with UPDATE_GOLDEN=1 and review):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_golden_client_declares_every_feature_the_code_tests() {
    let manifest =
        fs::read_to_string(manifest_dir().join("tests/golden-client/Cargo.toml")).unwrap();
    for fixture in FIXTURES {
        let generated = generate(fixture);
        let features = &generated.features;
        assert!(!features.tags.is_empty(), "{fixture}: groups compile alone");
        let own = [fixture.to_string()];
        for feature in own.iter().chain(&features.selected).chain(&features.tags) {
            assert!(
                manifest
                    .lines()
                    .any(|l| l.starts_with(&format!("{feature} = "))),
                "golden-client/Cargo.toml does not declare `{feature}`"
            );
        }
    }
}

#[test]
fn generation_is_deterministic() {
    for fixture in FIXTURES {
        let first = generate(fixture);
        let second = generate(fixture);
        assert_eq!(first.files, second.files, "two runs over {fixture} differ");
        assert_eq!(first.report.diagnostics, second.report.diagnostics);
    }
}

#[test]
fn every_generated_file_has_the_header() {
    for fixture in FIXTURES {
        for (path, text) in generate(fixture).files {
            assert!(
                text.starts_with("// @generated by `cargo xtask codegen`. DO NOT EDIT"),
                "{} lacks the generated-file header",
                path.display()
            );
            assert!(text.contains("// Spec: api.yaml ("), "{}", path.display());
        }
    }
}

#[test]
fn kitchen_sink_report() {
    let generated = generate("kitchen_sink");
    assert_eq!(generated.report.operations, 14);
    let diagnostics: Vec<String> = generated
        .report
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    let text = diagnostics.join("\n");
    // The spec bugs in the fixture are repaired and reported, not dropped in silence.
    assert!(
        text.contains("path placeholder `{itemId}` has no parameter of that name"),
        "{text}"
    );
    assert!(
        text.contains("path placeholder `{weird id}` is not declared"),
        "{text}"
    );
    assert!(text.contains("no operationId"), "{text}");
    assert!(
        text.contains("response 204 (No Content) declares a body"),
        "{text}"
    );
}

#[test]
fn services_get_one_handle_per_major_version() {
    let generated = generate("services");
    let files: Vec<String> = generated
        .files
        .keys()
        .map(|p| p.display().to_string().replace('\\', "/"))
        .collect();
    for expected in [
        "services/apis/widgets.rs",
        "services/apis/widgets/v1.rs",
        "services/apis/widgets/v2.rs",
        "services/apis/gadgets/v1.rs",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "{expected} in {files:?}"
        );
    }
    let widgets = &generated.files[std::path::Path::new("services/apis/widgets.rs")];
    assert!(
        widgets.contains("pub fn v1(&self) -> v1::WidgetsV1Api"),
        "{widgets}"
    );
    assert!(
        widgets.contains("pub fn v2(&self) -> v2::WidgetsV2Api"),
        "{widgets}"
    );
    let v1 = &generated.files[std::path::Path::new("services/apis/widgets/v1.rs")];
    // The version is in the call, not in the method's name.
    assert!(v1.contains("pub fn get_widget("), "{v1}");
    assert!(!v1.contains("get_widget_v1"), "{v1}");
    let gadgets = &generated.files[std::path::Path::new("services/apis/gadgets.rs")];
    // An operation without a version in its path stays on the service's handle.
    assert!(gadgets.contains("pub fn gadget_health("), "{gadgets}");
}
