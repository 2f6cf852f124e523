//! `models.rs`: structs, tagged unions, string enums and validated newtypes, each with its
//! constructor, setters and conversions.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::conversions::conversion;
use super::rust::{ident, Docs, Item};
use crate::ir::{
    Api, Field, KeyedUnion, KeyedVariant, Presence, SharedEnum, StringEnum, StructDef, TaggedUnion, TypeDef, TypeKind,
};
use crate::members::model as member;
use crate::rust_type::{RustType, Scope};

/// How many items `models.rs` has.
pub fn count(api: &Api) -> usize {
    api.types.len() + 1 + usize::from(has_formats(api)) + usize::from(!api.shared_enums.is_empty())
}

/// Whether there are validated string types, whose formats come after the types.
fn has_formats(api: &Api) -> bool {
    api.types.iter().any(|def| matches!(def.kind, TypeKind::Pattern(_)))
}

/// Item `index` of `models.rs`: 0 is the imports; then the types; then their formats; then
/// the implementations enums share.
pub fn item(api: &Api, index: usize, docs: &mut Docs) -> Item {
    let after_types = index.checked_sub(api.types.len() + 1);
    match (index.checked_sub(1).and_then(|i| api.types.get(i)), after_types) {
        (Some(def), _) => Item {
            name: def.name.clone(),
            tokens: type_def(def, docs),
        },
        (None, Some(0)) if has_formats(api) => Item {
            name: "formats".to_owned(),
            tokens: formats(api),
        },
        (None, Some(_)) => Item {
            name: "shared".to_owned(),
            tokens: shared(api, docs),
        },
        (None, None) => Item {
            name: "imports".to_owned(),
            tokens: quote! {
                use crate::runtime as rt;
            },
        },
    }
}

fn type_def(def: &TypeDef, docs: &mut Docs) -> TokenStream {
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let name = ident(&def.name);
    let type_docs = match &def.kind {
        TypeKind::StringEnum(e @ StringEnum { shared: Some(_), .. }) => {
            docs.doc(Some(&shared_enum_doc(def.doc.as_deref(), e)))
        }
        _ => docs.doc(def.doc.as_deref()),
    };
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, s, docs),
        TypeKind::TaggedUnion(u) => union_def(&name, u, docs),
        TypeKind::KeyedUnion(u) => keyed_union_def(&name, u, docs),
        TypeKind::StringEnum(StringEnum {
            shared: Some(shared), ..
        }) => {
            let generic = ident(&shared.generic);
            quote! { pub type #name = shared::#generic<shared::tags::#name>; }
        }
        TypeKind::StringEnum(e) => enum_def(&name, e, docs),
        TypeKind::Pattern(_) => pattern_def(&name),
    };
    let conversions = def.conversions.iter().map(|c| conversion(&def.name, c));
    quote! { #type_docs #deprecated #body #(#conversions)* }
}

fn struct_def(name: &Ident, s: &StructDef, docs: &mut Docs) -> TokenStream {
    let default = s.default.then(|| quote! { Default, });
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let field_docs = docs.doc(f.doc.as_deref());
            let deprecated = f.deprecated.then(|| quote! { #[deprecated] });
            let field = ident(&f.name);
            let ty = RustType::field(&f.ty, f.presence, f.boxed).tokens(Scope::Models);
            quote! { #field_docs #deprecated pub #field: #ty, }
        })
        .collect();
    // The wire name and presence of every property, for the serde impls the runtime writes.
    let wire_map = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire_name;
        let presence = ident(match f.presence {
            Presence::Required => "required",
            Presence::RequiredNullable => "required_nullable",
            Presence::Optional => "optional",
            Presence::OptionalNullable => "nullable",
        });
        quote! { #field(#wire, #presence) }
    });
    let extra = ident(&s.extra_field);
    let members = members(s, docs);
    let (order_field, order) = match &s.order_field {
        Some(order) => {
            let order = ident(order);
            (
                Some(quote! {
                    /// The order its properties came in, so that it is written back in it (not part of its value).
                    #order: rt::__private::KeyOrder,
                }),
                Some(quote! { , order #order }),
            )
        }
        None => (None, None),
    };
    quote! {
        #[derive(Clone, Debug, #default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Properties this version of the client does not know; kept so they survive a round trip.
            pub #extra: serde_json::Map<String, serde_json::Value>,
            #order_field
        }
        rt::object!(#name { #(#wire_map),* } #extra #order);
        impl #name {
            #members
        }
    }
}

/// `new(required fields...)` and the chained setters of the optional fields.
///
/// Every argument is `impl Into<T>` (a `&str` for a `String`, an enum or a `Secret`; a variant's
/// struct for a union): generic methods are checked once and compiled only where called, so a
/// large crate pays little for them.
fn members(s: &StructDef, docs: &mut Docs) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.presence == Presence::Required).collect();
    let params = required.iter().map(|f| {
        let field = ident(&f.name);
        let ty = RustType::of(&f.ty).tokens(Scope::Models);
        quote! { #field: impl Into<#ty> }
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        match f.presence {
            Presence::Required if f.boxed => quote! { #field: Box::new(#field.into()) },
            Presence::Required => quote! { #field: #field.into() },
            _ => quote! { #field: Default::default() },
        }
    });
    let extra = ident(&s.extra_field);
    let new = ident(member::NEW);
    let allow = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote! { #[allow(deprecated)] });
    let new_doc = if s.fields.iter().any(|f| f.setter.is_some()) {
        " A value with the required properties set and every optional one absent; set those with the chained setters."
    } else {
        " A value with the required properties set and every optional one absent."
    };
    let setters = s.fields.iter().filter_map(|f| setter(f, docs, allow.as_ref()));
    let order = s.order_field.as_deref().map(|o| {
        let o = ident(o);
        quote! { #o: Default::default(), }
    });
    let value = if s.default {
        quote! { Self::default() }
    } else {
        quote! { Self { #(#inits,)* #extra: serde_json::Map::new(), #order } }
    };
    quote! {
        #[doc = #new_doc]
        #allow
        pub fn #new(#(#params),*) -> Self {
            #value
        }
        #(#setters)*
    }
}

/// The chained setter of an optional field: `.name(value)` sets it. A three-state field's
/// setter takes anything that becomes a `Nullable`: a value, or `Nullable::Null` to clear it.
fn setter(f: &Field, docs: &mut Docs, allow: Option<&TokenStream>) -> Option<TokenStream> {
    let setter = ident(f.setter.as_deref()?);
    let field = ident(&f.name);
    let ty = RustType::of(&f.ty).tokens(Scope::Models);
    let name = f.name.trim_start_matches("r#");
    let (param, value, text) = match (f.presence, f.boxed) {
        (Presence::OptionalNullable, boxed) => (
            quote! { impl Into<rt::Nullable<#ty>> },
            if boxed {
                quote! { value.into().map(Box::new) }
            } else {
                quote! { value.into() }
            },
            format!("Sets `{name}` (`Nullable::Null` sends it as `null`, which clears it)."),
        ),
        (_, true) => (
            quote! { impl Into<#ty> },
            quote! { Some(Box::new(value.into())) },
            format!("Sets `{name}`."),
        ),
        (_, false) => (
            quote! { impl Into<#ty> },
            quote! { Some(value.into()) },
            format!("Sets `{name}`."),
        ),
    };
    let setter_docs = docs.doc(Some(&text));
    Some(quote! {
        #setter_docs
        #allow
        pub fn #setter(mut self, value: #param) -> Self {
            self.#field = #value;
            self
        }
    })
}

/// A discriminated union. serde's internally tagged enums cannot keep an unknown variant's
/// whole object, so the impls come from a runtime macro that dispatches on the tag and hands
/// an unknown tag's object to the catch-all untouched.
fn union_def(name: &Ident, u: &TaggedUnion, docs: &mut Docs) -> TokenStream {
    let tag = &u.tag;
    let unknown = ident(&u.unknown_variant);
    let variant_type = |v: &crate::ir::Variant| {
        let ty = RustType::model(&v.ty);
        let ty = if v.boxed { ty.boxed() } else { ty };
        ty.tokens(Scope::Models)
    };
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = variant_type(v);
        let docs = format!(" `{}: {}`", u.tag, v.tag_value);
        quote! { #[doc = #docs] #variant(#ty), }
    });
    let unknown_doc = docs.doc(Some(&format!(
        "A `{tag}` this version of the client does not know: the whole object, kept verbatim (tag included) so it re-serializes unchanged.\n\nA later version of the client may know that `{tag}` and decode it as a variant of its own, so tell objects apart by [`tag()`](Self::tag) rather than by matching this variant."
    )));
    let pairs = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = variant_type(v);
        let value = &v.tag_value;
        quote! { #variant(#ty) = #value }
    });
    let wraps = u
        .variants
        .iter()
        .filter(|v| v.wraps)
        .map(|v| from_variant(name, &v.name, RustType::model(&v.ty).tokens(Scope::Models), v.boxed));
    let unknown_ty = quote! { serde_json::Map<String, serde_json::Value> };
    let impls = quote! { rt::tagged_union!(#name, #tag, #unknown, [#(#pairs),*]); };
    union_enum(name, variants, unknown_doc, &unknown, unknown_ty, impls, wraps)
}

/// A key-tagged union: a variant per key, holding its value, and a catch-all that keeps any
/// other object as it came. Its impls (the key, serde, `From` a JSON object) come from one
/// runtime macro.
fn keyed_union_def(name: &Ident, u: &KeyedUnion, docs: &mut Docs) -> TokenStream {
    let unknown = ident(&u.unknown_variant);
    let variant_type = |v: &KeyedVariant| {
        let ty = RustType::of(&v.ty);
        let ty = if v.boxed { ty.boxed() } else { ty };
        ty.tokens(Scope::Models)
    };
    let variants: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| {
            let variant = ident(&v.name);
            let ty = variant_type(v);
            let text = match &v.doc {
                Some(doc) => format!("`{}`: {doc}", v.key),
                None => format!("`{}`.", v.key),
            };
            let variant_docs = docs.doc(Some(&text));
            quote! { #variant_docs #variant(#ty), }
        })
        .collect();
    let unknown_doc = docs.doc(Some(
        "A value this version of the client does not type: an object with another key (a newer stage, or a misspelled one), with several keys or none, or whose value does not fit its key's type, or no object at all. Kept whole, in its order and with exact numbers, so it re-serializes unchanged.\n\nA later version of the client may type it as a variant of its own, so tell values apart by [`key()`](Self::key) rather than by matching this variant.",
    ));
    // The macro reads each variant's type from the enum (through its constructor), so the
    // invocation is one short `Variant = "key"` per variant.
    let pairs = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let key = &v.key;
        quote! { #variant = #key }
    });
    let wraps = u
        .variants
        .iter()
        .filter(|v| v.wraps)
        .map(|v| from_variant(name, &v.name, RustType::of(&v.ty).tokens(Scope::Models), v.boxed));
    let impls = quote! { rt::keyed_union!(#name, #unknown, [#(#pairs),*]); };
    union_enum(
        name,
        variants,
        unknown_doc,
        &unknown,
        quote! { serde_json::Value },
        impls,
        wraps,
    )
}

/// The enum of a union (tagged or key-tagged): its variants, then the documented catch-all
/// holding `unknown_ty`; then `impls` (the runtime macro's call) and the `From` impls.
fn union_enum(
    name: &Ident,
    variants: impl IntoIterator<Item = TokenStream>,
    unknown_doc: TokenStream,
    unknown: &Ident,
    unknown_ty: TokenStream,
    impls: TokenStream,
    wraps: impl IntoIterator<Item = TokenStream>,
) -> TokenStream {
    let (variants, wraps) = (variants.into_iter(), wraps.into_iter());
    quote! {
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(#unknown_ty),
        }
        #impls
        #(#wraps)*
    }
}

/// `impl From<Variant's type> for Union`: a union (tagged or key-tagged) takes any of its
/// variants' values as it is.
fn from_variant(name: &Ident, variant: &str, ty: TokenStream, boxed: bool) -> TokenStream {
    let variant = ident(variant);
    let value = if boxed {
        quote! { Box::new(value) }
    } else {
        quote! { value }
    };
    quote! {
        impl From<#ty> for #name {
            fn from(value: #ty) -> Self {
                #name::#variant(#value)
            }
        }
    }
}

/// The catch-all variant's doc of a string enum.
const ENUM_UNKNOWN_DOC: &str = "A value this version of the client does not know, kept verbatim.\n\nA later version of the client may know it and decode it as a variant of its own, so compare values with `as_str()` rather than by matching this variant.";

/// A string enum whose catch-all keeps values a newer server may send. Its impls (wire
/// spelling both ways, `Display`, serde) come from one runtime macro.
fn enum_def(name: &Ident, e: &StringEnum, docs: &mut Docs) -> TokenStream {
    let unknown = ident(&e.unknown_variant);
    let variants = enum_variants(e);
    let pairs = enum_pairs(e);
    let unknown_doc = docs.doc(Some(ENUM_UNKNOWN_DOC));
    quote! {
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_doc
            #unknown(String),
        }
        rt::string_enum!(#name, #unknown, [#(#pairs),*]);
    }
}

/// A string enum's known variants, each documented with its wire spelling.
fn enum_variants(e: &StringEnum) -> impl Iterator<Item = TokenStream> + '_ {
    e.values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = format!(" `{}`", v.wire);
        let wire = match v.doc.as_deref().and_then(|d| d.lines().next()) {
            Some(first) => format!("{wire} ({})", first.trim_end_matches('.')),
            None => wire,
        };
        quote! { #[doc = #wire] #variant, }
    })
}

/// `Variant => "wire"` for the runtime's `string_enum!`.
fn enum_pairs(e: &StringEnum) -> impl Iterator<Item = TokenStream> + '_ {
    e.values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote! { #variant => #wire }
    })
}

/// The doc of an enum that shares its implementation: its own text, then its variants, which
/// the docs cannot show otherwise (the implementation is hidden: no API of its own).
fn shared_enum_doc(own: Option<&str>, e: &StringEnum) -> String {
    let values: Vec<String> = e
        .values
        .iter()
        .map(|v| format!("`{}` (`{}`)", v.name, v.wire))
        .collect();
    let own = own.map(|text| format!("{text}\n\n")).unwrap_or_default();
    format!(
        "{own}Variants: {}, and `{}(String)` for a value this version of the client does not know (a later version may know it and decode it as a variant of its own, so compare values with `as_str()`). Like every enum: `as_str()`, `Display`, `From<&str>`, `FromStr` and serde, on the wire spelling.",
        values.join(", "),
        e.unknown_variant
    )
}

/// The `shared` module: the generic enums that enums with the same values are instances of
/// (see `lower::share`), and one uninhabited tag type per such enum, which makes each instance
/// a type of its own. Hidden: a caller names the enums, never these.
fn shared(api: &Api, docs: &mut Docs) -> TokenStream {
    let generics = api.shared_enums.iter().map(|g| shared_enum(g, docs));
    let tags = api.types.iter().filter_map(|def| match &def.kind {
        TypeKind::StringEnum(StringEnum { shared: Some(_), .. }) => {
            let name = ident(&def.name);
            let text = format!(
                " The tag that makes [`{0}`](super::super::{0}) a type of its own.",
                def.name
            );
            Some(quote! { #[doc = #text] pub enum #name {} })
        }
        _ => None,
    });
    quote! {
        /// The implementations enums with the same values share (not API: name the enums).
        #[doc(hidden)]
        pub mod shared {
            use crate::runtime as rt;
            #(#generics)*
            /// One type per enum that shares an implementation.
            pub mod tags {
                #(#tags)*
            }
        }
    }
}

/// One shared implementation: a string enum generic over its instances' tag types.
fn shared_enum(g: &SharedEnum, docs: &mut Docs) -> TokenStream {
    let name = ident(&g.name);
    let e = &g.values;
    let unknown = ident(&e.unknown_variant);
    let variants = enum_variants(e);
    let pairs = enum_pairs(e);
    let text: Vec<String> = e.values.iter().map(|v| format!("`{}`", v.wire)).collect();
    let generic_docs = docs.doc(Some(&format!(
        "The values {}: the implementation of every enum with exactly these values, each an instance for a tag type of its own.",
        text.join(", ")
    )));
    let unknown_doc = docs.doc(Some(ENUM_UNKNOWN_DOC));
    quote! {
        #generic_docs
        #[non_exhaustive]
        pub enum #name<T> {
            #(#variants)*
            #unknown_doc
            #unknown(String),
            /// Uninhabited: only makes each instance a type of its own.
            #[doc(hidden)]
            __Tag(::core::convert::Infallible, ::core::marker::PhantomData<T>),
        }
        rt::string_enum!(#name<T>, #unknown, __Tag, [#(#pairs),*]);
    }
}

/// A string type that can only hold values matching its pattern: the runtime's generic
/// `Validated`, with this type's format (name and pattern, in the `formats` module).
fn pattern_def(name: &Ident) -> TokenStream {
    quote! {
        pub type #name = rt::Validated<formats::#name>;
    }
}

/// The `formats` module: one uninhabited type per validated string type, naming its pattern
/// (see `rt::Validated`). A module of their own, so their names (those of the types) clash
/// with nothing.
fn formats(api: &Api) -> TokenStream {
    let formats = api.types.iter().filter_map(|def| {
        let TypeKind::Pattern(p) = &def.kind else {
            return None;
        };
        let name = ident(&def.name);
        let type_name = &def.name;
        let pattern = &p.pattern;
        let docs = format!(" The format of [`{type_name}`](super::{type_name}).");
        Some(quote! {
            #[doc = #docs]
            pub enum #name {}
            impl rt::Format for #name {
                const NAME: &'static str = #type_name;
                const PATTERN: &'static str = #pattern;
                fn pattern() -> &'static rt::__private::Pattern {
                    static PATTERN: rt::__private::Pattern = rt::__private::Pattern::new(#type_name, #pattern);
                    &PATTERN
                }
            }
        })
    });
    quote! {
        /// The name and pattern of each validated string type.
        pub mod formats {
            use crate::runtime as rt;
            #(#formats)*
        }
    }
}
