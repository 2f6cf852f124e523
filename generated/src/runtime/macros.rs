//! The impls every generated string enum and validated newtype shares, written once.
//!
//! A spec like MongoDB's full Admin API has about a thousand enums: spelling their six trait
//! impls out each time made the generated file (and the generator's formatting work) nearly
//! twice as big, with nothing to read in it. The type definitions themselves, with their
//! docs, stay in the generated code.

/// `as_str`, `From<&str>`, `FromStr`, `Display`, `Serialize` and `Deserialize` for a string
/// enum: `(Type, CatchAll, [Variant => "wire", ...])`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($name:ident, $unknown:ident, [$($variant:ident => $wire:literal),* $(,)?]) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value,
                }
            }
        }
        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(other.to_owned()),
                }
            }
        }
        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::runtime::union::visit_str(deserializer, |value: &str| Self::from(value))
            }
        }
    };
}

/// Construction, access and the conversions of a validated string newtype `Type(String)`
/// with a `PATTERN` constant.
#[doc(hidden)]
#[macro_export]
macro_rules! __pattern_newtype {
    ($name:ident) => {
        impl $name {
            /// Checks `value` against [`Self::PATTERN`].
            pub fn new(value: impl Into<String>) -> ::core::result::Result<Self, $crate::runtime::InvalidValue> {
                static PATTERN: $crate::runtime::Pattern =
                    $crate::runtime::Pattern::new(stringify!($name), $name::PATTERN);
                PATTERN.check(value.into()).map(Self)
            }
            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// The value as an owned string.
            pub fn into_inner(self) -> String {
                self.0
            }
        }
        impl ::core::str::FromStr for $name {
            type Err = $crate::runtime::InvalidValue;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                Self::new(value)
            }
        }
        impl ::core::convert::TryFrom<&str> for $name {
            type Error = $crate::runtime::InvalidValue;
            fn try_from(value: &str) -> ::core::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }
        impl ::core::convert::TryFrom<String> for $name {
            type Error = $crate::runtime::InvalidValue;
            fn try_from(value: String) -> ::core::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }
        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}
