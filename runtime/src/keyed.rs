//! The generated key-tagged unions (`keyed_union!`): an object with exactly one property, whose
//! name says what its value is, such as a stream processing stage (`{"$source": {...}}`).
//!
//! Decoding keeps whatever it cannot type as it came: an object whose key no variant has, with
//! several keys or none, whose value does not decode into the type its key names, or a value
//! that is no object at all, becomes the catch-all, with its entries in their order and its
//! numbers exact; encoding writes the catch-all back unchanged. A pipeline a server sends
//! therefore always decodes, and goes back byte for byte as it came. The value is read whole
//! before it is typed (a stage is small): that is what lets a value that does not fit its
//! variant fall back to the catch-all. (Whether a stage a caller sends is well formed is checked
//! before it is sent, with the pipeline's other rules.)

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// Reads a key-tagged union: `typed` gets the key and value of a one-property object and types
/// it if it can (`None`: another key, or a value that does not fit); everything else goes to
/// `unknown` whole.
pub fn deserialize<'de, D, T>(
    deserializer: D,
    typed: impl FnOnce(&str, &Value) -> Option<T>,
    unknown: fn(Value) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(from_value(Value::deserialize(deserializer)?, typed, unknown))
}

/// [`deserialize`] of a value already read.
pub fn from_value<T>(value: Value, typed: impl FnOnce(&str, &Value) -> Option<T>, unknown: fn(Value) -> T) -> T {
    let one = match &value {
        Value::Object(object) if object.len() == 1 => object.iter().next().and_then(|(key, inner)| typed(key, inner)),
        _ => None,
    };
    one.unwrap_or_else(|| unknown(value))
}

/// The value of a one-property object as `T`, or `None` when it does not fit.
pub fn value<T: DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// Why `value` is no `T` (`variant` is the union's constructor that takes one; it names `T`).
pub fn misfit<T: DeserializeOwned, U>(value: &Value, _variant: fn(T) -> U) -> Option<String> {
    T::deserialize(value).err().map(|e| e.to_string())
}

/// Writes `{key: value}`.
pub fn serialize<S: Serializer, T: Serialize + ?Sized>(serializer: S, key: &str, value: &T) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

/// The key of a catch-all value: the one property's name of an object that has one.
pub fn unknown_key(value: &Value) -> Option<&str> {
    match value {
        Value::Object(object) if object.len() == 1 => object.keys().next().map(String::as_str),
        _ => None,
    }
}

/// `key`, `Serialize`, `Deserialize` and `From<serde_json::Value>` for a key-tagged union:
/// `(Type, CatchAll, [Variant = "key", ...])`. A variant's value type is the one its
/// constructor takes (inferred), so the invocation does not repeat it.
#[doc(hidden)]
#[macro_export]
macro_rules! __keyed_union {
    ($name:ident, $unknown:ident, [$($variant:ident = $key:literal),* $(,)?]) => {
        impl $name {
            /// The key that names this value (`$source`): its variant's, or for a value this version
            /// of the client does not type, its one property's (`None` without exactly one).
            pub fn key(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(_) => Some($key),)*
                    Self::$unknown(object) => $crate::keyed::unknown_key(object),
                }
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => $crate::keyed::serialize(serializer, $key, value),)*
                    Self::$unknown(object) => ::serde::Serialize::serialize(object, serializer),
                }
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::keyed::deserialize(deserializer, Self::typed, Self::$unknown)
            }
        }
        impl $name {
            /// Why `value`, an object whose one key this version types, does not fit that key's
            /// type (`None`: it fits, or it is no such object). What a pipeline check asks of
            /// each stage before a pipeline is sent.
            #[doc(hidden)]
            pub fn __misfit(value: &::serde_json::Value) -> ::core::option::Option<::std::string::String> {
                let (key, inner) = value.as_object().filter(|o| o.len() == 1)?.iter().next()?;
                match key.as_str() {
                    $($key => $crate::keyed::misfit(inner, Self::$variant),)*
                    _ => None,
                }
            }
            /// The variant a key and its value make, if this version types that key and the
            /// value fits.
            fn typed(key: &str, value: &::serde_json::Value) -> ::core::option::Option<Self> {
                match key {
                    $($key => $crate::keyed::value(value).map(Self::$variant),)*
                    _ => None,
                }
            }
        }
        /// Any JSON (`json!({"$match": {...}})`): typed by its key where this version of the
        /// client knows it and the value fits, else kept whole in the catch-all.
        impl ::core::convert::From<::serde_json::Value> for $name {
            fn from(value: ::serde_json::Value) -> Self {
                $crate::keyed::from_value(value, Self::typed, Self::$unknown)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[derive(Clone, Debug, PartialEq)]
    enum Stage {
        Limit(i64),
        Match(serde_json::Map<String, serde_json::Value>),
        Unknown(serde_json::Value),
    }
    crate::__keyed_union!(Stage, Unknown, [Limit = "$limit", Match = "$match"]);

    #[test]
    fn known_keys_are_typed_and_everything_else_survives_as_it_came() {
        let text = r#"[{"$limit":9007199254740993},{"$match":{"b":1,"a":{"$gt":2}}},{"$emitt":{"x":1}},{"$limit":"ten"},{"$a":1,"$b":2},{},"$match"]"#;
        let stages: Vec<Stage> = serde_json::from_str(text).unwrap();
        assert_eq!(stages[0], Stage::Limit(9_007_199_254_740_993));
        assert!(matches!(&stages[1], Stage::Match(m) if m.keys().collect::<Vec<_>>() == ["b", "a"]));
        assert!(matches!(&stages[2], Stage::Unknown(_)));
        assert_eq!(stages[2].key(), Some("$emitt"));
        assert!(
            matches!(&stages[3], Stage::Unknown(_)),
            "a value that does not fit is kept"
        );
        assert_eq!(stages[4].key(), None);
        assert_eq!(serde_json::to_string(&stages).unwrap(), text);
        assert!(
            matches!(&stages[6], Stage::Unknown(serde_json::Value::String(_))),
            "not even an object"
        );
        assert_eq!(Stage::from(json!({"$limit": 3})), Stage::Limit(3));
    }
}
