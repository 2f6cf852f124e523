//! Every key OpenAPI 3.0 allows in each of its objects, the shape of its value, and what the
//! generator does with it.
//!
//! `openapiv3` reads a document leniently: a key it does not know (a typo such as `requried`,
//! or an OpenAPI 3.1 keyword such as `const`) is dropped without a word, and so is a path key
//! without its leading `/`. This table is what the load stage checks the document against
//! before `openapiv3` reads it (see `shape.rs`), and it is also the audit of every keyword:
//! each key says whether the generator maps it ([`Use::Read`]), deliberately ignores it because
//! it cannot change the client ([`Use::Ignored`], with the reason), or warns whenever it is
//! present because the client cannot honour it ([`Use::Lossy`]). Keywords whose effect
//! depends on where they are (`nullable`, `style`, `format`, ...) are `Read` here and judged
//! by lowering, which knows the context (`lower/check`).

/// The OpenAPI 3.0 objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    Paths,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    Header,
    Tag,
    Schema,
    Discriminator,
    Xml,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    SecurityRequirement,
}

/// The shape of a key's value.
#[derive(Clone, Copy, Debug)]
pub(super) enum Shape {
    /// A string.
    Str,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A non-negative integer.
    Count,
    /// Anything (examples, defaults, extension values).
    Any,
    /// One of these strings.
    Word(&'static [&'static str]),
    /// A list of strings.
    Strings,
    /// A list of any values.
    Values,
    /// A mapping of strings.
    StrMap,
    /// A mapping of any values.
    AnyMap,
    /// An object of this kind.
    Object(Kind),
    /// An object of this kind, or a `$ref` to one.
    RefOr(Kind),
    /// A list of objects of this kind (each may be a `$ref` where the kind allows it).
    List(Kind),
    /// A mapping from names to objects of this kind (each may be a `$ref` where allowed).
    Map(Kind),
    /// `additionalProperties`: `true`, `false`, or a schema.
    SchemaOrBool,
}

/// What the generator does with a key.
#[derive(Clone, Copy, Debug)]
pub(super) enum Use {
    /// Mapped into the client (or judged by lowering, in context).
    Read,
    /// Deliberately ignored: the reason it cannot change the generated client.
    Ignored(&'static str),
    /// Present means lost: a warning with this message and help.
    Lossy(&'static str, &'static str),
}

/// One allowed key.
#[derive(Clone, Copy, Debug)]
pub(super) struct Key {
    /// The key.
    pub name: &'static str,
    /// Its value's shape.
    pub shape: Shape,
    /// What the generator does with it.
    pub use_: Use,
}

const fn key(name: &'static str, shape: Shape, use_: Use) -> Key {
    Key { name, shape, use_ }
}

use Kind as K;
use Shape::*;
use Use::Read;

/// Documentation only: no effect on types, names or requests.
const DOCS: Use = Use::Ignored("documentation only: no effect on types, names or requests");
/// Examples are illustrations, not part of the contract.
const EXAMPLE: Use = Use::Ignored("an example illustrates values; it is not part of the contract");
/// A value constraint: the server enforces it; the generated type accepts every value the
/// schema accepts, so nothing valid is ever refused (an out-of-range value gets the server's 400).
const CONSTRAINT: Use =
    Use::Ignored("a value constraint the server enforces; the generated type accepts every valid value");

/// `allowReserved: true` lets reserved characters (`/`, `?`, ...) go unencoded in a query value;
/// the client percent-encodes them always, which a server decodes to the same value.
const RESERVED: Use = Use::Ignored(
    "the client percent-encodes reserved characters in every query value; a server decodes them to the same value (RFC 3986 §2.2)",
);
/// Callbacks are requests the server makes; a client has nothing to generate for them.
const CALLBACKS: Use = Use::Lossy(
    "callbacks are requests the server sends to an endpoint of yours: the generated client has nothing for them",
    "serve the callback in your own service (this client cannot receive it), or drop `callbacks` from the spec",
);
/// Servers of one path or operation: the client sends everything to one base URL.
const OWN_SERVERS: Use = Use::Lossy(
    "the client sends every operation to the one base URL it is built with: `servers` of a single path or operation are not used",
    "build a second client with `ClientBuilder::base_url` for these operations, or drop these `servers`",
);

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The keys a kind allows, the ones it requires, and its name in messages.
pub(super) fn keys(kind: Kind) -> (&'static [Key], &'static [&'static str]) {
    match kind {
        K::Document => {
            const {
                (
                    &[
                        key("openapi", Str, Read),
                        key("info", Object(K::Info), Read),
                        key(
                            "servers",
                            List(K::Server),
                            Use::Ignored(
                                "the client's base URL is set when it is built (default `https://cloud.mongodb.com`)",
                            ),
                        ),
                        key("paths", Object(K::Paths), Read),
                        key("components", Object(K::Components), Read),
                        key(
                            "security",
                            List(K::SecurityRequirement),
                            Use::Ignored(
                                "the client authenticates every request with the credentials it is built with",
                            ),
                        ),
                        key("tags", List(K::Tag), DOCS),
                        key("externalDocs", Object(K::ExternalDocs), DOCS),
                    ],
                    &["openapi", "info", "paths"],
                )
            }
        }
        K::Info => {
            const {
                (
                    &[
                        key("title", Str, Read),
                        key("description", Str, DOCS),
                        key("termsOfService", Str, DOCS),
                        key("contact", Object(K::Contact), DOCS),
                        key("license", Object(K::License), DOCS),
                        key("version", Str, Read),
                    ],
                    &["title", "version"],
                )
            }
        }
        K::Contact => {
            const {
                (
                    &[key("name", Str, DOCS), key("url", Str, DOCS), key("email", Str, DOCS)],
                    &[],
                )
            }
        }
        K::License => const { (&[key("name", Str, DOCS), key("url", Str, DOCS)], &["name"]) },
        K::Server => {
            const {
                (
                    &[
                        key("url", Str, Read),
                        key("description", Str, DOCS),
                        key("variables", Map(K::ServerVariable), Read),
                    ],
                    &["url"],
                )
            }
        }
        K::ServerVariable => {
            const {
                (
                    &[
                        key("enum", Strings, Read),
                        key("default", Str, Read),
                        key("description", Str, DOCS),
                    ],
                    &["default"],
                )
            }
        }
        K::Components => {
            const {
                (
                    &[
                        key("schemas", Map(K::Schema), Read),
                        key("responses", Map(K::Response), Read),
                        key("parameters", Map(K::Parameter), Read),
                        key("examples", Map(K::Example), EXAMPLE),
                        key("requestBodies", Map(K::RequestBody), Read),
                        key("headers", Map(K::Header), Read),
                        key("securitySchemes", Map(K::SecurityScheme), Read),
                        key(
                            "links",
                            Map(K::Link),
                            Use::Ignored(
                                "links describe how responses lead to other calls; the client makes each call as asked",
                            ),
                        ),
                        key("callbacks", Map(K::Callback), CALLBACKS),
                    ],
                    &[],
                )
            }
        }
        // Path keys are checked by `shape.rs`: every key is a path template or an extension.
        K::Paths | K::Callback | K::Responses | K::SecurityRequirement => const { (&[], &[]) },
        K::PathItem => {
            const {
                (
                    &[
                        key("$ref", Str, Read),
                        key("summary", Str, DOCS),
                        key("description", Str, DOCS),
                        key(METHODS[0], Object(K::Operation), Read),
                        key(METHODS[1], Object(K::Operation), Read),
                        key(METHODS[2], Object(K::Operation), Read),
                        key(METHODS[3], Object(K::Operation), Read),
                        key(METHODS[4], Object(K::Operation), Read),
                        key(METHODS[5], Object(K::Operation), Read),
                        key(METHODS[6], Object(K::Operation), Read),
                        key(METHODS[7], Object(K::Operation), Read),
                        key("servers", List(K::Server), OWN_SERVERS),
                        key("parameters", List(K::Parameter), Read),
                    ],
                    &[],
                )
            }
        }
        K::Operation => {
            const {
                (
                    &[
                        key("tags", Strings, DOCS),
                        key("summary", Str, Read),
                        key("description", Str, Read),
                        key("externalDocs", Object(K::ExternalDocs), DOCS),
                        key("operationId", Str, Read),
                        key("parameters", List(K::Parameter), Read),
                        key("requestBody", RefOr(K::RequestBody), Read),
                        key("responses", Object(K::Responses), Read),
                        key("callbacks", Map(K::Callback), CALLBACKS),
                        key("deprecated", Bool, Read),
                        key(
                            "security",
                            List(K::SecurityRequirement),
                            Use::Ignored(
                                "the client authenticates every request with the credentials it is built with",
                            ),
                        ),
                        key("servers", List(K::Server), OWN_SERVERS),
                    ],
                    &["responses"],
                )
            }
        }
        K::ExternalDocs => const { (&[key("description", Str, DOCS), key("url", Str, DOCS)], &["url"]) },
        K::Parameter => {
            const {
                (
                    &[
                        key("name", Str, Read),
                        key("in", Word(&["query", "header", "path", "cookie"]), Read),
                        key("description", Str, Read),
                        key("required", Bool, Read),
                        key("deprecated", Bool, Read),
                        key(
                            "allowEmptyValue",
                            Bool,
                            Use::Ignored(
                                "the client never sends an empty value: an unset optional parameter is left out",
                            ),
                        ),
                        key("style", Str, Read),
                        key("explode", Bool, Read),
                        key("allowReserved", Bool, RESERVED),
                        key("schema", RefOr(K::Schema), Read),
                        key("example", Any, EXAMPLE),
                        key("examples", Map(K::Example), EXAMPLE),
                        key("content", Map(K::MediaType), Read),
                    ],
                    &["name", "in"],
                )
            }
        }
        K::Header => {
            const {
                (
                    &[
                        key("description", Str, DOCS),
                        key("required", Bool, Read),
                        key("deprecated", Bool, Read),
                        key(
                            "allowEmptyValue",
                            Bool,
                            Use::Ignored("the client never sends an empty value"),
                        ),
                        key("style", Str, Read),
                        key("explode", Bool, Read),
                        key("allowReserved", Bool, RESERVED),
                        key("schema", RefOr(K::Schema), Read),
                        key("example", Any, EXAMPLE),
                        key("examples", Map(K::Example), EXAMPLE),
                        key("content", Map(K::MediaType), Read),
                    ],
                    &[],
                )
            }
        }
        K::RequestBody => {
            const {
                (
                    &[
                        key("description", Str, Read),
                        key("content", Map(K::MediaType), Read),
                        key("required", Bool, Read),
                    ],
                    &["content"],
                )
            }
        }
        K::MediaType => {
            const {
                (
                    &[
                        key("schema", RefOr(K::Schema), Read),
                        key("example", Any, EXAMPLE),
                        key("examples", Map(K::Example), EXAMPLE),
                        key(
                            "encoding",
                            Map(K::Encoding),
                            Use::Ignored("encoding applies to multipart and form bodies, which the generator refuses"),
                        ),
                    ],
                    &[],
                )
            }
        }
        K::Encoding => {
            const {
                (
                    &[
                        key("contentType", Str, Read),
                        key("headers", Map(K::Header), Read),
                        key("style", Str, Read),
                        key("explode", Bool, Read),
                        key("allowReserved", Bool, RESERVED),
                    ],
                    &[],
                )
            }
        }
        K::Response => {
            const {
                (
                    &[
                        key("description", Str, Read),
                        key("headers", Map(K::Header), Read),
                        key("content", Map(K::MediaType), Read),
                        key(
                            "links",
                            Map(K::Link),
                            Use::Ignored(
                                "links describe how responses lead to other calls; the client makes each call as asked",
                            ),
                        ),
                    ],
                    &["description"],
                )
            }
        }
        K::Example => {
            const {
                (
                    &[
                        key("summary", Str, EXAMPLE),
                        key("description", Str, EXAMPLE),
                        key("value", Any, EXAMPLE),
                        key("externalValue", Str, EXAMPLE),
                    ],
                    &[],
                )
            }
        }
        K::Link => {
            const {
                (
                    &[
                        key("operationRef", Str, DOCS),
                        key("operationId", Str, DOCS),
                        key("parameters", AnyMap, DOCS),
                        key("requestBody", Any, DOCS),
                        key("description", Str, DOCS),
                        key("server", Object(K::Server), DOCS),
                    ],
                    &[],
                )
            }
        }
        K::Tag => {
            const {
                (
                    &[
                        key("name", Str, DOCS),
                        key("description", Str, DOCS),
                        key("externalDocs", Object(K::ExternalDocs), DOCS),
                    ],
                    &["name"],
                )
            }
        }
        K::Schema => const { (SCHEMA, &[]) },
        K::Discriminator => {
            const {
                (
                    &[key("propertyName", Str, Read), key("mapping", StrMap, Read)],
                    &["propertyName"],
                )
            }
        }
        K::Xml => {
            const {
                (
                    &[
                        key("name", Str, Read),
                        key("namespace", Str, Read),
                        key("prefix", Str, Read),
                        key("attribute", Bool, Read),
                        key("wrapped", Bool, Read),
                    ],
                    &[],
                )
            }
        }
        K::SecurityScheme => {
            const {
                (
                    &[
                        key("type", Word(&["apiKey", "http", "oauth2", "openIdConnect"]), Read),
                        key("description", Str, DOCS),
                        key("name", Str, Read),
                        key("in", Word(&["query", "header", "cookie"]), Read),
                        key("scheme", Str, Read),
                        key("bearerFormat", Str, DOCS),
                        key("flows", Object(K::OAuthFlows), Read),
                        key("openIdConnectUrl", Str, Read),
                    ],
                    &["type"],
                )
            }
        }
        K::OAuthFlows => {
            const {
                (
                    &[
                        key("implicit", Object(K::OAuthFlow), Read),
                        key("password", Object(K::OAuthFlow), Read),
                        key("clientCredentials", Object(K::OAuthFlow), Read),
                        key("authorizationCode", Object(K::OAuthFlow), Read),
                    ],
                    &[],
                )
            }
        }
        K::OAuthFlow => {
            const {
                (
                    &[
                        key("authorizationUrl", Str, Read),
                        key("tokenUrl", Str, Read),
                        key("refreshUrl", Str, Read),
                        key("scopes", StrMap, Read),
                    ],
                    &["scopes"],
                )
            }
        }
    }
}

/// The Schema Object's keys (OpenAPI 3.0.3 §4.7.24).
const SCHEMA: &[Key] = &[
    key("title", Str, Read),
    key("multipleOf", Number, CONSTRAINT),
    key("maximum", Number, CONSTRAINT),
    key("exclusiveMaximum", Bool, CONSTRAINT),
    key("minimum", Number, CONSTRAINT),
    key("exclusiveMinimum", Bool, CONSTRAINT),
    key("maxLength", Count, CONSTRAINT),
    key("minLength", Count, CONSTRAINT),
    key("pattern", Str, Read),
    key("maxItems", Count, CONSTRAINT),
    key("minItems", Count, CONSTRAINT),
    key("uniqueItems", Bool, CONSTRAINT),
    key("maxProperties", Count, CONSTRAINT),
    key("minProperties", Count, CONSTRAINT),
    key("required", Strings, Read),
    key("enum", Values, Read),
    key("type", Str, Read),
    key("allOf", List(K::Schema), Read),
    key("oneOf", List(K::Schema), Read),
    key("anyOf", List(K::Schema), Read),
    key(
        "not",
        RefOr(K::Schema),
        Use::Lossy(
            "`not` cannot be expressed in Rust: the generated type still accepts (and lets a caller build) the values it excludes",
            "describe the allowed values instead (an `enum`, a `pattern`), or leave the exclusion to the server and drop `not`",
        ),
    ),
    key("items", RefOr(K::Schema), Read),
    key("properties", Map(K::Schema), Read),
    // `false` has no effect: a struct's `extra` map (unknown properties, sent back as they
    // came) stays empty unless a caller fills it, and the server refuses what it does not know.
    key("additionalProperties", SchemaOrBool, Read),
    key("description", Str, Read),
    key("format", Str, Read),
    key("default", Any, Use::Ignored("the server applies a default to what the client leaves out; the client sends only what the caller sets")),
    key("nullable", Bool, Read),
    key("discriminator", Object(K::Discriminator), Read),
    key("readOnly", Bool, Read),
    key("writeOnly", Bool, Read),
    key("xml", Object(K::Xml), Use::Ignored("XML naming; the client speaks JSON only")),
    key("externalDocs", Object(K::ExternalDocs), DOCS),
    key("example", Any, EXAMPLE),
    key("deprecated", Bool, Read),
];

/// Whether objects of this kind may be replaced by a `$ref` where they appear in a list or
/// mapping (OpenAPI 3.0: schemas, parameters, request bodies, responses, headers, examples,
/// links, callbacks and security schemes).
pub(super) fn allows_ref(kind: Kind) -> bool {
    matches!(
        kind,
        K::Schema
            | K::Parameter
            | K::RequestBody
            | K::Response
            | K::Header
            | K::Example
            | K::Link
            | K::Callback
            | K::SecurityScheme
    )
}

/// Every kind, with its name in messages (and its article).
pub(super) const ALL: [(Kind, &str); 29] = [
    (K::Document, "the document"),
    (K::Info, "`info`"),
    (K::Contact, "a contact"),
    (K::License, "a license"),
    (K::Server, "a server"),
    (K::ServerVariable, "a server variable"),
    (K::Components, "`components`"),
    (K::Paths, "`paths`"),
    (K::PathItem, "a path item"),
    (K::Operation, "an operation"),
    (K::ExternalDocs, "`externalDocs`"),
    (K::Parameter, "a parameter"),
    (K::RequestBody, "a request body"),
    (K::MediaType, "a media type"),
    (K::Encoding, "an encoding"),
    (K::Responses, "`responses`"),
    (K::Response, "a response"),
    (K::Callback, "a callback"),
    (K::Example, "an example"),
    (K::Link, "a link"),
    (K::Header, "a header"),
    (K::Tag, "a tag"),
    (K::Schema, "a schema"),
    (K::Discriminator, "a discriminator"),
    (K::Xml, "`xml`"),
    (K::SecurityScheme, "a security scheme"),
    (K::OAuthFlows, "`flows`"),
    (K::OAuthFlow, "an OAuth flow"),
    (K::SecurityRequirement, "a security requirement"),
];

/// The object's name in messages, with its article.
pub(super) fn describe(kind: Kind) -> &'static str {
    ALL.iter().find(|(k, _)| *k == kind).map_or("a node", |(_, name)| name)
}

/// The rule that makes `name` REQUIRED in objects of `kind` (see `rules.rs`).
pub(super) fn required_rule(kind: Kind, name: &str) -> Option<&'static str> {
    Some(match (kind, name) {
        (K::Document, "openapi") => "OAS-4.7.1-openapi-required",
        (K::Document, "info") => "OAS-4.7.1-info-required",
        (K::Document, "paths") => "OAS-4.7.1-paths-required",
        (K::Info, "title") => "OAS-4.7.2-title-required",
        (K::Info, "version") => "OAS-4.7.2-version-required",
        (K::License, "name") => "OAS-4.7.4-name-required",
        (K::Server, "url") => "OAS-4.7.5-url-required",
        (K::ServerVariable, "default") => "OAS-4.7.6-default-required",
        (K::Operation, "responses") => "OAS-4.7.10-responses-required",
        (K::ExternalDocs, "url") => "OAS-4.7.11-url-required",
        (K::Parameter, "name") => "OAS-4.7.12-name-required",
        (K::Parameter, "in") => "OAS-4.7.12-in-required",
        (K::RequestBody, "content") => "OAS-4.7.13-content-required",
        (K::Response, "description") => "OAS-4.7.17-description-required",
        (K::Tag, "name") => "OAS-4.7.22-name-required",
        (K::Discriminator, "propertyName") => "OAS-4.7.25-property-name-required",
        (K::SecurityScheme, "type") => "OAS-4.7.27-type-required",
        (K::OAuthFlow, "scopes") => "OAS-4.7.29-scopes-required",
        _ => return None,
    })
}

/// The rule a Schema Object keyword's value breaks when it has the wrong shape (JSON Schema
/// Validation draft-wright-00, narrowed by OpenAPI 3.0.3 §4.7.24).
pub(super) fn schema_keyword_rule(name: &str, value: &serde_yaml::Value) -> Option<&'static str> {
    Some(match name {
        "multipleOf" => "JSV-5.1-multiple-of",
        "maximum" => "JSV-5.2-maximum",
        "exclusiveMaximum" => "JSV-5.3-exclusive-maximum",
        "minimum" => "JSV-5.4-minimum",
        "exclusiveMinimum" => "JSV-5.5-exclusive-minimum",
        "maxLength" => "JSV-5.6-max-length",
        "minLength" => "JSV-5.7-min-length",
        "pattern" => "JSV-5.8-pattern",
        "items" if value.is_sequence() => "OAS-4.7.24-items-object",
        "items" => "JSV-5.9-items",
        "maxItems" => "JSV-5.10-max-items",
        "minItems" => "JSV-5.11-min-items",
        "uniqueItems" => "JSV-5.12-unique-items",
        "maxProperties" => "JSV-5.13-max-properties",
        "minProperties" => "JSV-5.14-min-properties",
        "required" => "JSV-5.15-required-array",
        "properties" => "JSV-5.16-properties",
        "additionalProperties" => "JSV-5.18-additional-properties",
        "enum" => "JSV-5.20-enum-array",
        "type" => "OAS-4.7.24-type-string",
        "allOf" => "JSV-5.22-all-of",
        "anyOf" => "JSV-5.23-any-of",
        "oneOf" => "JSV-5.24-one-of",
        "not" => "JSV-5.25-not",
        "title" | "description" => "JSV-6.1-title-description",
        "format" => "JSV-7.1-format",
        _ => return None,
    })
}
