//! `models.rs`: structs, tagged unions, string enums and validated newtypes.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, Docs, Item};
use crate::ir::{Api, Presence, StringEnum, StructDef, TaggedUnion, TypeDef, TypeKind};
use crate::rust_type::{RustType, Scope};

/// How many items `models.rs` has.
pub fn count(api: &Api) -> usize {
    api.types.len() + 1 + usize::from(has_formats(api))
}

/// Whether there are validated string types, whose formats come last in `models.rs`.
fn has_formats(api: &Api) -> bool {
    api.types.iter().any(|def| matches!(def.kind, TypeKind::Pattern(_)))
}

/// Item `index` of `models.rs` (0 is the imports; then the types; then their formats).
pub fn item(api: &Api, index: usize, docs: &mut Docs) -> Item {
    if index == api.types.len() + 1 {
        return Item {
            name: "formats".to_owned(),
            tokens: formats(api),
        };
    }
    match index.checked_sub(1).map(|i| &api.types[i]) {
        None => Item {
            name: "imports".to_owned(),
            tokens: quote! {
                use crate::runtime as rt;
            },
        },
        Some(def) => Item {
            name: def.name.clone(),
            tokens: type_def(def, docs),
        },
    }
}

fn type_def(def: &TypeDef, docs: &mut Docs) -> TokenStream {
    let deprecated = def.deprecated.then(|| quote! { #[deprecated] });
    let name = ident(&def.name);
    if let TypeKind::StringEnum(StringEnum {
        same_as: Some(shared), ..
    }) = &def.kind
    {
        return shared_enum(def, &name, shared, deprecated, docs);
    }
    let type_docs = docs.doc(def.doc.as_deref());
    let body = match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, s, docs),
        TypeKind::TaggedUnion(u) => union_def(&name, u),
        TypeKind::StringEnum(e) => enum_def(&name, e),
        TypeKind::Pattern(_) => pattern_def(&name),
    };
    quote! { #type_docs #deprecated #body }
}

fn struct_def(name: &proc_macro2::Ident, s: &StructDef, docs: &mut Docs) -> TokenStream {
    let all_optional = s.fields.iter().all(|f| f.presence != Presence::Required);
    let default = all_optional.then(|| quote! { Default, });
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
    let constructor = (!all_optional).then(|| constructor(name, s));
    quote! {
        #[derive(Clone, Debug, #default PartialEq)]
        pub struct #name {
            #(#fields)*
            /// Properties this version of the client does not know; kept so they survive a round trip.
            pub #extra: serde_json::Map<String, serde_json::Value>,
        }
        rt::object!(#name { #(#wire_map),* } #extra);
        #constructor
    }
}

/// `new(required fields...)` for structs that cannot derive `Default`.
fn constructor(name: &proc_macro2::Ident, s: &StructDef) -> TokenStream {
    let params = s.fields.iter().filter(|f| f.presence == Presence::Required).map(|f| {
        let field = ident(&f.name);
        let ty = RustType::field(&f.ty, f.presence, f.boxed).tokens(Scope::Models);
        quote! { #field: #ty }
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.name);
        match f.presence {
            Presence::Required => quote! { #field },
            _ => quote! { #field: Default::default() },
        }
    });
    let extra = ident(&s.extra_field);
    let allow = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote! { #[allow(deprecated)] });
    quote! {
        impl #name {
            /// A value with the required properties set and every optional one absent.
            #allow
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #extra: serde_json::Map::new() }
            }
        }
    }
}

/// A discriminated union. serde's internally tagged enums cannot keep an unknown variant's
/// whole object, so the impls come from a runtime macro that dispatches on the tag and hands
/// an unknown tag's object to the catch-all untouched.
fn union_def(name: &proc_macro2::Ident, u: &TaggedUnion) -> TokenStream {
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
    let unknown_doc = format!(
        " A `{tag}` this version of the client does not know: the whole object, kept verbatim (tag included) so it re-serializes unchanged."
    );
    let pairs = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = variant_type(v);
        let value = &v.tag_value;
        quote! { #variant(#ty) = #value }
    });
    quote! {
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown_doc]
            #unknown(serde_json::Map<String, serde_json::Value>),
        }
        rt::tagged_union!(#name, #tag, #unknown, [#(#pairs),*]);
    }
}

/// A string enum whose catch-all keeps values a newer server may send. Its impls (wire
/// spelling both ways, `Display`, serde) come from one runtime macro.
fn enum_def(name: &proc_macro2::Ident, e: &StringEnum) -> TokenStream {
    let unknown = ident(&e.unknown_variant);
    let variants = e.values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = format!(" `{}`", v.wire);
        let wire = match v.doc.as_deref().and_then(|d| d.lines().next()) {
            Some(first) => format!("{wire} ({})", first.trim_end_matches('.')),
            None => wire,
        };
        quote! { #[doc = #wire] #variant, }
    });
    let pairs = e.values.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire;
        quote! { #variant => #wire }
    });
    quote! {
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the client does not know, kept verbatim.
            #unknown(String),
        }
        rt::string_enum!(#name, #unknown, [#(#pairs),*]);
    }
}

/// A string enum identical to another one (see `lower::share`): an alias, so the compiler
/// sees one type and one set of impls instead of one per copy.
fn shared_enum(
    def: &TypeDef,
    name: &proc_macro2::Ident,
    shared: &str,
    deprecated: Option<TokenStream>,
    docs: &mut Docs,
) -> TokenStream {
    let note = format!("The same enum as [`{shared}`]: the spec gives both the same values.");
    let text = match &def.doc {
        Some(text) => format!("{text}\n\n{note}"),
        None => note,
    };
    let alias_docs = docs.doc(Some(&text));
    let shared = ident(shared);
    quote! {
        #alias_docs
        #deprecated
        pub type #name = #shared;
    }
}

/// A string type that can only hold values matching its pattern: the runtime's generic
/// `Validated`, with this type's format (name and pattern, in the `formats` module).
fn pattern_def(name: &proc_macro2::Ident) -> TokenStream {
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
                fn pattern() -> &'static rt::Pattern {
                    static PATTERN: rt::Pattern = rt::Pattern::new(#type_name, #pattern);
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
