//! Decoding of unions: by a discriminator when the spec (or an overlay) declares one, else by
//! which variant the value fits.
//!
//! Serde's `untagged` takes the first variant that decodes. Objects decode into any struct
//! whose required fields they have, and a lenient reading (a missing required list read as
//! empty, a number read as text) makes even more of them decode, so the first variant often wins
//! with the wrong shape: a transform's `{"value": "Engineering"}` read as another kind of
//! transform with an empty list, and written back so. Here a variant is chosen only on a strict
//! fit:
//! - it decodes without any lenient reading (the count of lenient readings does not move);
//! - a struct variant declares every member of the object (it would leave none behind);
//! - a variant that takes any object or value (a map, free-form JSON) fits only where nothing
//!   more specific does.
//!
//! The one variant that fits best is chosen. When none fits, or several fit equally, the value
//! is kept whole in the union's `Other` variant and written back unchanged: a union never
//! guesses. Lenient readings help a member decode once its variant is known (a tagged union's
//! variant), never choose one.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// One variant of a union: the JSON names of the members it declares (`None` when it is not a
/// struct with a fixed set of members) and how to decode it.
pub struct Candidate<T> {
    /// Member names the variant declares (struct variants).
    pub fields: Option<&'static [&'static str]>,
    /// Whether the variant takes any value or any object (a map, free-form JSON): it fits only
    /// where no other variant does.
    pub catch_all: bool,
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

/// Whether `value` has a member `fields` does not declare (`fields` is `None` for a variant that
/// is not a struct).
fn leaves_members(value: &Value, fields: Option<&[&str]>) -> bool {
    match (value, fields) {
        (Value::Object(members), Some(fields)) => {
            members.keys().any(|key| !fields.contains(&key.as_str()))
        }
        _ => false,
    }
}

/// The variant `value` fits best (see the module documentation); `None` when none fits or
/// several fit equally, for the union to keep the value whole.
pub fn best_fit<T>(value: &Value, candidates: &[Candidate<T>]) -> Option<T> {
    // (rank, decoded, how many share the rank)
    let mut best: Option<(u8, T, usize)> = None;
    for candidate in candidates {
        if leaves_members(value, candidate.fields) {
            continue;
        }
        let before = super::lenient::lenient_readings();
        let Ok(decoded) = (candidate.decode)(value) else {
            continue;
        };
        if super::lenient::lenient_readings() != before {
            continue;
        }
        let rank = if candidate.catch_all { 1 } else { 2 };
        match &mut best {
            Some((best_rank, _, ties)) if *best_rank == rank => *ties += 1,
            Some((best_rank, _, _)) if *best_rank > rank => {}
            _ => best = Some((rank, decoded, 1)),
        }
    }
    match best {
        Some((_, decoded, 1)) => Some(decoded),
        _ => None,
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
                fields: Some(&["id", "email", "owns"]),
                catch_all: false,
                decode: |v| variant(v).map(Doc::Identity),
            },
            Candidate {
                fields: Some(&["id", "accessProfiles"]),
                catch_all: false,
                decode: |v| variant(v).map(Doc::Role),
            },
        ]
    }

    #[test]
    fn the_variant_declaring_every_member_wins_over_the_first() {
        let role = serde_json::json!({"id": "r1", "accessProfiles": ["a"]});
        let decoded = best_fit(&role, &candidates()).unwrap();
        assert!(matches!(decoded, Doc::Role(_)), "{decoded:?}");
        let identity = serde_json::json!({"id": "i1", "email": "a@b"});
        let decoded = best_fit(&identity, &candidates()).unwrap();
        assert!(matches!(decoded, Doc::Identity(_)), "{decoded:?}");
    }

    #[test]
    fn no_variant_is_chosen_when_several_fit_equally() {
        // Both declare `id` alone.
        assert!(best_fit(&serde_json::json!({"id": "x"}), &candidates()).is_none());
    }

    #[test]
    fn no_variant_is_chosen_that_would_leave_members_behind() {
        let bare = serde_json::json!({"id": "x", "other": 1});
        assert!(best_fit(&bare, &candidates()).is_none());
    }

    #[test]
    fn a_drifted_member_does_not_make_another_variant_fit() {
        // An identity whose `owns` is an object: no variant fits, so none is chosen.
        let drifted = serde_json::json!({"id": "i1", "email": "a@b", "owns": {"roles": []}});
        assert!(best_fit(&drifted, &candidates()).is_none());
    }

    #[test]
    fn a_lenient_reading_never_makes_a_variant_fit() {
        // `id` as a number is read as text only leniently: no strict fit.
        let lenient = serde_json::json!({"id": 7, "accessProfiles": ["a"]});
        assert!(best_fit(&lenient, &candidates()).is_none());
    }

    #[test]
    fn a_catch_all_fits_only_where_nothing_else_does() {
        let with_map: [Candidate<Result<Doc, Value>>; 2] = [
            Candidate {
                fields: Some(&["id", "accessProfiles"]),
                catch_all: false,
                decode: |v| variant(v).map(|role| Ok(Doc::Role(role))),
            },
            Candidate {
                fields: None,
                catch_all: true,
                decode: |v| Ok(Err(v.clone())),
            },
        ];
        let role = serde_json::json!({"id": "r1"});
        assert!(matches!(best_fit(&role, &with_map), Some(Ok(Doc::Role(_)))));
        let other = serde_json::json!({"name": "n"});
        assert!(matches!(best_fit(&other, &with_map), Some(Err(_))));
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
