//! The bytes of a spec file become text, or a located error saying where they are not UTF-8.

use std::path::Path;

use crate::diag::{Diagnostic, Report};
use crate::error::GenerateError;
use crate::locate::Position;

/// Decodes a spec file's bytes as UTF-8 (the encoding YAML 1.2 documents are read in); bytes
/// that are not UTF-8 are reported with the line and column they start at.
pub fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, GenerateError> {
    let error = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(error) => error,
    };
    let bytes = error.as_bytes();
    let at = error.utf8_error().valid_up_to();
    let valid = String::from_utf8_lossy(&bytes[..at]);
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let mut diagnostic = Diagnostic::new(
        "#",
        format!(
            "the file is not UTF-8: byte 0x{:02X} at line {line}, column {column} does not start a UTF-8 character",
            bytes[at]
        ),
        "save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`): YAML documents are read as UTF-8",
    );
    diagnostic.position = Some(Position { line, column });
    // The frame shows the line with the bad byte replaced by U+FFFD.
    let shown = String::from_utf8_lossy(bytes).into_owned();
    Err(GenerateError::Spec(Box::new(Report::new(
        file.to_owned(),
        &shown,
        vec![diagnostic],
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin1_byte_is_located() {
        let bytes = b"openapi: 3.0.3\ninfo: {title: caf\xe9, version: '1'}\n".to_vec();
        let Err(GenerateError::Spec(report)) = decode(Path::new("x.yaml"), bytes) else {
            panic!("not UTF-8");
        };
        assert_eq!(report.diagnostics[0].position, Some(Position { line: 2, column: 18 }));
        assert!(report.diagnostics[0].message.contains("0xE9"));
    }
}
