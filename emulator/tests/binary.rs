//! The binary a person runs: it prints its base URL and credentials, serves the API, seeds from
//! a file, and refuses bad arguments.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use atlas_streams::Client;
use common::GROUP;

/// The child process, killed when the test ends however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with `args` and reads its banner up to "Press Ctrl-C", as `(key, value)`
/// pairs of its `KEY=value` lines plus `("url", base URL)`.
fn start(args: &[&str]) -> (Server, Vec<(String, String)>) {
    let child = Command::new(env!("CARGO_BIN_EXE_atlas-streams-emulator"))
        .args(["--port", "0", "--quiet"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut server = Server(child);
    let stdout = server.0.stdout.take().expect("stdout is piped");
    let mut banner = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a banner line");
        if let Some(url) = line.strip_prefix("atlas-streams-emulator listening on ") {
            banner.push(("url".to_owned(), url.to_owned()));
        } else if let Some((key, value)) = line.trim().split_once('=') {
            banner.push((key.to_owned(), value.to_owned()));
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    (server, banner)
}

fn get<'a>(banner: &'a [(String, String)], key: &str) -> &'a str {
    banner
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in {banner:?}"))
}

#[tokio::test]
async fn the_binary_prints_what_a_client_needs_and_serves_it() {
    let (_server, banner) = start(&["--auth", "digest", "--digest-algorithm", "sha-256"]);
    let client = Client::builder()
        .base_url(get(&banner, "url"))
        .api_key(
            get(&banner, "MONGODB_ATLAS_PUBLIC_KEY"),
            get(&banner, "MONGODB_ATLAS_PRIVATE_KEY"),
        )
        .build()
        .unwrap();
    client.list_stream_workspaces(GROUP).await.unwrap();
    let wrong = Client::builder()
        .base_url(get(&banner, "url"))
        .api_key("x", "y")
        .build()
        .unwrap();
    assert_eq!(
        wrong.list_stream_workspaces(GROUP).await.unwrap_err().status(),
        Some(401)
    );

    let (_server, banner) = start(&[
        "--auth",
        "oauth",
        "--client-id",
        "mdb_sa_id_me",
        "--client-secret",
        "s3cret",
    ]);
    assert_eq!(get(&banner, "MONGODB_ATLAS_CLIENT_ID"), "mdb_sa_id_me");
    let client = Client::builder()
        .base_url(get(&banner, "url"))
        .service_account("mdb_sa_id_me", "s3cret")
        .build()
        .unwrap();
    client.list_stream_workspaces(GROUP).await.unwrap();
}

#[tokio::test]
async fn the_binary_seeds_from_a_file() {
    let seed = serde_json::json!({"groups": {GROUP: {"workspaces": [{"name": "from-file",
        "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}}]}}});
    let path = std::env::temp_dir().join(format!("atlas-streams-emulator-seed-{}.json", std::process::id()));
    std::fs::write(&path, seed.to_string()).unwrap();
    let (_server, banner) = start(&["--seed", path.to_str().unwrap(), "--delay", "processor-start=100"]);
    let client = Client::builder()
        .base_url(get(&banner, "url"))
        .bearer_token("any")
        .build()
        .unwrap();
    let page = serde_json::to_value(client.list_stream_workspaces(GROUP).await.unwrap()).unwrap();
    assert_eq!(page["results"][0]["name"], "from-file");
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_arguments_exit_with_2() {
    let binary = env!("CARGO_BIN_EXE_atlas-streams-emulator");
    for args in [
        &["--port", "0", "--delay", "warp-drive=5"][..],
        &["--port", "0", "--seed", "/nonexistent/seed.json"][..],
        &["--port", "0", "--auth", "telepathy"][..],
    ] {
        let status = Command::new(binary)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}
