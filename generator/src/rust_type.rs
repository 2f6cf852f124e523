//! How the generated code spells a type: one value per type, rendered as tokens by the
//! emitters and as text by [`crate::surface`] (the facts of `api.txt`), so the two can never
//! disagree about what a `TypeRef` is in Rust.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Presence, ResponseKind, TypeRef};

/// An identifier of the generated code; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where a type's name lives, which decides how each rendering qualifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    /// A type of the generated `models.rs`.
    Model,
    /// A type of the hand-written runtime, reached as `rt::` (and re-exported at the crate root).
    Runtime,
    /// The prelude: `String`, `Vec`, `Option`, `Box`, primitives.
    Prelude,
    /// `std::collections`.
    Collections,
    /// `serde_json`.
    SerdeJson,
}

/// A Rust type as the generated code spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustType<'a> {
    /// `()`.
    Unit,
    /// A named type with its generic arguments.
    Path {
        /// Where the name lives.
        home: Home,
        /// The type's own name.
        name: &'a str,
        /// Generic arguments, in order.
        args: Vec<RustType<'a>>,
    },
}

/// Where rendered tokens are used, which decides how a model type is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Inside `models.rs`: model types by their bare names.
    Models,
    /// Inside `operations.rs`: model types as `models::Name`.
    Operations,
}

impl<'a> RustType<'a> {
    fn path(home: Home, name: &'a str, args: Vec<RustType<'a>>) -> Self {
        RustType::Path { home, name, args }
    }

    fn plain(home: Home, name: &'a str) -> Self {
        RustType::path(home, name, Vec::new())
    }

    /// A type of `models.rs`.
    pub fn model(name: &'a str) -> Self {
        RustType::plain(Home::Model, name)
    }

    /// The Rust type of a type reference.
    pub fn of(ty: &'a TypeRef) -> Self {
        match ty {
            TypeRef::Named(name) => RustType::model(name),
            TypeRef::String => RustType::plain(Home::Prelude, "String"),
            TypeRef::Secret => RustType::plain(Home::Runtime, "Secret"),
            TypeRef::Bool => RustType::plain(Home::Prelude, "bool"),
            TypeRef::I32 => RustType::plain(Home::Prelude, "i32"),
            TypeRef::I64 => RustType::plain(Home::Prelude, "i64"),
            TypeRef::F32 => RustType::plain(Home::Prelude, "f32"),
            TypeRef::F64 => RustType::plain(Home::Prelude, "f64"),
            TypeRef::DateTime => RustType::plain(Home::Runtime, "DateTime"),
            TypeRef::Date => RustType::plain(Home::Runtime, "Date"),
            TypeRef::Json => RustType::plain(Home::SerdeJson, "Value"),
            TypeRef::JsonObject => RustType::path(
                Home::SerdeJson,
                "Map",
                vec![
                    RustType::plain(Home::Prelude, "String"),
                    RustType::plain(Home::SerdeJson, "Value"),
                ],
            ),
            TypeRef::List(item) => RustType::path(Home::Prelude, "Vec", vec![RustType::of(item)]),
            TypeRef::Map(value) => RustType::path(
                Home::Collections,
                "BTreeMap",
                vec![RustType::plain(Home::Prelude, "String"), RustType::of(value)],
            ),
        }
    }

    /// `Box<self>`.
    pub fn boxed(self) -> Self {
        RustType::path(Home::Prelude, "Box", vec![self])
    }

    /// `Option<self>`.
    pub fn optional(self) -> Self {
        RustType::path(Home::Prelude, "Option", vec![self])
    }

    /// The type of a struct field: `ty` (boxed if it closes a cycle) wrapped as its presence
    /// says: `T`, `Option<T>`, or the runtime's three-state `Nullable<T>`.
    pub fn field(ty: &'a TypeRef, presence: Presence, boxed: bool) -> Self {
        let inner = if boxed {
            RustType::of(ty).boxed()
        } else {
            RustType::of(ty)
        };
        match presence {
            Presence::Required => inner,
            Presence::RequiredNullable | Presence::Optional => inner.optional(),
            Presence::OptionalNullable => RustType::path(Home::Runtime, "Nullable", vec![inner]),
        }
    }

    /// What a successful call returns.
    pub fn response(kind: &'a ResponseKind) -> Self {
        match kind {
            ResponseKind::Json(ty) => RustType::of(ty),
            ResponseKind::Empty => RustType::Unit,
            ResponseKind::Binary => RustType::plain(Home::Runtime, "Download"),
        }
    }

    /// The type as tokens of the generated code, used in `scope`.
    pub fn tokens(&self, scope: Scope) -> TokenStream {
        let RustType::Path { home, name, args } = self else {
            return quote! { () };
        };
        let name = ident(name);
        let path = match (home, scope) {
            (Home::Model, Scope::Models) | (Home::Prelude, _) => quote! { #name },
            (Home::Model, Scope::Operations) => quote! { models::#name },
            (Home::Runtime, _) => quote! { rt::#name },
            (Home::Collections, _) => quote! { std::collections::#name },
            (Home::SerdeJson, _) => quote! { serde_json::#name },
        };
        if args.is_empty() {
            return path;
        }
        let args = args.iter().map(|arg| arg.tokens(scope));
        quote! { #path<#(#args),*> }
    }

    /// The type as `api.txt` writes it: as a user of the generated crate names it (the runtime's
    /// types are re-exported at its root, `BTreeMap` is imported, `serde_json`'s go by path).
    pub fn api_text(&self) -> String {
        let RustType::Path { home, name, args } = self else {
            return "()".to_owned();
        };
        let mut text = match home {
            Home::SerdeJson => format!("serde_json::{name}"),
            Home::Model | Home::Runtime | Home::Prelude | Home::Collections => (*name).to_owned(),
        };
        if !args.is_empty() {
            let args: Vec<String> = args.iter().map(RustType::api_text).collect();
            text.push('<');
            text.push_str(&args.join(", "));
            text.push('>');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_renderings_of_one_type() {
        let map = TypeRef::Map(Box::new(TypeRef::List(Box::new(TypeRef::Named("Tag".into())))));
        let ty = RustType::field(&map, Presence::OptionalNullable, false);
        assert_eq!(ty.api_text(), "Nullable<BTreeMap<String, Vec<Tag>>>");
        let tokens = ty.tokens(Scope::Operations).to_string().replace(' ', "");
        assert_eq!(
            tokens,
            "rt::Nullable<std::collections::BTreeMap<String,Vec<models::Tag>>>"
        );
        let object = RustType::field(&TypeRef::JsonObject, Presence::Optional, true);
        assert_eq!(
            object.api_text(),
            "Option<Box<serde_json::Map<String, serde_json::Value>>>"
        );
        assert_eq!(
            RustType::response(&ResponseKind::Empty)
                .tokens(Scope::Models)
                .to_string(),
            "()"
        );
    }
}
