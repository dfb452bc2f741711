//! Rust source from the operation and type models: file layout, headers and formatting.
//!
//! A version module is laid out as:
//! - `<module>/mod.rs`: module docs, the version's entry handle (`Api`) and `Client::<module>()`;
//! - `<module>/operations.rs`: one `OperationInfo` static per operation and the `OPERATIONS` table;
//! - `<module>/apis/<tag>.rs`: the tag's handle type and one request builder per operation;
//! - `<module>/models/*.rs`: the models (written by [`crate::types`]).

mod apis;
mod conformance;
mod features;
pub mod models;
mod spec_examples;
mod webhooks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::GeneratorConfig;
use crate::docs;
use crate::loader::Bundle;
use crate::operations::Api;
use crate::types::TypeSpace;

/// Paths the emitted code uses, resolved once from the configuration.
pub(crate) struct Paths {
    /// The runtime (`crate::runtime`).
    pub runtime: TokenStream,
    /// The version module (`crate::v3`).
    pub module: TokenStream,
    /// The models module (`crate::v3::models`).
    pub models: TokenStream,
}

/// What the usage example in an operation's docs needs, resolved from
/// [`crate::config::DocExamplesConfig`]: paths as a user of the crate writes them.
pub(crate) struct ExampleContext {
    /// Rustdoc attribute of the code block (`no_run`).
    pub attribute: String,
    /// Expression of the version's `Api` from `client` (`client.v3()`).
    pub api: String,
    /// The runtime, from outside the crate (`isc::runtime`).
    pub runtime: String,
    /// The client type, from outside the crate (`isc::Client`).
    pub client: String,
    /// Paths of types, from outside the crate (`isc::v3::models`).
    pub types: Paths,
}

impl ExampleContext {
    fn new(config: &GeneratorConfig) -> Result<Option<ExampleContext>, crate::Error> {
        let Some(examples) = &config.doc_examples else {
            return Ok(None);
        };
        let runtime = outside_path(&config.runtime_path, &examples.crate_name);
        let module = format!(
            "{}::{}",
            examples.crate_name,
            crate::naming::snake_name(&config.module)
        );
        Ok(Some(ExampleContext {
            attribute: examples.attribute.clone(),
            // With the groups on the client, examples call them there (`client.accounts()`).
            api: if config.client_methods {
                "client".to_string()
            } else {
                examples.api.replace("{module}", &config.module)
            },
            types: Paths {
                runtime: parse_path(&runtime, "runtime_path")?,
                models: parse_path(&format!("{module}::models"), "doc_examples.crate_name")?,
                module: parse_path(&module, "doc_examples.crate_name")?,
            },
            client: outside_path(&config.client_path, &examples.crate_name),
            runtime,
        }))
    }
}

/// Emit every file of one version module, keyed by path relative to the crate's `src/`, and the
/// cargo features the code tests besides the version's own (see [`features`]).
pub fn emit(
    config: &GeneratorConfig,
    bundle: &Bundle,
    api: &Api,
    types: &TypeSpace,
) -> Result<(BTreeMap<PathBuf, String>, crate::VersionFeatures), crate::Error> {
    let runtime: TokenStream = parse_path(&config.runtime_path, "runtime_path")?;
    let module_ident = format_ident!("{}", crate::naming::snake_name(&config.module));
    let paths = Paths {
        module: quote!(crate::#module_ident),
        models: quote!(crate::#module_ident::models),
        runtime,
    };
    let header = header(config, bundle);
    let mut files = BTreeMap::new();
    let folder = Path::new(&config.module);
    let gates = features::Gates::new(config, api, types);
    let example = ExampleContext::new(config)?;
    let client_type = parse_path(&config.client_path, "client_path")?;
    let doc = apis::DocContext {
        example: example.as_ref(),
        extensions: &config.doc_extensions,
        client: config.client_methods.then_some(&client_type),
        types,
    };

    let mut put = |relative: PathBuf, tokens: TokenStream| -> Result<(), crate::Error> {
        let path = folder.join(relative);
        let text = format_file(&header, &path, tokens)?;
        files.insert(path, text);
        Ok(())
    };

    put(
        "mod.rs".into(),
        version_module(config, api, &paths, &client_type, &gates),
    )?;
    put("operations.rs".into(), operation_table(api, &paths))?;
    put("apis/mod.rs".into(), apis::apis_module(api, &gates))?;
    if !api.webhooks.is_empty() {
        put("webhooks.rs".into(), webhooks::webhooks_module(api, &paths))?;
    }
    for tag in &api.tags {
        put(
            format!("apis/{}.rs", tag.module).into(),
            apis::tag_module(api, tag, types, &paths, &doc),
        )?;
        for version in &tag.versions {
            put(
                format!("apis/{}/{}.rs", tag.module, version.module).into(),
                apis::version_module(api, tag, version, types, &paths, &doc),
            )?;
        }
    }
    let usage = model_usage(api, &config.module);
    let usage_doc = |model: &str| usage.get(model).map(|usage| usage.doc());
    for (relative, tokens) in models::emit_models(
        types,
        &paths.runtime,
        &|file| gates.file_cfg(file),
        &usage_doc,
    ) {
        put(relative, tokens)?;
    }
    Ok((files, gates.features()))
}

/// The operations that send a model and those that return it (directly, not as a member of
/// another model), as links for the model's docs.
#[derive(Default)]
struct ModelUsage {
    sent_by: Vec<String>,
    returned_by: Vec<String>,
}

/// At most this many operations are linked per list; the rest are counted.
const USAGE_LINKS: usize = 8;

impl ModelUsage {
    fn doc(&self) -> String {
        let list = |links: &[String]| {
            let shown = links[..links.len().min(USAGE_LINKS)].join(", ");
            match links.len().saturating_sub(USAGE_LINKS) {
                0 => shown,
                more => format!("{shown} and {more} more"),
            }
        };
        let mut parts = Vec::new();
        if !self.sent_by.is_empty() {
            parts.push(format!("Sent by {}.", list(&self.sent_by)));
        }
        if !self.returned_by.is_empty() {
            parts.push(format!("Returned by {}.", list(&self.returned_by)));
        }
        parts.join(" ")
    }
}

fn model_usage(api: &Api, module: &str) -> BTreeMap<String, ModelUsage> {
    use crate::operations::{BodyKind, ResponseBody};
    let module = crate::naming::snake_name(module);
    let mut usage: BTreeMap<String, ModelUsage> = BTreeMap::new();
    {
        for (route, op) in api.routes() {
            let link = format!(
                "[`{handle}::{method}`](crate::{module}::apis::{path}::{handle}::{method})",
                handle = route.handle(),
                method = op.method_name,
                path = route.module_path(),
            );
            let mut sent: Vec<String> = Vec::new();
            for param in &op.params {
                sent.extend(param.ty.named_models());
            }
            match op.body.as_ref().map(|body| &body.kind) {
                Some(BodyKind::Json { ty, .. }) => sent.extend(ty.named_models()),
                Some(BodyKind::Multipart { fields }) => {
                    for field in fields {
                        sent.extend(field.ty.named_models());
                    }
                }
                _ => {}
            }
            let mut returned: Vec<String> = Vec::new();
            for response in &op.responses {
                if let ResponseBody::Json { ty, .. } = &response.body {
                    returned.extend(ty.named_models());
                }
            }
            for (names, returns) in [(sent, false), (returned, true)] {
                let mut names = names;
                names.sort();
                names.dedup();
                for name in names {
                    let entry = usage.entry(name).or_default();
                    let list = if returns {
                        &mut entry.returned_by
                    } else {
                        &mut entry.sent_by
                    };
                    list.push(link.clone());
                }
            }
        }
    }
    usage
}

/// The folders of the client's `tests/` that [`emit_tests`] writes into, one subfolder per
/// version module: spec examples and samples to round-trip, and conformance calls.
pub const TEST_DATA_FOLDERS: [&str; 2] = ["spec_examples", "conformance"];

/// Test data files of one version, relative to the client crate's `tests/` folder; none unless
/// `spec_tests` is on.
pub fn emit_tests(
    config: &GeneratorConfig,
    bundle: &Bundle,
    api: &Api,
    types: &TypeSpace,
) -> Result<BTreeMap<PathBuf, String>, crate::Error> {
    let mut files = BTreeMap::new();
    if !config.spec_tests {
        return Ok(files);
    }
    let Some(client_crate) = &config.client_crate else {
        return Err(crate::Error::Spec {
            location: "configuration `client_crate`".into(),
            message: "test data (`spec_tests`) needs the name of the client crate".into(),
        });
    };
    let crate_path = parse_path(client_crate, "client_crate")?;
    let module_ident = format_ident!("{}", crate::naming::snake_name(&config.module));
    let models = quote!(#crate_path::#module_ident::models);
    let runtime = parse_path(
        &outside_path(&config.runtime_path, client_crate),
        "runtime_path",
    )?;
    let header = header(config, bundle);
    let webhooks = quote!(#crate_path::#module_ident::webhooks);
    let examples =
        spec_examples::spec_examples_module(bundle, api, types, &models, &runtime, &webhooks);
    let calls = conformance::conformance_module(
        api,
        bundle,
        &conformance::CallPaths {
            client_crate: crate_path.clone(),
            runtime: runtime.clone(),
            module: module_ident.clone(),
        },
    );
    for (folder, tokens) in TEST_DATA_FOLDERS.into_iter().zip([examples, calls]) {
        let path = Path::new(folder).join(&config.module).join("mod.rs");
        let text = format_file(&header, &path, tokens)?;
        files.insert(path, text);
    }
    Ok(files)
}

/// A path of the generated crate as seen from outside it: `crate::runtime` is
/// `<crate_name>::runtime`; a path into another crate stays as it is.
fn outside_path(path: &str, crate_name: &str) -> String {
    match path.strip_prefix("crate::") {
        Some(rest) => format!("{crate_name}::{rest}"),
        None => path.to_string(),
    }
}

fn parse_path(text: &str, what: &str) -> Result<TokenStream, crate::Error> {
    syn::parse_str::<syn::Path>(text)
        .map(|path| quote!(#path))
        .map_err(|err| crate::Error::Spec {
            location: format!("configuration `{what}`"),
            message: format!("`{text}` is not a Rust path: {err}"),
        })
}

/// The comment every generated file starts with.
fn header(config: &GeneratorConfig, bundle: &Bundle) -> String {
    format!(
        "// @generated by `cargo xtask codegen`. DO NOT EDIT: change the generator or the spec pin \
         and regenerate.\n\
         // Spec: {root} ({title} {version})\n\
         // Upstream: {repository} at {commit}\n\n",
        root = config.root.display().to_string().replace('\\', "/"),
        title = bundle.info.title.trim(),
        version = bundle.info.version.trim(),
        repository = config.upstream_repository,
        commit = config.upstream_commit,
    )
}

/// Parse, pretty-print and prefix with the header. A parse failure is a generator bug; it names
/// the file so that it can be found.
fn format_file(header: &str, path: &Path, tokens: TokenStream) -> Result<String, crate::Error> {
    let mut file = syn::parse2::<syn::File>(tokens).map_err(|err| crate::Error::Emit {
        file: path.display().to_string(),
        message: err.to_string(),
    })?;
    let leading = !file.attrs.is_empty();
    space_items(&mut file.items, leading);
    Ok(format!(
        "{header}{}",
        without_blank_markers(&prettyplease::unparse(&file))
    ))
}

/// The marker item [`space_items`] puts where a blank line goes (a call of a macro that no
/// generated code names), as prettyplease prints it.
const BLANK_LINE: &str = "__codegen_blank_line__!();";

fn blank_marker<T: syn::parse::Parse>() -> T {
    syn::parse_str(BLANK_LINE).expect("the marker is an item, an impl item and a trait item")
}

/// prettyplease puts no blank line between items; this puts a marker where a person leaves one,
/// and [`without_blank_markers`] empties its line after printing. Between the items of a module
/// (an inline one too) and the members of an `impl` or `trait` block; not inside functions, not
/// between the `use` lines of a group, nor between body-less `mod` and `use` items
/// (`mod x; pub use x::X;`) unless the second has docs. `leading`: also before the first item
/// (after the file's inner docs).
fn space_items(items: &mut Vec<syn::Item>, leading: bool) {
    for item in items.iter_mut() {
        match item {
            syn::Item::Impl(block) => space_members(&mut block.items),
            syn::Item::Trait(block) => space_members(&mut block.items),
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) => space_items(inner, false),
            _ => {}
        }
    }
    let mut previous: Option<bool> = None;
    for item in std::mem::take(items) {
        let declaration = is_declaration(&item);
        let blank = match previous {
            None => leading,
            Some(after_declaration) => {
                !(after_declaration && declaration && !has_docs(item_attrs(&item)))
            }
        };
        if blank {
            items.push(blank_marker());
        }
        previous = Some(declaration);
        items.push(item);
    }
}

/// Blank lines between the members of an `impl` or `trait` block.
fn space_members<T: syn::parse::Parse>(members: &mut Vec<T>) {
    for (index, member) in std::mem::take(members).into_iter().enumerate() {
        if index > 0 {
            members.push(blank_marker());
        }
        members.push(member);
    }
}

/// A one-line declaration: `use`, or `mod x;` without a body.
fn is_declaration(item: &syn::Item) -> bool {
    match item {
        syn::Item::Use(_) => true,
        syn::Item::Mod(module) => module.content.is_none(),
        _ => false,
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Use(item) => &item.attrs,
        syn::Item::Mod(item) => &item.attrs,
        _ => &[],
    }
}

fn has_docs(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

/// The printed file with each [`BLANK_LINE`] marker line made empty.
fn without_blank_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        if line.trim() == BLANK_LINE {
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

fn version_module(
    config: &GeneratorConfig,
    api: &Api,
    paths: &Paths,
    client_type: &TokenStream,
    gates: &features::Gates,
) -> TokenStream {
    let runtime = &paths.runtime;
    let accessor = format_ident!("{}", crate::naming::snake_name(&config.module));
    // An API of services versioned on their own has no version of its own to name.
    let version = if config.service_versions.is_some() {
        String::new()
    } else {
        format!(" (version {})", api.version.trim())
    };
    let summary = format!(
        "{}{version}: {} operations in {} groups, generated from `{}`.",
        api.title.trim(),
        api.operations.len(),
        api.tags.len(),
        config.root.display().to_string().replace('\\', "/"),
    );
    let start = if config.client_methods {
        let first = api.tags.first().map_or("group", |tag| tag.module.as_str());
        format!("Start from the client (`client.{first}()`, or [`Api::new`])")
    } else {
        format!("Start from [`Api::new`] (or `client.{accessor}()`)")
    };
    let version_step = if config.service_versions.is_some() {
        " (a service), its major version (`.v1()`)"
    } else {
        ""
    };
    let usage = format!(
        "{start}, pick a group of operations{version_step}, then an operation; optional \
         parameters are builder methods and `.send().await` sends the request. Every operation is \
         listed in [`operations::OPERATIONS`].",
    );
    let module_docs = docs::inner_doc_attrs(&docs::present_paragraphs([
        Some(summary.as_str()),
        api.description.as_deref(),
        Some(usage.as_str()),
    ]));
    let accessors = api.tags.iter().map(|tag| {
        let method = format_ident!("{}", tag.module);
        let module = format_ident!("{}", tag.module);
        let handle = format_ident!("{}", tag.struct_name);
        let first_line = tag
            .description
            .as_deref()
            .and_then(|d| d.lines().map(str::trim).find(|line| !line.is_empty()))
            .map(str::to_string);
        let versions = match tag.versions.as_slice() {
            [] => String::new(),
            versions => {
                let list: Vec<String> = versions
                    .iter()
                    .map(|v| format!("`{}()`", v.module))
                    .collect();
                format!(", versions {}", list.join(", "))
            }
        };
        let doc = docs::doc_attrs(&docs::present_paragraphs([
            Some(
                format!(
                    "Operations tagged `{}` ({}{versions}).",
                    tag.name,
                    apis::count(tag.operation_count(), "operation")
                )
                .as_str(),
            ),
            first_line.as_deref(),
        ]));
        let cfg = gates.tag_cfg(&tag.module);
        let accessor = quote! {
            #doc
            #cfg
            pub fn #method(&self) -> apis::#module::#handle {
                apis::#module::#handle::new(self.client.clone())
            }
        };
        // On the client type itself the handle is made from the runtime client it holds.
        let on_client = quote! {
            #doc
            #cfg
            pub fn #method(&self) -> apis::#module::#handle {
                apis::#module::#handle::new(AsRef::<#runtime::Client>::as_ref(self).clone())
            }
        };
        (accessor, on_client)
    });
    let (accessors, client_accessors): (Vec<_>, Vec<_>) = accessors.unzip();
    let client_methods = if config.client_methods {
        let doc = docs::doc_attrs(&format!(
            "The groups of the {} API ({}), directly on the client: `client.{}()`.",
            config.module,
            api.title.trim(),
            api.tags
                .first()
                .map(|t| t.module.as_str())
                .unwrap_or("group"),
        ));
        quote! {
            #doc
            impl #client_type {
                #(#client_accessors)*
            }
        }
    } else {
        TokenStream::new()
    };
    let webhooks = if api.webhooks.is_empty() {
        TokenStream::new()
    } else {
        let cfg = gates.whole_version_cfg();
        quote!(#cfg pub mod webhooks;)
    };
    let client_doc = docs::doc_attrs(&format!(
        "Entry point of the {} API ({}).",
        config.module,
        api.title.trim()
    ));
    quote! {
        #module_docs

        pub mod apis;
        pub mod models;
        pub mod operations;
        #webhooks

        pub use operations::OPERATIONS;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Api {
            client: #runtime::Client,
        }

        impl Api {
            /// The API on top of a configured client (the crate's client type or the runtime's).
            pub fn new(client: impl Into<#runtime::Client>) -> Self {
                Api { client: client.into() }
            }

            /// The client this API sends its requests with.
            pub fn client(&self) -> &#runtime::Client {
                &self.client
            }

            #(#accessors)*
        }

        #client_methods
    }
}

fn operation_table(api: &Api, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let statics = api.operations.iter().map(|op| {
        let name = format_ident!("{}", op.static_name);
        let id = &op.operation_id;
        let method = op.method;
        let path = &op.api_path;
        let tag = &op.tag;
        let experimental = op.marks.iter().any(|mark| mark == "experimental");
        let deprecated = op.deprecated;
        let retry_safe = op.retry_safe;
        let doc = docs::doc_attrs(&format!("`{method} {path}` ({id})."));
        quote! {
            #doc
            pub static #name: #runtime::OperationInfo = #runtime::OperationInfo {
                operation_id: #id,
                method: #method,
                path: #path,
                tag: #tag,
                experimental: #experimental,
                deprecated: #deprecated,
                retry_safe: #retry_safe,
            };
        }
    });
    let names = api
        .operations
        .iter()
        .map(|op| format_ident!("{}", op.static_name));
    let count = api.operations.len();
    let table_doc = docs::doc_attrs(&format!(
        "All {count} operations of this version, in spec order."
    ));
    quote! {
        //! One static description per operation: operationId, HTTP method, path template and tag.

        #(#statics)*

        #table_doc
        pub static OPERATIONS: &[&#runtime::OperationInfo] = &[#(&#names),*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_usage_links_a_few_operations_and_counts_the_rest() {
        let links = |n: usize| {
            (0..n)
                .map(|i| format!("[`Api::op{i}`](crate::x)"))
                .collect()
        };
        let usage = ModelUsage {
            sent_by: links(2),
            returned_by: links(USAGE_LINKS + 3),
        };
        let doc = usage.doc();
        assert!(doc.starts_with("Sent by [`Api::op0`](crate::x), [`Api::op1`](crate::x). "));
        assert!(doc.contains(&format!("[`Api::op{}`]", USAGE_LINKS - 1)));
        assert!(!doc.contains(&format!("[`Api::op{USAGE_LINKS}`]")));
        assert!(doc.ends_with(" and 3 more."));
        assert_eq!(ModelUsage::default().doc(), "");
    }

    #[test]
    fn example_paths_are_written_as_a_user_of_the_crate_writes_them() {
        let mut config = GeneratorConfig::for_root("api.yaml", "v3");
        assert!(ExampleContext::new(&config).unwrap().is_none());
        config.doc_examples = Some(crate::config::DocExamplesConfig {
            crate_name: "isc".into(),
            api: "client.{module}()".into(),
            attribute: "no_run".into(),
        });
        let example = ExampleContext::new(&config).unwrap().unwrap();
        assert_eq!(example.api, "client.v3()");
        assert_eq!(example.runtime, "isc::runtime");
        assert_eq!(example.types.models.to_string(), "isc :: v3 :: models");
        config.runtime_path = "other::runtime".into();
        assert_eq!(
            ExampleContext::new(&config).unwrap().unwrap().runtime,
            "other::runtime"
        );
    }
}
