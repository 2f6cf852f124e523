//! Rules: what a mock answers to one operation's calls, optionally only to matching inputs, and
//! what it was asked. `RuleBuilder` → `Rule` (one answer for every call) or `Sequence` → `Rule`
//! (answers in order, then used up).

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;
use serde::Serialize;

use super::sent::{InputError, Sent};
use crate::error::ApiError;

/// One operation as the mocks know it (generated per operation into `atlas_streams::mocks`).
/// The implementing type holds the inputs of one call, read back from the request.
pub trait MockOperation: Clone + fmt::Debug + Send + Sync + Sized + 'static {
    /// What a success returns: the type the call itself returns.
    type Output: 'static;
    /// The operation's short name, e.g. `getStreamProcessor`.
    const NAME: &'static str;
    /// The documented success status.
    const STATUS: u16;
    /// Reads the call's inputs back from the request.
    fn input(sent: &Sent<'_>) -> Result<Self, InputError>;
    /// The success body for `output`.
    fn output(output: Self::Output) -> Body;
}

/// A success body, as a mock answers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub(crate) kind: BodyKind,
    pub(crate) bytes: Bytes,
}

/// What a success body holds: it decides the `Content-Type` and whether `envelope=true` wraps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Json,
    Binary,
    Empty,
}

impl Body {
    /// A JSON body.
    ///
    /// # Panics
    ///
    /// If `value` cannot be encoded as JSON (a map with keys that are not strings): no
    /// generated type is such a value.
    pub fn json<T: Serialize>(value: &T) -> Body {
        let bytes = serde_json::to_vec(value).expect("a mock's output is encoded as JSON");
        Body {
            kind: BodyKind::Json,
            bytes: Bytes::from(bytes),
        }
    }

    /// Raw bytes (a download).
    pub fn binary(bytes: impl Into<Bytes>) -> Body {
        Body {
            kind: BodyKind::Binary,
            bytes: bytes.into(),
        }
    }

    /// No body.
    pub fn empty() -> Body {
        Body {
            kind: BodyKind::Empty,
            bytes: Bytes::new(),
        }
    }
}

/// An error answer: a status with the body Atlas sends with errors
/// (`{detail, error, errorCode, parameters, reason}`), so that the call fails with an
/// `Error::Api` whose `error_code()`, `is_not_found()`, ... say what they would for Atlas.
#[derive(Clone, Debug, PartialEq)]
pub struct MockError {
    pub(crate) status: u16,
    pub(crate) body: ApiError,
    pub(crate) retry_after: Option<u64>,
}

impl MockError {
    /// An error with this status and `errorCode`; `reason` is the status' reason phrase.
    pub fn new(status: u16, error_code: impl Into<String>) -> Self {
        let reason = http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(str::to_owned);
        MockError {
            status,
            body: ApiError {
                error: i32::from(status),
                error_code: error_code.into(),
                detail: None,
                reason,
                parameters: Some(Vec::new()),
                bad_request_detail: None,
                extra: serde_json::Map::new(),
            },
            retry_after: None,
        }
    }

    /// Sets `detail`, the explanation Atlas gives.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.body.detail = Some(detail.into());
        self
    }

    /// Sets `parameters`.
    pub fn parameters(mut self, parameters: Vec<serde_json::Value>) -> Self {
        self.body.parameters = Some(parameters);
        self
    }

    /// Sends `Retry-After: seconds` with it (Atlas does with 429 and 503).
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl From<ApiError> for MockError {
    /// The error body as given; the status is its `error`.
    fn from(body: ApiError) -> Self {
        MockError {
            status: u16::try_from(body.error).unwrap_or(500),
            body,
            retry_after: None,
        }
    }
}

/// What a rule answers one call with, before it becomes an HTTP response.
pub(crate) enum Reply {
    /// This success status with this body.
    Success(u16, Body),
    /// An error status with Atlas' error body.
    Error(MockError),
    /// This response, as it is.
    Http(http::Response<Bytes>),
}

type Make<T> = Arc<dyn Fn() -> T + Send + Sync>;

/// One answer of a rule, made anew for each call it answers.
enum Answer<O: MockOperation> {
    Output(Make<O::Output>),
    Error(Make<MockError>),
    Http(Make<http::Response<Bytes>>),
}

impl<O: MockOperation> Answer<O> {
    fn reply(&self) -> Reply {
        match self {
            Answer::Output(make) => Reply::Success(O::STATUS, O::output(make())),
            Answer::Error(make) => Reply::Error(make()),
            Answer::Http(make) => Reply::Http(make()),
        }
    }

    fn error<E: Into<MockError>>(make: impl Fn() -> E + Send + Sync + 'static) -> Self {
        Answer::Error(Arc::new(move || make().into()))
    }
}

/// One step of a rule: an answer for `times` calls (`None`: every call from then on).
struct Step<O: MockOperation> {
    answer: Answer<O>,
    times: Option<usize>,
}

type Matcher<O> = Arc<dyn Fn(&O) -> bool + Send + Sync>;

/// Starts a rule for one operation: `mock!(Client::get_stream_processor)` makes one. Narrow it
/// with [`match_requests`](Self::match_requests), then say what it answers.
pub struct RuleBuilder<O: MockOperation> {
    matcher: Option<Matcher<O>>,
}

impl<O: MockOperation> fmt::Debug for RuleBuilder<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuleBuilder")
            .field("operation", &O::NAME)
            .finish_non_exhaustive()
    }
}

impl<O: MockOperation> Default for RuleBuilder<O> {
    fn default() -> Self {
        Self::new()
    }
}

impl<O: MockOperation> RuleBuilder<O> {
    /// A rule for every call of the operation.
    pub fn new() -> Self {
        RuleBuilder { matcher: None }
    }

    /// Answers only calls whose inputs (parameters and decoded body) `matches`; other calls go
    /// to the next rule.
    pub fn match_requests(mut self, matches: impl Fn(&O) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Arc::new(matches));
        self
    }

    /// Answers every call it matches with the success status and `output()`.
    pub fn then_output(self, output: impl Fn() -> O::Output + Send + Sync + 'static) -> Rule<O> {
        self.sequence().output(output).repeatedly()
    }

    /// Answers every call it matches with an error status and Atlas' error body.
    pub fn then_error<E: Into<MockError>>(self, error: impl Fn() -> E + Send + Sync + 'static) -> Rule<O> {
        self.sequence().error(error).repeatedly()
    }

    /// Answers every call it matches with this HTTP response, as it is (a status the API does
    /// not document, a body that does not decode, headers).
    pub fn then_http_response(self, response: impl Fn() -> http::Response<Bytes> + Send + Sync + 'static) -> Rule<O> {
        self.sequence().http_response(response).repeatedly()
    }

    /// Answers in steps: each step answers one call (or [`times`](Sequence::times) calls),
    /// then the next step answers; after the last the rule is used up (and calls go to the
    /// next rule), unless it ends with [`repeatedly`](Sequence::repeatedly).
    pub fn sequence(self) -> Sequence<O> {
        Sequence {
            matcher: self.matcher,
            steps: Vec::new(),
        }
    }
}

/// The steps of a rule that answers in order (see [`RuleBuilder::sequence`]).
pub struct Sequence<O: MockOperation> {
    matcher: Option<Matcher<O>>,
    steps: Vec<Step<O>>,
}

impl<O: MockOperation> fmt::Debug for Sequence<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sequence")
            .field("operation", &O::NAME)
            .field("steps", &self.steps.len())
            .finish_non_exhaustive()
    }
}

impl<O: MockOperation> Sequence<O> {
    fn step(mut self, answer: Answer<O>) -> Self {
        self.steps.push(Step { answer, times: Some(1) });
        self
    }

    /// Next, the success status with `output()`.
    pub fn output(self, output: impl Fn() -> O::Output + Send + Sync + 'static) -> Self {
        self.step(Answer::Output(Arc::new(output)))
    }

    /// Next, an error status with Atlas' error body.
    pub fn error<E: Into<MockError>>(self, error: impl Fn() -> E + Send + Sync + 'static) -> Self {
        self.step(Answer::error(error))
    }

    /// Next, this HTTP response as it is.
    pub fn http_response(self, response: impl Fn() -> http::Response<Bytes> + Send + Sync + 'static) -> Self {
        self.step(Answer::Http(Arc::new(response)))
    }

    /// The last step answers `times` calls (at least one) instead of one.
    pub fn times(mut self, times: usize) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.times = Some(times.max(1));
        }
        self
    }

    /// The rule, whose last step answers every call from then on: it is never used up.
    pub fn repeatedly(mut self) -> Rule<O> {
        if let Some(last) = self.steps.last_mut() {
            last.times = None;
        }
        self.build()
    }

    /// The rule: used up after its last step.
    pub fn build(self) -> Rule<O> {
        Rule {
            shared: Arc::new(Shared {
                matcher: self.matcher,
                steps: self.steps,
                state: Mutex::new(State {
                    step: 0,
                    used: 0,
                    requests: Vec::new(),
                }),
            }),
        }
    }
}

/// A rule for one operation's calls, to give a mock client (`mock_client!([&rule])`) and to ask
/// afterwards what it answered. Clones share their calls.
pub struct Rule<O: MockOperation> {
    shared: Arc<Shared<O>>,
}

impl<O: MockOperation> Clone for Rule<O> {
    fn clone(&self) -> Self {
        Rule {
            shared: self.shared.clone(),
        }
    }
}

impl<O: MockOperation> fmt::Debug for Rule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &O::NAME)
            .field("num_calls", &self.num_calls())
            .field("exhausted", &self.is_exhausted())
            .finish()
    }
}

impl<O: MockOperation> Rule<O> {
    /// How many calls it answered (each attempt of a retried call counts).
    pub fn num_calls(&self) -> usize {
        self.shared.state().requests.len()
    }

    /// The inputs of every call it answered, in order: path, query and header parameters and
    /// the decoded body, as they were sent.
    pub fn requests(&self) -> Vec<O> {
        self.shared.state().requests.clone()
    }

    /// Whether it answered its last step (a rule from [`Sequence::build`]): it answers no more.
    pub fn is_exhausted(&self) -> bool {
        self.shared.state().step >= self.shared.steps.len()
    }

    /// Type-erased, for a mock client's list of rules.
    pub(crate) fn erased(&self) -> Arc<dyn AnyRule> {
        self.shared.clone()
    }
}

/// What a rule has, shared by its clones and the mock clients it was given to.
struct Shared<O: MockOperation> {
    matcher: Option<Matcher<O>>,
    steps: Vec<Step<O>>,
    state: Mutex<State<O>>,
}

/// Where a rule is in its steps, and what it was asked.
struct State<O> {
    /// The step answering next.
    step: usize,
    /// Calls the current step answered.
    used: usize,
    /// The inputs of every call answered.
    requests: Vec<O>,
}

impl<O: MockOperation> Shared<O> {
    fn state(&self) -> MutexGuard<'_, State<O>> {
        // A matcher that panicked in another test thread leaves a state still worth reading.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a rule makes of a request offered to it.
pub(crate) enum Offer {
    /// A request of another operation.
    OtherOperation,
    /// Not answered, and why (for the error when no rule answers).
    Declined(String),
    /// Answered (boxed: the other variants are small and common).
    Answered(Box<Reply>),
}

/// A rule of any operation, as a mock client holds it.
pub(crate) trait AnyRule: Send + Sync {
    /// The operation's short name.
    fn operation(&self) -> &'static str;
    /// Answers `sent` if it is this rule's to answer.
    fn offer(&self, sent: &Sent<'_>) -> Offer;
}

impl<O: MockOperation> AnyRule for Shared<O> {
    fn operation(&self) -> &'static str {
        O::NAME
    }

    fn offer(&self, sent: &Sent<'_>) -> Offer {
        if sent.operation().name != O::NAME {
            return Offer::OtherOperation;
        }
        let input = match O::input(sent) {
            Ok(input) => input,
            Err(error) => return Offer::Declined(error.to_string()),
        };
        // The matcher is the test's own code: it runs before the lock is taken, so that it may
        // ask this rule or another (`num_calls()`, `requests()`) without a deadlock.
        if let Some(matcher) = &self.matcher {
            if !matcher(&input) {
                return Offer::Declined(format!("its match_requests did not match {input:?}"));
            }
        }
        // One lock from taking a step to recording: concurrent calls take steps one at a time.
        let mut state = self.state();
        let Some(step) = self.steps.get(state.step) else {
            return Offer::Declined(format!("used up after {} calls", state.requests.len()));
        };
        state.used += 1;
        if step.times == Some(state.used) {
            state.step += 1;
            state.used = 0;
        }
        state.requests.push(input);
        drop(state);
        Offer::Answered(Box::new(step.answer.reply()))
    }
}
