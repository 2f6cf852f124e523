//! Which structs keep the order their properties came in.
//!
//! Every struct a key-tagged union's value is made of (a stream processing stage, and the
//! objects inside it): MongoDB compares a pipeline's stages as BSON documents, in which the
//! order of keys counts, so a stage read from the server and sent back must keep its order. The
//! other structs are written in their fields' order, as before.

use std::collections::{HashMap, HashSet};

use crate::ir::{TypeDef, TypeKind, TypeRef};
use crate::members::model::KEY_ORDER;

/// Gives every struct reachable from a key-tagged union's variants its order field.
pub(super) fn mark(types: &mut [TypeDef]) {
    let index: HashMap<&str, usize> = types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    let mut queue: Vec<usize> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.kind, TypeKind::KeyedUnion(_)))
        .map(|(i, _)| i)
        .collect();
    let mut seen: HashSet<usize> = queue.iter().copied().collect();
    let mut marked = Vec::new();
    while let Some(i) = queue.pop() {
        let mut names = Vec::new();
        match &types[i].kind {
            TypeKind::Struct(s) => {
                marked.push(i);
                for field in &s.fields {
                    named(&field.ty, &mut names);
                }
            }
            TypeKind::KeyedUnion(u) => u.variants.iter().for_each(|v| named(&v.ty, &mut names)),
            TypeKind::TaggedUnion(u) => names.extend(u.variants.iter().map(|v| v.ty.as_str())),
            TypeKind::StringEnum(_) | TypeKind::Pattern(_) => {}
        }
        for name in names {
            if let Some(&j) = index.get(name) {
                if seen.insert(j) {
                    queue.push(j);
                }
            }
        }
    }
    for i in marked {
        if let TypeKind::Struct(s) = &mut types[i].kind {
            // A name no field or the extras took (a property `keyOrder` would have).
            let taken = |name: &str| s.extra_field == name || s.fields.iter().any(|f| f.name == name);
            let name = std::iter::successors(Some(KEY_ORDER.to_owned()), |n| Some(format!("{n}_")))
                .find(|n| !taken(n))
                .unwrap_or_default();
            s.order_field = Some(name);
        }
    }
}

/// The named types a type reference holds, directly or in lists and maps.
fn named<'a>(ty: &'a TypeRef, out: &mut Vec<&'a str>) {
    match ty {
        TypeRef::Named(name) => out.push(name),
        TypeRef::List(inner) | TypeRef::Map(inner) => named(inner, out),
        _ => {}
    }
}
