//! Doc attributes from spec text, for models and operations alike.
//!
//! Spec descriptions are Markdown written for a web portal. Rustdoc would turn fenced blocks
//! without a language and indented blocks into doctests, and clippy complains about list items
//! whose continuation lines are not indented (`doc_lazy_continuation`). So: fences without a
//! language get `text`; outside fences, indentation is capped at three spaces, a line that
//! continues a list item is indented to the item's text, and one that continues a block quote
//! gets the `>` marker.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line (prettyplease prints them as `///` lines).
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// Like [`doc_attrs`] but inner attributes (`//!`), for module docs.
pub(crate) fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// The text of each doc line: rustdoc-safe, with the space that `///` would put before it.
fn doc_lines(text: &str) -> impl Iterator<Item = String> {
    rustdoc_safe(text).into_iter().map(|line| {
        if line.is_empty() {
            line
        } else {
            format!(" {line}")
        }
    })
}

/// Join the parts that are present with blank lines.
pub(crate) fn present_paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    paragraphs(parts.into_iter().flatten())
}

/// Join the non-empty parts with blank lines.
pub(crate) fn paragraphs<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> String {
    let parts: Vec<String> = parts
        .into_iter()
        .map(|part| part.as_ref().trim().to_string())
        .filter(|part| !part.is_empty())
        .collect();
    parts.join("\n\n")
}

/// Width of a list marker at the start of `trimmed` (`* `, `- `, `+ `, `12. `, `3) `), if any.
fn list_marker(trimmed: &str) -> Option<usize> {
    let bytes = trimmed.as_bytes();
    match bytes.first()? {
        b'*' | b'-' | b'+' if bytes.get(1) == Some(&b' ') => Some(2),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match (bytes.get(digits), bytes.get(digits + 1)) {
                (Some(b'.' | b')'), Some(b' ')) if digits <= 9 => Some(digits + 2),
                _ => None,
            }
        }
        _ => None,
    }
}

/// One line of prose made safe for rustdoc, outside code spans: a bare URL becomes an autolink
/// (`<https://...>`), since rustdoc warns about bare URLs; brackets that are not a Markdown link
/// (`[Deprecated] ...`) are escaped, since rustdoc would read them as an intra-doc link to a
/// Rust item and warn that it does not resolve.
fn inline_safe(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part); // inside a code span
        } else {
            out.push_str(&escape_brackets(&autolink(part)));
        }
    }
    out
}

/// Wrap bare `http(s)://` URLs in `<>`; URLs already in a link, an autolink or an attribute
/// (after `(`, `<`, `"`, `'` or `=`) are left alone. Trailing punctuation stays outside.
fn autolink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let quoted = before
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, '(' | '<' | '"' | '\'' | '='));
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']'))
            .unwrap_or(from.len());
        let url = from[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if quoted || url.len() <= "https://".len() {
            out.push_str(&from[..end]);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
            out.push_str(&from[url.len()..end]);
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

/// Escape `[text]` unless it is a link: followed by `(`, `[` or `:`, or already escaped.
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let Some(close) = from.find(']') else {
            out.push_str(from);
            return out;
        };
        let inner = &from[1..close];
        let after = from[close + 1..].chars().next();
        let link = matches!(after, Some('(' | '[' | ':')) || inner.contains('[');
        if after == Some('[') {
            // A reference link, `[text][label]`: keep both brackets.
            let end = from[close + 1..]
                .find(']')
                .map_or(from.len(), |i| close + 1 + i + 1);
            out.push_str(&from[..end]);
            rest = &from[end..];
            continue;
        }
        if link || before.ends_with('\\') {
            out.push_str(&from[..=close]);
        } else {
            out.push_str("\\[");
            out.push_str(inner);
            out.push_str("\\]");
        }
        rest = &from[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A list item of the source text and where it is written: its marker's column and its text's.
struct ListLevel {
    marker: usize,
    content: usize,
    out_marker: usize,
    out_content: usize,
}

/// Where a list item whose marker is at column `indent` (and `width` wide) is written, given the
/// items open above it. An item indented to its parent's text is nested there; one indented less
/// but not left of the parent's marker is the parent's sibling (the spec's lists are often off by
/// a space, which Markdown would read as a lazy continuation line); one further left closes items.
fn open_list_item(items: &mut Vec<ListLevel>, indent: usize, width: usize) -> usize {
    let mut out = None;
    while let Some(top) = items.last() {
        if indent >= top.content {
            out = Some(top.out_content);
            break;
        }
        let sibling = indent >= top.marker;
        let top_marker = top.out_marker;
        items.pop();
        if sibling {
            out = Some(top_marker);
            break;
        }
    }
    let out = out.unwrap_or(indent.min(3));
    items.push(ListLevel {
        marker: indent,
        content: indent + width,
        out_marker: out,
        out_content: out + width,
    });
    out
}

/// The lines of `text`, made safe for rustdoc and clippy, without blank lines at either end.
pub(crate) fn rustdoc_safe(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    // The open list items, outermost first: where continuation lines and nested items go.
    let mut items: Vec<ListLevel> = Vec::new();
    // Inside a block quote (`> ...`), where continuation lines get the marker too.
    let mut in_quote = false;
    for raw in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (&fence, marker) {
            (None, Some(marker)) => {
                let ticks: String = trimmed
                    .chars()
                    .take_while(|c| marker.starts_with(*c))
                    .collect();
                let info = trimmed[ticks.len()..].trim();
                let lang = if info.is_empty() { "text" } else { info };
                out.push(format!("{}{ticks}{lang}", " ".repeat(indent.min(3))));
                fence = Some(ticks);
                items.clear();
            }
            (Some(open), Some(_)) if trimmed.starts_with(open.as_str()) => {
                out.push(format!("{}{open}", " ".repeat(indent.min(3))));
                fence = None;
            }
            (Some(_), _) => out.push(line.to_string()),
            (None, None) => {
                if trimmed.is_empty() {
                    items.clear();
                    in_quote = false;
                    out.push(String::new());
                    continue;
                }
                if trimmed.starts_with('>') {
                    in_quote = true;
                    items.clear();
                    let text = inline_safe(trimmed);
                    out.push(format!("{}{text}", " ".repeat(indent.min(3))));
                    continue;
                }
                if in_quote {
                    out.push(format!("> {}", inline_safe(trimmed)));
                    continue;
                }
                let indent = match list_marker(trimmed) {
                    Some(width) => open_list_item(&mut items, indent, width),
                    None => items.last().map_or(indent.min(3), |item| item.out_content),
                };
                out.push(format!("{}{}", " ".repeat(indent), inline_safe(trimmed)));
            }
        }
    }
    if let Some(open) = fence {
        out.push(open);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    let first = out
        .iter()
        .position(|line| !line.is_empty())
        .unwrap_or(out.len());
    out.drain(..first);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_indentation() {
        assert_eq!(
            rustdoc_safe("Example:\n```\n{}\n```"),
            vec!["Example:", "```text", "{}", "```"]
        );
        assert_eq!(rustdoc_safe("a\n\n        code"), vec!["a", "", "   code"]);
        assert_eq!(rustdoc_safe("```\nx"), vec!["```text", "x", "```"]);
        assert!(rustdoc_safe("\n \n").is_empty());
    }

    #[test]
    fn bare_urls_and_stray_brackets_are_made_safe() {
        assert_eq!(
            inline_safe("see https://example.com/a_b. Or [docs](https://x.y) and <https://z.w>"),
            "see <https://example.com/a_b>. Or [docs](https://x.y) and <https://z.w>"
        );
        assert_eq!(
            inline_safe("[Deprecated] use `[a]` or [the guide][g] or \\[x\\]"),
            "\\[Deprecated\\] use `[a]` or [the guide][g] or \\[x\\]"
        );
        assert_eq!(
            inline_safe("`https://in.code` and href=\"https://q\""),
            "`https://in.code` and href=\"https://q\""
        );
        assert_eq!(inline_safe("an [unclosed bracket"), "an [unclosed bracket");
    }

    #[test]
    fn list_continuations_are_indented() {
        assert_eq!(
            rustdoc_safe("* first\nmore\n  * nested\n  lazy\n\nafter"),
            vec!["* first", "  more", "  * nested", "    lazy", "", "after"]
        );
        assert_eq!(rustdoc_safe("1. one\ntwo"), vec!["1. one", "   two"]);
        // Off by a space (v2025 role propagation): siblings, not lazy continuations.
        assert_eq!(
            rustdoc_safe("Stages:\n   - A\n    - B\n  - C"),
            vec!["Stages:", "   - A", "   - B", "  - C"]
        );
        // Nested and back out.
        assert_eq!(
            rustdoc_safe("- a\n  - b\n    c\n- d"),
            vec!["- a", "  - b", "    c", "- d"]
        );
    }

    #[test]
    fn quote_continuations_get_the_marker() {
        assert_eq!(
            rustdoc_safe(">NOTE: a\n  b\n\nc"),
            vec![">NOTE: a", "> b", "", "c"]
        );
    }

    #[test]
    fn fences_with_a_language_and_their_contents_are_kept() {
        assert_eq!(
            rustdoc_safe("~~~json\n    {}\n~~~"),
            vec!["~~~json", "    {}", "~~~"]
        );
    }

    #[test]
    fn present_paragraphs_skip_missing_and_blank_parts() {
        assert_eq!(
            present_paragraphs([Some(" a "), None, Some(""), Some("b")]),
            "a\n\nb"
        );
    }
}
