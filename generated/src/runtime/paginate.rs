//! Walking every page of a paginated list as one stream of items.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

use futures_util::{stream, Stream};

use super::error::Error;

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
