//! Small rendering helpers shared by the emitters, and what an emitted item is: its tokens and
//! its doc table.

use proc_macro2::TokenStream;
use quote::quote;

pub use crate::rust_type::ident;

/// One top-level item (a type with its impls, an operation's builder ...) and the name to
/// blame if it does not parse.
pub struct Item {
    /// Type or operation name.
    pub name: String,
    /// The item's tokens.
    pub tokens: TokenStream,
}

/// An item whose doc comments were rendered as markers (see [`Docs`]), and their texts in
/// marker order: what the emitters hand to the formatter.
///
/// Doc comments are most of the text of the generated code, and a doc attribute is the
/// costliest token to carry through: `quote` escapes the text into a string literal, `syn`
/// unescapes it once to check the literal and `prettyplease` again to print it. A marker
/// attribute goes through all three in a few bytes, and the formatter replaces the formatted
/// marker line (`///` + marker, at the item's indentation) with the lines `prettyplease`
/// would have printed (`crate::format::format_rendered`). A run on the official Streams spec
/// costs about a tenth less.
pub struct Rendered {
    /// The item, with markers in place of doc comments.
    pub item: Item,
    /// The doc texts, in marker order.
    pub docs: Vec<String>,
}

/// The start of a doc marker. Every doc line the emitters write starts with a space, so no
/// real doc line prints as `///` directly followed by this control character.
pub const DOC_MARKER_PREFIX: &str = "\u{1}doc";

/// The string of doc marker `index`.
pub fn doc_marker(index: usize) -> String {
    format!("{DOC_MARKER_PREFIX}{index}")
}

/// The doc table of the item being rendered: each doc comment goes in as a marker attribute,
/// its text is kept here, and [`Docs::finish`] hands the tokens and the texts to the formatter
/// together. The table is passed to every function that writes a doc comment, so which texts
/// belong to which item is in the signatures, not in the thread the item is rendered on.
#[derive(Debug, Default)]
pub struct Docs {
    texts: Vec<String>,
}

impl Docs {
    /// A marker attribute standing for `text` (nothing for `None`); the formatter replaces it
    /// with what [`doc`] would have printed.
    pub fn doc(&mut self, text: Option<&str>) -> TokenStream {
        let Some(text) = text else {
            return TokenStream::new();
        };
        let marker = doc_marker(self.texts.len());
        self.texts.push(text.to_owned());
        quote! { #[doc = #marker] }
    }

    /// The rendered item with this table.
    pub fn finish(self, item: Item) -> Rendered {
        Rendered { item, docs: self.texts }
    }
}

/// `#[doc = "..."]` lines for a doc comment (nothing for `None`): what a [`Docs`] marker stands
/// for. The formatter's splicing must print exactly what these print (`tests/format.rs`).
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}
