//! Schemas: the root's components registered first, every schema `$ref` rewritten to
//! `#/components/schemas/<Name>`, external schemas given deterministic, collision-free component
//! names and processed from a queue, and the finished components collected.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::{FileId, Loader, Loc, MAX_SCHEMA_DEPTH, SCHEMA_PREFIX, Slot, bare_ref, ref_value};
use crate::loader::checks;
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
        let base = crate::loader::names::sanitize(tokens.last().unwrap_or(&stem));
        let mut candidates = crate::loader::names::candidates(&base, &path, !tokens.is_empty());
        if let Some(parting) = self
            .holders
            .get(&base)
            .and_then(|holder| crate::loader::names::parting_folder(&base, holder, &path))
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
