//! What the tests against the emulator share: a client for one, and typed request bodies (the
//! one place that builds them, so a change of the models' construction is made here once).
#![allow(dead_code)] // each test binary uses its own subset

use std::time::Duration;

pub use atlas_streams_emulator::{Delays, Emulator};

use atlas_streams::models::{
    BaseStreamsRegion, StreamConfigRequest, StreamWorkspaceTier, StreamsDataProcessRegionCloudProvider,
    StreamsDataProcessRegionRequest, StreamsEmitStage, StreamsKafkaAuthenticationRequest,
    StreamsKafkaConnectionRequest, StreamsPrivateLinkConnectionCreateRequest, StreamsProcessorRequest,
    StreamsSourceStage, StreamsTenantRequest,
};
use atlas_streams::Client;

/// A project id in the spec's pattern (any well-formed one is a project to the emulator).
pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";

/// An emulator whose transitions each take `delay`, and a client of it.
pub async fn start(delay: Duration) -> (Emulator, Client) {
    start_with(Delays::all(delay)).await
}

/// An emulator with these transition delays, and a client of it.
pub async fn start_with(delays: Delays) -> (Emulator, Client) {
    let emulator = Emulator::builder()
        .delays(delays)
        .start()
        .await
        .expect("the emulator starts");
    let client = Client::builder()
        .base_url(emulator.base_url())
        .bearer_token("emulated")
        .build()
        .expect("a client");
    (emulator, client)
}

/// A workspace in AWS' VIRGINIA_USA, tier SP10.
pub fn workspace(name: &str) -> StreamsTenantRequest {
    StreamsTenantRequest::new()
        .name(name)
        .data_process_region(StreamsDataProcessRegionRequest::new(
            StreamsDataProcessRegionCloudProvider::Aws,
            BaseStreamsRegion::VirginiaUsa,
        ))
        .stream_config(StreamConfigRequest::new().tier(StreamWorkspaceTier::Sp10))
}

/// A Kafka connection with SASL/PLAIN credentials.
pub fn kafka(name: &str, bootstrap: &str) -> StreamsKafkaConnectionRequest {
    StreamsKafkaConnectionRequest::new()
        .name(name)
        .bootstrap_servers(bootstrap)
        .authentication(
            StreamsKafkaAuthenticationRequest::new()
                .mechanism("PLAIN")
                .username("svc")
                .password("hunter2"),
        )
}

/// A GCP Private Link connection (the one kind that needs no other field).
pub fn private_link() -> StreamsPrivateLinkConnectionCreateRequest {
    StreamsPrivateLinkConnectionCreateRequest::new("GCP")
}

/// Workspace `ws` with a Kafka connection `events`, and a processor `p` reading from and
/// writing to it (not yet waited for).
pub async fn workspace_with_processor(client: &Client) {
    client.create_stream_workspace(GROUP, workspace("ws")).await.unwrap();
    client
        .create_stream_connection(GROUP, "ws", kafka("events", "broker:9092"))
        .await
        .unwrap();
    client
        .create_stream_processor(GROUP, "ws", processor("p", "events", "events"))
        .await
        .unwrap();
}

/// A processor reading from `source` and writing to `sink`.
pub fn processor(name: &str, source: &str, sink: &str) -> StreamsProcessorRequest {
    StreamsProcessorRequest::new().name(name).pipeline(vec![
        StreamsSourceStage::new().connection_name(source).topic("in").into(),
        StreamsEmitStage::new(sink).topic("out").into(),
    ])
}
