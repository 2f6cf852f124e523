//! The fast path of locating: block-style YAML read as an outline of indented lines.
//!
//! Locating a diagnostic's pointer with the YAML parser costs a whole parse of the document
//! (65 ms for the 4 MB Admin spec, about half of lowering it), whatever the number of pointers.
//! Specs are written (or dumped) in block style, where a mapping's keys are the lines at one
//! indentation between its key and the next line indented as little: a pointer is found by
//! reading only the lines at the indentation of each of its segments.
//!
//! The outline answers only what it reads plainly: keys (plain or quoted, without escapes), list
//! items (`- `), and values on lines of their own. Anything else on its way (a flow collection,
//! an anchor, an alias, a tag, a block scalar, a repeated key, a compact list, a document
//! marker, a line it cannot read as a key) makes it answer "not sure" (`None`), and the caller
//! asks the YAML parser instead. Where it answers, it answers as the parser's index does
//! (held to it over every node of the specs by a test).

use std::borrow::Cow;
use std::collections::HashMap;

use super::position::Position;
use super::segment::unescape_segment;

/// One line that holds YAML content (not blank, not only a comment).
#[derive(Clone, Copy)]
struct Line {
    /// Byte offset of the first character after the indentation.
    content: usize,
    /// Byte offset of the end of the line (before `\r\n` or `\n`).
    end: usize,
    /// Spaces before the content.
    indent: usize,
    /// 1-based line number.
    number: usize,
}

/// A node the outline found: where it is, and the lines its value may span.
#[derive(Clone, Copy)]
struct Node {
    /// The line of its key (or of its `- `).
    line: usize,
    /// 0-based column of its key (or of the item's content).
    column: usize,
    /// Its block: the lines after `line` up to (not including) the next sibling.
    block: (usize, usize),
    /// How its children are laid out.
    value: Value,
    /// With [`Value::InlineMapping`]: the line and byte offset of the mapping's first key.
    inline: (usize, usize),
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Value {
    /// On the following lines, indented more (`key:` then a block).
    Below,
    /// A mapping that starts on a line of the node's own (`- key: ...`, or `: key: ...` after an
    /// explicit `? key`): its first key is at `inline`, the others below it at the same column.
    InlineMapping,
    /// Anything else: a scalar on the line, or a layout the outline does not read. Nothing is
    /// looked up under it.
    Opaque,
}

/// The children of a node, read once and kept.
enum Children {
    Mapping(HashMap<String, Node>),
    List(Vec<Node>),
}

/// An outline of one YAML text, answering pointers as it reads them.
pub struct Outline<'s> {
    text: &'s str,
    lines: Vec<Line>,
    /// Children per node, keyed by the node's line, column and layout (an item's mapping and
    /// its first key share a line and column; the root: `None`); `None` for a node whose
    /// children the outline cannot read.
    children: HashMap<Option<(usize, usize, Value)>, Option<Children>>,
}

impl<'s> Outline<'s> {
    /// Reads the lines of `source` (one pass; nothing is parsed until a pointer is asked for).
    pub fn new(source: &'s str) -> Self {
        let text = source.strip_prefix('\u{feff}').unwrap_or(source);
        let mut lines = Vec::new();
        let mut start = 0;
        for (index, raw) in text.split('\n').enumerate() {
            let line_end = start + raw.len();
            let trimmed = raw.strip_suffix('\r').unwrap_or(raw);
            let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
            let rest = &trimmed[indent..];
            if !rest.is_empty() && !rest.starts_with('#') {
                lines.push(Line {
                    content: start + indent,
                    end: start + trimmed.len(),
                    indent,
                    number: index + 1,
                });
            }
            start = line_end + 1;
        }
        Outline {
            text,
            lines,
            children: HashMap::new(),
        }
    }

    /// The position of `pointer` (`#`, `#/a/0/b~1c`) as the YAML parser's index gives it, or
    /// `None` when the outline cannot tell (the node is missing, or something on the way is not
    /// plain block style).
    pub fn position(&mut self, pointer: &str) -> Option<Position> {
        let rest = pointer.strip_prefix('#')?;
        let mut node: Option<Node> = None;
        for segment in rest.split('/').skip(1) {
            node = Some(self.child(node, &unescape_segment(segment))?);
        }
        match node {
            Some(node) => Some(Position {
                line: self.lines[node.line].number,
                column: node.column + 1,
            }),
            // The root is where its first key is.
            None => match self.children_of(None)? {
                Children::Mapping(_) => self.lines.first().map(|line| Position {
                    line: line.number,
                    column: line.indent + 1,
                }),
                Children::List(_) => None,
            },
        }
    }

    /// The child `segment` of `parent` (the root: `None`).
    fn child(&mut self, parent: Option<Node>, segment: &str) -> Option<Node> {
        if parent.is_some_and(|p| p.value == Value::Opaque) {
            return None;
        }
        match self.children_of(parent)? {
            Children::Mapping(keys) => keys.get(segment).copied(),
            Children::List(items) => {
                // `01` or `+1` are not list indices (the parser's index would not have them).
                let index: usize = segment
                    .parse()
                    .ok()
                    .filter(|_| !segment.starts_with(['+', '0']) || segment == "0")?;
                items.get(index).copied()
            }
        }
    }

    fn children_of(&mut self, parent: Option<Node>) -> Option<&Children> {
        let key = parent.map(|p| (p.line, p.column, p.value));
        if !self.children.contains_key(&key) {
            let read = self.read_children(parent);
            self.children.insert(key, read);
        }
        self.children.get(&key)?.as_ref()
    }

    /// Reads the entries directly under `parent`: the lines of its block at the indentation of
    /// the first one (for an item's mapping, the column of its first key).
    fn read_children(&self, parent: Option<Node>) -> Option<Children> {
        let (first, end, indent, inline_first) = match parent {
            None => (0, self.lines.len(), self.lines.first()?.indent, None),
            Some(node) => match node.value {
                Value::Below => {
                    let (first, end) = node.block;
                    let line = self.lines.get(first).filter(|_| first < end)?;
                    let key_indent = self.lines[node.line].indent;
                    // A compact list (`key:` then `- ` at the key's own indentation) is read as
                    // a list; anything else must be indented more than the key.
                    if line.indent < key_indent || (line.indent == key_indent && !self.is_item(first)) {
                        return None;
                    }
                    (first, end, line.indent, None)
                }
                Value::InlineMapping => (
                    node.block.0,
                    node.block.1,
                    self.column_of(node.inline.0, node.inline.1),
                    Some(node.inline),
                ),
                Value::Opaque => return None,
            },
        };
        // The entries: (line, byte offset of their content), the item's own line first. In a
        // mapping, items at the keys' indentation are a key's compact list, not entries.
        let mapping_mode = inline_first.is_some() || !self.is_item(first);
        let mut entries: Vec<(usize, usize)> = inline_first.into_iter().collect();
        for at in first..end {
            let line = self.lines[at];
            match line.indent {
                // The value line of an explicit key (`? key` then `: value`) is read with its key.
                i if i == indent && mapping_mode && (self.is_item(at) || self.is_explicit_value(at)) => {}
                i if i == indent => entries.push((at, line.content)),
                // Shallower than the entries yet inside the block: a layout not read here.
                i if i < indent => return None,
                _ => {}
            }
        }
        let mut mapping = HashMap::new();
        let mut list = Vec::new();
        for (n, &(at, content)) in entries.iter().enumerate() {
            let next = entries.get(n + 1).map_or(end, |&(next, _)| next);
            let block = (at + 1, next);
            let line_text = &self.text[content..self.lines[at].end];
            let column = self.column_of(at, content);
            // An item's own mapping (`- key: ...`) is the entry of its first key, not an item.
            let item = if inline_first.is_some() && n == 0 {
                None
            } else {
                item_content(line_text)
            };
            if let Some(after_dash) = item {
                let item_offset = content + (line_text.len() - after_dash.len());
                let value = match item_kind(after_dash)? {
                    ItemKind::Mapping => Value::InlineMapping,
                    ItemKind::Scalar => Value::Opaque,
                };
                list.push(Node {
                    line: at,
                    column: self.column_of(at, item_offset),
                    block,
                    value,
                    inline: (at, item_offset),
                });
            } else if let Some(after_question) = line_text.strip_prefix("? ") {
                let (key, node) = self.explicit_entry(at, content, after_question, next)?;
                if mapping.insert(key.to_owned(), node).is_some() {
                    return None;
                }
            } else {
                let (key, rest) = read_key(line_text)?;
                let value = if rest.is_empty() || rest.starts_with('#') {
                    Value::Below
                } else {
                    Value::Opaque
                };
                let node = Node {
                    line: at,
                    column,
                    block,
                    value,
                    inline: (at, content),
                };
                // A repeated key: which one the parser's index keeps is not the outline's call.
                if mapping.insert(key.into_owned(), node).is_some() {
                    return None;
                }
            }
            if !mapping.is_empty() && !list.is_empty() {
                return None;
            }
        }
        if list.is_empty() {
            Some(Children::Mapping(mapping))
        } else {
            Some(Children::List(list))
        }
    }

    /// An explicit key (`? key` on line `at`, its content at byte `content`) and its value on
    /// the next line (`: value`), as an entry whose siblings start at line `next`. Only a plain
    /// key on one line is read.
    fn explicit_entry<'t>(
        &self,
        at: usize,
        content: usize,
        after_question: &'t str,
        next: usize,
    ) -> Option<(&'t str, Node)> {
        let key_text = after_question.trim_start_matches(' ');
        let key = key_text.trim_end_matches(' ');
        let first = key.chars().next()?;
        if NOT_PLAIN_KEY_START.contains(first) || key.contains(": ") || key.contains(" #") || key.ends_with(':') {
            return None;
        }
        let key_offset = content + 2 + (after_question.len() - key_text.len());
        let colon = at + 1;
        if colon >= next || !self.is_explicit_value(colon) || self.lines[colon].indent != self.lines[at].indent {
            return None;
        }
        let colon_line = self.lines[colon];
        let value_text = self.text[colon_line.content + 1..colon_line.end].trim_start_matches(' ');
        let value_offset = colon_line.end - value_text.len();
        let value = if value_text.is_empty() || value_text.starts_with('#') {
            Value::Below
        } else if read_key(value_text).is_some() {
            Value::InlineMapping
        } else {
            Value::Opaque
        };
        let node = Node {
            line: at,
            column: self.column_of(at, key_offset),
            block: (colon + 1, next),
            value,
            inline: (colon, value_offset),
        };
        Some((key, node))
    }

    /// Whether line `at` is the value line of an explicit key (`: value`, or a lone `:`).
    fn is_explicit_value(&self, at: usize) -> bool {
        self.lines.get(at).is_some_and(|line| {
            let text = &self.text[line.content..line.end];
            text == ":" || text.starts_with(": ")
        })
    }

    /// Whether line `at` (if there is one) is a list item (`- ...` or a lone `-`).
    fn is_item(&self, at: usize) -> bool {
        self.lines
            .get(at)
            .is_some_and(|line| item_content(&self.text[line.content..line.end]).is_some())
    }

    /// The 0-based column of byte `offset` on line `at` (indentation is spaces, so bytes are
    /// columns up to the content; past it, characters are counted).
    fn column_of(&self, at: usize, offset: usize) -> usize {
        let line = self.lines[at];
        let line_start = line.content - line.indent;
        self.text[line_start..offset].chars().count()
    }
}

/// What a plain key cannot start with: YAML's indicators (flow collections, anchors, aliases,
/// tags, block scalars, directives, comments, complex keys, list items) and quotes.
const NOT_PLAIN_KEY_START: &str = "-{[]}&*!|>%@`?#,\"'";

/// What starts an item's content that the outline does not read (a `-` is checked apart: `-1`
/// is a scalar, `- x` a list).
const NOT_ITEM_START: &str = "{[&*!|>%@`?#,";

enum ItemKind {
    /// `- key: value`: a mapping whose first key is on the item's line.
    Mapping,
    /// `- value`: a plain or quoted scalar.
    Scalar,
}

/// After `- ` (or a lone `-`): the item's content, from its first character; `None` if the line
/// is not a list item.
fn item_content(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('-')?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None; // `-foo` is a plain scalar.
    }
    Some(rest.trim_start_matches(' '))
}

/// What an item's content is, or `None` when it is not read here (an empty item with its value
/// below, a nested list, a flow collection, an anchor, alias, tag or block scalar).
fn item_kind(content: &str) -> Option<ItemKind> {
    let first = content.chars().next()?;
    // `- - x` is a list in a list; `- -1` is a scalar.
    if NOT_ITEM_START.contains(first) || item_content(content).is_some() {
        return None;
    }
    match read_key(content) {
        Some(_) => Some(ItemKind::Mapping),
        // A quoted scalar alone, or a plain one without `: `.
        None if first == '\'' || first == '"' => quoted_end(content)
            .filter(|&end| content[end..].trim_start().is_empty() || content[end..].trim_start().starts_with('#'))
            .map(|_| ItemKind::Scalar),
        None if content.contains(" #") || content.contains(": ") || content.ends_with(':') => None,
        None => Some(ItemKind::Scalar),
    }
}

/// A mapping key at the start of `line`: the key's text and what follows its `:` (trimmed).
/// `None` when the line does not start with a key the outline reads (escapes, flow syntax,
/// anchors, tags, complex keys, or no `:` at all).
fn read_key(line: &str) -> Option<(Cow<'_, str>, &str)> {
    let first = line.chars().next()?;
    let (key, after): (Cow<'_, str>, &str) = match first {
        '\'' | '"' => {
            let end = quoted_end(line)?;
            let inner = &line[1..end - 1];
            let key = if first == '\'' {
                Cow::Owned(inner.replace("''", "'"))
            } else if inner.contains('\\') {
                return None;
            } else {
                Cow::Borrowed(inner)
            };
            (key, line[end..].trim_start_matches(' '))
        }
        _ if NOT_PLAIN_KEY_START.contains(first) => return None,
        _ => {
            let colon = plain_key_end(line)?;
            (Cow::Borrowed(line[..colon].trim_end_matches(' ')), &line[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some((key, rest.trim_matches(' ')))
}

/// The byte offset of the `:` that ends a plain key: the first one followed by a space or the
/// end of the line. `None` if a comment starts first, or there is none.
fn plain_key_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b':' if bytes.get(i + 1).is_none_or(|&next| next == b' ') => return Some(i),
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            b'\t' => return None,
            _ => {}
        }
    }
    None
}

/// The byte offset just past the closing quote of the quoted scalar that `text` starts with
/// (`''` inside single quotes is a quote); `None` if it does not close on this line.
fn quoted_end(text: &str) -> Option<usize> {
    let quote = text.as_bytes()[0];
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == quote {
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        if quote == b'"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        i += 1;
    }
    None
}
