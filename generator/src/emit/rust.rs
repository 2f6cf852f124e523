//! Small rendering helpers shared by the emitters.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::TypeRef;

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for a doc comment (nothing for `None`).
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
