//! What Atlas checks of a processor's pipeline when it is created or modified, beyond its
//! types (which the spec walker checked already: a stage whose key the spec does not name, or
//! that is not an object with one key, was refused there).
//!
//! - The order rules MongoDB's docs state (first stage `$source`, a sink last, only the stages
//!   a window allows inside it, ...): the client's own check, the one the typed client runs
//!   before it sends, so that the emulator refuses exactly what a client built with a check
//!   switched off, or any other client, would have Atlas refuse.
//! - Every `connectionName` names a connection of the workspace: the docs of `$source`,
//!   `$emit`, `$merge`, `$lookup`, `$https` and `$externalFunction` each say the name is one
//!   "from the connection registry". `__testLog` is a sink every workspace has: MongoDB's
//!   Terraform provider emits to it in its example and tests with no connection of that name.

use serde_json::Value;

use super::common::invalid;
use crate::codes;
use crate::error::ApiError;

/// The sink every workspace has (see the module's docs).
const TEST_LOG: &str = "__testLog";

/// Checks `pipeline` (the body's `pipeline`) against the order rules and `connections`.
pub(crate) fn check<'a>(pipeline: &Value, connections: impl Iterator<Item = &'a str> + Clone) -> Result<(), ApiError> {
    // Each stage's fields were checked against its type by the spec walker already.
    atlas_streams_runtime::__private::check_pipeline(pipeline, "/pipeline", |_| None).map_err(|e| {
        let at = field(&e.at);
        invalid(
            codes::STREAM_PROCESSOR_INVALID_PIPELINE,
            format!("Invalid pipeline at {at}: {}.", e.reason),
        )
        .with_parameters([at])
    })?;
    let mut named = Vec::new();
    connection_names(pipeline, "/pipeline", &mut named);
    for (at, name) in named {
        if name != TEST_LOG && !connections.clone().any(|c| c == name) {
            return Err(invalid(
                codes::STREAM_PROCESSOR_CONNECTION_NOT_FOUND,
                format!(
                    "No connection named {name} in the connection registry (at {}).",
                    field(&at)
                ),
            )
            .with_parameters([name]));
        }
    }
    Ok(())
}

/// A JSON pointer (`/pipeline/1/$source`) written as the emulator names a field elsewhere
/// (`pipeline[1].$source`).
fn field(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

/// Each `connectionName` of the stages in `stages` with where it is: a stage's own, that of its
/// `into` (`$merge`) or `from` (`$lookup`), and those of a window's inner pipeline.
fn connection_names<'v>(stages: &'v Value, at: &str, out: &mut Vec<(String, &'v str)>) {
    let Some(stages) = stages.as_array() else {
        return;
    };
    for (i, stage) in stages.iter().enumerate() {
        let Some((key, body)) = stage.as_object().and_then(|s| s.iter().next()) else {
            continue;
        };
        let here = format!("{at}/{i}/{}", key.replace('~', "~0").replace('/', "~1"));
        for (place, holder) in [
            ("", Some(body)),
            ("/into", body.get("into")),
            ("/from", body.get("from")),
        ] {
            if let Some(name) = holder.and_then(|h| h.get("connectionName")).and_then(Value::as_str) {
                out.push((format!("{here}{place}/connectionName"), name));
            }
        }
        if let Some(inner) = body.get("pipeline") {
            connection_names(inner, &format!("{here}/pipeline"), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_connection_name_is_found_with_its_place() {
        let pipeline = json!([
            {"$source": {"connectionName": "kafka", "topic": "t"}},
            {"$lookup": {"from": {"connectionName": "cluster", "db": "d", "coll": "c"}, "as": "x"}},
            {"$tumblingWindow": {"interval": {"size": 1, "unit": "second"}, "pipeline": [
                {"$group": {"_id": null}}
            ]}},
            {"$merge": {"into": {"connectionName": "cluster", "db": "d", "coll": "c"}}}
        ]);
        let mut named = Vec::new();
        connection_names(&pipeline, "/pipeline", &mut named);
        assert_eq!(
            named,
            [
                ("/pipeline/0/$source/connectionName".to_owned(), "kafka"),
                ("/pipeline/1/$lookup/from/connectionName".to_owned(), "cluster"),
                ("/pipeline/3/$merge/into/connectionName".to_owned(), "cluster"),
            ]
        );
        assert!(check(&pipeline, ["kafka", "cluster"].into_iter()).is_ok());
        let refused = check(&pipeline, ["kafka"].into_iter()).unwrap_err();
        assert_eq!(refused.code, codes::STREAM_PROCESSOR_CONNECTION_NOT_FOUND);
    }

    #[test]
    fn a_misplaced_source_is_refused_with_its_place() {
        let pipeline = json!([
            {"$match": {"a": 1}},
            {"$source": {"connectionName": "kafka"}},
            {"$emit": {"connectionName": "kafka", "topic": "out"}}
        ]);
        let refused = check(&pipeline, ["kafka"].into_iter()).unwrap_err();
        assert_eq!(refused.code, codes::STREAM_PROCESSOR_INVALID_PIPELINE);
        assert_eq!(refused.parameters, [serde_json::Value::from("pipeline[1]")]);
    }
}
