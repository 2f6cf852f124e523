//! "Did you mean ...?": the closest of several known names to a misspelled one.
//!
//! A typo in a spec (a `$ref` target, a key, a `required` entry, a discriminator mapping, a
//! path parameter) is answered with the nearest name that exists, by Damerau-Levenshtein
//! distance (a swapped pair of letters counts once) on the lower-cased names, so `Nullabel`,
//! `nullable` and `NULLABLE` all find `nullable`. A candidate further away than about a third
//! of the name's length is no suggestion at all: a wrong guess misleads more than none.

/// The candidate closest to `wanted`, if one is close enough to be a likely typo. Ties go to
/// the candidate met first, so the answer does not depend on hashing.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let limit = 1 + wanted.chars().count() / 3;
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == wanted {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&wanted_lower, &candidate.to_lowercase());
        let better = best.is_none_or(|(d, _)| distance < d);
        if distance <= limit && better {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// `did you mean `x`? ` (with the trailing space) or nothing, to start a help text with.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match closest(wanted, candidates) {
        Some(name) => format!("did you mean `{name}`? "),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_refuses_strangers() {
        let keys = ["required", "readOnly", "nullable", "properties"];
        assert_eq!(closest("requird", keys), Some("required"));
        assert_eq!(closest("nullabel", keys), Some("nullable"));
        assert_eq!(closest("readonly", keys), Some("readOnly"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(
            closest("StreamConnection", ["StreamsConnection", "StreamsTenant"]),
            Some("StreamsConnection")
        );
        assert_eq!(did_you_mean("x", keys), "");
    }
}
