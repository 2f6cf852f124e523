//! Diagnostics: what is wrong, where (file, line, column, JSON pointer), and how to fix it.

use std::fmt;
use std::path::PathBuf;

use crate::locate::{PointerIndex, Position};

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// JSON pointer of the offending node, e.g. `#/components/schemas/StreamsConnection/oneOf/3`.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Line and column, when known.
    pub position: Option<Position>,
}

impl Diagnostic {
    /// A diagnostic at `pointer`; its position is filled in when the report is built.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            pointer: pointer.into(),
            message: message.into(),
            help: help.into(),
            position: None,
        }
    }
}

/// Every diagnostic of one run over one spec file, with the source to show code frames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The spec file.
    pub file: PathBuf,
    /// The problems, in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
    source: String,
}

impl Report {
    /// Builds a report, locating every diagnostic that has no position yet.
    pub fn new(file: PathBuf, source: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        if diagnostics.iter().any(|d| d.position.is_none()) {
            let index = PointerIndex::build(source);
            for diagnostic in diagnostics.iter_mut().filter(|d| d.position.is_none()) {
                diagnostic.position = index.locate(&diagnostic.pointer);
            }
        }
        Report {
            file,
            diagnostics,
            source: source.to_owned(),
        }
    }

    fn frame(&self, f: &mut fmt::Formatter<'_>, position: Position) -> fmt::Result {
        let lines: Vec<&str> = self.source.lines().collect();
        let first = position.line.saturating_sub(2).max(1);
        let last = (position.line + 1).min(lines.len());
        let width = last.to_string().len();
        for number in first..=last {
            let text = lines.get(number - 1).copied().unwrap_or_default();
            writeln!(f, "{number:>width$} | {text}")?;
            if number == position.line {
                writeln!(f, "{:>width$} | {}^", "", " ".repeat(position.column.saturating_sub(1)))?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.diagnostics.len();
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {}", d.message)?;
            match d.position {
                Some(p) => writeln!(
                    f,
                    "  --> {}:{}:{} ({})",
                    self.file.display(),
                    p.line,
                    p.column,
                    d.pointer
                )?,
                None => writeln!(f, "  --> {} ({})", self.file.display(), d.pointer)?,
            }
            if let Some(position) = d.position {
                self.frame(f, position)?;
            }
            writeln!(f, "  = help: {}", d.help)?;
        }
        write!(
            f,
            "{count} error{} in {}",
            if count == 1 { "" } else { "s" },
            self.file.display()
        )
    }
}
