//! The resources of the emulated project and what they are made of: the types every state
//! rule reads and changes, with their views (as the API shows them), the workspace lookups,
//! and the moves of processors. Below the rules, each of which reads them from here (and the
//! dispatcher in `state/mod.rs` reads `Group`), so no rule reads another's types from it.

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::common::{find_mut, self_link, Call, Delays, Outcome, Timed};
use super::ids;
use crate::clock::later;
use crate::codes;
use crate::error::ApiError;

/// One project's resources.
#[derive(Debug, Default)]
pub(crate) struct Group {
    pub workspaces: Vec<Workspace>,
    pub private_links: Vec<PrivateLink>,
    pub peerings: Vec<Peering>,
}

/// One workspace and everything in it.
#[derive(Debug)]
pub(crate) struct Workspace {
    pub id: String,
    pub name: String,
    /// `dataProcessRegion`, `failoverRegions`, `sampleConnections`, `streamConfig` as last set.
    pub doc: Map<String, Value>,
    pub hostnames: Vec<String>,
    pub connections: Vec<Connection>,
    pub processors: Vec<Processor>,
}

impl Workspace {
    /// The workspace as the API shows it; `connections` only when asked for.
    pub fn view(&mut self, group: &str, base_url: &str, with_connections: bool) -> Value {
        let mut out = Map::new();
        out.insert("_id".into(), Value::from(self.id.clone()));
        out.insert("name".into(), Value::from(self.name.clone()));
        out.insert("groupId".into(), Value::from(group));
        out.extend(self.doc.clone());
        out.insert("hostnames".into(), json!(self.hostnames));
        if with_connections {
            let name = self.name.clone();
            let list: Vec<Value> = self
                .connections
                .iter_mut()
                .map(|c| c.view(group, &name, base_url))
                .collect();
            out.insert("connections".into(), Value::Array(list));
        }
        out.insert(
            "links".into(),
            self_link(base_url, &["groups", group, "streams", &self.name]),
        );
        Value::Object(out)
    }

    /// The primary region and the failover regions, as region names.
    pub fn regions(&self) -> Vec<String> {
        let primary = self.doc.get("dataProcessRegion").and_then(|r| r.get("region")).cloned();
        let failover = self
            .doc
            .get("failoverRegions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("region").cloned());
        primary
            .into_iter()
            .chain(failover)
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }
}

/// The workspace named `name`.
pub(crate) fn find_workspace<'a>(group: &'a mut Group, name: &str) -> Result<&'a mut Workspace, ApiError> {
    find_mut(
        &mut group.workspaces,
        name,
        |w| &w.name,
        codes::STREAM_TENANT_NOT_FOUND,
        "Stream workspace",
    )
}

/// The workspace named by the `tenantName` path parameter.
pub(crate) fn of_path<'a>(group: &'a mut Group, call: &Call<'_>) -> Result<&'a mut Workspace, ApiError> {
    find_workspace(group, call.params.path("tenantName"))
}

/// Every item of one of the workspace's collections (`items`), each as `view` shows it with
/// the group id, the workspace's name and the base URL.
pub(crate) fn list_in<T>(
    group: &mut Group,
    call: &Call<'_>,
    items: impl FnOnce(&mut Workspace) -> &mut Vec<T>,
    view: impl Fn(&mut T, &str, &str, &str) -> Value,
) -> Result<Outcome, ApiError> {
    let workspace = of_path(group, call)?;
    let name = workspace.name.clone();
    let items = items(workspace)
        .iter_mut()
        .map(|item| view(item, call.group(), &name, call.base_url));
    Ok(Outcome::List(items.collect()))
}

/// A test hook's target: the item of workspace `workspace` that `pick` finds by `name`.
pub(crate) fn hook_target<'a, T: 'a>(
    group: &'a mut Group,
    workspace: &str,
    name: &str,
    kind: &'static str,
    pick: impl FnOnce(&'a mut Workspace) -> Option<&'a mut T>,
) -> Result<&'a mut T, crate::Error> {
    group
        .workspaces
        .iter_mut()
        .find(|w| w.name == workspace)
        .and_then(pick)
        .ok_or_else(|| crate::Error::NotFound {
            kind,
            name: format!("{workspace}/{name}"),
        })
}

/// A connection's `state` (the spec's `StreamsConnectionState`, minus `DELETING`: deletes are
/// immediate here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConnState {
    Pending,
    Ready,
    Failed,
}

impl ConnState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnState::Pending => "PENDING",
            ConnState::Ready => "READY",
            ConnState::Failed => "FAILED",
        }
    }
}

/// The writeOnly secrets a connection body may carry, as `(object, property)`. GET never
/// returns them, so a GET → change → PATCH round trip sends none back; a PATCH that leaves one
/// out keeps the stored value.
// GUESS: that Atlas keeps an omitted secret on PATCH; otherwise every read-modify-write would
// erase the credentials, which its Terraform provider does not guard against.
pub(super) const SECRETS: [(&str, &str); 5] = [
    ("authentication", "password"),
    ("authentication", "clientSecret"),
    ("authentication", "sslKey"),
    ("authentication", "sslKeyPassword"),
    ("schemaRegistryAuthentication", "password"),
];

/// One connection.
#[derive(Debug)]
pub(crate) struct Connection {
    pub id: String,
    pub name: String,
    /// The body as sent (secrets included; the answer is shaped to drop them).
    pub doc: Map<String, Value>,
    pub state: Timed<ConnState>,
    pub failovers: Vec<Failover>,
}

impl Connection {
    pub fn kind(&self) -> &str {
        self.doc.get("type").and_then(Value::as_str).unwrap_or("")
    }

    pub fn view(&mut self, group: &str, workspace: &str, base_url: &str) -> Value {
        let mut out = self.doc.clone();
        out.insert("id".into(), Value::from(self.id.clone()));
        out.insert("name".into(), Value::from(self.name.clone()));
        out.insert("state".into(), Value::from(self.state.current().as_str()));
        out.insert(
            "links".into(),
            self_link(
                base_url,
                &["groups", group, "streams", workspace, "connections", &self.name],
            ),
        );
        Value::Object(out)
    }
}

/// A ready Sample connection (the sample sources Atlas adds to a workspace).
pub(crate) fn sample(name: &str) -> Connection {
    let mut doc = Map::new();
    doc.insert("type".into(), Value::from("Sample"));
    Connection {
        id: ids::object_id(),
        name: name.to_owned(),
        doc,
        state: Timed::at(ConnState::Ready),
        failovers: Vec::new(),
    }
}

/// One failover connection.
#[derive(Debug)]
pub(crate) struct Failover {
    pub id: String,
    pub doc: Map<String, Value>,
    pub state: Timed<ConnState>,
}

impl Failover {
    pub(super) fn view(&mut self, path: &Path) -> Value {
        let mut out = self.doc.clone();
        out.insert("id".into(), Value::from(self.id.clone()));
        out.insert("state".into(), Value::from(self.state.current().as_str()));
        out.insert(
            "links".into(),
            self_link(
                &path.base_url,
                &[
                    "groups",
                    &path.group,
                    "streams",
                    &path.workspace,
                    "connections",
                    &path.connection,
                    "failoverConnections",
                    &self.id,
                ],
            ),
        );
        Value::Object(out)
    }
}

/// A processor's `state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProcState {
    Creating,
    Created,
    Started,
    Stopped,
    Failed,
}

impl ProcState {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            ProcState::Creating => "CREATING",
            ProcState::Created => "CREATED",
            ProcState::Started => "STARTED",
            ProcState::Stopped => "STOPPED",
            ProcState::Failed => "FAILED",
        }
    }
}

/// One processor.
#[derive(Debug)]
pub(crate) struct Processor {
    pub id: String,
    pub name: String,
    /// `pipeline`, `options`, `tier`, `failoverEnabled` as last set.
    pub doc: Map<String, Value>,
    pub state: Timed<ProcState>,
    /// Why it failed, after a failure was injected.
    pub error: Option<String>,
    /// How long it has been running, for its stats.
    pub ran: RunClock,
}

/// The time a processor has spent in `STARTED`, over all its runs.
#[derive(Debug, Default)]
pub(crate) struct RunClock {
    /// Run time of the runs before the last start.
    before: Duration,
    /// When the last run began (may be ahead: a start takes effect after its delay).
    since: Option<Instant>,
    /// When the last run ends (ahead while a stop is pending).
    until: Option<Instant>,
}

impl RunClock {
    /// A run begins at `at`.
    pub(super) fn start(&mut self, at: Instant) {
        self.before = self.elapsed();
        self.since = Some(at);
        self.until = None;
    }

    /// The current run ends at `at`.
    pub(super) fn stop(&mut self, at: Instant) {
        if self.since.is_some() && self.until.is_none() {
            self.until = Some(at);
        }
    }

    pub(super) fn elapsed(&self) -> Duration {
        let now = Instant::now();
        let current = self.since.map_or(Duration::ZERO, |since| {
            self.until
                .map_or(now, |until| until.min(now))
                .saturating_duration_since(since)
        });
        self.before + current
    }
}

/// Invented: the documents per second an emulated processor reads while it runs, and the size
/// of each. Nothing flows through an emulated processor; its stats grow with its run time so
/// that a caller polling them sees them move as they would in Atlas. Every document read is
/// counted as written (the emulator does not run the pipeline) and none goes to the DLQ.
pub(super) const DOCUMENTS_PER_SECOND: u64 = 100;

/// Invented, see [`DOCUMENTS_PER_SECOND`].
pub(super) const DOCUMENT_BYTES: u64 = 256;

impl Processor {
    pub(super) fn view(&mut self, group: &str, workspace: &str, base_url: &str) -> Value {
        let state = self.state.current();
        let mut out = Map::new();
        out.insert("_id".into(), Value::from(self.id.clone()));
        out.insert("name".into(), Value::from(self.name.clone()));
        out.extend(self.doc.clone());
        out.insert("state".into(), Value::from(state.as_str()));
        out.insert("stats".into(), self.stats(state));
        // GUESS: eligible for failover exactly when failover is enabled.
        let failover = self
            .doc
            .get("failoverEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        out.insert("eligibleForFailover".into(), Value::from(failover));
        out.insert(
            "links".into(),
            self_link(
                base_url,
                &["groups", group, "streams", workspace, "processor", &self.name],
            ),
        );
        Value::Object(out)
    }

    /// The statistics `sp.processor.stats()` documents, with counts derived from run time.
    pub(super) fn stats(&self, state: ProcState) -> Value {
        let count = (self.ran.elapsed().as_millis() as u64).saturating_mul(DOCUMENTS_PER_SECOND) / 1000;
        let bytes = count.saturating_mul(DOCUMENT_BYTES);
        let mut stats = json!({
            "name": self.name,
            "processorId": self.id,
            "scaleFactor": 1,
            "inputMessageCount": count,
            "inputMessageSize": bytes,
            "outputMessageCount": count,
            "outputMessageSize": bytes,
            "dlqMessageCount": 0,
            "dlqMessageSize": 0,
            "stateSize": 0,
            "ok": 1,
        });
        let object = stats.as_object_mut().expect("a JSON object");
        // The worker's status, as the docs of `sp.processor.stats()` list them; a processor that
        // is not running has none.
        let status = match (state, self.state.pending()) {
            (_, Some(ProcState::Started)) => Some("starting"),
            (ProcState::Started, Some(ProcState::Stopped)) => Some("stopping"),
            (ProcState::Started, _) => Some("running"),
            (ProcState::Failed, _) => Some("error"),
            _ => None,
        };
        if let Some(status) = status {
            object.insert("status".into(), Value::from(status));
        }
        if let Some(error) = &self.error {
            object.insert("errorMsg".into(), Value::from(error.clone()));
            object.insert("ok".into(), Value::from(0));
        }
        stats
    }

    /// Whether it can start now: `STOPPED` (mongosh), `CREATED` (Terraform), or `FAILED`.
    // GUESS: a failed processor can be started again, as the Atlas UI offers.
    pub(super) fn can_start(&mut self) -> bool {
        self.state.pending().is_none()
            && matches!(
                self.state.current(),
                ProcState::Created | ProcState::Stopped | ProcState::Failed
            )
    }
}

/// Starts every processor that can start (a workspace's `processorStatus: STARTED`).
pub(crate) fn start_all(processors: &mut [Processor], delays: &Delays) {
    for processor in processors.iter_mut().filter(|p| p.state.pending().is_none()) {
        if processor.can_start() {
            processor.error = None;
            processor.state.go(None, ProcState::Started, delays.processor_start);
            processor.ran.start(later(delays.processor_start));
        }
    }
}

/// Stops every started processor (a workspace's `processorStatus: STOPPED`).
pub(crate) fn stop_all(processors: &mut [Processor], delays: &Delays) {
    for processor in processors.iter_mut().filter(|p| p.state.pending().is_none()) {
        if processor.state.current() == ProcState::Started {
            processor.state.go(None, ProcState::Stopped, delays.processor_stop);
            processor.ran.stop(later(delays.processor_stop));
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlState {
    Working,
    Done,
    Failed,
    Deleting,
    Gone,
}

impl PlState {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            PlState::Working => "WORKING",
            PlState::Done => "DONE",
            PlState::Failed => "FAILED",
            PlState::Deleting => "DELETING",
            PlState::Gone => "DELETED",
        }
    }
}

/// One Private Link connection.
#[derive(Debug)]
pub(crate) struct PrivateLink {
    pub id: String,
    pub doc: Map<String, Value>,
    pub state: Timed<PlState>,
    pub error: Option<String>,
}

impl PrivateLink {
    pub(super) fn view(&mut self, group: &str, base_url: &str) -> Value {
        let mut out = Map::new();
        out.insert("_id".into(), Value::from(self.id.clone()));
        out.extend(self.doc.clone());
        let state = self.state.current();
        out.insert("state".into(), Value::from(state.as_str()));
        if let Some(error) = &self.error {
            out.insert("errorMessage".into(), Value::from(error.clone()));
        }
        // GUESS: endpoint ids in each cloud's format, filled once the endpoint exists.
        if matches!(state, PlState::Done | PlState::Deleting) {
            let provider = self.doc.get("provider").and_then(Value::as_str).unwrap_or("");
            let (id, name) = match provider {
                "AWS" => (format!("vpce-{}", ids::stable_hex(&self.id, 17)), None),
                "AZURE" => (
                    format!(
                        "/subscriptions/{}/privateEndpoints/pe-{}",
                        ids::stable_hex(&self.id, 8),
                        &self.id
                    ),
                    Some(format!("pe-{}", self.id)),
                ),
                _ => (
                    format!("psc-{}", ids::stable_hex(&self.id, 12)),
                    Some(format!("psc-{}", self.id)),
                ),
            };
            out.insert("interfaceEndpointId".into(), Value::from(id));
            if let Some(name) = name {
                out.insert("interfaceEndpointName".into(), Value::from(name));
            }
            out.insert("providerAccountId".into(), Value::from(ids::digits(&self.id, 12)));
        }
        out.insert(
            "links".into(),
            self_link(
                base_url,
                &["groups", group, "streams", "privateLinkConnections", &self.id],
            ),
        );
        Value::Object(out)
    }
}

/// Where a peering request is, mapped to the spec's `localStatus` and AWS's status codes for
/// `cloudStatus` (AWS documents `pending-acceptance`, `active`, `rejected`, `deleted`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PeerState {
    Pending,
    Accepting,
    Active,
    Rejecting,
    Rejected,
    Deleting,
    Gone,
}

impl PeerState {
    // GUESS: how Atlas' `localStatus` values pair with the AWS side during each step.
    pub(super) fn statuses(self) -> (&'static str, &'static str) {
        match self {
            PeerState::Pending => ("NONE", "pending-acceptance"),
            PeerState::Accepting => ("ACCEPT_REQUESTED", "pending-acceptance"),
            PeerState::Active => ("ACTIVE", "active"),
            PeerState::Rejecting => ("REJECT_REQUESTED", "pending-acceptance"),
            PeerState::Rejected => ("NONE", "rejected"),
            PeerState::Deleting => ("DELETE_REQUESTED", "deleting"),
            PeerState::Gone => ("NONE", "deleted"),
        }
    }
}

/// One peering request.
#[derive(Debug)]
pub(crate) struct Peering {
    pub id: String,
    pub group: String,
    pub seed: PeeringSeed,
    pub state: Timed<PeerState>,
    pub expires: chrono::DateTime<chrono::Utc>,
}

impl Peering {
    pub(super) fn view(&mut self, base_url: &str) -> Value {
        let (local, cloud) = self.state.current().statuses();
        let name = self
            .seed
            .name
            .clone()
            .unwrap_or_else(|| format!("pcx-{}", ids::stable_hex(&self.id, 17)));
        json!({
            "_id": self.id,
            "name": name,
            "groupId": self.group,
            "accepterAccountId": ids::digits(&self.group, 12),
            "accepterCidr": "192.168.248.0/21",
            "accepterVpcId": format!("vpc-{}", ids::stable_hex(&self.group, 17)),
            "requesterAccountId": self.seed.requester_account_id,
            "requesterCidr": self.seed.requester_cidr,
            "requesterVpcId": self.seed.requester_vpc_id,
            "cloudStatus": cloud,
            "localStatus": local,
            "expirationTime": self.expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "links": self_link(base_url, &["groups", &self.group, "streams", "vpcPeeringConnections", &self.id]),
        })
    }
}

/// Where a failover connection's links point.
pub(super) struct Path {
    pub base_url: String,
    pub group: String,
    pub workspace: String,
    pub connection: String,
}

/// An incoming peering request, as seed data describes it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeeringSeed {
    /// The peering connection's name (AWS's `pcx-…` id when absent).
    #[serde(default)]
    pub name: Option<String>,
    /// The AWS account that asks to peer.
    pub requester_account_id: String,
    /// The VPC that asks to peer.
    pub requester_vpc_id: String,
    /// The requesting VPC's CIDR block.
    #[serde(default)]
    pub requester_cidr: Option<String>,
}
