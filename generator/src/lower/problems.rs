//! The diagnostics two passes give alike: `types` when it converts a schema, `check` when it
//! looks at the whole document (used or not). Here, below both, so neither reads the other.

use crate::diag::Diagnostic;
use crate::load::rules;
use crate::suggest;

/// The six types of OpenAPI 3.0.
pub(super) const TYPES: [&str; 6] = ["string", "integer", "number", "boolean", "array", "object"];

/// The diagnostic for a `type` that is not one of OpenAPI's six (on a schema that becomes no
/// type of its own).
pub(super) fn unknown_type(pointer: &str, typ: &str) -> Diagnostic {
    let hint = suggest::did_you_mean(typ, TYPES);
    rules::error(
        "JSV-5.21-type-values",
        pointer,
        format!("`type: {typ}` is not an OpenAPI 3.0 type"),
        format!("{hint}use one of string, integer, number, boolean, array, object"),
    )
}

/// The diagnostic for a schema with properties whose `type` is not `object`.
pub(super) fn not_an_object_type(pointer: &str, typ: &str) -> Diagnostic {
    Diagnostic::new(
        format!("{pointer}/type"),
        format!("`type: {typ}` on a schema with properties: an object's type is `object`"),
        "write `type: object` (or leave `type` out)",
    )
}

/// The diagnostic for a discriminator value that maps to a schema that is no object.
pub(super) fn variant_not_an_object(site: &str, tag_value: &str, target: &str) -> Diagnostic {
    Diagnostic::new(
        site,
        format!("unsupported construct: discriminator value `{tag_value}` maps to `{target}`, which is not an object schema"),
        "map every discriminator value to an object schema (a tag can only be added to an object)",
    )
}

/// The diagnostic for a variant that lacks the union's tag property.
pub(super) fn variant_without_tag(site: &str, tag_value: &str, target: &str, tag: &str) -> Diagnostic {
    Diagnostic::new(
        site,
        format!("`{target}` (the `{tag_value}` variant) has no `{tag}` property, the union's discriminator"),
        format!("declare `{tag}` (a required string) in the union's own properties or in `{target}`"),
    )
}
