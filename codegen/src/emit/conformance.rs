//! Test data: one call of every operation with arguments that fit the spec, for the conformance
//! suite that runs them against a mock server serving the same spec.
//!
//! Each operation gets a function that builds its request from made-up values
//! ([`crate::samples`]: required parameters, the required body) and hands the hand-written
//! harness its two sendings (`super::Sendings`: undecoded, and through `send()`), which the
//! harness sends and judges. The function is plain, not `async`: the harness's one future
//! awaits every operation, so the suite does not compile a state machine per operation around
//! it (4,221 operations). Only required arguments are given: they are what the spec insists
//! on, and what a wrong generator would get wrong.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::apis::{Arg, required_args};
use crate::loader::Bundle;
use crate::operations::{Api, Body, BodyKind, Operation, Route};
use crate::types::TypeRef;

/// The paths the generated calls need, as seen from a test of the client crate.
pub(super) struct CallPaths {
    /// `isc`
    pub client_crate: TokenStream,
    /// `isc::runtime`
    pub runtime: TokenStream,
    /// `v3`: the version's module in the client crate.
    pub module: proc_macro2::Ident,
}

/// `tests/conformance/<module>/mod.rs`: one function per operation and `pub static CALLS`.
pub(super) fn conformance_module(api: &Api, bundle: &Bundle, paths: &CallPaths) -> TokenStream {
    let mut functions = Vec::new();
    let mut entries = Vec::new();
    {
        for (route, op) in api.routes() {
            let function = match route.version {
                Some(version) => {
                    format_ident!("{}_{}_{}", route.tag.module, version.module, op.method_name)
                }
                None => format_ident!("{}_{}", route.tag.module, op.method_name),
            };
            functions.push(call_function(op, route, &function, bundle, paths));
            let id = &op.operation_id;
            let method = op.method;
            let path = &op.api_path;
            entries.push(quote! {
                super::Call {
                    operation_id: #id,
                    method: #method,
                    path: #path,
                    sendings: #function,
                }
            });
        }
    }
    quote! {
        //! One call of every operation with made-up arguments that fit the spec; run by
        //! `tests/conformance.rs` against a mock server (`cargo xtask conformance`).

        #![allow(deprecated)]

        pub static CALLS: &[super::Call] = &[#(#entries),*];

        #(#functions)*
    }
}

fn call_function(
    op: &Operation,
    route: Route<'_>,
    function: &proc_macro2::Ident,
    bundle: &Bundle,
    paths: &CallPaths,
) -> TokenStream {
    let client_crate = &paths.client_crate;
    let module = &paths.module;
    let tag = format_ident!("{}", route.tag.module);
    let handle = match route.version {
        Some(version) => {
            let version = format_ident!("{}", version.module);
            quote!(#tag().#version())
        }
        None => quote!(#tag()),
    };
    let method = format_ident!("{}", op.method_name);
    let args = required_args(op)
        .iter()
        .map(|arg| argument(arg, bundle, paths))
        .collect::<Vec<_>>();
    // A required form whose fields are all optional would go out empty, which a server takes
    // for no body: give it every field.
    let setters = match &op.body {
        Some(Body {
            required: true,
            kind: BodyKind::Multipart { fields },
            ..
        }) if !fields.iter().any(|f| f.required) => fields
            .iter()
            .map(|field| {
                let setter = format_ident!("{}", field.rust_name);
                let value = argument(&Arg::Field(field), bundle, paths);
                quote!(.#setter(#value))
            })
            .collect(),
        _ => Vec::new(),
    };
    let doc = crate::docs::doc_attrs(&format!(
        "`{} {}` ({})",
        op.method, op.api_path, op.operation_id
    ));
    quote! {
        #doc
        fn #function(client: #client_crate::Client) -> Result<super::Sendings, String> {
            let call = #client_crate::#module::Api::new(client).#handle.#method(#(#args),*)#(#setters)*;
            Ok(super::Sendings::new(call.clone().send_raw(), call.send()))
        }
    }
}

/// An expression for one required argument: a literal where the argument takes a string,
/// otherwise the sample's JSON decoded into the argument's type by `super::arg` (the type is
/// inferred from the method's parameter).
fn argument(arg: &Arg<'_>, bundle: &Bundle, paths: &CallPaths) -> TokenStream {
    let runtime = &paths.runtime;
    let sample = || {
        arg.schema()
            .map(|schema| crate::samples::sample(schema, &bundle.schemas))
            .unwrap_or(Value::Null)
    };
    match arg {
        Arg::Field(field) if field.file => {
            let part = quote!(#runtime::FilePart::new(&b"conformance"[..], "conformance.txt"));
            if matches!(field.ty, TypeRef::Vec(_)) {
                quote!(vec![#part])
            } else {
                part
            }
        }
        Arg::Body(body) => match &body.kind {
            BodyKind::Binary { .. } => quote!(bytes::Bytes::from_static(b"conformance")),
            // A form without declared fields: one file part, so that it is not empty.
            BodyKind::Multipart { .. } => quote!(#runtime::MultipartForm::new().file(
                "file",
                #runtime::FilePart::new(&b"conformance"[..], "conformance.txt")
            )),
            BodyKind::Text { .. } => string_literal(&sample()),
            BodyKind::Json { .. } => decoded(&sample()),
        },
        _ if arg.is_string() => string_literal(&sample()),
        _ => decoded(&sample()),
    }
}

/// A string argument: the sample itself if it is a string, else its JSON text (a made-up value
/// for a parameter without a usable schema is `"x"`).
fn string_literal(sample: &Value) -> TokenStream {
    let text = match sample {
        Value::String(text) => text.clone(),
        Value::Null => "x".to_owned(),
        other => other.to_string(),
    };
    let literal = Literal::string(&text);
    quote!(#literal)
}

fn decoded(sample: &Value) -> TokenStream {
    let json = Literal::string(&sample.to_string());
    quote!(super::arg(#json)?)
}
