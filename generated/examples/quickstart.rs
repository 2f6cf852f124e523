//! Starts a stream workspace, a Kafka connection in it, and a stream processor — configured
//! entirely from environment variables. Credentials and base URL are read by
//! `ClientBuilder::from_env`, under the names the Atlas CLI and the Terraform provider use:
//!
//! ```sh
//! export MONGODB_ATLAS_PROJECT_ID=32b6e34b3d91647abb20e7b8                  # as for the Atlas CLI
//! export MONGODB_ATLAS_CLIENT_ID=... MONGODB_ATLAS_CLIENT_SECRET=...        # a service account, or
//! export MONGODB_ATLAS_PUBLIC_API_KEY=... MONGODB_ATLAS_PRIVATE_API_KEY=... # an API key
//! export KAFKA_BOOTSTRAP_SERVERS=broker-1:9092 KAFKA_USERNAME=... KAFKA_PASSWORD=...
//! cargo run -p atlas-streams --example quickstart
//! ```
//!
//! Optional: `ATLAS_STREAMS_WORKSPACE` (default `quickstart`), `ATLAS_STREAMS_PROCESSOR`
//! (default `quickstart`; the processor must exist), `MONGODB_ATLAS_BASE_URL` (or the Atlas
//! CLI's `MONGODB_ATLAS_OPS_MANAGER_URL`), `MONGODB_ATLAS_ACCESS_TOKEN` instead of the
//! credentials above, and the usual `HTTPS_PROXY` / `NO_PROXY`.

use std::process::ExitCode;

use atlas_streams::models::{
    BaseStreamsRegion, StreamConfigRequest, StreamWorkspaceTier, StreamsDataProcessRegionCloudProvider,
    StreamsDataProcessRegionRequest, StreamsKafkaAuthenticationRequest, StreamsKafkaConnectionRequest,
    StreamsTenantRequest,
};
use atlas_streams::ClientBuilder;

/// What the example needs besides the client's own configuration, read from the environment.
#[derive(Debug, PartialEq)]
struct Config {
    group_id: String,
    workspace: String,
    processor: String,
    kafka_bootstrap: String,
    kafka_username: String,
    kafka_password: String,
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
        kafka_password: need("KAFKA_PASSWORD"),
        workspace: var("ATLAS_STREAMS_WORKSPACE").unwrap_or_else(|| "quickstart".to_owned()),
        processor: var("ATLAS_STREAMS_PROCESSOR").unwrap_or_else(|| "quickstart".to_owned()),
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

#[tokio::main]
async fn main() -> ExitCode {
    let (config, client) = match config(|name| std::env::var(name).ok()) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("{message}\n\nSee the top of examples/quickstart.rs for what each one is.");
            return ExitCode::from(2);
        }
    };
    match run(config, client).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config, client: ClientBuilder) -> Result<(), atlas_streams::Error> {
    let client = client.build()?;

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
}
