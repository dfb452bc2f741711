//! Every example of the spec (component schemas, request bodies, responses) decodes into the
//! generated type the spec assigns it, and encodes back to equivalent JSON.
//!
//! The cases are generated (`tests/spec_examples/<version>/mod.rs`, by `cargo xtask codegen`).
//! Examples that are wrong in the spec itself are listed with the reason in
//! `spec/known-spec-bugs.toml`; this test fails on any other failure, and on a listed example
//! that passes or no longer exists (so the list does not go stale). The same goes for the
//! samples made up from each component schema (`[[sample]]` entries).
//!
//! Equivalent means: the same JSON once `null` members are dropped (an optional field left out
//! and one sent as `null` mean the same), numbers compared by value, and date-times compared as
//! instants. A member of the example that the type does not write back is a failure (models
//! keep the members their schema does not declare, so this is a member the model loses).

use std::collections::BTreeMap;

mod known_spec_bugs;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One example and the check of its type (see the generated modules).
pub struct Case {
    pub location: &'static str,
    pub json: &'static str,
    pub check: fn(&str) -> Result<(), String>,
}

// Generated test data, formatted by the generator, not by rustfmt: `cargo fmt` must leave it
// byte-identical to what `cargo xtask codegen --check` expects (as for src/<version>). The index
// declares a module per version and `VERSIONS`: the name, cases, samples and triggers of each.
include!("spec_examples/index.rs");

/// Decodes `json` into `T`, encodes it again and compares.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let original: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let mut de = serde_json::Deserializer::from_str(json);
    let decoded: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| format!("does not decode at {}: {}", e.path(), e.inner()))?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))?;
    equivalent(&original, &encoded, "").map_err(|why| format!("round trip differs: {why}"))
}

fn equivalent(original: &Value, encoded: &Value, path: &str) -> Result<(), String> {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            let present = |m: &serde_json::Map<String, Value>| -> BTreeMap<String, Value> {
                m.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            let (a, b) = (present(a), present(b));
            for (key, value) in &a {
                let here = format!("{path}.{key}");
                match b.get(key) {
                    Some(other) => equivalent(value, other, &here)?,
                    None => return Err(format!("{here} is lost on the way back")),
                }
            }
            if let Some(key) = b.keys().find(|k| !a.contains_key(*k)) {
                return Err(format!(
                    "{path}.{key} appears (a default the example did not have)"
                ));
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Err(format!("{path}: {} items became {}", a.len(), b.len()));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                equivalent(x, y, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => Ok(()),
        // A date-time given as epoch milliseconds is read (documented drift) and written back
        // as RFC 3339.
        (Value::Number(a), Value::String(b)) if same_instant_as_millis(a, b) => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{path}: {a} became {b}")),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        a.parse::<isc::runtime::DateTime>(),
        b.parse::<isc::runtime::DateTime>(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// `millis` (epoch milliseconds, an integer) and the RFC 3339 `text` are the same instant.
fn same_instant_as_millis(millis: &serde_json::Number, text: &str) -> bool {
    let Some(instant) = millis
        .as_i64()
        .and_then(isc::runtime::DateTime::from_epoch_millis)
    else {
        return false;
    };
    text.parse::<isc::runtime::DateTime>()
        .is_ok_and(|other| other == instant)
}

/// Runs `cases` of each version and judges them against the `kind` entries of
/// `spec/known-spec-bugs.toml`; returns each version's tally.
fn check_against_known_bugs(
    kind: &str,
    what: &str,
    versions: &[(&'static str, &[Case])],
) -> Vec<known_spec_bugs::Tally<'static>> {
    let outcomes: Vec<known_spec_bugs::Outcome> = versions
        .iter()
        .flat_map(|(version, cases)| {
            cases.iter().map(|case| known_spec_bugs::Outcome {
                version,
                location: case.location.to_owned(),
                result: (case.check)(case.json),
            })
        })
        .collect();
    let ran: Vec<&str> = versions.iter().map(|(version, _)| *version).collect();
    known_spec_bugs::judge(kind, what, &ran, &outcomes)
}

/// Every example of the spec, and every sample made up from a component schema (what the
/// conformance calls send, `codegen::samples`), decodes into its generated type and encodes
/// back, unless listed (`[[example]]`, confirmed by `cargo xtask validate-examples`;
/// `[[sample]]`: a schema from which no valid value can be made). Prints one line per API:
/// `round trip (<api>): N of N, K listed spec bugs`, N counting what round-trips and what is
/// listed (the test fails on anything else).
#[test]
fn every_spec_example_and_sample_round_trips() {
    let examples: Vec<(&'static str, &[Case])> =
        VERSIONS.iter().map(|v| (v.name, v.cases)).collect();
    let samples: Vec<(&'static str, &[Case])> =
        VERSIONS.iter().map(|v| (v.name, v.samples)).collect();
    let of_examples = check_against_known_bugs("example", "spec examples", &examples);
    let of_samples = check_against_known_bugs("sample", "schema samples", &samples);
    for (version, _) in &examples {
        let tallies = of_examples.iter().chain(&of_samples);
        let (ran, listed) = tallies
            .filter(|tally| tally.version == *version)
            .fold((0, 0), |(ran, listed), tally| {
                (ran + tally.ran, listed + tally.listed)
            });
        println!("round trip ({version}): {ran} of {ran}, {listed} listed spec bugs");
    }
}

/// Each event trigger's payload, made up from its schema and the examples of its members, parses
/// through the generated `webhooks::Trigger::parse` (v3 has no triggers).
#[test]
fn every_trigger_payload_parses() {
    let versions: Vec<(&'static str, &[Case])> =
        VERSIONS.iter().map(|v| (v.name, v.triggers)).collect();
    check_against_known_bugs("trigger", "trigger payloads", &versions);
}

#[test]
fn a_date_time_in_epoch_milliseconds_equals_its_rfc3339_spelling() {
    let millis = serde_json::json!(1639056206564_i64);
    assert!(equivalent(&millis, &serde_json::json!("2021-12-09T13:23:26.564Z"), "").is_ok());
    assert!(
        equivalent(
            &millis,
            &serde_json::json!("2021-12-09T14:23:26.564+01:00"),
            ""
        )
        .is_ok()
    );
    assert!(equivalent(&millis, &serde_json::json!("2021-12-09T13:23:26.565Z"), "").is_err());
    assert!(
        equivalent(
            &serde_json::json!(1.5),
            &serde_json::json!("1970-01-01T00:00:00Z"),
            ""
        )
        .is_err()
    );
}
