//! Small rendering helpers shared by the emitters, and what an emitted item is: its tokens and
//! its doc table.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::TypeRef;

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

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
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
/// The Rust type for a type reference. Runtime types are reached through `rt`.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { #name }
        }
        TypeRef::String => quote! { String },
        TypeRef::Secret => quote! { rt::Secret },
        TypeRef::Bool => quote! { bool },
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::F32 => quote! { f32 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::DateTime => quote! { rt::DateTime },
        TypeRef::Date => quote! { rt::Date },
        TypeRef::Json => quote! { serde_json::Value },
        TypeRef::JsonObject => quote! { serde_json::Map<String, serde_json::Value> },
        TypeRef::List(item) => {
            let item = type_tokens(item);
            quote! { Vec<#item> }
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value);
            quote! { std::collections::BTreeMap<String, #value> }
        }
    }
}

/// Like [`type_tokens`], but named types are qualified with `models::` (for operations.rs).
pub fn qualified_type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            quote! { models::#name }
        }
        TypeRef::List(item) => {
            let item = qualified_type_tokens(item);
            quote! { Vec<#item> }
        }
        TypeRef::Map(value) => {
            let value = qualified_type_tokens(value);
            quote! { std::collections::BTreeMap<String, #value> }
        }
        other => type_tokens(other),
    }
}
