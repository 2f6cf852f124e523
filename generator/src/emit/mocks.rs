//! `mocks.rs` (compiled only with the crate's `test-util` feature): per operation, the type of
//! its inputs as a mock reads them back from a request, how to read them and answer, and the
//! function that starts a rule for it (`mock!(Client::get_stream_processor)` calls it).
//!
//! Rules, the mock client and the reading itself are the runtime's (`rt::mock`); per operation
//! there is one struct, one trait impl made of reads, and one function.

use proc_macro2::TokenStream;
use quote::quote;

use super::builders::{arg_kind, ArgKind};
use super::rust::{ident, Docs, Item};
use crate::ir::{Api, Operation, Param, ParamLocation, ResponseKind, TypeRef};
use crate::members::{builder as member, client as client_member};
use crate::rust_type::{RustType, Scope};

/// How many items `mocks.rs` has: the imports and one per operation.
pub fn count(api: &Api) -> usize {
    api.operations.len() + 1
}

/// The only item of a `mocks.rs` generated without mocks: `lib.rs` compiles the file only with
/// the `test-util` feature, and a crate generated without them must say so there rather than
/// fail on missing names.
pub fn left_out() -> Item {
    Item {
        name: "mocks left out".to_owned(),
        tokens: quote! {
            compile_error!("this crate was generated without its typed mocks (`generate --no-mocks`): regenerate it without that flag to use the `test-util` feature");
        },
    }
}

/// Item `index` of `mocks.rs`.
pub fn item(api: &Api, index: usize, docs: &mut Docs) -> Item {
    match index {
        0 => Item {
            name: "imports".to_owned(),
            tokens: quote! {
                #[allow(unused_imports)] // a spec may have no model in any input or output
                use super::models;
                use crate::runtime as rt;
            },
        },
        i => {
            let op = &api.operations[i - 1];
            Item {
                name: op.name.clone(),
                tokens: one(op, docs),
            }
        }
    }
}

fn one(op: &Operation, docs: &mut Docs) -> TokenStream {
    let input = ident(&op.builder_name);
    let function = ident(&op.method_name);
    let method = op.method_name.trim_start_matches("r#");
    let name = &op.name;
    let status = proc_macro2::Literal::u16_unsuffixed(op.response.status);
    let mut fields = Vec::new();
    let mut reads = Vec::new();
    for param in &op.params {
        let field = ident(&param.name);
        let ty = field_type(param);
        let field_docs = docs.doc(Some(&param_doc(param)));
        fields.push(quote! { #field_docs pub #field: #ty });
        let value = read(param);
        reads.push(quote! { #field: #value });
    }
    if let Some(body) = &op.body {
        let field = ident(member::BODY);
        let ty = RustType::of(&body.ty).tokens(Scope::Operations);
        let (ty, read) = if body.required {
            (ty, quote! { rt::mock::required("body", sent.body())? })
        } else {
            (quote! { Option<#ty> }, quote! { sent.body()? })
        };
        fields.push(quote! {
            /// The request body, decoded.
            pub #field: #ty
        });
        reads.push(quote! { #field: #read });
    }
    let (output, encode) = match &op.response.kind {
        kind @ ResponseKind::Json(_) => (
            RustType::response(kind).tokens(Scope::Operations),
            quote! { fn output(output: Self::Output) -> rt::mock::Body { rt::mock::Body::json(&output) } },
        ),
        ResponseKind::Empty => (
            quote! { () },
            quote! { fn output((): Self::Output) -> rt::mock::Body { rt::mock::Body::empty() } },
        ),
        ResponseKind::Binary => (
            quote! { rt::Bytes },
            quote! { fn output(output: Self::Output) -> rt::mock::Body { rt::mock::Body::binary(output) } },
        ),
    };
    let struct_doc = docs.doc(Some(&format!(
        "The inputs of a call of `{client}::{method}` (`{name}`), as a mock read them back from the \
         request it sent: what a rule's `match_requests` sees and `Rule::requests` returns.",
        client = client_member::TYPE,
    )));
    let function_doc = docs.doc(Some(&format!(
        "Starts a rule for `{client}::{method}`; `mock!({client}::{method})` calls it. A success \
         answers {status} with the `{output}` it is given.",
        client = client_member::TYPE,
        output = RustType::response(&op.response.kind).api_text(),
    )));
    let sent = if reads.is_empty() {
        quote! { _sent }
    } else {
        quote! { sent }
    };
    quote! {
        #struct_doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #input {
            #(#fields,)*
        }
        impl rt::mock::MockOperation for #input {
            type Output = #output;
            const NAME: &'static str = #name;
            const STATUS: u16 = #status;
            fn input(#sent: &rt::mock::Sent<'_>) -> Result<Self, rt::mock::InputError> {
                Ok(#input { #(#reads,)* })
            }
            #encode
        }
        #function_doc
        pub fn #function() -> rt::mock::RuleBuilder<#input> {
            rt::mock::RuleBuilder::new()
        }
    }
}

/// A parameter's type as the inputs hold it: a required one as the request builder holds it
/// (a validated one as the `String` that was sent: the client took any string), an optional
/// one as its setter takes it.
fn field_type(param: &Param) -> TokenStream {
    if !param.required {
        let ty = RustType::of(&param.ty).tokens(Scope::Operations);
        return quote! { Option<#ty> };
    }
    match arg_kind(param) {
        ArgKind::Validated(_) | ArgKind::Text => quote! { String },
        ArgKind::Value(ty) => ty,
    }
}

/// How the inputs' field of `param` is read back from the request (`sent`).
fn read(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    let list = matches!(param.ty, TypeRef::List(_));
    let read = match (param.location, list) {
        (ParamLocation::Path, _) => return quote! { sent.path(#wire)? },
        (ParamLocation::Query, false) => quote! { sent.query(#wire) },
        (ParamLocation::Query, true) => quote! { sent.query_all(#wire) },
        (ParamLocation::Header, false) => quote! { sent.header(#wire) },
        (ParamLocation::Header, true) => quote! { sent.header_all(#wire) },
    };
    if param.required {
        quote! { rt::mock::required(#wire, #read)? }
    } else {
        quote! { #read? }
    }
}

fn param_doc(param: &Param) -> String {
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    };
    let what = param.doc.as_deref().and_then(|d| d.lines().next()).unwrap_or("");
    format!("`{}` ({location}): {what}", param.wire_name)
        .trim_end_matches([':', ' '])
        .to_owned()
}
