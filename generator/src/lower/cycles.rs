//! Pass 4: recursive types get a `Box` where the recursion would make them infinitely sized.

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::ir::{Presence, TypeDef, TypeKind, TypeRef};
use crate::locate::escape_segment;

/// Marks the fields and variants that close a cycle of by-value containment as boxed, and
/// reports cycles no finite value can satisfy.
///
/// Only direct containment counts: a `Vec` or map already stores its items on the heap. A
/// depth-first walk over the types in name order boxes each back edge it meets, so the same
/// spec always boxes the same fields. A cycle made only of required, non-nullable struct
/// fields (`A.b: B`, `B.a: A`) describes an infinitely deep object: boxing would compile, but
/// no JSON value could ever be decoded or built, so it is an error in the spec.
pub fn box_recursive_fields(types: &mut [TypeDef]) -> Vec<Diagnostic> {
    let mut order: Vec<usize> = (0..types.len()).collect();
    order.sort_by(|&a, &b| types[a].name.cmp(&types[b].name));
    let index: HashMap<String, usize> = types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut state = vec![State::New; types.len()];
    let mut to_box: Vec<(usize, usize)> = Vec::new();
    let mut infinite: Vec<Vec<(usize, usize)>> = Vec::new();
    for &start in &order {
        if state[start] == State::New {
            walk(start, types, &index, &mut state, &mut to_box, &mut infinite);
        }
    }
    let diagnostics = infinite.iter().map(|cycle| infinite_cycle(types, cycle)).collect();
    for (ty, edge) in to_box {
        match &mut types[ty].kind {
            TypeKind::Struct(s) => s.fields[edge].boxed = true,
            TypeKind::TaggedUnion(u) => u.variants[edge].boxed = true,
            TypeKind::KeyedUnion(u) => u.variants[edge].boxed = true,
            TypeKind::StringEnum(_) | TypeKind::Pattern(_) => {}
        }
    }
    diagnostics
}

/// Whether an edge is a required, non-nullable struct field (a value must always hold one).
fn is_required(def: &TypeDef, edge: usize) -> bool {
    matches!(&def.kind, TypeKind::Struct(s) if s.fields[edge].presence == Presence::Required)
}

fn infinite_cycle(types: &[TypeDef], cycle: &[(usize, usize)]) -> Diagnostic {
    let path: Vec<String> = cycle
        .iter()
        .map(|&(ty, edge)| match &types[ty].kind {
            TypeKind::Struct(s) => format!("{}.{}", types[ty].name, s.fields[edge].wire_name),
            _ => types[ty].name.clone(),
        })
        .collect();
    let (ty, edge) = cycle[cycle.len() - 1];
    let wire = match &types[ty].kind {
        TypeKind::Struct(s) => s.fields[edge].wire_name.clone(),
        _ => String::new(),
    };
    Diagnostic::new(
        format!("{}/properties/{}", types[ty].origin, escape_segment(&wire)),
        format!(
            "infinitely sized type: every value would contain itself through the required properties {}",
            path.join(" -> ")
        ),
        "make one property of the cycle optional (drop it from `required`) or `nullable: true`, so a value can end",
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    New,
    OnStack,
    Done,
}

/// The types a type holds by value: (edge index, target name).
fn edges(def: &TypeDef) -> Vec<(usize, &str)> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match &f.ty {
                TypeRef::Named(name) => Some((i, name.as_str())),
                _ => None,
            })
            .collect(),
        TypeKind::TaggedUnion(u) => u.variants.iter().enumerate().map(|(i, v)| (i, v.ty.as_str())).collect(),
        TypeKind::KeyedUnion(u) => u
            .variants
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match &v.ty {
                TypeRef::Named(name) => Some((i, name.as_str())),
                _ => None,
            })
            .collect(),
        TypeKind::StringEnum(_) | TypeKind::Pattern(_) => Vec::new(),
    }
}

/// A node on the walk's stack: the type, its edges, and the next edge to follow.
type Frame<'a> = (usize, Vec<(usize, &'a str)>, usize);

fn walk(
    node: usize,
    types: &[TypeDef],
    index: &HashMap<String, usize>,
    state: &mut [State],
    to_box: &mut Vec<(usize, usize)>,
    infinite: &mut Vec<Vec<(usize, usize)>>,
) {
    // An explicit stack: recursive specs can be deep, and the generator must not overflow.
    let mut stack: Vec<Frame<'_>> = vec![(node, edges(&types[node]), 0)];
    state[node] = State::OnStack;
    while let Some((current, out, next)) = stack.last_mut() {
        if *next == out.len() {
            state[*current] = State::Done;
            stack.pop();
            continue;
        }
        let (edge, target) = out[*next];
        *next += 1;
        let current = *current;
        let Some(&target) = index.get(target) else {
            continue;
        };
        match state[target] {
            State::OnStack => {
                to_box.push((current, edge));
                // The cycle: the edge each frame from `target` up to `current` is following.
                let start = stack.iter().position(|(ty, _, _)| *ty == target).unwrap_or(0);
                let cycle: Vec<(usize, usize)> = stack[start..]
                    .iter()
                    .map(|(ty, out, next)| (*ty, out[*next - 1].0))
                    .collect();
                if cycle.iter().all(|&(ty, edge)| is_required(&types[ty], edge)) {
                    infinite.push(cycle);
                }
            }
            State::New => {
                state[target] = State::OnStack;
                stack.push((target, edges(&types[target]), 0));
            }
            State::Done => {}
        }
    }
}
