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

/// `Serialize` and `Deserialize` for a generated struct: its known properties, then every
/// property the struct does not know, kept in its extras map and written back unchanged.
///
/// `(Type { field("wire", presence), ... } extras)`, where presence is `required`, `optional`
/// (absent or null -> `None`, `None` is left out), `required_nullable` (`None` is sent as
/// `null`) or `nullable` (the three-state `Nullable`). Written out rather than derived: serde's
/// derive with a `flatten` catch-all buffers every object before decoding it, which is slower
/// and makes the compiler do several times the work per struct.
#[doc(hidden)]
#[macro_export]
macro_rules! __object {
    ($name:ident { $($field:ident($wire:literal, $presence:ident)),* $(,)? } $extra:ident) => {
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $( $crate::__object_put!($presence, map, self.$field, $wire); )*
                for (key, value) in &self.$extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
        #[allow(deprecated)]
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<$name, A::Error> {
                        $( let mut $field = $crate::__object_slot!($presence); )*
                        let mut $extra = ::serde_json::Map::new();
                        while let Some(key) = map.next_key::<$crate::runtime::union::Key<'de>>()? {
                            match key.as_str() {
                                $( $wire => $field = $crate::__object_take!($presence, map), )*
                                _ => {
                                    let value: ::serde_json::Value = map.next_value()?;
                                    $extra.insert(key.into_string(), value);
                                }
                            }
                        }
                        Ok($name { $( $field: $crate::__object_done!($presence, $field, $wire), )* $extra })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
}

/// Writes one known property (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_put {
    (required, $map:ident, $value:expr, $wire:literal) => {
        $map.serialize_entry($wire, &$value)?
    };
    (required_nullable, $map:ident, $value:expr, $wire:literal) => {
        $map.serialize_entry($wire, &$value)?
    };
    (optional, $map:ident, $value:expr, $wire:literal) => {
        if let Some(value) = &$value {
            $map.serialize_entry($wire, value)?
        }
    };
    (nullable, $map:ident, $value:expr, $wire:literal) => {
        if !$value.is_absent() {
            $map.serialize_entry($wire, &$value)?
        }
    };
}

/// The empty slot a property is read into (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_slot {
    (required) => {
        None
    };
    (required_nullable) => {
        None
    };
    (optional) => {
        None
    };
    (nullable) => {
        $crate::runtime::Nullable::Absent
    };
}

/// Reads one known property's value (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_take {
    (required, $map:ident) => {
        Some($map.next_value()?)
    };
    (required_nullable, $map:ident) => {
        $map.next_value()?
    };
    (optional, $map:ident) => {
        $map.next_value()?
    };
    (nullable, $map:ident) => {
        $map.next_value()?
    };
}

/// The field's final value, or the error for a missing required property (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_done {
    (required, $slot:ident, $wire:literal) => {
        $slot.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (required_nullable, $slot:ident, $wire:literal) => {
        $slot
    };
    (optional, $slot:ident, $wire:literal) => {
        $slot
    };
    (nullable, $slot:ident, $wire:literal) => {
        $slot
    };
}
