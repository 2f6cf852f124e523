//! The hand-written state rules: what each operation does to the emulated project.
//!
//! The spec-driven plumbing (`crate::spec`, `crate::http`) has already routed the request,
//! checked its parameters and body against the spec, and will shape the answer to the
//! operation's response type; this module only decides *what happens*: which resources exist,
//! which transitions are allowed, what the server fills in. Each rule names its source: a
//! MongoDB docs page, the spec's own descriptions, or a `// GUESS:` where nothing public says.
//!
//! Transitions that take time in Atlas (a processor starting, a Private Link becoming ready)
//! are [`Timed`](common::Timed): a value with an optional pending change and the instant it
//! lands. Nothing runs in the background; a state is settled whenever it is read, so a paused
//! test sees exactly the configured delays.
//!
//! Layers, each reading only from those below it (`tests/import_loops.rs`): this module
//! dispatches to the rules of each resource (`workspaces`, `connections`, ...); the rules read
//! the resources' types, views and lookups from `model`, and the calls, outcomes, delays and
//! errors from `common`.

mod account;
mod common;
mod connections;
mod failover;
mod ids;
mod logs;
mod model;
mod peering;
mod pipelines;
mod private_link;
mod processors;
mod workspaces;

use std::collections::HashMap;

use crate::error::ApiError;

pub use common::{Call, Delays, Outcome};
pub use model::PeeringSeed;

use model::Group;

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
