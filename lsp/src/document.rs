//! Open documents: one core [`Session`] per document, in the offset unit the handshake chose, the
//! edits the editor sent since that session was last parsed, and the translation of LSP
//! positions (line + character in that unit) to and from byte offsets of the current text.
//!
//! A `didChange` only edits the text ([`OpenDocument::apply`]): the edits wait in
//! [`OpenDocument::pending`] and are applied to the session, with one incremental reparse for
//! all of them ([`OpenDocument::flush`], core's `Session::edit_batch`), by whoever analyses the
//! document next — the document thread, off the message thread. Until then the session holds
//! the text (and findings) of the last analysis, which hovers answer from.
//!
//! Offsets are converted only through core's line index ([`LineIndex`]: the session's, or one
//! of the current text while edits are pending); this module counts no characters itself. It
//! only finds line ends: the protocol also ends a line at a lone `"\r"`, core at `"\n"` only.

use std::ops::Range as ByteRange;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use codetable::{Language, LineIndex, OffsetUnit, Session, TextEdit};
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
    /// The live document as last parsed (and analysed, when it was): the current text without
    /// [`OpenDocument::pending`].
    pub(crate) session: Session,
    /// The edits since (byte offsets, each of the text the ones before it left), applied to the
    /// session by [`OpenDocument::flush`].
    pub(crate) pending: Vec<Pending>,
    /// The current text while edits are pending (else it is the session's).
    current: Option<String>,
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
    /// The current text's lines, computed on first use after each change.
    lines: OnceLock<Lines>,
}

/// An edit waiting for the session's reparse.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    /// The document's revision once it was applied to the text.
    revision: u64,
    edit: TextEdit,
    /// It replaces the whole text (a change without a range): whatever text it lands on.
    whole: bool,
}

/// The line index of the current text (`None`: the session's, when no edit is pending) and the
/// protocol's line starts when they are not core's ([`lsp_lines`]).
#[derive(Clone)]
struct Lines {
    index: Option<LineIndex>,
    lone_cr: Option<Vec<usize>>,
}

/// The byte offsets where the protocol's lines start, when they are not core's: the protocol
/// ends a line at `"\n"`, `"\r\n"` **and a lone `"\r"`**, core's line index at `"\n"` only.
/// `None` when the text has no lone `"\r"` (then both agree, and core's index is used).
pub(crate) fn lsp_lines(text: &str) -> Option<Vec<usize>> {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !text.contains('\r') || !(0..b.len()).any(lone) {
        return None;
    }
    let mut starts = vec![0];
    starts.extend(
        (0..b.len())
            .filter(|&i| b[i] == b'\n' || lone(i))
            .map(|i| i + 1),
    );
    Some(starts)
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
            pending: Vec::new(),
            current: None,
            version,
            revision: 0,
            poisoned: false,
            failed: false,
            path: None,
            root: None,
            project: None,
            lines: OnceLock::new(),
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
            pending: self.pending.clone(),
            current: self.current.clone(),
            version: self.version,
            revision: self.revision,
            poisoned: self.poisoned,
            failed: self.failed,
            path: self.path.clone(),
            root: self.root.clone(),
            project: self.project.clone(),
            lines: self.lines.clone(),
        })
    }

    /// The same (current) text in a fresh session (after a panic left the old one in doubt).
    pub(crate) fn rebuilt(&self) -> codetable::Result<OpenDocument> {
        let s = &self.session;
        let mut doc = OpenDocument::new(
            s.document().language(),
            self.text().to_string(),
            s.offset_unit(),
            self.version,
        )?;
        doc.revision = self.revision + 1;
        if let Some(project) = &self.project {
            doc.place(self.path.clone(), self.root.clone(), project.clone());
        }
        Ok(doc)
    }

    /// The current text: the session's and the pending edits.
    pub(crate) fn text(&self) -> &str {
        self.current.as_deref().unwrap_or(self.session.text())
    }

    /// Applies the pending edits to the session, with one reparse; on failure (the text past
    /// the session's budget) nothing changes and they stay pending.
    pub(crate) fn flush(&mut self) -> codetable::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let edits: Vec<TextEdit> = self.pending.iter().map(|p| p.edit.clone()).collect();
        self.session.edit_batch(&edits)?;
        self.pending.clear();
        self.current = None;
        self.lines = OnceLock::new();
        Ok(())
    }

    /// Takes the session of `analysed`, a copy of this document made at its revision
    /// `revision` (not newer than this one's, of the same opening) then flushed and analysed on
    /// another thread: the edits made since stay pending on top of it.
    pub(crate) fn rebase(&mut self, analysed: OpenDocument, revision: u64) {
        self.session = analysed.session;
        self.pending.retain(|p| p.revision > revision);
        match self.pending.first_mut() {
            // A whole-text replacement replaces the text it now lands on.
            Some(first) if first.whole => first.edit.old_end = self.session.text().len(),
            Some(_) => {}
            None => self.current = None,
        }
        self.lines = OnceLock::new();
    }

    fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| Lines {
            index: self.current.as_deref().map(LineIndex::new),
            lone_cr: lsp_lines(self.text()),
        })
    }

    /// Core's line index of the current text.
    fn index(&self) -> &LineIndex {
        match &self.lines().index {
            Some(index) => index,
            None => self.session.line_index(),
        }
    }

    /// A byte offset of the current text in the negotiated unit.
    fn to_host(&self, byte: usize) -> usize {
        match self.session.offset_unit() {
            OffsetUnit::Byte => byte.min(self.text().len()),
            unit => self.index().from_byte(self.text(), byte, unit),
        }
    }

    /// An offset in the negotiated unit as a byte offset of the current text.
    fn to_byte(&self, host: usize) -> Result<usize, String> {
        let unit = self.session.offset_unit();
        self.index()
            .to_byte(self.text(), host, unit)
            .ok_or_else(|| format!("offset {host} is past the end or inside a character"))
    }

    /// The protocol's line starts when they are not core's (a lone `"\r"` in the text).
    fn lone_cr_lines(&self) -> Option<&[usize]> {
        self.lines().lone_cr.as_deref()
    }

    /// The byte offset where the protocol's zero-based `line` of the current text starts, if
    /// it exists.
    pub(crate) fn line_start(&self, line: usize) -> Option<usize> {
        match self.lone_cr_lines() {
            Some(starts) => starts.get(line).copied(),
            None => self.index().line_start(line),
        }
    }

    fn line_count(&self) -> usize {
        match self.lone_cr_lines() {
            Some(starts) => starts.len(),
            None => self.index().line_count(),
        }
    }

    /// The byte offset where the protocol's `line` ends (before its line terminator).
    pub(crate) fn line_end(&self, line: usize) -> usize {
        let text = self.text();
        match self.line_start(line + 1) {
            Some(next) => {
                let before = &text[..next];
                let terminator = if before.ends_with("\r\n") { 2 } else { 1 };
                next - terminator
            }
            None => text.len(),
        }
    }

    /// The byte offset of an LSP position. A character past the end of its line means the end
    /// of the line (as the protocol says); a line past the end of the text, or a position
    /// inside a character, is an error. Lines end at `"\n"`, `"\r\n"` and a lone `"\r"`.
    pub(crate) fn offset(&self, p: Position) -> Result<usize, String> {
        let line = p.line as usize;
        let Some(start) = self.line_start(line) else {
            return Err(format!(
                "line {line} is past the end of the document ({} lines)",
                self.line_count()
            ));
        };
        let end = self.line_end(line);
        let host = (self.to_host(start) + p.character as usize).min(self.to_host(end));
        self.to_byte(host)
            .map_err(|e| format!("line {line}, character {}: {e}", p.character))
    }

    /// The LSP range of a byte range of the current text.
    pub(crate) fn range(&self, bytes: &ByteRange<usize>) -> Range {
        Range::new(self.position(bytes.start), self.position(bytes.end))
    }

    fn position(&self, byte: usize) -> Position {
        let byte = byte.min(self.text().len());
        let Some(starts) = self.lone_cr_lines() else {
            let unit = self.session.offset_unit();
            let p = self.index().position_in(self.text(), byte, unit);
            return Position::new(p.line, p.column);
        };
        let line = starts.partition_point(|&start| start <= byte) - 1;
        let column = self.to_host(byte) - self.to_host(starts[line]);
        Position::new(line as u32, column as u32)
    }

    /// Applies one content change of `didChange` to the text: a range and its new text, or
    /// (without a range) the whole new text. The session is not reparsed here: the edit is
    /// pending until [`OpenDocument::flush`]. A change whose range does not fit the text leaves
    /// it as it was.
    pub(crate) fn apply(&mut self, change: &TextDocumentContentChangeEvent) -> Result<(), String> {
        let edit = match change.range {
            None => {
                // The whole text: earlier pending edits are moot.
                self.pending.clear();
                self.current = None;
                TextEdit::new(0, self.session.text().len(), change.text.clone())
            }
            Some(r) => {
                let (start, end) = (self.offset(r.start)?, self.offset(r.end)?);
                if end < start {
                    return Err(format!(
                        "the range ends before it starts ({}:{} .. {}:{})",
                        r.start.line, r.start.character, r.end.line, r.end.character
                    ));
                }
                TextEdit::new(start, end, change.text.clone())
            }
        };
        let text = match change.range {
            None => change.text.clone(),
            Some(_) => {
                let mut text = match self.current.take() {
                    Some(text) => text,
                    None => self.session.text().to_string(),
                };
                text.replace_range(edit.start..edit.old_end, &edit.text);
                text
            }
        };
        self.current = Some(text);
        self.revision += 1;
        self.pending.push(Pending {
            revision: self.revision,
            edit,
            whole: change.range.is_none(),
        });
        self.poisoned = false;
        self.failed = false;
        self.lines = OnceLock::new();
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

    /// The protocol ends lines at "\n", "\r\n" and a lone "\r" (core's index: "\n" only):
    /// positions and edits on a text with old Mac line ends, mixed with the others.
    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a = 'é'\rb = 2\r\nc = '😀'\nd\r\re";
        for unit in [OffsetUnit::Utf16, OffsetUnit::Byte] {
            let mut d = doc(text, unit);
            let b = text.find('b').unwrap();
            let c = text.find('c').unwrap();
            let dd = text.find('d').unwrap();
            let e = text.find('e').unwrap();
            assert_eq!(d.offset(Position::new(1, 0)), Ok(b));
            assert_eq!(d.offset(Position::new(2, 0)), Ok(c));
            assert_eq!(d.offset(Position::new(3, 0)), Ok(dd));
            assert_eq!(d.offset(Position::new(4, 0)), Ok(dd + 2), "the empty line");
            assert_eq!(d.offset(Position::new(5, 0)), Ok(e));
            // Past the end of a line: before its terminator, whichever it is.
            assert_eq!(d.offset(Position::new(0, 99)), Ok(text.find('\r').unwrap()));
            assert_eq!(d.offset(Position::new(1, 99)), Ok(b + 5));
            assert_eq!(d.offset(Position::new(4, 99)), Ok(dd + 2));
            assert!(d.offset(Position::new(6, 0)).is_err());
            let emoji = text.find('😀').unwrap();
            assert_eq!(d.range(&(emoji..emoji)).start, Position::new(2, 5));
            assert_eq!(
                d.range(&(e..e + 1)),
                Range::new(Position::new(5, 0), Position::new(5, 1))
            );
            // The end of line 0 ("a = 'é'"): 7 UTF-16 units, 8 bytes.
            let eol = if unit == OffsetUnit::Utf16 { 7 } else { 8 };
            assert_eq!(d.range(&(b - 1..b - 1)).start, Position::new(0, eol));
            // An edit on the line after a lone "\r", then positions of the new text.
            d.apply(&change(Some((1, 4, 1, 5)), "22")).unwrap();
            assert!(d.text().starts_with("a = 'é'\rb = 22\r\n"));
            assert_eq!(d.offset(Position::new(2, 0)), Ok(c + 1));
            // Joining two lines by deleting the lone "\r": core and the protocol agree again.
            d.apply(&change(Some((0, eol, 1, 0)), "")).unwrap();
            assert_eq!(d.range(&(0..0)).start, Position::new(0, 0));
            assert_eq!(d.offset(Position::new(1, 0)), Ok(c));
        }
        let plain = doc("x\r\ny\n", OffsetUnit::Utf16);
        assert_eq!(plain.lone_cr_lines(), None);
    }

    #[test]
    fn changes_apply_in_order_and_a_bad_one_changes_nothing() {
        let mut d = doc("# é\nh = sha256()\n", OffsetUnit::Utf16);
        d.apply(&change(Some((1, 4, 1, 10)), "md5")).unwrap();
        assert_eq!(d.text(), "# é\nh = md5()\n");
        d.apply(&change(Some((0, 2, 0, 3)), "ü😀")).unwrap();
        assert_eq!(d.text(), "# ü😀\nh = md5()\n");
        assert_eq!(d.revision, 2);
        let before = d.text().to_string();
        assert!(d.apply(&change(Some((9, 0, 9, 1)), "x")).is_err());
        assert!(d.apply(&change(Some((1, 4, 1, 2)), "x")).is_err());
        assert_eq!(d.text(), before);
        assert_eq!(d.revision, 2);
        d.apply(&change(None, "x = 1\n")).unwrap();
        assert_eq!(d.text(), "x = 1\n");
        // Nothing reparsed yet; one flush applies what is pending, in one reparse.
        assert_eq!(d.session.text(), "# é\nh = sha256()\n");
        d.flush().unwrap();
        assert_eq!((d.session.text(), d.pending.len()), ("x = 1\n", 0));
    }

    /// Keystrokes that arrive while a copy is analysed stay pending on top of the copy's
    /// session once it is taken back; a whole-text change lands on whatever text it finds.
    #[test]
    fn an_analysed_copy_is_taken_back_under_the_edits_made_since() {
        let mut d = doc("h = sha256()\n", OffsetUnit::Utf16);
        d.apply(&change(Some((0, 4, 0, 5)), "m")).unwrap();
        let mut copy = d.try_clone().unwrap();
        let at = copy.revision;
        copy.flush().unwrap();
        assert_eq!(copy.session.text(), "h = mha256()\n");
        d.apply(&change(Some((0, 5, 0, 6)), "d")).unwrap();
        d.apply(&change(Some((0, 6, 0, 10)), "5")).unwrap();
        d.rebase(copy, at);
        assert_eq!(d.session.text(), "h = mha256()\n");
        assert_eq!((d.text(), d.pending.len()), ("h = md5()\n", 2));
        assert_eq!(
            d.offset(Position::new(0, 9)),
            Ok(9),
            "positions of the current text"
        );
        d.flush().unwrap();
        assert_eq!(d.session.text(), "h = md5()\n");
        // A whole-text change after the copy was made.
        let mut copy = d.try_clone().unwrap();
        d.apply(&change(Some((0, 0, 0, 0)), "# x\n")).unwrap();
        let at = copy.revision;
        d.apply(&change(Some((0, 0, 0, 1)), "")).unwrap();
        let mut copy2 = d.try_clone().unwrap();
        let at2 = copy2.revision;
        d.apply(&change(None, "y = 2\n")).unwrap();
        copy.flush().unwrap();
        d.rebase(copy, at);
        assert_eq!(d.text(), "y = 2\n");
        copy2.flush().unwrap();
        d.rebase(copy2, at2);
        d.flush().unwrap();
        assert_eq!(d.session.text(), "y = 2\n");
    }
}
