//! The intermediate model to tokens: one file per component, `models/mod.rs` re-exporting all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::LenientConfig;
use crate::docs::doc_attrs;
use crate::types::collect_named;
use crate::types::ir::{Model, ModelKind, StructModel, UnionModel, resolve_alias, resolve_model};
use crate::types::{TypeRef, TypeSpace};

/// Files of the models folder, relative to the version folder (`models/mod.rs`,
/// `models/account.rs`, ...), as token streams (the emitter adds headers and formats them).
/// `file_cfg` gives the `#[cfg]` of each file (by file stem), if any; `usage` a paragraph for
/// the docs of a model (by type name), such as the operations that use it.
pub fn emit_models(
    types: &TypeSpace,
    runtime: &TokenStream,
    file_cfg: &dyn Fn(&str) -> TokenStream,
    usage: &dyn Fn(&str) -> Option<String>,
) -> Vec<(PathBuf, TokenStream)> {
    let models = types.models();
    let lenient: LenientConfig = types.lenient();
    let graph = Graph::new(models, lenient);
    let mut files: BTreeMap<&str, Vec<&Model>> = BTreeMap::new();
    for model in models {
        files.entry(model.file.as_str()).or_default().push(model);
    }
    let mut out = Vec::new();
    // Each file's models are items of `models` itself: one `include!` per file, behind the
    // file's gate, states the gate once (a `mod` and its `pub use` would need it twice).
    let includes = files.keys().map(|file| {
        let cfg = file_cfg(file);
        let name = format!("{file}.rs");
        quote!(#cfg include!(#name);)
    });
    // The runtime's helpers of generated (de)serialisers, by a short name no model can take
    // (models are named in CamelCase); unused when every file is gated off.
    let mod_rs = quote! {
        //! The models, one file per schema of the spec (with the models of its inline schemas).
        #[allow(unused_imports)]
        use #runtime::__private as json;
        #(#includes)*
    };
    out.push((PathBuf::from("models/mod.rs"), mod_rs));
    for (file, mut file_models) in files {
        file_models.sort_by_key(|m| m.seq);
        let items = file_models
            .iter()
            .map(|model| emit_model(model, &graph, runtime, usage(&model.name)));
        out.push((
            PathBuf::from(format!("models/{file}.rs")),
            quote!(#(#items)*),
        ));
    }
    out
}

/// For each file of models, the other model files its models name.
pub(crate) fn file_references(types: &TypeSpace) -> BTreeMap<&str, BTreeSet<&str>> {
    let files = types.model_files();
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for model in types.models() {
        let mut named = Vec::new();
        model_refs(model, &mut named);
        let from = edges.entry(model.file.as_str()).or_default();
        for name in named {
            if let Some(&to) = files.get(name.as_str())
                && to != model.file
            {
                from.insert(to);
            }
        }
    }
    edges
}

pub(super) fn model_refs(model: &Model, out: &mut Vec<String>) {
    match &model.kind {
        ModelKind::Struct(s) => {
            for field in &s.fields {
                collect_named(&field.ty, out);
            }
            if let Some((_, ty)) = &s.additional {
                collect_named(ty, out);
            }
        }
        ModelKind::Union(u) => {
            for variant in &u.variants {
                collect_named(&variant.ty, out);
            }
        }
        ModelKind::StringEnum(_) => {}
        ModelKind::Alias(ty) => collect_named(ty, out),
    }
}

/// Which references need a `Box`: those between models of one strongly connected component of
/// the graph of direct containment (a field or variant holding a model, possibly in an
/// `Option`, but not in a `Vec` or a map).
struct Graph<'m> {
    models: BTreeMap<&'m str, &'m Model>,
    component_of: BTreeMap<&'m str, usize>,
    /// The drift the models' readers decode.
    lenient: LenientConfig,
}

impl<'m> Graph<'m> {
    /// The variant that keeps a value whole, when `ty` is a union (its `Other` or `Unrecognized`).
    fn kept_whole_variant(&self, ty: &TypeRef) -> Option<proc_macro2::Ident> {
        let model = resolve_model(ty, self.models.len(), |name| self.models.get(name).copied())?;
        match &model.kind {
            ModelKind::Union(u) => u
                .unrecognized
                .as_deref()
                .map(|name| format_ident!("{}", name)),
            _ => None,
        }
    }

    /// How a union variant of type `ty` fits a value: the JSON member names it declares (a
    /// struct without `additionalProperties`), and whether it takes any object or value (free-form
    /// JSON, a map, a struct with `additionalProperties`).
    fn variant_shape(&self, ty: &TypeRef) -> (Option<Vec<&'m str>>, bool) {
        match self.terminal(ty) {
            TypeRef::Json | TypeRef::Map(_) => return (None, true),
            _ => {}
        }
        let model = resolve_model(ty, self.models.len(), |name| self.models.get(name).copied());
        match model.map(|m| &m.kind) {
            Some(ModelKind::Struct(s)) if s.additional.is_some() => (None, true),
            Some(ModelKind::Struct(s)) => (
                Some(s.fields.iter().map(|f| f.wire.as_str()).collect()),
                false,
            ),
            _ => (None, false),
        }
    }

    fn new(models: &'m [Model], lenient: LenientConfig) -> Self {
        let by_name: BTreeMap<&str, &Model> = models.iter().map(|m| (m.name.as_str(), m)).collect();
        let mut graph = Graph {
            models: by_name,
            component_of: BTreeMap::new(),
            lenient,
        };
        let edges: BTreeMap<&str, Vec<&str>> = models
            .iter()
            .map(|m| {
                let targets = match &m.kind {
                    ModelKind::Struct(s) => s
                        .fields
                        .iter()
                        .filter_map(|f| graph.direct(&f.ty))
                        .collect(),
                    ModelKind::Union(u) => u
                        .variants
                        .iter()
                        .filter_map(|v| graph.direct(&v.ty))
                        .collect(),
                    _ => Vec::new(),
                };
                (m.name.as_str(), targets)
            })
            .collect();
        graph.component_of = strongly_connected(&edges);
        graph
    }

    /// The model a value of `ty` contains inline, following aliases.
    fn direct(&self, ty: &TypeRef) -> Option<&'m str> {
        resolve_model(ty, self.models.len(), |name| self.models.get(name).copied())
            .map(|model| model.name.as_str())
    }

    /// The type a value of `ty` really is: `ty` with aliases followed.
    fn terminal<'t>(&self, ty: &'t TypeRef) -> &'t TypeRef
    where
        'm: 't,
    {
        resolve_alias(ty, self.models.len(), |name| self.models.get(name).copied())
    }

    fn needs_box(&self, from: &str, ty: &TypeRef) -> bool {
        match (self.direct(ty), self.component_of.get(from)) {
            (Some(to), Some(component)) => self.component_of.get(to) == Some(component),
            _ => false,
        }
    }
}

/// Tarjan's algorithm, iterative; nodes are visited in name order so that numbering is stable.
fn strongly_connected<'m>(edges: &BTreeMap<&'m str, Vec<&'m str>>) -> BTreeMap<&'m str, usize> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut component: BTreeMap<&'m str, usize> = BTreeMap::new();
    let mut next = 0;
    let mut components = 0;
    for &root in edges.keys() {
        if index.contains_key(root) {
            continue;
        }
        // (node, position of the next edge to look at)
        let mut work: Vec<(&str, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut position)) = work.last_mut() {
            if *position == 0 && !index.contains_key(node) {
                index.insert(node, next);
                low.insert(node, next);
                next += 1;
                stack.push(node);
                on_stack.insert(node);
            }
            let targets = edges.get(node).map(Vec::as_slice).unwrap_or_default();
            if let Some(&target) = targets.get(*position) {
                *position += 1;
                if !edges.contains_key(target) {
                    continue;
                }
                if !index.contains_key(target) {
                    work.push((target, 0));
                } else if on_stack.contains(target) {
                    let low_node = low[node].min(index[target]);
                    low.insert(node, low_node);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let low_parent = low[parent].min(low[node]);
                low.insert(parent, low_parent);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack.remove(member);
                    component.insert(member, components);
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// The docs without a leading title that only repeats the type name (`title: Access Item` on
/// `AccessItem`).
fn without_name_title<'d>(docs: &'d str, name: &str) -> &'d str {
    let (first, rest) = docs.split_once("\n\n").unwrap_or((docs, ""));
    if !first.contains('\n') && crate::naming::type_name(first) == name {
        rest
    } else {
        docs
    }
}

fn emit_model(
    model: &Model,
    graph: &Graph<'_>,
    runtime: &TokenStream,
    usage: Option<String>,
) -> TokenStream {
    let fields_doc = match &model.kind {
        ModelKind::Struct(s) => fields_summary(&model.name, s),
        _ => None,
    };
    let docs = doc_attrs(&crate::docs::present_paragraphs([
        Some(without_name_title(&model.docs, &model.name)),
        fields_doc.as_deref(),
        usage.as_deref(),
    ]));
    let name = format_ident!("{}", model.name);
    match &model.kind {
        ModelKind::Struct(s) => emit_struct(model, s, graph, runtime, docs),
        ModelKind::StringEnum(variants) => {
            let idents: Vec<_> = variants
                .iter()
                .map(|v| format_ident!("{}", v.ident))
                .collect();
            let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
            let variant_docs = wires.iter().map(|wire| {
                if wire.is_empty() {
                    " The empty string.".to_string()
                } else {
                    format!(" `{wire}`")
                }
            });
            let mut all: Vec<&str> = variants.iter().map(|v| v.ident.as_str()).collect();
            all.push("Unrecognized");
            let allow = variant_names_allow(&model.name, &all);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                #allow
                pub enum #name {
                    #(#[doc = #variant_docs] #idents,)*
                    /// A value this version of the client does not know, kept as it was received.
                    Unrecognized(String),
                }

                impl #runtime::StringEnum for #name {
                    fn as_str(&self) -> &str {
                        match self {
                            #(Self::#idents => #wires,)*
                            Self::Unrecognized(value) => value,
                        }
                    }

                    fn from_wire(value: String) -> Self {
                        match value.as_str() {
                            #(#wires => Self::#idents,)*
                            _ => Self::Unrecognized(value),
                        }
                    }
                }

                #runtime::impl_string_enum!(#name);
            }
        }
        ModelKind::Union(u) => emit_union(model, u, graph, runtime, docs),
        ModelKind::Alias(target) => {
            let target = render(target, runtime);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

/// Which fields a caller gives, may set, and finds filled by the server, and how to make a value:
/// a line of the model's docs.
fn fields_summary(name: &str, s: &StructModel) -> Option<String> {
    if s.fields.is_empty() {
        return None;
    }
    let list = |pick: &dyn Fn(&crate::types::ir::Field) -> bool| {
        let names: Vec<String> = s
            .fields
            .iter()
            .filter(|f| pick(f))
            .map(|f| format!("`{}`", f.ident))
            .collect();
        names.join(", ")
    };
    let required = list(&|f| f.is_plain());
    let server = list(&|f| f.read_only);
    // The optional field the sentence shows being set: the first a caller would choose.
    let example = s
        .fields
        .iter()
        .find(|f| !f.is_plain() && !f.read_only)
        .map(|f| f.ident.as_str());
    let mut parts = Vec::new();
    let base = if required.is_empty() {
        parts.push("Every field is optional.".to_string());
        "Default::default()".to_string()
    } else {
        parts.push(format!(
            "Required: {required}, the arguments of [`{name}::new`]."
        ));
        format!("{name}::new(..)")
    };
    if let Some(field) = example {
        parts.push(format!(
            "Set optional fields with struct update syntax: `{name} {{ {field}: Some(..), ..{base} }}`."
        ));
    }
    if !server.is_empty() {
        parts.push(format!(
            "Filled by the server (read-only, left out of requests): {server}."
        ));
    }
    Some(parts.join(" "))
}

/// `impl Name { pub fn new(required fields) -> Self }` for a struct with fields a caller must
/// give; nothing for one whose fields are all optional (it derives `Default`).
fn constructor(
    model: &Model,
    s: &StructModel,
    graph: &Graph<'_>,
    runtime: &TokenStream,
) -> TokenStream {
    let name = format_ident!("{}", model.name);
    let mut params = Vec::new();
    let mut values = Vec::new();
    for field in &s.fields {
        let ident = format_ident!("{}", field.ident);
        if !field.is_plain() {
            values.push(quote!(#ident: None));
            continue;
        }
        let ty = render(&field.ty, runtime);
        // Text is taken as anything that becomes one (`"name"`, a `String`); that makes the
        // constructor generic, so it is compiled where it is called. One without text is
        // compiled here: a debug build compiles `#[inline]` functions in their own crate too.
        // Measured on v3, the 143 constructors cost the crate 0.35 s of 19.5 s
        // (`-Ztime-passes`).
        let text = matches!(graph.terminal(&field.ty), TypeRef::String);
        let boxed = graph.needs_box(&model.name, &field.ty);
        params.push(if text {
            quote!(#ident: impl Into<#ty>)
        } else {
            quote!(#ident: #ty)
        });
        values.push(match (text, boxed) {
            (false, false) => quote!(#ident),
            (true, false) => quote!(#ident: #ident.into()),
            (false, true) => quote!(#ident: Box::new(#ident)),
            (true, true) => quote!(#ident: Box::new(#ident.into())),
        });
    }
    if params.is_empty() {
        return TokenStream::new();
    }
    if let Some((ident, _)) = &s.additional {
        let ident = format_ident!("{}", ident);
        values.push(quote!(#ident: std::collections::BTreeMap::new()));
    }
    let extra = format_ident!("{}", extra_field(s));
    values.push(quote!(#extra: #runtime::Extra::new()));
    let doc = format!(
        " Makes a `{}` from its required fields; the optional ones are `None`.",
        model.name
    );
    let allow = if params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        TokenStream::new()
    };
    quote! {
        impl #name {
            #[doc = #doc]
            #allow
            #[inline]
            pub fn new(#(#params),*) -> Self {
                Self { #(#values),* }
            }
        }
    }
}

fn render(ty: &TypeRef, runtime: &TokenStream) -> TokenStream {
    ty.render(runtime, &|name| {
        let ident = format_ident!("{}", name);
        quote!(#ident)
    })
}

/// How a member is read: which runtime helper its generated reader calls.
enum Reading {
    /// A type that holds no model and may be read leniently (text, numbers, dates, enums, lists
    /// and maps of them): through `Scalar`, which keeps the original of a lenient reading.
    /// `dates`: the type holds a date, which a date-time's text is read as.
    Scalar { dates: bool },
    /// A model, or free-form JSON: straight from the input (its models keep their own
    /// originals), an `Option` through `Nullable`.
    Direct,
}

impl Graph<'_> {
    fn reading(&self, ty: &TypeRef) -> Reading {
        let (mut models, mut scalars, mut dates) = (false, false, false);
        self.visit_leaves(ty, &mut |leaf| match leaf {
            Leaf::Model => models = true,
            Leaf::Json => {}
            Leaf::Date => {
                dates = true;
                scalars = true;
            }
            Leaf::Scalar => scalars = true,
        });
        if models || !scalars {
            Reading::Direct
        } else {
            Reading::Scalar { dates }
        }
    }

    /// Calls `leaf` for every leaf type of `ty` (aliases followed, models not entered).
    fn visit_leaves(&self, ty: &TypeRef, leaf: &mut dyn FnMut(Leaf)) {
        match self.terminal(ty) {
            TypeRef::Vec(inner) | TypeRef::Map(inner) => self.visit_leaves(inner, leaf),
            TypeRef::Json => leaf(Leaf::Json),
            TypeRef::Date => leaf(Leaf::Date),
            TypeRef::Named(name) => match self.models.get(name.as_str()).map(|m| &m.kind) {
                Some(ModelKind::StringEnum(_)) => leaf(Leaf::Scalar),
                _ => leaf(Leaf::Model),
            },
            _ => leaf(Leaf::Scalar),
        }
    }
}

enum Leaf {
    Model,
    Json,
    Date,
    Scalar,
}

/// The name of a struct's field of undeclared members: `extra`, unless the spec declares a
/// property of that name.
fn extra_field(s: &StructModel) -> &'static str {
    if s.fields.iter().any(|f| f.ident == "extra")
        || s.additional
            .as_ref()
            .is_some_and(|(ident, _)| ident == "extra")
    {
        "undeclared"
    } else {
        "extra"
    }
}

fn emit_struct(
    model: &Model,
    s: &StructModel,
    graph: &Graph<'_>,
    runtime: &TokenStream,
    docs: TokenStream,
) -> TokenStream {
    let name = format_ident!("{}", model.name);
    let extra = format_ident!("{}", extra_field(s));
    let runtime_path: String = runtime.to_string().split_whitespace().collect();
    let mut fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|field| {
            let docs = doc_attrs(&field.docs);
            let ident = format_ident!("{}", field.ident);
            let mut ty = render(&field.ty, runtime);
            if graph.needs_box(&model.name, &field.ty) {
                ty = quote!(Box<#ty>);
            }
            let ty = if field.is_plain() {
                ty
            } else {
                quote!(Option<#ty>)
            };
            quote! {
                #docs
                pub #ident: #ty
            }
        })
        .collect();
    if let Some((ident, ty)) = &s.additional {
        let ident = format_ident!("{}", ident);
        let ty = render(ty, runtime);
        fields.push(quote! {
            /// Properties not listed above (`additionalProperties`).
            pub #ident: std::collections::BTreeMap<String, #ty>
        });
    }
    let extra_doc = format!(
        " Members the spec does not declare, kept as they came and sent back after the fields \
         above ([`Extra`]({runtime_path}::Extra))."
    );
    fields.push(quote! {
        #[doc = #extra_doc]
        pub #extra: #runtime::Extra
    });
    // A struct whose fields are all optional has an obvious empty value (`Search::default()`);
    // one with required fields has `new` with those. A caller sets the optional fields it
    // needs with struct update syntax (`AccessProfile { enabled: Some(true),
    // ..AccessProfile::new(name, owner, source) }`), so a field the spec adds later (optional)
    // breaks no caller, and `cargo xtask spec diff` says so. Not `#[non_exhaustive]`: that
    // would forbid exactly this syntax outside the crate (README, "Building request bodies").
    let all_optional = s.fields.iter().all(|f| !f.is_plain());
    let derives = if all_optional {
        quote!(#[derive(Debug, Clone, Default, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    let constructor = constructor(model, s, graph, runtime);
    let serde = struct_serde(model, s, graph);
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields,)*
        }

        #constructor

        #serde
    }
}

/// The `Deserialize` and `Serialize` impls of a struct (see the runtime's `object` module for
/// why they are generated rather than derived): one pass over the members, each declared one
/// read into its field, the others kept; written back in declaration order, then the others.
fn struct_serde(model: &Model, s: &StructModel, graph: &Graph<'_>) -> TokenStream {
    let name = format_ident!("{}", model.name);
    let model_name = model.name.as_str();
    let extra = format_ident!("{}", extra_field(s));
    let private = quote!(json);
    let lenient = graph.lenient;
    let wires: Vec<&str> = s.fields.iter().map(|f| f.wire.as_str()).collect();
    // Locals of the visitor: the field names, but those the loop's own names would shadow.
    let locals: Vec<proc_macro2::Ident> = s
        .fields
        .iter()
        .map(|f| match f.ident.as_str() {
            "map" | "member" | "name" => format_ident!("field_{}", f.ident),
            ident => format_ident!("{}", ident),
        })
        .collect();
    let mut arms = Vec::new();
    let mut finish = Vec::new();
    let mut writes = Vec::new();
    for (index, (field, local)) in s.fields.iter().zip(&locals).enumerate() {
        let wire = field.wire.as_str();
        let ident = format_ident!("{}", field.ident);
        // A required list or map that is `null` or missing reads as empty (drift), its original
        // kept.
        let collection = field.is_plain()
            && lenient.null_collections_as_empty
            && matches!(graph.terminal(&field.ty), TypeRef::Vec(_) | TypeRef::Map(_));
        let read = match graph.reading(&field.ty) {
            Reading::Scalar { dates } => {
                let method = match (lenient.numbers_as_text, dates) {
                    (true, false) => quote!(scalar),
                    (true, true) => quote!(dated),
                    (false, false) => quote!(strict),
                    (false, true) => quote!(strict_dated),
                };
                quote!(map.#method(#wire)?)
            }
            Reading::Direct if !field.is_plain() || collection => quote!(map.nullable(#wire)?),
            Reading::Direct => quote!(map.value()?),
        };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        if field.is_plain() {
            arms.push(quote!(#index => #local = Some(#read),));
        } else {
            arms.push(quote!(#index => #local = #read,));
        }
        finish.push(if collection {
            quote!(#ident: map.or_empty(#local, #wire))
        } else if field.is_plain() {
            quote!(#ident: #private::required(#local, #wire)?)
        } else if field.required {
            quote!(#ident: map.nullable_required(#local, #wire))
        } else if *local == field.ident {
            quote!(#ident)
        } else {
            quote!(#ident: #local)
        });
        // An optional member is left out when `None`; a required nullable one is `null`.
        writes.push(if field.required {
            quote!(object.field(#wire, &self.#ident)?;)
        } else {
            quote!(object.optional(#wire, &self.#ident)?;)
        });
    }
    // Undeclared members are kept by the reader, or go to the `additionalProperties` map.
    let (additional_local, members_loop, additional_finish, additional_write) = match &s.additional
    {
        Some((ident, _)) => {
            let ident = format_ident!("{}", ident);
            let declared = if s.fields.is_empty() {
                quote!(#private::Key::Declared(_) => map.skip()?,)
            } else {
                quote!(#private::Key::Declared(member) => match member {
                    #(#arms)*
                    _ => map.skip()?,
                },)
            };
            (
                quote!(let mut #ident = std::collections::BTreeMap::new();),
                quote! {
                    while let Some(member) = map.next_key()? {
                        match member {
                            #declared
                            #private::Key::Undeclared(name) => {
                                #ident.insert(name, map.value()?);
                            }
                        }
                    }
                },
                quote!(#ident,),
                quote!(object.entries(&self.#ident)?;),
            )
        }
        None if s.fields.is_empty() => (
            TokenStream::new(),
            quote! {
                while map.next_declared()?.is_some() {
                    map.skip()?;
                }
            },
            TokenStream::new(),
            TokenStream::new(),
        ),
        None => (
            TokenStream::new(),
            quote! {
                while let Some(member) = map.next_declared()? {
                    match member {
                        #(#arms)*
                        _ => map.skip()?,
                    }
                }
            },
            TokenStream::new(),
            TokenStream::new(),
        ),
    };
    quote! {
        impl #name {
            /// The JSON names of the declared members, in order.
            const MEMBERS: &[&str] = &[#(#wires),*];
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct Members;

                impl<'de> serde::de::Visitor<'de> for Members {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        #private::expecting_object(f, #model_name)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> ::core::result::Result<#name, A::Error> {
                        let mut map = #private::Members::new(map, #name::MEMBERS);
                        #(let mut #locals = None;)*
                        #additional_local
                        #members_loop
                        Ok(#name {
                            #(#finish,)*
                            #additional_finish
                            #extra: map.into_extra(),
                        })
                    }
                }

                deserializer.deserialize_map(Members)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                let mut object = #private::begin(serializer, &self.#extra)?;
                #(#writes)*
                #additional_write
                object.end(Self::MEMBERS)
            }
        }
    }
}

fn emit_union(
    model: &Model,
    u: &UnionModel,
    graph: &Graph<'_>,
    runtime: &TokenStream,
    docs: TokenStream,
) -> TokenStream {
    let name = format_ident!("{}", model.name);
    let idents: Vec<_> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.ident))
        .collect();
    let boxed: Vec<bool> = u
        .variants
        .iter()
        .map(|v| graph.needs_box(&model.name, &v.ty))
        .collect();
    let types = u.variants.iter().zip(&boxed).map(|(v, boxed)| {
        let ty = render(&v.ty, runtime);
        if *boxed { quote!(Box<#ty>) } else { ty }
    });
    let mut names: Vec<&str> = u.variants.iter().map(|v| v.ident.as_str()).collect();
    names.extend(u.unrecognized.as_deref());
    let allow_names = variant_names_allow(&model.name, &names);
    let Some(property) = &u.discriminator else {
        // Serde's untagged decoding takes the first variant that decodes, which with lenient
        // readings and optional members is often the wrong one; the runtime's `best_fit` only
        // chooses a variant the value fits exactly, else the value is kept whole (see the
        // runtime's `untagged` module).
        let other = format_ident!("{}", u.unrecognized.as_deref().unwrap_or("Other"));
        let candidates =
            u.variants
                .iter()
                .zip(&idents)
                .zip(&boxed)
                .map(|((variant, ident), boxed)| {
                    let ty = render(&variant.ty, runtime);
                    let build = if *boxed {
                        quote!(|value| Self::#ident(Box::new(value)))
                    } else {
                        quote!(Self::#ident)
                    };
                    let (fields, catch_all) = graph.variant_shape(&variant.ty);
                    let fields = match fields {
                        Some(names) => quote!(Some(&[#(#names),*])),
                        None => quote!(None),
                    };
                    // A variant that is a union itself fits only when it chose one of its own
                    // variants: kept whole, it fits anything, and would tie with the right one.
                    let decode = match graph.kept_whole_variant(&variant.ty) {
                        Some(kept) => {
                            let nested = render(&variant.ty, runtime);
                            let build = if *boxed {
                                quote!(Self::#ident(Box::new(decoded)))
                            } else {
                                quote!(Self::#ident(decoded))
                            };
                            quote!(|value| match json::variant::<#ty>(value)? {
                                #nested::#kept(_) => Err(String::new()),
                                decoded => Ok(#build),
                            })
                        }
                        None => quote!(|value| json::variant::<#ty>(value).map(#build)),
                    };
                    quote! {
                        json::Candidate {
                            fields: #fields,
                            catch_all: #catch_all,
                            decode: #decode,
                        }
                    }
                });
        let other_doc = " A value that fits no variant exactly, or several equally: kept whole \
                         and written back unchanged.";
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            #allow_names
            pub enum #name {
                #(#idents(#types),)*
                #[doc = #other_doc]
                #other(serde_json::Value),
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
                where
                    D: serde::Deserializer<'de>,
                {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(json::best_fit(&value, &[#(#candidates),*])
                        .unwrap_or(Self::#other(value)))
                }
            }
        };
    };
    let union_name = model.name.as_str();
    let arms = u.variants.iter().zip(&idents).zip(&boxed).map(|((variant, ident), boxed)| {
        let tags = &variant.tags;
        let ty = render(&variant.ty, runtime);
        let variant_name = variant_type_name(variant);
        let build = if *boxed { quote!(|value| Self::#ident(Box::new(value))) } else { quote!(Self::#ident) };
        let pattern = if tags.len() == 1 { quote!(#(#tags)*) } else { quote!((#(#tags)|*)) };
        quote! {
            Some(tag @ #pattern) => json::tagged::<#ty>(&value, #union_name, #property, tag, #variant_name)
                .map(#build)
                .map_err(serde::de::Error::custom),
        }
    });
    let unrecognized = format_ident!("{}", u.unrecognized.as_deref().unwrap_or("Unrecognized"));
    let unrecognized_doc = format!(
        " An object whose `{property}` this version of the client does not know, kept as it was received."
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        #allow_names
        pub enum #name {
            #(#idents(#types),)*
            #[doc = #unrecognized_doc]
            #unrecognized(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#arms)*
                    Some(_) => Ok(Self::#unrecognized(value)),
                    None => Err(serde::de::Error::missing_field(#property)),
                }
            }
        }
    }
}

/// CamelCase words of an identifier.
fn words(ident: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in ident.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            out.push(&ident[start..i]);
            start = i;
        }
    }
    out.push(&ident[start..]);
    out
}

/// What error messages call a variant: the model it holds (`IdentityHit`), which a reader finds
/// in the docs, else the variant's name.
fn variant_type_name(variant: &crate::types::ir::UnionVariant) -> &str {
    match &variant.ty {
        TypeRef::Named(name) => name,
        _ => &variant.ident,
    }
}

/// `#[allow(clippy::enum_variant_names)]` when clippy would object: a variant that starts or
/// ends with the enum's name, or (three variants or more) a word shared by all at either end.
fn variant_names_allow(name: &str, variants: &[&str]) -> TokenStream {
    let named = variants
        .iter()
        .any(|v| v.starts_with(name) || v.ends_with(name));
    let shared = |pick: fn(&Vec<&str>) -> Option<String>| {
        let picked: Vec<Option<String>> = variants.iter().map(|v| pick(&words(v))).collect();
        picked
            .first()
            .is_some_and(|first| first.is_some() && picked.iter().all(|p| p == first))
    };
    let common = variants.len() >= 3
        && (shared(|w| w.first().map(|s| s.to_string()))
            || shared(|w| w.last().map(|s| s.to_string())));
    if named || common {
        quote!(#[allow(clippy::enum_variant_names)])
    } else {
        TokenStream::new()
    }
}
