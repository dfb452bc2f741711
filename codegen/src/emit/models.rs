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
    let mod_rs = quote! {
        //! The models, one file per schema of the spec (with the models of its inline schemas).
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
///
/// Also which models serde decodes from its own buffer rather than from the client's reader:
/// those with `additionalProperties` (`#[serde(flatten)]` buffers every member) and every model
/// they reach. The runtime's `Lenient` reader cannot see into that buffer, so their fields keep
/// the lenient field attributes.
struct Graph<'m> {
    models: BTreeMap<&'m str, &'m Model>,
    component_of: BTreeMap<&'m str, usize>,
    buffered: BTreeSet<&'m str>,
    /// The drift the fields decode where the runtime's reader cannot.
    lenient: LenientConfig,
}

impl<'m> Graph<'m> {
    /// The JSON member names of a struct model (following aliases); `None` for anything else.
    fn struct_fields(&self, ty: &TypeRef) -> Option<Vec<&'m str>> {
        let model = resolve_model(ty, self.models.len(), |name| self.models.get(name).copied())?;
        match &model.kind {
            ModelKind::Struct(s) => Some(s.fields.iter().map(|f| f.wire.as_str()).collect()),
            _ => None,
        }
    }

    fn new(models: &'m [Model], lenient: LenientConfig) -> Self {
        let by_name: BTreeMap<&str, &Model> = models.iter().map(|m| (m.name.as_str(), m)).collect();
        let mut graph = Graph {
            models: by_name,
            component_of: BTreeMap::new(),
            buffered: BTreeSet::new(),
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
        graph.buffered = buffered(models, &graph.models);
        graph
    }

    /// Whether serde decodes `model` from its buffer (see [`Graph`]).
    fn is_buffered(&self, model: &str) -> bool {
        self.buffered.contains(model)
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

/// Structs with `additionalProperties` and every model they reach, by any reference.
fn buffered<'m>(models: &'m [Model], by_name: &BTreeMap<&'m str, &'m Model>) -> BTreeSet<&'m str> {
    let mut found = BTreeSet::new();
    let mut queue: Vec<&'m str> = models
        .iter()
        .filter(|m| matches!(&m.kind, ModelKind::Struct(s) if s.additional.is_some()))
        .map(|m| m.name.as_str())
        .collect();
    while let Some(name) = queue.pop() {
        let Some(model) = by_name.get(name) else {
            continue;
        };
        if !found.insert(model.name.as_str()) {
            continue;
        }
        let mut refs = Vec::new();
        model_refs(model, &mut refs);
        for reference in refs {
            if let Some((key, _)) = by_name.get_key_value(reference.as_str()) {
                queue.push(key);
            }
        }
    }
    found
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

fn emit_struct(
    model: &Model,
    s: &StructModel,
    graph: &Graph<'_>,
    runtime: &TokenStream,
    docs: TokenStream,
) -> TokenStream {
    let name = format_ident!("{}", model.name);
    // As a string for serde's `deserialize_with = "..."` (`crate::runtime`, without the spaces
    // of token printing).
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
            let mut args = Vec::new();
            if field.ident != field.wire {
                let wire = &field.wire;
                args.push(quote!(rename = #wire));
            }
            // The drift the client decodes (README, "Drift policy"): a required collection
            // that is `null` or missing is empty, a number where a string is declared is its
            // JSON text. The runtime's `Lenient` reader does the `null` list and the number
            // for every model it reads; a field names a function only where the reader cannot
            // (a required map; any field of a model serde buffers, see `Graph`). The flag:
            // whether a missing member takes the default, which `deserialize_with` turns off (a
            // required string stays required).
            let optional = !field.required || field.nullable;
            let buffered = graph.is_buffered(&model.name);
            let (collections, numbers) = (
                graph.lenient.null_collections_as_empty,
                graph.lenient.numbers_as_text,
            );
            let lenient = match (graph.terminal(&field.ty), optional) {
                (TypeRef::Map(_), false) if collections => Some((Some("null_as_default"), true)),
                (TypeRef::Vec(_), false) if collections => {
                    Some((buffered.then_some("null_as_default"), true))
                }
                (TypeRef::String | TypeRef::Binary, true) if buffered && numbers => {
                    Some((Some("option_string_or_number"), true))
                }
                (TypeRef::String | TypeRef::Binary, false) if buffered && numbers => {
                    Some((Some("string_or_number"), false))
                }
                _ => None,
            };
            // serde reads a missing `Option` member as `None` by itself; `default` is needed
            // where `deserialize_with` turns that off, or the member is not an `Option`.
            if let Some((_, true)) = lenient {
                args.push(quote!(default));
            }
            if !field.required {
                args.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            if let Some((Some(function), _)) = lenient {
                let with = format!("{runtime_path}::__private::{function}");
                args.push(quote!(deserialize_with = #with));
            }
            let serde = if args.is_empty() {
                TokenStream::new()
            } else {
                quote!(#[serde(#(#args),*)])
            };
            let ty = if field.required && !field.nullable {
                ty
            } else {
                quote!(Option<#ty>)
            };
            quote! {
                #docs
                #serde
                pub #ident: #ty
            }
        })
        .collect();
    if let Some((ident, ty)) = &s.additional {
        let ident = format_ident!("{}", ident);
        let ty = render(ty, runtime);
        fields.push(quote! {
            /// Properties not listed above (`additionalProperties`).
            #[serde(flatten)]
            pub #ident: std::collections::BTreeMap<String, #ty>
        });
    }
    // A struct whose fields are all optional has an obvious empty value (`Search::default()`);
    // one with required fields has `new` with those. A caller sets the optional fields it
    // needs with struct update syntax (`AccessProfile { enabled: Some(true),
    // ..AccessProfile::new(name, owner, source) }`), so a field the spec adds later (optional)
    // breaks no caller, and `cargo xtask spec diff` says so. Not `#[non_exhaustive]`: that
    // would forbid exactly this syntax outside the crate (README, "Building request bodies").
    let all_optional = s.fields.iter().all(|f| !f.is_plain());
    let derives = if all_optional {
        quote!(#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
    };
    let constructor = constructor(model, s, graph, runtime);
    quote! {
        #docs
        #derives
        pub struct #name {
            #(#fields,)*
        }

        #constructor
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
        // Serde's untagged decoding takes the first variant that decodes; with two or more
        // struct variants that is often not the right one (an object decodes into any struct
        // whose required fields it has), so the variants are ranked by the members they
        // declare instead (see the runtime's `untagged` module).
        let fields: Vec<Option<Vec<&str>>> = u
            .variants
            .iter()
            .map(|v| graph.struct_fields(&v.ty))
            .collect();
        if fields.iter().filter(|f| f.is_some()).count() < 2 {
            return quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                #allow_names
                pub enum #name {
                    #(#idents(#types),)*
                }
            };
        }
        let union_name = model.name.as_str();
        let candidates = u.variants.iter().zip(&idents).zip(&boxed).zip(&fields).map(
            |(((variant, ident), boxed), fields)| {
                let ty = render(&variant.ty, runtime);
                let variant_name = variant_type_name(variant);
                let build = if *boxed {
                    quote!(|value| Self::#ident(Box::new(value)))
                } else {
                    quote!(Self::#ident)
                };
                let fields = match fields {
                    Some(names) => quote!(Some(&[#(#names),*])),
                    None => quote!(None),
                };
                quote! {
                    #runtime::__private::Candidate {
                        name: #variant_name,
                        fields: #fields,
                        decode: |value| #runtime::__private::variant::<#ty>(value).map(#build),
                    }
                }
            },
        );
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, serde::Serialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            #allow_names
            pub enum #name {
                #(#idents(#types),)*
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
                where
                    D: serde::Deserializer<'de>,
                {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    #runtime::__private::best_fit(&value, #union_name, &[#(#candidates),*])
                        .map_err(serde::de::Error::custom)
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
            Some(tag @ #pattern) => #runtime::__private::tagged::<#ty>(&value, #union_name, #property, tag, #variant_name)
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
