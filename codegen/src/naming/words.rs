//! Word boundaries for schema names written in one lowercase run (`accessprofileref`), as some
//! specs name their files: without them a type is `Accessprofileref`, not `AccessProfileRef`.
//!
//! The words are learnt from the document itself, where it does mark boundaries: the titles of
//! its schemas (`title: Access Profile Ref`), its property names (`accessProfile`, `owner_ref`),
//! its operationIds and tags. A name is then split into the fewest known words; a stretch that no
//! known word covers stays as it is. So the split is deterministic, needs no dictionary of any
//! language, and never changes a name that already has boundaries.
//!
//! Written here rather than taken from a crate: word-segmentation crates split English prose with
//! a frequency list of their own, which knows neither `dto` nor `sod`, while the document's own
//! vocabulary knows both.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::loader::Bundle;

/// Words shorter than this are not learnt: one letter would split anything anywhere.
const MIN_WORD: usize = 2;

/// A name that is one word is learnt only up to this length (see [`Vocabulary::learn`]).
const MAX_SINGLE_WORD: usize = 10;

/// The vocabulary of one document.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: BTreeSet<String>,
    longest: usize,
}

impl Vocabulary {
    /// Every word the bundle spells with boundaries: schema titles, property names (at any
    /// depth), operationIds and tag names.
    pub fn of_bundle(bundle: &Bundle) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for tag in &bundle.tags {
            vocabulary.learn(&tag.name);
        }
        for path in &bundle.paths {
            for (_, op) in path.item.iter() {
                if let Some(id) = &op.operation_id {
                    vocabulary.learn(id);
                }
            }
        }
        for component in bundle.schemas.values() {
            if let Ok(value) = serde_json::to_value(&component.schema) {
                vocabulary.learn_schema(&value);
            }
        }
        vocabulary
    }

    /// Learn the words of a name that marks its boundaries (case changes, separators). A long
    /// name of one word is not learnt: it may itself be a run without boundaries
    /// (`lifecyclestate`).
    pub fn learn(&mut self, name: &str) {
        let words = split_marked(name);
        let single = words.len() == 1;
        for word in words {
            if single && word.len() > MAX_SINGLE_WORD {
                continue;
            }
            if word.len() >= MIN_WORD && word.bytes().all(|b| b.is_ascii_alphabetic()) {
                self.longest = self.longest.max(word.len());
                self.words.insert(word);
            }
        }
    }

    fn learn_schema(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(title)) = map.get("title") {
                    self.learn(title);
                }
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for name in properties.keys() {
                        self.learn(name);
                    }
                }
                for child in map.values() {
                    self.learn_schema(child);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.learn_schema(item)),
            _ => {}
        }
    }

    /// `accessprofileref` -> `["access", "profile", "ref"]` when those words are known; `None`
    /// when the name is not one lowercase run (it has boundaries of its own) or no known word
    /// splits any of its parts.
    pub fn split(&self, name: &str) -> Option<Vec<String>> {
        // One capital in front of the run (`Transformsconcatenation`, a prefix added to tell
        // two schemas apart) is part of it.
        let lowered;
        let name = match name.strip_prefix(|c: char| c.is_ascii_uppercase()) {
            Some(rest) if rest.bytes().all(|b| !b.is_ascii_uppercase()) => {
                lowered = name.to_ascii_lowercase();
                lowered.as_str()
            }
            _ => name,
        };
        let parts: Vec<&str> = name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|part| !part.is_empty())
            .collect();
        if parts.is_empty()
            || !parts.iter().all(|part| {
                part.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
        {
            return None;
        }
        let mut words = Vec::new();
        let mut split = false;
        for part in parts {
            let pieces = self.segment(part);
            split |= pieces.len() > 1;
            words.extend(pieces);
        }
        split.then_some(words)
    }

    /// The cheapest cover of `run` by pieces (costs in quarters): a known word of three letters
    /// or more costs 4, a known two-letter word 8 (they split too eagerly: `no`, `it`), a run
    /// of digits 4, and a stretch no known word covers 12 plus 2 per letter, so that one
    /// unknown stretch (`lite`) beats a scatter of letters around short words (`l`, `it`,
    /// `e`), while known words still beat a long unknown stretch. A single unknown letter is
    /// no piece of its own, except a plural or past tense `s` or `d` after a known word
    /// (`documents`, `typed`). Ties go to the split whose last piece is longest.
    fn segment(&self, run: &str) -> Vec<String> {
        let n = run.len();
        // best[i]: (cost, start of the last piece) of the best cover of run[..i].
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for end in 1..=n {
            let mut choice: Option<(usize, usize)> = None;
            for start in 0..end {
                let Some((before, _)) = best[start] else {
                    continue;
                };
                let piece = &run[start..end];
                let len = end - start;
                let known = len <= self.longest && self.words.contains(piece);
                let cost = if piece.bytes().all(|b| b.is_ascii_digit()) {
                    4
                } else if known {
                    if len == MIN_WORD { 8 } else { 4 }
                } else if len == 1 {
                    let after_word = start > 0
                        && best[start]
                            .is_some_and(|(_, from)| self.words.contains(&run[from..start]));
                    if (piece == "s" || piece == "d") && after_word {
                        // Joined to the word before it below.
                        1
                    } else if n == 1 {
                        12
                    } else {
                        continue;
                    }
                } else {
                    12 + 2 * len
                };
                let total = before + cost;
                if choice.is_none_or(|(c, _)| total < c) {
                    choice = Some((total, start));
                }
            }
            best[end] = choice;
        }
        let mut pieces: Vec<String> = Vec::new();
        let mut end = n;
        while end > 0 {
            let Some((_, start)) = best[end] else {
                return vec![run.to_string()];
            };
            pieces.push(run[start..end].to_string());
            end = start;
        }
        pieces.reverse();
        let mut merged: Vec<String> = Vec::new();
        for piece in pieces {
            match merged.last_mut() {
                Some(last) if piece == "s" || piece == "d" => last.push_str(&piece),
                _ => merged.push(piece),
            }
        }
        merged
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The words of a name with marked boundaries, lowercase: `accessProfileID` -> access, profile,
/// id; `Access Profile` -> access, profile; `owner_ref` -> owner, ref.
fn split_marked(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_ascii_lowercase() && c.is_ascii_uppercase() => true,
            Some(p) if p.is_ascii_digit() != c.is_ascii_digit() => true,
            // `IDValue`: the last capital of a run starts the next word.
            Some(p)
                if p.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase()) =>
            {
                true
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// For every component of the bundle whose name is one lowercase run that the vocabulary splits:
/// the name with its boundaries (`accessprofileref` -> `access profile ref`), for
/// [`crate::naming::type_name`].
///
/// A schema whose `title` spells the same letters (`title: Access Profile Ref`) is named from
/// its title; the others from the vocabulary.
pub fn component_names(bundle: &Bundle) -> BTreeMap<String, String> {
    let vocabulary = Vocabulary::of_bundle(bundle);
    let letters = |text: &str| -> String {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    bundle
        .schemas
        .iter()
        .filter_map(|(name, component)| {
            let words = vocabulary.split(name)?;
            let title = component.schema.schema_data.title.as_deref();
            if let Some(title) = title.filter(|title| letters(title) == letters(name)) {
                return Some((name.clone(), split_marked(title).join(" ")));
            }
            Some((name.clone(), words.join(" ")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(names: &[&str]) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for name in names {
            vocabulary.learn(name);
        }
        vocabulary
    }

    #[test]
    fn marked_names_give_their_words() {
        assert_eq!(split_marked("accessProfileID"), ["access", "profile", "id"]);
        assert_eq!(split_marked("IDValue"), ["id", "value"]);
        assert_eq!(
            split_marked("Access Profile Ref"),
            ["access", "profile", "ref"]
        );
        assert_eq!(split_marked("owner_ref2"), ["owner", "ref", "2"]);
    }

    #[test]
    fn lowercase_runs_split_into_known_words() {
        let v = vocabulary(&["accessProfile", "ownerRef", "itemResponse", "IdentityDto"]);
        assert_eq!(
            v.split("accessitemaccessprofileresponse").unwrap(),
            ["access", "item", "access", "profile", "response"]
        );
        assert_eq!(v.split("identitydto").unwrap(), ["identity", "dto"]);
        assert_eq!(
            v.split("schedule-3"),
            None,
            "one word and a number: no boundary learnt"
        );
        assert_eq!(v.split("ownerref-2").unwrap(), ["owner", "ref", "2"]);
    }

    #[test]
    fn unknown_stretches_stay_whole() {
        let v = vocabulary(&["accessProfile"]);
        assert_eq!(
            v.split("accessxyzprofile").unwrap(),
            ["access", "xyz", "profile"]
        );
        assert_eq!(v.split("qqq"), None);
    }

    #[test]
    fn names_with_boundaries_are_left_alone() {
        let v = vocabulary(&["accessProfile"]);
        assert_eq!(v.split("AccessProfile"), None);
        assert_eq!(v.split("Accessprofile").unwrap(), ["access", "profile"]);
        assert_eq!(v.split("accessProfile"), None);
        assert_eq!(v.split("access"), None);
    }

    #[test]
    fn fewest_words_win() {
        // `profiles` is known: one word rather than `profile` + `s`.
        let v = vocabulary(&["identityProfiles", "identityProfile"]);
        assert_eq!(
            v.split("identityprofiles").unwrap(),
            ["identity", "profiles"]
        );
        // A plural never spelt joins its word.
        let v = vocabulary(&["accessProfile", "document", "typeName", "reference"]);
        assert_eq!(
            v.split("accessprofiledocuments").unwrap(),
            ["access", "profile", "documents"]
        );
        assert_eq!(v.split("typedreference").unwrap(), ["typed", "reference"]);
    }
}
