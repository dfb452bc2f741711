//! Typed async client for the SailPoint Identity Security Cloud REST API.
//!
//! Each API version is a module behind a cargo feature of the same name; its code is generated
//! from SailPoint's OpenAPI spec by `cargo xtask codegen`. The [`runtime`] module is hand-written.

pub mod runtime;

pub use runtime::{Client, ClientBuilder, Error};

// Generated modules are formatted by the generator (prettyplease), not by rustfmt: `cargo fmt`
// must leave them byte-identical to what `cargo xtask codegen --check` expects.
#[cfg(feature = "v3")]
#[rustfmt::skip]
pub mod v3;

#[cfg(feature = "v2024")]
#[rustfmt::skip]
pub mod v2024;

// The version accessors live here rather than in the generated modules, so that generated code
// never adds inherent methods to a type of another module.
impl Client {
    /// The v3 API: `client.v3().accounts().list_accounts().send().await`.
    #[cfg(feature = "v3")]
    pub fn v3(&self) -> v3::Api {
        v3::Api::new(self.clone())
    }

    /// The v2024 API: `client.v2024().accounts().list_accounts().send().await`.
    #[cfg(feature = "v2024")]
    pub fn v2024(&self) -> v2024::Api {
        v2024::Api::new(self.clone())
    }
}

// The README's examples are compiled as doctests, so that they stay true.
#[cfg(all(doctest, feature = "v3"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
