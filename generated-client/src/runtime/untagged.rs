//! Decoding of unions without a discriminator (`oneOf`/`anyOf` with no `discriminator`).
//!
//! Serde's `untagged` takes the first variant that decodes. Objects decode into any struct
//! whose required fields they have (other members are ignored), so with overlapping variants
//! (SailPoint's search documents: all optional but `id` and `name`) the first one always wins and
//! the members only the right variant declares are lost. Here every variant is tried and the one
//! that declares the most of the object's members wins: the first that declares all of them at
//! once, else the one leaving the fewest undeclared, the earliest on a tie.

use serde_json::Value;

/// One variant of a union: the JSON names of the members it declares (`None` when it is not a
/// struct with a fixed set of members) and how to decode it.
pub struct Candidate<T> {
    /// Variant name, for error messages.
    pub name: &'static str,
    /// Member names the variant declares.
    pub fields: Option<&'static [&'static str]>,
    /// Decodes the variant from the value.
    pub decode: fn(&Value) -> Result<T, serde_json::Error>,
}

/// The best-fitting variant of `value` (see the module documentation), or a message naming
/// why each variant was refused.
pub fn best_fit<T>(value: &Value, union: &str, candidates: &[Candidate<T>]) -> Result<T, String> {
    let mut best: Option<(usize, T)> = None;
    let mut refused = Vec::new();
    for candidate in candidates {
        match (candidate.decode)(value) {
            Ok(decoded) => {
                let undeclared = match (value, candidate.fields) {
                    (Value::Object(members), Some(fields)) => members
                        .keys()
                        .filter(|key| !fields.contains(&key.as_str()))
                        .count(),
                    (Value::Object(members), None) => members.len(),
                    _ => 0,
                };
                if undeclared == 0 {
                    return Ok(decoded);
                }
                if best.as_ref().is_none_or(|(score, _)| undeclared < *score) {
                    best = Some((undeclared, decoded));
                }
            }
            Err(error) => refused.push(format!("{}: {error}", candidate.name)),
        }
    }
    match best {
        Some((_, decoded)) => Ok(decoded),
        None => Err(format!(
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
                fields: Some(&["id", "email"]),
                decode: |v| serde::Deserialize::deserialize(v).map(Doc::Identity),
            },
            Candidate {
                name: "Role",
                fields: Some(&["id", "accessProfiles"]),
                decode: |v| serde::Deserialize::deserialize(v).map(Doc::Role),
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
    fn no_fit_names_every_variant() {
        let error = best_fit(&serde_json::json!({"name": 1}), "Doc", &candidates()).unwrap_err();
        assert!(error.contains("matches no variant of Doc"), "{error}");
        assert!(error.contains("Identity: missing field `id`"), "{error}");
        assert!(error.contains("Role: missing field `id`"), "{error}");
    }
}
