//! The names the generated code gives its own members and types.
//!
//! A spec's names must not take them: lowering keeps parameters, operations, setters and types
//! clear of them (`lower::operations`, `lower::types`, `lower::idents`), and the emitters write
//! them, both from these constants, so a member added to the generated code is one lowering
//! avoids.

/// The members of every request builder (`operations.rs`).
pub mod builder {
    /// Field: the request pipeline the builder sends through.
    pub const CORE: &str = "core";
    /// Field and setter: the API version to send instead of the default.
    pub const VERSION: &str = "version";
    /// Field (and setter, for an optional body): the request body.
    pub const BODY: &str = "body";
    /// Method: sends the request.
    pub const SEND: &str = "send";
    /// Method: sends the request and keeps the status and rate-limit headers.
    pub const SEND_WITH_RESPONSE: &str = "send_with_response";
    /// Method: builds the request without sending it.
    pub const REQUEST: &str = "request";
    /// Method of a paginated list's builder: every item of every page.
    pub const ITEMS: &str = "items";
    /// Method of `IntoFuture`, which every builder implements.
    pub const INTO_FUTURE: &str = "into_future";
    /// Setter: this call's timeouts instead of the client's.
    pub const TIMEOUTS: &str = "timeouts";
    /// Setter: this call's body size limits instead of the client's.
    pub const LIMITS: &str = "limits";

    /// Every name above: a parameter gets another one.
    pub const ALL: &[&str] = &[
        CORE,
        VERSION,
        TIMEOUTS,
        LIMITS,
        BODY,
        SEND,
        SEND_WITH_RESPONSE,
        REQUEST,
        ITEMS,
        INTO_FUTURE,
    ];
}

/// The members of the generated `Client`.
pub mod client {
    /// The client's type name.
    pub const TYPE: &str = "Client";
    /// Associated function: starts configuring a client.
    pub const BUILDER: &str = "builder";
    /// Field: the request pipeline (a method of that name until the pipeline became private;
    /// still kept clear of operations, so their method names do not change).
    pub const CORE: &str = "core";
    /// Method of `From<rt::__private::Core>`, which the client implements.
    pub const FROM: &str = "from";
    /// Method of the derived `Clone`.
    pub const CLONE: &str = "clone";
    /// Method of the derived `Debug`.
    pub const FMT: &str = "fmt";
    /// Method: the timeouts of this client's calls.
    pub const TIMEOUTS: &str = "timeouts";
    /// Method: a clone of the client with other timeouts.
    pub const WITH_TIMEOUTS: &str = "with_timeouts";
    /// Method: the body size limits of this client's calls.
    pub const LIMITS: &str = "limits";
    /// Method: a clone of the client with other body size limits.
    pub const WITH_LIMITS: &str = "with_limits";

    /// Every method name the client has besides its operations: an operation gets another one.
    pub const ALL: &[&str] = &[
        BUILDER,
        CORE,
        CLONE,
        FMT,
        FROM,
        TIMEOUTS,
        WITH_TIMEOUTS,
        LIMITS,
        WITH_LIMITS,
    ];
}

/// The members of every generated model type besides its fields and variants.
pub mod model {
    /// Associated function of every struct: a value from its required fields.
    pub const NEW: &str = "new";
    /// The field holding the properties a struct does not know.
    pub const EXTRA: &str = "extra";
    /// That field's name when a property takes `extra`.
    pub const EXTRA_FALLBACK: &str = "unknown_fields";
    /// The private field in which a struct inside a key-tagged union keeps the order its
    /// properties came in (with `_` appended until no field or the extras have the name).
    pub const KEY_ORDER: &str = "key_order";
    /// Put before a field's name to make its setter's name when the field's own name is one
    /// of [`RESERVED`] (`with_new` for a property `new`).
    pub const SETTER_PREFIX: &str = "with_";

    /// Names a setter must not take. An inherent method shadows a trait method of the same
    /// name in method-call syntax (`value.clone()` would call a setter `clone` and fail to
    /// compile), so besides the type's own members (`new`, a union's `tag`, an enum's
    /// `as_str`) these are the methods of the traits every model implements or a caller
    /// commonly calls on one: `Clone`, `Debug`, `PartialEq`, `Default`, serde's traits,
    /// the conversion traits, `ToOwned`, `ToString`, `Borrow`, `Any`.
    pub const RESERVED: &[&str] = &[
        NEW,
        "as_str",
        "tag",
        "clone",
        "clone_from",
        "clone_into",
        "fmt",
        "eq",
        "ne",
        "default",
        "serialize",
        "deserialize",
        "from",
        "into",
        "try_from",
        "try_into",
        "to_owned",
        "to_string",
        "borrow",
        "borrow_mut",
        "type_id",
    ];
}

/// What the crate root offers besides the client and the generated modules (`models`,
/// `builders`, `waiters`): the runtime types a caller names, some at the root and the rest in a
/// module by purpose, and the builder's name. `operations.rs` renders them (the crate root
/// re-exports it whole).
pub mod root {
    /// The generated name of the client's builder (`rt::ClientBuilder<Client>`).
    pub const CLIENT_BUILDER: &str = "ClientBuilder";

    /// Runtime items re-exported together: at the crate root (`module` `None`) or in a module
    /// of their own.
    pub struct Exports {
        /// The module (`error`), or `None` for the crate root.
        pub module: Option<&'static str>,
        /// The module's doc comment.
        pub doc: &'static str,
        /// The runtime's items, by name.
        pub items: &'static [&'static str],
    }

    /// The runtime items a caller names. The root keeps what most code names (the root's docs
    /// are the first page a newcomer reads); what fewer callers name is one module away.
    pub const RUNTIME_EXPORTS: &[Exports] = &[
        Exports {
            module: None,
            doc: "",
            items: &[
                "Download",
                "Error",
                "Limits",
                "Nullable",
                "Response",
                "RetryPolicy",
                "Secret",
                "Timeouts",
                "WaitError",
                "reqwest",
            ],
        },
        Exports {
            module: Some("error"),
            doc: "What an [`Error`](crate::Error) carries: Atlas' error body, which timeout struck, why a response did not convert to a request, why a value is invalid, which rule a pipeline breaks.",
            items: &[
                "ApiError",
                "ConversionError",
                "InvalidValue",
                "MissingReason",
                "PipelineError",
                "PipelineRule",
                "TimeoutKind",
            ],
        },
        Exports {
            module: Some("primitives"),
            doc: "The value types the models and builders are made of: dates, validated strings, byte and item streams, rate-limit headers, the futures the builders and waiters return.",
            items: &[
                "BoxFuture",
                "ByteStream",
                "Bytes",
                "Date",
                "DateTime",
                "Format",
                "ItemStream",
                "RateLimit",
                "TryStreamExt",
                "Validated",
                "WaitFuture",
                "Waiter",
            ],
        },
        Exports {
            module: Some("config"),
            doc: "Less common settings of a [`ClientBuilder`](crate::ClientBuilder): the default base URL, and the redirect policy a caller-built `reqwest::Client` needs.",
            items: &["DEFAULT_BASE_URL", "same_origin_redirects"],
        },
    ];
}

/// What the hand-written `mocks` module of the client crate (feature `test-util`) re-exports from
/// the runtime beside the generated input struct of each operation (named like the operation's
/// request builder): a builder must not take one of these names.
pub mod mocks {
    /// The runtime's mock items in `atlas_streams::mocks`.
    pub const RUNTIME_EXPORTS: &[&str] = &[
        "Body",
        "InputError",
        "Method",
        "MockClient",
        "MockError",
        "MockOperation",
        "Operation",
        "Rule",
        "RuleBuilder",
        "Sent",
        "Sequence",
        "Transport",
        "TransportFuture",
        "http",
    ];
}
