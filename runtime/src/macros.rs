//! The impls every generated string enum and struct shares, written once.
//!
//! A spec like MongoDB's full Admin API has about a thousand enums: spelling their six trait
//! impls out each time made the generated file (and the generator's formatting work) nearly
//! twice as big, with nothing to read in it. The type definitions themselves, with their
//! docs, stay in the generated code.
//!
//! The macros expand in the generated crate, not in this one: they reach this crate's helpers
//! through `$crate::` (which names this crate wherever they expand), and serde and serde_json
//! through `::serde` and `::serde_json`, which that crate depends on itself, as serde's own
//! derives expect.

/// `as_str`, `From<&str>`, `FromStr`, `Display`, `Serialize` and `Deserialize` for a string
/// enum: `(Type, CatchAll, [Variant => "wire", ...])`.
///
/// `(Type<T>, CatchAll, Tag, [...])` is the generic form several enums with the same values
/// share (each an instance for a tag type of its own; `Tag` is the uninhabited variant that
/// uses `T`): it also writes the `Clone`, `Debug`, `PartialEq`, `Eq` and `Hash` impls the plain
/// form derives, without bounds on `T`, doing what the derives do.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($name:ident<$t:ident>, $unknown:ident, $tag:ident, [$($variant:ident => $wire:literal),* $(,)?]) => {
        impl<$t> $name<$t> {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value,
                    Self::$tag(never, _) => match *never {},
                }
            }
        }
        impl<$t> ::core::clone::Clone for $name<$t> {
            fn clone(&self) -> Self {
                match self {
                    $(Self::$variant => Self::$variant,)*
                    Self::$unknown(value) => Self::$unknown(::core::clone::Clone::clone(value)),
                    Self::$tag(never, _) => match *never {},
                }
            }
        }
        impl<$t> ::core::fmt::Debug for $name<$t> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    $(Self::$variant => f.write_str(stringify!($variant)),)*
                    Self::$unknown(value) => f.debug_tuple(stringify!($unknown)).field(value).finish(),
                    Self::$tag(never, _) => match *never {},
                }
            }
        }
        impl<$t> ::core::cmp::PartialEq for $name<$t> {
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    $((Self::$variant, Self::$variant) => true,)*
                    (Self::$unknown(a), Self::$unknown(b)) => a == b,
                    _ => false,
                }
            }
        }
        impl<$t> ::core::cmp::Eq for $name<$t> {}
        impl<$t> ::core::hash::Hash for $name<$t> {
            fn hash<H: ::core::hash::Hasher>(&self, state: &mut H) {
                ::core::hash::Hash::hash(&::core::mem::discriminant(self), state);
                if let Self::$unknown(value) = self {
                    ::core::hash::Hash::hash(value, state);
                }
            }
        }
        impl<$t> ::core::convert::From<&str> for $name<$t> {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(other.to_owned()),
                }
            }
        }
        impl<$t> ::core::str::FromStr for $name<$t> {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl<$t> ::core::fmt::Display for $name<$t> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl<$t> ::serde::Serialize for $name<$t> {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de, $t> ::serde::Deserialize<'de> for $name<$t> {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::objects::deserialize_enum(deserializer)
            }
        }
    };
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
                $crate::objects::deserialize_enum(deserializer)
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
///
/// What is expanded per struct is kept to one call per property: the visitor, the reads and the
/// error handling are generic functions in this crate's `objects`, checked once for all structs.
/// (Checking these impls was most of the cost of checking the crate of a large spec: every
/// `?` and `match` spelled out here is repeated for each of a thousand structs.)
///
/// `(Type { ... } extras, order key_order)` also keeps the order the properties came in (in its
/// `KeyOrder` field) and writes them back in it (see [`KeyOrder`](crate::objects::KeyOrder)).
#[doc(hidden)]
#[macro_export]
macro_rules! __object {
    ($name:ident { $($field:ident($wire:literal, $presence:ident)),* $(,)? } $extra:ident, order $order:ident) => {
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #[allow(unused_mut)]
                let mut map = $crate::objects::write_map(serializer)?;
                for key in self.$order.keys() {
                    match key {
                        $( $wire => $crate::__object_put!($presence, map, self.$field, $wire), )*
                        other => map.extra(other, &self.$extra),
                    }
                }
                $( if !self.$order.contains($wire) { $crate::__object_put!($presence, map, self.$field, $wire); } )*
                map.end_after(&self.$order, &self.$extra)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::objects::deserialize(deserializer)
            }
        }
        #[allow(deprecated)]
        impl $crate::objects::Object for $name {
            const NAME: &'static str = stringify!($name);
            fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::core::result::Result<Self, A::Error> {
                $( let mut $field = $crate::__object_slot!($presence); )*
                let mut $extra = ::serde_json::Map::new();
                let mut $order = $crate::objects::KeyOrder::default();
                while let Some(key) = $crate::objects::next_key(&mut map)? {
                    $order.push(key.as_str());
                    let step = match key.as_str() {
                        $( $wire => $crate::__object_read!($presence, map, $field), )*
                        _ => $crate::objects::read_extra(&mut map, key, &mut $extra),
                    };
                    step?;
                }
                $( $crate::__object_check!($presence, $field, $wire); )*
                Ok($name { $( $field: $crate::__object_done!($presence, $field), )* $extra, $order })
            }
        }
    };
    ($name:ident { $($field:ident($wire:literal, $presence:ident)),* $(,)? } $extra:ident) => {
        #[allow(deprecated)]
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #[allow(unused_mut)] // a struct with only extras
                let mut map = $crate::objects::write_map(serializer)?;
                $( $crate::__object_put!($presence, map, self.$field, $wire); )*
                map.end(&self.$extra)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                $crate::objects::deserialize(deserializer)
            }
        }
        #[allow(deprecated)]
        impl $crate::objects::Object for $name {
            const NAME: &'static str = stringify!($name);
            fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::core::result::Result<Self, A::Error> {
                $( let mut $field = $crate::__object_slot!($presence); )*
                let mut $extra = ::serde_json::Map::new();
                // One exit for errors (`step`) rather than a `?` per property.
                while let Some(key) = $crate::objects::next_key(&mut map)? {
                    let step = match key.as_str() {
                        $( $wire => $crate::__object_read!($presence, map, $field), )*
                        _ => $crate::objects::read_extra(&mut map, key, &mut $extra),
                    };
                    step?;
                }
                $( $crate::__object_check!($presence, $field, $wire); )*
                Ok($name { $( $field: $crate::__object_done!($presence, $field), )* $extra })
            }
        }
    };
}

/// Writes one known property (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_put {
    (required, $map:ident, $value:expr, $wire:literal) => {
        $map.required($wire, &$value)
    };
    (required_nullable, $map:ident, $value:expr, $wire:literal) => {
        $map.required($wire, &$value)
    };
    (optional, $map:ident, $value:expr, $wire:literal) => {
        $map.optional($wire, &$value)
    };
    (nullable, $map:ident, $value:expr, $wire:literal) => {
        $map.nullable($wire, &$value)
    };
}

/// The empty slot a property is read into (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_slot {
    (nullable) => {
        $crate::Nullable::Absent
    };
    ($presence:ident) => {
        None
    };
}

/// Reads one known property's value into its slot (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_read {
    (required, $map:ident, $slot:ident) => {
        $crate::objects::read_required(&mut $map, &mut $slot)
    };
    ($presence:ident, $map:ident, $slot:ident) => {
        $crate::objects::read(&mut $map, &mut $slot)
    };
}

/// Fails when a required property was not in the object (see `__object`).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_check {
    (required, $slot:ident, $wire:literal) => {
        if $slot.is_none() {
            return Err($crate::objects::missing($wire));
        }
    };
    ($presence:ident, $slot:ident, $wire:literal) => {};
}

/// The field's final value (see `__object`; a required one is known to be there).
#[doc(hidden)]
#[macro_export]
macro_rules! __object_done {
    (required, $slot:ident) => {
        match $slot {
            Some(value) => value,
            None => unreachable!("checked by __object_check"),
        }
    };
    ($presence:ident, $slot:ident) => {
        $slot
    };
}
