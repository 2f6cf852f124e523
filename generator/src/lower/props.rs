//! The properties of a struct after `allOf` inheritance, and which unions a schema is a
//! variant of.

use std::collections::BTreeSet;

use openapiv3::Schema;
use rustc_hash::FxHashSet as HashSet;

use super::context::Context;
use super::memo::Prop;
use super::view::{RefOr, View};
use crate::locate::escape_segment;

impl<'a> Context<'a> {
    /// The properties of a struct after `allOf` inheritance, minus union tags.
    ///
    /// An `allOf` member contributes its own properties and what it inherits itself, but never
    /// its `oneOf`: `StreamsKafkaConnection: allOf [StreamsConnection, {...}]` inherits the
    /// parent's `name` and `links`, not the parent's list of subtypes. That reading is what
    /// breaks the parent -> oneOf -> child -> allOf -> parent cycle.
    pub fn struct_props(&mut self, pointer: &str, schema: &'a Schema) -> Vec<Prop<'a>> {
        let tags: BTreeSet<String> = self
            .props
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
    /// Each pass asks for a struct's properties again (discovery, conversion, union checks),
    /// and collecting them walks the whole `allOf` chain with a pointer string per property:
    /// on a big spec that was a third of lowering. The answer depends only on the schema and
    /// the union index, both fixed before the first call, so it is kept. (A `$ref` that does
    /// not resolve is reported the first time; the context reports a problem once anyway.)
    pub fn all_props(&mut self, pointer: &str, schema: &'a Schema) -> Vec<Prop<'a>> {
        if let Some(props) = self.props.memo.get(pointer) {
            return props.clone();
        }
        let props = self.collect_all_props(pointer, schema);
        self.props.memo.insert(pointer.to_owned(), props.clone());
        props
    }

    fn collect_all_props(&mut self, pointer: &str, schema: &'a Schema) -> Vec<Prop<'a>> {
        let mut props: Vec<Prop<'a>> = Vec::new();
        let mut required = BTreeSet::new();
        let mut visited = HashSet::default();
        // A variant that does not inherit its union by allOf still carries the union's own
        // properties: the instance validates against the parent's properties *and* one variant.
        let parents = self.props.variant_of.get(pointer).cloned().unwrap_or_default();
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
}
