//! The generated tagged unions: their `tagged_union!` macro and the serde helpers it and the
//! string enums call.

use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Writes `{tag: value, ...fields of inner}`: the tag first, then the variant's own fields.
pub fn serialize_tagged<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    inner: &T,
) -> Result<S::Ok, S::Error> {
    let Value::Object(fields) = serde_json::to_value(inner).map_err(S::Error::custom)? else {
        return Err(S::Error::custom(format!(
            "the `{value}` variant does not serialize to an object"
        )));
    };
    let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
    map.serialize_entry(tag, value)?;
    for (key, field) in fields.iter().filter(|(key, _)| key.as_str() != tag) {
        map.serialize_entry(key, field)?;
    }
    map.end()
}

/// Reads a JSON object (the first step of decoding a tagged union).
pub fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Map<String, Value>, D::Error> {
    <Map<String, Value> as serde::Deserialize>::deserialize(deserializer)
}

/// The string value of the tag property, if present.
pub fn tag_of(object: &Map<String, Value>, tag: &str) -> Option<String> {
    object.get(tag).and_then(Value::as_str).map(str::to_owned)
}

/// Decodes a known variant from its object, minus the tag (the enum variant carries it).
pub fn variant<T: DeserializeOwned, E: de::Error>(mut object: Map<String, Value>, tag: &str) -> Result<T, E> {
    object.shift_remove(tag);
    serde_json::from_value(Value::Object(object)).map_err(E::custom)
}

/// Hands a borrowed or owned string to `f` without allocating when the input can lend it.
pub fn visit_str<'de, D: Deserializer<'de>, T>(deserializer: D, f: impl FnOnce(&str) -> T) -> Result<T, D::Error> {
    struct StrVisitor<F>(F);
    impl<'de, T, F: FnOnce(&str) -> T> Visitor<'de> for StrVisitor<F> {
        type Value = T;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.0)(value))
        }
    }
    deserializer.deserialize_str(StrVisitor(f))
}

/// An object key, borrowed from the input when it can be (no allocation per known property).
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for the extras map).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(value)))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the remaining entries of a map into `object`.
pub fn rest_into<'de, A: serde::de::MapAccess<'de>>(
    map: &mut A,
    object: &mut Map<String, Value>,
) -> Result<(), A::Error> {
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        object.insert(key, value);
    }
    Ok(())
}

/// `tag()`, `Serialize` and `Deserialize` for a discriminated union:
/// `(Type, "tag property", CatchAll, [Variant(StructType) = "tag value", ...])`.
///
/// Decoding takes one pass when the tag comes first in the object (as this client, and
/// servers that write the discriminator first, send it): the rest of the object goes straight
/// into the variant's struct. Otherwise the object is read into a JSON map first, then
/// dispatched. An unknown tag keeps the whole object, tag included, in the catch-all.
#[doc(hidden)]
#[macro_export]
macro_rules! __tagged_union {
    ($name:ident, $tag:literal, $unknown:ident, [$($variant:ident($ty:ty) = $value:literal),* $(,)?]) => {
        impl $name {
            /// The tag of this value as sent on the wire (`None` for an unknown object without one).
            pub fn tag(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(_) => Some($value),)*
                    Self::$unknown(object) => object.get($tag).and_then(::serde_json::Value::as_str),
                }
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::runtime::union::serialize_tagged(serializer, $tag, $value, value),)*
                    Self::$unknown(object) => ::serde::Serialize::serialize(object, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::core::result::Result<$name, A::Error> {
                        use $crate::runtime::union::{rest_into, variant, Key};
                        let mut object = ::serde_json::Map::new();
                        let Some(first) = map.next_key::<Key<'de>>()? else {
                            return Ok($name::$unknown(object));
                        };
                        let first_value: ::serde_json::Value = map.next_value()?;
                        if first.as_str() == $tag {
                            match first_value.as_str() {
                                $(Some($value) => {
                                    let rest = ::serde::de::value::MapAccessDeserializer::new(map);
                                    return <$ty as ::serde::Deserialize>::deserialize(rest).map($name::$variant);
                                })*
                                _ => {}
                            }
                        }
                        object.insert(first.into_string(), first_value);
                        rest_into(&mut map, &mut object)?;
                        match object.get($tag).and_then(::serde_json::Value::as_str) {
                            $(Some($value) => variant::<$ty, A::Error>(object, $tag).map($name::$variant),)*
                            _ => Ok($name::$unknown(object)),
                        }
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
}
