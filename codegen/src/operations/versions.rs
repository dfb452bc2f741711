//! Service versions: the major version a path carries (`/accounts/v1/{id}`), the operationId
//! without its version suffix, and the per-version handles a tag's operations group into (see
//! [`ServiceVersionsConfig`]). Apart because only APIs that version each service use it.

use std::collections::BTreeMap;

use crate::config::ServiceVersionsConfig;
use crate::naming::type_name;

use super::{Operation, VersionGroup};

/// Splits a tag's operations into those without a major version (on the tag's handle) and one
/// group per major version, lowest first.
pub(super) fn version_groups(
    operations: &[Operation],
    indexes: Vec<usize>,
    tag: &str,
) -> (Vec<usize>, Vec<VersionGroup>) {
    let mut own = Vec::new();
    let mut by_major: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for index in indexes {
        match operations.get(index).and_then(|op| op.major_version) {
            Some(major) => by_major.entry(major).or_default().push(index),
            None => own.push(index),
        }
    }
    let versions = by_major
        .into_iter()
        .map(|(major, operations)| VersionGroup {
            major,
            module: format!("v{major}"),
            struct_name: format!("{}V{major}Api", type_name(tag)),
            operations,
        })
        .collect();
    (own, versions)
}

/// The major version in a path without its base path: the first segment that is the
/// configured prefix followed by digits (`/accounts/v1/{id}` -> 1).
pub fn major_version(path: &str, config: &ServiceVersionsConfig) -> Option<u64> {
    path.split('/').find_map(|segment| {
        let digits = segment.strip_prefix(config.path_segment_prefix.as_str())?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    })
}

/// The operationId without the suffix that repeats the major version (`listAccountsV1` ->
/// `listAccounts`); unchanged when it has none or nothing would be left.
pub fn strip_version_suffix<'a>(
    operation_id: &'a str,
    major: u64,
    config: &ServiceVersionsConfig,
) -> &'a str {
    let suffix = format!("{}{major}", config.operation_id_suffix);
    match operation_id.strip_suffix(suffix.as_str()) {
        Some(stem) if !stem.is_empty() => stem,
        _ => operation_id,
    }
}
