//! No import loops between the files of `generator/src` and `emulator/src` (issue 18).
//!
//! The rule, as checked here: file A *imports* file B when A names, by a path, an item that B
//! defines. Paths are the ones of `use` declarations (anywhere, function bodies included) and
//! the inline ones of any other code (`super::ir::Api`, `types::lower(..)` after
//! `use super::types;`, `crate::diag::Diagnostic::new(..)`). A path is resolved through the
//! module tree (`mod x;` → `x.rs` or `x/mod.rs`, inline `mod tests { .. }` blocks) and through
//! re-exports (`pub use` in a `mod.rs`, any `use` a child reaches with `super::`) to the file
//! that *defines* the named item: a `mod` declaration and a re-export (`pub use`, of any
//! visibility) are not imports by themselves, so a `mod.rs` that declares and re-exports its
//! children imports nothing from them, while one that calls `child::f()` (or uses the name it
//! re-exports) does. A private `use` is an import, whether the file's code uses it or a child
//! reaches it through `super::`. The item is the path's first segment that is
//! not a module (`super::ir::Type::Struct` names `Type` of `ir.rs`). Methods called on values
//! (`x.f()`) are not paths, and make no edge; neither do names from other crates.
//!
//! Test code counts as much as any: a `mod tests` that reaches into a sibling is an import of it.
//!
//! The file graph must have no cycle: each strongly connected component of more than one file
//! is listed with the edges inside it and the names that make them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

/// The crate roots checked, relative to the workspace root; every `.rs` file under the
/// directories must be reached from one of them.
const ROOTS: [&str; 4] = [
    "generator/src/lib.rs",
    "generator/src/main.rs",
    "emulator/src/lib.rs",
    "emulator/src/main.rs",
];
const DIRS: [&str; 2] = ["generator/src", "emulator/src"];

/// The loops not cut yet, each as the sorted files of its component (none today): the test
/// fails on any other loop, and on one of these that grew, shrank or went (then take it off).
/// A loop goes here only with a reason and an issue that cuts it.
const KNOWN: &[&[&str]] = &[];

#[test]
fn no_file_imports_itself_through_others() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).ok();
    let mut problems = Vec::new();
    let mut reached = BTreeSet::new();
    let mut loops = Vec::new();
    for crate_root in ROOTS {
        let graph = Graph::build(crate_root, &read).unwrap_or_else(|error| panic!("{error}"));
        reached.extend(graph.files.iter().cloned());
        loops.extend(graph.loops());
    }
    let is_known = |files: &[String]| {
        KNOWN
            .iter()
            .any(|known| known.iter().copied().eq(files.iter().map(String::as_str)))
    };
    problems.extend(
        loops
            .iter()
            .filter(|(files, _)| !is_known(files))
            .map(|(_, message)| message.clone()),
    );
    for known in KNOWN {
        let found = loops
            .iter()
            .any(|(files, _)| known.iter().copied().eq(files.iter().map(String::as_str)));
        assert!(
            found,
            "the known loop {known:?} is gone or changed: take it off `KNOWN`"
        );
    }
    let mut missed = Vec::new();
    for dir in DIRS {
        rust_files(&root.join(dir), &mut |path| {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if !reached.contains(&relative) {
                missed.push(relative);
            }
        });
    }
    assert!(
        missed.is_empty(),
        "files no crate root reaches (a `#[path]`?): {missed:?}"
    );
    assert!(
        problems.is_empty(),
        "import loops between files (each pass should read only from modules below it; move \
         what two files share to a module beside them):\n\n{}",
        problems.join("\n")
    );
}

fn rust_files(dir: &Path, found: &mut dyn FnMut(&Path)) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found(&path);
        }
    }
}

type ModId = usize;

/// One module: a file, or an inline `mod x { .. }` within one.
#[derive(Default)]
struct Module {
    file: usize,
    parent: Option<ModId>,
    children: BTreeMap<String, ModId>,
    /// The names of the items it defines.
    items: BTreeSet<String>,
    /// Its `use` names: alias → path (from this module).
    uses: BTreeMap<String, Vec<String>>,
    /// The paths of its `use .. ::*`.
    globs: Vec<Vec<String>>,
    /// Its re-exports (`pub use`): (alias, path).
    reexports: Vec<(String, Vec<String>)>,
    /// Every identifier of its code outside `use` declarations.
    idents: BTreeSet<String>,
}

/// The modules of one crate, and the paths each names.
struct Graph {
    files: Vec<String>,
    modules: Vec<Module>,
    /// (module, path) for every path seen in code and `use` declarations.
    references: Vec<(ModId, Vec<String>)>,
}

/// How deep re-exports and aliases are followed: beyond it a path is taken as unresolved (a
/// `use` that names itself would otherwise loop).
const MAX_DEPTH: usize = 16;

impl Graph {
    /// Reads the crate rooted at `root` (a path ending in `.rs`) with `read`.
    fn build(root: &str, read: &dyn Fn(&str) -> Option<String>) -> Result<Graph, String> {
        let mut graph = Graph {
            files: Vec::new(),
            modules: Vec::new(),
            references: Vec::new(),
        };
        graph.load_file(root, None, None, read)?;
        Ok(graph)
    }

    fn load_file(
        &mut self,
        path: &str,
        parent: Option<ModId>,
        name: Option<&str>,
        read: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ModId, String> {
        let text = read(path).ok_or_else(|| format!("cannot read {path}"))?;
        let file = syn::parse_file(&text).map_err(|e| format!("{path}: {e}"))?;
        self.files.push(path.to_owned());
        let id = self.new_module(self.files.len() - 1, parent, name);
        // A `mod x;` in `a/mod.rs`, `lib.rs` or `main.rs` is `a/x.rs`; in `a/b.rs`, `a/b/x.rs`.
        let (dir, stem) = path.rsplit_once('/').unwrap_or(("", path));
        let dir = match stem {
            "mod.rs" | "lib.rs" | "main.rs" => dir.to_owned(),
            _ => format!("{dir}/{}", stem.trim_end_matches(".rs")),
        };
        self.load_items(&file.items, id, &dir, read)?;
        Ok(id)
    }

    fn new_module(&mut self, file: usize, parent: Option<ModId>, name: Option<&str>) -> ModId {
        let id = self.modules.len();
        self.modules.push(Module {
            file,
            parent,
            ..Module::default()
        });
        if let (Some(parent), Some(name)) = (parent, name) {
            self.modules[parent].children.insert(name.to_owned(), id);
        }
        id
    }

    fn load_items(
        &mut self,
        items: &[syn::Item],
        module: ModId,
        dir: &str,
        read: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), String> {
        for item in items {
            let defined = match item {
                syn::Item::Mod(m) => {
                    let name = m.ident.to_string();
                    match &m.content {
                        Some((_, inner)) => {
                            let file = self.modules[module].file;
                            let id = self.new_module(file, Some(module), Some(&name));
                            self.load_items(inner, id, &format!("{dir}/{name}"), read)?;
                        }
                        None => {
                            let flat = format!("{dir}/{name}.rs");
                            let nested = format!("{dir}/{name}/mod.rs");
                            let path = if read(&flat).is_some() { flat } else { nested };
                            self.load_file(&path, Some(module), Some(&name), read)?;
                        }
                    }
                    continue;
                }
                syn::Item::Use(u) => {
                    let reexport = !matches!(u.vis, syn::Visibility::Inherited);
                    self.add_use(module, &u.tree, reexport);
                    continue;
                }
                syn::Item::Fn(f) => Some(&f.sig.ident),
                syn::Item::Struct(s) => Some(&s.ident),
                syn::Item::Enum(e) => Some(&e.ident),
                syn::Item::Const(c) => Some(&c.ident),
                syn::Item::Static(s) => Some(&s.ident),
                syn::Item::Type(t) => Some(&t.ident),
                syn::Item::Trait(t) => Some(&t.ident),
                syn::Item::Union(u) => Some(&u.ident),
                syn::Item::Macro(m) => m.ident.as_ref(),
                _ => None,
            };
            if let Some(ident) = defined {
                self.modules[module].items.insert(ident.to_string());
            }
            self.scan(module, item.to_token_stream());
        }
        Ok(())
    }

    /// Records the names and paths of a `use` tree. A re-export's path is a reference only if
    /// the module's own code names it too (see `edges`).
    fn add_use(&mut self, module: ModId, tree: &syn::UseTree, reexport: bool) {
        let mut entries = Vec::new();
        flatten_use(tree, &mut Vec::new(), &mut entries);
        for (path, alias) in entries {
            match alias {
                Some(alias) => {
                    let entry = self.modules[module].uses.entry(alias);
                    entry.or_insert_with(|| path.clone());
                }
                None => self.modules[module].globs.push(path.clone()),
            }
            match (reexport, path.last()) {
                (true, Some(last)) => {
                    let alias = last.clone();
                    self.modules[module].reexports.push((alias, path));
                }
                _ => self.references.push((module, path)),
            }
        }
    }

    /// Records the paths of some code (and the `use` declarations in it).
    fn scan(&mut self, module: ModId, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(group) => self.scan(module, group.stream()),
                TokenTree::Ident(ident) if ident == "use" => {
                    let end =
                        (i..tokens.len()).find(|&j| matches!(&tokens[j], TokenTree::Punct(p) if p.as_char() == ';'));
                    let stream: Option<TokenStream> = end.map(|end| tokens[i..=end].iter().cloned().collect());
                    if let (Some(end), Some(Ok(item))) = (end, stream.map(syn::parse2::<syn::ItemUse>)) {
                        self.add_use(module, &item.tree, false);
                        i = end;
                    }
                }
                TokenTree::Ident(ident) => {
                    self.modules[module].idents.insert(ident.to_string());
                    if !follows_colons(&tokens, i) && colons_at(&tokens, i + 1) {
                        let mut path = vec![ident.to_string()];
                        let mut j = i + 1;
                        while let (true, Some(TokenTree::Ident(next))) = (colons_at(&tokens, j), tokens.get(j + 2)) {
                            path.push(next.to_string());
                            j += 3;
                        }
                        self.references.push((module, path));
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// The module a path's first segment names from `module`, if any in this crate.
    fn start(&self, module: ModId, first: &str, depth: usize) -> Option<ModId> {
        match first {
            "crate" => Some(0),
            "self" => Some(module),
            "super" => self.modules[module].parent,
            name => match self.modules[module].children.get(name) {
                Some(&child) => Some(child),
                None => match self.lookup(module, name, depth + 1)? {
                    Target::Module(m) => Some(m),
                    Target::Item(..) => None,
                },
            },
        }
    }

    /// What `path` (as written in `module`) names: a module, or an item and its file.
    fn resolve(&self, module: ModId, path: &[String], depth: usize) -> Option<Target> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut current = self.start(module, path.first()?, depth)?;
        for segment in &path[1..] {
            match segment.as_str() {
                "super" => current = self.modules[current].parent?,
                "self" => {}
                name => match self.lookup(current, name, depth + 1)? {
                    Target::Module(m) => current = m,
                    item => return Some(item),
                },
            }
        }
        Some(Target::Module(current))
    }

    /// What `name` is in `module`: a child module, an item defined there, what a `use` there
    /// names, or what one of its globs reaches; else nothing (a name of another crate, or one
    /// this reading does not follow, such as an enum's variant brought in by a glob).
    fn lookup(&self, module: ModId, name: &str, depth: usize) -> Option<Target> {
        if depth > MAX_DEPTH {
            return None;
        }
        let m = &self.modules[module];
        if let Some(&child) = m.children.get(name) {
            return Some(Target::Module(child));
        }
        if m.items.contains(name) {
            return Some(Target::Item(m.file, name.to_owned()));
        }
        if let Some(path) = m.uses.get(name) {
            return self.resolve(module, path, depth + 1);
        }
        for glob in &m.globs {
            if let Some(Target::Module(inner)) = self.resolve(module, glob, depth + 1) {
                if inner != module {
                    if let Some(found) = self.lookup(inner, name, depth + 1) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }

    /// The file edges: (from, to) → the names that make it.
    fn edges(&self) -> BTreeMap<(usize, usize), BTreeSet<String>> {
        let mut edges: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
        // A re-export passes a name on; it is an import only if the module's code uses it too.
        let used_reexports = self.modules.iter().enumerate().flat_map(|(id, m)| {
            m.reexports
                .iter()
                .filter(|(alias, _)| m.idents.contains(alias))
                .map(move |(_, path)| (id, path.clone()))
        });
        let references: Vec<(ModId, Vec<String>)> = self.references.iter().cloned().chain(used_reexports).collect();
        for (module, path) in &references {
            let from = self.modules[*module].file;
            // A glob (`use a::*`) imports from the module's own file.
            let target = match self.resolve(*module, path, 0) {
                Some(Target::Module(m)) if path.last().is_some_and(|s| s == "*") => {
                    Some((self.modules[m].file, "*".to_owned()))
                }
                Some(Target::Item(file, name)) => Some((file, name)),
                _ => None,
            };
            if let Some((to, name)) = target {
                if to != from {
                    edges.entry((from, to)).or_default().insert(name);
                }
            }
        }
        edges
    }

    /// One message per strongly connected component of more than one file.
    fn cycles(&self) -> Vec<String> {
        self.loops().into_iter().map(|(_, message)| message).collect()
    }

    /// The files of each strongly connected component of more than one file, and a message
    /// listing the edges inside it.
    fn loops(&self) -> Vec<(Vec<String>, String)> {
        let edges = self.edges();
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); self.files.len()];
        for &(from, to) in edges.keys() {
            next[from].push(to);
        }
        components(&next)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|component| {
                let mut message = format!("a loop through {} files:\n", component.len());
                for ((from, to), names) in &edges {
                    if component.contains(from) && component.contains(to) {
                        let names: Vec<&str> = names.iter().map(String::as_str).collect();
                        message.push_str(&format!(
                            "  {} -> {}: {}\n",
                            self.files[*from],
                            self.files[*to],
                            names.join(", ")
                        ));
                    }
                }
                let mut files: Vec<String> = component.iter().map(|&f| self.files[f].clone()).collect();
                files.sort();
                (files, message)
            })
            .collect()
    }
}

#[derive(Debug, PartialEq)]
enum Target {
    Module(ModId),
    Item(usize, String),
}

/// `::` at `tokens[i]` (two joint colons).
fn colons_at(tokens: &[TokenTree], i: usize) -> bool {
    matches!(
        (tokens.get(i), tokens.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':'
    )
}

/// Whether `tokens[i]` continues a path (`a::b`'s `b`) or a `$crate`-like or `<T as X>::` one.
fn follows_colons(tokens: &[TokenTree], i: usize) -> bool {
    i >= 2 && colons_at(tokens, i - 2) || i >= 1 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '$')
}

/// The (path, alias) of each name of a `use` tree; the alias is `None` for a glob (whose path
/// ends in `*`).
fn flatten_use(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            let alias = prefix.last().cloned();
            out.push((prefix.clone(), alias));
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push((path, Some(n.ident.to_string())));
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push((path, Some(r.rename.to_string())));
        }
        syn::UseTree::Glob(_) => {
            let mut path = prefix.clone();
            path.push("*".to_owned());
            out.push((path, None));
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                flatten_use(tree, prefix, out);
            }
        }
    }
}

/// Tarjan's strongly connected components of a graph given as successor lists.
fn components(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        next: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        counter: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.counter);
        s.low[v] = s.counter;
        s.counter += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in &s.next[v] {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(index) if s.on_stack[w] => s.low[v] = s.low[v].min(index),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            component.sort_unstable();
            s.out.push(component);
        }
    }
    let n = next.len();
    let mut state = State {
        next,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        counter: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if state.index[v].is_none() {
            visit(&mut state, v);
        }
    }
    state.out
}

/// The cycles of an in-memory crate (`files`: path → source, the root first).
fn cycles_of(files: &[(&str, &str)]) -> Vec<String> {
    let read = |path: &str| files.iter().find(|(p, _)| *p == path).map(|(_, s)| s.to_string());
    Graph::build(files[0].0, &read).unwrap().cycles()
}

#[test]
fn a_loop_through_a_re_export_and_an_inline_path_is_found() {
    let cycles = cycles_of(&[
        ("src/lib.rs", "mod lower;"),
        ("src/lower/mod.rs", "mod a; mod b; pub use b::Shared;"),
        ("src/lower/a.rs", "use super::Shared; pub fn helper() {}"),
        ("src/lower/b.rs", "pub struct Shared; fn f() { super::a::helper(); }"),
    ]);
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(
        cycles[0].contains("src/lower/a.rs -> src/lower/b.rs: Shared"),
        "{}",
        cycles[0]
    );
    assert!(
        cycles[0].contains("src/lower/b.rs -> src/lower/a.rs: helper"),
        "{}",
        cycles[0]
    );
}

#[test]
fn a_loop_through_a_module_alias_and_a_test_module_is_found() {
    let cycles = cycles_of(&[
        ("src/lib.rs", "mod a; mod b; mod c;"),
        ("src/a.rs", "use crate::b; pub fn f() { b::g(); }"),
        (
            "src/b.rs",
            "pub fn g() {} #[cfg(test)] mod tests { use crate::c::{self, H}; }",
        ),
        ("src/c.rs", "pub struct H; fn k() { let _ = crate::a::f; }"),
    ]);
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].contains("a loop through 3 files"), "{}", cycles[0]);
}

#[test]
fn declaring_and_re_exporting_children_is_not_a_loop() {
    let cycles = cycles_of(&[
        (
            "src/lib.rs",
            "mod a; mod b; pub use a::A; pub struct Root; fn f() -> b::B { b::B }",
        ),
        ("src/a.rs", "pub struct A(crate::Root);"),
        (
            "src/b.rs",
            "pub struct B; fn g() -> crate::A { todo!() } mod tests { use super::*; }",
        ),
    ]);
    // lib.rs → b.rs (`b::B`) and b.rs → a.rs (`crate::A`, re-exported), a.rs → lib.rs: a loop
    // only because lib.rs *uses* `b::B`; without that use there is none.
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    let cycles = cycles_of(&[
        (
            "src/lib.rs",
            "mod a; mod b; pub use a::A; pub use b::B; pub struct Root;",
        ),
        ("src/a.rs", "pub struct A(crate::Root);"),
        (
            "src/b.rs",
            "pub struct B; fn g() -> crate::A { todo!() } mod tests { use super::*; }",
        ),
    ]);
    assert!(cycles.is_empty(), "{cycles:?}");
}
