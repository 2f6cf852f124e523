//! A request as a mock received it ([`Sent`]), and reading the operation's inputs back out of
//! it: path segments by the operation's template, query and header parameters by name, the
//! JSON body. The generated `MockOperation::input` of each operation is a list of these reads.

use std::fmt;
use std::str::FromStr;

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;

use crate::request::Operation;

/// One attempt of a call as the client sent it: the HTTP request after argument checks,
/// serialization and authentication, and the operation it belongs to.
#[derive(Debug)]
pub struct Sent<'a> {
    operation: &'static Operation,
    request: &'a reqwest::Request,
}

/// An input that could not be read back from a request (a rule then declines it; the message
/// of a call no rule answers says why).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// The parameter (wire name), or `body`.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "input `{}` cannot be read: {}", self.input, self.reason)
    }
}

impl std::error::Error for InputError {}

fn input_error(input: &str, reason: impl fmt::Display) -> InputError {
    InputError {
        input: input.to_owned(),
        reason: reason.to_string(),
    }
}

impl<'a> Sent<'a> {
    /// A request of `operation`.
    pub fn new(operation: &'static Operation, request: &'a reqwest::Request) -> Self {
        Sent { operation, request }
    }

    /// What the runtime knows of the operation (its short name, method, path template).
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The HTTP request, as it would have gone on the wire.
    pub fn request(&self) -> &'a reqwest::Request {
        self.request
    }

    /// The request body's bytes, if it has one.
    pub fn body_bytes(&self) -> Option<&'a [u8]> {
        self.request.body().and_then(reqwest::Body::as_bytes)
    }

    /// A path parameter: the segment of the URL where the template has `{name}`,
    /// percent-decoded and parsed. The template is matched from its end, so a base URL with a
    /// path of its own does not matter.
    pub fn path<T: FromStr>(&self, name: &str) -> Result<T, InputError>
    where
        T::Err: fmt::Display,
    {
        let placeholder = format!("{{{name}}}");
        let template: Vec<&str> = self.operation.path.split('/').collect();
        let segments: Vec<&str> = self.request.url().path().split('/').collect();
        let at = template
            .iter()
            .position(|segment| segment.contains(&placeholder))
            .ok_or_else(|| input_error(name, "the path template has no such parameter"))?;
        // Segments after it are as many in the URL as in the template.
        let from_end = template.len() - at;
        let segment = segments
            .len()
            .checked_sub(from_end)
            .and_then(|i| segments.get(i))
            .ok_or_else(|| input_error(name, "the URL has fewer segments than the template"))?;
        // Literal text around the placeholder in its segment (`{processorName}:start`).
        let (prefix, suffix) = template[at].split_once(&placeholder).unwrap_or(("", ""));
        let value = segment
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .ok_or_else(|| input_error(name, format!("segment `{segment}` does not fit `{}`", template[at])))?;
        let decoded = percent_decode_str(value)
            .decode_utf8()
            .map_err(|e| input_error(name, e))?;
        decoded.parse().map_err(|e| input_error(name, e))
    }

    /// A query parameter sent once (the first value, if sent several times), parsed.
    pub fn query<T: FromStr>(&self, name: &str) -> Result<Option<T>, InputError>
    where
        T::Err: fmt::Display,
    {
        Ok(self
            .query_all(name)?
            .and_then(|mut values| (!values.is_empty()).then(|| values.remove(0))))
    }

    /// Every value of a query parameter sent once per value, parsed; `None` when not sent.
    pub fn query_all<T: FromStr>(&self, name: &str) -> Result<Option<Vec<T>>, InputError>
    where
        T::Err: fmt::Display,
    {
        let values: Vec<T> = self
            .request
            .url()
            .query_pairs()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.parse().map_err(|e| input_error(name, e)))
            .collect::<Result<_, _>>()?;
        Ok((!values.is_empty()).then_some(values))
    }

    /// A header parameter (the first value, if sent several times), parsed.
    pub fn header<T: FromStr>(&self, name: &str) -> Result<Option<T>, InputError>
    where
        T::Err: fmt::Display,
    {
        Ok(self
            .header_all(name)?
            .and_then(|mut values| (!values.is_empty()).then(|| values.remove(0))))
    }

    /// Every value of a header parameter, parsed; `None` when not sent.
    pub fn header_all<T: FromStr>(&self, name: &str) -> Result<Option<Vec<T>>, InputError>
    where
        T::Err: fmt::Display,
    {
        let values: Vec<T> = self
            .request
            .headers()
            .get_all(name)
            .iter()
            .map(|value| {
                let text = value.to_str().map_err(|e| input_error(name, e))?;
                text.parse().map_err(|e| input_error(name, e))
            })
            .collect::<Result<_, _>>()?;
        Ok((!values.is_empty()).then_some(values))
    }

    /// The JSON body, decoded; `None` when the request has none.
    pub fn body<T: DeserializeOwned>(&self) -> Result<Option<T>, InputError> {
        self.body_bytes()
            .map(|bytes| serde_json::from_slice(bytes).map_err(|e| input_error("body", e)))
            .transpose()
    }
}

/// A required input that was read: there, or an error naming it.
pub fn required<T>(input: &str, value: Result<Option<T>, InputError>) -> Result<T, InputError> {
    value?.ok_or_else(|| input_error(input, "required, but not sent"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    static OPERATION: Operation = Operation {
        name: "startThing",
        method: Method::Post,
        path: "/api/atlas/v2/groups/{groupId}/things/{thingName}:start",
        versions: &["2023-02-01"],
        default_version: Some("2023-02-01"),
        media_suffix: "json",
        idempotent: false,
        body_checks: &[],
    };

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(http::Method::POST, url.parse().unwrap())
    }

    #[test]
    fn path_parameters_are_read_by_the_template_and_decoded() {
        let sent = request("https://example.com/prefix/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/things/a%2Fb%20c:start?n=1&n=2&flag=true");
        let sent = Sent::new(&OPERATION, &sent);
        assert_eq!(sent.path::<String>("groupId").unwrap(), "32b6e34b3d91647abb20e7b8");
        assert_eq!(sent.path::<String>("thingName").unwrap(), "a/b c");
        assert!(sent.path::<String>("nope").is_err());
        assert_eq!(sent.query_all::<i64>("n").unwrap(), Some(vec![1, 2]));
        assert_eq!(sent.query::<i64>("n").unwrap(), Some(1));
        assert_eq!(sent.query::<bool>("flag").unwrap(), Some(true));
        assert_eq!(sent.query::<bool>("absent").unwrap(), None);
        let error = sent.query::<bool>("n").unwrap_err();
        assert_eq!(error.input, "n");
        assert!(required::<bool>("absent", sent.query("absent")).is_err());
        assert_eq!(sent.body::<serde_json::Value>().unwrap(), None);
    }

    #[test]
    fn a_segment_that_does_not_fit_its_template_is_an_error() {
        let sent = request("https://example.com/api/atlas/v2/groups/g/things/t:stop");
        let error = Sent::new(&OPERATION, &sent).path::<String>("thingName").unwrap_err();
        assert!(error.reason.contains("does not fit"), "{error}");
    }
}
