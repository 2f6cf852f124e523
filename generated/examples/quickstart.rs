//! Creates a stream workspace, a Kafka connection and a stream processor, starts the processor,
//! waits until it runs, then stops it and removes what it created.
//!
//! Offline, against an emulator started in this process (no account, no variables):
//!
//! ```sh
//! cargo run -p atlas-streams --example quickstart -- --emulator
//! ATLAS_STREAMS_EMULATOR=1 cargo run -p atlas-streams --example quickstart   # the same
//! ```
//!
//! Against Atlas, configured entirely from environment variables. Credentials and base URL are
//! read by `ClientBuilder::from_env`, under the names the Atlas CLI and the Terraform provider
//! use:
//!
//! ```sh
//! export MONGODB_ATLAS_PROJECT_ID=32b6e34b3d91647abb20e7b8                  # as for the Atlas CLI
//! export MONGODB_ATLAS_CLIENT_ID=... MONGODB_ATLAS_CLIENT_SECRET=...        # a service account, or
//! export MONGODB_ATLAS_PUBLIC_API_KEY=... MONGODB_ATLAS_PRIVATE_API_KEY=... # an API key
//! export KAFKA_BOOTSTRAP_SERVERS=broker-1:9092 KAFKA_USERNAME=... KAFKA_PASSWORD=...
//! cargo run -p atlas-streams --example quickstart
//! ```
//!
//! Optional: `ATLAS_STREAMS_WORKSPACE` (default `quickstart`; an existing one is used and kept),
//! `ATLAS_STREAMS_PROCESSOR` (default `quickstart`), `MONGODB_ATLAS_BASE_URL` (or the Atlas
//! CLI's `MONGODB_ATLAS_OPS_MANAGER_URL`), `MONGODB_ATLAS_ACCESS_TOKEN` instead of the
//! credentials above, and the usual `HTTPS_PROXY` / `NO_PROXY`.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use atlas_streams::models::{
    BaseStreamsRegion, StreamConfigRequest, StreamWorkspaceTier, StreamsDataProcessRegionCloudProvider,
    StreamsDataProcessRegionRequest, StreamsEmitStage, StreamsKafkaAuthenticationRequest,
    StreamsKafkaConnectionRequest, StreamsProcessorRequest, StreamsSourceStage, StreamsTenantRequest,
    StreamsTimeInterval, StreamsTumblingWindowStage,
};
use atlas_streams::{Client, ClientBuilder, Secret};
use atlas_streams_emulator::{Delays, Emulator};
use serde_json::json;

/// What the example needs besides the client's own configuration.
/// `Debug` shows no password: it is a `Secret`.
#[derive(Debug)]
struct Config {
    group_id: String,
    workspace: String,
    processor: String,
    kafka_bootstrap: String,
    kafka_username: String,
    kafka_password: Secret,
    /// How often the waiters ask (`None`: their defaults, made for Atlas).
    poll: Option<Duration>,
}

/// How long each transition of the in-process emulator takes: long enough to see the waiters
/// wait, short enough for a quick run.
const EMULATED_TRANSITION: Duration = Duration::from_millis(500);

/// Whether to run against an in-process emulator: `--emulator`, or `ATLAS_STREAMS_EMULATOR`
/// set to anything but `0`/`false`/`no`/`off` (in any case) or empty.
fn wants_emulator(mut args: impl Iterator<Item = String>, var: impl Fn(&str) -> Option<String>) -> bool {
    args.any(|arg| arg == "--emulator")
        || var("ATLAS_STREAMS_EMULATOR").is_some_and(|v| {
            !matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "" | "0" | "false" | "no" | "off"
            )
        })
}

/// Reads the example's variables and the client's (credentials, base URL); on failure, says
/// every variable that is missing or in conflict, the client's included.
fn config(var: impl Fn(&str) -> Option<String>) -> Result<(Config, ClientBuilder), String> {
    let mut missing = Vec::new();
    let mut need = |name: &str| {
        var(name).filter(|v| !v.is_empty()).unwrap_or_else(|| {
            missing.push(name.to_owned());
            String::new()
        })
    };
    let config = Config {
        group_id: need("MONGODB_ATLAS_PROJECT_ID"),
        kafka_bootstrap: need("KAFKA_BOOTSTRAP_SERVERS"),
        kafka_username: need("KAFKA_USERNAME"),
        kafka_password: Secret::new(need("KAFKA_PASSWORD")),
        workspace: var("ATLAS_STREAMS_WORKSPACE").unwrap_or_else(|| "quickstart".to_owned()),
        processor: var("ATLAS_STREAMS_PROCESSOR").unwrap_or_else(|| "quickstart".to_owned()),
        poll: None,
    };
    let client = ClientBuilder::from_env_vars(&var);
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing environment variables:\n  {}", missing.join("\n  ")));
    }
    match client {
        Ok(client) if problems.is_empty() => Ok((config, client)),
        Ok(_) => Err(problems.join("\n")),
        Err(error) => {
            problems.push(error.to_string());
            Err(problems.join("\n"))
        }
    }
}

/// The configuration of an offline run: any well-formed project id is a project to the
/// emulator, and no broker is ever contacted.
fn offline() -> Config {
    Config {
        group_id: "32b6e34b3d91647abb20e7b8".to_owned(),
        workspace: "quickstart".to_owned(),
        processor: "quickstart".to_owned(),
        kafka_bootstrap: "broker-1:9092,broker-2:9092".to_owned(),
        kafka_username: "quickstart".to_owned(),
        kafka_password: Secret::new("not-a-real-password"),
        poll: Some(EMULATED_TRANSITION / 4),
    }
}

/// Starts an emulator in this process, and a client of it.
async fn emulated() -> Result<(Emulator, Client), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder()
        .delays(Delays::all(EMULATED_TRANSITION))
        .start()
        .await?;
    let client = Client::builder()
        .base_url(emulator.base_url())
        .bearer_token("the emulator takes any token")
        .build()?;
    Ok((emulator, client))
}

#[tokio::main]
async fn main() -> ExitCode {
    let offline_run = wants_emulator(std::env::args().skip(1), |name| std::env::var(name).ok());
    let (config, client, _emulator) = if offline_run {
        match emulated().await {
            Ok((emulator, client)) => {
                println!(
                    "atlas-streams quickstart, offline: an emulator in this process at {} (each transition takes {:?})",
                    emulator.base_url(),
                    EMULATED_TRANSITION
                );
                (offline(), client, Some(emulator))
            }
            Err(error) => {
                eprintln!("error: cannot start the emulator: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        let (config, builder) = match config(|name| std::env::var(name).ok()) {
            Ok(found) => found,
            Err(message) => {
                eprintln!(
                    "{message}\n\nSee the top of examples/quickstart.rs for what each one is, or run it offline: \
                     cargo run -p atlas-streams --example quickstart -- --emulator"
                );
                return ExitCode::from(2);
            }
        };
        match builder.build() {
            Ok(client) => (config, client, None),
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::FAILURE;
            }
        }
    };
    match run(&config, &client).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A waiter polling at the run's pace, if it has one (the emulator's transitions are short);
/// against Atlas, at the waiter's own (made for Atlas).
macro_rules! polled {
    ($config:expr, $wait:expr) => {{
        let wait = $wait;
        match $config.poll {
            Some(poll) => wait.min_delay(poll).max_delay(poll * 4),
            None => wait,
        }
    }};
}
/// What this run created, to remove at the end (newest first).
#[derive(Default)]
struct Created {
    workspace: bool,
    connection: bool,
    processor: bool,
}

/// The steps, then the clean-up of what they created (also after a failed step).
async fn run(config: &Config, client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let mut created = Created::default();
    let steps = steps(config, client, &mut created).await;
    let cleaned = clean_up(config, client, &created).await;
    steps?;
    cleaned?;
    Ok(())
}

async fn steps(config: &Config, client: &Client, created: &mut Created) -> Result<(), Box<dyn std::error::Error>> {
    let group = config.group_id.as_str();
    let ws = config.workspace.as_str();
    let workspace = StreamsTenantRequest::new()
        .name(ws)
        .data_process_region(StreamsDataProcessRegionRequest::new(
            StreamsDataProcessRegionCloudProvider::Aws,
            BaseStreamsRegion::VirginiaUsa,
        ))
        .stream_config(StreamConfigRequest::new().tier(StreamWorkspaceTier::Sp10));
    match client.create_stream_workspace(group, workspace).await {
        Ok(done) => {
            created.workspace = true;
            println!(
                "workspace {ws} created (hostnames: {:?})",
                done.hostnames.unwrap_or_default()
            );
        }
        Err(e) if e.is_conflict() || e.is_error_code("STREAM_TENANT_NAME_ALREADY_EXISTS") => {
            println!("workspace {ws} already exists: using it (and keeping it)")
        }
        Err(e) => return Err(e.into()),
    }

    let kafka = StreamsKafkaConnectionRequest::new()
        .name("kafka")
        .bootstrap_servers(config.kafka_bootstrap.as_str())
        .authentication(
            StreamsKafkaAuthenticationRequest::new()
                .mechanism("SCRAM-256")
                .username(config.kafka_username.as_str())
                .password(config.kafka_password.clone()),
        );
    let connection = client.create_stream_connection(group, ws, kafka).await?;
    created.connection = true;
    println!(
        "connection kafka created: {}; waiting until it is ready",
        state_of(&connection)
    );
    let since = Instant::now();
    let ready = polled!(config, client.wait_until_connection_ready(group, ws, "kafka")).await?;
    println!("connection kafka: {} after {}", state_of(&ready), seconds(since));

    // Kafka topic `trades` -> NYSE trades only -> average price per symbol per minute -> topic
    // `averages`. Typed stages where the stage has fields of its own; the MQL of `$match` and
    // `$group` is JSON, as in the docs (a known stage written as JSON is typed all the same).
    let pipeline = vec![
        StreamsSourceStage::new()
            .connection_name("kafka")
            .topic("trades")
            .into(),
        json!({"$match": {"exchange": "NYSE"}}).into(),
        StreamsTumblingWindowStage::new(
            StreamsTimeInterval::new(60, "second"),
            vec![json!({"$group": {"_id": "$symbol", "avgPrice": {"$avg": "$price"}}}).into()],
        )
        .into(),
        StreamsEmitStage::new("kafka").topic("averages").into(),
    ];
    let processor = StreamsProcessorRequest::new()
        .name(config.processor.as_str())
        .pipeline(pipeline);
    let name = config.processor.as_str();
    let since = Instant::now();
    client.create_stream_processor(group, ws, processor).await?;
    created.processor = true;
    let ready = polled!(config, client.wait_until_processor_created(group, ws, name)).await?;
    println!(
        "processor {name} created (kafka/trades -> $match -> $tumblingWindow -> kafka/averages): {} after {}",
        ready.state,
        seconds(since)
    );

    client.start_stream_processor(group, ws, name).await?;
    println!("processor {name} starting; waiting until it runs");
    let since = Instant::now();
    let running = polled!(config, client.wait_until_processor_started(group, ws, name)).await?;
    println!("processor {name}: {} after {}", running.state, seconds(since));

    client.stop_stream_processor(group, ws, name).await?;
    println!("processor {name} stopping; waiting until it stops");
    let since = Instant::now();
    let stopped = polled!(config, client.wait_until_processor_stopped(group, ws, name)).await?;
    println!("processor {name}: {} after {}", stopped.state, seconds(since));
    Ok(())
}

/// The time since `since`, as `0.7 s`.
fn seconds(since: Instant) -> String {
    format!("{:.1} s", since.elapsed().as_secs_f64())
}

/// Removes what this run created, newest first; says what it removed. A delete that fails
/// does not stop the others: the first failure is returned after all were tried.
async fn clean_up(config: &Config, client: &Client, created: &Created) -> Result<(), atlas_streams::Error> {
    let (group, ws) = (config.group_id.as_str(), config.workspace.as_str());
    let mut removed = Vec::new();
    let mut first_failure = None;
    let mut note = |what: String, outcome: Result<(), atlas_streams::Error>| match outcome {
        Ok(()) => removed.push(what),
        Err(error) => {
            eprintln!("could not remove {what}: {error}");
            first_failure.get_or_insert(error);
        }
    };
    if created.processor {
        let outcome = client.delete_stream_processor(group, ws, &config.processor).await;
        note(format!("processor {}", config.processor), outcome.map(drop));
    }
    if created.connection {
        let outcome = client.delete_stream_connection(group, ws, "kafka").await;
        note("connection kafka".to_owned(), outcome.map(drop));
    }
    if created.workspace {
        let outcome = client.delete_stream_workspace(group, ws).await;
        note(format!("workspace {ws}"), outcome.map(drop));
    }
    if !removed.is_empty() {
        println!("cleaned up: {}", removed.join(", "));
    }
    first_failure.map_or(Ok(()), Err)
}

/// A connection's `state`, whatever its type.
fn state_of(connection: &atlas_streams::models::StreamsConnection) -> String {
    serde_json::to_value(connection)
        .ok()
        .and_then(|v| v.get("state").and_then(|s| s.as_str().map(str::to_owned)))
        .unwrap_or_else(|| "no state".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    #[test]
    fn missing_variables_are_all_named() {
        let message = config(env(&[("KAFKA_USERNAME", "u")])).unwrap_err();
        for name in [
            "MONGODB_ATLAS_PROJECT_ID",
            "KAFKA_BOOTSTRAP_SERVERS",
            "KAFKA_PASSWORD",
            "MONGODB_ATLAS_CLIENT_ID",
            "MONGODB_ATLAS_PUBLIC_API_KEY",
        ] {
            assert!(message.contains(name), "{message}");
        }
        assert!(!message.contains("KAFKA_USERNAME"));
    }

    #[test]
    fn either_kind_of_credentials_is_enough_and_two_are_one_too_many() {
        let base = [
            ("MONGODB_ATLAS_PROJECT_ID", "32b6e34b3d91647abb20e7b8"),
            ("KAFKA_BOOTSTRAP_SERVERS", "b:9092"),
            ("KAFKA_USERNAME", "u"),
            ("KAFKA_PASSWORD", "p"),
        ];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            pairs
        };
        let service = with(&[("MONGODB_ATLAS_CLIENT_ID", "id"), ("MONGODB_ATLAS_CLIENT_SECRET", "s")]);
        let (_, client) = config(env(&service)).unwrap();
        assert!(format!("{client:?}").contains("ServiceAccount"));
        let key = with(&[
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
        ]);
        let (parsed, client) = config(env(&key)).unwrap();
        assert!(!format!("{parsed:?}").contains("\"p\""), "no password in {parsed:?}");
        assert!(format!("{client:?}").contains("ApiKey"));
        assert_eq!(
            (parsed.workspace.as_str(), parsed.processor.as_str()),
            ("quickstart", "quickstart")
        );
        let both = with(&[
            ("MONGODB_ATLAS_CLIENT_ID", "id"),
            ("MONGODB_ATLAS_CLIENT_SECRET", "s"),
            ("MONGODB_ATLAS_PUBLIC_API_KEY", "pub"),
            ("MONGODB_ATLAS_PRIVATE_API_KEY", "priv"),
        ]);
        let message = config(env(&both)).unwrap_err();
        assert!(message.contains("more than one kind"), "{message}");
    }

    #[test]
    fn the_emulator_is_chosen_by_a_flag_or_a_variable() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>().into_iter();
        assert!(wants_emulator(args(&["--emulator"]), env(&[])));
        assert!(wants_emulator(args(&[]), env(&[("ATLAS_STREAMS_EMULATOR", "1")])));
        assert!(!wants_emulator(args(&[]), env(&[("ATLAS_STREAMS_EMULATOR", "0")])));
        assert!(!wants_emulator(args(&[]), env(&[("ATLAS_STREAMS_EMULATOR", "FALSE")])));
        assert!(!wants_emulator(args(&[]), env(&[("ATLAS_STREAMS_EMULATOR", "no")])));
        assert!(!wants_emulator(args(&["--other"]), env(&[])));
    }

    /// The whole offline run, as `--emulator` does it; afterwards nothing it created is left.
    #[tokio::test]
    async fn the_offline_run_creates_starts_waits_and_cleans_up() {
        let (_emulator, client) = emulated().await.unwrap();
        let config = offline();
        run(&config, &client).await.unwrap();
        let left = client.list_stream_workspaces(&config.group_id).await.unwrap();
        assert!(left.results.is_empty(), "{left:?}");
        // A workspace that exists already is used, and kept.
        let existing: StreamsTenantRequest = serde_json::from_value(serde_json::json!({
            "name": config.workspace, "dataProcessRegion": {"cloudProvider": "AWS", "region": "VIRGINIA_USA"}
        }))
        .unwrap();
        client
            .create_stream_workspace(&config.group_id, existing)
            .await
            .unwrap();
        run(&config, &client).await.unwrap();
        let left = client.list_stream_workspaces(&config.group_id).await.unwrap();
        assert_eq!(left.results.len(), 1);
    }
}
