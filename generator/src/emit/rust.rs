//! Small rendering helpers shared by the emitters.

use std::cell::RefCell;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::format::doc_marker;
use crate::ir::TypeRef;

thread_local! {
    /// The doc comments of the item being rendered on this thread, while [`collect_docs`] runs.
    static DOCS: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Renders one item with its doc comments set aside: inside `render`, [`doc`] emits a short
/// marker instead of the text, and the texts come back in marker order for the formatter to
/// splice in (see [`crate::format::Rendered`]). The formatter fails if a marker is not spliced
/// exactly once, so a misuse (tokens of a nested `collect_docs` inside the outer item) is a
/// generator error, not a wrong file.
pub fn collect_docs<T>(render: impl FnOnce() -> T) -> (T, Vec<String>) {
    /// Puts back what the thread collected before, also when `render` panics.
    struct Restore(Option<Vec<String>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            DOCS.with(|docs| *docs.borrow_mut() = outer);
        }
    }
    let restore = Restore(DOCS.with(|docs| docs.borrow_mut().replace(Vec::new())));
    let rendered = render();
    let docs = DOCS.with(|docs| docs.borrow_mut().take()).unwrap_or_default();
    drop(restore);
    (rendered, docs)
}

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for a doc comment (nothing for `None`); inside [`collect_docs`], one
/// marker attribute that the formatter replaces with those lines.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let marker = DOCS.with(|docs| {
        docs.borrow_mut().as_mut().map(|docs| {
            docs.push(text.to_owned());
            doc_marker(docs.len() - 1)
        })
    });
    if let Some(marker) = marker {
        return quote! { #[doc = #marker] };
    }
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
