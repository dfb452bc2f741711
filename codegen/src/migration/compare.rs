//! Comparing an operation with its successor: request and answer with
//! [`surface::operation_changes`], and the models they reach with [`surface::model_changes`],
//! the models of the two versions paired by where the two operations use them, so that specs
//! that name their schemas differently still compare field by field.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::surface::{self, ModelSurface, OperationSurface, Part, Surface};

use super::StepChange;

/// Models of the two versions paired by where they are used, and from which part of the
/// operation each old model is reached.
#[derive(Default)]
struct Pairing {
    old_to_new: BTreeMap<String, String>,
    new_to_old: BTreeMap<String, String>,
    /// Old model names in the order they were paired.
    order: Vec<String>,
    parts: BTreeMap<String, BTreeSet<Part>>,
}

impl Pairing {
    /// Two types are the same when they are written alike but for model names, and the models
    /// at the same places are paired (or have the same name).
    fn same(&self, old: &str, new: &str) -> bool {
        if old == new {
            return true;
        }
        let (a, b) = (surface::type_tokens(old), surface::type_tokens(new));
        a.len() == b.len()
            && a.iter()
                .zip(&b)
                .all(|(x, y)| x == y || self.old_to_new.get(*x).is_some_and(|paired| paired == y))
    }
}

/// The renamed models and the changes from `old_op` to `new_op`, breaking first.
pub(super) fn compare(
    old: &Surface,
    old_op: &OperationSurface,
    new: &Surface,
    new_op: &OperationSurface,
) -> (Vec<(String, String)>, Vec<StepChange>) {
    let pairing = pair_models(old, old_op, new, new_op);
    let same = |a: &str, b: &str| pairing.same(a, b);
    let mut changes = Vec::new();
    for d in surface::operation_changes(old_op, new_op, &same) {
        if matches!(d.part, Part::Route | Part::Call) {
            // Every caller moves to another call, and the path's version is new by definition.
            continue;
        }
        changes.push(StepChange {
            impact: d.impact,
            model: None,
            parts: [d.part].into(),
            what: d.what,
        });
    }
    let mut renamed = Vec::new();
    for old_name in &pairing.order {
        let new_name = &pairing.old_to_new[old_name];
        if old_name != new_name {
            renamed.push((old_name.clone(), new_name.clone()));
        }
        let (Some(was), Some(now)) = (old.models.get(old_name), new.models.get(new_name)) else {
            continue;
        };
        // Union variants renamed with their types are compared under their old names.
        let now = match (was, now) {
            (ModelSurface::Union(was), ModelSurface::Union(now)) => {
                let variants = variant_names(was, now);
                for (new_variant, old_variant) in &variants {
                    renamed.push((
                        format!("{old_name}::{old_variant}"),
                        format!("{new_name}::{new_variant}"),
                    ));
                }
                &ModelSurface::Union(by_old_names(now, &variants))
            }
            _ => now,
        };
        for (impact, what) in surface::model_changes(was, now, &same) {
            changes.push(StepChange {
                impact,
                model: Some(old_name.clone()),
                parts: pairing.parts[old_name].clone(),
                what,
            });
        }
    }
    renamed.sort();
    changes.sort();
    (renamed, changes)
}

/// Walk the types of both operations side by side (parameters of the same name, the bodies, the
/// answers, then the members of the same name of paired models) and pair the models found at
/// the same places. A model already paired with another keeps its first partner.
fn pair_models(
    old: &Surface,
    old_op: &OperationSurface,
    new: &Surface,
    new_op: &OperationSurface,
) -> Pairing {
    let mut queue: VecDeque<(String, String, Part)> = VecDeque::new();
    let new_params = surface::params_by_old_names(old_op, new_op);
    for (name, param) in &old_op.params {
        if let Some(now) = new_params.get(name.as_str()) {
            queue.push_back((param.ty.clone(), now.ty.clone(), Part::Request));
        }
    }
    if let (Some((was, _)), Some((now, _))) = (&old_op.body, &new_op.body) {
        queue.push_back((was.clone(), now.clone(), Part::Request));
    }
    queue.push_back((
        old_op.response.clone(),
        new_op.response.clone(),
        Part::Answer,
    ));

    let mut pairing = Pairing::default();
    while let Some((was, now, part)) = queue.pop_front() {
        let (a, b) = (surface::type_tokens(&was), surface::type_tokens(&now));
        let places: Vec<(&str, &str)> = if a.len() == b.len() {
            a.into_iter().zip(b).collect()
        } else {
            // Another shape (`Option<Vec<X>>` for `Vec<X>`): that is a change of its own, but
            // the models inside still compare, when there are as many on both sides.
            let a: Vec<&str> = a
                .into_iter()
                .filter(|x| old.models.contains_key(*x))
                .collect();
            let b: Vec<&str> = b
                .into_iter()
                .filter(|y| new.models.contains_key(*y))
                .collect();
            if a.len() != b.len() {
                continue;
            }
            a.into_iter().zip(b).collect()
        };
        for (x, y) in places {
            let (Some(old_model), Some(new_model)) = (old.models.get(x), new.models.get(y)) else {
                continue;
            };
            let grew = match pairing.old_to_new.get(x) {
                Some(paired) if paired == y => pairing
                    .parts
                    .get_mut(x)
                    .is_some_and(|parts| parts.insert(part)),
                Some(_) => false,
                None if pairing.new_to_old.contains_key(y) => false,
                None => {
                    pairing.old_to_new.insert(x.to_string(), y.to_string());
                    pairing.new_to_old.insert(y.to_string(), x.to_string());
                    pairing.order.push(x.to_string());
                    pairing.parts.insert(x.to_string(), [part].into());
                    true
                }
            };
            if grew {
                // Newly paired, or newly reached from this part: so are its members.
                for (was, now) in member_types(old_model, new_model) {
                    queue.push_back((was, now, part));
                }
            }
        }
    }
    pairing
}

/// The types of the members two models share by name (union variants by [`variant_names`]; the
/// aliased types of two aliases).
fn member_types(old: &ModelSurface, new: &ModelSurface) -> Vec<(String, String)> {
    let shared = |was: &BTreeMap<String, String>, now: &BTreeMap<String, String>| {
        was.iter()
            .filter_map(|(name, ty)| now.get(name).map(|t| (ty.clone(), t.clone())))
            .collect()
    };
    match (old, new) {
        (ModelSurface::Struct(was), ModelSurface::Struct(now)) => shared(was, now),
        (ModelSurface::Union(was), ModelSurface::Union(now)) => {
            shared(was, &by_old_names(now, &variant_names(was, now)))
        }
        (ModelSurface::Alias(was), ModelSurface::Alias(now)) => vec![(was.clone(), now.clone())],
        _ => Vec::new(),
    }
}

/// The new union's variants whose names differ from an old variant's only in case (variants are
/// named after their types, and the two specs may spell those differently): new name to old.
fn variant_names(
    was: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let by_case = |names: &mut dyn Iterator<Item = &String>| {
        let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for name in names {
            out.entry(name.to_ascii_lowercase())
                .or_default()
                .push(name.clone());
        }
        out
    };
    let old_left = by_case(&mut was.keys().filter(|n| !now.contains_key(*n)));
    let new_left = by_case(&mut now.keys().filter(|n| !was.contains_key(*n)));
    let mut out = BTreeMap::new();
    for (key, news) in new_left {
        if let (Some(olds), [new_name]) = (old_left.get(&key), news.as_slice())
            && let [old_name] = olds.as_slice()
        {
            out.insert(new_name.clone(), old_name.clone());
        }
    }
    out
}

/// `members` with the keys in `renamed` (new to old) renamed.
fn by_old_names(
    members: &BTreeMap<String, String>,
    renamed: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    members
        .iter()
        .map(|(name, ty)| (renamed.get(name).unwrap_or(name).clone(), ty.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::migration::fixtures::*;
    use crate::migration::*;
    use crate::surface::{ModelSurface, ParamSurface};

    #[test]
    fn request_answer_and_model_changes_are_judged() {
        let mut year_op = op("POST", "/things/{id}", "things().update_thing()", "Thing");
        year_op.params.insert(
            "dry_run".into(),
            ParamSurface {
                location: "query",
                required: false,
                ty: "bool".into(),
            },
        );
        year_op.body = Some(("ThingUpdate".into(), true));
        year_op.deprecated = true;
        let mut next_op = op(
            "POST",
            "/things/v1/{id}",
            "things().update_thing_v1()",
            "Thing",
        );
        next_op.params.insert(
            "owner".into(),
            ParamSurface {
                location: "query",
                required: true,
                ty: "String".into(),
            },
        );
        next_op.body = Some(("Thingupdate".into(), true));
        let year = surface(
            &[("updateThing", year_op)],
            &[
                (
                    "Thing",
                    fields(&[("id", "String"), ("kind", "Option<Kind>")]),
                ),
                (
                    "Kind",
                    ModelSurface::StringEnum(["A".into(), "B".into()].into()),
                ),
                ("ThingUpdate", fields(&[("name", "Option<String>")])),
            ],
        );
        let services = surface(
            &[("updateThingV1", next_op)],
            &[
                (
                    "Thing",
                    fields(&[("id", "i64"), ("kind", "Option<Thingkind>")]),
                ),
                (
                    "Thingkind",
                    ModelSurface::StringEnum(["B".into(), "C".into()].into()),
                ),
                (
                    "Thingupdate",
                    fields(&[("name", "Option<String>"), ("note", "Option<String>")]),
                ),
            ],
        );
        let m = migrate(&year, &services);
        let next = successor(&m, "updateThing");
        assert_eq!(
            described(next),
            [
                "Breaking request: query parameter `dry_run` removed",
                "Breaking request: query parameter `owner: String` added (required)",
                "Breaking answer, model `Kind`: value `A` removed",
                "Breaking answer, model `Thing`: field `id` is `i64` (was `String`)",
                "Compatible deprecation: no longer deprecated",
                "Compatible answer, model `Kind`: value `C` added",
                "Compatible request, model `ThingUpdate`: field `note: Option<String>` added (optional: `new` and `Default` fill it)",
            ]
        );
        assert_eq!(
            next.renamed,
            [
                ("Kind".to_string(), "Thingkind".to_string()),
                ("ThingUpdate".to_string(), "Thingupdate".to_string())
            ]
        );
        assert_eq!(
            short(next),
            "request: 2 **breaking**, 1 compatible; answer: 2 **breaking**, 1 compatible; no longer deprecated"
        );
    }

    #[test]
    fn a_model_reached_from_both_parts_is_listed_once_with_both() {
        let mut year_op = op("PUT", "/things/{id}", "things().put_thing()", "Thing");
        year_op.body = Some(("Thing".into(), true));
        let mut next_op = op("PUT", "/things/v1/{id}", "things().put_thing_v1()", "Thing");
        next_op.body = Some(("Thing".into(), true));
        let year = surface(
            &[("putThing", year_op)],
            &[("Thing", fields(&[("a", "String")]))],
        );
        let services = surface(&[("putThingV1", next_op)], &[("Thing", fields(&[]))]);
        let next = successor(&migrate(&year, &services), "putThing").clone();
        assert_eq!(
            described(&next),
            ["Breaking request, answer, model `Thing`: field `a` removed"]
        );
    }

    #[test]
    fn union_variants_named_after_renamed_types_are_the_same_variants() {
        let union = |variants: &[(&str, &str)]| {
            ModelSurface::Union(
                variants
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.to_string()))
                    .collect(),
            )
        };
        let year = surface(
            &[(
                "getCampaign",
                op(
                    "GET",
                    "/campaigns/{id}",
                    "c().get_campaign()",
                    "GetCampaignResponse",
                ),
            )],
            &[
                (
                    "GetCampaignResponse",
                    union(&[("SlimCampaign", "SlimCampaign"), ("Old", "String")]),
                ),
                ("SlimCampaign", fields(&[("id", "String")])),
            ],
        );
        let services = surface(
            &[(
                "getCampaignV1",
                op(
                    "GET",
                    "/campaigns/v1/{id}",
                    "c().get_campaign_v1()",
                    "GetCampaignResponse",
                ),
            )],
            &[
                (
                    "GetCampaignResponse",
                    union(&[("Slimcampaign", "Slimcampaign"), ("New", "String")]),
                ),
                ("Slimcampaign", fields(&[("id", "String")])),
            ],
        );
        let m = migrate(&year, &services);
        let next = successor(&m, "getCampaign");
        assert_eq!(
            described(next),
            [
                "Breaking answer, model `GetCampaignResponse`: variant `New: String` added",
                "Breaking answer, model `GetCampaignResponse`: variant `Old` removed",
            ]
        );
        assert_eq!(
            next.renamed,
            [
                (
                    "GetCampaignResponse::SlimCampaign".to_string(),
                    "GetCampaignResponse::Slimcampaign".to_string()
                ),
                ("SlimCampaign".to_string(), "Slimcampaign".to_string()),
            ]
        );
    }

    #[test]
    fn models_inside_a_changed_wrapper_are_compared_too() {
        let year = surface(
            &[(
                "listItems",
                op("GET", "/items", "i().list_items()", "Vec<Item>"),
            )],
            &[("Item", fields(&[("a", "String")]))],
        );
        let services = surface(
            &[(
                "listItemsV1",
                op(
                    "GET",
                    "/items/v1",
                    "i().list_items_v1()",
                    "Option<Vec<ItemV1>>",
                ),
            )],
            &[("ItemV1", fields(&[]))],
        );
        let next = successor(&migrate(&year, &services), "listItems").clone();
        assert_eq!(
            described(&next),
            [
                "Breaking answer: answers `Option<Vec<ItemV1>>` (was `Vec<Item>`)",
                "Breaking answer, model `Item`: field `a` removed",
            ]
        );
    }
}
