//! Cross-check of our loader against SailPoint's own bundle of the per-service API.
//!
//! SailPoint publishes the per-service API twice: as a multi-file root
//! (`idn/sailpoint-api.root.yaml`, whose paths `$ref` into `idn/apis/<service>/`), which the
//! client is generated from, and as one file bundled by their own tooling
//! (`idn/sailpoint-api.yaml`, components inlined). Both are loaded with our loader, and every
//! operation (matched by method and path template) is compared as schemas, structurally: its
//! parameters, request body and responses (with their headers), and its `operationId`, `tags`
//! and `deprecated` (the generator names, groups and marks operations with them).
//!
//! - What is compared is what the generator reads: the loader's output (openapiv3 types,
//!   serialized back to JSON).
//! - Every `$ref` is resolved and the trees compared, since component names differ between the
//!   two (ours are named from file names). Cycles are handled as a bisimulation: a pair of nodes
//!   (ours, theirs) reached through a `$ref` is compared once, and assumed equal while in progress.
//!   So a difference inside a shared schema is reported once, at the first place it is met
//!   (operations in document order), not again for every operation that uses the schema.
//! - Keys of maps (properties, content, responses, headers, ...) are compared as sets, so are
//!   `required` and `enum`; parameters by place and name, path-level ones merged into each
//!   operation as the generator merges them (an operation's own parameter wins, by name).
//! - Ignored, as they carry no structure: `description`, `example`, `examples`, `title`,
//!   `summary` and `x-` extensions (the generator reads none of them for types or requests; the
//!   doc extensions it shows are docs). Keeping them all finds no more differences today.
//! - Sibling keys next to a schema `$ref`: our loader turns `{$ref: X, k: v}` into
//!   `{allOf: [{$ref: X}], k: v}` (see `codegen::loader`), on both sides, so a `nullable`,
//!   `readOnly`, `type` or `default` kept next to a `$ref` on one side only is a difference. An
//!   `allOf` that, once the ignored keys are gone, is one member and nothing else (`allOf: [X]`,
//!   `allOf: [X, {}]`: a `$ref` with only a description beside it) is compared as that member, as
//!   the generator reads it.
//!
//! Each difference is either fixed in the loader or, when SailPoint's bundler dropped or altered
//! something of the multi-file source, listed with its reason in `spec/bundle-differences.toml`.
//! The test fails on an unlisted difference and on a listed one that no longer occurs.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use codegen::loader::{Bundle, load};
use serde_json::{Map, Value};

const SCHEMA_PREFIX: &str = "#/components/schemas/";
const OURS: &str = "idn/sailpoint-api.root.yaml";
const THEIRS: &str = "idn/sailpoint-api.yaml";
const LIST: &str = "spec/bundle-differences.toml";

/// Keys that carry no structure, wherever they are (except as names: a property `description`).
fn ignored(key: &str) -> bool {
    matches!(
        key,
        "description" | "example" | "examples" | "title" | "summary"
    ) || key.starts_with("x-")
}

// ------------------------------------------------------------------------------------------------
// Normalisation: the trees as the generator reads them, ignored keys dropped, sets sorted.

fn sorted(v: &Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut items = items.clone();
            items.sort_by_key(|item| item.to_string());
            Value::Array(items)
        }
        other => other.clone(),
    }
}

fn schema_ref(target: &str) -> Value {
    Value::Object(Map::from_iter([(
        "$ref".to_string(),
        Value::String(target.to_string()),
    )]))
}

fn norm_schema(v: &Value) -> Value {
    let Value::Object(obj) = v else {
        return v.clone();
    };
    if let Some(Value::String(target)) = obj.get("$ref") {
        return schema_ref(target);
    }
    let mut out = Map::new();
    for (k, val) in obj {
        if ignored(k) {
            continue;
        }
        let nv = match (k.as_str(), val) {
            ("properties", Value::Object(props)) => Value::Object(
                props
                    .iter()
                    .map(|(name, s)| (name.clone(), norm_schema(s)))
                    .collect(),
            ),
            ("items" | "not" | "additionalProperties", _) => norm_schema(val),
            ("allOf", Value::Array(members)) => {
                // `{}` (a member that only described) adds nothing to an `allOf`.
                let members: Vec<Value> = members
                    .iter()
                    .map(norm_schema)
                    .filter(|m| m.as_object().is_none_or(|m| !m.is_empty()))
                    .collect();
                if members.is_empty() {
                    continue;
                }
                Value::Array(members)
            }
            ("oneOf" | "anyOf", Value::Array(members)) => {
                Value::Array(members.iter().map(norm_schema).collect())
            }
            ("required" | "enum", _) => sorted(val),
            ("discriminator", Value::Object(d)) => {
                // Mapping targets are schema refs: compared as the schemas they name.
                let mut d = d.clone();
                if let Some(Value::Object(mapping)) = d.get_mut("mapping") {
                    for target in mapping.values_mut() {
                        if let Some(t) = target.as_str().filter(|t| t.starts_with(SCHEMA_PREFIX)) {
                            *target = schema_ref(t);
                        }
                    }
                }
                Value::Object(d)
            }
            _ => val.clone(),
        };
        out.insert(k.clone(), nv);
    }
    if out.len() == 1
        && let Some(Value::Array(members)) = out.get("allOf")
        && let [member] = members.as_slice()
    {
        return member.clone();
    }
    Value::Object(out)
}

fn norm_with(v: &Value, field: impl Fn(&str, &Value) -> Value) -> Value {
    let Value::Object(obj) = v else {
        return v.clone();
    };
    Value::Object(
        obj.iter()
            .filter(|(k, _)| !ignored(k))
            .map(|(k, val)| (k.clone(), field(k, val)))
            .collect(),
    )
}

/// A map whose keys are names (media types, status codes, header names).
fn norm_map(v: &Value, entry: impl Fn(&Value) -> Value) -> Value {
    match v {
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .filter(|(k, _)| !k.starts_with("x-"))
                .map(|(k, e)| (k.clone(), entry(e)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A parameter or a header.
fn norm_parameter(v: &Value) -> Value {
    norm_with(v, |k, val| match k {
        "schema" => norm_schema(val),
        "content" => norm_map(val, norm_media_type),
        _ => val.clone(),
    })
}

fn norm_media_type(v: &Value) -> Value {
    norm_with(v, |k, val| match k {
        "schema" => norm_schema(val),
        "encoding" => norm_map(val, |e| {
            norm_with(e, |k, val| match k {
                "headers" => norm_map(val, norm_parameter),
                _ => val.clone(),
            })
        }),
        _ => val.clone(),
    })
}

/// A request body or a response.
fn norm_body(v: &Value) -> Value {
    norm_with(v, |k, val| match k {
        "content" => norm_map(val, norm_media_type),
        "headers" => norm_map(val, norm_parameter),
        _ => val.clone(),
    })
}

/// The parts of an operation that are compared; parameters keyed `<in>:<name>`.
fn norm_operation(path_parameters: &[Value], op: &Value) -> Value {
    let own: Vec<&Value> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|list| list.iter().collect())
        .unwrap_or_default();
    let name = |p: &Value| p.get("name").and_then(Value::as_str).map(str::to_string);
    let inherited = path_parameters
        .iter()
        .filter(|p| !own.iter().any(|o| name(o) == name(p)));
    let mut parameters = Map::new();
    for p in inherited.chain(own.iter().copied()) {
        let key = format!(
            "{}:{}",
            p.get("in").and_then(Value::as_str).unwrap_or("?"),
            name(p).unwrap_or_default()
        );
        parameters.insert(key, norm_parameter(p));
    }
    let mut out = Map::new();
    out.insert("parameters".into(), Value::Object(parameters));
    for key in ["operationId", "tags", "deprecated"] {
        if let Some(v) = op.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(body) = op.get("requestBody") {
        out.insert("requestBody".into(), norm_body(body));
    }
    if let Some(responses) = op.get("responses") {
        out.insert("responses".into(), norm_map(responses, norm_body));
    }
    Value::Object(out)
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One bundle, normalised: its operations by (METHOD, path template), and its schemas by name.
struct Side {
    operations: BTreeMap<(String, String), Value>,
    /// The operations in document order.
    order: Vec<(String, String)>,
    schemas: HashMap<String, Value>,
}

impl Side {
    fn new(bundle: &Bundle) -> Side {
        let mut operations = BTreeMap::new();
        let mut order = Vec::new();
        for path in &bundle.paths {
            let item = serde_json::to_value(&path.item).expect("a path item serializes");
            let path_parameters: Vec<Value> = item
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    let key = (method.to_uppercase(), path.template.clone());
                    order.push(key.clone());
                    operations.insert(key, norm_operation(&path_parameters, op));
                }
            }
        }
        let schemas = bundle
            .schemas
            .iter()
            .map(|(name, s)| {
                let v = serde_json::to_value(&s.schema).expect("a schema serializes");
                (name.clone(), norm_schema(&v))
            })
            .collect();
        Side {
            operations,
            order,
            schemas,
        }
    }

    /// The schema a node stands for, `$ref`s followed; `None` for a `$ref` that names nothing.
    fn deref<'v>(&'v self, mut v: &'v Value) -> (Option<&'v Value>, bool) {
        let mut through_ref = false;
        for _ in 0..64 {
            let Some(reference) = v.get("$ref").and_then(Value::as_str) else {
                return (Some(v), through_ref);
            };
            through_ref = true;
            let Some(target) = reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|name| self.schemas.get(name))
            else {
                return (None, true);
            };
            v = target;
        }
        (None, true)
    }

    /// Component names by the address of their (normalised) schema.
    fn names_by_address(&self) -> HashMap<usize, &str> {
        self.schemas
            .iter()
            .map(|(name, v)| (v as *const Value as usize, name.as_str()))
            .collect()
    }
}

// ------------------------------------------------------------------------------------------------
// Comparison

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    operation: String,
    method: String,
    path: String,
    /// JSON pointer inside the compared operation (`/responses/200/content/application~1json/...`).
    at: String,
    ours: String,
    theirs: String,
}

impl Difference {
    fn key(&self) -> Listed {
        Listed {
            operation: self.operation.clone(),
            at: self.at.clone(),
        }
    }
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} ({}) at {}: ours {} | theirs {}",
            self.method, self.path, self.operation, self.at, self.ours, self.theirs
        )
    }
}

fn shorten(v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "(absent)".into();
    };
    let text = v.to_string();
    if text.chars().count() <= 100 {
        return text;
    }
    let cut: String = text.chars().take(97).collect();
    format!("{cut}...")
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn same_number(a: &Value, b: &Value) -> bool {
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

struct Comparer<'a> {
    ours: &'a Side,
    theirs: &'a Side,
    /// Pairs of nodes (by address) reached through a `$ref` (or with keys left out, see
    /// [`Comparer::compare_skipping`]): compared, or being compared.
    seen: HashSet<(usize, usize, String)>,
    differences: Vec<Difference>,
    /// The operation being compared: (operationId, METHOD, path template).
    current: (String, String, String),
    /// How many pairs of nodes were compared.
    nodes: usize,
}

impl<'a> Comparer<'a> {
    fn report(&mut self, at: &str, ours: Option<&Value>, theirs: Option<&Value>) {
        let (operation, method, path) = self.current.clone();
        self.differences.push(Difference {
            operation,
            method,
            path,
            at: at.to_string(),
            ours: shorten(ours),
            theirs: shorten(theirs),
        });
    }

    fn compare(&mut self, a: &'a Value, b: &'a Value, at: &str) {
        self.compare_skipping(a, b, at, &[], &[]);
    }

    /// Compare `a` (ours) with `b` (theirs), leaving out the top-level keys `skip_a` of `a` and
    /// `skip_b` of `b` (annotations already compared against the other side's wrapper).
    fn compare_skipping(
        &mut self,
        a: &'a Value,
        b: &'a Value,
        at: &str,
        skip_a: &[&'a str],
        skip_b: &[&'a str],
    ) {
        let ((Some(ra), via_a), (Some(rb), via_b)) = (self.ours.deref(a), self.theirs.deref(b))
        else {
            self.report(at, Some(a), Some(b));
            return;
        };
        if via_a || via_b || !skip_a.is_empty() || !skip_b.is_empty() {
            let key = (
                ra as *const Value as usize,
                rb as *const Value as usize,
                format!("{skip_a:?}{skip_b:?}"),
            );
            if !self.seen.insert(key) {
                return;
            }
        }
        self.nodes += 1;
        // One side annotates a member (`allOf: [X]` and `nullable: true` beside it, which is how
        // the loader writes a `$ref` with sibling keys), the other does not wrap: the annotations
        // are compared with the other side's keys, then the member with the rest of it.
        match (wrapper(ra, skip_a), wrapper(rb, skip_b)) {
            (Some((member, keys)), None) => {
                for &k in &keys {
                    let here = format!("{at}/{}", escape(k));
                    match rb.get(k).filter(|_| !skip_b.contains(&k)) {
                        Some(vb) => self.compare(&ra[k], vb, &here),
                        None => self.report(&here, ra.get(k), None),
                    }
                }
                let skip_b: Vec<&str> = skip_b.iter().copied().chain(keys).collect();
                return self.compare_skipping(member, rb, at, &[], &skip_b);
            }
            (None, Some((member, keys))) => {
                for &k in &keys {
                    let here = format!("{at}/{}", escape(k));
                    match ra.get(k).filter(|_| !skip_a.contains(&k)) {
                        Some(va) => self.compare(va, &rb[k], &here),
                        None => self.report(&here, None, rb.get(k)),
                    }
                }
                let skip_a: Vec<&str> = skip_a.iter().copied().chain(keys).collect();
                return self.compare_skipping(ra, member, at, &skip_a, &[]);
            }
            _ => {}
        }
        match (ra, rb) {
            (Value::Object(ma), Value::Object(mb)) => {
                let keys: BTreeSet<&'a String> = ma
                    .keys()
                    .filter(|k| !skip_a.contains(&k.as_str()))
                    .chain(mb.keys().filter(|k| !skip_b.contains(&k.as_str())))
                    .collect();
                for k in keys {
                    let here = format!("{at}/{}", escape(k));
                    let va = ma.get(k).filter(|_| !skip_a.contains(&k.as_str()));
                    let vb = mb.get(k).filter(|_| !skip_b.contains(&k.as_str()));
                    match (va, vb) {
                        (Some(va), Some(vb)) => self.compare(va, vb, &here),
                        (va, vb) => self.report(&here, va, vb),
                    }
                }
            }
            (Value::Array(la), Value::Array(lb)) if la.len() == lb.len() => {
                for (i, (va, vb)) in la.iter().zip(lb).enumerate() {
                    self.compare(va, vb, &format!("{at}/{i}"));
                }
            }
            (Value::Number(_), Value::Number(_)) if same_number(ra, rb) => {}
            _ if ra == rb => {}
            _ => self.report(at, Some(ra), Some(rb)),
        }
    }
}

/// Keys that give a schema its shape; anything else beside an `allOf` member annotates it.
const SHAPE: [&str; 9] = [
    "properties",
    "required",
    "items",
    "additionalProperties",
    "oneOf",
    "anyOf",
    "not",
    "enum",
    "discriminator",
];

/// `{allOf: [X], nullable: true, ...}`, annotations only beside the one member (keys in `skip`
/// left out): the member and the annotation keys.
fn wrapper<'v>(v: &'v Value, skip: &[&str]) -> Option<(&'v Value, Vec<&'v str>)> {
    let obj = v.as_object()?;
    let [member] = obj.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let keys: Vec<&str> = obj
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "allOf" && !skip.contains(k))
        .collect();
    if keys.iter().any(|k| SHAPE.contains(k)) || skip.contains(&"allOf") {
        return None;
    }
    Some((member, keys))
}

/// What comparing two bundles found.
struct Outcome {
    /// Operations found in both.
    compared: usize,
    /// `METHOD path` of operations found in one bundle only, and which.
    unmatched: Vec<String>,
    differences: Vec<Difference>,
    nodes: usize,
    /// For each of our components, the components of theirs it was compared with (`None`: an
    /// inline schema of theirs).
    pairs: BTreeMap<String, BTreeSet<Option<String>>>,
    /// For each of their components, ours (`None`: an inline schema of ours).
    pairs_back: BTreeMap<String, BTreeSet<Option<String>>>,
}

fn cross_check(ours: &Bundle, theirs: &Bundle) -> Outcome {
    let (ours, theirs) = (Side::new(ours), Side::new(theirs));
    let mut comparer = Comparer {
        ours: &ours,
        theirs: &theirs,
        seen: HashSet::new(),
        differences: Vec::new(),
        current: Default::default(),
        nodes: 0,
    };
    let mut unmatched = Vec::new();
    let mut compared = 0;
    for key in &ours.order {
        let (method, path) = key;
        let a = &ours.operations[key];
        let Some(b) = theirs.operations.get(key) else {
            unmatched.push(format!("{method} {path} (ours only)"));
            continue;
        };
        let id = a.get("operationId").and_then(Value::as_str);
        comparer.current = (
            id.unwrap_or("(no operationId)").to_string(),
            method.clone(),
            path.clone(),
        );
        comparer.compare(a, b, "");
        compared += 1;
    }
    for key in &theirs.order {
        if !ours.operations.contains_key(key) {
            unmatched.push(format!("{} {} (theirs only)", key.0, key.1));
        }
    }

    let (ours_names, theirs_names) = (ours.names_by_address(), theirs.names_by_address());
    let mut pairs: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    let mut pairs_back: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    for (a, b, _) in &comparer.seen {
        let (on, tn) = (ours_names.get(a), theirs_names.get(b));
        if let Some(on) = on {
            let partner = tn.map(|n| n.to_string());
            pairs.entry(on.to_string()).or_default().insert(partner);
        }
        if let Some(tn) = tn {
            let partner = on.map(|n| n.to_string());
            pairs_back
                .entry(tn.to_string())
                .or_default()
                .insert(partner);
        }
    }
    Outcome {
        compared,
        unmatched,
        differences: comparer.differences,
        nodes: comparer.nodes,
        pairs,
        pairs_back,
    }
}

// ------------------------------------------------------------------------------------------------
// The list of SailPoint's bundle flaws

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Listed {
    operation: String,
    at: String,
}

/// The `[[difference]]` entries of the list. It is read strictly as the subset of TOML it is
/// written in (comments, `[[difference]]` headers, `key = "one-line string"`), so that
/// isc-codegen needs no TOML parser: anything else is an error naming the line.
fn read_list(text: &str) -> Result<Vec<Listed>, String> {
    type Entry = (usize, Option<String>, Option<String>, Option<String>);
    fn finish(entry: Entry) -> Result<Listed, String> {
        let (line, operation, at, reason) = entry;
        let missing = |key| format!("line {line}: a [[difference]] without `{key}`");
        let operation = operation.ok_or_else(|| missing("operation"))?;
        let at = at.ok_or_else(|| missing("at"))?;
        reason
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| missing("reason"))?;
        Ok(Listed { operation, at })
    }
    let mut out = Vec::new();
    let mut current: Option<Entry> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "[[difference]]" {
            if let Some(entry) = current.take() {
                out.push(finish(entry)?);
            }
            current = Some((n, None, None, None));
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("line {n}: expected `key = \"value\"`"));
        };
        let Some(entry) = current.as_mut() else {
            return Err(format!("line {n}: outside a [[difference]]"));
        };
        let value: String = serde_json::from_str(value.trim())
            .map_err(|e| format!("line {n}: not a one-line \"string\": {e}"))?;
        let slot = match key.trim() {
            "operation" => &mut entry.1,
            "at" => &mut entry.2,
            "reason" => &mut entry.3,
            other => return Err(format!("line {n}: unknown key `{other}`")),
        };
        if slot.replace(value).is_some() {
            return Err(format!("line {n}: `{}` given twice", key.trim()));
        }
    }
    if let Some(entry) = current.take() {
        out.push(finish(entry)?);
    }
    Ok(out)
}

/// The differences not listed, and the listed ones not found.
fn judge<'d>(
    differences: &'d [Difference],
    listed: &[Listed],
) -> (Vec<&'d Difference>, Vec<Listed>) {
    let listed: BTreeSet<&Listed> = listed.iter().collect();
    let found: BTreeSet<Listed> = differences.iter().map(Difference::key).collect();
    let unlisted = differences
        .iter()
        .filter(|d| !listed.contains(&d.key()))
        .collect();
    let stale = listed
        .into_iter()
        .filter(|l| !found.contains(*l))
        .cloned()
        .collect();
    (unlisted, stale)
}

// ------------------------------------------------------------------------------------------------
// The real specs

fn load_root(dir: &Path, root: &str) -> Bundle {
    load(dir, &PathBuf::from(root)).unwrap_or_else(|e| panic!("{root}: {e}"))
}

/// How our components map onto theirs, for the model counts: printed, not asserted.
fn print_pairing(dir: &Path, ours: &Bundle, theirs: &Bundle, outcome: &Outcome) {
    let one_to_one = outcome
        .pairs_back
        .values()
        .filter(|ours| ours.len() == 1)
        .count();
    let mut several = 0;
    let mut stand_in_for = 0;
    let mut identical_files = 0;
    for partners in outcome.pairs_back.values().filter(|p| p.len() > 1) {
        several += 1;
        stand_in_for += partners.len();
        let texts: Vec<Option<Vec<u8>>> = partners
            .iter()
            .map(|name| {
                let origin = &ours.schemas.get(name.as_deref()?)?.origin;
                let whole_file = origin.pointer.is_empty();
                whole_file
                    .then(|| std::fs::read(dir.join(&origin.file)).ok())
                    .flatten()
            })
            .collect();
        if texts.iter().all(|t| t.is_some() && *t == texts[0]) {
            identical_files += 1;
        }
    }
    let inline_theirs = outcome.pairs.values().filter(|p| p.contains(&None)).count();
    let inline_ours = outcome
        .pairs_back
        .values()
        .filter(|p| p.contains(&None))
        .count();
    println!(
        "schemas: {} of ours and {} of theirs reached (of {} and {}); {one_to_one} of theirs pair \
         with one of ours, {several} stand for {stand_in_for} of ours ({identical_files} of these \
         groups are byte-identical files); {inline_theirs} of ours met an inline schema of theirs, \
         {inline_ours} of theirs an inline schema of ours",
        outcome.pairs.len(),
        outcome.pairs_back.len(),
        ours.schemas.len(),
        theirs.schemas.len(),
    );
}

#[test]
fn our_bundle_matches_sailpoints_bundle() {
    let Some(dir) = support::real_spec_dir() else {
        return;
    };
    let start = Instant::now();
    let ours = load_root(&dir, OURS);
    let theirs = load_root(&dir, THEIRS);
    let outcome = cross_check(&ours, &theirs);

    let list_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(LIST);
    let text = std::fs::read_to_string(&list_path)
        .unwrap_or_else(|e| panic!("{}: {e}", list_path.display()));
    let listed = read_list(&text).unwrap_or_else(|e| panic!("{LIST}: {e}"));
    let (unlisted, stale) = judge(&outcome.differences, &listed);

    for d in &outcome.differences {
        let mark = if unlisted.contains(&d) {
            "NOT LISTED"
        } else {
            "listed"
        };
        println!("{d} [{mark}]");
    }
    print_pairing(&dir, &ours, &theirs, &outcome);
    println!(
        "bundle cross-check: {} operations compared, {} differences ({} listed in {LIST}); {} \
         pairs of nodes compared, in {:.1?}",
        outcome.compared,
        outcome.differences.len(),
        outcome.differences.len() - unlisted.len(),
        outcome.nodes,
        start.elapsed()
    );

    let mut failures = String::new();
    for u in &outcome.unmatched {
        let _ = writeln!(failures, "operation in one bundle only: {u}");
    }
    for d in &unlisted {
        let _ = writeln!(failures, "difference not listed in {LIST}: {d}");
    }
    for s in &stale {
        let _ = writeln!(
            failures,
            "listed in {LIST} but no longer found: {} at {}",
            s.operation, s.at
        );
    }
    assert!(failures.is_empty(), "{failures}");
}

// ------------------------------------------------------------------------------------------------
// The comparison itself, on small documents written both ways

const MULTI_ROOT: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /nodes/{id}:
    $ref: ./paths/node.yaml
  /nodes:
    $ref: ./paths/nodes.yaml
";

const MULTI_NODE_PATH: &str = "parameters:
  - $ref: ../parameters.yaml#/id
get:
  operationId: getNode
  tags: [Nodes]
  responses:
    '200':
      description: the node
      headers:
        X-Total-Count: {schema: {type: integer}}
      content:
        application/json:
          schema: {$ref: ../schemas/Node.yaml, description: what is asked for}
";

const MULTI_NODES_PATH: &str = "post:
  operationId: createNode
  tags: [Nodes]
  requestBody:
    required: true
    content:
      application/json:
        schema: {$ref: ../schemas/Node.yaml}
  responses:
    '201': {description: created}
";

const MULTI_PARAMETERS: &str = "id: {name: id, in: path, required: true, schema: {type: string}}
";

const MULTI_NODE: &str = "type: object
title: A node
required: [name, kind]
properties:
  name: {type: string, description: its name}
  kind: {$ref: ./Kind.yaml}
  parent: {$ref: ./Node.yaml, nullable: true}
  children:
    type: array
    items: {$ref: ./Node.yaml, description: a child}
";

const MULTI_KIND: &str = "type: string
enum: [leaf, branch]
";

/// The same API as one file, as SailPoint's bundler writes it: other component names, the
/// parameter in `components/parameters`, descriptions elsewhere, sets in another order.
fn one_file(parent: &str, kinds: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /nodes/{{id}}:
    parameters:
      - $ref: '#/components/parameters/id'
    get:
      operationId: getNode
      tags: [Nodes]
      responses:
        '200':
          description: the node (bundled)
          headers:
            X-Total-Count: {{description: total, schema: {{type: integer}}}}
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/node'}}
  /nodes:
    post:
      operationId: createNode
      tags: [Nodes]
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/node'}}
      responses:
        '201': {{description: created}}
components:
  parameters:
    id: {{name: id, in: path, required: true, schema: {{type: string}}}}
  schemas:
    node:
      type: object
      required: [kind, name]
      properties:
        name: {{type: string}}
        kind: {{$ref: '#/components/schemas/kind'}}
        parent: {parent}
        children:
          type: array
          items: {{$ref: '#/components/schemas/node'}}
    kind: {{type: string, enum: {kinds}}}
"
    )
}

fn fixture(one_file_text: &str) -> (Bundle, Bundle) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let files = [
        ("root.yaml", MULTI_ROOT),
        ("paths/node.yaml", MULTI_NODE_PATH),
        ("paths/nodes.yaml", MULTI_NODES_PATH),
        ("parameters.yaml", MULTI_PARAMETERS),
        ("schemas/Node.yaml", MULTI_NODE),
        ("schemas/Kind.yaml", MULTI_KIND),
        ("bundled.yaml", one_file_text),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a fixture file");
    }
    (
        load_root(dir.path(), "root.yaml"),
        load_root(dir.path(), "bundled.yaml"),
    )
}

/// `parent` as their bundler might write it: the `$ref` with its sibling keys, or the schema it
/// names copied in (one level of the recursion unrolled), `nullable` merged into it.
const SAME_PARENTS: [&str; 2] = [
    "{$ref: '#/components/schemas/node', nullable: true, description: up}",
    "{type: object, nullable: true, required: [name, kind], properties: {
          name: {type: string}, kind: {$ref: '#/components/schemas/kind'},
          parent: {$ref: '#/components/schemas/node', nullable: true},
          children: {type: array, items: {$ref: '#/components/schemas/node'}}}}",
];

#[test]
fn renamed_recursive_schemas_written_both_ways_are_equal() {
    // With the copy, our `Node` is also compared with their inline schema.
    let partners: [&[Option<&str>]; 2] = [&[Some("node")], &[None, Some("node")]];
    for (parent, node_partners) in SAME_PARENTS.into_iter().zip(partners) {
        let (ours, theirs) = fixture(&one_file(parent, "[branch, leaf]"));
        equal(&ours, &theirs, node_partners);
    }
}

fn equal(ours: &Bundle, theirs: &Bundle, node_partners: &[Option<&str>]) {
    let outcome = cross_check(ours, theirs);
    assert_eq!(outcome.compared, 2);
    assert!(outcome.unmatched.is_empty(), "{:?}", outcome.unmatched);
    let differences: Vec<String> = outcome.differences.iter().map(|d| d.to_string()).collect();
    assert!(differences.is_empty(), "{differences:#?}");
    let pairs: Vec<(&str, Vec<Option<&str>>)> = outcome
        .pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.iter().map(|n| n.as_deref()).collect()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Kind", vec![Some("kind")]),
            ("Node", node_partners.to_vec())
        ]
    );
}

#[test]
fn a_difference_is_reported_once_where_first_met() {
    // Their bundler dropped `nullable` next to the `$ref`, and an enum value.
    let (ours, theirs) = fixture(&one_file("{$ref: '#/components/schemas/node'}", "[leaf]"));
    let outcome = cross_check(&ours, &theirs);
    let differences: Vec<String> = outcome.differences.iter().map(|d| d.to_string()).collect();
    let at = "/responses/200/content/application~1json/schema";
    assert_eq!(
        differences,
        [
            format!(
                "GET /nodes/{{id}} (getNode) at {at}/properties/kind/enum: ours [\"branch\",\"leaf\"] | theirs [\"leaf\"]"
            ),
            format!(
                "GET /nodes/{{id}} (getNode) at {at}/properties/parent/nullable: ours true | theirs (absent)"
            ),
        ],
        "createNode meets the same schemas again: nothing more to report"
    );
}

#[test]
fn the_list_is_strict_and_cannot_go_stale() {
    let text = "# comment\n\n[[difference]]\noperation = \"getNode\"\nat = \"/a\"\nreason = \"the source says `x`\"\n\n[[difference]]\noperation = \"createNode\"\nat = \"/b\"\nreason = \"\\\"quoted\\\"\"\n";
    let listed = read_list(text).expect("a valid list");
    assert_eq!(
        listed,
        [
            Listed {
                operation: "getNode".into(),
                at: "/a".into()
            },
            Listed {
                operation: "createNode".into(),
                at: "/b".into()
            }
        ]
    );
    assert!(
        read_list("[[difference]]\noperation = \"x\"\nat = \"/a\"\n")
            .unwrap_err()
            .contains("reason")
    );
    assert!(
        read_list("operation = \"x\"\n")
            .unwrap_err()
            .contains("line 1")
    );
    assert!(
        read_list("[[difference]]\nat = '/a'\n")
            .unwrap_err()
            .contains("line 2")
    );

    let found = |operation: &str, at: &str| Difference {
        operation: operation.into(),
        method: "GET".into(),
        path: "/x".into(),
        at: at.into(),
        ours: "1".into(),
        theirs: "2".into(),
    };
    let differences = [found("getNode", "/a"), found("getNode", "/c")];
    let (unlisted, stale) = judge(&differences, &listed);
    assert_eq!(unlisted, [&differences[1]]);
    assert_eq!(stale, [listed[1].clone()]);
}
