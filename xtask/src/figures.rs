//! Figures that README.md quotes from the generated output, kept true by `cargo xtask codegen`:
//! each is written between two HTML comments that name it,
//! `<!-- figure operations.v3 -->358<!-- /figure -->` (invisible once rendered), and codegen
//! rewrites the text between them from its run (`--check` fails when one differs). A name codegen
//! does not know is an error, so that a figure cannot silently stop being checked.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

const OPEN: &str = "<!-- figure ";
const OPEN_END: &str = " -->";
const CLOSE: &str = "<!-- /figure -->";

/// Figure name to its text: `operations.<version>`, `models.<version>`, `lines.<version>` (to the
/// thousand), and per migration page
/// `migration.<from>.{operations,same,changed,breaking,without}`.
pub type Figures = BTreeMap<String, String>;

/// `text` with every marked figure replaced by its value in `figures`; an error names each
/// marked figure that `figures` lacks, and each marker left open.
pub fn rewrite(text: &str, figures: &Figures) -> Result<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut unknown = Vec::new();
    while let Some(at) = rest.find(OPEN) {
        let after_open = &rest[at + OPEN.len()..];
        let Some(name_end) = after_open.find(OPEN_END) else {
            bail!("a `{OPEN}` marker is not closed by `{OPEN_END}`");
        };
        let name = after_open[..name_end].trim();
        let body = &after_open[name_end + OPEN_END.len()..];
        let Some(close) = body.find(CLOSE) else {
            bail!("figure `{name}` has no `{CLOSE}`");
        };
        out.push_str(&rest[..at + OPEN.len() + name_end + OPEN_END.len()]);
        match figures.get(name) {
            Some(value) => out.push_str(value),
            None => {
                unknown.push(name.to_string());
                out.push_str(&body[..close]);
            }
        }
        out.push_str(CLOSE);
        rest = &body[close + CLOSE.len()..];
    }
    out.push_str(rest);
    if !unknown.is_empty() {
        bail!(
            "README.md marks figures that codegen does not compute: {} (known: {})",
            unknown.join(", "),
            figures.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    Ok(out)
}

/// `1234` as `1,234`, as README writes numbers.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_figures_are_rewritten_and_unknown_ones_refused() {
        let figures: Figures = [("operations.v3".to_string(), "358".to_string())].into();
        let text = "v3 has <!-- figure operations.v3 -->350<!-- /figure --> operations.\n";
        assert_eq!(
            rewrite(text, &figures).unwrap(),
            "v3 has <!-- figure operations.v3 -->358<!-- /figure --> operations.\n"
        );
        assert_eq!(rewrite("no figures", &figures).unwrap(), "no figures");
        let unknown = rewrite("<!-- figure models.v9 -->1<!-- /figure -->", &figures);
        assert!(format!("{:#}", unknown.unwrap_err()).contains("models.v9"));
        assert!(rewrite("<!-- figure operations.v3 -->1", &figures).is_err());
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(917), "917");
        assert_eq!(thousands(2530), "2,530");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
