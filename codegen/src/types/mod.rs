//! The type model: every schema of a bundle as a Rust type, and the emission of the models module.
//!
//! CONTRACT (the operations model and the emitter rely on exactly this):
//! - [`TypeSpace::new`] registers every component schema of the bundle;
//! - [`TypeSpace::type_for`] types a schema met in an operation, registering inline object, enum
//!   and oneOf/anyOf schemas as new named models named from the hint;
//! - [`TypeRef::tokens`] renders a reference, named types as `<models path>::Name`;
//! - [`TypeSpace::emit_models`] returns the files of the `models` folder of a version module.

use std::path::PathBuf;

use openapiv3::{ReferenceOr, Schema};
use proc_macro2::TokenStream;

use crate::diagnostics::Diagnostics;
use crate::loader::Bundle;

/// A Rust type as generated code uses it. Optionality is not part of it: fields and parameters
/// decide that themselves.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    /// `type: string, format: binary`: a `String` inside JSON, a file part in multipart bodies.
    Binary,
    /// `runtime::DateTime`, tolerant of the date-time spellings the API really sends.
    DateTime,
    /// `runtime::Date`.
    Date,
    /// `serde_json::Value`: free-form objects and anything that cannot be typed better.
    Json,
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>` (additionalProperties).
    Map(Box<TypeRef>),
    /// A generated model, by its Rust type name.
    Named(String),
}

impl TypeRef {
    /// Render as Rust tokens. `models` is the path of the models module (`super::models`),
    /// `runtime` the path of the runtime (`crate::runtime`).
    pub fn tokens(&self, models: &TokenStream, runtime: &TokenStream) -> TokenStream {
        let _ = (models, runtime);
        unimplemented!("types module under construction")
    }
}

/// All generated models of one API version.
#[derive(Debug, Default)]
pub struct TypeSpace {}

impl TypeSpace {
    pub fn new(bundle: &Bundle, diagnostics: &mut Diagnostics) -> Result<Self, crate::Error> {
        let _ = (bundle, diagnostics);
        Ok(TypeSpace {})
    }

    /// Type of a schema used by an operation (parameter, request body, response body).
    /// `name_hint` is an UpperCamelCase name for a model created from an inline schema
    /// (`ListAccountsDetailLevel`, `CreateAccountRequest`); `location` names the place for
    /// diagnostics (`GET /accounts (listAccounts) parameter detailLevel`).
    pub fn type_for(
        &mut self,
        schema: &ReferenceOr<Schema>,
        name_hint: &str,
        location: &str,
        diagnostics: &mut Diagnostics,
    ) -> TypeRef {
        let _ = (schema, name_hint, location, diagnostics);
        TypeRef::Json
    }

    /// Whether values of this type are sent as plain strings (string enums), e.g. in a query.
    pub fn is_string_enum(&self, ty: &TypeRef) -> bool {
        let _ = ty;
        false
    }

    /// Number of generated models.
    pub fn model_count(&self) -> usize {
        0
    }

    /// Files of the models folder, relative to the version folder (`models/mod.rs`,
    /// `models/account.rs`, ...), as token streams (the emitter adds headers and formats them).
    pub fn emit_models(&self, runtime: &TokenStream) -> Vec<(PathBuf, TokenStream)> {
        let _ = runtime;
        Vec::new()
    }
}
