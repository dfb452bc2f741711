//! The list of things the generator had to degrade or work around, each with its location.
//! Nothing is dropped in silence: every fallback adds a diagnostic, and `cargo xtask codegen`
//! prints them.

use std::fmt;

/// One degraded construct: where it is and what was done with it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// `file#/json/pointer` for spec locations, or `METHOD /path (operationId)` for operations.
    pub location: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.items.push(Diagnostic {
            location: location.into(),
            message: message.into(),
        });
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted and deduplicated, so that reports are stable from run to run.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.items.extend(iter)
    }
}
