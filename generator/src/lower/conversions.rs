//! Pass 6: responses into requests. A caller who GETs an object, changes a field and sends it
//! back needs the request form of what the server returned, without the readOnly properties
//! (`_id`, `links`, `state`) and with the properties neither side knows (`extra`) kept.
//!
//! Two kinds of pairs get a conversion from the response type to the request type:
//!
//! - the two forms of one schema that the readOnly/writeOnly split made two types
//!   (`StreamsKafkaConnection` -> `StreamsKafkaConnectionRequest`);
//! - the body of a PATCH or PUT and what a GET of the same path returns, when they are other
//!   schemas (`StreamsTenant` -> `StreamsTenantUpdateRequest`), matched property by property by
//!   wire name, if they have any property in common.
//!
//! For each field of the request this pass decides where its value comes from (the IR's
//! [`FieldSource`]): the same type is cloned, a nested pair converts through its own
//! conversion, two enums (or an enum and a string) through the wire string, lists and maps item
//! by item. A request property the response cannot fill (writeOnly, absent from the response
//! type, of a type that does not convert) is left out when optional; when it is required, the
//! conversion is a `TryFrom` whose error names it, as is every conversion that contains such
//! a one (found by a fixpoint over the pairs, which may be recursive).

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use super::context::Context;
use super::discover::Discovery;
use super::forms::{Dir, FormKey};
use super::naming::Names;
use crate::ir::{
    Conversion, ConversionPlan, FieldConversion, FieldSource, Method, MissingReason, Operation, Presence, ResponseKind,
    StructConversion, StructDef, TaggedUnion, TypeDef, TypeKind, TypeRef, UnionConversion, ValueConversion,
    VariantConversion, VariantTarget,
};

/// A (response type, request type) pair.
type Pair = (String, String);

/// Pass 6: attaches to every request type its conversions from response types.
pub(super) fn attach<'a>(
    cx: &mut Context<'a>,
    discovery: &Discovery<'a>,
    names: &Names,
    types: &mut [TypeDef],
    operations: &[Operation],
) {
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let pairs = pairs(discovery, names, types, &index, operations);
    let mut plans: BTreeMap<Pair, ConversionPlan> = BTreeMap::new();
    for pair in &pairs {
        let (Some(&from), Some(&to)) = (index.get(&pair.0), index.get(&pair.1)) else {
            continue;
        };
        let planner = Planner {
            pairs: &pairs,
            types,
            index: &index,
        };
        let plan = match (&types[from].kind, &types[to].kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                let write_only = write_only(cx, discovery, &types[to].origin);
                ConversionPlan::Struct(planner.structs(a, b, &write_only))
            }
            (TypeKind::TaggedUnion(a), TypeKind::TaggedUnion(b)) => {
                let read_only = read_only(cx, discovery, &types[from].origin);
                ConversionPlan::Union(planner.unions(a, b, read_only))
            }
            _ => continue,
        };
        plans.insert(pair.clone(), plan);
    }
    let fallible = fallibility(&plans);
    for ((from, to), mut plan) in plans {
        mark_nested(&mut plan, &fallible);
        if let Some(&i) = index.get(&to) {
            types[i].conversions.push(Conversion {
                fallible: fallible.contains(&(from.clone(), to.clone())),
                from,
                plan,
            });
        }
    }
}

/// Every pair to convert, sorted.
fn pairs(
    discovery: &Discovery<'_>,
    names: &Names,
    types: &[TypeDef],
    index: &HashMap<String, usize>,
    operations: &[Operation],
) -> BTreeSet<Pair> {
    // The two forms of one schema: its response form, then its request form, by pointer.
    let mut out = BTreeSet::new();
    for key in &discovery.forms {
        if key.dir != Some(Dir::Response) {
            continue;
        }
        let request = FormKey {
            pointer: key.pointer.clone(),
            dir: Some(Dir::Request),
        };
        if let (Some(from), Some(to)) = (names.get(key), names.get(&request)) {
            out.insert((from.to_owned(), to.to_owned()));
        }
    }
    // PATCH/PUT bodies and the GET of the same path.
    let gets: HashMap<&str, &str> = operations
        .iter()
        .filter(|op| op.method == Method::Get)
        .filter_map(|op| match &op.response.kind {
            ResponseKind::Json(TypeRef::Named(name)) => Some((op.path.as_str(), name.as_str())),
            _ => None,
        })
        .collect();
    for op in operations
        .iter()
        .filter(|op| matches!(op.method, Method::Patch | Method::Put))
    {
        let (Some(body), Some(&from)) = (op.body.as_ref(), gets.get(op.path.as_str())) else {
            continue;
        };
        let TypeRef::Named(to) = &body.ty else { continue };
        if from != to && shares_a_property(types, index, from, to) {
            out.insert((from.to_owned(), to.clone()));
        }
    }
    out
}

/// Whether two structs (or two unions) have a property (a tag value) in common.
fn shares_a_property(types: &[TypeDef], index: &HashMap<String, usize>, a: &str, b: &str) -> bool {
    let (Some(&a), Some(&b)) = (index.get(a), index.get(b)) else {
        return false;
    };
    match (&types[a].kind, &types[b].kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => a
            .fields
            .iter()
            .any(|f| b.fields.iter().any(|g| g.wire_name == f.wire_name)),
        (TypeKind::TaggedUnion(a), TypeKind::TaggedUnion(b)) => a
            .variants
            .iter()
            .any(|v| b.variants.iter().any(|w| w.tag_value == v.tag_value)),
        _ => false,
    }
}

/// The wire names of a struct schema's writeOnly properties.
fn write_only<'a>(cx: &mut Context<'a>, discovery: &Discovery<'a>, pointer: &str) -> BTreeSet<String> {
    flagged(cx, discovery, pointer, |p| p.write_only)
}

/// The wire names of a union schema's own readOnly properties (an unknown variant's object
/// still has them, and the request must not send them).
fn read_only<'a>(cx: &mut Context<'a>, discovery: &Discovery<'a>, pointer: &str) -> Vec<String> {
    flagged(cx, discovery, pointer, |p| p.read_only).into_iter().collect()
}

fn flagged<'a>(
    cx: &mut Context<'a>,
    discovery: &Discovery<'a>,
    pointer: &str,
    flag: fn(&super::memo::Prop<'_>) -> bool,
) -> BTreeSet<String> {
    let Some(found) = discovery.schemas.get(pointer) else {
        return BTreeSet::new();
    };
    cx.all_props(pointer, found.schema)
        .iter()
        .filter(|p| flag(p))
        .map(|p| p.wire.clone())
        .collect()
}

/// Plans the conversion of one pair.
struct Planner<'p> {
    pairs: &'p BTreeSet<Pair>,
    types: &'p [TypeDef],
    index: &'p HashMap<String, usize>,
}

impl Planner<'_> {
    fn structs(&self, from: &StructDef, to: &StructDef, write_only: &BTreeSet<String>) -> StructConversion {
        let fields = to
            .fields
            .iter()
            .map(|f| {
                let source = match from.fields.iter().find(|g| g.wire_name == f.wire_name) {
                    Some(g) => match self.value(&g.ty, &f.ty) {
                        Some(value) => FieldSource::Field {
                            field: g.name.clone(),
                            presence: g.presence,
                            boxed: g.boxed,
                            value,
                        },
                        None => FieldSource::Missing(MissingReason::Incompatible),
                    },
                    None if write_only.contains(&f.wire_name) => FieldSource::Missing(MissingReason::WriteOnly),
                    None => FieldSource::Missing(MissingReason::NotInResponse),
                };
                FieldConversion {
                    field: f.name.clone(),
                    wire_name: f.wire_name.clone(),
                    presence: f.presence,
                    boxed: f.boxed,
                    source,
                }
            })
            .collect();
        // Properties the response type did not know but the request type does are the
        // request's fields (left absent here), never extras as well.
        let extra_known = to
            .fields
            .iter()
            .filter(|f| !from.fields.iter().any(|g| g.wire_name == f.wire_name))
            .map(|f| f.wire_name.clone())
            .collect();
        StructConversion {
            fields,
            from_extra: from.extra_field.clone(),
            to_extra: to.extra_field.clone(),
            extra_known,
        }
    }

    fn unions(&self, from: &TaggedUnion, to: &TaggedUnion, drop_from_unknown: Vec<String>) -> UnionConversion {
        let variants = from
            .variants
            .iter()
            .map(|v| VariantConversion {
                from: v.name.clone(),
                boxed: v.boxed,
                tag_value: v.tag_value.clone(),
                to: to.variants.iter().find(|w| w.tag_value == v.tag_value).and_then(|w| {
                    Some(VariantTarget {
                        variant: w.name.clone(),
                        boxed: w.boxed,
                        value: self.value(&TypeRef::Named(v.ty.clone()), &TypeRef::Named(w.ty.clone()))?,
                    })
                }),
            })
            .collect();
        UnionConversion {
            variants,
            from_unknown: from.unknown_variant.clone(),
            to_unknown: to.unknown_variant.clone(),
            drop_from_unknown,
        }
    }

    /// How a value of type `from` becomes one of type `to`, if it can.
    fn value(&self, from: &TypeRef, to: &TypeRef) -> Option<ValueConversion> {
        if from == to {
            let copy = matches!(
                from,
                TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
            );
            return Some(if copy {
                ValueConversion::Copy
            } else {
                ValueConversion::Clone
            });
        }
        match (from, to) {
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                if self.pairs.contains(&(a.clone(), b.clone())) {
                    // Whether it can fail is known once every pair is planned (`mark_nested`).
                    Some(ValueConversion::Nested {
                        from: a.clone(),
                        to: b.clone(),
                        fallible: false,
                    })
                } else if self.is_string(from) && self.is_enum(b) {
                    Some(ValueConversion::Wire { to: Some(b.clone()) })
                } else {
                    None
                }
            }
            (_, TypeRef::String) if self.is_string(from) => Some(ValueConversion::Wire { to: None }),
            (TypeRef::String, TypeRef::Named(b)) if self.is_enum(b) => {
                Some(ValueConversion::Wire { to: Some(b.clone()) })
            }
            // A list or map of values that clone is cloned whole.
            (TypeRef::List(a), TypeRef::List(b)) => Some(match self.value(a, b)? {
                ValueConversion::Clone | ValueConversion::Copy => ValueConversion::Clone,
                item => ValueConversion::List(Box::new(item)),
            }),
            (TypeRef::Map(a), TypeRef::Map(b)) => Some(match self.value(a, b)? {
                ValueConversion::Clone | ValueConversion::Copy => ValueConversion::Clone,
                value => ValueConversion::Map(Box::new(value)),
            }),
            _ => None,
        }
    }

    fn is_enum(&self, name: &str) -> bool {
        self.index
            .get(name)
            .is_some_and(|&i| matches!(self.types[i].kind, TypeKind::StringEnum(_)))
    }

    /// Whether the type has a wire string (`as_str()`): a string, an enum, a validated string.
    fn is_string(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::String => true,
            TypeRef::Named(name) => self
                .index
                .get(name)
                .is_some_and(|&i| matches!(self.types[i].kind, TypeKind::StringEnum(_) | TypeKind::Pattern(_))),
            _ => false,
        }
    }
}

/// The pairs whose conversion can fail: a required field without a source, a required field
/// from an optional one, a variant the request lacks, or a nested conversion that can fail.
/// Pairs may nest recursively, so this grows the set until nothing changes.
fn fallibility(plans: &BTreeMap<Pair, ConversionPlan>) -> BTreeSet<Pair> {
    let mut fallible: BTreeSet<Pair> = BTreeSet::new();
    loop {
        let before = fallible.len();
        for (pair, plan) in plans {
            if !fallible.contains(pair) && can_fail(plan, &fallible) {
                fallible.insert(pair.clone());
            }
        }
        if fallible.len() == before {
            return fallible;
        }
    }
}

fn can_fail(plan: &ConversionPlan, fallible: &BTreeSet<Pair>) -> bool {
    let nested = |value: &ValueConversion| nested_pairs(value).iter().any(|pair| fallible.contains(pair));
    match plan {
        ConversionPlan::Struct(s) => s.fields.iter().any(|f| match &f.source {
            FieldSource::Missing(_) => f.presence == Presence::Required,
            FieldSource::Field { presence, value, .. } => {
                (f.presence == Presence::Required && *presence != Presence::Required) || nested(value)
            }
        }),
        ConversionPlan::Union(u) => u.variants.iter().any(|v| match &v.to {
            None => true,
            Some(target) => nested(&target.value),
        }),
    }
}

/// The pairs whose conversions a value conversion calls.
fn nested_pairs(value: &ValueConversion) -> Vec<Pair> {
    match value {
        ValueConversion::Nested { from, to, .. } => vec![(from.clone(), to.clone())],
        ValueConversion::List(item) | ValueConversion::Map(item) => nested_pairs(item),
        ValueConversion::Clone | ValueConversion::Copy | ValueConversion::Wire { .. } => Vec::new(),
    }
}

/// Sets `fallible` on every nested conversion of a plan, now that it is known.
fn mark_nested(plan: &mut ConversionPlan, fallible: &BTreeSet<Pair>) {
    fn mark(value: &mut ValueConversion, fallible: &BTreeSet<Pair>) {
        match value {
            ValueConversion::Nested {
                from,
                to,
                fallible: can,
            } => *can = fallible.contains(&(from.clone(), to.clone())),
            ValueConversion::List(item) | ValueConversion::Map(item) => mark(item, fallible),
            ValueConversion::Clone | ValueConversion::Copy | ValueConversion::Wire { .. } => {}
        }
    }
    match plan {
        ConversionPlan::Struct(s) => {
            for f in &mut s.fields {
                if let FieldSource::Field { value, .. } = &mut f.source {
                    mark(value, fallible);
                }
            }
        }
        ConversionPlan::Union(u) => {
            for v in &mut u.variants {
                if let Some(target) = &mut v.to {
                    mark(&mut target.value, fallible);
                }
            }
        }
    }
}
