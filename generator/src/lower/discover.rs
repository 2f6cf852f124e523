//! Pass 1 and 2: find every type an operation needs, classify it, and name it.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use openapiv3::{ReferenceOr, Schema};

use super::naming::{type_name, Namer};
use super::view::{Extra, RefOr, View};
use super::{Class, Dir, FormKey, Lowerer};
use crate::diag::Diagnostic;
use crate::locate::escape_segment;

/// One property of a struct, after inheritance.
#[derive(Clone, Debug)]
pub(super) struct Prop<'a> {
    /// Name on the wire.
    pub wire: String,
    /// Its schema.
    pub schema: RefOr<'a>,
    /// Pointer of the property node (the inline schema, or where the `$ref` sits).
    pub pointer: String,
    /// Listed in some `required`.
    pub required: bool,
    /// `readOnly: true` on the property.
    pub read_only: bool,
    /// `writeOnly: true` on the property.
    pub write_only: bool,
}

impl<'a> Lowerer<'a> {
    /// Records which schemas are variants of which discriminated unions.
    pub(super) fn index_unions(&mut self) {
        let Some(components) = self.api.components.as_ref() else {
            return;
        };
        for (name, schema) in &components.schemas {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let Some(discriminator) = &schema.schema_data.discriminator else {
                continue;
            };
            let pointer = format!("#/components/schemas/{}", escape_segment(name));
            let view = View::new(schema);
            for (_, target) in union_members(&view, discriminator) {
                if let Some(target) = target.strip_prefix("#/components/schemas/") {
                    let target = format!("#/components/schemas/{target}");
                    self.variant_of
                        .entry(target)
                        .or_default()
                        .push((pointer.clone(), discriminator.property_name.clone()));
                }
            }
        }
    }

    /// Decides what the schema at `pointer` becomes.
    pub(super) fn classify(&mut self, pointer: &str, schema: &'a Schema) -> Class {
        if let Some(class) = self.classes.get(pointer) {
            return class.clone();
        }
        // Provisional answer while this schema is being classified: a schema whose class
        // depends on itself (`allOf: [$ref: itself]`, a oneOf of itself) must not recurse forever.
        self.classes.insert(pointer.to_owned(), Class::Inline);
        let view = View::new(schema);
        let class = if view.data.discriminator.is_some()
            && (!view.one_of.is_empty() || !view.any_of.is_empty() || has_mapping(&view))
        {
            Class::Union
        } else if !view.one_of.is_empty() || !view.any_of.is_empty() {
            if self.all_string_enums(pointer, &view) {
                Class::Enum
            } else {
                Class::Inline
            }
        } else if !view.enum_strings.is_empty() && matches!(view.typ, None | Some("string")) {
            Class::Enum
        } else if view.typ == Some("string") && view.pattern.is_some_and(|p| regex_lite::Regex::new(p).is_ok()) {
            Class::Pattern
        } else if !view.properties.is_empty() || self.inherits_object(pointer, &view) {
            Class::Struct
        } else {
            Class::Inline
        };
        self.classes.insert(pointer.to_owned(), class.clone());
        class
    }

    /// Whether every `oneOf`/`anyOf` member is a string enum (e.g. regions per cloud provider).
    fn all_string_enums(&mut self, pointer: &str, view: &View<'a>) -> bool {
        let members: Vec<_> = members(view).collect();
        members.len() > 1
            && members.into_iter().enumerate().all(|(i, member)| {
                let inline = format!("{pointer}/{}/{i}", members_key(view));
                match self.resolve(member, &inline) {
                    Some((p, s)) => self.classify(&p, s) == Class::Enum,
                    None => false,
                }
            })
    }

    /// Whether an `allOf` makes this an object (some member is object-like).
    fn inherits_object(&mut self, pointer: &str, view: &View<'a>) -> bool {
        if view.all_of.is_empty() {
            return false;
        }
        view.all_of.clone().into_iter().enumerate().any(|(i, member)| {
            let inline = format!("{pointer}/allOf/{i}");
            match self.resolve(member, &inline) {
                Some((p, s)) => {
                    let v = View::new(s);
                    !v.properties.is_empty()
                        || v.data.discriminator.is_some()
                        || matches!(self.classify(&p, s), Class::Struct | Class::Union)
                        || (v.typ == Some("object") && v.all_of.is_empty())
                }
                None => false,
            }
        })
    }

    /// The properties of a struct after `allOf` inheritance, minus union tags.
    ///
    /// An `allOf` member contributes its own properties and what it inherits itself, but never
    /// its `oneOf`: `StreamsKafkaConnection: allOf [StreamsConnection, {...}]` inherits the
    /// parent's `name` and `links`, not the parent's list of subtypes. That reading is what
    /// breaks the parent -> oneOf -> child -> allOf -> parent cycle.
    pub(super) fn struct_props(&mut self, pointer: &str, schema: &'a Schema) -> Vec<Prop<'a>> {
        let tags: BTreeSet<String> = self
            .variant_of
            .get(pointer)
            .into_iter()
            .flatten()
            .map(|(_, tag)| tag.clone())
            .collect();
        let mut props = self.all_props(pointer, schema);
        props.retain(|p| !tags.contains(&p.wire));
        props
    }

    /// Every property after inheritance, union tags included.
    ///
    /// Each pass asks for a struct's properties again (discovery, naming, conversion, union
    /// checks), and collecting them walks the whole `allOf` chain with a pointer string per
    /// property: on a big spec that was a third of lowering. The answer depends only on the
    /// schema and the union index, both fixed before the first call, so it is kept.
    pub(super) fn all_props(&mut self, pointer: &str, schema: &'a Schema) -> Vec<Prop<'a>> {
        if let Some(props) = self.props_cache.get(pointer) {
            return props.clone();
        }
        let props = self.collect_all_props(pointer, schema);
        self.props_cache.insert(pointer.to_owned(), props.clone());
        props
    }

    fn collect_all_props(&mut self, pointer: &str, schema: &'a Schema) -> Vec<Prop<'a>> {
        let mut props: Vec<Prop<'a>> = Vec::new();
        let mut required = BTreeSet::new();
        let mut visited = HashSet::default();
        // A variant that does not inherit its union by allOf still carries the union's own
        // properties: the instance validates against the parent's properties *and* one variant.
        let parents = self.variant_of.get(pointer).cloned().unwrap_or_default();
        for (parent, _) in &parents {
            if !self.inherits_from(pointer, schema, parent) {
                if let Some((p, s)) = self.resolve_ref(parent, pointer) {
                    self.collect_props(&p, s, &mut props, &mut required, &mut visited);
                }
            }
        }
        self.collect_props(pointer, schema, &mut props, &mut required, &mut visited);
        for prop in &mut props {
            prop.required = required.contains(&prop.wire);
        }
        props
    }

    fn collect_props(
        &mut self,
        pointer: &str,
        schema: &'a Schema,
        props: &mut Vec<Prop<'a>>,
        required: &mut BTreeSet<String>,
        visited: &mut HashSet<String>,
    ) {
        if !visited.insert(pointer.to_owned()) {
            return;
        }
        let view = View::new(schema);
        for (i, member) in view.all_of.iter().enumerate() {
            let inline = format!("{pointer}/allOf/{i}");
            if let Some((p, s)) = self.resolve(*member, &inline) {
                self.collect_props(&p, s, props, required, visited);
            }
        }
        required.extend(view.required.iter().map(|r| (*r).to_owned()));
        for (name, prop) in &view.properties {
            let prop_pointer = format!("{pointer}/properties/{}", escape_segment(name));
            let (read_only, write_only) = match prop {
                // Only flags on the property itself count: a component's own `readOnly` (the
                // official spec puts one on the whole `StreamsConnection`, the request body of
                // two operations) says nothing about the property that references it.
                RefOr::Item(s) => (s.schema_data.read_only, s.schema_data.write_only),
                RefOr::Ref(_) => (false, false),
            };
            let entry = Prop {
                wire: (*name).to_owned(),
                schema: *prop,
                pointer: prop_pointer,
                required: false,
                read_only,
                write_only,
            };
            // A redefinition in a subtype replaces the inherited one in place.
            match props.iter_mut().find(|p| p.wire == *name) {
                Some(existing) => *existing = entry,
                None => props.push(entry),
            }
        }
    }

    fn inherits_from(&mut self, pointer: &str, schema: &'a Schema, ancestor: &str) -> bool {
        let mut stack = vec![(pointer.to_owned(), schema)];
        let mut seen = HashSet::default();
        while let Some((p, s)) = stack.pop() {
            if p == ancestor {
                return true;
            }
            if !seen.insert(p.clone()) {
                continue;
            }
            for (i, member) in View::new(s).all_of.into_iter().enumerate() {
                if let Some(next) = self.resolve(member, &format!("{p}/allOf/{i}")) {
                    stack.push(next);
                }
            }
        }
        false
    }

    /// The schemas a schema's Rust type is made of, for the readOnly/writeOnly analysis.
    fn children(&mut self, pointer: &str, schema: &'a Schema) -> Vec<(String, &'a Schema)> {
        let class = self.classify(pointer, schema);
        let view = View::new(schema);
        let mut refs: Vec<(RefOr<'a>, String)> = Vec::new();
        match class {
            Class::Struct => {
                for prop in self.struct_props(pointer, schema) {
                    refs.push((prop.schema, prop.pointer));
                }
                if let Some(Extra::Schema(extra)) = view.additional {
                    refs.push((extra, format!("{pointer}/additionalProperties")));
                }
            }
            Class::Union => {
                let mut found = Vec::new();
                for (tag, target) in self.variants(&view) {
                    found.extend(self.resolve_ref(&target, &mapping_site(pointer, &tag)));
                }
                return found;
            }
            Class::Enum | Class::Pattern => {}
            Class::Inline => refs.extend(self.inline_children(pointer, &view)),
        }
        refs.into_iter().filter_map(|(r, p)| self.resolve(r, &p)).collect()
    }

    /// Children of an inline (unnamed) schema: array items, map values, a single-member oneOf.
    pub(super) fn inline_children(&self, pointer: &str, view: &View<'a>) -> Vec<(RefOr<'a>, String)> {
        let mut refs = Vec::new();
        if let Some(items) = view.items {
            refs.push((items, format!("{pointer}/items")));
        }
        if let Some(Extra::Schema(extra)) = view.additional {
            refs.push((extra, format!("{pointer}/additionalProperties")));
        }
        for (i, member) in members(view).enumerate() {
            refs.push((member, format!("{pointer}/{}/{i}", members_key(view))));
        }
        for (i, member) in view.all_of.iter().enumerate() {
            refs.push((*member, format!("{pointer}/allOf/{i}")));
        }
        refs
    }

    /// The variants of a union: (tag value, target pointer), mapping order first.
    pub(super) fn variants(&self, view: &View<'a>) -> Vec<(String, String)> {
        let Some(discriminator) = &view.data.discriminator else {
            return Vec::new();
        };
        union_members(view, discriminator)
    }

    /// Whether the schema at `pointer` has readOnly or writeOnly parts anywhere inside it, so
    /// that its request and response forms differ.
    pub(super) fn has_parts(&mut self, pointer: &str, schema: &'a Schema) -> bool {
        if let Some(known) = self.has_parts.get(pointer) {
            return *known;
        }
        // A breadth-first walk over the reachable schemas; recursion is harmless here.
        let mut queue = vec![(pointer.to_owned(), schema)];
        let mut seen = HashSet::default();
        let mut found = false;
        while let Some((p, s)) = queue.pop() {
            if !seen.insert(p.clone()) {
                continue;
            }
            match self.has_parts.get(&p) {
                Some(true) => {
                    found = true;
                    break;
                }
                // Known to have no parts anywhere below: nothing to look at there.
                Some(false) => continue,
                None => {}
            }
            if self.direct_parts(&p, s) {
                found = true;
                break;
            }
            queue.extend(self.children(&p, s));
        }
        if found {
            self.has_parts.insert(pointer.to_owned(), true);
        } else {
            // The whole reachable set was explored without a part: none of it has any.
            for p in seen {
                self.has_parts.insert(p, false);
            }
        }
        found
    }

    fn direct_parts(&mut self, pointer: &str, schema: &'a Schema) -> bool {
        self.classify(pointer, schema) == Class::Struct
            && self
                .struct_props(pointer, schema)
                .iter()
                .any(|p| p.read_only || p.write_only)
    }

    /// Pass 1: visits a schema used in direction `dir`, recording every named form.
    pub(super) fn visit(&mut self, r: RefOr<'a>, inline: &str, hint: &str, dir: Dir) {
        if let Some((pointer, schema)) = self.resolve(r, inline) {
            self.visit_resolved(&pointer, schema, hint, dir);
        }
    }

    fn visit_resolved(&mut self, pointer: &str, schema: &'a Schema, hint: &str, dir: Dir) {
        let class = self.classify(pointer, schema);
        // A component is named after itself; an inline schema after where it is defined (not
        // where it was first reached: a property inherited by ten subtypes is one type, named
        // after the parent that declares it); a validated id after its property (the hint).
        let base = match (component_name(pointer), &class) {
            (Some(name), _) => type_name(&name),
            (None, Class::Pattern) => hint.to_owned(),
            (None, _) => pointer_name(pointer).unwrap_or_else(|| hint.to_owned()),
        };
        self.base_names
            .entry(pointer.to_owned())
            .or_insert_with(|| base.clone());
        let view = View::new(schema);
        if class == Class::Inline {
            // An alias or list of itself (`items: {$ref: itself}`) is visited once per direction.
            if !self.inline_visits.insert((pointer.to_owned(), dir)) {
                return;
            }
            for (child, child_pointer) in self.inline_children(pointer, &view) {
                let child_hint = if child_pointer.ends_with("/items") {
                    format!("{base}Item")
                } else if child_pointer.ends_with("/additionalProperties") {
                    format!("{base}Value")
                } else {
                    base.clone()
                };
                self.visit(child, &child_pointer, &child_hint, dir);
            }
            return;
        }
        let key = self.form_key(pointer, schema, dir);
        self.usage.entry(pointer.to_owned()).or_default().insert(dir);
        if !self.forms.insert(key) {
            return;
        }
        match class {
            Class::Struct => {
                for prop in self.struct_props(pointer, schema) {
                    if (dir == Dir::Request && prop.read_only) || (dir == Dir::Response && prop.write_only) {
                        continue;
                    }
                    let hint = self.prop_hint(&prop);
                    self.visit(prop.schema, &prop.pointer, &hint, dir);
                }
                if let Some(Extra::Schema(extra)) = view.additional {
                    self.visit(
                        extra,
                        &format!("{pointer}/additionalProperties"),
                        &format!("{base}Value"),
                        dir,
                    );
                }
            }
            Class::Union => {
                for (tag, target) in self.variants(&view) {
                    if let Some((p, s)) = self.resolve_ref(&target, &mapping_site(pointer, &tag)) {
                        self.visit_resolved(&p, s, &format!("{base}{}", type_name(&tag)), dir);
                    }
                }
            }
            // A oneOf of enums is merged into one enum; its members are not generated alone.
            Class::Enum | Class::Pattern | Class::Inline => {}
        }
    }

    /// The preferred name of a property's type: a validated id is named after the property
    /// (`groupId` -> `GroupId`, shared by every property and parameter with that name and
    /// pattern); an object's own id (`_id`, `id`) after its owner; anything else after the
    /// owner and the property.
    fn prop_hint(&mut self, prop: &Prop<'a>) -> String {
        // The owner is the schema that declares the property, which may be an ancestor.
        let declaring = prop.pointer.rsplitn(3, '/').nth(2).unwrap_or_default();
        let owner = pointer_name(declaring).unwrap_or_default();
        let is_pattern = match prop.schema {
            RefOr::Item(s) => self.classify(&prop.pointer, s) == Class::Pattern,
            RefOr::Ref(_) => false,
        };
        let field = type_name(&prop.wire);
        if is_pattern {
            if field == "Id" {
                format!("{owner}Id")
            } else {
                field
            }
        } else {
            format!("{owner}{field}")
        }
    }

    /// The form of a schema used in direction `dir`.
    pub(super) fn form_key(&mut self, pointer: &str, schema: &'a Schema, dir: Dir) -> FormKey {
        let dir = self.has_parts(pointer, schema).then_some(dir);
        FormKey {
            pointer: pointer.to_owned(),
            dir,
        }
    }

    /// Pass 2: gives every form its Rust name. Components claim their own names before any
    /// inline schema or derived `…Request` name, and pattern newtypes with the same name and
    /// pattern share one type, so names do not depend on the order schemas were found in.
    pub(super) fn assign_names(&mut self) {
        let mut forms: Vec<FormKey> = self.forms.iter().cloned().collect();
        let is_component = |k: &FormKey| component_name(&k.pointer).is_some();
        forms.sort_by_cached_key(|k| (!is_component(k), self.is_derived(k), k.clone()));
        let titled = self.shared_enum_titles(&forms);
        let mut namer = Namer::default();
        // Types that several schemas share: (base name, what must be equal) -> the one name.
        let mut shared: Vec<((String, String), String)> = Vec::new();
        for key in forms {
            let base = self
                .base_names
                .get(&key.pointer)
                .cloned()
                .unwrap_or_else(|| "Unnamed".to_owned());
            let sharing = match self.classes.get(&key.pointer) {
                Some(Class::Pattern) => Some((base.clone(), self.pattern_of(&key.pointer).unwrap_or_default())),
                Some(Class::Enum) => titled.get(&key.pointer).cloned(),
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
                self.names.insert(key, name);
                continue;
            }
            let wanted = if self.is_derived(&key) {
                format!("{base}Request")
            } else {
                base
            };
            let name = namer.claim(&wanted);
            self.names.insert(key, name);
        }
    }

    /// Inline enums that share a `title` and the same values are one type named after the
    /// title (the official spec's "Stream Workspace Tier" appears on five schemas). A title
    /// given to enums with different values names none of them: they keep their own names.
    fn shared_enum_titles(&self, forms: &[FormKey]) -> HashMap<String, (String, String)> {
        let mut by_title: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for key in forms {
            if component_name(&key.pointer).is_some() || self.classes.get(&key.pointer) != Some(&Class::Enum) {
                continue;
            }
            let Some(schema) = self.schema_at(&key.pointer) else {
                continue;
            };
            let view = View::new(schema);
            let Some(title) = view.data.title.as_deref() else {
                continue;
            };
            if view.enum_strings.is_empty() {
                continue;
            }
            let values = view.enum_strings.join("\u{0}");
            by_title
                .entry(type_name(title))
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

    /// Whether a form gets a derived `…Request` name: the request form of a schema that is
    /// also used in responses and differs between the two.
    fn is_derived(&self, key: &FormKey) -> bool {
        key.dir == Some(Dir::Request)
            && self
                .usage
                .get(&key.pointer)
                .is_some_and(|dirs| dirs.contains(&Dir::Response))
    }

    fn pattern_of(&self, pointer: &str) -> Option<String> {
        let schema = self.schema_at(pointer)?;
        View::new(schema).pattern.map(str::to_owned)
    }

    /// The schema at a pointer already seen by `resolve`.
    pub(super) fn schema_at(&self, pointer: &str) -> Option<&'a Schema> {
        self.schemas.get(pointer).copied()
    }

    /// Reports a construct the generator cannot express, once per pointer.
    pub(super) fn unsupported(&mut self, pointer: &str, what: &str, help: &str) {
        self.report(Diagnostic::new(pointer, format!("unsupported construct: {what}"), help));
    }
}

fn has_mapping(view: &View<'_>) -> bool {
    view.data.discriminator.as_ref().is_some_and(|d| !d.mapping.is_empty())
}

/// `oneOf` members, else `anyOf` members.
pub(super) fn members<'a, 'b>(view: &'b View<'a>) -> impl Iterator<Item = RefOr<'a>> + 'b {
    let list = if view.one_of.is_empty() {
        &view.any_of
    } else {
        &view.one_of
    };
    list.iter().copied()
}

/// `oneOf` or `anyOf`, whichever `members` reads.
pub(super) fn members_key(view: &View<'_>) -> &'static str {
    if view.one_of.is_empty() {
        "anyOf"
    } else {
        "oneOf"
    }
}

/// The variants of a discriminated union: every mapping entry in order, then every `oneOf`
/// member the mapping does not name, tagged with its schema name (OpenAPI's implicit mapping).
fn union_members(view: &View<'_>, discriminator: &openapiv3::Discriminator) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = discriminator
        .mapping
        .iter()
        .map(|(tag, target)| (tag.clone(), normalize_target(target)))
        .collect();
    for member in members(view) {
        if let RefOr::Ref(reference) = member {
            if !out.iter().any(|(_, t)| t == reference) {
                let tag = reference.rsplit('/').next().unwrap_or(reference).to_owned();
                out.push((super::unescape(&tag), reference.to_owned()));
            }
        }
    }
    out
}

/// Mapping values may be bare schema names instead of references.
fn normalize_target(target: &str) -> String {
    if target.starts_with('#') || target.contains('/') {
        target.to_owned()
    } else {
        format!("#/components/schemas/{}", escape_segment(target))
    }
}

/// The component name of a top-level `#/components/schemas/X` pointer.
pub(super) fn component_name(pointer: &str) -> Option<String> {
    let name = pointer.strip_prefix("#/components/schemas/")?;
    (!name.contains('/')).then(|| super::unescape(name))
}

/// The pointer of a discriminator mapping entry (for diagnostics).
pub(super) fn mapping_site(union: &str, tag: &str) -> String {
    format!("{union}/discriminator/mapping/{}", escape_segment(tag))
}

/// A type name for a schema nested in a component: the component's name, then each property
/// on the way down (`Item` for array items, `Value` for map values; `allOf`/`oneOf` members
/// add nothing). `None` outside `#/components/schemas`.
pub(super) fn pointer_name(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("#/components/schemas/")?;
    let mut segments = rest.split('/').map(super::unescape);
    let mut name = type_name(&segments.next()?);
    while let Some(segment) = segments.next() {
        match segment.as_str() {
            "properties" => name.push_str(&type_name(&segments.next()?)),
            "items" => name.push_str("Item"),
            "additionalProperties" => name.push_str("Value"),
            "allOf" | "oneOf" | "anyOf" => {
                segments.next();
            }
            _ => {}
        }
    }
    Some(name)
}
