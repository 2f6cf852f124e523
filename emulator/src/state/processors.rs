//! Stream processors and their lifecycle.
//!
//! The states are the ones the spec names ("Commonly occurring states are 'CREATED', 'STARTED',
//! 'STOPPED' and 'FAILED'") plus `CREATING`, which MongoDB's Terraform provider waits through
//! after a create. The transitions follow MongoDB's mongosh reference pages:
//! - `sp.processor.start()`: "The stream processor must be in a STOPPED state"; the Terraform
//!   provider also starts a freshly `CREATED` one.
//! - `sp.processor.stop()`: "The stream processor must be in a running state".
//! - `sp.processor.modify()`: "the stream processor must be in the STOPPED state"; `dlq: {}`
//!   removes the dead letter queue.
//! - `sp.processor.drop()`: a running processor is stopped, then deleted.
//!
//! While a start or stop takes effect (see [`Delays`]) the processor keeps its previous state,
//! as the Terraform provider's waiters expect (they poll from `CREATED`/`STOPPED` to `STARTED`
//! and from `STARTED` to `STOPPED`, with no intermediate state).

use std::time::Instant;

use serde_json::{Map, Value};

use super::common::{conflict, invalid, missing, not_found, Call, Delays, Outcome, Timed};
use super::model::{hook_target, list_in, of_path, Group, ProcState, Processor, RunClock, Workspace};
use super::{ids, pipelines};
use crate::clock::later;
use crate::codes;
use crate::error::ApiError;

/// The workspace named by the path, and the index of the processor named by it.
fn find<'a>(group: &'a mut Group, call: &Call<'_>) -> Result<(&'a mut Workspace, usize), ApiError> {
    let workspace = of_path(group, call)?;
    let name = call.params.path("processorName");
    let index = workspace
        .processors
        .iter()
        .position(|p| p.name == name)
        .ok_or_else(|| not_found(codes::STREAM_PROCESSOR_NOT_FOUND, "Stream processor", name))?;
    Ok((workspace, index))
}

fn answer(workspace: &mut Workspace, index: usize, call: &Call<'_>) -> Value {
    let name = workspace.name.clone();
    workspace.processors[index].view(call.group(), &name, call.base_url)
}

fn wrong_state(processor: &mut Processor, action: &str) -> ApiError {
    let state = processor.state.current().as_str();
    conflict(
        codes::STREAM_PROCESSOR_INVALID_STATE,
        format!("Cannot {action} stream processor {} in state {state}.", processor.name),
    )
    .with_parameters([processor.name.clone(), state.to_owned()])
}

fn duplicate(workspace: &Workspace, name: &str) -> ApiError {
    conflict(
        codes::DUPLICATE_STREAM_PROCESSOR,
        format!(
            "A stream processor named {name} already exists in stream workspace {}.",
            workspace.name
        ),
    )
    .with_parameters([name.to_owned(), workspace.name.clone()])
}

pub(crate) fn list(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    list_in(group, call, |w| &mut w.processors, Processor::view)
}

pub(crate) fn get(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (workspace, index) = find(group, call)?;
    Ok(Outcome::Json(answer(workspace, index, call)))
}

pub(crate) fn create(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let mut doc = call.object();
    let workspace = of_path(group, call)?;
    let name = match doc.remove("name") {
        Some(Value::String(name)) if !name.is_empty() => name,
        _ => return Err(missing("name")),
    };
    // GUESS: a processor needs a pipeline with at least one stage (mongosh's
    // `sp.createStreamProcessor` requires one; the spec marks it optional).
    if doc
        .get("pipeline")
        .and_then(Value::as_array)
        .is_none_or(|p| p.is_empty())
    {
        return Err(missing("pipeline"));
    }
    if workspace.processors.iter().any(|p| p.name == name) {
        return Err(duplicate(workspace, &name));
    }
    if let Some(pipeline) = doc.get("pipeline") {
        pipelines::check(pipeline, workspace.connections.iter().map(|c| c.name.as_str()))?;
    }
    let state = Timed::moving(ProcState::Creating, ProcState::Created, delays.processor_create);
    workspace.processors.push(Processor {
        id: ids::object_id(),
        name,
        doc,
        state,
        error: None,
        ran: RunClock::default(),
    });
    let index = workspace.processors.len() - 1;
    Ok(Outcome::Json(answer(workspace, index, call)))
}

/// `updateStreamProcessor` (a "modify"): only a processor that is not running.
pub(crate) fn update(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let body = call.object();
    let (workspace, index) = find(group, call)?;
    let connections: Vec<String> = workspace.connections.iter().map(|c| c.name.clone()).collect();
    let new_name = body.get("name").and_then(Value::as_str).map(str::to_owned);
    if let Some(new_name) = &new_name {
        if *new_name != workspace.processors[index].name && workspace.processors.iter().any(|p| p.name == *new_name) {
            return Err(duplicate(workspace, new_name));
        }
    }
    let processor = &mut workspace.processors[index];
    // GUESS: besides STOPPED (mongosh), CREATED and FAILED processors are not running either,
    // so they can be modified too.
    if processor.state.pending().is_some()
        || !matches!(
            processor.state.current(),
            ProcState::Created | ProcState::Stopped | ProcState::Failed
        )
    {
        return Err(wrong_state(processor, "modify"));
    }
    if let Some(pipeline) = body.get("pipeline") {
        pipelines::check(pipeline, connections.iter().map(String::as_str))?;
    }
    for field in ["pipeline", "tier", "failoverEnabled"] {
        if let Some(value) = body.get(field) {
            processor.doc.insert(field.into(), value.clone());
        }
    }
    if let Some(dlq) = body.get("options").and_then(|o| o.get("dlq")) {
        let mut options = processor
            .doc
            .get("options")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if dlq.as_object().is_some_and(Map::is_empty) {
            options.remove("dlq");
        } else {
            options.insert("dlq".into(), dlq.clone());
        }
        processor.doc.insert("options".into(), Value::Object(options));
    }
    if let Some(new_name) = new_name {
        processor.name = new_name;
    }
    Ok(Outcome::Json(answer(workspace, index, call)))
}

pub(crate) fn delete(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (workspace, index) = find(group, call)?;
    workspace.processors.remove(index);
    Ok(Outcome::Empty)
}

/// `:start`, and `:startWith` (`with_options`) with its `StreamsStartStreamProcessorWith` body.
pub(crate) fn start(
    group: &mut Group,
    call: &Call<'_>,
    delays: &Delays,
    with_options: bool,
) -> Result<Outcome, ApiError> {
    let options = call.object();
    let (workspace, index) = find(group, call)?;
    let regions = workspace.regions();
    let processor = &mut workspace.processors[index];
    if !processor.can_start() {
        return Err(wrong_state(processor, "start"));
    }
    if with_options {
        if let Some(failover) = options.get("failover") {
            let region = failover.get("region").and_then(Value::as_str).unwrap_or("");
            // The spec's description of `StreamsStartProcessorFailover.region`: it "must be
            // included in the tenant's configured failover regions, or it may be the tenant's
            // default (primary) region".
            if !regions.iter().any(|r| r == region) {
                return Err(invalid(
                    codes::VALIDATION_ERROR,
                    format!("Region {region} is neither the workspace's region nor one of its failover regions."),
                )
                .with_parameters([region]));
            }
            // The spec: `dryRun` "simulates the operation without making any changes".
            if failover.get("dryRun").and_then(Value::as_bool) == Some(true) {
                return Ok(Outcome::Empty);
            }
        }
        if let Some(tier) = options.get("tier") {
            processor.doc.insert("tier".into(), tier.clone());
        }
    }
    processor.error = None;
    processor.state.go(None, ProcState::Started, delays.processor_start);
    processor.ran.start(later(delays.processor_start));
    Ok(Outcome::Empty)
}

pub(crate) fn stop(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let (workspace, index) = find(group, call)?;
    let processor = &mut workspace.processors[index];
    if processor.state.pending().is_some() || processor.state.current() != ProcState::Started {
        return Err(wrong_state(processor, "stop"));
    }
    processor.state.go(None, ProcState::Stopped, delays.processor_stop);
    processor.ran.stop(later(delays.processor_stop));
    Ok(Outcome::Empty)
}

/// Test hook: the processor fails at once, with `message` in its stats.
pub(crate) fn fail(group: &mut Group, workspace: &str, name: &str, message: &str) -> Result<(), crate::Error> {
    let processor = hook_target(group, workspace, name, "stream processor", |w| {
        w.processors.iter_mut().find(|p| p.name == name)
    })?;
    processor.state.set(ProcState::Failed);
    processor.ran.stop(Instant::now());
    processor.error = Some(message.to_owned());
    Ok(())
}
