//! Lower stage: the parsed spec becomes the IR.
//!
//! Everything semantic happens here: `$ref` resolution, `allOf` inheritance, `oneOf` +
//! `discriminator` into tagged unions, the readOnly/writeOnly direction split, nullability,
//! enum collection and naming. It runs in four passes, like typify's "reserve an id, then
//! convert": (1) *discover* every schema reachable from an operation, in which direction it
//! travels and what kind of Rust type it becomes; (2) *name* every type once, components
//! first, so names never depend on visiting order; (3) *convert* each into a `TypeDef`, and the
//! operations into `Operation`s; (4) *break cycles* by boxing.

mod cycles;
mod discover;
mod doc;
pub mod naming;
mod operations;
mod share;
mod types;
pub mod view;

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::diag::Diagnostic;
use crate::ir::Api;
use crate::locate::escape_segment;
use view::RefOr;

/// The direction a value travels in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dir {
    /// Sent by the client (request bodies, parameters): readOnly properties are left out.
    Request,
    /// Sent by the server (success bodies): writeOnly properties are left out.
    Response,
}

/// One Rust type to be generated: a schema, in one direction when the directions differ.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FormKey {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// `None` for schemas that look the same in both directions.
    pub dir: Option<Dir>,
}

/// Lowers a parsed spec into the IR, or explains everything that stops it.
pub fn lower(api: &OpenAPI) -> Result<Api, Vec<Diagnostic>> {
    let mut lowerer = Lowerer::new(api);
    let operations = lowerer.collect_operations();
    for op in &operations {
        lowerer.discover_operation(op);
    }
    lowerer.assign_names();
    let mut types = lowerer.convert_types();
    let mut ops = Vec::new();
    for op in &operations {
        if let Some(lowered) = lowerer.convert_operation(op) {
            ops.push(lowered);
        }
    }
    lowerer.check_operation_names(&ops);
    let infinite = cycles::box_recursive_fields(&mut types);
    lowerer.diagnostics.extend(infinite);
    if !lowerer.diagnostics.is_empty() {
        return Err(lowerer.diagnostics);
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    share::identical_enums(&mut types);
    ops.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    Ok(Api {
        title: api.info.title.clone(),
        spec_version: api.info.version.clone(),
        types,
        operations: ops,
    })
}

/// What a schema becomes in Rust.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Class {
    /// A struct (object with properties, or allOf inheritance).
    Struct,
    /// A tagged union (discriminator).
    Union,
    /// A string enum, possibly merged from a `oneOf` of string enums.
    Enum,
    /// A validated string newtype.
    Pattern,
    /// No named type: a primitive, list, map, free-form value, or an alias of another schema.
    Inline,
}

/// State shared by the passes.
struct Lowerer<'a> {
    api: &'a OpenAPI,
    diagnostics: Vec<Diagnostic>,
    /// Class of each schema pointer.
    classes: HashMap<String, Class>,
    /// Whether a schema (transitively) has readOnly or writeOnly properties.
    has_parts: HashMap<String, bool>,
    /// Directions each schema pointer is used in.
    usage: HashMap<String, BTreeSet<Dir>>,
    /// Preferred type name of each schema pointer.
    base_names: HashMap<String, String>,
    /// Unions a schema is a variant of: (union pointer, tag property).
    variant_of: HashMap<String, Vec<(String, String)>>,
    /// Every form to generate.
    forms: HashSet<FormKey>,
    /// The Rust name of each form.
    names: HashMap<FormKey, String>,
    /// The fields of every struct converted so far, by type name (for pagination detection).
    struct_fields: HashMap<String, Vec<crate::ir::Field>>,
    /// Every schema resolved so far, by pointer.
    schemas: HashMap<String, &'a Schema>,
    /// Inline schemas already visited, per direction (pass 1).
    inline_visits: HashSet<(String, Dir)>,
    /// Inline schemas whose type is being computed (pass 3), to stop self-referencing aliases.
    inline_in_progress: HashSet<String>,
    /// Pointers already reported, so one bad schema yields one diagnostic.
    reported: BTreeSet<String>,
    /// The properties of each struct schema after inheritance, by pointer (see `all_props`).
    props_cache: HashMap<String, Vec<discover::Prop<'a>>>,
}

impl<'a> Lowerer<'a> {
    fn new(api: &'a OpenAPI) -> Self {
        let mut lowerer = Lowerer {
            api,
            diagnostics: Vec::new(),
            classes: HashMap::default(),
            has_parts: HashMap::default(),
            usage: HashMap::default(),
            base_names: HashMap::default(),
            variant_of: HashMap::default(),
            forms: HashSet::default(),
            names: HashMap::default(),
            schemas: HashMap::default(),
            struct_fields: HashMap::default(),
            inline_visits: HashSet::default(),
            inline_in_progress: HashSet::default(),
            reported: BTreeSet::new(),
            props_cache: HashMap::default(),
        };
        lowerer.index_unions();
        lowerer
    }

    /// Records a diagnostic once per pointer.
    fn report(&mut self, diagnostic: Diagnostic) {
        if self
            .reported
            .insert(format!("{}\0{}", diagnostic.pointer, diagnostic.message))
        {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Resolves a schema reference to its pointer and schema; `inline` is the pointer of an
    /// inline schema (or of the node holding the `$ref`).
    fn resolve(&mut self, r: RefOr<'a>, inline: &str) -> Option<(String, &'a Schema)> {
        match r {
            RefOr::Item(schema) => {
                self.schemas.insert(inline.to_owned(), schema);
                Some((inline.to_owned(), schema))
            }
            RefOr::Ref(reference) => self.resolve_ref(reference, &format!("{inline}/$ref")),
        }
    }

    /// Resolves a `$ref` string found at `site`, following chains of references and reporting
    /// dangling, external and cyclic ones.
    fn resolve_ref(&mut self, reference: &str, site: &str) -> Option<(String, &'a Schema)> {
        let api = self.api;
        let mut reference = reference.to_owned();
        let mut seen = BTreeSet::new();
        loop {
            let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                let (message, help) = if reference.starts_with('#') {
                    (
                        format!("`$ref: '{reference}'` points outside `#/components/schemas`"),
                        "move the schema to `components/schemas` and reference it there",
                    )
                } else {
                    (
                        format!("external `$ref: '{reference}'` is not supported"),
                        "bundle the referenced document into this one (e.g. `redocly bundle`) and use a local `#/components/schemas/...` reference",
                    )
                };
                self.report(Diagnostic::new(site, message, help));
                return None;
            };
            let name = unescape(name);
            let target = format!("#/components/schemas/{}", escape_segment(&name));
            if !seen.insert(target.clone()) {
                self.report(Diagnostic::new(
                    site,
                    format!("`$ref: '{reference}'` is a cycle of references that never reaches a schema"),
                    "make one of the schemas in the cycle a real schema instead of a bare `$ref`",
                ));
                return None;
            }
            match api.components.as_ref().and_then(|c| c.schemas.get(&name)) {
                Some(ReferenceOr::Item(schema)) => {
                    self.schemas.insert(target.clone(), schema);
                    return Some((target, schema));
                }
                Some(ReferenceOr::Reference { reference: next }) => reference = next.clone(),
                None => {
                    self.report(Diagnostic::new(
                        site,
                        format!("`$ref: '{reference}'` does not resolve: there is no schema `{name}` in `components/schemas`"),
                        suggest_schema(api, &name),
                    ));
                    return None;
                }
            }
        }
    }
}

/// Undoes JSON pointer escaping of one segment.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// A help text for a dangling schema reference, naming the closest existing schema.
fn suggest_schema(api: &OpenAPI, missing: &str) -> String {
    let lower = missing.to_lowercase();
    let close = api.components.iter().flat_map(|c| c.schemas.keys()).find(|name| {
        let candidate = name.to_lowercase();
        candidate == lower || candidate.contains(&lower) || lower.contains(&candidate)
    });
    match close {
        Some(name) => {
            format!("did you mean `#/components/schemas/{name}`? Otherwise add the schema under `components/schemas`")
        }
        None => format!("add a schema named `{missing}` under `components/schemas`, or correct the reference"),
    }
}
