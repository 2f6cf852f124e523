//! One Rust type for string enums that are the same.
//!
//! Large specs repeat inline enums: MongoDB's full Admin API has 976 string enums but only 360
//! distinct ones (each of its ~190 metric threshold schemas has its own `mode: [AVERAGE]` and
//! `operator: [LESS_THAN, GREATER_THAN]`). Every enum is a dozen trait impls, and the compiler's
//! cost (time and, above all, memory) grows with the number of impls, so the duplicates are
//! rendered as type aliases of one of them. Every name stays, with its docs; a value of one
//! is a value of the other, which is what the spec says (the same values on the wire).

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{EnumValue, TypeDef, TypeKind};

/// Marks every string enum identical to one earlier in `types` (same values, variant names,
/// docs, catch-all and deprecation) as an alias of that first one. `types` is sorted by name,
/// so the shared type is the one whose name sorts first: deterministic, and independent of
/// the order the spec lists its schemas in.
pub(super) fn identical_enums(types: &mut [TypeDef]) {
    let mut first: HashMap<(bool, &str, &[EnumValue]), &str> = HashMap::default();
    let mut aliases = Vec::new();
    for (index, def) in types.iter().enumerate() {
        if let TypeKind::StringEnum(e) = &def.kind {
            let key = (def.deprecated, e.unknown_variant.as_str(), e.values.as_slice());
            match first.get(&key) {
                Some(shared) => aliases.push((index, (*shared).to_owned())),
                None => {
                    first.insert(key, &def.name);
                }
            }
        }
    }
    for (index, shared) in aliases {
        if let TypeKind::StringEnum(e) = &mut types[index].kind {
            e.same_as = Some(shared);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::StringEnum;

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
                same_as: None,
            }),
        }
    }

    fn same_as(def: &TypeDef) -> Option<&str> {
        match &def.kind {
            TypeKind::StringEnum(e) => e.same_as.as_deref(),
            _ => None,
        }
    }

    #[test]
    fn later_duplicates_alias_the_first() {
        let mut types = vec![
            string_enum("AMode", &["Average"]),
            string_enum("BMode", &["Average"]),
            string_enum("COperator", &["LessThan", "GreaterThan"]),
            string_enum("DMode", &["Average"]),
            string_enum("EOperator", &["GreaterThan", "LessThan"]),
        ];
        identical_enums(&mut types);
        let shared: Vec<Option<&str>> = types.iter().map(same_as).collect();
        // Order matters: the same values in another order are another enum.
        assert_eq!(shared, [None, Some("AMode"), None, Some("AMode"), None]);
    }

    #[test]
    fn deprecation_and_catch_all_keep_enums_apart() {
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
        assert!(types.iter().all(|t| same_as(t).is_none()));
    }
}
