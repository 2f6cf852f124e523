//! Validation of pattern-constrained strings (the generated newtypes such as `GroupId`).

use std::sync::OnceLock;

use regex_lite::Regex;

/// A value that does not match the pattern of the type it was meant for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {type_name}: it must match `{pattern}`")]
pub struct InvalidValue {
    /// The type the value was meant for, e.g. `GroupId`.
    pub type_name: &'static str,
    /// The pattern it must match.
    pub pattern: &'static str,
    /// The rejected value.
    pub value: String,
}

/// A lazily compiled pattern for one newtype.
#[derive(Debug)]
pub struct Pattern {
    type_name: &'static str,
    source: &'static str,
    regex: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern, compiled on first use.
    pub const fn new(type_name: &'static str, source: &'static str) -> Self {
        Pattern {
            type_name,
            source,
            regex: OnceLock::new(),
        }
    }

    /// Returns `value` if it matches.
    pub fn check(&self, value: String) -> Result<String, InvalidValue> {
        // The generator only emits patterns regex-lite compiles; if one ever did not, accepting
        // every value is better than rejecting every value.
        let matches = self
            .regex
            .get_or_init(|| Regex::new(self.source).ok())
            .as_ref()
            .is_none_or(|r| r.is_match(&value));
        if matches {
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
