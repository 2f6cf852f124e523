//! Format stage: check the emitted tokens with `syn` and print them with `prettyplease`.

use proc_macro2::TokenStream;

use crate::GenerateError;

/// One top-level item (a type with its impls, an operation's builder ...) and the name to
/// blame if it does not parse.
pub struct Item {
    /// Type or operation name.
    pub name: String,
    /// The item's tokens.
    pub tokens: TokenStream,
}

/// An item whose doc comments were rendered as markers (see `emit::rust::collect_docs`), and
/// their texts in marker order.
///
/// Doc comments are most of the text of the generated code, and a doc attribute is the
/// costliest token to carry through: `quote` escapes the text into a string literal, `syn`
/// unescapes it once to check the literal and `prettyplease` again to print it. A marker
/// attribute goes through all three in a few bytes, and the formatted marker line
/// (`///` + marker, at the item's indentation) is replaced by the lines `prettyplease` would
/// have printed: `///`, a space and the line, trailing spaces trimmed. A run on the official
/// Streams spec costs about a tenth less.
pub struct Rendered {
    /// The item, with markers in place of doc comments.
    pub item: Item,
    /// The doc texts, in marker order.
    pub docs: Vec<String>,
}

/// The start of a doc marker. Every doc line the emitters write starts with a space, so no
/// real doc line prints as `///` directly followed by this control character.
const DOC_MARKER_PREFIX: &str = "\u{1}doc";

/// The string of doc marker `index`.
pub fn doc_marker(index: usize) -> String {
    format!("{DOC_MARKER_PREFIX}{index}")
}

/// Formats an item and puts its doc comments in place of their markers. Every marker must be
/// found exactly once, on a line of its own: one that `prettyplease` printed some other way
/// (inside a macro call, say) would otherwise end up in the file.
pub fn format_rendered(rendered: Rendered) -> Result<String, GenerateError> {
    let name = rendered.item.name.clone();
    let formatted = format_item(rendered.item)?;
    if rendered.docs.is_empty() {
        return Ok(formatted);
    }
    let mut spliced = vec![false; rendered.docs.len()];
    let mut out = String::with_capacity(formatted.len() + rendered.docs.iter().map(|d| d.len() + 8).sum::<usize>());
    for line in formatted.split_inclusive('\n') {
        let content = line.trim_start_matches(' ');
        let indent = &line[..line.len() - content.len()];
        let marker = content
            .strip_prefix("///")
            .and_then(|rest| rest.trim_end().strip_prefix(DOC_MARKER_PREFIX))
            .and_then(|index| index.parse::<usize>().ok())
            .filter(|index| spliced.get(*index).is_some_and(|done| !done));
        let Some(index) = marker else {
            out.push_str(line);
            continue;
        };
        spliced[index] = true;
        for doc_line in rendered.docs[index].lines() {
            let doc_line = doc_line.trim_end_matches(' ');
            out.push_str(indent);
            out.push_str("///");
            if !doc_line.is_empty() {
                out.push(' ');
                out.push_str(doc_line);
            }
            out.push('\n');
        }
    }
    match spliced.iter().position(|done| !done) {
        None => Ok(out),
        Some(index) => Err(GenerateError::Emit {
            item: name,
            message: format!("doc comment {index} of the item was not printed as a `///` line"),
        }),
    }
}

/// Parses one item (a `syn` error names it: it is a generator bug) and prints it. Each Rust
/// item inside is printed on its own, separated by a blank line as a person would write them;
/// consecutive `use` items stay together.
pub fn format_item(item: Item) -> Result<String, GenerateError> {
    let file: syn::File = syn::parse2(item.tokens).map_err(|e| GenerateError::Emit {
        item: item.name.clone(),
        message: e.to_string(),
    })?;
    let mut out = String::new();
    let mut previous_was_use = None;
    for item in file.items {
        let is_use = matches!(item, syn::Item::Use(_));
        if previous_was_use.is_some_and(|was_use| !(was_use && is_use)) {
            out.push('\n');
        }
        previous_was_use = Some(is_use);
        out.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        }));
    }
    Ok(out)
}

/// A whole file: `header`, then the formatted items separated by blank lines.
pub fn assemble(header: &str, formatted: &[String]) -> String {
    let mut out = String::with_capacity(header.len() + formatted.iter().map(|f| f.len() + 1).sum::<usize>());
    out.push_str(header);
    for item in formatted {
        out.push('\n');
        out.push_str(item);
    }
    out
}

/// Formats every item in order and assembles the file.
pub fn format_file(header: &str, items: Vec<Rendered>) -> Result<String, GenerateError> {
    let formatted = items.into_iter().map(format_rendered).collect::<Result<Vec<_>, _>>()?;
    Ok(assemble(header, &formatted))
}
