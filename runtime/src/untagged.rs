//! Decoding of unions: by a discriminator when the spec (or an overlay) declares one, else by
//! the members each variant declares.
//!
//! Serde's `untagged` takes the first variant that decodes. Objects decode into any struct
//! whose required fields they have (other members are ignored), so with overlapping variants
//! (SailPoint's search documents: all optional but `id` and `name`) the first one always wins and
//! the members only the right variant declares are lost. Here every variant is tried and the one
//! that declares the most of the object's members wins: the first that declares all of them at
//! once, else the one leaving the fewest undeclared, the earliest on a tie.
//!
//! A variant that declares more of the object's members than any variant that decodes, but fails
//! itself (a member whose type drifted from the spec), is taken to be the object's real type: its
//! failure is returned, with the JSON path inside the object, rather than a variant that decodes
//! only because it ignores what it does not declare. A silently wrong value is worse than an
//! error.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// One variant of a union: the JSON names of the members it declares (`None` when it is not a
/// struct with a fixed set of members) and how to decode it.
pub struct Candidate<T> {
    /// Variant name, for error messages.
    pub name: &'static str,
    /// Member names the variant declares.
    pub fields: Option<&'static [&'static str]>,
    /// Decodes the variant from the value (see [`variant`]).
    pub decode: fn(&Value) -> Result<T, String>,
}

/// Decodes one variant from a buffered value; a failure says where in the value it happened
/// (`at owns: invalid type: map, expected a sequence`), since the buffering hides that path from
/// the path of the whole body.
pub fn variant<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(super::lenient::Lenient(value)).map_err(at_path)
}

/// A decoding failure inside a buffered value, with its path there (`at owns: ...`; the message
/// alone at the root).
pub(crate) fn at_path(error: serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = error.path().to_string();
    if path == "." {
        error.into_inner().to_string()
    } else {
        format!("at {path}: {}", error.into_inner())
    }
}

/// Decodes the variant a discriminator chose; a failure names the union, the discriminator's
/// value and the variant.
pub fn tagged<T: DeserializeOwned>(
    value: &Value,
    union: &str,
    property: &str,
    tag: &str,
    variant_name: &str,
) -> Result<T, String> {
    variant(value).map_err(|error| {
        format!("{union} with {property} {tag:?} is {variant_name}, and does not fit it: {error}")
    })
}

/// Members of `value` (an object) that `fields` does not declare.
fn undeclared(value: &Value, fields: Option<&[&str]>) -> usize {
    match (value, fields) {
        (Value::Object(members), Some(fields)) => members
            .keys()
            .filter(|key| !fields.contains(&key.as_str()))
            .count(),
        (Value::Object(members), None) => members.len(),
        _ => 0,
    }
}

/// The best-fitting variant of `value` (see the module documentation), or a message naming
/// why each variant was refused.
pub fn best_fit<T>(value: &Value, union: &str, candidates: &[Candidate<T>]) -> Result<T, String> {
    let mut best: Option<(usize, T)> = None;
    // The failed variant that declares the most of the object's members.
    let mut closest_failure: Option<(usize, &str, String)> = None;
    let mut refused = Vec::new();
    for candidate in candidates {
        let left = undeclared(value, candidate.fields);
        match (candidate.decode)(value) {
            Ok(decoded) => {
                // Declares every member: no failed variant can fit better.
                if left == 0 {
                    return Ok(decoded);
                }
                if best.as_ref().is_none_or(|(score, _)| left < *score) {
                    best = Some((left, decoded));
                }
            }
            Err(error) => {
                refused.push(format!("{}: {error}", candidate.name));
                let declares_members = candidate.fields.is_some() && value.is_object();
                if declares_members
                    && closest_failure
                        .as_ref()
                        .is_none_or(|(score, _, _)| left < *score)
                {
                    closest_failure = Some((left, candidate.name, error));
                }
            }
        }
    }
    match (best, closest_failure) {
        (Some((left, _)), Some((failed_left, name, error))) if failed_left < left => Err(format!(
            "looks like the {name} variant of {union} (it declares more of the object's members \
             than any variant that decodes) but does not fit it: {error}"
        )),
        (Some((_, decoded)), _) => Ok(decoded),
        (None, _) => Err(format!(
            "matches no variant of {union} ({})",
            refused.join("; ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Identity {
        id: String,
        email: Option<String>,
        owns: Option<Vec<String>>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Role {
        id: String,
        #[serde(rename = "accessProfiles")]
        access_profiles: Option<Vec<String>>,
    }

    #[derive(Debug, PartialEq)]
    enum Doc {
        Identity(Identity),
        Role(Role),
    }

    fn candidates() -> [Candidate<Doc>; 2] {
        [
            Candidate {
                name: "Identity",
                fields: Some(&["id", "email", "owns"]),
                decode: |v| variant(v).map(Doc::Identity),
            },
            Candidate {
                name: "Role",
                fields: Some(&["id", "accessProfiles"]),
                decode: |v| variant(v).map(Doc::Role),
            },
        ]
    }

    #[test]
    fn the_variant_declaring_the_members_wins_over_the_first() {
        let role = serde_json::json!({"id": "r1", "accessProfiles": ["a"]});
        let decoded = best_fit(&role, "Doc", &candidates()).unwrap();
        assert!(matches!(decoded, Doc::Role(_)), "{decoded:?}");
        let identity = serde_json::json!({"id": "i1", "email": "a@b"});
        let decoded = best_fit(&identity, "Doc", &candidates()).unwrap();
        assert!(matches!(decoded, Doc::Identity(_)), "{decoded:?}");
        // Nothing declared beyond `id`: the earliest wins.
        let bare = serde_json::json!({"id": "x", "other": 1});
        let decoded = best_fit(&bare, "Doc", &candidates()).unwrap();
        assert!(matches!(decoded, Doc::Identity(_)), "{decoded:?}");
    }

    #[test]
    fn a_drifted_member_fails_its_variant_instead_of_picking_another() {
        // An identity whose `owns` is an object: Role decodes (it ignores `email` and `owns`),
        // but Identity declares every member; its failure is the answer.
        let drifted = serde_json::json!({"id": "i1", "email": "a@b", "owns": {"roles": []}});
        let error = best_fit(&drifted, "Doc", &candidates()).unwrap_err();
        assert!(
            error.contains("looks like the Identity variant of Doc"),
            "{error}"
        );
        assert!(error.contains("at owns: invalid type: map"), "{error}");
    }

    #[test]
    fn no_fit_names_every_variant() {
        let error = best_fit(&serde_json::json!({"name": 1}), "Doc", &candidates()).unwrap_err();
        assert!(error.contains("matches no variant of Doc"), "{error}");
        assert!(error.contains("Identity: missing field `id`"), "{error}");
        assert!(error.contains("Role: missing field `id`"), "{error}");
    }

    #[test]
    fn a_tagged_variant_that_does_not_fit_names_the_tag_and_the_path() {
        let value = serde_json::json!({"_type": "identity", "id": "i1", "owns": 5});
        let error = tagged::<Identity>(&value, "Doc", "_type", "identity", "Identity").unwrap_err();
        assert!(
            error.contains(r#"Doc with _type "identity" is Identity, and does not fit it"#),
            "{error}"
        );
        assert!(error.contains("at owns: invalid type: integer"), "{error}");
    }
}
