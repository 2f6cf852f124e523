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
pub fn format_file(header: &str, items: Vec<Item>) -> Result<String, GenerateError> {
    let formatted = items.into_iter().map(format_item).collect::<Result<Vec<_>, _>>()?;
    Ok(assemble(header, &formatted))
}
