//! Stateful flows with the typed client against the emulator, one per resource: create → list →
//! get → update → (start → stop) → delete, and what each step leaves behind. (The wire tests,
//! `client_e2e.rs` and the others, keep asserting exact headers and bodies against servers
//! that check them; these check that the client and a stateful API agree on whole flows.)

mod emulated;

use std::collections::BTreeMap;
use std::time::Duration;

use atlas_streams::models::{
    AccountDetails, DbRoleToExecuteRequest, DbRoleType, StreamConfigRequest, StreamWorkspaceTier,
    StreamsClusterConnectionRequest, StreamsConnection, StreamsConnectionRequest, StreamsFailoverConnection,
    StreamsFailoverKafkaConnectionRequest, StreamsHttpsConnectionRequest, StreamsModifyStreamProcessor,
    StreamsPrivateLinkConnectionRequest, StreamsProcessorState, StreamsProcessorStatsStatus,
    StreamsSampleConnectionRequest, StreamsStartStreamProcessorWith, StreamsTenantUpdateRequest,
    VpcPeeringActionChallenge,
};
use atlas_streams::Client;
use atlas_streams_emulator::PeeringSeed;
use emulated::{kafka, private_link, processor, start, workspace, workspace_with_processor, GROUP};
use futures_util::TryStreamExt;

/// Transitions take no time here (the waiters' tests give them some): each flow checks states.
const NOW: Duration = Duration::ZERO;

async fn names_of_workspaces(client: &Client) -> Vec<String> {
    let all: Vec<_> = client
        .list_stream_workspaces(GROUP)
        .items()
        .try_collect()
        .await
        .unwrap();
    all.into_iter().filter_map(|w| w.name).collect()
}

#[tokio::test]
async fn workspaces() {
    let (_emulator, client) = start(NOW).await;
    let created = client.create_stream_workspace(GROUP, workspace("ws")).await.unwrap();
    assert_eq!(created.name.as_deref(), Some("ws"));
    assert_eq!(created.group_id.as_ref().map(|g| g.as_str()), Some(GROUP));
    assert!(created.hostnames.as_ref().is_some_and(|h| !h.is_empty()));
    // The spec has no schema for this body (free-form JSON).
    let demo =
        serde_json::json!({"name": "demo", "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}});
    let second = client
        .with_stream_sample_connections(GROUP, demo.as_object().cloned().unwrap())
        .await
        .unwrap();
    assert_eq!(second.connections.map(|c| c.len()), Some(1), "the solar sample");
    assert_eq!(names_of_workspaces(&client).await, ["ws", "demo"]);

    let got = client
        .get_stream_workspace(GROUP, "demo")
        .include_connections(true)
        .await
        .unwrap();
    assert!(
        matches!(&got.connections.as_deref(), Some([StreamsConnection::Sample(_)])),
        "{got:?}"
    );

    let update =
        StreamsTenantUpdateRequest::new().stream_config(StreamConfigRequest::new().tier(StreamWorkspaceTier::Sp30));
    let updated = client.update_stream_workspace(GROUP, "ws", update).await.unwrap();
    let tier = updated.stream_config.into_option().and_then(|c| c.tier);
    assert_eq!(tier, Some(StreamWorkspaceTier::Sp30));

    client.delete_stream_workspace(GROUP, "demo").await.unwrap();
    let gone = client.get_stream_workspace(GROUP, "demo").await.unwrap_err();
    assert_eq!(gone.error_code(), Some("STREAM_TENANT_NOT_FOUND_FOR_NAME"));
    assert_eq!(names_of_workspaces(&client).await, ["ws"]);
    let again = client
        .create_stream_workspace(GROUP, workspace("ws"))
        .await
        .unwrap_err();
    assert!(again.is_conflict(), "{again:?}");
}

#[tokio::test]
async fn connections_of_several_types() {
    let (emulator, client) = start(NOW).await;
    client.create_stream_workspace(GROUP, workspace("ws")).await.unwrap();
    let requests: [StreamsConnectionRequest; 4] = [
        kafka("kafka", "broker:9092").into(),
        StreamsSampleConnectionRequest::new().name("sample_stream_solar").into(),
        StreamsClusterConnectionRequest::new()
            .name("cluster")
            .cluster_name("Cluster0")
            .db_role_to_execute(
                DbRoleToExecuteRequest::new()
                    .role("atlasAdmin")
                    .r#type(DbRoleType::BuiltIn),
            )
            .into(),
        StreamsHttpsConnectionRequest::new()
            .name("https")
            .url("https://api.example.com/hook")
            .headers(BTreeMap::from([("x-key".to_owned(), "v".to_owned())]))
            .into(),
    ];
    for request in requests {
        let created = client.create_stream_connection(GROUP, "ws", request).await.unwrap();
        let name = match &created {
            StreamsConnection::Kafka(c) => c.name.clone(),
            StreamsConnection::Sample(c) => c.name.clone(),
            StreamsConnection::Cluster(c) => c.name.clone(),
            StreamsConnection::Https(c) => c.name.clone(),
            other => panic!("{other:?}"),
        };
        let name = name.unwrap();
        let ready = client.wait_until_connection_ready(GROUP, "ws", &name).await.unwrap();
        assert_eq!(ready.tag(), created.tag());
    }
    let listed: Vec<StreamsConnection> = client
        .list_stream_connections(GROUP, "ws")
        .items_per_page(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    let tags: Vec<_> = listed.iter().filter_map(|c| c.tag()).collect();
    assert_eq!(tags, ["Kafka", "Sample", "Cluster", "Https"], "every page, in order");

    // The secret went in and never comes back.
    let StreamsConnection::Kafka(got) = client.get_stream_connection(GROUP, "ws", "kafka").await.unwrap() else {
        panic!("a Kafka connection")
    };
    let auth = got.authentication.unwrap();
    assert_eq!(auth.username.as_deref(), Some("svc"));
    assert!(!format!("{:?}", auth.extra).contains("hunter2"));

    // PATCH takes the whole connection.
    let updated = client
        .update_stream_connection(GROUP, "ws", "kafka", kafka("kafka", "broker-2:9092"))
        .await
        .unwrap();
    let StreamsConnection::Kafka(updated) = updated else {
        panic!("a Kafka connection")
    };
    assert_eq!(updated.bootstrap_servers.as_deref(), Some("broker-2:9092"));

    // Failover connections under the Kafka connection.
    let dr = StreamsFailoverKafkaConnectionRequest::new()
        .name("kafka-dr")
        .region("OHIO_USA")
        .bootstrap_servers("dr:9092");
    let created = client
        .create_failover_connection(GROUP, "ws", "kafka", dr)
        .await
        .unwrap();
    let StreamsFailoverConnection::Kafka(created) = created else {
        panic!("a Kafka failover connection")
    };
    let id = created.id.unwrap();
    let page = client.list_failover_connections(GROUP, "ws", "kafka").await.unwrap();
    assert_eq!(page.results.len(), 1);
    let changed = StreamsFailoverKafkaConnectionRequest::new()
        .name("kafka-dr")
        .bootstrap_servers("dr-2:9092");
    let updated = client
        .update_stream_failover_connection(GROUP, "ws", "kafka", id.as_str(), changed)
        .await
        .unwrap();
    assert!(
        matches!(&updated, StreamsFailoverConnection::Kafka(k) if k.bootstrap_servers.as_deref() == Some("dr-2:9092"))
    );
    client
        .delete_stream_failover_connection(GROUP, "ws", "kafka", id.as_str())
        .await
        .unwrap();
    assert!(client
        .get_stream_failover_connection(GROUP, "ws", "kafka", id.as_str())
        .await
        .unwrap_err()
        .is_not_found());

    // A failed connection fails its waiter; deletes.
    emulator.fail_connection(GROUP, "ws", "https").unwrap();
    let failed = client
        .wait_until_connection_ready(GROUP, "ws", "https")
        .await
        .unwrap_err();
    assert_eq!(failed.state(), Some("FAILED"));
    client.delete_stream_connection(GROUP, "ws", "https").await.unwrap();
    let gone = client.get_stream_connection(GROUP, "ws", "https").await.unwrap_err();
    assert_eq!(gone.error_code(), Some("STREAM_CONNECTION_NOT_FOUND"));
    let page = client.list_stream_connections(GROUP, "ws").await.unwrap();
    assert_eq!(page.total_count, Some(3));
}

#[tokio::test]
async fn processors() {
    let (_emulator, client) = start(NOW).await;
    workspace_with_processor(&client).await;
    let created = client
        .create_stream_processor(GROUP, "ws", processor("q", "events", "events"))
        .await
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("q"));
    let all: Vec<_> = client
        .get_stream_processors(GROUP, "ws")
        .items()
        .map_ok(|p| (p.name, p.state))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all,
        [
            ("p".into(), StreamsProcessorState::Created),
            ("q".into(), StreamsProcessorState::Created)
        ]
    );

    // Modify while not running.
    let modify = StreamsModifyStreamProcessor::new().tier(StreamWorkspaceTier::Sp10);
    let modified = client
        .update_stream_processor(GROUP, "ws", "p", modify.clone())
        .await
        .unwrap();
    assert_eq!(modified.tier, Some(StreamWorkspaceTier::Sp10));

    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    let running = client.wait_until_processor_started(GROUP, "ws", "p").await.unwrap();
    let stats = running.stats.as_ref().expect("a running processor's stats");
    assert_eq!(stats.status, Some(StreamsProcessorStatsStatus::Running));
    assert!(stats.input_message_count.is_some_and(|n| n >= 0), "{stats:?}");
    // A running processor cannot be modified or started again.
    let refused = client
        .update_stream_processor(GROUP, "ws", "p", modify)
        .await
        .unwrap_err();
    assert_eq!(refused.error_code(), Some("STREAM_PROCESSOR_INVALID_STATE_TRANSITION"));
    let refused = client.start_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(refused.is_conflict(), "{refused:?}");

    client.stop_stream_processor(GROUP, "ws", "p").await.unwrap();
    client.wait_until_processor_stopped(GROUP, "ws", "p").await.unwrap();
    // Started again with options.
    let with = StreamsStartStreamProcessorWith::new().tier(StreamWorkspaceTier::Sp30);
    client
        .start_stream_processor_with(GROUP, "ws", "p")
        .body(with)
        .await
        .unwrap();
    let running = client.wait_until_processor_started(GROUP, "ws", "p").await.unwrap();
    assert_eq!(running.tier, Some(StreamWorkspaceTier::Sp30));

    // Logs name the processors.
    let logs = client
        .download_operational_logs(GROUP, "ws")
        .sp_name("p")
        .await
        .unwrap();
    let bytes: Vec<u8> = logs
        .into_decompressed_stream()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\"p\"") && !text.contains("\"q\""), "{text}");

    // Delete in any state.
    client.delete_stream_processor(GROUP, "ws", "p").await.unwrap();
    let gone = client.get_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert_eq!(gone.error_code(), Some("STREAM_PROCESSOR_NOT_FOUND"));
    let page = client.get_stream_processors(GROUP, "ws").await.unwrap();
    assert_eq!(page.total_count, Some(1));
}

#[tokio::test]
async fn private_links() {
    let (_emulator, client) = start(NOW).await;
    let created = client
        .create_private_link_connection(GROUP, private_link())
        .await
        .unwrap();
    assert_eq!(created.vendor.as_deref(), Some("GENERIC"));
    let id = created.id.unwrap();
    let done = client.wait_until_private_link_ready(GROUP, id.as_str()).await.unwrap();
    assert_eq!(done.state.as_deref(), Some("DONE"));
    let page = client.list_private_link_connections(GROUP).await.unwrap();
    assert_eq!(page.total_count, Some(1));

    let domain = StreamsPrivateLinkConnectionRequest::new().dns_domain("example.com");
    let updated = client
        .update_private_link_connection(GROUP, id.as_str(), domain.clone())
        .await
        .unwrap();
    assert_eq!(updated.dns_domain.as_deref(), Some("example.com"));
    let other = domain.dns_domain("other.example.com");
    let refused = client
        .update_private_link_connection(GROUP, id.as_str(), other)
        .await
        .unwrap_err();
    assert!(refused.is_conflict(), "a domain is set once: {refused:?}");

    client.delete_private_link_connection(GROUP, id.as_str()).await.unwrap();
    let gone = client
        .get_private_link_connection(GROUP, id.as_str())
        .await
        .unwrap_err();
    assert!(gone.is_not_found(), "{gone:?}");
}

#[tokio::test]
async fn vpc_peering_accept_reject_delete() {
    let (emulator, client) = start(NOW).await;
    let seed = |vpc: &str| PeeringSeed {
        requester_account_id: "111122223333".into(),
        requester_vpc_id: vpc.into(),
        requester_cidr: Some("10.0.0.0/16".into()),
        name: None,
    };
    let first = emulator.add_vpc_peering(GROUP, seed("vpc-a"));
    let second = emulator.add_vpc_peering(GROUP, seed("vpc-b"));
    let page = client
        .list_vpc_peering_connections(GROUP, "111122223333")
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(2));

    let challenge = |vpc: &str| {
        VpcPeeringActionChallenge::new()
            .requester_account_id("111122223333")
            .requester_vpc_id(vpc)
    };
    let wrong = client
        .accept_vpc_peering_connection(GROUP, &first, challenge("vpc-zzz"))
        .await
        .unwrap_err();
    assert_eq!(wrong.status(), Some(400));
    client
        .accept_vpc_peering_connection(GROUP, &first, challenge("vpc-a"))
        .await
        .unwrap();
    let active = client.list_active_peering_connections(GROUP).await.unwrap();
    assert_eq!(active.results.len(), 1);
    assert_eq!(active.results[0].id.as_ref().map(|i| i.as_str()), Some(first.as_str()));

    client.reject_vpc_peering_connection(GROUP, &second).await.unwrap();
    let page = client
        .list_vpc_peering_connections(GROUP, "111122223333")
        .await
        .unwrap();
    let rejected = page
        .results
        .iter()
        .find(|p| p.id.as_ref().map(|i| i.as_str()) == Some(second.as_str()))
        .unwrap();
    assert_eq!(rejected.cloud_status.as_deref(), Some("rejected"));

    client.delete_vpc_peering_connection(GROUP, &first).await.unwrap();
    let page = client
        .list_vpc_peering_connections(GROUP, "111122223333")
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    assert!(client
        .delete_vpc_peering_connection(GROUP, &first)
        .await
        .unwrap_err()
        .is_not_found());
}

#[tokio::test]
async fn account_details_of_each_provider() {
    let (_emulator, client) = start(NOW).await;
    let aws = client.get_account_details(GROUP, "aws", "US_EAST_1").await.unwrap();
    let AccountDetails::Aws(details) = &aws else {
        panic!("{aws:?}")
    };
    assert_eq!(details.aws_account_id.as_ref().map(String::len), Some(12));
    assert_eq!(
        client.get_account_details(GROUP, "aws", "US_EAST_1").await.unwrap(),
        aws,
        "stable"
    );
    let azure = client.get_account_details(GROUP, "azure", "eastus").await.unwrap();
    assert!(matches!(azure, AccountDetails::Azure(_)), "{azure:?}");
    let gcp = client.get_account_details(GROUP, "gcp", "US_EAST_4").await.unwrap();
    assert!(matches!(gcp, AccountDetails::Gcp(_)), "{gcp:?}");
    let unknown = client.get_account_details(GROUP, "oracle", "X").await.unwrap_err();
    assert_eq!(unknown.error_code(), Some("INVALID_ENUM_VALUE"));
}
