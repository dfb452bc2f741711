//! Where a listing stopped, and how to go on from there: an [`Error`] variant, so it lives
//! beside the error it wraps (the two types hold each other).

use std::fmt;

use serde_json::Value;

use super::Error;

/// The point a listing can go on from: the position of the next page's first item, and for a
/// search its `searchAfter` cursor. Serialisable, so that a job can keep it and resume in a
/// later run with [`Paginator::resume`](crate::Paginator::resume).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ResumePoint {
    /// Position of the next page's first item in the whole listing (the offset to ask for, for
    /// offset pagination).
    pub position: u64,
    /// Items yielded before this point (counted against the paginator's maximum).
    pub yielded: u64,
    /// The total from the total header, when one was seen.
    pub total: Option<u64>,
    /// The sort values the next page starts after (search-after pagination; `None` at the
    /// start of the listing and for offset pagination).
    pub search_after: Option<Vec<Value>>,
}

/// A page failed, after the client's retries and the paginator's own
/// ([`PageRetry`](crate::PageRetry)): the listing stopped there. Every item before
/// [`resume_point`](Self::resume_point) was yielded, none after it; resume with
/// [`Paginator::resume`](crate::Paginator::resume).
#[derive(Debug)]
pub struct ListingError {
    operation_id: &'static str,
    resume: ResumePoint,
    /// How many times the page was asked for.
    attempts: u32,
    source: Box<Error>,
}

impl ListingError {
    pub(crate) fn new(
        operation_id: &'static str,
        resume: ResumePoint,
        attempts: u32,
        source: Error,
    ) -> Self {
        Self {
            operation_id,
            resume,
            attempts,
            source: Box::new(source),
        }
    }

    /// The list operation.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// Where the listing can go on from.
    pub fn resume_point(&self) -> &ResumePoint {
        &self.resume
    }

    /// How many times the failed page was asked for (the paginator's attempts; each of them
    /// made the client's retries too).
    pub fn page_attempts(&self) -> u32 {
        self.attempts
    }

    /// The failure of the last attempt.
    pub fn error(&self) -> &Error {
        &self.source
    }

    /// The failure of the last attempt, owned.
    pub fn into_error(self) -> Error {
        *self.source
    }
}

impl fmt::Display for ListingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the listing stopped at item {} ({} yielded",
            self.operation_id, self.resume.position, self.resume.yielded
        )?;
        if let Some(total) = self.resume.total {
            write!(f, " of {total}")?;
        }
        write!(
            f,
            "), the page failed {} time(s); resume from there: {}",
            self.attempts, self.source
        )
    }
}

impl std::error::Error for ListingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}
