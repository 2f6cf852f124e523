//! Command line of the atlas-streams generator: `generate` (the main job), `check` and `diff`.
//!
//! Exit statuses keep "the answer is no" apart from "could not run", so a release script can
//! tell a breaking release from a broken run: 0 yes (written, up to date, nothing breaks), 1 no
//! (warnings denied, stale files, something breaks), 2 could not run (an unreadable file, a
//! spec with errors, bad arguments).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_streams_generator::emit::SURFACE_FILE;
use atlas_streams_generator::surface::{self, Impact, Surface};
use atlas_streams_generator::{curate, generate_with, output, update, GenerateError, Generated, Options};
use clap::{Parser, Subcommand};

/// A generation run allocates and frees a great many small strings, maps and token trees
/// (parsing, lowering, `syn` and `prettyplease`): with mimalloc a run costs about a fifth less
/// CPU than with glibc's allocator, whose per-thread arenas also slow the formatting threads.
/// The library leaves the choice of allocator to whoever links it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints a line to stdout; a closed pipe (`... | head`) is not an error worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Prints a line to stderr, ignoring a closed pipe.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// The exit statuses (see the module docs).
mod status {
    use std::process::ExitCode;

    /// The answer is yes: written, up to date, nothing breaks.
    pub fn yes() -> ExitCode {
        ExitCode::SUCCESS
    }
    /// The answer is no: warnings denied, files stale, something breaks callers.
    pub fn no() -> ExitCode {
        ExitCode::from(1)
    }
    /// No answer: a file could not be read or written, a spec has errors, bad arguments (clap
    /// exits with 2 for those too).
    pub fn could_not_run() -> ExitCode {
        ExitCode::from(2)
    }
}

/// What `--help` says of the exit statuses.
const EXIT_STATUS_HELP: &str = "Exit status:\n  \
    0  generate: written; check: up to date; diff, update: nothing breaks callers\n  \
    1  generate, check: warnings denied (--deny-warnings); check: files stale; diff, update: something breaks callers\n  \
    2  could not run: a file unreadable or unwritable, a spec with errors, a curation point that no longer fits (update), bad arguments \
    (diff: also warnings denied, as no verdict is given on such a spec)";

/// Generates the typed atlas-streams client crate from the OpenAPI spec.
#[derive(Parser)]
#[command(version, about, after_help = EXIT_STATUS_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client crate's generated files from the spec.
    #[command(after_help = EXIT_STATUS_HELP)]
    Generate {
        /// The spec file, or a directory holding exactly one spec.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The client crate to write into (files go to `<out>/src/`).
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Fail (exit 1, writing nothing) when the spec has warnings.
        #[arg(long)]
        deny_warnings: bool,
        /// Leave out the typed mocks (`src/mocks.rs`, compiled only with the crate's
        /// `test-util` feature), for a crate whose users mock nothing: it generates faster.
        #[arg(long)]
        no_mocks: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// List what changes in the generated Rust API between two specs; exit 1 if anything
    /// breaks callers, 2 if they cannot be compared.
    #[command(after_help = EXIT_STATUS_HELP)]
    Diff {
        /// The spec before.
        old: PathBuf,
        /// The spec after.
        new: PathBuf,
        /// Give no verdict (exit 2) when either spec has warnings.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// From a newly downloaded MongoDB spec to a reviewed release: take out its Streams part,
    /// check every curation point against it, apply the curation, regenerate, and say what
    /// changed upstream and in the Rust API, with the changelog entry and next version it
    /// writes; exit 1 if the release breaks callers, 2 (writing nothing) if a curation point
    /// no longer fits.
    #[command(after_help = EXIT_STATUS_HELP)]
    Update {
        /// The new spec: MongoDB's whole Admin API spec (`openapi/v2.yaml` of
        /// github.com/mongodb/openapi), or only its Streams part.
        #[arg(long)]
        upstream: PathBuf,
        /// Where it came from, for the synced file's header (default: its file name).
        #[arg(long)]
        source: Option<String>,
        /// The curated spec directory.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The client crate.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// The changelog the release is added to.
        #[arg(long, default_value = "CHANGELOG.md")]
        changelog: PathBuf,
        /// Another crate released with the client (its version follows the client's);
        /// repeatable. Default: `emulator/Cargo.toml`, when there is one.
        #[arg(long)]
        also_bump: Vec<PathBuf>,
        /// The lock file kept in step with the versions.
        #[arg(long, default_value = "Cargo.lock")]
        lockfile: PathBuf,
        /// The date of the sync and the release (default: today, UTC).
        #[arg(long)]
        date: Option<String>,
        /// Keep the curation points an upstream change ran into, after reading each.
        #[arg(long)]
        accept_conflicts: bool,
        /// Say what would change, and write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Fail (exit 1) with a diff summary if the committed generated files are stale.
    #[command(after_help = EXIT_STATUS_HELP)]
    Check {
        /// The spec file, or a directory holding exactly one spec.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The client crate to compare with.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Fail (exit 1) when the spec has warnings.
        #[arg(long)]
        deny_warnings: bool,
        /// The crate was generated with `--no-mocks`.
        #[arg(long)]
        no_mocks: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
}

/// Where formatted items are kept between runs (see `format::cache` in the library).
#[derive(clap::Args)]
struct CacheArgs {
    /// Keep the formatted text of every item in this file, so that the next run formats only
    /// the items that changed [default: `atlas-streams-generator/format-cache` in the Cargo
    /// target directory the generator runs from; none when it runs from elsewhere]
    #[arg(long, value_name = "FILE")]
    format_cache: Option<PathBuf>,
    /// Format every item, reading and writing no cache.
    #[arg(long, conflicts_with = "format_cache")]
    no_format_cache: bool,
}

impl CacheArgs {
    /// The cache file to use, if any.
    fn file(&self) -> Option<PathBuf> {
        if self.no_format_cache {
            return None;
        }
        self.format_cache.clone().or_else(default_format_cache)
    }
}

/// `format-cache` beside the generator's own build, when it runs from a Cargo target directory
/// (`cargo run -p atlas-streams-generator`: `target/<profile>/`, under a directory Cargo marks
/// with `CACHEDIR.TAG`); an installed generator has no default.
fn default_format_cache() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let target = exe.parent()?.parent()?;
    target
        .join("CACHEDIR.TAG")
        .is_file()
        .then(|| target.join("atlas-streams-generator").join("format-cache"))
}

fn main() -> ExitCode {
    // `openapiv3` panics on some malformed documents; the library catches that and reports the
    // spec's problem instead, so its panic message would only be noise before the diagnostic.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.location().is_some_and(|l| l.file().contains("openapiv3")) {
            default_hook(info);
        }
    }));
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate {
            spec,
            out,
            deny_warnings,
            no_mocks,
            cache,
        } => run_generate(spec, out, *deny_warnings, &options(*no_mocks, cache)),
        Command::Check {
            spec,
            out,
            deny_warnings,
            no_mocks,
            cache,
        } => run_check(spec, out, *deny_warnings, &options(*no_mocks, cache)),
        Command::Diff {
            old,
            new,
            deny_warnings,
        } => run_diff(old, new, *deny_warnings),
        Command::Update {
            upstream,
            source,
            spec,
            out,
            changelog,
            also_bump,
            lockfile,
            date,
            accept_conflicts,
            dry_run,
            cache,
        } => {
            let also_bump = if also_bump.is_empty() {
                let emulator = PathBuf::from("emulator/Cargo.toml");
                emulator.is_file().then_some(emulator).into_iter().collect()
            } else {
                also_bump.clone()
            };
            let options = update::Options {
                input: upstream.clone(),
                source: source.clone(),
                spec_dir: spec.clone(),
                out: out.clone(),
                changelog: changelog.clone(),
                also_bump,
                lockfile: Some(lockfile.clone()),
                date: date.clone().unwrap_or_else(update::today),
                accept_conflicts: *accept_conflicts,
                format_cache: cache.file(),
            };
            run_update(&options, *dry_run)
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            tell!("{error}");
            status::could_not_run()
        }
    }
}

/// The generation options the flags ask for.
fn options(no_mocks: bool, cache: &CacheArgs) -> Options {
    let mut options = Options::default();
    options.mocks = !no_mocks;
    options.format_cache = cache.file();
    options
}

/// A spec to generate from: a file (or a directory holding one), or a curated directory whose
/// overlay applied to its upstream spec makes the spec (`curate`).
enum Source {
    /// A spec file, or a directory holding one.
    Plain(PathBuf),
    /// The curation of a spec directory, applied (in memory).
    Curated(Box<(curate::Layout, curate::Curated)>),
}

impl Source {
    /// The source `spec` names, its curation applied if it has one.
    fn of(spec: &Path) -> Result<Source, GenerateError> {
        Ok(match curate::Layout::find(spec)? {
            Some(layout) => {
                let curated = curate::curate(&layout)?;
                Source::Curated(Box::new((layout, curated)))
            }
            None => Source::Plain(spec.to_owned()),
        })
    }

    fn generate(&self, options: &Options) -> Result<Generated, GenerateError> {
        match self {
            Source::Plain(path) => generate_with(path, options),
            Source::Curated(curated) => {
                let (layout, curated) = &**curated;
                atlas_streams_generator::generate_from_str_with(&layout.output, &curated.text, options)
            }
        }
    }
}

/// Generates from `spec`, printing its warnings (to stderr); `Err(status::no())` when they are
/// denied.
fn generate_warned(
    spec: &Source,
    deny_warnings: bool,
    options: &Options,
) -> Result<Result<Generated, ExitCode>, GenerateError> {
    let generated = spec.generate(options)?;
    if !generated.warnings.is_empty() {
        tell!("{}", generated.warnings);
        if deny_warnings {
            tell!("warnings are denied (--deny-warnings): fix them, or run without the flag");
            return Ok(Err(status::no()));
        }
    }
    Ok(Ok(generated))
}

fn run_generate(spec: &Path, out: &Path, deny_warnings: bool, options: &Options) -> Result<ExitCode, GenerateError> {
    let source = Source::of(spec)?;
    let generated = match generate_warned(&source, deny_warnings, options)? {
        Ok(generated) => generated,
        Err(code) => return Ok(code),
    };
    // The curated spec is written once it is known to generate.
    if let Source::Curated(curated) = &source {
        let (layout, curated) = &**curated;
        let unchanged = std::fs::read_to_string(&layout.output).is_ok_and(|text| text == curated.text);
        if !unchanged {
            std::fs::write(&layout.output, &curated.text).map_err(|source| GenerateError::Io {
                path: layout.output.clone(),
                source,
            })?;
        }
        say!(
            "{} {} (the curation's {} points applied to {})",
            if unchanged { "unchanged" } else { "wrote    " },
            layout.output.display(),
            curated.overlay.actions.len(),
            layout.upstream.display()
        );
    }
    let previous = std::fs::read_to_string(out.join(SURFACE_FILE))
        .ok()
        .map(|text| Surface::parse(&text));
    let summary = output::write(out, &generated.files)?;
    say!("{}", describe(&generated));
    match previous {
        Some(previous) => {
            let changes = surface::diff(&previous, &Surface::of(&generated.api));
            if changes.is_empty() {
                say!("the Rust API is unchanged");
            } else {
                say!("the Rust API changed ({} change(s)):", changes.len());
                for change in &changes {
                    say!("  {change}");
                }
            }
        }
        None => say!("no previous {SURFACE_FILE}: nothing to compare the Rust API with"),
    }
    for path in &summary.written {
        say!("  wrote     {}", out.join(path).display());
    }
    for path in &summary.unchanged {
        say!("  unchanged {}", out.join(path).display());
    }
    Ok(status::yes())
}

fn run_check(spec: &Path, out: &Path, deny_warnings: bool, options: &Options) -> Result<ExitCode, GenerateError> {
    let source = Source::of(spec)?;
    let generated = match generate_warned(&source, deny_warnings, options)? {
        Ok(generated) => generated,
        Err(code) => return Ok(code),
    };
    // Each stale file with the path to show for it.
    let mut stale: Vec<(PathBuf, output::Stale)> = output::check(out, &generated.files)
        .into_iter()
        .map(|file| (out.join(&file.path), file))
        .collect();
    // The curated spec is generated too: it must be what the curation makes of upstream.
    if let Source::Curated(curated) = &source {
        let (layout, curated) = &**curated;
        let file = atlas_streams_generator::GeneratedFile {
            path: layout.output.clone(),
            contents: curated.text.clone(),
        };
        for file in output::check(Path::new(""), std::slice::from_ref(&file)) {
            stale.push((file.path.clone(), file));
        }
    }
    if stale.is_empty() {
        say!(
            "{} is up to date with {} ({})",
            out.display(),
            spec.display(),
            describe(&generated)
        );
        return Ok(status::yes());
    }
    for (path, file) in &stale {
        tell!("stale: {}\n{}", path.display(), file.diff);
    }
    tell!(
        "{} generated file(s) in {} are stale: run `cargo run -p atlas-streams-generator -- generate` and commit the result",
        stale.len(),
        out.display()
    );
    Ok(status::no())
}

fn run_diff(old: &Path, new: &Path, deny_warnings: bool) -> Result<ExitCode, GenerateError> {
    let (before, after) = match (
        generate_warned(&Source::of(old)?, deny_warnings, &Options::default())?,
        generate_warned(&Source::of(new)?, deny_warnings, &Options::default())?,
    ) {
        (Ok(before), Ok(after)) => (Surface::of(&before.api), Surface::of(&after.api)),
        // Warnings denied: no verdict on such a spec, so not the "breaking" status either.
        _ => return Ok(status::could_not_run()),
    };
    let changes = surface::diff(&before, &after);
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    for change in &changes {
        say!("{change}");
    }
    say!(
        "{} change(s): {breaking} breaking, {} additive ({} -> {})",
        changes.len(),
        changes.len() - breaking,
        old.display(),
        new.display()
    );
    Ok(if breaking > 0 { status::no() } else { status::yes() })
}

fn run_update(options: &update::Options, dry_run: bool) -> Result<ExitCode, GenerateError> {
    let plan = update::plan(options)?;
    say!("{}", plan.report());
    if dry_run {
        say!("dry run: nothing written ({} file(s) would change)", plan.files.len());
    } else {
        for path in plan.write()? {
            say!("  wrote     {}", path.display());
        }
    }
    Ok(if plan.breaking() { status::no() } else { status::yes() })
}

fn describe(generated: &Generated) -> String {
    use atlas_streams_generator::ir::TypeKind;
    let api = &generated.api;
    let count = |f: fn(&TypeKind) -> bool| api.types.iter().filter(|t| f(&t.kind)).count();
    // `3 structs`, `1 struct`: every count with its noun in the right number.
    let many = |n: usize, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let kinds = [
        many(count(|k| matches!(k, TypeKind::Struct(_))), "struct"),
        many(count(|k| matches!(k, TypeKind::TaggedUnion(_))), "tagged union"),
        many(count(|k| matches!(k, TypeKind::KeyedUnion(_))), "key-tagged union"),
        many(count(|k| matches!(k, TypeKind::StringEnum(_))), "enum"),
        many(count(|k| matches!(k, TypeKind::Pattern(_))), "validated newtype"),
    ];
    let waiters = match api.waiters.len() {
        0 => String::new(),
        n => format!(", {}", many(n, "waiter")),
    };
    format!(
        "{}, {} ({}){waiters}",
        many(api.operations.len(), "operation"),
        many(api.types.len(), "type"),
        kinds.join(", ")
    )
}
