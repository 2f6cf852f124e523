//! Patterns plain enough to match without a regex engine.
//!
//! Most patterns of MongoDB's specs are ids: `^([a-f0-9]{24})$` (450 of the full Admin spec's
//! 620 uses), `^[a-fA-F0-9]{24}$`, `^vpce-[0-9a-f]{17}$`. Every path argument of a call is
//! checked against its pattern before any I/O, and regex-lite's matcher (a PikeVM) was about a
//! tenth of what the generated client adds to a request. A sequence of ASCII character sets,
//! each a fixed number of times, is matched here with one pass over the bytes; any other
//! pattern goes to regex-lite.

/// A pattern of the form `^` (sets with counts) `$`, optionally inside one group: each part a
/// character class of ASCII characters and ranges, or one ASCII literal, followed by `{n}`,
/// or (on the last part only, so that no backtracking is needed) `{m,n}`, `*`, `+` or `?`.
#[derive(Debug)]
pub(super) struct Plain {
    parts: Vec<Part>,
}

/// One set of characters and how many times it is repeated.
#[derive(Debug)]
struct Part {
    /// Bit `c` is set when the ASCII character `c` is in the set.
    set: u128,
    min: usize,
    max: usize,
}

impl Plain {
    /// The plain form of `source`, if it has one.
    pub(super) fn parse(source: &str) -> Option<Plain> {
        let mut body = source.strip_prefix('^')?.strip_suffix('$')?;
        if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            if !inner.contains(['(', ')']) {
                body = inner;
            }
        }
        let chars: Vec<char> = body.chars().collect();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (set, next) = match chars[i] {
                '[' => class(&chars, i + 1)?,
                c if is_literal(c) => (1u128 << (c as u32), i + 1),
                _ => return None,
            };
            let (min, max, next) = quantifier(&chars, next)?;
            // A part whose count may vary is only plain at the end (no backtracking).
            if let Some(Part { min, max, .. }) = parts.last() {
                if min != max {
                    return None;
                }
            }
            parts.push(Part { set, min, max });
            i = next;
        }
        Some(Plain { parts })
    }

    /// Whether `value` matches.
    pub(super) fn matches(&self, value: &str) -> bool {
        let bytes = value.as_bytes();
        let mut at = 0;
        for part in &self.parts {
            let taken = bytes[at..]
                .iter()
                .take(part.max)
                .take_while(|&&b| b < 128 && part.set & (1u128 << b) != 0)
                .count();
            if taken < part.min {
                return false;
            }
            // Only the last part may vary (see `parse`): a fixed part takes exactly its count.
            at += taken;
        }
        at == bytes.len()
    }
}

/// An ASCII character that stands for itself outside a class.
fn is_literal(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '_'
                | '@'
                | '/'
                | ':'
                | '='
                | ','
                | '%'
                | '#'
                | '!'
                | '~'
                | '&'
                | '\''
                | '<'
                | '>'
                | ';'
                | '"'
                | '`'
                | ' '
        )
}

/// The set of a class whose `[` is just before `start`, and the index after its `]`.
fn class(chars: &[char], start: usize) -> Option<(u128, usize)> {
    let mut set = 0u128;
    let mut i = start;
    if chars.get(i) == Some(&'^') {
        return None; // negated
    }
    loop {
        let c = *chars.get(i)?;
        if c == ']' && i > start {
            return Some((set, i + 1));
        }
        if !c.is_ascii() || matches!(c, '\\' | '[' | ']') {
            return None;
        }
        let range_end = chars.get(i + 2).filter(|_| chars.get(i + 1) == Some(&'-'));
        match range_end {
            Some(&end) if end != ']' => {
                if !end.is_ascii() || matches!(end, '\\' | '[') || end < c {
                    return None;
                }
                for b in c as u32..=end as u32 {
                    set |= 1u128 << b;
                }
                i += 3;
            }
            _ => {
                set |= 1u128 << (c as u32);
                i += 1;
            }
        }
    }
}

/// The count after a part (`{n}`, `{m,n}`, `*`, `+`, `?` or none) and the index after it.
fn quantifier(chars: &[char], start: usize) -> Option<(usize, usize, usize)> {
    match chars.get(start) {
        Some('*') => Some((0, usize::MAX, start + 1)),
        Some('+') => Some((1, usize::MAX, start + 1)),
        Some('?') => Some((0, 1, start + 1)),
        Some('{') => {
            let close = start + chars[start..].iter().position(|&c| c == '}')?;
            let inside: String = chars[start + 1..close].iter().collect();
            let (min, max) = match inside.split_once(',') {
                None => {
                    let n = inside.parse().ok()?;
                    (n, n)
                }
                Some((min, max)) => (min.parse().ok()?, max.parse().ok()?),
            };
            (min <= max).then_some((min, max, close + 1))
        }
        _ => Some((1, 1, start)),
    }
}

#[cfg(test)]
mod tests {
    use super::Plain;
    use regex_lite::Regex;

    /// Every pattern below either has no plain form or matches exactly what regex-lite matches,
    /// on every string of up to 4 characters over an alphabet that exercises each of them, and
    /// on some longer ones.
    #[test]
    fn plain_patterns_match_what_the_regex_matches() {
        let patterns = [
            "^([a-f0-9]{24})$",
            "^[a-fA-F0-9]{24}$",
            "^[a-zA-Z0-9][a-zA-Z0-9-]*$",
            "^vpce-[0-9a-f]{17}$",
            "^pls_[0-9a-f]{24}$",
            "^([a-f0-9]{1,3})$",
            "^[0-9]{2}$",
            "^([A-Z]{2})$",
            "^a[b-]?$",
            "^x+$",
            "^[-a]{2}$",
            "^[a-]{1,2}$",
            "^([0-9a-f]){3}$",
            "^a*b$",
            "^[^a]{2}$",
            "^a|b$",
            "^\\d{2}$",
            "^a.b$",
        ];
        let alphabet = ['a', 'b', 'f', 'g', 'A', 'Z', '0', '9', '-', 'x', 'v', '_', 'é'];
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = inputs
                .iter()
                .filter(|s| s.chars().count() == inputs.last().map_or(0, |l| l.chars().count()))
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            inputs.extend(longer);
        }
        inputs.extend(
            [
                "32b6e34b3d91647abb20e7b8",
                "32B6E34B3D91647ABB20E7B8",
                "32b6e34b3d91647abb20e7b",
                "vpce-0123456789abcdef0",
            ]
            .map(String::from),
        );
        let mut plain_ones = 0;
        for pattern in patterns {
            let regex = Regex::new(pattern).unwrap();
            let Some(plain) = Plain::parse(pattern) else { continue };
            plain_ones += 1;
            for input in &inputs {
                assert_eq!(plain.matches(input), regex.is_match(input), "`{pattern}` on {input:?}");
            }
        }
        assert_eq!(plain_ones, 12, "the plain patterns among the cases");
        for not_plain in ["^([0-9a-f]){3}$", "^a*b$", "^[^a]{2}$", "^a|b$", "^\\d{2}$", "^a.b$"] {
            assert!(Plain::parse(not_plain).is_none(), "{not_plain}");
        }
    }
}
