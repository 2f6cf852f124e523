//! One implementation for string enums that have the same values, each enum still a type of
//! its own.
//!
//! Large specs repeat inline enums: MongoDB's full Admin API has 976 string enums but only 360
//! distinct ones (each of its ~190 metric threshold schemas has its own `mode: [AVERAGE]` and
//! `operator: [LESS_THAN, GREATER_THAN]`). Every enum is a dozen trait impls, and the compiler's
//! cost (time and, above all, memory) grows with the number of impls: giving each copy impls
//! of its own made `cargo check` of that crate a fifth slower and 250 MiB bigger.
//!
//! They used to be aliases of the first of them, which coupled unrelated enums: a value added
//! to one split it from the others, and its type changed under its callers. Now the spec's
//! enums stay apart (one `pub type` per enum, each an instance of a hidden generic enum for a
//! tag type of its own: `pub type XMode = shared::AverageValues<shared::tags::XMode>`), so the
//! compiler sees distinct types but checks one set of impls. When one of them gains a value it
//! becomes an enum of its own with the same variants: nothing its callers can name changes.

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{EnumValue, SharedEnum, SharedImpl, StringEnum, TypeDef, TypeKind};

use super::idents::Namer;

/// How many variant names at most go into a shared implementation's name.
const NAME_VARIANTS: usize = 3;

/// Gives every string enum whose values (variant names, wire spellings, docs) and catch-all
/// are those of another one a shared implementation, and returns those implementations, sorted
/// by name. `types` is sorted by name, so each implementation's name (from its values) and the
/// set of its enums depend only on the spec, never on the order it lists its schemas in.
pub(super) fn identical_enums(types: &mut [TypeDef]) -> Vec<SharedEnum> {
    let mut groups: HashMap<(&str, &[EnumValue]), Vec<usize>> = HashMap::default();
    for (index, def) in types.iter().enumerate() {
        if let TypeKind::StringEnum(e) = &def.kind {
            groups
                .entry((e.unknown_variant.as_str(), e.values.as_slice()))
                .or_default()
                .push(index);
        }
    }
    // In the order of each group's first enum by name, so names are handed out deterministically.
    let mut shared: Vec<(usize, StringEnum, Vec<usize>)> = groups
        .into_values()
        .filter(|members| members.len() > 1)
        .filter_map(|members| match &types[members[0]].kind {
            TypeKind::StringEnum(e) => Some((members[0], e.clone(), members)),
            _ => None,
        })
        .collect();
    shared.sort_by_key(|(first, _, _)| *first);
    let mut namer = Namer::default();
    let mut out = Vec::new();
    for (_, values, members) in shared {
        let name = namer.claim_first(&generic_names(&values));
        for index in members {
            if let TypeKind::StringEnum(e) = &mut types[index].kind {
                e.shared = Some(SharedImpl { generic: name.clone() });
            }
        }
        out.push(SharedEnum { name, values });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The names of a shared implementation, best first, from its first few variants:
/// `AverageValues`, `LessThanGreaterThanValues`, `AwsAzureGcpEtcValues`; when sets that begin
/// alike take those, from more of their variants (`AwsAzureGcpOracleEtcValues`), up to all.
/// It names the values, never one of the enums, so no enum's docs or errors show another
/// enum's name.
fn generic_names(values: &StringEnum) -> Vec<String> {
    (NAME_VARIANTS..=values.values.len().max(NAME_VARIANTS))
        .map(|count| {
            let mut name: String = values.values.iter().take(count).map(|v| v.name.as_str()).collect();
            if values.values.len() > count {
                name.push_str("Etc");
            }
            name.push_str("Values");
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string_enum(name: &str, values: &[&str]) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            doc: None,
            deprecated: false,
            origin: String::new(),
            kind: TypeKind::StringEnum(StringEnum {
                values: values
                    .iter()
                    .map(|v| EnumValue {
                        name: (*v).to_owned(),
                        wire: v.to_uppercase(),
                        doc: None,
                    })
                    .collect(),
                unknown_variant: "Unknown".to_owned(),
                shared: None,
            }),
            conversions: Vec::new(),
        }
    }

    fn shared(def: &TypeDef) -> Option<&str> {
        match &def.kind {
            TypeKind::StringEnum(e) => e.shared.as_ref().map(|s| s.generic.as_str()),
            _ => None,
        }
    }

    #[test]
    fn enums_with_the_same_values_share_one_implementation() {
        let mut types = vec![
            string_enum("AMode", &["Average"]),
            string_enum("BMode", &["Average"]),
            string_enum("COperator", &["LessThan", "GreaterThan"]),
            string_enum("DMode", &["Average"]),
            string_enum("EOperator", &["GreaterThan", "LessThan"]),
            string_enum("FRegion", &["A", "B", "C", "D"]),
            string_enum("GRegion", &["A", "B", "C", "D"]),
        ];
        let generics = identical_enums(&mut types);
        let names: Vec<&str> = generics.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["ABCEtcValues", "AverageValues"]);
        let shared: Vec<Option<&str>> = types.iter().map(shared).collect();
        // Order matters: the same values in another order are another enum.
        assert_eq!(
            shared,
            [
                Some("AverageValues"),
                Some("AverageValues"),
                None,
                Some("AverageValues"),
                None,
                Some("ABCEtcValues"),
                Some("ABCEtcValues")
            ]
        );
    }

    #[test]
    fn the_catch_all_keeps_enums_apart_and_deprecation_does_not() {
        let mut types = vec![
            string_enum("A", &["X"]),
            string_enum("B", &["X"]),
            string_enum("C", &["X"]),
        ];
        types[1].deprecated = true;
        if let TypeKind::StringEnum(e) = &mut types[2].kind {
            e.unknown_variant = "Other".to_owned();
        }
        identical_enums(&mut types);
        let shared: Vec<Option<&str>> = types.iter().map(shared).collect();
        // Deprecation is the alias's own attribute; the values are the same.
        assert_eq!(shared, [Some("XValues"), Some("XValues"), None]);
    }
}
