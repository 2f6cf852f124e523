//! The conversions from response types into request types (`impl From<&Response> for
//! Request`, or `TryFrom`), written out as lowering planned them (`ir::Conversion`).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::ir::{
    Conversion, ConversionPlan, FieldConversion, FieldSource, MissingReason, Presence, StructConversion,
    UnionConversion, ValueConversion,
};

/// The impl converting `c.from` into `to`.
pub fn conversion(to: &str, c: &Conversion) -> TokenStream {
    let (from_ty, to_ty) = (ident(&c.from), ident(to));
    let body = match &c.plan {
        ConversionPlan::Struct(s) => struct_body(to, s, c.fallible),
        ConversionPlan::Union(u) => union_body(&c.from, to, u, c.fallible),
    };
    // Deprecated fields and types are read and written like any other; each value is bound
    // to `v` and converted by a closure or call, whichever reads the same for every plan.
    let allow = quote! { #[allow(deprecated, clippy::map_clone)] };
    if c.fallible {
        quote! {
            #allow
            impl TryFrom<&#from_ty> for #to_ty {
                type Error = rt::ConversionError;
                fn try_from(from: &#from_ty) -> Result<Self, rt::ConversionError> {
                    #body
                }
            }
        }
    } else {
        quote! {
            #allow
            impl From<&#from_ty> for #to_ty {
                fn from(from: &#from_ty) -> Self {
                    #body
                }
            }
        }
    }
}

/// `rt::ConversionError::new(..)` for a property of `to`.
fn error(to: &str, property: &str, reason: TokenStream) -> TokenStream {
    quote! { rt::ConversionError::new(#to, #property, rt::MissingReason::#reason) }
}

fn struct_body(to: &str, s: &StructConversion, fallible: bool) -> TokenStream {
    // A required property nothing provides: the conversion always fails, naming it.
    let missing = s.fields.iter().find_map(|f| match &f.source {
        FieldSource::Missing(reason) if f.presence == Presence::Required => Some((f, *reason)),
        _ => None,
    });
    if let Some((f, reason)) = missing {
        let reason = ident(match reason {
            MissingReason::WriteOnly => "WriteOnly",
            MissingReason::NotInResponse => "NotInResponse",
            MissingReason::Incompatible => "Incompatible",
        });
        let error = error(to, &f.wire_name, quote! { #reason });
        return quote! {
            let _ = from;
            Err(#error)
        };
    }
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.field);
        let value = field_value(to, f);
        quote! { #field: #value }
    });
    let (from_extra, to_extra) = (ident(&s.from_extra), ident(&s.to_extra));
    let extra = if s.extra_known.is_empty() {
        quote! { from.#from_extra.clone() }
    } else {
        let known = &s.extra_known;
        quote! { rt::__private::convert_extra(&from.#from_extra, &[#(#known),*]) }
    };
    let value = quote! { Self { #(#fields,)* #to_extra: #extra } };
    if fallible {
        quote! { Ok(#value) }
    } else {
        value
    }
}

/// The value of one request field.
fn field_value(to: &str, f: &FieldConversion) -> TokenStream {
    let FieldSource::Field {
        field,
        presence,
        boxed,
        value,
    } = &f.source
    else {
        // Optional and without a source: absent (the missing required case returned above).
        return quote! { Default::default() };
    };
    let field = ident(field);
    let same_wrapper = option_like(*presence) == option_like(f.presence) && boxed == &f.boxed;
    match value {
        ValueConversion::Clone if same_wrapper => return quote! { from.#field.clone() },
        // `Option<T>` of a `Copy` type is `Copy`; `Nullable<T>` is not.
        ValueConversion::Copy if same_wrapper && *presence != Presence::OptionalNullable => {
            return quote! { from.#field }
        }
        ValueConversion::Copy if same_wrapper => return quote! { from.#field.clone() },
        _ => {}
    }
    // `item` converts `v`, one `&T` of the response, into the request's value (a `Result` if
    // `fallible`), boxed if the request's field is.
    let (item, fallible) = convert(value);
    let item = match (f.boxed, fallible) {
        (false, _) => item,
        (true, false) => quote! { Box::new(#item) },
        (true, true) => quote! { #item.map(Box::new) },
    };
    // The response's `&Box<T>` as `&T`.
    let unbox = boxed.then(|| quote! { let v = &**v; });
    let wire = &f.wire_name;
    let one = |source: TokenStream| {
        let block = quote! { { let v = #source; #unbox #item } };
        if fallible {
            quote! { #block? }
        } else {
            block
        }
    };
    match (*presence, f.presence) {
        (Presence::Required, to_presence) => {
            let one = one(quote! { &from.#field });
            match to_presence {
                Presence::Required => one,
                Presence::RequiredNullable | Presence::Optional => quote! { Some(#one) },
                Presence::OptionalNullable => quote! { rt::Nullable::Value(#one) },
            }
        }
        (from_presence, to_presence) => {
            // The response's value as `Option<&T>` (a three-state one as `Nullable<&T>`).
            let nullable_source = from_presence == Presence::OptionalNullable;
            let source = quote! { from.#field.as_ref() };
            if to_presence == Presence::Required {
                let present = if nullable_source {
                    quote! { #source.into_option() }
                } else {
                    source
                };
                return one(quote! { rt::__private::present(#present, #to, #wire)? });
            }
            let function = if unbox.is_none() && !f.boxed {
                function(value)
            } else {
                None
            };
            let mapped = match (&unbox, function) {
                (_, Some(function)) => quote! { #source.map(#function) },
                (Some(unbox), None) => quote! { #source.map(|v| { #unbox #item }) },
                (None, None) => quote! { #source.map(|v| #item) },
            };
            let mapped = if fallible {
                quote! { #mapped.transpose()? }
            } else {
                mapped
            };
            match (nullable_source, to_presence == Presence::OptionalNullable) {
                (false, false) | (true, true) => mapped,
                (false, true) => quote! { rt::__private::nullable_from_option(#mapped) },
                (true, false) => quote! { #mapped.into_option() },
            }
        }
    }
}

/// Whether a presence is stored as `Option<T>`.
fn option_like(presence: Presence) -> Presence {
    match presence {
        Presence::RequiredNullable => Presence::Optional,
        other => other,
    }
}

/// A nested conversion's function, to map with by its path rather than through a closure: a
/// closure is one more body for the compiler to check, a few hundred in a big crate.
fn function(conversion: &ValueConversion) -> Option<TokenStream> {
    let ValueConversion::Nested { to, fallible, .. } = conversion else {
        return None;
    };
    let to = ident(to);
    Some(if *fallible {
        quote! { #to::try_from }
    } else {
        quote! { #to::from }
    })
}

/// `v`, a `&T`, converted: the expression, and whether it is a `Result` (its conversion can
/// fail) rather than the value itself.
fn convert(conversion: &ValueConversion) -> (TokenStream, bool) {
    match conversion {
        ValueConversion::Clone => (quote! { ::core::clone::Clone::clone(v) }, false),
        ValueConversion::Copy => (quote! { *v }, false),
        ValueConversion::Nested { to, fallible, .. } => {
            let to = ident(to);
            if *fallible {
                (quote! { #to::try_from(v) }, true)
            } else {
                (quote! { #to::from(v) }, false)
            }
        }
        ValueConversion::Wire { to: Some(to) } => {
            let to = ident(to);
            (quote! { #to::from(v.as_str()) }, false)
        }
        ValueConversion::Wire { to: None } => (quote! { v.as_str().to_owned() }, false),
        ValueConversion::List(list_item) => {
            let (item, fallible) = convert(list_item);
            let collected = if fallible {
                quote! { Result<Vec<_>, rt::ConversionError> }
            } else {
                quote! { Vec<_> }
            };
            let mapper = function(list_item).unwrap_or_else(|| quote! { |v| #item });
            (quote! { v.iter().map(#mapper).collect::<#collected>() }, fallible)
        }
        ValueConversion::Map(item) => {
            let (item, fallible) = convert(item);
            if fallible {
                (
                    quote! {
                        v.iter().map(|(k, v)| #item.map(|v| (k.clone(), v)))
                            .collect::<Result<std::collections::BTreeMap<_, _>, rt::ConversionError>>()
                    },
                    true,
                )
            } else {
                (
                    quote! { v.iter().map(|(k, v)| (k.clone(), #item)).collect::<std::collections::BTreeMap<_, _>>() },
                    false,
                )
            }
        }
    }
}

fn union_body(from: &str, to: &str, u: &UnionConversion, fallible: bool) -> TokenStream {
    let from_ty = ident(from);
    let arms = u.variants.iter().map(|v| {
        let from_variant = ident(&v.from);
        let Some(target) = &v.to else {
            let error = error(to, &v.tag_value, quote! { NoVariant });
            return quote! { #from_ty::#from_variant(_) => return Err(#error) };
        };
        let to_variant = ident(&target.variant);
        let (item, can_fail) = convert(&target.value);
        let item = if can_fail {
            quote! { #item? }
        } else {
            item
        };
        let item = if target.boxed {
            quote! { Box::new(#item) }
        } else {
            item
        };
        let unbox = v.boxed.then(|| quote! { let v = &**v; });
        quote! { #from_ty::#from_variant(v) => { #unbox Self::#to_variant(#item) } }
    });
    let (from_unknown, to_unknown) = (ident(&u.from_unknown), ident(&u.to_unknown));
    let drop = &u.drop_from_unknown;
    let unknown = if drop.is_empty() {
        quote! { object.clone() }
    } else {
        quote! { rt::__private::convert_extra(object, &[#(#drop),*]) }
    };
    let value = quote! {
        match from {
            #(#arms,)*
            #from_ty::#from_unknown(object) => Self::#to_unknown(#unknown),
        }
    };
    if fallible {
        quote! { Ok(#value) }
    } else {
        value
    }
}
