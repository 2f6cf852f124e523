//! `builders.rs`: one request builder per operation, which a `Client` method returns.
//!
//! Each builder is a thin typed wrapper: it collects arguments, then hands a plain request
//! (`rt::__private::Request`) to the one non-generic pipeline in the runtime
//! (`rt::__private::Core::send`). Only the body encoding and response decoding are generic, so
//! the per-operation code stays small. The pipeline is the runtime's hidden `__private`: no API.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, Docs, Item};
use crate::ir::{Api, BodyCheck, Integer, Method, Operation, Param, ParamLocation, Presence, ResponseKind, TypeRef};
use crate::members::{builder as member, client as client_member};
use crate::rust_type::{RustType, Scope};

/// How many items `builders.rs` has.
pub fn count(api: &Api) -> usize {
    api.operations.len() + 1
}

/// Item `index` of `builders.rs`: the imports, then one builder per operation.
pub fn item(api: &Api, index: usize, docs: &mut Docs) -> Item {
    match index {
        0 => Item {
            name: "imports".to_owned(),
            tokens: quote! {
                #[allow(unused_imports)]
                use super::models;
                use crate::runtime as rt;
            },
        },
        i => {
            let op = &api.operations[i - 1];
            Item {
                name: op.name.clone(),
                tokens: builder(op, docs),
            }
        }
    }
}

/// The identifiers of the members every request builder has (`crate::members::builder`).
pub(super) struct BuilderMembers {
    pub(super) core: proc_macro2::Ident,
    pub(super) version: proc_macro2::Ident,
    pub(super) body: proc_macro2::Ident,
    pub(super) send: proc_macro2::Ident,
    pub(super) send_with_response: proc_macro2::Ident,
    pub(super) request: proc_macro2::Ident,
    pub(super) items: proc_macro2::Ident,
    pub(super) into_future: proc_macro2::Ident,
}

impl BuilderMembers {
    pub(super) fn new() -> Self {
        BuilderMembers {
            core: ident(member::CORE),
            version: ident(member::VERSION),
            body: ident(member::BODY),
            send: ident(member::SEND),
            send_with_response: ident(member::SEND_WITH_RESPONSE),
            request: ident(member::REQUEST),
            items: ident(member::ITEMS),
            into_future: ident(member::INTO_FUTURE),
        }
    }
}

/// How a required parameter is taken by the client method and stored in the builder.
pub(super) enum ArgKind {
    /// A validated newtype: taken as any string, validated when sent (typed error, no I/O).
    Validated(TokenStream),
    /// A plain string: `impl Into<String>`.
    Text,
    /// Anything else: taken as its own type.
    Value(TokenStream),
}

pub(super) fn arg_kind(param: &Param) -> ArgKind {
    match &param.ty {
        ty if param.validated => ArgKind::Validated(operations_type(ty)),
        TypeRef::String => ArgKind::Text,
        other => ArgKind::Value(operations_type(other)),
    }
}

/// Required parameters (path ones first) with how each is taken.
pub(super) fn required_params(op: &Operation) -> Vec<(&Param, ArgKind)> {
    op.params
        .iter()
        .filter(|p| p.required)
        .map(|p| (p, arg_kind(p)))
        .collect()
}

pub(super) fn optional_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| !p.required)
}

/// The builder's fields and optional-parameter setters.
fn fields_and_setters(op: &Operation, docs: &mut Docs) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let BuilderMembers {
        core,
        version,
        body: body_field,
        ..
    } = BuilderMembers::new();
    let mut fields = vec![quote! { #core: rt::__private::Core }];
    for (param, kind) in required_params(op) {
        let name = ident(&param.name);
        let ty = match kind {
            ArgKind::Validated(_) | ArgKind::Text => quote! { String },
            ArgKind::Value(ty) => ty,
        };
        fields.push(quote! { #name: #ty });
    }
    let mut setters = Vec::new();
    for param in optional_params(op) {
        let name = ident(&param.name);
        let ty = operations_type(&param.ty);
        fields.push(quote! { #name: Option<#ty> });
        let param_docs = docs.doc(param.doc.as_deref());
        setters.push(quote! {
            #param_docs
            pub fn #name(mut self, #name: impl Into<#ty>) -> Self {
                self.#name = Some(#name.into());
                self
            }
        });
    }
    if let Some(body) = &op.body {
        let ty = operations_type(&body.ty);
        if body.required {
            fields.push(quote! { #body_field: #ty });
        } else {
            fields.push(quote! { #body_field: Option<#ty> });
            let body_docs = docs.doc(body.doc.as_deref());
            setters.push(quote! {
                #body_docs
                pub fn #body_field(mut self, #body_field: impl Into<#ty>) -> Self {
                    self.#body_field = Some(#body_field.into());
                    self
                }
            });
        }
    }
    fields.push(quote! { #version: Option<String> });
    (fields, setters)
}

/// The statements that put every argument into the request.
fn request_steps(op: &Operation) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    for param in &op.params {
        let field = ident(&param.name);
        let wire = &param.wire_name;
        let add = match param.location {
            ParamLocation::Path => quote! { path_param },
            ParamLocation::Query => quote! { query },
            ParamLocation::Header => quote! { header },
        };
        let step = match (param.required, arg_kind(param)) {
            (true, ArgKind::Validated(ty)) => {
                quote! { request.#add(#wire, rt::__private::validate::<#ty>(op, #wire, self.#field)?.as_str()); }
            }
            (true, ArgKind::Text) => quote! { request.#add(#wire, &self.#field); },
            (true, _) if param.location == ParamLocation::Path => {
                quote! { request.#add(#wire, &self.#field.to_string()); }
            }
            (true, _) => list_or_value(param.location, wire, &param.ty, quote! { Some(&self.#field) }),
            (false, _) => list_or_value(param.location, wire, &param.ty, quote! { self.#field.as_ref() }),
        };
        steps.push(step);
    }
    if let Some(body) = &op.body {
        let body_field = BuilderMembers::new().body;
        if body.required {
            steps.push(quote! { request.json_body(op, &self.#body_field)?; });
        } else {
            steps.push(quote! {
                if let Some(body) = &self.#body_field {
                    request.json_body(op, body)?;
                }
            });
        }
    }
    steps
}

/// A query or header parameter that may be absent (`value` is an `Option<&T>`), or a list of
/// them: one call of the runtime's `query_if_set`, `header_each` and so on.
fn list_or_value(location: ParamLocation, wire: &str, ty: &TypeRef, value: TokenStream) -> TokenStream {
    let call = match (location, ty) {
        (ParamLocation::Header, TypeRef::List(_)) => quote! { header_each },
        (ParamLocation::Header, _) => quote! { header_if_set },
        (_, TypeRef::List(_)) => quote! { query_each },
        (_, _) => quote! { query_if_set },
    };
    quote! { request.#call(#wire, #value); }
}

fn builder(op: &Operation, docs: &mut Docs) -> TokenStream {
    let builder = ident(&op.builder_name);
    // The link goes through the crate root (`super::Client`), which re-exports the client.
    let method = op.method_name.trim_start_matches("r#");
    let struct_doc = format!(
        " Request builder for [`{client}::{method}`](super::{client}::{method}): set optional parameters, then `.await` it (or call `{}`).",
        member::SEND,
        client = client_member::TYPE,
    );
    let BuilderMembers {
        core,
        version,
        request: request_fn,
        send,
        into_future,
        ..
    } = BuilderMembers::new();
    let (timeouts, limits) = (ident(member::TIMEOUTS), ident(member::LIMITS));
    let (fields, setters) = fields_and_setters(op, docs);
    let name = &op.name;
    let http_method = runtime_method(op.method);
    let path = &op.path;
    let versions = &op.versions;
    let default_version = match &op.default_version {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    let media_suffix = &op.response.media_suffix;
    let idempotent = op.method.is_idempotent();
    let body_checks = op.body_checks.iter().map(|check| match check {
        BodyCheck::StreamPipeline { at, stage } => {
            let stage = RustType::model(stage).tokens(Scope::Operations);
            quote! { rt::__private::BodyCheck::StreamPipeline { at: #at, stage: #stage::__misfit } }
        }
    });
    let version_doc = match &op.default_version {
        Some(v) => format!(
            " Sends API version `version` instead of the default `{v}` (documented: {}). Must look like `YYYY-MM-DD`.",
            op.versions.join(", ")
        ),
        None => " Sends this API version (`YYYY-MM-DD`) in `Accept` and `Content-Type`.".to_owned(),
    };
    let steps = request_steps(op);
    let mutability = (!steps.is_empty()).then(|| quote! { mut });
    // Everything per operation is synchronous: it builds a request (checking every
    // argument before any I/O) and hands it to one generic async function of the runtime. An
    // `async fn` per operation would make the compiler type- and borrow-check a state machine
    // for each of hundreds of operations.
    let request = quote! {
        /// Builds the request without sending it; every argument is checked here.
        fn #request_fn(self) -> rt::__private::Prepared {
            let op = &Self::OPERATION;
            let #mutability request = rt::__private::Request::new(op, self.#version.as_deref())?;
            #(#steps)*
            Ok((self.#core, request))
        }
    };
    let output = RustType::response(&op.response.kind).tokens(Scope::Operations);
    let sending = match &op.response.kind {
        ResponseKind::Json(_) => sends(&output, quote! { json }),
        ResponseKind::Empty => sends(&output, quote! { empty }),
        ResponseKind::Binary => quote! {
            /// Sends the request and returns the body as a stream, as it arrives (nothing is
            /// buffered; see [`rt::Download`] for decompressing on the fly).
            pub fn #send(self) -> rt::BoxFuture<rt::Download> {
                rt::__private::send_download(self.#request_fn())
            }
        },
    };
    let (items, paged) = match &op.pagination {
        Some(p) => {
            let (items, paged) = pagination(&builder, &output, p);
            (Some(items), Some(paged))
        }
        None => (None, None),
    };
    quote! {
        #[doc = #struct_doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #builder {
            // Filled in by the `Client` method (`operations.rs`), read here.
            #(pub(crate) #fields,)*
        }
        impl #builder {
            /// What the runtime needs to know about this operation (not API).
            #[doc(hidden)]
            pub const OPERATION: rt::__private::Operation = rt::__private::Operation {
                name: #name,
                method: #http_method,
                path: #path,
                versions: &[#(#versions),*],
                default_version: #default_version,
                media_suffix: #media_suffix,
                idempotent: #idempotent,
                body_checks: &[#(#body_checks),*],
            };
            #(#setters)*
            #[doc = #version_doc]
            pub fn #version(mut self, version: impl Into<String>) -> Self {
                self.#version = Some(version.into());
                self
            }
            /// This call's timeouts instead of the client's (start from
            /// `client.timeouts()` to change one of them).
            pub fn #timeouts(mut self, timeouts: rt::Timeouts) -> Self {
                self.#core = self.#core.with_timeouts(timeouts);
                self
            }
            /// This call's body size limits instead of the client's.
            pub fn #limits(mut self, limits: rt::Limits) -> Self {
                self.#core = self.#core.with_limits(limits);
                self
            }
            #request
            #sending
            #items
        }
        impl std::future::IntoFuture for #builder {
            type Output = Result<#output, rt::Error>;
            type IntoFuture = rt::BoxFuture<#output>;
            fn #into_future(self) -> Self::IntoFuture {
                self.#send()
            }
        }
        #paged
    }
}

/// `items()` of a list operation's builder, and the `Paged` impl it streams through.
///
/// The stream is one generic runtime function (`paged_items`); per operation there is
/// only how to ask for a page and where its items are, all synchronous. (An `async` closure
/// per operation here made the compiler check one state machine per list operation, as
/// costly as a few dozen plain functions each.)
fn pagination(
    builder: &proc_macro2::Ident,
    page_type: &TokenStream,
    p: &crate::ir::Pagination,
) -> (TokenStream, TokenStream) {
    let item = operations_type(&p.item);
    let page = ident(&p.page_param);
    // The runtime counts pages in `i64`; an `i32` page number is widened for the first page
    // and saturates on the (unreachable) way back.
    let (first, page_arg) = match p.page_type {
        Integer::I64 => (quote! { self.#page.unwrap_or(1) }, quote! { page }),
        Integer::I32 => (
            quote! { self.#page.map(i64::from).unwrap_or(1) },
            quote! { i32::try_from(page).unwrap_or(i32::MAX) },
        ),
    };
    let field = ident(&p.items_field);
    let page_items = match p.items_presence {
        Presence::Required => quote! { page.#field },
        Presence::RequiredNullable | Presence::Optional => quote! { page.#field.unwrap_or_default() },
        Presence::OptionalNullable => quote! { page.#field.into_option().unwrap_or_default() },
    };
    // The runtime counts in `i64`: an `i32` total is widened.
    let total = match &p.total {
        None => quote! { None },
        Some(total) => {
            let field = ident(&total.field);
            match (total.presence, total.ty) {
                (Presence::Required, Integer::I32) => quote! { Some(i64::from(page.#field)) },
                (Presence::Required, Integer::I64) => quote! { Some(page.#field) },
                (Presence::RequiredNullable | Presence::Optional, Integer::I32) => {
                    quote! { page.#field.map(i64::from) }
                }
                (Presence::RequiredNullable | Presence::Optional, Integer::I64) => quote! { page.#field },
                (Presence::OptionalNullable, Integer::I32) => quote! { page.#field.into_option().map(i64::from) },
                (Presence::OptionalNullable, Integer::I64) => quote! { page.#field.into_option() },
            }
        }
    };
    let BuilderMembers {
        items: items_fn, send, ..
    } = BuilderMembers::new();
    let items = quote! {
        /// Every item of every page, fetched one page at a time as the stream is read. The
        /// page size is this builder's, the first page is 1 (or the one set), and the stream
        /// ends after the page that completes the total count, or at an empty page.
        pub fn #items_fn(self) -> rt::ItemStream<#item> {
            let first = #first;
            rt::__private::paged_items(self, first)
        }
    };
    let paged = quote! {
        impl rt::__private::Paged for #builder {
            type Page = #page_type;
            type Item = #item;
            fn page(self, page: i64) -> Self {
                self.#page(#page_arg)
            }
            fn send_page(self) -> rt::BoxFuture<Self::Page> {
                self.#send()
            }
            fn items_of(page: Self::Page) -> rt::__private::Page<Self::Item> {
                rt::__private::Page { items: #page_items, total: #total }
            }
        }
    };
    (items, paged)
}

/// `send` and `send_with_response` for a response decoded into `output`.
fn sends(output: &TokenStream, kind: TokenStream) -> TokenStream {
    let rt_send = quote::format_ident!("send_{}", kind.to_string());
    let rt_send_with_response = quote::format_ident!("send_{}_with_response", kind.to_string());
    let BuilderMembers {
        send,
        send_with_response,
        request,
        ..
    } = BuilderMembers::new();
    quote! {
        /// Sends the request and decodes the success value.
        pub fn #send(self) -> rt::BoxFuture<#output> {
            rt::__private::#rt_send(self.#request())
        }
        /// Sends the request; the result also carries the status and rate-limit headers.
        pub fn #send_with_response(self) -> rt::BoxFuture<rt::Response<#output>> {
            rt::__private::#rt_send_with_response(self.#request())
        }
    }
}

/// The runtime's `rt::__private::Method` for an HTTP method of the IR.
fn runtime_method(method: Method) -> TokenStream {
    let variant = match method {
        Method::Get => quote! { Get },
        Method::Put => quote! { Put },
        Method::Post => quote! { Post },
        Method::Delete => quote! { Delete },
        Method::Options => quote! { Options },
        Method::Head => quote! { Head },
        Method::Patch => quote! { Patch },
        Method::Trace => quote! { Trace },
    };
    quote! { rt::__private::Method::#variant }
}

/// A type as `builders.rs` spells it (model types as `models::Name`).
fn operations_type(ty: &TypeRef) -> TokenStream {
    RustType::of(ty).tokens(Scope::Operations)
}
