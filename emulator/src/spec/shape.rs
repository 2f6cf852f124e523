//! Response bodies cut to the response-direction types of the IR.
//!
//! The state keeps each resource as the client sent it (secrets included) plus what the server
//! filled in. Before a body leaves, it is rebuilt from the operation's response type: only the
//! properties that type has survive. The IR's response types have no writeOnly property, so a
//! secret (`password`, `sslKey`, ...) can never be returned, whatever the state holds; and the
//! same operation answers with exactly the properties its documented type has (a processor's
//! create answer has no `state`, its get answer does).

use atlas_streams_generator::ir::{Presence, StructDef, TypeKind, TypeRef};
use serde_json::{Map, Value};

use super::Spec;

/// Properties the emulator sends although the type does not have them, as Atlas sends
/// properties its spec does not document: what a client must keep (the generated structs keep
/// them in their catch-all map).
// GUESS: a failed processor's stats carry the reason as `errorMsg`, as the documents of
// mongosh's `sp.listStreamProcessors()` do; no page shows a failed processor's API answer.
const UNDOCUMENTED: &[(&str, &str)] = &[("StreamsProcessorStats", "errorMsg")];

/// `value` with only what the response type `ty` has, in the type's property order.
pub fn shape(spec: &Spec, ty: &TypeRef, value: &Value) -> Value {
    match (ty, value) {
        (TypeRef::Named(name), _) => named(spec, name, value),
        (TypeRef::List(item), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| shape(spec, item, v)).collect())
        }
        (TypeRef::Map(item), Value::Object(entries)) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), shape(spec, item, v))).collect())
        }
        _ => value.clone(),
    }
}

fn named(spec: &Spec, name: &str, value: &Value) -> Value {
    let (Some(def), Value::Object(object)) = (spec.ty(name), value) else {
        return value.clone();
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut out = fields(spec, s, object, Map::new());
            for (ty, property) in UNDOCUMENTED {
                if let (true, Some(v)) = (*ty == name, object.get(*property)) {
                    out.insert((*property).to_owned(), v.clone());
                }
            }
            Value::Object(out)
        }
        TypeKind::TaggedUnion(u) => {
            let tag = object.get(&u.tag).and_then(Value::as_str);
            let variant = u.variants.iter().find(|v| Some(v.tag_value.as_str()) == tag);
            match variant.and_then(|v| spec.ty(&v.ty)).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    let mut out = Map::new();
                    out.insert(u.tag.clone(), Value::from(tag.unwrap_or_default()));
                    Value::Object(fields(spec, s, object, out))
                }
                // The state only stores bodies that passed validation, so the tag is known.
                _ => value.clone(),
            }
        }
        // A pipeline stage comes back as it was sent: Atlas stores the pipeline as given, and
        // a stage has no writeOnly property to hide.
        TypeKind::KeyedUnion(_) | TypeKind::StringEnum(_) | TypeKind::Pattern(_) => value.clone(),
    }
}

fn fields(
    spec: &Spec,
    def: &StructDef,
    object: &Map<String, Value>,
    mut out: Map<String, Value>,
) -> Map<String, Value> {
    for field in &def.fields {
        match object.get(&field.wire_name) {
            None => {}
            Some(Value::Null) if matches!(field.presence, Presence::Required | Presence::Optional) => {}
            Some(v) => {
                out.insert(field.wire_name.clone(), shape(spec, &field.ty, v));
            }
        }
    }
    out
}

/// The required properties of response type `ty` that `value` lacks (top level only): what a
/// strict client would fail to decode. Used by the tests to hold the state rules to the spec.
pub fn missing_required(spec: &Spec, ty: &TypeRef, value: &Value) -> Vec<String> {
    let TypeRef::Named(name) = ty else {
        return Vec::new();
    };
    let (Some(def), Value::Object(object)) = (spec.ty(name), value) else {
        return Vec::new();
    };
    let def = match &def.kind {
        TypeKind::Struct(s) => s,
        TypeKind::TaggedUnion(u) => {
            let tag = object.get(&u.tag).and_then(Value::as_str);
            match u
                .variants
                .iter()
                .find(|v| Some(v.tag_value.as_str()) == tag)
                .and_then(|v| spec.ty(&v.ty))
                .map(|t| &t.kind)
            {
                Some(TypeKind::Struct(s)) => s,
                _ => return vec![u.tag.clone()],
            }
        }
        _ => return Vec::new(),
    };
    def.fields
        .iter()
        .filter(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable))
        .filter(|f| !object.contains_key(&f.wire_name))
        .map(|f| f.wire_name.clone())
        .collect()
}
