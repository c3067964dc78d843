//! The document handle: core's `Session` over a source text, counting offsets in bytes (with
//! UTF-16 edits converted by the session), kept parsed across edits with the matches of its last
//! analysis. A document is meant for one thread at a time; its handle's lock serializes misuse
//! from several threads instead of corrupting it. It must not hold state of its own: the session
//! is the state.

use engine_core::{Document, Language, OffsetUnit, Session};

use crate::args;
use crate::handles::{self, box_castable};
use crate::status::{codetable_status, guard, FfiError, FfiResult};

/// A parsed document (opaque). Use it from one thread at a time; free with
/// `codetable_document_free`.
pub struct codetable_document {
    _opaque: [u8; 0],
}

box_castable!(codetable_document => Session, "document", recover = rebuild);

/// Makes a document consistent after a call panicked while using it: a new session over its
/// current text (the panic may have left the session mid-update). Its matches are lost, so the
/// next analysis reports every match as added, as for a new document.
fn rebuild(session: &mut Session) -> FfiResult {
    let language = session.document().language();
    let text = session.text().to_owned();
    let budget = session.budget();
    let doc = Document::with_budget(language, text, budget)?;
    *session = Session::from_document(doc, session.offset_unit());
    Ok(())
}

/// Runs `f` on the document's session, under its lock.
pub(crate) fn with<T>(
    doc: *const codetable_document,
    f: impl FnOnce(&mut Session) -> FfiResult<T>,
) -> FfiResult<T> {
    handles::with_mut(doc, f)
}

/// An offset from the host as a `usize`, saturating: a value past `usize::MAX` is past any
/// text, so the session rejects it with its own out-of-range error.
fn offset(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
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
        let session = Session::from_document(doc, OffsetUnit::Byte);
        *out = handles::new_box::<codetable_document>(session);
        Ok(())
    })
}

/// Sets the file the document's text came from (UTF-8; empty: none): its path decides the code
/// context of findings (`tests/`, `*_test.go`, `vendor/`…), which an engine with a selection
/// (`codetable_engine_select`) uses to lower or drop them, and is the records' default `"path"`.
///
/// # Safety
/// `path` must be valid for reads of `path_len` bytes (or NULL with length 0).
#[no_mangle]
pub unsafe extern "C" fn codetable_document_set_path(
    doc: *const codetable_document,
    path: *const u8,
    path_len: u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let path = unsafe { args::utf8(path, path_len, "path") }?;
        with(doc, |session| {
            session.set_path((!path.is_empty()).then_some(path));
            Ok(())
        })
    })
}

/// Sets the code context of the document's findings by name (UTF-8: `production`, `test`,
/// `bench`, `example`, `fuzz`, `generated`, `vendored`; empty: none, decided from the path and
/// the code as usual). A project's per-path setting (`[context]` in `codetable.toml`) passes
/// through here and wins over the path. An unknown name fails with
/// `CODETABLE_STATUS_INVALID_ARGUMENT` (the message suggests the closest) and changes nothing.
///
/// # Safety
/// `name` must be valid for reads of `name_len` bytes (or NULL with length 0).
#[no_mangle]
pub unsafe extern "C" fn codetable_document_set_context(
    doc: *const codetable_document,
    name: *const u8,
    name_len: u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let name = unsafe { args::utf8(name, name_len, "name") }?;
        let context = if name.is_empty() {
            None
        } else {
            Some(engine_core::context::CodeContext::parse(name).map_err(FfiError::invalid)?)
        };
        with(doc, |session| {
            session.set_context(context);
            Ok(())
        })
    })
}

/// The code context set with `codetable_document_set_context`: a static NUL-terminated UTF-8
/// name in `*out_name` and its length (without the NUL) in `*out_len`, or NULL and 0 when none
/// is set.
///
/// # Safety
/// `out_name` and `out_len` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn codetable_document_context(
    doc: *const codetable_document,
    out_name: *mut *const u8,
    out_len: *mut u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out_name = unsafe { args::out(out_name, "out_name") }?;
        // SAFETY: the caller's contract.
        let out_len = unsafe { args::out(out_len, "out_len") }?;
        *out_name = std::ptr::null();
        *out_len = 0;
        let context = with(doc, |session| Ok(session.context()))?;
        if let Some(c) = context {
            let name = context_cstr(c);
            *out_name = name.as_ptr();
            *out_len = (name.len() - 1) as u64;
        }
        Ok(())
    })
}

/// A context's name, NUL-terminated, static.
fn context_cstr(c: engine_core::context::CodeContext) -> &'static str {
    use engine_core::context::CodeContext as C;
    match c {
        C::Production => "production\0",
        C::Test => "test\0",
        C::Bench => "bench\0",
        C::Example => "example\0",
        C::Fuzz => "fuzz\0",
        C::Generated => "generated\0",
        C::Vendored => "vendored\0",
    }
}

/// Frees a document. NULL is a no-op; a stale handle fails with
/// `CODETABLE_STATUS_INVALID_HANDLE`. Text borrowed through `codetable_document_text` becomes
/// invalid.
///
/// # Safety
/// None beyond passing a value this library returned (any value is checked).
#[no_mangle]
pub unsafe extern "C" fn codetable_document_free(doc: *mut codetable_document) -> codetable_status {
    guard(|| handles::free(doc))
}

/// Sets what each later step over the document may cost: an edit (reparse and units) or an
/// analysis may take `time_ms` milliseconds and visit `max_nodes` syntax nodes; 0 means no
/// limit. A step past its budget fails with `CODETABLE_STATUS_OVER_BUDGET` (or
/// `_PARSE_TIMEOUT` when the parse itself runs out of time) and changes nothing. A new
/// document has the default budget: 5000 ms and 40,000,000 nodes. The memory limit
/// (`codetable_document_set_memory_budget`) is kept.
#[no_mangle]
pub extern "C" fn codetable_document_set_budget(
    doc: *mut codetable_document,
    time_ms: u64,
    max_nodes: u64,
) -> codetable_status {
    guard(|| {
        with(doc, |session| {
            session.set_budget(engine_core::Budget {
                time: (time_ms != 0).then(|| std::time::Duration::from_millis(time_ms)),
                nodes: (max_nodes != 0).then_some(max_nodes),
                ..session.budget()
            });
            Ok(())
        })
    })
}

/// Sets how much syntax-tree memory the text may need after each later edit, estimated from
/// its tokens before parsing (`max_bytes`; 0 means no limit). An edit past it fails with
/// `CODETABLE_STATUS_OVER_BUDGET` and changes nothing. A new document is built within the
/// default of 67,108,864 bytes (64 MiB; `codetable_document_new` fails with
/// `CODETABLE_STATUS_OVER_BUDGET` for a larger text). Since ABI 2.4.
#[no_mangle]
pub extern "C" fn codetable_document_set_memory_budget(
    doc: *mut codetable_document,
    max_bytes: u64,
) -> codetable_status {
    guard(|| {
        with(doc, |session| {
            let budget = session
                .budget()
                .with_memory((max_bytes != 0).then_some(max_bytes));
            session.set_budget(budget);
            Ok(())
        })
    })
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
        with(doc, |session| {
            session.edit(offset(start), offset(old_end), text)?;
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
        with(doc, |session| {
            session.edit_in(OffsetUnit::Utf16, offset(start), offset(old_end), text)?;
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
        with(doc, |session| {
            // The text's heap buffer lives in the document until the next edit or the free.
            let text = session.text();
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
