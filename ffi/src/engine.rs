//! The engine handle and the two analyses: a whole document, or only what changed since the
//! document's last analysis (a delta the host applies to the matches it shows). The engine is
//! shareable across threads; the per-document match state lives in the document, not here.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use engine_core::{Engine, MatchSet};

use crate::args;
use crate::document;
use crate::handles::{self, Handle};
use crate::results::{self, codetable_match_delta, codetable_matches};
use crate::status::{codetable_status, guard, FfiResult};

/// A pattern engine over a database (opaque). Shareable across threads; free with
/// `codetable_engine_free`.
pub struct codetable_engine {
    _opaque: [u8; 0],
}

pub(crate) struct EngineObject {
    /// Distinguishes engines for a document's match state (never reused).
    pub(crate) serial: u64,
    pub(crate) engine: Engine,
}

fn get(engine: *const codetable_engine) -> FfiResult<Arc<EngineObject>> {
    handles::get(engine as usize, "engine", |h| match h {
        Handle::Engine(e) => Some(e.clone()),
        _ => None,
    })
}

/// Makes an engine over a database. The engine keeps its own reference to the database, so the
/// database handle may be freed first. On failure `*out` is set to NULL.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_new(
    db: *const crate::db::codetable_db,
    out: *mut *mut codetable_engine,
) -> codetable_status {
    static SERIAL: AtomicU64 = AtomicU64::new(1);
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        let db = crate::db::get(db)?;
        let object = EngineObject {
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            engine: Engine::from_arc(db.db.clone()),
        };
        *out = handles::register(Handle::Engine(Arc::new(object))) as *mut codetable_engine;
        Ok(())
    })
}

/// Frees an engine handle. NULL is a no-op; a stale handle fails with
/// `CODETABLE_STATUS_INVALID_HANDLE`.
///
/// # Safety
/// None beyond passing a value this library returned (any value is checked).
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_free(engine: *mut codetable_engine) -> codetable_status {
    guard(|| handles::remove(engine as usize, "engine"))
}

/// Every match in the document. The document remembers them (for `codetable_document_matches`
/// and the next `codetable_engine_analyze_delta`). Free the result with
/// `codetable_matches_free`; on failure `*out` is empty.
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_analyze(
    engine: *const codetable_engine,
    doc: *mut document::codetable_document,
    out: *mut codetable_matches,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = codetable_matches::EMPTY;
        let engine = get(engine)?;
        document::with(doc, |state| {
            let found = engine.engine.analyze(&state.doc)?;
            let ranges = state.ranges();
            *out = results::matches(&found, &ranges);
            state.matches = Some((engine.serial, MatchSet::new(found)));
            state.pending = Default::default();
            Ok(())
        })
    })
}

/// What changed in the document's matches since its last analysis: only units touched by the
/// edits since then are matched again. Apply it to the matches from the last analysis (see
/// `codetable_match_delta`); ranges refer to the current text. If the document was never
/// analyzed, or last analyzed by another engine, the whole document is analyzed and every
/// match is reported as added (and the previous ones, if any, as removed). On failure `*out` is
/// empty and the document's state is unchanged (the call can be retried).
///
/// # Safety
/// `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn codetable_engine_analyze_delta(
    engine: *const codetable_engine,
    doc: *mut document::codetable_document,
    out: *mut codetable_match_delta,
) -> codetable_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = codetable_match_delta::EMPTY;
        let engine = get(engine)?;
        document::with(doc, |state| {
            let serial = engine.serial;
            let (added, updated, removed) = match &mut state.matches {
                Some((s, set)) if *s == serial => {
                    let md = engine.engine.analyze_delta(&state.doc, &state.pending)?;
                    let changes = set.apply(&md);
                    let (added, updated): (Vec<_>, Vec<_>) = md
                        .matches
                        .into_iter()
                        .partition(|m| changes.added.binary_search(&m.id).is_ok());
                    (added, updated, changes.removed)
                }
                previous => {
                    let found = engine.engine.analyze(&state.doc)?;
                    let removed = previous
                        .take()
                        .map(|(_, set)| set.matches().iter().map(|m| m.id).collect())
                        .unwrap_or_default();
                    *previous = Some((serial, MatchSet::new(found.clone())));
                    (found, Vec::new(), removed)
                }
            };
            state.pending = Default::default();
            let ranges = state.ranges();
            let (removed, removed_len) =
                results::u64s(removed.into_iter().map(|id| id.0).collect());
            *out = codetable_match_delta {
                added: results::matches(&added, &ranges),
                updated: results::matches(&updated, &ranges),
                removed,
                removed_len,
            };
            Ok(())
        })
    })
}
