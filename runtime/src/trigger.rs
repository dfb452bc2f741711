//! Decoding the requests that SailPoint's event triggers send to a subscriber's URL. Each
//! version's generated `webhooks` module names its triggers and their payload types; this is the
//! decoding they share.

use std::fmt;

use bytes::Bytes;
use serde::de::DeserializeOwned;

/// A trigger request whose body does not fit the payload type: which trigger, the JSON path
/// where decoding failed (`.` for the root), what was wrong, and the body as received.
#[derive(Debug)]
pub struct PayloadError {
    trigger: &'static str,
    path: String,
    source: serde_json::Error,
    body: Bytes,
}

impl PayloadError {
    /// The trigger's name in the spec (`AccessRequestDecision`).
    pub fn trigger(&self) -> &'static str {
        self.trigger
    }

    /// Where decoding failed, as serde_path_to_error prints it (`requestedItems[0].type`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The body as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} trigger's payload does not decode at `{}`: {}",
            self.trigger, self.path, self.source
        )
    }
}

impl std::error::Error for PayloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Decode a trigger's payload (what generated `Trigger::parse` calls).
pub fn decode_payload<T: DeserializeOwned>(
    trigger: &'static str,
    body: &[u8],
) -> Result<T, PayloadError> {
    super::response::decode_json(body).map_err(|(path, source)| PayloadError {
        trigger,
        path,
        source,
        body: Bytes::copy_from_slice(body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Payload {
        #[allow(dead_code)]
        id: String,
    }

    #[test]
    fn a_payload_that_does_not_fit_names_the_trigger_and_the_path() {
        let err =
            decode_payload::<Vec<Payload>>("SourceCreated", br#"[{"id": "a"}, {"id": true}]"#)
                .unwrap_err();
        assert_eq!(err.trigger(), "SourceCreated");
        assert_eq!(err.path(), "[1].id");
        assert_eq!(&err.body()[..], br#"[{"id": "a"}, {"id": true}]"#);
        assert!(err.to_string().starts_with(
            "the SourceCreated trigger's payload does not decode at `[1].id`: invalid type"
        ));
        assert!(decode_payload::<Payload>("SourceCreated", br#"{"id": "a"}"#).is_ok());
    }
}
