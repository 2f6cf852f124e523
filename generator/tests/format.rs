//! The formatter's doc-comment splicing prints exactly what `prettyplease` prints for the doc
//! attributes the emitters write (`emit::rust::doc`, what a `Docs` marker stands for).

use atlas_streams_generator::emit::rust::doc;
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

#[test]
fn spliced_docs_print_like_doc_attributes() {
    for (i, text) in DOCS.iter().enumerate() {
        let direct = doc(Some(text));
        let marker = doc_marker(0);
        let field_marker = doc_marker(1);
        let field_doc = doc(Some(text));
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
fn doc_text_that_looks_like_a_marker_is_left_alone() {
    let marker = doc_marker(0);
    let rendered = format_rendered(Rendered {
        item: Item {
            name: "lookalike".to_owned(),
            tokens: quote! {
                #[doc = " Not a marker: \u{1}doc0"]
                pub fn f() {}
                #[doc = #marker]
                pub fn g() {}
            },
        },
        docs: vec!["The real doc of g.".to_owned()],
    })
    .expect("formats");
    assert!(
        rendered.contains("/// Not a marker: \u{1}doc0\npub fn f"),
        "{rendered:?}"
    );
    assert!(rendered.contains("/// The real doc of g.\npub fn g"), "{rendered:?}");
}

#[test]
fn a_marker_not_printed_as_a_doc_line_is_an_error() {
    let marker = doc_marker(0);
    let leaked = format_rendered(Rendered {
        item: Item {
            name: "Leaky".to_owned(),
            tokens: quote! { some_macro!(#[doc = #marker] struct Leaky;); },
        },
        docs: vec!["Inside a macro call.".to_owned()],
    });
    let error = leaked
        .expect_err("a marker inside a macro call cannot be spliced")
        .to_string();
    assert!(error.contains("Leaky") && error.contains("doc comment 0"), "{error}");

    let missing = format_rendered(Rendered {
        item: Item {
            name: "Short".to_owned(),
            tokens: quote! { #[doc = #marker] pub struct Short; },
        },
        docs: vec!["Printed.".to_owned(), "Never referenced.".to_owned()],
    });
    let error = missing.expect_err("a doc without its marker").to_string();
    assert!(error.contains("doc comment 1"), "{error}");
}
