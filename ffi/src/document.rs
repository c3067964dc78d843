//! The document handle: a source text kept parsed across edits (in bytes or UTF-16 offsets),
//! the edits not yet analyzed, and the matches of its last analysis. A document is meant for one
//! thread at a time; a lock serializes misuse from several threads instead of corrupting it.

use std::sync::{Arc, Mutex};

use engine_core::{Delta, Document, Language, LineIndex, MatchSet, OffsetUnit};

use crate::args;
use crate::handles::{self, Handle};
use crate::results::{self, codetable_matches, Ranges};
use crate::status::{codetable_status, guard, FfiError, FfiResult};

/// A parsed document (opaque). Use it from one thread at a time; free with
/// `codetable_document_free`.
pub struct codetable_document {
    _opaque: [u8; 0],
}

pub(crate) struct DocumentObject {
    state: Mutex<DocState>,
}

pub(crate) struct DocState {
    pub(crate) doc: Document,
    /// Edits since the last analysis, merged.
    pub(crate) pending: Delta,
    /// The matches of the last analysis (kept up to date by deltas) and the engine's serial.
    pub(crate) matches: Option<(u64, MatchSet)>,
    /// Line index of the current text, built on demand.
    index: Option<LineIndex>,
}

impl DocState {
    pub(crate) fn ranges(&mut self) -> Ranges<'_> {
        let text = self.doc.text();
        let index = self.index.get_or_insert_with(|| LineIndex::new(text));
        Ranges { text, index }
    }

    fn record(&mut self, delta: Delta) {
        self.index = None;
        self.pending.merge(delta);
    }
}

/// Runs `f` on the document's state, under its lock.
pub(crate) fn with<T>(
    doc: *const codetable_document,
    f: impl FnOnce(&mut DocState) -> FfiResult<T>,
) -> FfiResult<T> {
    let object = handles::get(doc as usize, "document", |h| match h {
        Handle::Document(d) => Some(d.clone()),
        _ => None,
    })?;
    let mut state = object.state.lock().map_err(|_| {
        FfiError::new(
            codetable_status::Panic,
            "this document is unusable: an earlier call panicked while using it (free it)",
        )
    })?;
    f(&mut state)
}

/// Parses a text. `language` is a name (`python`, `javascript`, `typescript`, `tsx`, `java`,
/// `kotlin`, `go`, `rust`, `c`, `cpp`, and aliases such as `py`); `text` must be UTF-8. Neither
/// is NUL-terminated; both are copied. On failure `*out` is set to NULL.
///
/// # Safety
/// `language` and `text` must be valid for reads of their lengths; `out` must be NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_new(
    language: *const u8,
    language_len: u64,
    text: *const u8,
    text_len: u64,
    out: *mut *mut codetable_document,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        // SAFETY: the caller's contract.
        let language = unsafe { args::utf8(language, language_len, "language") }?;
        // SAFETY: the caller's contract.
        let text = unsafe { args::bytes(text, text_len, "text") }?;
        let doc = Document::from_bytes(Language::from_name(language)?, text)?;
        let object = DocumentObject {
            state: Mutex::new(DocState {
                doc,
                pending: Delta::default(),
                matches: None,
                index: None,
            }),
        };
        *out = handles::register(Handle::Document(Arc::new(object))) as *mut codetable_document;
        Ok(())
    })
}

/// Frees a document. NULL is a no-op; a stale handle fails with
/// `CODETABLE_STATUS_INVALID_HANDLE`. Text borrowed through `codetable_document_text` becomes
/// invalid.
///
/// # Safety
/// None beyond passing a value this library returned (any value is checked).
#[no_mangle]
pub unsafe extern "C" fn codetable_document_free(doc: *mut codetable_document) -> codetable_status {
    guard(|| handles::remove(doc as usize, "document"))
}

/// Replaces bytes `start..old_end` of the current text with `text` (UTF-8) and reparses
/// incrementally. The change is analyzed by the next `codetable_engine_analyze_delta`. A failed
/// edit (`CODETABLE_STATUS_EDIT_OUT_OF_RANGE`, `_NOT_CHAR_BOUNDARY`, `_INVALID_UTF8`) leaves the
/// document unchanged.
///
/// # Safety
/// `text` must be valid for reads of `text_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_edit(
    doc: *mut codetable_document,
    start: u64,
    old_end: u64,
    text: *const u8,
    text_len: u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let text = unsafe { args::utf8(text, text_len, "text") }?;
        with(doc, |state| {
            let len = state.doc.text().len();
            let out_of_range = || {
                FfiError::from(engine_core::Error::EditOutOfRange {
                    start: start.try_into().unwrap_or(usize::MAX),
                    end: old_end.try_into().unwrap_or(usize::MAX),
                    len,
                })
            };
            let start = args::index(start, "start").map_err(|_| out_of_range())?;
            let old_end = args::index(old_end, "old_end").map_err(|_| out_of_range())?;
            let delta = state.doc.edit(start, old_end, text)?;
            state.record(delta);
            Ok(())
        })
    })
}

/// Like `codetable_document_edit`, with `start` and `old_end` in UTF-16 code units of the current
/// text (a JVM or JavaScript string index). An offset inside a surrogate pair fails with
/// `CODETABLE_STATUS_NOT_CHAR_BOUNDARY`; past the end, with `_EDIT_OUT_OF_RANGE`.
///
/// # Safety
/// `text` must be valid for reads of `text_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_edit_utf16(
    doc: *mut codetable_document,
    start: u64,
    old_end: u64,
    text: *const u8,
    text_len: u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let text = unsafe { args::utf8(text, text_len, "text") }?;
        with(doc, |state| {
            let (start, old_end) = {
                let ranges = state.ranges();
                let (t, idx) = (ranges.text, ranges.index);
                let units = idx.from_byte(t, t.len(), OffsetUnit::Utf16) as u64;
                let to_byte = |o: u64| -> FfiResult<usize> {
                    if o > units || start > old_end {
                        return Err(FfiError::new(
                            codetable_status::EditOutOfRange,
                            format!(
                                "edit range {start}..{old_end} (UTF-16) is out of bounds for a \
                                 document of {units} UTF-16 code units"
                            ),
                        ));
                    }
                    let o = args::index(o, "offset")?;
                    idx.to_byte(t, o, OffsetUnit::Utf16).ok_or_else(|| {
                        FfiError::new(
                            codetable_status::NotCharBoundary,
                            format!("UTF-16 offset {o} is inside a surrogate pair"),
                        )
                    })
                };
                (to_byte(start)?, to_byte(old_end)?)
            };
            let delta = state.doc.edit(start, old_end, text)?;
            state.record(delta);
            Ok(())
        })
    })
}

/// Borrows the current text (UTF-8, not NUL-terminated). Valid until the next edit of this
/// document or its free.
///
/// # Safety
/// `out_text` and `out_len` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_text(
    doc: *const codetable_document,
    out_text: *mut *const u8,
    out_len: *mut u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out_text = unsafe { args::out(out_text, "out_text") }?;
        // SAFETY: the caller's contract.
        let out_len = unsafe { args::out(out_len, "out_len") }?;
        with(doc, |state| {
            // The text's heap buffer lives in the document until the next edit or the free.
            let text = state.doc.text();
            *out_text = if text.is_empty() {
                std::ptr::null()
            } else {
                text.as_ptr()
            };
            *out_len = text.len() as u64;
            Ok(())
        })
    })
}

/// The matches the document holds after its last analysis (`codetable_engine_analyze`, then
/// every `codetable_engine_analyze_delta` applied), with ranges in the current text — what a
/// host should be showing. Empty before the first analysis; fails with
/// `CODETABLE_STATUS_INVALID_ARGUMENT` while edits are waiting for `analyze_delta`. Free with
/// `codetable_matches_free`.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_matches(
    doc: *const codetable_document,
    out: *mut codetable_matches,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = codetable_matches::EMPTY;
        with(doc, |state| {
            if !state.pending.edits.is_empty() {
                return Err(FfiError::invalid(
                    "the document was edited since its last analysis: call \
                     codetable_engine_analyze_delta first",
                ));
            }
            let DocState {
                doc,
                matches,
                index,
                ..
            } = state;
            if let Some((_, set)) = matches {
                let text = doc.text();
                let index = index.get_or_insert_with(|| LineIndex::new(text));
                *out = results::matches(set.matches(), &Ranges { text, index });
            }
            Ok(())
        })
    })
}

/// The language of a file, detected from its extension, then its shebang line. `*out_name` is a
/// static UTF-8 name (`python`…, not NUL-terminated) usable with `codetable_document_new`.
/// `CODETABLE_STATUS_NOT_FOUND` when the file is of no known language.
///
/// # Safety
/// `path` and `text` must be valid for reads of their lengths (`text` may be NULL with length
/// 0); `out_name` and `out_len` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_language_detect(
    path: *const u8,
    path_len: u64,
    text: *const u8,
    text_len: u64,
    out_name: *mut *const u8,
    out_len: *mut u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out_name = unsafe { args::out(out_name, "out_name") }?;
        // SAFETY: the caller's contract.
        let out_len = unsafe { args::out(out_len, "out_len") }?;
        // SAFETY: the caller's contract.
        let path = unsafe { args::utf8(path, path_len, "path") }?;
        // SAFETY: the caller's contract.
        let text = unsafe { args::bytes(text, text_len, "text") }?;
        let language = Language::detect(std::path::Path::new(path), text).ok_or_else(|| {
            FfiError::new(
                codetable_status::NotFound,
                format!("no known language for `{path}`"),
            )
        })?;
        let name = language.name();
        *out_name = name.as_ptr();
        *out_len = name.len() as u64;
        Ok(())
    })
}
