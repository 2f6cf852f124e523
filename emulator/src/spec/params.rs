//! Path and query parameters: what each operation takes, and the checks every request passes.

use std::collections::{BTreeMap, HashMap};

use atlas_streams_generator::ir::{self, ParamLocation, TypeDef, TypeKind, TypeRef};
use percent_encoding::percent_decode_str;
use regex_lite::Regex;

/// What values a parameter accepts.
#[derive(Debug)]
pub enum ParamKind {
    /// `true` or `false`.
    Bool,
    /// An integer, with the bounds and default of its schema.
    Int(Bounds),
    /// A string, optionally matching a pattern (a validated newtype in the IR).
    Str(Option<Regex>),
    /// One of a string enum's values.
    Enum(Vec<String>),
}

/// `minimum`, `maximum` and `default` of an integer parameter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    /// The smallest value allowed.
    pub min: Option<i64>,
    /// The largest value allowed.
    pub max: Option<i64>,
    /// The value used when the parameter is absent.
    pub default: Option<i64>,
}

/// One path or query parameter of an operation.
#[derive(Debug)]
pub struct ParamSpec {
    /// Path or query.
    pub location: ParamLocation,
    /// The name on the wire.
    pub wire_name: String,
    /// Whether a request must carry it.
    pub required: bool,
    /// Its values.
    pub kind: ParamKind,
}

impl ParamSpec {
    /// Derives a parameter's checks from its IR description.
    pub fn derive(param: &ir::Param, types: &HashMap<String, TypeDef>, bounds: Bounds) -> Result<ParamSpec, String> {
        let kind = match &param.ty {
            TypeRef::Bool => ParamKind::Bool,
            TypeRef::I32 | TypeRef::I64 => ParamKind::Int(bounds),
            TypeRef::String => ParamKind::Str(None),
            TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Pattern(p)) => ParamKind::Str(Some(
                    Regex::new(&p.pattern).map_err(|e| format!("parameter `{}`: {e}", param.wire_name))?,
                )),
                Some(TypeKind::StringEnum(e)) => ParamKind::Enum(e.values.iter().map(|v| v.wire.clone()).collect()),
                _ => {
                    return Err(format!(
                        "parameter `{}` has type `{name}`, which the emulator cannot read from a URL",
                        param.wire_name
                    ))
                }
            },
            other => {
                return Err(format!(
                    "parameter `{}` has type {other:?}, which the emulator cannot read from a URL",
                    param.wire_name
                ))
            }
        };
        Ok(ParamSpec {
            location: param.location,
            wire_name: param.wire_name.clone(),
            required: param.required,
            kind,
        })
    }
}

/// The bounds of an integer parameter, read from the parsed document: the IR keeps a
/// parameter's type but not its `minimum`, `maximum` or `default`.
pub fn bounds(document: &openapiv3::OpenAPI, op: &ir::Operation, wire_name: &str) -> Bounds {
    use openapiv3::{ReferenceOr, SchemaKind, Type};

    let Some(ReferenceOr::Item(item)) = document.paths.paths.get(&op.path) else {
        return Bounds::default();
    };
    let operation = match op.method {
        ir::Method::Get => &item.get,
        ir::Method::Put => &item.put,
        ir::Method::Post => &item.post,
        ir::Method::Delete => &item.delete,
        ir::Method::Options => &item.options,
        ir::Method::Head => &item.head,
        ir::Method::Patch => &item.patch,
        ir::Method::Trace => &item.trace,
    };
    let resolve = |p: &ReferenceOr<openapiv3::Parameter>| -> Option<openapiv3::ParameterData> {
        match p {
            ReferenceOr::Item(p) => Some(p.parameter_data_ref().clone()),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                match document.components.as_ref()?.parameters.get(name)? {
                    ReferenceOr::Item(p) => Some(p.parameter_data_ref().clone()),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    };
    let declared = operation
        .iter()
        .flat_map(|o| o.parameters.iter())
        .chain(item.parameters.iter());
    for data in declared.filter_map(resolve).filter(|d| d.name == wire_name) {
        let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
            continue;
        };
        if let SchemaKind::Type(Type::Integer(int)) = &schema.schema_kind {
            return Bounds {
                min: int.minimum.map(|m| if int.exclusive_minimum { m + 1 } else { m }),
                max: int.maximum.map(|m| if int.exclusive_maximum { m - 1 } else { m }),
                default: schema.schema_data.default.as_ref().and_then(serde_json::Value::as_i64),
            };
        }
    }
    Bounds::default()
}

/// A checked parameter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
}

/// Why a parameter was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required parameter is absent.
    Missing,
    /// The value is not of the parameter's type (`expected` names it).
    Type { expected: &'static str },
    /// An integer below the schema's minimum.
    BelowMinimum(i64),
    /// A string that does not match the pattern.
    Pattern,
    /// A value that is not one of the enum's.
    Enum,
}

/// A refused parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    /// Path or query.
    pub location: ParamLocation,
    /// The parameter's name.
    pub name: String,
    /// The value as received (decoded), if there was one.
    pub value: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

impl ParamError {
    /// A sentence for `badRequestDetail.fields[].description`.
    pub fn describe(&self) -> String {
        match &self.problem {
            Problem::Missing => "The parameter is required.".into(),
            Problem::Type { expected } => format!("The value must be {expected}."),
            Problem::BelowMinimum(min) => format!("The value must be at least {min}."),
            Problem::Pattern => "The value does not have the required format.".into(),
            Problem::Enum => "The value is not one of the allowed values.".into(),
        }
    }
}

/// The checked parameters of one request.
#[derive(Clone, Debug, Default)]
pub struct Params {
    /// Path parameters by name (decoded; always strings).
    pub path: BTreeMap<String, String>,
    /// Query parameters the operation declares, by name; absent ones with a default have it.
    pub query: BTreeMap<String, Value>,
}

impl Params {
    /// A path parameter ("" if the template has none of that name, which a route never allows).
    pub fn path(&self, name: &str) -> &str {
        self.path.get(name).map(String::as_str).unwrap_or("")
    }

    /// A boolean query parameter, `false` when absent.
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.query.get(name), Some(Value::Bool(true)))
    }

    /// An integer query parameter.
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.query.get(name) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// A string query parameter.
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.query.get(name) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }
}

/// Decodes a query string into name/value pairs (`+` is a space, as in HTML forms).
pub fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    raw.unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Checks a request's path and query parameters against the operation's.
///
/// Query parameters the operation does not declare are ignored. Of a repeated parameter the
/// first value counts.
// GUESS: Atlas' handling of undeclared and repeated query parameters is undocumented; ignoring
// them is what most JAX-RS services do.
pub fn check(
    specs: &[ParamSpec],
    path: BTreeMap<String, String>,
    query: &[(String, String)],
) -> Result<Params, Vec<ParamError>> {
    let mut params = Params {
        path,
        query: BTreeMap::new(),
    };
    let mut errors = Vec::new();
    for spec in specs {
        let raw = match spec.location {
            ParamLocation::Path => params.path.get(&spec.wire_name).cloned(),
            _ => query.iter().find(|(n, _)| *n == spec.wire_name).map(|(_, v)| v.clone()),
        };
        let error = |problem| ParamError {
            location: spec.location,
            name: spec.wire_name.clone(),
            value: None,
            problem,
        };
        let Some(raw) = raw else {
            if spec.required {
                errors.push(error(Problem::Missing));
            } else if let ParamKind::Int(Bounds { default: Some(d), .. }) = spec.kind {
                params.query.insert(spec.wire_name.clone(), Value::Int(d));
            }
            continue;
        };
        match read(&spec.kind, &raw) {
            Ok(value) if spec.location == ParamLocation::Query => {
                params.query.insert(spec.wire_name.clone(), value);
            }
            Ok(_) => {}
            Err(problem) => errors.push(ParamError {
                value: Some(raw),
                ..error(problem)
            }),
        }
    }
    if errors.is_empty() {
        Ok(params)
    } else {
        Err(errors)
    }
}

/// `envelope` and `pretty` on an operation whose spec entry leaves them out: MongoDB's API
/// reference lists both among "the HTTP request query parameters available to all Atlas
/// Administration API resources", so they work everywhere, checked like declared ones.
pub fn check_global_flags(params: &mut Params, query: &[(String, String)]) -> Result<(), Vec<ParamError>> {
    for name in ["envelope", "pretty"] {
        if params.query.contains_key(name) {
            continue;
        }
        if let Some((_, raw)) = query.iter().find(|(n, _)| n == name) {
            match read(&ParamKind::Bool, raw) {
                Ok(value) => {
                    params.query.insert(name.to_owned(), value);
                }
                Err(problem) => {
                    return Err(vec![ParamError {
                        location: ParamLocation::Query,
                        name: name.to_owned(),
                        value: Some(raw.clone()),
                        problem,
                    }])
                }
            }
        }
    }
    Ok(())
}

fn read(kind: &ParamKind, raw: &str) -> Result<Value, Problem> {
    match kind {
        ParamKind::Bool => match raw.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(Problem::Type { expected: "a boolean" }),
        },
        ParamKind::Int(bounds) => {
            let value: i64 = raw.parse().map_err(|_| Problem::Type { expected: "an integer" })?;
            Ok(Value::Int(within(value, *bounds)?))
        }
        ParamKind::Str(Some(pattern)) if !pattern.is_match(raw) => Err(Problem::Pattern),
        ParamKind::Str(_) => Ok(Value::Str(raw.to_owned())),
        ParamKind::Enum(values) if values.iter().any(|v| v == raw) => Ok(Value::Str(raw.to_owned())),
        ParamKind::Enum(_) => Err(Problem::Enum),
    }
}

/// Applies an integer parameter's bounds the way MongoDB's API guidelines say list parameters
/// behave (IPA-110, mongodb.github.io/ipa/110): `0` means "the default", a value above the
/// maximum is lowered to the maximum, and only a value below the minimum otherwise is an error.
fn within(value: i64, bounds: Bounds) -> Result<i64, Problem> {
    match (bounds.min, bounds.default) {
        (Some(min), Some(default)) if value == 0 && min > 0 => return Ok(default),
        (Some(min), _) if value < min => return Err(Problem::BelowMinimum(min)),
        _ => {}
    }
    Ok(bounds.max.map_or(value, |max| value.min(max)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_bounds_follow_ipa_110() {
        let items = Bounds {
            min: Some(1),
            max: Some(500),
            default: Some(100),
        };
        assert_eq!(within(0, items), Ok(100));
        assert_eq!(within(7, items), Ok(7));
        assert_eq!(within(1000, items), Ok(500));
        assert_eq!(within(-1, items), Err(Problem::BelowMinimum(1)));
        assert_eq!(within(-5, Bounds::default()), Ok(-5));
    }

    #[test]
    fn query_strings_decode_like_forms() {
        assert_eq!(
            parse_query(Some("a=1&b=x+y%2Fz&flag&&c=")),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y/z".into()),
                ("flag".into(), "".into()),
                ("c".into(), "".into())
            ]
        );
        assert!(parse_query(None).is_empty());
    }
}
