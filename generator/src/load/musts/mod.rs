//! The rules of OpenAPI 3.0.3 that the shape of a key cannot express: fields that exclude each
//! other, values that must be unique or resolve, fields required by another field's value, and
//! the JSON Schema keywords' own rules. Each diagnostic names its rule in the table
//! (`rules.rs`); whether it is an error or a warning is decided there, by what the client does.
//!
//! The checks read the YAML tree, as the shape check does, because `openapiv3` drops what
//! several of these rules are about (a parameter's `content` beside its `schema`, a number as a
//! mapping key, an empty `responses`). [`object`] is called by the shape walk for every object
//! it meets, with its kind; [`document`] (`document.rs`) checks what needs the whole document.

mod document;

use std::collections::BTreeSet;

use serde_yaml::{Mapping, Value};

use super::keys::Kind;
use super::rules;
use super::tree::{join, key_text, what};
use crate::diag::Diagnostic;
pub(super) use document::document;
use document::{operation_ids, points_to_operation};

/// Header parameters OpenAPI tells consumers to ignore (§4.7.12): the client sets them itself.
pub const RESERVED_HEADERS: [&str; 3] = ["Accept", "Content-Type", "Authorization"];

/// The methods whose request body has no meaning in HTTP (RFC 7231 §4.3).
const BODYLESS_METHODS: [&str; 3] = ["get", "head", "delete"];

/// The rules of one object of `kind` at `pointer`.
pub(super) fn object(root: &Value, kind: Kind, map: &Mapping, pointer: &str, out: &mut Vec<Diagnostic>) {
    let mut o = Object { map, pointer, out };
    match kind {
        Kind::Info => o.url("termsOfService", "OAS-4.7.2-terms-url", Url::Reference),
        Kind::Contact => {
            o.url("url", "OAS-4.7.3-url-format", Url::Reference);
            o.email();
        }
        Kind::License => o.url("url", "OAS-4.7.4-url-format", Url::Reference),
        Kind::ExternalDocs => o.url("url", "OAS-4.7.11-url-format", Url::Reference),
        Kind::Xml => o.url("namespace", "OAS-4.7.26-namespace-uri", Url::Absolute),
        Kind::Operation => o.request_body(),
        Kind::Parameter => o.parameter(),
        Kind::Header => o.header(),
        Kind::MediaType => o.exclusive("example", "examples", "OAS-4.7.14-example-xor-examples"),
        Kind::Example => o.exclusive("value", "externalValue", "OAS-4.7.19-value-xor-external"),
        Kind::Link => o.link(root),
        Kind::Responses => o.responses(),
        Kind::Response => o.response_headers(),
        Kind::Schema => o.schema(),
        Kind::Discriminator => o.mapping_keys(),
        Kind::SecurityScheme => o.security_scheme(),
        Kind::OAuthFlows => o.oauth_flows(),
        _ => {}
    }
}

/// What a URL-valued field must be.
#[derive(Clone, Copy)]
enum Url {
    /// A URL, which may be relative (OpenAPI 3.0.3 §4.6).
    Reference,
    /// An absolute URI (with a scheme).
    Absolute,
}

struct Object<'m, 'o> {
    map: &'m Mapping,
    pointer: &'m str,
    out: &'o mut Vec<Diagnostic>,
}

impl<'m> Object<'m, '_> {
    fn str(&self, key: &str) -> Option<&'m str> {
        self.map.get(key).and_then(Value::as_str)
    }

    fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    fn at(&self, key: &str) -> String {
        join(self.pointer, key)
    }

    /// A field whose value must be a URL.
    fn url(&mut self, key: &str, rule: &str, form: Url) {
        let Some(text) = self.str(key) else { return };
        if let Some(why) = url_problem(text, form) {
            let help = match form {
                Url::Reference => "write a URL such as `https://example.com/terms`, percent-encoding spaces and other special characters",
                Url::Absolute => "write an absolute URI with its scheme, such as `https://example.com/schema`",
            };
            self.out.push(rules::warning(
                rule,
                self.at(key),
                format!("`{key}: {text}` is not a URL: {why}"),
                help,
            ));
        }
    }

    fn email(&mut self) {
        let Some(text) = self.str("email") else { return };
        let valid = match text.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if !valid {
            self.out.push(rules::warning(
                "OAS-4.7.3-email-format",
                self.at("email"),
                format!("`email: {text}` is not an email address"),
                "write an address such as `support@example.com`",
            ));
        }
    }

    /// Two fields of which at most one may be present.
    fn exclusive(&mut self, one: &str, other: &str, rule: &str) {
        if self.has(one) && self.has(other) {
            self.out.push(rules::warning(
                rule,
                self.at(other),
                format!("both `{one}` and `{other}` are given: they exclude each other, so tools disagree on which one counts"),
                "keep one of the two (the client reads neither)",
            ));
        }
    }

    /// A request body on a method where HTTP gives it no meaning.
    fn request_body(&mut self) {
        let method = self.pointer.rsplit('/').next().unwrap_or_default();
        if BODYLESS_METHODS.contains(&method) && self.has("requestBody") {
            let upper = method.to_ascii_uppercase();
            self.out.push(rules::warning(
                "OAS-4.7.10-request-body-ignored",
                self.at("requestBody"),
                format!("a `{upper}` operation has a `requestBody`, which HTTP gives no meaning: the client sends it as described, but proxies and servers may drop it"),
                format!("send the input as query parameters, or make the operation a `POST` (keep it only if the server reads a body on `{upper}`)"),
            ));
        }
    }

    /// `schema` or `content`, one media type in `content`, `example` or `examples`: the rules a
    /// Header Object shares with the Parameter Object.
    fn schema_or_content(&mut self, what: &str) {
        match (self.has("schema"), self.has("content")) {
            (true, true) => self.out.push(rules::error(
                "OAS-4.7.12-schema-xor-content",
                self.at("content"),
                format!("{what} has both `schema` and `content`: OpenAPI tools read `schema` and drop `content` without a word"),
                "keep `schema` (the client sends parameters by their schema) and remove `content`",
            )),
            (false, false) => self.out.push(rules::error(
                "OAS-4.7.12-schema-xor-content",
                self.pointer,
                format!("{what} has neither `schema` nor `content`: its value has no type"),
                "add a `schema`, e.g. `schema: {type: string}`",
            )),
            _ => {}
        }
        if let Some(Value::Mapping(content)) = self.map.get("content") {
            if content.len() != 1 {
                self.out.push(rules::error(
                    "OAS-4.7.12-content-one-entry",
                    self.at("content"),
                    format!(
                        "`content` of {what} has {} media types: it must have exactly one",
                        content.len()
                    ),
                    "keep the one media type the value is sent in (or describe the value with `schema` instead)",
                ));
            }
        }
        self.exclusive("example", "examples", "OAS-4.7.12-example-xor-examples");
    }

    fn parameter(&mut self) {
        let name = self.str("name").unwrap_or_default().to_owned();
        let location = self.str("in").unwrap_or_default().to_owned();
        self.schema_or_content(&format!("parameter `{name}`"));
        if let Some(style) = self.str("style") {
            let allowed: &[&str] = match style {
                "matrix" | "label" => &["path"],
                "form" => &["query", "cookie"],
                "simple" => &["path", "header"],
                "spaceDelimited" | "pipeDelimited" | "deepObject" => &["query"],
                _ => &[],
            };
            if !location.is_empty() && !allowed.contains(&location.as_str()) {
                let list = if allowed.is_empty() {
                    "no location: it is not an OpenAPI 3.0 style".to_owned()
                } else {
                    allowed
                        .iter()
                        .map(|l| format!("`in: {l}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                };
                self.out.push(rules::error(
                    "OAS-4.7.12-style-location",
                    self.at("style"),
                    format!("`style: {style}` is for {list}, not for `in: {location}`"),
                    format!(
                        "drop `style` to use the default of `in: {location}` (`{}`)",
                        default_style(&location)
                    ),
                ));
            }
        }
        if location == "header" && RESERVED_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(&name)) {
            self.out.push(rules::warning(
                "OAS-4.7.12-reserved-headers",
                self.pointer,
                format!("the header parameter `{name}` is ignored: the client sets `{name}` itself"),
                "remove the parameter (the client sends the versioned media type and the credentials it is built with)",
            ));
        }
    }

    fn header(&mut self) {
        self.schema_or_content("the header");
        if let Some(style) = self.str("style").filter(|s| *s != "simple") {
            self.out.push(rules::error(
                "OAS-4.7.21-location-traits",
                self.at("style"),
                format!("a header has `style: {style}`, but headers have only `style: simple`"),
                "drop `style` (a header is always `simple`)",
            ));
        }
    }

    /// A link names its operation one way, and that operation exists.
    fn link(&mut self, root: &Value) {
        match (self.str("operationRef"), self.str("operationId")) {
            (Some(_), Some(_)) => self.out.push(rules::warning(
                "OAS-4.7.20-ref-xor-id",
                self.at("operationId"),
                "the link has both `operationRef` and `operationId`: they exclude each other",
                "keep one of the two (the client does not follow links)",
            )),
            // The parser refuses such a link (without naming the rule), so this is an error.
            (None, None) => self.out.push(rules::error(
                "OAS-4.7.20-identified",
                self.pointer,
                "the link names no operation: it has neither `operationRef` nor `operationId`",
                "add `operationId: <the linked operation's id>` (the client does not follow links)",
            )),
            (Some(reference), None) => {
                let local = reference.strip_prefix('#');
                if local.is_some_and(|p| !points_to_operation(root, p)) {
                    self.out.push(rules::warning(
                        "OAS-4.7.20-ref-target",
                        self.at("operationRef"),
                        format!("`operationRef: '{reference}'` does not point to an operation of this document"),
                        "point it to an operation, e.g. `#/paths/~1things~1{id}/get` (`/` written `~1`)",
                    ));
                }
            }
            (None, Some(id)) => {
                if !operation_ids(root).iter().any(|(known, _)| known == id) {
                    self.out.push(rules::warning(
                        "OAS-4.7.20-id-resolves",
                        self.at("operationId"),
                        format!("no operation has `operationId: {id}`"),
                        "name an existing operation's `operationId` (the client does not follow links)",
                    ));
                }
            }
        }
    }

    /// At least one response; codes quoted.
    fn responses(&mut self) {
        let mut any = false;
        for key in self.map.keys() {
            if key.as_str().is_some_and(|k| k.starts_with("x-")) {
                continue;
            }
            any = true;
            if let Value::Number(code) = key {
                self.out.push(rules::warning(
                    "OAS-4.7.16-code-quoted",
                    join(self.pointer, &code.to_string()),
                    format!("the status code {code} is not quoted: YAML reads it as a number, JSON tools may not read it at all"),
                    format!("quote it: `'{code}':`"),
                ));
            }
        }
        if !any {
            self.out.push(rules::error(
                "OAS-4.7.16-at-least-one",
                self.pointer,
                "`responses` lists no response: the client could not know what the operation returns",
                "add the success response, e.g. `'200': {description: OK, content: {application/json: {schema: ...}}}` (or `'204': {description: Done}`)",
            ));
        }
    }

    fn response_headers(&mut self) {
        let Some(Value::Mapping(headers)) = self.map.get("headers") else {
            return;
        };
        for key in headers.keys().filter_map(Value::as_str) {
            if key.eq_ignore_ascii_case("Content-Type") {
                self.out.push(rules::warning(
                    "OAS-4.7.17-content-type-ignored",
                    join(&self.at("headers"), key),
                    format!("the response header `{key}` is ignored: a response's media types are the keys of its `content`"),
                    "remove the header and describe the body under `content`",
                ));
            }
        }
    }

    /// The rules of a Schema Object's JSON Schema keywords that its shape does not cover.
    fn schema(&mut self) {
        let typ = self.str("type");
        if typ == Some("array") && !self.has("items") {
            self.out.push(rules::error(
                "OAS-4.7.24-items-present",
                self.at("type"),
                "a schema of `type: array` has no `items`: its entries have no type",
                "add `items`, e.g. `items: {type: string}` (or `items: {}` if an entry may be any JSON value)",
            ));
        }
        if let (Some(default), Some(typ)) = (self.map.get("default"), typ) {
            let nullable = self.map.get("nullable").and_then(Value::as_bool) == Some(true);
            let allowed = conforms(default, typ) || (default.is_null() && nullable);
            if !allowed {
                self.out.push(rules::warning(
                    "OAS-4.7.24-default-type",
                    self.at("default"),
                    format!("`default` is {}, which is not a value of `type: {typ}`", what(default)),
                    format!("write a default of type `{typ}` (quote it only for a string), or remove `default`"),
                ));
            }
        }
        if let Some(Value::Number(n)) = self.map.get("multipleOf") {
            if n.as_f64().is_some_and(|v| v <= 0.0) {
                self.out.push(rules::warning(
                    "JSV-5.1-multiple-of",
                    self.at("multipleOf"),
                    format!("`multipleOf: {n}` is not greater than 0"),
                    "write a positive number, or remove `multipleOf`",
                ));
            }
        }
        for (exclusive, bound, rule) in [
            ("exclusiveMaximum", "maximum", "JSV-5.3-exclusive-maximum-bound"),
            ("exclusiveMinimum", "minimum", "JSV-5.5-exclusive-minimum-bound"),
        ] {
            if self.map.get(exclusive).is_some_and(Value::is_bool) && !self.has(bound) {
                self.out.push(rules::warning(
                    rule,
                    self.at(exclusive),
                    format!("`{exclusive}` without `{bound}` has no limit to make exclusive"),
                    format!("add `{bound}`, or remove `{exclusive}`"),
                ));
            }
        }
        if let Some(Value::Sequence(required)) = self.map.get("required") {
            if required.is_empty() {
                self.out.push(rules::warning(
                    "JSV-5.15-required-non-empty",
                    self.at("required"),
                    "`required` is an empty list",
                    "remove `required` (nothing is required), or list the required properties",
                ));
            }
            let mut seen = BTreeSet::new();
            for (i, name) in required.iter().enumerate() {
                if let Some(name) = name.as_str().filter(|n| !seen.insert(*n)) {
                    self.out.push(rules::warning(
                        "JSV-5.15-required-unique",
                        join(&self.at("required"), &i.to_string()),
                        format!("`required` lists `{name}` twice"),
                        "remove the repetition",
                    ));
                }
            }
        }
        if matches!(self.map.get("enum"), Some(Value::Sequence(values)) if values.is_empty()) {
            self.out.push(rules::warning(
                "JSV-5.20-enum-non-empty",
                self.at("enum"),
                "`enum` is an empty list: no value would be valid",
                "list the allowed values, or remove `enum`",
            ));
        }
        for (key, rule) in [
            ("allOf", "JSV-5.22-all-of"),
            ("anyOf", "JSV-5.23-any-of"),
            ("oneOf", "JSV-5.24-one-of"),
        ] {
            if !matches!(self.map.get(key), Some(Value::Sequence(members)) if members.is_empty()) {
                continue;
            }
            let help = format!("list the alternatives under `{key}`, or remove `{key}`");
            self.out.push(if key == "allOf" {
                rules::warning(rule, self.at(key), "`allOf` is an empty list: it adds nothing", help)
            } else {
                rules::error(
                    rule,
                    self.at(key),
                    format!("`{key}` is an empty list: no value would be valid, while the generated type would accept any JSON"),
                    help,
                )
            });
        }
    }

    /// A discriminator's mapping keys are strings (payload values).
    fn mapping_keys(&mut self) {
        let Some(Value::Mapping(mapping)) = self.map.get("mapping") else {
            return;
        };
        for key in mapping.keys().filter(|k| !k.is_string()) {
            let text = key_text(key).unwrap_or_else(|| "...".to_owned());
            self.out.push(rules::error(
                "OAS-4.7.25-mapping-keys",
                join(&self.at("mapping"), &text),
                format!(
                    "the mapping key {} is not a string: a tag value is a string in the payload",
                    what(key)
                ),
                format!("quote it: `'{text}': ...`"),
            ));
        }
    }

    /// The fields each type of security scheme requires.
    fn security_scheme(&mut self) {
        let needed: &[(&str, &str)] = match self.str("type") {
            Some("apiKey") => &[("name", "OAS-4.7.27-api-key-name"), ("in", "OAS-4.7.27-api-key-in")],
            Some("http") => &[("scheme", "OAS-4.7.27-http-scheme")],
            Some("oauth2") => &[("flows", "OAS-4.7.27-oauth2-flows")],
            Some("openIdConnect") => &[("openIdConnectUrl", "OAS-4.7.27-openid-url")],
            _ => &[],
        };
        let typ = self.str("type").unwrap_or_default().to_owned();
        for (field, rule) in needed {
            if !self.has(field) {
                self.out.push(rules::error(
                    rule,
                    self.pointer,
                    format!("a security scheme of `type: {typ}` has no `{field}`"),
                    format!("add `{field}` to it"),
                ));
            }
        }
        self.url("openIdConnectUrl", "OAS-4.7.27-openid-url-format", Url::Reference);
    }

    /// The URLs each OAuth flow requires, and their form.
    fn oauth_flows(&mut self) {
        for (flow, needed) in [
            ("implicit", &["authorizationUrl"][..]),
            ("password", &["tokenUrl"][..]),
            ("clientCredentials", &["tokenUrl"][..]),
            ("authorizationCode", &["authorizationUrl", "tokenUrl"][..]),
        ] {
            let Some(Value::Mapping(map)) = self.map.get(flow) else {
                continue;
            };
            let pointer = self.at(flow);
            let mut inner = Object {
                map,
                pointer: &pointer,
                out: &mut *self.out,
            };
            for field in needed {
                if !inner.has(field) {
                    let rule = if *field == "tokenUrl" {
                        "OAS-4.7.29-token-url"
                    } else {
                        "OAS-4.7.29-authorization-url"
                    };
                    inner.out.push(rules::error(
                        rule,
                        inner.pointer,
                        format!("the `{flow}` flow has no `{field}`"),
                        format!("add `{field}: https://...` to it"),
                    ));
                }
            }
            inner.url(
                "authorizationUrl",
                "OAS-4.7.29-authorization-url-format",
                Url::Reference,
            );
            inner.url("tokenUrl", "OAS-4.7.29-token-url-format", Url::Reference);
            inner.url("refreshUrl", "OAS-4.7.29-refresh-url-format", Url::Reference);
        }
    }
}

/// The default `style` of a parameter location (§4.7.12).
fn default_style(location: &str) -> &'static str {
    match location {
        "path" | "header" => "simple",
        _ => "form",
    }
}

/// Why `text` is not a URL of this form (RFC 3986), if it is not.
fn url_problem(text: &str, form: Url) -> Option<&'static str> {
    if text.trim().is_empty() {
        return Some("it is empty");
    }
    // Characters RFC 3986 never allows unencoded in a URI.
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c))
    {
        return Some("it has spaces or characters a URL cannot hold unencoded");
    }
    let scheme = text.split_once(':').map(|(s, _)| s).filter(|s| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    match form {
        Url::Absolute if scheme.is_none() => Some("it has no scheme (such as `https:`), so it is not absolute"),
        _ => None,
    }
}

/// Whether a YAML value is a value of an OpenAPI `type`.
fn conforms(value: &Value, typ: &str) -> bool {
    match typ {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => value.is_number(),
        "boolean" => value.is_bool(),
        "array" => value.is_sequence(),
        "object" => value.is_mapping(),
        // An unknown type is reported as such.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(url_problem("https://example.com/a?b=c", Url::Absolute), None);
        assert_eq!(url_problem("/relative/path", Url::Reference), None);
        assert!(url_problem("/relative/path", Url::Absolute).is_some());
        assert!(url_problem("see our website", Url::Reference).is_some());
        assert!(url_problem("", Url::Reference).is_some());
    }
}
