//! Doc comments from spec text.
//!
//! Spec descriptions are Markdown written for a web portal, not for rustdoc. Two constructs would
//! turn them into Rust doctests that fail to compile: fenced code blocks without a language, and
//! indented code blocks. Fences get the `text` language, and indentation outside fences is capped
//! at three spaces (enough for nested lists, too little for an indented code block).

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line, so that prettyplease prints `///` lines.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = rustdoc_safe(text);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Like [`doc_attrs`] but inner (`//!`) attributes, for module docs.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = rustdoc_safe(text);
    let attrs = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Join optional paragraphs with blank lines.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The lines of `text`, made safe for rustdoc, without leading or trailing blank lines.
pub fn rustdoc_safe(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for raw in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (&fence, marker) {
            (None, Some(marker)) => {
                let ticks: String = trimmed
                    .chars()
                    .take_while(|c| marker.starts_with(*c))
                    .collect();
                let info = trimmed[ticks.len()..].trim();
                fence = Some(ticks.clone());
                let lang = if info.is_empty() { "text" } else { info };
                out.push(format!("{ticks}{lang}"));
            }
            (Some(open), Some(_)) if trimmed.starts_with(open.as_str()) => {
                out.push(open.clone());
                fence = None;
            }
            (Some(_), _) => out.push(line.to_string()),
            (None, None) => {
                let indent = line.len() - trimmed.len();
                out.push(format!("{}{trimmed}", " ".repeat(indent.min(3))));
            }
        }
    }
    if let Some(open) = fence {
        out.push(open);
    }
    while out.last().is_some_and(|line| line.is_empty()) {
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
    fn fences_without_language_become_text() {
        let lines = rustdoc_safe("Example:\n```\n{\"a\": 1}\n```\nafter");
        assert_eq!(
            lines,
            vec!["Example:", "```text", "{\"a\": 1}", "```", "after"]
        );
    }

    #[test]
    fn fences_with_language_are_kept() {
        let lines = rustdoc_safe("~~~json\n{}\n~~~");
        assert_eq!(lines, vec!["~~~json", "{}", "~~~"]);
    }

    #[test]
    fn indented_code_is_flattened_outside_fences_only() {
        let lines = rustdoc_safe("text\n\n        let x = 1;\n```\n        kept\n```");
        assert_eq!(
            lines,
            vec![
                "text",
                "",
                "   let x = 1;",
                "```text",
                "        kept",
                "```"
            ]
        );
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(rustdoc_safe("```\ncode"), vec!["```text", "code", "```"]);
    }

    #[test]
    fn blank_edges_are_trimmed() {
        assert_eq!(rustdoc_safe("\n\na  \n\n"), vec!["a"]);
        assert!(rustdoc_safe("").is_empty());
    }
}
