//! Union models: `oneOf`/`anyOf`, tagged by a discriminator or decoded untagged in the order of
//! [`UNTAGGED_ORDER`], and the names of their variants.

use std::collections::BTreeSet;

use crate::docs;
use crate::naming::{UniqueNames, snake_name, type_name, variant_name};
use crate::types::TypeRef;
use crate::types::ir::{Model, ModelKind, UnionModel, UnionVariant};

use super::naming::{Ctx, Name};
use super::view::{View, schema_docs, view};
use super::{Builder, MAX_DEPTH, SRef, component_name, string_type};

/// A variant that ends in the last word of the union's name says it twice
/// (`SearchHit::IdentityHit`): the word is dropped (`SearchHit::Identity`), unless that leaves
/// it empty or names it like another variant. Decided variant by variant, so that a variant
/// keeps its name when another version's union has one variant more or less.
fn drop_union_word(union_name: &str, variants: &mut [UnionVariant]) {
    let Some(start) = union_name
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
    else {
        return;
    };
    // Compared without case: a variant named from a schema file in one lowercase run
    // (`Accountsexportreportarguments` in `ReportArguments`) drops it as the others do.
    let word = union_name[start..].to_ascii_lowercase();
    let wanted: Vec<Option<String>> = variants
        .iter()
        .map(|v| {
            let cut = v.ident.len().checked_sub(word.len())?;
            let (rest, tail) = (v.ident.get(..cut)?, v.ident.get(cut..)?);
            (tail.eq_ignore_ascii_case(&word) && rest.starts_with(|c: char| c.is_ascii_uppercase()))
                .then(|| rest.to_string())
        })
        .collect();
    let finals: Vec<String> = variants
        .iter()
        .zip(&wanted)
        .map(|(v, w)| w.clone().unwrap_or_else(|| v.ident.clone()))
        .collect();
    for (i, variant) in variants.iter_mut().enumerate() {
        let Some(short) = &wanted[i] else {
            continue;
        };
        let clash = short == "Unrecognized"
            || finals
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && other == short);
        if !clash {
            variant.ident = short.clone();
        }
    }
}

impl Builder<'_> {
    pub(super) fn union(&mut self, v: &View<'_>, name: Name, ctx: &Ctx) -> TypeRef {
        let (members, keyword) = if v.one_of.is_empty() {
            (&v.any_of, "anyOf")
        } else {
            (&v.one_of, "oneOf")
        };
        if !v.one_of.is_empty() && !v.any_of.is_empty() {
            self.diag(ctx, "anyOf next to oneOf is ignored");
        }
        // A oneOf of strings and string enums is a string: no model, not even for inline enums.
        if v.data.discriminator.is_none() && members.iter().all(|member| self.string_like(*member))
        {
            return TypeRef::String;
        }
        let union_name = match &name {
            Name::Fixed(fixed) => fixed.clone(),
            // Claimed now so that inline members are named after it; it stays unused if the
            // union turns out to be a plain type.
            Name::Hint(hint) => self.st.names.claim(hint),
        };
        let seq = self.next_seq();
        let mut ctx = ctx.clone();
        if ctx.file.is_none() {
            ctx.file = Some(self.st.files.claim(&snake_name(&union_name)));
        }
        let mut members_typed: Vec<(String, TypeRef, SRef<'_>)> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_ctx = ctx.at_path(&[keyword, &i.to_string()]);
            // Inline members are named by their title, else by their position.
            let title = match member {
                SRef::Item(schema) => schema
                    .schema_data
                    .title
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty()),
                SRef::Ref(_) => None,
            };
            let fallback = title.map_or_else(|| format!("Variant{}", i + 1), variant_name);
            let ty = self.type_sref(
                *member,
                Name::Hint(format!("{union_name}{fallback}")),
                &member_ctx,
            );
            let ident = match member {
                SRef::Ref(reference) => component_name(reference)
                    .and_then(|c| self.st.components.get(&c))
                    .map_or(fallback, |c| c.type_name.clone()),
                SRef::Item(_) if title.is_some() => fallback,
                SRef::Item(_) => match &ty {
                    TypeRef::Named(_) => fallback,
                    ty => primitive_variant_name(ty),
                },
            };
            members_typed.push((ident, ty, *member));
        }

        let discriminator = v.data.discriminator.as_ref();
        let tagged = match discriminator {
            Some(d) => match members_typed
                .iter()
                .position(|(_, _, m)| !matches!(m, SRef::Ref(_)))
            {
                Some(i) => {
                    self.diag(
                        &ctx,
                        format!("discriminator `{}` ignored: {keyword} member {i} is not a $ref; decoded untagged", d.property_name),
                    );
                    None
                }
                None => Some(d),
            },
            None => None,
        };

        if tagged.is_none() {
            // Variants of the same type could never be reached.
            let mut seen = BTreeSet::new();
            members_typed.retain(|(_, ty, _)| seen.insert(ty.clone()));
            let string_like = members_typed
                .iter()
                .all(|(_, ty, _)| matches!(ty, TypeRef::String) || self.is_string_enum(ty));
            if string_like {
                return TypeRef::String;
            }
            if members_typed.len() == 1 {
                return members_typed.remove(0).1;
            }
        }

        let (union_name, _, ctx) = self.claim(&Name::Fixed(union_name), &ctx);
        let mut idents = UniqueNames::new();
        let mut variants: Vec<UnionVariant> = members_typed
            .into_iter()
            .map(|(ident, ty, member)| {
                let tags = match (tagged, member) {
                    (Some(d), SRef::Ref(reference)) => {
                        let component = component_name(reference).unwrap_or_default();
                        let mut tags: Vec<String> = d
                            .mapping
                            .iter()
                            .filter(|(_, target)| mapping_matches(target, &component))
                            .map(|(key, _)| key.clone())
                            .collect();
                        if tags.is_empty() {
                            tags.push(component);
                        }
                        tags
                    }
                    _ => Vec::new(),
                };
                UnionVariant {
                    ident: idents.claim(&ident),
                    ty,
                    tags,
                }
            })
            .collect();
        drop_union_word(&union_name, &mut variants);
        // The variant that keeps a value whole: an object with an unknown tag, or a value no
        // variant fits exactly (or several fit equally).
        let unrecognized = Some(idents.claim(if tagged.is_some() {
            "Unrecognized"
        } else {
            "Other"
        }));
        let docs_text = schema_docs(v.data);
        let docs = match tagged {
            Some(d) => {
                let components: Vec<String> = members
                    .iter()
                    .filter_map(|m| match m {
                        SRef::Ref(r) => component_name(r),
                        SRef::Item(_) => None,
                    })
                    .collect();
                for (key, target) in &d.mapping {
                    if !components.iter().any(|c| mapping_matches(target, c)) {
                        self.diag(&ctx, format!("discriminator mapping `{key}` -> `{target}` matches no {keyword} member; ignored"));
                    }
                }
                docs::paragraphs([
                    docs_text,
                    format!(
                        "The variant is chosen by the `{}` property of the object; objects with \
                         a value this client does not know are kept as `{}`.",
                        d.property_name,
                        unrecognized.as_deref().unwrap_or_default(),
                    ),
                ])
            }
            None => {
                variants.sort_by_key(|variant| self.rank(&variant.ty, 0));
                let other = unrecognized.as_deref().unwrap_or_default();
                docs::paragraphs([
                    docs_text,
                    UNTAGGED_ORDER.replace("`Other`", &format!("`{other}`")),
                ])
            }
        };
        self.push_model(Model {
            name: union_name.clone(),
            file: ctx.file.clone().unwrap_or_default(),
            seq,
            docs,
            kind: ModelKind::Union(UnionModel {
                variants,
                discriminator: tagged.map(|d| d.property_name.clone()),
                unrecognized,
            }),
        });
        TypeRef::Named(union_name)
    }

    /// Whether a union member is a plain string or a string enum.
    fn string_like(&mut self, member: SRef<'_>) -> bool {
        match member {
            SRef::Ref(reference) => {
                match component_name(reference).filter(|n| self.schemas.contains_key(n)) {
                    Some(name) => {
                        let ty = self.component(&name);
                        ty == TypeRef::String || self.is_string_enum(&ty)
                    }
                    None => false,
                }
            }
            SRef::Item(schema) => {
                let v = view(schema);
                v.typ == Some("string")
                    && string_type(v.format.as_deref()) == TypeRef::String
                    && v.enumeration
                        .iter()
                        .all(|value| value.is_string() || value.is_null())
                    && !v.not
            }
        }
    }

    /// Sort key of an untagged variant: the most specific shapes first (see [`UNTAGGED_ORDER`]).
    fn rank(&self, ty: &TypeRef, depth: usize) -> (u8, isize, isize) {
        match ty {
            TypeRef::Named(name) => match self.model(name).map(|m| &m.kind) {
                Some(ModelKind::Struct(s)) => {
                    let required = s.fields.iter().filter(|f| f.required).count() as isize;
                    (0, -required, -(s.fields.len() as isize))
                }
                Some(ModelKind::Union(_)) => (1, 0, 0),
                Some(ModelKind::StringEnum(_)) => (8, 0, 0),
                Some(ModelKind::Alias(target)) if depth < MAX_DEPTH => self.rank(target, depth + 1),
                // A struct still being built (a recursive reference).
                _ => (0, 0, 0),
            },
            TypeRef::Vec(_) => (2, 0, 0),
            TypeRef::Map(_) => (3, 0, 0),
            TypeRef::Bool => (4, 0, 0),
            TypeRef::I32 | TypeRef::I64 => (5, 0, 0),
            TypeRef::F32 | TypeRef::F64 => (6, 0, 0),
            TypeRef::DateTime => (7, 0, 0),
            TypeRef::Date => (7, 1, 0),
            TypeRef::String | TypeRef::Binary => (9, 0, 0),
            TypeRef::Json => (10, 0, 0),
        }
    }
}

/// The decoding rule of untagged unions, as documented on each of them (`Other` is replaced by the
/// name of the variant that keeps a value whole).
pub(crate) const UNTAGGED_ORDER: &str = "Decoded without a tag: a variant is chosen only when the \
     value fits it exactly, that is, it decodes without any lenient reading and, for an object, \
     the variant declares every member. A variant that takes any object or any value (a map, \
     free-form JSON) is chosen only when no other fits. When no variant fits, or several fit \
     equally, the value is kept whole as `Other` and written back unchanged. The variants are \
     listed objects first (those with more required properties first), then unions, arrays, \
     maps, booleans, integers, numbers, dates, string enums, strings, and free-form JSON.";

/// Whether a discriminator mapping value (`#/components/schemas/X`, `X`, `../x/X.yaml`,
/// `file.yaml#/X`) points at component `component`.
fn mapping_matches(target: &str, component: &str) -> bool {
    if let Some(name) = component_name(target) {
        return name == component;
    }
    let last = target.rsplit(['/', '#']).next().unwrap_or(target);
    let stem = [".yaml", ".yml", ".json"]
        .iter()
        .fold(last, |s, ext| s.strip_suffix(ext).unwrap_or(s));
    stem == component || (!stem.is_empty() && type_name(stem) == type_name(component))
}

fn primitive_variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::String => "String".into(),
        TypeRef::Binary => "Binary".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(inner) => format!("{}List", primitive_variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", primitive_variant_name(inner)),
        TypeRef::Named(name) => name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variants(idents: &[&str]) -> Vec<UnionVariant> {
        idents
            .iter()
            .map(|ident| UnionVariant {
                ident: ident.to_string(),
                ty: TypeRef::Named(ident.to_string()),
                tags: Vec::new(),
            })
            .collect()
    }

    fn stripped(union: &str, idents: &[&str]) -> Vec<String> {
        let mut variants = variants(idents);
        drop_union_word(union, &mut variants);
        variants.into_iter().map(|v| v.ident).collect()
    }

    #[test]
    fn variants_that_repeat_the_unions_last_word_drop_it() {
        assert_eq!(
            stripped("SearchHit", &["IdentityHit", "RoleHit"]),
            ["Identity", "Role"]
        );
        // Variant by variant: one that does not end in it keeps its name, the others still drop
        // it; one that would be empty or like another keeps its name.
        assert_eq!(
            stripped("SearchHit", &["IdentityHit", "RoleSearchedItem"]),
            ["Identity", "RoleSearchedItem"]
        );
        assert_eq!(
            stripped("SearchHit", &["RoleHit", "Role"]),
            ["RoleHit", "Role"]
        );
        assert_eq!(stripped("SearchHit", &["Hit", "RoleHit"]), ["Hit", "Role"]);
        assert_eq!(
            stripped("ReportArguments", &["ExportArguments", "ExportArguments2"]),
            ["Export", "ExportArguments2"]
        );
        assert_eq!(stripped("Value", &["StringValue"]), ["String"]);
        assert_eq!(
            stripped(
                "ReportArguments",
                &["Searchexportreportarguments", "OrphanArguments"]
            ),
            ["Searchexportreport", "Orphan"]
        );
        assert_eq!(
            stripped("Result", &["UnrecognizedResult", "OkResult"]),
            ["UnrecognizedResult", "Ok"]
        );
    }
}
