//! The environment's proxy and a loopback server over plain http: the one test of this binary,
//! because it sets process-wide environment variables (no other test may run beside it).

mod common;

use atlas_streams::Client;
use common::{Canned, TestServer};

const GROUP: &str = "32b6e34b3d91647abb20e7b8";

/// Plain http is allowed to a loopback server because nothing leaves the machine; an
/// `HTTP_PROXY` from the environment would carry the bearer token off it in clear text, so the
/// client goes to the server directly. (With https, or a proxy set on the builder, the
/// environment's or the builder's proxy is used as usual.)
#[tokio::test]
async fn a_loopback_base_url_never_goes_through_the_environments_proxy() {
    let proxy = TestServer::with_handler(|_| Canned::new(502, "text/plain", "proxied")).await;
    let api = TestServer::with_handler(|_| Canned::new(202, "application/json", "")).await;
    std::env::set_var("HTTP_PROXY", &proxy.base_url);
    std::env::set_var("http_proxy", &proxy.base_url);
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let client = Client::builder()
        .base_url(&api.base_url)
        .bearer_token("tok-LOOPBACK-SECRET")
        .build()
        .unwrap();
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    assert!(proxy.received().is_empty(), "the proxy saw {:?}", proxy.received());
    assert_eq!(api.received().len(), 1);
}
