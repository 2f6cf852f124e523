//! What the request handlers share (the spec, the world, the auth checks, the failures to
//! inject) and the limits they apply: below both the handler (`http/mod.rs`) and the control
//! endpoints (`control.rs`), which each read them from here.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde::Deserialize;

use crate::auth::Auth;
use crate::error::ApiError;
use crate::spec::Spec;
use crate::state::World;

/// Request bodies larger than this are refused (Atlas' bodies are a few kilobytes).
pub(crate) const MAX_BODY: usize = 4 * 1024 * 1024;

/// A failure to answer instead of running an operation (a test hook: rate limits, outages).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InjectedFailure {
    /// The HTTP status, e.g. 429 or 503.
    pub status: u16,
    /// The `errorCode` of the body.
    pub error_code: String,
    /// The `detail` of the body.
    #[serde(default)]
    pub detail: Option<String>,
    /// A `Retry-After` header, in seconds.
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// How many calls in a row fail this way (at least one).
    #[serde(default = "one")]
    pub times: u32,
}

fn one() -> u32 {
    1
}

impl InjectedFailure {
    /// One call fails with `status` and `error_code`.
    pub fn new(status: u16, error_code: impl Into<String>) -> InjectedFailure {
        InjectedFailure {
            status,
            error_code: error_code.into(),
            detail: None,
            retry_after: None,
            times: 1,
        }
    }

    /// Adds a `Retry-After` header.
    pub fn retry_after(mut self, seconds: u64) -> InjectedFailure {
        self.retry_after = Some(seconds);
        self
    }

    /// Fails this many calls in a row.
    pub fn times(mut self, times: u32) -> InjectedFailure {
        self.times = times.max(1);
        self
    }

    pub(super) fn to_error(&self) -> ApiError {
        let detail = self
            .detail
            .clone()
            .unwrap_or_else(|| format!("Injected failure {} ({}).", self.error_code, self.status));
        let mut error = ApiError::new(self.status, self.error_code.clone(), detail);
        if let Some(seconds) = self.retry_after {
            error = error.with_header("retry-after", seconds.to_string());
        }
        error
    }
}

/// What every request handler shares.
pub(crate) struct Shared {
    pub spec: &'static Spec,
    pub world: Mutex<World>,
    pub auth: Auth,
    pub base_url: String,
    pub injected: Mutex<HashMap<String, VecDeque<InjectedFailure>>>,
    pub log_requests: bool,
}

impl Shared {
    /// The world, even after a panic elsewhere poisoned the lock (its data stays consistent:
    /// every rule checks before it changes anything).
    pub fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn inject(&self, operation: &str, mut failure: InjectedFailure) {
        failure.times = failure.times.max(1);
        let mut injected = self.injected.lock().unwrap_or_else(|e| e.into_inner());
        injected.entry(operation.to_owned()).or_default().push_back(failure);
    }

    pub(super) fn take_injected(&self, operation: &str) -> Option<ApiError> {
        let mut injected = self.injected.lock().unwrap_or_else(|e| e.into_inner());
        let queue = injected.get_mut(operation)?;
        let failure = queue.front_mut()?;
        let error = failure.to_error();
        failure.times -= 1;
        if failure.times == 0 {
            queue.pop_front();
        }
        Some(error)
    }
}
