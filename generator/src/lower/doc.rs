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
            out.push(line.to_owned());
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    Some(out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_and_indentation_goes() {
        let cleaned = clean(Some("Run:\n\n```\n    curl x\n```\nDone.")).unwrap();
        assert_eq!(cleaned, "Run:\n\n```text\ncurl x\n```\nDone.");
        let cleaned = clean(Some("```json\n{}\n```")).unwrap();
        assert_eq!(cleaned, "```text\n{}\n```");
        assert_eq!(clean(Some("   ")), None);
    }
}
