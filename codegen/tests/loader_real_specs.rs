//! Loads the real SailPoint specs when they are present (skipped otherwise).

mod support;

use std::path::PathBuf;
use std::time::Instant;

use codegen::loader::{Bundle, load};
use serde_json::Value;

fn spec_dir() -> Option<PathBuf> {
    support::real_spec_dir()
}

fn operations(bundle: &Bundle) -> usize {
    bundle
        .paths
        .iter()
        .map(|p| {
            let i = &p.item;
            [
                &i.get, &i.put, &i.post, &i.delete, &i.patch, &i.options, &i.head, &i.trace,
            ]
            .iter()
            .filter(|o| o.is_some())
            .count()
        })
        .sum()
}

/// Every `$ref` string in `v`, with where it is.
fn refs(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k == "$ref" {
                    if let Value::String(s) = v {
                        out.push((at.to_string(), s.clone()));
                    }
                } else {
                    refs(v, &format!("{at}/{k}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                refs(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn check(version: &str, paths: usize, ops: usize) {
    let Some(dir) = spec_dir() else { return };
    let root = PathBuf::from(format!("idn/sailpoint-api.{version}.yaml"));
    let start = Instant::now();
    let bundle = load(&dir, &root).unwrap_or_else(|e| panic!("{e}"));
    let elapsed = start.elapsed();
    println!(
        "{version}: {} paths, {} operations, {} schemas, {} files, {} diagnostics, loaded in {elapsed:?}",
        bundle.paths.len(),
        operations(&bundle),
        bundle.schemas.len(),
        bundle.files.len(),
        bundle.diagnostics.len()
    );
    for d in &bundle.diagnostics {
        println!("  {d}");
    }
    assert_eq!(bundle.paths.len(), paths);
    assert_eq!(operations(&bundle), ops);

    let mut found = Vec::new();
    for p in &bundle.paths {
        refs(
            &serde_json::to_value(&p.item).unwrap(),
            &p.template,
            &mut found,
        );
    }
    let path_refs = found.len();
    for (name, s) in &bundle.schemas {
        refs(
            &serde_json::to_value(&s.schema).unwrap(),
            &format!("schema {name}"),
            &mut found,
        );
    }
    for (at, r) in &found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{at}: $ref `{r}` left"));
        assert!(
            bundle.schemas.contains_key(name),
            "{at}: `{r}` has no schema"
        );
    }
    println!(
        "{version}: {path_refs} schema refs in paths, {} in all",
        found.len()
    );
    let mut sorted = bundle.files.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, bundle.files);
}

#[test]
fn real_v3() {
    check("v3", 228, 358);
}

#[test]
fn real_v2024() {
    check("v2024", 485, 716);
}
