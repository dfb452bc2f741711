//! `<module>/webhooks.rs`: the event triggers of a version (`x-webhooks`), an enum naming them,
//! and an enum of their decoded payloads, so that a subscriber can turn an incoming trigger
//! request into the right type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Paths;
use crate::docs;
use crate::operations::{Api, Webhook};

pub(super) fn webhooks_module(api: &Api, paths: &Paths) -> TokenStream {
    let runtime = &paths.runtime;
    let models = &paths.models;
    let hooks = &api.webhooks;
    let variant = |hook: &Webhook| format_ident!("{}", hook.variant);
    let trigger_variants = hooks.iter().map(|hook| {
        let ident = variant(hook);
        let doc = docs::doc_attrs(&docs::present_paragraphs([
            Some(
                format!(
                    "`{}` (operation `{}`).",
                    hook.name, hook.operation.operation_id
                )
                .as_str(),
            ),
            hook.operation.summary.as_deref(),
            hook.operation.description.as_deref(),
        ]));
        quote!(#doc #ident)
    });
    let all = hooks.iter().map(|hook| {
        let ident = variant(hook);
        quote!(Trigger::#ident)
    });
    let names = hooks.iter().map(|hook| {
        let ident = variant(hook);
        let name = &hook.name;
        quote!(Trigger::#ident => #name)
    });
    let from_names = hooks.iter().map(|hook| {
        let ident = variant(hook);
        let name = &hook.name;
        quote!(#name => Some(Trigger::#ident))
    });
    let payload_type = |hook: &Webhook| match hook.payload() {
        Some(ty) => ty.tokens(models, runtime),
        None => quote!(serde_json::Value),
    };
    let event_variants = hooks.iter().map(|hook| {
        let ident = variant(hook);
        let ty = payload_type(hook);
        let doc = docs::doc_attrs(&format!("The payload of [`Trigger::{}`].", hook.variant));
        quote!(#doc #ident(#ty))
    });
    let parses = hooks.iter().map(|hook| {
        let ident = variant(hook);
        quote!(Trigger::#ident => Event::#ident(#runtime::decode_payload(self.name(), body)?))
    });
    let triggers_of = hooks.iter().map(|hook| {
        let ident = variant(hook);
        quote!(Event::#ident(_) => Trigger::#ident)
    });
    let answers: Vec<TokenStream> = hooks
        .iter()
        .filter_map(|hook| {
            let ty = hook.answer()?.tokens(models, runtime);
            let doc = docs::doc_attrs(&format!(
                "What a subscriber of [`Trigger::{}`] answers (a request-response trigger).",
                hook.variant
            ));
            let ident = format_ident!("{}Answer", hook.variant);
            Some(quote!(#doc pub type #ident = #ty;))
        })
        .collect();
    let count = hooks.len();
    let first = hooks.first().map_or("Name", |hook| hook.variant.as_str());
    let summary = format!(
        "The {count} event triggers of this version: what the API sends to a subscriber's URL. \
         A subscription is for one trigger, so the receiver knows which one called: \
         `Trigger::{first}.parse(&body)` decodes the request body into [`Event`]."
    );
    let module_doc = docs::inner_doc_attrs(&summary);
    quote! {
        #module_doc

        /// An event trigger of this version.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Trigger {
            #(#trigger_variants,)*
        }

        impl Trigger {
            /// Every trigger, in spec order.
            pub const ALL: &'static [Trigger] = &[#(#all),*];

            /// The trigger's name in the spec (`x-webhooks`).
            pub fn name(self) -> &'static str {
                match self {
                    #(#names,)*
                }
            }

            /// The trigger with this name in the spec, if there is one.
            pub fn from_name(name: &str) -> Option<Trigger> {
                match name {
                    #(#from_names,)*
                    _ => None,
                }
            }

            /// Decode the body of a request this trigger sent. An error names the trigger and
            /// the JSON path where the body does not fit, and keeps the body.
            pub fn parse(self, body: &[u8]) -> Result<Event, #runtime::PayloadError> {
                Ok(match self {
                    #(#parses,)*
                })
            }
        }

        /// A trigger request, decoded.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        // One value per incoming request, matched at once: boxing the large payloads would cost
        // every caller a `*` for no gain.
        #[allow(clippy::large_enum_variant)]
        pub enum Event {
            #(#event_variants,)*
        }

        impl Event {
            /// The trigger that sent it.
            pub fn trigger(&self) -> Trigger {
                match self {
                    #(#triggers_of,)*
                }
            }
        }

        #(#answers)*
    }
}
