//! Key-tagged unions: a `oneOf` marked `x-key-tagged: true` whose members are objects that each
//! require exactly one property, a different one per member, and declare no other. A value is an
//! object with that one property, whose name says which member it is (`{"$source": {...}}`: a
//! stream processing stage).
//!
//! Marked rather than detected, because the shape alone does not say the author meant it: a
//! `oneOf` of objects that happen to require one property each could also be a union decoded by
//! trying each member. Marked, the declaration is checked (every rule below is a located error),
//! and adding a member stays the additive change it is meant to be, where detection would turn
//! the whole union into untyped JSON the day a member stopped fitting the shape. A `oneOf`
//! without a discriminator that has the shape but no mark is answered by the warning every such
//! `oneOf` gets, with the hint to mark it.

use openapiv3::Schema;

use super::context::Context;
use super::view::{Extra, RefOr, View};
use crate::diag::Diagnostic;
use crate::locate::escape_segment;

/// The extension that marks a `oneOf` as key-tagged.
pub(super) const KEY_TAGGED: &str = "x-key-tagged";

/// One member of a key-tagged union.
#[derive(Clone, Debug)]
pub(super) struct Member<'a> {
    /// The property that names it, e.g. `$source`.
    pub key: String,
    /// The schema of the property's value.
    pub value: RefOr<'a>,
    /// Where that schema is (for resolving and naming it).
    pub value_pointer: String,
    /// The member's own description, if it has one.
    pub doc: Option<&'a str>,
}

/// Whether a schema is marked `x-key-tagged: true`.
pub(super) fn is_marked(schema: &Schema) -> bool {
    schema.schema_data.extensions.get(KEY_TAGGED) == Some(&serde_json::Value::Bool(true))
}

impl<'a> Context<'a> {
    /// The members of the key-tagged union at `pointer`, and every rule its declaration breaks
    /// (located errors). A member that breaks a rule is left out of the members.
    pub fn keyed_members(&mut self, pointer: &str, schema: &'a Schema) -> (Vec<Member<'a>>, Vec<Diagnostic>) {
        let view = View::new(schema);
        let mut problems = Vec::new();
        let mark = format!("{pointer}/{KEY_TAGGED}");
        match schema.schema_data.extensions.get(KEY_TAGGED) {
            Some(serde_json::Value::Bool(true)) => {}
            Some(serde_json::Value::Bool(false)) | None => return (Vec::new(), problems),
            Some(other) => {
                problems.push(Diagnostic::new(
                    mark,
                    format!("`{KEY_TAGGED}` is a boolean, not `{other}`"),
                    format!("write `{KEY_TAGGED}: true` on a `oneOf` whose members each require one property"),
                ));
                return (Vec::new(), problems);
            }
        }
        if view.one_of.is_empty() {
            problems.push(Diagnostic::new(
                mark,
                format!("`{KEY_TAGGED}: true` marks a schema without `oneOf`: there are no members to key"),
                "mark the `oneOf` of the members (each an object requiring one property), or remove the mark",
            ));
            return (Vec::new(), problems);
        }
        if view.data.discriminator.is_some() {
            problems.push(Diagnostic::new(
                format!("{pointer}/discriminator"),
                "a union is either key-tagged or discriminated by a property, not both",
                format!("remove the `discriminator`, or the `{KEY_TAGGED}` mark"),
            ));
        }
        let mut members: Vec<Member<'a>> = Vec::new();
        for (i, member) in view.one_of.iter().enumerate() {
            let at = format!("{pointer}/oneOf/{i}");
            let Some((member_pointer, member_schema)) = self.resolve(*member, &at) else {
                continue;
            };
            match key_of(member_schema) {
                Ok((key, value)) => {
                    if let Some(first) = members.iter().position(|m| m.key == key) {
                        problems.push(Diagnostic::new(
                            at,
                            format!("members {first} and {i} of the key-tagged union both require `{key}`: a value could not say which it is"),
                            "give each member a key of its own (or merge the two members)",
                        ));
                        continue;
                    }
                    members.push(Member {
                        value_pointer: format!("{member_pointer}/properties/{}", escape_segment(&key)),
                        key,
                        value,
                        doc: member_schema.schema_data.description.as_deref(),
                    });
                }
                Err(problem) => problems.push(Diagnostic::new(
                    member_pointer,
                    format!("member {i} of a key-tagged union {problem}"),
                    "write each member as `{type: object, required: [<key>], properties: {<key>: <its value's schema>}}`",
                )),
            }
        }
        (members, problems)
    }
}

/// The key and value schema of a member, or what keeps it from being one.
fn key_of(schema: &Schema) -> Result<(String, RefOr<'_>), String> {
    let view = View::new(schema);
    if !matches!(view.typ, None | Some("object")) {
        return Err(format!("is of `type: {}`, not an object", view.typ.unwrap_or_default()));
    }
    if !view.all_of.is_empty() || !view.one_of.is_empty() || !view.any_of.is_empty() {
        return Err(
            "combines schemas (`allOf`, `oneOf` or `anyOf`): its one property must be declared in it".to_owned(),
        );
    }
    if matches!(view.additional, Some(Extra::Schema(_))) {
        return Err("describes other properties (`additionalProperties`): a value has exactly one".to_owned());
    }
    match (view.properties.as_slice(), view.required.as_slice()) {
        ([(name, value)], [required]) if name == required => Ok(((*name).to_owned(), *value)),
        ([(name, _)], required) => Err(format!(
            "must require exactly its one property `{name}`; it requires [{}]",
            required.join(", ")
        )),
        (properties, _) => Err(format!(
            "declares {} properties; it must declare exactly one, the key that names it",
            properties.len()
        )),
    }
}

/// Whether an unmarked `oneOf` has the shape of a key-tagged union (every member an object
/// requiring one property of its own, all different): a hint for its warning.
pub(super) fn has_the_shape<'a>(cx: &mut Context<'a>, pointer: &str, schema: &'a Schema) -> bool {
    let view = View::new(schema);
    if view.one_of.len() < 2 || view.data.discriminator.is_some() {
        return false;
    }
    let mut keys = Vec::new();
    for (i, member) in view.one_of.iter().enumerate() {
        let Some((_, s)) = cx.resolve(*member, &format!("{pointer}/oneOf/{i}")) else {
            return false;
        };
        match key_of(s) {
            Ok((key, _)) if !keys.contains(&key) => keys.push(key),
            _ => return false,
        }
    }
    true
}
