//! The spec-driven plumbing: everything the emulator knows about the API's *shape* comes from
//! `spec/atlas-streams.yaml`, lowered by the generator library into its IR (`ir::Api`).
//!
//! - [`route`] — the route table: method + path template of every operation.
//! - [`params`] — path and query parameters: types, patterns, bounds, required ones.
//! - [`validate`] — request bodies checked against the request-direction IR types.
//! - [`shape`] — response bodies cut to the response-direction IR types (readOnly fields kept,
//!   writeOnly secrets and internal bookkeeping dropped).
//!
//! Nothing here knows what an operation *does*; that is `crate::state`'s business, keyed by the
//! operation's short name (`x-xgen-operation-id-override`).

pub mod params;
pub mod route;
pub mod shape;
pub mod validate;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use atlas_streams_generator::ir::{self, Api, TypeDef};
use atlas_streams_generator::{load, stack};
use regex_lite::Regex;

use self::params::ParamSpec;
use self::route::{RouteTable, Template};

/// The spec the emulator serves, embedded at compile time so the binary runs anywhere. The file
/// inside this crate is a link to the workspace's `spec/atlas-streams.yaml` (so the two never
/// differ), which `cargo package` ships as a file: the published crate builds on its own.
const SPEC_SOURCE: &str = include_str!("../../spec/atlas-streams.yaml");

/// The file name diagnostics name if the embedded spec ever fails to lower.
const SPEC_NAME: &str = "spec/atlas-streams.yaml";

/// One operation as the emulator serves it.
#[derive(Debug)]
pub struct OpSpec {
    /// The short operation name (`x-xgen-operation-id-override`), the key of the state rules.
    pub name: String,
    /// The HTTP method.
    pub method: ir::Method,
    /// The path template as in the spec.
    pub path: String,
    /// The parsed template.
    pub template: Template,
    /// Path and query parameters.
    pub params: Vec<ParamSpec>,
    /// The request body, if the operation takes one.
    pub body: Option<ir::Body>,
    /// The documented success response.
    pub response: ir::SuccessResponse,
    /// Every documented API version, oldest first.
    pub versions: Vec<String>,
    /// How the list is paged, for a paginated list.
    pub pagination: Option<ir::Pagination>,
}

/// What [`Spec::route`] found.
#[derive(Debug)]
pub enum Match<'a> {
    /// The operation and its decoded path parameters.
    Op(&'a OpSpec, BTreeMap<String, String>),
    /// The path exists with other methods.
    WrongMethod,
    /// No such path.
    Nothing,
}

/// The lowered spec, derived once per process.
#[derive(Debug)]
pub struct Spec {
    /// Operations in IR order (sorted by method name).
    pub ops: Vec<OpSpec>,
    types: HashMap<String, TypeDef>,
    patterns: HashMap<String, Regex>,
    routes: RouteTable,
}

impl Spec {
    /// The spec of this process, lowered on first use (a few milliseconds in release builds).
    pub fn get() -> Result<&'static Spec, String> {
        static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();
        // Lowering recurses once per level of nesting, with large frames: it runs on the
        // generator's own grown stack, since a tokio worker or a test thread has 2 MiB.
        SPEC.get_or_init(|| stack::with_deep_stack(|| Spec::from_source(SPEC_NAME, SPEC_SOURCE)))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Lowers spec text with the generator library and derives the emulator's tables from it.
    pub fn from_source(file: &str, source: &str) -> Result<Spec, String> {
        let loaded = load::parse(file.into(), source.to_owned()).map_err(|e| e.to_string())?;
        let checked = atlas_streams_generator::check(&loaded).map_err(|e| e.to_string())?;
        Spec::from_ir(checked.api, &loaded.api)
    }

    /// Derives the tables from the IR. The parsed document is consulted for one thing the IR
    /// does not carry: the `minimum`/`maximum` of integer query parameters (`itemsPerPage`).
    fn from_ir(api: Api, document: &openapiv3::OpenAPI) -> Result<Spec, String> {
        let types: HashMap<String, TypeDef> = api.types.into_iter().map(|t| (t.name.clone(), t)).collect();
        let mut patterns = HashMap::new();
        for def in types.values() {
            if let ir::TypeKind::Pattern(p) = &def.kind {
                let regex =
                    Regex::new(&p.pattern).map_err(|e| format!("type `{}`: pattern `{}`: {e}", def.name, p.pattern))?;
                patterns.insert(def.name.clone(), regex);
            }
        }
        let mut ops = Vec::with_capacity(api.operations.len());
        for op in api.operations {
            let template = Template::parse(&op.path)?;
            let params = op
                .params
                .iter()
                .filter(|p| p.location != ir::ParamLocation::Header)
                .map(|p| ParamSpec::derive(p, &types, params::bounds(document, &op, &p.wire_name)))
                .collect::<Result<Vec<_>, _>>()?;
            ops.push(OpSpec {
                name: op.name,
                method: op.method,
                path: op.path,
                template,
                params,
                body: op.body,
                response: op.response,
                versions: op.versions,
                pagination: op.pagination,
            });
        }
        let routes = RouteTable::new(ops.iter().map(|o| (&o.template, o.method)));
        Ok(Spec {
            ops,
            types,
            patterns,
            routes,
        })
    }

    /// A named type of the IR.
    pub fn ty(&self, name: &str) -> Option<&TypeDef> {
        self.types.get(name)
    }

    /// The compiled pattern of a validated-string type.
    pub fn pattern(&self, type_name: &str) -> Option<&Regex> {
        self.patterns.get(type_name)
    }

    /// The operation a request reaches, with its path parameters (percent-decoded).
    pub fn route(&self, method: &str, path: &str) -> Match<'_> {
        match self.routes.find(method, path) {
            route::Found::Op(index, params) => Match::Op(&self.ops[index], params),
            route::Found::WrongMethod => Match::WrongMethod,
            route::Found::Nothing => Match::Nothing,
        }
    }

    /// The operation with this short name.
    pub fn op(&self, name: &str) -> Option<&OpSpec> {
        self.ops.iter().find(|o| o.name == name)
    }
}
