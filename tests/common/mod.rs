//! Helpers shared by the integration tests: the seed pages' JSON examples and a real HTTP
//! server on 127.0.0.1 that records what it receives and answers what it is told to.

#![allow(dead_code)]

pub mod raw;
pub mod retry;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;

/// The seed docs pages the project was created from (`../shared/seeds`): only the tests marked
/// `#[cfg_attr(not(reference_seeds), ignore = "...")]` call this, so it is there when they run.
pub fn seeds_dir() -> PathBuf {
    atlas_streams_workspace::reference::seeds_dir()
        .expect("a test that reads the seed pages is ignored when build.rs found none (cfg reference_seeds)")
}

/// What a JSON example on a seed page is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExampleKind {
    /// A request body (no readOnly `links` anywhere).
    Request,
    /// A 200 response body (carries `links`).
    Response,
    /// An error body (`error` + `errorCode`).
    Error,
}

/// One JSON example of a seed page.
#[derive(Clone, Debug)]
pub struct Example {
    /// The seed file name.
    pub seed: String,
    /// Its position among the page's examples.
    pub index: usize,
    /// What it is.
    pub kind: ExampleKind,
    /// The example itself.
    pub json: serde_json::Value,
}

/// Every JSON object example on the seed page whose name starts with `prefix` (`"002"`).
pub fn seed_examples(prefix: &str) -> Vec<Example> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let path = entries
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed page {prefix}*"));
    let text = std::fs::read_to_string(&path).unwrap();
    let seed = path.file_name().unwrap().to_string_lossy().into_owned();
    json_objects(&text)
        .into_iter()
        .enumerate()
        .map(|(index, json)| {
            let kind = if json.get("errorCode").is_some() && json.get("error").is_some() {
                ExampleKind::Error
            } else if json.to_string().contains("\"links\"") {
                ExampleKind::Response
            } else {
                ExampleKind::Request
            };
            Example {
                seed: seed.clone(),
                index,
                kind,
                json,
            }
        })
        .collect()
}

/// Top-level `{...}` blocks of a page that parse as JSON, other than `{}` (placeholders like
/// `{groupId}` or `{ <Payload> }` do not parse; `{}` is Go code, `Params{}`).
fn json_objects(text: &str) -> Vec<serde_json::Value> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'{' {
            i += 1;
            continue;
        }
        let (mut depth, mut in_string, mut escaped, mut end) = (0usize, false, false, None);
        for (j, &b) in bytes.iter().enumerate().skip(i) {
            match (in_string, escaped, b) {
                (true, true, _) => escaped = false,
                (true, false, b'\\') => escaped = true,
                (true, false, b'"') => in_string = false,
                (false, _, b'"') => in_string = true,
                (false, _, b'{') => depth += 1,
                (false, _, b'}') => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        match end.and_then(|end| {
            serde_json::from_str::<serde_json::Value>(&text[i..=end])
                .ok()
                .map(|v| (end, v))
        }) {
            Some((end, value)) => {
                if value.as_object().is_some_and(|o| !o.is_empty()) {
                    out.push(value);
                }
                i = end + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// A request the test server received.
#[derive(Clone, Debug)]
pub struct Received {
    /// HTTP method.
    pub method: String,
    /// The path exactly as sent (still percent-encoded).
    pub path: String,
    /// The raw query string.
    pub query: Option<String>,
    /// All headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Received {
    /// A header as a string.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// A canned answer.
#[derive(Clone, Debug)]
pub struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Option<std::time::Duration>,
}

impl Canned {
    /// A JSON answer with the given content type.
    pub fn new(status: u16, content_type: &str, body: impl ToString) -> Self {
        Canned {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_string().into_bytes(),
            delay: None,
        }
    }

    /// A binary answer.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Canned {
            body,
            ..Canned::new(status, content_type, "")
        }
    }

    /// Waits this long before answering.
    pub fn after(mut self, delay: std::time::Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Decides the answer to a request.
type Handler = Arc<dyn Fn(&Received) -> Canned + Send + Sync>;

#[derive(Clone, Default)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<Canned>>>,
    handler: Option<Handler>,
}

/// An axum server on 127.0.0.1 (real TCP) that answers canned responses in order.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    shared: Shared,
}

impl TestServer {
    /// Starts the server on a free port; it answers the queued answers in order.
    pub async fn start() -> Self {
        Self::serve(Shared::default()).await
    }

    /// Starts a server whose answers `handler` computes from each request.
    pub async fn with_handler(handler: impl Fn(&Received) -> Canned + Send + Sync + 'static) -> Self {
        Self::serve(Shared {
            handler: Some(Arc::new(handler)),
            ..Shared::default()
        })
        .await
    }

    async fn serve(shared: Shared) -> Self {
        let app = Router::new().fallback(record).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        TestServer { base_url, shared }
    }

    /// Queues an answer.
    pub fn answer(&self, canned: Canned) -> &Self {
        self.shared.answers.lock().unwrap().push_back(canned);
        self
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The only request received (fails otherwise).
    pub fn single(&self) -> Received {
        let received = self.received();
        assert_eq!(received.len(), 1, "expected exactly one request, got {received:#?}");
        received.into_iter().next().unwrap()
    }

    /// A client for this server with a bearer token.
    pub fn client(&self) -> atlas_streams::Client {
        atlas_streams::Client::builder()
            .base_url(&self.base_url)
            .bearer_token("test-token-s3cr3t")
            .build()
            .unwrap()
    }
}

async fn record(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let received = Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
    };
    shared.received.lock().unwrap().push(received.clone());
    let canned = match &shared.handler {
        Some(handler) => Some(handler(&received)),
        None => shared.answers.lock().unwrap().pop_front(),
    };
    let Some(canned) = canned else {
        return Response::builder()
            .status(StatusCode::INTERNAL_SERVER_ERROR)
            .body(Body::from("no canned answer"))
            .unwrap();
    };
    if let Some(delay) = canned.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::builder().status(canned.status);
    for (name, value) in &canned.headers {
        response = response.header(name, HeaderValue::from_str(value).unwrap());
    }
    response.body(Body::from(canned.body)).unwrap()
}

/// A bare TCP server on 127.0.0.1 that reads each request and then hangs up without answering,
/// for the first `drops` connections, and answers `200 {}` after that. Counts connections.
pub struct HangUpServer {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    connections: Arc<std::sync::atomic::AtomicUsize>,
}

impl HangUpServer {
    /// Starts the server.
    pub async fn start(drops: usize) -> Self {
        use std::sync::atomic::Ordering;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = connections.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let seen = counter.fetch_add(1, Ordering::SeqCst);
                let mut buffer = vec![0u8; 64 * 1024];
                // Read the request head (and whatever body arrived with it).
                let _ = socket.read(&mut buffer).await;
                if seen < drops {
                    drop(socket); // the request was sent; no answer comes
                } else {
                    let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                    let _ = socket.write_all(answer.as_bytes()).await;
                }
            }
        });
        HangUpServer { base_url, connections }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(std::sync::atomic::Ordering::SeqCst)
    }
}
