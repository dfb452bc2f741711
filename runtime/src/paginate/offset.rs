//! Settings of offset/limit pagination.

use super::PageSettings;

/// Settings of offset/limit pagination. The defaults match the Identity Security Cloud API:
/// `offset`, `limit`, `count=true` on the first page, total in `X-Total-Count`, 250 per page,
/// starting at 0, no maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetPagination {
    pub(super) offset_param: &'static str,
    pub(super) start_offset: u64,
    pub(super) page: PageSettings,
}

impl Default for OffsetPagination {
    fn default() -> Self {
        Self {
            offset_param: "offset",
            start_offset: 0,
            page: PageSettings::default(),
        }
    }
}

impl OffsetPagination {
    /// The defaults (see the type's documentation).
    pub fn new() -> Self {
        Self::default()
    }

    /// Name of the offset query parameter (default `offset`).
    pub fn offset_param(mut self, name: &'static str) -> Self {
        self.offset_param = name;
        self
    }

    /// Name of the limit query parameter (default `limit`).
    pub fn limit_param(mut self, name: &'static str) -> Self {
        self.page.limit_param = name;
        self
    }

    /// Name of the query parameter sent as `<name>=true` on the first page to ask for the total
    /// (default `Some("count")`); `None` never asks.
    pub fn count_param(mut self, name: Option<&'static str>) -> Self {
        self.page.count_param = name;
        self
    }

    /// Response header holding the total number of items (default `X-Total-Count`). It is read
    /// on every page when present, whether or not a count parameter is configured.
    pub fn total_header(mut self, name: &'static str) -> Self {
        self.page.total_header = name;
        self
    }

    /// Items asked for per page (default 250, the API's maximum); 0 counts as 1.
    pub fn page_size(mut self, size: u64) -> Self {
        self.page.page_size = size.max(1);
        self
    }

    /// Offset of the first page (default 0).
    pub fn start_offset(mut self, offset: u64) -> Self {
        self.start_offset = offset;
        self
    }

    /// Stops after this many items (decode failures count as items); `None` = all.
    pub fn max_items(mut self, max: Option<u64>) -> Self {
        self.page.max_items = max;
        self
    }
}
