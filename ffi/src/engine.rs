//! The engine handle: core's `Engine` over a database, made and freed. The engine is shareable
//! across threads; what it finds in a document is kept by the document's session (`analysis`).

use engine_core::Engine;

use crate::args;
use crate::handles::{self, arc_castable};
use crate::status::{codetable_status, guard};

/// A pattern engine over a database (opaque). Shareable across threads; free with
/// `codetable_engine_free`.
pub struct codetable_engine {
    _opaque: [u8; 0],
}

arc_castable!(codetable_engine => Engine, "engine");

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
    guard(|| {
        // SAFETY: the caller's contract.
        let out = unsafe { args::out(out, "out") }?;
        *out = std::ptr::null_mut();
        let db = crate::db::get(db)?;
        *out = handles::new_arc::<codetable_engine>(Engine::from_arc(db));
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
    guard(|| handles::free(engine))
}
