//! Paginated listings, one page in memory at a time.
//!
//! A [`Paginator`] takes a template [`Request`] (a list call with its filters, sorters, ...),
//! changes the paging parameters on a clone of it for every page and sends it with
//! [`Client::execute`]. Two ways of paging exist:
//! - offset/limit ([`OffsetPagination`], [`Client::paginate`]): list operations;
//! - search-after ([`SearchAfterPagination`], [`Client::paginate_search_after`]): searches,
//!   whose offsets stop at 10,000 hits; see the `search_after` module for how the cursor works.
//!
//! Each page is decoded item by item, so one item that does not fit the model is one error,
//! not a failed list.
//!
//! Stop rules (checked after every page; the next page is requested only when none holds):
//! - a page holds fewer items than the limit asked for (an empty page included);
//! - the position of the next page reaches the total announced in the total header
//!   (`X-Total-Count`), so an offset at or past a known total is never requested (the API may
//!   answer it with 400);
//! - the configured maximum item count is reached (the last page's limit is lowered to what is
//!   still wanted, and any surplus items are dropped);
//! - a page failed (after the client's retries and the paginator's [`PageRetry`]): an
//!   [`Error::Listing`] is yielded that says where the listing stopped and how to go on
//!   ([`ListingError::resume_point`], [`Paginator::resume`]), then the stream ends;
//! - (search-after) the last item lacks a sort value: that decode error is yielded, then the
//!   stream ends.
//!
//! So a listing either yields every item once or ends with an error that says which items it did
//! not yield.

mod offset;
mod page_retry;
mod search_after;

use std::sync::Arc;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::client::Client;
use super::error::{DecodeError, EncodeError, Error};
use super::request::Request;
use super::response::Response;

pub use self::offset::OffsetPagination;
pub use self::page_retry::PageRetry;
pub use self::search_after::SearchAfterPagination;
use self::search_after::SearchCursor;
pub use crate::error::{ListingError, ResumePoint};

/// One page of a list.
#[derive(Debug)]
pub struct Page<T> {
    /// The items in order. An item that does not decode into `T` is an
    /// `Err(Error::Decode(..))` in its place: its [`path`](DecodeError::path) starts with the
    /// item's absolute index in the whole list (`[offset + i]`, e.g. `[267].name`) and its
    /// [`body`](DecodeError::body) is that item's raw JSON.
    pub items: Vec<Result<T, Error>>,
    /// Position of the page's first item in the whole listing (for offset pagination, the
    /// offset the page was requested at).
    pub offset: u64,
    /// The total from the total header, when the server sent it (on this or an earlier page).
    pub total: Option<u64>,
}

/// A lazy paginated list: nothing is sent until one of its streams is polled.
///
/// Generated list operations return one from `into_paginator()`; [`Client::paginate`] and
/// [`Client::paginate_search_after`] make one from any [`Request`].
pub struct Paginator<T> {
    /// The client and the template request, or why the request could not be prepared (shared,
    /// so that the paginator stays `Clone`; yielded as the stream's only item).
    source: Result<(Client, Request), Arc<Error>>,
    settings: Settings,
    page_retry: PageRetry,
    resume: Option<ResumePoint>,
    _items: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Paginator<T> {
    fn clone(&self) -> Self {
        Self {
            source: self.source.clone(),
            settings: self.settings.clone(),
            page_retry: self.page_retry,
            resume: self.resume.clone(),
            _items: std::marker::PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut debug = f.debug_struct("Paginator");
        match &self.source {
            Ok((_, request)) => debug.field("operation_id", &request.operation().operation_id),
            Err(error) => debug.field("error", error),
        };
        debug
            .field("settings", &self.settings)
            .field("page_retry", &self.page_retry)
            .field("resume", &self.resume)
            .finish_non_exhaustive()
    }
}

impl<T> Paginator<T> {
    /// Offset/limit pagination over a prepared request (what a builder's `into_request()`
    /// returns); an `Err` is yielded as the only item of the streams.
    pub fn offset(prepared: Result<(Client, Request), Error>, settings: OffsetPagination) -> Self {
        Self {
            source: prepared.map_err(Arc::new),
            settings: Settings::Offset(settings),
            page_retry: PageRetry::default(),
            resume: None,
            _items: std::marker::PhantomData,
        }
    }

    /// Search-after pagination over a prepared request (see [`Client::paginate_search_after`]);
    /// an `Err` is yielded as the only item of the streams.
    pub fn search_after(
        prepared: Result<(Client, Request), Error>,
        settings: SearchAfterPagination,
    ) -> Self {
        Self {
            source: prepared.map_err(Arc::new),
            settings: Settings::SearchAfter(settings),
            page_retry: PageRetry::default(),
            resume: None,
            _items: std::marker::PhantomData,
        }
    }

    /// The same listing, going on from where an earlier run of it stopped
    /// ([`ListingError::resume_point`], or a point kept from an earlier process): the first page
    /// asked for is the one at `at`, and items already yielded count against the maximum.
    pub fn resume(mut self, at: &ResumePoint) -> Self {
        self.resume = Some(at.clone());
        self
    }

    /// Asks again for a page that failed after the client's own retries (see [`PageRetry`]);
    /// the default asks once.
    pub fn page_retry(mut self, retry: PageRetry) -> Self {
        self.page_retry = retry;
        self
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
        Paginator::offset(Ok((self.clone(), template)), settings)
    }

    /// Pages through a search with search-after pagination. `template` is the search request
    /// with its JSON body (query, sort, ...); the sort is completed with the tie-breaker, and
    /// the limit (and count on the first page) and the body's cursor are replaced on a clone of
    /// it for every page. A body that cannot be paged (not a JSON object, no sort field) is
    /// yielded as an [`Error::Encode`] before anything is sent.
    pub fn paginate_search_after<T: DeserializeOwned + Send + 'static>(
        &self,
        template: Request,
        settings: SearchAfterPagination,
    ) -> Paginator<T> {
        Paginator::search_after(Ok((self.clone(), template)), settings)
    }
}

/// The error a request could not be prepared with, for one stream of a paginator: the
/// original when this is its only holder, else a copy of its message.
fn unshare(error: Arc<Error>) -> Error {
    match Arc::try_unwrap(error) {
        Ok(error) => error,
        // The message already names the operation.
        Err(shared) => Error::Encode(EncodeError::new(None, shared.to_string(), None)),
    }
}

/// How a [`Paginator`] pages.
#[derive(Debug, Clone)]
enum Settings {
    Offset(OffsetPagination),
    SearchAfter(SearchAfterPagination),
}

/// The moving part of a listing: the offset lives in [`State::position`], the search cursor
/// here.
#[derive(Debug)]
enum Mode {
    Offset(OffsetPagination),
    SearchAfter(SearchCursor),
}

/// The settings both ways of paging share; the defaults match the Identity Security Cloud API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PageSettings {
    limit_param: &'static str,
    count_param: Option<&'static str>,
    total_header: &'static str,
    page_size: u64,
    max_items: Option<u64>,
}

impl Default for PageSettings {
    fn default() -> Self {
        Self {
            limit_param: "limit",
            count_param: Some("count"),
            total_header: "X-Total-Count",
            page_size: 250,
            max_items: None,
        }
    }
}

impl Mode {
    fn page(&self) -> &PageSettings {
        match self {
            Mode::Offset(settings) => &settings.page,
            Mode::SearchAfter(cursor) => &cursor.settings.page,
        }
    }
}

struct State {
    client: Client,
    template: Request,
    mode: Mode,
    page_retry: PageRetry,
    /// Position of the next page's first item in the whole listing.
    position: u64,
    /// Items yielded so far (for the maximum).
    seen: u64,
    total: Option<u64>,
    first: bool,
    done: bool,
    /// Why the next page cannot be requested (search-after: the last item had no sort value);
    /// yielded only if another page is wanted.
    blocked: Option<Error>,
}

impl State {
    /// The state before the first page; an error when the template cannot be paged.
    fn new(
        client: Client,
        template: Request,
        settings: Settings,
        page_retry: PageRetry,
        resume: Option<ResumePoint>,
    ) -> Result<Self, Error> {
        let (mut mode, position) = match settings {
            Settings::Offset(settings) => {
                let start = settings.start_offset;
                (Mode::Offset(settings), start)
            }
            Settings::SearchAfter(settings) => (
                Mode::SearchAfter(SearchCursor::new(&template, settings)?),
                0,
            ),
        };
        let mut state = State {
            client,
            template,
            mode: Mode::Offset(OffsetPagination::default()),
            page_retry,
            position,
            seen: 0,
            total: None,
            first: true,
            done: false,
            blocked: None,
        };
        if let Some(resume) = resume {
            state.position = resume.position;
            state.seen = resume.yielded;
            state.total = resume.total;
            if let Mode::SearchAfter(cursor) = &mut mode {
                cursor.set_after(resume.search_after);
            }
        }
        state.mode = mode;
        Ok(state)
    }

    /// Where the next page starts.
    fn resume_point(&self) -> ResumePoint {
        ResumePoint {
            position: self.position,
            yielded: self.seen,
            total: self.total,
            search_after: match &self.mode {
                Mode::SearchAfter(cursor) => cursor.after().cloned(),
                Mode::Offset(_) => None,
            },
        }
    }

    /// The limit of the next page, or `None` when no further page may be requested.
    fn next_limit(&self, page: &PageSettings) -> Option<u64> {
        if self.done {
            return None;
        }
        if self.total.is_some_and(|total| self.position >= total) {
            return None;
        }
        let mut limit = page.page_size;
        if let Some(max) = page.max_items {
            let remaining = max.saturating_sub(self.seen);
            if remaining == 0 {
                return None;
            }
            limit = limit.min(remaining);
        }
        Some(limit)
    }

    fn request(&self, limit: u64) -> Result<Request, Error> {
        let page = self.mode.page();
        let mut request = self.template.clone();
        match &self.mode {
            Mode::Offset(settings) => request.set_query(settings.offset_param, &self.position),
            Mode::SearchAfter(cursor) => cursor.write_body(&mut request)?,
        }
        request.set_query(page.limit_param, &limit);
        if self.first
            && let Some(count) = page.count_param
        {
            request.set_query(count, "true");
        }
        Ok(request)
    }

    async fn next_page<T: DeserializeOwned>(&mut self) -> Option<Result<Page<T>, Error>> {
        let page = *self.mode.page();
        let limit = self.next_limit(&page)?;
        if let Some(error) = self.blocked.take() {
            self.done = true;
            return Some(Err(error));
        }
        let (response, raw) = match self.fetch(limit).await {
            Ok(fetched) => fetched,
            Err(error) => {
                self.done = true;
                return Some(Err(error));
            }
        };
        self.first = false;
        if let Some(total) = header_total(&response, page.total_header) {
            self.total = Some(total);
        }
        let position = self.position;
        let received = raw.len() as u64;
        let mut keep = raw.len();
        if let Some(max) = page.max_items {
            keep = keep.min(usize::try_from(max.saturating_sub(self.seen)).unwrap_or(usize::MAX));
        }
        let items = raw
            .iter()
            .take(keep)
            .enumerate()
            .map(|(i, item)| decode_item(&response, position + i as u64, item))
            .collect();
        self.seen += keep as u64;
        self.position += received;
        if received < limit {
            self.done = true;
        } else if let (Mode::SearchAfter(cursor), Some(last)) = (&mut self.mode, raw.last()) {
            let moved = cursor.advance(
                last.get(),
                self.position - 1,
                response.operation().operation_id,
                response.status(),
            );
            if let Err(error) = moved {
                self.blocked = Some(error);
            }
        }
        Some(Ok(Page {
            items,
            offset: position,
            total: self.total,
        }))
    }
}

impl State {
    /// Asks for the next page until it arrives as a JSON array or the page retries are spent;
    /// a request that cannot be encoded is returned as it is (asking again would not help), any
    /// other failure as an [`Error::Listing`] saying where to resume.
    async fn fetch(&self, limit: u64) -> Result<(Response, Vec<Box<RawValue>>), Error> {
        let operation_id = self.template.operation().operation_id;
        let mut attempt = 1;
        loop {
            let request = self.request(limit)?;
            let outcome = match self.client.execute(request).await {
                Ok(response) => match response.clone().json_list::<Box<RawValue>>() {
                    Ok(raw) => return Ok((response, raw)),
                    Err(error) => error,
                },
                Err(error) => error,
            };
            if attempt >= self.page_retry.attempts || !PageRetry::may_pass(&outcome) {
                return Err(Error::Listing(ListingError::new(
                    operation_id,
                    self.resume_point(),
                    attempt,
                    outcome,
                )));
            }
            tracing::debug!(
                operation_id,
                position = self.position,
                attempt,
                error = %outcome,
                "asking again for a page that failed"
            );
            // A 429's Retry-After is honoured here too: asking sooner only lengthens the ban.
            let wait = match &outcome {
                Error::Api(error) => error.retry_after().map_or(self.page_retry.delay, |after| {
                    after.max(self.page_retry.delay)
                }),
                _ => self.page_retry.delay,
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
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
    let (inner_path, inner) = match crate::response::decode_json(item.get().as_bytes()) {
        Ok(value) => return Ok(value),
        Err(failure) => failure,
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
    /// The pages, one request per page, lazily. After an `Err` the stream ends; a failed page is
    /// an [`Error::Listing`] with the point to [`resume`](Self::resume) from.
    ///
    /// The stream is `Unpin` (its state is boxed once per listing), so `.next().await` and
    /// `try_collect` work on it as it is.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>, Error>> + Send + Unpin + 'static {
        let start = match self.source {
            Ok((client, template)) => State::new(
                client,
                template,
                self.settings,
                self.page_retry,
                self.resume,
            )
            .map_err(Some),
            Err(error) => Err(Some(unshare(error))),
        };
        Box::pin(stream::unfold(start, |start| async move {
            match start {
                Ok(mut state) => {
                    let page = state.next_page::<T>().await?;
                    Some((page, Ok(state)))
                }
                Err(Some(error)) => Some((Err(error), Err(None))),
                Err(None) => None,
            }
        }))
    }

    /// The items, in order. An item that does not decode is an `Err(Error::Decode)` and the
    /// stream goes on; a page that failed is an `Err(Error::Listing)` saying where to resume,
    /// then the stream ends. `Unpin`, as [`pages`](Self::pages) is.
    pub fn items(self) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static {
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
        let mut items = self.items();
        let mut all = Vec::new();
        while let Some(item) = items.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}
