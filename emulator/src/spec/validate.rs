//! Request bodies checked against the request-direction types of the IR.
//!
//! The IR already split every schema by direction: a request type has no readOnly property
//! (`_id`, `links`, `state`), so a client that sends one is refused like any other unknown
//! property. MongoDB documents that "invalid fields are rejected rather than ignored" (Atlas
//! Administration API reference, "JSON" section), and the errors collect every violation, as
//! its API guidelines ask (IPA-114: all validation errors in `badRequestDetail`).

use atlas_streams_generator::ir::{Presence, StructDef, TypeKind, TypeRef};
use serde_json::{Map, Value};

use super::Spec;

/// At most this many violations are reported for one body.
const MAX_VIOLATIONS: usize = 50;

/// What is wrong at one place of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required property is absent (or null).
    Missing,
    /// A property the type does not have (or one only the server sets).
    Unknown,
    /// A value of the wrong JSON type; `expected` names the right one.
    Type {
        /// What the value should be, e.g. "a string".
        expected: &'static str,
    },
    /// A string that is not one of the enum's values.
    Enum {
        /// The value sent.
        value: String,
    },
    /// A union tag (e.g. a connection `type`) that names no known variant.
    UnknownTag {
        /// The value sent.
        value: String,
    },
    /// A key-tagged value (a pipeline stage) whose one key names no known variant.
    UnknownKey {
        /// The key sent.
        value: String,
    },
    /// A key-tagged value (a pipeline stage) that is not an object with exactly one key.
    OneKey,
    /// A string that does not match the property's pattern.
    Pattern {
        /// The pattern.
        pattern: String,
    },
}

/// One violation, at a path such as `dataProcessRegion.region` or `failoverRegions[1]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where in the body (empty for the body itself).
    pub field: String,
    /// What is wrong there.
    pub problem: Problem,
}

impl Violation {
    /// A sentence for `badRequestDetail.fields[].description`.
    pub fn describe(&self) -> String {
        match &self.problem {
            Problem::Missing => "The attribute is required.".into(),
            Problem::Unknown => "The attribute is not known or cannot be set.".into(),
            Problem::Type { expected } => format!("The value must be {expected}."),
            Problem::Enum { value } => format!("`{value}` is not one of the allowed values."),
            Problem::UnknownTag { value } => format!("`{value}` is not a known type."),
            Problem::UnknownKey { value } => format!("`{value}` is not a known stage."),
            Problem::OneKey => "The value must be an object with exactly one key, the stage's name.".into(),
            Problem::Pattern { pattern } => format!("The value must match `{pattern}`."),
        }
    }
}

/// Every violation of `value` against the request type `ty` (empty when it is valid).
pub fn check(spec: &Spec, ty: &TypeRef, value: &Value) -> Vec<Violation> {
    let mut walker = Walker {
        spec,
        violations: Vec::new(),
    };
    walker.value(ty, value, "");
    walker.violations
}

struct Walker<'a> {
    spec: &'a Spec,
    violations: Vec<Violation>,
}

impl Walker<'_> {
    fn report(&mut self, field: &str, problem: Problem) {
        if self.violations.len() < MAX_VIOLATIONS {
            self.violations.push(Violation {
                field: field.to_owned(),
                problem,
            });
        }
    }

    fn value(&mut self, ty: &TypeRef, value: &Value, at: &str) {
        let expected = match (ty, value) {
            (TypeRef::Named(name), _) => return self.named(name, value, at),
            (TypeRef::String | TypeRef::Secret, Value::String(_)) => return,
            (TypeRef::Bool, Value::Bool(_)) => return,
            (TypeRef::I32, Value::Number(n)) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => return,
            (TypeRef::I64, Value::Number(n)) if n.is_i64() => return,
            (TypeRef::F32 | TypeRef::F64, Value::Number(_)) => return,
            (TypeRef::DateTime, Value::String(s)) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => return,
            (TypeRef::Date, Value::String(s)) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => return,
            (TypeRef::Json, _) => return,
            (TypeRef::JsonObject, Value::Object(_)) => return,
            (TypeRef::List(item), Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.value(item, v, &format!("{at}[{i}]"));
                }
                return;
            }
            (TypeRef::Map(item), Value::Object(entries)) => {
                for (k, v) in entries {
                    self.value(item, v, &join(at, k));
                }
                return;
            }
            (TypeRef::String | TypeRef::Secret, _) => "a string",
            (TypeRef::Bool, _) => "a boolean",
            (TypeRef::I32, _) => "a 32-bit integer",
            (TypeRef::I64, _) => "an integer",
            (TypeRef::F32 | TypeRef::F64, _) => "a number",
            (TypeRef::DateTime, _) => "an ISO 8601 date-time",
            (TypeRef::Date, _) => "a date (YYYY-MM-DD)",
            (TypeRef::JsonObject | TypeRef::Map(_), _) => "an object",
            (TypeRef::List(_), _) => "an array",
        };
        self.report(at, Problem::Type { expected });
    }

    fn named(&mut self, name: &str, value: &Value, at: &str) {
        let Some(def) = self.spec.ty(name) else {
            return; // the IR names only types it defines; nothing to check against otherwise
        };
        match (&def.kind, value) {
            (TypeKind::Struct(s), Value::Object(object)) => self.object(s, object, at, None),
            (TypeKind::TaggedUnion(u), Value::Object(object)) => match object.get(&u.tag) {
                None | Some(Value::Null) => self.report(&join(at, &u.tag), Problem::Missing),
                Some(Value::String(tag)) => match u.variants.iter().find(|v| v.tag_value == *tag) {
                    Some(variant) => {
                        if let Some(TypeKind::Struct(s)) = self.spec.ty(&variant.ty).map(|t| &t.kind) {
                            self.object(s, object, at, Some(&u.tag));
                        }
                    }
                    None => self.report(&join(at, &u.tag), Problem::UnknownTag { value: tag.clone() }),
                },
                Some(_) => self.report(&join(at, &u.tag), Problem::Type { expected: "a string" }),
            },
            (TypeKind::StringEnum(e), Value::String(s)) => {
                if !e.values.iter().any(|v| v.wire == *s) {
                    self.report(at, Problem::Enum { value: s.clone() });
                }
            }
            (TypeKind::Pattern(p), Value::String(s)) => {
                if !self.spec.pattern(name).is_some_and(|re| re.is_match(s)) {
                    self.report(
                        at,
                        Problem::Pattern {
                            pattern: p.pattern.clone(),
                        },
                    );
                }
            }
            (TypeKind::KeyedUnion(u), Value::Object(object)) => match object.iter().next() {
                Some((key, inner)) if object.len() == 1 => match u.variants.iter().find(|v| v.key == *key) {
                    Some(variant) => self.value(&variant.ty, inner, &join(at, key)),
                    // GUESS: Atlas refuses a stage it does not know when the processor is
                    // created, with a 400 (no page documents the code).
                    None => self.report(&join(at, key), Problem::UnknownKey { value: key.clone() }),
                },
                _ => self.report(at, Problem::OneKey),
            },
            (TypeKind::Struct(_) | TypeKind::TaggedUnion(_) | TypeKind::KeyedUnion(_), _) => {
                self.report(at, Problem::Type { expected: "an object" })
            }
            (TypeKind::StringEnum(_) | TypeKind::Pattern(_), _) => {
                self.report(at, Problem::Type { expected: "a string" })
            }
        }
    }

    /// A struct's properties; `tag` is the union tag the object may also carry.
    fn object(&mut self, def: &StructDef, object: &Map<String, Value>, at: &str, tag: Option<&str>) {
        for field in &def.fields {
            let place = join(at, &field.wire_name);
            match (object.get(&field.wire_name), field.presence) {
                // Any JSON value includes `null` (`$group: {_id: null}` groups every document).
                (Some(Value::Null), Presence::Required) if field.ty == TypeRef::Json => {}
                (None | Some(Value::Null), Presence::Required) => self.report(&place, Problem::Missing),
                (None, Presence::RequiredNullable) => self.report(&place, Problem::Missing),
                (None, _) => {}
                // GUESS: a `null` where the schema does not allow one is read as "absent", as
                // Jackson (which Atlas runs on) reads a null into an optional field.
                (Some(Value::Null), _) => {}
                (Some(v), _) => self.value(&field.ty, v, &place),
            }
        }
        // Properties besides the fields: refused, as Atlas refuses an attribute it does not
        // know, unless the spec lets the value have its own (`$group`'s accumulators).
        for key in object.keys().filter(|_| !def.open) {
            if Some(key.as_str()) != tag && !def.fields.iter().any(|f| f.wire_name == *key) {
                self.report(&join(at, key), Problem::Unknown);
            }
        }
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}
