//! Typed stream processing pipelines on a corpus of 60 pipelines written from MongoDB's
//! documented examples (`tests/pipelines/`, each file's source in its `INDEX.md`) and on the
//! example pipelines of the curated spec (the seed pages print none): every one decodes into
//! typed stages and encodes back byte for byte (unknown stages and fields kept, key order and
//! 64-bit integers intact); the complete ones pass the checks a processor's pipeline gets before
//! it is sent, and the ones that break a documented rule are refused with that rule, before any
//! request, by the client over HTTP. The emulator refuses what Atlas would, and the typed client
//! shows it.

mod common;
mod emulated;

use atlas_streams::error::PipelineRule;
use atlas_streams::models::{
    StreamsEmitStage, StreamsPipelineStage as Stage, StreamsProcessorRequest, StreamsSourceStage, StreamsTimeInterval,
    StreamsTumblingWindowStage,
};
use atlas_streams::Error;
use common::{Canned, TestServer};
use serde_json::{json, Value};

use emulated::GROUP;

/// Every corpus file: (name, text, status from INDEX.md).
fn corpus() -> Vec<(String, String, String)> {
    let dir = atlas_streams_workspace::workspace_root().join("tests/pipelines");
    let index = std::fs::read_to_string(dir.join("INDEX.md")).unwrap();
    let mut files = Vec::new();
    for line in index.lines().filter(|l| l.starts_with("| ") && l.contains(".json")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (file, status) = (cells[1], cells[4]);
        let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        files.push((file.to_owned(), text, status.to_owned()));
    }
    files
}

/// The stages at the top of a pipeline that this version does not type.
fn unknown(stages: &[Stage]) -> Vec<String> {
    stages
        .iter()
        .filter(|s| matches!(s, Stage::Unknown(_)))
        .map(|s| s.key().unwrap_or("(no single key)").to_owned())
        .collect()
}

#[test]
fn every_documented_pipeline_decodes_typed_and_encodes_back_byte_for_byte() {
    let files = corpus();
    assert_eq!(files.len(), 60, "the index lists every file");
    let mut typed_stages = 0;
    for (file, text, status) in &files {
        // The file's own compact form: its keys in their order, its numbers as written.
        let compact = serde_json::to_string(&serde_json::from_str::<Value>(text).unwrap()).unwrap();
        let stages: Vec<Stage> = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file} does not decode: {e}"));
        assert_eq!(
            serde_json::to_string(&stages).unwrap(),
            compact,
            "{file} re-encodes otherwise"
        );
        let unknown = unknown(&stages);
        typed_stages += stages.len() - unknown.len();
        match status.as_str() {
            // What a known page documents is typed, top to bottom.
            // (Where a page's examples leave out a field its table marks required, the curated
            // spec makes it optional, so that these decode typed too: `$iceberg.databaseName`.)
            "valid"
            | "valid (sp.process only)"
            | "partial"
            | "invalid-order"
            | "invalid-rule"
            | "schema-mismatch (docs)" => {
                assert!(unknown.is_empty(), "{file} ({status}): untyped stages {unknown:?}");
            }
            "unknown, must survive" => {}
            other => panic!("{file}: unknown status {other}"),
        }
    }
    assert!(typed_stages > 150, "{typed_stages}");
}

#[test]
fn sixty_four_bit_integers_and_unknown_stages_survive() {
    let text = std::fs::read_to_string(
        atlas_streams_workspace::workspace_root().join("tests/pipelines/47-ours-bigint-match.json"),
    )
    .unwrap();
    assert!(text.contains("9007199254740993"));
    let stages: Vec<Stage> = serde_json::from_str(&text).unwrap();
    assert!(serde_json::to_string(&stages).unwrap().contains("9007199254740993"));
    let stages: Vec<Stage> = serde_json::from_value(json!([
        {"$source": {"connectionName": "c", "topic": "t", "futureField": {"b": 1, "a": 2}}},
        {"$futureStage": {"x": [1, 2]}},
        {"$emit": {"connectionName": "c", "topic": "o"}}
    ]))
    .unwrap();
    let Stage::Source(source) = &stages[0] else {
        panic!("{:?}", stages[0])
    };
    assert_eq!(source.connection_name.as_deref(), Some("c"));
    assert_eq!(source.extra["futureField"], json!({"b": 1, "a": 2}));
    assert_eq!(stages[1].key(), Some("$futureStage"));
    assert_eq!(
        serde_json::to_string(&stages).unwrap(),
        r#"[{"$source":{"connectionName":"c","topic":"t","futureField":{"b":1,"a":2}}},{"$futureStage":{"x":[1,2]}},{"$emit":{"connectionName":"c","topic":"o"}}]"#
    );
}

/// The complete pipelines of the corpus are sent as they are; those that break a documented
/// rule are refused with it, and nothing is sent.
#[tokio::test]
async fn the_client_checks_a_pipeline_before_sending_it() {
    let server =
        TestServer::with_handler(|_| Canned::new(200, "application/vnd.atlas.2024-05-30+json", json!({"name": "p"})))
            .await;
    let client = server.client();
    let expected_rule = |file: &str| match &file[..2] {
        "55" => PipelineRule::SourceFirst,
        "56" => PipelineRule::SinkLast,
        "57" => PipelineRule::InsideWindowOnly,
        "58" => PipelineRule::NotInsideWindow,
        "59" => PipelineRule::OneWindow,
        "60" => PipelineRule::ProcessingTimeLateness,
        _ => PipelineRule::EndsInSink,
    };
    let (mut sent, mut refused) = (0, 0);
    for (file, text, status) in corpus() {
        let stages: Vec<Stage> = serde_json::from_str(&text).unwrap();
        let body = StreamsProcessorRequest::new().name("p").pipeline(stages);
        let before = server.received().len();
        let result = client.create_stream_processor(GROUP, "ws", body).await;
        match status.as_str() {
            "valid" => {
                result.unwrap_or_else(|e| panic!("{file}: {e}"));
                let request = server.received().pop().unwrap();
                let pipeline = &serde_json::from_slice::<Value>(&request.body).unwrap()["pipeline"];
                assert_eq!(
                    pipeline.to_string(),
                    serde_json::from_str::<Value>(&text).unwrap().to_string(),
                    "{file}"
                );
                sent += 1;
            }
            "invalid-order" | "invalid-rule" | "valid (sp.process only)" => {
                let Err(Error::InvalidPipeline { error, .. }) = result else {
                    panic!("{file} ({status}) is not refused: {result:?}");
                };
                assert_eq!(error.rule, expected_rule(&file), "{file}: {error}");
                assert_eq!(server.received().len(), before, "{file}: nothing is sent");
                refused += 1;
            }
            _ => {}
        }
    }
    assert_eq!((sent, refused), (33, 9));
}

/// The README's pipeline: `$source` (a Kafka topic) → `$match` → `$tumblingWindow` (`$group`)
/// → `$emit` (Kafka), built with the typed stages, is the docs' JSON.
#[test]
fn a_pipeline_reads_like_the_docs() {
    let pipeline: Vec<Stage> = vec![
        StreamsSourceStage::new()
            .connection_name("kafkaprod")
            .topic("stocks")
            .into(),
        json!({"$match": {"exchange": "NYSE"}}).into(),
        StreamsTumblingWindowStage::new(
            StreamsTimeInterval::new(60, "second"),
            vec![json!({"$group": {"_id": "$symbol", "avgPrice": {"$avg": "$price"}}}).into()],
        )
        .into(),
        StreamsEmitStage::new("kafkaprod").topic("stock_averages").into(),
    ];
    assert_eq!(
        serde_json::to_value(&pipeline).unwrap(),
        json!([
            {"$source": {"connectionName": "kafkaprod", "topic": "stocks"}},
            {"$match": {"exchange": "NYSE"}},
            {"$tumblingWindow": {"interval": {"size": 60, "unit": "second"}, "pipeline": [
                {"$group": {"_id": "$symbol", "avgPrice": {"$avg": "$price"}}}
            ]}},
            {"$emit": {"connectionName": "kafkaprod", "topic": "stock_averages"}}
        ])
    );
    assert!(matches!(pipeline[1], Stage::Match(_)), "JSON of a known stage is typed");
}

/// Every example pipeline of the curated spec (a property named `pipeline` with an `example`)
/// decodes into typed stages, re-encodes as written, and passes the checks.
#[test]
fn the_spec_example_pipelines_decode_typed() {
    let text =
        std::fs::read_to_string(atlas_streams_workspace::workspace_root().join("spec/atlas-streams.yaml")).unwrap();
    let spec: Value = serde_yaml::from_str(&text).unwrap();
    let mut examples = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if let Some(example) = schema.pointer("/properties/pipeline/example") {
            examples.push((name.clone(), example.clone()));
        }
    }
    assert_eq!(examples.len(), 2, "{examples:?}");
    for (name, example) in examples {
        let stages: Vec<Stage> = serde_json::from_value(example.clone()).unwrap();
        assert!(unknown(&stages).is_empty(), "{name}: {stages:?}");
        assert_eq!(serde_json::to_value(&stages).unwrap(), example, "{name}");
        let body = StreamsProcessorRequest::new().name("p").pipeline(stages);
        assert_eq!(serde_json::to_value(&body).unwrap()["pipeline"], example);
    }
}

/// The emulator checks a pipeline as Atlas does; the typed client shows each refusal: a
/// `connectionName` no connection of the workspace has comes back as Atlas' 400, a misplaced
/// `$source` never leaves the client. Fixed, the same processor is created.
#[tokio::test]
async fn the_emulator_refuses_what_atlas_would_and_the_client_says_so() {
    let (_emulator, client) = emulated::start(std::time::Duration::ZERO).await;
    client
        .create_stream_workspace(GROUP, emulated::workspace("ws"))
        .await
        .unwrap();
    client
        .create_stream_connection(GROUP, "ws", emulated::kafka("events", "broker:9092"))
        .await
        .unwrap();
    let pipeline = |sink: &str| -> Vec<Stage> {
        vec![
            StreamsSourceStage::new().connection_name("events").topic("in").into(),
            json!({"$match": {"level": "error"}}).into(),
            StreamsEmitStage::new(sink).topic("errors").into(),
        ]
    };

    let unknown_sink = StreamsProcessorRequest::new().name("p").pipeline(pipeline("nowhere"));
    let error = client
        .create_stream_processor(GROUP, "ws", unknown_sink)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error}");
    assert_eq!(
        error.error_code(),
        Some("STREAM_PROCESSOR_CONNECTION_NOT_FOUND"),
        "{error}"
    );

    let mut misplaced = pipeline("events");
    misplaced.swap(0, 1);
    let body = StreamsProcessorRequest::new().name("p").pipeline(misplaced);
    let error = client.create_stream_processor(GROUP, "ws", body).await.unwrap_err();
    let Error::InvalidPipeline { error: refused, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (refused.at.as_str(), refused.rule),
        ("/pipeline/1", PipelineRule::SourceFirst)
    );
    // (Refused before any I/O: `the_client_checks_a_pipeline_before_sending_it` counts requests.)
    let missing = client.get_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(missing.is_not_found(), "{missing}");

    let good = StreamsProcessorRequest::new().name("p").pipeline(pipeline("events"));
    let created = client.create_stream_processor(GROUP, "ws", good).await.unwrap();
    assert_eq!(created.pipeline.as_deref().map(<[Stage]>::len), Some(3));
}

/// The mistakes that used to compile, be sent and fail later in Atlas: a misspelled stage, a
/// window without its `interval` (written as JSON: the typed window cannot be built without
/// one), a `$source` that is not first. Each is refused with its rule and place; none is sent.
#[tokio::test]
async fn common_mistakes_are_refused_before_anything_is_sent() {
    let server =
        TestServer::with_handler(|_| Canned::new(200, "application/vnd.atlas.2024-05-30+json", json!({}))).await;
    let client = server.client();
    let source = || -> Stage { StreamsSourceStage::new().connection_name("kafka").topic("in").into() };
    let emit = || -> Stage { StreamsEmitStage::new("kafka").topic("out").into() };
    let cases: [(Vec<Stage>, PipelineRule, &str); 3] = [
        (
            vec![source(), json!({"$emitt": {"connectionName": "kafka"}}).into()],
            PipelineRule::Misspelled,
            "/pipeline/1",
        ),
        (
            vec![
                source(),
                json!({"$tumblingWindow": {"pipeline": [{"$count": "n"}]}}).into(),
                emit(),
            ],
            PipelineRule::StageFields,
            "/pipeline/1/$tumblingWindow",
        ),
        (
            vec![json!({"$match": {"a": 1}}).into(), source(), emit()],
            PipelineRule::SourceFirst,
            "/pipeline/1",
        ),
    ];
    for (pipeline, rule, at) in cases {
        let body = StreamsProcessorRequest::new().name("p").pipeline(pipeline);
        let error = client.create_stream_processor(GROUP, "ws", body).await.unwrap_err();
        let Error::InvalidPipeline { error: refused, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((refused.rule, refused.at.as_str()), (rule, at), "{refused}");
        assert!(error.to_string().contains(rule.source()), "{error}");
    }
    assert!(server.received().is_empty(), "nothing was sent");
}
