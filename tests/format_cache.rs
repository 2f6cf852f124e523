//! The formatting cache (`Options::format_cache`): a regeneration takes the formatted text of
//! every unchanged item from it, and the output is byte for byte the same with it, without it,
//! cold or warm.

use atlas_streams_generator::format::{cache, format_item, FormatCache};
use atlas_streams_generator::{emit, generate_with, load, lower, GeneratedFile, Options};
use std::path::{Path, PathBuf};

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("spec")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-streams-format-cache-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn generate(format_cache: Option<PathBuf>) -> Vec<GeneratedFile> {
    let mut options = Options::default();
    options.format_cache = format_cache;
    generate_with(&spec(), &options)
        .expect("the project's spec generates")
        .files
}

#[test]
fn the_output_is_the_same_with_the_cache_cold_or_warm_and_without_it() {
    let dir = scratch("same");
    let file = dir.join("format-cache");
    let plain = generate(None);
    let cold = generate(Some(file.clone()));
    assert!(cold == plain, "a cold cache changes the output");
    let kept = FormatCache::load(&file);
    assert!(kept.len() > 100, "the cache keeps every item: {} kept", kept.len());
    let warm = generate(Some(file.clone()));
    assert!(warm == plain, "a warm cache changes the output");
    // A file that is not a cache is an empty one, and is replaced by a cache.
    std::fs::write(&file, b"not a cache").unwrap();
    assert!(generate(Some(file.clone())) == plain);
    assert_eq!(FormatCache::load(&file).len(), kept.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_warm_run_takes_every_item_from_the_cache() {
    // A cache whose every item's text is marked: the generated files must show every mark, so
    // none of the items was formatted again.
    let loaded = load::load(&spec()).unwrap();
    let api = lower::lower(&loaded.api).unwrap().api;
    let krate = emit::Crate::new(&api, "atlas-streams.yaml");
    let mut entries = Vec::new();
    for module in emit::Module::ALL {
        for index in 0..krate.item_count(module) {
            let rendered = krate.render_item(module, index);
            let key = cache::key_of(&rendered.item.tokens);
            let text = format_item(rendered.item).unwrap();
            entries.push((key, format!("// from the cache\n{text}")));
        }
    }
    let items = entries.len();
    let dir = scratch("warm");
    let file = dir.join("format-cache");
    FormatCache::default().save(&file, entries);
    let marked: usize = generate(Some(file))
        .iter()
        .map(|file| file.contents.matches("// from the cache\n").count())
        .sum();
    assert_eq!(marked, items, "every item of the run came from the cache");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The cache's key is the text of an item's tokens, which says the same for an invisible
/// (`Delimiter::None`) group as for its contents: the emitters must make no such group.
#[test]
fn no_rendered_item_holds_an_invisible_group() {
    fn invisible_groups(tokens: proc_macro2::TokenStream) -> usize {
        tokens
            .into_iter()
            .map(|token| match token {
                proc_macro2::TokenTree::Group(group) => {
                    usize::from(group.delimiter() == proc_macro2::Delimiter::None) + invisible_groups(group.stream())
                }
                _ => 0,
            })
            .sum()
    }
    let loaded = load::load(&spec()).unwrap();
    let api = lower::lower(&loaded.api).unwrap().api;
    let krate = emit::Crate::new(&api, "atlas-streams.yaml");
    let mut items = 0;
    for module in emit::Module::ALL {
        for index in 0..krate.item_count(module) {
            let rendered = krate.render_item(module, index);
            assert_eq!(invisible_groups(rendered.item.tokens), 0, "{}", rendered.item.name);
            items += 1;
        }
    }
    assert!(items > 100);
}
