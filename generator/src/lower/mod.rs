//! Lower stage: the parsed spec becomes the IR.
//!
//! Everything semantic happens here: `$ref` resolution, `allOf` inheritance, `oneOf` +
//! `discriminator` into tagged unions, the readOnly/writeOnly direction split, nullability,
//! enum collection and naming. `lower` runs the passes in order, like typify's "reserve an
//! id, then convert"; each takes what it needs and returns what the next one reads:
//!
//! 1. `sites::collect`: every operation of the spec, as an `sites::OpSite`;
//! 2. `discover::discover`: every schema reachable from an operation, in which direction it
//!    travels and what kind of Rust type it becomes: a `discover::Discovery` of forms;
//! 3. `naming::assign`: every form's Rust name, once, components first, so names never
//!    depend on visiting order: the `naming::Names`;
//! 4. `types::convert`: each form into a `TypeDef`; then `operations::convert`: each
//!    operation into an `Operation` (by those names, and those types' fields for pagination);
//!    `waiters::convert`: each operation's `x-waiters` into `Waiter`s, checked against those
//!    operations and types;
//! 5. `cycles::box_recursive_fields`: recursive types get a `Box`; `order::mark`: the structs
//!    inside a key-tagged union (pipeline stages) keep the order their properties came in;
//! 6. `conversions::attach`: each request type gets its conversions from response types (the
//!    two forms of one schema; a PATCH/PUT body and the GET of the same path);
//! 7. `check::document`: the whole document, used or not, gets the checks conversion makes,
//!    and what conversion picked or dropped without a word is judged (an error or a warning);
//! 8. `share::identical_enums`: enums with the same values get one shared implementation.
//!
//! The passes share a `context::Context`: the spec, the `$ref` resolver, memos of the pure
//! questions about a schema (`classify` what it becomes, `props` its properties after
//! inheritance, `parts` whether its directions differ; the memo types are in `memo`) and the
//! diagnostics. `atlas` names the Atlas API conventions the passes rely on; `idents` spells
//! identifiers. What several passes share sits beside them, below each (`tests/import_loops.rs`
//! keeps files free of import loops): `forms` (`Dir`, `FormKey`), `media` (media types),
//! `problems` (the diagnostics both `types` and `check` give).

mod atlas;
mod check;
mod classify;
mod context;
mod conversions;
mod cycles;
mod discover;
mod doc;
mod forms;
mod idents;
mod keyed;
mod media;
mod memo;
mod naming;
mod operations;
mod order;
mod parts;
mod pointer;
mod problems;
mod props;
mod share;
mod sites;
mod types;
pub mod view;
mod waiters;

use openapiv3::OpenAPI;

use crate::diag::Diagnostic;
use crate::ir::{Api, Operation, TypeDef};
use context::Context;
use discover::Discovery;
use naming::Names;
use sites::OpSite;

pub use forms::{Dir, FormKey};

/// A lowered spec: the IR, and what is legal but lossy or suspicious in the spec.
#[derive(Clone, Debug)]
pub struct Lowered {
    /// The IR.
    pub api: Api,
    /// Warnings, in the order they were found.
    pub warnings: Vec<Diagnostic>,
}

/// Lowers a parsed spec into the IR, or explains everything that stops it (the errors, with
/// the warnings found beside them).
pub fn lower(api: &OpenAPI) -> Result<Lowered, Vec<Diagnostic>> {
    lower_after(api, || ())
}

/// [`lower`], its whole-document check starting once `core_free` returns: loading passes one
/// that waits for the thread still checking the YAML tree, whose core the check then takes.
pub fn lower_after(api: &OpenAPI, core_free: impl FnOnce() + Send) -> Result<Lowered, Vec<Diagnostic>> {
    std::thread::scope(|scope| {
        // The whole-document check (7) reads nothing the other passes produce: it runs on a
        // thread of its own, with a context of its own, beside passes 1 to 6, and its
        // diagnostics are taken in afterwards as if it had run after them (`Context::absorb`).
        let checker = (crate::stack::cores() > 1)
            .then(|| {
                crate::stack::spawn_deep(scope, || {
                    core_free();
                    check_document(api)
                })
            })
            .flatten();
        lower_beside(api, move || match checker {
            Some(checker) => checker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => check_document(api),
        })
    })
}

/// The whole-document check (pass 7) on a context of its own.
fn check_document(api: &OpenAPI) -> Context<'_> {
    let mut cx = Context::new(api);
    let sites: Vec<OpSite> = sites::collect(&mut cx);
    check::document(&mut cx, &sites);
    cx
}

/// Passes 1 to 6 and 8; `checked` gives the context of pass 7, which ran beside them.
fn lower_beside<'a>(api: &'a OpenAPI, checked: impl FnOnce() -> Context<'a>) -> Result<Lowered, Vec<Diagnostic>> {
    let mut cx = Context::new(api);
    let sites: Vec<OpSite> = sites::collect(&mut cx);
    let discovery: Discovery = discover::discover(&mut cx, &sites);
    let names: Names = naming::assign(&discovery, &mut cx.idents);
    let mut types: Vec<TypeDef> = types::convert(&mut cx, &discovery, &names);
    let mut operations: Vec<Operation> = operations::convert(&mut cx, &sites, &names, &types);
    operations::check_names(&mut cx, &operations);
    let mut waiters = waiters::convert(&mut cx, &sites, &operations, &types);
    let infinite: Vec<Diagnostic> = cycles::box_recursive_fields(&mut types);
    for d in infinite {
        cx.report(d);
    }
    order::mark(&mut types);
    conversions::attach(&mut cx, &discovery, &names, &mut types, &operations);
    cx.absorb(checked());
    let diagnostics = cx.into_diagnostics();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let shared_enums = share::identical_enums(&mut types);
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    waiters.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    Ok(Lowered {
        api: Api {
            title: api.info.title.clone(),
            spec_version: api.info.version.clone(),
            types,
            shared_enums,
            operations,
            waiters,
        },
        warnings: diagnostics,
    })
}
