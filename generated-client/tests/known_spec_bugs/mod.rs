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
pub struct Outcome<'a> {
    pub version: &'a str,
    pub location: String,
    pub result: Result<(), String>,
}

/// The outcomes of one version: how many ran, failed, and failed as listed.
#[derive(Default, Clone, Copy)]
pub struct Tally<'a> {
    pub version: &'a str,
    pub ran: usize,
    pub failed: usize,
    pub listed: usize,
}

/// Prints `<what>: N passed, N failed (N known spec bugs) of N`, and fails on a failure not
/// listed under `kind` in `spec/known-spec-bugs.toml`, on a listed one that passes, and on a
/// listed one that no longer exists in a version that ran. Returns the tally of each version.
pub fn judge<'a>(kind: &str, what: &str, ran: &[&str], outcomes: &[Outcome<'a>]) -> Vec<Tally<'a>> {
    let mut known = known_bugs(kind);
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    // Per version, in the order the versions ran.
    let mut tallies: Vec<Tally> = Vec::new();
    for outcome in outcomes {
        let key = (outcome.version.to_owned(), outcome.location.clone());
        let name = format!("{} {}", outcome.version, outcome.location);
        if tallies.last().is_none_or(|t| t.version != outcome.version) {
            tallies.push(Tally {
                version: outcome.version,
                ..Tally::default()
            });
        }
        let last = tallies.len() - 1;
        let tally = &mut tallies[last];
        tally.ran += 1;
        match (&outcome.result, known.remove(&key).is_some()) {
            (Ok(()), false) => {}
            (Ok(()), true) => stale.push(name),
            (Err(_), true) => {
                tally.failed += 1;
                tally.listed += 1;
            }
            (Err(why), false) => {
                tally.failed += 1;
                unexpected.push(format!("{name}: {why}"));
            }
        }
    }
    stale.extend(
        known
            .keys()
            .filter(|(version, _)| ran.contains(&version.as_str()))
            .map(|(version, location)| format!("{version} {location} (no such {kind})")),
    );
    // One line per version, then the total.
    if tallies.len() > 1 {
        for t in &tallies {
            println!(
                "{what} ({}): {} passed, {} failed ({} known spec bugs) of {}",
                t.version,
                t.ran - t.failed,
                t.failed,
                t.listed,
                t.ran
            );
        }
    }
    let failed: usize = tallies.iter().map(|t| t.failed).sum();
    let known_failed: usize = tallies.iter().map(|t| t.listed).sum();
    println!(
        "{what}: {} passed, {failed} failed ({known_failed} known spec bugs) of {}",
        outcomes.len() - failed,
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
    tallies
}
