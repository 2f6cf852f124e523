//! The documented rules of an Atlas stream processing pipeline, checked before a pipeline is
//! sent (the request body properties the spec marks `x-stream-pipeline`): a pipeline that
//! breaks one would be sent, and refused later by Atlas or, worse, accepted and run wrong.
//!
//! Each rule names the page of MongoDB's docs that states it ([`PipelineRule::source`]); only
//! what a page states is checked. A stage this version does not know is let through (Atlas may
//! have added it), unless it is one letter or two away from a known stage's name (`$emitt`):
//! then it is a misspelling, refused with the name it most likely meant.
//!
//! The checks read the pipeline as the JSON it is sent as, so a typed stage, a stage built from
//! JSON and an unknown one are checked alike.

use std::fmt;

use serde_json::Value;

/// A rule of stream processing pipelines (see each rule's [`source`](PipelineRule::source)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PipelineRule {
    /// A stage is an object with exactly one key, the stage's name.
    OneKeyPerStage,
    /// `$source` is the first stage, and the only one.
    SourceFirst,
    /// A sink (`$emit`, `$merge`, `$iceberg`) is the last stage, and the only one.
    SinkLast,
    /// A processor's pipeline ends in a stage that writes its output: `$emit`, `$merge`,
    /// `$iceberg`, `$https` or `$externalFunction`.
    EndsInSink,
    /// `$group`, `$sort`, `$count` and `$limit` run inside a window only.
    InsideWindowOnly,
    /// Sources, sinks, windows and `$throttle` are not allowed inside a window.
    NotInsideWindow,
    /// A pipeline has at most one window stage.
    OneWindow,
    /// `idleTimeout` and `allowedLateness` are not set when the window's `boundary` is
    /// `processingTime`.
    ProcessingTimeLateness,
    /// The `payload` of `$https` and `$externalFunction` holds only `$project`, `$addFields`,
    /// `$replaceRoot` and `$set`.
    PayloadStages,
    /// A pipeline whose `$source` uses `initialSync` has no window.
    InitialSyncWindow,
    /// An unknown stage one or two letters away from a known one: a misspelling.
    Misspelled,
    /// A stage this client types has the fields its page requires, of the documented types
    /// (`$tumblingWindow` needs `interval` and `pipeline`): a stage written as JSON that does
    /// not fit its type is refused, where a typed one could not have been built.
    StageFields,
}

impl PipelineRule {
    /// The page of MongoDB's documentation that states the rule.
    pub fn source(self) -> &'static str {
        match self {
            PipelineRule::OneKeyPerStage => "https://www.mongodb.com/docs/manual/core/aggregation-pipeline/",
            PipelineRule::SourceFirst | PipelineRule::InitialSyncWindow => {
                "https://www.mongodb.com/docs/atlas/atlas-stream-processing/sp-agg-source/"
            }
            PipelineRule::SinkLast => "https://www.mongodb.com/docs/atlas/atlas-stream-processing/sp-agg-emit/",
            PipelineRule::EndsInSink => {
                "https://www.mongodb.com/docs/atlas/atlas-stream-processing/streaming-materialized-views/"
            }
            PipelineRule::InsideWindowOnly | PipelineRule::NotInsideWindow | PipelineRule::PayloadStages => {
                "https://www.mongodb.com/docs/atlas/atlas-stream-processing/stream-aggregation-stages/"
            }
            PipelineRule::OneWindow | PipelineRule::ProcessingTimeLateness => {
                "https://www.mongodb.com/docs/atlas/atlas-stream-processing/sp-agg-tumbling/"
            }
            PipelineRule::Misspelled | PipelineRule::StageFields => {
                "https://www.mongodb.com/docs/atlas/atlas-stream-processing/stream-aggregation/"
            }
        }
    }
}

/// Why a pipeline was refused before it was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineError {
    /// Where in the request body (a JSON pointer: `/pipeline/2/$tumblingWindow/pipeline/0`).
    pub at: String,
    /// The rule it breaks.
    pub rule: PipelineRule,
    /// What is wrong, in words.
    pub reason: String,
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at `{}` ({})", self.reason, self.at, self.rule.source())
    }
}

/// The sinks: stages that write a processor's output and end its pipeline.
const SINKS: &[&str] = &["$emit", "$merge", "$iceberg"];
/// Stages that may end a pipeline besides the sinks (`$https`: its page's Placement section;
/// `$externalFunction`: listed among the sinks of the overview page).
const ALSO_LAST: &[&str] = &["$https", "$externalFunction"];
/// The window stages.
const WINDOWS: &[&str] = &["$tumblingWindow", "$hoppingWindow", "$sessionWindow"];
/// Stages supported inside a window only (the table of supported stages).
const WINDOW_ONLY: &[&str] = &["$group", "$sort", "$count", "$limit"];
/// Stages the table marks for the main pipeline only (and `$throttle`, whose page says so).
const MAIN_ONLY: &[&str] = &[
    "$source",
    "$emit",
    "$merge",
    "$iceberg",
    "$tumblingWindow",
    "$hoppingWindow",
    "$sessionWindow",
    "$throttle",
];
/// What a `$https` or `$externalFunction` payload may hold.
const PAYLOAD: &[&str] = &["$project", "$addFields", "$replaceRoot", "$set"];
/// Every stage the documentation names for stream processing, for telling a misspelling from a
/// newer stage.
const KNOWN: &[&str] = &[
    "$source",
    "$emit",
    "$merge",
    "$iceberg",
    "$validate",
    "$lookup",
    "$cachedLookup",
    "$https",
    "$externalFunction",
    "$tumblingWindow",
    "$hoppingWindow",
    "$sessionWindow",
    "$setStreamMeta",
    "$throttle",
    "$vectorSearch",
    "$match",
    "$project",
    "$addFields",
    "$set",
    "$unset",
    "$replaceRoot",
    "$replaceWith",
    "$redact",
    "$unwind",
    "$group",
    "$sort",
    "$count",
    "$limit",
];

/// Why a stage whose key the client types does not fit that type (`None`: it fits, or its key
/// is one the client does not type). The generated key-tagged union of the stages has one.
pub type StageCheck = fn(&Value) -> Option<String>;

/// Checks a processor's pipeline (`value`, at `at` in the body) against the rules; `misfit`
/// says why a stage does not fit its type (see [`StageCheck`]).
pub fn check_pipeline(value: &Value, at: &str, misfit: StageCheck) -> Result<(), PipelineError> {
    let fail = |at: String, rule: PipelineRule, reason: String| Err(PipelineError { at, rule, reason });
    let Some(stages) = value.as_array() else {
        return fail(
            at.to_owned(),
            PipelineRule::OneKeyPerStage,
            "a pipeline is a list of stages".to_owned(),
        );
    };
    let names = stage_names(stages, at, misfit)?;
    let mut windows = 0;
    for (i, (name, stage)) in names.iter().zip(stages).enumerate() {
        let here = format!("{at}/{i}");
        match *name {
            "$source" if i != 0 => {
                return fail(
                    here,
                    PipelineRule::SourceFirst,
                    format!("`$source` is stage {i}; it must be the first, and the only one"),
                );
            }
            sink if SINKS.contains(&sink) && i + 1 != stages.len() => {
                return fail(
                    here,
                    PipelineRule::SinkLast,
                    format!(
                        "`{sink}` is stage {i} of {}; a sink must be the last stage, and the only one",
                        stages.len()
                    ),
                );
            }
            inner if WINDOW_ONLY.contains(&inner) => {
                return fail(
                    here,
                    PipelineRule::InsideWindowOnly,
                    format!(
                        "`{inner}` runs inside a window only (`$tumblingWindow`, `$hoppingWindow`, `$sessionWindow`)"
                    ),
                );
            }
            window if WINDOWS.contains(&window) => {
                windows += 1;
                if windows > 1 {
                    return fail(
                        here,
                        PipelineRule::OneWindow,
                        "a pipeline has at most one window stage".to_owned(),
                    );
                }
                check_window(window, stage, &here, misfit)?;
            }
            "$https" | "$externalFunction" => check_payload(name, stage, &here, misfit)?,
            _ => {}
        }
    }
    if names.first() != Some(&"$source") {
        let found = names
            .first()
            .map_or_else(|| "no stage".to_owned(), |n| format!("`{n}`"));
        return fail(
            format!("{at}/0"),
            PipelineRule::SourceFirst,
            format!("a processor's pipeline starts with `$source`, not {found}"),
        );
    }
    let last = names.last().copied().unwrap_or_default();
    if !SINKS.contains(&last) && !ALSO_LAST.contains(&last) && KNOWN.contains(&last) {
        return fail(
            format!("{at}/{}", stages.len() - 1),
            PipelineRule::EndsInSink,
            format!("a processor's pipeline ends in a stage that writes its output (`$emit`, `$merge`, `$iceberg`, `$https` or `$externalFunction`), not `{last}`"),
        );
    }
    if windows > 0 && stages[0].pointer("/$source/initialSync").is_some_and(|s| !s.is_null()) {
        return fail(
            format!("{at}/0/$source/initialSync"),
            PipelineRule::InitialSyncWindow,
            "a pipeline whose `$source` uses `initialSync` has no window stage".to_owned(),
        );
    }
    Ok(())
}

/// Each stage's name (its one key), or the stage that has none, or a misspelled one.
fn stage_names<'a>(stages: &'a [Value], at: &str, misfit: StageCheck) -> Result<Vec<&'a str>, PipelineError> {
    let mut names = Vec::with_capacity(stages.len());
    for (i, stage) in stages.iter().enumerate() {
        let here = format!("{at}/{i}");
        let one = stage.as_object().filter(|o| o.len() == 1).and_then(|o| o.keys().next());
        let Some(name) = one else {
            return Err(PipelineError {
                at: here,
                rule: PipelineRule::OneKeyPerStage,
                reason: "a stage is an object with exactly one key, the stage's name".to_owned(),
            });
        };
        if let Some(meant) = misspelling_of(name) {
            return Err(PipelineError {
                at: here,
                rule: PipelineRule::Misspelled,
                reason: format!("`{name}` is no stage; did you mean `{meant}`?"),
            });
        }
        if let Some(why) = misfit(stage) {
            return Err(PipelineError {
                at: format!("{here}/{}", escape(name)),
                rule: PipelineRule::StageFields,
                reason: format!("`{name}` does not have the fields its page documents: {why}"),
            });
        }
        names.push(name.as_str());
    }
    Ok(names)
}

/// The rules of a window's own pipeline and fields.
fn check_window(window: &str, stage: &Value, at: &str, misfit: StageCheck) -> Result<(), PipelineError> {
    let body = &stage[window];
    let here = format!("{at}/{}", escape(window));
    if body.get("boundary").and_then(Value::as_str) == Some("processingTime") {
        for field in ["idleTimeout", "allowedLateness"] {
            if body.get(field).is_some_and(|v| !v.is_null()) {
                return Err(PipelineError {
                    at: format!("{here}/{field}"),
                    rule: PipelineRule::ProcessingTimeLateness,
                    reason: format!("`{field}` cannot be set when the window's `boundary` is `processingTime`"),
                });
            }
        }
    }
    let Some(inner) = body.get("pipeline").and_then(Value::as_array) else {
        return Ok(());
    };
    let inner_at = format!("{here}/pipeline");
    for (i, name) in stage_names(inner, &inner_at, misfit)?.into_iter().enumerate() {
        if MAIN_ONLY.contains(&name) {
            return Err(PipelineError {
                at: format!("{inner_at}/{i}"),
                rule: PipelineRule::NotInsideWindow,
                reason: format!("`{name}` is not allowed inside a window's pipeline"),
            });
        }
        if name == "$https" || name == "$externalFunction" {
            check_payload(name, &inner[i], &format!("{inner_at}/{i}"), misfit)?;
        }
    }
    Ok(())
}

/// The stages of a `$https` or `$externalFunction` payload.
fn check_payload(name: &str, stage: &Value, at: &str, misfit: StageCheck) -> Result<(), PipelineError> {
    let Some(payload) = stage[name].get("payload").and_then(Value::as_array) else {
        return Ok(());
    };
    let payload_at = format!("{at}/{}/payload", escape(name));
    for (i, inner) in stage_names(payload, &payload_at, misfit)?.into_iter().enumerate() {
        if !PAYLOAD.contains(&inner) {
            return Err(PipelineError {
                at: format!("{payload_at}/{i}"),
                rule: PipelineRule::PayloadStages,
                reason: format!("the payload of `{name}` holds only `$project`, `$addFields`, `$replaceRoot` and `$set`, not `{inner}`"),
            });
        }
    }
    Ok(())
}

/// The known stage an unknown name is one or two edits away from, if any.
fn misspelling_of(name: &str) -> Option<&'static str> {
    if KNOWN.contains(&name) {
        return None;
    }
    KNOWN
        .iter()
        .map(|known| (edit_distance(name, known), *known))
        .filter(|(d, known)| *d <= 2 && known.len() > 4)
        .min_by_key(|(d, _)| *d)
        .map(|(_, known)| known)
}

/// Levenshtein distance (stage names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// A JSON pointer segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every stage fits its type (the rules of order, alone).
    fn fits(_: &Value) -> Option<String> {
        None
    }

    /// A stand-in for the generated union's check: `$tumblingWindow` needs `interval`.
    fn needs_interval(stage: &Value) -> Option<String> {
        let window = stage.get("$tumblingWindow")?;
        window
            .get("interval")
            .is_none()
            .then(|| "missing field `interval`".to_owned())
    }

    #[test]
    fn a_known_stage_that_does_not_fit_its_type_is_refused_where_it_is() {
        let source = json!({"$source": {"connectionName": "kafka"}});
        let emit = json!({"$emit": {"connectionName": "kafka", "topic": "out"}});
        let window = json!({"$tumblingWindow": {"pipeline": [{"$group": {"_id": null}}]}});
        let error = check_pipeline(&json!([source, window, emit]), "/pipeline", needs_interval).unwrap_err();
        assert_eq!(
            (error.rule, error.at.as_str()),
            (PipelineRule::StageFields, "/pipeline/1/$tumblingWindow")
        );
        assert!(error.reason.contains("missing field `interval`"), "{error}");
        let fine = json!({"$tumblingWindow": {"interval": {"size": 1, "unit": "second"}, "pipeline": []}});
        assert_eq!(
            check_pipeline(&json!([source, fine, emit]), "/pipeline", needs_interval),
            Ok(())
        );
    }

    fn rule(pipeline: Value) -> Option<(PipelineRule, String)> {
        check_pipeline(&pipeline, "/pipeline", fits)
            .err()
            .map(|e| (e.rule, e.at))
    }

    #[test]
    fn a_documented_pipeline_passes() {
        let pipeline = json!([
            {"$source": {"connectionName": "kafka", "topic": "t"}},
            {"$match": {"a": 1}},
            {"$tumblingWindow": {"interval": {"size": 10, "unit": "second"}, "pipeline": [{"$group": {"_id": "$k", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]}},
            {"$futureStage": {}},
            {"$emit": {"connectionName": "kafka", "topic": "out"}}
        ]);
        assert_eq!(rule(pipeline), None);
    }

    #[test]
    fn each_rule_is_located() {
        let source = json!({"$source": {"connectionName": "c"}});
        let emit = json!({"$emit": {"connectionName": "c"}});
        let cases = [
            (
                json!([{"$match": {}}, emit.clone()]),
                PipelineRule::SourceFirst,
                "/pipeline/0",
            ),
            (
                json!([source.clone(), source.clone(), emit.clone()]),
                PipelineRule::SourceFirst,
                "/pipeline/1",
            ),
            (
                json!([source.clone(), emit.clone(), {"$match": {}}]),
                PipelineRule::SinkLast,
                "/pipeline/1",
            ),
            (
                json!([source.clone(), {"$match": {}}]),
                PipelineRule::EndsInSink,
                "/pipeline/1",
            ),
            (
                json!([source.clone(), {"$group": {"_id": 1}}, emit.clone()]),
                PipelineRule::InsideWindowOnly,
                "/pipeline/1",
            ),
            (
                json!([source.clone(), {"$emitt": {}}]),
                PipelineRule::Misspelled,
                "/pipeline/1",
            ),
            (
                json!([source.clone(), {"$match": {}, "$project": {}}, emit.clone()]),
                PipelineRule::OneKeyPerStage,
                "/pipeline/1",
            ),
            (
                json!([source.clone(), {"$tumblingWindow": {"pipeline": [{"$merge": {}}]}}, emit.clone()]),
                PipelineRule::NotInsideWindow,
                "/pipeline/1/$tumblingWindow/pipeline/0",
            ),
            (
                json!([source.clone(), {"$tumblingWindow": {"pipeline": []}}, {"$hoppingWindow": {"pipeline": []}}, emit.clone()]),
                PipelineRule::OneWindow,
                "/pipeline/2",
            ),
            (
                json!([source.clone(), {"$sessionWindow": {"boundary": "processingTime", "allowedLateness": 0}}, emit.clone()]),
                PipelineRule::ProcessingTimeLateness,
                "/pipeline/1/$sessionWindow/allowedLateness",
            ),
            (
                json!([source.clone(), {"$https": {"payload": [{"$match": {}}]}}, emit.clone()]),
                PipelineRule::PayloadStages,
                "/pipeline/1/$https/payload/0",
            ),
            (
                json!([{"$source": {"connectionName": "c", "initialSync": {"enable": true}}}, {"$tumblingWindow": {}}, emit.clone()]),
                PipelineRule::InitialSyncWindow,
                "/pipeline/0/$source/initialSync",
            ),
        ];
        for (pipeline, expected, at) in cases {
            assert_eq!(rule(pipeline.clone()), Some((expected, at.to_owned())), "{pipeline}");
        }
        let error = check_pipeline(&json!([source, {"$emitt": {}}]), "/pipeline", fits).unwrap_err();
        assert!(error.to_string().contains("did you mean `$emit`?"), "{error}");
    }
}
