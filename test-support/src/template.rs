//! Path templates (`/v3/accounts/{id}`) matched against request paths.

use percent_encoding::percent_decode_str;

/// One `/`-separated segment of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Matches itself exactly.
    Literal(String),
    /// `prefix{name}suffix`: matches one non-empty, percent-encoded segment.
    Param {
        prefix: String,
        name: String,
        suffix: String,
    },
}

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    segments: Vec<Segment>,
}

impl Template {
    pub(crate) fn parse(template: &str) -> Self {
        let segments = split(template)
            .map(|segment| {
                let parsed = segment.find('{').and_then(|open| {
                    let close = open + segment[open..].find('}')?;
                    Some(Segment::Param {
                        prefix: segment[..open].to_owned(),
                        name: segment[open + 1..close].to_owned(),
                        suffix: segment[close + 1..].to_owned(),
                    })
                });
                parsed.unwrap_or_else(|| Segment::Literal(segment.to_owned()))
            })
            .collect();
        Self { segments }
    }

    /// How many parameters the template has: fewer is more specific (a literal segment wins
    /// over a parameter when two templates match the same path).
    pub(crate) fn params(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Param { .. }))
            .count()
    }

    /// The decoded path parameters when `path` (no query) matches, else `None`.
    pub(crate) fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let mut params = Vec::new();
        let mut parts = split(path);
        for segment in &self.segments {
            let part = parts.next()?;
            match segment {
                Segment::Literal(literal) => {
                    if part != literal && decode(part) != *literal {
                        return None;
                    }
                }
                Segment::Param {
                    prefix,
                    name,
                    suffix,
                } => {
                    let value = part.strip_prefix(prefix.as_str())?;
                    let value = value.strip_suffix(suffix.as_str())?;
                    if value.is_empty() {
                        return None;
                    }
                    params.push((name.clone(), decode(value)));
                }
            }
        }
        match parts.next() {
            None => Some(params),
            Some(_) => None,
        }
    }
}

/// The segments of a path: a leading `/` and one trailing `/` do not make empty segments.
fn split(path: &str) -> impl Iterator<Item = &str> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    path.split('/').filter({
        let empty = path.is_empty();
        move |_| !empty
    })
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::Template;

    fn params(template: &str, path: &str) -> Option<Vec<(String, String)>> {
        Template::parse(template).matches(path)
    }

    #[test]
    fn literal_and_parameter_segments() {
        assert_eq!(params("/v3/accounts", "/v3/accounts"), Some(vec![]));
        assert_eq!(params("/v3/accounts", "/v3/accounts/"), Some(vec![]));
        assert_eq!(params("/v3/accounts", "/v3/accounts/x"), None);
        assert_eq!(params("/v3/accounts/{id}", "/v3/accounts"), None);
        assert_eq!(params("/v3/accounts/{id}", "/v3/accounts/"), None);
        assert_eq!(
            params("/v3/accounts/{id}/disable", "/v3/accounts/a%2F1/disable"),
            Some(vec![("id".to_owned(), "a/1".to_owned())])
        );
        assert_eq!(params("/v3/accounts/{id}", "/v3/accounts/a/1"), None);
        assert_eq!(params("/v3/accounts/{id}", "/beta/accounts/1"), None);
    }

    #[test]
    fn parameter_inside_a_segment() {
        assert_eq!(
            params("/v3/files/{name}.csv", "/v3/files/report%20one.csv"),
            Some(vec![("name".to_owned(), "report one".to_owned())])
        );
        assert_eq!(params("/v3/files/{name}.csv", "/v3/files/.csv"), None);
        assert_eq!(params("/v3/files/{name}.csv", "/v3/files/a.json"), None);
    }

    #[test]
    fn specificity() {
        assert_eq!(Template::parse("/v3/accounts/{id}").params(), 1);
        assert_eq!(Template::parse("/v3/accounts/search").params(), 0);
    }
}
