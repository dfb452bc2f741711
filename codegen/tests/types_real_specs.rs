//! Smoke test over the real SailPoint specs: every component schema of v3 and v2024 is typed, and
//! every emitted models file parses (skipped outside CI when the spec folder is absent).
//! Compiling the output is the golden tests' job.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::Diagnostics;
use codegen::types::TypeSpace;
use quote::quote;

#[test]
fn types_real_specs_are_typed_and_emitted() {
    let Some(spec_dir) = support::real_spec_dir() else {
        return;
    };
    for version in ["v3", "v2024"] {
        let root = PathBuf::from(format!("idn/sailpoint-api.{version}.yaml"));
        let bundle = match codegen::loader::load(Path::new(&spec_dir), &root) {
            Ok(bundle) => bundle,
            Err(err) => panic!("{version}: the loader failed: {err}"),
        };
        let mut diagnostics = Diagnostics::default();
        let space = TypeSpace::new(&bundle, &mut diagnostics).expect("type space");
        assert!(
            space.model_count() >= bundle.schemas.len(),
            "{version}: every component is a model"
        );
        let names: BTreeSet<&str> = space.model_names().collect();
        assert_eq!(
            names.len(),
            space.model_count(),
            "{version}: model names are unique"
        );
        for (path, tokens) in codegen::emit::models::emit_models(
            &space,
            &quote!(crate::runtime),
            &|_| Default::default(),
            &|_| None,
        ) {
            if let Err(err) = syn::parse2::<syn::File>(tokens) {
                panic!("{version}: {} does not parse: {err}", path.display());
            }
        }
        let diagnostics = diagnostics.into_sorted();
        for diagnostic in &diagnostics {
            eprintln!("{version}: {diagnostic}");
        }
        assert!(
            diagnostics.len() < 20,
            "{version}: {} diagnostics, expected only a few",
            diagnostics.len()
        );
    }
}
