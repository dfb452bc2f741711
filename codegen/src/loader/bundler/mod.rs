//! The traversal: reads files, inlines non-schema refs, names and collects schemas.
//!
//! This module holds the loader's state, the reading of files and the resolution of a `$ref` to
//! a location that exists. The rest is apart by what it walks:
//! - `walk`: the root document, its paths and webhooks (the driver, [`Loader::run`]);
//! - `schemas`: schemas, every `$ref` in them rewritten to a component, and the naming of
//!   external schemas as components;
//! - `inline`: everything that is not a schema (path items, parameters, responses, bodies,
//!   headers, examples), refs inlined and checked.

mod inline;
mod schemas;
mod walk;

use std::collections::{HashMap, VecDeque};
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::checks::Kind;
use super::pointer;
use super::{LoadError, LoadErrorKind, Origin};
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
    /// The component name of each schema location met: a root component's key, or for an
    /// external schema a placeholder ([`placeholder`]) until every schema is known and
    /// [`Self::name_schemas`] names them all.
    names: HashMap<Loc, String>,
    /// The external schemas, by placeholder number, in order of discovery.
    external: Vec<Loc>,
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
    /// Folders whose schemas keep the plain name among home schemas of one name
    /// ([`crate::config::NamingConfig`]).
    preferred_folders: Vec<PathBuf>,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Starts the name an external schema has while the schemas are being discovered: no name from
/// a spec has it (names keep only ASCII letters, digits and `_`), and [`Loader::name_schemas`]
/// replaces every one.
const PLACEHOLDER: char = '\u{1}';

fn placeholder(n: usize) -> String {
    format!("{PLACEHOLDER}{n}")
}

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
    pub(super) fn new(
        spec_dir: &'a Path,
        repair: RepairConfig,
        preferred_folders: Vec<PathBuf>,
    ) -> Self {
        Loader {
            spec_dir,
            paths: Vec::new(),
            ids: HashMap::new(),
            docs: Vec::new(),
            names: HashMap::new(),
            external: Vec::new(),
            schemas: IndexMap::new(),
            queue: VecDeque::new(),
            inline_stack: Vec::new(),
            inline_cache: HashMap::new(),
            validating: false,
            schema_depth: 0,
            diagnostics: Vec::new(),
            repair,
            preferred_folders,
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
}
