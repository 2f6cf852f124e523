//! A small buffer for the properties of a tagged union's object that come before its tag.
//!
//! A union cannot pick its variant before it has read the tag, so whatever precedes the tag
//! must be kept and replayed into the variant's struct afterwards. `serde_json::Value` would
//! do, but costs an owned `String` per string and a hash map per object; this buffer borrows
//! strings from the input when the deserializer lends them (serde_json does for unescaped
//! strings read from a slice or a `str`) and keeps objects as ordered pairs. serde's own
//! equivalent (`Content`) is private API, and no maintained crate exposes one that borrows.
//!
//! Only the JSON data model is kept (null, bool, u64/i64/f64, string, array, object): that is
//! all a JSON deserializer produces, and all the generated types read.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::{Map, Number, Value};

/// One buffered JSON value; strings borrow from the input when they can.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Content<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
    Seq(Vec<Content<'de>>),
    /// An object's entries in input order (keys are always strings in JSON).
    Map(Vec<(Cow<'de, str>, Content<'de>)>),
}

impl<'de> Content<'de> {
    /// The buffered value as a `serde_json::Value`, numbers unchanged (u64 stays u64, i64 i64).
    pub(crate) fn into_value(self) -> Value {
        match self {
            Content::Null => Value::Null,
            Content::Bool(b) => Value::Bool(b),
            Content::U64(n) => Value::Number(n.into()),
            Content::I64(n) => Value::Number(n.into()),
            // As serde_json's own `Value` visitor does: a non-finite float (which JSON text
            // cannot hold, but another deserializer could) becomes null.
            Content::F64(n) => Number::from_f64(n).map_or(Value::Null, Value::Number),
            Content::Str(s) => Value::String(s.into_owned()),
            Content::Seq(items) => Value::Array(items.into_iter().map(Content::into_value).collect()),
            Content::Map(entries) => Value::Object(into_object(entries)),
        }
    }

    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Content::Null => Unexpected::Unit,
            Content::Bool(b) => Unexpected::Bool(*b),
            Content::U64(n) => Unexpected::Unsigned(*n),
            Content::I64(n) => Unexpected::Signed(*n),
            Content::F64(n) => Unexpected::Float(*n),
            Content::Str(s) => Unexpected::Str(s),
            Content::Seq(_) => Unexpected::Seq,
            Content::Map(_) => Unexpected::Map,
        }
    }
}

/// Buffered object entries as a JSON map, in the same order.
pub(crate) fn into_object(entries: Vec<(Cow<'_, str>, Content<'_>)>) -> Map<String, Value> {
    let mut object = Map::with_capacity(entries.len());
    for (key, value) in entries {
        object.insert(key.into_owned(), value.into_value());
    }
    object
}

impl<'de> Deserialize<'de> for Content<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ContentVisitor)
    }
}

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Content<'de>, E> {
        Ok(Content::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Content<'de>, E> {
        Ok(Content::I64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Content<'de>, E> {
        Ok(Content::U64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Content<'de>, E> {
        Ok(Content::F64(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Content<'de>, D::Error> {
        Content::deserialize(deserializer)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Content<'de>, D::Error> {
        Content::deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Content<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Content::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Content<'de>, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
        while let Some(key) = map.next_key::<super::Key<'de>>()? {
            entries.push((key.into_cow(), map.next_value()?));
        }
        Ok(Content::Map(entries))
    }
}

/// Replays a [`Content`] to a `Deserialize` impl, as the original deserializer would have.
pub(crate) struct ContentDeserializer<'de, E> {
    content: Content<'de>,
    error: PhantomData<E>,
}

impl<'de, E> ContentDeserializer<'de, E> {
    pub(crate) fn new(content: Content<'de>) -> Self {
        ContentDeserializer {
            content,
            error: PhantomData,
        }
    }
}

impl<'de, E: de::Error> IntoDeserializer<'de, E> for Content<'de> {
    type Deserializer = ContentDeserializer<'de, E>;
    fn into_deserializer(self) -> Self::Deserializer {
        ContentDeserializer::new(self)
    }
}

/// A string as its deserializer: borrowed strings stay borrowed for the visitor.
fn visit_cow<'de, V: Visitor<'de>, E: de::Error>(s: Cow<'de, str>, visitor: V) -> Result<V::Value, E> {
    match s {
        Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

impl<'de, E: de::Error> Deserializer<'de> for ContentDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.content {
            Content::Null => visitor.visit_unit(),
            Content::Bool(b) => visitor.visit_bool(b),
            Content::U64(n) => visitor.visit_u64(n),
            Content::I64(n) => visitor.visit_i64(n),
            Content::F64(n) => visitor.visit_f64(n),
            Content::Str(s) => visit_cow(s, visitor),
            Content::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Content::Map(entries) => {
                let mut map = MapDeserializer::new(entries.into_iter().map(|(k, v)| (Content::Str(k), v)));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    // JSON's null is an absent option; anything else is present (as serde_json decides).
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.content {
            Content::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    // Enums as serde_json writes them: a unit variant as its name, any other as a one-entry
    // object `{"Variant": content}`.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.content {
            Content::Str(Cow::Borrowed(s)) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            Content::Str(Cow::Owned(s)) => visitor.visit_enum(s.into_deserializer()),
            Content::Map(entries) if entries.len() == 1 => {
                let map = MapDeserializer::new(entries.into_iter().map(|(k, v)| (Content::Str(k), v)));
                visitor.visit_enum(MapAccessDeserializer::new(map))
            }
            ref other => Err(E::invalid_type(
                other.unexpected(),
                &"a string or an object with one entry",
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn buffer(text: &str) -> Content<'_> {
        serde_json::from_str(text).unwrap()
    }

    fn replay<'de, T: Deserialize<'de>>(content: Content<'de>) -> Result<T, serde_json::Error> {
        T::deserialize(ContentDeserializer::<serde_json::Error>::new(content))
    }

    #[test]
    fn buffers_borrow_unescaped_strings_and_convert_to_the_same_value() {
        let text = r#"{"b":"plain","a":["esc\"aped",18446744073709551615,-1,0.5,true,null,{}]}"#;
        let content = buffer(text);
        let Content::Map(entries) = &content else {
            panic!("{content:?}")
        };
        assert!(matches!(
            entries[0],
            (Cow::Borrowed("b"), Content::Str(Cow::Borrowed("plain")))
        ));
        assert!(matches!(&entries[1].1, Content::Seq(items) if matches!(items[0], Content::Str(Cow::Owned(_)))));
        let value = content.into_value();
        assert_eq!(value.to_string(), text, "same values, same order");
        assert!(value["a"][1].is_u64() && value["a"][2].is_i64() && value["a"][3].is_f64());
    }

    #[test]
    fn replays_the_serde_data_model_a_struct_can_ask_for() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Id(u32);
        #[derive(Debug, Deserialize, PartialEq)]
        enum Kind {
            Unit,
            Newtype(i8),
            Struct { x: f32 },
        }
        #[derive(Debug, Deserialize, PartialEq)]
        struct All<'a> {
            borrowed: &'a str,
            none: Option<u8>,
            some: Option<u8>,
            id: Id,
            kinds: Vec<Kind>,
            pair: (char, bool),
            #[serde(default)]
            absent: Option<String>,
        }
        let text = r#"{"borrowed":"b","none":null,"some":7,"id":42,"ignored":{"x":[1]},
            "kinds":["Unit",{"Newtype":-3},{"Struct":{"x":1.5}}],"pair":["c",true]}"#;
        let all: All<'_> = replay(buffer(text)).unwrap();
        assert_eq!(
            all,
            All {
                borrowed: "b",
                none: None,
                some: Some(7),
                id: Id(42),
                kinds: vec![Kind::Unit, Kind::Newtype(-3), Kind::Struct { x: 1.5 }],
                pair: ('c', true),
                absent: None,
            }
        );
    }

    #[test]
    fn replay_errors_as_the_input_would() {
        let error = replay::<(u8, u8)>(buffer("[1,2,3]")).unwrap_err().to_string();
        assert_eq!(
            error, "invalid length 3, expected 2 elements in sequence",
            "trailing items"
        );
        let error = replay::<u8>(buffer("-1")).unwrap_err().to_string();
        assert_eq!(error, "invalid value: integer `-1`, expected u8");
        let error = replay::<Option<u8>>(buffer(r#""x""#)).unwrap_err().to_string();
        assert_eq!(error, r#"invalid type: string "x", expected u8"#);
    }
}
