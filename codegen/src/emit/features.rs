//! Which cargo features compile which part of a version module, when groups of operations (tags)
//! can be compiled alone ([`TagFeaturesConfig`]).
//!
//! A group's module is in with the version feature, or with the version's "selected" feature and
//! the group's feature. A file of models is in when any group that uses it, directly or through
//! other models, is in; a file no operation uses only with the version feature. Reachability is
//! computed per file (a file holds a component and the models made from its inline schemas), so
//! that every model a compiled file names is compiled too.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::{GeneratorConfig, TagFeaturesConfig};
use crate::operations::{Api, BodyKind, Operation, ResponseBody};
use crate::types::{TypeRef, TypeSpace};

/// The `#[cfg]` of each group module and each model file of one version.
pub(crate) struct Gates {
    version: String,
    config: Option<TagFeaturesConfig>,
    /// Group module -> its feature.
    tag_features: BTreeMap<String, String>,
    /// Model file -> the group modules that use it.
    file_tags: BTreeMap<String, BTreeSet<String>>,
}

impl Gates {
    pub(crate) fn new(config: &GeneratorConfig, api: &Api, types: &TypeSpace) -> Gates {
        let mut gates = Gates {
            version: config.feature.clone(),
            config: config.tag_features.clone(),
            tag_features: BTreeMap::new(),
            file_tags: BTreeMap::new(),
        };
        let Some(tag_config) = &config.tag_features else {
            return gates;
        };
        let files = types.model_files();
        let references = super::models::file_references(types);
        for tag in &api.tags {
            gates
                .tag_features
                .insert(tag.module.clone(), tag_config.tag_feature(&tag.module));
            let mut stack: Vec<&str> = Vec::new();
            for index in tag.all_operations() {
                if let Some(op) = api.operations.get(index) {
                    for name in operation_types(op)
                        .into_iter()
                        .flat_map(TypeRef::named_models)
                    {
                        stack.extend(files.get(name.as_str()).copied());
                    }
                }
            }
            let mut seen = BTreeSet::new();
            while let Some(file) = stack.pop() {
                if !seen.insert(file) {
                    continue;
                }
                gates
                    .file_tags
                    .entry(file.to_string())
                    .or_default()
                    .insert(tag.module.clone());
                stack.extend(references.get(file).into_iter().flatten().copied());
            }
        }
        gates
    }

    /// The features this version's code tests besides its own (see [`crate::VersionFeatures`]).
    pub(crate) fn features(&self) -> crate::VersionFeatures {
        crate::VersionFeatures {
            selected: self
                .config
                .as_ref()
                .map(|config| config.selected_feature(&self.version)),
            tags: self.tag_features.values().cloned().collect(),
        }
    }

    /// `#[cfg(...)]` of a group's module and accessor; nothing when groups are not compiled alone.
    pub(crate) fn tag_cfg(&self, module: &str) -> TokenStream {
        self.cfg_for(self.tag_features.get(module).into_iter())
    }

    /// `#[cfg(...)]` of what only the whole version compiles (the event triggers).
    pub(crate) fn whole_version_cfg(&self) -> TokenStream {
        self.cfg_for(std::iter::empty())
    }

    /// `#[cfg(...)]` of a file of models.
    pub(crate) fn file_cfg(&self, file: &str) -> TokenStream {
        let tags = self.file_tags.get(file).into_iter().flatten();
        self.cfg_for(tags.filter_map(|tag| self.tag_features.get(tag)))
    }

    fn cfg_for<'a>(&self, features: impl Iterator<Item = &'a String>) -> TokenStream {
        let Some(config) = &self.config else {
            return TokenStream::new();
        };
        let version = &self.version;
        let features: Vec<&String> = features.collect();
        let selected = config.selected_feature(version);
        match features.as_slice() {
            [] => quote!(#[cfg(feature = #version)]),
            [one] => {
                quote!(#[cfg(any(feature = #version, all(feature = #selected, feature = #one)))])
            }
            many => quote!(
                #[cfg(any(feature = #version, all(feature = #selected, any(#(feature = #many),*))))]
            ),
        }
    }
}

/// Every type an operation's builder, request or response names.
fn operation_types(op: &Operation) -> Vec<&TypeRef> {
    let mut types: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    match op.body.as_ref().map(|body| &body.kind) {
        Some(BodyKind::Json { ty, .. }) => types.push(ty),
        Some(BodyKind::Multipart { fields }) => types.extend(fields.iter().map(|f| &f.ty)),
        Some(BodyKind::Text { .. } | BodyKind::Binary { .. }) | None => {}
    }
    for response in &op.responses {
        if let ResponseBody::Json { ty, .. } = &response.body {
            types.push(ty);
        }
    }
    types.extend(op.pagination.as_ref().map(|p| &p.item));
    types
}
