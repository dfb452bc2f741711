//! Schemas: the root's components registered first, every schema `$ref` rewritten to
//! `#/components/schemas/<Name>`, external schemas processed from a queue under placeholder names
//! while they are discovered, then given deterministic, collision-free component names from where
//! they are (`loader::names`), and the finished components collected.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::{
    FileId, Loader, Loc, MAX_SCHEMA_DEPTH, PLACEHOLDER, SCHEMA_PREFIX, Slot, bare_ref, placeholder,
    ref_value,
};
use crate::loader::checks;
use crate::loader::names::{self, Place};
use crate::loader::pointer::{self, child};
use crate::loader::{BundledSchema, LoadError, LoadErrorKind, REF_SIBLINGS};

impl Loader<'_> {
    pub(super) fn root_components(
        &mut self,
        root: FileId,
        obj: &Map<String, Value>,
    ) -> Result<(), LoadError> {
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
    pub(super) fn drain(&mut self) -> Result<(), LoadError> {
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

    pub(super) fn finish_schemas(&mut self) -> Result<IndexMap<String, BundledSchema>, LoadError> {
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
                    let name = placeholder(self.external.len());
                    self.external.push(cur.clone());
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

    /// Name every external schema now that all are known ([`names::assign`]), and put the names
    /// in place of the placeholders: in the component map and in every schema ref of the
    /// schemas and of `values` (the path items and triggers).
    pub(super) fn name_schemas(&mut self, root: FileId, values: &mut [&mut Value]) {
        let root_path = self.paths.get(root).cloned().unwrap_or_default();
        let home = names::home(&root_path, &self.direct_refs(root));
        let mut reserved = HashMap::new();
        for (name, slot) in &self.schemas {
            let file = match slot {
                Slot::Schema { .. } if name.starts_with(PLACEHOLDER) => continue,
                Slot::Schema { at, .. } => at.file,
                Slot::Pending | Slot::Alias { .. } => root,
            };
            let file = self.paths.get(file).cloned().unwrap_or_default();
            reserved.insert(name.clone(), file);
        }
        let places: Vec<Place> = self
            .external
            .iter()
            .map(|loc| Place {
                file: self.paths.get(loc.file).cloned().unwrap_or_default(),
                tokens: pointer::tokens(&loc.ptr).unwrap_or_default(),
            })
            .collect();
        let given = names::assign(&home, &reserved, &places, &self.preferred_folders);
        let rename = |name: &str| -> Option<&String> {
            let n: usize = name.strip_prefix(PLACEHOLDER)?.parse().ok()?;
            given.get(n)
        };
        let slots = std::mem::take(&mut self.schemas);
        self.schemas = slots
            .into_iter()
            .map(|(name, mut slot)| {
                if let Slot::Schema {
                    value: Some(value), ..
                } = &mut slot
                {
                    rename_refs(value, &rename);
                }
                (rename(&name).cloned().unwrap_or(name), slot)
            })
            .collect();
        for value in values {
            rename_refs(value, &rename);
        }
        for name in self.names.values_mut() {
            if let Some(given) = rename(name) {
                *name = given.clone();
            }
        }
    }

    /// The files the root's own `$ref`s name (not those of the files it reaches).
    fn direct_refs(&self, root: FileId) -> Vec<PathBuf> {
        fn collect(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    for (k, v) in m {
                        match (k.as_str(), v) {
                            ("$ref", Value::String(r)) => out.push(r.clone()),
                            _ => collect(v, out),
                        }
                    }
                }
                Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
                _ => {}
            }
        }
        let mut refs = Vec::new();
        collect(&self.doc(root), &mut refs);
        let dir = self
            .paths
            .get(root)
            .and_then(|p| p.parent())
            .unwrap_or(Path::new(""))
            .to_path_buf();
        refs.iter()
            .filter_map(|r| {
                let file = r.split_once('#').map_or(r.as_str(), |(f, _)| f);
                if file.is_empty() || file.contains("://") || file.starts_with("//") {
                    return None;
                }
                let decoded = pointer::percent_decode(file).ok()?;
                pointer::normalize(&dir, &decoded)
            })
            .collect()
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
                        // What the spec wrote, for documents written back out (see
                        // `Bundle::to_document_value`).
                        out.insert(REF_SIBLINGS.into(), Value::Bool(true));
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
    pub(super) fn schema_node(
        &mut self,
        v: &Value,
        file: FileId,
        ptr: &str,
    ) -> Result<Value, LoadError> {
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
}

/// Put the names `rename` gives in place of the placeholders in every schema ref of `v` (a `$ref`
/// or a discriminator's mapping: any string that is a component ref to a placeholder).
fn rename_refs<'n>(v: &mut Value, rename: &impl Fn(&str) -> Option<&'n String>) {
    match v {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix(SCHEMA_PREFIX).and_then(rename) {
                *s = format!("{SCHEMA_PREFIX}{name}");
            }
        }
        Value::Object(m) => m.values_mut().for_each(|v| rename_refs(v, rename)),
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, rename)),
        _ => {}
    }
}
