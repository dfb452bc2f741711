//! Pagination detection: which list operations page, by offset/limit in the query or by
//! search-after in the JSON body, as the configuration describes the two schemes. Apart because
//! it reads the finished parameters, body and responses of an operation rather than the spec.

use crate::config::{OffsetPaginationConfig, SearchAfterConfig};
use crate::types::TypeRef;

use super::build::OperationBuilder;
use super::{
    Body, BodyKind, Pagination, PaginationKind, Param, ParamLocation, ResponseBody, SuccessResponse,
};

impl OperationBuilder<'_> {
    /// How the operation pages, if it does: search-after when its JSON body has the configured
    /// sort and cursor properties, offset/limit when it has no body and takes both query
    /// parameters; in both cases it must take an integer limit and answer one JSON array.
    pub(super) fn pagination(
        &self,
        params: &[Param],
        body: Option<&Body>,
        responses: &[SuccessResponse],
    ) -> Option<Pagination> {
        let item = match responses {
            [
                SuccessResponse {
                    body:
                        ResponseBody::Json {
                            ty: TypeRef::Vec(item),
                            ..
                        },
                    ..
                },
            ] => (**item).clone(),
            _ => return None,
        };
        let query = |name: &str| {
            params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.name == name)
        };
        let integer = |p: &&Param| matches!(p.ty, TypeRef::I32 | TypeRef::I64);
        let declared =
            |name: &Option<String>| name.as_ref().filter(|n| query(n).is_some()).cloned();
        match body {
            None => {
                let config: &OffsetPaginationConfig = self.config.pagination.as_ref()?;
                let offset = query(&config.offset_param).filter(integer)?;
                let limit = query(&config.limit_param).filter(integer)?;
                Some(Pagination {
                    kind: PaginationKind::Offset {
                        offset_name: offset.name.clone(),
                        offset_param: offset.rust_name.clone(),
                    },
                    limit_name: limit.name.clone(),
                    limit_param: limit.rust_name.clone(),
                    count_param: declared(&config.count_param),
                    total_header: config.total_header.clone(),
                    page_size: config.page_size,
                    item,
                })
            }
            Some(Body {
                kind: BodyKind::Json { ty, .. },
                ..
            }) => {
                let config: &SearchAfterConfig = self.config.search_after.as_ref()?;
                let fields = [config.sort_field.as_str(), config.after_field.as_str()];
                if !self.types.has_properties(ty, &fields) {
                    return None;
                }
                let limit = query(&config.limit_param).filter(integer)?;
                let offset = self
                    .config
                    .pagination
                    .as_ref()
                    .and_then(|offset| query(&offset.offset_param))
                    .map(|p| p.rust_name.clone());
                Some(Pagination {
                    kind: PaginationKind::SearchAfter {
                        sort_field: config.sort_field.clone(),
                        after_field: config.after_field.clone(),
                        tiebreaker: config.tiebreaker.clone(),
                        unused_offset_param: offset,
                    },
                    limit_name: limit.name.clone(),
                    limit_param: limit.rust_name.clone(),
                    count_param: declared(&config.count_param),
                    total_header: config.total_header.clone(),
                    page_size: config.page_size,
                    item,
                })
            }
            Some(_) => None,
        }
    }
}
