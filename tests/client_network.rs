//! The client and the network around it, on servers on 127.0.0.1: `Retry-After` in every form
//! RFC 9110 gives (and one asking for too long), redirects to another origin, a proxy, a
//! caller-built `reqwest::Client`, and a client configured from the environment.

mod common;

use std::time::{Duration, SystemTime};

use atlas_streams::config::same_origin_redirects;
use atlas_streams::reqwest;
use atlas_streams::{Client, ClientBuilder, Error, RetryPolicy};
use common::retry::{GROUP, OK_JSON};
use common::{Canned, TestServer};

const UNAVAILABLE: &str = r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE","reason":"Service Unavailable"}"#;

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token("tok-NET-SECRET")
        .build()
        .unwrap()
}

/// An HTTP-date `ahead` seconds from now (negative: in the past) in RFC 9110's IMF-fixdate, and
/// in the obsolete RFC 850 and asctime forms a recipient must accept.
fn http_dates(ahead: i64) -> [String; 3] {
    let now = SystemTime::now();
    let when = if ahead >= 0 {
        now + Duration::from_secs(ahead as u64)
    } else {
        now - Duration::from_secs(ahead.unsigned_abs())
    };
    let imf = httpdate::fmt_http_date(when); // e.g. "Sun, 06 Nov 1994 08:49:37 GMT"
    let (weekday, rest) = imf.split_once(", ").unwrap();
    let parts: Vec<&str> = rest.split(' ').collect();
    let (day, month, year, time) = (parts[0], parts[1], parts[2], parts[3]);
    let long_weekday = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .into_iter()
    .find(|d| d.starts_with(weekday))
    .unwrap();
    let rfc850 = format!("{long_weekday}, {day}-{month}-{} {time} GMT", &year[2..]);
    let asctime = format!("{weekday} {month} {:>2} {time} {year}", day.trim_start_matches('0'));
    [imf.clone(), rfc850, asctime]
}

#[tokio::test]
async fn retry_after_is_understood_in_each_of_its_forms() {
    // A date in the past means "now"; seconds mean seconds: each 503 is followed by a success.
    let mut forms = http_dates(-60).to_vec();
    forms.push("0".to_owned());
    for form in forms {
        let server = TestServer::start().await;
        server.answer(Canned::new(503, "application/json", UNAVAILABLE).header("Retry-After", &form));
        server.answer(Canned::new(200, OK_JSON, "{}"));
        client(&server.base_url)
            .start_stream_processor(GROUP, "ws", "p")
            .await
            .unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(server.received().len(), 2, "{form}");
    }
}

#[tokio::test]
async fn a_503_asking_for_longer_than_the_policy_allows_fails_at_once_with_the_wait() {
    let mut forms = http_dates(2 * 3600).to_vec();
    forms.push("86400".to_owned());
    forms.push("99999999999999999999999999".to_owned());
    for form in forms {
        let server = TestServer::with_handler({
            let form = form.clone();
            move |_| Canned::new(503, "application/json", UNAVAILABLE).header("Retry-After", &form)
        })
        .await;
        // Were the wait honoured, this test would sleep for hours: it ends at once instead.
        let error = client(&server.base_url)
            .start_stream_processor(GROUP, "ws", "p")
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(503), "{form}");
        let wait = error
            .retry_after()
            .unwrap_or_else(|| panic!("{form}: no wait in {error:?}"));
        assert!(wait > Duration::from_secs(3600), "{form}: {wait:?}");
        assert!(error.to_string().contains("Retry-After:"), "{error}");
        assert_eq!(server.received().len(), 1, "{form}: not sent again");
    }
    // A policy that allows longer waits honours the same header (here, 1 s).
    let server = TestServer::start().await;
    server.answer(Canned::new(503, "application/json", UNAVAILABLE).header("Retry-After", "1"));
    server.answer(Canned::new(200, OK_JSON, "{}"));
    let error = Client::builder()
        .base_url(&server.base_url)
        .retry(RetryPolicy::default().max_retry_after(Duration::from_millis(500)))
        .build()
        .unwrap()
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
}

/// A server answering a redirect to `location` to every request but those under `/moved`.
async fn redirecting(location: String) -> TestServer {
    TestServer::with_handler(move |r| {
        if r.path.starts_with("/moved") {
            Canned::new(200, OK_JSON, "{}")
        } else {
            Canned::new(307, "text/plain", "").header("location", &location)
        }
    })
    .await
}

#[tokio::test]
async fn a_redirect_is_followed_only_to_the_same_origin() {
    let elsewhere = TestServer::with_handler(|_| Canned::new(200, OK_JSON, "{}")).await;
    // The same host on another port is another origin.
    let server = redirecting(format!("{}/moved", elsewhere.base_url)).await;
    let error = client(&server.base_url)
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(307), "{error:?}");
    assert!(elsewhere.received().is_empty(), "nothing reached the other port");

    // The same origin: followed (so the check above is not simply "never follow").
    let same = redirecting("/moved/here".to_owned()).await;
    client(&same.base_url)
        .start_stream_processor(GROUP, "ws", "p")
        .await
        .unwrap();
    let received = same.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].path, "/moved/here");
    assert_eq!(received[1].header("authorization"), Some("Bearer tok-NET-SECRET"));
}

#[tokio::test]
async fn a_callers_client_that_follows_a_redirect_elsewhere_is_refused() {
    let elsewhere = TestServer::with_handler(|_| Canned::new(200, OK_JSON, "{}")).await;
    let server = redirecting(format!("{}/moved", elsewhere.base_url)).await;
    // reqwest's default policy follows redirects to other hosts.
    let following = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("tok-NET-SECRET")
        .http_client(reqwest::Client::new())
        .user_agent("caller-agent/1")
        .build()
        .unwrap();
    let error = following.start_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert!(
        matches!(&error, Error::Redirected { operation: "startStreamProcessor", origin } if *origin == elsewhere.base_url),
        "{error:?}"
    );
    let leaked = elsewhere.received();
    assert_eq!(leaked.len(), 1);
    assert_eq!(
        leaked[0].header("authorization"),
        None,
        "reqwest dropped the credentials"
    );
    assert_eq!(server.received()[0].header("user-agent"), Some("caller-agent/1"));

    // Given `same_origin_redirects`, the caller's client does not follow at all.
    let careful = Client::builder()
        .base_url(&server.base_url)
        .http_client(
            reqwest::Client::builder()
                .redirect(same_origin_redirects())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let error = careful.start_stream_processor(GROUP, "ws", "p").await.unwrap_err();
    assert_eq!(error.status(), Some(307));
    assert_eq!(elsewhere.received().len(), 1, "no second visit");

    // Settings of the client's own HTTP client cannot be combined with the caller's.
    let conflict = Client::builder()
        .http_client(reqwest::Client::new())
        .no_proxy()
        .build()
        .unwrap_err();
    assert!(conflict.to_string().contains("`no_proxy`"), "{conflict}");
    let conflict = Client::builder()
        .proxy(reqwest::Proxy::all("http://127.0.0.1:9").unwrap())
        .http_client(reqwest::Client::new())
        .build()
        .unwrap_err();
    assert!(conflict.to_string().contains("`proxy`"), "{conflict}");
}

#[tokio::test]
async fn a_configured_proxy_carries_every_request() {
    let proxy = TestServer::with_handler(|_| Canned::new(200, OK_JSON, "{}")).await;
    // A host that does not resolve: only the proxy can answer.
    let client = Client::builder()
        .base_url("http://atlas.invalid")
        .allow_insecure_http(true)
        .bearer_token("tok-NET-SECRET")
        .proxy(reqwest::Proxy::http(&proxy.base_url).unwrap())
        .build()
        .unwrap();
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    let sent = proxy.single();
    assert_eq!(
        sent.path,
        format!("/api/atlas/v2/groups/{GROUP}/streams/ws/processor/p:start")
    );
    assert_eq!(sent.header("host"), Some("atlas.invalid"));
}

#[tokio::test]
async fn a_client_from_the_environment_reaches_the_api_with_its_credentials() {
    let server = TestServer::with_handler(|_| Canned::new(200, OK_JSON, "{}")).await;
    let vars = [
        ("MONGODB_ATLAS_ACCESS_TOKEN", "tok-ENV-SECRET".to_owned()),
        ("MONGODB_ATLAS_BASE_URL", server.base_url.clone()),
    ];
    let client: Client =
        ClientBuilder::from_env_vars(|name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
            .unwrap()
            .build()
            .unwrap();
    client.start_stream_processor(GROUP, "ws", "p").await.unwrap();
    assert_eq!(server.single().header("authorization"), Some("Bearer tok-ENV-SECRET"));
    assert!(!format!("{client:?}").contains("ENV-SECRET"));

    let error =
        ClientBuilder::from_env_vars(|name| (name == "MONGODB_ATLAS_PUBLIC_API_KEY").then(|| "public".to_owned()))
            .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not"),
        "{error}"
    );
}
