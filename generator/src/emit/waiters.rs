//! `waiters.rs`: one client method per waiter of the spec (`x-waiters`), and its builder.
//!
//! A waiter method takes the arguments of the GET it repeats and returns the runtime's generic
//! `rt::Waiter` holding that GET's request builder (its setters and `.await` are the runtime's,
//! written once), under a type alias named after the waiter; so per waiter there is only data:
//! what to read, which values end the wait, how long to wait.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::method_args;
use super::rust::{ident, Docs, Item};
use crate::ir::{Api, Operation, Waiter};
use crate::members::client as client_member;

/// How many items `waiters.rs` has: the imports and one per waiter (none without waiters).
pub fn count(api: &Api) -> usize {
    if api.waiters.is_empty() {
        0
    } else {
        api.waiters.len() + 1
    }
}

/// Item `index` of `waiters.rs`.
pub fn item(api: &Api, index: usize, docs: &mut Docs) -> Item {
    match index {
        0 => Item {
            name: "imports".to_owned(),
            tokens: quote! {
                use std::time::Duration;

                use super::operations::Client;
                use crate::runtime as rt;
            },
        },
        i => {
            let waiter = &api.waiters[i - 1];
            // `waiter.operation` names one of `api.operations`: lowering made the waiter from
            // that operation's own site, so the lookup cannot miss.
            let op = api.operations.iter().find(|op| op.method_name == waiter.operation);
            Item {
                name: waiter.name.clone(),
                tokens: op.map(|op| one(waiter, op, docs)).unwrap_or_default(),
            }
        }
    }
}

fn one(waiter: &Waiter, op: &Operation, docs: &mut Docs) -> TokenStream {
    let builder = ident(&waiter.builder_name);
    let method = ident(&waiter.method_name);
    let get = ident(&op.method_name);
    let get_builder = ident(&op.builder_name);
    let args = method_args(op);
    let params = args.iter().map(|(name, ty)| quote! { #name: #ty });
    let names = args.iter().map(|(name, _)| name);
    let (waiter_name, property) = (waiter.method_name.trim_start_matches("r#"), &waiter.property);
    let (success, failure) = (&waiter.success, &waiter.failure);
    let [min, max, deadline] =
        [waiter.min_delay_ms, waiter.max_delay_ms, waiter.deadline_ms].map(proc_macro2::Literal::u64_unsuffixed);
    let method_docs = docs.doc(Some(&method_doc(waiter, op)));
    let alias_doc = format!(
        " Waiter of [`{}::{}`]: set its delays or deadline, then `.await` it.",
        client_member::TYPE,
        waiter_name
    );
    // Only data per waiter: the setters, `IntoFuture` and the loop are the runtime's
    // `Waiter`, once for all waiters (the alias keeps a name per waiter for callers to write).
    quote! {
        #[doc = #alias_doc]
        pub type #builder = rt::Waiter<super::builders::#get_builder>;
        impl Client {
            #method_docs
            pub fn #method(&self, #(#params),*) -> #builder {
                /// What the waiter reads and which values end the wait.
                const ACCEPTOR: rt::__private::Acceptor = rt::__private::Acceptor {
                    waiter: #waiter_name,
                    property: #property,
                    success: &[#(#success),*],
                    failure: &[#(#failure),*],
                };
                rt::__private::waiter(
                    self.#get(#(#names),*),
                    &ACCEPTOR,
                    rt::__private::WaitSettings::new(
                        Duration::from_millis(#min),
                        Duration::from_millis(#max),
                        Duration::from_millis(#deadline),
                    ),
                )
            }
        }
    }
}

fn method_doc(waiter: &Waiter, op: &Operation) -> String {
    let mut text = String::new();
    if let Some(doc) = &waiter.doc {
        text.push_str(doc);
        text.push_str("\n\n");
    }
    let quoted = |values: &[String]| one_of(values.iter().map(|v| format!("`{v}`")).collect());
    text.push_str(&format!(
        "Calls `{}` (`{}`) until `{}` is {}, and returns that answer",
        op.method_name.trim_start_matches("r#"),
        op.name,
        waiter.property,
        quoted(&waiter.success),
    ));
    if !waiter.after.is_empty() {
        let after = waiter
            .after
            .iter()
            .map(|m| format!("`{}`", m.trim_start_matches("r#")))
            .collect();
        text.push_str(&format!(", e.g. after {}", one_of(after)));
    }
    text.push_str(". Waits between calls from ");
    text.push_str(&format!(
        "{} up to {} (doubling, with jitter), for at most {} in all; `.deadline(..)`, `.min_delay(..)` and `.max_delay(..)` change that.",
        seconds(waiter.min_delay_ms),
        seconds(waiter.max_delay_ms),
        seconds(waiter.deadline_ms)
    ));
    text.push_str("\n\n# Errors\n\n");
    if !waiter.failure.is_empty() {
        text.push_str(&format!(
            "[`rt::WaitError::Failed`] when `{}` is {}; ",
            waiter.property,
            quoted(&waiter.failure)
        ));
    }
    text.push_str("[`rt::WaitError::TimedOut`] at the deadline; [`rt::WaitError::Request`] when a call fails (after the client's own retries).");
    text
}

/// `a`, `a or b`, `a, b or c`.
fn one_of(mut items: Vec<String>) -> String {
    match items.pop() {
        None => String::new(),
        Some(last) if items.is_empty() => last,
        Some(last) => format!("{} or {last}", items.join(", ")),
    }
}

/// Milliseconds as a person reads them: `2 s`, `0.5 s`, `10 min`.
fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(60_000) {
        format!("{} min", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{} s", ms as f64 / 1000.0)
    }
}
