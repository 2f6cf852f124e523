//! Pass 1: find every schema an operation needs, in which direction it travels, what kind of
//! Rust type it becomes, and the name it would like.

use std::collections::BTreeSet;

use crate::ir::Method;

use openapiv3::{ParameterSchemaOrContent, Schema};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::context::Context;
use super::forms::{Dir, FormKey};
use super::idents::Idents;
use super::memo::Class;
use super::memo::Prop;
use super::pointer::{component_name, mapping_site, unescape, SCHEMAS};
use super::sites::{media, OpSite};
use super::view::{Extra, RefOr, View};

/// What discovery found: every Rust type to generate, and what naming and conversion need to
/// know about the schema behind each.
pub(super) struct Discovery<'a> {
    /// Every form to generate, sorted.
    pub forms: Vec<FormKey>,
    /// Each schema that has a form, by pointer.
    pub schemas: HashMap<String, Found<'a>>,
}

/// A schema that becomes a named Rust type.
pub(super) struct Found<'a> {
    /// The schema.
    pub schema: &'a Schema,
    /// What it becomes (never [`Class::Inline`]).
    pub class: Class,
    /// The name it would like (before `…Request` and collision handling).
    pub base_name: String,
    /// Names that say the same with more context, in order of preference, for when
    /// `base_name` is taken: a parameter's type qualified by its operation
    /// (`ListAlertsStatus`), a property's validated id by its owner (`ClusterGroupId`).
    pub alternatives: Vec<String>,
    /// The directions it is used in.
    pub usage: BTreeSet<Dir>,
    /// The methods of the operations whose whole request body it is (a derived request form
    /// is named by that use when `…Request` is taken).
    pub bodies: BTreeSet<Method>,
}

/// The names a schema would like, best first (see [`Found::alternatives`]).
type Hints = Vec<String>;

/// `hints` with `suffix` added to each (an array's items, a map's values).
fn suffixed(hints: &[String], suffix: &str) -> Hints {
    hints.iter().map(|h| format!("{h}{suffix}")).collect()
}

/// Pass 1: visits the schemas of every operation's parameters, body and success body, in spec
/// order, recording each named form.
pub(super) fn discover<'a>(cx: &mut Context<'a>, sites: &[OpSite<'a>]) -> Discovery<'a> {
    let mut walk = Walk {
        cx,
        schemas: HashMap::default(),
        forms: HashSet::default(),
        inline_visits: HashSet::default(),
        visits: HashSet::default(),
        bodies: HashMap::default(),
    };
    for site in sites {
        walk.operation(site);
    }
    let mut forms: Vec<FormKey> = walk.forms.into_iter().collect();
    forms.sort();
    let mut schemas = walk.schemas;
    for (pointer, methods) in walk.bodies {
        if let Some(found) = schemas.get_mut(&pointer) {
            found.bodies = methods;
        }
    }
    Discovery { forms, schemas }
}

/// The state of the walk; what it finds becomes the [`Discovery`].
struct Walk<'c, 'a> {
    cx: &'c mut Context<'a>,
    schemas: HashMap<String, Found<'a>>,
    forms: HashSet<FormKey>,
    /// Inline schemas already visited, per direction.
    inline_visits: HashSet<(String, Dir)>,
    /// Named schemas already visited, per direction.
    visits: HashSet<(String, Dir)>,
    /// The methods each schema is the whole request body of, by pointer.
    bodies: HashMap<String, BTreeSet<Method>>,
}

impl<'a> Walk<'_, 'a> {
    /// Visits the schemas of one operation's parameters, body and success body.
    fn operation(&mut self, site: &OpSite<'a>) {
        for param in site.params(self.cx) {
            if let ParameterSchemaOrContent::Schema(schema) = &param.data.format {
                let hint = self.cx.idents.type_name(&param.data.name);
                let qualified = format!("{}{hint}", self.cx.idents.type_name(&site.name()));
                self.visit(
                    RefOr::of(schema),
                    &format!("{}/schema", param.pointer),
                    &[hint, qualified],
                    Dir::Request,
                );
            }
        }
        let builder = self.cx.idents.type_name(&site.name());
        if let Some((body, pointer)) = site.request_body(self.cx) {
            if let Some((_, Some(schema), media_pointer)) = media(&body.content, &pointer).chosen {
                let inline = format!("{media_pointer}/schema");
                if let Some((body_pointer, _)) = self.cx.resolve(schema, &inline) {
                    self.bodies.entry(body_pointer).or_default().insert(site.method);
                }
                self.visit(schema, &inline, &[format!("{builder}Body")], Dir::Request);
            }
        }
        if let Some((_, response, pointer)) = site.success_response(self.cx) {
            if let Some((_, Some(schema), media_pointer)) = media(&response.content, &pointer).chosen {
                self.visit(
                    schema,
                    &format!("{media_pointer}/schema"),
                    &[format!("{builder}Response")],
                    Dir::Response,
                );
            }
        }
    }

    /// Visits a schema used in direction `dir`, recording every named form.
    fn visit(&mut self, r: RefOr<'a>, inline: &str, hints: &[String], dir: Dir) {
        if let Some((pointer, schema)) = self.cx.resolve(r, inline) {
            self.visit_resolved(&pointer, schema, hints, dir);
        }
    }

    fn visit_resolved(&mut self, pointer: &str, schema: &'a Schema, hints: &[String], dir: Dir) {
        let class = self.cx.classify(pointer, schema);
        // A component is named after itself; an inline schema after where it is defined (not
        // where it was first reached: a property inherited by ten subtypes is one type, named
        // after the parent that declares it); a validated id after its property (the hints).
        let names: Hints = match (component_name(pointer), class) {
            (Some(name), _) => vec![self.cx.idents.type_name(&name)],
            (None, Class::Pattern) => hints.to_vec(),
            (None, _) => match pointer_name(&mut self.cx.idents, pointer) {
                Some(name) => vec![name],
                None => hints.to_vec(),
            },
        };
        let view = View::new(schema);
        if class == Class::Inline {
            // An alias or list of itself (`items: {$ref: itself}`) is visited once per direction.
            if !self.inline_visits.insert((pointer.to_owned(), dir)) {
                return;
            }
            for (child, child_pointer) in view.inline_children(pointer) {
                let child_hints = if child_pointer.ends_with("/items") {
                    suffixed(&names, "Item")
                } else if child_pointer.ends_with("/additionalProperties") {
                    suffixed(&names, "Value")
                } else {
                    names.clone()
                };
                self.visit(child, &child_pointer, &child_hints, dir);
            }
            return;
        }
        let key = self.cx.form_key(pointer, schema, dir);
        let base = names.first().cloned().unwrap_or_default();
        // The first visit names the schema: a validated id is named after the property it was
        // first reached through.
        self.schemas
            .entry(pointer.to_owned())
            .or_insert_with(|| Found {
                schema,
                class,
                base_name: base.clone(),
                alternatives: names.get(1..).unwrap_or_default().to_vec(),
                usage: BTreeSet::new(),
                bodies: BTreeSet::new(),
            })
            .usage
            .insert(dir);
        self.forms.insert(key);
        // Each schema's parts are visited once per direction, not once per form: a schema that
        // looks the same both ways is one form, but what it contains is used in requests too
        // (which decides where setters go) only if it is also walked as part of a request.
        if !self.visits.insert((pointer.to_owned(), dir)) {
            return;
        }
        match class {
            Class::Struct => {
                for prop in self.cx.struct_props(pointer, schema) {
                    if (dir == Dir::Request && prop.read_only) || (dir == Dir::Response && prop.write_only) {
                        continue;
                    }
                    let hints = self.prop_hints(&prop);
                    self.visit(prop.schema, &prop.pointer, &hints, dir);
                }
                if let Some(Extra::Schema(extra)) = view.additional {
                    self.visit(
                        extra,
                        &format!("{pointer}/additionalProperties"),
                        &[format!("{base}Value")],
                        dir,
                    );
                }
            }
            Class::Union => {
                for (tag, target) in view.variants() {
                    if let Some((p, s)) = self.cx.resolve_ref(&target, &mapping_site(pointer, &tag)) {
                        let hint = format!("{base}{}", self.cx.idents.type_name(&tag));
                        self.visit_resolved(&p, s, &[hint], dir);
                    }
                }
            }
            // A key-tagged union's members are only wrappers: the values they hold get types.
            Class::KeyedUnion => {
                let (members, _) = self.cx.keyed_members(pointer, schema);
                for member in members {
                    let hint = format!("{base}{}", variant_ident(&mut self.cx.idents, &member.key));
                    self.visit(member.value, &member.value_pointer, &[hint], dir);
                }
            }
            // A oneOf of enums is merged into one enum; its members are not generated alone.
            Class::Enum | Class::Pattern | Class::Inline => {}
        }
    }

    /// The preferred names of a property's type: a validated id is named after the property
    /// (`groupId` -> `GroupId`, shared by every property and parameter with that name and
    /// pattern), or after its owner and the property when that is taken by another pattern; an
    /// object's own id (`_id`, `id`) after its owner; anything else after the owner and the
    /// property.
    fn prop_hints(&mut self, prop: &Prop<'a>) -> Hints {
        // The owner is the schema that declares the property, which may be an ancestor.
        let declaring = prop.pointer.rsplitn(3, '/').nth(2).unwrap_or_default();
        let owner = pointer_name(&mut self.cx.idents, declaring).unwrap_or_default();
        let is_pattern = match prop.schema {
            RefOr::Item(s) => self.cx.classify(&prop.pointer, s) == Class::Pattern,
            RefOr::Ref(_) => false,
        };
        let field = self.cx.idents.type_name(&prop.wire);
        if is_pattern && field != "Id" {
            vec![field.clone(), format!("{owner}{field}")]
        } else {
            vec![format!("{owner}{field}")]
        }
    }
}

/// A type name for a schema nested in a component: the component's name, then each property
/// on the way down (`Item` for array items, `Value` for map values; `allOf`/`oneOf` members
/// add nothing). `None` outside `#/components/schemas`.
fn pointer_name(idents: &mut Idents, pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix(SCHEMAS)?;
    let mut segments = rest.split('/').map(unescape);
    let mut name = idents.type_name(&segments.next()?);
    while let Some(segment) = segments.next() {
        match segment.as_str() {
            "properties" => name.push_str(&idents.type_name(&segments.next()?)),
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

/// The Rust spelling of a key-tagged union's key (`$addFields` -> `AddFields`): the key without
/// the `$` of a stage name, in `UpperCamelCase`.
pub(super) fn variant_ident(idents: &mut Idents, key: &str) -> String {
    let bare = key.trim_start_matches('$');
    idents.type_name(if bare.is_empty() { key } else { bare })
}
