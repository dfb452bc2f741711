//! Finding the successor of each operation: by method and path once the new path's major version
//! segment is removed, else by operationId without its version suffix, the highest major version
//! first (the rules of the module docs of [`crate::migration`]).

use std::collections::BTreeMap;

use crate::surface::{self, Surface};

use super::compare::compare;
use super::{MatchedBy, Migration, OperationRef, Step, Successor};

/// The path without its major version segment (the first segment `v<digits>`), and that version
/// (`/sources/v2/{id}` gives `/sources/{id}` and 2). A path without one is itself, version 0.
pub fn without_major_version(path: &str) -> (String, u32) {
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        if let Some(version) = major_version(segment) {
            let mut rest = segments.clone();
            rest.remove(i);
            return (rest.join("/"), version);
        }
    }
    (path.to_string(), 0)
}

/// `v2` gives 2; anything but `v` and digits gives `None`.
fn major_version(segment: &str) -> Option<u32> {
    let digits = segment.strip_prefix('v')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The operationId without its trailing `V<digits>`, and that version (`listAccountsV1` gives
/// `listAccounts` and 1). An id without one is itself, version 0.
pub fn without_version_suffix(operation_id: &str) -> (&str, u32) {
    let digits = operation_id
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    let cut = operation_id.len() - digits;
    if digits > 0 && cut > 1 && operation_id[..cut].ends_with('V') {
        let version = operation_id[cut..].parse().unwrap_or(0);
        return (&operation_id[..cut - 1], version);
    }
    (operation_id, 0)
}

/// Every operation of `from` with its successor in `to`.
pub fn migrate(from: &Surface, to: &Surface) -> Migration {
    // Candidates by route and by name, each with its major version.
    let mut by_route: BTreeMap<(&str, String), Vec<(u32, &str)>> = BTreeMap::new();
    let mut by_name: BTreeMap<&str, Vec<(u32, &str)>> = BTreeMap::new();
    for (id, op) in &to.operations {
        let (path, version) = without_major_version(&op.path);
        by_route
            .entry((op.method.as_str(), surface::route_key(&path)))
            .or_default()
            .push((version, id));
        let (name, version) = without_version_suffix(id);
        by_name.entry(name).or_default().push((version, id));
    }
    let mut steps: Vec<Step> = from
        .operations
        .iter()
        .map(|(id, op)| {
            let route = (op.method.as_str(), surface::route_key(&op.path));
            let found = match by_route.get(&route) {
                Some(candidates) => Some((MatchedBy::Path, candidates)),
                None => by_name
                    .get(id.as_str())
                    .map(|candidates| (MatchedBy::Name, candidates)),
            };
            let successor = found.map(|(matched_by, candidates)| {
                let mut ranked = candidates.clone();
                // Highest version first; among equals, by operationId.
                ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
                let next_id = ranked[0].1;
                let next = &to.operations[next_id];
                let (renamed, changes) = compare(from, op, to, next);
                Successor {
                    to: OperationRef::new(next_id, next),
                    matched_by,
                    others: ranked[1..]
                        .iter()
                        .map(|(_, other)| OperationRef::new(other, &to.operations[*other]))
                        .collect(),
                    renamed,
                    changes,
                }
            });
            Step {
                from: OperationRef::new(id, op),
                successor,
            }
        })
        .collect();
    steps.sort_by(|a, b| {
        (&a.from.call, &a.from.operation_id).cmp(&(&b.from.call, &b.from.operation_id))
    });
    Migration { steps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migration::fixtures::*;
    use crate::migration::*;

    #[test]
    fn versions_come_off_paths_and_ids() {
        assert_eq!(
            without_major_version("/sources/v2/{id}/p"),
            ("/sources/{id}/p".to_string(), 2)
        );
        assert_eq!(without_major_version("/v10/x"), ("/x".to_string(), 10));
        assert_eq!(
            without_major_version("/values/{v}/vx"),
            ("/values/{v}/vx".to_string(), 0)
        );
        assert_eq!(
            without_version_suffix("listAccountsV1"),
            ("listAccounts", 1)
        );
        assert_eq!(without_version_suffix("getV12"), ("get", 12));
        assert_eq!(without_version_suffix("listV"), ("listV", 0));
        assert_eq!(without_version_suffix("V2"), ("V2", 0));
        assert_eq!(without_version_suffix("sha256"), ("sha256", 0));
    }

    #[test]
    fn a_path_match_with_the_same_request_and_answer_is_same() {
        let year = surface(
            &[(
                "getAccount",
                op(
                    "GET",
                    "/accounts/{id}",
                    "accounts().get_account()",
                    "Account",
                ),
            )],
            &[("Account", fields(&[("id", "String")]))],
        );
        let services = surface(
            &[
                (
                    "getAccountV1",
                    op(
                        "GET",
                        "/accounts/v1/{id}",
                        "accounts().v1().get_account()",
                        "Account",
                    ),
                ),
                // Another method on the same path is no match.
                (
                    "deleteAccountV1",
                    op(
                        "DELETE",
                        "/accounts/v1/{id}",
                        "accounts().v1().delete_account()",
                        "()",
                    ),
                ),
            ],
            &[("Account", fields(&[("id", "String")]))],
        );
        let m = migrate(&year, &services);
        let next = successor(&m, "getAccount");
        assert_eq!(next.matched_by, MatchedBy::Path);
        assert_eq!(next.to.operation_id, "getAccountV1");
        assert_eq!(next.to.call, "accounts().v1().get_account()");
        assert!(next.others.is_empty() && next.changes.is_empty() && next.renamed.is_empty());
        assert_eq!(
            m.summary().to_string(),
            "1 operations: 1 same, 0 changed (0 breaking), 0 matched by name, 0 without successor"
        );
    }

    #[test]
    fn of_v1_and_v2_the_highest_is_the_successor_and_the_other_is_mentioned() {
        let year = surface(
            &[(
                "listPolicies",
                op(
                    "GET",
                    "/sources/{sourceId}/policies",
                    "sources().list_policies()",
                    "Vec<Policy>",
                ),
            )],
            &[("Policy", fields(&[("name", "String")]))],
        );
        let services = surface(
            &[
                (
                    "listPoliciesV1",
                    op(
                        "GET",
                        "/sources/v1/{sourceId}/policies",
                        "sources().list_policies_v1()",
                        "Vec<Policy>",
                    ),
                ),
                (
                    "listPoliciesV2",
                    op(
                        "GET",
                        "/sources/v2/{sourceId}/policies",
                        "sources().list_policies_v2()",
                        "Vec<PolicyV2>",
                    ),
                ),
            ],
            &[
                ("Policy", fields(&[("name", "String")])),
                (
                    "PolicyV2",
                    fields(&[("name", "String"), ("usage", "String")]),
                ),
            ],
        );
        let m = migrate(&year, &services);
        let next = successor(&m, "listPolicies");
        assert_eq!(next.to.operation_id, "listPoliciesV2");
        let others: Vec<&str> = next
            .others
            .iter()
            .map(|o| o.operation_id.as_str())
            .collect();
        assert_eq!(others, ["listPoliciesV1"]);
        // The v2 answer's model has another name: paired by place, compared field by field.
        assert_eq!(
            next.renamed,
            [("Policy".to_string(), "PolicyV2".to_string())]
        );
        assert_eq!(
            described(next),
            [
                "Breaking answer, model `Policy`: field `usage: String` added (required: a new argument of `new`)"
            ]
        );
        assert_eq!(
            m.summary().to_string(),
            "1 operations: 0 same, 1 changed (1 breaking), 0 matched by name, 0 without successor"
        );
    }

    #[test]
    fn without_a_path_match_the_name_decides_and_else_there_is_none() {
        let year = surface(
            &[
                (
                    "searchThings",
                    op("POST", "/search", "search().search_things()", "()"),
                ),
                ("legacy", op("GET", "/legacy", "misc().legacy()", "()")),
            ],
            &[],
        );
        let services = surface(
            &[
                (
                    "searchThingsV1",
                    op(
                        "POST",
                        "/search/v1/things",
                        "search().search_things_v1()",
                        "()",
                    ),
                ),
                (
                    "searchThingsV3",
                    op(
                        "POST",
                        "/search/v3/things",
                        "search().search_things_v3()",
                        "()",
                    ),
                ),
            ],
            &[],
        );
        let m = migrate(&year, &services);
        let next = successor(&m, "searchThings");
        assert_eq!(next.matched_by, MatchedBy::Name);
        assert_eq!(next.to.operation_id, "searchThingsV3");
        assert_eq!(next.others.len(), 1);
        assert!(step(&m, "legacy").successor.is_none());
        assert_eq!(
            m.summary().to_string(),
            "2 operations: 0 same, 0 changed (0 breaking), 1 matched by name (0 changed, 0 breaking), 1 without successor"
        );
        // Ordered by call.
        assert_eq!(m.steps[0].from.operation_id, "legacy");
    }

    #[test]
    fn renamed_placeholders_match_and_change_nothing() {
        let year = surface(
            &[(
                "getPolicy",
                op(
                    "GET",
                    "/sources/{source_id}/policies/{usage_type}",
                    "sources().get_policy()",
                    "()",
                ),
            )],
            &[],
        );
        let services = surface(
            &[(
                "getPolicyV2",
                op(
                    "GET",
                    "/sources/v2/{source_id}/policies/{id}",
                    "sources().get_policy_v2()",
                    "()",
                ),
            )],
            &[],
        );
        let m = migrate(&year, &services);
        let next = successor(&m, "getPolicy");
        assert_eq!(next.matched_by, MatchedBy::Path);
        assert!(next.changes.is_empty(), "{:?}", described(next));
    }
}
