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
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            out.push(if in_fence { "```" } else { "```text" }.to_owned());
            in_fence = !in_fence;
        } else {
            // A list item right under a paragraph line would be read as that paragraph's lazy
            // continuation: give the list its own paragraph.
            let previous = out.last().map(String::as_str).unwrap_or("");
            if !in_fence && is_list_item(line) && !previous.is_empty() && !is_list_item(previous.trim_start()) {
                out.push(String::new());
            }
            let line = nest_dashes(line);
            out.push(if in_fence { line } else { escape_tags(&line) });
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    Some(out.join("\n"))
}

/// `<` that would open an HTML tag (`as $$<name>`), outside code spans, escaped: rustdoc
/// would read the placeholder as an unclosed tag and drop it from the text. An autolink
/// (`<https://...>`) is left as it is.
fn escape_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for (i, c) in line.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '<' if !in_code => {
                let after = &line[i + 1..];
                let tag = after.starts_with(|n: char| n.is_ascii_alphabetic() || n == '/' || n == '!');
                let autolink = after.starts_with("http://") || after.starts_with("https://");
                if tag && !autolink {
                    out.push('\\');
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// `-- item` (a nested item written with more dashes, as the Atlas spec does) becomes an
/// indented `- item`, which Markdown reads as nested.
fn nest_dashes(line: &str) -> String {
    let dashes = line.chars().take_while(|c| *c == '-').count();
    if dashes >= 2 && line[dashes..].starts_with(' ') {
        format!("{}-{}", "  ".repeat(dashes - 1), &line[dashes..])
    } else {
        line.to_owned()
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
