//! A TCP server on 127.0.0.1 that answers each connection with a script of raw bytes and
//! pauses, for faults an HTTP framework will not produce: a body that stalls, one cut short, a
//! slow but steady one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One step of an answer.
#[derive(Clone, Debug)]
pub enum Step {
    /// Write these bytes.
    Write(Vec<u8>),
    /// Wait this long.
    Sleep(Duration),
}

/// The head of an HTTP/1.1 answer with `Connection: close` (each connection serves one
/// request, so no connection is reused after a scripted fault) and these headers.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Step {
    let mut text = format!("HTTP/1.1 {status} Status\r\nconnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    Step::Write(text.into_bytes())
}

/// A whole JSON answer.
pub fn json(status: u16, content_type: &str, body: &str) -> Vec<Step> {
    let length = body.len().to_string();
    vec![
        head(status, &[("content-type", content_type), ("content-length", &length)]),
        Step::Write(body.as_bytes().to_vec()),
    ]
}

/// The server: `script(n)` is the answer to the `n`-th connection (from 0); the connection
/// closes after its last step.
pub struct RawServer {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts the server.
    pub async fn start(script: impl Fn(usize) -> Vec<Step> + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        let script = Arc::new(script);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let steps = script(n);
                tokio::spawn(async move {
                    read_request(&mut socket).await;
                    for step in steps {
                        match step {
                            Step::Write(bytes) => {
                                if socket.write_all(&bytes).await.is_err() {
                                    return; // the client gave up
                                }
                            }
                            Step::Sleep(pause) => tokio::time::sleep(pause).await,
                        }
                    }
                });
            }
        });
        RawServer { base_url, connections }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads a request head and its `Content-Length` body.
async fn read_request(socket: &mut tokio::net::TcpStream) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    let end = loop {
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut have = request.len() - end;
    while have < length {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => have += n,
        }
    }
}
