//! Format stage: check the emitted tokens with `syn` and print them with `prettyplease`.
//!
//! [`format_item`] and [`format_rendered`] format one item; [`format_crate`] renders and
//! formats every item of the generated crate on every core (`parallel`) and assembles the
//! files in item order.

pub mod cache;
mod parallel;

use crate::emit::rust::DOC_MARKER_PREFIX;
pub use cache::FormatCache;
use std::path::PathBuf;

pub use crate::emit::rust::doc_marker;
use crate::emit::{Crate, Module, SURFACE_FILE};
pub use crate::emit::{Item, Rendered};
use crate::error::GenerateError;
use crate::file::GeneratedFile;

/// Formats an item and puts its doc comments in place of their markers. Every marker must be
/// found exactly once, on a line of its own: one that `prettyplease` printed some other way
/// (inside a macro call, say) would otherwise end up in the file.
pub fn format_rendered(rendered: Rendered) -> Result<String, GenerateError> {
    let name = rendered.item.name.clone();
    let formatted = format_item(rendered.item)?;
    splice_docs(&name, formatted, &rendered.docs)
}

/// Puts the doc comments `docs` of the item `name` in place of their markers in `formatted`.
fn splice_docs(name: &str, formatted: String, docs: &[String]) -> Result<String, GenerateError> {
    if docs.is_empty() {
        return Ok(formatted);
    }
    let mut spliced = vec![false; docs.len()];
    let mut out = String::with_capacity(formatted.len() + docs.iter().map(|d| d.len() + 8).sum::<usize>());
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
        for doc_line in docs[index].lines() {
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
            item: name.to_owned(),
            message: format!("doc comment {index} of the item was not printed as a `///` line"),
        }),
    }
}

/// Parses one item (a `syn` error names it: it is a generator bug) and prints it. Each Rust
/// item inside is printed on its own, separated by a blank line as a person would write them;
/// consecutive `use` items stay together.
pub fn format_item(item: Item) -> Result<String, GenerateError> {
    parse_item(item).map(print_items)
}

/// The first half of [`format_item`]: the item's tokens parsed by `syn` (most of formatting's
/// time; public so that the benchmark can time the halves apart).
pub fn parse_item(item: Item) -> Result<syn::File, GenerateError> {
    syn::parse2(item.tokens).map_err(|e| GenerateError::Emit {
        item: item.name,
        message: e.to_string(),
    })
}

/// The second half of [`format_item`]: the parsed items printed by `prettyplease`.
pub fn print_items(file: syn::File) -> String {
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
    out
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

/// Renders and formats the generated files of the client crate: `api.txt`, then the Rust
/// files in [`Module::ALL`] order.
///
/// Formatting (`syn` parsing and `prettyplease` printing) is most of the generator's work, and
/// every item is independent, so the items of all files are rendered and formatted on every
/// core from one shared queue. Workers take the next item as they finish one, so a big item
/// (the `Client` with a method per operation) does not leave the other cores idle; the queue
/// starts with `operations.rs`, whose `Client` is the longest job. Each file is assembled in
/// item order, so the output does not depend on scheduling.
pub fn format_crate(krate: &Crate<'_>) -> Result<Vec<GeneratedFile>, GenerateError> {
    format_crate_with(krate, None).map(|(files, _)| files)
}

/// [`format_crate`], taking the formatted text of an item from `cache` where its tokens are
/// there (see [`cache`]); also returns every item's hash and formatted text (doc markers
/// still in), for the cache of the next run.
pub fn format_crate_with(
    krate: &Crate<'_>,
    cache: Option<&FormatCache>,
) -> Result<(Vec<GeneratedFile>, cache::Entries), GenerateError> {
    // The queue: `api.txt` (a job like the others, so its few milliseconds overlap formatting),
    // then the items, in the order the workers take them.
    let jobs: Vec<Job> = std::iter::once(Job::Surface)
        .chain(
            [
                Module::Operations,
                Module::Models,
                Module::Builders,
                Module::Mocks,
                Module::Waiters,
            ]
            .into_iter()
            .flat_map(|module| (0..krate.item_count(module)).map(move |index| Job::Item { module, index })),
        )
        .collect();
    let formatted_items = std::sync::Mutex::new(Vec::new());
    let done = parallel::run(jobs.len(), |job| match jobs[job] {
        Job::Surface => Ok(krate.surface().contents),
        Job::Item { module, index } => {
            let rendered = krate.render_item(module, index);
            let Some(cache) = cache else {
                return format_rendered(rendered);
            };
            let key = cache::key_of(&rendered.item.tokens);
            let name = rendered.item.name.clone();
            let formatted = match cache.get(&key) {
                Some(known) => known.to_owned(),
                None => format_item(rendered.item)?,
            };
            if let Ok(mut items) = formatted_items.lock() {
                items.push((key, formatted.clone()));
            }
            splice_docs(&name, formatted, &rendered.docs)
        }
    })?;
    let mut surface = String::new();
    let mut per_module: [Vec<String>; Module::ALL.len()] = Default::default();
    for (job, text) in jobs.iter().zip(done) {
        match job {
            Job::Surface => surface = text,
            Job::Item { module, .. } => per_module[module.index()].push(text),
        }
    }
    let mut files = vec![GeneratedFile {
        path: PathBuf::from(SURFACE_FILE),
        contents: surface,
    }];
    let header = krate.header();
    for (module, items) in Module::ALL.into_iter().zip(per_module) {
        files.push(GeneratedFile {
            path: module.path(),
            contents: assemble(&header, &items),
        });
    }
    let formatted_items = formatted_items.into_inner().unwrap_or_default();
    Ok((files, formatted_items))
}

/// One job of [`format_crate`]'s queue.
#[derive(Clone, Copy)]
enum Job {
    /// The text of `api.txt`.
    Surface,
    /// Item `index` of `module`, rendered and formatted.
    Item { module: Module, index: usize },
}
