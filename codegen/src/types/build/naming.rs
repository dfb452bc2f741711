//! Naming of inline models: the name a new model gets (a component's, or one claimed from a
//! caller's hint and the property path), the file it goes to, and the location diagnostics
//! point at (see the naming rules of [`crate::types`]).

use heck::ToPascalCase;

use crate::naming::{snake_name, type_name};

use super::Builder;

/// UpperCamelCase of a property name, to append to a parent type name.
pub(super) fn pascal(raw: &str) -> String {
    let words: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = words.to_pascal_case();
    if name.is_empty() {
        "Value".to_string()
    } else {
        name
    }
}

/// A hint from a caller, made a valid and non-reserved type name.
pub(super) fn sanitize_hint(hint: &str) -> String {
    let valid = hint.starts_with(|c: char| c.is_ascii_uppercase())
        && hint.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return type_name(hint);
    }
    let canonical = type_name(hint);
    if canonical.ends_with("Model") && !hint.ends_with("Model") {
        canonical
    } else {
        hint.to_string()
    }
}

/// Where generated models go and where diagnostics point.
#[derive(Clone, Debug)]
pub(super) struct Ctx {
    /// File stem for new models; `None` until the first model of a `type_for` call claims one.
    pub(super) file: Option<String>,
    pub(super) location: String,
}

impl Ctx {
    pub(super) fn at(&self, segment: &str) -> Ctx {
        let segment = segment.replace('~', "~0");
        Ctx {
            file: self.file.clone(),
            location: format!("{}/{}", self.location, segment),
        }
    }

    pub(super) fn at_path(&self, segments: &[&str]) -> Ctx {
        segments
            .iter()
            .fold(self.clone(), |ctx, segment| ctx.at(segment))
    }
}

/// The name a new model gets: fixed (a component's) or claimed from a hint.
#[derive(Clone, Debug)]
pub(super) enum Name {
    Fixed(String),
    Hint(String),
}

impl Name {
    pub(super) fn base(&self) -> &str {
        match self {
            Name::Fixed(name) | Name::Hint(name) => name,
        }
    }

    pub(super) fn child(&self, suffix: &str) -> Name {
        Name::Hint(format!("{}{suffix}", self.base()))
    }
}

impl Builder<'_> {
    /// Claim the model name and, for `type_for`, the file it goes to.
    pub(super) fn claim(&mut self, name: &Name, ctx: &Ctx) -> (String, usize, Ctx) {
        let name = match name {
            Name::Fixed(name) => name.clone(),
            Name::Hint(hint) => self.st.names.claim(hint),
        };
        let file = match &ctx.file {
            Some(file) => file.clone(),
            None => self.st.files.claim(&snake_name(&name)),
        };
        let seq = self.next_seq();
        (
            name,
            seq,
            Ctx {
                file: Some(file),
                location: ctx.location.clone(),
            },
        )
    }
}
