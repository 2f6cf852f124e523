//! What a schema becomes in Rust: a struct, a tagged union, a key-tagged union, a string enum,
//! a validated newtype, or no named type at all.

use openapiv3::Schema;

use super::context::Context;
use super::memo::Class;
use super::view::View;

impl<'a> Context<'a> {
    /// Decides what the schema at `pointer` becomes.
    ///
    /// The answer is kept: every pass asks again, and a schema's class depends on the classes
    /// of its members. A schema whose class depends on itself (`allOf: [$ref: itself]`, a
    /// `oneOf` of itself) sees the provisional answer `Inline` while it is being classified, so
    /// within such a cycle the schema asked about first decides; lowering always asks in the
    /// same order (operations in spec order), so the answer is the same on every run.
    pub fn classify(&mut self, pointer: &str, schema: &'a Schema) -> Class {
        if let Some(class) = self.classes.0.get(pointer) {
            return *class;
        }
        self.classes.0.insert(pointer.to_owned(), Class::Inline);
        let view = View::new(schema);
        let class = if super::keyed::is_marked(schema) && !view.one_of.is_empty() {
            Class::KeyedUnion
        } else if view.data.discriminator.is_some()
            && (!view.one_of.is_empty() || !view.any_of.is_empty() || view.has_mapping())
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
        } else if view.typ == Some("string") && view.pattern.is_some_and(|p| self.pattern_error(p).is_none()) {
            Class::Pattern
        } else if !view.properties.is_empty() || self.inherits_object(pointer, &view) {
            Class::Struct
        } else {
            Class::Inline
        };
        self.classes.0.insert(pointer.to_owned(), class);
        class
    }

    /// Whether every `oneOf`/`anyOf` member is a string enum (e.g. regions per cloud provider).
    fn all_string_enums(&mut self, pointer: &str, view: &View<'a>) -> bool {
        let members: Vec<_> = view.members().collect();
        members.len() > 1
            && members.into_iter().enumerate().all(|(i, member)| {
                let inline = format!("{pointer}/{}/{i}", view.members_key());
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
                        || matches!(self.classify(&p, s), Class::Struct | Class::Union | Class::KeyedUnion)
                        || (v.typ == Some("object") && v.all_of.is_empty())
                }
                None => false,
            }
        })
    }
}
