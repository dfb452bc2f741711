//! The traversal: reads files, inlines non-schema refs, names and collects schemas.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::checks::{self, Kind};
use super::pointer::{self, child};
use super::{Bundle, BundledPath, BundledSchema, LoadError, LoadErrorKind, Origin};
use crate::config::RepairConfig;
use crate::diagnostics::Diagnostic;

type FileId = usize;

/// A location: a file (by id) and a canonical JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Loc {
    file: FileId,
    ptr: String,
}

/// A named schema component while the bundle is being built.
enum Slot {
    /// Reserved (root component whose target is not resolved yet).
    Pending,
    /// The schema at `at`, processed into `value` once its turn in the queue has come.
    Schema { at: Loc, value: Option<Value> },
    /// A root component that points at the same place as an earlier one.
    Alias { of: String, at: Loc },
}

pub(super) struct Loader<'a> {
    spec_dir: &'a Path,
    paths: Vec<PathBuf>,
    ids: HashMap<PathBuf, FileId>,
    docs: Vec<Rc<Value>>,
    names: HashMap<Loc, String>,
    used: HashSet<String>,
    /// The file each name given by [`Self::fresh_name`] was given for: a schema of the same
    /// name elsewhere is told apart by the folder where the two paths part.
    holders: HashMap<String, PathBuf>,
    schemas: IndexMap<String, Slot>,
    queue: VecDeque<String>,
    inline_stack: Vec<Loc>,
    inline_cache: HashMap<(Kind, Loc), Value>,
    /// Set while re-walking a path item that openapiv3 rejected, to find the node at fault.
    validating: bool,
    /// How many schemas [`Self::schema`] is inside of (see [`MAX_SCHEMA_DEPTH`]).
    schema_depth: usize,
    diagnostics: Vec<Diagnostic>,
    /// Which spec repairs to make (see [`RepairConfig`]).
    repair: RepairConfig,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How deeply schemas may nest inside one another (through `properties`, `items`, `allOf`, ...)
/// within one schema component. Real specs stay below 10. The limit keeps every recursive walk of
/// a schema (here, in openapiv3's deserializer and in the type model) far from the end of the
/// stack.
pub(super) const MAX_SCHEMA_DEPTH: usize = 64;

fn bare_ref(v: &Value) -> Option<&str> {
    match v {
        Value::Object(m) if m.len() == 1 => m.get("$ref").and_then(Value::as_str),
        _ => None,
    }
}

fn ref_value(name: &str) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(
        "$ref".into(),
        Value::String(format!("{SCHEMA_PREFIX}{name}")),
    );
    Value::Object(m)
}

impl<'a> Loader<'a> {
    pub(super) fn new(spec_dir: &'a Path, repair: RepairConfig) -> Self {
        Loader {
            spec_dir,
            paths: Vec::new(),
            ids: HashMap::new(),
            docs: Vec::new(),
            names: HashMap::new(),
            used: HashSet::new(),
            holders: HashMap::new(),
            schemas: IndexMap::new(),
            queue: VecDeque::new(),
            inline_stack: Vec::new(),
            inline_cache: HashMap::new(),
            validating: false,
            schema_depth: 0,
            diagnostics: Vec::new(),
            repair,
        }
    }

    fn origin(&self, loc: &Loc) -> Origin {
        Origin {
            file: self.paths.get(loc.file).cloned().unwrap_or_default(),
            pointer: loc.ptr.clone(),
        }
    }

    fn err(&self, loc: &Loc, kind: LoadErrorKind) -> LoadError {
        LoadError {
            origin: self.origin(loc),
            kind,
        }
    }

    fn diag(&mut self, file: FileId, ptr: &str, message: String) {
        let location = format!(
            "{}#{ptr}",
            self.paths
                .get(file)
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
        self.diagnostics.push(Diagnostic { location, message });
    }

    fn doc(&self, file: FileId) -> Rc<Value> {
        self.docs
            .get(file)
            .cloned()
            .unwrap_or_else(|| Rc::new(Value::Null))
    }

    /// Read and parse a file (once). `referrer` is the `$ref` site and text that led here.
    fn file(&mut self, rel: PathBuf, referrer: Option<(&Loc, &str)>) -> Result<FileId, LoadError> {
        if let Some(&id) = self.ids.get(&rel) {
            return Ok(id);
        }
        let from = referrer
            .map(|(site, _)| format!(" (referenced from {})", self.origin(site)))
            .unwrap_or_default();
        let at = Origin {
            file: rel.clone(),
            pointer: String::new(),
        };
        let text = match (std::fs::read_to_string(self.spec_dir.join(&rel)), referrer) {
            (Ok(text), _) => text,
            (Err(e), Some((site, reference))) if e.kind() == io::ErrorKind::NotFound => {
                return Err(self.err(
                    site,
                    LoadErrorKind::DanglingRef {
                        reference: reference.to_string(),
                        reason: format!("file `{}` does not exist", rel.display()),
                    },
                ));
            }
            (Err(e), _) => {
                let message = format!("{}: {e}{from}", self.spec_dir.join(&rel).display());
                return Err(LoadError {
                    origin: at,
                    kind: LoadErrorKind::Io(io::Error::new(e.kind(), message)),
                });
            }
        };
        let doc = super::yaml::parse(&text).map_err(|message| LoadError {
            origin: at,
            kind: LoadErrorKind::Yaml(format!("{message}{from}")),
        })?;
        let id = self.docs.len();
        self.docs.push(Rc::new(doc));
        self.paths.push(rel.clone());
        self.ids.insert(rel, id);
        Ok(id)
    }

    /// Resolve a `$ref` found at `site` to a location that exists.
    fn resolve(&mut self, reference: &str, site: &Loc) -> Result<Loc, LoadError> {
        let dangling = |this: &Self, reason: String| {
            this.err(
                site,
                LoadErrorKind::DanglingRef {
                    reference: reference.to_string(),
                    reason,
                },
            )
        };
        if reference.contains("://") || reference.starts_with("//") {
            return Err(dangling(self, "remote references are not supported".into()));
        }
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let ptr = pointer::canonical_fragment(fragment).map_err(|r| dangling(self, r))?;
        let file = if file_part.is_empty() {
            site.file
        } else {
            let decoded = pointer::percent_decode(file_part).map_err(|r| dangling(self, r))?;
            let dir = self
                .paths
                .get(site.file)
                .and_then(|p| p.parent())
                .unwrap_or(Path::new(""))
                .to_path_buf();
            let rel = pointer::normalize(&dir, &decoded).ok_or_else(|| {
                dangling(self, format!("`{decoded}` is not inside the spec folder"))
            })?;
            self.file(rel, Some((site, reference)))?
        };
        let doc = self.doc(file);
        if let Err(reason) = pointer::resolve(&doc, &ptr) {
            let name = self
                .paths
                .get(file)
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            return Err(dangling(self, format!("{name}#{ptr}: {reason}")));
        }
        Ok(Loc { file, ptr })
    }

    /// The value at a location that [`Self::resolve`] returned (or the root).
    fn with_value<T>(
        &mut self,
        loc: &Loc,
        f: impl FnOnce(&mut Self, &Value) -> Result<T, LoadError>,
    ) -> Result<T, LoadError> {
        let doc = self.doc(loc.file);
        match pointer::resolve(&doc, &loc.ptr) {
            Ok(v) => f(self, v),
            Err(reason) => Err(self.err(
                loc,
                LoadErrorKind::DanglingRef {
                    reference: format!("#{}", loc.ptr),
                    reason,
                },
            )),
        }
    }

    // ----------------------------------------------------------------------------------------
    // Driver

    pub(super) fn run(mut self, root: PathBuf) -> Result<Bundle, LoadError> {
        let root_id = self.file(root.clone(), None)?;
        let doc = self.doc(root_id);
        let top = Loc {
            file: root_id,
            ptr: String::new(),
        };
        let Some(obj) = doc.as_object() else {
            return Err(self.err(
                &top,
                LoadErrorKind::Invalid {
                    what: "document",
                    message: "not a mapping".into(),
                },
            ));
        };
        if let Some(v) = obj
            .get("openapi")
            .and_then(Value::as_str)
            .filter(|v| !v.starts_with("3.0"))
        {
            self.diag(
                root_id,
                "/openapi",
                format!("OpenAPI version `{v}` is not 3.0.x; read as 3.0"),
            );
        }

        self.root_components(root_id, obj)?;
        self.drain()?;

        let mut paths = Vec::new();
        if let Some(map) = obj.get("paths") {
            let Some(map) = map.as_object() else {
                let at = Loc {
                    file: root_id,
                    ptr: "/paths".into(),
                };
                return Err(self.err(
                    &at,
                    LoadErrorKind::Invalid {
                        what: "paths",
                        message: "not a mapping".into(),
                    },
                ));
            };
            for (template, raw) in map {
                if template.starts_with("x-") {
                    continue;
                }
                paths.push(self.path_item(root_id, "/paths", template, raw)?);
            }
        }
        // Event triggers: path items keyed by trigger name instead of a path template.
        let mut webhooks = Vec::new();
        if let Some(map) = obj.get("x-webhooks").and_then(Value::as_object) {
            for (name, raw) in map {
                webhooks.push(self.path_item(root_id, "/x-webhooks", name, raw)?);
            }
        }
        self.drain()?;

        let info = self
            .part(obj, root_id, "info", "info")?
            .unwrap_or(Value::Null);
        let info = serde_json::from_value(info).map_err(|e| {
            self.err(
                &Loc {
                    file: root_id,
                    ptr: "/info".into(),
                },
                LoadErrorKind::Invalid {
                    what: "info",
                    message: e.to_string(),
                },
            )
        })?;
        let servers = match self.part(obj, root_id, "servers", "servers")? {
            Some(v) => serde_json::from_value(v).map_err(|e| {
                self.err(
                    &Loc {
                        file: root_id,
                        ptr: "/servers".into(),
                    },
                    LoadErrorKind::Invalid {
                        what: "servers",
                        message: e.to_string(),
                    },
                )
            })?,
            None => Vec::new(),
        };
        let tags = match self.part(obj, root_id, "tags", "tags")? {
            Some(v) => serde_json::from_value(v).map_err(|e| {
                self.err(
                    &Loc {
                        file: root_id,
                        ptr: "/tags".into(),
                    },
                    LoadErrorKind::Invalid {
                        what: "tags",
                        message: e.to_string(),
                    },
                )
            })?,
            None => Vec::new(),
        };
        let extensions = obj
            .iter()
            .filter(|(k, _)| k.starts_with("x-"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();

        let schemas = self.finish_schemas()?;
        let mut files = self.paths.clone();
        files.sort();
        files.dedup();
        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        diagnostics.sort();
        diagnostics.dedup();
        Ok(Bundle {
            root,
            info,
            servers,
            tags,
            paths,
            webhooks,
            schemas,
            extensions,
            files,
            diagnostics,
        })
    }

    /// A top-level part of the root, a `$ref` to elsewhere followed if it is one.
    fn part(
        &mut self,
        obj: &Map<String, Value>,
        root: FileId,
        key: &str,
        _what: &str,
    ) -> Result<Option<Value>, LoadError> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => match bare_ref(v) {
                Some(r) => {
                    let loc = self.resolve(
                        r,
                        &Loc {
                            file: root,
                            ptr: child("", key),
                        },
                    )?;
                    self.with_value(&loc, |_, v| Ok(Some(v.clone())))
                }
                None => Ok(Some(v.clone())),
            },
        }
    }

    /// The path item at `<parent>/<key>` of the root (`/paths` and a template, or `/x-webhooks`
    /// and a trigger name).
    fn path_item(
        &mut self,
        root: FileId,
        parent: &str,
        template: &str,
        raw: &Value,
    ) -> Result<BundledPath, LoadError> {
        let ptr = child(parent, template);
        let here = Loc {
            file: root,
            ptr: ptr.clone(),
        };
        let at = match raw.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(r, &here)?,
            None => here.clone(),
        };
        let mut value = self.inline(Kind::PathItem, raw, root, &ptr)?;
        if parent == "/x-webhooks" && self.repair.webhook_responses {
            self.repair_trigger(&mut value);
        }
        match serde_json::from_value::<openapiv3::PathItem>(value) {
            Ok(item) => Ok(BundledPath {
                template: template.to_string(),
                item,
                origin: self.origin(&at),
            }),
            Err(e) => {
                // Walk again, checking every node, to name the one at fault.
                self.validating = true;
                let again = self.inline(Kind::PathItem, raw, root, &ptr);
                self.validating = false;
                again?;
                Err(self.err(
                    &at,
                    LoadErrorKind::Invalid {
                        what: "path item",
                        message: e.to_string(),
                    },
                ))
            }
        }
    }

    /// A trigger's operations describe a request the API sends, and the specs write their
    /// answers loosely: a fire-and-forget trigger has no `responses` (OpenAPI requires them: read
    /// as "answered with 204 No Content"), and some answers have no `description` (read as
    /// empty). A response written without a status is handled in [`Self::responses`]. Made when
    /// [`RepairConfig::webhook_responses`] is on.
    fn repair_trigger(&mut self, item: &mut Value) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        for op in item.values_mut().filter_map(Value::as_object_mut) {
            let responses = op
                .entry("responses")
                .or_insert_with(|| serde_json::json!({"204": {"description": "No answer."}}));
            let answers = responses
                .as_object_mut()
                .into_iter()
                .flat_map(|r| r.values_mut());
            for answer in answers.filter_map(Value::as_object_mut) {
                answer
                    .entry("description")
                    .or_insert_with(|| Value::String(String::new()));
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Schemas

    fn root_components(&mut self, root: FileId, obj: &Map<String, Value>) -> Result<(), LoadError> {
        let Some(comps) = obj.get("components").and_then(|c| c.get("schemas")) else {
            return Ok(());
        };
        let Some(comps) = comps.as_object() else {
            let at = Loc {
                file: root,
                ptr: "/components/schemas".into(),
            };
            return Err(self.err(
                &at,
                LoadErrorKind::Invalid {
                    what: "components",
                    message: "not a mapping".into(),
                },
            ));
        };
        for name in comps.keys() {
            let at = Loc {
                file: root,
                ptr: child("/components/schemas", name),
            };
            self.names.insert(at, name.clone());
            self.used.insert(name.clone());
            self.schemas.insert(name.clone(), Slot::Pending);
        }
        for name in comps.keys() {
            let start = Loc {
                file: root,
                ptr: child("/components/schemas", name),
            };
            let mut cur = start.clone();
            let slot = loop {
                let next = self.with_value(&cur, |_, v| Ok(bare_ref(v).map(str::to_string)))?;
                let Some(next) = next else {
                    break Slot::Schema {
                        at: cur,
                        value: None,
                    };
                };
                let next = self.resolve(&next, &cur)?;
                match self.names.get(&next) {
                    Some(other) if other == name => {
                        let chain = format!("{} -> {}", self.origin(&cur), self.origin(&next));
                        return Err(self.err(&start, LoadErrorKind::Cycle(chain)));
                    }
                    Some(other) => {
                        break Slot::Alias {
                            of: other.clone(),
                            at: start.clone(),
                        };
                    }
                    None => {
                        self.names.insert(next.clone(), name.clone());
                        cur = next;
                    }
                }
            };
            if matches!(slot, Slot::Schema { .. }) {
                self.queue.push_back(name.clone());
            }
            self.schemas.insert(name.clone(), slot);
        }
        Ok(())
    }

    /// Process queued schemas (each may discover more).
    fn drain(&mut self) -> Result<(), LoadError> {
        while let Some(name) = self.queue.pop_front() {
            let Some(Slot::Schema { at, value: None }) = self.schemas.get(&name) else {
                continue;
            };
            let at = at.clone();
            let out = self.with_value(&at, |this, v| this.schema(v, at.file, &at.ptr))?;
            if let Some(Slot::Schema { value, .. }) = self.schemas.get_mut(&name) {
                *value = Some(out);
            }
        }
        Ok(())
    }

    fn finish_schemas(&mut self) -> Result<IndexMap<String, BundledSchema>, LoadError> {
        let slots = std::mem::take(&mut self.schemas);
        let mut out = IndexMap::with_capacity(slots.len());
        for (name, slot) in slots {
            let (value, at) = match slot {
                Slot::Schema {
                    at,
                    value: Some(value),
                } => (value, at),
                Slot::Alias { of, at } => (
                    Value::Object(Map::from_iter([(
                        "allOf".to_string(),
                        Value::Array(vec![ref_value(&of)]),
                    )])),
                    at,
                ),
                Slot::Pending | Slot::Schema { value: None, .. } => {
                    let at = Loc {
                        file: 0,
                        ptr: child("/components/schemas", &name),
                    };
                    return Err(self.err(
                        &at,
                        LoadErrorKind::Invalid {
                            what: "schema",
                            message: "never resolved (loader bug)".into(),
                        },
                    ));
                }
            };
            // Innermost first: openapiv3's deserializer backtracks through its untagged enums,
            // which takes time exponential in the depth of the invalid node.
            if let Some((ptr, message)) = checks::pinpoint_schema(&value, &at.ptr) {
                let loc = Loc { file: at.file, ptr };
                return Err(self.err(
                    &loc,
                    LoadErrorKind::Invalid {
                        what: "schema",
                        message,
                    },
                ));
            }
            match serde_json::from_value::<openapiv3::Schema>(value) {
                Ok(schema) => {
                    out.insert(
                        name,
                        BundledSchema {
                            schema,
                            origin: self.origin(&at),
                        },
                    );
                }
                Err(e) => {
                    return Err(self.err(
                        &at,
                        LoadErrorKind::Invalid {
                            what: "schema",
                            message: e.to_string(),
                        },
                    ));
                }
            }
        }
        Ok(out)
    }

    /// The component name for the schema a `$ref` at `site` points at, registering it if new.
    fn schema_ref(&mut self, reference: &str, site: &Loc) -> Result<String, LoadError> {
        let first = self.resolve(reference, site)?;
        let mut chain: Vec<Loc> = Vec::new();
        let mut cur = first;
        let name = loop {
            if let Some(n) = self.names.get(&cur) {
                break n.clone();
            }
            if chain.contains(&cur) {
                let mut text: Vec<String> =
                    chain.iter().map(|l| self.origin(l).to_string()).collect();
                text.push(self.origin(&cur).to_string());
                return Err(self.err(site, LoadErrorKind::Cycle(text.join(" -> "))));
            }
            let next = self.with_value(&cur, |_, v| Ok(bare_ref(v).map(str::to_string)))?;
            match next {
                Some(next) => {
                    let next = self.resolve(&next, &cur)?;
                    chain.push(std::mem::replace(&mut cur, next));
                }
                None => {
                    let name = self.fresh_name(&cur);
                    self.schemas.insert(
                        name.clone(),
                        Slot::Schema {
                            at: cur.clone(),
                            value: None,
                        },
                    );
                    self.queue.push_back(name.clone());
                    self.names.insert(cur, name.clone());
                    break name;
                }
            }
        };
        for loc in chain {
            self.names.insert(loc, name.clone());
        }
        Ok(name)
    }

    fn fresh_name(&mut self, loc: &Loc) -> String {
        let path = self.paths.get(loc.file).cloned().unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tokens = pointer::tokens(&loc.ptr).unwrap_or_default();
        let base = super::names::sanitize(tokens.last().unwrap_or(&stem));
        let mut candidates = super::names::candidates(&base, &path, !tokens.is_empty());
        if let Some(parting) = self
            .holders
            .get(&base)
            .and_then(|holder| super::names::parting_folder(&base, holder, &path))
        {
            candidates.insert(1, parting);
        }
        for candidate in candidates {
            if self.used.insert(candidate.clone()) {
                self.holders.insert(candidate.clone(), path.clone());
                return candidate;
            }
        }
        let mut i = 2usize;
        loop {
            let candidate = format!("{base}{i}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            i += 1;
        }
    }

    /// A schema, every `$ref` in it rewritten to a component ref.
    fn schema(&mut self, v: &Value, file: FileId, ptr: &str) -> Result<Value, LoadError> {
        let Value::Object(obj) = v else {
            return Ok(v.clone());
        };
        if self.schema_depth >= MAX_SCHEMA_DEPTH {
            return Err(self.err(
                &Loc {
                    file,
                    ptr: ptr.to_string(),
                },
                LoadErrorKind::Invalid {
                    what: "schema",
                    message: format!("schemas nest more than {MAX_SCHEMA_DEPTH} levels deep"),
                },
            ));
        }
        self.schema_depth += 1;
        let out = self.schema_inner(obj, file, ptr);
        self.schema_depth -= 1;
        out
    }

    fn schema_inner(
        &mut self,
        obj: &Map<String, Value>,
        file: FileId,
        ptr: &str,
    ) -> Result<Value, LoadError> {
        let mut out = Map::with_capacity(obj.len());
        if let Some(Value::String(reference)) = obj.get("$ref") {
            let name = self.schema_ref(
                reference,
                &Loc {
                    file,
                    ptr: ptr.to_string(),
                },
            )?;
            let target = ref_value(&name);
            if obj.len() == 1 {
                return Ok(target);
            }
            let all_of_list = matches!(obj.get("allOf"), Some(Value::Array(_)));
            for (k, val) in obj {
                if k == "$ref" {
                    if !all_of_list {
                        out.insert("allOf".into(), Value::Array(vec![target.clone()]));
                    }
                } else if k == "allOf" && !all_of_list {
                    self.diag(
                        file,
                        &child(ptr, k),
                        "`allOf` is not a list; replaced by the sibling `$ref`".into(),
                    );
                } else {
                    let mut nv = self.schema_field(k, val, file, ptr)?;
                    if let (true, Value::Array(items)) = (k == "allOf", &mut nv) {
                        items.push(target.clone());
                    }
                    out.insert(k.clone(), nv);
                }
            }
            return Ok(Value::Object(out));
        }
        for (k, val) in obj {
            let nv = self.schema_field(k, val, file, ptr)?;
            out.insert(k.clone(), nv);
        }
        Ok(Value::Object(out))
    }

    fn schema_field(
        &mut self,
        key: &str,
        v: &Value,
        file: FileId,
        parent: &str,
    ) -> Result<Value, LoadError> {
        match (key, v) {
            ("properties", Value::Object(props)) => {
                let base = child(parent, key);
                let mut out = Map::with_capacity(props.len());
                for (name, s) in props {
                    out.insert(name.clone(), self.schema(s, file, &child(&base, name))?);
                }
                Ok(Value::Object(out))
            }
            ("items" | "not" | "additionalProperties", Value::Object(_)) => {
                self.schema(v, file, &child(parent, key))
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => {
                let base = child(parent, key);
                let mut out = Vec::with_capacity(items.len());
                for (i, s) in items.iter().enumerate() {
                    out.push(self.schema(s, file, &child(&base, &i.to_string()))?);
                }
                Ok(Value::Array(out))
            }
            ("discriminator", Value::Object(d)) => {
                let Some(Value::Object(mapping)) = d.get("mapping") else {
                    return Ok(v.clone());
                };
                let base = child(&child(parent, key), "mapping");
                let mut new_mapping = Map::with_capacity(mapping.len());
                for (k, target) in mapping {
                    let nv = match target.as_str() {
                        Some(t) if checks::looks_like_ref(t) => {
                            let name = self.schema_ref(
                                t,
                                &Loc {
                                    file,
                                    ptr: child(&base, k),
                                },
                            )?;
                            Value::String(format!("{SCHEMA_PREFIX}{name}"))
                        }
                        _ => target.clone(),
                    };
                    new_mapping.insert(k.clone(), nv);
                }
                let mut out = d.clone();
                out.insert("mapping".into(), Value::Object(new_mapping));
                Ok(Value::Object(out))
            }
            _ => Ok(v.clone()),
        }
    }

    /// A schema met in a parameter, header or media type.
    fn schema_node(&mut self, v: &Value, file: FileId, ptr: &str) -> Result<Value, LoadError> {
        let out = self.schema(v, file, ptr)?;
        // Checked innermost first, always: openapiv3's deserializer backtracks through its untagged
        // enums, which takes time exponential in the depth of an invalid node below it (the
        // path item holding this schema is deserialized as a whole afterwards).
        if let Some((p, message)) = checks::pinpoint_schema(&out, ptr) {
            return Err(self.err(
                &Loc { file, ptr: p },
                LoadErrorKind::Invalid {
                    what: "schema",
                    message,
                },
            ));
        }
        Ok(out)
    }

    // ----------------------------------------------------------------------------------------
    // Inlined objects

    fn inline(
        &mut self,
        kind: Kind,
        v: &Value,
        file: FileId,
        ptr: &str,
    ) -> Result<Value, LoadError> {
        let Value::Object(obj) = v else {
            return Ok(v.clone());
        };
        let here = Loc {
            file,
            ptr: ptr.to_string(),
        };
        let Some(Value::String(reference)) = obj.get("$ref") else {
            let out = self.fields(kind, obj, file, ptr)?;
            self.check(kind, &out, &here)?;
            return Ok(out);
        };
        let target = self.resolve(reference, &here)?;
        let resolved = self.inline_target(kind, target, &here)?;
        if obj.len() == 1 {
            return Ok(resolved);
        }
        let siblings: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| *k != "$ref")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let siblings = self.fields(kind, &siblings, file, ptr)?;
        let mut merged = match resolved {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        if let Value::Object(siblings) = siblings {
            for (k, v) in siblings {
                merged.insert(k, v);
            }
        }
        let merged = Value::Object(merged);
        self.check(kind, &merged, &here)?;
        Ok(merged)
    }

    fn inline_target(&mut self, kind: Kind, target: Loc, site: &Loc) -> Result<Value, LoadError> {
        let key = (kind, target);
        if let Some(v) = self.inline_cache.get(&key).filter(|_| !self.validating) {
            return Ok(v.clone());
        }
        let target = key.1;
        if let Some(pos) = self.inline_stack.iter().position(|l| *l == target) {
            let mut chain: Vec<String> = self.inline_stack[pos..]
                .iter()
                .map(|l| self.origin(l).to_string())
                .collect();
            chain.push(self.origin(&target).to_string());
            return Err(self.err(site, LoadErrorKind::Cycle(chain.join(" -> "))));
        }
        self.inline_stack.push(target.clone());
        let result = self.with_value(&target, |this, v| {
            this.inline(kind, v, target.file, &target.ptr)
        });
        self.inline_stack.pop();
        let value = result?;
        self.inline_cache.insert((kind, target), value.clone());
        Ok(value)
    }

    fn check(&self, kind: Kind, v: &Value, at: &Loc) -> Result<(), LoadError> {
        if !self.validating {
            return Ok(());
        }
        checks::deserialize(kind, v).map_err(|message| {
            self.err(
                at,
                LoadErrorKind::Invalid {
                    what: kind.what(),
                    message,
                },
            )
        })
    }

    fn fields(
        &mut self,
        kind: Kind,
        obj: &Map<String, Value>,
        file: FileId,
        ptr: &str,
    ) -> Result<Value, LoadError> {
        let mut out = Map::with_capacity(obj.len());
        for (k, v) in obj {
            let p = child(ptr, k);
            let nv = if k.starts_with("x-") {
                v.clone()
            } else {
                match (kind, k.as_str()) {
                    (Kind::PathItem, m) if checks::METHODS.contains(&m) => {
                        self.inline(Kind::Operation, v, file, &p)?
                    }
                    (Kind::PathItem | Kind::Operation, "parameters") => {
                        self.list(Kind::Parameter, v, file, &p)?
                    }
                    (Kind::Operation, "requestBody") => {
                        self.inline(Kind::RequestBody, v, file, &p)?
                    }
                    (Kind::Operation, "responses") => self.responses(v, file, &p)?,
                    (Kind::Operation, "callbacks") => self.map(Kind::Callback, v, file, &p)?,
                    (Kind::Callback, _) => self.inline(Kind::PathItem, v, file, &p)?,
                    (Kind::Parameter | Kind::Header | Kind::MediaType, "schema") => {
                        self.schema_node(v, file, &p)?
                    }
                    (
                        Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response,
                        "content",
                    ) => self.content(v, file, &p)?,
                    (Kind::Parameter | Kind::Header | Kind::MediaType, "examples") => {
                        self.map(Kind::Example, v, file, &p)?
                    }
                    (Kind::Response | Kind::Encoding, "headers") => {
                        self.map(Kind::Header, v, file, &p)?
                    }
                    (Kind::MediaType, "encoding") => self.map(Kind::Encoding, v, file, &p)?,
                    (Kind::Parameter | Kind::Header | Kind::MediaType, "example")
                    | (Kind::Example, "value") => self.example(v, file, &p)?,
                    _ => {
                        if let Some(message) = checks::unknown_key(kind, k) {
                            self.diag(file, &p, message);
                        }
                        v.clone()
                    }
                }
            };
            out.insert(k.clone(), nv);
        }
        Ok(Value::Object(out))
    }

    /// Example data is literal, except that a whole example written as a bare `$ref` is the data
    /// in the file it names (copied as it is, refs in it left alone).
    fn example(&mut self, v: &Value, file: FileId, ptr: &str) -> Result<Value, LoadError> {
        let Some(reference) = bare_ref(v) else {
            return Ok(v.clone());
        };
        let target = self.resolve(
            reference,
            &Loc {
                file,
                ptr: ptr.to_string(),
            },
        )?;
        self.with_value(&target, |_, v| Ok(v.clone()))
    }

    fn list(&mut self, kind: Kind, v: &Value, file: FileId, ptr: &str) -> Result<Value, LoadError> {
        let Value::Array(items) = v else {
            return Ok(v.clone());
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(self.inline(kind, item, file, &child(ptr, &i.to_string()))?);
        }
        Ok(Value::Array(out))
    }

    fn map(&mut self, kind: Kind, v: &Value, file: FileId, ptr: &str) -> Result<Value, LoadError> {
        let Value::Object(entries) = v else {
            return Ok(v.clone());
        };
        let mut out = Map::with_capacity(entries.len());
        for (k, item) in entries {
            let nv = if k.starts_with("x-") && kind == Kind::Callback {
                item.clone()
            } else {
                self.inline(kind, item, file, &child(ptr, k))?
            };
            out.insert(k.clone(), nv);
        }
        Ok(Value::Object(out))
    }

    fn responses(&mut self, v: &Value, file: FileId, ptr: &str) -> Result<Value, LoadError> {
        let Value::Object(entries) = v else {
            return Ok(v.clone());
        };
        let mut out = Map::with_capacity(entries.len());
        // A response written where the map of responses belongs (`responses: {content: ...}`,
        // as the request-response event triggers do): read as the 200 answer.
        if let Some(content) = entries.get("content")
            && !entries.keys().any(|k| checks::is_status(k))
        {
            let mut answer = Map::new();
            answer.insert("description".into(), Value::String(String::new()));
            answer.insert("content".into(), content.clone());
            self.diag(
                file,
                ptr,
                "a response without a status code (`content` right under `responses`); read as \
                 the 200 answer"
                    .into(),
            );
            let answer = Value::Object(answer);
            out.insert(
                "200".into(),
                self.inline(Kind::Response, &answer, file, ptr)?,
            );
            return Ok(Value::Object(out));
        }
        for (k, item) in entries {
            let p = child(ptr, k);
            if checks::is_status(k) {
                out.insert(k.clone(), self.inline(Kind::Response, item, file, &p)?);
            } else if k.starts_with("x-") {
                out.insert(k.clone(), item.clone());
            } else {
                self.diag(
                    file,
                    &p,
                    format!("`{k}` under `responses` is not a status code; dropped"),
                );
            }
        }
        Ok(Value::Object(out))
    }

    fn content(&mut self, v: &Value, file: FileId, ptr: &str) -> Result<Value, LoadError> {
        let Value::Object(entries) = v else {
            return Ok(v.clone());
        };
        let mut out = Map::with_capacity(entries.len());
        for (k, item) in entries {
            let p = child(ptr, k);
            if k.contains('/') {
                out.insert(k.clone(), self.inline(Kind::MediaType, item, file, &p)?);
            } else {
                self.diag(
                    file,
                    &p,
                    format!("`{k}` under `content` is not a media type; dropped"),
                );
            }
        }
        Ok(Value::Object(out))
    }
}
