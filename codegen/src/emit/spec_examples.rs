//! Test data: every example of the spec next to the generated type it must decode into.
//!
//! The file lists cases (where the example is, its JSON text, and a function that decodes it
//! into its type and encodes it back); a hand-written test of the client crate runs them. The
//! generator only says which type each example belongs to, so the test checks the generated
//! types, not a second opinion of the generator.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::loader::Bundle;
use crate::operations::{Api, BodyKind};
use crate::types::{TypeRef, TypeSpace};

/// One example and the type it belongs to.
struct Case {
    /// Where the example is: `components/schemas/Account`, `listAccounts response 200 example`.
    location: String,
    ty: TypeRef,
    value: serde_json::Value,
}

fn cases(bundle: &Bundle, api: &Api, types: &TypeSpace) -> Vec<Case> {
    let mut cases = Vec::new();
    for (name, schema) in &bundle.schemas {
        let (Some(value), Some(ty)) = (
            &schema.schema.schema_data.example,
            types.component_type(name),
        ) else {
            continue;
        };
        cases.push(Case {
            location: format!("components/schemas/{name}"),
            ty: ty.clone(),
            value: value.clone(),
        });
    }
    let webhooks = api.webhooks.iter().map(|hook| &hook.operation);
    for op in api.operations.iter().chain(webhooks) {
        if let Some(body) = &op.body
            && let BodyKind::Json { ty, .. } = &body.kind
        {
            for (label, value) in &body.examples {
                cases.push(Case {
                    location: format!("{} request body {label}", op.operation_id),
                    ty: ty.clone(),
                    value: value.clone(),
                });
            }
        }
        for response in &op.responses {
            let crate::operations::ResponseBody::Json { ty, .. } = &response.body else {
                continue;
            };
            let status = response
                .status
                .map_or_else(|| "2XX".to_owned(), |code| code.to_string());
            for (label, value) in &response.examples {
                cases.push(Case {
                    location: format!("{} response {status} {label}", op.operation_id),
                    ty: ty.clone(),
                    value: value.clone(),
                });
            }
        }
    }
    cases
}

/// A sample made up from each component schema (see [`crate::samples`]): what the conformance
/// calls send must at least decode into the generated type.
fn sample_cases(bundle: &Bundle, types: &TypeSpace) -> Vec<Case> {
    bundle
        .schemas
        .keys()
        .filter_map(|name| {
            let ty = types.component_type(name)?;
            let reference = openapiv3::ReferenceOr::Reference {
                reference: format!("#/components/schemas/{name}"),
            };
            Some(Case {
                location: format!("components/schemas/{name} sample"),
                ty: ty.clone(),
                value: crate::samples::sample(&reference, &bundle.schemas),
            })
        })
        .collect()
}

/// For each event trigger with a JSON payload, a sample made up from the payload's schema (its
/// members' examples where the spec gives them), parsed through the generated
/// `webhooks::Trigger::parse`, as a subscriber would.
fn trigger_cases(bundle: &Bundle, api: &Api, webhooks: &TokenStream) -> Vec<TokenStream> {
    api.webhooks
        .iter()
        .filter_map(|hook| {
            hook.payload()?;
            let schema = hook.operation.body.as_ref()?.schema.as_ref()?;
            let location = format!("webhooks/{} sample", hook.name);
            let json =
                Literal::string(&crate::samples::sample(schema, &bundle.schemas).to_string());
            let variant = quote::format_ident!("{}", hook.variant);
            Some(quote! {
                super::Case {
                    location: #location,
                    json: #json,
                    check: |json| {
                        #webhooks::Trigger::#variant
                            .parse(json.as_bytes())
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    },
                }
            })
        })
        .collect()
}

/// `tests/spec_examples/<module>/mod.rs`: `pub static CASES: &[super::Case]`.
pub(super) fn spec_examples_module(
    bundle: &Bundle,
    api: &Api,
    types: &TypeSpace,
    models: &TokenStream,
    runtime: &TokenStream,
    webhooks: &TokenStream,
) -> TokenStream {
    let case_tokens = |case: Case| {
        let location = &case.location;
        // Compact JSON text: the test parses it, so formatting does not matter.
        let json = Literal::string(&case.value.to_string());
        let ty = case.ty.tokens(models, runtime);
        quote! {
            super::Case { location: #location, json: #json, check: super::round_trip::<#ty> }
        }
    };
    let cases = cases(bundle, api, types).into_iter().map(case_tokens);
    let samples = sample_cases(bundle, types).into_iter().map(case_tokens);
    let triggers = trigger_cases(bundle, api, webhooks);
    quote! {
        //! Every example of the spec with the generated type it must decode into and encode back
        //! from; run by `tests/spec_examples.rs`.

        #![allow(deprecated)]

        pub static CASES: &[super::Case] = &[#(#cases),*];

        /// A sample made up from each component schema, with its type.
        pub static SAMPLES: &[super::Case] = &[#(#samples),*];

        /// A sample of each event trigger's payload, parsed as a subscriber would.
        pub static TRIGGERS: &[super::Case] = &[#(#triggers),*];
    }
}
