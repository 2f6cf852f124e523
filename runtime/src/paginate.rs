//! Walking every page of a paginated list as one stream of items.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::{stream, Stream};

use crate::call::BoxFuture;
use crate::error::Error;

/// A stream of items, fetched page by page as it is read.
pub type ItemStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// One page of a list.
#[derive(Debug)]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The total number of items, if the API said.
    pub total: Option<i64>,
}

struct State<B, T> {
    builder: B,
    next_page: i64,
    buffered: VecDeque<T>,
    seen: i64,
    done: bool,
}

/// Streams the items of every page, starting at page `first`, by calling `fetch(builder,
/// page)` whenever the items fetched so far are used up. Stops after the page that reaches the
/// total count, at an empty page, or at the first error.
pub fn paginate<B, T, F, Fut>(builder: B, first: i64, fetch: F) -> ItemStream<T>
where
    B: Clone + Send + 'static,
    T: Send + 'static,
    F: Fn(B, i64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let state = State {
        builder,
        next_page: first.max(1),
        buffered: VecDeque::new(),
        seen: 0,
        done: false,
    };
    Box::pin(stream::try_unfold((state, fetch), |(mut state, fetch)| async move {
        loop {
            if let Some(item) = state.buffered.pop_front() {
                return Ok(Some((item, (state, fetch))));
            }
            if state.done {
                return Ok(None);
            }
            let page = fetch(state.builder.clone(), state.next_page).await?;
            state.next_page += 1;
            state.seen += page.items.len() as i64;
            state.done = page.items.is_empty() || page.total.is_some_and(|total| state.seen >= total);
            state.buffered.extend(page.items);
        }
    }))
}

/// A generated list operation's request builder, whose pages [`paged_items`] walks.
///
/// Each builder says only how to ask for a page and where a page's items are; the stream
/// itself is this one generic function. (A `paginate` call with an `async` closure in each
/// builder made the compiler check a state machine per list operation.)
pub trait Paged: Clone + Send + 'static {
    /// The decoded response of one page.
    type Page: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;

    /// The builder asking for page `page` (1-based).
    fn page(self, page: i64) -> Self;

    /// Sends the request for one page.
    fn send_page(self) -> BoxFuture<Self::Page>;

    /// A page's items and, if the API said, the total number of items.
    fn items_of(page: Self::Page) -> Page<Self::Item>;
}

/// Every item of every page of `builder`'s list, starting at page `first`, fetched one page
/// at a time as the stream is read (see [`paginate`]).
pub fn paged_items<B: Paged>(builder: B, first: i64) -> ItemStream<B::Item> {
    paginate(builder, first, |builder: B, page| {
        let sent = builder.page(page).send_page();
        async move { sent.await.map(B::items_of) }
    })
}
