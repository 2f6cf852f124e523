//! The generator runs unchanged on MongoDB's official Streams spec (recursive oneOf/allOf,
//! readOnly on a request body, a oneOf of string enums, empty media types, `:` paths, two
//! names per operation ...), and the crate it produces compiles: `build.rs` generates it and
//! this test crate includes it. The snapshot shows the result for review.

// The generated code reaches the runtime as `crate::runtime`, as it does in the real crate.
use atlas_streams_runtime as runtime;

#[allow(dead_code, unused_imports, clippy::large_enum_variant, deprecated)]
mod official {
    pub mod models {
        include!(concat!(env!("OUT_DIR"), "/fixtures/official/src/models.rs"));
    }
    pub mod operations {
        include!(concat!(env!("OUT_DIR"), "/fixtures/official/src/operations.rs"));
    }
    pub mod builders {
        include!(concat!(env!("OUT_DIR"), "/fixtures/official/src/builders.rs"));
    }
    pub mod waiters {
        include!(concat!(env!("OUT_DIR"), "/fixtures/official/src/waiters.rs"));
    }
    pub mod mocks {
        include!(concat!(env!("OUT_DIR"), "/fixtures/official/src/mocks.rs"));
    }
}

mod checks {
    use super::official::builders;
    use super::official::models::{
        BaseStreamsRegion, PaginatedApiStreamsConnectionView, StreamsConnection, StreamsConnectionRequest,
        StreamsProcessorWithStats,
    };
    use serde_json::json;

    fn output(file: &str) -> String {
        std::fs::read_to_string(format!("{}/fixtures/official/src/{file}", env!("OUT_DIR"))).unwrap()
    }

    /// MongoDB's own spec raises no warning today; one that appears (a new construct the client
    /// cannot represent exactly) must be looked at, so the list is asserted, not just printed.
    #[test]
    fn the_official_spec_raises_no_warning() {
        let spec = atlas_streams_workspace::workspace_root().join("spec/upstream/atlas-streams-official.yaml");
        let generated = atlas_streams_generator::generate(&spec).expect("the official spec generates");
        assert!(generated.warnings.is_empty(), "{}", generated.warnings);
    }

    #[test]
    fn the_generated_code_is_snapshotted() {
        insta::assert_snapshot!("official_models", output("models.rs"));
        insta::assert_snapshot!("official_operations", output("operations.rs"));
        insta::assert_snapshot!("official_builders", output("builders.rs"));
    }

    #[test]
    fn every_operation_is_a_method_named_by_its_short_name() {
        let operations = output("operations.rs");
        let methods = operations.matches("    pub fn ").count();
        assert_eq!(
            output("builders.rs")
                .matches("pub const OPERATION: rt::__private::Operation")
                .count(),
            37
        );
        assert!(methods > 37);
        for short in [
            "list_stream_workspaces",
            "start_stream_processor_with",
            "download_operational_logs",
            "accept_vpc_peering_connection",
        ] {
            assert!(operations.contains(&format!("pub fn {short}(")), "{short}");
        }
        assert_eq!(
            builders::StartStreamProcessor::OPERATION.path,
            "/api/atlas/v2/groups/{groupId}/streams/{tenantName}/processor/{processorName}:start"
        );
        assert_eq!(builders::DownloadOperationalLogs::OPERATION.media_suffix, "gzip");
    }

    #[test]
    fn a_page_of_all_ten_connection_types_decodes_and_round_trips() {
        let page = json!({
            "results": [
                {"name": "s", "type": "Sample"},
                {"name": "c", "type": "Cluster", "clusterName": "c0", "dbRoleToExecute": null},
                {"name": "k", "type": "Kafka", "bootstrapServers": "b:9092", "config": {"b": "2", "a": "1"}},
                {"name": "h", "type": "Https", "url": "https://x", "headers": {"k": "v"}},
                {"name": "l", "type": "AWSLambda", "aws": {"roleArn": "arn"}},
                {"name": "3", "type": "S3", "aws": {"testBucket": "b"}},
                {"name": "kin", "type": "AWSKinesisDataStreams", "aws": {"roleArn": "arn"}},
                {"name": "sr", "type": "SchemaRegistry", "provider": "CONFLUENT", "schemaRegistryUrls": ["https://r"],
                 "schemaRegistryAuthentication": {"type": "USER_INFO", "username": "u"}},
                {"name": "az", "type": "AzureBlobStorage", "azure": {"storageAccountName": "acct"}},
                {"name": "g", "type": "GCPPubSub", "gcp": {"serviceAccountId": "sa@x"}},
                {"name": "new", "type": "Quantum", "qubits": 9007199254740993_i64}
            ],
            "totalCount": 11
        });
        let decoded: PaginatedApiStreamsConnectionView = serde_json::from_value(page.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), page);
        let tags: Vec<&str> = decoded.results.iter().filter_map(StreamsConnection::tag).collect();
        assert_eq!(tags.len(), 11);
        assert!(matches!(decoded.results[10], StreamsConnection::Unknown(_)));
    }

    #[test]
    fn the_readonly_request_body_still_carries_its_fields() {
        // The official spec marks all of StreamsConnection readOnly, yet it is the create body:
        // the request type keeps the writable fields and the secrets, and drops `id`, `links`, `state`.
        let request: StreamsConnectionRequest = serde_json::from_value(json!({
            "type": "Kafka", "name": "k", "authentication": {"mechanism": "PLAIN", "password": "p"}
        }))
        .unwrap();
        assert_eq!(
            serde_json::to_value(&request).unwrap()["authentication"]["password"],
            "p"
        );
        assert!(!format!("{request:?}").contains("\"p\""));
    }

    #[test]
    fn processor_pipelines_and_stats_keep_order_and_64_bit_integers() {
        let processor = json!({
            "_id": "32b6e34b3d91647abb20e7b8",
            "name": "p",
            "state": "STARTED",
            "pipeline": [{"$source": {"connectionName": "k", "topic": "t"}}, {"$match": {"z": 1, "a": 18446744073709551615_u64}}],
            "stats": {"inputMessageCount": 9223372036854775807_i64, "b": 1, "a": 2}
        });
        let decoded: StreamsProcessorWithStats = serde_json::from_value(processor.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), processor);
        let text = serde_json::to_string(&decoded).unwrap();
        assert!(
            text.contains("18446744073709551615") && text.contains("9223372036854775807"),
            "{text}"
        );
        assert!(
            text.find("\"b\":1").unwrap() < text.find("\"a\":2").unwrap(),
            "stats keep key order: {text}"
        );
        assert!(
            text.find("\"z\":1").unwrap() < text.find("\"a\":18446744073709551615").unwrap(),
            "a stage keeps key order"
        );
    }

    #[test]
    fn regions_of_every_provider_are_one_enum() {
        assert_eq!(BaseStreamsRegion::from("westeurope"), BaseStreamsRegion::Westeurope);
        assert_eq!(BaseStreamsRegion::from("US_CENTRAL1"), BaseStreamsRegion::UsCentral1);
    }
}
