//! The hand-written state rules: what each operation does to the emulated project.
//!
//! The spec-driven plumbing (`crate::spec`, `crate::http`) has already routed the request,
//! checked its parameters and body against the spec, and will shape the answer to the
//! operation's response type; this module only decides *what happens*: which resources exist,
//! which transitions are allowed, what the server fills in. Each rule names its source: a
//! MongoDB docs page, the spec's own descriptions, or a `// GUESS:` where nothing public says.
//!
//! Transitions that take time in Atlas (a processor starting, a Private Link becoming ready)
//! are [`Timed`]: a value with an optional pending change and the instant it lands. Nothing runs
//! in the background; a state is settled whenever it is read, so a paused test sees exactly
//! the configured delays.

mod account;
mod connections;
mod failover;
mod ids;
mod logs;
mod peering;
mod pipelines;
mod private_link;
mod processors;
mod workspaces;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::spec::params::Params;

pub use peering::PeeringSeed;

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

/// The instant `delay` from now; a delay too long for the clock (e.g. `--delay-ms` of
/// `u64::MAX`) is read as "a year", which no test outlives.
pub(crate) fn later(delay: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(delay)
        .or_else(|| now.checked_add(Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(now)
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

/// One project's resources.
#[derive(Debug, Default)]
pub(crate) struct Group {
    pub workspaces: Vec<workspaces::Workspace>,
    pub private_links: Vec<private_link::PrivateLink>,
    pub peerings: Vec<peering::Peering>,
}

/// Every project the emulator has seen. A project exists as soon as a request names it: Atlas
/// projects are outside the Streams API, so any well-formed group id is a project.
// GUESS: Atlas answers 404 for a project the caller cannot see; the emulator has no project
// registry to check against.
#[derive(Debug, Default)]
pub struct World {
    groups: HashMap<String, Group>,
    delays: Delays,
}

impl World {
    /// An empty world with these transition delays.
    pub fn new(delays: Delays) -> World {
        World {
            groups: HashMap::new(),
            delays,
        }
    }

    /// Sets new transition delays and returns the old ones.
    pub fn replace_delays(&mut self, delays: Delays) -> Delays {
        std::mem::replace(&mut self.delays, delays)
    }

    pub(crate) fn group(&mut self, id: &str) -> &mut Group {
        self.groups.entry(id.to_owned()).or_default()
    }

    /// Runs one operation.
    pub fn dispatch(&mut self, call: &Call<'_>) -> Result<Outcome, ApiError> {
        let delays = self.delays;
        let group = self.group(call.group());
        match call.op {
            "listStreamWorkspaces" => workspaces::list(group, call),
            "createStreamWorkspace" => workspaces::create(group, call, false),
            "withStreamSampleConnections" => workspaces::create(group, call, true),
            "getStreamWorkspace" => workspaces::get(group, call),
            "updateStreamWorkspace" => workspaces::update(group, call, &delays),
            "deleteStreamWorkspace" => workspaces::delete(group, call),
            "downloadAuditLogs" => logs::download(group, call, logs::Kind::Audit),
            "downloadOperationalLogs" => logs::download(group, call, logs::Kind::Operational),
            "listStreamConnections" => connections::list(group, call),
            "createStreamConnection" => connections::create(group, call, &delays),
            "getStreamConnection" => connections::get(group, call),
            "updateStreamConnection" => connections::update(group, call, &delays),
            "deleteStreamConnection" => connections::delete(group, call),
            "listFailoverConnections" => failover::list(group, call),
            "createFailoverConnection" => failover::create(group, call, &delays),
            "getStreamFailoverConnection" => failover::get(group, call),
            "updateStreamFailoverConnection" => failover::update(group, call, &delays),
            "deleteStreamFailoverConnection" => failover::delete(group, call),
            "createStreamProcessor" => processors::create(group, call, &delays),
            "getStreamProcessor" => processors::get(group, call),
            "getStreamProcessors" => processors::list(group, call),
            "updateStreamProcessor" => processors::update(group, call),
            "deleteStreamProcessor" => processors::delete(group, call),
            "startStreamProcessor" => processors::start(group, call, &delays, false),
            "startStreamProcessorWith" => processors::start(group, call, &delays, true),
            "stopStreamProcessor" => processors::stop(group, call, &delays),
            "getAccountDetails" => account::details(call),
            "listPrivateLinkConnections" => private_link::list(group, call),
            "createPrivateLinkConnection" => private_link::create(group, call, &delays),
            "getPrivateLinkConnection" => private_link::get(group, call),
            "updatePrivateLinkConnection" => private_link::update(group, call),
            "deletePrivateLinkConnection" => private_link::delete(group, call, &delays),
            "listVpcPeeringConnections" => peering::list(group, call, false),
            "listActivePeeringConnections" => peering::list(group, call, true),
            "acceptVpcPeeringConnection" => peering::decide(group, call, &delays, true),
            "rejectVpcPeeringConnection" => peering::decide(group, call, &delays, false),
            "deleteVpcPeeringConnection" => peering::delete(group, call, &delays),
            other => Err(ApiError::new(
                501,
                crate::codes::UNEXPECTED_ERROR,
                format!("The emulator has no state rules for operation {other}."),
            )),
        }
    }

    /// Moves a processor to `FAILED` at once, as if its pipeline had failed.
    pub fn fail_processor(
        &mut self,
        group: &str,
        workspace: &str,
        name: &str,
        message: &str,
    ) -> Result<(), crate::Error> {
        processors::fail(self.group(group), workspace, name, message)
    }

    /// Moves a Private Link connection to `FAILED` at once, with this `errorMessage`.
    pub fn fail_private_link(&mut self, group: &str, id: &str, message: &str) -> Result<(), crate::Error> {
        private_link::fail(self.group(group), id, message)
    }

    /// Moves a connection to `FAILED` at once.
    pub fn fail_connection(&mut self, group: &str, workspace: &str, name: &str) -> Result<(), crate::Error> {
        connections::fail(self.group(group), workspace, name)
    }

    /// Adds an incoming VPC peering request (Atlas has no API to create one: the request comes
    /// from the peer's AWS account).
    pub(crate) fn add_peering(&mut self, group: &str, seed: PeeringSeed) -> String {
        peering::add(self.group(group), group, seed)
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
