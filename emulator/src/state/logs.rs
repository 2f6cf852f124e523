//! Audit and operational log downloads: a small gzip file of plausible log lines.

use std::io::Write as _;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::json;

use super::common::{invalid, not_found, Call, Outcome};
use super::model::{of_path, Group};
use crate::codes;
use crate::error::ApiError;

/// Which log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Audit,
    Operational,
}

/// "By default, logs cover periods of 30 days." (the spec's description of both downloads)
const DEFAULT_PERIOD_SECONDS: i64 = 30 * 24 * 3600;

pub(crate) fn download(group: &mut Group, call: &Call<'_>, kind: Kind) -> Result<Outcome, ApiError> {
    let workspace = of_path(group, call)?;
    let now = chrono::Utc::now().timestamp();
    let end = call.params.int("endDate").unwrap_or(now);
    let start = call
        .params
        .int("startDate")
        .unwrap_or(end.saturating_sub(DEFAULT_PERIOD_SECONDS));
    if start > end {
        // GUESS: the code of an inverted range.
        return Err(invalid(
            codes::VALIDATION_ERROR,
            format!("startDate {start} is after endDate {end}."),
        )
        .with_parameters([start, end]));
    }
    // The spec: "An empty string will download logs for all stream processors in the workspace."
    let sp_name = call.params.text("spName").unwrap_or("");
    if !sp_name.is_empty() && !workspace.processors.iter().any(|p| p.name == sp_name) {
        // GUESS: naming a processor that does not exist is a 404, not an empty file.
        return Err(not_found(
            codes::STREAM_PROCESSOR_NOT_FOUND,
            "Stream processor",
            sp_name,
        ));
    }
    let at = |offset: i64| {
        chrono::DateTime::from_timestamp(start.saturating_add(offset.min(end.saturating_sub(start))), 0)
            .unwrap_or_default()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    let processors: Vec<&str> = workspace
        .processors
        .iter()
        .map(|p| p.name.as_str())
        .filter(|name| sp_name.is_empty() || *name == sp_name)
        .collect();
    // GUESS: the line formats; MongoDB's structured log (`t`, `s`, `c`, `msg`, `attr`) for the
    // operational log and its audit message (`atype`, `ts`, `param`, `result`) for the audit log.
    let mut lines = Vec::new();
    for (i, name) in processors.iter().enumerate() {
        let offset = 60 * i as i64;
        lines.push(match kind {
            Kind::Audit => json!({"atype": "createStreamProcessor", "ts": {"$date": at(offset)},
                "param": {"tenant": workspace.name, "processor": name}, "result": 0}),
            Kind::Operational => json!({"t": {"$date": at(offset)}, "s": "I", "c": "STREAMS",
                "msg": "Stream processor started", "attr": {"tenant": workspace.name, "processor": name}}),
        });
        lines.push(match kind {
            Kind::Audit => json!({"atype": "startStreamProcessor", "ts": {"$date": at(offset + 1)},
                "param": {"tenant": workspace.name, "processor": name}, "result": 0}),
            Kind::Operational => json!({"t": {"$date": at(offset + 1)}, "s": "I", "c": "STREAMS",
                "msg": "Checkpoint committed", "attr": {"tenant": workspace.name, "processor": name, "checkpointId": 1}}),
        });
    }
    if lines.is_empty() {
        lines.push(json!({"t": {"$date": at(0)}, "s": "I", "c": "STREAMS",
            "msg": "No stream processor activity in this period", "attr": {"tenant": workspace.name}}));
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    for line in &lines {
        // Writing into a Vec cannot fail; an error would only drop a log line.
        let _ = writeln!(encoder, "{line}");
    }
    let bytes = encoder.finish().unwrap_or_default();
    // The spec names the files `[tenantName]_[spName]_[startTime]_[endTime]_audit.log` and
    // `..._queries.gz`.
    let file_name = match kind {
        Kind::Audit => format!("{}_{sp_name}_{start}_{end}_audit.log.gz", workspace.name),
        Kind::Operational => format!("{}_{sp_name}_{start}_{end}_queries.gz", workspace.name),
    };
    Ok(Outcome::Gzip { file_name, bytes })
}
