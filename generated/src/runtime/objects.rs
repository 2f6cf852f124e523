//! What the generated types share, written once: the serde plumbing of the structs
//! (`rt::object!`), string enum decoding, list pagination, and the validated string type.
//!
//! Everything that does not depend on a struct's own fields lives here as one generic function
//! (the visitor, the key loop's reads, the writer that remembers the first error), so that what
//! the macro expands to per struct is little more than one call per field. A spec like
//! MongoDB's full Admin API has over a thousand structs: the compiler type- and borrow-checks
//! every expanded body separately, and with the per-field `?`s, matches and the visitor spelled
//! out in each struct, those bodies were the biggest part of checking the generated crate.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::union::Key;
use super::{BoxFuture, InvalidValue, ItemStream, Nullable, Page, Pattern};

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

/// A generated list operation's request builder, whose pages [`items`] walks.
///
/// Each builder says only how to ask for a page and where a page's items are; the stream
/// itself is this one generic function. (A `paginate` call with an `async` closure in each
/// builder made the compiler check a state machine per list operation.)
pub trait Paged: Clone + Send + 'static {
    /// The decoded response of one page.
    type Page: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;

    /// The builder asking for page `page` (1-based).
    fn page(self, page: i64) -> Self;

    /// Sends the request for one page.
    fn send_page(self) -> BoxFuture<Self::Page>;

    /// A page's items and, if the API said, the total number of items.
    fn items_of(page: Self::Page) -> Page<Self::Item>;
}

/// Every item of every page of `builder`'s list, starting at page `first`, fetched one page
/// at a time as the stream is read (see [`paginate`](super::paginate)).
pub fn items<B: Paged>(builder: B, first: i64) -> ItemStream<B::Item> {
    super::paginate(builder, first, |builder: B, page| {
        let sent = builder.page(page).send_page();
        async move { sent.await.map(B::items_of) }
    })
}

/// `Deserialize::deserialize` of every generated string enum: any string, the values it does
/// not know kept by its `From<&str>` (one generic function rather than a closure per enum).
pub fn deserialize_enum<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(deserializer: D) -> Result<T, D::Error> {
    super::union::visit_str(deserializer, |value: &str| T::from(value))
}

/// The name and pattern of one generated validated string type (`models::formats::*`).
pub trait Format: 'static {
    /// The type's name, e.g. `GroupId` (for `Debug` and errors).
    const NAME: &'static str;
    /// The regular expression every value matches.
    const PATTERN: &'static str;

    /// The pattern, compiled on first use (one per type).
    fn pattern() -> &'static Pattern;
}

/// A string that matches the pattern of its format: every generated validated type, e.g.
/// `models::GroupId`, is one of these (`Validated<models::formats::GroupId>`).
///
/// One generic type rather than a struct per pattern: a large spec has hundreds of them (290
/// in MongoDB's full Admin API, mostly 24-hex-digit ids), each of which needed some fifteen
/// trait impls of its own, and the compiler's work and memory grow with every impl. Each
/// format is still its own type, so ids of different kinds do not mix.
pub struct Validated<F: Format>(String, PhantomData<F>);

impl<F: Format> Validated<F> {
    /// The pattern every value matches.
    pub const PATTERN: &'static str = F::PATTERN;

    /// Checks `value` against [`Self::PATTERN`].
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidValue> {
        F::pattern()
            .check(value.into())
            .map(|value| Validated(value, PhantomData))
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

// The derives would require `F: Clone`, `F: Debug`, ... of the format, which is never built.
impl<F: Format> Clone for Validated<F> {
    fn clone(&self) -> Self {
        Validated(self.0.clone(), PhantomData)
    }
}

/// Prints like a newtype, e.g. `GroupId("32b6e34b3d91647abb20e7b8")`.
impl<F: Format> fmt::Debug for Validated<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(F::NAME).field(&self.0).finish()
    }
}

impl<F: Format> PartialEq for Validated<F> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<F: Format> Eq for Validated<F> {}

impl<F: Format> Hash for Validated<F> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<F: Format> PartialOrd for Validated<F> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<F: Format> Ord for Validated<F> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl<F: Format> FromStr for Validated<F> {
    type Err = InvalidValue;
    fn from_str(value: &str) -> Result<Self, InvalidValue> {
        Self::new(value)
    }
}

impl<F: Format> TryFrom<&str> for Validated<F> {
    type Error = InvalidValue;
    fn try_from(value: &str) -> Result<Self, InvalidValue> {
        Self::new(value)
    }
}

impl<F: Format> TryFrom<String> for Validated<F> {
    type Error = InvalidValue;
    fn try_from(value: String) -> Result<Self, InvalidValue> {
        Self::new(value)
    }
}

impl<F: Format> AsRef<str> for Validated<F> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<F: Format> fmt::Display for Validated<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<F: Format> Serialize for Validated<F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, F: Format> Deserialize<'de> for Validated<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Self::new(value).map_err(serde::de::Error::custom)
    }
}
