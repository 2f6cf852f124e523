//! One uniform view of an `openapiv3` schema.
//!
//! `openapiv3` spreads a schema over `SchemaKind::Type(..)`, `OneOf`/`AllOf`/`AnyOf`, and
//! `Any(AnySchema)` — and a schema that mixes `oneOf` with `properties` or `type` (as
//! `StreamsConnection` and `BaseStreamsRegion` do) lands in `Any`. Lowering would have to look
//! in every place for every question; this view answers each question in one place.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::pointer::{unescape, SCHEMAS};
use crate::locate::escape_segment;

/// Either a `$ref` string or an inline schema.
#[derive(Clone, Copy, Debug)]
pub enum RefOr<'a> {
    /// `$ref: '#/...'`
    Ref(&'a str),
    /// An inline schema.
    Item(&'a Schema),
}

impl<'a> RefOr<'a> {
    /// Views a `ReferenceOr<Schema>`.
    pub fn of(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }

    /// Views a `ReferenceOr<Box<Schema>>`.
    pub fn of_boxed(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => RefOr::Ref(reference),
            ReferenceOr::Item(s) => RefOr::Item(s),
        }
    }
}

/// The `additionalProperties` of an object.
#[derive(Clone, Copy, Debug)]
pub enum Extra<'a> {
    /// Not given, or `true`: anything goes.
    Any,
    /// `false`.
    None,
    /// A schema for every extra value.
    Schema(RefOr<'a>),
}

/// Everything lowering asks of one schema.
#[derive(Debug)]
pub struct View<'a> {
    /// `type`, if given.
    pub typ: Option<&'a str>,
    /// `format`, if given.
    pub format: Option<&'a str>,
    /// `pattern` of a string.
    pub pattern: Option<&'a str>,
    /// String `enum` values (nulls dropped).
    pub enum_strings: Vec<&'a str>,
    /// Whether an `enum` is present with non-string values.
    pub enum_other: bool,
    /// Object properties in spec order.
    pub properties: Vec<(&'a str, RefOr<'a>)>,
    /// `required` property names.
    pub required: Vec<&'a str>,
    /// `additionalProperties` (only meaningful for objects).
    pub additional: Option<Extra<'a>>,
    /// Array `items`.
    pub items: Option<RefOr<'a>>,
    /// `oneOf` members.
    pub one_of: Vec<RefOr<'a>>,
    /// `anyOf` members.
    pub any_of: Vec<RefOr<'a>>,
    /// `allOf` members.
    pub all_of: Vec<RefOr<'a>>,
    /// The `not` schema.
    pub not: Option<RefOr<'a>>,
    /// The schema's own metadata.
    pub data: &'a openapiv3::SchemaData,
}

impl<'a> View<'a> {
    /// Builds the view of one schema.
    pub fn new(schema: &'a Schema) -> Self {
        let mut view = View {
            typ: None,
            format: None,
            pattern: None,
            enum_strings: Vec::new(),
            enum_other: false,
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of: Vec::new(),
            not: None,
            data: &schema.schema_data,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = format_name(&s.format);
                view.pattern = s.pattern.as_deref();
                view.enum_strings = s.enumeration.iter().flatten().map(String::as_str).collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.format = format_name(&n.format);
                view.enum_other = !n.enumeration.is_empty();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = format_name(&i.format);
                view.enum_other = !i.enumeration.is_empty();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some("boolean");
                view.enum_other = !b.enumeration.is_empty();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.set_object(&o.properties, &o.required, o.additional_properties.as_ref());
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref().map(RefOr::of_boxed);
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of.iter().map(RefOr::of).collect(),
            SchemaKind::AllOf { all_of } => view.all_of = all_of.iter().map(RefOr::of).collect(),
            SchemaKind::AnyOf { any_of } => view.any_of = any_of.iter().map(RefOr::of).collect(),
            SchemaKind::Not { not } => view.not = Some(RefOr::of(not)),
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.as_deref();
                view.pattern = any.pattern.as_deref();
                for value in &any.enumeration {
                    match value {
                        serde_json::Value::String(s) => view.enum_strings.push(s),
                        serde_json::Value::Null => {}
                        _ => view.enum_other = true,
                    }
                }
                view.set_object(&any.properties, &any.required, any.additional_properties.as_ref());
                view.items = any.items.as_ref().map(RefOr::of_boxed);
                view.one_of = any.one_of.iter().map(RefOr::of).collect();
                view.any_of = any.any_of.iter().map(RefOr::of).collect();
                view.all_of = any.all_of.iter().map(RefOr::of).collect();
                view.not = any.not.as_deref().map(RefOr::of);
            }
        }
        view
    }

    fn set_object(
        &mut self,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
    ) {
        self.properties = properties
            .iter()
            .map(|(name, schema)| (name.as_str(), RefOr::of_boxed(schema)))
            .collect();
        self.required = required.iter().map(String::as_str).collect();
        self.additional = additional.map(|a| match a {
            AdditionalProperties::Any(true) => Extra::Any,
            AdditionalProperties::Any(false) => Extra::None,
            AdditionalProperties::Schema(s) => Extra::Schema(RefOr::of(s)),
        });
    }

    /// Whether the schema describes an object with named properties (or inherits some).
    pub fn is_object_like(&self) -> bool {
        !self.properties.is_empty() || !self.all_of.is_empty() || self.typ == Some("object")
    }

    /// `oneOf` members, else `anyOf` members.
    pub fn members(&self) -> impl Iterator<Item = RefOr<'a>> + '_ {
        let list = if self.one_of.is_empty() {
            &self.any_of
        } else {
            &self.one_of
        };
        list.iter().copied()
    }

    /// `oneOf` or `anyOf`, whichever [`View::members`] reads.
    pub fn members_key(&self) -> &'static str {
        if self.one_of.is_empty() {
            "anyOf"
        } else {
            "oneOf"
        }
    }

    /// Whether the schema has a discriminator with an explicit mapping.
    pub fn has_mapping(&self) -> bool {
        self.data.discriminator.as_ref().is_some_and(|d| !d.mapping.is_empty())
    }

    /// The variants of a discriminated union: (tag value, target pointer), every mapping entry
    /// in order, then every member the mapping does not name, tagged with its schema name
    /// (OpenAPI's implicit mapping). Empty without a discriminator.
    pub fn variants(&self) -> Vec<(String, String)> {
        let Some(discriminator) = &self.data.discriminator else {
            return Vec::new();
        };
        let mut out: Vec<(String, String)> = discriminator
            .mapping
            .iter()
            .map(|(tag, target)| (tag.clone(), normalize_target(target)))
            .collect();
        for member in self.members() {
            if let RefOr::Ref(reference) = member {
                if !out.iter().any(|(_, t)| t == reference) {
                    let tag = reference.rsplit('/').next().unwrap_or(reference).to_owned();
                    out.push((unescape(&tag), reference.to_owned()));
                }
            }
        }
        out
    }

    /// The children of a schema that has no named type of its own (array items, map values,
    /// `oneOf`/`anyOf` and `allOf` members), with their pointers; `pointer` is the schema's.
    pub fn inline_children(&self, pointer: &str) -> Vec<(RefOr<'a>, String)> {
        let mut refs = Vec::new();
        if let Some(items) = self.items {
            refs.push((items, format!("{pointer}/items")));
        }
        if let Some(Extra::Schema(extra)) = self.additional {
            refs.push((extra, format!("{pointer}/additionalProperties")));
        }
        for (i, member) in self.members().enumerate() {
            refs.push((member, format!("{pointer}/{}/{i}", self.members_key())));
        }
        for (i, member) in self.all_of.iter().enumerate() {
            refs.push((*member, format!("{pointer}/allOf/{i}")));
        }
        refs
    }
}

/// Mapping values may be bare schema names instead of references.
fn normalize_target(target: &str) -> String {
    if target.starts_with('#') || target.contains('/') {
        target.to_owned()
    } else {
        format!("{SCHEMAS}{}", escape_segment(target))
    }
}

fn format_name<T: FormatName>(format: &VariantOrUnknownOrEmpty<T>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(item.name()),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The spelling of a known `format`.
trait FormatName {
    fn name(&self) -> &'static str;
}

impl FormatName for StringFormat {
    fn name(&self) -> &'static str {
        match self {
            StringFormat::Date => "date",
            StringFormat::DateTime => "date-time",
            StringFormat::Password => "password",
            StringFormat::Byte => "byte",
            StringFormat::Binary => "binary",
        }
    }
}

impl FormatName for openapiv3::NumberFormat {
    fn name(&self) -> &'static str {
        match self {
            openapiv3::NumberFormat::Float => "float",
            openapiv3::NumberFormat::Double => "double",
        }
    }
}

impl FormatName for openapiv3::IntegerFormat {
    fn name(&self) -> &'static str {
        match self {
            openapiv3::IntegerFormat::Int32 => "int32",
            openapiv3::IntegerFormat::Int64 => "int64",
        }
    }
}
