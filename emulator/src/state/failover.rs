//! Failover connections: alternatives to a Kafka or Cluster connection, used when a processor
//! fails over to another region.

use serde_json::{Map, Value};

use super::common::{find_mut, invalid, Call, Delays, Outcome, Timed};
use super::connections;
use super::ids;
use super::model::{ConnState, Failover, Group, Path};
use crate::codes;
use crate::error::ApiError;

/// The parent connection's failovers, its type, and the link base.
fn parent<'a>(group: &'a mut Group, call: &Call<'_>) -> Result<(&'a mut Vec<Failover>, String, Path), ApiError> {
    let (connection, workspace) = connections::find(group, call)?;
    let path = Path {
        base_url: call.base_url.to_owned(),
        group: call.group().to_owned(),
        workspace,
        connection: connection.name.clone(),
    };
    let kind = connection.kind().to_owned();
    Ok((&mut connection.failovers, kind, path))
}

fn find<'a>(failovers: &'a mut [Failover], id: &str) -> Result<&'a mut Failover, ApiError> {
    find_mut(
        failovers,
        id,
        |f| &f.id,
        codes::STREAM_FAILOVER_CONNECTION_NOT_FOUND,
        "Failover connection",
    )
}

/// A failover connection must be of its parent's type (the spec's union only has Kafka and
/// Cluster, the two types a processor can fail over).
// GUESS: that the types must match; the spec does not say.
fn check_type(doc: &Map<String, Value>, parent_kind: &str) -> Result<(), ApiError> {
    let kind = doc.get("type").and_then(Value::as_str).unwrap_or("");
    if kind != parent_kind {
        return Err(invalid(
            codes::VALIDATION_ERROR,
            format!("A failover connection of a {parent_kind} connection must be of type {parent_kind}, not {kind}."),
        )
        .with_parameters([kind, parent_kind]));
    }
    Ok(())
}

pub(crate) fn list(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (failovers, _, path) = parent(group, call)?;
    Ok(Outcome::List(failovers.iter_mut().map(|f| f.view(&path)).collect()))
}

pub(crate) fn create(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let doc = call.object();
    let (failovers, kind, path) = parent(group, call)?;
    check_type(&doc, &kind)?;
    let state = Timed::moving(ConnState::Pending, ConnState::Ready, delays.connection_ready);
    let mut failover = Failover {
        id: ids::object_id(),
        doc,
        state,
    };
    let answer = failover.view(&path);
    failovers.push(failover);
    Ok(Outcome::Json(answer))
}

pub(crate) fn get(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (failovers, _, path) = parent(group, call)?;
    let failover = find(failovers, call.params.path("failoverConnectionId"))?;
    Ok(Outcome::Json(failover.view(&path)))
}

pub(crate) fn update(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let doc = call.object();
    let (failovers, kind, path) = parent(group, call)?;
    let failover = find(failovers, call.params.path("failoverConnectionId"))?;
    check_type(&doc, &kind)?;
    failover.doc = doc;
    failover.state.set(ConnState::Pending);
    failover.state.go(None, ConnState::Ready, delays.connection_ready);
    Ok(Outcome::Json(failover.view(&path)))
}

pub(crate) fn delete(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (failovers, _, _) = parent(group, call)?;
    let id = call.params.path("failoverConnectionId");
    find(failovers, id)?;
    failovers.retain(|f| f.id != id);
    Ok(Outcome::Empty)
}
