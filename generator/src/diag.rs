//! Diagnostics: what is wrong, where (file, line, column, JSON pointer), and how to fix it.
//!
//! A diagnostic is an *error* when the generated client would be wrong (or cannot be made),
//! and a *warning* when the spec is legal OpenAPI but something in it is lost or looks like a
//! mistake. Errors stop generation; warnings travel with the generated code
//! (`Generated::warnings`) and fail a run only under `--deny-warnings`.

use std::fmt;
use std::path::PathBuf;

use crate::locate::{PointerIndex, Position};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The client cannot be generated exactly: generation fails.
    Error,
    /// Legal but lossy or suspicious: generation goes on, and says so.
    Warning,
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
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
    /// An error at `pointer`; its position is filled in when the report is built.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pointer: pointer.into(),
            message: message.into(),
            help: help.into(),
            position: None,
        }
    }

    /// A warning at `pointer`: legal OpenAPI, but lossy or suspicious.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(pointer, message, help)
        }
    }

    /// Whether this is an error (it stops generation).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
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
    /// Where each line of `source` starts, found once the first frame is shown (a frame per
    /// diagnostic must not scan a 4 MB spec from its start each time).
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Report {
    /// Builds a report, locating every diagnostic that has no position yet.
    pub fn new(file: PathBuf, source: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        if diagnostics.iter().any(|d| d.position.is_none()) {
            let unplaced = diagnostics.iter().filter(|d| d.position.is_none());
            let index = PointerIndex::build_for(source, unplaced.map(|d| d.pointer.as_str()));
            for diagnostic in diagnostics.iter_mut().filter(|d| d.position.is_none()) {
                diagnostic.position = index.locate(&diagnostic.pointer);
            }
        }
        Report {
            file,
            diagnostics,
            source: source.to_owned(),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// Whether the report holds no diagnostic at all.
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// How many errors the report holds.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings the report holds.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// One line per diagnostic, `file:line:column: severity: message (help)`: the form build
    /// scripts print as `cargo:warning=` lines.
    pub fn one_line_each(&self) -> Vec<String> {
        self.diagnostics
            .iter()
            .map(|d| {
                let place = match d.position {
                    Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.column),
                    None => self.file.display().to_string(),
                };
                format!(
                    "{place}: {}: {} ({}); help: {}",
                    d.severity.word(),
                    d.message,
                    d.pointer,
                    d.help
                )
            })
            .collect()
    }

    fn frame(&self, f: &mut fmt::Formatter<'_>, position: Position) -> fmt::Result {
        let starts = self.line_starts.get_or_init(|| {
            let breaks = self.source.match_indices('\n').map(|(at, _)| at + 1);
            std::iter::once(0)
                .chain(breaks)
                .filter(|&at| at < self.source.len())
                .collect()
        });
        // The text of a 1-based line, as `str::lines` gives it (without `\n` or `\r\n`).
        let line = |number: usize| {
            let start = starts[number - 1];
            let end = starts.get(number).copied().unwrap_or(self.source.len());
            let text = &self.source[start..end];
            let text = text.strip_suffix('\n').unwrap_or(text);
            text.strip_suffix('\r').unwrap_or(text)
        };
        let first = position.line.saturating_sub(2).max(1);
        let last = (position.line + 1).min(starts.len());
        let width = last.to_string().len();
        for number in first..=last {
            let text = line(number);
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
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{}: {}", d.severity.word(), d.message)?;
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
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let counts = match (self.errors(), self.warnings()) {
            (errors, 0) => plural(errors, "error"),
            (0, warnings) => plural(warnings, "warning"),
            (errors, warnings) => format!("{}, {}", plural(errors, "error"), plural(warnings, "warning")),
        };
        write!(f, "{counts} in {}", self.file.display())
    }
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}
