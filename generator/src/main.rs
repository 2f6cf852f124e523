//! Command line of the atlas-streams generator: `generate` (the main job) and `check`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use atlas_streams_generator::{generate, output, GenerateError, Generated};
use clap::{Parser, Subcommand};

/// Generates the typed atlas-streams client crate from the OpenAPI spec.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client crate's generated files from the spec.
    Generate {
        /// The spec file, or a directory holding exactly one spec.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The client crate to write into (files go to `<out>/src/`).
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
    /// Fail (exit 1) with a diff summary if the committed generated files are stale.
    Check {
        /// The spec file, or a directory holding exactly one spec.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// The client crate to compare with.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Generate { spec, out } => run_generate(spec, out),
        Command::Check { spec, out } => run_check(spec, out),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn run_generate(spec: &Path, out: &Path) -> Result<ExitCode, GenerateError> {
    let generated = generate(spec)?;
    let summary = output::write(out, &generated.files)?;
    println!("{}", describe(&generated));
    for path in &summary.written {
        println!("  wrote     {}", out.join(path).display());
    }
    for path in &summary.unchanged {
        println!("  unchanged {}", out.join(path).display());
    }
    Ok(ExitCode::SUCCESS)
}

fn run_check(spec: &Path, out: &Path) -> Result<ExitCode, GenerateError> {
    let generated = generate(spec)?;
    let stale = output::check(out, &generated.files);
    if stale.is_empty() {
        println!(
            "{} is up to date with {} ({})",
            out.display(),
            spec.display(),
            describe(&generated)
        );
        return Ok(ExitCode::SUCCESS);
    }
    for file in &stale {
        eprintln!("stale: {}\n{}", out.join(&file.path).display(), file.diff);
    }
    eprintln!(
        "{} generated file(s) in {} are stale: run `cargo run -p atlas-streams-generator -- generate` and commit the result",
        stale.len(),
        out.display()
    );
    Ok(ExitCode::FAILURE)
}

fn describe(generated: &Generated) -> String {
    use atlas_streams_generator::ir::TypeKind;
    let api = &generated.api;
    let count = |f: fn(&TypeKind) -> bool| api.types.iter().filter(|t| f(&t.kind)).count();
    format!(
        "{} operations, {} types ({} structs, {} tagged unions, {} enums, {} validated newtypes)",
        api.operations.len(),
        api.types.len(),
        count(|k| matches!(k, TypeKind::Struct(_))),
        count(|k| matches!(k, TypeKind::TaggedUnion(_))),
        count(|k| matches!(k, TypeKind::StringEnum(_))),
        count(|k| matches!(k, TypeKind::Pattern(_))),
    )
}
