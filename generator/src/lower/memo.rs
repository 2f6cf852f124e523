//! The memos of the pure questions passes ask about schemas (`classify`, `parts`, `props`
//! answer them, as methods of `Context`), and what the answers are made of.
//!
//! Apart from those passes, below `context` (whose `Context` holds the memos) and below them:
//! the context reads the memo types from here, and the passes read the context.

use openapiv3::{OpenAPI, ReferenceOr};
use rustc_hash::FxHashMap as HashMap;

use super::pointer::SCHEMAS;
use super::view::{RefOr, View};
use crate::locate::escape_segment;

/// What a schema becomes in Rust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Class {
    /// A struct (object with properties, or allOf inheritance).
    Struct,
    /// A tagged union (discriminator).
    Union,
    /// A key-tagged union (`x-key-tagged`, see `keyed`).
    KeyedUnion,
    /// A string enum, possibly merged from a `oneOf` of string enums.
    Enum,
    /// A validated string newtype.
    Pattern,
    /// No named type: a primitive, list, map, free-form value, or an alias of another schema.
    Inline,
}

/// Whether each `pattern` seen so far compiles, and if not, `regex_lite`'s reason (the memo of
/// [`Context::pattern_error`](super::context::Context::pattern_error)): compiling is what
/// costs, and specs repeat their patterns (the Admin spec's 1,154 are 63 distinct ones).
#[derive(Debug, Default)]
pub(super) struct Patterns<'a>(pub(super) HashMap<&'a str, Option<String>>);

/// The class of every schema classified so far, by pointer (the memo of
/// [`Context::classify`](super::context::Context::classify)).
#[derive(Debug, Default)]
pub(super) struct Classes(pub(super) HashMap<String, Class>);

/// Whether each schema analysed so far has readOnly or writeOnly parts (the memo of
/// [`Context::has_parts`](super::context::Context::has_parts)).
#[derive(Debug, Default)]
pub(super) struct Parts(pub(super) HashMap<String, bool>);

/// One property of a struct, after inheritance.
#[derive(Clone, Debug)]
pub(super) struct Prop<'a> {
    /// Name on the wire.
    pub wire: String,
    /// Its schema.
    pub schema: RefOr<'a>,
    /// Pointer of the property node (the inline schema, or where the `$ref` sits).
    pub pointer: String,
    /// Listed in some `required`.
    pub required: bool,
    /// `readOnly: true` on the property.
    pub read_only: bool,
    /// `writeOnly: true` on the property.
    pub write_only: bool,
}

/// What property questions need: the unions each schema is a variant of (fixed when the
/// context is made), and the memo of [`Context::all_props`](super::context::Context::all_props).
#[derive(Debug)]
pub(super) struct Props<'a> {
    /// Unions a schema is a variant of: (union pointer, tag property), by the variant's pointer.
    pub(super) variant_of: HashMap<String, Vec<(String, String)>>,
    /// The properties of each struct schema after inheritance, by pointer.
    pub(super) memo: HashMap<String, Vec<Prop<'a>>>,
}

impl Props<'_> {
    /// Indexes which component schemas are variants of which discriminated unions.
    pub fn new(api: &OpenAPI) -> Self {
        let mut variant_of: HashMap<String, Vec<(String, String)>> = HashMap::default();
        for (name, schema) in api.components.iter().flat_map(|c| &c.schemas) {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let Some(discriminator) = &schema.schema_data.discriminator else {
                continue;
            };
            let pointer = format!("{SCHEMAS}{}", escape_segment(name));
            for (_, target) in View::new(schema).variants() {
                if let Some(target) = target.strip_prefix(SCHEMAS) {
                    variant_of
                        .entry(format!("{SCHEMAS}{target}"))
                        .or_default()
                        .push((pointer.clone(), discriminator.property_name.clone()));
                }
            }
        }
        Props {
            variant_of,
            memo: HashMap::default(),
        }
    }
}
