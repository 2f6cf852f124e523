//! Maps JSON pointers to line and column in the YAML source.
//!
//! `serde_yaml` reports positions only for syntax errors, and `openapiv3` values carry none.
//! To point a semantic diagnostic (a dangling `$ref`, a bad discriminator) at its line, the
//! source is parsed a second time with `yaml-rust2`'s event parser, which keeps a marker per
//! event. This only happens when there is something to report, so a clean run pays nothing.
//! A run with warnings to locate indexes only their pointers and ancestors
//! ([`PointerIndex::build_for`]): the whole index of a 4 MB spec costs more than parsing it.
//! And before the parser, [`Outline`] reads the text as indented lines, which places every
//! pointer of a block-style spec for a fraction of a parse; the parser answers when it cannot.

mod outline;
mod position;
mod segment;

pub use outline::Outline;
pub use position::Position;
pub use segment::{escape_segment, unescape_segment};

use std::borrow::Cow;
use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// JSON pointer (`#/a/b/0`) to the position of the node's key (or of the item, in a list).
#[derive(Debug, Default)]
pub struct PointerIndex {
    positions: HashMap<String, Position>,
    duplicate: Option<(String, Position)>,
    first_alias: Option<Position>,
}

impl PointerIndex {
    /// Indexes a YAML document. A document that does not scan yields an empty index.
    pub fn build(source: &str) -> Self {
        Self::scan(source, Builder::default())
    }

    /// Indexes only what locating `pointers` needs: each of them and its ancestors. Repeated
    /// keys are not looked for. The [`Outline`] places them when it can place every one;
    /// otherwise the YAML parser does ([`PointerIndex::scan_for`]).
    pub fn build_for<'a>(source: &str, pointers: impl IntoIterator<Item = &'a str>) -> Self {
        let pointers: Vec<&str> = pointers.into_iter().collect();
        Self::outline_for(source, &pointers).unwrap_or_else(|| Self::scan_for(source, pointers))
    }

    /// [`PointerIndex::build_for`] by the YAML parser alone.
    pub fn scan_for<'a>(source: &str, pointers: impl IntoIterator<Item = &'a str>) -> Self {
        Self::scan(
            source,
            Builder {
                wanted: Some(Wanted::new(pointers)),
                ..Builder::default()
            },
        )
    }

    /// What the parser's targeted index would hold for `pointers` (each one and its ancestors),
    /// read by the outline; `None` when it cannot place one of them.
    fn outline_for(source: &str, pointers: &[&str]) -> Option<Self> {
        let mut outline = Outline::new(source);
        let mut positions = HashMap::new();
        // Pointers that are not `#/...` are not indexed by the parser either.
        for pointer in pointers.iter().filter(|p| p.starts_with('#')) {
            let mut prefix: &str = pointer;
            loop {
                if !positions.contains_key(prefix) {
                    positions.insert(prefix.to_owned(), outline.position(prefix)?);
                }
                match prefix.rfind('/') {
                    Some(cut) => prefix = &prefix[..cut],
                    None => break,
                }
            }
        }
        Some(PointerIndex {
            positions,
            duplicate: None,
            first_alias: None,
        })
    }

    /// Every pointer the index holds, with its position (in no particular order).
    pub fn positions(&self) -> impl Iterator<Item = (&str, Position)> {
        self.positions.iter().map(|(pointer, at)| (pointer.as_str(), *at))
    }

    fn scan(source: &str, mut builder: Builder) -> Self {
        // A byte-order mark is not part of the document.
        let mut parser = Parser::new_from_str(source.strip_prefix('\u{feff}').unwrap_or(source));
        // A scan error only truncates the index; the caller already has the serde_yaml error.
        let _ = parser.load(&mut builder, false);
        PointerIndex {
            positions: builder.positions,
            duplicate: builder.duplicate,
            first_alias: builder.first_alias,
        }
    }

    /// The pointer and position of the first key that repeats an earlier key of its mapping.
    pub fn duplicate_key(&self) -> Option<(&str, Position)> {
        self.duplicate.as_ref().map(|(p, at)| (p.as_str(), *at))
    }

    /// The position of the first alias (`*name`) in the document.
    pub fn first_alias(&self) -> Option<Position> {
        self.first_alias
    }

    /// The position of `pointer`, or of its nearest indexed ancestor.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let mut candidate = pointer;
        loop {
            if let Some(position) = self.positions.get(candidate) {
                return Some(*position);
            }
            let cut = candidate.rfind('/')?;
            candidate = &candidate[..cut];
        }
    }
}

enum Frame {
    /// `key` is the pending key; `item` is the pointer of this mapping when it is a list item,
    /// whose position is taken from its first key (the parser marks a block mapping in a list
    /// at its first value, not its first key).
    Map {
        key: Option<(String, Marker)>,
        item: Option<String>,
        seen: std::collections::HashSet<String>,
    },
    Seq {
        index: usize,
    },
}

/// The pointers a targeted index records, as a tree of their escaped segments (node 0 is `#`).
struct Wanted {
    children: Vec<HashMap<String, usize>>,
}

impl Wanted {
    fn new<'a>(pointers: impl IntoIterator<Item = &'a str>) -> Self {
        let mut wanted = Wanted {
            children: vec![HashMap::new()],
        };
        for pointer in pointers {
            let Some(rest) = pointer.strip_prefix('#') else {
                continue;
            };
            let mut node = 0;
            for segment in rest.split('/').skip(1) {
                node = match wanted.children[node].get(segment) {
                    Some(&child) => child,
                    None => {
                        wanted.children.push(HashMap::new());
                        let child = wanted.children.len() - 1;
                        wanted.children[node].insert(segment.to_owned(), child);
                        child
                    }
                };
            }
        }
        wanted
    }

    /// The node of `segment` (unescaped) under `node`.
    fn child(&self, node: usize, segment: &str) -> Option<usize> {
        let escaped = if segment.contains(['~', '/']) {
            Cow::Owned(escape_segment(segment))
        } else {
            Cow::Borrowed(segment)
        };
        self.children[node].get(escaped.as_ref()).copied()
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    path: Vec<String>,
    /// With `wanted`: the node of each segment of `path` (`None` outside the wanted tree).
    nodes: Vec<Option<usize>>,
    /// `None`: index everything (and look for repeated keys).
    wanted: Option<Wanted>,
    positions: HashMap<String, Position>,
    duplicate: Option<(String, Position)>,
    first_alias: Option<Position>,
}

impl Builder {
    fn pointer(&self, last: &str) -> String {
        pointer_in(&self.path, last)
    }

    /// The wanted node of `last` under the current path (`Some(0)`-rooted); `None` if not wanted.
    fn node_of(&self, last: &str) -> Option<usize> {
        let wanted = self.wanted.as_ref()?;
        let parent = if self.path.is_empty() {
            Some(0)
        } else {
            self.nodes.last().copied().flatten()
        };
        wanted.child(parent?, last)
    }

    /// Whether the pointer of `last` under the current path is to be recorded.
    fn records(&self, last: &str) -> bool {
        self.wanted.is_none() || self.node_of(last).is_some()
    }

    fn record(&mut self, last: &str, at: Marker) {
        if self.records(last) {
            let pointer = self.pointer(last);
            self.positions.insert(pointer, position(at));
        }
    }

    /// Called for every node start; returns the path segment of the node if it is a value.
    fn enter_value(&mut self, mark: Marker, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => None,
            Some(Frame::Map { key, item, seen }) => match key.take() {
                None => {
                    // This node is a key: remember it until its value arrives.
                    let name = scalar.unwrap_or_default().to_owned();
                    let repeated = self.wanted.is_none() && scalar.is_some() && !seen.insert(name.clone());
                    *key = Some((name.clone(), mark));
                    if repeated && self.duplicate.is_none() {
                        self.duplicate = Some((pointer_in(&self.path, &name), position(mark)));
                    }
                    if let Some(pointer) = item.take() {
                        self.positions.insert(pointer, position(mark));
                    }
                    None
                }
                Some((name, key_mark)) => {
                    self.record(&name, key_mark);
                    Some(name)
                }
            },
            Some(Frame::Seq { index }) => {
                let segment = index.to_string();
                *index += 1;
                self.record(&segment, mark);
                Some(segment)
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.enter_value(mark, Some(&value));
            }
            Event::Alias(_) => {
                self.first_alias.get_or_insert(position(mark));
                self.enter_value(mark, None);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_root = self.stack.is_empty();
                let in_list = matches!(self.stack.last(), Some(Frame::Seq { .. }));
                let segment = self.enter_value(mark, None);
                let item = match (&segment, in_list) {
                    (Some(segment), true) if self.records(segment) => Some(self.pointer(segment)),
                    _ => None,
                };
                // The root is where its first key is (a block mapping's mark is its first value).
                let item = if is_root { Some("#".to_owned()) } else { item };
                if is_root && matches!(event, Event::SequenceStart(..)) {
                    self.positions.insert("#".to_owned(), position(mark));
                }
                if let Some(segment) = segment {
                    let node = self.node_of(&segment);
                    self.nodes.push(node);
                    self.path.push(segment);
                }
                self.stack.push(match event {
                    Event::MappingStart(..) => Frame::Map {
                        key: None,
                        item,
                        seen: Default::default(),
                    },
                    _ => Frame::Seq { index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                if !self.stack.is_empty() {
                    self.path.pop();
                    self.nodes.pop();
                }
            }
            _ => {}
        }
    }
}

/// The pointer of `last` under the path `path`.
fn pointer_in(path: &[String], last: &str) -> String {
    let mut pointer = String::from("#");
    for segment in path.iter().map(String::as_str).chain([last]) {
        pointer.push('/');
        pointer.push_str(&escape_segment(segment));
    }
    pointer
}

fn position(mark: Marker) -> Position {
    Position {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_keys_items_and_ancestors() {
        let source = "openapi: 3.0.1\ncomponents:\n  schemas:\n    A/B:\n      oneOf:\n        - $ref: '#/x'\n        - type: string\n";
        let index = PointerIndex::build(source);
        assert_eq!(index.locate("#/openapi"), Some(Position { line: 1, column: 1 }));
        assert_eq!(
            index.locate("#/components/schemas/A~1B"),
            Some(Position { line: 4, column: 5 })
        );
        assert_eq!(
            index.locate("#/components/schemas/A~1B/oneOf/1"),
            Some(Position { line: 7, column: 11 })
        );
        assert_eq!(
            index.locate("#/components/schemas/A~1B/oneOf/0/$ref"),
            Some(Position { line: 6, column: 11 })
        );
        // An unknown child falls back to its nearest known ancestor.
        assert_eq!(
            index.locate("#/components/schemas/A~1B/nope"),
            Some(Position { line: 4, column: 5 })
        );
    }

    #[test]
    fn a_targeted_index_places_its_pointers_as_the_whole_index_does() {
        let source = "openapi: 3.0.1\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - $ref: '#/p'\n      responses:\n        '200':\n          description: ok\ncomponents:\n  schemas:\n    A~B:\n      enum: [x, y]\n    C:\n      allOf:\n        - type: object\n          properties:\n            n: {type: string}\n";
        let whole = PointerIndex::build(source);
        let wanted = [
            "#/paths/~1a~1{id}/get/parameters/1/$ref",
            "#/paths/~1a~1{id}/get/parameters/0",
            "#/paths/~1a~1{id}/get/responses/200/description",
            "#/components/schemas/A~0B/enum/1",
            "#/components/schemas/C/allOf/0/properties/n/type",
            "#/components/schemas/C/allOf/0/nope",
            "#/nowhere",
        ];
        let targeted = PointerIndex::build_for(source, wanted);
        for pointer in wanted {
            assert!(whole.locate(pointer).is_some(), "{pointer}");
            assert_eq!(targeted.locate(pointer), whole.locate(pointer), "{pointer}");
        }
        // What was not asked for is not indexed: it falls back to an ancestor.
        let unasked = "#/paths/~1a~1{id}/get/parameters/0/in";
        assert_eq!(
            targeted.locate(unasked),
            whole.locate("#/paths/~1a~1{id}/get/parameters/0")
        );
        assert_ne!(targeted.locate(unasked), whole.locate(unasked));
    }

    // The outline (`outline.rs`) against the parser.

    /// Every node of `source` that the outline places is where the parser's index places it.
    fn agrees_with_the_parser(source: &str) -> (usize, usize) {
        let whole = PointerIndex::build(source);
        let mut outline = Outline::new(source);
        let mut placed = 0;
        for (pointer, position) in whole.positions() {
            if let Some(found) = outline.position(pointer) {
                assert_eq!(found, position, "{pointer}");
                placed += 1;
            }
        }
        (placed, whole.positions().count())
    }

    #[test]
    fn places_keys_items_and_the_root_as_the_parser_does() {
        let source = "openapi: 3.0.1\npaths:\n  /a/{id}:accept:\n    get:\n      parameters:\n        - name: id\n          in: path\n        -   $ref: '#/p'\n        - plain\n        - 'quoted'\n      responses:\n        '200':\n          description: ok # a comment\n        \"404\": # a comment\n          description: |\n            not: a key\n          x-it's: 'it''s'\n  ? /a/very/long/path/{id}\n  :   get:\n        summary: s\n      put:\n        summary: t\n  ? /b\n  :\n    get: {}\ncomponents:\n\n  # a comment\n  schemas:\n    A~B:\n      enum:\n        - x\n    C:\n      allOf:\n        - type: object\n          properties:\n            n:\n              type: string\n";
        let (placed, all) = agrees_with_the_parser(source);
        assert_eq!(placed, all, "every node of this plain block document is placed");
    }

    #[test]
    fn is_not_sure_of_what_it_does_not_read() {
        let source = "top:\n  a:\n  - - x\n  - y\nb: &anchor\n  c: 1\nd: {e: 1}\nf: [1, 2]\ng:\n  h: 1\n  h: 2\nn:\n  \"i\\\"j\":\n    k: 1\nl: !tag\n  m: 1\n";
        let (placed, _) = agrees_with_the_parser(source);
        assert!(placed > 0);
        let mut outline = Outline::new(source);
        for pointer in [
            "#/top/a/0",
            "#/b/c",
            "#/d/e",
            "#/f/1",
            "#/g/h",
            "#/n/i\"j/k",
            "#/l/m",
            "#/nope",
        ] {
            assert_eq!(outline.position(pointer), None, "{pointer}");
        }
        assert_eq!(outline.position("#/top/a"), Some(Position { line: 2, column: 3 }));
        assert_eq!(outline.position("#/b"), Some(Position { line: 5, column: 1 }));
    }
}
