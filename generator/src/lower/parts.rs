//! The readOnly/writeOnly analysis: whether a schema looks different in requests and in
//! responses, and so becomes two Rust types (its forms) instead of one.

use openapiv3::Schema;
use rustc_hash::FxHashSet as HashSet;

use super::context::Context;
use super::forms::{Dir, FormKey};
use super::memo::Class;
use super::pointer::mapping_site;
use super::view::{Extra, RefOr, View};

impl<'a> Context<'a> {
    /// The form of a schema used in direction `dir`: one per direction when its directions
    /// differ, else one for both.
    pub fn form_key(&mut self, pointer: &str, schema: &'a Schema, dir: Dir) -> FormKey {
        let dir = self.has_parts(pointer, schema).then_some(dir);
        FormKey {
            pointer: pointer.to_owned(),
            dir,
        }
    }

    /// Whether the schema at `pointer` has readOnly or writeOnly parts anywhere inside it, so
    /// that its request and response forms differ.
    pub fn has_parts(&mut self, pointer: &str, schema: &'a Schema) -> bool {
        if let Some(known) = self.parts.0.get(pointer) {
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
            match self.parts.0.get(&p) {
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
            self.parts.0.insert(pointer.to_owned(), true);
        } else {
            // The whole reachable set was explored without a part: none of it has any.
            for p in seen {
                self.parts.0.insert(p, false);
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

    /// The schemas a schema's Rust type is made of.
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
                for (tag, target) in view.variants() {
                    found.extend(self.resolve_ref(&target, &mapping_site(pointer, &tag)));
                }
                return found;
            }
            Class::KeyedUnion => {
                for member in self.keyed_members(pointer, schema).0 {
                    refs.push((member.value, member.value_pointer));
                }
            }
            Class::Enum | Class::Pattern => {}
            Class::Inline => refs.extend(view.inline_children(pointer)),
        }
        refs.into_iter().filter_map(|(r, p)| self.resolve(r, &p)).collect()
    }
}
