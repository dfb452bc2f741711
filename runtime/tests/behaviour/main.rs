//! The runtime against real local servers (wiremock, and the loopback fault server for
//! streamed bodies), and its value types. One test binary of many modules rather than a binary
//! per file: every binary links reqwest, tokio and wiremock again, and that link is most of a
//! test build's time.

mod auth;
mod client;
mod download;
mod errors;
mod limit;
mod paginate;
mod retry;
mod search_after;
mod string_enum_macro;
