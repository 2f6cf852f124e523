//! The intermediate representation between lowering and emitting.
//!
//! Everything semantic (refs, allOf, oneOf, direction split, naming) is already decided here:
//! the emitter renders these values and never looks at the spec again.

/// The whole API as the emitter sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// `info.title` of the spec.
    pub title: String,
    /// `info.version` of the spec.
    pub spec_version: String,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// The implementations enums with the same values share, sorted by name.
    pub shared_enums: Vec<SharedEnum>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// Waiters (the spec's `x-waiters`), sorted by method name.
    pub waiters: Vec<Waiter>,
}

/// One named Rust type.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// Rust type name (UpperCamelCase, unique in the crate).
    pub name: String,
    /// Doc comment text (already condensed).
    pub doc: Option<String>,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// Where the type comes from, as a JSON pointer (for diagnostics and doc comments).
    pub origin: String,
    /// What the type is.
    pub kind: TypeKind,
    /// The conversions from response types into this one (a request type), rendered with it.
    pub conversions: Vec<Conversion>,
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// An object with known properties; unknown properties are kept in an `extra` map.
    Struct(StructDef),
    /// A `oneOf` with a discriminator: one variant per tag value plus a catch-all.
    TaggedUnion(TaggedUnion),
    /// A string enum (or a `oneOf` of string enums): one variant per value plus a catch-all.
    StringEnum(StringEnum),
    /// A string constrained by a `pattern`: a validated newtype.
    Pattern(PatternNewtype),
    /// A `oneOf` marked `x-key-tagged: true` whose members each require one distinct property
    /// (`{"$source": {...}}`, a pipeline stage): one variant per member, keyed by that property,
    /// plus a catch-all.
    KeyedUnion(KeyedUnion),
}

/// An object schema lowered to a struct.
///
/// Every struct is `#[non_exhaustive]` and built with `new(required fields...)` (in field
/// order), then, where it gets them, one chained setter per optional field: code built that
/// way keeps compiling when the spec gains an optional property.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    /// Fields in spec order (inherited ones first).
    pub fields: Vec<Field>,
    /// Name of the field that collects unknown properties (never clashes with a real field).
    pub extra_field: String,
    /// Every field is optional, so the struct derives `Default` (equal to `new()`).
    pub default: bool,
    /// The spec lets a value have properties of its own choosing besides the fields
    /// (`additionalProperties` set, and not `false`), such as `$group`'s accumulators. Every
    /// struct keeps unknown properties it reads (a newer server may send them); this says
    /// whether a caller may send them too (the emulator refuses them otherwise, as Atlas does).
    pub open: bool,
    /// The private field in which the struct keeps the order its properties came in, to write
    /// them back in it: set for the structs inside a key-tagged union's value (a pipeline stage,
    /// whose order MongoDB compares), `None` for the others.
    pub order_field: Option<String>,
}

/// One struct field.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Rust field name (snake_case, raw identifier if it is a keyword).
    pub name: String,
    /// Property name on the wire.
    pub wire_name: String,
    /// The value type (without the Option/Nullable wrapper, see `presence`).
    pub ty: TypeRef,
    /// Required / optional / nullable.
    pub presence: Presence,
    /// Stored behind a `Box` to break a recursive type.
    pub boxed: bool,
    /// Doc comment text.
    pub doc: Option<String>,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// The chained setter of an optional field (`None` for a required field, and in a type that
    /// gets no setters). Usually the field's name; never one of the type's other members.
    pub setter: Option<String>,
}

/// How a property may be present on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>` (None is sent as `null`).
    RequiredNullable,
    /// May be absent, never null: `Option<T>` (None is left out).
    Optional,
    /// May be absent or null: the three-state `Nullable<T>` (absent / null / value).
    OptionalNullable,
}

/// A discriminated union.
#[derive(Clone, Debug, PartialEq)]
pub struct TaggedUnion {
    /// The discriminator property on the wire, e.g. `type`.
    pub tag: String,
    /// One variant per known tag value, in spec order.
    pub variants: Vec<Variant>,
    /// Name of the catch-all variant that keeps an unknown object verbatim.
    pub unknown_variant: String,
}

/// A key-tagged union: an object with exactly one property, whose name says what its value is.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyedUnion {
    /// One variant per member, in spec order.
    pub variants: Vec<KeyedVariant>,
    /// Name of the catch-all variant that keeps any other object verbatim.
    pub unknown_variant: String,
}

/// One variant of a key-tagged union.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyedVariant {
    /// Rust variant name.
    pub name: String,
    /// The property that names it, e.g. `$source`.
    pub key: String,
    /// The type of the property's value.
    pub ty: TypeRef,
    /// Stored behind a `Box` to break a recursive type.
    pub boxed: bool,
    /// The union implements `From<ty>`, wrapping a value in this variant (only for a named
    /// type no other variant carries).
    pub wraps: bool,
    /// Doc comment (the member's or its value's description).
    pub doc: Option<String>,
}

/// One variant of a tagged union.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// The tag value on the wire.
    pub tag_value: String,
    /// The struct the variant carries.
    pub ty: String,
    /// Stored behind a `Box` to break a recursive type.
    pub boxed: bool,
    /// The union implements `From<ty>`, wrapping a value in this variant (only when no other
    /// variant carries the same type).
    pub wraps: bool,
}

/// A string enum with a catch-all.
#[derive(Clone, Debug, PartialEq)]
pub struct StringEnum {
    /// Known values in spec order.
    pub values: Vec<EnumValue>,
    /// Name of the catch-all variant holding an unknown value.
    pub unknown_variant: String,
    /// Set when other enums have exactly these values: the implementation they share (see
    /// `lower::share`). The enum is still a type of its own.
    pub shared: Option<SharedImpl>,
}

/// The implementation one enum shares with others that have the same values: a hidden generic
/// enum ([`Api::shared_enums`]), of which this enum is the instance for its own uninhabited tag
/// type. A type of its own for the compiler and the caller, one set of impls for all of them.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedImpl {
    /// The generic enum's name.
    pub generic: String,
}

/// A generic string enum several enums with the same values are instances of (see
/// [`SharedImpl`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SharedEnum {
    /// Its name (in the hidden `shared` module of `models.rs`).
    pub name: String,
    /// The values and their catch-all, as in each of its enums.
    pub values: StringEnum,
}

/// One known enum value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumValue {
    /// Rust variant name.
    pub name: String,
    /// Exact spelling on the wire.
    pub wire: String,
    /// Doc comment (e.g. which member enum of a `oneOf` it came from).
    pub doc: Option<String>,
}

/// A validated string newtype.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternNewtype {
    /// The regular expression every value must match.
    pub pattern: String,
}

/// A reference to a type as used in a field, parameter or body.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A named type of this crate.
    Named(String),
    /// `String`.
    String,
    /// A secret string, redacted in `Debug`.
    Secret,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// An RFC 3339 date-time.
    DateTime,
    /// A calendar date.
    Date,
    /// Any JSON value.
    Json,
    /// A free-form JSON object, key order preserved.
    JsonObject,
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
}

/// HTTP methods the client can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether repeating the request has the same effect as sending it once (RFC 9110 §9.2.2).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// One API operation, rendered as a client method plus a request builder.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The short operation name (`x-xgen-operation-id-override`, else `operationId`).
    pub name: String,
    /// The `operationId` of the spec.
    pub operation_id: String,
    /// Client method name (snake_case).
    pub method_name: String,
    /// Request builder type name (UpperCamelCase).
    pub builder_name: String,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub doc: Option<String>,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// HTTP method.
    pub method: Method,
    /// Path template as in the spec, e.g. `/api/atlas/v2/groups/{groupId}/streams`.
    pub path: String,
    /// Parameters: path ones in template order, then required query and header ones, then
    /// optional ones, each group in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a success returns.
    pub response: SuccessResponse,
    /// Every API version the operation is documented at, oldest first: the dates of its
    /// `application/vnd.atlas.<version>+<suffix>` media types (the runtime sends that prefix).
    pub versions: Vec<String>,
    /// The version sent by default (the newest documented one).
    pub default_version: Option<String>,
    /// Documented error statuses with their descriptions.
    pub errors: Vec<(String, String)>,
    /// How to walk all pages, for a paginated list.
    pub pagination: Option<Pagination>,
    /// What the runtime checks in the request body before anything is sent.
    pub body_checks: Vec<BodyCheck>,
    /// JSON pointer of the operation in the spec.
    pub origin: String,
}

/// A check of the request body made before anything is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyCheck {
    /// The body's property at this JSON pointer (`/pipeline`) is a stream processing pipeline:
    /// the runtime checks its stages against the documented rules (`x-stream-pipeline`), and
    /// each against its type, the key-tagged union `stage`.
    StreamPipeline {
        /// Where the pipeline is in the body (a JSON pointer).
        at: String,
        /// The name of the stages' type.
        stage: String,
    },
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// A path, query or header parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Where it goes.
    pub location: ParamLocation,
    /// Rust identifier.
    pub name: String,
    /// Name on the wire.
    pub wire_name: String,
    /// Value type.
    pub ty: TypeRef,
    /// Required parameters are method arguments; optional ones are builder setters.
    pub required: bool,
    /// A validated newtype: the client takes any string and checks it before sending.
    pub validated: bool,
    /// Doc comment.
    pub doc: Option<String>,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// The body type.
    pub ty: TypeRef,
    /// Whether the body must be sent.
    pub required: bool,
    /// Doc comment.
    pub doc: Option<String>,
}

/// A list answered page by page: `{results: [...], totalCount}` with a page-number parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The setter of the page number (e.g. `page_num`).
    pub page_param: String,
    /// The page number's type (the runtime counts pages in `i64`).
    pub page_type: Integer,
    /// The struct field holding one page of items (e.g. `results`).
    pub items_field: String,
    /// How `items_field` is present in the response type.
    pub items_presence: Presence,
    /// The field with the total count, if the response has one.
    pub total: Option<PageTotal>,
    /// The item type.
    pub item: TypeRef,
}

/// The integer type of a page number or a total count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integer {
    /// `i32`.
    I32,
    /// `i64`.
    I64,
}

/// The field of a page's response that holds the total number of items.
#[derive(Clone, Debug, PartialEq)]
pub struct PageTotal {
    /// The struct field (e.g. `total_count`).
    pub field: String,
    /// Its type.
    pub ty: Integer,
    /// How it is present in the response type.
    pub presence: Presence,
}

/// The success response of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct SuccessResponse {
    /// The documented success status, e.g. `200`.
    pub status: u16,
    /// The suffix of the vendor media type to accept (`json`, `gzip`, ...): the runtime sends
    /// `Accept: application/vnd.atlas.<version>+<suffix>`.
    pub media_suffix: String,
    /// What the body holds.
    pub kind: ResponseKind,
}

/// What a success response body holds.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseKind {
    /// A JSON value of this type.
    Json(TypeRef),
    /// Nothing the client needs (no schema).
    Empty,
    /// Raw bytes (e.g. `+gzip` log downloads).
    Binary,
}

/// A waiter: a client method that repeats a GET until one property of its answer has one of
/// some values (the spec's `x-waiters`).
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// The name in the spec, e.g. `processorStarted`.
    pub name: String,
    /// Client method name, e.g. `wait_until_processor_started`.
    pub method_name: String,
    /// Its builder's type name, e.g. `WaitUntilProcessorStarted`.
    pub builder_name: String,
    /// Doc comment text.
    pub doc: Option<String>,
    /// The client method of the GET it repeats (it takes the same arguments).
    pub operation: String,
    /// The named type of that GET's answer, the waiter's result.
    pub answer: String,
    /// The property of the answer holding the state, as named on the wire: a string (or a
    /// string enum), in every variant of a union answer.
    pub property: String,
    /// The values that end the wait with the answer.
    pub success: Vec<String>,
    /// The values that end it as failed.
    pub failure: Vec<String>,
    /// The client methods of the operations whose effect it waits for (for its docs).
    pub after: Vec<String>,
    /// The first and shortest wait between two calls, in milliseconds.
    pub min_delay_ms: u64,
    /// The longest wait between two calls, in milliseconds.
    pub max_delay_ms: u64,
    /// The default deadline of the whole wait, in milliseconds.
    pub deadline_ms: u64,
    /// JSON pointer of the waiter in the spec.
    pub origin: String,
}

/// A conversion from a response type into a request type: `impl From<&Response> for Request`,
/// or `TryFrom` where a property the request requires may have no value in the response.
/// Lowering decides what happens to every field; the emitter only writes it out.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversion {
    /// The response type converted from.
    pub from: String,
    /// Whether it can fail (`TryFrom<&From, Error = rt::ConversionError>`), else `From`.
    pub fallible: bool,
    /// What it does.
    pub plan: ConversionPlan,
}

/// What a conversion does, by the kind of the two types.
#[derive(Clone, Debug, PartialEq)]
pub enum ConversionPlan {
    /// Struct to struct: field by field.
    Struct(StructConversion),
    /// Union to union: variant by variant.
    Union(UnionConversion),
}

/// A struct conversion: every field of the request type, and the extras.
#[derive(Clone, Debug, PartialEq)]
pub struct StructConversion {
    /// One entry per field of the request type, in its order.
    pub fields: Vec<FieldConversion>,
    /// The response's extras field.
    pub from_extra: String,
    /// The request's extras field.
    pub to_extra: String,
    /// Wire names of the request's own properties: dropped from the response's extras (a
    /// property only the request knows must not be sent twice).
    pub extra_known: Vec<String>,
}

/// Where one field of the request gets its value.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldConversion {
    /// The request's field.
    pub field: String,
    /// Its wire name (for errors).
    pub wire_name: String,
    /// Its presence.
    pub presence: Presence,
    /// Stored behind a `Box`.
    pub boxed: bool,
    /// The source.
    pub source: FieldSource,
}

/// The source of a request field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldSource {
    /// The response's field of the same wire name.
    Field {
        /// The response's field.
        field: String,
        /// Its presence.
        presence: Presence,
        /// Stored behind a `Box`.
        boxed: bool,
        /// How its value converts.
        value: ValueConversion,
    },
    /// Nothing in the response: left absent if optional, an error if required.
    Missing(MissingReason),
}

/// Why a request property has no source in the response (`rt::MissingReason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingReason {
    /// writeOnly: the server never returns it.
    WriteOnly,
    /// The response type has no property of that name.
    NotInResponse,
    /// The response's property has a type that does not convert.
    Incompatible,
}

/// How one value converts (the presence wrappers aside).
#[derive(Clone, Debug, PartialEq)]
pub enum ValueConversion {
    /// The same type: cloned.
    Clone,
    /// The same type, and one that is `Copy` (a number or a bool): copied.
    Copy,
    /// A pair of types with a conversion of their own (`From`, or `TryFrom` if `fallible`).
    Nested {
        /// The response type.
        from: String,
        /// The request type.
        to: String,
        /// Whether that conversion can fail.
        fallible: bool,
    },
    /// Through the wire string: into a string enum (`From<&str>`) or a `String`.
    Wire {
        /// The request's string enum, or `None` for `String`.
        to: Option<String>,
    },
    /// Each item of a list.
    List(Box<ValueConversion>),
    /// Each value of a map.
    Map(Box<ValueConversion>),
}

/// A union conversion: each variant of the response into the request's variant of the same tag.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionConversion {
    /// One entry per variant of the response union, in its order.
    pub variants: Vec<VariantConversion>,
    /// The response's catch-all variant.
    pub from_unknown: String,
    /// The request's catch-all variant.
    pub to_unknown: String,
    /// Wire names of the union's readOnly properties, dropped from an unknown variant's object.
    pub drop_from_unknown: Vec<String>,
}

/// Where one response variant goes.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantConversion {
    /// The response's variant.
    pub from: String,
    /// Whether it holds its struct behind a `Box`.
    pub boxed: bool,
    /// Its tag value.
    pub tag_value: String,
    /// The request's variant of the same tag; `None` when it has none (an error).
    pub to: Option<VariantTarget>,
}

/// The request variant a response variant converts into.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantTarget {
    /// The request's variant.
    pub variant: String,
    /// Whether it holds its struct behind a `Box`.
    pub boxed: bool,
    /// How the struct converts.
    pub value: ValueConversion,
}
