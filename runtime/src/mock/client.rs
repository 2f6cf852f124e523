//! A client answered by rules: [`MockClient`] builds an ordinary client whose transport is
//! [`Rules`], which offers each attempt to the rules in order and makes the first answer an
//! HTTP response as Atlas would send it.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};

use super::rule::{AnyRule, BodyKind, MockError, MockOperation, Offer, Reply, Rule};
use super::sent::Sent;
use crate::builder::ClientBuilder;
use crate::error::{short, Error};
use crate::pipeline::Core;
use crate::request::Operation;
use crate::transport::{Transport, TransportFuture};

/// A step of [`MockClient::configure`].
type Configure<C> = Box<dyn FnOnce(ClientBuilder<C>) -> ClientBuilder<C> + Send>;

/// How much of each rule's reason the error of an unanswered call quotes.
const REASON: usize = 200;
/// How long the message of an unanswered call may get, all rules' reasons together (an error's
/// message stays about 1 KB at most, as every other error's does).
const MESSAGE: usize = 900;

/// Builds a client (the ordinary generated `Client`) whose calls are answered by rules instead
/// of Atlas; `mock_client!([&rule, ...])` is the short form.
///
/// Each attempt is offered to the rules in the order given: the first rule of the call's
/// operation that matches its inputs and is not used up answers it. A call no rule answers
/// fails with `Error::Mock`, which names the operation and says why each rule of it declined.
/// Everything else is the real client: arguments are checked (an invalid one fails before any
/// rule is asked), bodies serialized, headers and credentials set, answers classified, retried
/// and decoded, so a rule answering 503 is asked again as Atlas would be.
pub struct MockClient<C> {
    rules: Vec<Arc<dyn AnyRule>>,
    configure: Vec<Configure<C>>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for MockClient<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockClient")
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

impl<C: From<Core>> Default for MockClient<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: From<Core>> MockClient<C> {
    /// A mock client without rules.
    pub fn new() -> Self {
        MockClient {
            rules: Vec::new(),
            configure: Vec::new(),
            client: PhantomData,
        }
    }

    /// Adds a rule, after those already added. The rule keeps counting calls and recording
    /// inputs for every clone of it.
    pub fn with_rule<O: MockOperation>(mut self, rule: &Rule<O>) -> Self {
        self.rules.push(rule.erased());
        self
    }

    /// Configures the client further, e.g. `|b| b.retry(RetryPolicy::disabled())` or a
    /// response timeout. Its transport stays the rules.
    pub fn configure(mut self, configure: impl FnOnce(ClientBuilder<C>) -> ClientBuilder<C> + Send + 'static) -> Self {
        self.configure.push(Box::new(configure));
        self
    }

    /// The client.
    ///
    /// # Panics
    ///
    /// When a [`configure`](Self::configure) step made the configuration invalid (an API
    /// version that is not a date, say): the message says what is wrong.
    pub fn build(self) -> C {
        self.try_build()
            .unwrap_or_else(|e| panic!("the mock client's configuration is invalid: {e}"))
    }

    /// The client, or why a [`configure`](Self::configure) step made the configuration invalid
    /// (`Error::Config`: e.g. a service account, whose tokens would be fetched over the network).
    pub fn try_build(self) -> Result<C, Error> {
        // A bearer token, so requests carry `Authorization` as real ones do.
        let mut builder = ClientBuilder::<C>::new().bearer_token("mock-token");
        for configure in self.configure {
            builder = configure(builder);
        }
        builder.transport(Rules { rules: self.rules }).build()
    }
}

/// The transport of a mock client: its rules, asked in order.
pub(crate) struct Rules {
    rules: Vec<Arc<dyn AnyRule>>,
}

impl fmt::Debug for Rules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.rules.iter().map(|r| r.operation()))
            .finish()
    }
}

impl Transport for Rules {
    fn send(&self, operation: &'static Operation, request: reqwest::Request) -> TransportFuture {
        let answer = self.answer(operation, &request);
        Box::pin(std::future::ready(answer))
    }
}

impl Rules {
    fn answer(
        &self,
        operation: &'static Operation,
        request: &reqwest::Request,
    ) -> Result<http::Response<Bytes>, Error> {
        let sent = Sent::new(operation, request);
        let mut declined = Vec::new();
        for (index, rule) in self.rules.iter().enumerate() {
            match rule.offer(&sent) {
                Offer::Answered(reply) => {
                    return response(request, *reply).map_err(|why| Error::Mock {
                        operation: operation.name,
                        message: format!("rule {} answered with {why}", index + 1),
                    })
                }
                Offer::Declined(why) => declined.push(format!("rule {} declined: {}", index + 1, short(&why, REASON))),
                Offer::OtherOperation => {}
            }
        }
        let message = if declined.is_empty() {
            let mut others: Vec<&str> = self.rules.iter().map(|r| r.operation()).collect();
            others.sort_unstable();
            others.dedup();
            format!(
                "no mock rule answers this call: the mock client has no rule for it (rules for: {})",
                if others.is_empty() {
                    "nothing".to_owned()
                } else {
                    others.join(", ")
                }
            )
        } else {
            format!("no mock rule answers this call ({})", declined.join("; "))
        };
        Err(Error::Mock {
            operation: operation.name,
            message: short(&message, MESSAGE).into_owned(),
        })
    }
}

/// The HTTP response Atlas would send for `reply`: a success with the operation's status and
/// media type (the version asked for in `Accept`), wrapped in `{status, content}` when the call
/// asked for `envelope=true`; an error as `application/json` with Atlas' error body. A reply
/// that is no valid answer (an error status outside 400-599, a header that is not one) is a
/// mistake in the test: it comes back as what is wrong with it, never as a server failure.
fn response(request: &reqwest::Request, reply: Reply) -> Result<http::Response<Bytes>, String> {
    let builder = http::Response::builder();
    let built = match reply {
        Reply::Http(response) => return Ok(response),
        Reply::Error(error) if !(400..=599).contains(&error.status) => {
            return Err(format!(
                "a `MockError` of status {}, which is not an error status (400 to 599)",
                error.status
            ))
        }
        Reply::Error(error) => error_response(builder, error),
        Reply::Success(status, body) => {
            let builder = builder.status(status);
            match body.kind {
                BodyKind::Empty => builder.body(body.bytes),
                kind => {
                    let media = request
                        .headers()
                        .get(ACCEPT)
                        .cloned()
                        .unwrap_or_else(|| http::HeaderValue::from_static("application/json"));
                    let bytes = if kind == BodyKind::Json && enveloped(request) {
                        envelope(status, &body.bytes)
                    } else {
                        body.bytes
                    };
                    builder.header(CONTENT_TYPE, media).body(bytes)
                }
            }
        }
    };
    built.map_err(|e| format!("an answer that cannot be sent: {e}"))
}

/// An error status with Atlas' error body, as `application/json` (errors are not versioned).
// GUESS: an error is not enveloped even for `envelope=true`, and an enveloped answer keeps its
// real status (the emulator guesses the same; no public page shows either).
fn error_response(builder: http::response::Builder, error: MockError) -> http::Result<http::Response<Bytes>> {
    let mut builder = builder.status(error.status).header(CONTENT_TYPE, "application/json");
    if let Some(seconds) = error.retry_after {
        builder = builder.header(RETRY_AFTER, seconds);
    }
    let body = serde_json::to_vec(&error.body).unwrap_or_default();
    builder.body(Bytes::from(body))
}

fn enveloped(request: &reqwest::Request) -> bool {
    request
        .url()
        .query_pairs()
        .any(|(name, value)| name == "envelope" && value == "true")
}

/// A body as Atlas sends it for `envelope=true`, after the `envelope` parameter's description:
/// "Endpoints that return a list of results use the results object as an envelope. Application
/// adds the status parameter to the response body": a page gets `status` added, any other body
/// becomes `{"status": <status>, "content": <body>}` (the shape IPA-115 describes).
fn envelope(status: u16, body: &[u8]) -> Bytes {
    let wrapped = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut page)) if page.contains_key("results") => {
            page.insert("status".to_owned(), status.into());
            serde_json::Value::Object(page)
        }
        Ok(content) => serde_json::json!({"status": status, "content": content}),
        Err(_) => return Bytes::copy_from_slice(body),
    };
    Bytes::from(serde_json::to_vec(&wrapped).unwrap_or_default())
}
