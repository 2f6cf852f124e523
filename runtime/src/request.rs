//! What a generated request builder fills in: the operation's description ([`Operation`]) and
//! the call's arguments ([`Request`]), with the checks arguments get before anything is sent.

use std::fmt::Display;

use serde::Serialize;

use crate::error::Error;
use crate::pattern::InvalidValue;

/// What the runtime needs to know about an operation (generated per operation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Short operation name, used in errors and tracing.
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/api/atlas/v2/groups/{groupId}/streams`.
    pub path: &'static str,
    /// Every documented API version, oldest first.
    pub versions: &'static [&'static str],
    /// The version sent unless overridden.
    pub default_version: Option<&'static str>,
    /// What the success body is: the `+suffix` of its media type (`json`, `gzip`, ...).
    pub media_suffix: &'static str,
    /// Whether sending the request twice has the same effect as once.
    pub idempotent: bool,
    /// What is checked in the request body before it is sent.
    pub body_checks: &'static [BodyCheck],
}

/// A check of the request body made before anything is sent (generated from the spec).
#[derive(Clone, Copy, Debug)]
pub enum BodyCheck {
    /// The body's property at this JSON pointer (`/pipeline`) is a stream processing pipeline,
    /// checked against Atlas' documented rules ([`PipelineRule`](crate::PipelineRule)), each
    /// stage against its type (`stage`, the generated union's check).
    StreamPipeline {
        /// Where the pipeline is in the body.
        at: &'static str,
        /// Why a stage does not fit its type.
        stage: crate::streams::StageCheck,
    },
}

/// Two checks are the same when they check the same place with the same function.
impl PartialEq for BodyCheck {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                BodyCheck::StreamPipeline { at, stage },
                BodyCheck::StreamPipeline {
                    at: other_at,
                    stage: other_stage,
                },
            ) => at == other_at && std::ptr::fn_addr_eq(*stage, *other_stage),
        }
    }
}

impl Eq for BodyCheck {}

/// HTTP methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
            Method::Options => http::Method::OPTIONS,
            Method::Head => http::Method::HEAD,
            Method::Patch => http::Method::PATCH,
            Method::Trace => http::Method::TRACE,
        }
    }
}

/// A request being assembled by a generated builder.
#[derive(Debug)]
pub struct Request {
    pub(crate) operation: &'static Operation,
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) version: Option<String>,
    pub(crate) body: Option<Vec<u8>>,
}

impl Request {
    /// Starts a request; `version` overrides the operation's default API version.
    pub fn new(operation: &'static Operation, version: Option<&str>) -> Result<Self, Error> {
        if let Some(version) = version {
            check_version(version).map_err(|reason| Error::invalid_argument(operation.name, "version", reason))?;
        }
        Ok(Request {
            operation,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            version: version.map(str::to_owned),
            body: None,
        })
    }

    /// Sets a path parameter; it is percent-encoded into its own segment when sent.
    pub fn path_param(&mut self, name: &'static str, value: &str) {
        self.path_params.push((name, value.to_owned()));
    }

    /// Adds a query parameter.
    pub fn query(&mut self, name: &'static str, value: &(impl Display + ?Sized)) {
        self.query.push((name, value.to_string()));
    }

    /// Adds a header parameter.
    pub fn header(&mut self, name: &'static str, value: &(impl Display + ?Sized)) {
        self.headers.push((name, value.to_string()));
    }

    /// Adds a query parameter if it is set. (One call in each generated builder rather than an
    /// `if let` per optional parameter: less code to compile, and to generate.)
    pub fn query_if_set(&mut self, name: &'static str, value: Option<&(impl Display + ?Sized)>) {
        if let Some(value) = value {
            self.query(name, value);
        }
    }

    /// Adds a header parameter if it is set.
    pub fn header_if_set(&mut self, name: &'static str, value: Option<&(impl Display + ?Sized)>) {
        if let Some(value) = value {
            self.header(name, value);
        }
    }

    /// Adds a query parameter once for each value of a list, if the list is set.
    pub fn query_each<T: Display>(&mut self, name: &'static str, values: Option<&Vec<T>>) {
        for value in values.into_iter().flatten() {
            self.query(name, value);
        }
    }

    /// Adds a header parameter once for each value of a list, if the list is set.
    pub fn header_each<T: Display>(&mut self, name: &'static str, values: Option<&Vec<T>>) {
        for value in values.into_iter().flatten() {
            self.header(name, value);
        }
    }

    /// Sets a JSON body.
    pub fn json_body<T: Serialize>(&mut self, operation: &Operation, body: &T) -> Result<(), Error> {
        let encoding = |e: serde_json::Error| {
            Error::invalid_argument(operation.name, "body", format!("cannot be encoded as JSON: {e}"))
        };
        let bytes = if operation.body_checks.is_empty() {
            serde_json::to_vec(body).map_err(encoding)?
        } else {
            // Checked as the JSON it is sent as (the same bytes: key order kept).
            let value = serde_json::to_value(body).map_err(encoding)?;
            for check in operation.body_checks {
                match check {
                    BodyCheck::StreamPipeline { at, stage } => {
                        if let Some(pipeline) = value.pointer(at) {
                            crate::streams::check_pipeline(pipeline, at, *stage).map_err(|error| {
                                Error::InvalidPipeline {
                                    operation: operation.name,
                                    error: Box::new(error),
                                }
                            })?;
                        }
                    }
                }
            }
            serde_json::to_vec(&value).map_err(encoding)?
        };
        self.body = Some(bytes);
        Ok(())
    }

    /// Whether the caller asked the API to wrap the response in an envelope.
    pub(crate) fn enveloped(&self) -> bool {
        self.query
            .iter()
            .any(|(name, value)| *name == "envelope" && value == "true")
    }
}

/// An API version must look like `YYYY-MM-DD`.
pub(crate) fn check_version(version: &str) -> Result<(), String> {
    let ok = version.len() == 10
        && version
            .char_indices()
            .all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{version}` is not an API version: expected a date like `2025-03-12`"
        ))
    }
}

/// Validates a pattern-constrained argument (e.g. a group id) before anything is sent.
pub fn validate<T>(operation: &Operation, parameter: &'static str, value: String) -> Result<T, Error>
where
    T: TryFrom<String, Error = InvalidValue>,
{
    T::try_from(value).map_err(|e| Error::invalid_argument(operation.name, parameter, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_dates() {
        assert!(check_version("2025-03-12").is_ok());
        assert!(check_version("2025-3-12").is_err());
        assert!(check_version("latest").is_err());
        assert!(check_version("2025-03-12\r\nX-Injected: 1").is_err());
    }
}
