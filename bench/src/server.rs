//! The runtime bench's HTTP server: axum on 127.0.0.1 (loopback only), on a thread and tokio
//! runtime of its own so the client under test does not share its scheduler, answering canned
//! bodies by path. It stops when the [`Server`] is dropped.

use std::net::SocketAddr;
use std::thread::JoinHandle;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Router;
use tokio::sync::oneshot;

/// The canned answers.
#[derive(Clone)]
struct Bodies {
    connection: Bytes,
    page: Bytes,
}

/// A running loopback server.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts the server. It answers
    /// - `POST .../processor/<name>:start` with `200 {}`,
    /// - `GET .../connections/<name>` with `connection`,
    /// - `GET .../connections` with `page`,
    /// - anything else with 404.
    pub fn start(connection: String, page: String) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        listener.set_nonblocking(true)?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let bodies = Bodies {
            connection: Bytes::from(connection),
            page: Bytes::from(page),
        };
        let (shutdown, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("bench-server".into()).spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime for the server");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                let app = Router::new().fallback(answer).with_state(bodies);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await;
            });
        })?;
        Ok(Server {
            base_url,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn answer(State(bodies): State<Bodies>, request: Request) -> Response {
    let path = request.uri().path();
    let (status, version, body) = if path.ends_with(":start") {
        (StatusCode::OK, "2024-08-05", Bytes::from_static(b"{}"))
    } else if path.ends_with("/connections") {
        (StatusCode::OK, "2023-02-01", bodies.page.clone())
    } else if path.contains("/connections/") {
        (StatusCode::OK, "2023-02-01", bodies.connection.clone())
    } else {
        (StatusCode::NOT_FOUND, "2023-02-01", Bytes::from_static(b"{}"))
    };
    // Drain the request body (a POST may carry one) before answering.
    let _ = axum::body::to_bytes(request.into_body(), 1 << 20).await;
    Response::builder()
        .status(status)
        .header(
            header::CONTENT_TYPE,
            format!("application/vnd.atlas.{version}+json;charset=utf-8"),
        )
        .header("ratelimit-limit", "100")
        .header("ratelimit-remaining", "99")
        .body(Body::from(body))
        .expect("a valid response")
}
