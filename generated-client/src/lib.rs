//! Typed async client for the SailPoint Identity Security Cloud REST API.
//!
//! Each API version is a module behind a cargo feature of the same name; its code is generated
//! from SailPoint's OpenAPI spec by `cargo xtask codegen`. To compile less, `<version>-selected`
//! (`v2026-selected`) compiles only the groups of operations whose `tag-<group>` feature
//! (`tag-accounts`) is on, and the models they use. The [`runtime`] module is hand-written.
//!
//! The guide below (with the `v3` feature, whose calls its examples show) covers configuration,
//! a first call, pagination, errors, retries and features.
#![cfg_attr(feature = "v3", doc = include_str!("guide.md"))]

pub mod runtime;

pub use runtime::{Client, ClientBuilder, Error};

// Generated modules are formatted by the generator (prettyplease), not by rustfmt: `cargo fmt`
// must leave them byte-identical to what `cargo xtask codegen --check` expects.
#[cfg(any(feature = "v3", feature = "v3-selected"))]
#[rustfmt::skip]
pub mod v3;

#[cfg(any(feature = "v2024", feature = "v2024-selected"))]
#[rustfmt::skip]
pub mod v2024;

#[cfg(any(feature = "v2025", feature = "v2025-selected"))]
#[rustfmt::skip]
pub mod v2025;

#[cfg(any(feature = "v2026", feature = "v2026-selected"))]
#[rustfmt::skip]
pub mod v2026;

#[cfg(any(feature = "beta", feature = "beta-selected"))]
#[rustfmt::skip]
pub mod beta;

#[cfg(any(feature = "services", feature = "services-selected"))]
#[rustfmt::skip]
pub mod services;

// The year versions' accessors live here rather than in the generated modules. The per-service
// API is the exception: its services are methods of `Client` itself (`client.accounts().v1()`),
// generated in `services/mod.rs` (`client_methods` in spec/pin.toml).
impl Client {
    /// The v3 API: `client.v3().accounts().list_accounts().send().await`.
    #[cfg(any(feature = "v3", feature = "v3-selected"))]
    pub fn v3(&self) -> v3::Api {
        v3::Api::new(self.clone())
    }

    /// The v2024 API: `client.v2024().accounts().list_accounts().send().await`.
    #[cfg(any(feature = "v2024", feature = "v2024-selected"))]
    pub fn v2024(&self) -> v2024::Api {
        v2024::Api::new(self.clone())
    }

    /// The v2025 API: `client.v2025().accounts().list_accounts().send().await`.
    #[cfg(any(feature = "v2025", feature = "v2025-selected"))]
    pub fn v2025(&self) -> v2025::Api {
        v2025::Api::new(self.clone())
    }

    /// The v2026 API: `client.v2026().accounts().list_accounts().send().await`.
    #[cfg(any(feature = "v2026", feature = "v2026-selected"))]
    pub fn v2026(&self) -> v2026::Api {
        v2026::Api::new(self.clone())
    }

    /// The beta API (experimental operations SailPoint may change without notice):
    /// `client.beta().accounts().list_accounts().send().await`.
    #[cfg(any(feature = "beta", feature = "beta-selected"))]
    pub fn beta(&self) -> beta::Api {
        beta::Api::new(self.clone())
    }
}

// The README's examples are compiled as doctests, so that they stay true.
#[cfg(all(doctest, feature = "v3"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
