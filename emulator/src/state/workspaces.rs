//! Stream workspaces (a.k.a. stream instances, `StreamsTenant`).

use serde_json::{json, Map, Value};

use super::common::{conflict, invalid, missing, Call, Delays, Outcome};
use super::ids;
use super::model::{find_workspace, of_path, sample, start_all, stop_all, Group, Workspace};
use crate::codes;
use crate::error::ApiError;

/// The sample source `sampleConnections.solar` adds (named in the spec's description of
/// `StreamsSampleConnections.solar`).
pub const SOLAR_SAMPLE: &str = "sample_stream_solar";

pub(crate) fn list(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let items = group
        .workspaces
        .iter_mut()
        .map(|w| w.view(call.group(), call.base_url, false))
        .collect();
    Ok(Outcome::List(items))
}

pub(crate) fn get(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let with_connections = call.params.flag("includeConnections");
    let workspace = of_path(group, call)?;
    Ok(Outcome::Json(workspace.view(
        call.group(),
        call.base_url,
        with_connections,
    )))
}

/// `createStreamWorkspace`, and `withStreamSampleConnections` (`samples`), whose body the spec
/// leaves free-form: it is read as a workspace body.
pub(crate) fn create(group: &mut Group, call: &Call<'_>, samples: bool) -> Result<Outcome, ApiError> {
    let mut body = call.object();
    // GUESS: Atlas requires a name and a region to create a workspace (the Terraform provider
    // and the CLI always send both); the spec marks neither required.
    let name = match body.remove("name") {
        Some(Value::String(name)) if !name.is_empty() => name,
        _ => return Err(missing("name")),
    };
    let region = body
        .get("dataProcessRegion")
        .and_then(|r| r.get("region"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let Some(region) = region else {
        return Err(missing("dataProcessRegion"));
    };
    if samples {
        check_free_form(&body)?;
    }
    if group.workspaces.iter().any(|w| w.name == name) {
        return Err(conflict(
            codes::DUPLICATE_STREAM_TENANT,
            format!("A stream workspace named {name} already exists in this project."),
        )
        .with_parameters([name]));
    }
    // GUESS: a workspace created without a tier runs on SP30, as the Atlas UI preselects.
    if !matches!(body.get("streamConfig"), Some(Value::Object(_))) {
        body.insert("streamConfig".into(), json!({"tier": "SP30"}));
    }
    let id = ids::object_id();
    // GUESS: the host name format, as Atlas UI connection strings show it.
    let hostname = format!(
        "atlas-stream-{id}-{}.{}.a.query.mongodb.net",
        ids::suffix(),
        region.to_ascii_lowercase().replace('_', "-")
    );
    let mut workspace = Workspace {
        id,
        name,
        doc: body,
        hostnames: vec![hostname],
        connections: Vec::new(),
        processors: Vec::new(),
    };
    let solar = workspace
        .doc
        .get("sampleConnections")
        .and_then(|s| s.get("solar"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // GUESS: "with sample connections" adds the one sample source the spec names.
    if solar || samples {
        workspace.connections.push(sample(SOLAR_SAMPLE));
    }
    let answer = workspace.view(call.group(), call.base_url, true);
    group.workspaces.push(workspace);
    Ok(Outcome::Json(answer))
}

/// The free-form body of `withStreamSampleConnections`, checked by hand where it has the
/// properties of a workspace.
fn check_free_form(body: &Map<String, Value>) -> Result<(), ApiError> {
    let region = body.get("dataProcessRegion");
    for field in ["cloudProvider", "region"] {
        if !region.and_then(|r| r.get(field)).is_some_and(Value::is_string) {
            return Err(missing(&format!("dataProcessRegion.{field}")));
        }
    }
    Ok(())
}

pub(crate) fn update(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let body = call.object();
    let workspace = of_path(group, call)?;
    // Region first: a failover below is checked against the regions the update leaves.
    if body.contains_key("cloudProvider") || body.contains_key("region") {
        let current = workspace
            .doc
            .get("dataProcessRegion")
            .cloned()
            .unwrap_or_else(|| json!({}));
        let mut region = current.as_object().cloned().unwrap_or_default();
        for field in ["cloudProvider", "region"] {
            if let Some(v) = body.get(field) {
                region.insert(field.into(), v.clone());
            }
        }
        workspace.doc.insert("dataProcessRegion".into(), Value::Object(region));
    }
    if let Some(regions) = body.get("failoverRegions") {
        workspace.doc.insert("failoverRegions".into(), regions.clone());
    }
    match body.get("streamConfig") {
        Some(Value::Null) => {
            workspace.doc.remove("streamConfig");
        }
        Some(Value::Object(config)) => {
            let mut merged = workspace
                .doc
                .get("streamConfig")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            merged.extend(config.clone());
            workspace.doc.insert("streamConfig".into(), Value::Object(merged));
        }
        _ => {}
    }
    if let Some(status) = body.get("processorStatus") {
        bulk_status(workspace, status, delays)?;
    }
    Ok(Outcome::Json(workspace.view(call.group(), call.base_url, false)))
}

/// `processorStatus` of a workspace update: start, stop or fail over every processor (the
/// spec's description of `StreamsProcessorStatus`).
fn bulk_status(workspace: &mut Workspace, status: &Value, delays: &Delays) -> Result<(), ApiError> {
    let region = status.get("region").and_then(Value::as_str);
    match status.get("status").and_then(Value::as_str) {
        Some("STARTED") => start_all(&mut workspace.processors, delays),
        Some("STOPPED") => stop_all(&mut workspace.processors, delays),
        Some("FAILED_OVER") => {
            // The spec: `region` is "Required when `status` is `FAILED_OVER`".
            let Some(region) = region else {
                return Err(missing("processorStatus.region"));
            };
            if !workspace.regions().iter().any(|r| r == region) {
                return Err(invalid(
                    codes::VALIDATION_ERROR,
                    format!("Region {region} is neither the workspace's region nor one of its failover regions."),
                )
                .with_parameters([region]));
            }
            // GUESS: a failover restarts every started processor in the new region; the
            // emulator has no per-processor region to show for it.
            start_all(&mut workspace.processors, delays);
        }
        _ => {}
    }
    Ok(())
}

pub(crate) fn delete(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let name = call.params.path("tenantName");
    find_workspace(group, name)?;
    // MongoDB's API guidelines (IPA-102): deleting a parent deletes its children, so the
    // workspace's connections and processors go with it.
    // GUESS: at once, with no `DELETING` phase (the workspace schema has no state to show one).
    group.workspaces.retain(|w| w.name != name);
    Ok(Outcome::Empty)
}
