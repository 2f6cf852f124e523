//! Pass 3 for schemas: every named form becomes a `TypeDef`; every use a `TypeRef`.

use std::collections::HashSet;

use openapiv3::Schema;

use super::context::Context;
use super::discover::Discovery;
use super::doc;
use super::forms::Dir;
use super::idents::Namer;
use super::memo::Class;
use super::naming::Names;
use super::pointer::mapping_site;
use super::problems::{not_an_object_type, unknown_type, variant_not_an_object, variant_without_tag};
use super::view::{Extra, RefOr, View};
use crate::diag::Diagnostic;
use crate::ir::{
    EnumValue, Field, KeyedUnion, KeyedVariant, PatternNewtype, Presence, StringEnum, StructDef, TaggedUnion, TypeDef,
    TypeKind, TypeRef, Variant,
};
use crate::members::model as member;

/// Pass 3 for schemas: converts every discovered form into a type definition, in form order.
pub(super) fn convert<'a>(cx: &mut Context<'a>, discovery: &Discovery<'a>, names: &Names) -> Vec<TypeDef> {
    let mut converter = Converter {
        cx,
        types: TypeRefs::new(names),
    };
    let mut emitted = HashSet::new();
    let mut out = Vec::new();
    for key in &discovery.forms {
        let Some(name) = names.get(key) else {
            continue;
        };
        // Pattern newtypes with the same name and pattern are one type.
        if !emitted.insert(name) {
            continue;
        }
        let Some(found) = discovery.schemas.get(&key.pointer) else {
            continue;
        };
        let schema = found.schema;
        let dir = key.dir.unwrap_or(Dir::Response);
        let kind = match found.class {
            Class::Struct => {
                if let Some(other) = View::new(schema).typ.filter(|t| *t != "object") {
                    converter.cx.report(not_an_object_type(&key.pointer, other));
                }
                // Setters only where a caller builds values: the types of requests. A response
                // type is built (in tests, say) with `new` and its public fields; its thousands of
                // setters in a large spec would cost compile time for nothing.
                let setters =
                    key.dir == Some(Dir::Request) || (key.dir.is_none() && found.usage.contains(&Dir::Request));
                TypeKind::Struct(converter.convert_struct(&key.pointer, schema, key.dir, setters))
            }
            Class::Union => TypeKind::TaggedUnion(converter.convert_union(&key.pointer, schema, dir)),
            Class::KeyedUnion => TypeKind::KeyedUnion(converter.convert_keyed(&key.pointer, schema, dir)),
            Class::Enum => {
                // Inline enums sharing a title are one type holding the values of all of them.
                let titled = names.titled(name);
                let pointers: Vec<(&str, &'a Schema)> = if titled.is_empty() {
                    vec![(key.pointer.as_str(), schema)]
                } else {
                    titled
                        .iter()
                        .filter_map(|p| discovery.schemas.get(p).map(|f| (p.as_str(), f.schema)))
                        .collect()
                };
                TypeKind::StringEnum(converter.convert_enum(&pointers))
            }
            Class::Pattern => TypeKind::Pattern(PatternNewtype {
                pattern: View::new(schema).pattern.unwrap_or_default().to_owned(),
            }),
            Class::Inline => continue,
        };
        let data = &schema.schema_data;
        let fallback = match &kind {
            TypeKind::Pattern(p) => format!("A string matching `{}`.", p.pattern),
            _ => format!("The `{}` schema of the spec.", found.base_name),
        };
        out.push(TypeDef {
            doc: doc::clean(data.description.as_deref().or(data.title.as_deref())).or(Some(fallback)),
            name: name.to_owned(),
            deprecated: data.deprecated,
            origin: key.pointer.clone(),
            kind,
            conversions: Vec::new(),
        });
    }
    out
}

/// What converting the named forms needs: the context, and the type of each use.
struct Converter<'c, 'a, 'n> {
    cx: &'c mut Context<'a>,
    types: TypeRefs<'n>,
}

impl<'a> Converter<'_, 'a, '_> {
    fn convert_struct(&mut self, pointer: &str, schema: &'a Schema, dir: Option<Dir>, setters: bool) -> StructDef {
        let mut namer = Namer::default();
        let mut fields = Vec::new();
        for prop in self.cx.struct_props(pointer, schema) {
            if (dir == Some(Dir::Request) && prop.read_only) || (dir == Some(Dir::Response) && prop.write_only) {
                continue;
            }
            let Some((_, target)) = self.cx.resolve(prop.schema, &prop.pointer) else {
                continue;
            };
            let target_view = View::new(target);
            // The property node itself (not the referenced component) carries the doc text.
            let own = match prop.schema {
                RefOr::Item(s) => Some(&s.schema_data),
                RefOr::Ref(_) => None,
            };
            let secret = target_view.typ == Some("string")
                && target_view.enum_strings.is_empty()
                && (prop.write_only || target_view.format == Some("password"));
            let ty = if secret {
                TypeRef::Secret
            } else {
                self.types
                    .type_ref(self.cx, prop.schema, &prop.pointer, dir.unwrap_or(Dir::Response))
            };
            let nullable = target.schema_data.nullable;
            let presence = match (prop.required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            fields.push(Field {
                name: namer.claim(&self.cx.idents.field_name(&prop.wire)),
                wire_name: prop.wire.clone(),
                ty,
                presence,
                boxed: false,
                // A `$ref` property has no text of its own: the referenced schema's text describes it.
                doc: doc::clean(own.and_then(|d| d.description.as_deref()))
                    .or_else(|| doc::clean(target.schema_data.description.as_deref()))
                    .or_else(|| Some(format!("The `{}` property.", prop.wire))),
                deprecated: own.is_some_and(|d| d.deprecated),
                setter: None,
            });
        }
        let view = View::new(schema);
        let open = match view.additional {
            Some(Extra::Schema(values)) => {
                self.extra_values_are_json(pointer, values, dir);
                true
            }
            Some(Extra::Any) => true,
            Some(Extra::None) | None => false,
        };
        let extra_field = if namer.is_taken(member::EXTRA) {
            namer.claim(member::EXTRA_FALLBACK)
        } else {
            namer.claim(member::EXTRA)
        };
        if setters {
            name_setters(&mut fields);
        }
        StructDef {
            default: fields.iter().all(|f| f.presence != Presence::Required),
            fields,
            extra_field,
            open,
            // Decided for all structs at once, from where they are used (`order::mark`).
            order_field: None,
        }
    }

    /// A struct keeps the properties besides its fields as JSON values: exact when the spec's
    /// `additionalProperties` is free-form, a loss of typing (reported) when it is a typed schema.
    fn extra_values_are_json(&mut self, pointer: &str, values: RefOr<'a>, dir: Option<Dir>) {
        let at = format!("{pointer}/additionalProperties");
        let ty = self.types.type_ref(self.cx, values, &at, dir.unwrap_or(Dir::Response));
        if !matches!(ty, TypeRef::Json | TypeRef::JsonObject) {
            let what = match &ty {
                TypeRef::Named(name) => format!("`{name}`"),
                _ => "a typed schema".to_owned(),
            };
            self.cx.report(Diagnostic::warning(
                at,
                format!("an object with properties and `additionalProperties` of {what}: the other properties are kept as JSON values, not as that type"),
                "describe the values with a free-form schema (`additionalProperties: {}`) to say so, or list them as properties",
            ));
        }
    }

    fn convert_union(&mut self, pointer: &str, schema: &'a Schema, dir: Dir) -> TaggedUnion {
        let view = View::new(schema);
        let tag = view
            .data
            .discriminator
            .as_ref()
            .map(|d| d.property_name.clone())
            .unwrap_or_default();
        let mut namer = variant_namer();
        let mut variants = Vec::new();
        for (tag_value, target) in view.variants() {
            let site = mapping_site(pointer, &tag_value);
            let Some((p, s)) = self.cx.resolve_ref(&target, &site) else {
                continue;
            };
            if self.cx.classify(&p, s) != Class::Struct {
                self.cx.report(variant_not_an_object(&site, &tag_value, &target));
                continue;
            }
            if !self.cx.all_props(&p, s).iter().any(|prop| prop.wire == tag) {
                self.cx.report(variant_without_tag(&site, &tag_value, &target, &tag));
            }
            let key = self.cx.form_key(&p, s, dir);
            let Some(ty) = self.types.names.get(&key) else {
                continue;
            };
            variants.push(Variant {
                name: variant_name(&mut namer, self.cx.idents.type_name(&tag_value)),
                tag_value,
                ty: ty.to_owned(),
                boxed: false,
                wraps: false,
            });
        }
        // `From<Variant's struct>` wraps a value in its variant, where that says which one: the
        // struct is carried by no other variant (and is not the union itself).
        let union_name = self
            .types
            .names
            .get(&self.cx.form_key(pointer, schema, dir))
            .unwrap_or_default();
        let types: Vec<&String> = variants.iter().map(|v| &v.ty).collect();
        let wraps = sole_carriers(&types, |ty| ty != union_name);
        for (variant, wraps) in variants.iter_mut().zip(wraps) {
            variant.wraps = wraps;
        }
        let unknown_variant = UNKNOWN.to_owned();
        TaggedUnion {
            tag,
            variants,
            unknown_variant,
        }
    }

    /// A key-tagged union: one variant per member that fits the rules (the others are reported
    /// by `check`), each holding its key's value.
    fn convert_keyed(&mut self, pointer: &str, schema: &'a Schema, dir: Dir) -> KeyedUnion {
        if self.cx.has_parts(pointer, schema) {
            // Its request and response forms would need conversions between them, which
            // nothing generates for key-tagged unions yet: refused rather than half done.
            self.cx.report(Diagnostic::new(
                pointer,
                "unsupported construct: a key-tagged union whose values differ between requests and responses (a `readOnly` or `writeOnly` property inside them)",
                "keep readOnly and writeOnly properties out of the members' values (a pipeline stage is the same both ways)",
            ));
        }
        let (members, _) = self.cx.keyed_members(pointer, schema);
        let mut namer = variant_namer();
        let mut variants: Vec<KeyedVariant> = Vec::new();
        for member in members {
            let ty = self.types.type_ref(self.cx, member.value, &member.value_pointer, dir);
            let value_doc = self
                .cx
                .resolve(member.value, &member.value_pointer)
                .and_then(|(_, s)| s.schema_data.description.as_deref());
            let ident = super::discover::variant_ident(&mut self.cx.idents, &member.key);
            variants.push(KeyedVariant {
                name: variant_name(&mut namer, ident),
                doc: doc::clean(member.doc.or(value_doc)),
                key: member.key,
                ty,
                boxed: false,
                wraps: false,
            });
        }
        // `From<value>` where that says which variant: a named type no other variant carries.
        let union_name = self
            .types
            .names
            .get(&self.cx.form_key(pointer, schema, dir))
            .unwrap_or_default();
        let types: Vec<&TypeRef> = variants.iter().map(|v| &v.ty).collect();
        let wraps = sole_carriers(&types, |ty| matches!(ty, TypeRef::Named(n) if n != union_name));
        for (variant, wraps) in variants.iter_mut().zip(wraps) {
            variant.wraps = wraps;
        }
        KeyedUnion {
            variants,
            unknown_variant: UNKNOWN.to_owned(),
        }
    }

    /// One enum from the values of `schemas` (several for a shared title), first seen first.
    fn convert_enum(&mut self, schemas: &[(&str, &'a Schema)]) -> StringEnum {
        let mut wires = Vec::new();
        for (pointer, schema) in schemas {
            wires.extend(self.enum_wires(pointer, schema));
        }
        let mut namer = variant_namer();
        let mut seen = HashSet::new();
        let values = wires
            .into_iter()
            .filter(|(wire, _)| seen.insert(wire.clone()))
            .map(|(wire, doc)| EnumValue {
                name: variant_name(&mut namer, self.cx.idents.type_name(&wire)),
                wire,
                doc,
            })
            .collect();
        StringEnum {
            values,
            unknown_variant: UNKNOWN.to_owned(),
            shared: None,
        }
    }

    /// The values of one enum schema, with the doc of the `oneOf` member each came from.
    fn enum_wires(&mut self, pointer: &str, schema: &'a Schema) -> Vec<(String, Option<String>)> {
        let view = View::new(schema);
        let mut wires: Vec<(String, Option<String>)> =
            view.enum_strings.iter().map(|v| ((*v).to_owned(), None)).collect();
        // A oneOf of string enums (regions per cloud provider) is one enum with every value; each
        // value's doc names the member it came from.
        let member_list: Vec<RefOr<'a>> = view.members().collect();
        for (i, member) in member_list.into_iter().enumerate() {
            let inline = format!("{pointer}/{}/{i}", view.members_key());
            let Some((_, s)) = self.cx.resolve(member, &inline) else {
                continue;
            };
            let member_view = View::new(s);
            let member_doc = doc::clean(s.schema_data.description.as_deref().or(s.schema_data.title.as_deref()));
            wires.extend(
                member_view
                    .enum_strings
                    .iter()
                    .map(|v| ((*v).to_owned(), member_doc.clone())),
            );
        }
        wires
    }
}

/// The Rust type of each use of a schema (a field, parameter or body), by the names pass 2
/// gave the forms. Conversion of types and of operations both ask it.
pub(super) struct TypeRefs<'n> {
    names: &'n Names,
    /// Inline schemas whose type is being computed, to stop self-referencing aliases.
    in_progress: HashSet<String>,
}

impl<'n> TypeRefs<'n> {
    /// Types by these names.
    pub fn new(names: &'n Names) -> Self {
        TypeRefs {
            names,
            in_progress: HashSet::new(),
        }
    }

    /// The Rust type of a schema used in direction `dir`.
    pub fn type_ref<'a>(&mut self, cx: &mut Context<'a>, r: RefOr<'a>, inline: &str, dir: Dir) -> TypeRef {
        let Some((pointer, schema)) = cx.resolve(r, inline) else {
            return TypeRef::Json;
        };
        match cx.classify(&pointer, schema) {
            Class::Inline => {
                // A schema that is only a list, map or alias of itself has no finite Rust type;
                // JSON keeps every value of it.
                if !self.in_progress.insert(pointer.clone()) {
                    return TypeRef::Json;
                }
                let ty = self.inline_type(cx, &pointer, schema, dir);
                self.in_progress.remove(&pointer);
                ty
            }
            _ => {
                let key = cx.form_key(&pointer, schema, dir);
                match self.names.get(&key) {
                    Some(name) => TypeRef::Named(name.to_owned()),
                    None => {
                        cx.report(Diagnostic::new(
                            pointer,
                            "generator bug: this schema was used but never named",
                            "please report this with the spec that triggers it",
                        ));
                        TypeRef::Json
                    }
                }
            }
        }
    }

    /// Types that need no definition of their own: primitives, lists, maps, free-form JSON,
    /// and schemas that only wrap another one (`allOf: [$ref X]`, a single-member `oneOf`).
    /// The type of a value whose schema is an `allOf` of schemas that are no object: the members
    /// that say what the value is (a `$ref`, a `type`, `format`, `enum`, `items`) must agree;
    /// members that only annotate it (a description, `nullable`) add nothing. Members that
    /// disagree are reported: an error where no value satisfies them (two different `type`s), a
    /// warning where the client keeps only the first (say, a `format` in a member of its own).
    fn all_of_type<'a>(&mut self, cx: &mut Context<'a>, pointer: &str, members: &[RefOr<'a>], dir: Dir) -> TypeRef {
        let says_what = |member: &RefOr<'a>| match member {
            RefOr::Ref(_) => true,
            RefOr::Item(schema) => {
                let view = View::new(schema);
                view.typ.is_some() || view.format.is_some() || !view.enum_strings.is_empty() || view.items.is_some()
            }
        };
        let explicit_type = |member: &RefOr<'a>| match member {
            RefOr::Item(schema) => View::new(schema).typ,
            RefOr::Ref(_) => None,
        };
        let mut typed: Vec<(usize, TypeRef)> = Vec::new();
        for (i, member) in members.iter().enumerate().filter(|(_, m)| says_what(m)) {
            typed.push((i, self.type_ref(cx, *member, &format!("{pointer}/allOf/{i}"), dir)));
        }
        let Some((first, ty)) = typed.first().cloned() else {
            return self.type_ref(cx, members[0], &format!("{pointer}/allOf/0"), dir);
        };
        if let Some((other, other_ty)) = typed.iter().find(|(_, t)| *t != ty) {
            let types: Vec<&str> = members.iter().filter_map(explicit_type).collect();
            let at = format!("{pointer}/allOf/{other}");
            let spell = |t: &TypeRef| crate::rust_type::RustType::of(t).api_text();
            let message = format!(
                "`allOf` members {first} and {other} say different things about one value (`{}` and `{}`)",
                spell(&ty),
                spell(other_ty)
            );
            cx.report(if types.windows(2).any(|w| w[0] != w[1]) {
                Diagnostic::new(at, format!("{message}: no value is both"), "give the value one type")
            } else {
                Diagnostic::warning(
                    at,
                    format!("{message}: the client uses member {first}'s"),
                    "merge the members into one schema (a `type` with its `format`, say)",
                )
            });
        }
        ty
    }

    fn inline_type<'a>(&mut self, cx: &mut Context<'a>, pointer: &str, schema: &'a Schema, dir: Dir) -> TypeRef {
        let view = View::new(schema);
        let member_list: Vec<RefOr<'a>> = view.members().collect();
        if member_list.len() == 1 {
            return self.type_ref(cx, member_list[0], &format!("{pointer}/{}/0", view.members_key()), dir);
        }
        if member_list.len() > 1 {
            // Alternatives without a discriminator: keep the value as JSON so nothing is lost.
            return TypeRef::Json;
        }
        if !view.all_of.is_empty() {
            return self.all_of_type(cx, pointer, &view.all_of, dir);
        }
        match view.typ {
            Some("string") => match view.format {
                Some("date-time") => TypeRef::DateTime,
                Some("date") => TypeRef::Date,
                Some("password") => TypeRef::Secret,
                _ => TypeRef::String,
            },
            Some("integer") => match view.format {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some("number") => match view.format {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some("boolean") => TypeRef::Bool,
            Some("array") => match view.items {
                Some(items) => TypeRef::List(Box::new(self.type_ref(cx, items, &format!("{pointer}/items"), dir))),
                None => TypeRef::List(Box::new(TypeRef::Json)),
            },
            Some("object") | None => match view.additional {
                Some(Extra::Schema(values)) => {
                    match self.type_ref(cx, values, &format!("{pointer}/additionalProperties"), dir) {
                        // A map of free-form values is a JSON object: keep its key order (an
                        // aggregation stage's keys are ordered) rather than sort it.
                        TypeRef::Json | TypeRef::JsonObject => TypeRef::JsonObject,
                        value => TypeRef::Map(Box::new(value)),
                    }
                }
                _ if view.typ == Some("object") => TypeRef::JsonObject,
                _ => TypeRef::Json,
            },
            Some(other) => {
                cx.report(unknown_type(pointer, other));
                TypeRef::Json
            }
        }
    }
}

/// Names the setter of every optional field: the field's own name, unless it is one of the
/// names a model's members take ([`member::RESERVED`]), then `with_<field>`; unique among the
/// fields either way.
fn name_setters(fields: &mut [Field]) {
    let mut namer = Namer::with_taken(member::RESERVED);
    let bare = |f: &Field| f.name.trim_start_matches("r#").to_owned();
    // Fields are unique, so the ones whose names are free keep them; the others come second.
    for f in fields.iter_mut() {
        if f.presence != Presence::Required && !member::RESERVED.contains(&bare(f).as_str()) {
            f.setter = Some(namer.claim(&f.name));
        }
    }
    for f in fields.iter_mut() {
        if f.presence != Presence::Required && f.setter.is_none() {
            f.setter = Some(namer.claim(&format!("{}{}", member::SETTER_PREFIX, bare(f))));
        }
    }
}

/// The catch-all variant of every enum and union: always `Unknown`. It is reserved before the
/// values are named, so a value `UNKNOWN` (a common state) is `UnknownValue` whether the spec
/// had it from the start or adds it later: adding it never renames the catch-all under a
/// caller's `match`.
const UNKNOWN: &str = "Unknown";

/// For each of a union's variant types, whether a `From` of it may wrap a value in that variant:
/// the type is `eligible` (not the union itself, say) and no other variant carries it.
fn sole_carriers<T: PartialEq>(types: &[&T], eligible: impl Fn(&T) -> bool) -> Vec<bool> {
    types
        .iter()
        .map(|ty| eligible(ty) && types.iter().filter(|other| *other == ty).count() == 1)
        .collect()
}

/// A namer for the variants of one enum or union, the catch-all's name taken.
fn variant_namer() -> Namer {
    Namer::with_taken(&[UNKNOWN])
}

/// The variant name of a value or tag whose Rust spelling is `ident`.
fn variant_name(namer: &mut Namer, ident: String) -> String {
    if ident == UNKNOWN {
        namer.claim("UnknownValue")
    } else {
        namer.claim(&ident)
    }
}
