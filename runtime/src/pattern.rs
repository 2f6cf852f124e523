//! Pattern-constrained strings: the checker, and the one generic type every generated
//! validated string (`GroupId`, ...) is.

mod plain;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;
use std::sync::OnceLock;

use regex_lite::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that does not match the pattern of the type it was meant for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidValue {
    /// The type the value was meant for, e.g. `GroupId`.
    pub type_name: &'static str,
    /// The pattern it must match.
    pub pattern: &'static str,
    /// The rejected value.
    pub value: String,
}

// Written out, not derived with `thiserror`: see `Error`'s `Display` impl (issue 18).
impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid {}: it must match `{}`",
            self.value, self.type_name, self.pattern
        )
    }
}

impl std::error::Error for InvalidValue {}

/// A lazily compiled pattern for one newtype.
#[derive(Debug)]
pub struct Pattern {
    type_name: &'static str,
    source: &'static str,
    matcher: OnceLock<Matcher>,
}

/// How a pattern is matched.
#[derive(Debug)]
enum Matcher {
    /// Without a regex engine (most ids: see `plain`).
    Plain(plain::Plain),
    /// By regex-lite.
    Regex(Regex),
    /// Not at all: regex-lite cannot compile it.
    Broken,
}

impl Pattern {
    /// A pattern, compiled on first use.
    pub const fn new(type_name: &'static str, source: &'static str) -> Self {
        Pattern {
            type_name,
            source,
            matcher: OnceLock::new(),
        }
    }

    /// Whether `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        // The generator only emits patterns regex-lite compiles; if one ever did not, accepting
        // every value is better than rejecting every value.
        let matcher = self.matcher.get_or_init(|| match plain::Plain::parse(self.source) {
            Some(plain) => Matcher::Plain(plain),
            None => Regex::new(self.source).map_or(Matcher::Broken, Matcher::Regex),
        });
        match matcher {
            Matcher::Plain(plain) => plain.matches(value),
            Matcher::Regex(regex) => regex.is_match(value),
            Matcher::Broken => true,
        }
    }

    /// Returns `value` if it matches.
    pub fn check(&self, value: String) -> Result<String, InvalidValue> {
        if self.matches(&value) {
            Ok(value)
        } else {
            Err(InvalidValue {
                type_name: self.type_name,
                pattern: self.source,
                value,
            })
        }
    }
}

/// The name and pattern of one generated validated string type (`models::formats::*`).
pub trait Format: 'static {
    /// The type's name, e.g. `GroupId` (for `Debug` and errors).
    const NAME: &'static str;
    /// The regular expression every value matches.
    const PATTERN: &'static str;

    /// The pattern, compiled on first use (one per type). Not API: the generated code's.
    #[doc(hidden)]
    fn pattern() -> &'static Pattern;
}

/// A string meant to match the pattern of its format: every generated validated type, e.g.
/// `models::GroupId`, is one of these (`Validated<models::formats::GroupId>`).
///
/// **Strict writes, lenient reads.** A value the caller builds ([`Validated::new`], `TryFrom`,
/// `parse`, and every path or query argument of an operation) is checked before any I/O. A value
/// decoded from a response is kept as the server sent it, even when it does not match: one odd
/// id must not make a whole page of results undecodable. [`Validated::is_valid`] tells whether it
/// matches. Such a value, put back into a request body (a response turned into an update body),
/// is sent unchanged: the server produced it, and refusing to echo it would make
/// read-modify-write impossible for that object; the server remains the judge of it.
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

    /// Whether the value matches [`Self::PATTERN`]: always for a value the caller built, not
    /// necessarily for one decoded from a response (see the type's docs).
    pub fn is_valid(&self) -> bool {
        F::pattern().matches(&self.0)
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

/// Lenient: keeps any string the server sends, matching or not (see the type's docs).
impl<'de, F: Format> Deserialize<'de> for Validated<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|value| Validated(value, PhantomData))
    }
}
