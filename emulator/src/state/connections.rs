//! Stream connections of every type the spec has (Sample, Cluster, Kafka, Https, AWSLambda, S3,
//! AWSKinesisDataStreams, SchemaRegistry, AzureBlobStorage, GCPPubSub).

use serde_json::{Map, Value};

use super::common::{conflict, find_mut, invalid, missing, Call, Delays, Outcome, Timed};
use super::ids;
use super::model::{hook_target, list_in, of_path, ConnState, Connection, Group, SECRETS};
use crate::codes;
use crate::error::ApiError;

/// The workspace and connection named by the path.
pub(crate) fn find<'a>(group: &'a mut Group, call: &Call<'_>) -> Result<(&'a mut Connection, String), ApiError> {
    let workspace = of_path(group, call)?;
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
    list_in(group, call, |w| &mut w.connections, Connection::view)
}

pub(crate) fn get(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (connection, workspace) = find(group, call)?;
    Ok(Outcome::Json(connection.view(call.group(), &workspace, call.base_url)))
}

pub(crate) fn create(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let mut doc = call.object();
    let workspace = of_path(group, call)?;
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
    let workspace = of_path(group, call)?;
    workspace.connections.retain(|c| c.name != name);
    // Reference README: "DELETE of a connection answers 202 with body {}".
    Ok(Outcome::Empty)
}

/// Test hook: the connection fails at once.
pub(crate) fn fail(group: &mut Group, workspace: &str, name: &str) -> Result<(), crate::Error> {
    let connection = hook_target(group, workspace, name, "stream connection", |w| {
        w.connections.iter_mut().find(|c| c.name == name)
    })?;
    connection.state.set(ConnState::Failed);
    Ok(())
}
