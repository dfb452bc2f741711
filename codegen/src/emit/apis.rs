//! The `apis` folder: one module per tag with its handle type and one request builder per
//! operation. The builders only collect arguments; sending is the runtime's job (`Request`,
//! `Client::execute`), so each `send` is a short list of calls rather than a copy of HTTP code.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ExampleContext, Paths};
use crate::config::DocExtension;
use crate::docs;
use crate::operations::{
    Api, Body, BodyKind, Operation, Pagination, PaginationKind, Param, ParamLocation, ResponseBody,
    Route, SuccessResponse, TagGroup, VersionGroup, status_word,
};
use crate::types::{Construction, TypeRef, TypeSpace};

pub(super) fn apis_module(api: &Api, gates: &super::features::Gates) -> TokenStream {
    let modules = api.tags.iter().map(|tag| {
        let module = format_ident!("{}", tag.module);
        let handle = format_ident!("{}", tag.struct_name);
        let doc = docs::doc_attrs(&format!("Operations tagged `{}`.", tag.name));
        let cfg = gates.tag_cfg(&tag.module);
        quote! {
            #doc
            #cfg
            pub mod #module;
            #cfg
            pub use #module::#handle;
        }
    });
    quote! {
        //! One module per tag of the spec, each with a handle type and its request builders.
        #(#modules)*
    }
}

/// What operation docs show besides the spec's text.
pub(super) struct DocContext<'a> {
    /// How to write a usage example; `None`: none.
    pub example: Option<&'a ExampleContext>,
    /// Extensions to show.
    pub extensions: &'a [DocExtension],
    /// The runtime's `Client`, when the groups are methods of it (see
    /// [`crate::config::GeneratorConfig::client_methods`]): handles say to get them there.
    pub client: Option<&'a TokenStream>,
    /// The version's models: how the usage example builds a body.
    pub types: &'a TypeSpace,
}

/// `apis/<tag>.rs`: the tag's handle with the methods of its unversioned operations and, when
/// the API versions its services, an accessor and a submodule per major version.
pub(super) fn tag_module(
    api: &Api,
    tag: &TagGroup,
    types: &TypeSpace,
    paths: &Paths,
    doc: &DocContext<'_>,
) -> TokenStream {
    let what = format!("Operations tagged `{}`.", tag.name);
    let module_doc = docs::inner_doc_attrs(&docs::present_paragraphs([
        Some(what.as_str()),
        tag.description.as_deref(),
    ]));
    let handle_doc = match doc.client {
        Some(client) => format!(
            "Handle for the operations tagged `{}`; get it from [`Client::{}`]({}::{}) \
             (or [`Api::{}`](super::super::Api::{})).",
            tag.name,
            tag.module,
            client.to_string().replace(' ', ""),
            tag.module,
            tag.module,
            tag.module
        ),
        None => format!(
            "Handle for the operations tagged `{}`; get it from [`Api::{}`](super::super::Api::{}).",
            tag.name, tag.module, tag.module
        ),
    };
    let route = Route { tag, version: None };
    let versions = tag.versions.iter().map(|version| {
        let module = format_ident!("{}", version.module);
        let handle = format_ident!("{}", version.struct_name);
        let doc = docs::doc_attrs(&format!(
            "Version {} of `{}` ({}).",
            version.major,
            tag.name,
            count(version.operations.len(), "operation")
        ));
        quote!(#doc pub fn #module(&self) -> #module::#handle { #module::#handle::new(self.client.clone()) })
    });
    let submodules = tag.versions.iter().map(|version| {
        let module = format_ident!("{}", version.module);
        let doc = docs::doc_attrs(&format!("Version {} of `{}`.", version.major, tag.name));
        quote!(#doc pub mod #module;)
    });
    handle_file(HandleFile {
        api,
        route,
        operations: &tag.operations,
        module_doc,
        handle_doc,
        extra_methods: versions.collect(),
        submodules: submodules.collect(),
        types,
        paths,
        doc,
    })
}

/// `apis/<tag>/v<N>.rs`: the handle of one major version of a service and its builders.
pub(super) fn version_module(
    api: &Api,
    tag: &TagGroup,
    version: &VersionGroup,
    types: &TypeSpace,
    paths: &Paths,
    doc: &DocContext<'_>,
) -> TokenStream {
    let what = format!(
        "Version {} of `{}`: operations whose paths carry `/{}`.",
        version.major, tag.name, version.module
    );
    let module_doc = docs::inner_doc_attrs(&what);
    let handle_doc = format!(
        "Handle for version {} of `{}`; get it from [`{}::{}`](super::{}::{}).",
        version.major, tag.name, tag.struct_name, version.module, tag.struct_name, version.module
    );
    handle_file(HandleFile {
        api,
        route: Route {
            tag,
            version: Some(version),
        },
        operations: &version.operations,
        module_doc,
        handle_doc,
        extra_methods: Vec::new(),
        submodules: Vec::new(),
        types,
        paths,
        doc,
    })
}

/// "1 operation", "3 operations".
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

struct HandleFile<'a> {
    api: &'a Api,
    route: Route<'a>,
    operations: &'a [usize],
    module_doc: TokenStream,
    handle_doc: String,
    /// Methods of the handle besides the operations (the version accessors).
    extra_methods: Vec<TokenStream>,
    submodules: Vec<TokenStream>,
    types: &'a TypeSpace,
    paths: &'a Paths,
    doc: &'a DocContext<'a>,
}

fn handle_file(file: HandleFile<'_>) -> TokenStream {
    let HandleFile {
        api,
        route,
        operations,
        module_doc,
        handle_doc,
        extra_methods,
        submodules,
        types,
        paths,
        doc,
    } = file;
    let runtime = &paths.runtime;
    let module = &paths.module;
    let handle = format_ident!("{}", route.handle());
    let handle_doc = docs::doc_attrs(&handle_doc);
    // The file names other modules' items through its `use` lines, never by a full path:
    // `runtime::SendFuture`, `models::Account`, `operations::LIST_ACCOUNTS`. A runtime that is
    // a crate of its own (`isc_runtime`) is in scope by its name already.
    let (runtime_self, runtime_local) = match syn::parse2::<syn::Path>(runtime.clone()) {
        Ok(path) if path.segments.len() > 1 => {
            let last = &path.segments[path.segments.len() - 1].ident;
            (quote!(self,), quote!(#last))
        }
        _ => (TokenStream::new(), runtime.clone()),
    };
    let paths = &Paths {
        runtime: runtime_local,
        module: module.clone(),
        models: quote!(models),
    };
    let operations: Vec<&Operation> = operations.iter().map(|&i| &api.operations[i]).collect();
    let methods: Vec<TokenStream> = operations
        .iter()
        .map(|op| handle_method(op, route, paths, doc))
        .collect();
    let builders: Vec<TokenStream> = operations
        .iter()
        .map(|op| builder(op, route.handle(), types, paths))
        .collect();
    // The file imports what it names: `models` only where a model is named (`models::Account`).
    let names_models = methods
        .iter()
        .chain(&builders)
        .any(|tokens| names_module(tokens.clone(), "models"));
    let imports = if operations.is_empty() {
        quote!(use #runtime::Client;)
    } else if names_models {
        quote! {
            use #runtime::{#runtime_self Client, Error, Request};
            use #module::{models, operations};
        }
    } else {
        quote! {
            use #runtime::{#runtime_self Client, Error, Request};
            use #module::operations;
        }
    };
    quote! {
        #module_doc

        #imports

        #(#submodules)*

        #handle_doc
        #[derive(Debug, Clone)]
        pub struct #handle {
            client: Client,
        }

        impl #handle {
            pub(crate) fn new(client: Client) -> Self {
                #handle { client }
            }

            #(#extra_methods)*

            #(#methods)*
        }

        #(#builders)*
    }
}

/// Whether `tokens` name an item of the module `module` (`models::Account`, at any depth).
fn names_module(tokens: TokenStream, module: &str) -> bool {
    let mut previous_is_module = false;
    let mut colons = 0;
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Group(group) => {
                if names_module(group.stream(), module) {
                    return true;
                }
                previous_is_module = false;
            }
            proc_macro2::TokenTree::Ident(ident) => {
                previous_is_module = ident == module;
                colons = 0;
                continue;
            }
            proc_macro2::TokenTree::Punct(punct)
                if punct.as_char() == ':' && previous_is_module =>
            {
                colons += 1;
                if colons == 2 {
                    return true;
                }
                continue;
            }
            _ => previous_is_module = false,
        }
        colons = 0;
    }
    false
}

/// Arguments of the handle method: path parameters, then required query and header parameters,
/// then a required body (or the required fields of a multipart body).
pub(super) fn required_args(op: &Operation) -> Vec<Arg<'_>> {
    let mut args: Vec<Arg<'_>> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(Arg::Param)
        .collect();
    match &op.body {
        Some(Body {
            required: true,
            kind: BodyKind::Multipart { fields },
            ..
        }) if !fields.is_empty() => {
            args.extend(fields.iter().filter(|f| f.required).map(Arg::Field));
        }
        Some(body @ Body { required: true, .. }) => args.push(Arg::Body(body)),
        _ => {}
    }
    args
}

/// A builder field: what the caller provides, by argument or setter.
pub(super) enum Arg<'a> {
    Param(&'a Param),
    Field(&'a crate::operations::MultipartField),
    Body(&'a Body),
}

impl Arg<'_> {
    fn ident(&self) -> proc_macro2::Ident {
        match self {
            Arg::Param(p) => format_ident!("{}", p.rust_name),
            Arg::Field(f) => format_ident!("{}", f.rust_name),
            Arg::Body(_) => format_ident!("body"),
        }
    }

    /// The type stored in the builder (without the `Option` of optional fields).
    fn ty(&self, paths: &Paths) -> TokenStream {
        match self {
            Arg::Param(p) => value_type(&p.ty, paths),
            Arg::Field(f) if f.file => match &f.ty {
                TypeRef::Vec(_) => {
                    let runtime = &paths.runtime;
                    quote!(Vec<#runtime::FilePart>)
                }
                _ => {
                    let runtime = &paths.runtime;
                    quote!(#runtime::FilePart)
                }
            },
            Arg::Field(f) => value_type(&f.ty, paths),
            Arg::Body(body) => body_type(body, paths),
        }
    }

    /// The schema the argument's value must fit, if the spec gives one.
    pub(super) fn schema(&self) -> Option<&openapiv3::ReferenceOr<openapiv3::Schema>> {
        match self {
            Arg::Param(p) => p.schema.as_ref(),
            Arg::Field(f) => Some(&f.schema),
            Arg::Body(body) => body.schema.as_ref(),
        }
    }

    pub(super) fn is_string(&self) -> bool {
        match self {
            Arg::Param(p) => matches!(p.ty, TypeRef::String | TypeRef::Binary),
            Arg::Field(f) => !f.file && matches!(f.ty, TypeRef::String | TypeRef::Binary),
            Arg::Body(body) => matches!(body.kind, BodyKind::Text { .. }),
        }
    }

    /// The argument's name in the spec (`id`), for example values.
    fn wire_name(&self) -> &str {
        match self {
            Arg::Param(p) => &p.name,
            Arg::Field(f) => &f.name,
            Arg::Body(_) => "body",
        }
    }

    fn doc(&self) -> Option<String> {
        match self {
            Arg::Param(p) => {
                let place = match p.location {
                    ParamLocation::Path => "Path parameter",
                    ParamLocation::Query => "Query parameter",
                    ParamLocation::Header => "Header",
                };
                let deprecated = if p.deprecated { " Deprecated." } else { "" };
                Some(docs::present_paragraphs([
                    Some(format!("{place} `{}`.{deprecated}", p.name).as_str()),
                    p.description.as_deref(),
                ]))
            }
            Arg::Field(f) => Some(docs::present_paragraphs([
                Some(
                    format!(
                        "Form field `{}`{}.",
                        f.name,
                        if f.file { " (file)" } else { "" }
                    )
                    .as_str(),
                ),
                f.description.as_deref(),
            ])),
            Arg::Body(body) => Some(docs::present_paragraphs([
                Some("Request body."),
                body.description.as_deref(),
            ])),
        }
    }
}

fn value_type(ty: &TypeRef, paths: &Paths) -> TokenStream {
    ty.tokens(&paths.models, &paths.runtime)
}

fn body_type(body: &Body, paths: &Paths) -> TokenStream {
    match &body.kind {
        BodyKind::Json { ty, .. } => value_type(ty, paths),
        BodyKind::Text { .. } => quote!(String),
        BodyKind::Binary { .. } => quote!(bytes::Bytes),
        // Multipart bodies with declared fields are spread into those fields; a form without
        // declared fields is taken whole from the caller.
        BodyKind::Multipart { .. } => {
            let runtime = &paths.runtime;
            quote!(#runtime::MultipartForm)
        }
    }
}

/// Every field of the builder, in order: required ones first (they are the method's arguments).
fn all_args(op: &Operation) -> Vec<(Arg<'_>, bool)> {
    let mut args: Vec<(Arg<'_>, bool)> = required_args(op).into_iter().map(|a| (a, true)).collect();
    args.extend(
        op.params
            .iter()
            .filter(|p| !p.required)
            .map(|p| (Arg::Param(p), false)),
    );
    match &op.body {
        Some(Body {
            kind: BodyKind::Multipart { fields },
            required,
            ..
        }) if !fields.is_empty() => {
            args.extend(
                fields
                    .iter()
                    .filter(|f| !(f.required && *required))
                    .map(|f| (Arg::Field(f), false)),
            );
        }
        Some(
            body @ Body {
                required: false, ..
            },
        ) => args.push((Arg::Body(body), false)),
        _ => {}
    }
    args
}

fn operation_doc(
    op: &Operation,
    route: Route<'_>,
    api_path: &str,
    context: &DocContext<'_>,
) -> TokenStream {
    let http = format!(
        "`{} {}` (operation `{}`)",
        op.method, api_path, op.operation_id
    );
    let marks = op.marks.iter().map(|mark| {
        let headers: Vec<String> = op
            .implicit_headers
            .iter()
            .map(|(name, value)| format!("`{name}: {value}`"))
            .collect();
        let mut chars = mark.chars();
        let capitalised: String = chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        format!(
            "**{capitalised}.** The client sends {} itself.",
            headers.join(", ")
        )
    });
    let marks: Vec<String> = marks.collect();
    let scopes = (!op.scopes.is_empty()).then(|| {
        let list: Vec<String> = op.scopes.iter().map(|s| format!("`{s}`")).collect();
        format!("Scopes: {}.", list.join(", "))
    });
    let extensions = extension_lines(op, context.extensions);
    let deprecated = op.deprecated.then_some("**Deprecated** in the API spec.");
    let example = context
        .example
        .map(|example| usage_example(op, route, example, context.types));
    let text = docs::present_paragraphs(
        [
            op.summary.as_deref(),
            op.description.as_deref(),
            Some(http.as_str()),
        ]
        .into_iter()
        .chain(marks.iter().map(|m| Some(m.as_str())))
        .chain([scopes.as_deref()])
        .chain(extensions.iter().map(|line| Some(line.as_str())))
        .chain([deprecated, example.as_deref()]),
    );
    docs::doc_attrs(&text)
}

/// "`User levels: `ORG_ADMIN`, `HELPDESK`.`" for each label of the configured extensions the
/// operation has; extensions with the same label (the spec spells some two ways) are merged.
fn extension_lines(op: &Operation, extensions: &[DocExtension]) -> Vec<String> {
    let mut labels: Vec<(&str, Vec<String>)> = Vec::new();
    for extension in extensions {
        let values: Vec<String> = match op.extensions.get(&extension.name) {
            Some(serde_json::Value::String(value)) => vec![value.clone()],
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect(),
            _ => continue,
        };
        let index = match labels.iter().position(|(l, _)| *l == extension.label) {
            Some(index) => index,
            None => {
                labels.push((&extension.label, Vec::new()));
                labels.len() - 1
            }
        };
        for value in values {
            if !labels[index].1.contains(&value) {
                labels[index].1.push(value);
            }
        }
    }
    labels
        .into_iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(label, values)| {
            let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!("{label}: {}.", quoted.join(", "))
        })
        .collect()
}

/// A short example that calls the operation, compiled as a doctest when the configured
/// attribute is `no_run`: string arguments are literals, other required arguments are
/// parameters of the hidden surrounding function, so that every example compiles without
/// making up values.
fn usage_example(
    op: &Operation,
    route: Route<'_>,
    example: &ExampleContext,
    types: &TypeSpace,
) -> String {
    let runtime = &example.runtime;
    let mut params = vec![format!("client: {}", example.client)];
    let mut call_args = Vec::new();
    // A JSON body that is a struct model is built in the example, from its required fields (or
    // from `Default` and one optional field), as a caller writes it.
    let mut body_lines = Vec::new();
    for arg in required_args(op) {
        let name = arg.ident().to_string();
        if let Arg::Body(body) = &arg
            && let Some(lines) = body_construction(body, example, types, &mut params)
        {
            body_lines = lines;
            call_args.push(name);
        } else if arg.is_string() {
            call_args.push(format!("{:?}", arg.wire_name()));
        } else {
            params.push(format!(
                "{name}: {}",
                type_as_written(&arg.ty(&example.types))
            ));
            call_args.push(name);
        }
    }
    let call = format!(
        "{}.{}.{}({})",
        example.api,
        route.accessors(),
        op.method_name,
        call_args.join(", ")
    );
    let returns_nothing = op
        .responses
        .iter()
        .all(|r| matches!(r.body, ResponseBody::Empty));
    let mut lines = vec![
        "# Example".to_string(),
        String::new(),
        format!("```{}", example.attribute),
    ];
    if op.deprecated {
        lines.push("# #[allow(deprecated)]".into());
    }
    lines.push(format!(
        "# async fn example({}) -> Result<(), {runtime}::Error> {{",
        params.join(", ")
    ));
    lines.extend(body_lines);
    if op.pagination.is_some() {
        lines.push(format!("let request = {call};"));
        lines.push("// One page:".into());
        lines.push("let page = request.clone().send().await?;".into());
        lines.push("// Or every item, requested page after page:".into());
        lines.push("let everything = request.into_paginator().collect_all().await?;".into());
    } else if returns_nothing {
        lines.push(format!("{call}.send().await?;"));
    } else {
        lines.push(format!("let answer = {call}.send().await?;"));
    }
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.push("```".into());
    lines.join("\n")
}

/// The lines that make the body `body` of a usage example, when it is a struct model:
/// `use` of the model, then `let body = Model::new("name", owner);` (text fields as literals of
/// their JSON names, other fields as `params` of the hidden function) or, when every field is
/// optional, `Model { first: Some(first), ..Default::default() }`.
fn body_construction(
    body: &Body,
    example: &ExampleContext,
    types: &TypeSpace,
    params: &mut Vec<String>,
) -> Option<Vec<String>> {
    let BodyKind::Json { ty, .. } = &body.kind else {
        return None;
    };
    let (model, construction) = types.construction(ty)?;
    let models = &example.types.models;
    let models_path: String = models.to_string().split_whitespace().collect();
    let mut arg = |field: &crate::types::ConstructorField| {
        // The field's name, unless the hidden function has a parameter of that name already.
        let taken = |name: &str| {
            name == "body" || params.iter().any(|p| p.starts_with(&format!("{name}: ")))
        };
        let mut name = field.ident.clone();
        while taken(&name) {
            name.push_str("_value");
        }
        params.push(format!(
            "{name}: {}",
            type_as_written(&field.ty.tokens(models, &example.types.runtime))
        ));
        name
    };
    let value = match construction {
        Construction::New { required } => {
            let args: Vec<String> = required
                .iter()
                .map(|field| {
                    if field.text {
                        format!("{:?}", field.wire)
                    } else {
                        arg(field)
                    }
                })
                .collect();
            format!("{model}::new({})", args.join(", "))
        }
        Construction::Default { optional } => match optional.first() {
            Some(field) if field.text => format!(
                "{model} {{ {}: Some({:?}.into()), ..Default::default() }}",
                field.ident, field.wire
            ),
            Some(field) => {
                let name = arg(field);
                format!(
                    "{model} {{ {}: Some({name}), ..Default::default() }}",
                    field.ident
                )
            }
            None => format!("{model}::default()"),
        },
    };
    Some(vec![
        format!("use {models_path}::{model};"),
        format!("let body = {value};"),
    ])
}

/// A type as a person writes it (`Vec<isc::v3::models::JsonPatchOperation>`).
fn type_as_written(ty: &TokenStream) -> String {
    let Ok(item) = syn::parse2::<syn::File>(quote!(type T = #ty;)) else {
        return ty.to_string();
    };
    let text = prettyplease::unparse(&item);
    text.trim()
        .strip_prefix("type T = ")
        .and_then(|rest| rest.strip_suffix(';'))
        .unwrap_or(&text)
        .to_string()
}

fn handle_method(
    op: &Operation,
    route: Route<'_>,
    paths: &Paths,
    context: &DocContext<'_>,
) -> TokenStream {
    let method = format_ident!("{}", op.method_name);
    let builder = format_ident!("{}", op.builder_name);
    let doc = operation_doc(op, route, &op.api_path, context);
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated in the API spec")]));
    let required = required_args(op);
    let params = required.iter().map(|arg| {
        let ident = arg.ident();
        let ty = arg.ty(paths);
        if arg.is_string() {
            quote!(#ident: impl Into<String>)
        } else {
            quote!(#ident: #ty)
        }
    });
    let inits = all_args(op).into_iter().map(|(arg, is_required)| {
        let ident = arg.ident();
        match (is_required, arg.is_string()) {
            (true, true) => quote!(#ident: #ident.into()),
            (true, false) => quote!(#ident),
            (false, _) => quote!(#ident: None),
        }
    });
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#params),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits,)*
            }
        }
    }
}

fn builder(op: &Operation, handle: &str, types: &TypeSpace, paths: &Paths) -> TokenStream {
    let name = format_ident!("{}", op.builder_name);
    let method = &op.method_name;
    let args = all_args(op);
    let doc = if args.iter().any(|(_, required)| !required) {
        format!(
            "Request builder for [`{handle}::{method}`]: set optional parameters, then `.send().await`."
        )
    } else {
        format!("Request builder for [`{handle}::{method}`]: `.send().await` it.")
    };
    let doc = docs::doc_attrs(&doc);
    let fields = args.iter().map(|(arg, required)| {
        let ident = arg.ident();
        let ty = arg.ty(paths);
        if *required {
            quote!(#ident: #ty)
        } else {
            quote!(#ident: Option<#ty>)
        }
    });
    let setters = args
        .iter()
        .filter(|(_, required)| !required)
        .map(|(arg, _)| {
            let ident = arg.ident();
            let ty = arg.ty(paths);
            let doc = docs::doc_attrs(&arg.doc().unwrap_or_default());
            if arg.is_string() {
                quote! {
                    #doc
                    pub fn #ident(mut self, #ident: impl Into<String>) -> Self {
                        self.#ident = Some(#ident.into());
                        self
                    }
                }
            } else {
                quote! {
                    #doc
                    pub fn #ident(mut self, #ident: #ty) -> Self {
                        self.#ident = Some(#ident);
                        self
                    }
                }
            }
        });
    let (response_type, response_enum, decode) = response(op, paths);
    let send = send_methods(op, types, paths, &response_type, decode);
    quote! {
        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #name {
            client: Client,
            #(#fields,)*
        }

        impl #name {
            #(#setters)*

            #send
        }

        #response_enum
    }
}

/// The statements of `send`: build the `Request`, execute it, decode the response.
/// Statements that build `request` from the builder's fields.
fn request_statements(op: &Operation, types: &TypeSpace, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let static_name = format_ident!("{}", op.static_name);
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    // Each path parameter, escaped, is a local that `format!` names in the template
    // (`let id = ...; format!("/accounts/{id}")`).
    let literal = &op.full_path;
    let segments = path_params.iter().map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        quote!(let #ident = #runtime::path_segment(&self.#ident);)
    });
    let segments: Vec<TokenStream> = segments.collect();
    let path = if path_params.is_empty() {
        quote!(String::from(#literal))
    } else {
        quote!(format!(#literal))
    };
    let params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let ident = format_ident!("{}", p.rust_name);
            let name = &p.name;
            match p.location {
                ParamLocation::Header => quote!(request.header(#name, &self.#ident);),
                _ => quote!(request.query(#name, &self.#ident);),
            }
        });
    let implicit = op
        .implicit_headers
        .iter()
        .map(|(name, value)| quote!(request.implicit_header(#name, #value);));
    let body = op
        .body
        .as_ref()
        .map(|body| body_statements(body, types, paths));
    let accept = accept_header(&op.responses).map(|ct| quote!(request.accept(#ct);));
    let params: Vec<TokenStream> = params.collect();
    let implicit: Vec<TokenStream> = implicit.collect();
    let adds_to_request =
        !params.is_empty() || !implicit.is_empty() || accept.is_some() || body.is_some();
    let binding = if adds_to_request {
        quote!(let mut request)
    } else {
        quote!(let request)
    };
    quote! {
        #(#segments)*
        #binding = Request::new(&operations::#static_name, #path);
        #(#params)*
        #(#implicit)*
        #accept
        #body
    }
}

/// `send`, `send_raw` and `into_request`, and for a paginated operation `into_paginator`.
///
/// Only `send` is generic over the response; `send_raw` returns the runtime's one boxed
/// future, so an operation adds one small state machine, not two.
fn send_methods(
    op: &Operation,
    types: &TypeSpace,
    paths: &Paths,
    response_type: &TokenStream,
    decode: TokenStream,
) -> TokenStream {
    let runtime = &paths.runtime;
    let build = request_statements(op, types, paths);
    let paginator = op
        .pagination
        .as_ref()
        .map(|pagination| paginator_method(pagination, paths));
    // A file (CSV, PDF, ZIP, ...) can be larger than memory should hold: such an operation can
    // also be read as a stream.
    let streaming = op
        .responses
        .iter()
        .any(|r| {
            matches!(
                r.body,
                ResponseBody::Text { .. } | ResponseBody::Bytes { .. }
            )
        })
        .then(|| {
            quote! {
                /// Send the request and stream the answer's body instead of reading it into memory: `.copy_to(&mut file).await` writes it anywhere (`tokio::fs::File`, any `AsyncWrite`), `.into_stream()` yields its chunks.
                pub async fn send_streaming(self) -> Result<#runtime::StreamingResponse, Error> {
                    let (client, request) = self.into_request()?;
                    client.execute_streaming(request).await
                }
            }
        });
    let waiter = op
        .waiter
        .as_ref()
        .filter(|_| {
            op.responses.iter().any(|r| {
                matches!(&r.body, ResponseBody::Json { ty, .. } if !matches!(ty, TypeRef::Vec(_)))
            })
        })
        .map(|waiter| wait_method(waiter, response_type, paths));
    let send_doc = docs::doc_attrs(if op.pagination.is_some() {
        "Send the request and decode the response (one page; see [`Self::into_paginator`] for all)."
    } else {
        "Send the request and decode the response."
    });
    // One body for every success: `send()` is the runtime's generic future, so decoding is
    // compiled where it is awaited (see the runtime's `send` module); otherwise it chooses the
    // variant by status.
    let send = match single_decoder(op, paths) {
        Some(marker) => quote! {
            #send_doc
            #[inline]
            pub fn send(self) -> #runtime::SendFuture<#marker> {
                #runtime::SendFuture::new(self.send_raw())
            }
        },
        None => quote! {
            #send_doc
            pub async fn send(self) -> Result<#response_type, Error> {
                let response = self.send_raw().await?;
                #decode
            }
        },
    };
    quote! {
        #send

        /// Send the request and return the response undecoded (status, headers, body); a non-2xx status is still an error.
        #[inline]
        pub fn send_raw(self) -> #runtime::ResponseFuture {
            #runtime::ResponseFuture::new(self.into_request())
        }

        #streaming

        /// The request this builder sends and its client, to change it and send it with [`Client::execute`].
        #[inline]
        pub fn into_request(self) -> Result<(Client, Request), Error> {
            #build
            Ok((self.client, request))
        }

        #paginator

        #waiter
    }
}

/// `wait()` of a status operation: a `Waiter` with the configured states.
fn wait_method(
    waiter: &crate::config::WaiterConfig,
    response_type: &TokenStream,
    paths: &Paths,
) -> TokenStream {
    let runtime = &paths.runtime;
    let state: Vec<&str> = waiter.state.split('.').collect();
    let completed = &waiter.completed;
    let failed = &waiter.failed;
    let gone = &waiter.gone;
    let message = match &waiter.message {
        Some(path) => {
            let path: Vec<&str> = path.split('.').collect();
            quote!(Some(&[#(#path),*]))
        }
        None => quote!(None),
    };
    let list = |states: &[String]| {
        states
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut ends = vec![format!("completed on {}", list(completed))];
    if !failed.is_empty() {
        ends.push(format!("failed on {}", list(failed)));
    }
    let gone_states = if gone.is_empty() {
        "a 404".to_owned()
    } else {
        format!("{} or a 404", list(gone))
    };
    ends.push(format!("gone on {gone_states}"));
    let doc = docs::doc_attrs(&format!(
        "Polls this status until {} is over, by its `{}`: {}. Await it for the [`WaitOutcome`]({runtime_doc}::WaitOutcome); `.poll_interval()` (5 s), `.timeout()` (30 minutes) and `.on_progress()` change how it waits.",
        waiter.work,
        waiter.state,
        ends.join("; "),
        runtime_doc = runtime.to_string().replace(' ', ""),
    ));
    quote! {
        #doc
        pub fn wait(self) -> #runtime::Waiter<#response_type> {
            static SPEC: #runtime::WaitSpec = #runtime::WaitSpec {
                state: &[#(#state),*],
                completed: &[#(#completed),*],
                failed: &[#(#failed),*],
                gone: &[#(#gone),*],
                message: #message,
            };
            #runtime::Waiter::new(self.into_request(), &SPEC)
        }
    }
}

/// `into_paginator`: the builder's request as the template of a paginated listing.
fn paginator_method(pagination: &Pagination, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let item = value_type(&pagination.item, paths);
    let limit = format_ident!("{}", pagination.limit_param);
    let count = option_str(pagination.count_param.as_deref());
    let total_header = &pagination.total_header;
    let limit_wire = &pagination.limit_name;
    let page_size = pagination.page_size;
    let page_size_literal = proc_macro2::Literal::u64_unsuffixed(page_size);
    let streams = "Every item of the list, fetched lazily a page at a time: `.items()` streams \
         items, `.pages()` streams pages, `.collect_all().await` gathers everything.";
    let after = "The total is asked on the first page when the operation supports it, and no \
         page past the end is requested. An item that does not decode is yielded as an error \
         and the stream goes on.";
    let set_limit = quote! {
        if let Some(limit) = self.#limit {
            settings = settings.page_size(u64::try_from(limit).unwrap_or(1));
        }
    };
    match &pagination.kind {
        PaginationKind::Offset {
            offset_name,
            offset_param,
        } => {
            let offset = format_ident!("{}", offset_param);
            let doc = docs::doc_attrs(&format!(
                "{streams}\n\nPages hold {page_size} items unless a limit is set on this builder \
                 (then that is the page size); an offset set on this builder is where the listing \
                 starts. {after}"
            ));
            quote! {
                #doc
                pub fn into_paginator(self) -> #runtime::Paginator<#item> {
                    let mut settings = #runtime::OffsetPagination::new()
                        .offset_param(#offset_name)
                        .limit_param(#limit_wire)
                        .count_param(#count)
                        .total_header(#total_header)
                        .page_size(#page_size_literal);
                    #set_limit
                    if let Some(offset) = self.#offset {
                        settings = settings.start_offset(u64::try_from(offset).unwrap_or(0));
                    }
                    #runtime::Paginator::offset(self.into_request(), settings)
                }
            }
        }
        PaginationKind::SearchAfter {
            sort_field,
            after_field,
            tiebreaker,
            unused_offset_param,
        } => {
            let tiebreaker_tokens = option_str(tiebreaker.as_deref());
            let unique = match tiebreaker {
                Some(name) => format!(
                    " `{name}` is added to the sort when it is missing, so that the sort is unique."
                ),
                None => String::new(),
            };
            let clear_offset = unused_offset_param.as_deref().map(|name| {
                let offset = format_ident!("{}", name);
                quote!(self.#offset = None;)
            });
            let offset_note = if clear_offset.is_some() {
                " An offset set on this builder is not sent."
            } else {
                ""
            };
            let mutable = if clear_offset.is_some() {
                quote!(mut)
            } else {
                quote!()
            };
            let doc = docs::doc_attrs(&format!(
                "{streams}\n\nPages hold {page_size} items unless a limit is set on this builder \
                 (then that is the page size). Each page after the first starts after the values \
                 of the sort fields (body `{sort_field}`) in the last item received, sent as body \
                 `{after_field}`, so the listing is not limited by a maximum offset.{unique}\
                 {offset_note} A `{after_field}` already in the body is where the listing starts. \
                 {after}"
            ));
            quote! {
                #doc
                pub fn into_paginator(#mutable self) -> #runtime::Paginator<#item> {
                    let mut settings = #runtime::SearchAfterPagination::new()
                        .sort_field(#sort_field)
                        .after_field(#after_field)
                        .tiebreaker(#tiebreaker_tokens)
                        .limit_param(#limit_wire)
                        .count_param(#count)
                        .total_header(#total_header)
                        .page_size(#page_size_literal);
                    #set_limit
                    #clear_offset
                    #runtime::Paginator::search_after(self.into_request(), settings)
                }
            }
        }
    }
}

/// `Some("text")` or `None`, as tokens.
fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// Statements that put the body on `request`. `send` owns the builder, so values are moved out of
/// it rather than cloned.
fn body_statements(body: &Body, types: &TypeSpace, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let set = |value: TokenStream| match &body.kind {
        BodyKind::Json { content_type, .. } if content_type == "application/json" => {
            quote!(request.json(&#value)?;)
        }
        BodyKind::Json { content_type, .. } => {
            quote!(request.json_with_content_type(#content_type, &#value)?;)
        }
        BodyKind::Text { content_type } => quote!(request.text(#content_type, #value);),
        BodyKind::Binary { content_type } => quote!(request.bytes(#content_type, #value);),
        BodyKind::Multipart { .. } => quote!(),
    };
    match &body.kind {
        BodyKind::Multipart { fields } if fields.is_empty() => {
            if body.required {
                quote!(request.multipart(self.body);)
            } else {
                quote!(if let Some(body) = self.body {
                    request.multipart(body);
                })
            }
        }
        BodyKind::Multipart { fields } => {
            let parts = fields.iter().map(|field| {
                let ident = format_ident!("{}", field.rust_name);
                let name = &field.name;
                let add = |value: TokenStream| {
                    if field.file {
                        match field.ty {
                            TypeRef::Vec(_) => quote! {
                                for part in #value { form = form.file(#name, part); }
                            },
                            _ => quote!(form = form.file(#name, #value);),
                        }
                    } else if matches!(
                        field.ty,
                        TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json
                    ) && !types.is_string_enum(&field.ty)
                    {
                        // Structured values in a form field are sent as JSON text; string enums
                        // as their value.
                        quote!(form = form.json(#name, &#value)?;)
                    } else {
                        quote!(form = form.text(#name, #value);)
                    }
                };
                if field.required && body.required {
                    add(quote!(self.#ident))
                } else {
                    let inner = add(quote!(value));
                    quote!(if let Some(value) = self.#ident { #inner })
                }
            });
            quote! {
                let mut form = #runtime::MultipartForm::new();
                #(#parts)*
                request.multipart(form);
            }
        }
        _ if body.required => set(quote!(self.body)),
        _ => {
            let inner = set(quote!(body));
            quote!(if let Some(body) = self.body { #inner })
        }
    }
}

/// The media type to ask for, when it is not the runtime's default (`application/json`).
fn accept_header(responses: &[SuccessResponse]) -> Option<String> {
    let types: Vec<&str> = responses
        .iter()
        .filter_map(|r| r.body.content_type())
        .collect();
    match types.as_slice() {
        [] => None,
        all if all.iter().all(|ct| *ct == "application/json") => None,
        all => {
            let mut unique: Vec<&str> = Vec::new();
            for ct in all {
                if !unique.contains(ct) {
                    unique.push(ct);
                }
            }
            Some(unique.join(", "))
        }
    }
}

/// The bodies of an operation's success responses, each once, in declaration order.
fn distinct_bodies(op: &Operation) -> Vec<&ResponseBody> {
    let mut distinct: Vec<&ResponseBody> = Vec::new();
    for response in &op.responses {
        if !distinct.contains(&&response.body) {
            distinct.push(&response.body);
        }
    }
    distinct
}

/// The decoder marker of an operation whose successes all have one body (see [`decoder`]);
/// `None` when `send()` chooses by status (a response enum).
fn single_decoder(op: &Operation, paths: &Paths) -> Option<TokenStream> {
    match distinct_bodies(op).as_slice() {
        [] => Some(decoder(&ResponseBody::Empty, paths)),
        [body] => Some(decoder(body, paths)),
        _ => None,
    }
}

/// Return type, the response enum when there is one, and the decoding statements.
fn response(op: &Operation, paths: &Paths) -> (TokenStream, TokenStream, TokenStream) {
    match distinct_bodies(op).as_slice() {
        [] => (quote!(()), quote!(), quote!(response.empty())),
        [body] => {
            let (ty, result, _) = decode_body(body, paths);
            (ty, quote!(), result)
        }
        _ => {
            let name = format_ident!("{}Response", op.builder_name);
            let doc = docs::doc_attrs(&format!(
                "What [`{}::send`] returns: one variant per success status of `{}`.",
                op.builder_name, op.operation_id
            ));
            let mut variants = Vec::new();
            let mut arms = Vec::new();
            let mut constructs = Vec::new();
            for response in &op.responses {
                let variant = format_ident!(
                    "{}",
                    response
                        .status
                        .map(status_word)
                        .unwrap_or_else(|| "Success".to_string())
                );
                let status = response
                    .status
                    .map(|s| format!("HTTP {s}."))
                    .unwrap_or_else(|| "Any other success status.".into());
                let vdoc = docs::doc_attrs(&docs::present_paragraphs([
                    Some(status.as_str()),
                    Some(response.description.as_str()),
                ]));
                let construct = match &response.body {
                    ResponseBody::Empty => {
                        variants.push(quote!(#vdoc #variant));
                        quote!({ response.empty()?; Ok(#name::#variant) })
                    }
                    body => {
                        let (ty, _, value) = decode_body(body, paths);
                        variants.push(quote!(#vdoc #variant(#ty)));
                        quote!(Ok(#name::#variant(#value)))
                    }
                };
                if let Some(code) = response.status {
                    arms.push(quote!(#code => #construct,));
                }
                constructs.push((response.status, construct));
            }
            // A success status the spec does not list decodes as the range (`2XX`) response if
            // there is one, else as the first declared one.
            let fallback = constructs
                .iter()
                .find(|(status, _)| status.is_none())
                .or(constructs.first())
                .map(|(_, construct)| construct.clone())
                .unwrap_or_default();
            let enum_tokens = quote! {
                #doc
                #[derive(Debug, Clone)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#variants,)*
                }
            };
            let decode = quote! {
                match response.status().as_u16() {
                    #(#arms)*
                    _ => #fallback,
                }
            };
            (quote!(#name), enum_tokens, decode)
        }
    }
}

/// The runtime's decoder marker for a body (`decode::Json<models::Account>`), the type parameter
/// of the `SendFuture` that `send()` returns.
fn decoder(body: &ResponseBody, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    match body {
        ResponseBody::Empty => quote!(#runtime::decode::Empty),
        ResponseBody::Json {
            ty: TypeRef::Vec(item),
            ..
        } => {
            let item = value_type(item, paths);
            quote!(#runtime::decode::JsonList<#item>)
        }
        ResponseBody::Json { ty, .. } => {
            let ty = value_type(ty, paths);
            quote!(#runtime::decode::Json<#ty>)
        }
        ResponseBody::Text { .. } => quote!(#runtime::decode::Text),
        ResponseBody::Bytes { .. } => quote!(#runtime::decode::Binary),
    }
}

/// How a body decodes: its type, an expression of type `Result<T, Error>`, and an expression of
/// type `T` for use inside a function returning `Result` (with `?` where decoding can fail).
fn decode_body(body: &ResponseBody, paths: &Paths) -> (TokenStream, TokenStream, TokenStream) {
    match body {
        ResponseBody::Empty => (
            quote!(()),
            quote!(response.empty()),
            quote!(response.empty()?),
        ),
        // A list answered with no body (204) is an empty list; any other type needs its body.
        ResponseBody::Json {
            ty: TypeRef::Vec(item),
            ..
        } => {
            let item = value_type(item, paths);
            (
                quote!(Vec<#item>),
                quote!(response.json_list::<#item>()),
                quote!(response.json_list::<#item>()?),
            )
        }
        ResponseBody::Json { ty, .. } => {
            let ty = value_type(ty, paths);
            (
                ty.clone(),
                quote!(response.json::<#ty>()),
                quote!(response.json::<#ty>()?),
            )
        }
        ResponseBody::Text { .. } => (
            quote!(String),
            quote!(response.text()),
            quote!(response.text()?),
        ),
        ResponseBody::Bytes { .. } => (
            quote!(bytes::Bytes),
            quote!(Ok(response.bytes())),
            quote!(response.bytes()),
        ),
    }
}
