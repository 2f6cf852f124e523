//! The generated tagged unions: their `tagged_union!` macro and the serde helpers it and the
//! string enums call.
//!
//! Decoding reads an object only up to its tag: the properties before it are buffered
//! (`content`), and the variant's struct then reads them back followed by the rest of the
//! object straight from the input ([`Tagged`]), so what comes after the tag is never buffered.

mod content;
mod ser;

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use content::{Content, ContentDeserializer};

/// Writes `{tag: value, ...fields of inner}`: the tag first, then the variant's own fields
/// (an entry of the variant named like the tag is left out), without an intermediate `Value`.
pub fn serialize_tagged<S: Serializer, T: Serialize + ?Sized>(
    serializer: S,
    tag: &str,
    value: &str,
    inner: &T,
) -> Result<S::Ok, S::Error> {
    inner.serialize(ser::TagFirst { serializer, tag, value })
}

/// A union's object read up to its tag: the entries before the tag, the tag's value, and the
/// input positioned just after it.
///
/// As a [`MapAccess`] it is the object without its tag, for the variant's struct: the buffered
/// entries first, then the rest read live from the input. A second tag property is an error
/// (`duplicate field`), as with serde's internally tagged enums: which one decides the
/// variant would depend on the reader, and a variant chosen by the first could not be kept
/// consistent with the second.
pub struct Tagged<'de, A> {
    /// The tag property's name.
    name: &'static str,
    /// The tag's value when it is a string (otherwise it stays among `before`, in place).
    tag: Option<Cow<'de, str>>,
    /// Whether the tag property was met (so another one is a duplicate).
    seen: bool,
    /// The entries before the tag, not yet replayed.
    before: std::vec::IntoIter<(Cow<'de, str>, Content<'de>)>,
    /// The value of the entry whose key was just replayed.
    pending: Option<Content<'de>>,
    /// The input, after the tag.
    map: A,
    /// The input has no more entries.
    done: bool,
}

impl<'de, A: MapAccess<'de>> Tagged<'de, A> {
    /// Reads `map` up to and including the property `name`, or to the end without one.
    pub fn read(mut map: A, name: &'static str) -> Result<Self, A::Error> {
        let mut before = Vec::new();
        let (mut tag, mut seen, mut done) = (None, false, true);
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let value: Content<'de> = map.next_value()?;
            if key.as_str() == name {
                seen = true;
                done = false;
                match value {
                    Content::Str(value) => tag = Some(value),
                    // Not a string: no variant's tag, so the object goes to the catch-all
                    // whole, this entry in its place.
                    other => before.push((key.into_cow(), other)),
                }
                break;
            }
            if before.is_empty() {
                // Room for the few common properties objects often start with, in one
                // allocation (a tag-first object allocates none).
                before.reserve(8);
            }
            before.push((key.into_cow(), value));
        }
        Ok(Tagged {
            name,
            tag,
            seen,
            before: before.into_iter(),
            pending: None,
            map,
            done,
        })
    }

    /// The tag's value, when the object has one that is a string.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The whole object in input order, tag included, numbers unchanged: for the catch-all
    /// variant of an unknown (or missing, or non-string) tag.
    pub fn into_object(mut self) -> Result<Map<String, Value>, A::Error> {
        let mut object = content::into_object(std::mem::take(&mut self.before).collect());
        if let Some(tag) = self.tag.take() {
            object.insert(self.name.to_owned(), Value::String(tag.into_owned()));
        }
        while let Some(key) = self.next_live_key()? {
            let value: Value = self.map.next_value()?;
            object.insert(key.into_string(), value);
        }
        Ok(object)
    }

    /// The next key read from the input (not replayed); a second tag property is an error.
    fn next_live_key(&mut self) -> Result<Option<Key<'de>>, A::Error> {
        if self.done {
            return Ok(None);
        }
        match self.map.next_key::<Key<'de>>()? {
            None => {
                self.done = true;
                Ok(None)
            }
            Some(key) if self.seen && key.as_str() == self.name => Err(de::Error::duplicate_field(self.name)),
            Some(key) => Ok(Some(key)),
        }
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Tagged<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let key = match self.before.next() {
            Some((key, value)) => {
                self.pending = Some(value);
                key
            }
            None => match self.next_live_key()? {
                Some(key) => key.into_cow(),
                None => return Ok(None),
            },
        };
        seed.deserialize(ContentDeserializer::new(Content::Str(key))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(value) => seed.deserialize(ContentDeserializer::new(value)),
            None => self.map.next_value_seed(seed),
        }
    }
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
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for the extras map).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }

    /// The key, still borrowed if it was.
    pub fn into_cow(self) -> Cow<'de, str> {
        self.0
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
                Ok(Key(Cow::Borrowed(value)))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// `tag()`, `Serialize` and `Deserialize` for a discriminated union:
/// `(Type, "tag property", CatchAll, [Variant(StructType) = "tag value", ...])`.
///
/// Decoding reads the object up to its tag ([`Tagged`](crate::union::Tagged)), then
/// the variant's struct reads the entries before the tag again and the rest straight from the
/// input: one pass, whatever the tag's position. An unknown tag (or none) keeps the whole
/// object, tag included and in order, in the catch-all.
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
                    $(Self::$variant(value) => $crate::union::serialize_tagged(serializer, $tag, $value, value),)*
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
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, map: A) -> ::core::result::Result<$name, A::Error> {
                        let object = $crate::union::Tagged::read(map, $tag)?;
                        match object.tag() {
                            $(Some($value) => {
                                let rest = ::serde::de::value::MapAccessDeserializer::new(object);
                                <$ty as ::serde::Deserialize>::deserialize(rest).map($name::$variant)
                            })*
                            _ => object.into_object().map($name::$unknown),
                        }
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
}
