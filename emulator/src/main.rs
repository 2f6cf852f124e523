//! `atlas-streams-emulator`: run the emulator as a server a person (or another process) uses.
//!
//! ```sh
//! cargo run -p atlas-streams-emulator -- --port 8080 --auth digest
//! ```

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use atlas_streams_emulator::{AuthConfig, Delays, DigestAlgorithm, Emulator, Seed};
use clap::{Parser, ValueEnum};

/// An offline, stateful emulator of MongoDB Atlas' Stream Processing admin API.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Which credentials requests must carry.
    #[arg(long, value_enum, default_value_t = AuthMode::None)]
    auth: AuthMode,
    /// API key public key (digest; random when not given).
    #[arg(long)]
    public_key: Option<String>,
    /// API key private key (digest; random when not given).
    #[arg(long)]
    private_key: Option<String>,
    /// Service account client id (oauth; random when not given).
    #[arg(long)]
    client_id: Option<String>,
    /// Service account client secret (oauth; random when not given).
    #[arg(long)]
    client_secret: Option<String>,
    /// Digest algorithms offered, in preference order (repeat the flag for several).
    #[arg(long = "digest-algorithm", value_enum)]
    digest_algorithms: Vec<Algorithm>,
    /// Lifetime of an access token, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_ttl_secs: u64,
    /// Delay of every asynchronous transition, in milliseconds.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
    /// Delay of one transition, e.g. `processor-start=2000` (overrides --delay-ms). Names:
    /// processor-create, processor-start, processor-stop, connection-ready, private-link-ready,
    /// private-link-delete, vpc-peering.
    #[arg(long = "delay", value_parser = parse_delay)]
    delays: Vec<(String, u64)>,
    /// Seed data (JSON) to start with.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Do not print a line per request.
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum AuthMode {
    /// No credentials.
    None,
    /// An API key with HTTP Digest.
    Digest,
    /// A service account with OAuth 2.0 client credentials.
    Oauth,
    /// Either of the two.
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Algorithm {
    Md5,
    #[value(name = "sha-256")]
    Sha256,
}

fn parse_delay(text: &str) -> Result<(String, u64), String> {
    let (name, ms) = text.split_once('=').ok_or("expected NAME=MILLISECONDS")?;
    let ms = ms
        .parse()
        .map_err(|_| format!("`{ms}` is not a number of milliseconds"))?;
    Ok((name.to_owned(), ms))
}

fn delays(args: &Args) -> Result<Delays, String> {
    let mut delays = Delays::all(Duration::from_millis(args.delay_ms));
    for (name, ms) in &args.delays {
        let slot = match name.as_str() {
            "processor-create" => &mut delays.processor_create,
            "processor-start" => &mut delays.processor_start,
            "processor-stop" => &mut delays.processor_stop,
            "connection-ready" => &mut delays.connection_ready,
            "private-link-ready" => &mut delays.private_link_ready,
            "private-link-delete" => &mut delays.private_link_delete,
            "vpc-peering" => &mut delays.vpc_peering,
            other => return Err(format!("unknown transition `{other}` in --delay")),
        };
        *slot = Duration::from_millis(*ms);
    }
    Ok(delays)
}

fn auth(args: &Args) -> AuthConfig {
    let mut auth = AuthConfig::none();
    if matches!(args.auth, AuthMode::Digest | AuthMode::Both) {
        auth = match (&args.public_key, &args.private_key) {
            (Some(public), Some(private)) => auth.api_key(public, private),
            _ => auth.random_api_key(),
        };
        if let Some(key) = &mut auth.api_key {
            if !args.digest_algorithms.is_empty() {
                key.algorithms = args
                    .digest_algorithms
                    .iter()
                    .map(|a| match a {
                        Algorithm::Md5 => DigestAlgorithm::Md5,
                        Algorithm::Sha256 => DigestAlgorithm::Sha256,
                    })
                    .collect();
            }
        }
    }
    if matches!(args.auth, AuthMode::Oauth | AuthMode::Both) {
        auth = match (&args.client_id, &args.client_secret) {
            (Some(id), Some(secret)) => auth.service_account(id, secret),
            _ => auth.random_service_account(),
        };
        if let Some(account) = &mut auth.service_account {
            account.token_ttl = Duration::from_secs(args.token_ttl_secs);
        }
    }
    auth
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let mut builder = Emulator::builder()
        .bind(SocketAddr::new(args.host, args.port))
        .auth(auth(&args))
        .delays(delays(&args)?)
        .log_requests(!args.quiet);
    if let Some(path) = &args.seed {
        builder = builder.seed(Seed::from_file(path).map_err(|e| e.to_string())?);
    }
    let emulator = builder.start().await.map_err(|e| e.to_string())?;
    let operations = Emulator::operations().map_err(|e| e.to_string())?.len();
    println!("atlas-streams-emulator listening on {}", emulator.base_url());
    println!("  {operations} operations of spec/atlas-streams.yaml");
    let auth = emulator.auth();
    if !auth.is_enabled() {
        println!("  auth: none (any request is let in)");
    }
    if let Some(key) = &auth.api_key {
        let algorithms: Vec<&str> = key.algorithms.iter().map(|a| a.name()).collect();
        println!("  auth: API key, HTTP Digest ({})", algorithms.join(", "));
        println!("    MONGODB_ATLAS_PUBLIC_KEY={}", key.public_key);
        println!("    MONGODB_ATLAS_PRIVATE_KEY={}", key.private_key);
    }
    if let Some(account) = &auth.service_account {
        println!(
            "  auth: service account, OAuth 2.0 (POST {}/api/oauth/token, tokens live {} s)",
            emulator.base_url(),
            account.token_ttl.as_secs()
        );
        println!("    MONGODB_ATLAS_CLIENT_ID={}", account.client_id);
        println!("    MONGODB_ATLAS_CLIENT_SECRET={}", account.client_secret);
    }
    println!(
        "  control: {}/__emulator/health (fail, inject, vpcPeering: see the README)",
        emulator.base_url()
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    emulator.shutdown().await;
    Ok(())
}
