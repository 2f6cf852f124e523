//! Pass 2: every form discovered gets its Rust type name, once.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::classify::Class;
use super::discover::Discovery;
use super::idents::{Idents, Namer};
use super::pointer::component_name;
use super::view::View;
use super::{Dir, FormKey};

/// The Rust name of every form.
#[derive(Debug, Default)]
pub(super) struct Names(HashMap<FormKey, String>);

impl Names {
    /// The name of a form, if discovery found it.
    pub fn get(&self, key: &FormKey) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// Pass 2: gives every form its Rust name. Components claim their own names before any
/// inline schema or derived `…Request` name, and pattern newtypes with the same name and
/// pattern share one type, so names do not depend on the order schemas were found in.
pub(super) fn assign(discovery: &Discovery<'_>, idents: &mut Idents) -> Names {
    let mut forms: Vec<&FormKey> = discovery.forms.iter().collect();
    let is_component = |k: &FormKey| component_name(&k.pointer).is_some();
    forms.sort_by_cached_key(|k| (!is_component(k), is_derived(discovery, k), (*k).clone()));
    let titled = shared_enum_titles(discovery, &forms, idents);
    let mut names = Names::default();
    let mut namer = Namer::default();
    // Types that several schemas share: (base name, what must be equal) -> the one name.
    let mut shared: Vec<((String, String), String)> = Vec::new();
    for key in forms {
        let Some(found) = discovery.schemas.get(&key.pointer) else {
            continue;
        };
        let base = found.base_name.clone();
        let sharing = match found.class {
            Class::Pattern => Some((
                base.clone(),
                View::new(found.schema).pattern.unwrap_or_default().to_owned(),
            )),
            Class::Enum => titled.get(&key.pointer).cloned(),
            _ => None,
        };
        if let Some(identity) = sharing {
            let name = match shared.iter().find(|(k, _)| *k == identity) {
                Some((_, name)) => name.clone(),
                None => {
                    let name = namer.claim(&identity.0);
                    shared.push((identity, name.clone()));
                    name
                }
            };
            names.0.insert(key.clone(), name);
            continue;
        }
        let wanted = if is_derived(discovery, key) {
            format!("{base}Request")
        } else {
            base
        };
        names.0.insert(key.clone(), namer.claim(&wanted));
    }
    names
}

/// Inline enums that share a `title` and the same values are one type named after the
/// title (the official spec's "Stream Workspace Tier" appears on five schemas). A title
/// given to enums with different values names none of them: they keep their own names.
fn shared_enum_titles(
    discovery: &Discovery<'_>,
    forms: &[&FormKey],
    idents: &mut Idents,
) -> HashMap<String, (String, String)> {
    let mut by_title: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for key in forms {
        let Some(found) = discovery.schemas.get(&key.pointer) else {
            continue;
        };
        if component_name(&key.pointer).is_some() || found.class != Class::Enum {
            continue;
        }
        let view = View::new(found.schema);
        let Some(title) = view.data.title.as_deref() else {
            continue;
        };
        if view.enum_strings.is_empty() {
            continue;
        }
        let values = view.enum_strings.join("\u{0}");
        by_title
            .entry(idents.type_name(title))
            .or_default()
            .push((key.pointer.clone(), values));
    }
    let mut out = HashMap::default();
    for (title, members) in by_title {
        if members.iter().all(|(_, values)| *values == members[0].1) {
            for (pointer, values) in members {
                out.insert(pointer, (title.clone(), values));
            }
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
