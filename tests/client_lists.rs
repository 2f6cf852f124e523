//! Lists and downloads over the wire: every item of every page as one stream, log downloads
//! streamed (and gunzipped) as they arrive, and processor pipelines that keep key order and
//! 64-bit integers from the caller to the server and back.

mod common;

use std::io::Write;

use atlas_streams::models::{StreamsConnection, StreamsProcessorRequest, StreamsProcessorWithStats};
use atlas_streams::primitives::Bytes;
use atlas_streams::Error;
use common::{Canned, Received, TestServer};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

fn query_value(r: &Received, name: &str) -> Option<i64> {
    r.query
        .as_deref()?
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}="))?.parse().ok())
}

fn connection(i: i64) -> serde_json::Value {
    match i % 3 {
        0 => json!({"name": format!("c{i}"), "type": "Sample"}),
        1 => json!({"name": format!("c{i}"), "type": "Kafka", "bootstrapServers": "b:9092"}),
        _ => json!({"name": format!("c{i}"), "type": "SomethingNewer", "field": i}),
    }
}

/// Answers `pageNum` of a list of `total` connections, `itemsPerPage` at a time.
fn paged(total: i64, with_count: bool) -> impl Fn(&Received) -> Canned {
    move |r| {
        let page = query_value(r, "pageNum").unwrap_or(1);
        let size = query_value(r, "itemsPerPage").unwrap_or(100);
        let items: Vec<_> = ((page - 1) * size..(page * size).min(total)).map(connection).collect();
        let mut body = json!({"results": items, "links": []});
        if with_count {
            body["totalCount"] = json!(total);
        }
        Canned::new(200, "application/vnd.atlas.2023-02-01+json", body)
    }
}

#[tokio::test]
async fn items_walks_every_page_and_stops_at_the_total() {
    let server = TestServer::with_handler(paged(5, true)).await;
    let client = server.client();
    let items: Vec<StreamsConnection> = client
        .list_stream_connections(GROUP, "ws")
        .items_per_page(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    let names: Vec<String> = items
        .iter()
        .map(|c| serde_json::to_value(c).unwrap()["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["c0", "c1", "c2", "c3", "c4"]);
    assert!(
        matches!(items[2], StreamsConnection::Unknown(_)),
        "an unknown type on page 2 is kept"
    );
    let pages: Vec<(Option<i64>, Option<i64>)> = server
        .received()
        .iter()
        .map(|r| (query_value(r, "pageNum"), query_value(r, "itemsPerPage")))
        .collect();
    assert_eq!(
        pages,
        [(Some(1), Some(2)), (Some(2), Some(2)), (Some(3), Some(2))],
        "no request past the last page"
    );
}

#[tokio::test]
async fn without_a_total_the_walk_ends_at_an_empty_page() {
    let server = TestServer::with_handler(paged(4, false)).await;
    let items: Vec<StreamsConnection> = server
        .client()
        .list_stream_connections(GROUP, "ws")
        .items_per_page(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(server.received().len(), 3, "pages 1, 2 and the empty page 3");
}

#[tokio::test]
async fn items_are_fetched_only_as_the_stream_is_read_and_errors_end_it() {
    let server = TestServer::with_handler(|r| {
        if query_value(r, "pageNum") == Some(2) {
            Canned::new(
                500,
                "application/json",
                r#"{"error":500,"errorCode":"UNEXPECTED_ERROR"}"#,
            )
        } else {
            paged(10, true)(r)
        }
    })
    .await;
    let client = server.client();
    let mut stream = client.list_stream_connections(GROUP, "ws").items_per_page(3).items();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(serde_json::to_value(&first).unwrap()["name"], "c0");
    assert_eq!(server.received().len(), 1, "one page fetched for the first item");
    let rest: Vec<Result<StreamsConnection, Error>> = stream.collect().await;
    assert_eq!(rest.len(), 3, "two more items of page 1, then the error");
    assert_eq!(rest[2].as_ref().unwrap_err().status(), Some(500));
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn log_downloads_stream_and_decompress_as_they_arrive() {
    let log: String = (0..60_000)
        .map(|i| format!("{{\"t\":{i},\"msg\":\"processor event {i}\"}}\n"))
        .collect();
    let compressed = gzip(log.as_bytes());
    // A second gzip member: logs are sometimes concatenated archives.
    let mut two_members = compressed.clone();
    two_members.extend(gzip(b"tail\n"));
    let body = two_members.clone();
    let server =
        TestServer::with_handler(move |_| Canned::bytes(200, "application/vnd.atlas.2025-03-12+gzip", body.clone()))
            .await;
    let client = server.client();

    let download = client
        .download_operational_logs(GROUP, "ws")
        .start_date(1_700_000_000)
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let chunks: Vec<Bytes> = download.into_decompressed_stream().try_collect().await.unwrap();
    assert!(chunks.len() > 1, "the body arrives in pieces, not in one buffer");
    let text: Vec<u8> = chunks.concat();
    assert_eq!(text.len(), log.len() + 5);
    assert!(text.starts_with(log.as_bytes()) && text.ends_with(b"tail\n"));

    let raw: Vec<Bytes> = client
        .download_operational_logs(GROUP, "ws")
        .await
        .unwrap()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        raw.concat(),
        two_members,
        "the raw stream is the compressed body, unchanged"
    );

    let sent = &server.received()[0];
    assert_eq!(sent.method, "GET");
    assert_eq!(
        sent.path,
        format!("/api/atlas/v2/groups/{GROUP}/streams/ws:downloadOperationalLogs")
    );
    assert_eq!(sent.header("accept"), Some("application/vnd.atlas.2025-03-12+gzip"));
    assert_eq!(query_value(sent, "startDate"), Some(1_700_000_000));
}

#[tokio::test]
async fn a_corrupt_archive_is_a_download_error() {
    let server =
        TestServer::with_handler(|_| Canned::new(200, "application/vnd.atlas.2024-05-30+gzip", "not gzip at all"))
            .await;
    let download = server.client().download_audit_logs(GROUP, "ws").await.unwrap();
    let result: Result<Vec<Bytes>, Error> = download.into_decompressed_stream().try_collect().await;
    assert!(
        matches!(
            result,
            Err(Error::Download {
                operation: "downloadAuditLogs",
                ..
            })
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn processor_pipelines_keep_key_order_and_64_bit_integers_end_to_end() {
    let pipeline = r#"[{"$source":{"connectionName":"kafka","topic":"in"}},{"$match":{"z":1,"a":{"$gt":9223372036854775807}}},{"$emit":{"connectionName":"out","db":"d","coll":"c"}}]"#;
    let request_json = format!(r#"{{"name":"p1","pipeline":{pipeline}}}"#);
    let request: StreamsProcessorRequest = serde_json::from_str(&request_json).unwrap();
    let response_json = format!(
        r#"{{"_id":"32b6e34b3d91647abb20e7b8","name":"p1","state":"STARTED","pipeline":{pipeline},"stats":{{"outputMessageCount":9223372036854775807,"futureStat":18446744073709551615,"b":1,"a":2}}}}"#
    );
    let answer = response_json.clone();
    let server =
        TestServer::with_handler(move |_| Canned::new(200, "application/vnd.atlas.2024-05-30+json", answer.clone()))
            .await;
    let client = server.client();
    client.create_stream_processor(GROUP, "ws", request).await.unwrap();
    let sent = String::from_utf8(server.received()[0].body.to_vec()).unwrap();
    assert!(
        sent.contains(pipeline),
        "the pipeline reaches the server byte for byte:\n{sent}"
    );

    let fetched: StreamsProcessorWithStats = client.get_stream_processor(GROUP, "ws", "p1").await.unwrap();
    let again = serde_json::to_string(&fetched).unwrap();
    assert!(again.contains(pipeline), "{again}");
    assert!(
        again.contains(
            r#""stats":{"outputMessageCount":9223372036854775807,"futureStat":18446744073709551615,"b":1,"a":2}"#
        ),
        "{again}"
    );
    // The documented statistic is typed (an int64, exact above 2^53); a statistic this version
    // does not know is kept, in its order and with its number as sent.
    let stats = fetched.stats.as_ref().unwrap();
    assert_eq!(stats.output_message_count, Some(i64::MAX));
    assert_eq!(stats.extra.keys().collect::<Vec<_>>(), ["futureStat", "b", "a"]);
}
