//! `spec/known-spec-bugs.toml`, shared by the tests that check the generated client against the
//! spec: what they may see fail, and why it is the spec's fault.

use std::collections::BTreeMap;

/// The entries of one kind (`example`, `sample`, `conformance`), by version and location. An
/// entry names `version` or `versions`, `location` or `locations`, and a `reason`; it stands for
/// every version and location it names.
pub fn known_bugs(kind: &str) -> BTreeMap<(String, String), String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/known-spec-bugs.toml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut known = BTreeMap::new();
    let entries = value.get(kind).and_then(toml::Value::as_array);
    for entry in entries.into_iter().flatten() {
        // `one` or `many` (a list), not both, not neither.
        let names = |one: &str, many: &str| -> Vec<String> {
            let list = match (entry.get(one), entry.get(many)) {
                (Some(single), None) => vec![single.clone()],
                (None, Some(toml::Value::Array(list))) if !list.is_empty() => list.clone(),
                _ => panic!("{path}: a [[{kind}]] needs `{one}` or a non-empty `{many}`: {entry}"),
            };
            list.iter()
                .map(|item| {
                    item.as_str()
                        .unwrap_or_else(|| panic!("{path}: `{many}` are strings: {entry}"))
                        .to_owned()
                })
                .collect()
        };
        let reason = entry
            .get("reason")
            .and_then(toml::Value::as_str)
            .filter(|reason| !reason.trim().is_empty())
            .unwrap_or_else(|| panic!("{path}: every [[{kind}]] gives a reason: {entry}"));
        for version in names("version", "versions") {
            for location in names("location", "locations") {
                let key = (version.clone(), location);
                assert!(
                    known.insert(key.clone(), reason.to_owned()).is_none(),
                    "{path}: {} {} is listed twice",
                    key.0,
                    key.1
                );
            }
        }
    }
    known
}

/// One checked thing: its version, where it is (what the list names), and how it went.
pub struct Outcome {
    pub version: &'static str,
    pub location: String,
    pub result: Result<(), String>,
}

/// Prints `<what>: N passed, N failed (N known spec bugs) of N`, and fails on a failure not
/// listed under `kind` in `spec/known-spec-bugs.toml`, on a listed one that passes, and on a
/// listed one that no longer exists in a version that ran.
pub fn judge(kind: &str, what: &str, ran: &[&str], outcomes: &[Outcome]) {
    let mut known = known_bugs(kind);
    let all_known = known.clone();
    let mut passed = 0;
    let mut known_failed = 0;
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for outcome in outcomes {
        let key = (outcome.version.to_owned(), outcome.location.clone());
        let name = format!("{} {}", outcome.version, outcome.location);
        match (&outcome.result, known.remove(&key).is_some()) {
            (Ok(()), false) => passed += 1,
            (Ok(()), true) => stale.push(name),
            (Err(_), true) => known_failed += 1,
            (Err(why), false) => unexpected.push(format!("{name}: {why}")),
        }
    }
    stale.extend(
        known
            .keys()
            .filter(|(version, _)| ran.contains(&version.as_str()))
            .map(|(version, location)| format!("{version} {location} (no such {kind})")),
    );
    // One line per version, then the total.
    let mut versions: Vec<&str> = outcomes.iter().map(|o| o.version).collect();
    versions.dedup();
    if versions.len() > 1 {
        for version in versions {
            let mine: Vec<&Outcome> = outcomes.iter().filter(|o| o.version == version).collect();
            let failed = mine.iter().filter(|o| o.result.is_err()).count();
            let listed = mine
                .iter()
                .filter(|o| {
                    o.result.is_err()
                        && all_known.contains_key(&(version.to_owned(), o.location.clone()))
                })
                .count();
            println!(
                "{what} ({version}): {} passed, {failed} failed ({listed} known spec bugs) of {}",
                mine.len() - failed,
                mine.len()
            );
        }
    }
    println!(
        "{what}: {passed} passed, {} failed ({known_failed} known spec bugs) of {}",
        known_failed + unexpected.len(),
        outcomes.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} {kind}(s) fail and are not listed in spec/known-spec-bugs.toml:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed as [[{kind}]] in spec/known-spec-bugs.toml but passing now (remove them):\n{}",
        stale.join("\n")
    );
}
