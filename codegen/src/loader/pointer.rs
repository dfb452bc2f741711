//! JSON pointers (RFC 6901), `$ref` strings and lexical path normalisation.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

/// Escape one reference token: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// `parent` extended by one token.
pub fn child(parent: &str, token: &str) -> String {
    let mut out = String::with_capacity(parent.len() + token.len() + 1);
    out.push_str(parent);
    out.push('/');
    out.push_str(&escape(token));
    out
}

/// Split a JSON pointer into unescaped tokens. `""` is the whole document.
pub fn tokens(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!(
            "`{pointer}` is not a JSON pointer (it must start with `/`)"
        ));
    };
    rest.split('/').map(unescape).collect()
}

fn unescape(token: &str) -> Result<String, String> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return Err(format!("bad escape in pointer token `{token}`")),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// Decode `%XX` escapes (UTF-8). Invalid escapes are an error.
pub fn percent_decode(s: &str) -> Result<String, String> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => return Err(format!("bad percent-encoding in `{s}`")),
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("percent-encoding in `{s}` is not UTF-8"))
}

/// Canonical form of a pointer given as (possibly percent-encoded) fragment.
pub fn canonical_fragment(fragment: &str) -> Result<String, String> {
    let decoded = percent_decode(fragment)?;
    let toks = tokens(&decoded)?;
    let mut out = String::with_capacity(decoded.len());
    for t in &toks {
        out.push('/');
        out.push_str(&escape(t));
    }
    Ok(out)
}

/// Follow a canonical pointer inside `doc`. On failure, says which token was missing.
pub fn resolve<'a>(doc: &'a Value, pointer: &str) -> Result<&'a Value, String> {
    let mut cur = doc;
    let mut seen = String::new();
    for tok in tokens(pointer)? {
        let next = match cur {
            Value::Object(map) => map.get(&tok),
            Value::Array(items) => {
                if tok.bytes().all(|b| b.is_ascii_digit()) && !tok.is_empty() {
                    tok.parse::<usize>().ok().and_then(|i| items.get(i))
                } else {
                    None
                }
            }
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => {
                let at = if seen.is_empty() {
                    "the document root".to_string()
                } else {
                    format!("`{seen}`")
                };
                return Err(format!("no `{tok}` under {at}"));
            }
        }
        seen = child(&seen, &tok);
    }
    Ok(cur)
}

/// Lexically normalise `dir/rel` (both relative to the spec folder). `None` if it leaves the folder
/// or is absolute.
pub fn normalize(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for c in dir.components().chain(Path::new(rel).components()) {
        match c {
            Component::Normal(p) => parts.push(p.to_os_string()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        assert_eq!(child("/paths", "/a/{id}"), "/paths/~1a~1{id}");
        assert_eq!(tokens("/a~1b/c~0d").unwrap(), vec!["a/b", "c~d"]);
        assert_eq!(
            canonical_fragment("/paths/~1x%20y").unwrap(),
            "/paths/~1x y"
        );
        assert!(tokens("nope").is_err());
        assert!(percent_decode("%zz").is_err());
    }

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize(Path::new("a/b"), "../c/./d.yaml"),
            Some(PathBuf::from("a/c/d.yaml"))
        );
        assert_eq!(normalize(Path::new("a"), "../../x.yaml"), None);
        assert_eq!(normalize(Path::new(""), "/etc/x.yaml"), None);
    }

    #[test]
    fn resolves() {
        let doc = serde_json::json!({"a": [{"b/c": 1}]});
        assert_eq!(resolve(&doc, "/a/0/b~1c").unwrap(), &serde_json::json!(1));
        assert!(resolve(&doc, "/a/1").unwrap_err().contains("`1`"));
        assert!(resolve(&doc, "/a/x").is_err());
    }
}
