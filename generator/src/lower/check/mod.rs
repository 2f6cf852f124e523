//! The last pass: the whole document is checked, not only what operations reach.
//!
//! Discovery and conversion see only what an operation uses, so a broken schema nobody uses
//! (a dangling `$ref`, a bad discriminator, an alias cycle) used to pass unseen. This pass
//! visits every schema, parameter, header, request body and response of the document, in
//! document order, and asks each the questions conversion would: a problem conversion already
//! reported is reported once (the context keeps one diagnostic per pointer and message). It
//! also judges what conversion silently picked or dropped: parameter styles the client does
//! not send, response headers it does not expose, media types it does not read, and the
//! alternatives of a body it cannot decode. Unused components are found by the load stage.

mod params;
mod schemas;

use openapiv3::{MediaType, ParameterSchemaOrContent, ReferenceOr, Response, SecurityScheme, StatusCode};

use super::context::Context;
use super::media::is_binary;
use super::sites::{media, resolve_response, OpSite};
use super::view::RefOr;
use crate::diag::Diagnostic;
use crate::locate::escape_segment;

/// The diagnostic for a request body the client cannot send (only JSON bodies can be sent).
pub(super) fn binary_request_body(media_type: &str, pointer: &str) -> Diagnostic {
    Diagnostic::new(
        pointer,
        format!("unsupported construct: a `{media_type}` request body (only JSON bodies can be sent)"),
        "describe the body as `application/json` (or a vendor `+json` type), or leave this operation out of the spec",
    )
}

/// Response headers the generated client exposes (`send_with_response`) or obeys (retries).
const KNOWN_RESPONSE_HEADERS: [&str; 3] = ["RateLimit-Limit", "RateLimit-Remaining", "Retry-After"];

/// Checks the whole document.
pub(super) fn document<'a>(cx: &mut Context<'a>, sites: &[OpSite<'a>]) {
    let api = cx.api;
    let mut walk = Walk {
        schemas: schemas::Schemas::new(cx),
    };
    for site in sites {
        walk.operation(site);
    }
    if let Some(components) = &api.components {
        for (name, schema) in &components.schemas {
            walk.schemas.visit(
                RefOr::of(schema),
                &format!("#/components/schemas/{}", escape_segment(name)),
            );
        }
        for (name, param) in &components.parameters {
            if let ReferenceOr::Item(param) = param {
                let pointer = format!("#/components/parameters/{}", escape_segment(name));
                params::parameter(&mut walk.schemas, param, &pointer);
            }
        }
        for (name, body) in &components.request_bodies {
            if let ReferenceOr::Item(body) = body {
                let pointer = format!("#/components/requestBodies/{}", escape_segment(name));
                walk.content(&body.content, &pointer, true);
            }
        }
        for (name, response) in &components.responses {
            if let ReferenceOr::Item(response) = response {
                walk.response(response, &format!("#/components/responses/{}", escape_segment(name)));
            }
        }
        for (name, scheme) in &components.security_schemes {
            if let ReferenceOr::Item(scheme) = scheme {
                let pointer = format!("#/components/securitySchemes/{}", escape_segment(name));
                security_scheme(walk.cx(), scheme, &pointer);
            }
        }
        for (name, header) in &components.headers {
            if let ReferenceOr::Item(header) = header {
                let pointer = format!("#/components/headers/{}", escape_segment(name));
                walk.header_schema(&header.format, &pointer);
            }
        }
    }
}

struct Walk<'c, 'a> {
    schemas: schemas::Schemas<'c, 'a>,
}

impl<'a> Walk<'_, 'a> {
    fn cx(&mut self) -> &mut Context<'a> {
        self.schemas.cx
    }

    /// An operation's own parameters, body and responses (components are checked apart).
    fn operation(&mut self, site: &OpSite<'a>) {
        params::of_operation(&mut self.schemas, site);
        if let Some(ReferenceOr::Item(body)) = &site.op.request_body {
            self.content(&body.content, &format!("{}/requestBody", site.pointer), true);
        }
        let mut successes = Vec::new();
        for (code, response) in &site.op.responses.responses {
            let pointer = format!("{}/responses/{code}", site.pointer);
            if let ReferenceOr::Item(response) = response {
                self.response(response, &pointer);
            }
            if matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2)) {
                successes.push((code.to_string(), response, pointer));
            }
        }
        if let Some(ReferenceOr::Item(default)) = &site.op.responses.default {
            self.response(default, &format!("{}/responses/default", site.pointer));
        }
        self.other_successes(site, &successes);
    }

    /// Several success responses: the client decodes the lowest one; another with a
    /// different body would fail to decode or lose its body.
    fn other_successes(&mut self, site: &OpSite<'a>, successes: &[(String, &'a ReferenceOr<Response>, String)]) {
        let Some((status, response, _)) = site.success_response(self.cx()) else {
            return;
        };
        let chosen = schemas_of(response);
        for (code, other, pointer) in successes {
            let Some((other, _)) = resolve_response(self.cx(), other, pointer.clone()) else {
                continue;
            };
            let theirs = schemas_of(other);
            if std::ptr::eq(other, response) || theirs.is_empty() || theirs == chosen {
                continue;
            }
            self.cx().report(Diagnostic::warning(
                format!("{pointer}/content"),
                format!("the client decodes only the `{status}` response's body; the `{code}` response has a different one, which would fail to decode or be lost"),
                format!("give `{code}` the same body as `{status}` (or none), or split the operation"),
            ));
        }
    }

    /// A response: its body's media types and schemas, and the headers the client drops.
    fn response(&mut self, response: &'a Response, pointer: &str) {
        self.content(&response.content, pointer, false);
        for (name, header) in &response.headers {
            let at = format!("{pointer}/headers/{}", escape_segment(name));
            if let ReferenceOr::Item(header) = header {
                self.header_schema(&header.format, &at);
            }
            // `Content-Type` is ignored by OpenAPI's own rule, reported by the load stage.
            let ignored = name.eq_ignore_ascii_case("Content-Type");
            if !ignored && !KNOWN_RESPONSE_HEADERS.iter().any(|k| k.eq_ignore_ascii_case(name)) {
                self.cx().report(Diagnostic::warning(
                    at,
                    format!("the response header `{name}` is not exposed by the generated client (only {} are)", KNOWN_RESPONSE_HEADERS.join(", ")),
                    "read it from a caller-built `reqwest::Client` middleware, or drop it from the spec if callers do not need it",
                ));
            }
        }
    }

    fn header_schema(&mut self, format: &'a ParameterSchemaOrContent, pointer: &str) {
        if let ParameterSchemaOrContent::Schema(schema) = format {
            self.schemas.visit(RefOr::of(schema), &format!("{pointer}/schema"));
        }
    }

    /// A body's media types: each schema checked; JSON versions of one body whose schemas
    /// differ are lossy (the client reads every version with the chosen one's schema).
    fn content(&mut self, content: &'a indexmap::IndexMap<String, MediaType>, pointer: &str, request: bool) {
        let mut json: Vec<(&str, &'a MediaType)> = Vec::new();
        for (name, media) in content {
            let at = format!("{pointer}/content/{}", escape_segment(name));
            if let Some(schema) = &media.schema {
                self.schemas.visit(RefOr::of(schema), &format!("{at}/schema"));
            }
            if !is_binary(name) {
                json.push((name, media));
            }
        }
        let Some(chosen) = media(content, pointer).chosen else {
            return;
        };
        if request && is_binary(chosen.0) {
            self.cx().report(binary_request_body(chosen.0, &chosen.2));
        }
        let chosen_schema = content.get(chosen.0).and_then(|m| m.schema.as_ref());
        for (name, media) in json {
            if name != chosen.0 && media.schema.is_some() && media.schema.as_ref() != chosen_schema {
                self.cx().report(Diagnostic::warning(
                    format!("{pointer}/content/{}/schema", escape_segment(name)),
                    format!("`{name}` has another schema than `{}`, the media type the client uses: with this version the client would read or write the wrong shape", chosen.0),
                    "give every version the same schema, or drop the older versions the client need not speak",
                ));
            }
        }
    }
}

/// A security scheme the client cannot authenticate with: it knows OAuth 2.0 client
/// credentials (service accounts), HTTP digest (API keys) and bearer tokens.
fn security_scheme(cx: &mut Context<'_>, scheme: &SecurityScheme, pointer: &str) {
    let unsupported = match scheme {
        SecurityScheme::HTTP { scheme, .. } if ["digest", "bearer"].contains(&scheme.to_ascii_lowercase().as_str()) => {
            return
        }
        SecurityScheme::OAuth2 { flows, .. } if flows.client_credentials.is_some() => return,
        SecurityScheme::HTTP { scheme, .. } => format!("HTTP `{scheme}` authentication"),
        SecurityScheme::OAuth2 { .. } => "OAuth 2.0 without the client-credentials flow".to_owned(),
        SecurityScheme::APIKey { .. } => "an API key in a header, query or cookie".to_owned(),
        SecurityScheme::OpenIDConnect { .. } => "OpenID Connect".to_owned(),
    };
    cx.report(Diagnostic::warning(
        pointer,
        format!("the client cannot authenticate with {unsupported}: it knows OAuth 2.0 client credentials, HTTP digest and bearer tokens"),
        "authenticate another way: pass a token you obtained to `ClientBuilder::bearer_token`, or set the header on a caller-built `reqwest::Client`; or drop the scheme",
    ));
}

/// The schemas of a response's media types (to compare two responses).
fn schemas_of(response: &Response) -> Vec<&ReferenceOr<openapiv3::Schema>> {
    response.content.values().filter_map(|m| m.schema.as_ref()).collect()
}
