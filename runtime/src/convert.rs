//! Responses turned into request bodies: the error when one cannot be, and the few helpers the
//! generated conversions (`impl From<&Response> for Request`, or `TryFrom`) call.
//!
//! What a conversion does per property is decided by the generator and written out in each
//! impl; only what does not depend on a type lives here.

use std::fmt;

use serde_json::{Map, Value};

use crate::nullable::Nullable;

/// Why a response cannot fill a property its request form requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MissingReason {
    /// The property is `writeOnly` (a secret): the server never returns it.
    WriteOnly,
    /// The response type has no such property.
    NotInResponse,
    /// The response has the property, but of a type that does not convert to the request's.
    Incompatible,
    /// The response type has the property, but this response did not include it.
    Absent,
    /// The response is a variant (a tag value) the request type has no variant for.
    NoVariant,
}

impl MissingReason {
    fn describe(self) -> &'static str {
        match self {
            MissingReason::WriteOnly => "it is writeOnly: the server never returns it",
            MissingReason::NotInResponse => "the response type has no such property",
            MissingReason::Incompatible => "the response's property has a type that does not convert to it",
            MissingReason::Absent => "the response did not include it",
            MissingReason::NoVariant => "the request type has no variant with this tag",
        }
    }
}

/// A response that cannot become a request body: a property the request requires has no
/// value in the response. Build the request with its `new(..)` instead, or set the property
/// on a request converted from a response that has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionError {
    /// The request type being made, e.g. `ConfluentUserInfoAuthenticationRequest`.
    pub target: &'static str,
    /// The property on the wire (the tag value, for [`MissingReason::NoVariant`]).
    pub property: &'static str,
    /// Why the response cannot provide it.
    pub reason: MissingReason,
}

impl ConversionError {
    /// The error for `property` of `target`.
    pub fn new(target: &'static str, property: &'static str, reason: MissingReason) -> Self {
        ConversionError {
            target,
            property,
            reason,
        }
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot make a `{}` from the response: it requires `{}`, and {}",
            self.target,
            self.property,
            self.reason.describe()
        )
    }
}

impl std::error::Error for ConversionError {}

/// A conversion that cannot fail (`From`) used inside one that can (`TryFrom`): `?` on its
/// `Infallible` error.
impl From<std::convert::Infallible> for ConversionError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

/// A response's optional property the request requires: its value, or the error naming it.
pub fn present<'a, T>(
    value: Option<&'a T>,
    target: &'static str,
    property: &'static str,
) -> Result<&'a T, ConversionError> {
    value.ok_or(ConversionError::new(target, property, MissingReason::Absent))
}

/// An optional value as a three-state one: absent stays absent (a conversion never sends a
/// `null` the response did not send).
pub fn nullable_from_option<T>(value: Option<T>) -> Nullable<T> {
    value.map_or(Nullable::Absent, Nullable::Value)
}

/// The properties neither type knows, kept for the request; `known` are the request's own wire
/// names (a property the response did not know but the request does must not be sent twice).
pub fn convert_extra(extra: &Map<String, Value>, known: &[&str]) -> Map<String, Value> {
    if known.is_empty() {
        return extra.clone();
    }
    extra
        .iter()
        .filter(|(key, _)| !known.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_names_the_property_and_why() {
        let e = ConversionError::new("AuthRequest", "password", MissingReason::WriteOnly);
        assert_eq!(
            e.to_string(),
            "cannot make a `AuthRequest` from the response: it requires `password`, and it is writeOnly: the server never returns it"
        );
        assert_eq!(
            present::<i32>(None, "T", "p"),
            Err(ConversionError::new("T", "p", MissingReason::Absent))
        );
        assert_eq!(nullable_from_option(Some(1)), Nullable::Value(1));
        assert_eq!(nullable_from_option::<i32>(None), Nullable::Absent);
        let extra: Map<String, Value> = serde_json::from_str(r#"{"a": 1, "b": 2}"#).unwrap();
        assert_eq!(convert_extra(&extra, &["a"]).len(), 1);
    }
}
