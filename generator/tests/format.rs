//! The formatter's doc-comment splicing prints exactly what `prettyplease` prints for the same
//! doc attributes.

use atlas_streams_generator::format::{doc_marker, format_item, format_rendered, Item, Rendered};
use quote::quote;

/// Doc texts with the shapes that matter to printing: blank lines, trailing and space-only
/// lines, a leading slash, quotes, backslashes, tabs, non-ASCII and a carriage return.
const DOCS: &[&str] = &[
    "One line.",
    "First paragraph.\n\nSecond paragraph,   \nwith trailing spaces.",
    "   \n  indented\n/leading slash\n\"quoted\" and \\backslash\\ and\ttab",
    "Überschrift — 説明 — 설명\r\nwindows line end",
    "",
];

/// The attributes `prettyplease` sees when docs are not set aside: one per line, each line
/// after a space (as the emitters render them).
fn doc_attrs(text: &str) -> proc_macro2::TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

#[test]
fn spliced_docs_print_like_doc_attributes() {
    for (i, text) in DOCS.iter().enumerate() {
        let direct = doc_attrs(text);
        let marker = doc_marker(0);
        let field_marker = doc_marker(1);
        let field_doc = doc_attrs(text);
        let expected = format_item(Item {
            name: format!("doc {i}"),
            tokens: quote! {
                #direct
                pub struct Example {
                    #field_doc
                    pub field: u8,
                }
            },
        })
        .expect("formats");
        let spliced = format_rendered(Rendered {
            item: Item {
                name: format!("doc {i}"),
                tokens: quote! {
                    #[doc = #marker]
                    pub struct Example {
                        #[doc = #field_marker]
                        pub field: u8,
                    }
                },
            },
            docs: vec![(*text).to_owned(), (*text).to_owned()],
        })
        .expect("formats");
        assert_eq!(spliced, expected, "doc text {text:?}");
        assert!(!spliced.contains('\u{1}'), "a marker was left in {spliced:?}");
    }
}

#[test]
fn items_without_markers_are_left_alone() {
    let item = || Item {
        name: "plain".to_owned(),
        tokens: quote! {
            #[doc = " Not a marker: \u{1}doc0"]
            pub fn f() {}
        },
    };
    let plain = format_item(item()).expect("formats");
    let rendered = format_rendered(Rendered {
        item: item(),
        docs: vec!["unused".to_owned()],
    })
    .expect("formats");
    assert_eq!(rendered, plain);
}
