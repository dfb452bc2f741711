//! The walk from the root document: its top-level parts, each path item and webhook trigger,
//! and the repairs of trigger answers; it drives the schema queue and assembles the [`Bundle`].

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::{FileId, Loader, Loc, bare_ref};
use crate::loader::checks::Kind;
use crate::loader::pointer::child;
use crate::loader::{Bundle, BundledPath, LoadError, LoadErrorKind};

/// A path item or trigger whose refs are inlined, not yet read as openapiv3's (its schema refs
/// still name placeholders until every schema is known).
struct PathItemValue<'r> {
    template: String,
    /// Where it is in the root (`/paths/~1pets`).
    ptr: String,
    /// As the root wrote it.
    raw: &'r Value,
    /// Where the path item itself is (the root, or the file its `$ref` names).
    at: Loc,
    value: Value,
}

impl Loader<'_> {
    pub(in crate::loader) fn run(mut self, root: PathBuf) -> Result<Bundle, LoadError> {
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
        // Every schema is known: name them, then read the path items with their final refs.
        let mut values: Vec<&mut Value> = paths
            .iter_mut()
            .chain(webhooks.iter_mut())
            .map(|p| &mut p.value)
            .collect();
        self.name_schemas(root_id, &mut values);
        let paths = paths
            .into_iter()
            .map(|p| self.finish_path_item(root_id, p))
            .collect::<Result<Vec<_>, _>>()?;
        let webhooks = webhooks
            .into_iter()
            .map(|p| self.finish_path_item(root_id, p))
            .collect::<Result<Vec<_>, _>>()?;

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
    /// and a trigger name), every ref in it inlined or, for schemas, made a component ref.
    fn path_item<'r>(
        &mut self,
        root: FileId,
        parent: &str,
        template: &str,
        raw: &'r Value,
    ) -> Result<PathItemValue<'r>, LoadError> {
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
        Ok(PathItemValue {
            template: template.to_string(),
            ptr,
            raw,
            at,
            value,
        })
    }

    /// A path item read as openapiv3's, once its schema refs have their names.
    fn finish_path_item(
        &mut self,
        root: FileId,
        p: PathItemValue<'_>,
    ) -> Result<BundledPath, LoadError> {
        let PathItemValue {
            template,
            ptr,
            raw,
            at,
            value,
        } = p;
        match serde_json::from_value::<openapiv3::PathItem>(value) {
            Ok(item) => Ok(BundledPath {
                template,
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
}
