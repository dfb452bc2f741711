//! Every request body of every pinned API can be made from the fields a person sets (skipped
//! outside CI when the spec folder is absent). Walks the operations of each API as generated:
//! each JSON body that is a struct model must derive `Default` (all fields optional) or have
//! `new` taking exactly its required fields, in declaration order; read-only fields are never
//! among them (they are `Option`). Checked on the emitted code, parsed, not on a list.

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::GeneratorConfig;
use syn::{Fields, FnArg, ImplItem, Item, Pat, Type};

const ROOTS: [(&str, &str); 6] = [
    ("idn/sailpoint-api.v3.yaml", "v3"),
    ("idn/sailpoint-api.v2024.yaml", "v2024"),
    ("idn/sailpoint-api.v2025.yaml", "v2025"),
    ("idn/sailpoint-api.v2026.yaml", "v2026"),
    ("idn/sailpoint-api.beta.yaml", "beta"),
    ("idn/sailpoint-api.root.yaml", "services"),
];

/// What a model file says about one struct: its plain (non-`Option`, non-flattened) fields,
/// whether it derives `Default`, and the parameters of its `new`, if any.
#[derive(Default, Debug)]
struct StructFacts {
    plain_fields: Vec<String>,
    derives_default: bool,
    new_params: Option<Vec<String>>,
}

fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn facts(files: &BTreeMap<PathBuf, String>, module: &str) -> BTreeMap<String, StructFacts> {
    let mut out: BTreeMap<String, StructFacts> = BTreeMap::new();
    let models = PathBuf::from(module).join("models");
    for (path, text) in files {
        if !path.starts_with(&models) {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for item in file.items {
            match item {
                Item::Struct(s) => {
                    let entry = out.entry(s.ident.to_string()).or_default();
                    entry.derives_default = s.attrs.iter().any(|a| {
                        a.path().is_ident("derive")
                            && quote::quote!(#a).to_string().contains("Default")
                    });
                    if let Fields::Named(fields) = &s.fields {
                        entry.plain_fields = fields
                            .named
                            .iter()
                            .filter(|f| !is_option(&f.ty))
                            // The `additionalProperties` map and the undeclared members start
                            // empty: no constructor takes them.
                            .filter(|f| {
                                !f.attrs.iter().any(|a| {
                                    quote::quote!(#a).to_string().contains("additionalProperties")
                                })
                            })
                            .filter(|f| {
                                !matches!(&f.ty, Type::Path(path)
                                    if path.path.segments.last().is_some_and(|s| s.ident == "Extra"))
                            })
                            .map(|f| f.ident.as_ref().unwrap().to_string())
                            .collect();
                    }
                }
                Item::Impl(imp) if imp.trait_.is_none() => {
                    let Type::Path(self_ty) = &*imp.self_ty else {
                        continue;
                    };
                    let name = self_ty.path.segments.last().unwrap().ident.to_string();
                    for item in &imp.items {
                        if let ImplItem::Fn(f) = item
                            && f.sig.ident == "new"
                        {
                            let params = f
                                .sig
                                .inputs
                                .iter()
                                .filter_map(|input| match input {
                                    FnArg::Typed(typed) => match &*typed.pat {
                                        Pat::Ident(ident) => Some(ident.ident.to_string()),
                                        _ => None,
                                    },
                                    FnArg::Receiver(_) => None,
                                })
                                .collect();
                            out.entry(name.clone()).or_default().new_params = Some(params);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn every_request_body_model_has_its_constructor() {
    let Some(spec_dir) = support::real_spec_dir() else {
        return;
    };
    for (root, module) in ROOTS {
        let config = GeneratorConfig::for_root(root, module);
        let generated = codegen::generate(&config, &spec_dir)
            .unwrap_or_else(|e| panic!("{module}: generation failed: {e}"));
        let facts = facts(&generated.files, module);
        let (mut by_new, mut by_default) = (0, 0);
        for (operation, op) in &generated.surface.operations {
            let Some((body, _)) = &op.body else {
                continue;
            };
            // A body that names one struct model (not a list, a union, text or bytes).
            let Some(model) = facts.get(body.as_str()) else {
                continue;
            };
            if model.plain_fields.is_empty() {
                assert!(
                    model.derives_default,
                    "{module} {operation}: {body} has only optional fields but no Default"
                );
                by_default += 1;
            } else {
                assert_eq!(
                    model.new_params.as_ref(),
                    Some(&model.plain_fields),
                    "{module} {operation}: {body}::new must take exactly the required fields"
                );
                by_new += 1;
            }
        }
        println!(
            "{module}: {by_new} request bodies made with new(required fields), {by_default} with Default"
        );
        assert!(
            by_new + by_default > 50,
            "{module}: too few struct bodies found"
        );
    }
}
