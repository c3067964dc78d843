//! Code actions on findings: apply the rule's fix (a preferred quick fix, when the finding has
//! one: core's edit in the negotiated position encoding), insert a suppression comment on the line before the finding (in the
//! language's comment syntax: `# codetable: ignore[Md] -- <reason>`), and show the pattern's
//! explanation (a command: the server writes the property sheet as a Markdown file and the
//! client opens it with `window/showDocument`).
//!
//! Only the edit is made here: honouring the comment is core's.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use codetable::{Language, Match, PatternSheet};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Position, Range, TextEdit, Uri,
    WorkspaceEdit,
};
use serde_json::json;

use crate::document::OpenDocument;
use crate::findings;

/// The command a "show explanation" action runs (`workspace/executeCommand`), with the
/// pattern's id as its one argument.
pub(crate) const SHOW_EXPLANATION: &str = "codetable.showExplanation";

/// The reason a new suppression comment carries until its author writes the real one.
pub(crate) const REASON_PLACEHOLDER: &str = "<reason>";

/// The suppression comment line for a finding of `sheet` whose first line is `line` (its
/// indentation is kept), ended like the document's lines.
pub(crate) fn suppression_line(
    language: Language,
    sheet: &PatternSheet,
    line: &str,
    eol: &str,
) -> String {
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    // Core writes the comment its profile reads.
    let comment = codetable::profile::suppression_comment(
        language,
        &[&sheet.symbol],
        Some(REASON_PLACEHOLDER),
    );
    format!("{indent}{comment}{eol}")
}

/// The code actions for the findings of `doc` (at `uri`) that overlap `range`: per pattern
/// and line, one that inserts its suppression comment and one that shows its explanation.
pub(crate) fn code_actions(
    doc: &OpenDocument,
    uri: &Uri,
    range: Range,
    shown: &[(&Match, std::sync::Arc<PatternSheet>)],
) -> Vec<CodeActionOrCommand> {
    let (Ok(start), Ok(end)) = (doc.offset(range.start), doc.offset(range.end)) else {
        return Vec::new();
    };
    let text = doc.text();
    let eol = if text.contains("\r\n") {
        "\r\n"
    } else if !text.contains('\n') && crate::document::lsp_lines(text).is_some() {
        "\r" // old Mac line ends only
    } else {
        "\n"
    };
    let language = doc.session.document().language();
    let mut seen = std::collections::HashSet::new();
    let mut actions = Vec::new();
    let mut under: Vec<_> = shown
        .iter()
        .filter(|(m, _)| {
            m.byte_range.start <= end && (start < m.byte_range.end || m.byte_range.start == start)
        })
        .collect();
    under.sort_by_key(|(m, _)| (m.byte_range.len(), m.byte_range.start, m.pattern));
    for (m, sheet) in under {
        let first_line = doc.range(&m.byte_range).start.line;
        if !seen.insert((m.pattern, first_line)) {
            continue;
        }
        // The protocol's line (a lone "\r" ends one too).
        let line_start = doc.line_start(first_line as usize).unwrap_or(0);
        let line_text = &text[line_start..doc.line_end(first_line as usize).max(line_start)];
        if let Some(fix) = &m.fix {
            // The rule's own fix first, preferred: the edit core made, in the client's units.
            let edit = TextEdit::new(doc.range(&fix.byte_range), fix.replacement.clone());
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "Fix {} {}: replace with `{}`",
                    sheet.symbol, sheet.name, fix.replacement
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![findings::diagnostic(doc, uri, m, sheet)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
        let at = Position::new(first_line, 0);
        let edit = TextEdit::new(
            Range::new(at, at),
            suppression_line(language, sheet, line_text, eol),
        );
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!(
                "Suppress {} {} on this line (codetable: ignore)",
                sheet.symbol, sheet.name
            ),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![findings::diagnostic(doc, uri, m, sheet)]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        }));
        // A bare command, not a code action carrying one: every client understands it (some,
        // lsprotocol's among them, take a code action with a `command` for a malformed command).
        actions.push(CodeActionOrCommand::Command(Command::new(
            format!("Show the explanation of {} {}", sheet.symbol, sheet.name),
            SHOW_EXPLANATION.to_string(),
            Some(vec![json!(sheet.id)]),
        )));
    }
    actions
}

/// Where explanations are written: `$XDG_CACHE_HOME/codetable/sheets`, else
/// `~/.cache/codetable/sheets`, else the temporary folder's `codetable-sheets`.
pub(crate) fn explanation_dir() -> PathBuf {
    let xdg = std::env::var_os("XDG_CACHE_HOME")
        .filter(|p| Path::new(p).is_absolute())
        .map(PathBuf::from);
    let home = || std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache"));
    match xdg.or_else(home) {
        Some(cache) => cache.join("codetable").join("sheets"),
        None => std::env::temp_dir().join("codetable-sheets"),
    }
}

/// Writes `sheet`'s Markdown explanation into `dir` (atomically: a temporary file renamed, so
/// two servers writing the same sheet never leave half a file) and returns its path.
pub(crate) fn write_explanation(dir: &Path, sheet: &PatternSheet) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let name: String = sheet
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = dir.join(format!("{name}.md"));
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, sheet.to_markdown())?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use codetable::{Engine, OffsetUnit, PatternDb};

    #[test]
    fn suppression_comment_in_each_comment_syntax_keeps_the_indentation() {
        let engine = Engine::new(PatternDb::default_catalog());
        let (n, _) = engine
            .db()
            .by_id("security.weak-hash.md5")
            .unwrap()
            .unwrap();
        let sheet = engine.sheet(n).unwrap();
        assert_eq!(
            suppression_line(Language::Python, &sheet, "    h = md5()", "\n"),
            "    # codetable: ignore[Md] -- <reason>\n"
        );
        assert_eq!(
            suppression_line(Language::Go, &sheet, "\th := md5.New()", "\r\n"),
            "\t// codetable: ignore[Md] -- <reason>\r\n"
        );
    }

    #[test]
    fn actions_for_the_finding_under_the_range() {
        let engine = Engine::new(PatternDb::default_catalog());
        let text = "import hashlib\n# ü😀\ndef f():\n    h = hashlib.md5(b'é')\n";
        let mut doc =
            OpenDocument::new(Language::Python, text.into(), OffsetUnit::Utf16, 1).unwrap();
        doc.session.analyze(&engine).unwrap();
        let uri: Uri = "file:///w/a.py".parse().unwrap();
        let settings = crate::config::Settings::default();
        let shown = findings::shown(&engine, &doc, &settings).unwrap();
        let cursor = Range::new(Position::new(3, 14), Position::new(3, 14));
        let actions = code_actions(&doc, &uri, cursor, &shown);
        let titles: Vec<String> = actions
            .iter()
            .map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a.title.clone(),
                CodeActionOrCommand::Command(c) => c.title.clone(),
            })
            .collect();
        assert!(
            titles.contains(&"Suppress Md MD5 hash on this line (codetable: ignore)".to_string()),
            "{titles:?}"
        );
        // The rule's fix comes first, in UTF-16 units of the line.
        let CodeActionOrCommand::CodeAction(fix) = &actions[0] else {
            panic!()
        };
        assert_eq!(fix.is_preferred, Some(true));
        let edits = &fix.edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(3, 8), Position::new(3, 25))
        );
        assert_eq!(edits[0].new_text, "hashlib.sha256(b'é')");
        let CodeActionOrCommand::CodeAction(suppress) = &actions[1] else {
            panic!()
        };
        let edits = &suppress.edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
        assert_eq!(edits[0].range.start, Position::new(3, 0));
        assert_eq!(
            edits[0].new_text,
            "    # codetable: ignore[Md] -- <reason>\n"
        );
        // Nothing on the comment line.
        let elsewhere = Range::new(Position::new(1, 0), Position::new(1, 2));
        assert!(code_actions(&doc, &uri, elsewhere, &shown).is_empty());
    }

    #[test]
    fn explanations_are_written_whole() {
        let dir = std::env::temp_dir().join(format!("codetable-lsp-test-{}", std::process::id()));
        let engine = Engine::new(PatternDb::default_catalog());
        let (n, _) = engine
            .db()
            .by_id("security.weak-hash.md5")
            .unwrap()
            .unwrap();
        let sheet = engine.sheet(n).unwrap();
        let path = write_explanation(&dir, &sheet).unwrap();
        assert_eq!(path.file_name().unwrap(), "security.weak-hash.md5.md");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), sheet.to_markdown());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
