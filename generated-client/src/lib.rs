//! Typed async client for the SailPoint Identity Security Cloud REST API.
//!
//! Each API version is a module behind a cargo feature of the same name; its code is generated
//! from SailPoint's OpenAPI spec by `cargo xtask codegen`. The [`runtime`] module is hand-written.

pub mod runtime;

pub use runtime::{Client, ClientBuilder, Error};

#[cfg(feature = "v3")]
pub mod v3;

#[cfg(feature = "v2024")]
pub mod v2024;
