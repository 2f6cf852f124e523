//! Seed data: resources an emulator starts with, given as the same JSON bodies the API takes.
//!
//! ```json
//! {"groups": {"32b6e34b3d91647abb20e7b8": {
//!   "workspaces": [{
//!     "name": "ws", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"},
//!     "connections": [{"name": "events", "type": "Kafka", "bootstrapServers": "b:9092"}],
//!     "processors": [{"name": "p", "pipeline": [{"$source": {"connectionName": "events"}}],
//!                     "state": "STARTED"}]
//!   }],
//!   "privateLinkConnections": [{"provider": "AWS", "vendor": "CONFLUENT", "dnsDomain": "d", "dnsSubDomain": []}],
//!   "vpcPeeringConnections": [{"requesterAccountId": "123456789012", "requesterVpcId": "vpc-1"}]
//! }}}
//! ```
//!
//! Every body goes through the operation's own checks (the spec's and the state rules'), so
//! seed data is exactly what clients could have created; a refused item names itself.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::http::{invoke, Shared};
use crate::state::{Delays, Outcome, PeeringSeed};
use crate::Error;

/// Resources to create, per project (group id).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// Projects by group id.
    #[serde(default)]
    pub groups: BTreeMap<String, GroupSeed>,
}

/// One project's resources.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GroupSeed {
    /// `createStreamWorkspace` bodies, each optionally with `connections` (bodies of
    /// `createStreamConnection`) and `processors` (bodies of `createStreamProcessor`, each
    /// optionally with a `state`: `CREATED` (default), `STARTED`, `STOPPED` or `FAILED`).
    #[serde(default)]
    pub workspaces: Vec<Map<String, Value>>,
    /// `createPrivateLinkConnection` bodies.
    #[serde(default)]
    pub private_link_connections: Vec<Map<String, Value>>,
    /// Incoming VPC peering requests (Atlas has no operation to create one).
    #[serde(default)]
    pub vpc_peering_connections: Vec<PeeringSeed>,
}

impl Seed {
    /// Parses seed JSON.
    pub fn from_json(text: &str) -> Result<Seed, Error> {
        serde_json::from_str(text).map_err(|e| Error::Seed(format!("not a seed document: {e}")))
    }

    /// Reads and parses a seed file.
    pub fn from_file(path: &Path) -> Result<Seed, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::SeedFile {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        serde_json::from_str(&text).map_err(|e| Error::SeedFile {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

/// A processor's state as seed data asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SeedState {
    Created,
    Started,
    Stopped,
    Failed,
}

impl SeedState {
    pub fn parse(processor: &mut Map<String, Value>) -> Result<SeedState, Error> {
        match processor.remove("state") {
            None => Ok(SeedState::Created),
            Some(Value::String(s)) => match s.as_str() {
                "CREATED" => Ok(SeedState::Created),
                "STARTED" => Ok(SeedState::Started),
                "STOPPED" => Ok(SeedState::Stopped),
                "FAILED" => Ok(SeedState::Failed),
                other => Err(Error::Seed(format!(
                    "processor state `{other}` is not one of CREATED, STARTED, STOPPED, FAILED"
                ))),
            },
            Some(other) => Err(Error::Seed(format!("processor state {other} is not a string"))),
        }
    }
}

/// Creates everything `seed` lists, settled at once whatever the configured delays.
pub(crate) fn apply(shared: &Shared, seed: &Seed) -> Result<(), Error> {
    let delays = shared.world().replace_delays(Delays::default());
    let result = seed
        .groups
        .iter()
        .try_for_each(|(group, resources)| apply_group(shared, group, resources));
    shared.world().replace_delays(delays);
    result
}

fn apply_group(shared: &Shared, group: &str, resources: &GroupSeed) -> Result<(), Error> {
    let refused =
        |what: String| move |e: crate::error::ApiError| Error::Seed(format!("{what}: {} ({})", e.detail, e.code));
    for workspace in &resources.workspaces {
        let mut body = workspace.clone();
        let connections = take_list(&mut body, "connections")?;
        let processors = take_list(&mut body, "processors")?;
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        let at = [("groupId", group)];
        invoke(shared, "createStreamWorkspace", &at, Some(Value::Object(body)))
            .map_err(refused(format!("group {group}, workspace `{name}`")))?;
        let at = [("groupId", group), ("tenantName", name.as_str())];
        for connection in connections {
            let what = format!("workspace `{name}`, connection {connection}");
            invoke(shared, "createStreamConnection", &at, Some(connection)).map_err(refused(what))?;
        }
        for processor in processors {
            let Value::Object(mut processor) = processor else {
                return Err(Error::Seed(format!("workspace `{name}`: a processor is not an object")));
            };
            let state = SeedState::parse(&mut processor)?;
            let processor_name = processor
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let what = format!("workspace `{name}`, processor `{processor_name}`");
            invoke(shared, "createStreamProcessor", &at, Some(Value::Object(processor)))
                .map_err(refused(what.clone()))?;
            let at = [
                ("groupId", group),
                ("tenantName", name.as_str()),
                ("processorName", processor_name.as_str()),
            ];
            match state {
                SeedState::Created => {}
                SeedState::Started | SeedState::Stopped => {
                    invoke(shared, "startStreamProcessor", &at, None).map_err(refused(what.clone()))?;
                    if state == SeedState::Stopped {
                        invoke(shared, "stopStreamProcessor", &at, None).map_err(refused(what))?;
                    }
                }
                SeedState::Failed => {
                    shared
                        .world()
                        .fail_processor(group, &name, &processor_name, "seeded as FAILED")?
                }
            }
        }
    }
    for link in &resources.private_link_connections {
        let what = format!("group {group}, Private Link connection {}", Value::Object(link.clone()));
        match invoke(
            shared,
            "createPrivateLinkConnection",
            &[("groupId", group)],
            Some(Value::Object(link.clone())),
        ) {
            Ok(Outcome::Json(_)) => {}
            Ok(_) => {}
            Err(e) => return Err(refused(what)(e)),
        }
    }
    for peering in &resources.vpc_peering_connections {
        shared.world().add_peering(group, peering.clone());
    }
    Ok(())
}

fn take_list(body: &mut Map<String, Value>, key: &str) -> Result<Vec<Value>, Error> {
    match body.remove(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(Error::Seed(format!("`{key}` of a workspace must be an array"))),
    }
}
