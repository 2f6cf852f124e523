//! The keys of the forms lowering makes: a schema, and the direction it travels in when its
//! directions differ. Below every pass (each names forms by these), and re-exported by
//! `lower` (the IR's users name them as `lower::Dir` and `lower::FormKey`).

/// The direction a value travels in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dir {
    /// Sent by the client (request bodies, parameters): readOnly properties are left out.
    Request,
    /// Sent by the server (success bodies): writeOnly properties are left out.
    Response,
}

/// One Rust type to be generated: a schema, in one direction when the directions differ.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FormKey {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// `None` for schemas that look the same in both directions.
    pub dir: Option<Dir>,
}
