//! Starts a stream workspace, a Kafka connection in it, and a stream processor — configured
//! entirely from environment variables.
//!
//! ```sh
//! export MONGODB_ATLAS_GROUP_ID=32b6e34b3d91647abb20e7b8
//! export MONGODB_ATLAS_CLIENT_ID=... MONGODB_ATLAS_CLIENT_SECRET=...    # a service account, or
//! export MONGODB_ATLAS_PUBLIC_KEY=... MONGODB_ATLAS_PRIVATE_KEY=...     # an API key
//! export KAFKA_BOOTSTRAP_SERVERS=broker-1:9092 KAFKA_USERNAME=... KAFKA_PASSWORD=...
//! cargo run -p atlas-streams --example quickstart
//! ```
//!
//! Optional: `ATLAS_STREAMS_WORKSPACE` (default `quickstart`), `ATLAS_STREAMS_PROCESSOR`
//! (default `quickstart`; the processor must exist), `MONGODB_ATLAS_BASE_URL`.

use std::process::ExitCode;

use atlas_streams::models::{
    BaseStreamsRegion, StreamConfigRequest, StreamWorkspaceTier, StreamsDataProcessRegionCloudProvider,
    StreamsDataProcessRegionRequest, StreamsKafkaAuthenticationRequest, StreamsKafkaConnectionRequest,
    StreamsTenantRequest,
};
use atlas_streams::Client;

/// How the example authenticates.
#[derive(Debug, PartialEq)]
enum Credentials {
    ServiceAccount { client_id: String, client_secret: String },
    ApiKey { public_key: String, private_key: String },
}

/// Everything the example needs, read from the environment.
#[derive(Debug, PartialEq)]
struct Config {
    group_id: String,
    credentials: Credentials,
    base_url: Option<String>,
    workspace: String,
    processor: String,
    kafka_bootstrap: String,
    kafka_username: String,
    kafka_password: String,
}

/// Reads the configuration; on failure, says every variable that is missing.
fn config(var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
    let mut missing = Vec::new();
    let mut need = |name: &str| {
        var(name).filter(|v| !v.is_empty()).unwrap_or_else(|| {
            missing.push(name.to_owned());
            String::new()
        })
    };
    let group_id = need("MONGODB_ATLAS_GROUP_ID");
    let kafka_bootstrap = need("KAFKA_BOOTSTRAP_SERVERS");
    let kafka_username = need("KAFKA_USERNAME");
    let kafka_password = need("KAFKA_PASSWORD");
    let credentials = match (
        var("MONGODB_ATLAS_CLIENT_ID"),
        var("MONGODB_ATLAS_CLIENT_SECRET"),
        var("MONGODB_ATLAS_PUBLIC_KEY"),
        var("MONGODB_ATLAS_PRIVATE_KEY"),
    ) {
        (Some(client_id), Some(client_secret), _, _) => Some(Credentials::ServiceAccount {
            client_id,
            client_secret,
        }),
        (_, _, Some(public_key), Some(private_key)) => Some(Credentials::ApiKey {
            public_key,
            private_key,
        }),
        _ => {
            missing.push(
                "MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET (or MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY)"
                    .to_owned(),
            );
            None
        }
    };
    match credentials {
        Some(credentials) if missing.is_empty() => Ok(Config {
            group_id,
            credentials,
            base_url: var("MONGODB_ATLAS_BASE_URL"),
            workspace: var("ATLAS_STREAMS_WORKSPACE").unwrap_or_else(|| "quickstart".to_owned()),
            processor: var("ATLAS_STREAMS_PROCESSOR").unwrap_or_else(|| "quickstart".to_owned()),
            kafka_bootstrap,
            kafka_username,
            kafka_password,
        }),
        _ => Err(format!("missing environment variables:\n  {}", missing.join("\n  "))),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let config = match config(|name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}\n\nSee the top of examples/quickstart.rs for what each one is.");
            return ExitCode::from(2);
        }
    };
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), atlas_streams::Error> {
    let mut builder = Client::builder();
    builder = match config.credentials {
        Credentials::ServiceAccount {
            client_id,
            client_secret,
        } => builder.service_account(client_id, client_secret),
        Credentials::ApiKey {
            public_key,
            private_key,
        } => builder.api_key(public_key, private_key),
    };
    if let Some(base_url) = config.base_url {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;

    let workspace = StreamsTenantRequest::new()
        .name(config.workspace.clone())
        .data_process_region(StreamsDataProcessRegionRequest::new(
            StreamsDataProcessRegionCloudProvider::Aws,
            BaseStreamsRegion::VirginiaUsa,
        ))
        .stream_config(StreamConfigRequest::new().tier(StreamWorkspaceTier::Sp10));
    match client.create_stream_workspace(&config.group_id, workspace).await {
        Ok(created) => println!(
            "workspace {} created (hostnames: {:?})",
            config.workspace, created.hostnames
        ),
        Err(e) if e.is_conflict() || e.is_error_code("STREAM_TENANT_NAME_ALREADY_EXISTS") => {
            println!("workspace {} already exists", config.workspace)
        }
        Err(e) => return Err(e),
    }

    let kafka = StreamsKafkaConnectionRequest::new()
        .name("kafka")
        .bootstrap_servers(config.kafka_bootstrap)
        .authentication(
            StreamsKafkaAuthenticationRequest::new()
                .mechanism("SCRAM-256")
                .username(config.kafka_username)
                .password(config.kafka_password),
        );
    let connection = client
        .create_stream_connection(&config.group_id, &config.workspace, kafka)
        .await?;
    println!("connection created: {:?}", connection.tag());

    client
        .start_stream_processor(&config.group_id, &config.workspace, &config.processor)
        .await?;
    println!("processor {} started", config.processor);
    Ok(())
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
            "MONGODB_ATLAS_GROUP_ID",
            "KAFKA_BOOTSTRAP_SERVERS",
            "KAFKA_PASSWORD",
            "MONGODB_ATLAS_CLIENT_ID",
        ] {
            assert!(message.contains(name), "{message}");
        }
        assert!(!message.contains("KAFKA_USERNAME"));
    }

    #[test]
    fn either_kind_of_credentials_is_enough() {
        let base = [
            ("MONGODB_ATLAS_GROUP_ID", "32b6e34b3d91647abb20e7b8"),
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
        assert!(matches!(
            config(env(&service)).unwrap().credentials,
            Credentials::ServiceAccount { .. }
        ));
        let key = with(&[
            ("MONGODB_ATLAS_PUBLIC_KEY", "pub"),
            ("MONGODB_ATLAS_PRIVATE_KEY", "priv"),
        ]);
        let parsed = config(env(&key)).unwrap();
        assert!(matches!(parsed.credentials, Credentials::ApiKey { .. }));
        assert_eq!(
            (parsed.workspace.as_str(), parsed.processor.as_str()),
            ("quickstart", "quickstart")
        );
    }
}
