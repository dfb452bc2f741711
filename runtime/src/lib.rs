//! The HTTP runtime of the generated SailPoint ISC client (`isc-client`): everything a generated
//! operation needs to be sent and answered, and nothing about any one API version.
//!
//! Generated code describes every operation with a static [`OperationInfo`], fills a [`Request`]
//! (plain data, so it can be re-sent), hands it to [`Client::execute`] and decodes the
//! [`Response`]. Every request goes through [`Client::execute`]; that is the one place where
//! authentication, retries, tracing and similar cross-cutting behaviour live.
//!
//! This module is self-contained: it only refers to itself (`self::`, `super::`,
//! `crate::`), never to other modules of the crate, and it must be mounted at
//! `crate` (the [`impl_string_enum!`] macro expands to `$crate::` paths).

mod auth;
mod client;
mod download;
mod enums;
mod error;
mod lenient;
mod limit;
mod object;
mod options;
mod paginate;
mod patch;
mod query;
mod request;
mod response;
mod retry;
mod retry_after;
mod send;
mod time;
mod trigger;
mod untagged;
mod wait;

pub use self::auth::{AuthError, SecretString};
pub use self::client::{Client, ClientBuilder};
pub use self::download::StreamingResponse;
pub use self::enums::StringEnum;
pub use self::error::{
    ApiError, ApiErrorBody, DeadlineError, DecodeError, EncodeError, Error, ErrorMessage,
    ErrorResponse, TransportError, TransportErrorKind,
};
pub use self::lenient::Lenient;
pub use self::limit::RateLimit;
pub use self::object::Extra;
pub use self::options::CallOptions;
pub use self::paginate::{
    ListingError, OffsetPagination, Page, PageRetry, Paginator, ResumePoint, SearchAfterPagination,
};
pub use self::patch::JsonPatch;
pub use self::query::{QueryValue, path_segment};
pub use self::request::{Body, FilePart, MultipartForm, OperationInfo, Request};
pub use self::response::Response;
pub use self::retry::RetryPolicy;
pub use self::send::{ResponseFuture, SendFuture};
pub use self::time::{Date, DateTime, DateTimeParseError};
pub use self::trigger::{PayloadError, decode_payload};
pub use self::wait::{Progress, WaitOutcome, WaitSpec, Waiter};
/// The HTTP status type of [`Error::status`] and of responses (`http`'s).
pub use http::StatusCode;

/// How a [`SendFuture`] decodes its answer: the type parameter of each operation's `send()`.
pub mod decode {
    pub use super::send::{Binary, Decode, Empty, Json, JsonList, Text};
}

/// Implements serde, `Display`, `FromStr`, `AsRef<str>` and [`QueryValue`] for a string enum
/// that implements [`StringEnum`].
///
/// Usage: `isc_runtime::impl_string_enum!(TypeName);` (or through the path the runtime is
/// re-exported at).. Deserialisation accepts any JSON
/// string (unknown values go through [`StringEnum::from_wire`], so they are kept) and rejects any
/// other JSON value.
#[doc(inline)]
pub use crate::__isc_runtime_impl_string_enum as impl_string_enum;

/// Items used by macro expansions. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use super::enums::{append_string_enum, deserialize_string_enum, serialize_string_enum};
    pub use super::object::{Key, Members, Object, begin, expecting_object, required};
    pub use super::untagged::{Candidate, best_fit, tagged, variant};
    pub use serde;
}
