//! From an API version to the one that replaces it, operation by operation: for every operation
//! of the old version (a year version such as v2026), its successor in the new one (an API whose
//! paths carry each service's major version, `/accounts/v1/{id}`, and whose operationIds end in
//! it, `listAccountsV1`), and what changes in its request and its answer, in the terms of
//! [`crate::surface`]. Pure functions over two [`Surface`]s; [`markdown`] renders the result.
//!
//! The successor of an operation is found
//!
//! 1. by path: the same method and the same path once the new path's major version segment (the
//!    first segment `v<digits>`) is removed, placeholder names ignored (`{id}` and `{accountId}`
//!    are the same). Surface paths carry no base path. When several match (`/v1/` and `/v2/` of
//!    one endpoint), the highest major version is the successor and the others are listed;
//! 2. else by name: an operation whose operationId without its trailing `V<digits>` is the old
//!    operationId (the highest version again);
//! 3. else there is none.
//!
//! A successor's request and answer are compared with [`surface::operation_changes`], and the
//! models they reach with [`surface::model_changes`]. Models are paired by where the two
//! operations use them (the answer's `Vec<AccountAttributes>` and `Vec<Accountattributes>`
//! pair the two models, then their fields of the same name pair further models): two specs that
//! name their schemas differently still compare field by field, and such a pair counts as the
//! same type, listed under [`Successor::renamed`]. What every caller changes anyway (the module,
//! the call, the version in the path, placeholder names) is not a change here.
//!
//! Layout: this module holds the result ([`Migration`] and its steps) and its counts; `matching`
//! finds each operation's successor; `compare` compares an operation with its successor, pairing
//! the models the two reach; `report` renders a migration as Markdown. They are apart because
//! each follows its own rules: matching by path and name, comparing by use, writing for readers.

mod compare;
#[cfg(test)]
mod fixtures;
mod matching;
mod report;

use std::collections::BTreeSet;
use std::fmt;

use crate::surface::{Impact, OperationSurface, Part};

pub use self::matching::{migrate, without_major_version, without_version_suffix};
pub use self::report::{DocInfo, index_markdown, markdown, short};

/// Every operation of the old version with its successor, ordered by call (so by group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub steps: Vec<Step>,
}

/// An operation as the tables show it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OperationRef {
    pub operation_id: String,
    pub method: String,
    pub path: String,
    /// [`OperationSurface::call`], as it is.
    pub call: String,
}

impl OperationRef {
    fn new(operation_id: &str, op: &OperationSurface) -> Self {
        OperationRef {
            operation_id: operation_id.to_string(),
            method: op.method.clone(),
            path: op.path.clone(),
            call: op.call.clone(),
        }
    }
}

/// One operation of the old version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub from: OperationRef,
    pub successor: Option<Successor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    /// Same method, same path but for the major version segment and placeholder names.
    Path,
    /// No path matched; the operationId without its version suffix did.
    Name,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Successor {
    pub to: OperationRef,
    pub matched_by: MatchedBy,
    /// The other operations of the new version that match the same way (lower major versions),
    /// highest first.
    pub others: Vec<OperationRef>,
    /// Models paired by where the two operations use them whose names differ: (old, new).
    pub renamed: Vec<(String, String)>,
    /// Breaking changes first.
    pub changes: Vec<StepChange>,
}

impl Successor {
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.impact == Impact::Breaking)
    }
}

/// One difference between an operation and its successor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StepChange {
    pub impact: Impact,
    /// The model it is in (by its old name); `None` for the operation itself.
    pub model: Option<String>,
    /// Where the operation meets it: [`Part::Request`], [`Part::Answer`] (both for a model
    /// that both reach) or [`Part::Deprecation`].
    pub parts: BTreeSet<Part>,
    /// As [`surface::Change::what`] says it.
    pub what: String,
}

impl fmt::Display for StepChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = self.parts.iter().map(|p| part_name(*p)).collect();
        write!(f, "{}", parts.join(", "))?;
        if let Some(model) = &self.model {
            write!(f, ", model `{model}`")?;
        }
        write!(f, ": {}", self.what)
    }
}

fn part_name(part: Part) -> &'static str {
    match part {
        Part::Route => "route",
        Part::Call => "call",
        Part::Request => "request",
        Part::Answer => "answer",
        Part::Deprecation => "deprecation",
    }
}

/// The counts of a migration. Every operation is in exactly one of `same`, `changed`, `by_name`
/// and `without`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub operations: usize,
    /// Matched by path, nothing changed.
    pub same: usize,
    /// Matched by path, something changed ...
    pub changed: usize,
    /// ... of which something breaking.
    pub breaking: usize,
    /// Matched by name ...
    pub by_name: usize,
    /// ... of which something changed ...
    pub by_name_changed: usize,
    /// ... and something breaking.
    pub by_name_breaking: usize,
    pub without: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} operations: {} same, {} changed ({} breaking), {} matched by name",
            self.operations, self.same, self.changed, self.breaking, self.by_name
        )?;
        if self.by_name > 0 {
            write!(
                f,
                " ({} changed, {} breaking)",
                self.by_name_changed, self.by_name_breaking
            )?;
        }
        write!(f, ", {} without successor", self.without)
    }
}

impl Migration {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            operations: self.steps.len(),
            ..Summary::default()
        };
        for step in &self.steps {
            let Some(next) = &step.successor else {
                s.without += 1;
                continue;
            };
            let changed = !next.changes.is_empty();
            let breaking = next.is_breaking();
            match next.matched_by {
                MatchedBy::Path if !changed => s.same += 1,
                MatchedBy::Path => {
                    s.changed += 1;
                    s.breaking += usize::from(breaking);
                }
                MatchedBy::Name => {
                    s.by_name += 1;
                    s.by_name_changed += usize::from(changed);
                    s.by_name_breaking += usize::from(breaking);
                }
            }
        }
        s
    }
}
