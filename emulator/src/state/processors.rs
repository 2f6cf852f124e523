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

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::common::{conflict, invalid, missing, not_found, self_link, Call, Delays, Outcome, Timed};
use super::workspaces::{self, Workspace};
use super::{ids, pipelines, Group};
use crate::clock::later;
use crate::codes;
use crate::error::ApiError;

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
    fn as_str(self) -> &'static str {
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
    fn start(&mut self, at: Instant) {
        self.before = self.elapsed();
        self.since = Some(at);
        self.until = None;
    }

    /// The current run ends at `at`.
    fn stop(&mut self, at: Instant) {
        if self.since.is_some() && self.until.is_none() {
            self.until = Some(at);
        }
    }

    fn elapsed(&self) -> Duration {
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
const DOCUMENTS_PER_SECOND: u64 = 100;
/// Invented, see [`DOCUMENTS_PER_SECOND`].
const DOCUMENT_BYTES: u64 = 256;

impl Processor {
    fn view(&mut self, group: &str, workspace: &str, base_url: &str) -> Value {
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
    fn stats(&self, state: ProcState) -> Value {
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
    fn can_start(&mut self) -> bool {
        self.state.pending().is_none()
            && matches!(
                self.state.current(),
                ProcState::Created | ProcState::Stopped | ProcState::Failed
            )
    }
}

/// The workspace named by the path, and the index of the processor named by it.
fn find<'a>(group: &'a mut Group, call: &Call<'_>) -> Result<(&'a mut Workspace, usize), ApiError> {
    let workspace = workspaces::of_path(group, call)?;
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
    workspaces::list_in(group, call, |w| &mut w.processors, Processor::view)
}

pub(crate) fn get(group: &mut Group, call: &Call<'_>) -> Result<Outcome, ApiError> {
    let (workspace, index) = find(group, call)?;
    Ok(Outcome::Json(answer(workspace, index, call)))
}

pub(crate) fn create(group: &mut Group, call: &Call<'_>, delays: &Delays) -> Result<Outcome, ApiError> {
    let mut doc = call.object();
    let workspace = workspaces::of_path(group, call)?;
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

/// Test hook: the processor fails at once, with `message` in its stats.
pub(crate) fn fail(group: &mut Group, workspace: &str, name: &str, message: &str) -> Result<(), crate::Error> {
    let processor = workspaces::hook_target(group, workspace, name, "stream processor", |w| {
        w.processors.iter_mut().find(|p| p.name == name)
    })?;
    processor.state.set(ProcState::Failed);
    processor.ran.stop(Instant::now());
    processor.error = Some(message.to_owned());
    Ok(())
}
