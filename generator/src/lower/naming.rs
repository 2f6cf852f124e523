//! Pass 2: every form discovered gets its Rust type name, once.
//!
//! A name says what a type is; when two types would take the same name, the later one (forms
//! are taken in a fixed order: components first, then derived request forms, then inline
//! schemas, each by pointer) takes the next name that says more, never a number:
//!
//! - a component is named after itself;
//! - the request form of a schema also used in responses (it lacks the readOnly properties) is
//!   `…Request`; when a component already has that name, it is named by its use: the body of
//!   POST operations only `…CreateRequest`, of PUT/PATCH operations only `…UpdateRequest`,
//!   anything else (nested in other bodies, or the body of several kinds of operation)
//!   `…Input`;
//! - a parameter's inline type is named after the parameter, else after its operation and the
//!   parameter (`ListAlertsStatus`); a property's validated id after the property (`GroupId`,
//!   one type for every property and parameter of that name and pattern), else after its
//!   owner and the property (`ClusterGroupId`);
//! - inline enums with the same `title` are one type named after the title.
//!
//! Only when every such name is taken (two spec names that differ only in case or punctuation)
//! does a number follow the name.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use super::discover::{Discovery, Found};
use super::forms::{Dir, FormKey};
use super::idents::{Idents, Namer};
use super::memo::Class;
use super::pointer::component_name;
use super::view::View;
use crate::ir::Method;

/// The Rust name of every form.
#[derive(Debug, Default)]
pub(super) struct Names {
    names: HashMap<FormKey, String>,
    /// Enums named after a shared `title`: the pointers of every enum of the title, by name
    /// (their values are merged into the one type).
    titled: HashMap<String, Vec<String>>,
}

impl Names {
    /// The name of a form, if discovery found it.
    pub fn get(&self, key: &FormKey) -> Option<&str> {
        self.names.get(key).map(String::as_str)
    }

    /// The pointers of every inline enum sharing the title type `name` (empty for others).
    pub fn titled(&self, name: &str) -> &[String] {
        self.titled.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Pass 2: gives every form its Rust name (see the module docs for the rules).
pub(super) fn assign(discovery: &Discovery<'_>, idents: &mut Idents) -> Names {
    let mut forms: Vec<&FormKey> = discovery.forms.iter().collect();
    let is_component = |k: &FormKey| component_name(&k.pointer).is_some();
    forms.sort_by_cached_key(|k| (!is_component(k), is_derived(discovery, k), (*k).clone()));
    let titles = enum_titles(discovery, &forms, idents);
    let mut names = Names::default();
    let mut namer = Namer::default();
    // Types that several schemas share: (name, what must be equal) -> the one name.
    let mut shared: BTreeMap<(String, String), String> = BTreeMap::new();
    for key in forms {
        let Some(found) = discovery.schemas.get(&key.pointer) else {
            continue;
        };
        let name = if let Some(title) = titles.get(&key.pointer) {
            let name = shared
                .entry((title.clone(), "title".to_owned()))
                .or_insert_with(|| namer.claim(title))
                .clone();
            names.titled.entry(name.clone()).or_default().push(key.pointer.clone());
            name
        } else if found.class == Class::Pattern {
            let pattern = View::new(found.schema).pattern.unwrap_or_default().to_owned();
            shared_pattern(&mut namer, &mut shared, &candidates(found), pattern)
        } else if is_derived(discovery, key) {
            namer.claim_first(&request_candidates(found))
        } else {
            namer.claim_first(&candidates(found))
        };
        names.names.insert(key.clone(), name);
    }
    names
}

/// A form's names, best first.
fn candidates(found: &Found<'_>) -> Vec<String> {
    let mut out = vec![found.base_name.clone()];
    out.extend(found.alternatives.iter().cloned());
    out
}

/// The names of a derived request form, best first.
fn request_candidates(found: &Found<'_>) -> Vec<String> {
    let base = &found.base_name;
    let mut out = vec![format!("{base}Request")];
    let posted = found.bodies.contains(&Method::Post);
    let updated = found.bodies.contains(&Method::Put) || found.bodies.contains(&Method::Patch);
    let other = found
        .bodies
        .iter()
        .any(|m| !matches!(m, Method::Post | Method::Put | Method::Patch));
    match (posted, updated, other) {
        (true, false, false) => out.push(format!("{base}CreateRequest")),
        (false, true, false) => out.push(format!("{base}UpdateRequest")),
        _ => {}
    }
    out.push(format!("{base}Input"));
    out
}

/// The name of a validated string type: the first candidate that already names a type with
/// this pattern (one type for all of them), else the first free one.
fn shared_pattern(
    namer: &mut Namer,
    shared: &mut BTreeMap<(String, String), String>,
    candidates: &[String],
    pattern: String,
) -> String {
    for candidate in candidates {
        if let Some(name) = shared.get(&(candidate.clone(), pattern.clone())) {
            return name.clone();
        }
        if !namer.is_taken(candidate) {
            let name = namer.claim(candidate);
            shared.insert((candidate.clone(), pattern), name.clone());
            return name;
        }
    }
    let name = namer.claim_first(candidates);
    shared.insert((name.clone(), pattern), name.clone());
    name
}

/// Inline enums that share a `title` are one type named after the title (the official spec's
/// "Stream Workspace Tier" appears on five schemas): the spec says they are the same thing.
/// The type holds every value any of them lists, so a value added to one of them is a value
/// added to the type, never a split into new types (which would rename it under its callers).
fn enum_titles(discovery: &Discovery<'_>, forms: &[&FormKey], idents: &mut Idents) -> HashMap<String, String> {
    let mut out = HashMap::default();
    let mut seen = BTreeSet::new();
    for key in forms {
        let Some(found) = discovery.schemas.get(&key.pointer) else {
            continue;
        };
        if component_name(&key.pointer).is_some() || found.class != Class::Enum || !seen.insert(&key.pointer) {
            continue;
        }
        let view = View::new(found.schema);
        if let (Some(title), false) = (view.data.title.as_deref(), view.enum_strings.is_empty()) {
            out.insert(key.pointer.clone(), idents.type_name(title));
        }
    }
    out
}

/// Whether a form gets a derived `…Request` name: the request form of a schema that is also
/// used in responses and differs between the two.
fn is_derived(discovery: &Discovery<'_>, key: &FormKey) -> bool {
    key.dir == Some(Dir::Request)
        && discovery
            .schemas
            .get(&key.pointer)
            .is_some_and(|found| found.usage.contains(&Dir::Response))
}
