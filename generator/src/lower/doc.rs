//! Spec descriptions become doc comments.

/// Condenses a description into doc-comment text that rustdoc renders as prose.
///
/// Indented lines would become code blocks, and fenced blocks without a language would be
/// compiled as doctests of the generated crate, so indentation is dropped and every fence is
/// marked `text`.
pub fn clean(description: Option<&str>) -> Option<String> {
    let text = description?.trim();
    if text.is_empty() {
        return None;
    }
    // Written straight into one string (every description of a large spec passes here: the
    // Admin spec's were 15% of lowering as a vector of lines each copied twice).
    let mut out = Lines::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            out.push(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
        } else {
            // A list item right under a paragraph line would be read as that paragraph's lazy
            // continuation: give the list its own paragraph.
            let previous = out.last();
            if !in_fence && is_list_item(line) && !previous.is_empty() && !is_list_item(previous.trim_start()) {
                out.push("");
            }
            out.start_line();
            let line = nest_dashes(&mut out.text, line);
            if in_fence {
                out.text.push_str(line);
            } else {
                escape_tags(&mut out.text, line);
            }
        }
    }
    if in_fence {
        out.push("```");
    }
    Some(out.text)
}

/// Lines joined by `\n` as they are written, the last one at hand.
struct Lines {
    text: String,
    /// Where the last line starts (`None` before the first).
    last_start: Option<usize>,
}

impl Lines {
    fn with_capacity(capacity: usize) -> Self {
        Lines {
            text: String::with_capacity(capacity + 16),
            last_start: None,
        }
    }

    /// Starts a line; what is written next is on it.
    fn start_line(&mut self) {
        if self.last_start.is_some() {
            self.text.push('\n');
        }
        self.last_start = Some(self.text.len());
    }

    fn push(&mut self, line: &str) {
        self.start_line();
        self.text.push_str(line);
    }

    /// The last line ("" before the first).
    fn last(&self) -> &str {
        self.last_start.map_or("", |start| &self.text[start..])
    }
}

/// Writes `line` with every `<` that would open an HTML tag (`as $$<name>`), outside code spans,
/// escaped: rustdoc would read the placeholder as an unclosed tag and drop it from the text. An
/// autolink (`<https://...>`) is left as it is.
fn escape_tags(out: &mut String, line: &str) {
    if !line.contains('<') {
        out.push_str(line);
        return;
    }
    let mut in_code = false;
    let mut copied = 0;
    // `` ` `` and `<` are ASCII: their byte offsets are character boundaries.
    for (i, byte) in line.bytes().enumerate() {
        match byte {
            b'`' => in_code = !in_code,
            b'<' if !in_code => {
                let after = &line[i + 1..];
                let tag = after.starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!');
                let autolink = after.starts_with("http://") || after.starts_with("https://");
                if tag && !autolink {
                    out.push_str(&line[copied..i]);
                    out.push('\\');
                    copied = i;
                }
            }
            _ => {}
        }
    }
    out.push_str(&line[copied..]);
}

/// `-- item` (a nested item written with more dashes, as the Atlas spec does) becomes an
/// indented `- item`, which Markdown reads as nested: writes the indentation and the dash, and
/// returns the rest of the line (the whole line when it is no such item).
fn nest_dashes<'l>(out: &mut String, line: &'l str) -> &'l str {
    let dashes = line.bytes().take_while(|b| *b == b'-').count();
    if dashes >= 2 && line[dashes..].starts_with(' ') {
        for _ in 1..dashes {
            out.push_str("  ");
        }
        out.push('-');
        &line[dashes..]
    } else {
        line
    }
}

/// Whether a (trimmed) line starts a Markdown list item.
fn is_list_item(line: &str) -> bool {
    let bullet = line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") || line.starts_with("-- ");
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'));
    bullet || numbered
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The simple version `clean` was written from (a vector of lines, each built on its own),
    /// kept to hold `clean` to it.
    fn clean_simply(description: Option<&str>) -> Option<String> {
        let text = description?.trim();
        if text.is_empty() {
            return None;
        }
        let mut out: Vec<String> = Vec::new();
        let mut in_fence = false;
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with("```") {
                out.push(if in_fence { "```" } else { "```text" }.to_owned());
                in_fence = !in_fence;
            } else {
                let previous = out.last().map(String::as_str).unwrap_or("");
                if !in_fence && is_list_item(line) && !previous.is_empty() && !is_list_item(previous.trim_start()) {
                    out.push(String::new());
                }
                let dashes = line.chars().take_while(|c| *c == '-').count();
                let nested = if dashes >= 2 && line[dashes..].starts_with(' ') {
                    format!("{}-{}", "  ".repeat(dashes - 1), &line[dashes..])
                } else {
                    line.to_owned()
                };
                out.push(if in_fence {
                    nested
                } else {
                    let mut escaped = String::new();
                    let mut in_code = false;
                    for (i, c) in nested.char_indices() {
                        if c == '`' {
                            in_code = !in_code;
                        } else if c == '<' && !in_code {
                            let after = &nested[i + 1..];
                            let tag = after.starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!');
                            if tag && !after.starts_with("http://") && !after.starts_with("https://") {
                                escaped.push('\\');
                            }
                        }
                        escaped.push(c);
                    }
                    escaped
                });
            }
        }
        if in_fence {
            out.push("```".to_owned());
        }
        Some(out.join("\n"))
    }

    #[test]
    fn every_description_of_the_specs_cleans_as_the_simple_version_does() {
        fn descriptions<'v>(value: &'v serde_yaml::Value, found: &mut Vec<&'v str>) {
            match value {
                serde_yaml::Value::Mapping(map) => {
                    for (key, value) in map {
                        match (key.as_str(), value) {
                            (Some("description" | "summary" | "title"), serde_yaml::Value::String(text)) => {
                                found.push(text)
                            }
                            _ => descriptions(value, found),
                        }
                    }
                }
                serde_yaml::Value::Sequence(items) => items.iter().for_each(|item| descriptions(item, found)),
                _ => {}
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("spec");
        let mut checked = 0;
        for path in [
            root.join("atlas-streams.yaml"),
            root.join("upstream").join("atlas-streams-official.yaml"),
        ] {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
            let mut found = Vec::new();
            descriptions(&value, &mut found);
            for text in found {
                assert_eq!(clean(Some(text)), clean_simply(Some(text)), "{text:?}");
                checked += 1;
            }
        }
        // Lines that exercise every branch, in every order.
        let lines = [
            "a",
            "- b",
            "-- c",
            "--- d",
            "1. e",
            "```",
            "```json",
            "x <y> `<z>` <https://u> <",
            "",
            "  f",
            "ü <é",
        ];
        for first in lines {
            for second in lines {
                for third in lines {
                    let text = format!("{first}\n{second}\n{third}");
                    assert_eq!(clean(Some(&text)), clean_simply(Some(&text)), "{text:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1_500, "{checked}");
    }

    #[test]
    fn html_like_placeholders_are_escaped_outside_code() {
        assert_eq!(clean(Some("usable as $$<name>.")).unwrap(), "usable as $$\\<name>.");
        assert_eq!(
            clean(Some("`a <b>` and <https://x.y> and 1 < 2")).unwrap(),
            "`a <b>` and <https://x.y> and 1 < 2"
        );
        assert_eq!(clean(Some("```\n<name>\n```")).unwrap(), "```text\n<name>\n```");
    }

    #[test]
    fn fences_become_text_and_indentation_goes() {
        let cleaned = clean(Some("Run:\n\n```\n    curl x\n```\nDone.")).unwrap();
        assert_eq!(cleaned, "Run:\n\n```text\ncurl x\n```\nDone.");
        let cleaned = clean(Some("```json\n{}\n```")).unwrap();
        assert_eq!(cleaned, "```text\n{}\n```");
        assert_eq!(clean(Some("   ")), None);
        assert_eq!(clean(Some("Kinds:\n- a\n- b")).unwrap(), "Kinds:\n\n- a\n- b");
        assert_eq!(
            clean(Some("- AWS\n-- `MSK` clusters")).unwrap(),
            "- AWS\n  - `MSK` clusters"
        );
    }
}
