//! Stream connections of every type the spec has (Sample, Cluster, Kafka, Https, AWSLambda, S3,
//! AWSKinesisDataStreams, SchemaRegistry, AzureBlobStorage, GCPPubSub).

use serde_json::{Map, Value};

use super::common::{conflict, find_mut, invalid, missing, self_link, Call, Delays, Outcome, Timed};
use super::failover::Failover;
use super::workspaces;
use super::{ids, Group};
use crate::codes;
use crate::error::ApiError;

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
const SECRETS: [(&str, &str); 5] = [
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

/// The workspace and connection named by the path.
pub(crate) fn find<'a>(group: &'a mut Group, call: &Call<'_>) -> Result<(&'a mut Connection, String), ApiError> {
    let workspace = workspaces::of_path(group, call)?;
    let workspace_name = workspace.name.clone();
    let connection = find_mut(
        &mut workspace.connections,
        call.params.path("connectionName"),
        |c| &c.name,
        codes::STREAM_CONNECTION_NOT_FOUND,
        "Stream connection",
    )?;
    Ok((connection, workspace_name))
}

pub(crate) fn list(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    workspaces::list_in(group, call, |w| &mut w.connections, Connection::view)
}

pub(crate) fn get(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (connection, workspace) = find(group, call)?;
    Ok(Outcome::Json(connection.view(call.group(), &workspace, call.base_url)))
}

pub(crate) fn create(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let mut doc = call.object();
    let workspace = workspaces::of_path(group, call)?;
    // GUESS: the name is required (it is the connection's key in every other path).
    // GUESS: a Sample connection can be created like any other, as the seed pages' request
    // examples show; MongoDB engineers said it cannot (mongodbatlas-cloudformation-resources
    // #930), which the emulator does not follow since the published examples do.
    let name = match doc.remove("name") {
        Some(Value::String(name)) if !name.is_empty() => name,
        _ => return Err(missing("name")),
    };
    if workspace.connections.iter().any(|c| c.name == name) {
        return Err(conflict(
            codes::DUPLICATE_STREAM_CONNECTION,
            format!(
                "A connection named {name} already exists in stream workspace {}.",
                workspace.name
            ),
        )
        .with_parameters([name, workspace.name.clone()]));
    }
    let state = Timed::moving(ConnState::Pending, ConnState::Ready, delays.connection_ready);
    let mut connection = Connection {
        id: ids::object_id(),
        name,
        doc,
        state,
        failovers: Vec::new(),
    };
    let answer = connection.view(call.group(), &workspace.name, call.base_url);
    workspace.connections.push(connection);
    Ok(Outcome::Json(answer))
}

/// PATCH takes the whole connection (reference README: "PATCH of a connection takes the full
/// connection object"); what it leaves out is dropped, except the secrets (see [`SECRETS`]).
pub(crate) fn update(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let mut doc = call.object();
    let (connection, workspace) = find(group, call)?;
    match doc.remove("name") {
        Some(Value::String(name)) if name != connection.name => {
            // GUESS: a connection cannot be renamed (its name is its key).
            return Err(invalid(
                codes::CANNOT_MODIFY,
                format!("The name of connection {} cannot be changed.", connection.name),
            )
            .with_parameters(["name"]));
        }
        _ => {}
    }
    let new_type = doc.get("type").and_then(Value::as_str).unwrap_or("");
    if new_type != connection.kind() {
        // GUESS: the type cannot change in place.
        return Err(invalid(
            codes::CANNOT_MODIFY,
            format!(
                "The type of connection {} cannot be changed from {} to {new_type}.",
                connection.name,
                connection.kind()
            ),
        )
        .with_parameters(["type"]));
    }
    let access = |d: &Map<String, Value>| {
        d.get("networking")
            .and_then(|n| n.get("access"))
            .and_then(|a| a.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("PUBLIC")
            .to_owned()
    };
    if new_type == "Kafka" && access(&doc) != access(&connection.doc) {
        // Reference README (from MongoDB's Terraform provider): changing a Kafka connection's
        // networking type by PATCH is rejected; the connection must be recreated.
        return Err(invalid(
            codes::CANNOT_MODIFY,
            "The networking access type of a Kafka connection cannot be changed; delete and recreate the connection.",
        )
        .with_parameters(["networking.access.type"]));
    }
    for (object, secret) in SECRETS {
        let kept = connection.doc.get(object).and_then(|o| o.get(secret)).cloned();
        if let (Some(kept), Some(Value::Object(target))) = (kept, doc.get_mut(object)) {
            target.entry(secret).or_insert(kept);
        }
    }
    connection.doc = doc;
    // GUESS: a changed connection is redeployed, so it is PENDING again for a while.
    connection.state.set(ConnState::Pending);
    connection.state.go(None, ConnState::Ready, delays.connection_ready);
    Ok(Outcome::Json(connection.view(call.group(), &workspace, call.base_url)))
}

pub(crate) fn delete(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (connection, _) = find(group, call)?;
    if connection.kind() == "Kafka" && connection.state.current() == ConnState::Pending {
        // The Terraform provider retries this code when a delete races a deployment.
        return Err(conflict(
            codes::STREAM_KAFKA_CONNECTION_IS_DEPLOYING,
            format!(
                "Kafka connection {} is still being deployed; retry the delete later.",
                connection.name
            ),
        )
        .with_parameters([connection.name.clone()]));
    }
    // GUESS: a connection a processor still names can be deleted (the processor fails when it
    // next runs, which the emulator does not model).
    let name = connection.name.clone();
    let workspace = workspaces::of_path(group, call)?;
    workspace.connections.retain(|c| c.name != name);
    // Reference README: "DELETE of a connection answers 202 with body {}".
    Ok(Outcome::Empty)
}

/// Test hook: the connection fails at once.
pub(crate) fn fail(group: &mut Group, workspace: &str, name: &str) -> Result<(), crate::Error> {
    let connection = workspaces::hook_target(group, workspace, name, "stream connection", |w| {
        w.connections.iter_mut().find(|c| c.name == name)
    })?;
    connection.state.set(ConnState::Failed);
    Ok(())
}
