//! Offset/limit pagination over list operations, one page in memory at a time.
//!
//! A [`Paginator`] takes a template [`Request`] (a list call with its filters, sorters, ...),
//! sets the offset and limit query parameters on a clone of it for every page and sends it with
//! [`Client::execute`]. Each page is decoded item by item, so one item that does not fit the
//! model is one error, not a failed list.
//!
//! Stop rules (checked after every page; the next page is requested only when none holds):
//! - a page holds fewer items than the limit asked for (an empty page included);
//! - the next offset reaches the total announced in the total header (`X-Total-Count`), so an
//!   offset at or past a known total is never requested (the API may answer it with 400);
//! - the configured maximum item count is reached (the last page's limit is lowered to what is
//!   still wanted, and any surplus items are dropped);
//! - `execute` failed or the page is not a JSON array: that error is yielded, then the stream
//!   ends.

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::client::Client;
use super::error::{DecodeError, Error};
use super::request::Request;
use super::response::Response;

/// Settings of offset/limit pagination. The defaults match the Identity Security Cloud API:
/// `offset`, `limit`, `count=true` on the first page, total in `X-Total-Count`, 250 per page,
/// starting at 0, no maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetPagination {
    offset_param: &'static str,
    limit_param: &'static str,
    count_param: Option<&'static str>,
    total_header: &'static str,
    page_size: u64,
    start_offset: u64,
    max_items: Option<u64>,
}

impl Default for OffsetPagination {
    fn default() -> Self {
        Self {
            offset_param: "offset",
            limit_param: "limit",
            count_param: Some("count"),
            total_header: "X-Total-Count",
            page_size: 250,
            start_offset: 0,
            max_items: None,
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
        self.limit_param = name;
        self
    }

    /// Name of the query parameter sent as `<name>=true` on the first page to ask for the total
    /// (default `Some("count")`); `None` never asks.
    pub fn count_param(mut self, name: Option<&'static str>) -> Self {
        self.count_param = name;
        self
    }

    /// Response header holding the total number of items (default `X-Total-Count`). It is read
    /// on every page when present, whether or not a count parameter is configured.
    pub fn total_header(mut self, name: &'static str) -> Self {
        self.total_header = name;
        self
    }

    /// Items asked for per page (default 250, the API's maximum); 0 counts as 1.
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// Offset of the first page (default 0).
    pub fn start_offset(mut self, offset: u64) -> Self {
        self.start_offset = offset;
        self
    }

    /// Stops after this many items (decode failures count as items); `None` = all.
    pub fn max_items(mut self, max: Option<u64>) -> Self {
        self.max_items = max;
        self
    }
}

/// One page of a list.
#[derive(Debug)]
pub struct Page<T> {
    /// The items in order. An item that does not decode into `T` is an
    /// `Err(Error::Decode(..))` in its place: its [`path`](DecodeError::path) starts with the
    /// item's absolute index in the whole list (`[offset + i]`, e.g. `[267].name`) and its
    /// [`body`](DecodeError::body) is that item's raw JSON.
    pub items: Vec<Result<T, Error>>,
    /// The offset this page was requested at.
    pub offset: u64,
    /// The total from the total header, when the server sent it (on this or an earlier page).
    pub total: Option<u64>,
}

/// A lazy paginated list: nothing is sent until one of its streams is polled.
pub struct Paginator<T> {
    client: Client,
    template: Request,
    settings: OffsetPagination,
    _items: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Paginator<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            template: self.template.clone(),
            settings: self.settings.clone(),
            _items: std::marker::PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("operation_id", &self.template.operation().operation_id)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Pages through a list operation with offset/limit pagination. `template` is the list
    /// request (filters, sorters, ...); offset, limit (and count on the first page) are replaced
    /// on a clone of it for every page.
    pub fn paginate<T: DeserializeOwned + Send + 'static>(
        &self,
        template: Request,
        settings: OffsetPagination,
    ) -> Paginator<T> {
        Paginator {
            client: self.clone(),
            template,
            settings,
            _items: std::marker::PhantomData,
        }
    }
}

struct State {
    client: Client,
    template: Request,
    settings: OffsetPagination,
    offset: u64,
    seen: u64,
    total: Option<u64>,
    first: bool,
    done: bool,
}

impl State {
    /// The limit of the next page, or `None` when no further page may be requested.
    fn next_limit(&self) -> Option<u64> {
        if self.done {
            return None;
        }
        if self.total.is_some_and(|total| self.offset >= total) {
            return None;
        }
        let mut limit = self.settings.page_size;
        if let Some(max) = self.settings.max_items {
            let remaining = max.saturating_sub(self.seen);
            if remaining == 0 {
                return None;
            }
            limit = limit.min(remaining);
        }
        Some(limit)
    }

    fn request(&self, limit: u64) -> Request {
        let mut request = self.template.clone();
        request.set_query(self.settings.offset_param, &self.offset);
        request.set_query(self.settings.limit_param, &limit);
        if self.first
            && let Some(count) = self.settings.count_param
        {
            request.set_query(count, "true");
        }
        request
    }

    async fn next_page<T: DeserializeOwned>(&mut self) -> Option<Result<Page<T>, Error>> {
        let limit = self.next_limit()?;
        let request = self.request(limit);
        self.first = false;
        let response = match self.client.execute(request).await {
            Ok(response) => response,
            Err(error) => {
                self.done = true;
                return Some(Err(error));
            }
        };
        if let Some(total) = header_total(&response, self.settings.total_header) {
            self.total = Some(total);
        }
        let raw = match response.clone().json::<Vec<Box<RawValue>>>() {
            Ok(raw) => raw,
            Err(error) => {
                self.done = true;
                return Some(Err(error));
            }
        };
        let offset = self.offset;
        let received = raw.len() as u64;
        let mut keep = raw.len();
        if let Some(max) = self.settings.max_items {
            keep = keep.min(usize::try_from(max.saturating_sub(self.seen)).unwrap_or(usize::MAX));
        }
        let items = raw
            .iter()
            .take(keep)
            .enumerate()
            .map(|(i, item)| decode_item(&response, offset + i as u64, item))
            .collect();
        self.seen += keep as u64;
        self.offset += received;
        if received < limit {
            self.done = true;
        }
        Some(Ok(Page {
            items,
            offset,
            total: self.total,
        }))
    }
}

fn header_total(response: &Response, name: &str) -> Option<u64> {
    response
        .headers()
        .get(name)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn decode_item<T: DeserializeOwned>(
    response: &Response,
    index: u64,
    item: &RawValue,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(item.get());
    let (inner_path, inner) = match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => return Ok(value),
        Err(err) => (err.path().to_string(), err.into_inner()),
    };
    let path = if inner_path == "." {
        format!("[{index}]")
    } else if inner_path.starts_with('[') {
        format!("[{index}]{inner_path}")
    } else {
        format!("[{index}].{inner_path}")
    };
    Err(Error::Decode(DecodeError::new(
        response.operation().operation_id,
        response.status(),
        path,
        inner.to_string(),
        Bytes::copy_from_slice(item.get().as_bytes()),
        Some(Box::new(inner)),
    )))
}

impl<T: DeserializeOwned + Send + 'static> Paginator<T> {
    /// The pages, one request per page, lazily. After an `Err` the stream ends.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static {
        let state = State {
            client: self.client,
            template: self.template,
            offset: self.settings.start_offset,
            settings: self.settings,
            seen: 0,
            total: None,
            first: true,
            done: false,
        };
        stream::unfold(state, |mut state| async move {
            let page = state.next_page::<T>().await?;
            Some((page, state))
        })
    }

    /// The items, in order. An item that does not decode is an `Err(Error::Decode)` and the
    /// stream goes on; a failed request or a page that is not a JSON array is an `Err`, then the
    /// stream ends.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        self.pages()
            .map(|page| {
                let items = match page {
                    Ok(page) => page.items,
                    Err(error) => vec![Err(error)],
                };
                stream::iter(items)
            })
            .flatten()
    }

    /// All items; fails on the first error (request or item).
    pub async fn collect_all(self) -> Result<Vec<T>, Error> {
        let mut items = std::pin::pin!(self.items());
        let mut all = Vec::new();
        while let Some(item) = items.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}
