//! The import-cycle check of CI: in each hand-written crate, the top-level modules (`src/x.rs`,
//! `src/x/`) and which of them each one names (`crate::x`, `super::..::x`, in `use` items and
//! in paths anywhere in the code) must form no cycle. A cycle is reported with one path naming
//! the next module at every step, by file and line, so that the edge to cut is visible.
//!
//! Written here rather than taken from a crate: the tools that draw module graphs
//! (cargo-modules) are binaries that need a full `rust-analyzer` load of the workspace, which
//! with the generated client is minutes and gigabytes; a syntactic scan of the few hand-written
//! crates is milliseconds and sees every `crate::` and `super::` path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use syn::visit::Visit;

use crate::Workspace;

/// The crates checked: every hand-written source folder of the workspace. The client crate's
/// generated modules are excluded: they import only the runtime and their own version.
const CRATES: &[&str] = &[
    "codegen/src",
    "runtime/src",
    "generated-client/src",
    "test-support/src",
    "xtask/src",
];

/// Generated folders of the client crate, which the check does not read.
const GENERATED: &[&str] = &[
    "v3",
    "v2024",
    "v2025",
    "v2026",
    "beta",
    "services",
    "migration",
];

/// One reference of a module to another: where it is written.
#[derive(Debug, Clone)]
struct Edge {
    file: PathBuf,
    line: usize,
}

/// The modules of one crate and the first place each names each other one.
#[derive(Debug, Default)]
struct Graph {
    modules: BTreeSet<String>,
    edges: BTreeMap<String, BTreeMap<String, Edge>>,
}

pub fn run(ws: &Workspace) -> Result<()> {
    let mut problems = Vec::new();
    for folder in CRATES {
        let root = ws.root.join(folder);
        if !root.is_dir() {
            continue;
        }
        let graph = scan(&root)?;
        let edges: usize = graph.edges.values().map(BTreeMap::len).sum();
        let cycles = cycles(&graph);
        println!(
            "{folder}: {} modules, {edges} dependencies between them, {} cycle(s)",
            graph.modules.len(),
            cycles.len()
        );
        for cycle in cycles {
            problems.push(describe(folder, &graph, &cycle, &ws.root));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!("import cycles between modules:\n{}", problems.join("\n"))
    }
}

/// The module path of a source file relative to its crate's `src/` (`types/ir.rs` ->
/// `["types", "ir"]`, `types/mod.rs` -> `["types"]`, `lib.rs` -> `[]`).
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if dir == root && GENERATED.contains(&name.as_str()) {
                continue;
            }
            rust_files(&path, root, out)?;
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn scan(root: &Path) -> Result<Graph> {
    let mut files = Vec::new();
    rust_files(root, root, &mut files)?;
    let mut graph = Graph::default();
    for file in &files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        if let Some(top) = module_path(relative).first() {
            graph.modules.insert(top.clone());
        }
    }
    for file in &files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        let path = module_path(relative);
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let ast = syn::parse_file(&text).with_context(|| format!("parsing {}", file.display()))?;
        let mut visitor = Paths {
            here: &path,
            found: Vec::new(),
        };
        visitor.visit_file(&ast);
        let Some(from) = path.first() else {
            // The crate root names every module (`mod x;`, re-exports); it is not a module of
            // the graph.
            continue;
        };
        for target in visitor.found {
            if &target != from && graph.modules.contains(&target) {
                let line = line_naming(&text, &target);
                graph
                    .edges
                    .entry(from.clone())
                    .or_default()
                    .entry(target)
                    .or_insert(Edge {
                        file: file.clone(),
                        line,
                    });
            }
        }
    }
    Ok(graph)
}

/// The first line that names `module` as a path segment (`crate::module`, `super::module`,
/// `module::`), for the report; 0 when the name only comes out of a `use` group.
fn line_naming(text: &str, module: &str) -> usize {
    let patterns = [
        format!("crate::{module}"),
        format!("super::{module}"),
        format!("{module}::"),
    ];
    text.lines()
        .position(|line| patterns.iter().any(|p| line.contains(p.as_str())))
        .map_or(0, |i| i + 1)
}

/// Collects the top-level module each `crate::` or `super::` path reaches.
struct Paths<'a> {
    /// The module the file is (`["types", "ir"]`).
    here: &'a [String],
    found: Vec<String>,
}

impl Paths<'_> {
    /// The top-level module a path made of `segments` starts in, if it is `crate::..` or
    /// `super::..`.
    fn resolve(&self, segments: &[String]) -> Option<String> {
        match segments.first().map(String::as_str) {
            Some("crate") => segments.get(1).cloned(),
            Some("super") => {
                let mut base: Vec<String> = self.here.to_vec();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                base.first().cloned()
            }
            _ => None,
        }
    }

    fn record(&mut self, segments: &[String]) {
        if let Some(top) = self.resolve(segments) {
            self.found.push(top);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.record(prefix);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.record(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.record(prefix),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        self.use_tree(&mut prefix, &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.record(&segments);
        syn::visit::visit_path(self, path);
    }

    // A `mod tests` names its parent's items through `super::`: that is the module itself.
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if item.content.is_some() {
            let mut nested = self.here.to_vec();
            nested.push(item.ident.to_string());
            let mut inner = Paths {
                here: &nested,
                found: Vec::new(),
            };
            syn::visit::visit_item_mod(&mut inner, item);
            self.found.extend(inner.found);
        } else {
            syn::visit::visit_item_mod(self, item);
        }
    }
}

/// Every strongly connected set of more than one module (Tarjan's algorithm), each as its
/// modules in order.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn connect<'g>(s: &mut State<'g>, v: &'g str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let graph = s.graph;
        for w in graph.edges.get(v).into_iter().flat_map(BTreeMap::keys) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                connect(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for module in &graph.modules {
        if !state.index.contains_key(module.as_str()) {
            connect(&mut state, module);
        }
    }
    state.out
}

/// One cycle through the component, as `a -> b (file:line) -> ... -> a`.
fn describe(folder: &str, graph: &Graph, component: &[String], root: &Path) -> String {
    let members: BTreeSet<&str> = component.iter().map(String::as_str).collect();
    // Walk from the first module along edges inside the component until a module repeats.
    let mut walk = vec![component[0].as_str()];
    let mut steps = Vec::new();
    loop {
        let here = *walk.last().unwrap_or(&component[0].as_str());
        let Some((next, edge)) = graph
            .edges
            .get(here)
            .into_iter()
            .flat_map(|m| m.iter())
            .find(|(to, _)| members.contains(to.as_str()))
        else {
            break;
        };
        let shown = edge.file.strip_prefix(root).unwrap_or(&edge.file);
        steps.push(format!(
            "{here} -> {next} ({}:{})",
            shown.display(),
            edge.line
        ));
        if let Some(start) = walk.iter().position(|m| *m == next.as_str()) {
            steps.drain(..start);
            break;
        }
        walk.push(next.as_str());
    }
    format!(
        "  {folder}: {{{}}}: {}",
        component.join(", "),
        steps.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> Graph {
        let mut g = Graph::default();
        for (from, to) in edges {
            g.modules.insert(from.to_string());
            g.modules.insert(to.to_string());
            g.edges.entry(from.to_string()).or_default().insert(
                to.to_string(),
                Edge {
                    file: PathBuf::from(format!("{from}.rs")),
                    line: 1,
                },
            );
        }
        g
    }

    #[test]
    fn finds_a_cycle_and_names_its_edges() {
        let g = graph(&[
            ("types", "surface"),
            ("surface", "operations"),
            ("operations", "types"),
            ("emit", "types"),
        ]);
        let found = cycles(&g);
        assert_eq!(found, vec![vec!["operations", "surface", "types"]]);
        let text = describe("codegen/src", &g, &found[0], Path::new(""));
        assert!(
            text.contains("operations -> types (operations.rs:1)"),
            "{text}"
        );
        assert!(text.contains("surface -> operations"), "{text}");
    }

    #[test]
    fn a_layered_graph_has_none() {
        let g = graph(&[("client", "error"), ("error", "auth"), ("client", "auth")]);
        assert!(cycles(&g).is_empty());
    }

    #[test]
    fn super_paths_resolve_to_the_top_level_module() {
        let here = vec!["paginate".to_string(), "offset".to_string()];
        let paths = Paths {
            here: &here,
            found: Vec::new(),
        };
        let seg = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            paths.resolve(&seg("super::Paginator")),
            Some("paginate".into())
        );
        assert_eq!(
            paths.resolve(&seg("super::super::error::Error")),
            Some("error".into())
        );
        assert_eq!(
            paths.resolve(&seg("crate::client::Client")),
            Some("client".into())
        );
        assert_eq!(paths.resolve(&seg("std::fmt")), None);
    }

    #[test]
    fn module_paths_of_files() {
        assert_eq!(module_path(Path::new("types/ir.rs")), vec!["types", "ir"]);
        assert_eq!(module_path(Path::new("types/mod.rs")), vec!["types"]);
        assert!(module_path(Path::new("lib.rs")).is_empty());
    }
}
