//! Turning spec names into Rust identifiers, and keeping them unique.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use rustc_hash::FxHashMap as HashMap;

use crate::members;

/// Words that cannot be plain identifiers (2021 edition strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "super", "Self"];

/// Type names the generated code uses unqualified; a schema may not take them.
/// (`Default`, `From`, `Into`, `TryFrom` and `AsRef` are traits the generated code names in type
/// position, `impl Into<T>` and so on: a type of that name would hide them; the derives expand
/// to full paths. The last is the generated client.)
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Self",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "From",
    "Into",
    "TryFrom",
    "AsRef",
    members::client::TYPE,
];

/// Replaces every character that cannot continue a Rust identifier with a word break. That is
/// Unicode's XID_Continue (what rustc accepts), not `char::is_alphanumeric`: `²` and `½` are
/// alphanumeric but no identifier character, while `ö` and `名` are both.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if is_ident_char(c) { c } else { ' ' }).collect()
}

fn is_ident_char(c: char) -> bool {
    c != '_' && unicode_ident::is_xid_continue(c)
}

/// Makes `name` start like an identifier (a letter or `_`), with `prefix` if it does not.
fn fix_start(name: &mut String, prefix: char) {
    if name
        .chars()
        .next()
        .is_some_and(|c| !unicode_ident::is_xid_start(c) && c != '_')
    {
        name.insert(0, prefix);
    }
}

/// A memo of [`type_name`] and [`field_name`] for one lowering run.
///
/// Spec names recur thousands of times in a big spec (every `$ref`, every visit of a property,
/// every segment of an inline schema's pointer), and case conversion is the expensive part of
/// naming, so each name is converted once per run. Both functions are pure: the memo changes
/// how often they run, never what they return. It lives with the run (in the lowering context)
/// rather than in a thread-local, so a long-lived process does not keep every name it ever saw.
#[derive(Debug, Default)]
pub(super) struct Idents {
    types: HashMap<String, String>,
    fields: HashMap<String, String>,
}

impl Idents {
    /// [`type_name`], memoized.
    pub(super) fn type_name(&mut self, raw: &str) -> String {
        memo(&mut self.types, raw, type_name)
    }

    /// [`field_name`], memoized.
    pub(super) fn field_name(&mut self, raw: &str) -> String {
        memo(&mut self.fields, raw, field_name)
    }
}

/// `convert(raw)`, from `cache` when it was converted before.
fn memo(cache: &mut HashMap<String, String>, raw: &str, convert: fn(&str) -> String) -> String {
    if let Some(known) = cache.get(raw) {
        return known.clone();
    }
    let name = convert(raw);
    cache.insert(raw.to_owned(), name.clone());
    name
}

/// The names of the symbols a value made only of symbols is spelled with (`<` -> `LessThan`),
/// so that `<` and `>` are two variants by meaning rather than `Empty` and `Empty2`.
const SYMBOLS: &[(char, &str)] = &[
    ('<', "LessThan"),
    ('>', "GreaterThan"),
    ('=', "Equal"),
    ('!', "Not"),
    ('+', "Plus"),
    ('-', "Minus"),
    ('*', "Star"),
    ('/', "Slash"),
    ('%', "Percent"),
    ('&', "And"),
    ('|', "Or"),
    ('^', "Caret"),
    ('~', "Tilde"),
    ('.', "Dot"),
    (',', "Comma"),
    (':', "Colon"),
    (';', "Semicolon"),
    ('?', "Question"),
    ('@', "At"),
    ('#', "Hash"),
    ('$', "Dollar"),
];

/// `UpperCamelCase` type or variant name for any spec string.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    name.retain(|c| is_ident_char(c) || c == '_');
    if name.is_empty() {
        name = raw
            .chars()
            .filter_map(|c| SYMBOLS.iter().find(|(s, _)| *s == c).map(|(_, n)| *n))
            .collect();
    }
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    fix_start(&mut name, 'V');
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

/// `snake_case` field, method or parameter name for any spec string (raw identifier if needed).
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    name.retain(|c| is_ident_char(c) || c == '_');
    if name.is_empty() {
        name = "value".to_owned();
    }
    fix_start(&mut name, 'n');
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// Hands out names, adding a numeric suffix when a name is already taken.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A namer with some names already taken.
    pub fn with_taken(taken: &[&str]) -> Self {
        Namer {
            taken: taken.iter().map(|t| as_compiler_sees(t).into_owned()).collect(),
        }
    }

    /// Returns `wanted` if free, else `wanted2`, `wanted3`, ... (`wanted_2` for snake case).
    ///
    /// Names are compared as rustc compares identifiers: after NFC normalization, so `café`
    /// written with a combining accent and with a precomposed `é` are one name (two fields
    /// spelled so would not compile).
    pub fn claim(&mut self, wanted: &str) -> String {
        let separator = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) {
            "_"
        } else {
            ""
        };
        let mut candidate = wanted.to_owned();
        let mut n = 2;
        while self.is_taken(&candidate) {
            candidate = format!("{}{separator}{n}", wanted.trim_start_matches("r#"));
            n += 1;
        }
        self.taken.insert(as_compiler_sees(&candidate).into_owned());
        candidate
    }

    /// The first of `candidates` that is free, claimed; when all are taken, the first with a
    /// numeric suffix (see [`Namer::claim`]).
    pub fn claim_first(&mut self, candidates: &[String]) -> String {
        match candidates.iter().find(|c| !self.is_taken(c.trim_start_matches("r#"))) {
            Some(free) => self.claim(free),
            None => self.claim(candidates.first().map_or("", String::as_str)),
        }
    }

    /// Whether `name` is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(as_compiler_sees(name).as_ref())
    }
}

/// An identifier as rustc compares it: without `r#`, NFC-normalized.
fn as_compiler_sees(name: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    let name = name.strip_prefix("r#").unwrap_or(name);
    // ASCII text is its own NFC form; normalizing it char by char was 7% of lowering the
    // Admin spec, whose every name is ASCII (and copying it, 2% more).
    if name.is_ascii() {
        return std::borrow::Cow::Borrowed(name);
    }
    std::borrow::Cow::Owned(name.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_identifiers() {
        assert_eq!(type_name("StreamsAWSLambdaConnection"), "StreamsAwsLambdaConnection");
        assert_eq!(type_name("SP50"), "Sp50");
        assert_eq!(type_name("BUILT_IN"), "BuiltIn");
        assert_eq!(type_name("group.protocol.type"), "GroupProtocolType");
        assert_eq!(type_name("3des"), "V3des");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("<="), "LessThanEqual");
        assert_eq!(type_name(">"), "GreaterThan");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("_id"), "id");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("group.protocol.type"), "group_protocol_type");
        assert_eq!(field_name("1st"), "n1st");
        assert_eq!(field_name("dataProcessRegion"), "data_process_region");
    }

    #[test]
    fn namer_suffixes_collisions() {
        let mut namer = Namer::default();
        assert_eq!(namer.claim("Foo"), "Foo");
        assert_eq!(namer.claim("Foo"), "Foo2");
        assert_eq!(namer.claim("r#type"), "r#type");
        assert_eq!(namer.claim("type"), "type_2");
        // The same identifier to rustc: NFC-normalized, `e` + U+0301 is `é`.
        assert_eq!(namer.claim("caf\u{e9}"), "caf\u{e9}");
        assert_eq!(namer.claim("cafe\u{301}"), "cafe\u{301}_2");
        let wanted = ["Foo".to_owned(), "FooCreate".to_owned()];
        assert_eq!(namer.claim_first(&wanted), "FooCreate");
        assert_eq!(namer.claim_first(&wanted), "Foo3");
    }
}
