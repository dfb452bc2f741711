//! The type model: every schema of a bundle as a Rust type, and the emission of the models module.
//!
//! CONTRACT (the operations model and the emitter rely on exactly this):
//! - [`TypeSpace::new`] registers every component schema of the bundle;
//! - [`TypeSpace::type_for`] types a schema met in an operation, registering inline object, enum
//!   and oneOf/anyOf schemas as new named models named from the hint;
//! - [`TypeRef::tokens`] renders a reference, named types as `<models path>::Name`;
//! - [`crate::emit::models::emit_models`] writes the files of the `models` folder of a version
//!   module from it (the type space is read, never changed, by emission).
//!
//! Layout: [`build`] turns schemas into the intermediate model of [`ir`]; [`emit`] turns that
//! model into tokens; `crate::docs` makes spec text safe for rustdoc.
//!
//! Naming of models:
//! - a component keeps `naming::type_name(<component name>)`; components claim their names first,
//!   in bundle order, so inline models never take a component's name;
//! - an inline object, string enum or oneOf/anyOf met in a property is named
//!   `<Parent><Property>` (`Account` + `status` -> `AccountStatus`); in array items
//!   `<Parent><Property>Item`; as `additionalProperties` values `<Parent><Property>Value`; as an
//!   inline member of a oneOf `<Union><Variant>` (`Variant1`, ...); collisions get `2`, `3`, ...;
//! - models typed from operations take the caller's hint, with the same suffixes below it.
//!
//! Each component has a file `models/<snake name>.rs` holding its model and the inline models
//! created while typing it; each inline model created by [`TypeSpace::type_for`] gets a file named
//! after it.

mod build;
pub(crate) mod ir;

pub(crate) use build::collect_named;

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::LenientConfig;
use crate::diagnostics::Diagnostics;
use crate::loader::{Bundle, BundledSchema};
use crate::naming::UniqueNames;

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
    /// The names of the models this type mentions (`Vec<Account>` -> `Account`).
    pub(crate) fn named_models(&self) -> Vec<String> {
        let mut out = Vec::new();
        build::collect_named(self, &mut out);
        out
    }

    /// Render as Rust tokens. `models` is the path of the models module (`super::models`),
    /// `runtime` the path of the runtime (`crate::runtime`).
    pub fn tokens(&self, models: &TokenStream, runtime: &TokenStream) -> TokenStream {
        self.render(runtime, &|name| {
            let ident = format_ident!("{}", name);
            quote!(#models::#ident)
        })
    }

    /// Render with `named` deciding how a model is spelt.
    pub(crate) fn render(
        &self,
        runtime: &TokenStream,
        named: &dyn Fn(&str) -> TokenStream,
    ) -> TokenStream {
        match self {
            TypeRef::Bool => quote!(bool),
            TypeRef::I32 => quote!(i32),
            TypeRef::I64 => quote!(i64),
            TypeRef::F32 => quote!(f32),
            TypeRef::F64 => quote!(f64),
            TypeRef::String | TypeRef::Binary => quote!(String),
            TypeRef::DateTime => quote!(#runtime::DateTime),
            TypeRef::Date => quote!(#runtime::Date),
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::Vec(inner) => {
                let inner = inner.render(runtime, named);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = inner.render(runtime, named);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            TypeRef::Named(name) => named(name),
        }
    }
}

/// A component schema as registered at [`TypeSpace::new`].
#[derive(Debug, Clone)]
struct Component {
    type_name: String,
    file: String,
    origin: String,
}

/// Everything the builder mutates; the schemas themselves are borrowed next to it.
#[derive(Debug, Default)]
struct State {
    models: Vec<ir::Model>,
    /// Model name -> index in `models`.
    index: BTreeMap<String, usize>,
    names: UniqueNames,
    files: UniqueNames,
    components: IndexMap<String, Component>,
    /// Component name -> the type a reference to it stands for (aliases are resolved).
    resolved: BTreeMap<String, TypeRef>,
    in_progress: BTreeSet<String>,
    seq: usize,
    /// Component name -> its words, for names without boundaries (see
    /// [`TypeSpace::with_names`]).
    component_words: BTreeMap<String, String>,
    /// Type name the spec's names would give -> the one to use instead (see
    /// [`crate::config::GeneratorConfig::type_names`]).
    type_names: BTreeMap<String, String>,
    /// Component name -> the example values that describe it (`build::examples`).
    component_examples: BTreeMap<String, Vec<serde_json::Value>>,
}

/// How a caller makes a struct model (see [`TypeSpace::construction`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Construction {
    /// `Name::new(required..)`, the fields in declaration order.
    New { required: Vec<ConstructorField> },
    /// `Name::default()`: every field is optional; these are the ones a caller may set.
    Default { optional: Vec<ConstructorField> },
}

/// A field as a constructor or a struct literal names it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstructorField {
    /// Rust name.
    pub ident: String,
    /// JSON name.
    pub wire: String,
    pub ty: TypeRef,
    /// Text (a `String`, aliases followed): a constructor takes `impl Into<String>`.
    pub text: bool,
}

/// All generated models of one API version.
#[derive(Debug, Default)]
pub struct TypeSpace {
    schemas: Rc<IndexMap<String, BundledSchema>>,
    state: State,
    /// The drift the emitted models decode (see [`TypeSpace::with_lenient`]).
    lenient: LenientConfig,
}

impl TypeSpace {
    pub fn new(bundle: &Bundle, diagnostics: &mut Diagnostics) -> Result<Self, crate::Error> {
        Self::with_names(bundle, BTreeMap::new(), BTreeMap::new(), diagnostics)
    }

    /// As [`TypeSpace::new`], with the words of components whose names have no boundaries
    /// (`accessprofileref` -> `access profile ref`, see [`crate::naming::words`]): their types
    /// are named from those words (`AccessProfileRef`).
    ///
    /// `type_names` renames the types of components: the type name the spec's name gives
    /// (`IdentityDocuments`) to the one to use (`IdentityDocument`).
    pub fn with_names(
        bundle: &Bundle,
        component_words: BTreeMap<String, String>,
        type_names: BTreeMap<String, String>,
        diagnostics: &mut Diagnostics,
    ) -> Result<Self, crate::Error> {
        let mut space = TypeSpace {
            schemas: Rc::new(bundle.schemas.clone()),
            state: State {
                component_words,
                type_names,
                ..State::default()
            },
            lenient: LenientConfig::ALL,
        };
        let schemas = Rc::clone(&space.schemas);
        let mut builder = build::Builder::new(&schemas, &mut space.state, diagnostics);
        builder.gather_examples(bundle);
        builder.register_components();
        builder.build_components();
        builder.break_alias_cycles();
        Ok(space)
    }

    /// The drift the emitted models decode where the runtime's reader cannot (see
    /// [`LenientConfig`]); all of it unless this says otherwise.
    pub fn lenient(&self) -> LenientConfig {
        self.lenient
    }

    pub fn with_lenient(mut self, lenient: LenientConfig) -> Self {
        self.lenient = lenient;
        self
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
        let schemas = Rc::clone(&self.schemas);
        let mut builder = build::Builder::new(&schemas, &mut self.state, diagnostics);
        builder.type_for(schema, name_hint, location)
    }

    /// Whether a schema used by an operation may be `null` (a `nullable` schema, a reference to
    /// one, or an enum listing `null`).
    pub fn is_nullable(&self, schema: &ReferenceOr<Schema>) -> bool {
        build::is_nullable(&self.schemas, schema)
    }

    /// Whether values of this type are sent as plain strings (string enums), e.g. in a query.
    pub fn is_string_enum(&self, ty: &TypeRef) -> bool {
        self.resolve(ty)
            .is_some_and(|model| matches!(model.kind, ir::ModelKind::StringEnum(_)))
    }

    /// Whether values of this type are JSON objects with every one of these properties (by JSON
    /// name), following aliases.
    pub fn has_properties(&self, ty: &TypeRef, properties: &[&str]) -> bool {
        match self.resolve(ty).map(|model| &model.kind) {
            Some(ir::ModelKind::Struct(model)) => properties
                .iter()
                .all(|wire| model.fields.iter().any(|field| field.wire == *wire)),
            _ => false,
        }
    }

    /// How a caller makes a value of `ty` when it names a struct model (aliases followed): its
    /// name and either `new` with the required fields or `Default` with the optional ones.
    /// `None` for any other type. What the generated constructors take (see `emit.rs`).
    pub fn construction(&self, ty: &TypeRef) -> Option<(String, Construction)> {
        let model = self.resolve(ty)?;
        let ir::ModelKind::Struct(s) = &model.kind else {
            return None;
        };
        let fields = |plain: bool| {
            s.fields
                .iter()
                .filter(|f| f.is_plain() == plain && !f.read_only)
                .map(|f| ConstructorField {
                    ident: f.ident.clone(),
                    wire: f.wire.clone(),
                    ty: f.ty.clone(),
                    text: matches!(
                        ir::resolve_alias(&f.ty, self.state.models.len(), |name| self.model(name)),
                        TypeRef::String
                    ),
                })
                .collect::<Vec<_>>()
        };
        let required = fields(true);
        let construction = if required.is_empty() {
            Construction::Default {
                optional: fields(false),
            }
        } else {
            Construction::New { required }
        };
        Some((model.name.clone(), construction))
    }

    /// The model `ty` names, aliases followed.
    fn resolve(&self, ty: &TypeRef) -> Option<&ir::Model> {
        ir::resolve_model(ty, self.state.models.len(), |name| self.model(name))
    }

    /// The type a reference to the schema component `name` stands for.
    pub fn component_type(&self, name: &str) -> Option<&TypeRef> {
        self.state.resolved.get(name)
    }

    /// Number of generated models.
    pub fn model_count(&self) -> usize {
        self.state.models.len()
    }

    /// Names of all generated models, in creation order.
    pub fn model_names(&self) -> impl Iterator<Item = &str> {
        self.state.models.iter().map(|model| model.name.as_str())
    }

    /// The models, in creation order: read-only, for the passes that describe the type space
    /// (the surface of [`crate::surface`]) without being part of it.
    pub(crate) fn models(&self) -> &[ir::Model] {
        &self.state.models
    }

    /// The file stem (under `models/`) of each model, by model name.
    pub(crate) fn model_files(&self) -> BTreeMap<&str, &str> {
        self.state
            .models
            .iter()
            .map(|model| (model.name.as_str(), model.file.as_str()))
            .collect()
    }

    fn model(&self, name: &str) -> Option<&ir::Model> {
        self.state
            .index
            .get(name)
            .and_then(|&index| self.state.models.get(index))
    }
}
