//! Pass 1: find every schema an operation needs, in which direction it travels, what kind of
//! Rust type it becomes, and the name it would like.

use std::collections::BTreeSet;

use openapiv3::{ParameterSchemaOrContent, Schema};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::classify::Class;
use super::context::Context;
use super::idents::Idents;
use super::pointer::{component_name, mapping_site, unescape, SCHEMAS};
use super::props::Prop;
use super::sites::{media, OpSite};
use super::view::{Extra, RefOr, View};
use super::{Dir, FormKey};

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
    /// The name it would like (before `…Request` and collision suffixes).
    pub base_name: String,
    /// The directions it is used in.
    pub usage: BTreeSet<Dir>,
}

/// Pass 1: visits the schemas of every operation's parameters, body and success body, in spec
/// order, recording each named form.
pub(super) fn discover<'a>(cx: &mut Context<'a>, sites: &[OpSite<'a>]) -> Discovery<'a> {
    let mut walk = Walk {
        cx,
        schemas: HashMap::default(),
        forms: HashSet::default(),
        inline_visits: HashSet::default(),
    };
    for site in sites {
        walk.operation(site);
    }
    let mut forms: Vec<FormKey> = walk.forms.into_iter().collect();
    forms.sort();
    Discovery {
        forms,
        schemas: walk.schemas,
    }
}

/// The state of the walk; what it finds becomes the [`Discovery`].
struct Walk<'c, 'a> {
    cx: &'c mut Context<'a>,
    schemas: HashMap<String, Found<'a>>,
    forms: HashSet<FormKey>,
    /// Inline schemas already visited, per direction.
    inline_visits: HashSet<(String, Dir)>,
}

impl<'a> Walk<'_, 'a> {
    /// Visits the schemas of one operation's parameters, body and success body.
    fn operation(&mut self, site: &OpSite<'a>) {
        for param in site.params(self.cx) {
            if let ParameterSchemaOrContent::Schema(schema) = &param.data.format {
                let hint = self.cx.idents.type_name(&param.data.name);
                self.visit(
                    RefOr::of(schema),
                    &format!("{}/schema", param.pointer),
                    &hint,
                    Dir::Request,
                );
            }
        }
        let builder = self.cx.idents.type_name(&site.name());
        if let Some((body, pointer)) = site.request_body(self.cx) {
            if let Some((_, Some(schema), media_pointer)) = media(&body.content, &pointer).chosen {
                self.visit(
                    schema,
                    &format!("{media_pointer}/schema"),
                    &format!("{builder}Body"),
                    Dir::Request,
                );
            }
        }
        if let Some((_, response, pointer)) = site.success_response(self.cx) {
            if let Some((_, Some(schema), media_pointer)) = media(&response.content, &pointer).chosen {
                self.visit(
                    schema,
                    &format!("{media_pointer}/schema"),
                    &format!("{builder}Response"),
                    Dir::Response,
                );
            }
        }
    }

    /// Visits a schema used in direction `dir`, recording every named form.
    fn visit(&mut self, r: RefOr<'a>, inline: &str, hint: &str, dir: Dir) {
        if let Some((pointer, schema)) = self.cx.resolve(r, inline) {
            self.visit_resolved(&pointer, schema, hint, dir);
        }
    }

    fn visit_resolved(&mut self, pointer: &str, schema: &'a Schema, hint: &str, dir: Dir) {
        let class = self.cx.classify(pointer, schema);
        // A component is named after itself; an inline schema after where it is defined (not
        // where it was first reached: a property inherited by ten subtypes is one type, named
        // after the parent that declares it); a validated id after its property (the hint).
        let base = match (component_name(pointer), class) {
            (Some(name), _) => self.cx.idents.type_name(&name),
            (None, Class::Pattern) => hint.to_owned(),
            (None, _) => pointer_name(&mut self.cx.idents, pointer).unwrap_or_else(|| hint.to_owned()),
        };
        let view = View::new(schema);
        if class == Class::Inline {
            // An alias or list of itself (`items: {$ref: itself}`) is visited once per direction.
            if !self.inline_visits.insert((pointer.to_owned(), dir)) {
                return;
            }
            for (child, child_pointer) in view.inline_children(pointer) {
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
        let key = self.cx.form_key(pointer, schema, dir);
        // The first visit names the schema: a validated id is named after the property it was
        // first reached through.
        self.schemas
            .entry(pointer.to_owned())
            .or_insert_with(|| Found {
                schema,
                class,
                base_name: base.clone(),
                usage: BTreeSet::new(),
            })
            .usage
            .insert(dir);
        if !self.forms.insert(key) {
            return;
        }
        match class {
            Class::Struct => {
                for prop in self.cx.struct_props(pointer, schema) {
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
                for (tag, target) in view.variants() {
                    if let Some((p, s)) = self.cx.resolve_ref(&target, &mapping_site(pointer, &tag)) {
                        let hint = format!("{base}{}", self.cx.idents.type_name(&tag));
                        self.visit_resolved(&p, s, &hint, dir);
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
        let owner = pointer_name(&mut self.cx.idents, declaring).unwrap_or_default();
        let is_pattern = match prop.schema {
            RefOr::Item(s) => self.cx.classify(&prop.pointer, s) == Class::Pattern,
            RefOr::Ref(_) => false,
        };
        let field = self.cx.idents.type_name(&prop.wire);
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
