//! Property test: the loader and the generator never panic, whatever the spec says.
//!
//! Each case copies a fixture spec (the multi-file golden `kitchen_sink`, the loader's multi-file
//! `good` fixture, or the type fixture `mixed.yaml` wrapped into a one-file document) into a
//! temporary folder, applies 1 to 4 random mutations (on the parsed YAML tree, or on the raw text),
//! runs [`codegen::generate`] under `catch_unwind` and checks that it returned:
//!
//! - `Ok`: a second run on the same folder gives the same files (determinism);
//! - `Err`: the message is not empty and, for loader errors, names a file.
//!
//! The run is deterministic. Case `i` uses the seed `NO_PANIC_SEED + i`; a failing case prints its
//! seed and its mutations, and is replayed alone with
//! `NO_PANIC_SEED=<case seed> NO_PANIC_CASES=1 cargo test -p isc-codegen --test no_panic`.
//! `NO_PANIC_CASES` sets the number of cases (default [`DEFAULT_CASES`]).
//!
//! A stack overflow aborts the process before anything can be reported: the case being run is
//! always written to `no_panic_current_case.txt` under Cargo's `CARGO_TARGET_TMPDIR` first.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use codegen::config::{ImplicitHeader, OffsetPaginationConfig, SearchAfterConfig};
use codegen::{Error, GeneratorConfig};
use serde_yaml::{Mapping, Value};

const DEFAULT_SEED: u64 = 0x15C0_DE6E_u64;
const DEFAULT_CASES: u64 = 600;

/// A spec held in memory: files relative to the spec folder, and the config to generate it with.
#[derive(Clone)]
struct Spec {
    name: &'static str,
    files: BTreeMap<PathBuf, Vec<u8>>,
    config: GeneratorConfig,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_tree(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let bytes = fs::read(&path).unwrap();
            out.insert(path.strip_prefix(base).unwrap().to_path_buf(), bytes);
        }
    }
}

fn full_config(root: &str, module: &str) -> GeneratorConfig {
    let mut config = GeneratorConfig::for_root(root, module);
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
    config.implicit_headers = vec![ImplicitHeader {
        name: "X-Fixture-Experimental".into(),
        value: "true".into(),
        marks_operation_as: Some("experimental".into()),
    }];
    config
}

fn fixtures() -> Vec<Spec> {
    let mut out = Vec::new();
    let dir = manifest_dir().join("tests/fixtures/golden/kitchen_sink");
    let mut files = BTreeMap::new();
    read_tree(&dir, &dir, &mut files);
    out.push(Spec {
        name: "kitchen_sink",
        files,
        config: full_config("api.yaml", "kitchen_sink"),
    });

    let dir = manifest_dir().join("tests/fixtures/loader/good");
    let mut files = BTreeMap::new();
    read_tree(&dir, &dir, &mut files);
    out.push(Spec {
        name: "loader_good",
        files,
        config: GeneratorConfig::for_root("root.yaml", "good"),
    });

    let mixed = fs::read_to_string(manifest_dir().join("tests/fixtures/types/mixed.yaml")).unwrap();
    let schemas: Value = serde_yaml::from_str(&mixed).unwrap();
    let mut doc = Mapping::new();
    doc.insert("openapi".into(), "3.0.3".into());
    let mut info = Mapping::new();
    info.insert("title".into(), "Mixed".into());
    info.insert("version".into(), "1".into());
    doc.insert("info".into(), Value::Mapping(info));
    doc.insert("paths".into(), Value::Mapping(Mapping::new()));
    let mut comps = Mapping::new();
    comps.insert("schemas".into(), schemas);
    doc.insert("components".into(), Value::Mapping(comps));
    let text = serde_yaml::to_string(&Value::Mapping(doc)).unwrap();
    out.push(Spec {
        name: "types_mixed",
        files: BTreeMap::from([(PathBuf::from("api.yaml"), text.into_bytes())]),
        config: full_config("api.yaml", "mixed"),
    });
    out
}

// ------------------------------------------------------------------------------------------------
// Tree navigation

#[derive(Clone, Debug)]
enum Step {
    Key(Value),
    Index(usize),
}

fn describe(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(Value::String(s)) => {
                let _ = write!(out, "/{}", s.replace('~', "~0").replace('/', "~1"));
            }
            Step::Key(k) => {
                let _ = write!(
                    out,
                    "/{}",
                    serde_yaml::to_string(k).unwrap_or_default().trim()
                );
            }
            Step::Index(i) => {
                let _ = write!(out, "/{i}");
            }
        }
    }
    if out.is_empty() { "<root>".into() } else { out }
}

/// Every node, by its path from the root (the root itself included).
fn all_paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Mapping(m) => {
            for (k, sub) in m {
                here.push(Step::Key(k.clone()));
                all_paths(sub, here, out);
                here.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, sub) in items.iter().enumerate() {
                here.push(Step::Index(i));
                all_paths(sub, here, out);
                here.pop();
            }
        }
        Value::Tagged(t) => all_paths(&t.value, here, out),
        _ => {}
    }
}

fn get_mut<'a>(mut v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    for step in path {
        if let Value::Tagged(t) = v {
            v = &mut t.value;
        }
        v = match (step, v) {
            (Step::Key(k), Value::Mapping(m)) => m.get_mut(k)?,
            (Step::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Paths of mappings that hold `key`.
fn maps_with_key(doc: &Value, key: &str) -> Vec<Vec<Step>> {
    let mut paths = Vec::new();
    all_paths(doc, &mut Vec::new(), &mut paths);
    paths
        .into_iter()
        .filter(|p| {
            let mut d = doc.clone();
            get_mut(&mut d, p)
                .and_then(|v| v.as_mapping().map(|m| m.contains_key(key)))
                .unwrap_or(false)
        })
        .collect()
}

/// Paths of mappings whose keys are names (properties, component schemas, paths, responses).
fn name_maps(doc: &Value) -> Vec<Vec<Step>> {
    let mut paths = Vec::new();
    all_paths(doc, &mut Vec::new(), &mut paths);
    paths
        .into_iter()
        .filter(|p| {
            matches!(
                p.last(),
                Some(Step::Key(Value::String(k)))
                    if ["properties", "schemas", "paths", "responses", "parameters", "mapping", "content"]
                        .contains(&k.as_str())
            )
        })
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Random values

const WEIRD_NAMES: &[&str] = &[
    "",
    " ",
    "a b",
    "  leading",
    "ünïcödé",
    "名前",
    "🦀",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "r#type",
    "async",
    "_",
    "__",
    "1abc",
    "123",
    "0",
    "-",
    "...",
    "!@#$%^&*()",
    "~",
    "/",
    "~1",
    "a/b",
    "{id}",
    "{",
    "}",
    "x-ext",
    "$ref",
    "default",
    "None",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "mod",
    "e\u{301}",
    "a\u{0}b",
    "line\nbreak",
    "'quoted'",
    "\"dq\"",
    "\\",
    "#",
    "#/",
    "%20",
    "%zz",
];

fn weird_name(rng: &mut fastrand::Rng) -> String {
    WEIRD_NAMES[rng.usize(..WEIRD_NAMES.len())].to_string()
}

fn deep(rng: &mut fastrand::Rng) -> Value {
    let depth = rng.usize(1..110);
    let mut v = Value::Mapping(Mapping::new());
    for _ in 0..depth {
        let mut m = Mapping::new();
        match rng.u8(..4) {
            0 => {
                m.insert("type".into(), "object".into());
                let mut props = Mapping::new();
                props.insert("a".into(), v);
                m.insert("properties".into(), Value::Mapping(props));
            }
            1 => {
                m.insert("type".into(), "array".into());
                m.insert("items".into(), v);
            }
            2 => {
                m.insert("allOf".into(), Value::Sequence(vec![v]));
            }
            _ => {
                m.insert("oneOf".into(), Value::Sequence(vec![v, Value::Null]));
            }
        }
        v = Value::Mapping(m);
    }
    v
}

fn huge_number(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..6) {
        0 => Value::Number(u64::MAX.into()),
        1 => Value::Number(i64::MIN.into()),
        2 => Value::Number(1e308.into()),
        3 => Value::Number((-1e308).into()),
        4 => Value::Number(f64::NAN.into()),
        _ => Value::Number(f64::INFINITY.into()),
    }
}

fn random_scalar(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..6) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::Number(rng.i64(-5..1000).into()),
        3 => huge_number(rng),
        4 => Value::String(weird_name(rng)),
        _ => Value::String("nonsense".into()),
    }
}

fn replacement(rng: &mut fastrand::Rng) -> (Value, &'static str) {
    match rng.u8(..9) {
        0 => (Value::Null, "null"),
        1 => (Value::Number(rng.i64(-3..100).into()), "a number"),
        2 => (Value::String(weird_name(rng)), "a string"),
        3 => (Value::Mapping(Mapping::new()), "an empty map"),
        4 => (Value::Sequence(Vec::new()), "an empty list"),
        5 => (deep(rng), "a deeply nested structure"),
        6 => (huge_number(rng), "a huge number"),
        7 => (Value::Bool(rng.bool()), "a bool"),
        _ => {
            let mut m = Mapping::new();
            m.insert("$ref".into(), "#/".into());
            (Value::Mapping(m), "{$ref: '#/'}")
        }
    }
}

fn dangling_ref(rng: &mut fastrand::Rng, files: &[PathBuf], this: &Path) -> String {
    let other = &files[rng.usize(..files.len())];
    let depth = this.components().count().saturating_sub(1);
    let up = "../".repeat(depth);
    let other_rel = format!("{up}{}", other.display());
    match rng.u8(..16) {
        0 => "./missing.yaml".into(),
        1 => "missing/deeper/File.yaml#/X".into(),
        2 => format!("{other_rel}#/no/such/pointer"),
        3 => "#/components/schemas/~2bad".into(),
        4 => "#/components/schemas/a~1b~0c".into(),
        5 => "#/".into(),
        6 => "#".into(),
        7 => "".into(),
        8 => "https://example.com/schemas/Foo.yaml".into(),
        9 => "//example.com/x.yaml".into(),
        10 => format!(
            "{}#",
            this.file_name().unwrap_or_default().to_string_lossy()
        ),
        11 => "../../../../etc/passwd".into(),
        12 => "#/paths/~1items/get/responses/200".into(),
        13 => "%zz.yaml".into(),
        14 => format!("{other_rel}#/%E2%82"),
        _ => format!(
            "{other_rel}#{}",
            ["", "/", "/0", "/-", "/components"][rng.usize(..5)]
        ),
    }
}

// ------------------------------------------------------------------------------------------------
// Mutations

/// Apply one mutation to `spec`; a description of what was done (to replay and to read).
fn mutate(rng: &mut fastrand::Rng, spec: &mut Spec) -> String {
    let names: Vec<PathBuf> = spec.files.keys().cloned().collect();
    let file = names[rng.usize(..names.len())].clone();
    let raw_kind = rng.u8(..100);
    if raw_kind < 12 {
        return raw_mutation(rng, spec, &file);
    }
    let Some(bytes) = spec.files.get(&file) else {
        return "no file".into();
    };
    let Ok(mut doc) = serde_yaml::from_slice::<Value>(bytes) else {
        return format!("{}: not YAML any more; left as is", file.display());
    };
    let what = tree_mutation(rng, &mut doc, &file, &names, spec);
    if let Ok(text) = serde_yaml::to_string(&doc) {
        spec.files.insert(file.clone(), text.into_bytes());
    }
    format!("{}: {what}", file.display())
}

fn pick<T: Clone>(rng: &mut fastrand::Rng, items: &[T]) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[rng.usize(..items.len())].clone())
    }
}

fn tree_mutation(
    rng: &mut fastrand::Rng,
    doc: &mut Value,
    file: &Path,
    files: &[PathBuf],
    spec: &mut Spec,
) -> String {
    let mut paths = Vec::new();
    all_paths(doc, &mut Vec::new(), &mut paths);
    let any = pick(rng, &paths).unwrap_or_default();
    match rng.u8(..16) {
        // Delete a random key.
        0 | 1 => {
            let maps: Vec<_> = paths
                .iter()
                .filter(|p| !p.is_empty())
                .filter(|p| matches!(p.last(), Some(Step::Key(_))))
                .cloned()
                .collect();
            let Some(p) = pick(rng, &maps) else {
                return "nothing to delete".into();
            };
            let (last, parent) = p.split_last().unwrap();
            if let (Step::Key(k), Some(Value::Mapping(m))) = (last, get_mut(doc, parent)) {
                m.shift_remove(k);
            }
            format!("delete {}", describe(&p))
        }
        // Replace a random node.
        2..=4 => {
            let (v, what) = replacement(rng);
            if let Some(slot) = get_mut(doc, &any) {
                *slot = v;
            }
            format!("replace {} with {what}", describe(&any))
        }
        // Dangle, loop or escape a `$ref`.
        5 | 6 => {
            let refs = maps_with_key(doc, "$ref");
            let Some(p) = pick(rng, &refs) else {
                return "no $ref".into();
            };
            let (target, what) = match rng.u8(..4) {
                0 => {
                    // A ref to itself.
                    let mut ptr = String::from("#");
                    for step in &p {
                        match step {
                            Step::Key(Value::String(s)) => {
                                ptr.push('/');
                                ptr.push_str(&s.replace('~', "~0").replace('/', "~1"));
                            }
                            Step::Index(i) => {
                                let _ = write!(ptr, "/{i}");
                            }
                            _ => {}
                        }
                    }
                    (ptr, "itself")
                }
                1 => {
                    // A cycle between this file and another: the other file's root refs back here.
                    let other = pick(rng, files).unwrap_or_default();
                    if other != file {
                        let back = relative(&other, file);
                        let mut m = Mapping::new();
                        m.insert("$ref".into(), Value::String(back));
                        if let Ok(text) = serde_yaml::to_string(&Value::Mapping(m)) {
                            spec.files.insert(other.clone(), text.into_bytes());
                        }
                    }
                    (relative(file, &other), "a two-file cycle")
                }
                _ => (dangling_ref(rng, files, file), "a dangling target"),
            };
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                m.insert("$ref".into(), Value::String(target.clone()));
            }
            format!("set $ref at {} to `{target}` ({what})", describe(&p))
        }
        // Duplicate a node somewhere else.
        7 => {
            let to = pick(rng, &paths).unwrap_or_default();
            let mut copy = doc.clone();
            let value = get_mut(&mut copy, &any).cloned().unwrap_or(Value::Null);
            if let Some(slot) = get_mut(doc, &to) {
                *slot = value;
            }
            format!("copy {} over {}", describe(&any), describe(&to))
        }
        // Unknown `type`.
        8 => {
            let types = maps_with_key(doc, "type");
            let Some(p) = pick(rng, &types) else {
                return "no type".into();
            };
            let v = match rng.u8(..5) {
                0 => Value::String("nonsense".into()),
                1 => Value::Sequence(vec!["string".into(), "null".into()]),
                2 => Value::Sequence(Vec::new()),
                3 => Value::Number(3.into()),
                _ => Value::String("".into()),
            };
            let what = format!("{v:?}");
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                m.insert("type".into(), v);
            }
            format!("set type at {} to {what}", describe(&p))
        }
        // `required` not a list of strings.
        9 => {
            let maps = maps_with_key(doc, "properties");
            let Some(p) = pick(rng, &maps) else {
                return "no properties".into();
            };
            let v = match rng.u8(..4) {
                0 => Value::String("id".into()),
                1 => Value::Sequence(vec![Value::Number(1.into()), Value::Null]),
                2 => Value::Bool(true),
                _ => Value::Sequence(vec!["missing".into(), "".into(), "missing".into()]),
            };
            let what = format!("{v:?}");
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                m.insert("required".into(), v);
            }
            format!("set required at {} to {what}", describe(&p))
        }
        // Weird names.
        10 => {
            let maps = name_maps(doc);
            let Some(p) = pick(rng, &maps) else {
                return "no names".into();
            };
            let name = weird_name(rng);
            let mut result = format!("no key renamed at {}", describe(&p));
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                if !m.is_empty() {
                    let i = rng.usize(..m.len());
                    let entries: Vec<(Value, Value)> =
                        std::mem::take(m).into_iter().collect::<Vec<_>>();
                    for (j, (k, v)) in entries.into_iter().enumerate() {
                        if j == i {
                            result = format!("rename {:?} at {} to {name:?}", k, describe(&p));
                            m.insert(Value::String(name.clone()), v);
                        } else {
                            m.insert(k, v);
                        }
                    }
                } else {
                    m.insert(Value::String(name.clone()), Value::Mapping(Mapping::new()));
                    result = format!("add {name:?} at {}", describe(&p));
                }
            }
            result
        }
        // Composition with zero, one or non-schema members.
        11 => {
            let key = ["allOf", "oneOf", "anyOf"][rng.usize(..3)];
            let schemas = maps_with_key(doc, "type");
            let Some(p) = pick(rng, &schemas) else {
                return "no schema".into();
            };
            let v = match rng.u8(..5) {
                0 => Value::Sequence(Vec::new()),
                1 => Value::Sequence(vec![Value::Mapping(Mapping::new())]),
                2 => Value::Sequence(vec![Value::Null, Value::Number(1.into()), "x".into()]),
                3 => Value::Mapping(Mapping::new()),
                _ => {
                    let mut r = Mapping::new();
                    r.insert("$ref".into(), "#/components/schemas/Nope".into());
                    Value::Sequence(vec![Value::Mapping(r), Value::Sequence(Vec::new())])
                }
            };
            let what = format!("{v:?}");
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                m.insert(key.into(), v);
            }
            format!("set {key} at {} to {what}", describe(&p))
        }
        // Odd enums.
        12 => {
            let schemas = maps_with_key(doc, "type");
            let Some(p) = pick(rng, &schemas) else {
                return "no schema".into();
            };
            let mut items = Vec::new();
            for _ in 0..rng.usize(0..5) {
                items.push(random_scalar(rng));
            }
            if rng.bool() {
                items.push(Value::Mapping(Mapping::new()));
                items.push(Value::Sequence(vec![1.into()]));
            }
            if let Some(first) = items.first().cloned() {
                items.push(first);
            }
            let v = if rng.u8(..5) == 0 {
                Value::String("notalist".into())
            } else {
                Value::Sequence(items)
            };
            let what = format!("{v:?}");
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                m.insert("enum".into(), v);
            }
            format!("set enum at {} to {what}", describe(&p))
        }
        // additionalProperties.
        13 => {
            let schemas = maps_with_key(doc, "type");
            let Some(p) = pick(rng, &schemas) else {
                return "no schema".into();
            };
            let v = match rng.u8(..5) {
                0 => Value::Bool(true),
                1 => Value::Bool(false),
                2 => Value::Mapping(Mapping::new()),
                3 => {
                    let mut r = Mapping::new();
                    r.insert("type".into(), "integer".into());
                    Value::Mapping(r)
                }
                _ => Value::String("yes".into()),
            };
            let what = format!("{v:?}");
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                m.insert("additionalProperties".into(), v);
            }
            format!("set additionalProperties at {} to {what}", describe(&p))
        }
        // Parameters: odd `in`, odd names; path templates with unbalanced braces.
        14 => {
            if rng.bool() {
                let params = maps_with_key(doc, "in");
                let Some(p) = pick(rng, &params) else {
                    return "no parameter".into();
                };
                let (key, v) = match rng.u8(..4) {
                    0 => ("in", Value::String("body".into())),
                    1 => ("in", Value::String("nowhere".into())),
                    2 => ("in", Value::Null),
                    _ => ("name", Value::String(weird_name(rng))),
                };
                let what = format!("{key} = {v:?}");
                if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                    m.insert(key.into(), v);
                }
                format!("set parameter at {}: {what}", describe(&p))
            } else {
                let Some(Value::Mapping(paths_map)) = doc.get_mut("paths") else {
                    return "no paths".into();
                };
                if paths_map.is_empty() {
                    return "empty paths".into();
                }
                let i = rng.usize(..paths_map.len());
                let templates = [
                    "/items/{id",
                    "/items/id}",
                    "/items/{}",
                    "/items/{{id}}",
                    "/{",
                    "}",
                    "",
                    "/",
                    "/items/{id}/{id}",
                    "/ä/{ö}",
                    "/items/{a}{b}",
                    "items",
                    "/items/{ id }",
                    "/x/{🦀}",
                ];
                let new = templates[rng.usize(..templates.len())];
                let entries: Vec<(Value, Value)> = std::mem::take(paths_map).into_iter().collect();
                let mut result = String::new();
                for (j, (k, v)) in entries.into_iter().enumerate() {
                    if j == i {
                        result = format!("rename path {k:?} to {new:?}");
                        paths_map.insert(Value::String(new.into()), v);
                    } else {
                        paths_map.insert(k, v);
                    }
                }
                result
            }
        }
        // operationId: colliding, empty, weird.
        _ => {
            let ops = maps_with_key(doc, "operationId");
            let Some(p) = pick(rng, &ops) else {
                return "no operationId".into();
            };
            let mut copy = doc.clone();
            let other = pick(rng, &ops)
                .and_then(|q| get_mut(&mut copy, &q).and_then(|m| m.get("operationId").cloned()))
                .unwrap_or(Value::Null);
            let v = match rng.u8(..4) {
                0 => other,
                1 => Value::String("".into()),
                2 => Value::String(weird_name(rng)),
                _ => Value::Number(7.into()),
            };
            let what = format!("{v:?}");
            if let Some(Value::Mapping(m)) = get_mut(doc, &p) {
                m.insert("operationId".into(), v);
            }
            format!("set operationId at {} to {what}", describe(&p))
        }
    }
}

/// A `$ref` from `from` to the whole of `to` (both relative to the spec folder).
fn relative(from: &Path, to: &Path) -> String {
    let depth = from.components().count().saturating_sub(1);
    format!("{}{}", "../".repeat(depth), to.display())
}

fn raw_mutation(rng: &mut fastrand::Rng, spec: &mut Spec, file: &Path) -> String {
    let Some(bytes) = spec.files.get_mut(file) else {
        return "no file".into();
    };
    let name = file.display();
    match rng.u8(..7) {
        0 => {
            let at = rng.usize(..=bytes.len());
            bytes.truncate(at);
            format!("{name}: truncate at byte {at}")
        }
        1 => {
            let at = rng.usize(..=bytes.len());
            let n = rng.usize(1..8);
            let junk: Vec<u8> = (0..n).map(|_| rng.u8(..)).collect();
            let what = format!("{junk:?}");
            bytes.splice(at..at, junk);
            format!("{name}: insert bytes {what} at {at}")
        }
        2 => {
            let at = rng.usize(..=bytes.len());
            bytes.splice(at..at, [0xff, 0xfe, 0xc3]);
            format!("{name}: insert invalid UTF-8 at {at}")
        }
        3 => {
            // Indent one line with a tab.
            let starts: Vec<usize> = std::iter::once(0)
                .chain(
                    bytes
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .filter(|&i| i < bytes.len())
                .collect();
            let at = starts
                .get(rng.usize(..starts.len().max(1)))
                .copied()
                .unwrap_or(0);
            bytes.insert(at, b'\t');
            format!("{name}: tab at the start of the line at byte {at}")
        }
        4 => {
            bytes.clear();
            format!("{name}: empty file")
        }
        5 => {
            let depth = rng.usize(100..5000);
            let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            *bytes = format!("openapi: 3.0.0\nx-deep: {text}\n").into_bytes();
            format!("{name}: replaced by a document nested {depth} deep")
        }
        _ => {
            // A key whose value repeats an anchor many times (a small "billion laughs").
            let text = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n";
            bytes.extend_from_slice(b"\n");
            bytes.extend_from_slice(text.as_bytes());
            format!("{name}: append aliases")
        }
    }
}

// ------------------------------------------------------------------------------------------------
// The property

fn write_spec(spec: &Spec, dir: &Path) {
    for (rel, bytes) in &spec.files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, bytes).unwrap();
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// Runs one generation, `Err` with the panic message if it panicked.
fn run(config: &GeneratorConfig, dir: &Path) -> Result<Result<codegen::Generated, Error>, String> {
    catch_unwind(AssertUnwindSafe(|| codegen::generate(config, dir))).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "<non-string panic>".into())
    })
}

/// How one case ended (`"ok"`, or the kind of error), or what is wrong with its outcome.
fn check_case(spec: &Spec, dir: &Path) -> Result<(&'static str, String), String> {
    let first = match run(&spec.config, dir) {
        Err(panic) => return Err(format!("panicked: {panic}")),
        Ok(result) => result,
    };
    match first {
        Ok(generated) => {
            let second = match run(&spec.config, dir) {
                Err(panic) => return Err(format!("second run panicked: {panic}")),
                Ok(Err(e)) => return Err(format!("first run Ok, second run Err: {e}")),
                Ok(Ok(g)) => g,
            };
            if generated.files != second.files {
                let differing: Vec<_> = generated
                    .files
                    .keys()
                    .chain(second.files.keys())
                    .filter(|k| generated.files.get(*k) != second.files.get(*k))
                    .collect();
                return Err(format!("two runs differ in {differing:?}"));
            }
            Ok(("ok", String::new()))
        }
        Err(e) => {
            let text = e.to_string();
            if text.trim().is_empty() {
                return Err(format!("empty error message: {e:?}"));
            }
            if let Error::Load(load) = &e {
                let file = load.origin.file.to_string_lossy();
                if file.is_empty() || !text.contains(file.as_ref()) {
                    return Err(format!("loader error names no file: {text}"));
                }
            }
            let kind = match e {
                Error::Load(_) => "loader error",
                Error::Spec { .. } => "spec error",
                Error::Emit { .. } => "emit error",
            };
            Ok((kind, text))
        }
    }
}

#[test]
fn generate_never_panics_on_mutated_specs() {
    let base_seed = env_u64("NO_PANIC_SEED").unwrap_or(DEFAULT_SEED);
    let cases = env_u64("NO_PANIC_CASES").unwrap_or(DEFAULT_CASES);
    let fixtures = fixtures();
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let journal = scratch.join("no_panic_current_case.txt");
    let tmp = tempfile::tempdir().unwrap();

    // The fixtures themselves generate.
    for spec in &fixtures {
        let dir = tmp.path().join(format!("clean-{}", spec.name));
        write_spec(spec, &dir);
        if let Err(problem) = check_case(spec, &dir) {
            panic!("unmutated fixture {}: {problem}", spec.name);
        }
    }

    let mut failures = Vec::new();
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut emit_errors = Vec::new();
    for case in 0..cases {
        let seed = base_seed.wrapping_add(case);
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut spec = fixtures[rng.usize(..fixtures.len())].clone();
        let mut applied = Vec::new();
        for _ in 0..rng.usize(1..=4) {
            applied.push(mutate(&mut rng, &mut spec));
        }
        let report = format!(
            "case {case} (seed {seed:#x}) on {}:\n  {}",
            spec.name,
            applied.join("\n  ")
        );
        let _ = fs::write(&journal, &report);
        let dir = tmp.path().join(format!("case-{case}"));
        write_spec(&spec, &dir);
        match check_case(&spec, &dir) {
            Err(problem) => failures.push(format!("{report}\n  => {problem}")),
            Ok((kind, message)) => {
                *outcomes.entry(kind).or_default() += 1;
                if kind == "emit error" {
                    emit_errors.push(format!("{report}\n  => {message}"));
                }
            }
        }
        let _ = fs::remove_dir_all(&dir);
    }
    eprintln!(
        "no_panic: {cases} cases from seed {base_seed:#x}: {outcomes:?}, {} failed",
        failures.len()
    );
    // The generator wrote code that does not parse: an error, not a panic, but a generator bug.
    for e in &emit_errors {
        eprintln!("{e}\n");
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed (replay one with NO_PANIC_SEED=<seed> NO_PANIC_CASES=1):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
