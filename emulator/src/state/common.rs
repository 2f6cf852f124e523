//! What every state rule uses: the call it answers, the outcome it returns, the delays and
//! timed states of slow transitions, and the errors and links it builds. Below the rules (and
//! the dispatcher in `state/mod.rs`), so that no rule reads them from the module that calls it.

use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::clock::later;
use crate::error::ApiError;
use crate::spec::params::Params;

/// How long each asynchronous transition takes (all zero by default: every change is visible
/// at once).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delays {
    /// A new processor is `CREATING` this long before it is `CREATED`.
    pub processor_create: Duration,
    /// A started processor keeps its previous state this long before it is `STARTED`.
    pub processor_start: Duration,
    /// A stopped processor stays `STARTED` this long before it is `STOPPED`.
    pub processor_stop: Duration,
    /// A new or changed connection is `PENDING` this long before it is `READY`.
    pub connection_ready: Duration,
    /// A new Private Link connection is `WORKING` this long before it is `DONE`.
    pub private_link_ready: Duration,
    /// A deleted Private Link connection is `DELETING` this long before it is gone.
    pub private_link_delete: Duration,
    /// An accepted, rejected or deleted VPC peering connection takes this long to settle.
    pub vpc_peering: Duration,
}

impl Delays {
    /// The same delay for every transition.
    pub fn all(delay: Duration) -> Delays {
        Delays {
            processor_create: delay,
            processor_start: delay,
            processor_stop: delay,
            connection_ready: delay,
            private_link_ready: delay,
            private_link_delete: delay,
            vpc_peering: delay,
        }
    }
}

/// A state with at most one pending change.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timed<S: Copy> {
    now: S,
    then: Option<(S, Instant)>,
}

impl<S: Copy + PartialEq> Timed<S> {
    /// Settled in `state`.
    pub fn at(state: S) -> Timed<S> {
        Timed { now: state, then: None }
    }

    /// In `first`, moving to `target` after `delay` (at once when it is zero).
    pub fn moving(first: S, target: S, delay: Duration) -> Timed<S> {
        let mut timed = Timed::at(first);
        timed.go(None, target, delay);
        timed
    }

    /// The state now, applying a pending change whose time has come.
    pub fn current(&mut self) -> S {
        if let Some((next, at)) = self.then {
            if Instant::now() >= at {
                self.now = next;
                self.then = None;
            }
        }
        self.now
    }

    /// Moves to `target` after `delay`, showing `meanwhile` until then (or the current state).
    pub fn go(&mut self, meanwhile: Option<S>, target: S, delay: Duration) {
        if delay.is_zero() {
            self.now = target;
            self.then = None;
        } else {
            if let Some(m) = meanwhile {
                self.now = m;
            }
            self.then = Some((target, later(delay)));
        }
    }

    /// Jumps to `state` at once, dropping a pending change.
    pub fn set(&mut self, state: S) {
        self.now = state;
        self.then = None;
    }

    /// The state a pending change will land in.
    pub fn pending(&self) -> Option<S> {
        self.then.map(|(s, _)| s)
    }
}

/// What an operation answers, before the plumbing shapes and serializes it.
#[derive(Debug)]
pub enum Outcome {
    /// A JSON value of the operation's response type (shaped afterwards).
    Json(Value),
    /// Every item of a paginated list (paged, counted and shaped afterwards).
    List(Vec<Value>),
    /// No body of note (`{}` or nothing, as the operation's status dictates).
    Empty,
    /// A gzip file.
    Gzip {
        /// The file name offered in `Content-Disposition`.
        file_name: String,
        /// The compressed bytes.
        bytes: Vec<u8>,
    },
}

/// One checked request, as the state rules see it.
pub struct Call<'a> {
    /// The operation's short name.
    pub op: &'a str,
    /// Path and query parameters.
    pub params: &'a Params,
    /// The validated body, if one was sent.
    pub body: Option<Value>,
    /// The emulator's base URL, for `links`.
    pub base_url: &'a str,
}

impl Call<'_> {
    pub(crate) fn group(&self) -> &str {
        self.params.path("groupId")
    }

    /// The body as an object (validated already; an operation without one sees `{}`).
    pub(crate) fn object(&self) -> Map<String, Value> {
        match &self.body {
            Some(Value::Object(o)) => o.clone(),
            _ => Map::new(),
        }
    }
}

/// A `links` array with one `self` link to `path` (segments percent-encoded), pointing at the
/// emulator so a client can follow it.
// GUESS: only a resource's top level has `links`; the docs' response examples show them on
// every nested object too, but they are generated from the schema, not from real answers.
pub(crate) fn self_link(base_url: &str, segments: &[&str]) -> Value {
    let mut href = format!("{base_url}/api/atlas/v2");
    for segment in segments {
        href.push('/');
        href.extend(percent_encoding::utf8_percent_encode(segment, SEGMENT));
    }
    serde_json::json!([{ "href": href, "rel": "self" }])
}

/// What a path segment of a `links` href escapes: everything but RFC 3986 unreserved
/// characters and the `:` of custom methods.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

/// The item of `items` whose key (`key_of`) is `key`, or the 404 of its `kind`.
pub(crate) fn find_mut<'a, T>(
    items: &'a mut [T],
    key: &str,
    key_of: impl Fn(&T) -> &str,
    code: &'static str,
    kind: &str,
) -> Result<&'a mut T, ApiError> {
    items
        .iter_mut()
        .find(|item| key_of(item) == key)
        .ok_or_else(|| not_found(code, kind, key))
}

/// A 404 for a resource of `kind` named `name`.
pub(crate) fn not_found(code: &'static str, kind: &str, name: &str) -> ApiError {
    ApiError::new(404, code, format!("{kind} {name} does not exist.")).with_parameters([name])
}

/// A 400 for a rule the spec's types cannot express.
pub(crate) fn invalid(code: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError::new(400, code, detail)
}

/// A 409 for a call the resource's current state does not allow.
pub(crate) fn conflict(code: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError::new(409, code, detail)
}

/// A 400 for a required attribute the spec's types leave optional.
pub(crate) fn missing(field: &str) -> ApiError {
    invalid(
        crate::codes::MISSING_ATTRIBUTE,
        format!("The required attribute {field} was not specified."),
    )
    .with_parameters([field])
}
