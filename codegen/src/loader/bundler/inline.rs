//! Inlined objects: every `$ref` to a path item, parameter, response, request body, header or
//! example replaced by what it points at (cached, cycles refused), each object checked against
//! what OpenAPI allows there.

use serde_json::{Map, Value};

use super::{FileId, Loader, Loc, bare_ref};
use crate::loader::checks::{self, Kind};
use crate::loader::pointer::child;
use crate::loader::{LoadError, LoadErrorKind};

impl Loader<'_> {
    pub(super) fn inline(
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
