//! Rust identifiers from spec names: types, fields, variants, modules and methods.
//!
//! Every function here is total: any input string, however odd (`filter.$`, `""`, `*`, `3d`,
//! `self`), gives a valid, non-empty Rust identifier. Callers keep the original spelling for serde
//! renames and wire names.
//!
//! # The naming rules
//!
//! | what | rule | example |
//! |---|---|---|
//! | component schema | its name in PascalCase; a name in one lowercase run is split into the words the spec uses elsewhere ([`words`]) | `access-profile` -> `AccessProfile`, `accessprofileref` -> `AccessProfileRef` |
//! | component, configured | `type_names` in the configuration, for a name the spec gets wrong; refused (with a diagnostic) when another schema has the new name | `IdentityDocuments` -> `IdentityHit` |
//! | inline object or enum of a property | parent type + property | `ManagedClient.status` -> `ManagedClientStatus` |
//! | one item of an inline list | parent type + the property in the singular ([`singular`]); `Item` when the property is no plural or the singular names another model | `AuthUser.capabilities` -> `AuthUserCapability`, `Report.data` -> `ReportDataItem` |
//! | inline request body, response, parameter | operation + `Request`, `Response`, parameter name | `createThing` body -> `CreateThingRequest` |
//! | field | snake_case of the JSON name; a keyword gets a trailing `_` | `accessRequestConfig` -> `access_request_config`, `type` -> `type_` |
//! | two JSON names with one field name | the JSON spelling decides: a leading underscore is kept | `_type` -> `_type` beside `type` -> `type_` |
//! | enum value | PascalCase of the value; the empty string is `Empty` | `IDENTITY` -> `Identity`, `in-progress` -> `InProgress` |
//! | two types with one name, the rules above exhausted | a number is appended (a last resort, which no rule here resolves from the JSON names yet) | `ManagedClientStatus2` |
//!
//! Reserved words (`type`, `self`) and names generated code relies on (`Option`, `Error`,
//! `Client`) never become identifiers as they are.

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
/// The singular of a PascalCase name whose last word is an English plural
/// (`AuthUserCapabilities` -> `AuthUserCapability`, `TaskResultDetailsMessages` ->
/// `TaskResultDetailsMessage`, `BoxMatches` -> `BoxMatch`), for the type of one item of a list
/// named by its property. `None` when the last word does not look plural (`Status`, `Access`,
/// `Data`, `Analysis`): the caller then names the item `...Item`.
pub fn singular(name: &str) -> Option<String> {
    let start = name
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(0, |(i, _)| i);
    let (head, word) = name.split_at(start);
    let lower = word.to_ascii_lowercase();
    // Words that end in `s` without being plurals, or whose singular is not the rule's.
    const NOT_PLURAL: [&str; 9] = [
        "status", "access", "address", "alias", "analysis", "class", "process", "bias", "canvas",
    ];
    if word.len() < 4 || NOT_PLURAL.contains(&lower.as_str()) || lower.ends_with("ss") {
        return None;
    }
    let singular = if lower == "aliases" {
        word[..word.len() - 2].to_string()
    } else if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "ches", "shes", "xes", "zzes", "tuses", "iruses"]
        .iter()
        .any(|suffix| word.ends_with(suffix))
    {
        word[..word.len() - 2].to_string()
    } else if word.ends_with('s') && !word.ends_with("us") && !word.ends_with("is") {
        word[..word.len() - 1].to_string()
    } else {
        return None;
    };
    Some(format!("{head}{singular}"))
}

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
    #[test]
    fn plural_names_become_singular_and_others_do_not() {
        for (plural, one) in [
            ("AuthUserCapabilities", Some("AuthUserCapability")),
            (
                "TaskResultDetailsMessages",
                Some("TaskResultDetailsMessage"),
            ),
            ("SourceSchemas", Some("SourceSchema")),
            ("BoxMatches", Some("BoxMatch")),
            ("ReportStatuses", Some("ReportStatus")),
            ("IdentityAddresses", Some("IdentityAddress")),
            ("SourceAliases", Some("SourceAlias")),
            ("ErrorCauses", Some("ErrorCause")),
            ("ThingStatus", None),
            ("UserAccess", None),
            ("ReportData", None),
            ("ListThingsResponse", None),
            ("RiskAnalysis", None),
            ("Ids", None),
        ] {
            assert_eq!(singular(plural).as_deref(), one, "{plural}");
        }
    }

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
