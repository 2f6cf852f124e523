//! The serde plumbing the generated structs (`rt::object!`) and string enums share, written
//! once.
//!
//! Everything that does not depend on a struct's own fields lives here as one generic function
//! (the visitor, the key loop's reads, the writer that remembers the first error), so that what
//! the macro expands to per struct is little more than one call per field. A spec like
//! MongoDB's full Admin API has over a thousand structs: the compiler type- and borrow-checks
//! every expanded body separately, and with the per-field `?`s, matches and the visitor spelled
//! out in each struct, those bodies were the biggest part of checking the generated crate.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::nullable::Nullable;
use crate::union::Key;

/// A generated struct read from the entries of a JSON object (the body of its `Deserialize`).
pub trait Object: Sized {
    /// The type's name, for the "expected a … object" error.
    const NAME: &'static str;

    /// Reads the struct from the object's entries, in whatever order they come.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of every generated struct: asks for a map and hands its entries
/// to [`Object::read`].
pub fn deserialize<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// The one visitor all generated structs share.
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// The next property name, borrowed from the input when it can be.
pub fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    map.next_key()
}

/// Reads a property's value into its slot (a plain optional, nullable or three-state field).
pub fn read<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, slot: &mut T) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads a required property's value into its slot (`None` until it has been seen).
pub fn read_required<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps a property the struct does not know, with its value as it came.
pub fn read_extra<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Key<'de>,
    extra: &mut Map<String, Value>,
) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    extra.insert(key.into_string(), value);
    Ok(())
}

/// The error for a required property the object does not have.
pub fn missing<E: serde::de::Error>(property: &'static str) -> E {
    E::missing_field(property)
}

/// Writes a generated struct as a map, one property at a time.
///
/// It keeps the first error instead of returning it, and does nothing after one, so the
/// generated `serialize` is a straight list of calls without an early return per property;
/// [`MapWriter::end`] reports the error.
pub struct MapWriter<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

/// Starts writing a struct (`Serialize::serialize` of every generated struct).
pub fn write_map<S: Serializer>(serializer: S) -> Result<MapWriter<S::SerializeMap>, S::Error> {
    Ok(MapWriter {
        map: serializer.serialize_map(None)?,
        error: None,
    })
}

impl<M: SerializeMap> MapWriter<M> {
    /// A property that is always written (`None` of a required nullable one as `null`).
    pub fn required<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    /// An optional property: left out when `None`.
    pub fn optional<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// A three-state property: left out when absent, `null` when null.
    pub fn nullable<T: Serialize>(&mut self, key: &str, value: &Nullable<T>) {
        if !value.is_absent() {
            self.required(key, value);
        }
    }

    /// Writes the properties the struct did not know (its extras), then closes the map.
    pub fn end(mut self, extra: &Map<String, Value>) -> Result<M::Ok, M::Error> {
        for (key, value) in extra {
            self.required(key, value);
        }
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

/// The order a struct's properties came in, kept so that it is written back in that order (the
/// structs of a stream processing stage: MongoDB compares stages as BSON documents, in which
/// order counts).
///
/// It is no part of the value: two structs that differ only in it are equal. A struct built in
/// code has none, and is written in its fields' order, its extras last; properties that the
/// order does not name (set after decoding) follow the ones it names, in that same order.
#[derive(Clone, Default)]
pub struct KeyOrder(Vec<Box<str>>);

impl KeyOrder {
    /// Records the next property read (a repeated one once, where it first came).
    pub fn push(&mut self, key: &str) {
        if !self.contains(key) {
            self.0.push(key.into());
        }
    }

    /// Whether the order names `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|k| &**k == key)
    }

    /// The properties in the order they came.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|k| &**k)
    }

    /// Whether no order was recorded (a struct built in code).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl PartialEq for KeyOrder {
    /// Always: the order is how a value was written, not what it is.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for KeyOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.keys()).finish()
    }
}

impl<M: SerializeMap> MapWriter<M> {
    /// An extra property by name, written where the order names it (if the struct has it).
    pub fn extra(&mut self, key: &str, extra: &Map<String, Value>) {
        if let Some(value) = extra.get(key) {
            self.required(key, value);
        }
    }

    /// Writes the extras the order does not name, then closes the map.
    pub fn end_after(self, order: &KeyOrder, extra: &Map<String, Value>) -> Result<M::Ok, M::Error> {
        let mut this = self;
        for (key, value) in extra {
            if !order.contains(key) {
                this.required(key, value);
            }
        }
        match this.error {
            Some(e) => Err(e),
            None => this.map.end(),
        }
    }
}

/// `Deserialize::deserialize` of every generated string enum: any string, the values it does
/// not know kept by its `From<&str>` (one generic function rather than a closure per enum).
pub fn deserialize_enum<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(deserializer: D) -> Result<T, D::Error> {
    crate::union::visit_str(deserializer, |value: &str| T::from(value))
}
