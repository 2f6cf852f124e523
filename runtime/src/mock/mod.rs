//! Typed mocks for callers' unit tests (feature `test-util`): what the generated
//! `atlas_streams::mocks` module builds on.
//!
//! A rule says what one operation answers (a typed value, an Atlas error, a raw HTTP
//! response), optionally only for matching inputs, once, a few times or always; a
//! [`MockClient`] is an ordinary client whose transport asks its rules instead of the network
//! ([`crate::Transport`]). The request pipeline runs unchanged up to the sending, and from the
//! answer on: the code under test sees exactly what it would see with Atlas answering the same.
//!
//! Layout: `rule` (what a rule is and answers, [`MockOperation`]) uses `sent` (reading a call's
//! inputs back from its HTTP request); `client` (the mock client and the transport that asks the
//! rules) uses both.

mod client;
mod rule;
mod sent;

/// The `http` crate the raw answers of `then_http_response` are made with, in the version used.
pub use ::http;
pub use client::MockClient;
pub use rule::{Body, MockError, MockOperation, Rule, RuleBuilder, Sequence};
pub use sent::{required, InputError, Sent};
