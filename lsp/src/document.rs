//! Open documents: one core [`Session`] per document, in the offset unit the handshake chose, and
//! the translation of LSP positions (line + character in that unit) to and from byte offsets.
//!
//! Offsets are converted only through the session (its line index, `to_host`, `to_byte`,
//! `position`); this module counts no characters itself.

use std::ops::Range as ByteRange;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codetable::{Language, OffsetUnit, Session};
use lsp_types::{Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent, Uri};
use serde_json::Value;

use crate::project::Project;

/// The position encoding chosen at `initialize`: UTF-8 when the client offers it (core's own
/// unit, no conversion), else UTF-16 (the protocol's default, which every client supports).
pub(crate) fn negotiate(initialize: &Value) -> (PositionEncodingKind, OffsetUnit) {
    let offered = initialize
        .pointer("/capabilities/general/positionEncodings")
        .and_then(Value::as_array)
        .is_some_and(|kinds| {
            kinds
                .iter()
                .any(|k| k.as_str() == Some(PositionEncodingKind::UTF8.as_str()))
        });
    if offered {
        (PositionEncodingKind::UTF8, OffsetUnit::Byte)
    } else {
        (PositionEncodingKind::UTF16, OffsetUnit::Utf16)
    }
}

/// The language of a document: from its `languageId` (VS Code's ids, which are mostly core's
/// names), else from its file name (extension, then shebang).
pub(crate) fn language_of(language_id: &str, uri: &Uri, text: &str) -> Option<Language> {
    let by_id = match language_id.trim().to_ascii_lowercase().as_str() {
        "typescriptreact" => Some(Language::Tsx),
        "javascriptreact" => Some(Language::JavaScript),
        id => Language::from_name(id).ok(),
    };
    by_id.or_else(|| Language::detect(Path::new(uri.path().as_str()), text.as_bytes()))
}

/// An open, analysed document.
pub(crate) struct OpenDocument {
    /// The live document.
    pub(crate) session: Session,
    /// The client's version of the text (echoed in published diagnostics).
    pub(crate) version: i32,
    /// Counts changes of the text: the `resultId` of pull diagnostics.
    pub(crate) revision: u64,
    /// Set when an analysis of the current text panicked: it is not retried until the next
    /// change (a request still tries once).
    pub(crate) poisoned: bool,
    /// Set when the last analysis of the current text failed (an error or a panic): requests
    /// answer from what there is rather than wait for another ([`crate::server`]).
    pub(crate) failed: bool,
    /// The file the document is (from its `file:` URI): its code context and per-path settings.
    pub(crate) path: Option<PathBuf>,
    /// The workspace folder holding it, below which its code context is judged.
    pub(crate) root: Option<PathBuf>,
    /// The project configuration it is judged by (none: raw matches, for tests).
    pub(crate) project: Option<Arc<Project>>,
}

impl OpenDocument {
    /// Parses `text` as `language`; positions count `unit`.
    pub(crate) fn new(
        language: Language,
        text: String,
        unit: OffsetUnit,
        version: i32,
    ) -> codetable::Result<OpenDocument> {
        Ok(OpenDocument {
            session: Session::new(language, text, unit)?,
            version,
            revision: 0,
            poisoned: false,
            failed: false,
            path: None,
            root: None,
            project: None,
        })
    }

    /// Places the document: the file it is (`path`), the folder its code context is judged
    /// below (`root`: its workspace folder) and its project, as the workspace scan places the
    /// files it reads. The next analysis is from scratch when the project changed.
    pub(crate) fn place(
        &mut self,
        path: Option<PathBuf>,
        root: Option<PathBuf>,
        project: Arc<Project>,
    ) {
        let shown = path.as_deref().map(|p| p.to_string_lossy().into_owned());
        self.session.set_path(shown.as_deref());
        let folder = root.as_deref().map(|r| r.to_string_lossy().into_owned());
        self.session.set_root(folder.as_deref());
        // A per-path context of the project (`[context]` in codetable.toml) wins, as in a scan.
        self.session
            .set_context(path.as_deref().and_then(|p| project.config.context_of(p)));
        self.path = path;
        self.root = root;
        self.project = Some(project);
    }

    /// An independent copy (session, version, revision, place), analysed on another thread while
    /// edits reach this one.
    pub(crate) fn try_clone(&self) -> codetable::Result<OpenDocument> {
        Ok(OpenDocument {
            session: self.session.try_clone()?,
            version: self.version,
            revision: self.revision,
            poisoned: self.poisoned,
            failed: self.failed,
            path: self.path.clone(),
            root: self.root.clone(),
            project: self.project.clone(),
        })
    }

    /// The same text in a fresh session (after a panic left the old one in doubt).
    pub(crate) fn rebuilt(&self) -> codetable::Result<OpenDocument> {
        let s = &self.session;
        let mut doc = OpenDocument::new(
            s.document().language(),
            s.text().to_string(),
            s.offset_unit(),
            self.version,
        )?;
        doc.revision = self.revision + 1;
        if let Some(project) = &self.project {
            doc.place(self.path.clone(), self.root.clone(), project.clone());
        }
        Ok(doc)
    }

    /// The byte offset of an LSP position. A character past the end of its line means the end
    /// of the line (as the protocol says); a line past the end of the text, or a position
    /// inside a character, is an error.
    pub(crate) fn offset(&self, p: Position) -> Result<usize, String> {
        let s = &self.session;
        let lines = s.line_index();
        let line = p.line as usize;
        let Some(start) = lines.line_start(line) else {
            return Err(format!(
                "line {line} is past the end of the document ({} lines)",
                lines.line_count()
            ));
        };
        let text = s.text();
        let end = match lines.line_start(line + 1) {
            Some(next) => {
                let nl = next - 1; // the '\n'
                if text[..nl].ends_with('\r') {
                    nl - 1
                } else {
                    nl
                }
            }
            None => text.len(),
        };
        let host = (s.to_host(start) + p.character as usize).min(s.to_host(end));
        s.to_byte(host)
            .map_err(|e| format!("line {line}, character {}: {e}", p.character))
    }

    /// The LSP range of a byte range of the current text.
    pub(crate) fn range(&self, bytes: &ByteRange<usize>) -> Range {
        Range::new(self.position(bytes.start), self.position(bytes.end))
    }

    fn position(&self, byte: usize) -> Position {
        let p = self.session.position(byte);
        Position::new(p.line, p.column)
    }

    /// Applies one content change of `didChange`: a range and its new text, or (without a
    /// range) the whole new text. A failed change leaves the text as it was.
    pub(crate) fn apply(&mut self, change: &TextDocumentContentChangeEvent) -> Result<(), String> {
        let (start, end) = match change.range {
            None => (0, self.session.text().len()),
            Some(r) => {
                let (start, end) = (self.offset(r.start)?, self.offset(r.end)?);
                if end < start {
                    return Err(format!(
                        "the range ends before it starts ({}:{} .. {}:{})",
                        r.start.line, r.start.character, r.end.line, r.end.character
                    ));
                }
                (start, end)
            }
        };
        self.session
            .edit_in(OffsetUnit::Byte, start, end, &change.text)
            .map_err(|e| e.to_string())?;
        self.revision += 1;
        self.poisoned = false;
        self.failed = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(text: &str, unit: OffsetUnit) -> OpenDocument {
        OpenDocument::new(Language::Python, text.to_string(), unit, 1).unwrap()
    }

    fn change(range: Option<(u32, u32, u32, u32)>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|(a, b, c, d)| Range::new(Position::new(a, b), Position::new(c, d))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn negotiates_utf8_only_when_offered() {
        let utf8 = json!({"capabilities": {"general": {"positionEncodings": ["utf-16", "utf-8"]}}});
        assert_eq!(negotiate(&utf8).1, OffsetUnit::Byte);
        assert_eq!(negotiate(&utf8).0, PositionEncodingKind::UTF8);
        let utf16 =
            json!({"capabilities": {"general": {"positionEncodings": ["utf-32", "utf-16"]}}});
        assert_eq!(negotiate(&utf16).1, OffsetUnit::Utf16);
        assert_eq!(negotiate(&json!({"capabilities": {}})).1, OffsetUnit::Utf16);
        assert_eq!(negotiate(&Value::Null).0, PositionEncodingKind::UTF16);
    }

    #[test]
    fn languages_from_id_then_file_name() {
        let uri = |s: &str| s.parse::<Uri>().unwrap();
        let py = uri("file:///w/a.py");
        assert_eq!(language_of("python", &py, ""), Some(Language::Python));
        assert_eq!(language_of("typescriptreact", &py, ""), Some(Language::Tsx));
        assert_eq!(language_of("plaintext", &py, ""), Some(Language::Python));
        let script = uri("file:///w/run");
        assert_eq!(
            language_of("", &script, "#!/usr/bin/env python3\n"),
            Some(Language::Python)
        );
        assert_eq!(
            language_of("markdown", &uri("file:///w/README.md"), "# x"),
            None
        );
    }

    #[test]
    fn positions_count_the_negotiated_unit() {
        // "é" is 2 bytes and 1 UTF-16 unit, "😀" 4 bytes and 2 units.
        let text = "s = 'é😀'\r\nh = 1\n";
        let d16 = doc(text, OffsetUnit::Utf16);
        let d8 = doc(text, OffsetUnit::Byte);
        let after_emoji = text.find('\'').unwrap() + 1 + 2 + 4;
        assert_eq!(d16.offset(Position::new(0, 8)), Ok(after_emoji));
        assert_eq!(d8.offset(Position::new(0, 11)), Ok(after_emoji));
        assert_eq!(
            d16.range(&(after_emoji..after_emoji)).start,
            Position::new(0, 8)
        );
        assert_eq!(
            d8.range(&(after_emoji..after_emoji)).start,
            Position::new(0, 11)
        );
        // Past the end of a line: the end of the line, before "\r\n".
        let eol = text.find('\r').unwrap();
        assert_eq!(d16.offset(Position::new(0, 99)), Ok(eol));
        assert_eq!(d16.offset(Position::new(1, 99)), Ok(text.len() - 1));
        assert_eq!(d16.offset(Position::new(2, 0)), Ok(text.len()));
        // Inside the emoji's surrogate pair, or inside a UTF-8 sequence: errors.
        assert!(d16.offset(Position::new(0, 7)).is_err());
        assert!(d8.offset(Position::new(0, 6)).is_err());
        // A line past the end.
        let e = d16.offset(Position::new(3, 0)).unwrap_err();
        assert!(e.contains("past the end"), "{e}");
    }

    #[test]
    fn changes_apply_in_order_and_a_bad_one_changes_nothing() {
        let mut d = doc("# é\nh = sha256()\n", OffsetUnit::Utf16);
        d.apply(&change(Some((1, 4, 1, 10)), "md5")).unwrap();
        assert_eq!(d.session.text(), "# é\nh = md5()\n");
        d.apply(&change(Some((0, 2, 0, 3)), "ü😀")).unwrap();
        assert_eq!(d.session.text(), "# ü😀\nh = md5()\n");
        assert_eq!(d.revision, 2);
        let before = d.session.text().to_string();
        assert!(d.apply(&change(Some((9, 0, 9, 1)), "x")).is_err());
        assert!(d.apply(&change(Some((1, 4, 1, 2)), "x")).is_err());
        assert_eq!(d.session.text(), before);
        assert_eq!(d.revision, 2);
        d.apply(&change(None, "x = 1\n")).unwrap();
        assert_eq!(d.session.text(), "x = 1\n");
    }
}
