//! The conventions of MongoDB's Atlas Admin API that the generator relies on, named once.
//!
//! Everything else lowering does is plain OpenAPI 3.0; these are what makes the output an
//! Atlas client: versioned vendor media types, short operation names, and page-by-page lists.
//! (The page size, `itemsPerPage`, needs no convention: it is an ordinary optional parameter.)

use super::media::normalize_media_type;
use crate::ir::{Field, Integer, PageTotal, Pagination, Param, ParamLocation, ResponseKind, TypeRef};

/// Every request and response body is a versioned vendor media type,
/// `application/vnd.atlas.<YYYY-MM-DD>+<suffix>`; the runtime sends this prefix.
pub(super) const VENDOR_MEDIA_PREFIX: &str = "application/vnd.atlas.";

/// The operation extension holding the short name an operation's method is named after.
pub(super) const OPERATION_ID_OVERRIDE: &str = "x-xgen-operation-id-override";

/// The property extension (`x-stream-pipeline: true`) that says a request body's property is a
/// stream processing pipeline: a list of key-tagged stages, which the runtime checks against
/// Atlas' documented rules before anything is sent (the rules are the runtime's `streams`).
pub(in crate::lower) const STREAM_PIPELINE: &str = "x-stream-pipeline";

/// The query parameter of a list's 1-based page number.
pub(super) const PAGE_PARAM: &str = "pageNum";

/// The property of a list response holding one page of items.
pub(super) const ITEMS_FIELD: &str = "results";

/// The property of a list response holding the number of items on all pages.
pub(super) const TOTAL_FIELD: &str = "totalCount";

/// The API version of a vendor media type: `application/vnd.atlas.2023-02-01+json` ->
/// `2023-02-01`. Only versions of the vendor type the runtime sends count.
pub(super) fn media_version(media_type: &str) -> Option<String> {
    let media_type = normalize_media_type(media_type);
    let rest = media_type.strip_prefix(VENDOR_MEDIA_PREFIX)?;
    let version = rest.split('+').next()?;
    let is_date = version.len() == 10
        && version
            .chars()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
    is_date.then(|| version.to_owned())
}

/// Recognizes a paginated list operation from its parameters and its response's fields: an
/// optional integer `pageNum` query parameter, and a response object with a `results` list
/// (and, usually, an integer `totalCount`). The page number must be an integer (the runtime
/// counts pages in `i64`), as must a total count.
pub(super) fn pagination(params: &[Param], kind: &ResponseKind, fields: &[Field]) -> Option<Pagination> {
    let ResponseKind::Json(TypeRef::Named(_)) = kind else {
        return None;
    };
    let page = params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == PAGE_PARAM && !p.required)?;
    let page_type = integer(&page.ty)?;
    let items = fields.iter().find(|f| f.wire_name == ITEMS_FIELD)?;
    let TypeRef::List(item) = &items.ty else { return None };
    let total = fields.iter().filter(|f| f.wire_name == TOTAL_FIELD).find_map(|f| {
        Some(PageTotal {
            field: f.name.clone(),
            ty: integer(&f.ty)?,
            presence: f.presence,
        })
    });
    Some(Pagination {
        page_param: page.name.clone(),
        page_type,
        items_field: items.name.clone(),
        items_presence: items.presence,
        total,
        item: (**item).clone(),
    })
}

/// The integer type of a page number or total count; `None` for any other type.
fn integer(ty: &TypeRef) -> Option<Integer> {
    match ty {
        TypeRef::I32 => Some(Integer::I32),
        TypeRef::I64 => Some(Integer::I64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_vendor_media_types() {
        assert_eq!(
            media_version("application/vnd.atlas.2023-02-01+json").as_deref(),
            Some("2023-02-01")
        );
        assert_eq!(
            media_version("application/vnd.atlas.2024-05-30+gzip").as_deref(),
            Some("2024-05-30")
        );
        assert_eq!(media_version("application/json"), None);
        assert_eq!(
            media_version("Application/VND.atlas.2025-03-12+JSON; charset=utf-8").as_deref(),
            Some("2025-03-12")
        );
        assert_eq!(media_version("application/vnd.atlas.latest+json"), None);
    }
}
