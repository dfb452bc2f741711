//! Names for external schemas that the root does not name.
//!
//! The bundler first discovers every schema the root reaches, then names them all at once with
//! [`assign`], from where each one is (its path and pointer) and never from the order in which
//! they were found: a schema keeps its name whatever other files the root happens to reach, or
//! reaches first, unless the spec renames it (its file, its fragment, or a root component key).
//!
//! - The base name is the last pointer token when the `$ref` has a fragment (`Foo.yaml#/Bar` ->
//!   `Bar`), else the file stem (`Foo.yaml` -> `Foo`), keeping its spelling but only ASCII
//!   letters, digits and `_` ([`sanitize`]).
//! - The root's own `components/schemas` keys are names as they are, and come first: a schema
//!   whose base name is one of them is never given that name.
//! - The *home* of a root ([`home`]) is the folder of the API it describes: of the files the root
//!   refers to directly, the folder above the folder holding each (`idn/beta/paths/x.yaml` ->
//!   `idn/beta`, since multi-file specs keep paths, schemas, ... in folders of their API's
//!   folder), the deepest folder that holds more than half of them. Schemas under it are home
//!   schemas, the others foreign (another version's schemas that the root borrows).
//! - Of the schemas sharing a base name, the plain name goes to the one with the best claim: a
//!   home schema before a foreign one, a whole file before a fragment, fewer folders before more.
//!   A home schema under one of the configured preferred folders (`[codegen.naming]`) claims it
//!   first. Of home schemas with equal claims the first by path has it; of foreign ones none does (two
//!   versions' schemas of one name: neither is the root's). So a foreign schema has the plain name
//!   only while no other schema of that name is reached, and never takes it from a home one.
//! - The others are prefixed, in PascalCase: a foreign schema with the folder that tells its tree
//!   apart from the home (`idn/v3/schemas/Foo.yaml` reached from `idn/beta` is `V3Foo`; never the
//!   home's folder), then that and the folder where it parts from the others of its name; a home
//!   schema with the folder where its path parts from the holder's or the others' when that is
//!   below the home (`beta/schemas/a/Foo.yaml` beside `beta/schemas/Foo.yaml` is `AFoo`), else
//!   with its folders from the top, skipping the home's own (the version's name, so that the same
//!   schema has the same name in every version: `idn/v3/schemas/Campaign.yaml` beside a root
//!   component `Campaign` is `IdnCampaign`); then the file stem (fragments), then a number.
//!
//! Plain names are given before prefixed ones, so a plain name never depends on what another
//! schema's prefix turns out to be. What can still rename a schema: a new schema of its name with
//! a better claim (a shallower home file, or one sorting first among equals), or, for a foreign
//! schema with the plain name, any other schema of its name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

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

/// Where an external schema is: its file, relative to the spec folder, and the unescaped tokens
/// of the pointer inside it (none for the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub tokens: Vec<String>,
}

impl Place {
    /// The last pointer token, else the file stem, sanitized.
    pub fn base(&self) -> String {
        let stem = self
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        sanitize(self.tokens.last().unwrap_or(&stem))
    }

    /// The order in which schemas of one base name claim it: whole files first, then fewer
    /// folders, then by path and pointer.
    fn rank(&self) -> (bool, usize, &Path, &[String]) {
        (
            !self.tokens.is_empty(),
            folders(&self.file).len(),
            &self.file,
            &self.tokens,
        )
    }
}

fn folders(file: &Path) -> Vec<String> {
    file.parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn components(dir: &Path) -> Vec<String> {
    dir.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// A folder's name as a prefix: PascalCase, only ASCII letters, digits and `_`.
fn pascal(folder: &str) -> String {
    folder
        .to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The home folder of a root that refers directly to the files `referenced` (relative to the spec
/// folder): for each file the folder above its own folder, and of those the deepest folder holding
/// more than half. Without any, the root's own folder.
pub fn home(root: &Path, referenced: &[PathBuf]) -> PathBuf {
    let tops: Vec<Vec<String>> = referenced
        .iter()
        .map(|f| {
            f.parent()
                .and_then(Path::parent)
                .map(components)
                .unwrap_or_default()
        })
        .collect();
    if tops.is_empty() {
        return root.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    let mut out: Vec<String> = Vec::new();
    loop {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in &tops {
            if t.len() > out.len() && t[..out.len()] == out[..] {
                *counts.entry(t[out.len()].as_str()).or_default() += 1;
            }
        }
        match counts.into_iter().find(|(_, n)| n * 2 > tops.len()) {
            Some((next, _)) => out.push(next.to_string()),
            None => break,
        }
    }
    out.iter().collect()
}

/// The index of the first folder of `file` where its path parts from `other`'s.
fn parting(other: &Path, file: &Path) -> Option<usize> {
    let (theirs, mine) = (folders(other), folders(file));
    (0..mine.len()).find(|&i| theirs.get(i) != mine.get(i))
}

/// The names to try, in order, for the schema at `place` with base name `base` that does not
/// get the plain name; `others` are the files of the other schemas that share the base name
/// (the one holding the plain name, if any, first).
fn prefixed(home: &[String], place: &Place, base: &str, others: &[&Path]) -> Vec<String> {
    let dirs = folders(&place.file);
    let mut out: Vec<String> = Vec::new();
    let mut push = |prefix: String| {
        let candidate = format!("{prefix}{base}");
        if !prefix.is_empty() && !out.contains(&candidate) {
            out.push(candidate);
        }
    };
    // The folder where the path leaves the home: a foreign schema's tree.
    let tree = (0..dirs.len())
        .find(|&i| home.get(i) != dirs.get(i))
        .filter(|&i| i < home.len());
    // The first folder below the home (below its tree, for a foreign schema) where the path
    // parts from each other schema's: what tells them apart.
    let below = tree.map_or(home.len(), |t| t + 1);
    let mut parted: Vec<usize> = others
        .iter()
        .filter_map(|other| parting(other, &place.file))
        .filter(|&i| i >= below)
        .collect();
    parted.dedup();
    let stem = place
        .file
        .file_stem()
        .map(|s| pascal(&s.to_string_lossy()))
        .filter(|_| !place.tokens.is_empty());
    match tree {
        Some(t) => {
            let tree = pascal(&dirs[t]);
            push(tree.clone());
            for &i in &parted {
                push(format!("{tree}{}", pascal(&dirs[i])));
            }
            for folder in &dirs[below..] {
                push(format!("{tree}{}", pascal(folder)));
            }
            if let Some(stem) = &stem {
                push(format!("{tree}{stem}"));
            }
        }
        None => {
            for &i in &parted {
                push(pascal(&dirs[i]));
            }
            // The home's own folder is the version's name: never in the name of a home schema,
            // which then has the same name in every version.
            for (i, folder) in dirs.iter().enumerate() {
                if i + 1 != home.len() {
                    push(pascal(folder));
                }
            }
            if let Some(stem) = &stem {
                push(stem.clone());
            }
        }
    }
    out
}

/// The component name of each schema of `places` (in the same order) for a root whose home is
/// `home` and whose own components are `reserved` (each with the file its schema is in). A home
/// schema under one of the `preferred` folders claims its name before the other home schemas.
pub fn assign(
    home: &Path,
    reserved: &HashMap<String, PathBuf>,
    places: &[Place],
    preferred: &[PathBuf],
) -> Vec<String> {
    let home_dirs = components(home);
    let claim = |p: &Place| {
        let foreign = !p.file.starts_with(home);
        (
            foreign,
            foreign || !preferred.iter().any(|folder| p.file.starts_with(folder)),
            !p.tokens.is_empty(),
            folders(&p.file).len(),
        )
    };
    let bases: Vec<String> = places.iter().map(Place::base).collect();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, base) in bases.iter().enumerate() {
        groups.entry(base).or_default().push(i);
    }
    let mut out: Vec<Option<String>> = vec![None; places.len()];
    let mut used: HashSet<String> = reserved.keys().cloned().collect();
    // Plain names first: the schema with the best claim; of home schemas with equal claims the
    // first by path, of foreign ones none.
    for (base, members) in &groups {
        if reserved.contains_key(*base) {
            continue;
        }
        let Some(best) = members.iter().map(|&i| claim(&places[i])).min() else {
            continue;
        };
        let claimants: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| claim(&places[i]) == best)
            .collect();
        let foreign = best.0;
        let winner = match claimants[..] {
            [only] => Some(only),
            _ if foreign => None,
            _ => claimants
                .iter()
                .copied()
                .min_by(|&a, &b| places[a].rank().cmp(&places[b].rank())),
        };
        if let Some(winner) = winner {
            out[winner] = Some(base.to_string());
            used.insert(base.to_string());
        }
    }
    let mut rest: Vec<usize> = (0..places.len()).filter(|&i| out[i].is_none()).collect();
    rest.sort_by(|&a, &b| {
        (claim(&places[a]), places[a].rank()).cmp(&(claim(&places[b]), places[b].rank()))
    });
    for i in rest {
        let base = &bases[i];
        let members = &groups[base.as_str()];
        let holder = reserved.get(base).map(PathBuf::as_path).or_else(|| {
            members
                .iter()
                .find(|&&m| out[m].as_deref() == Some(base))
                .map(|&m| places[m].file.as_path())
        });
        let mut others: Vec<&Path> = holder.into_iter().collect();
        let mut rivals: Vec<usize> = members.iter().copied().filter(|&m| m != i).collect();
        rivals.sort_by(|&a, &b| places[a].rank().cmp(&places[b].rank()));
        others.extend(rivals.iter().map(|&m| places[m].file.as_path()));
        let candidates = prefixed(&home_dirs, &places[i], base, &others);
        let name = candidates
            .into_iter()
            .chain((2usize..).map(|n| format!("{base}{n}")))
            .find(|c| !used.contains(c))
            .unwrap_or_default();
        used.insert(name.clone());
        out[i] = Some(name);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(file: &str) -> Place {
        Place {
            file: PathBuf::from(file),
            tokens: Vec::new(),
        }
    }

    fn names(home: &str, reserved: &[(&str, &str)], files: &[&str]) -> Vec<String> {
        let reserved = reserved
            .iter()
            .map(|(n, f)| (n.to_string(), PathBuf::from(f)))
            .collect();
        let places: Vec<Place> = files.iter().map(|f| place(f)).collect();
        assign(Path::new(home), &reserved, &places, &[])
    }

    #[test]
    fn sanitizes() {
        assert_eq!(sanitize("Foo-Bar.v2"), "FooBarv2");
        assert_eq!(sanitize("409"), "_409");
        assert_eq!(sanitize("--"), "Schema");
    }

    #[test]
    fn base_is_the_last_token_else_the_stem() {
        let fragment = Place {
            file: PathBuf::from("schemas/defs.yaml"),
            tokens: vec!["definitions".into(), "a/b".into()],
        };
        assert_eq!(fragment.base(), "ab");
        assert_eq!(place("schemas/Pet-2.yaml").base(), "Pet2");
    }

    #[test]
    fn home_is_the_api_folder_most_direct_references_are_in() {
        let refs = |files: &[&str]| files.iter().map(PathBuf::from).collect::<Vec<_>>();
        let beta = refs(&[
            "idn/beta/paths/a.yaml",
            "idn/beta/paths/b.yaml",
            "idn/beta/schemas/C.yaml",
            "idn/beta/schemas/search/D.yaml",
            "idn/v3/paths/e.yaml",
        ]);
        let root = Path::new("idn/sailpoint-api.beta.yaml");
        assert_eq!(home(root, &beta), Path::new("idn/beta"));
        // A root inside its own API's folder, borrowing from a sibling.
        let inside = refs(&["b/paths/x.yaml", "b/schemas/X.yaml", "a/schemas/Y.yaml"]);
        assert_eq!(home(Path::new("b/openapi.yaml"), &inside), Path::new("b"));
        // Services each in their folder: none holds most, their common folder does.
        let services = refs(&["idn/apis/a/paths/x.yaml", "idn/apis/b/paths/y.yaml"]);
        assert_eq!(home(root, &services), Path::new("idn/apis"));
        assert_eq!(home(root, &[]), Path::new("idn"));
    }

    #[test]
    fn the_home_schema_keeps_the_plain_name_in_any_order() {
        let files = ["idn/v3/schemas/Patch.yaml", "idn/beta/schemas/Patch.yaml"];
        assert_eq!(names("idn/beta", &[], &files), ["V3Patch", "Patch"]);
        let reversed = ["idn/beta/schemas/Patch.yaml", "idn/v3/schemas/Patch.yaml"];
        assert_eq!(names("idn/beta", &[], &reversed), ["Patch", "V3Patch"]);
        // Alone, a foreign schema has the plain name; beside another foreign one, neither.
        assert_eq!(names("idn/beta", &[], &files[..1]), ["Patch"]);
        assert_eq!(
            names(
                "idn/beta",
                &[],
                &["idn/v3/schemas/Patch.yaml", "idn/v2024/schemas/Patch.yaml"]
            ),
            ["V3Patch", "V2024Patch"]
        );
    }

    #[test]
    fn the_roots_components_come_first_and_the_version_folder_is_never_a_prefix() {
        let reserved = [("Campaign", "idn/v3/schemas/CampaignReference.yaml")];
        let files = ["idn/v3/schemas/Campaign.yaml"];
        assert_eq!(names("idn/v3", &reserved, &files), ["IdnCampaign"]);
        let files = ["idn/v2024/schemas/Campaign.yaml"];
        let reserved = [("Campaign", "idn/v2024/schemas/CampaignReference.yaml")];
        assert_eq!(names("idn/v2024", &reserved, &files), ["IdnCampaign"]);
    }

    #[test]
    fn a_preferred_folder_keeps_the_plain_name_among_home_schemas() {
        let places = [
            Place {
                file: "idn/apis/sources/schemas/concat.yaml".into(),
                tokens: Vec::new(),
            },
            Place {
                file: "idn/apis/transforms/schemas/concat.yaml".into(),
                tokens: Vec::new(),
            },
            Place {
                file: "idn/v3/schemas/concat.yaml".into(),
                tokens: Vec::new(),
            },
        ];
        let plain = assign(Path::new("idn/apis"), &HashMap::new(), &places, &[]);
        assert_eq!(plain[0], "concat");
        let preferred = assign(
            Path::new("idn/apis"),
            &HashMap::new(),
            &places,
            &[
                PathBuf::from("idn/apis/transforms"),
                PathBuf::from("idn/v3"),
            ],
        );
        assert_eq!(preferred[1], "concat");
        assert_eq!(preferred[0], "Sourcesconcat");
        // A foreign schema is never preferred over a home one.
        assert_ne!(preferred[2], "concat");
    }

    #[test]
    fn within_home_the_shallower_then_the_first_by_path_keeps_the_name() {
        let files = ["b/schemas/sub/X.yaml", "b/schemas/X.yaml"];
        assert_eq!(names("b", &[], &files), ["SubX", "X"]);
        let files = [
            "idn/apis/transforms/schemas/x.yaml",
            "idn/apis/sources/schemas/x.yaml",
        ];
        assert_eq!(names("idn/apis", &[], &files), ["Transformsx", "x"]);
        // A third one that sorts after the holder renames nobody.
        let files = [
            "idn/apis/transforms/schemas/x.yaml",
            "idn/apis/workflows/schemas/x.yaml",
            "idn/apis/sources/schemas/x.yaml",
        ];
        assert_eq!(
            names("idn/apis", &[], &files),
            ["Transformsx", "Workflowsx", "x"]
        );
        // Foreign ones of one tree: the tree, then the folder that tells them apart.
        let files = [
            "idn/v3/schemas/transforms/A.yaml",
            "idn/v3/schemas/attributes/A.yaml",
        ];
        assert_eq!(
            names("idn/beta", &[("A", "idn/beta/schemas/A.yaml")], &files),
            ["V3TransformsA", "V3A"]
        );
    }

    #[test]
    fn fragments_rank_after_files_and_fall_back_to_their_stem() {
        let places = [
            Place {
                file: PathBuf::from("a/schemas/defs.yaml"),
                tokens: vec!["X".into()],
            },
            place("a/schemas/X.yaml"),
        ];
        let out = assign(Path::new("a"), &HashMap::new(), &places, &[]);
        assert_eq!(out, ["SchemasX", "X"]);
        let reserved = HashMap::from([
            ("X".to_string(), PathBuf::from("a/root.yaml")),
            ("SchemasX".to_string(), PathBuf::from("a/root.yaml")),
        ]);
        let out = assign(Path::new("a"), &reserved, &places, &[]);
        assert_eq!(out, ["DefsX", "X2"]);
    }
}
