//! Checks of every schema in the document: each is visited once, by pointer, whether an
//! operation reaches it or not, and asked the same questions conversion asks (so a problem
//! in a used schema is reported once, with the same words, by whichever pass meets it first).

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Schema, SchemaKind, Type};
use rustc_hash::FxHashSet as HashSet;
use serde_json::Value;

use super::super::context::Context;
use super::super::memo::Class;
use super::super::pointer::mapping_site;
use super::super::problems::{not_an_object_type, unknown_type, variant_not_an_object, variant_without_tag, TYPES};
use super::super::view::{Extra, RefOr, View};
use crate::diag::Diagnostic;
use crate::load::rules;
use crate::locate::escape_segment;
use crate::suggest;

/// Formats that change the Rust type; every other string format leaves a `String` (email,
/// uuid, uri, byte, binary ... are still strings on the wire: no effect on the client).
const INTEGER_FORMATS: [&str; 2] = ["int32", "int64"];
const NUMBER_FORMATS: [&str; 2] = ["float", "double"];

/// Visits every schema under `root` (a `$ref` or an inline schema at `pointer`).
pub(super) struct Schemas<'c, 'a> {
    pub cx: &'c mut Context<'a>,
    seen: HashSet<String>,
    /// For each inline `allOf` member, the properties of the schema it is a member of: its
    /// `required` may name any of them (the members' lists are merged).
    merged: BTreeMap<String, Vec<String>>,
}

impl<'c, 'a> Schemas<'c, 'a> {
    pub fn new(cx: &'c mut Context<'a>) -> Self {
        Schemas {
            cx,
            seen: HashSet::default(),
            merged: BTreeMap::new(),
        }
    }

    /// Checks the schema at `pointer` and everything inline in it; a `$ref` is resolved (and
    /// reported if it does not resolve) but its target is checked where it is defined.
    pub fn visit(&mut self, r: RefOr<'a>, pointer: &str) {
        let schema = match r {
            RefOr::Ref(reference) => {
                self.cx.resolve_ref(reference, &format!("{pointer}/$ref"));
                return;
            }
            RefOr::Item(schema) => schema,
        };
        if !self.seen.insert(pointer.to_owned()) {
            return;
        }
        self.check(pointer, schema);
        let view = View::new(schema);
        if !view.all_of.is_empty() {
            let names: Vec<String> = self
                .cx
                .all_props(pointer, schema)
                .iter()
                .map(|p| p.wire.clone())
                .collect();
            for i in 0..view.all_of.len() {
                self.merged.insert(format!("{pointer}/allOf/{i}"), names.clone());
            }
        }
        for (name, prop) in &view.properties {
            self.visit(*prop, &format!("{pointer}/properties/{}", escape_segment(name)));
        }
        for (child, child_pointer) in view.inline_children(pointer) {
            self.visit(child, &child_pointer);
        }
        // `inline_children` lists `oneOf` or else `anyOf`; a schema may have both.
        if !view.one_of.is_empty() {
            for (i, member) in view.any_of.iter().enumerate() {
                self.visit(*member, &format!("{pointer}/anyOf/{i}"));
            }
        }
        if let Some(not) = view.not {
            self.visit(not, &format!("{pointer}/not"));
        }
    }

    fn check(&mut self, pointer: &str, schema: &'a Schema) {
        let view = View::new(schema);
        let class = self.cx.classify(pointer, schema);
        match (class, view.typ) {
            (Class::Struct, Some(typ)) if typ != "object" => self.cx.report(not_an_object_type(pointer, typ)),
            (_, Some(typ)) if !TYPES.contains(&typ) => self.cx.report(unknown_type(pointer, typ)),
            _ => {}
        }
        self.enum_values(pointer, schema, &view, class);
        self.pattern(pointer, &view, class);
        self.format(pointer, &view);
        self.nullable_members(pointer, &view);
        self.stream_pipeline(pointer, &view);
        // A mark that cannot key anything (no `oneOf`, not a boolean) is reported however the
        // schema is classified.
        for problem in self.cx.keyed_members(pointer, schema).1 {
            self.cx.report(problem);
        }
        match class {
            Class::Union => self.union(pointer, &view),
            Class::Struct => self.object(pointer, schema, &view),
            Class::Inline if view.members().count() > 1 => {
                let key = view.members_key();
                let help = if crate::lower::keyed::has_the_shape(self.cx, pointer, schema) {
                    "each member is an object requiring one property of its own: mark the `oneOf` `x-key-tagged: true` to make it a key-tagged union (a variant per member, keyed by that property)"
                } else {
                    "add a `discriminator` (a property whose value names the alternative) so each becomes a variant, or list only string enums"
                };
                self.cx.report(Diagnostic::warning(
                    format!("{pointer}/{key}"),
                    format!(
                        "`{key}` without a `discriminator` becomes `serde_json::Value`: the alternatives are not typed"
                    ),
                    help,
                ));
            }
            _ => {}
        }
        // (A key-tagged mark beside a discriminator is an error of its own, reported above.)
        if view.data.discriminator.is_some() && !matches!(class, Class::Union | Class::KeyedUnion) {
            self.cx.report(rules::warning(
                "OAS-4.7.25-composite-only",
                format!("{pointer}/discriminator"),
                "a `discriminator` without `oneOf`, `anyOf` or `mapping` is ignored: there are no alternatives to choose from",
                "list the alternatives in `oneOf` (each a `$ref` to an object schema), or drop the discriminator",
            ));
        }
    }

    /// Enum values that would vanish: a non-string among strings, `null` without `nullable`.
    fn enum_values(&mut self, pointer: &str, schema: &Schema, view: &View<'a>, class: Class) {
        let values = enum_values(schema);
        if values.is_empty() {
            return;
        }
        let stringly = matches!(view.typ, None | Some("string"));
        let mut seen = BTreeSet::new();
        for (i, value) in values.iter().enumerate() {
            let at = format!("{pointer}/enum/{i}");
            match value {
                Value::Null if !view.data.nullable => self.cx.report(Diagnostic::warning(
                    at,
                    "`null` is listed in `enum`, but the schema is not `nullable`: OpenAPI 3.0 does not allow the value, and the client cannot decode it",
                    "add `nullable: true` to the schema (then `null` is a value of the field), or drop `null` from the list",
                )),
                Value::Null => {}
                Value::String(_) if !stringly => self.cx.report(Diagnostic::new(
                    at,
                    format!("enum value {value} is a string, but the schema's type is `{}`", view.typ.unwrap_or_default()),
                    "make every value match the type (or change `type` to `string`)",
                )),
                Value::String(_) => {}
                other if stringly && (class == Class::Enum || !view.enum_strings.is_empty()) => self.cx.report(Diagnostic::new(
                    at,
                    format!("enum value `{other}` is not a string: a string enum cannot hold it, so it would be lost"),
                    format!("quote it (`'{other}'`) if the API sends it as a string; a list of numbers needs `type: integer` or `type: number`"),
                )),
                _ => {}
            }
            if !value.is_null() && !seen.insert(value.to_string()) {
                self.cx.report(rules::warning(
                    "JSV-5.20-enum-unique",
                    format!("{pointer}/enum/{i}"),
                    format!("enum value {value} is listed twice"),
                    "remove the repetition",
                ));
            }
        }
    }

    /// A `pattern` that cannot be checked would silently turn validation off.
    fn pattern(&mut self, pointer: &str, view: &View<'a>, class: Class) {
        let (Some(pattern), Some("string")) = (view.pattern, view.typ) else {
            return;
        };
        if class == Class::Enum {
            return;
        }
        let Some(reason) = self.cx.pattern_error(pattern) else {
            return;
        };
        let reason = reason.to_owned();
        let reason = reason
            .lines()
            .last()
            .unwrap_or_default()
            .trim()
            .trim_start_matches("error: ");
        // A valid expression that uses what regex-lite leaves out is legal: the type stays a
        // plain string (lossy). Anything else is no regular expression at all.
        if reason.contains("not supported") {
            self.cx.report(Diagnostic::warning(
                format!("{pointer}/pattern"),
                format!("`pattern: '{pattern}'` cannot be checked by the client ({reason}): the value is a plain `String`, not validated"),
                "rewrite the expression without look-around, backreferences or `\\p{..}` classes to have it checked, or leave the check to the server",
            ));
        } else {
            self.cx.report(rules::error(
                "OAS-4.7.24-pattern-ecma",
                format!("{pointer}/pattern"),
                format!("`pattern: '{pattern}'` is not a valid regular expression ({reason}): the value would go unvalidated"),
                "fix the expression (ECMA-262 syntax), or drop `pattern` to accept any string",
            ));
        }
    }

    /// Integer and number formats the client does not know are decoded as `i64` and `f64`.
    fn format(&mut self, pointer: &str, view: &View<'a>) {
        let known: &[&str] = match view.typ {
            Some("integer") => &INTEGER_FORMATS,
            Some("number") => &NUMBER_FORMATS,
            _ => return,
        };
        if let Some(format) = view.format.filter(|f| !known.contains(f)) {
            let (rust, typ) = if view.typ == Some("integer") {
                ("i64", "integer")
            } else {
                ("f64", "number")
            };
            self.cx.report(Diagnostic::warning(
                format!("{pointer}/format"),
                format!("`format: {format}` is not a format the client knows for an {typ}: it is read as `{rust}`, which may not hold every value"),
                format!("{}use one of {}, or leave `format` out", suggest::did_you_mean(format, known.iter().copied()), known.join(", ")),
            ));
        }
    }

    /// `nullable` on a list's items or a map's values: Rust's `Vec<T>` and maps hold no null,
    /// so a null item would fail to decode.
    fn nullable_members(&mut self, pointer: &str, view: &View<'a>) {
        let mut members = Vec::new();
        members.extend(view.items.map(|i| (i, format!("{pointer}/items"))));
        if let Some(Extra::Schema(values)) = view.additional {
            members.push((values, format!("{pointer}/additionalProperties")));
        }
        for (member, at) in members {
            if let RefOr::Item(s) = member {
                if s.schema_data.nullable {
                    self.cx.report(Diagnostic::warning(
                        format!("{at}/nullable"),
                        "`nullable` items or values are not represented: the list or map holds no `null`, so a null entry fails to decode",
                        "drop `nullable: true` here if the API never sends null entries (or make the whole list or map nullable)",
                    ));
                }
            }
        }
    }

    /// `x-stream-pipeline` marks a list of key-tagged stages (its items a key-tagged union):
    /// the runtime reads the marked property of a request body as stages.
    fn stream_pipeline(&mut self, pointer: &str, view: &View<'a>) {
        use crate::lower::atlas::STREAM_PIPELINE;
        let Some(mark) = view.data.extensions.get(STREAM_PIPELINE) else {
            return;
        };
        let stages = view
            .items
            .and_then(|items| self.cx.resolve(items, &format!("{pointer}/items")));
        let keyed = stages.is_some_and(|(p, s)| self.cx.classify(&p, s) == Class::KeyedUnion);
        let problem = match (mark, view.typ) {
            (serde_json::Value::Bool(true), Some("array")) if keyed => return,
            (serde_json::Value::Bool(false), _) => return,
            (serde_json::Value::Bool(true), Some("array")) => {
                "its `items` are no key-tagged union (`x-key-tagged: true`)"
            }
            (serde_json::Value::Bool(true), _) => "it is not a list (`type: array`)",
            _ => "its value is not a boolean",
        };
        self.cx.report(Diagnostic::new(
            format!("{pointer}/{STREAM_PIPELINE}"),
            format!("`{STREAM_PIPELINE}` marks a property that cannot be a stream processing pipeline: {problem}"),
            "mark a list whose items are the key-tagged union of the stages (`type: array, items: {$ref: ...}`), or remove the mark",
        ));
    }

    /// A discriminated union: every variant an object with the tag, in the alternatives,
    /// with a tag of its own.
    fn union(&mut self, pointer: &str, view: &View<'a>) {
        let Some(discriminator) = &view.data.discriminator else {
            return;
        };
        let tag = &discriminator.property_name;
        let members: Vec<String> = view
            .members()
            .filter_map(|m| match m {
                RefOr::Ref(r) => Some(r.to_owned()),
                RefOr::Item(_) => None,
            })
            .collect();
        let mut by_tag: BTreeMap<String, String> = BTreeMap::new();
        for (tag_value, target) in view.variants() {
            let site = mapping_site(pointer, &tag_value);
            if let Some(first) = by_tag.insert(tag_value.clone(), target.clone()) {
                self.cx.report(Diagnostic::new(
                    site.clone(),
                    format!("the tag value `{tag_value}` names both `{first}` and `{target}`: only the first could ever be decoded"),
                    "give each alternative its own tag value in `discriminator.mapping`",
                ));
            }
            let Some((p, s)) = self.cx.resolve_ref(&target, &site) else {
                continue;
            };
            if !members.is_empty() && !members.contains(&target) && view.has_mapping() {
                let names = members.iter().filter_map(|m| m.rsplit('/').next());
                let hint = suggest::did_you_mean(target.rsplit('/').next().unwrap_or_default(), names);
                self.cx.report(rules::error(
                    "OAS-4.7.25-all-listed",
                    site.clone(),
                    format!(
                        "`{tag_value}` maps to `{target}`, which is not one of the `{}` alternatives",
                        view.members_key()
                    ),
                    format!(
                        "{hint}add `- $ref: '{target}'` to `{}`, or map the tag to one of its alternatives",
                        view.members_key()
                    ),
                ));
            }
            if self.cx.classify(&p, s) != Class::Struct {
                self.cx.report(variant_not_an_object(&site, &tag_value, &target));
                continue;
            }
            if !self.cx.all_props(&p, s).iter().any(|prop| prop.wire == *tag) {
                self.cx.report(variant_without_tag(&site, &tag_value, &target, tag));
            }
        }
    }

    /// An object: `required` names real properties; `allOf` members agree on each property's
    /// type; no property is both readOnly and writeOnly.
    fn object(&mut self, pointer: &str, schema: &'a Schema, view: &View<'a>) {
        let props = self.cx.all_props(pointer, schema);
        let mut names: Vec<&str> = props.iter().map(|p| p.wire.as_str()).collect();
        if let Some(enclosing) = self.merged.get(pointer) {
            names.extend(enclosing.iter().map(String::as_str));
        }
        let open = matches!(view.additional, Some(Extra::Schema(_)));
        for (i, required) in view.required.iter().enumerate() {
            if !open && !names.contains(required) {
                let hint = suggest::did_you_mean(required, names.iter().copied());
                self.cx.report(Diagnostic::new(
                    format!("{pointer}/required/{i}"),
                    format!("`required` lists `{required}`, but the schema has no such property: the client could never send or read it"),
                    format!("{hint}declare `{required}` under `properties`, or remove it from `required`"),
                ));
            }
        }
        for prop in &props {
            if prop.read_only && prop.write_only && prop.pointer.starts_with(pointer) {
                self.cx.report(rules::error(
                    "OAS-4.7.24-read-write",
                    prop.pointer.clone(),
                    format!("property `{}` is both `readOnly` and `writeOnly`: it would exist in neither the request nor the response type", prop.wire),
                    "keep one of the two (OpenAPI 3.0 forbids both)",
                ));
            }
        }
        self.all_of_conflicts(pointer, view);
    }

    /// Two `allOf` members giving one property different JSON types: no value satisfies both,
    /// and the struct could only keep one.
    fn all_of_conflicts(&mut self, pointer: &str, view: &View<'a>) {
        if view.all_of.len() < 2 && (view.all_of.is_empty() || view.properties.is_empty()) {
            return;
        }
        let mut sources: Vec<(String, RefOr<'a>)> = Vec::new();
        for (i, member) in view.all_of.iter().enumerate() {
            let inline = format!("{pointer}/allOf/{i}");
            if let Some((p, s)) = self.cx.resolve(*member, &inline) {
                for prop in self.cx.all_props(&p, s) {
                    sources.push((prop.pointer, prop.schema));
                }
            }
        }
        for (name, prop) in &view.properties {
            sources.push((format!("{pointer}/properties/{}", escape_segment(name)), *prop));
        }
        let mut first: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
        for (at, schema) in sources {
            let wire = at
                .rsplit('/')
                .next()
                .map(super::super::pointer::unescape)
                .unwrap_or_default();
            let Some(kind) = self.json_type(schema, &at) else {
                continue;
            };
            match first.get(&wire) {
                Some((before, kind_before)) if *kind_before != kind => {
                    let before = before.clone();
                    let kind_before = *kind_before;
                    self.cx.report(Diagnostic::new(
                        at,
                        format!("property `{wire}` is `{kind}` here but `{kind_before}` at {before}: no value is both, and the generated struct could keep only one"),
                        "give the property one type in every `allOf` member (or rename one of them)",
                    ));
                }
                Some(_) => {}
                None => {
                    first.insert(wire, (at, kind));
                }
            }
        }
    }

    /// The JSON type a schema describes, when it says.
    fn json_type(&mut self, r: RefOr<'a>, at: &str) -> Option<&'static str> {
        let (p, s) = self.cx.resolve(r, at)?;
        let view = View::new(s);
        if let Some(typ) = view.typ {
            return TYPES.into_iter().find(|t| *t == typ);
        }
        match self.cx.classify(&p, s) {
            Class::Struct | Class::Union | Class::KeyedUnion => Some("object"),
            Class::Enum | Class::Pattern => Some("string"),
            Class::Inline => None,
        }
    }
}

/// Every `enum` value of a schema as JSON (`null` included).
fn enum_values(schema: &Schema) -> Vec<Value> {
    fn all<T: Clone + Into<Value>>(values: &[Option<T>]) -> Vec<Value> {
        values
            .iter()
            .map(|v| v.clone().map_or(Value::Null, Into::into))
            .collect()
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => all(&s.enumeration),
        SchemaKind::Type(Type::Integer(i)) => all(&i.enumeration),
        SchemaKind::Type(Type::Number(n)) => all(&n.enumeration),
        SchemaKind::Type(Type::Boolean(b)) => all(&b.enumeration),
        SchemaKind::Any(any) => any.enumeration.clone(),
        _ => Vec::new(),
    }
}
