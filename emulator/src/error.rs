//! Errors: the crate's own ([`Error`]) and the Atlas-style error answers ([`ApiError`]).

use std::borrow::Cow;
use std::net::SocketAddr;

use serde_json::{json, Map, Value};

/// What can go wrong starting or driving an emulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The embedded spec could not be lowered (a bug: `cargo build` checks the same spec).
    #[error("the embedded spec cannot be lowered: {0}")]
    Spec(String),
    /// Seed data was refused; the message says which item and why.
    #[error("seed data refused: {0}")]
    Seed(String),
    /// A test hook named a resource that does not exist.
    #[error("no such {kind}: {name}")]
    NotFound {
        /// What kind of resource, e.g. "stream processor".
        kind: &'static str,
        /// Its name or id.
        name: String,
    },
    /// A seed file could not be read or parsed.
    #[error("cannot read seed file `{path}`: {message}")]
    SeedFile {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// An error answer in Atlas' shape: `{detail, error, errorCode, parameters, reason}` with an
/// HTTP status, sent as `application/json` (Atlas sends error bodies as plain JSON, never with
/// the versioned media type).
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The `errorCode`.
    pub code: Cow<'static, str>,
    /// The human-readable `detail`.
    pub detail: String,
    /// The `parameters` the detail was built from.
    pub parameters: Vec<Value>,
    /// Validation details and headers, rarely present (boxed to keep errors small).
    pub more: Option<Box<More>>,
}

/// The rarer parts of an error answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct More {
    /// `badRequestDetail.fields`: `(field, description)` for each validation violation.
    pub fields: Vec<(String, String)>,
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`).
    pub headers: Vec<(&'static str, String)>,
}

impl ApiError {
    /// An error with no parameters.
    pub fn new(status: u16, code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.into(),
            detail: detail.into(),
            parameters: Vec::new(),
            more: None,
        }
    }

    /// Adds the `parameters` the detail names.
    pub fn with_parameters(mut self, parameters: impl IntoIterator<Item = impl Into<Value>>) -> ApiError {
        self.parameters = parameters.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> ApiError {
        self.more
            .get_or_insert_with(Default::default)
            .headers
            .push((name, value.into()));
        self
    }

    /// Adds the `badRequestDetail.fields` of a validation failure.
    pub fn with_fields(mut self, fields: Vec<(String, String)>) -> ApiError {
        self.more.get_or_insert_with(Default::default).fields = fields;
        self
    }

    /// The extra response headers.
    pub fn headers(&self) -> &[(&'static str, String)] {
        self.more.as_ref().map_or(&[], |m| &m.headers)
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("detail".into(), Value::from(self.detail.clone()));
        body.insert("error".into(), Value::from(self.status));
        body.insert("errorCode".into(), Value::from(self.code.as_ref()));
        body.insert("parameters".into(), Value::Array(self.parameters.clone()));
        body.insert("reason".into(), Value::from(reason(self.status)));
        let fields = self.more.as_ref().map_or(&[][..], |m| &m.fields);
        if !fields.is_empty() {
            let fields: Vec<Value> = fields
                .iter()
                .map(|(field, description)| json!({"description": description, "field": field}))
                .collect();
            body.insert("badRequestDetail".into(), json!({ "fields": fields }));
        }
        Value::Object(body)
    }
}

/// The `reason` Atlas puts beside a status: the status' standard reason phrase.
pub fn reason(status: u16) -> &'static str {
    axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error")
}
