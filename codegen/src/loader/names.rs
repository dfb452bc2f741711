//! Names for external schemas that the root does not name.
//!
//! The base name is the last pointer token when the `$ref` has a fragment (`Foo.yaml#/Bar` ->
//! `Bar`), else the file stem (`Foo.yaml` -> `Foo`), keeping its spelling but only ASCII letters,
//! digits and `_`. When another location already holds that name, the candidates are, in order:
//! the top folder in PascalCase + base (`beta/schemas/Foo.yaml` -> `BetaFoo`), the nearest folder
//! + base, the file stem + base (fragments only), then base + 2, 3, ...

use std::path::Path;

use heck::ToUpperCamelCase;

/// Keep ASCII letters, digits and `_`; never empty, never starting with a digit.
pub fn sanitize(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if out.is_empty() {
        out.push_str("Schema");
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// For a schema in `file` whose base name a schema in `holder` already has: the base prefixed
/// with the first folder where the two paths part, in PascalCase
/// (`idn/apis/sources/schemas/x.yaml` holds `x`; `idn/apis/transforms/schemas/x.yaml` is
/// `Transformsx`), so that the name says where it comes from.
pub fn parting_folder(base: &str, holder: &Path, file: &Path) -> Option<String> {
    let folders = |p: &Path| -> Vec<String> {
        p.parent()
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (held, mine) = (folders(holder), folders(file));
    let parting = mine
        .iter()
        .enumerate()
        .find(|(i, folder)| held.get(*i) != Some(*folder))
        .map(|(_, folder)| folder)?;
    let prefix = sanitize(&parting.to_upper_camel_case());
    Some(format!("{prefix}{base}"))
}

/// The names to try, in order, for a schema with base name `base` in `file`.
pub fn candidates(base: &str, file: &Path, has_fragment: bool) -> Vec<String> {
    let mut out = vec![base.to_string()];
    let dirs: Vec<String> = file
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut push = |prefix: &str| {
        let prefix = sanitize(&prefix.to_upper_camel_case());
        let candidate = format!("{prefix}{base}");
        if !prefix.is_empty() && !out.contains(&candidate) {
            out.push(candidate);
        }
    };
    if let Some(top) = dirs.first() {
        push(top);
    }
    if let Some(nearest) = dirs.last() {
        push(nearest);
    }
    if let (true, Some(stem)) = (has_fragment, file.file_stem()) {
        push(&stem.to_string_lossy());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_schema_of_a_name_is_named_after_the_folder_where_the_paths_part() {
        assert_eq!(
            parting_folder(
                "concatenation",
                Path::new("idn/apis/sources/schemas/concatenation.yaml"),
                Path::new("idn/apis/transforms/schemas/concatenation.yaml")
            )
            .as_deref(),
            Some("Transformsconcatenation")
        );
        assert_eq!(
            parting_folder(
                "Approval",
                Path::new("idn/v2024/schemas/Approval.yaml"),
                Path::new("idn/beta/schemas/Approval.yaml")
            )
            .as_deref(),
            Some("BetaApproval")
        );
        assert_eq!(
            parting_folder("x", Path::new("a/x.yaml"), Path::new("a/x.yaml")),
            None
        );
    }

    #[test]
    fn sanitizes() {
        assert_eq!(sanitize("Foo-Bar.v2"), "FooBarv2");
        assert_eq!(sanitize("409"), "_409");
        assert_eq!(sanitize("--"), "Schema");
    }

    #[test]
    fn candidate_order() {
        let c = candidates("Foo", Path::new("beta/schemas/Foo.yaml"), false);
        assert_eq!(c, ["Foo", "BetaFoo", "SchemasFoo"]);
        let c = candidates("Bar", Path::new("Foo.yaml"), true);
        assert_eq!(c, ["Bar", "FooBar"]);
    }
}
