//! The intermediate model: what each generated model is, before it becomes tokens.

use super::TypeRef;

/// One generated model (struct, string enum, oneOf enum or type alias).
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// Rust type name, unique in the version.
    pub name: String,
    /// Stem of the file under `models/` that holds it.
    pub file: String,
    /// Creation order (names are claimed in this order); models of a file are emitted in it.
    pub seq: usize,
    /// Documentation, Markdown, already assembled from title, description and notes.
    pub docs: String,
    pub kind: ModelKind,
}

/// `ty` with aliases followed: the type a value of it really is (`String` for an alias of a
/// string). `bound` caps the steps (the number of models will do: alias cycles were broken at
/// construction, so a chain never visits a model twice).
pub(crate) fn resolve_alias<'t, 'm: 't>(
    ty: &'t TypeRef,
    bound: usize,
    lookup: impl Fn(&str) -> Option<&'m Model>,
) -> &'t TypeRef {
    let mut ty = ty;
    for _ in 0..=bound {
        let TypeRef::Named(name) = ty else {
            return ty;
        };
        match lookup(name).map(|model| &model.kind) {
            Some(ModelKind::Alias(target)) => ty = target,
            _ => return ty,
        }
    }
    ty
}

/// The model a type names, with aliases followed; `None` for a type that names no model (or an
/// alias chain longer than `bound`).
pub(crate) fn resolve_model<'m>(
    ty: &TypeRef,
    bound: usize,
    lookup: impl Fn(&str) -> Option<&'m Model>,
) -> Option<&'m Model> {
    let TypeRef::Named(name) = resolve_alias(ty, bound, &lookup) else {
        return None;
    };
    lookup(name).filter(|model| !matches!(model.kind, ModelKind::Alias(_)))
}

#[derive(Debug, Clone)]
pub(crate) enum ModelKind {
    Struct(StructModel),
    StringEnum(Vec<EnumVariant>),
    Union(UnionModel),
    /// `pub type Name = T;` for a component that is not an object, enum or union.
    Alias(TypeRef),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct StructModel {
    pub fields: Vec<Field>,
    /// `#[serde(flatten)]` map of the properties not listed (`additionalProperties`).
    pub additional: Option<(String, TypeRef)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// Rust identifier.
    pub ident: String,
    /// JSON name.
    pub wire: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// `readOnly`: filled by the server, never asked of a caller.
    pub read_only: bool,
    pub docs: String,
}

impl Field {
    /// Whether the Rust field is a plain `T` (required and not nullable) rather than an
    /// `Option<T>`: what a constructor must be given.
    pub fn is_plain(&self) -> bool {
        self.required && !self.nullable
    }
}

#[derive(Debug, Clone)]
pub(crate) struct EnumVariant {
    pub ident: String,
    pub wire: String,
}

#[derive(Debug, Clone)]
pub(crate) struct UnionModel {
    pub variants: Vec<UnionVariant>,
    /// Property that selects the variant (`discriminator.propertyName`); untagged when `None`.
    pub discriminator: Option<String>,
    /// The variant that keeps a value whole, as `serde_json::Value`: in a tagged union, an
    /// object with a tag value this client does not know; in an untagged one, a value that fits
    /// no variant exactly, or several equally.
    pub unrecognized: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct UnionVariant {
    pub ident: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant (tagged unions only).
    pub tags: Vec<String>,
}
