//! Format stage: check the emitted tokens with `syn` and print them with `prettyplease`.

use proc_macro2::TokenStream;

use crate::GenerateError;

/// One top-level item and the name to blame if it does not parse.
pub struct Item {
    /// Type or operation name.
    pub name: String,
    /// The item's tokens.
    pub tokens: TokenStream,
}

/// Parses every item (naming the one that fails), then prints the file with `header` on top.
pub fn format_file(header: &str, items: Vec<Item>) -> Result<String, GenerateError> {
    let mut parsed = Vec::with_capacity(items.len());
    for item in items {
        let file: syn::File = syn::parse2(item.tokens).map_err(|e| GenerateError::Emit {
            item: item.name.clone(),
            message: e.to_string(),
        })?;
        parsed.extend(file.items);
    }
    // Printed one item at a time so a blank line separates items, as a person would write them;
    // consecutive `use` items stay together.
    let mut out = String::from(header);
    let mut previous_was_use = false;
    for item in parsed {
        let is_use = matches!(item, syn::Item::Use(_));
        if !(is_use && previous_was_use) {
            out.push('\n');
        }
        previous_was_use = is_use;
        out.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        }));
    }
    Ok(out)
}
