//! An offline, stateful emulator of MongoDB Atlas' Stream Processing admin API.
//!
//! Start one in a test, point a client at [`Emulator::base_url`], and it answers like Atlas:
//! workspaces, connections of every type, processors with their lifecycle, Private Link and VPC
//! peering connections, account details, gzip log downloads; versioned media types, envelopes,
//! pagination, Atlas error bodies and codes, HTTP Digest and OAuth 2.0 credentials. It does not
//! run pipelines or move data.
//!
//! ```no_run
//! use std::time::Duration;
//! use atlas_streams_emulator::{Delays, Emulator, InjectedFailure};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?; // 127.0.0.1, a free port, no auth
//! let url = format!("{}/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams", emulator.base_url());
//! // ... send requests with `Accept: application/vnd.atlas.2023-02-01+json` ...
//!
//! // Options: credentials, transition delays, seed data; test hooks.
//! let emulator = Emulator::builder()
//!     .api_key("public", "private") // Digest (MD5; .digest_algorithms for SHA-256)
//!     .service_account("mdb_sa_id_x", "mdb_sa_sk_y") // and/or OAuth 2.0 (.token_ttl)
//!     .delays(Delays { processor_start: Duration::from_millis(200), ..Delays::default() })
//!     .start()
//!     .await?;
//! emulator.fail_processor("32b6e34b3d91647abb20e7b8", "ws", "proc", "source unreachable")?;
//! emulator.fail_next("getStreamProcessor", InjectedFailure::new(429, "RATE_LIMITED").retry_after(1))?;
//! emulator.shutdown().await; // or just drop it
//! # Ok(()) }
//! ```
//!
//! # Layout
//!
//! - `spec` — the spec-driven plumbing: `spec/atlas-streams.yaml` is embedded and lowered with
//!   the generator library into its IR, from which the route table, parameter checks, body
//!   validation and response shapes are derived.
//! - `state` — the hand-written rules: what each operation does, with its sources.
//! - `http` — the request pipeline (auth → route → version → parameters → body → state →
//!   answer) and the emulator's own `/__emulator/` endpoints.
//! - `auth` — HTTP Digest and OAuth 2.0 client credentials.
//! - [`codes`] — every `errorCode`, with where it comes from.

#![warn(missing_docs)]

mod auth;
mod clock;
pub mod codes;
mod error;
mod http;
mod random;
mod seed;
mod spec;
mod state;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use auth::{ApiKey, AuthConfig, DigestAlgorithm, ServiceAccount};
pub use error::Error;
pub use http::InjectedFailure;
pub use seed::{GroupSeed, Seed};
pub use state::{Delays, PeeringSeed};

/// How long [`Emulator::shutdown`] waits for open connections before it stops anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// One operation the emulator serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The short operation name (`x-xgen-operation-id-override`).
    pub name: String,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, e.g. `/api/atlas/v2/groups/{groupId}/streams`.
    pub path: String,
    /// Every API version it is documented at, oldest first.
    pub versions: Vec<String>,
}

/// A running emulator. It stops when dropped, or gracefully with [`Emulator::shutdown`].
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    auth: AuthConfig,
    shared: Arc<http::Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .finish()
    }
}

impl Emulator {
    /// Starts an emulator on a free port of 127.0.0.1, without authentication or delays.
    pub async fn start() -> Result<Emulator, Error> {
        Emulator::builder().start().await
    }

    /// Options: address, credentials, transition delays, seed data.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Every operation of the spec, as routed (a failure here is a bug of the embedded spec).
    pub fn operations() -> Result<Vec<Operation>, Error> {
        let spec = spec::Spec::get().map_err(Error::Spec)?;
        Ok(spec
            .ops
            .iter()
            .map(|op| Operation {
                name: op.name.clone(),
                method: op.method.as_str(),
                path: op.path.clone(),
                versions: op.versions.clone(),
            })
            .collect())
    }

    /// The required properties of `operation`'s documented response type that a response
    /// body (or each item of a page) lacks: what a strict client would fail to decode. The
    /// tests hold the state rules to the spec with it.
    #[doc(hidden)]
    pub fn missing_required(operation: &str, body: &serde_json::Value) -> Result<Vec<String>, Error> {
        let spec = spec::Spec::get().map_err(Error::Spec)?;
        let op = spec.op(operation).ok_or_else(|| Error::NotFound {
            kind: "operation",
            name: operation.to_owned(),
        })?;
        let atlas_streams_generator::ir::ResponseKind::Json(ty) = &op.response.kind else {
            return Ok(Vec::new());
        };
        let mut missing = spec::shape::missing_required(spec, ty, body);
        if let Some(pagination) = &op.pagination {
            for item in body
                .get("results")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
            {
                missing.extend(spec::shape::missing_required(spec, &pagination.item, item));
            }
        }
        Ok(missing)
    }

    /// `http://127.0.0.1:<port>`: what a client's base URL should be.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials it accepts.
    pub fn auth(&self) -> &AuthConfig {
        &self.auth
    }

    /// Moves a processor to `FAILED` at once; `message` shows in its stats as `errorMsg`.
    pub fn fail_processor(&self, group: &str, workspace: &str, processor: &str, message: &str) -> Result<(), Error> {
        self.shared.world().fail_processor(group, workspace, processor, message)
    }

    /// Moves a connection to `FAILED` at once.
    pub fn fail_connection(&self, group: &str, workspace: &str, connection: &str) -> Result<(), Error> {
        self.shared.world().fail_connection(group, workspace, connection)
    }

    /// Moves a Private Link connection to `FAILED` at once, with this `errorMessage`.
    pub fn fail_private_link(&self, group: &str, id: &str, message: &str) -> Result<(), Error> {
        self.shared.world().fail_private_link(group, id, message)
    }

    /// Makes the next call(s) of `operation` (its short name, e.g. `getStreamProcessor`) fail
    /// with `failure` instead of running, after authentication and routing.
    pub fn fail_next(&self, operation: &str, failure: InjectedFailure) -> Result<(), Error> {
        if self.shared.spec.op(operation).is_none() {
            return Err(Error::NotFound {
                kind: "operation",
                name: operation.to_owned(),
            });
        }
        self.shared.inject(operation, failure);
        Ok(())
    }

    /// Adds an incoming VPC peering request to a project; returns its id.
    pub fn add_vpc_peering(&self, group: &str, peering: PeeringSeed) -> String {
        self.shared.world().add_peering(group, peering)
    }

    /// Creates the resources of `seed` now (see [`Seed`]).
    pub fn seed(&self, seed: &Seed) -> Result<(), Error> {
        seed::apply(&self.shared, seed)
    }

    /// Expires every access token issued so far: the next call with one gets a 401.
    pub fn expire_tokens(&self) {
        if let Some(issuer) = self.shared.auth.token_endpoint() {
            issuer.expire_all();
        }
    }

    /// Stops accepting connections and waits (up to a few seconds) for open ones to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Options of an emulator; [`EmulatorBuilder::start`] starts it.
#[derive(Clone, Debug)]
pub struct EmulatorBuilder {
    bind: SocketAddr,
    auth: AuthConfig,
    delays: Delays,
    seed: Option<Seed>,
    log_requests: bool,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            auth: AuthConfig::none(),
            delays: Delays::default(),
            seed: None,
            log_requests: false,
        }
    }
}

impl EmulatorBuilder {
    /// Listens on this port of 127.0.0.1 (default: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.bind.set_port(port);
        self
    }

    /// Listens on this address (e.g. `0.0.0.0:8080` to be reachable from other hosts).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Which credentials to require (default: none).
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = auth;
        self
    }

    /// Requires this API key (HTTP Digest, MD5 as Atlas offers).
    pub fn api_key(mut self, public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        self.auth = self.auth.api_key(public_key, private_key);
        self
    }

    /// Requires tokens of this service account (OAuth 2.0 client credentials, one-hour tokens).
    pub fn service_account(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.auth = self.auth.service_account(client_id, client_secret);
        self
    }

    /// The Digest algorithms offered, in preference order (after [`Self::api_key`]).
    pub fn digest_algorithms(mut self, algorithms: Vec<DigestAlgorithm>) -> Self {
        if let Some(key) = &mut self.auth.api_key {
            key.algorithms = algorithms;
        }
        self
    }

    /// How long an access token lives (after [`Self::service_account`]).
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        if let Some(account) = &mut self.auth.service_account {
            account.token_ttl = ttl;
        }
        self
    }

    /// How long a Digest nonce stays valid (after [`Self::api_key`]).
    pub fn nonce_ttl(mut self, ttl: Duration) -> Self {
        if let Some(key) = &mut self.auth.api_key {
            key.nonce_ttl = ttl;
        }
        self
    }

    /// How long asynchronous transitions take (default: none).
    pub fn delays(mut self, delays: Delays) -> Self {
        self.delays = delays;
        self
    }

    /// Resources to start with.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Prints one line per request to standard output (the binary turns it on).
    pub fn log_requests(mut self, on: bool) -> Self {
        self.log_requests = on;
        self
    }

    /// Binds the socket, applies the seed data and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<Emulator, Error> {
        let spec = spec::Spec::get().map_err(Error::Spec)?;
        let listener = tokio::net::TcpListener::bind(self.bind)
            .await
            .map_err(|source| Error::Bind {
                addr: self.bind,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: self.bind,
            source,
        })?;
        // A wildcard address is no address a client can use: links and the base URL name the
        // loopback address instead.
        let host = if addr.ip().is_unspecified() {
            SocketAddr::from((Ipv4Addr::LOCALHOST, addr.port()))
        } else {
            addr
        };
        let base_url = format!("http://{host}");
        let shared = Arc::new(http::Shared {
            spec,
            world: Mutex::new(state::World::new(self.delays)),
            auth: auth::Auth::new(&self.auth),
            base_url: base_url.clone(),
            injected: Mutex::new(Default::default()),
            log_requests: self.log_requests,
        });
        if let Some(seed) = &self.seed {
            seed::apply(&shared, seed)?;
        }
        let (stop, stopped) = oneshot::channel::<()>();
        let app = http::router(shared.clone());
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
            });
            // A failing accept loop ends the emulator; requests in flight already answered.
            let _ = serve.await;
        });
        Ok(Emulator {
            addr,
            base_url,
            auth: self.auth,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}
