//! `operations.rs`: what the crate root re-exports from the runtime (at the root, or in a module
//! by purpose), and the `Client` with one method per operation, each returning the operation's
//! request builder (`builders.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::builders::{optional_params, required_params, ArgKind, BuilderMembers};
use super::rust::{ident, Docs, Item};
use crate::ir::{Api, Operation, Param};
use crate::members::{builder as member, client as client_member, root as root_member};
use crate::rust_type::{RustType, Scope};

/// How many items `operations.rs` has.
pub fn count(_api: &Api) -> usize {
    3
}

/// Item `index` of `operations.rs`: the imports, what the crate root re-exports beside the
/// client, then the `Client`.
pub fn item(api: &Api, index: usize, docs: &mut Docs) -> Item {
    match index {
        0 => Item {
            name: "imports".to_owned(),
            tokens: quote! {
                use super::builders;
                use super::models;
                use crate::runtime as rt;
            },
        },
        1 => Item {
            name: "root".to_owned(),
            tokens: root(),
        },
        _ => Item {
            name: "Client".to_owned(),
            tokens: client(api, docs),
        },
    }
}

/// What a caller names besides the client and the generated modules: the runtime's types (the
/// crate root re-exports this file whole), at the root or in a module by purpose, and the
/// client's builder under a name of its own.
fn root() -> TokenStream {
    let exports = root_member::RUNTIME_EXPORTS.iter().map(|exports| {
        let items = exports.items.iter().map(|name| ident(name));
        match exports.module {
            None => quote! { pub use crate::runtime::{#(#items),*}; },
            Some(module) => {
                let module = ident(module);
                let doc = format!(" {}", exports.doc);
                quote! {
                    #[doc = #doc]
                    pub mod #module {
                        pub use crate::runtime::{#(#items),*};
                    }
                }
            }
        }
    });
    let (client, builder) = (ident(client_member::TYPE), ident(root_member::CLIENT_BUILDER));
    quote! {
        #(#exports)*
        /// Configures a [`Client`]: base URL, credentials, timeouts, retries, API version. Start
        /// with [`Client::builder`].
        pub type #builder = rt::ClientBuilder<#client>;
    }
}

fn client(api: &Api, docs: &mut Docs) -> TokenStream {
    let methods: Vec<TokenStream> = api.operations.iter().map(|op| client_method(op, docs)).collect();
    let title_doc = format!(
        " Client for the {} ({} operations): one method per operation.",
        api.title,
        api.operations.len()
    );
    let client = ident(client_member::TYPE);
    let (builder, core, from, builder_type) = (
        ident(client_member::BUILDER),
        ident(client_member::CORE),
        ident(client_member::FROM),
        ident(root_member::CLIENT_BUILDER),
    );
    let (timeouts, with_timeouts, limits, with_limits) = (
        ident(client_member::TIMEOUTS),
        ident(client_member::WITH_TIMEOUTS),
        ident(client_member::LIMITS),
        ident(client_member::WITH_LIMITS),
    );
    quote! {
        #[doc = #title_doc]
        ///
        /// Each method takes the operation's required inputs and returns a request builder:
        /// set optional parameters on it, then `.await` it. The client is cheap to clone and
        /// can be shared across tasks.
        #[derive(Clone, Debug)]
        pub struct #client {
            #core: rt::__private::Core,
        }
        impl #client {
            /// Starts configuring a client: base URL, credentials, timeouts, retries.
            pub fn #builder() -> #builder_type {
                rt::ClientBuilder::new()
            }
            /// The timeouts of this client's calls.
            pub fn #timeouts(&self) -> rt::Timeouts {
                self.#core.timeouts()
            }
            /// A cheap clone of this client whose calls have these timeouts (it shares the
            /// connection pool, credentials and token cache). For one call, the request
            /// builder's `.timeouts(..)` does the same. The connect timeout is per client only
            /// (`ClientBuilder::connect_timeout`).
            pub fn #with_timeouts(&self, timeouts: rt::Timeouts) -> Self {
                #client { #core: self.#core.with_timeouts(timeouts) }
            }
            /// The body size limits of this client's calls.
            pub fn #limits(&self) -> rt::Limits {
                self.#core.limits()
            }
            /// A cheap clone of this client whose calls have these body size limits (it shares
            /// the connection pool, credentials and token cache). For one call, the request
            /// builder's `.limits(..)` does the same.
            pub fn #with_limits(&self, limits: rt::Limits) -> Self {
                #client { #core: self.#core.with_limits(limits) }
            }
            #(#methods)*
        }
        /// What `ClientBuilder::build` makes the client from (not API).
        #[doc(hidden)]
        impl From<rt::__private::Core> for #client {
            fn #from(#core: rt::__private::Core) -> Self {
                #client { #core }
            }
        }
    }
}

/// The client method's arguments, as `(name, type)`: the required parameters (a validated one
/// as any string, a plain string as `impl Into<String>`), then a required body (`impl Into`). The waiters
/// (`emit::waiters`) take the same ones and hand them on.
pub(super) fn method_args(op: &Operation) -> Vec<(proc_macro2::Ident, TokenStream)> {
    let mut args: Vec<(proc_macro2::Ident, TokenStream)> = required_params(op)
        .into_iter()
        .map(|(param, kind)| {
            let ty = match kind {
                ArgKind::Validated(_) => quote! { impl AsRef<str> },
                ArgKind::Text => quote! { impl Into<String> },
                ArgKind::Value(ty) => ty,
            };
            (ident(&param.name), ty)
        })
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        // `impl Into`: a union's variant struct goes in as it is (`kafka`, not
        // `StreamsConnectionRequest::Kafka(kafka)`).
        let ty = operations_type(&body.ty);
        args.push((BuilderMembers::new().body, quote! { impl Into<#ty> }));
    }
    args
}

fn client_method(op: &Operation, docs: &mut Docs) -> TokenStream {
    let method_docs = docs.doc(Some(&method_doc(op)));
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let BuilderMembers {
        core,
        version,
        body: body_field,
        ..
    } = BuilderMembers::new();
    let client_core = ident(client_member::CORE);
    let args = method_args(op).into_iter().map(|(name, ty)| quote! { #name: #ty });
    let mut inits = Vec::new();
    for (param, kind) in required_params(op) {
        let name = ident(&param.name);
        inits.push(match kind {
            ArgKind::Validated(_) => quote! { #name: #name.as_ref().to_owned() },
            ArgKind::Text => quote! { #name: #name.into() },
            ArgKind::Value(_) => quote! { #name },
        });
    }
    for param in optional_params(op) {
        let name = ident(&param.name);
        inits.push(quote! { #name: None });
    }
    if let Some(body) = &op.body {
        inits.push(if body.required {
            quote! { #body_field: #body_field.into() }
        } else {
            quote! { #body_field: None }
        });
    }
    quote! {
        #method_docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> builders::#builder {
            builders::#builder { #core: self.#client_core.clone(), #(#inits,)* #version: None }
        }
    }
}

fn method_doc(op: &Operation) -> String {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    if let Some(description) = &op.doc {
        text.push_str(description);
        text.push_str("\n\n");
    }
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    if !required.is_empty() {
        text.push_str("Arguments:\n");
        for param in required {
            let what = param.doc.as_deref().and_then(|d| d.lines().next()).unwrap_or("");
            text.push_str(&format!("- `{}`: {what}\n", param.name.trim_start_matches("r#")));
        }
        text.push('\n');
    }
    text.push_str(&format!("`{} {}` (`{}`)", op.method.as_str(), op.path, op.name));
    if let Some(version) = &op.default_version {
        text.push_str(&format!(", API version `{version}`"));
        let others: Vec<String> = op
            .versions
            .iter()
            .filter(|v| *v != version)
            .map(|v| format!("`{v}`"))
            .collect();
        if !others.is_empty() {
            text.push_str(&format!(
                " (also documented: {}; choose with `.{}(..)`)",
                others.join(", "),
                member::VERSION
            ));
        }
    }
    text.push('.');
    if op.pagination.is_some() {
        text.push_str(&format!(
            " One page per call; the builder's `{}()` streams every item of every page.",
            member::ITEMS
        ));
    }
    if !op.errors.is_empty() {
        text.push_str("\n\n# Errors\n\n");
        text.push_str("Fails with [`rt::Error::Api`] on the documented error statuses: ");
        let statuses: Vec<String> = op
            .errors
            .iter()
            .map(|(status, what)| format!("{status} ({what})"))
            .collect();
        text.push_str(&statuses.join(", "));
        text.push_str(
            ", and with the other [`rt::Error`] variants on transport, timeout, decoding or argument problems.",
        );
    }
    text
}

/// A type as `operations.rs` spells it (model types as `models::Name`).
fn operations_type(ty: &crate::ir::TypeRef) -> TokenStream {
    RustType::of(ty).tokens(Scope::Operations)
}
