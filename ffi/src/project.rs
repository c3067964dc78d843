//! The project handle: core's `DesignProject` (documents by path, their declarations merged
//! across files) and the design-pattern instances an engine's role patterns find in it. The C
//! ABI keeps no state of its own: findings and instances are core's records and views as JSON,
//! offsets are converted by core per document.

use engine_core::project::design::DesignProject;
use engine_core::{Language, OffsetUnit};

use crate::args;
use crate::handles::{self, box_castable};
use crate::results;
use crate::results::codetable_string;
use crate::status::{codetable_status, guard, FfiError, FfiResult};

/// A project of several documents for design patterns (opaque). Use it from one thread at a
/// time; free with `codetable_project_free`.
pub struct codetable_project {
    _opaque: [u8; 0],
}

box_castable!(codetable_project => DesignProject, "project", recover = rebuild);

/// Makes a project consistent after a call panicked while using it: every document parsed
/// again from its text.
fn rebuild(project: &mut DesignProject) -> FfiResult {
    project.rebuild();
    Ok(())
}

fn with<T>(
    project: *const codetable_project,
    f: impl FnOnce(&mut DesignProject) -> FfiResult<T>,
) -> FfiResult<T> {
    handles::with_mut(project, f)
}

/// Makes an empty project. On failure `*out` is set to NULL.
/// Since ABI 2.4.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_project_new(
    out: *mut *mut codetable_project,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = handles::new_box::<codetable_project>(DesignProject::new());
        Ok(())
    })
}

/// Frees a project. NULL is a no-op; a stale handle fails with
/// `CODETABLE_STATUS_INVALID_HANDLE`.
/// Since ABI 2.4.
///
/// # Safety
/// None beyond passing a value this library returned (any value is checked).
#[no_mangle]
pub unsafe extern "C" fn codetable_project_free(
    project: *mut codetable_project,
) -> codetable_status {
    guard(|| handles::free(project))
}

/// Adds the document at `path` (UTF-8, non-empty: its key, the findings' `"path"` and what
/// decides their code context), or replaces it: only its contribution to the model changes.
/// `language` is a name as for `codetable_document_new`; `text` must be UTF-8. Nothing is parsed
/// when `engine` selects no role pattern (design patterns are `info`: select them with
/// `codetable_engine_select`, e.g. `"design"`; a new engine selects everything). A text that
/// cannot be parsed fails and leaves the project unchanged.
/// Since ABI 2.4.
///
/// # Safety
/// `path`, `language` and `text` must be valid for reads of their lengths.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn codetable_project_set_document(
    project: *const codetable_project,
    engine: *const crate::engine::codetable_engine,
    path: *const u8,
    path_len: u64,
    language: *const u8,
    language_len: u64,
    text: *const u8,
    text_len: u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let path = unsafe { args::utf8(path, path_len, "path") }?;
        // SAFETY: the caller's contract.
        let language = unsafe { args::utf8(language, language_len, "language") }?;
        // SAFETY: the caller's contract.
        let text = unsafe { args::utf8(text, text_len, "text") }?;
        if path.is_empty() {
            return Err(FfiError::invalid(
                "`path` is empty: a project names its documents",
            ));
        }
        let language = Language::from_name(language)?;
        let engine = handles::arc(engine)?;
        with(project, |p| {
            p.set_document(&engine, path, language, text)?;
            Ok(())
        })
    })
}

/// Removes the document at `path`; `*out_removed` (when not NULL) is 1 when there was one,
/// else 0.
/// Since ABI 2.4.
///
/// # Safety
/// `path` must be valid for reads of `path_len` bytes; `out_removed` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_project_remove_document(
    project: *const codetable_project,
    path: *const u8,
    path_len: u64,
    out_removed: *mut u32,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let path = unsafe { args::utf8(path, path_len, "path") }?;
        let removed = with(project, |p| Ok(p.remove_document(path)))?;
        // SAFETY: the caller's contract; NULL is skipped.
        if let Some(out) = unsafe { out_removed.as_mut() } {
            *out = u32::from(removed);
        }
        Ok(())
    })
}

/// The design-pattern findings of the project as JSON lines, one finding per participant of
/// every instance of the role patterns `engine` selects: core's records (schema
/// `core/schema/finding.schema.json`) with `instance`, `role` and `participants`, byte offsets
/// into each document's own text. Empty when none. Free with `codetable_string_free`.
/// Since ABI 2.4.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_project_findings_json(
    project: *const codetable_project,
    engine: *const crate::engine::codetable_engine,
    out: *mut codetable_string,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = results::string(Vec::new());
        let engine = handles::arc(engine)?;
        let records = with(project, |p| Ok(p.findings(&engine)?))?;
        *out = results::string(engine_core::view::to_json_lines(&records).into_bytes());
        Ok(())
    })
}

/// The design-pattern instances of the project as JSON lines: core's `InstanceView` (schema
/// `core/schema/instance.schema.json`: pattern id, name, symbol, summary and every participant
/// with its role, type, path and place). Empty when none. Free with `codetable_string_free`.
/// Since ABI 2.4.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_project_instances_json(
    project: *const codetable_project,
    engine: *const crate::engine::codetable_engine,
    out: *mut codetable_string,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = results::string(Vec::new());
        let engine = handles::arc(engine)?;
        let views = with(project, |p| Ok(p.instances(&engine)?))?;
        let mut json = String::new();
        for v in &views {
            json.push_str(&serde_json::to_string(v).map_err(|e| FfiError::invalid(e.to_string()))?);
            json.push('\n');
        }
        *out = results::string(json.into_bytes());
        Ok(())
    })
}

/// Converts a byte offset of the document at `path` (a finding's or participant's `byte_start`
/// or `byte_end`) to UTF-16 code units of that document, for hosts that count them (JVM,
/// JavaScript). A path the project does not hold fails with `CODETABLE_STATUS_INVALID_ARGUMENT`.
/// Since ABI 2.4.
///
/// # Safety
/// `path` must be valid for reads of `path_len` bytes; `out` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_project_offset_utf16(
    project: *const codetable_project,
    path: *const u8,
    path_len: u64,
    byte: u64,
    out: *mut u64,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        // SAFETY: the caller's contract.
        let path = unsafe { args::utf8(path, path_len, "path") }?;
        let byte = usize::try_from(byte).unwrap_or(usize::MAX);
        let at = with(project, |p| {
            p.to_host(path, byte, OffsetUnit::Utf16)
                .ok_or_else(|| FfiError::invalid(format!("the project holds no document `{path}`")))
        })?;
        *out = at as u64;
        Ok(())
    })
}
