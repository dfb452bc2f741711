//! OpenAPI Overlay 1.0 documents, applied to a bundle before anything is generated from it.
//!
//! An overlay corrects the spec as data: each action selects nodes with a JSONPath (RFC 9535)
//! `target` and either merges an `update` into them or removes them. Targets address the
//! bundled document, the shape [`Bundle::to_document`] writes: `$.paths['/accounts'].get`,
//! `$.components.schemas.SearchDocuments` (bundled schema names, path templates without the
//! version prefix).
//!
//! Merging follows the Overlay specification: an object update is merged into an object target
//! member by member (objects recursively, anything else replaced); an update of an array
//! target is appended to it. Unlike the specification, an action whose target selects nothing is
//! reported: the spec it was written for has changed, and the overlay must be revisited. Such an
//! action (and any other that no longer applies) is left out alone, never the others, and every
//! one is reported ([`Bundle::apply_overlays`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use super::{Bundle, BundledPath, BundledSchema, LoadError, LoadErrorKind, Origin};

/// One overlay document, read and checked.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Where it was read from (for errors and origins).
    pub file: PathBuf,
    /// `info.title`.
    pub title: String,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Action {
    /// Index in `actions`, for errors.
    index: usize,
    target: JsonPath,
    target_text: String,
    change: Change,
}

#[derive(Debug, Clone)]
enum Change {
    Update(Value),
    Remove,
}

/// An action that no longer applies to the document: left out, and reported.
fn stale(file: &Path, pointer: String, message: impl Into<String>) -> LoadError {
    LoadError {
        origin: Origin {
            file: file.to_path_buf(),
            pointer,
        },
        kind: LoadErrorKind::StaleOverlayAction(message.into()),
    }
}

fn invalid(file: &Path, pointer: String, message: impl Into<String>) -> LoadError {
    LoadError {
        origin: Origin {
            file: file.to_path_buf(),
            pointer,
        },
        kind: LoadErrorKind::Invalid {
            what: "overlay",
            message: message.into(),
        },
    }
}

impl Overlay {
    /// Reads an overlay (YAML or JSON) and checks its shape: `overlay: 1.0.x`, `info.title`,
    /// and `actions`, each with a JSONPath `target` and either an `update` or `remove: true`.
    pub fn load(file: &Path) -> Result<Overlay, LoadError> {
        let text = std::fs::read_to_string(file).map_err(|e| LoadError {
            origin: Origin {
                file: file.to_path_buf(),
                pointer: String::new(),
            },
            kind: LoadErrorKind::Io(e),
        })?;
        Overlay::parse(file, &text)
    }

    /// Like [`load`](Self::load), from text.
    pub fn parse(file: &Path, text: &str) -> Result<Overlay, LoadError> {
        let doc: Value = serde_yaml::from_str(text).map_err(|e| LoadError {
            origin: Origin {
                file: file.to_path_buf(),
                pointer: String::new(),
            },
            kind: LoadErrorKind::Yaml(e.to_string()),
        })?;
        let version = doc.get("overlay").and_then(Value::as_str).unwrap_or("");
        if !version.starts_with("1.0") {
            return Err(invalid(
                file,
                "/overlay".into(),
                format!("`overlay` must be 1.0.x, found `{version}`"),
            ));
        }
        let title = doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(file, "/info/title".into(), "`info.title` is missing"))?
            .to_owned();
        let Some(Value::Array(raw_actions)) = doc.get("actions") else {
            return Err(invalid(file, "/actions".into(), "`actions` must be a list"));
        };
        let mut actions = Vec::with_capacity(raw_actions.len());
        for (index, raw) in raw_actions.iter().enumerate() {
            let at = |key: &str| format!("/actions/{index}{key}");
            let target_text = raw
                .get("target")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(file, at("/target"), "`target` must be a JSONPath"))?;
            let target = JsonPath::parse(target_text).map_err(|e| {
                invalid(
                    file,
                    at("/target"),
                    format!("`{target_text}` is not a JSONPath: {e}"),
                )
            })?;
            let remove = raw.get("remove").and_then(Value::as_bool).unwrap_or(false);
            let change = match (raw.get("update"), remove) {
                (Some(_), true) => {
                    return Err(invalid(
                        file,
                        at(""),
                        "an action has either `update` or `remove: true`, not both",
                    ));
                }
                (Some(update), false) => Change::Update(update.clone()),
                (None, true) => Change::Remove,
                (None, false) => {
                    return Err(invalid(
                        file,
                        at(""),
                        "an action needs `update` or `remove: true`",
                    ));
                }
            };
            actions.push(Action {
                index,
                target,
                target_text: target_text.to_owned(),
                change,
            });
        }
        Ok(Overlay {
            file: file.to_path_buf(),
            title,
            actions,
        })
    }

    /// Number of actions.
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }
}

impl Bundle {
    /// Applies the overlays in order to the bundle's paths and schemas. A path or schema an
    /// action adds gets as origin the overlay that last changed it.
    ///
    /// An action that no longer applies (its target selects nothing, its update does not fit
    /// what it selects, it refers to a component that is not there, or the path or schema it
    /// changes is no longer valid OpenAPI) is left out, alone: the others are applied as if it
    /// were not there, and the returned list says what was left out and why, one error per
    /// action naming the overlay file and the action. A maintainer moving to a newer spec sees
    /// every stale action of every overlay in one run.
    pub fn apply_overlays(&mut self, overlays: &[Overlay]) -> Result<Vec<LoadError>, LoadError> {
        if overlays.is_empty() {
            return Ok(Vec::new());
        }
        let base = serde_json::to_value(self.to_document("", false)).map_err(|e| LoadError {
            origin: Origin {
                file: self.root.clone(),
                pointer: String::new(),
            },
            kind: LoadErrorKind::Invalid {
                what: "bundle",
                message: format!("cannot be written as JSON: {e}"),
            },
        })?;
        let mut left_out: Vec<(ActionId, LoadError)> = Vec::new();
        // Each round applies every action not yet left out to a fresh copy of the document, and
        // leaves out those that failed; an action that only worked because of one left out then
        // fails in the next round. Every round with a failure leaves out one more action, so
        // there are at most as many rounds as actions, plus one.
        loop {
            let skipped = |id: &ActionId| left_out.iter().any(|(left, _)| left == id);
            let mut doc = base.clone();
            let mut touched = Touched::default();
            let mut failed: Vec<(ActionId, LoadError)> = Vec::new();
            for (o, overlay) in overlays.iter().enumerate() {
                for action in &overlay.actions {
                    let id = (o, action.index);
                    if skipped(&id) {
                        continue;
                    }
                    match apply(&mut doc, overlay, action) {
                        Ok(pointers) => {
                            for pointer in pointers {
                                touched.record(&pointer, id, &overlay.file);
                            }
                        }
                        Err(error) => failed.push((id, error)),
                    }
                }
            }
            // Checked once all actions ran, since a later action may add what an earlier one
            // names.
            for (o, overlay) in overlays.iter().enumerate() {
                for action in &overlay.actions {
                    let id = (o, action.index);
                    if skipped(&id) || failed.iter().any(|(f, _)| *f == id) {
                        continue;
                    }
                    if let Err(error) = check_references(&doc, overlay, action) {
                        failed.push((id, error));
                    }
                }
            }
            if failed.is_empty() {
                match self.read_back(&doc, &touched) {
                    Ok((paths, schemas)) => {
                        self.paths = paths;
                        self.schemas = schemas;
                        left_out.sort_by_key(|(id, _)| *id);
                        return Ok(left_out.into_iter().map(|(_, error)| error).collect());
                    }
                    Err(errors) => failed = errors,
                }
            }
            left_out.append(&mut failed);
        }
    }

    /// The paths and schemas of `doc` after the overlays: what an action touched read back from
    /// JSON, the rest kept as it was. A path or schema that is no longer valid is blamed on the
    /// last action that changed it.
    #[allow(clippy::type_complexity)]
    fn read_back(
        &self,
        doc: &Value,
        touched: &Touched,
    ) -> Result<(Vec<BundledPath>, IndexMap<String, BundledSchema>), Vec<(ActionId, LoadError)>>
    {
        let mut errors = Vec::new();
        // Named at the action that made the member invalid, saying which member.
        let read_back = |file: &Path, id: ActionId, member: String, message: String| {
            (
                id,
                LoadError {
                    origin: Origin {
                        file: file.to_path_buf(),
                        pointer: format!("/actions/{}/update", id.1),
                    },
                    kind: LoadErrorKind::StaleOverlayAction(format!(
                        "this update leaves {member} invalid: {message}"
                    )),
                },
            )
        };
        let old_paths: HashMap<&str, &BundledPath> = self
            .paths
            .iter()
            .map(|path| (path.template.as_str(), path))
            .collect();
        let mut paths = Vec::new();
        if let Some(Value::Object(items)) = doc.get("paths") {
            for (template, item) in items {
                let old = old_paths.get(template.as_str()).copied();
                match (touched.path(template), old) {
                    (None, Some(old)) => paths.push(old.clone()),
                    (by, old) => {
                        let pointer = format!("/paths/{}", super::pointer::escape(template));
                        let file = by.map_or(self.root.as_path(), |(_, file)| file);
                        match serde_json::from_value::<openapiv3::PathItem>(item.clone()) {
                            Ok(item) => paths.push(BundledPath {
                                template: template.clone(),
                                item,
                                origin: old.map_or_else(
                                    || Origin {
                                        file: file.to_path_buf(),
                                        pointer: pointer.clone(),
                                    },
                                    |old| old.origin.clone(),
                                ),
                            }),
                            // Untouched members are the old ones (first arm), so a member that
                            // does not read back was touched: `by` is always there.
                            Err(e) => {
                                if let Some((id, _)) = by {
                                    errors.push(read_back(file, id, pointer, e.to_string()));
                                }
                            }
                        }
                    }
                }
            }
        }
        let mut schemas = IndexMap::new();
        if let Some(Value::Object(items)) = doc.pointer("/components/schemas") {
            for (name, schema) in items {
                let old = self.schemas.get(name);
                match (touched.schema(name), old) {
                    (None, Some(old)) => {
                        schemas.insert(name.clone(), old.clone());
                    }
                    (by, old) => {
                        let pointer =
                            format!("/components/schemas/{}", super::pointer::escape(name));
                        let file = by.map_or(self.root.as_path(), |(_, file)| file);
                        match serde_json::from_value::<openapiv3::Schema>(schema.clone()) {
                            Ok(schema) => {
                                let origin = old.map_or_else(
                                    || Origin {
                                        file: file.to_path_buf(),
                                        pointer: pointer.clone(),
                                    },
                                    |old| old.origin.clone(),
                                );
                                schemas.insert(name.clone(), BundledSchema { schema, origin });
                            }
                            Err(e) => {
                                if let Some((id, _)) = by {
                                    errors.push(read_back(file, id, pointer, e.to_string()));
                                }
                            }
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok((paths, schemas))
        } else {
            // One error per action (the first it caused).
            errors.sort_by_key(|(id, _)| *id);
            errors.dedup_by_key(|(id, _)| *id);
            Err(errors)
        }
    }
}

/// An action: the index of its overlay, and its own index there.
type ActionId = (usize, usize);

/// Which paths and schemas the actions changed, each with the last action (and its overlay's
/// file) that changed it.
#[derive(Default)]
struct Touched {
    /// An action changed the paths object itself (or the whole document).
    all_paths: Option<(ActionId, PathBuf)>,
    paths: HashMap<String, (ActionId, PathBuf)>,
    /// An action changed the schemas object itself (or `components`, or the whole document).
    all_schemas: Option<(ActionId, PathBuf)>,
    schemas: HashMap<String, (ActionId, PathBuf)>,
}

impl Touched {
    fn record(&mut self, pointer: &str, id: ActionId, file: &Path) {
        let tokens = super::pointer::tokens(pointer).unwrap_or_default();
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let by = (id, file.to_path_buf());
        match tokens.as_slice() {
            [] => {
                self.all_paths = Some(by.clone());
                self.all_schemas = Some(by);
            }
            ["paths"] => self.all_paths = Some(by),
            ["paths", template, ..] => {
                self.paths.insert((*template).to_owned(), by);
            }
            ["components"] | ["components", "schemas"] => self.all_schemas = Some(by),
            ["components", "schemas", name, ..] => {
                self.schemas.insert((*name).to_owned(), by);
            }
            _ => {}
        }
    }

    fn path(&self, template: &str) -> Option<(ActionId, &Path)> {
        self.paths
            .get(template)
            .or(self.all_paths.as_ref())
            .map(|(id, file)| (*id, file.as_path()))
    }

    fn schema(&self, name: &str) -> Option<(ActionId, &Path)> {
        self.schemas
            .get(name)
            .or(self.all_schemas.as_ref())
            .map(|(id, file)| (*id, file.as_path()))
    }
}

/// Carries out one action; returns the pointers of the nodes it changed or removed.
fn apply(doc: &mut Value, overlay: &Overlay, action: &Action) -> Result<Vec<String>, LoadError> {
    let at = format!("/actions/{}", action.index);
    let mut pointers: Vec<String> = action
        .target
        .query_located(doc)
        .dedup()
        .locations()
        .map(|location| location.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        return Err(stale(
            &overlay.file,
            format!("{at}/target"),
            format!(
                "`{}` selects nothing: the spec changed, revisit this action",
                action.target_text
            ),
        ));
    }
    match &action.change {
        Change::Update(update) => {
            for pointer in &pointers {
                let Some(node) = doc.pointer_mut(pointer) else {
                    continue;
                };
                match (node, update) {
                    (Value::Array(items), update) => items.push(update.clone()),
                    (Value::Object(target), Value::Object(update)) => merge(target, update),
                    (_, _) => {
                        return Err(stale(
                            &overlay.file,
                            format!("{at}/update"),
                            format!(
                                "`{}` selects {pointer}, which is neither an object (to merge an \
                                 object into) nor an array (to append to)",
                                action.target_text
                            ),
                        ));
                    }
                }
            }
        }
        Change::Remove => {
            // Later array items first, so that removing one does not move the others.
            pointers.sort_by_key(|pointer| pointer_key(pointer));
            for pointer in pointers.iter().rev() {
                remove(doc, pointer);
            }
        }
    }
    Ok(pointers)
}

/// Fails on a `$ref` in an action's update that points at nothing in the document after every
/// action ran. The bundle's references are resolved and checked when it is loaded; one an overlay
/// adds is not, and a component name that the spec's renaming changed (`IdnX` that became
/// `BetaX`) would otherwise reach the generator as an unknown type, generated as JSON.
fn check_references(doc: &Value, overlay: &Overlay, action: &Action) -> Result<(), LoadError> {
    let Change::Update(update) = &action.change else {
        return Ok(());
    };
    let mut stack = vec![(format!("/actions/{}/update", action.index), update)];
    while let Some((at, value)) = stack.pop() {
        match value {
            Value::Object(members) => {
                for (key, member) in members {
                    let at = format!("{at}/{}", super::pointer::escape(key));
                    if key == "$ref"
                        && let Value::String(reference) = member
                        && let Some(pointer) = reference.strip_prefix('#')
                        && doc.pointer(pointer).is_none()
                    {
                        return Err(stale(
                            &overlay.file,
                            at,
                            format!(
                                "`{reference}` points at nothing in the document (after every \
                                 overlay): the component may be named otherwise"
                            ),
                        ));
                    }
                    stack.push((at, member));
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    stack.push((format!("{at}/{index}"), item));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Merges `update` into `target`: objects recursively, anything else replaced.
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(update)) => merge(inner, update),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Orders pointers segment by segment, array indexes by number.
fn pointer_key(pointer: &str) -> Vec<(u64, String)> {
    pointer
        .split('/')
        .map(|segment| match segment.parse::<u64>() {
            Ok(index) => (index, String::new()),
            Err(_) => (u64::MAX, segment.to_owned()),
        })
        .collect()
}

/// Removes the node at `pointer` from its parent object or array.
fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, _)) = pointer.rsplit_once('/') else {
        return;
    };
    let Some(key) = super::pointer::tokens(pointer)
        .ok()
        .and_then(|mut tokens| tokens.pop())
    else {
        return;
    };
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>()
                && index < items.len()
            {
                items.remove(index);
            }
        }
        _ => {}
    }
}
