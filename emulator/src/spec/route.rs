//! The route table: which operation a method and a request path reach.
//!
//! Atlas paths mix plain segments (`/streams/{tenantName}`), custom methods glued to a parameter
//! (`/processor/{processorName}:start`) and to a literal (`/streams:withSampleConnections`).
//! A path can match several templates (`/streams/accountDetails` also fits
//! `/streams/{tenantName}`), so among the templates that match, the most specific one wins:
//! segment by segment, a literal beats a parameter with a suffix, which beats a bare parameter.

use std::collections::BTreeMap;

use atlas_streams_generator::ir;
use percent_encoding::percent_decode_str;

/// One piece of a template segment.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    /// A literal segment, e.g. `streams` or `streams:withSampleConnections`.
    Literal(String),
    /// A parameter, optionally with literal text around it, e.g. `{processorName}:start`.
    Param {
        prefix: String,
        name: String,
        suffix: String,
    },
}

impl Segment {
    /// How specific the segment is (higher wins when two templates match one path).
    fn rank(&self) -> u8 {
        match self {
            Segment::Literal(_) => 3,
            Segment::Param { prefix, suffix, .. } if !prefix.is_empty() || !suffix.is_empty() => 2,
            Segment::Param { .. } => 1,
        }
    }

    /// The decoded parameter value if `raw` (still percent-encoded) fits the segment.
    ///
    /// Literal text is compared with the raw segment, so a name that merely contains an
    /// encoded `:start` (`a%3Astart`) stays a name and never becomes a custom method.
    fn matches(&self, raw: &str) -> Option<Option<String>> {
        match self {
            Segment::Literal(literal) => (raw == literal).then_some(None),
            Segment::Param { prefix, suffix, .. } => {
                let value = raw.strip_prefix(prefix.as_str())?.strip_suffix(suffix.as_str())?;
                (!value.is_empty()).then(|| Some(percent_decode_str(value).decode_utf8_lossy().into_owned()))
            }
        }
    }
}

/// A parsed path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    segments: Vec<Segment>,
}

impl Template {
    /// Parses `/api/atlas/v2/groups/{groupId}/streams/{tenantName}:start`-like templates.
    pub fn parse(path: &str) -> Result<Template, String> {
        let rest = path
            .strip_prefix('/')
            .ok_or_else(|| format!("path template `{path}` does not start with `/`"))?;
        let segments = rest
            .split('/')
            .map(|segment| parse_segment(segment).map_err(|why| format!("path template `{path}`: {why}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Template { segments })
    }

    fn ranks(&self) -> Vec<u8> {
        self.segments.iter().map(Segment::rank).collect()
    }

    /// The decoded path parameters if `raw_path` fits the template.
    fn matches(&self, raw_path: &str) -> Option<BTreeMap<String, String>> {
        let raw_segments: Vec<&str> = raw_path.strip_prefix('/')?.split('/').collect();
        if raw_segments.len() != self.segments.len() {
            return None;
        }
        let mut params = BTreeMap::new();
        for (segment, raw) in self.segments.iter().zip(raw_segments) {
            if let Some(value) = segment.matches(raw)? {
                if let Segment::Param { name, .. } = segment {
                    params.insert(name.clone(), value);
                }
            }
        }
        Some(params)
    }
}

fn parse_segment(segment: &str) -> Result<Segment, String> {
    let Some(open) = segment.find('{') else {
        return if segment.contains('}') {
            Err(format!("segment `{segment}` has `}}` without `{{`"))
        } else {
            Ok(Segment::Literal(segment.to_owned()))
        };
    };
    let close = segment[open..]
        .find('}')
        .map(|i| open + i)
        .ok_or_else(|| format!("segment `{segment}` has `{{` without `}}`"))?;
    let suffix = &segment[close + 1..];
    if suffix.contains('{') || suffix.contains('}') {
        return Err(format!("segment `{segment}` has more than one parameter"));
    }
    let name = &segment[open + 1..close];
    if name.is_empty() {
        return Err(format!("segment `{segment}` has an empty parameter name"));
    }
    Ok(Segment::Param {
        prefix: segment[..open].to_owned(),
        name: name.to_owned(),
        suffix: suffix.to_owned(),
    })
}

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// The operation at this index, with its decoded path parameters.
    Op(usize, BTreeMap<String, String>),
    /// Some template fits the path, but no operation has this method there.
    WrongMethod,
    /// No template fits the path.
    Nothing,
}

/// Every operation's template, with precomputed ranks.
#[derive(Debug)]
pub struct RouteTable {
    entries: Vec<(Template, ir::Method, Vec<u8>)>,
}

impl RouteTable {
    /// A table of `(template, method)` pairs; an operation's index is its position.
    pub fn new<'a>(routes: impl Iterator<Item = (&'a Template, ir::Method)>) -> RouteTable {
        RouteTable {
            entries: routes.map(|(t, m)| (t.clone(), m, t.ranks())).collect(),
        }
    }

    /// The most specific operation for `method` whose template fits `raw_path`.
    pub fn find(&self, method: &str, raw_path: &str) -> Found {
        let mut best: Option<(&[u8], usize, BTreeMap<String, String>)> = None;
        let mut path_exists = false;
        for (index, (template, op_method, ranks)) in self.entries.iter().enumerate() {
            let Some(params) = template.matches(raw_path) else {
                continue;
            };
            path_exists = true;
            if op_method.as_str() != method {
                continue;
            }
            if best
                .as_ref()
                .is_none_or(|(best_ranks, _, _)| ranks.as_slice() > *best_ranks)
            {
                best = Some((ranks, index, params));
            }
        }
        match best {
            Some((_, index, params)) => Found::Op(index, params),
            None if path_exists => Found::WrongMethod,
            None => Found::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(paths: &[(&str, ir::Method)]) -> RouteTable {
        let templates: Vec<(Template, ir::Method)> =
            paths.iter().map(|(p, m)| (Template::parse(p).unwrap(), *m)).collect();
        RouteTable::new(templates.iter().map(|(t, m)| (t, *m)))
    }

    #[test]
    fn literal_beats_parameter_and_suffix_beats_bare_parameter() {
        let t = table(&[
            ("/g/{groupId}/streams/{tenantName}", ir::Method::Get),
            ("/g/{groupId}/streams/accountDetails", ir::Method::Get),
            (
                "/g/{groupId}/streams/{tenantName}:downloadOperationalLogs",
                ir::Method::Get,
            ),
        ]);
        assert!(matches!(
            t.find("GET", "/g/abc/streams/accountDetails"),
            Found::Op(1, _)
        ));
        assert!(matches!(
            t.find("GET", "/g/abc/streams/ws:downloadOperationalLogs"),
            Found::Op(2, _)
        ));
        match t.find("GET", "/g/abc/streams/my%20ws") {
            Found::Op(0, params) => assert_eq!(params["tenantName"], "my ws"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_encoded_colon_stays_part_of_the_name() {
        let t = table(&[
            ("/p/{processorName}", ir::Method::Get),
            ("/p/{processorName}:start", ir::Method::Post),
        ]);
        match t.find("GET", "/p/a%3Astart") {
            Found::Op(0, params) => assert_eq!(params["processorName"], "a:start"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(t.find("POST", "/p/a:start"), Found::Op(1, _)));
        assert_eq!(t.find("DELETE", "/p/a"), Found::WrongMethod);
        assert_eq!(t.find("GET", "/p/a/b"), Found::Nothing);
        // An empty name before `:start` is no start call; the segment is then a name itself.
        assert_eq!(t.find("POST", "/p/:start"), Found::WrongMethod);
        assert_eq!(t.find("GET", "/p/"), Found::Nothing);
    }

    #[test]
    fn malformed_templates_are_errors_not_panics() {
        assert!(Template::parse("no/slash").is_err());
        assert!(Template::parse("/a/{b").is_err());
        assert!(Template::parse("/a/{}").is_err());
        assert!(Template::parse("/a/{b}{c}").is_err());
        assert!(Template::parse("/a/b}").is_err());
    }
}
