//! The names the generated code gives its own members and types.
//!
//! A spec's names must not take them: lowering keeps parameters, operations and types clear
//! of them (`lower::operations`, `lower::idents`), and `emit::operations` writes them, both
//! from these constants, so a member added to the generated code is one lowering avoids.

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

    /// Every name above: a parameter gets another one.
    pub const ALL: &[&str] = &[
        CORE,
        VERSION,
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
    /// Field and method: the request pipeline.
    pub const CORE: &str = "core";
    /// Method of `From<rt::Core>`, which the client implements.
    pub const FROM: &str = "from";
    /// Method of the derived `Clone`.
    pub const CLONE: &str = "clone";
    /// Method of the derived `Debug`.
    pub const FMT: &str = "fmt";

    /// Every method name the client has besides its operations: an operation gets another one.
    pub const ALL: &[&str] = &[BUILDER, CORE, CLONE, FMT, FROM];
}
