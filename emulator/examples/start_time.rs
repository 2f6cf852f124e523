//! How long an in-process emulator takes to start: from `Emulator::start()` to the first
//! answered request (a raw HTTP/1.1 request on a new TCP connection, so no client library's
//! own start-up is counted).
//!
//! ```sh
//! cargo run --release -p atlas-streams-emulator --example start_time [-- ROUNDS]
//! ```

use std::time::{Duration, Instant};

use atlas_streams_emulator::Emulator;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// Starts one emulator, sends it one request, and returns the time that took.
async fn once() -> Duration {
    let started = Instant::now();
    let emulator = Emulator::start().await.expect("the emulator starts");
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .expect("it listens");
    let request = "GET /__emulator/health HTTP/1.1\r\nHost: emulator\r\nConnection: close\r\n\r\n";
    stream.write_all(request.as_bytes()).await.expect("it reads");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("it answers");
    let elapsed = started.elapsed();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    emulator.shutdown().await;
    elapsed
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(500);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        // The first start of a process also lowers the embedded spec (once per process).
        let first = once().await;
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            times.push(once().await);
        }
        times.sort();
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!("first start in the process (lowers the spec): {first:?}");
        println!(
            "{rounds} further starts: median {:?}, p10 {:?}, p90 {:?}, min {:?}, max {:?}",
            at(0.5),
            at(0.1),
            at(0.9),
            times[0],
            times[times.len() - 1]
        );
    });
}
