//! Rust identifiers from spec names: types, fields, variants, modules and methods.
//!
//! Every function here is total: any input string, however odd (`filter.$`, `""`, `*`, `3d`,
//! `self`), gives a valid, non-empty Rust identifier. Callers keep the original spelling for serde
//! renames and wire names.

pub mod words;

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};

/// Words that cannot be identifiers at all, or only as raw identifiers. We never emit raw
/// identifiers (they read badly in docs and completions); a trailing underscore is added instead.
const RESERVED: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Type names that would shadow something generated code relies on.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "Vec", "String", "Box", "Some", "None", "Ok", "Err", "Self", "Default",
    "Value", "Map", "BTreeMap", "HashMap", "Error", "Client",
];

/// Replace everything that is not ASCII alphanumeric by a word boundary, so that heck sees words.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push(' ');
        }
    }
    out
}

fn finish(mut ident: String, fallback: &str) -> String {
    if ident.is_empty() {
        ident = fallback.to_string();
    }
    if ident.as_bytes()[0].is_ascii_digit() {
        ident.insert(
            0,
            if fallback.starts_with(char::is_uppercase) {
                'N'
            } else {
                'n'
            },
        );
        if !ident[1..].starts_with(char::is_alphabetic) && fallback.starts_with(char::is_lowercase)
        {
            ident.insert(1, '_');
        }
    }
    if RESERVED.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// `UpperCamelCase` type name: `account-status` -> `AccountStatus`, `3dSecure` -> `N3dSecure`.
pub fn type_name(raw: &str) -> String {
    let pascal = words(raw).to_pascal_case();
    if RESERVED_TYPES.contains(&pascal.as_str()) {
        return format!("{pascal}Model");
    }
    finish(pascal, "Unnamed")
}

/// `snake_case` field, method or module name: `filter.$` -> `filter`, `type` -> `type_`.
pub fn snake_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "value")
}

/// Enum variant for a string value: `SOURCE_ADMIN` -> `SourceAdmin`, `*` -> `Star`, `""` -> `Empty`.
pub fn variant_name(raw: &str) -> String {
    let named = match raw {
        "" => Some("Empty"),
        "*" => Some("Star"),
        "+" => Some("Plus"),
        "-" => Some("Minus"),
        "/" => Some("Slash"),
        "." => Some("Dot"),
        "?" => Some("Question"),
        "#" => Some("Hash"),
        "=" => Some("Eq"),
        "!=" => Some("Ne"),
        "<" => Some("Lt"),
        "<=" => Some("Le"),
        ">" => Some("Gt"),
        ">=" => Some("Ge"),
        _ => None,
    };
    match named {
        Some(name) => name.to_string(),
        None => finish(words(raw).to_pascal_case(), "Value"),
    }
}

/// Hands out names that are unique within one scope, deterministically: the first to ask for a
/// name gets it, later ones get `Name2`, `Name3`, ... Comparison ignores case, so that names which
/// differ only by case (and so would collide as file names) are kept apart too.
#[derive(Debug, Default, Clone)]
pub struct UniqueNames {
    taken: BTreeSet<String>,
}

impl UniqueNames {
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserve `wanted`, or the first free `wanted2`, `wanted3`, ...
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_ascii_lowercase()) {
            return wanted.to_string();
        }
        let sep = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let mut n: u64 = 2;
        loop {
            let candidate = format!("{wanted}{sep}{n}");
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                return candidate;
            }
            n = n.saturating_add(1);
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(&name.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("account-status"), "AccountStatus");
        assert_eq!(
            type_name("ListAccessProfiles401Response"),
            "ListAccessProfiles401Response"
        );
        assert_eq!(type_name("3dSecure"), "N3dSecure");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("Result"), "ResultModel");
        assert_eq!(type_name("self"), "SelfModel");
        assert_eq!(type_name("type"), "Type");
    }

    #[test]
    fn snake_names() {
        assert_eq!(snake_name("filter.$"), "filter");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(
            snake_name("X-SailPoint-Experimental"),
            "x_sail_point_experimental"
        );
        assert_eq!(snake_name("listAccounts"), "list_accounts");
        assert_eq!(snake_name("123abc"), "n_123abc");
        assert_eq!(snake_name("$"), "value");
        assert_eq!(
            snake_name("Non-Employee Lifecycle Management"),
            "non_employee_lifecycle_management"
        );
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("SOURCE_ADMIN"), "SourceAdmin");
        assert_eq!(variant_name("*"), "Star");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("idn:accounts:read"), "IdnAccountsRead");
        assert_eq!(variant_name("2FA"), "N2fa");
    }

    #[test]
    fn unique_names_are_deterministic_and_case_insensitive() {
        let mut names = UniqueNames::new();
        assert_eq!(names.claim("Account"), "Account");
        assert_eq!(names.claim("account"), "account2");
        assert_eq!(names.claim("Account"), "Account3");
        assert_eq!(names.claim("V2"), "V2");
        assert_eq!(names.claim("V2"), "V2_2");
    }
}
